//! The CVCA directory and the self-signed CVCA.

use super::*;
use ektp_i18n::{Catalog, Lang, Message};

pub(super) struct Cvca {
    pub(super) cert: CvCertificate,
    pub(super) key: SoftwareCvSigner,
}

pub(super) fn cvca_cert_path(dir: &Path, chr: &CertificateReference) -> PathBuf {
    dir.join(format!("{chr}.cvcert"))
}

pub(super) fn cvca_key_path(dir: &Path, chr: &CertificateReference) -> PathBuf {
    dir.join(format!("{chr}-TEST-ONLY.key"))
}

pub(super) fn load_cvca(dir: &Path) -> Result<Cvca, Fail> {
    let current = dir.join(CURRENT);
    let text = std::fs::read_to_string(&current).map_err(|e| {
        Fail::config(
            anyhow::Error::new(e).context(crate::exit::Said(
                Message::new("op-cvc-err-not-cvca-dir")
                    .arg("dir", dir.display())
                    .arg("file", CURRENT),
            )),
        )
    })?;
    let chr = CertificateReference::new(text.trim()).map_err(|_| {
        Fail::config_said(Message::new("op-cvc-err-current").arg("path", current.display()))
    })?;
    let cert = read_certificate(&cvca_cert_path(dir, &chr))?;
    let key = read_key(&cvca_key_path(dir, &chr))?;
    if key.public_point() != *cert.body().public_key.point() {
        return Err(Fail::config_said(
            Message::new("op-cvc-err-inconsistent")
                .arg("key", cvca_key_path(dir, &chr).display())
                .arg("cert", cvca_cert_path(dir, &chr).display()),
        ));
    }
    Ok(Cvca { cert, key })
}

/// Maps an issuing error: a key that does not match is a file error, the rest are bugs of the
/// arguments the command already checked (reported as usage errors with the library's text).
/// `what`: the certificate's name as a message id (`op-cvc-f-…`).
pub(super) fn issue_error(e: CvcError, what: &'static str) -> Fail {
    let said = |id| crate::exit::Said(Message::new(id).msg("what", Message::new(what)));
    match e {
        CvcError::SignerKeyMismatch { .. } => {
            Fail::config(anyhow::Error::new(e).context(said("op-cvc-err-issue-key")))
        }
        CvcError::SignatureInvalid { .. } | CvcError::InvalidPublicKey { .. } => Fail::new(
            exit::Kind::Failed,
            anyhow::Error::new(e).context(said("op-cvc-err-issue-pop")),
        ),
        other => Fail::usage_said(
            Message::new("op-cvc-err-issue")
                .msg("what", Message::new(what))
                .arg("detail", other),
        ),
    }
}

pub(super) fn test_only_note(global: &Global) {
    if global.verbosity >= 0 {
        eprintln!("{}", crate::text::t("op-cvc-test-only"));
    }
}

/// A role in words.
pub(super) fn role_text(role: Role) -> String {
    crate::text::t(match role {
        Role::Cvca => "op-cvc-role-cvca",
        Role::DvDomestic => "op-cvc-role-dv-domestic",
        Role::DvForeign => "op-cvc-role-dv-foreign",
        _ => "op-cvc-role-terminal",
    })
}

/// Prints what was written: JSON (each file's `what` in English) or lines in the run's
/// language; `files` name what they hold by message id.
pub(super) fn report(
    global: &Global,
    headline: &Message,
    cert: Option<&CvCertificate>,
    files: &[(&'static str, &Path)],
) -> Result<(), Fail> {
    if global.json {
        let en = Catalog::of(Lang::En);
        print_json(&json!({
            "test_only": true,
            "certificate": cert.map(show::certificate_json),
            "files": files.iter().map(|(what, p)| json!({"what": en.get(what), "path": p})).collect::<Vec<_>>(),
        }))?;
    } else {
        println!("{}", crate::text::render(headline));
        if let Some(c) = cert {
            let b = c.body();
            let line = Message::new("op-cvc-cert-line")
                .arg("car", &b.car)
                .arg("chr", &b.chr)
                .arg("role", role_text(b.role()))
                .arg("rights", rights_text(b.chat.rights()))
                .arg("from", b.effective)
                .arg("to", b.expiration);
            println!("  {}", crate::text::render(&line));
        }
        for (what, path) in files {
            println!("  {:<26} {}", crate::text::t(what), path.display());
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- commands

pub(super) fn init_cvca(a: &InitCvcaArgs, global: &Global) -> Result<ExitCode, Fail> {
    let country = a.country.as_str();
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(Fail::usage_said(
            Message::new("op-cvc-err-country").arg("country", format!("{country:?}")),
        ));
    }
    let chr = reference(&a.holder, "--holder")?;
    if chr.country_code() != country {
        return Err(Fail::usage_said(
            Message::new("op-cvc-err-holder-country")
                .arg("chr", &chr)
                .arg("country", country),
        ));
    }
    let rights = if a.rights.is_empty() {
        AccessRights::READ_DG3.union(AccessRights::READ_DG4)
    } else {
        rights_of(&a.rights)
    };
    let from = effective(a.from.as_deref())?;
    let to = a
        .years
        .checked_mul(12)
        .and_then(|m| after_months(from, m))
        .ok_or_else(|| lifetime_error("op-cvc-f-cvca-cert"))?;
    if std::fs::symlink_metadata(a.dir.join(CURRENT)).is_ok() {
        return Err(Fail::config_said(
            Message::new("op-cvc-err-has-cvca").arg("dir", a.dir.display()),
        ));
    }
    std::fs::create_dir_all(&a.dir)
        .or_config_said(|| Message::new("op-err-cannot-create").arg("path", a.dir.display()))?;
    let key = SoftwareCvSigner::generate(a.curve.into())
        .or_config_said(|| Message::new("op-cvc-err-generate"))?;
    let cert = CertificateBuilder::new(
        chr.clone(),
        Chat::inspection_system(Role::Cvca, rights),
        from,
        to,
    )
    .self_signed(&key)
    .map_err(|e| issue_error(e, "op-cvc-f-cvca-cert"))?;
    let key_path = cvca_key_path(&a.dir, &chr);
    let cert_path = cvca_cert_path(&a.dir, &chr);
    write_key(&key_path, &key, "directory")?;
    write_public(&cert_path, &cert.to_bytes())?;
    write_public(&a.dir.join(CURRENT), format!("{chr}\n").as_bytes())?;
    report(
        global,
        &Message::new("op-cvc-cvca-written").arg("dir", a.dir.display()),
        Some(&cert),
        &[
            ("op-cvc-f-cvca-cert", &cert_path),
            ("op-cvc-f-cvca-key", &key_path),
        ],
    )?;
    test_only_note(global);
    Ok(exit::OK)
}

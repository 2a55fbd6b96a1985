//! What a station and a desk trust: the trust store (with its CRLs and rejected certificates), the CVCA, applications.

use super::*;

/// The CVCA trust point to write at personalization: `--cvca`, else the config's
/// `cvca_certificate`, else none (the card then accepts no terminal and DG3 stays closed).
pub fn load_cvca(
    args: &StationArgs,
    global: &Global,
) -> Result<Option<ektp_pki::cvc::CvCertificate>, Fail> {
    let Some(path) = args
        .cvca
        .clone()
        .or_else(|| global.config.cvca_certificate.clone())
    else {
        return Ok(None);
    };
    let cert = crate::commands::cvc::read_certificate(&path)?;
    if cert.role() != ektp_pki::cvc::Role::Cvca {
        return Err(Fail::config(anyhow::anyhow!(
            "{} is not a CVCA certificate (its role is {:?}): give the department's CVCA \
             certificate (`ektp cvc init-cvca` makes one) as --cvca or cvca_certificate",
            path.display(),
            cert.role()
        )));
    }
    Ok(Some(cert))
}

/// Loads and validates an application file; an invalid one is a failed validation (exit 1)
/// listing every problem.
pub fn load_application(path: &Path) -> Result<Application, Fail> {
    ektp::load_application(path).map_err(|errors| {
        if crate::text::is_id() {
            // The problems themselves are the library's (English) words; say what to run.
            let path = path.display().to_string();
            return Fail::failed(crate::text::f(
                "cli-err-application-invalid",
                &[("path", &path)],
            ));
        }
        let mut text = format!("{} is not a valid application:", path.display());
        for e in errors.errors() {
            text.push_str("\n  ");
            text.push_str(&e.to_string());
        }
        text.push_str("\n(run `ektp check` on it to see the same list)");
        Fail::failed(text)
    })
}

/// The trust store from `--trust` or the config's `trust_dir`.
pub fn load_trust(option: Option<&Path>, global: &Global) -> Result<TrustStore, Fail> {
    let dir = option
        .map(Path::to_path_buf)
        .or_else(|| global.config.trust_dir.clone())
        .ok_or_else(|| Fail::usage_said(ektp_i18n::Message::new("cli-err-no-trust")))?;
    let trust = TrustStore::load_dir(&dir).or_config_said(|| {
        ektp_i18n::Message::new("cli-err-trust-load").arg("path", dir.display())
    })?;
    if global.verbosity >= -1 {
        for warning in rejected_warnings(&trust) {
            eprintln!("{warning}");
        }
    }
    if trust.roots().is_empty() {
        return Err(Fail::config_said(
            ektp_i18n::Message::new("cli-err-trust-no-root").arg("path", dir.display()),
        ));
    }
    check_crls(&trust, &dir)?;
    Ok(trust)
}

/// Refuses a trust store in which some root has no genuine, current CRL: every card under
/// that root would otherwise fail `passive_authentication`, and the card would get the blame.
pub(super) fn check_crls(trust: &TrustStore, dir: &Path) -> Result<(), Fail> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    for (index, root) in trust.roots().iter().enumerate() {
        if let Err(failure) = trust.crl_status(index, now) {
            return Err(Fail::config_said(
                ektp_i18n::Message::new("cli-err-trust-no-crl")
                    .arg("path", dir.display())
                    .arg("root", root.subject())
                    .arg("detail", failure),
            ));
        }
    }
    Ok(())
}

/// One warning per certificate in the trust directory that is not a root and so is ignored
/// (a document signer certificate copied there must not be able to mint signers):
/// `ignored FILE: SUBJECT cannot be a trusted root: REASON`. Printed on stderr, never in the
/// `--json` output on stdout.
pub fn rejected_warnings(trust: &TrustStore) -> Vec<String> {
    trust
        .rejected()
        .iter()
        .map(|r| {
            let file = r
                .path
                .as_ref()
                .map_or_else(|| "certificate".to_owned(), |p| p.display().to_string());
            let (subject, problem) = (r.subject.to_string(), r.problem.to_string());
            crate::text::f(
                "cli-warn-not-a-root",
                &[("file", &file), ("subject", &subject), ("detail", &problem)],
            )
        })
        .collect()
}

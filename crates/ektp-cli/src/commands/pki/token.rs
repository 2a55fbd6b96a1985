//! `ektp pki init DIR --pkcs11 MODULE --token LABEL`: the TEST PKI with every key generated
//! inside a PKCS#11 token (private, sensitive, non-extractable): the root (CSCA, P-384; it
//! also signs the CRL), the document signer (P-256), the CVCA, DV and terminal keys (P-256)
//! and the batch master key (AES-256). Certificates, the CRL and the station config are
//! written outside; no private or secret key is ever written to a file. See
//! `docs/security-model.md` ("What lives where").

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use ektp_i18n::Message;
use ektp_pkcs11::{KeyCurve, Pkcs11CertKey, Pkcs11CvSigner, Pkcs11Uri, Token};
use ektp_pki::cvc::{
    AccessRights, CertificateBuilder, CertificateReference, Chat, CvCertificate, CvDate,
    CvSigner as _, CvcError, Role,
};
use ektp_pki::test_pki::{DocumentSignerSpec, TestCa, TestKey};

use super::{print_written, write_new};
use crate::config::Global;
use crate::exit::{self, Fail, Tag};

/// The token objects (label, id) `pki init --pkcs11` makes.
const ROOT: (&str, &[u8]) = ("ektp-csca-TEST", b"ektp-csca");
const DS: (&str, &[u8]) = ("ektp-ds1-TEST", b"ektp-ds1");
const CVCA: (&str, &[u8]) = ("ektp-cvca-TEST", b"ektp-cvca");
const DV: (&str, &[u8]) = ("ektp-dv-TEST", b"ektp-dv");
const TERMINAL: (&str, &[u8]) = ("ektp-is-TEST", b"ektp-is");
const MASTER: (&str, &[u8]) = ("ektp-perso-master-TEST", b"ektp-perso-master");
const ALL: [(&str, &[u8]); 6] = [ROOT, DS, CVCA, DV, TERMINAL, MASTER];

/// The holder references of the TEST CV certificates.
const CVCA_CHR: &str = "IDCVCA00001";
const DV_CHR: &str = "IDDVTK00001";
const TERMINAL_CHR: &str = "IDISTK00001";

const DAY: Duration = Duration::from_secs(86_400);

/// The RFC 7512 URI of object `label` of type `kind` on token `token`.
fn uri_text(token: &str, label: &str, kind: &str) -> String {
    format!("pkcs11:token={token};object={label};type={kind}")
}

fn uri(token: &str, label: &str, kind: &str) -> Result<Pkcs11Uri, Fail> {
    uri_text(token, label, kind).parse().map_err(Fail::token)
}

/// The token's user PIN for `pki init --pkcs11`: `--pin-file`, else a no-echo prompt.
fn token_pin(label: &str, pin_file: Option<&Path>) -> Result<ektp_pkcs11::Pin, Fail> {
    use std::io::IsTerminal as _;
    match pin_file {
        Some(path) => ektp_pkcs11::Pin::from_file(path).map_err(Fail::token),
        None if std::io::stdin().is_terminal() => {
            let prompt = crate::text::f("op-pin-prompt", &[("label", label)]);
            let typed = rpassword::prompt_password(format!("{prompt} ")).map_err(|e| {
                let said = exit::Said(Message::new("op-pin-unreadable"));
                Fail::new(exit::Kind::Usage, anyhow::Error::new(e).context(said))
            })?;
            ektp_pkcs11::Pin::new(typed).map_err(Fail::token)
        }
        None => Err(Fail::usage_said(Message::new("op-pin-none"))),
    }
}

/// Refuses a token that already holds one of the objects (never two keys with one label).
fn refuse_existing(token: &Token) -> Result<(), Fail> {
    let present = token.objects().map_err(Fail::token)?;
    match present
        .iter()
        .find(|o| ALL.iter().any(|(label, _)| o.label == *label))
    {
        Some(o) => Err(Fail::config_said(
            Message::new("op-token-has-key")
                .arg("token", token.label())
                .arg("key", &o.label),
        )),
        None => Ok(()),
    }
}

/// The TEST root: a P-384 key generated in the token, its self-signed certificate and its
/// current empty CRL (thirty days), both signed inside the token.
fn token_root(token: &Arc<Token>, now: SystemTime) -> Result<(TestCa, Vec<u8>), Fail> {
    token
        .generate_ec_key_pair(KeyCurve::P384, ROOT.0, ROOT.1)
        .map_err(Fail::token)?;
    let key = Pkcs11CertKey::new(Arc::clone(token), &uri(token.label(), ROOT.0, "private")?)
        .map_err(Fail::token)?;
    let ago = now.checked_sub(DAY).unwrap_or(now);
    let root = TestCa::with_signing_key(
        "ID",
        "Dukcapil",
        "CSCA Indonesia e-KTP",
        Box::new(key),
        ago,
        now.checked_add(DAY.saturating_mul(3650)).unwrap_or(now),
    )
    .or_config_said(|| Message::new("op-token-root"))?;
    let crl = root
        .crl(
            &[],
            ago,
            now.checked_add(DAY.saturating_mul(30)).unwrap_or(now),
            1,
        )
        .or_config_said(|| Message::new("op-token-crl"))?;
    Ok((root, crl))
}

/// A CV signing key (P-256) generated in the token.
fn cv_key(token: &Arc<Token>, (label, id): (&str, &[u8])) -> Result<Pkcs11CvSigner, Fail> {
    token
        .generate_ec_key_pair(KeyCurve::P256, label, id)
        .map_err(Fail::token)?;
    Pkcs11CvSigner::new(Arc::clone(token), &uri(token.label(), label, "private")?)
        .map_err(Fail::token)
}

/// The TEST terminal PKI in the token: a CVCA (three years), a DV (one year) and a terminal
/// (thirty days, read DG3), each key generated in the token and each certificate signed there.
fn token_cv_chain(token: &Arc<Token>, now: SystemTime) -> Result<[CvCertificate; 3], Fail> {
    let (cvca_key, dv_key, is_key) = (
        cv_key(token, CVCA)?,
        cv_key(token, DV)?,
        cv_key(token, TERMINAL)?,
    );
    let today = CvDate::from_system_time(now)
        .map_err(|_| Fail::config_said(Message::new("op-cvc-err-clock")))?;
    let until = |days: u32| {
        today
            .checked_add_days(days)
            .ok_or_else(|| Fail::config_said(Message::new("op-err-clock-2099")))
    };
    let chr = |text: &str| {
        CertificateReference::new(text).map_err(|e| Fail::usage(format!("{text}: {e}")))
    };
    let failed = |what: &'static str| {
        move |e: CvcError| {
            Fail::config(anyhow::Error::new(e).context(format!(
                "cannot issue the TEST {what} certificate with the token's key"
            )))
        }
    };
    let rights = AccessRights::READ_DG3.union(AccessRights::READ_DG4);
    let cvca = CertificateBuilder::new(
        chr(CVCA_CHR)?,
        Chat::inspection_system(Role::Cvca, rights),
        today,
        until(3 * 365)?,
    )
    .self_signed(&cvca_key)
    .map_err(failed("CVCA"))?;
    let dv = CertificateBuilder::new(
        chr(DV_CHR)?,
        Chat::inspection_system(Role::DvDomestic, rights),
        today,
        until(365)?,
    )
    .issue(&dv_key.public_key(false), &cvca, &cvca_key)
    .map_err(failed("DV"))?;
    let terminal = CertificateBuilder::new(
        chr(TERMINAL_CHR)?,
        Chat::inspection_system(Role::Terminal, AccessRights::READ_DG3),
        today,
        until(30)?,
    )
    .issue(&is_key.public_key(false), &dv, &dv_key)
    .map_err(failed("terminal"))?;
    Ok([cvca, dv, terminal])
}

/// What the token made, to be written outside it.
struct Made {
    root: TestCa,
    crl: Vec<u8>,
    ds_cert: Vec<u8>,
    cv: [CvCertificate; 3],
}

/// Generates every key in the token and has the token sign every certificate and the CRL.
fn make_in_token(token: &Arc<Token>) -> Result<Made, Fail> {
    let now = SystemTime::now();
    let (root, crl) = token_root(token, now)?;
    let public = token
        .generate_ec_p256_key_pair(DS.0, DS.1)
        .map_err(Fail::token)?;
    let spec = DocumentSignerSpec::new("Document Signer 1 (token)", TestKey::EcdsaP256, now);
    let ds_cert = root
        .issue_document_signer_for_public_key(&spec, &public)
        .or_config_said(|| Message::new("op-token-ds"))?;
    let cv = token_cv_chain(token, now)?;
    token
        .generate_master_key(MASTER.0, MASTER.1)
        .map_err(Fail::token)?;
    Ok(Made {
        root,
        crl,
        ds_cert,
        cv,
    })
}

/// Writes the certificates, the CRL and the station config; lists what lives where.
fn write_files(
    dir: &Path,
    module: &Path,
    label: &str,
    pin_file: Option<&Path>,
    made: &Made,
) -> Result<Vec<(Message, PathBuf)>, Fail> {
    let trust_dir = dir.join("trust");
    let cvc_dir = dir.join("cvc");
    for d in [&trust_dir, &cvc_dir] {
        std::fs::create_dir_all(d)
            .or_config_said(|| Message::new("op-err-cannot-create").arg("path", d.display()))?;
    }
    let root_path = trust_dir.join("ID-CSCA-TEST-ONLY.crt.pem");
    let crl_path = trust_dir.join("ID-CSCA-TEST-ONLY.crl");
    let ds_path = dir.join("ID-DS1-TOKEN-TEST-ONLY.crt.der");
    write_new(&root_path, made.root.certificate_pem().as_bytes(), false)?;
    write_new(&crl_path, &made.crl, false)?;
    write_new(&ds_path, &made.ds_cert, false)?;
    let key = |what: &'static str, l: &str, kind: &str| {
        (
            Message::new("op-pki-in-token")
                .msg("what", Message::new(what))
                .arg("label", label),
            PathBuf::from(uri_text(label, l, kind)),
        )
    };
    let mut written = vec![
        key("op-pki-root-key-t", ROOT.0, "private"),
        (Message::new("op-pki-root-cert"), root_path),
        (Message::new("op-pki-crl"), crl_path),
        key("op-pki-ds-key-t", DS.0, "private"),
        (Message::new("op-pki-ds-cert-t"), ds_path),
    ];
    let cv = [
        ("op-pki-cvca-key", "op-pki-cvca-cert", CVCA.0),
        ("op-pki-dv-key", "op-pki-dv-cert", DV.0),
        ("op-pki-terminal-key", "op-pki-terminal-cert", TERMINAL.0),
    ];
    for (cert, (key_what, cert_what, l)) in made.cv.iter().zip(cv) {
        let path = cvc_dir.join(format!("{}.cvcert", cert.chr()));
        write_new(&path, &cert.to_bytes(), false)?;
        written.push(key(key_what, l, "private"));
        written.push((Message::new(cert_what), path));
    }
    written.push(key("op-pki-master", MASTER.0, "secret-key"));
    let station = dir.join("station-TEST-ONLY.toml");
    write_new(
        &station,
        station_toml(module, label, pin_file).as_bytes(),
        false,
    )?;
    written.push((Message::new("op-pki-station"), station));
    Ok(written)
}

/// The station config: every key by its URI, the certificates by path.
fn station_toml(module: &Path, label: &str, pin_file: Option<&Path>) -> String {
    let mut toml = format!(
        "# TEST ONLY printing station, written by `ektp pki init --pkcs11`. Never use for real \
         cards.\n# Every key is in token {label:?}; only certificates and the CRL are files.\n\
         signer_key = {:?}\nsigner_certificate = \"ID-DS1-TOKEN-TEST-ONLY.crt.der\"\n\
         trust_dir = \"trust\"\nmaster_key_file = {:?}\ncvca_certificate = \"cvc/{CVCA_CHR}.cvcert\"\n\
         pkcs11_module = {:?}\njournal = \"journal-TEST-ONLY.sqlite\"\n",
        uri_text(label, DS.0, "private"),
        uri_text(label, MASTER.0, "secret-key"),
        module.to_string_lossy(),
    );
    if let Some(p) = pin_file {
        let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        toml.push_str(&format!("pin_source = {:?}\n", abs.to_string_lossy()));
    }
    toml
}

/// `pki init --pkcs11`: every key generated and used inside the token, every certificate and
/// the CRL signed there, written outside with the station config.
pub(super) fn init_pkcs11(
    dir: &Path,
    module: &Path,
    label: &str,
    pin_file: Option<&Path>,
    global: &Global,
) -> Result<ExitCode, Fail> {
    let pin = token_pin(label, pin_file)?;
    let token = ektp_pkcs11::Module::open(module)
        .and_then(|m| m.login(label, &pin))
        .map_err(Fail::token)?;
    refuse_existing(&token)?;
    let made = make_in_token(&token)?;
    let written = write_files(dir, module, label, pin_file, &made)?;
    let station = dir.join("station-TEST-ONLY.toml");
    print_written(dir, &dir.join("trust"), &station, &written, true, global)?;
    if global.verbosity >= 0 {
        eprintln!(
            "{}",
            crate::text::f("op-pki-done-token", &[("label", label)])
        );
    }
    Ok(exit::OK)
}

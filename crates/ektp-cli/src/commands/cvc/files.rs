//! Certificate references, key and certificate files (keys 0600 through ektp-fs).

use super::*;
use crate::exit::Said;
use ektp::Message;

pub(super) fn reference(text: &str, option: &str) -> Result<CertificateReference, Fail> {
    CertificateReference::new(text).map_err(|_| {
        Fail::usage_said(
            Message::new("op-cvc-err-reference")
                .arg("option", option)
                .arg("text", format!("{text:?}")),
        )
    })
}

// ---------------------------------------------------------------- files

/// Refuses to replace an existing key.
pub(super) fn refuse_existing(path: &Path, option: &str) -> Result<(), Fail> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(Fail::config_said(
            Message::new("op-cvc-err-key-exists")
                .arg("path", path.display())
                .arg("option", option),
        ));
    }
    Ok(())
}

/// Writes a TEST ONLY key as PKCS#8 DER, 0600 (never over an existing file).
pub(super) fn write_key(path: &Path, key: &SoftwareCvSigner, option: &str) -> Result<(), Fail> {
    refuse_existing(path, option)?;
    let der = key
        .to_pkcs8_der()
        .or_config_said(|| Message::new("op-cvc-err-encode"))?;
    ektp_fs::write_private(path, &der)
        .or_config_said(|| Message::new("op-err-cannot-write").arg("path", path.display()))
}

/// Reads a private key file (refused if group or others can read it).
pub(crate) fn read_key(path: &Path) -> Result<SoftwareCvSigner, Fail> {
    let der = ektp_fs::read_secret(path, MAX_KEY_FILE_LEN)
        .or_config_said(|| Message::new("cli-err-key-file").arg("path", path.display()))?;
    SoftwareCvSigner::from_private_key_der(&der).map_err(|_| {
        Fail::config_said(Message::new("cli-err-not-cv-key").arg("path", path.display()))
    })
}

/// Writes a public file (certificate, request) atomically: a temporary beside it, renamed.
pub(super) fn write_public(path: &Path, bytes: &[u8]) -> Result<(), Fail> {
    let what = || Message::new("op-err-cannot-write").arg("path", path.display());
    let name = path
        .file_name()
        .map_or_else(|| "cvc".into(), |n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut f| {
            std::io::Write::write_all(&mut f, bytes)?;
            f.sync_all()
        })
        .and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.or_config_said(what)
}

pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, Fail> {
    let what = || Message::new("cli-err-read").arg("path", path.display());
    let meta = std::fs::metadata(path).or_config_said(what)?;
    if meta.len() > MAX_CV_FILE_LEN {
        return Err(Fail::config_said(
            Message::new("cli-err-cv-too-large")
                .arg("path", path.display())
                .arg("bytes", meta.len())
                .arg("max", MAX_CV_FILE_LEN),
        ));
    }
    std::fs::read(path).or_config_said(what)
}

pub(crate) fn read_certificate(path: &Path) -> Result<CvCertificate, Fail> {
    let bytes = read_file(path)?;
    CvCertificate::from_bytes(&bytes).map_err(|e| {
        Fail::config(anyhow::Error::new(e).context(Said(
            Message::new("cli-err-not-cvc").arg("path", path.display()),
        )))
    })
}

pub(super) fn read_request(path: &Path) -> Result<CertificateRequest, Fail> {
    let bytes = read_file(path)?;
    CertificateRequest::from_bytes(&bytes).map_err(|e| {
        Fail::config(anyhow::Error::new(e).context(Said(
            Message::new("op-cvc-err-not-request").arg("path", path.display()),
        )))
    })
}

/// The curve a DV or terminal key lies on (their certificates carry no domain parameters).
pub(crate) fn curve_of(cert: &CvCertificate) -> Option<Curve> {
    let key = &cert.body().public_key;
    key.domain_parameters().or_else(|| {
        [Curve::NistP256, Curve::BrainpoolP256r1]
            .into_iter()
            .find(|c| c.is_on_curve(key.point()))
    })
}

// ---------------------------------------------------------------- CVCA directory

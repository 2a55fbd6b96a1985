//! `ektp pki show FILE`: describe a certificate, a CRL or an EF.SOD (PEM or DER), never a key.

use std::path::Path;
use std::process::ExitCode;

use ektp::format_utc;
use ektp_i18n::Message;
use ektp_pki::EfSod;
use serde_json::{Value, json};
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::revocation_list::CertificateRevocationList;

use crate::config::Global;
use crate::exit::{self, Fail, Tag};
use crate::output::print_json;

mod text;
use text::print_text;

/// Largest file `pki show` reads.
const MAX_SHOW_FILE_LEN: u64 = 1 << 20;

/// What a file holds.
enum Object {
    Certificate(Vec<u8>),
    Crl(Vec<u8>),
    Sod(Vec<u8>),
}

/// A PEM block: label and DER contents.
type PemBlock = (String, Vec<u8>);

/// PEM blocks, or `None` if the file is not PEM.
fn pem_blocks(bytes: &[u8], file: &Path) -> Result<Option<Vec<PemBlock>>, Fail> {
    let text = String::from_utf8_lossy(bytes);
    if !text.contains("-----BEGIN ") {
        return Ok(None);
    }
    let mut out = Vec::new();
    for pem in x509_parser::pem::Pem::iter_from_buffer(bytes) {
        let pem =
            pem.map_err(|e| Fail::config_said(said("op-show-err-pem", file).arg("detail", e)))?;
        out.push((pem.label, pem.contents));
    }
    Ok(Some(out))
}

fn sniff(bytes: &[u8], file: &Path) -> Result<Vec<Object>, Fail> {
    if let Some(blocks) = pem_blocks(bytes, file)? {
        let mut out = Vec::new();
        for (label, der) in blocks {
            match label.as_str() {
                "CERTIFICATE" => out.push(Object::Certificate(der)),
                "X509 CRL" => out.push(Object::Crl(der)),
                "CMS" | "PKCS7" => out.push(Object::Sod(der)),
                "PRIVATE KEY" | "EC PRIVATE KEY" | "RSA PRIVATE KEY" | "ENCRYPTED PRIVATE KEY" => {
                    return Err(Fail::usage_said(said("op-show-err-key", file)));
                }
                other => {
                    return Err(Fail::config_said(
                        said("op-show-err-label", file).arg("label", format!("{other:?}")),
                    ));
                }
            }
        }
        return Ok(out);
    }
    match bytes.first() {
        Some(0x77) => Ok(vec![Object::Sod(bytes.to_vec())]),
        Some(0x30) => {
            if X509Certificate::from_der(bytes).is_ok() {
                Ok(vec![Object::Certificate(bytes.to_vec())])
            } else if CertificateRevocationList::from_der(bytes).is_ok() {
                Ok(vec![Object::Crl(bytes.to_vec())])
            } else {
                Ok(vec![Object::Sod(bytes.to_vec())])
            }
        }
        _ => Err(Fail::config_said(said("op-show-err-unknown", file))),
    }
}

/// A message about `file`.
fn said(id: &'static str, file: &Path) -> Message {
    Message::new(id).arg("path", file.display())
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(ring::digest::digest(&ring::digest::SHA256, bytes))
}

fn describe_certificate(der: &[u8], file: &Path) -> Result<Value, Fail> {
    let (rest, cert) = X509Certificate::from_der(der)
        .map_err(|e| Fail::config_said(said("op-show-err-cert", file).arg("detail", e)))?;
    if !rest.is_empty() {
        return Err(Fail::config_said(
            said("op-show-err-trailing", file).arg("n", rest.len()),
        ));
    }
    let now = x509_parser::time::ASN1Time::now();
    let v = cert.validity();
    let status = if now < v.not_before {
        "not yet valid"
    } else if now > v.not_after {
        "expired"
    } else {
        "valid now"
    };
    let key_usage = cert
        .key_usage()
        .ok()
        .flatten()
        .map(|ku| ku.value.to_string());
    let is_ca = cert
        .basic_constraints()
        .ok()
        .flatten()
        .is_some_and(|bc| bc.value.ca);
    let key = match cert.public_key().parsed() {
        Ok(x509_parser::public_key::PublicKey::EC(p)) => format!("EC, {} bits", p.key_size()),
        Ok(x509_parser::public_key::PublicKey::RSA(r)) => format!("RSA, {} bits", r.key_size()),
        Ok(_) => "other".to_owned(),
        Err(_) => "unparsed".to_owned(),
    };
    Ok(json!({
        "type": "certificate",
        "subject": cert.subject().to_string(),
        "issuer": cert.issuer().to_string(),
        "serial": cert.raw_serial_as_string(),
        "not_before": format_utc(v.not_before.timestamp()),
        "not_after": format_utc(v.not_after.timestamp()),
        "status": status,
        "public_key": key,
        "signature_algorithm": cert.signature_algorithm.algorithm.to_id_string(),
        "ca": is_ca,
        "key_usage": key_usage,
        "test_only": cert.subject().to_string().contains("TEST ONLY"),
        "sha256": sha256_hex(der),
    }))
}

fn describe_crl(der: &[u8], file: &Path) -> Result<Value, Fail> {
    let (_, crl) = CertificateRevocationList::from_der(der)
        .map_err(|e| Fail::config_said(said("op-show-err-crl", file).arg("detail", e)))?;
    let revoked: Vec<Value> = crl
        .iter_revoked_certificates()
        .map(|r| {
            json!({
                "serial": r.raw_serial_as_string(),
                "revoked_at": format_utc(r.revocation_date.timestamp()),
            })
        })
        .collect();
    Ok(json!({
        "type": "crl",
        "issuer": crl.issuer().to_string(),
        "this_update": format_utc(crl.last_update().timestamp()),
        "next_update": crl.next_update().map(|t| format_utc(t.timestamp())),
        "revoked": revoked,
        "sha256": sha256_hex(der),
    }))
}

fn describe_sod(bytes: &[u8], file: &Path) -> Result<Value, Fail> {
    let sod = if bytes.first() == Some(&0x77) {
        EfSod::from_bytes(bytes)
    } else {
        EfSod::from_content_info(bytes)
    }
    .or_config_said(|| said("op-show-err-sod", file))?;
    let hashes: Vec<Value> = sod
        .data_groups()
        .into_iter()
        .map(|dg| {
            json!({
                "dg": dg.value(),
                "hash": sod.data_group_hash(dg).map(hex::encode).unwrap_or_default(),
            })
        })
        .collect();
    let signer = sod
        .certificates()
        .first()
        .and_then(|der| X509Certificate::from_der(der).ok())
        .map(|(_, c)| {
            json!({
                "subject": c.subject().to_string(),
                "issuer": c.issuer().to_string(),
                "serial": c.raw_serial_as_string(),
                "not_after": format_utc(c.validity().not_after.timestamp()),
            })
        });
    Ok(json!({
        "type": "ef_sod",
        "digest_algorithm": sod.data_group_digest().to_string(),
        "data_group_hashes": hashes,
        "signer": signer,
        "certificates": sod.certificates().len(),
        "signing_time": sod.signed_attributes().signing_time.map(format_utc),
        "sha256": sha256_hex(bytes),
    }))
}

/// Runs `ektp pki show FILE`.
pub(super) fn show(file: &Path, global: &Global) -> Result<ExitCode, Fail> {
    let what = || said("op-show-err-read", file);
    let len = std::fs::metadata(file).or_config_said(what)?.len();
    if len > MAX_SHOW_FILE_LEN {
        return Err(Fail::config_said(said("op-show-err-large", file)));
    }
    let bytes = std::fs::read(file).or_config_said(what)?;
    let objects = sniff(&bytes, file)?;
    let mut described = Vec::new();
    for object in objects {
        described.push(match object {
            Object::Certificate(der) => describe_certificate(&der, file)?,
            Object::Crl(der) => describe_crl(&der, file)?,
            Object::Sod(der) => describe_sod(&der, file)?,
        });
    }
    if global.json {
        match described.as_slice() {
            [one] => print_json(one)?,
            many => print_json(&many)?,
        }
    } else {
        for (i, v) in described.iter().enumerate() {
            if i > 0 {
                println!();
            }
            print_text(v);
        }
    }
    Ok(exit::OK)
}

//! `ektp pki show FILE`: describe a certificate, a CRL or an EF.SOD (PEM or DER), never a key.

use std::path::Path;
use std::process::ExitCode;

use ektp::format_utc;
use ektp_pki::EfSod;
use serde_json::{Value, json};
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::revocation_list::CertificateRevocationList;

use crate::config::Global;
use crate::exit::{self, Fail, Tag};
use crate::output::print_json;

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
fn pem_blocks(bytes: &[u8]) -> Result<Option<Vec<PemBlock>>, Fail> {
    let text = String::from_utf8_lossy(bytes);
    if !text.contains("-----BEGIN ") {
        return Ok(None);
    }
    let mut out = Vec::new();
    for pem in x509_parser::pem::Pem::iter_from_buffer(bytes) {
        let pem = pem.map_err(|e| Fail::config(anyhow::anyhow!("malformed PEM: {e}")))?;
        out.push((pem.label, pem.contents));
    }
    Ok(Some(out))
}

fn sniff(bytes: &[u8]) -> Result<Vec<Object>, Fail> {
    if let Some(blocks) = pem_blocks(bytes)? {
        let mut out = Vec::new();
        for (label, der) in blocks {
            match label.as_str() {
                "CERTIFICATE" => out.push(Object::Certificate(der)),
                "X509 CRL" => out.push(Object::Crl(der)),
                "CMS" | "PKCS7" => out.push(Object::Sod(der)),
                "PRIVATE KEY" | "EC PRIVATE KEY" | "RSA PRIVATE KEY" | "ENCRYPTED PRIVATE KEY" => {
                    return Err(Fail::usage(
                        "this is a private key: `pki show` describes certificates, CRLs and EF.SOD, and never prints keys",
                    ));
                }
                other => {
                    return Err(Fail::config(anyhow::anyhow!(
                        "PEM block {other:?} is not a certificate, CRL or CMS object"
                    )));
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
        _ => Err(Fail::config(anyhow::anyhow!(
            "not a certificate, CRL or EF.SOD (neither PEM nor DER starting with 30 or 77)"
        ))),
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(ring::digest::digest(&ring::digest::SHA256, bytes))
}

fn describe_certificate(der: &[u8]) -> Result<Value, Fail> {
    let (rest, cert) = X509Certificate::from_der(der)
        .map_err(|e| Fail::config(anyhow::anyhow!("malformed certificate: {e}")))?;
    if !rest.is_empty() {
        return Err(Fail::config(anyhow::anyhow!(
            "malformed certificate: {} bytes after its end",
            rest.len()
        )));
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

fn describe_crl(der: &[u8]) -> Result<Value, Fail> {
    let (_, crl) = CertificateRevocationList::from_der(der)
        .map_err(|e| Fail::config(anyhow::anyhow!("malformed CRL: {e}")))?;
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

fn describe_sod(bytes: &[u8]) -> Result<Value, Fail> {
    let sod = if bytes.first() == Some(&0x77) {
        EfSod::from_bytes(bytes)
    } else {
        EfSod::from_content_info(bytes)
    }
    .or_config(|| "not a valid EF.SOD".to_owned())?;
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

/// `v[key]`, or null.
fn g<'a>(v: &'a Value, key: &str) -> &'a Value {
    v.get(key).unwrap_or(&Value::Null)
}

fn print_text(v: &Value) {
    match v.get("type").and_then(Value::as_str) {
        Some("certificate") => print_certificate(v),
        Some("crl") => print_crl(v),
        _ => print_sod(v),
    }
}

/// `v[key]` as text, or `-`.
fn s(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("-").to_owned()
}

fn print_certificate(v: &Value) {
    let s = |k: &str| s(v, k);
    println!(
        "Certificate{}",
        if g(v, "test_only") == true {
            "  (TEST ONLY)"
        } else {
            ""
        }
    );
    println!("  subject      {}", s("subject"));
    println!("  issuer       {}", s("issuer"));
    println!("  serial       {}", s("serial"));
    println!(
        "  valid        {} .. {} ({})",
        s("not_before"),
        s("not_after"),
        s("status")
    );
    println!("  public key   {}", s("public_key"));
    println!(
        "  CA           {}",
        if g(v, "ca") == true { "yes" } else { "no" }
    );
    println!("  key usage    {}", s("key_usage"));
    println!("  SHA-256      {}", s("sha256"));
}

fn print_crl(v: &Value) {
    let s = |k: &str| s(v, k);
    println!("Certificate revocation list");
    println!("  issuer       {}", s("issuer"));
    println!("  this update  {}", s("this_update"));
    println!("  next update  {}", s("next_update"));
    let revoked = g(v, "revoked").as_array().cloned().unwrap_or_default();
    println!("  revoked      {}", revoked.len());
    for r in revoked {
        println!(
            "    serial {} since {}",
            g(&r, "serial").as_str().unwrap_or("-"),
            g(&r, "revoked_at").as_str().unwrap_or("-")
        );
    }
}

fn print_sod(v: &Value) {
    let s = |k: &str| s(v, k);
    println!("EF.SOD (LDS Security Object in CMS SignedData)");
    println!("  data group hashes ({}):", s("digest_algorithm"));
    for h in g(v, "data_group_hashes")
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        println!(
            "    DG{:<3} {}",
            g(&h, "dg").as_u64().unwrap_or_default(),
            g(&h, "hash").as_str().unwrap_or("-")
        );
    }
    match v.get("signer").filter(|x| !x.is_null()) {
        Some(sig) => {
            println!(
                "  signer       {}",
                g(sig, "subject").as_str().unwrap_or("-")
            );
            println!(
                "  issued by    {}",
                g(sig, "issuer").as_str().unwrap_or("-")
            );
            println!(
                "  serial       {}",
                g(sig, "serial").as_str().unwrap_or("-")
            );
        }
        None => println!("  signer       (certificate not parsable)"),
    }
    println!("  signing time {}", s("signing_time"));
    println!("  SHA-256      {}", s("sha256"));
    println!("  (this describes the file; `ektp verify` checks it against a trust store)");
}

/// Runs `ektp pki show FILE`.
pub(super) fn show(file: &Path, global: &Global) -> Result<ExitCode, Fail> {
    let what = || format!("cannot read {}", file.display());
    let len = std::fs::metadata(file).or_config(what)?.len();
    if len > MAX_SHOW_FILE_LEN {
        return Err(Fail::config(anyhow::anyhow!(
            "{} is larger than 1 MiB: not a certificate, CRL or EF.SOD",
            file.display()
        )));
    }
    let bytes = std::fs::read(file).or_config(what)?;
    let objects = sniff(&bytes).map_err(|f| Fail {
        kind: f.kind,
        error: f.error.context(format!("{}", file.display())),
    })?;
    let mut described = Vec::new();
    for object in objects {
        described.push(match object {
            Object::Certificate(der) => describe_certificate(&der)?,
            Object::Crl(der) => describe_crl(&der)?,
            Object::Sod(der) => describe_sod(&der)?,
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

//! `ektp pki init DIR` (a TEST ONLY PKI) and `ektp pki show FILE` (describe a certificate,
//! CRL or EF.SOD).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::SystemTime;

use clap::Subcommand;
use ektp_pki::EfSod;
use serde_json::{Value, json};
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::revocation_list::CertificateRevocationList;

use crate::config::Global;
use crate::exit::{self, Fail, Tag};
use crate::output::{print_json, utc};

/// Largest file `pki show` reads.
const MAX_SHOW_FILE_LEN: u64 = 1 << 20;

/// `ektp pki …`.
#[derive(Debug, Subcommand)]
pub enum PkiCommand {
    /// Write a TEST ONLY PKI (root, CRL, two document signers, a test station config)
    Init {
        /// Directory to write into (created; existing files are never overwritten)
        dir: PathBuf,
    },
    /// Describe a certificate, a CRL or an EF.SOD file (PEM or DER)
    Show {
        /// The file
        file: PathBuf,
    },
}

/// Runs `ektp pki`.
pub fn run(cmd: &PkiCommand, global: &Global) -> Result<ExitCode, Fail> {
    match cmd {
        PkiCommand::Init { dir } => init(dir, global),
        PkiCommand::Show { file } => show(file, global),
    }
}

fn write_new(path: &Path, contents: &[u8]) -> Result<(), Fail> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, contents))
        .or_config(|| format!("cannot write {}", path.display()))
}

fn init(dir: &Path, global: &Global) -> Result<ExitCode, Fail> {
    let files = ektp_pki::test_pki::generate_test_pki(dir, SystemTime::now())
        .or_config(|| format!("cannot write the TEST PKI into {}", dir.display()))?;
    let (ds_cert, ds_key) = files
        .document_signers
        .first()
        .cloned()
        .ok_or_else(|| Fail::config(anyhow::anyhow!("the TEST PKI has no document signer")))?;
    // A complete TEST station: the TEST ONLY master key and a config naming everything.
    let master = dir.join("perso-master-TEST-ONLY.hex");
    write_new(
        &master,
        format!("{}\n", ektp_sm::perso::TEST_MASTER_KEY_HEX.trim()).as_bytes(),
    )?;
    let station = dir.join("station-TEST-ONLY.toml");
    let name = |p: &Path| {
        p.strip_prefix(dir)
            .unwrap_or(p)
            .to_string_lossy()
            .into_owned()
    };
    let toml = format!(
        "# TEST ONLY printing station, written by `ektp pki init`. Never use for real cards.\n\
         signer_key = {:?}\nsigner_certificate = {:?}\ntrust_dir = {:?}\nmaster_key_file = {:?}\n\
         journal = \"journal-TEST-ONLY.sqlite\"\n",
        name(&ds_key),
        name(&ds_cert),
        name(&files.trust_dir),
        name(&master),
    );
    write_new(&station, toml.as_bytes())?;

    let mut written: Vec<(String, PathBuf)> = vec![
        (
            "root certificate (trust store)".into(),
            files.root_certificate.clone(),
        ),
        ("CRL (trust store)".into(), files.crl.clone()),
        ("root private key".into(), files.root_key.clone()),
    ];
    for (i, (cert, key)) in files.document_signers.iter().enumerate() {
        let n = i.saturating_add(1);
        written.push((format!("document signer {n} certificate"), cert.clone()));
        written.push((format!("document signer {n} private key"), key.clone()));
    }
    written.push(("personalization master key".into(), master));
    written.push(("station config".into(), station.clone()));
    if global.json {
        print_json(&json!({
            "test_only": true,
            "trust_dir": files.trust_dir,
            "station_config": station,
            "files": written.iter().map(|(what, p)| json!({"what": what, "path": p})).collect::<Vec<_>>(),
        }))?;
    } else {
        println!("TEST ONLY PKI written to {}:", dir.display());
        for (what, path) in &written {
            println!("  {:<34} {}", what, path.display());
        }
        println!(
            "  {:<34} {}",
            "trust store directory",
            files.trust_dir.display()
        );
        println!();
        println!("These keys are TEST ONLY: never trust this root or sign real cards with them.");
        println!("Try it with a virtual card (`ektp sim` in another terminal):");
        println!(
            "  ektp --config {} personalize cards/specimens/pria/application.json",
            station.display()
        );
    }
    if global.verbosity >= 0 {
        eprintln!(
            "TEST ONLY: the PKI in {} is for trying ektp out, never for real cards",
            dir.display()
        );
    }
    Ok(exit::OK)
}

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
        "not_before": utc(v.not_before.timestamp()),
        "not_after": utc(v.not_after.timestamp()),
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
                "revoked_at": utc(r.revocation_date.timestamp()),
            })
        })
        .collect();
    Ok(json!({
        "type": "crl",
        "issuer": crl.issuer().to_string(),
        "this_update": utc(crl.last_update().timestamp()),
        "next_update": crl.next_update().map(|t| utc(t.timestamp())),
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
                "dg": dg.get(),
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
                "not_after": utc(c.validity().not_after.timestamp()),
            })
        });
    Ok(json!({
        "type": "ef_sod",
        "digest_algorithm": sod.data_group_digest().to_string(),
        "data_group_hashes": hashes,
        "signer": signer,
        "certificates": sod.certificates().len(),
        "signing_time": sod.signed_attributes().signing_time.map(utc),
        "sha256": sha256_hex(bytes),
    }))
}

/// `v[key]`, or null.
fn g<'a>(v: &'a Value, key: &str) -> &'a Value {
    v.get(key).unwrap_or(&Value::Null)
}

fn print_text(v: &Value) {
    let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("-").to_owned();
    match v.get("type").and_then(Value::as_str) {
        Some("certificate") => {
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
        Some("crl") => {
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
        _ => {
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
    }
}

fn show(file: &Path, global: &Global) -> Result<ExitCode, Fail> {
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

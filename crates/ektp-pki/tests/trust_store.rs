//! Loading trust stores, keys and the TEST ONLY PKI from files.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic
)]

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use ektp_pki::test_pki::generate_test_pki;
use ektp_pki::{DecodeKind, Pkcs8Key, PkiError, RingSigner, Structure, TrustStore};

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "pki-trust-{name}-{}-{}",
        std::process::id(),
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn pem_to_der(pem: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(pem).unwrap();
    let b64: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    let out = std::process::Command::new("openssl")
        .args(["base64", "-d", "-A"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(b64.as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    out.stdout
}

#[test]
fn loads_der_and_pem_roots_and_crls_by_extension() {
    let src = scratch("src");
    let files = generate_test_pki(&src, SystemTime::now()).unwrap();
    let dir = scratch("der");
    let root_pem = std::fs::read(&files.root_certificate).unwrap();
    let crl_pem = std::fs::read(&files.crl).unwrap();
    std::fs::write(dir.join("root.cer"), pem_to_der(&root_pem)).unwrap();
    std::fs::write(dir.join("root.CRL"), pem_to_der(&crl_pem)).unwrap();
    std::fs::write(dir.join("notes.txt"), "ignored").unwrap();
    std::fs::create_dir(dir.join("sub.pem")).unwrap();
    let trust = TrustStore::load_dir(&dir).unwrap();
    assert_eq!(trust.roots().len(), 1);
    assert_eq!(trust.crls().len(), 1);
    assert_eq!(trust.roots()[0].country(), Some("ID"));
    assert!(trust.crls()[0].issuer().contains("CSCA"));
    // PEM and DER load the same root.
    let pem_trust = TrustStore::load_dir(&files.trust_dir).unwrap();
    assert_eq!(pem_trust.roots()[0].der(), trust.roots()[0].der());
}

#[test]
fn a_private_key_in_the_trust_directory_is_an_error_naming_the_file() {
    let src = scratch("key-src");
    let files = generate_test_pki(&src, SystemTime::now()).unwrap();
    std::fs::copy(&files.root_key, files.trust_dir.join("oops.pem")).unwrap();
    match TrustStore::load_dir(&files.trust_dir) {
        Err(PkiError::InFile { path, source }) => {
            assert!(path.ends_with("oops.pem"));
            assert!(matches!(
                *source,
                PkiError::Decode {
                    structure: Structure::Pem,
                    kind: DecodeKind::PemLabel { .. },
                    ..
                }
            ));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn garbage_and_empty_directories_are_errors() {
    let dir = scratch("empty");
    assert!(matches!(
        TrustStore::load_dir(&dir),
        Err(PkiError::EmptyTrustStore(_))
    ));
    std::fs::write(dir.join("bad.der"), [0x30, 0x03, 0x02, 0x01, 0x00]).unwrap();
    let err = TrustStore::load_dir(&dir).unwrap_err();
    assert!(err.to_string().contains("bad.der"), "{err}");
    assert!(matches!(
        TrustStore::load_dir(&dir.join("missing")),
        Err(PkiError::Io { .. })
    ));
}

#[test]
fn test_pki_files_are_labelled_and_keys_private() {
    let dir = scratch("labels");
    let files = generate_test_pki(&dir, SystemTime::now()).unwrap();
    let root = std::fs::read_to_string(&files.root_certificate).unwrap();
    assert!(root.starts_with("-----BEGIN CERTIFICATE-----"));
    let trust = TrustStore::load_dir(&files.trust_dir).unwrap();
    assert!(trust.roots()[0].subject().contains("TEST ONLY"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for key in [&files.root_key, &files.document_signers[0].1] {
            let mode = std::fs::metadata(key).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "{key:?} is readable by others");
        }
    }
    for (cert, key) in &files.document_signers {
        let signer = RingSigner::from_files(key, cert).unwrap();
        let debug = format!("{signer:?}");
        assert!(debug.contains("<redacted>"));
        let key_der = Pkcs8Key::from_file(key).unwrap();
        let hex: String = key_der.as_der()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert!(!debug.contains(&hex));
        assert_eq!(format!("{key_der:?}"), "Pkcs8Key(<redacted>)");
    }
    // A key file that is not PKCS#8 says so.
    std::fs::write(
        dir.join("ec.pem"),
        "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n",
    )
    .unwrap();
    let err = Pkcs8Key::from_file(&dir.join("ec.pem")).unwrap_err();
    assert!(
        matches!(
            err,
            PkiError::Decode {
                structure: Structure::PrivateKey,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("openssl pkcs8 -topk8"), "{err}");
}

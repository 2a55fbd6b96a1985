use super::*;

#[test]
fn certificates_in_the_trust_directory_that_are_not_roots_are_named() {
    let dir = std::env::temp_dir().join(format!("ektp-station-trust-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let pki = ektp_pki::test_pki::generate_test_pki(&dir, std::time::SystemTime::now()).unwrap();
    let clean = TrustStore::load_dir(&pki.trust_dir).unwrap();
    assert!(rejected_warnings(&clean).is_empty());
    // A document signer's certificate copied into the trust directory.
    let (ds_cert, _) = pki.document_signers.first().unwrap();
    let planted = pki.trust_dir.join("ds.crt.pem");
    std::fs::copy(ds_cert, &planted).unwrap();
    let trust = TrustStore::load_dir(&pki.trust_dir).unwrap();
    let warnings = rejected_warnings(&trust);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let w = &warnings[0];
    assert!(
        w.starts_with(&format!("warning: ignored {}: ", planted.display())),
        "{w}"
    );
    assert!(w.contains("Document Signer 1"), "{w}");
    assert!(w.contains("cannot be a trusted root: "), "{w}");
    assert!(w.contains("not a CA certificate"), "{w}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn master_key_file_takes_64_hex_digits_and_comments() {
    let dir = std::env::temp_dir().join(format!("ektp-station-key-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.hex");
    ektp_fs::write_private(
        &good,
        format!("# batch 7\n{}\n", "0f".repeat(32)).as_bytes(),
    )
    .unwrap();
    assert_eq!(read_master_key(&good).unwrap().expose_bytes(), &[0x0f; 32]);
    let bad = dir.join("bad.hex");
    ektp_fs::write_private(&bad, b"0f0f").unwrap();
    let e = read_master_key(&bad).unwrap_err().error.to_string();
    assert!(e.contains("64 hex digits"), "{e}");
    assert!(!e.contains("0f0f"));
    let big = dir.join("big.hex");
    ektp_fs::write_private(&big, "0".repeat(10_000).as_bytes()).unwrap();
    assert!(read_master_key(&big).is_err());
    std::fs::remove_dir_all(dir).unwrap();
}

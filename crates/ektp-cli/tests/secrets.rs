//! Secrets at rest through the `ektp` binary, without a reader: `pki init` writes every key
//! 0600, and key files that group or others can read are refused before any card is touched.
//! (Nothing here talks to pcscd: each command fails or finishes before it looks for a reader.)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn ektp() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ektp"));
    c.env_remove("EKTP_CONFIG")
        .env_remove("EKTP_CAN")
        .env_remove("EKTP_LOG")
        // Were a command to reach for the reader, it would fail fast instead of using one.
        .env("PCSCLITE_CSOCK_NAME", "/nonexistent/pcscd.comm");
    c
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ektp-cli-secrets-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().mode() & 0o777
}

fn show(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn pki_init(dir: &Path) {
    let out = ektp()
        .args(["pki", "init"])
        .arg(dir.join("pki"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", show(&out));
}

#[test]
fn pki_init_keys_are_0600() {
    let dir = scratch("init");
    pki_init(&dir);
    let pki = dir.join("pki");
    for key in [
        "perso-master-TEST-ONLY.hex",
        "ID-CSCA-TEST-ONLY.key.pem",
        "ID-DS1-TEST-ONLY.key.pem",
        "ID-DS2-TEST-ONLY.key.pem",
    ] {
        assert_eq!(mode(&pki.join(key)), 0o600, "{key} is a private key");
    }
    // Certificates and the CRL are public.
    assert_eq!(
        mode(&pki.join("trust/ID-CSCA-TEST-ONLY.crt.pem")) & 0o044,
        0o044
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// Runs `ektp personalize` with the TEST PKI's station materials and `master_key` as the
/// master key file; it must fail before it looks for a reader.
fn personalize_with(dir: &Path, master_key: &Path, signer_key: &Path) -> Output {
    let pki = dir.join("pki");
    let app =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../cards/specimens/pria/application.json");
    ektp()
        .arg("personalize")
        .arg(app)
        .arg("--signer-key")
        .arg(signer_key)
        .arg("--signer-cert")
        .arg(pki.join("ID-DS1-TEST-ONLY.crt.pem"))
        .arg("--trust")
        .arg(pki.join("trust"))
        .arg("--master-key")
        .arg(master_key)
        .output()
        .unwrap()
}

#[test]
fn world_readable_master_key_is_refused() {
    let dir = scratch("master");
    pki_init(&dir);
    let pki = dir.join("pki");
    let master = pki.join("perso-master-TEST-ONLY.hex");
    let signer_key = pki.join("ID-DS1-TEST-ONLY.key.pem");
    std::fs::set_permissions(&master, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(&signer_key, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = personalize_with(&dir, &master, &signer_key);
    assert_eq!(out.status.code(), Some(4), "{}", show(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("chmod 600"), "{}", show(&out));
    assert!(err.contains("perso-master-TEST-ONLY.hex"), "{}", show(&out));
    assert!(
        !err.contains("pcscd"),
        "looked for a reader: {}",
        show(&out)
    );
    assert!(
        !err.contains(ektp_sm::perso::TEST_MASTER_KEY_HEX.trim()),
        "{}",
        show(&out)
    );

    // The document signer's key file likewise.
    std::fs::set_permissions(&master, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::set_permissions(&signer_key, std::fs::Permissions::from_mode(0o640)).unwrap();
    let out = personalize_with(&dir, &master, &signer_key);
    assert_eq!(out.status.code(), Some(4), "{}", show(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("chmod 600"), "{}", show(&out));
    assert!(err.contains("ID-DS1-TEST-ONLY.key.pem"), "{}", show(&out));
    std::fs::remove_dir_all(dir).unwrap();
}

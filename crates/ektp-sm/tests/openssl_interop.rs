//! Independent checks with the `openssl` command line tool: our EF.CardAccess / DG14
//! SecurityInfos parse as DER, the DG15 SubjectPublicKeyInfo is a P-256 key, the chip's
//! PKCS#8 loads, and an Active Authentication signature verifies with OpenSSL.

// Test helpers: a panic here is a test failure.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use std::path::PathBuf;
use std::process::Command;

use ektp_sm::aa::{AaHash, ChipAaKey};
use ektp_sm::card_access::{ActiveAuthenticationInfo, SecurityInfo, SecurityInfos};
use ektp_sm::{CipherSuite, DomainParameters, PaceParams};

struct TempDir(PathBuf);
impl TempDir {
    fn new(name: &str) -> Self {
        let p = std::env::temp_dir().join(format!("ektp-sm-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&p).unwrap();
        Self(p)
    }
    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn openssl(args: &[&str]) -> String {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("the openssl command line tool is required for this test");
    assert!(
        out.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn security_infos_parse_with_openssl() {
    let dir = TempDir::new("asn1");
    let mut infos = SecurityInfos::for_pace(&[
        PaceParams::EKTP_DEFAULT,
        PaceParams {
            domain: DomainParameters::BrainpoolP256r1,
            cipher: CipherSuite::Aes256,
        },
    ]);
    infos.0.push(SecurityInfo::ActiveAuthentication(
        ActiveAuthenticationInfo::ecdsa(AaHash::Sha256),
    ));
    let der = infos.to_der().unwrap();
    let f = dir.write("card_access.der", &der);
    let text = openssl(&["asn1parse", "-inform", "DER", "-in", f.to_str().unwrap()]);
    assert!(text.contains("SET"), "{text}");
    assert!(text.contains("0.4.0.127.0.7.2.2.4.2.2"), "{text}");
    assert!(text.contains("0.4.0.127.0.7.2.2.4.2.4"), "{text}");
    assert!(text.contains("2.23.136.1.1.5"), "{text}");
    assert!(text.contains("ecdsa-with-SHA256"), "{text}");
    assert!(text.contains(":0C"), "parameter ID 12: {text}");
    assert!(text.contains(":0D"), "parameter ID 13: {text}");
}

fn der_signature(plain: &[u8]) -> Vec<u8> {
    let int = |b: &[u8]| {
        let mut v: Vec<u8> = b.iter().copied().skip_while(|&x| x == 0).collect();
        if v.first().is_none_or(|&x| x & 0x80 != 0) {
            v.insert(0, 0);
        }
        let mut out = vec![0x02, v.len() as u8];
        out.extend(v);
        out
    };
    let mut body = int(&plain[..32]);
    body.extend(int(&plain[32..]));
    let mut out = vec![0x30, body.len() as u8];
    out.extend(body);
    out
}

#[test]
fn active_authentication_interoperates_with_openssl() {
    let dir = TempDir::new("aa");
    let key = ChipAaKey::generate().unwrap();
    let spki = dir.write("dg15_spki.der", &key.subject_public_key_info_der().unwrap());
    let text = openssl(&[
        "pkey",
        "-pubin",
        "-inform",
        "DER",
        "-in",
        spki.to_str().unwrap(),
        "-noout",
        "-text",
    ]);
    assert!(
        text.contains("prime256v1") || text.contains("P-256"),
        "{text}"
    );

    // TEST ONLY key material in a temporary directory, deleted on drop.
    let pkcs8 = dir.write("test_only_aa_key.der", &key.to_pkcs8_der());
    openssl(&[
        "pkey",
        "-inform",
        "DER",
        "-in",
        pkcs8.to_str().unwrap(),
        "-noout",
    ]);

    let challenge = [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88];
    let sig = key.sign_challenge(AaHash::Sha256, &challenge).unwrap();
    let msg = dir.write("challenge.bin", &challenge);
    let sig_file = dir.write("sig.der", &der_signature(&sig));
    let out = openssl(&[
        "dgst",
        "-sha256",
        "-verify",
        spki.to_str().unwrap(),
        "-keyform",
        "DER",
        "-signature",
        sig_file.to_str().unwrap(),
        msg.to_str().unwrap(),
    ]);
    assert!(out.contains("Verified OK"), "{out}");

    // And an OpenSSL signature (DER) verifies with our host-side check.
    let os_sig = dir.0.join("os_sig.der");
    openssl(&[
        "dgst",
        "-sha256",
        "-sign",
        pkcs8.to_str().unwrap(),
        "-keyform",
        "DER",
        "-out",
        os_sig.to_str().unwrap(),
        msg.to_str().unwrap(),
    ]);
    let os_sig = std::fs::read(os_sig).unwrap();
    ektp_sm::aa::verify_signature(
        &key.subject_public_key_info_der().unwrap(),
        AaHash::Sha256,
        &challenge,
        &os_sig,
    )
    .unwrap();
}

//! An independent BER parser (`openssl asn1parse`) accepts every encoded file.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

mod common;

use std::path::PathBuf;
use std::process::Command;

use ektp_lds::{Dg14, Dg15, LdsImage};

fn asn1parse(name: &str, bytes: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!(
        "ektp-lds-asn1parse-{}-{name}.der",
        std::process::id()
    ));
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new("openssl")
        .args(["asn1parse", "-inform", "DER", "-i", "-in"])
        .arg(&path)
        .output()
        .expect("openssl is installed");
    std::fs::remove_file(&path).ok();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{name}: {stderr}\n{stdout}");
    assert!(!stdout.contains("Error"), "{name}: {stdout}");
    stdout
}

#[test]
fn openssl_accepts_every_data_group() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../cards/specimens");
    for name in ["pria", "wna", "nama-panjang"] {
        let app = common::from_json_file(dir.join(name).join("application.json")).unwrap();
        let img = LdsImage::from_application(&app).unwrap();
        for (file, bytes) in img.files() {
            let out = asn1parse(&format!("{name}-{file}"), bytes);
            // The outer template is an application-class constructed object spanning the file.
            let first = out.lines().next().unwrap();
            assert!(
                first.contains("cons:") && first.contains("appl ["),
                "{file}: {first}"
            );
            assert!(
                first.contains(&format!("l={:>4}", bytes.len() - hl(bytes)))
                    || first.contains(&format!("l={}", bytes.len() - hl(bytes))),
                "{file}: {first}"
            );
        }
    }
    let infos = ektp_sm::card_access::SecurityInfos::from_der(
        &hex::decode("3111300F060A04007F00070202040202020102").unwrap(),
    )
    .unwrap();
    let dg14 = Dg14::new(infos).unwrap();
    asn1parse("dg14", dg14.as_bytes());
    let dg15 = Dg15::new(hex::decode("3010300906072A8648CE3D02010303000400").unwrap()).unwrap();
    asn1parse("dg15", dg15.as_bytes());
}

/// Header length of the outer TLV (one-byte tag).
fn hl(b: &[u8]) -> usize {
    match b[1] {
        n if n < 0x80 => 2,
        n => 2 + usize::from(n & 0x7F),
    }
}

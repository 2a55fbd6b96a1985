//! Shared fixtures for the host tests and benches (this crate's and `crates/ektp/tests`, which
//! include this file): a TEST ONLY PKI in memory, the specimen applications, blank chips with
//! the TEST ONLY personalization key.
#![allow(dead_code, clippy::unwrap_used, clippy::arithmetic_side_effects)]

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use ektp::{Application, TrustStore};
use ektp_chip::Chip;
use ektp_pki::RingSigner;
use ektp_pki::test_pki::{DocumentSignerSpec, TestCa, TestKey};

pub struct Pki {
    pub root: TestCa,
    pub signer: RingSigner,
    pub trust: TrustStore,
}

pub fn pki() -> Pki {
    let now = SystemTime::now();
    let day = Duration::from_secs(86_400);
    let root = TestCa::new(
        "ID",
        "Dukcapil",
        "CSCA e-KTP",
        &TestKey::EcdsaP256,
        now - day,
        now + day * 3650,
    )
    .unwrap();
    let ds = root
        .issue_document_signer(&DocumentSignerSpec::new(
            "DS station 1",
            TestKey::EcdsaP256,
            now,
        ))
        .unwrap();
    let crl = root.crl(&[], now - day, now + day * 30, 1).unwrap();
    let mut trust = TrustStore::new();
    trust.add_root_der(root.certificate_der()).unwrap();
    trust.add_crl_der(&crl).unwrap();
    Pki {
        signer: ds.signer().unwrap(),
        root,
        trust,
    }
}

/// `cards/specimens` of the workspace, found from whichever crate includes this file.
pub fn specimens_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|d| d.join("cards/specimens"))
        .find(|d| d.is_dir())
        .unwrap()
}

pub const VALID: [&str; 5] = ["pria", "wanita", "wna", "menikah-16", "nama-panjang"];

/// The specimen applications that validate, by name.
pub fn valid_specimens() -> Vec<(String, Application)> {
    VALID.iter().map(|n| (n.to_string(), specimen(n))).collect()
}

pub fn specimen(name: &str) -> Application {
    ektp::load_application(specimens_dir().join(name).join("application.json")).unwrap()
}

pub fn master_key() -> ektp_chip::os::MasterKey {
    ektp_chip::os::test_perso_master_key().unwrap()
}

pub fn blank_chip(serial_last: u8) -> Chip {
    Chip::new_blank(
        [0x45, 0x4B, 0x54, 0x50, 0, 0, 1, serial_last],
        &master_key(),
    )
    .unwrap()
}

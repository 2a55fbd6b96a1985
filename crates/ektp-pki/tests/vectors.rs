//! The OpenSSL-made vector in `tests/vectors/openssl` (see its SOURCE.md).

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use ektp_lds::DgNumber;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use der::Encode;
use ektp_pki::sod::{lds_security_object, wrap_ef_sod};
use ektp_pki::{
    CheckName, DigestAlgorithm, EfSod, Failure, SignatureAlgorithm, TrustStore,
    passive_authentication,
};

fn vector(name: &str) -> Vec<u8> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/openssl");
    std::fs::read(dir.join(name)).unwrap()
}

fn generated_at() -> SystemTime {
    let secs: u64 = String::from_utf8(vector("generated-at.txt"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
}

/// Data groups as (number, raw bytes).
type DataGroups = Vec<(u8, Vec<u8>)>;

fn setup() -> (Vec<u8>, DataGroups, TrustStore) {
    let ef_sod = wrap_ef_sod(&vector("sod-cms-TEST-ONLY.der")).unwrap();
    let dgs = vec![(1, vector("dg1.bin")), (2, vector("dg2.bin"))];
    let mut trust = TrustStore::new();
    trust.add_bytes(&vector("root-TEST-ONLY.pem")).unwrap();
    trust.add_bytes(&vector("crl-TEST-ONLY.pem")).unwrap();
    (ef_sod, dgs, trust)
}

fn pairs(dgs: &[(u8, Vec<u8>)]) -> Vec<(DgNumber, &[u8])> {
    dgs.iter()
        .map(|(n, b)| (DgNumber::new(*n).unwrap(), b.as_slice()))
        .collect()
}

#[test]
fn openssl_vector_passes_while_valid() {
    let (ef_sod, dgs, trust) = setup();
    let at = generated_at() + Duration::from_secs(3600);
    let report = passive_authentication(&ef_sod, &pairs(&dgs), &trust, at);
    assert!(
        report.passed(),
        "{:?}",
        report.failures().collect::<Vec<_>>()
    );
    assert_eq!(
        report.signer.as_ref().unwrap().algorithm,
        Some(SignatureAlgorithm::EcdsaSha256)
    );
    assert_eq!(report.signer.unwrap().serial, "1001");
    assert!(report.root.unwrap().contains("CSCA Vector TEST ONLY"));
}

#[test]
fn openssl_vector_fails_after_the_signer_expires() {
    let (ef_sod, dgs, trust) = setup();
    let at = generated_at() + Duration::from_secs(11 * 366 * 86_400);
    let report = passive_authentication(&ef_sod, &pairs(&dgs), &trust, at);
    assert!(matches!(
        report.check(CheckName::SignerValidity).unwrap().failure(),
        Some(Failure::Expired { .. })
    ));
    assert!(matches!(
        report.check(CheckName::Revocation).unwrap().failure(),
        Some(Failure::CrlExpired { .. })
    ));
    assert!(report.check(CheckName::RootValidity).unwrap().passed());
}

#[test]
fn our_lds_security_object_encoding_equals_openssl_genconf() {
    let (ef_sod, dgs, _) = setup();
    let sod = EfSod::from_bytes(&ef_sod).unwrap();
    let ours = lds_security_object(&pairs(&dgs), DigestAlgorithm::Sha256)
        .unwrap()
        .to_der()
        .unwrap();
    assert_eq!(sod.e_content(), ours.as_slice());
    assert_eq!(
        sod.content_info_der(),
        vector("sod-cms-TEST-ONLY.der").as_slice()
    );
}

//! Attacks on the trust store and on certificate processing (issue 12, items 6 and 7): each
//! test builds the attack and shows Passive Authentication refuses it for its own reason.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic
)]

use std::time::{Duration, SystemTime};

use ektp_lds::DgNumber;
use ektp_pki::test_pki::{DocumentSignerSpec, TestCa, TestDocumentSigner, TestKey};
use ektp_pki::{
    AnchorProblem, CheckName, Failure, PaReport, PkiError, SodOptions, TrustAnchor, TrustStore,
    passive_authentication, sign_ef_sod,
};

const DAY: Duration = Duration::from_secs(86_400);

fn now() -> SystemTime {
    SystemTime::now()
}

fn root() -> TestCa {
    TestCa::new(
        "ID",
        "Dukcapil",
        "CSCA Indonesia",
        &TestKey::EcdsaP384,
        now() - 10 * DAY,
        now() + 5000 * DAY,
    )
    .unwrap()
}

fn ds(ca: &TestCa, f: impl FnOnce(&mut DocumentSignerSpec)) -> TestDocumentSigner {
    let mut spec = DocumentSignerSpec::new("Document Signer", TestKey::EcdsaP256, now());
    f(&mut spec);
    ca.issue_document_signer(&spec).unwrap()
}

fn dgs() -> Vec<(DgNumber, Vec<u8>)> {
    vec![
        (DgNumber::DG1, b"\x61\x05\x5F\x1F\x02ID".to_vec()),
        (DgNumber::DG2, (0..=255u8).cycle().take(500).collect()),
    ]
}

fn pa(sod: &[u8], trust: &TrustStore) -> PaReport {
    let dgs = dgs();
    let pairs: Vec<(DgNumber, &[u8])> = dgs.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    passive_authentication(sod, &pairs, trust, now())
}

fn sod_by(key_der: &[u8], cert_der: &[u8]) -> Vec<u8> {
    let signer = ektp_pki::RingSigner::new(
        &ektp_pki::Pkcs8Key::from_der(key_der.to_vec()).unwrap(),
        cert_der.to_vec(),
    )
    .unwrap();
    let dgs = dgs();
    let pairs: Vec<(DgNumber, &[u8])> = dgs.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    sign_ef_sod(&pairs, &signer, &SodOptions::new(now())).unwrap()
}

fn failures(report: &PaReport) -> Vec<(CheckName, Failure)> {
    report.failures().map(|(n, f)| (n, f.clone())).collect()
}

/// Item 6: a document signer's certificate dropped into the trust directory, with a CRL its
/// key signed, must not let that key mint new document signers.
#[test]
fn ds_certificate_in_the_trust_store_cannot_mint_signers() {
    let ca = root();
    let genuine = ds(&ca, |_| {});
    // The attacker's signer, issued with the document signer's key, and a CRL it signed.
    let (minted, minted_crl) = genuine
        .mint_signer_and_crl(&DocumentSignerSpec::new(
            "Minted Signer",
            TestKey::EcdsaP256,
            now(),
        ))
        .unwrap();

    // The trust directory as the attacker leaves it.
    let dir = std::env::temp_dir().join(format!("ektp-trust-mint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("root.pem"), ca.certificate_pem()).unwrap();
    let root_crl = ca.crl(&[], now() - DAY, now() + 30 * DAY, 1).unwrap();
    std::fs::write(dir.join("root.crl"), &root_crl).unwrap();
    std::fs::write(dir.join("ds.pem"), genuine.certificate_pem()).unwrap();
    std::fs::write(dir.join("ds.crl"), &minted_crl).unwrap();
    let trust = TrustStore::load_dir(&dir).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();

    assert_eq!(trust.roots().len(), 1, "only the CSCA is an anchor");
    let rejected = trust.rejected();
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].problem, AnchorProblem::NotCa);
    assert!(rejected[0].path.as_ref().unwrap().ends_with("ds.pem"));

    let sod = sod_by(minted.key().as_der(), minted.certificate_der());
    let report = pa(&sod, &trust);
    assert!(!report.passed(), "a DS-minted signer passed: {report}");
    let f = failures(&report);
    assert!(
        f.iter().any(|(n, f)| *n == CheckName::IssuerTrusted
            && matches!(
                f,
                Failure::IssuerNotTrustAnchor {
                    problem: AnchorProblem::NotCa,
                    ..
                }
            )),
        "{f:?}"
    );
    // The genuine card still verifies against the same directory.
    let good = sod_by(genuine.key().as_der(), genuine.certificate_der());
    assert!(pa(&good, &trust).passed(), "{}", pa(&good, &trust));
}

/// Item 6: only a self-signed CA certificate with keyCertSign and cRLSign is an anchor.
#[test]
fn non_root_certificates_are_not_trust_anchors() {
    let ca = root();
    let genuine = ds(&ca, |_| {});
    let err = TrustAnchor::from_der(genuine.certificate_der()).unwrap_err();
    assert!(
        matches!(
            &err,
            PkiError::NotTrustAnchor {
                problem: AnchorProblem::NotCa,
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("does not belong in the trust store"),
        "{err}"
    );
    // A CA certificate issued by the root (not self-signed) is not an anchor either.
    let sub_ca = ds(&ca, |s| s.ca = true);
    let err = TrustAnchor::from_der(sub_ca.certificate_der()).unwrap_err();
    assert!(
        matches!(
            &err,
            PkiError::NotTrustAnchor {
                problem: AnchorProblem::NotSelfSigned,
                ..
            }
        ),
        "{err}"
    );
    // A trust directory holding only a document signer says why it is unusable.
    let dir = std::env::temp_dir().join(format!("ektp-trust-only-ds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("ds.pem"), genuine.certificate_pem()).unwrap();
    let err = TrustStore::load_dir(&dir).unwrap_err();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        err.to_string().contains("cannot be a trusted root"),
        "{err}"
    );
    // The genuine root is one.
    assert!(TrustAnchor::from_der(ca.certificate_der()).is_ok());
}

/// Item 6: a document signer certificate with basicConstraints cA = TRUE is refused.
#[test]
fn ds_certificate_claiming_ca_is_refused() {
    let ca = root();
    let signer = ds(&ca, |s| s.ca = true);
    let mut trust = TrustStore::new();
    trust.add_root_der(ca.certificate_der()).unwrap();
    trust
        .add_crl_der(&ca.crl(&[], now() - DAY, now() + 30 * DAY, 1).unwrap())
        .unwrap();
    let report = pa(
        &sod_by(signer.key().as_der(), signer.certificate_der()),
        &trust,
    );
    assert_eq!(
        failures(&report),
        vec![(CheckName::SignerProfile, Failure::SignerIsCa)],
        "{report}"
    );
}

/// Item 7: a document signer certificate with a critical extension nobody understands.
#[test]
fn ds_certificate_with_unknown_critical_extension_is_refused() {
    let ca = root();
    let signer = ds(&ca, |s| {
        s.critical_extension = Some(vec![1, 3, 6, 1, 4, 1, 99999, 7])
    });
    let mut trust = TrustStore::new();
    trust.add_root_der(ca.certificate_der()).unwrap();
    trust
        .add_crl_der(&ca.crl(&[], now() - DAY, now() + 30 * DAY, 1).unwrap())
        .unwrap();
    let report = pa(
        &sod_by(signer.key().as_der(), signer.certificate_der()),
        &trust,
    );
    assert_eq!(
        failures(&report),
        vec![(
            CheckName::SignerProfile,
            Failure::UnknownCriticalExtension {
                oid: "1.3.6.1.4.1.99999.7".to_owned()
            }
        )],
        "{report}"
    );
}

/// Item 7: a root-signed delta CRL (newer, listing nothing) must not override the base CRL
/// that revokes the document signer.
#[test]
fn delta_crl_cannot_override_a_base_crl_that_revokes_the_signer() {
    let ca = root();
    let signer = ds(&ca, |_| {});
    let serial = signer.serial().unwrap();
    let base = ca
        .crl(&[&serial], now() - 2 * DAY, now() + 30 * DAY, 1)
        .unwrap();
    let delta = ca
        .delta_crl(&[], now() - DAY, now() + 30 * DAY, 2, 1)
        .unwrap();
    let mut trust = TrustStore::new();
    trust.add_root_der(ca.certificate_der()).unwrap();
    trust.add_crl_der(&base).unwrap();
    trust.add_crl_der(&delta).unwrap();
    assert_eq!(
        trust.crls()[1].unknown_critical_extension(),
        Some("2.5.29.27")
    );

    let report = pa(
        &sod_by(signer.key().as_der(), signer.certificate_der()),
        &trust,
    );
    let f = failures(&report);
    assert_eq!(f.len(), 1, "{report}");
    assert_eq!(f[0].0, CheckName::Revocation);
    assert!(matches!(f[0].1, Failure::Revoked { .. }), "{report}");

    // With only the delta CRL, revocation cannot be decided: fail closed, saying why.
    let mut only_delta = TrustStore::new();
    only_delta.add_root_der(ca.certificate_der()).unwrap();
    only_delta.add_crl_der(&delta).unwrap();
    let report = pa(
        &sod_by(signer.key().as_der(), signer.certificate_der()),
        &only_delta,
    );
    assert_eq!(
        failures(&report),
        vec![(
            CheckName::Revocation,
            Failure::CrlUnknownCriticalExtension {
                oid: "2.5.29.27".to_owned()
            }
        )],
        "{report}"
    );
}

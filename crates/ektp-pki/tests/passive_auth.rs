//! Passive Authentication: a valid card passes; every forgery in the issue's matrix fails
//! with its own specific reason and nothing else.

// This whole crate is a test: helpers outside #[test] fns may unwrap, index and add too.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic
)]

use ektp_lds::DgNumber;
use std::time::{Duration, SystemTime};

use der::{Decode, Encode};
use ektp_pki::cms::ContentInfo;
use ektp_pki::sod::{DataGroupHash, LdsSecurityObject, wrap_ef_sod};
use ektp_pki::test_pki::{DocumentSignerSpec, TestCa, TestDocumentSigner, TestKey};
use ektp_pki::{
    CheckName, DigestAlgorithm, EfSod, Failure, PaReport, SodOptions, TrustStore,
    passive_authentication, sign_ef_sod,
};

const DAY: Duration = Duration::from_secs(86_400);

fn now() -> SystemTime {
    SystemTime::now()
}

fn root(name: &str) -> TestCa {
    TestCa::new(
        "ID",
        "Dukcapil",
        name,
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

fn current_crl(ca: &TestCa, revoked: &[&[u8]]) -> Vec<u8> {
    ca.crl(revoked, now() - DAY, now() + 30 * DAY, 1).unwrap()
}

fn store(ca: &TestCa, crl: Option<&[u8]>) -> TrustStore {
    let mut s = TrustStore::new();
    s.add_root_der(ca.certificate_der()).unwrap();
    if let Some(crl) = crl {
        s.add_crl_der(crl).unwrap();
    }
    s
}

/// Synthetic data groups (no real person).
fn card() -> Vec<(u8, Vec<u8>)> {
    vec![
        (1, b"\x61\x5B\x5F\x1F\x58IDIDNSPECIMEN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<".to_vec()),
        (2, (0..=255u8).cycle().take(3000).collect()),
        (11, b"\x6B\x10\x5F\x10\x0D3171234567890".to_vec()),
        (13, b"\x6D\x05\x04\x03KTP".to_vec()),
    ]
}

fn pairs(dgs: &[(u8, Vec<u8>)]) -> Vec<(DgNumber, &[u8])> {
    dgs.iter()
        .map(|(n, b)| (DgNumber::new(*n).unwrap(), b.as_slice()))
        .collect()
}

fn sign(signer: &TestDocumentSigner, dgs: &[(u8, Vec<u8>)]) -> Vec<u8> {
    sign_at(signer, dgs, now())
}

fn sign_at(signer: &TestDocumentSigner, dgs: &[(u8, Vec<u8>)], at: SystemTime) -> Vec<u8> {
    sign_ef_sod(&pairs(dgs), &signer.signer().unwrap(), &SodOptions::new(at)).unwrap()
}

/// Asserts the report failed with exactly one failing check, `name`, for which `is` holds.
fn assert_only(report: &PaReport, name: CheckName, is: impl Fn(&Failure) -> bool) {
    assert!(!report.passed(), "forgery passed: {report:#?}");
    assert!(!report.passed);
    let failures: Vec<_> = report.failures().collect();
    assert_eq!(
        failures.len(),
        1,
        "expected only {name:?} to fail: {failures:#?}"
    );
    let (n, f) = failures[0];
    assert_eq!(n, name, "{f}");
    assert!(is(f), "unexpected reason for {name:?}: {f:?}");
}

struct Fixture {
    ca: TestCa,
    ds: TestDocumentSigner,
    trust: TrustStore,
    dgs: Vec<(u8, Vec<u8>)>,
    sod: Vec<u8>,
}

fn fixture() -> Fixture {
    let ca = root("CSCA Indonesia");
    let ds = ds(&ca, |_| {});
    let trust = store(&ca, Some(&current_crl(&ca, &[])));
    let dgs = card();
    let sod = sign(&ds, &dgs);
    Fixture {
        ca,
        ds,
        trust,
        dgs,
        sod,
    }
}

#[test]
fn valid_card_passes_every_check() {
    let f = fixture();
    let report = passive_authentication(&f.sod, &pairs(&f.dgs), &f.trust, now());
    assert!(report.passed(), "{report:#?}");
    assert!(report.passed);
    for name in [
        CheckName::SodStructure,
        CheckName::SignerCertificate,
        CheckName::ContentType,
        CheckName::MessageDigest,
        CheckName::SodSignature,
        CheckName::IssuerTrusted,
        CheckName::SignerValidity,
        CheckName::RootValidity,
        CheckName::SignerKeyUsage,
        CheckName::IssuerCountry,
        CheckName::Revocation,
        CheckName::DataGroupsRead,
    ] {
        assert!(report.check(name).is_some_and(|c| c.passed()), "{name:?}");
    }
    for (n, _) in &f.dgs {
        let dg = DgNumber::new(*n).unwrap();
        assert!(report.check(CheckName::DataGroupHash(dg)).unwrap().passed());
    }
    assert!(report.not_read.is_empty());
    let signer = report.signer.as_ref().unwrap();
    assert!(signer.subject.contains("TEST ONLY"));
    assert!(report.root.as_ref().unwrap().contains("CSCA Indonesia"));
}

#[test]
fn sha384_data_group_hashes_with_a_p384_signer_pass() {
    let f = fixture();
    let ds = ds(&f.ca, |s| s.key = TestKey::EcdsaP384);
    let options = SodOptions {
        data_group_digest: DigestAlgorithm::Sha384,
        signing_time: now(),
    };
    let sod = sign_ef_sod(&pairs(&f.dgs), &ds.signer().unwrap(), &options).unwrap();
    let parsed = EfSod::from_bytes(&sod).unwrap();
    assert_eq!(parsed.data_group_digest(), DigestAlgorithm::Sha384);
    assert!(parsed.signed_attributes().signing_time.is_some());
    let report = passive_authentication(&sod, &pairs(&f.dgs), &f.trust, now());
    assert!(report.passed(), "{report:#?}");
}

#[test]
fn one_byte_changed_in_any_data_group_fails_that_hash() {
    let f = fixture();
    for i in 0..f.dgs.len() {
        for pos in [0, f.dgs[i].1.len() / 2, f.dgs[i].1.len() - 1] {
            let mut dgs = f.dgs.clone();
            dgs[i].1[pos] ^= 0x01;
            let report = passive_authentication(&f.sod, &pairs(&dgs), &f.trust, now());
            let dg = DgNumber::new(dgs[i].0).unwrap();
            assert_only(&report, CheckName::DataGroupHash(dg), |e| {
                *e == Failure::HashMismatch { dg }
            });
        }
    }
}

#[test]
fn data_group_on_card_but_missing_from_sod_fails() {
    let f = fixture();
    let sod = sign(&f.ds, &f.dgs[..2]);
    let report = passive_authentication(&sod, &pairs(&f.dgs), &f.trust, now());
    assert!(!report.passed());
    let failures: Vec<_> = report.failures().collect();
    assert_eq!(failures.len(), 2, "{failures:#?}");
    for (name, fail) in failures {
        let CheckName::DataGroupHash(dg) = name else {
            panic!("{name:?}")
        };
        assert!([11, 13].contains(&dg.value()));
        assert_eq!(*fail, Failure::NotInSod { dg });
    }
}

#[test]
fn data_group_in_sod_but_not_read_is_reported_not_failed() {
    let f = fixture();
    let report = passive_authentication(&f.sod, &pairs(&f.dgs[..1]), &f.trust, now());
    assert!(report.passed(), "{report:#?}");
    let not_read: Vec<u8> = report.not_read.iter().map(|d| d.value()).collect();
    assert_eq!(not_read, vec![2, 11, 13]);
}

#[test]
fn sod_signed_under_an_untrusted_root_fails() {
    let f = fixture();
    let rogue = root("Rogue CSCA");
    let sod = sign(&ds(&rogue, |_| {}), &f.dgs);
    let report = passive_authentication(&sod, &pairs(&f.dgs), &f.trust, now());
    assert!(!report.passed());
    assert!(matches!(
        report.check(CheckName::IssuerTrusted).unwrap().failure(),
        Some(Failure::UnknownIssuer { issuer }) if issuer.contains("Rogue CSCA")
    ));
    // Checks that need the root are not made; every other check passes.
    for (name, fail) in report.failures() {
        match name {
            CheckName::IssuerTrusted => {}
            CheckName::RootValidity | CheckName::IssuerCountry | CheckName::Revocation => {
                assert_eq!(
                    *fail,
                    Failure::NotChecked {
                        because: CheckName::IssuerTrusted
                    }
                )
            }
            other => panic!("{other:?} failed: {fail}"),
        }
    }
}

#[test]
fn sod_signed_under_a_rogue_root_with_the_trusted_name_fails() {
    let f = fixture();
    let rogue = root("CSCA Indonesia");
    assert_ne!(rogue.certificate_der(), f.ca.certificate_der());
    let sod = sign(&ds(&rogue, |_| {}), &f.dgs);
    let report = passive_authentication(&sod, &pairs(&f.dgs), &f.trust, now());
    assert!(matches!(
        report.check(CheckName::IssuerTrusted).unwrap().failure(),
        Some(Failure::CertificateSignatureInvalid(_))
    ));
    assert_eq!(report.failures().count(), 4);
}

#[test]
fn expired_document_signer_fails() {
    let f = fixture();
    let old = ds(&f.ca, |s| {
        s.not_before = now() - 9 * DAY;
        s.not_after = now() - DAY;
    });
    // Signed while the certificate was valid, checked after it expired.
    let sod = sign_at(&old, &f.dgs, now() - 5 * DAY);
    let report = passive_authentication(&sod, &pairs(&f.dgs), &f.trust, now());
    assert_only(&report, CheckName::SignerValidity, |e| {
        matches!(e, Failure::Expired { .. })
    });
    // A printing station cannot sign with it now.
    assert!(matches!(
        sign_ef_sod(
            &pairs(&f.dgs),
            &old.signer().unwrap(),
            &SodOptions::new(now())
        ),
        Err(ektp_pki::PkiError::SignerCertificateNotValid { .. })
    ));
}

#[test]
fn document_signer_not_yet_valid_fails() {
    let f = fixture();
    let early = ds(&f.ca, |s| s.not_before = now() + DAY);
    let sod = sign_at(&early, &f.dgs, now() + 2 * DAY);
    let report = passive_authentication(&sod, &pairs(&f.dgs), &f.trust, now());
    assert_only(&report, CheckName::SignerValidity, |e| {
        matches!(e, Failure::NotYetValid { .. })
    });
}

#[test]
fn revoked_document_signer_fails() {
    let f = fixture();
    let serial = f.ds.serial().unwrap();
    let trust = store(&f.ca, Some(&current_crl(&f.ca, &[&serial])));
    let report = passive_authentication(&f.sod, &pairs(&f.dgs), &trust, now());
    assert_only(&report, CheckName::Revocation, |e| {
        matches!(e, Failure::Revoked { .. })
    });
    // A CRL revoking someone else does not affect this signer.
    let other = ds(&f.ca, |_| {}).serial().unwrap();
    let trust = store(&f.ca, Some(&current_crl(&f.ca, &[&other])));
    assert!(passive_authentication(&f.sod, &pairs(&f.dgs), &trust, now()).passed());
}

#[test]
fn crl_not_signed_by_the_root_fails() {
    let f = fixture();
    let impostor = root("CSCA Indonesia");
    let trust = store(&f.ca, Some(&current_crl(&impostor, &[])));
    let report = passive_authentication(&f.sod, &pairs(&f.dgs), &trust, now());
    assert_only(&report, CheckName::Revocation, |e| {
        *e == Failure::CrlSignatureInvalid
    });
}

#[test]
fn crl_added_before_its_root_is_still_checked() {
    let f = fixture();
    let mut trust = TrustStore::new();
    trust.add_crl_der(&current_crl(&f.ca, &[])).unwrap();
    trust.add_root_der(f.ca.certificate_der()).unwrap();
    assert!(passive_authentication(&f.sod, &pairs(&f.dgs), &trust, now()).passed());
    let impostor = root("CSCA Indonesia");
    let mut trust = TrustStore::new();
    trust.add_crl_der(&current_crl(&impostor, &[])).unwrap();
    trust.add_root_der(f.ca.certificate_der()).unwrap();
    let report = passive_authentication(&f.sod, &pairs(&f.dgs), &trust, now());
    assert_only(&report, CheckName::Revocation, |e| {
        *e == Failure::CrlSignatureInvalid
    });
}

#[test]
fn crl_past_next_update_fails() {
    let f = fixture();
    let stale = f.ca.crl(&[], now() - 40 * DAY, now() - DAY, 1).unwrap();
    let trust = store(&f.ca, Some(&stale));
    let report = passive_authentication(&f.sod, &pairs(&f.dgs), &trust, now());
    assert_only(&report, CheckName::Revocation, |e| {
        matches!(e, Failure::CrlExpired { .. })
    });
}

#[test]
fn missing_crl_fails() {
    let f = fixture();
    let report = passive_authentication(&f.sod, &pairs(&f.dgs), &store(&f.ca, None), now());
    assert_only(&report, CheckName::Revocation, |e| *e == Failure::NoCrl);
}

#[test]
fn genuine_current_crl_wins_over_a_forged_one() {
    let f = fixture();
    let impostor = root("CSCA Indonesia");
    let mut trust = store(&f.ca, Some(&current_crl(&f.ca, &[])));
    trust
        .add_crl_der(
            &impostor
                .crl(&[], now() - Duration::from_secs(60), now() + DAY, 9)
                .unwrap(),
        )
        .unwrap();
    assert!(passive_authentication(&f.sod, &pairs(&f.dgs), &trust, now()).passed());
}

/// Replaces the eContent of a signed EF.SOD, keeping the SignerInfo (and its signature).
fn swap_e_content(sod: &[u8], lds: &LdsSecurityObject) -> Vec<u8> {
    let parsed = EfSod::from_bytes(sod).unwrap();
    let mut sd = parsed.signed_data().clone();
    sd.encap_content_info.e_content =
        Some(der::asn1::OctetString::new(lds.to_der().unwrap()).unwrap());
    let ci = ContentInfo {
        content_type: ContentInfo::from_der(parsed.content_info_der())
            .unwrap()
            .content_type,
        content: der::asn1::Any::encode_from(&sd).unwrap(),
    };
    wrap_ef_sod(&ci.to_der().unwrap()).unwrap()
}

#[test]
fn signed_message_digest_not_matching_the_content_fails() {
    let f = fixture();
    // The signer signed an LDS Security Object that also lists DG15; the attacker swaps in
    // one matching the card exactly. The signature over the attributes is intact.
    let mut signed_dgs = f.dgs.clone();
    signed_dgs.push((15, b"\x6F\x03\x01\x02\x03".to_vec()));
    let signed = sign(&f.ds, &signed_dgs);
    let honest =
        ektp_pki::sod::lds_security_object(&pairs(&f.dgs), DigestAlgorithm::Sha256).unwrap();
    let forged = swap_e_content(&signed, &honest);
    let report = passive_authentication(&forged, &pairs(&f.dgs), &f.trust, now());
    assert_only(&report, CheckName::MessageDigest, |e| {
        *e == Failure::MessageDigestMismatch
    });
}

#[test]
fn altered_hash_in_lds_security_object_fails_digest_and_hash() {
    let f = fixture();
    let mut lds = EfSod::from_bytes(&f.sod)
        .unwrap()
        .lds_security_object()
        .clone();
    lds.data_group_hash_values[0] = DataGroupHash {
        data_group_number: 1,
        data_group_hash_value: der::asn1::OctetString::new(vec![0u8; 32]).unwrap(),
    };
    let forged = swap_e_content(&f.sod, &lds);
    let report = passive_authentication(&forged, &pairs(&f.dgs), &f.trust, now());
    let names: Vec<_> = report.failures().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        vec![
            CheckName::MessageDigest,
            CheckName::DataGroupHash(DgNumber::new(1).unwrap())
        ]
    );
}

#[test]
fn document_signer_country_differing_from_root_fails() {
    let f = fixture();
    let foreign = ds(&f.ca, |s| s.country = "MY".into());
    let report = passive_authentication(&sign(&foreign, &f.dgs), &pairs(&f.dgs), &f.trust, now());
    assert_only(&report, CheckName::IssuerCountry, |e| {
        *e == Failure::CountryMismatch {
            root: Some("ID".into()),
            signer: Some("MY".into()),
        }
    });
}

#[test]
fn document_signer_without_digital_signature_key_usage_fails() {
    let f = fixture();
    let bad = ds(&f.ca, |s| s.digital_signature = false);
    let report = passive_authentication(&sign(&bad, &f.dgs), &pairs(&f.dgs), &f.trust, now());
    assert_only(&report, CheckName::SignerKeyUsage, |e| {
        *e == Failure::KeyUsageWithoutDigitalSignature
    });
}

#[test]
fn tampered_signature_fails() {
    let f = fixture();
    let parsed = EfSod::from_bytes(&f.sod).unwrap();
    let sig = parsed.signer_info().signature.as_bytes().to_vec();
    let at = f
        .sod
        .windows(sig.len())
        .position(|w| w == sig.as_slice())
        .unwrap();
    let mut forged = f.sod.clone();
    forged[at + sig.len() - 3] ^= 0x40;
    let report = passive_authentication(&forged, &pairs(&f.dgs), &f.trust, now());
    assert_only(&report, CheckName::SodSignature, |e| {
        matches!(e, Failure::SignatureInvalid(_))
    });
}

#[test]
fn expired_root_fails_root_validity() {
    let f = fixture();
    let later = now() + 6000 * DAY;
    let report = passive_authentication(&f.sod, &pairs(&f.dgs), &f.trust, later);
    let names: Vec<_> = report.failures().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        vec![
            CheckName::SignerValidity,
            CheckName::RootValidity,
            CheckName::Revocation
        ]
    );
}

#[test]
fn malformed_or_truncated_sod_fails_structure_only() {
    let f = fixture();
    for cut in [0, 1, 2, 10, f.sod.len() / 2, f.sod.len() - 1] {
        let report = passive_authentication(&f.sod[..cut], &pairs(&f.dgs), &f.trust, now());
        assert!(!report.passed());
        assert_eq!(report.checks.len(), 1);
        assert!(matches!(
            report.checks[0].failure(),
            Some(Failure::Malformed { .. })
        ));
    }
    let mut trailing = f.sod.clone();
    trailing.push(0);
    assert!(!passive_authentication(&trailing, &pairs(&f.dgs), &f.trust, now()).passed());
}

#[test]
fn bad_data_group_input_is_reported() {
    let f = fixture();
    let report = passive_authentication(&f.sod, &[], &f.trust, now());
    assert_only(&report, CheckName::DataGroupsRead, |e| {
        *e == Failure::NoDataGroupsRead
    });
    let mut dgs = pairs(&f.dgs);
    dgs.push((DgNumber::DG1, b"x"));
    let report = passive_authentication(&f.sod, &dgs, &f.trust, now());
    assert_only(&report, CheckName::DataGroupsRead, |e| {
        *e == Failure::DuplicateDataGroup { dg: DgNumber::DG1 }
    });
    // A number outside 1..=16 cannot even be passed: `DgNumber` refuses it.
    assert!(DgNumber::new(17).is_none());
}

#[test]
fn report_serializes_to_json_with_codes_and_messages() {
    let f = fixture();
    let mut dgs = f.dgs.clone();
    dgs[0].1[3] ^= 1;
    let report = passive_authentication(&f.sod, &pairs(&dgs), &f.trust, now());
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["passed"], false);
    let failed: Vec<_> = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["passed"] == false)
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["check"], "data_group_hash");
    assert_eq!(failed[0]["dg"], 1);
    assert_eq!(failed[0]["reason"]["code"], "hash_mismatch");
    assert!(
        failed[0]["reason"]["message"]
            .as_str()
            .unwrap()
            .contains("DG1")
    );
    let text = report.to_string();
    assert!(text.contains("FAIL  DG1 hash: DG1 differs"), "{text}");
    assert!(text.contains("PASS  EF.SOD signature"), "{text}");
    assert!(text.ends_with("Passive Authentication FAILED"), "{text}");
    let first = &json["checks"][0];
    assert_eq!(first["check"], "sod_structure");
    assert_eq!(first["passed"], true);
    assert!(first["reason"].is_null());
}

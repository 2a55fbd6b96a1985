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
use rcgen::{
    CertificateParams, CertificateRevocationListParams, DistinguishedName, DnType, DnValue, Issuer,
    KeyIdMethod, KeyPair, KeyUsagePurpose, SerialNumber,
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

/// The subject test_pki gives a document signer (same string types, so the same DER).
fn ds_subject() -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(
        DnType::CountryName,
        DnValue::PrintableString("ID".try_into().unwrap()),
    );
    dn.push(DnType::OrganizationName, "Dukcapil TEST ONLY");
    dn.push(DnType::CommonName, "Document Signer TEST ONLY");
    dn
}

/// Item 6: a document signer's certificate dropped into the trust directory, with a CRL its
/// key signed, must not let that key mint new document signers.
#[test]
fn ds_certificate_in_the_trust_store_cannot_mint_signers() {
    let ca = root();
    let genuine = ds(&ca, |_| {});
    let ds_key = KeyPair::try_from(genuine.key().as_der()).unwrap();
    let mut ds_params = CertificateParams::default();
    ds_params.distinguished_name = ds_subject();
    let ds_as_issuer = Issuer::new(ds_params, &ds_key);

    // The attacker's signer, issued by the document signer's key.
    let minted_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut minted = CertificateParams::default();
    minted.distinguished_name = {
        let mut dn = DistinguishedName::new();
        dn.push(
            DnType::CountryName,
            DnValue::PrintableString("ID".try_into().unwrap()),
        );
        dn.push(DnType::CommonName, "Minted Signer");
        dn
    };
    minted.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    minted.not_before = (now() - DAY).into();
    minted.not_after = (now() + 100 * DAY).into();
    let minted_cert = minted.signed_by(&minted_key, &ds_as_issuer).unwrap();
    let minted_crl = CertificateRevocationListParams {
        this_update: (now() - DAY).into(),
        next_update: (now() + 30 * DAY).into(),
        crl_number: SerialNumber::from(1u64),
        issuing_distribution_point: None,
        revoked_certs: Vec::new(),
        key_identifier_method: KeyIdMethod::Sha256,
    }
    .signed_by(&ds_as_issuer)
    .unwrap();

    // The trust directory as the attacker leaves it.
    let dir = std::env::temp_dir().join(format!("ektp-trust-mint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("root.pem"), ca.certificate_pem()).unwrap();
    let root_crl = ca.crl(&[], now() - DAY, now() + 30 * DAY, 1).unwrap();
    std::fs::write(dir.join("root.crl"), &root_crl).unwrap();
    std::fs::write(dir.join("ds.pem"), genuine.certificate_pem()).unwrap();
    std::fs::write(dir.join("ds.crl"), minted_crl.der()).unwrap();
    let trust = TrustStore::load_dir(&dir).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();

    assert_eq!(trust.roots().len(), 1, "only the CSCA is an anchor");
    let rejected = trust.rejected();
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].problem, AnchorProblem::NotCa);
    assert!(rejected[0].path.as_ref().unwrap().ends_with("ds.pem"));

    let sod = sod_by(&minted_key.serialize_der(), minted_cert.der());
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

// --- a delta CRL, built by hand: rcgen cannot add a deltaCRLIndicator ----------------------

/// (tag, header length, content length) of the DER element at the start of `d`.
fn header(d: &[u8]) -> (u8, usize, usize) {
    let first = d[1];
    if first < 0x80 {
        return (d[0], 2, usize::from(first));
    }
    let n = usize::from(first & 0x7F);
    let len = d[2..2 + n]
        .iter()
        .fold(0usize, |a, b| (a << 8) | usize::from(*b));
    (d[0], 2 + n, len)
}

/// The elements inside a constructed DER element.
fn children(d: &[u8]) -> Vec<Vec<u8>> {
    let (_, h, len) = header(d);
    let mut rest = &d[h..h + len];
    let mut out = Vec::new();
    while !rest.is_empty() {
        let (_, h, len) = header(rest);
        out.push(rest[..h + len].to_vec());
        rest = &rest[h + len..];
    }
    out
}

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

/// `crl` (signed by `ca`, P-384) with a critical deltaCRLIndicator added, re-signed.
fn as_delta_crl(crl: &[u8], ca: &TestCa, base_crl_number: u8) -> Vec<u8> {
    let outer = children(crl);
    let mut tbs = children(&outer[0]);
    // deltaCRLIndicator (2.5.29.27), critical, BaseCRLNumber INTEGER.
    let delta = tlv(
        0x30,
        &[
            tlv(0x06, &[0x55, 0x1D, 0x1B]),
            tlv(0x01, &[0xFF]),
            tlv(0x04, &tlv(0x02, &[base_crl_number])),
        ]
        .concat(),
    );
    let last = tbs.pop().unwrap();
    assert_eq!(last[0], 0xA0, "rcgen CRLs carry crlExtensions");
    let mut exts = children(&children(&last)[0]);
    exts.push(delta);
    tbs.push(tlv(0xA0, &tlv(0x30, &exts.concat())));
    let tbs = tlv(0x30, &tbs.concat());
    let key = ring::signature::EcdsaKeyPair::from_pkcs8(
        &ring::signature::ECDSA_P384_SHA384_ASN1_SIGNING,
        ca.key().unwrap().as_der(),
        &ring::rand::SystemRandom::new(),
    )
    .unwrap();
    let sig = key.sign(&ring::rand::SystemRandom::new(), &tbs).unwrap();
    let mut bits = vec![0u8];
    bits.extend_from_slice(sig.as_ref());
    tlv(0x30, &[tbs, outer[1].clone(), tlv(0x03, &bits)].concat())
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
    let delta = as_delta_crl(
        &ca.crl(&[], now() - DAY, now() + 30 * DAY, 2).unwrap(),
        &ca,
        1,
    );
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

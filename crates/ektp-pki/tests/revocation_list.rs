//! The signed revocation list: made with the TEST PKI's revocation signer, accepted by
//! `openssl cms -verify` (an independent CMS implementation, with CRL checking) and by
//! `verify_revocation_list`; refused (fail closed) when stale, not yet valid, unsigned, signed
//! by a document signer or an unknown CA, tampered with, or malformed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic
)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use ektp_pki::revocation_list::{
    ListFailure, RevokedDocuments, sign_revocation_list, verify_revocation_list,
};
use ektp_pki::test_pki::{DocumentSignerSpec, TestCa, TestKey, generate_test_pki};
use ektp_pki::{Failure, PkiError, RingSigner, Structure, TrustStore};

const DAY: Duration = Duration::from_secs(86_400);

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "rl-{name}-{}-{}",
        std::process::id(),
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn unix(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs() as i64
}

struct Pki {
    dir: PathBuf,
    trust: TrustStore,
    rls: RingSigner,
    ds: RingSigner,
    now: SystemTime,
}

fn pki(name: &str) -> Pki {
    let dir = scratch(name);
    let now = SystemTime::now();
    let files = generate_test_pki(&dir, now).unwrap();
    Pki {
        trust: TrustStore::load_dir(&files.trust_dir).unwrap(),
        rls: RingSigner::from_files(&files.revocation_signer.1, &files.revocation_signer.0)
            .unwrap(),
        ds: RingSigner::from_files(&files.document_signers[0].1, &files.document_signers[0].0)
            .unwrap(),
        dir,
        now,
    }
}

fn list(now: SystemTime, numbers: &[&str]) -> RevokedDocuments {
    RevokedDocuments::new(
        3,
        unix(now) - 3600,
        unix(now) + 7 * 86_400,
        numbers.iter().map(|s| (*s).to_owned()),
    )
    .unwrap()
}

#[test]
fn a_signed_list_verifies_here_and_in_openssl() {
    let p = pki("ok");
    let signed =
        sign_revocation_list(&list(p.now, &["IDB000002", "IDA000001"]), &p.rls, p.now).unwrap();
    let v = verify_revocation_list(&signed, &p.trust, p.now).unwrap();
    assert!(v.documents.is_revoked("IDA000001"));
    assert!(v.documents.is_revoked("idb000002"));
    assert!(!v.documents.is_revoked("IDA000003"));
    assert_eq!(v.documents.list_number, 3);
    assert!(v.signer.contains("Revocation List Signer"), "{}", v.signer);

    // OpenSSL, independently: signature, chain to the CSCA and its CRL.
    std::fs::write(p.dir.join("list.der"), &signed).unwrap();
    let mut bundle = std::fs::read(p.dir.join("trust/ID-CSCA-TEST-ONLY.crt.pem")).unwrap();
    bundle.extend(std::fs::read(p.dir.join("trust/ID-CSCA-TEST-ONLY.crl.pem")).unwrap());
    std::fs::write(p.dir.join("ca-and-crl.pem"), bundle).unwrap();
    let out = Command::new("openssl")
        .args([
            "cms",
            "-verify",
            "-inform",
            "DER",
            "-in",
            "list.der",
            "-binary",
            "-CAfile",
            "ca-and-crl.pem",
            "-crl_check",
            "-purpose",
            "any",
            "-out",
            "content.der",
        ])
        .current_dir(&p.dir)
        .output()
        .expect("openssl must be installed (CI_PKGS)");
    assert!(
        out.status.success(),
        "openssl cms -verify refused the list: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let content = std::fs::read(p.dir.join("content.der")).unwrap();
    assert_eq!(
        RevokedDocuments::from_der(&content).unwrap(),
        v.documents,
        "openssl extracted the same content"
    );
    // And OpenSSL refuses a tampered list too (the checks are not ours alone).
    let mut tampered = signed.clone();
    let at = find(&tampered, b"IDA000001");
    tampered[at + 8] = b'9';
    std::fs::write(p.dir.join("tampered.der"), &tampered).unwrap();
    let out = Command::new("openssl")
        .args([
            "cms",
            "-verify",
            "-inform",
            "DER",
            "-in",
            "tampered.der",
            "-binary",
            "-CAfile",
            "ca-and-crl.pem",
            "-purpose",
            "any",
            "-out",
            "/dev/null",
        ])
        .current_dir(&p.dir)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(matches!(
        verify_revocation_list(&tampered, &p.trust, p.now),
        Err(PkiError::RevocationList(ListFailure::Signer(
            Failure::MessageDigestMismatch
        )))
    ));
}

fn find(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap()
}

#[test]
fn a_stale_or_future_list_fails_closed() {
    let p = pki("stale");
    let signed = sign_revocation_list(&list(p.now, &["IDA000001"]), &p.rls, p.now).unwrap();
    let later = p.now + 8 * DAY;
    assert!(matches!(
        verify_revocation_list(&signed, &p.trust, later),
        Err(PkiError::RevocationList(ListFailure::Stale { .. }))
    ));
    // A list dated an hour ahead (a desk clock behind the department's).
    let ahead =
        RevokedDocuments::new(4, unix(p.now) + 3600, unix(p.now) + 86_400, Vec::new()).unwrap();
    let signed_ahead = sign_revocation_list(&ahead, &p.rls, p.now).unwrap();
    assert!(matches!(
        verify_revocation_list(&signed_ahead, &p.trust, p.now),
        Err(PkiError::RevocationList(ListFailure::NotYetValid { .. }))
    ));
    let e = verify_revocation_list(&signed, &p.trust, later).unwrap_err();
    assert!(e.to_string().contains("stale"), "{e}");
}

#[test]
fn a_document_signer_or_a_foreign_ca_cannot_sign_a_list() {
    let p = pki("signer");
    let by_ds = sign_revocation_list(&list(p.now, &["IDA000001"]), &p.ds, p.now).unwrap();
    assert!(matches!(
        verify_revocation_list(&by_ds, &p.trust, p.now),
        Err(PkiError::RevocationList(ListFailure::NotRevocationSigner))
    ));

    let other = TestCa::new(
        "ID",
        "Elsewhere",
        "Other CA",
        &TestKey::EcdsaP256,
        p.now - DAY,
        p.now + DAY * 30,
    )
    .unwrap();
    let foreign = other
        .issue_revocation_signer(&DocumentSignerSpec::new(
            "Revocation List Signer",
            TestKey::EcdsaP256,
            p.now,
        ))
        .unwrap();
    let signed =
        sign_revocation_list(&list(p.now, &[]), &foreign.signer().unwrap(), p.now).unwrap();
    assert!(matches!(
        verify_revocation_list(&signed, &p.trust, p.now),
        Err(PkiError::RevocationList(ListFailure::Signer(
            Failure::UnknownIssuer { .. }
        )))
    ));
}

#[test]
fn unsigned_and_malformed_lists_fail_closed() {
    let p = pki("malformed");
    let signed = sign_revocation_list(&list(p.now, &["IDA000001"]), &p.rls, p.now).unwrap();
    // The bare content (no CMS) is not a list.
    let bare = list(p.now, &["IDA000001"]).to_der().unwrap();
    assert!(matches!(
        verify_revocation_list(&bare, &p.trust, p.now),
        Err(PkiError::Decode { .. })
    ));
    // Truncated anywhere: malformed, never accepted.
    for cut in [1, 10, signed.len() / 2, signed.len() - 1] {
        assert!(verify_revocation_list(&signed[..cut], &p.trust, p.now).is_err());
    }
    // An empty SignerInfos set: unsigned. Build it by replacing the one SignerInfo's SET.
    let unsigned = strip_signer_infos(&signed);
    assert!(matches!(
        verify_revocation_list(&unsigned, &p.trust, p.now),
        Err(PkiError::RevocationList(ListFailure::Unsigned))
    ));
    // A content parse error names the revocation list structure.
    let mut bad = list(p.now, &["IDA000001"]).to_der().unwrap();
    let n = bad.len();
    bad[n - 1] = b'-';
    assert!(matches!(
        RevokedDocuments::from_der(&bad),
        Err(PkiError::Decode {
            structure: Structure::RevocationList,
            ..
        })
    ));
}

/// The ContentInfo with SignedData's last field (signerInfos) emptied, lengths re-encoded.
fn strip_signer_infos(content_info: &[u8]) -> Vec<u8> {
    use der::{Decode, Encode};
    let ci = ektp_pki::cms::ContentInfo::from_der(content_info).unwrap();
    let mut sd: ektp_pki::cms::SignedData = ci.content.decode_as().unwrap();
    sd.signer_infos = ektp_pki::cms::RawSetOf::from_elements(Vec::new());
    ektp_pki::cms::ContentInfo {
        content_type: ci.content_type,
        content: der::asn1::Any::encode_from(&sd).unwrap(),
    }
    .to_der()
    .unwrap()
}

#[test]
fn a_million_numbers_round_trip() {
    let p = pki("big");
    let numbers: Vec<String> = (0..1_000_000u32).map(|i| format!("ID{i:07}")).collect();
    let docs = RevokedDocuments::new(9, unix(p.now) - 60, unix(p.now) + 86_400, numbers).unwrap();
    let signed = sign_revocation_list(&docs, &p.rls, p.now).unwrap();
    let v = verify_revocation_list(&signed, &p.trust, p.now).unwrap();
    assert_eq!(v.documents.revoked().len(), 1_000_000);
    assert!(v.documents.is_revoked("ID0999999"));
}

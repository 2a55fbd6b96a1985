//! Parsers never panic on hostile input, and encode/decode round-trips.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic
)]

use ektp_lds::DgNumber;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use der::{Decode, Encode};
use ektp_pki::sod::{LdsSecurityObject, lds_security_object};
use ektp_pki::test_pki::{DocumentSignerSpec, TestCa, TestKey};
use ektp_pki::{
    DigestAlgorithm, EfSod, Pkcs8Key, SodOptions, TrustStore, passive_authentication, sign_ef_sod,
};
use proptest::prelude::*;

struct Valid {
    sod: Vec<u8>,
    trust: TrustStore,
    dgs: Vec<(u8, Vec<u8>)>,
    now: SystemTime,
}

fn valid() -> &'static Valid {
    static V: OnceLock<Valid> = OnceLock::new();
    V.get_or_init(|| {
        let now = SystemTime::now();
        let day = Duration::from_secs(86_400);
        let ca = TestCa::new(
            "ID",
            "Dukcapil",
            "CSCA",
            &TestKey::EcdsaP256,
            now - day,
            now + 90 * day,
        )
        .unwrap();
        let ds = ca
            .issue_document_signer(&DocumentSignerSpec::new("DS", TestKey::EcdsaP256, now))
            .unwrap();
        let mut trust = TrustStore::new();
        trust.add_root_der(ca.certificate_der()).unwrap();
        trust
            .add_crl_der(&ca.crl(&[], now - day, now + day, 1).unwrap())
            .unwrap();
        let dgs = vec![(1u8, b"\x61\x03abc".to_vec()), (2, vec![7; 100])];
        let pairs: Vec<(DgNumber, &[u8])> = dgs
            .iter()
            .map(|(n, b)| (DgNumber::new(*n).unwrap(), b.as_slice()))
            .collect();
        let sod = sign_ef_sod(&pairs, &ds.signer().unwrap(), &SodOptions::new(now)).unwrap();
        Valid {
            sod,
            trust,
            dgs,
            now,
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = EfSod::from_bytes(&bytes);
        let _ = EfSod::from_content_info(&bytes);
        let _ = LdsSecurityObject::from_der(&bytes);
        let _ = Pkcs8Key::from_bytes(&bytes);
        let _ = TrustStore::new().add_bytes(&bytes);
        let mut wrapped = vec![0x77];
        wrapped.extend_from_slice(&bytes);
        let v = valid();
        let report = passive_authentication(&wrapped, &[(DgNumber::DG1, b"x")], &v.trust, v.now);
        prop_assert!(!report.passed());
    }

    #[test]
    fn mutated_valid_sod_never_panics_nor_passes_with_other_signed_content(
        edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..4),
        cut in proptest::option::of(any::<usize>()),
    ) {
        let v = valid();
        let mut sod = v.sod.clone();
        let mut changed = false;
        for (pos, x) in edits {
            let i = pos % sod.len();
            if x != 0 {
                sod[i] ^= x;
                changed = true;
            }
        }
        if let Some(c) = cut {
            let c = c % sod.len();
            sod.truncate(c);
            changed = true;
        }
        let pairs: Vec<(DgNumber, &[u8])> = v
            .dgs
            .iter()
            .map(|(n, b)| (DgNumber::new(*n).unwrap(), b.as_slice()))
            .collect();
        let report = passive_authentication(&sod, &pairs, &v.trust, v.now);
        let _ = serde_json::to_string(&report).unwrap();
        if !changed {
            prop_assert!(report.passed());
        }
        // A change that still passes can only have hit bytes nothing relies on (e.g. the
        // unsigned SignedData digestAlgorithms set); the signed content must be unchanged.
        if changed && report.passed() {
            let a = EfSod::from_bytes(&sod).unwrap();
            let b = EfSod::from_bytes(&v.sod).unwrap();
            prop_assert_eq!(a.e_content(), b.e_content());
            prop_assert_eq!(a.signed_attributes(), b.signed_attributes());
        }
    }

    #[test]
    fn lds_security_object_round_trips(
        dgs in proptest::collection::btree_map(1u8..=16, proptest::collection::vec(any::<u8>(), 0..64), 1..16),
        sha in prop_oneof![Just(DigestAlgorithm::Sha256), Just(DigestAlgorithm::Sha384), Just(DigestAlgorithm::Sha512)],
    ) {
        let pairs: Vec<(DgNumber, &[u8])> = dgs
            .iter()
            .map(|(n, b)| (DgNumber::new(*n).unwrap(), b.as_slice()))
            .collect();
        let lds = lds_security_object(&pairs, sha).unwrap();
        let der = lds.to_der().unwrap();
        prop_assert_eq!(LdsSecurityObject::from_der(&der).unwrap(), lds);
    }
}

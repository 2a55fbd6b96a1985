//! Property tests of the CV certificate codec (BSI TR-03110-3 Appendix C):
//! `decode(encode(x)) == x` for certificates and requests; any accepted input encodes back to
//! itself (one encoding per certificate, as signatures need); no input makes it panic.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic
)]

use ektp_pki::cvc::*;
use proptest::prelude::*;

fn reference() -> impl Strategy<Value = CertificateReference> {
    "[ -~]{1,16}".prop_map(|s| CertificateReference::new(&s).unwrap())
}

fn curve() -> impl Strategy<Value = Curve> {
    prop_oneof![Just(Curve::NistP256), Just(Curve::BrainpoolP256r1)]
}

fn point() -> impl Strategy<Value = EcPoint> {
    proptest::collection::vec(any::<u8>(), 64).prop_map(|xy| {
        let mut b = vec![0x04];
        b.extend(xy);
        EcPoint::from_bytes(&b).unwrap()
    })
}

fn public_key() -> impl Strategy<Value = CvPublicKey> {
    (proptest::option::of(curve()), point())
        .prop_map(|(c, p)| CvPublicKey::new(TaAlgorithm::EcdsaSha256, c, p))
}

fn role() -> impl Strategy<Value = Role> {
    prop_oneof![
        Just(Role::Cvca),
        Just(Role::DvDomestic),
        Just(Role::DvForeign),
        Just(Role::Terminal)
    ]
}

fn chat() -> impl Strategy<Value = Chat> {
    (
        prop_oneof![
            Just((TerminalType::InspectionSystem, 0x3Fu64)),
            Just((TerminalType::AuthenticationTerminal, (1u64 << 38) - 1)),
            Just((TerminalType::SignatureTerminal, 0x3F)),
        ],
        role(),
        any::<u64>(),
    )
        .prop_map(|((t, mask), r, bits)| {
            Chat::new(t, r, AccessRights::from_bits(bits & mask)).unwrap()
        })
}

fn date() -> impl Strategy<Value = CvDate> {
    (2000u16..=2099, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| CvDate::new(y, m, d).unwrap())
}

fn extensions() -> impl Strategy<Value = Option<Extensions>> {
    proptest::option::of(
        proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..40), 1..3).prop_map(
            |datas| {
                let mut v = Vec::new();
                for data in datas {
                    let mut inner = vec![0x06, 0x03, 0x2B, 0x06, 0x01, 0x80, data.len() as u8];
                    inner.extend(data);
                    v.push(0x73);
                    v.push(inner.len() as u8);
                    v.extend(inner);
                }
                Extensions::from_value(&v).unwrap()
            },
        ),
    )
}

fn signature() -> impl Strategy<Value = EcSignature> {
    proptest::collection::vec(any::<u8>(), 64).prop_map(|b| EcSignature::from_bytes(&b).unwrap())
}

prop_compose! {
    fn certificate()(
        car in reference(), public_key in public_key(), chr in reference(), chat in chat(),
        effective in date(), expiration in date(), extensions in extensions(), sig in signature(),
    ) -> CvCertificate {
        CvCertificate::new(
            CertificateBody { car, public_key, chr, chat, effective, expiration, extensions },
            sig,
        )
    }
}

prop_compose! {
    fn request()(
        car in proptest::option::of(reference()), c in curve(), p in point(), chr in reference(),
        extensions in extensions(), sig in signature(),
        outer in proptest::option::of((reference(), signature())),
    ) -> CertificateRequest {
        CertificateRequest::new(
            RequestBody {
                car,
                public_key: CvPublicKey::new(TaAlgorithm::EcdsaSha256, Some(c), p),
                chr,
                extensions,
            },
            sig,
            outer.map(|(car, signature)| OuterSignature { car, signature }),
        )
    }
}

/// A real certificate (from cvc-create) to mutate.
fn seed() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/cvc/openpace/IDBPCVCA00001.cvcert"
    ))
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn certificate_round_trips(c in certificate()) {
        let bytes = c.to_bytes();
        prop_assert!(bytes.len() <= MAX_CERTIFICATE_LEN);
        let back = CvCertificate::from_bytes(&bytes).unwrap();
        prop_assert_eq!(back.to_bytes(), bytes);
        prop_assert_eq!(back, c);
    }

    #[test]
    fn request_round_trips(q in request()) {
        let bytes = q.to_bytes();
        let back = CertificateRequest::from_bytes(&bytes).unwrap();
        prop_assert_eq!(back.to_bytes(), bytes);
        prop_assert_eq!(back, q);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = CvCertificate::from_bytes(&bytes);
        let _ = CertificateRequest::from_bytes(&bytes);
        let _ = Extensions::from_value(&bytes);
    }

    #[test]
    fn mutated_certificates_never_panic_and_stay_canonical(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..6),
    ) {
        let mut bytes = seed();
        for (at, value, op) in edits {
            if bytes.is_empty() { break; }
            let i = at.index(bytes.len());
            match op {
                0 => bytes[i] = value,
                1 => { bytes.remove(i); }
                _ => bytes.insert(i, value),
            }
        }
        if let Ok(c) = CvCertificate::from_bytes(&bytes) {
            // Whatever is accepted has exactly one encoding.
            prop_assert_eq!(c.to_bytes(), bytes);
            // And validating it never panics.
            let tp = TrustPoint::from_certificate(&CvCertificate::from_bytes(&seed()).unwrap())
                .unwrap();
            let _ = validate_chain(&[tp], &[c.clone(), c], CvDate::new(2026, 1, 1).unwrap());
        }
    }

    #[test]
    fn dates_round_trip(d in date()) {
        prop_assert_eq!(CvDate::from_digits(&d.to_digits()), Some(d));
        prop_assert_eq!(CvDate::from_yymmdd(&d.to_yymmdd()).unwrap(), d);
    }

    #[test]
    fn rights_intersection_is_a_meet(a in any::<u64>(), b in any::<u64>()) {
        let (a, b) = (AccessRights::from_bits(a), AccessRights::from_bits(b));
        let m = a.intersection(b);
        prop_assert!(a.contains(m) && b.contains(m));
        prop_assert_eq!(m, b.intersection(a));
        prop_assert_eq!(a.intersection(a), a);
    }
}

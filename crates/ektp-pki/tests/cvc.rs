//! CV certificates (BSI TR-03110-3): the vectors made by OpenPACE's `cvc-create`
//! (`vectors/cvc/openpace/`, see its SOURCE.md) parse, encode back byte for byte and validate;
//! chains issued here validate; each way a chain can be wrong gives its own typed error.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic
)]

use std::path::PathBuf;

use ektp_iso7816::DecodeErrorKind;
use ektp_pki::PkiError;
use ektp_pki::cvc::*;

const DG3: AccessRights = AccessRights::READ_DG3;
const DG4: AccessRights = AccessRights::READ_DG4;

fn vector(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors/cvc/openpace")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn cert(name: &str) -> CvCertificate {
    CvCertificate::from_bytes(&vector(&format!("{name}.cvcert"))).unwrap()
}

fn d(s: &str) -> CvDate {
    CvDate::from_yymmdd(s).unwrap()
}

fn r(s: &str) -> CertificateReference {
    CertificateReference::new(s).unwrap()
}

const CURVES: [(&str, Curve); 2] = [("P256", Curve::NistP256), ("BP", Curve::BrainpoolP256r1)];

#[test]
fn openpace_vectors_round_trip_byte_for_byte() {
    for (p, curve) in CURVES {
        for n in [
            "CVCA00001",
            "CVCA00002",
            "DV00001",
            "IS00001",
            "DVF0001",
            "ISF0001",
        ] {
            let name = format!("ID{p}{n}");
            let bytes = vector(&format!("{name}.cvcert"));
            let c = CvCertificate::from_bytes(&bytes).unwrap();
            assert_eq!(c.to_bytes(), bytes, "{name}");
            assert_eq!(c.chr().as_str(), name);
            assert_eq!(
                c.body().chat.terminal_type(),
                TerminalType::InspectionSystem
            );
            let params = c.body().public_key.domain_parameters();
            if n.starts_with("CVCA") {
                assert_eq!(params, Some(curve), "{name}");
                assert_eq!(c.role(), Role::Cvca);
            } else {
                assert_eq!(params, None, "{name}");
            }
        }
        let cvca = cert(&format!("ID{p}CVCA00001"));
        assert!(cvca.body().is_self_signed());
        assert_eq!(cvca.body().chat.rights(), DG3.union(DG4));
        assert_eq!(cvca.body().effective, d("260101"));
        assert_eq!(cvca.body().expiration, d("301231"));
        assert_eq!(cert(&format!("ID{p}DV00001")).role(), Role::DvDomestic);
        assert_eq!(cert(&format!("ID{p}DVF0001")).role(), Role::DvForeign);
        assert_eq!(cert(&format!("ID{p}IS00001")).role(), Role::Terminal);
    }
}

#[test]
fn openpace_chain_validates_with_effective_rights_and_date() {
    for (p, curve) in CURVES {
        let tp = TrustPoint::from_certificate(&cert(&format!("ID{p}CVCA00001"))).unwrap();
        assert_eq!(tp.curve(), curve);
        let chain = [
            cert(&format!("ID{p}DV00001")),
            cert(&format!("ID{p}IS00001")),
        ];
        let v = validate_chain(std::slice::from_ref(&tp), &chain, d("260105")).unwrap();
        assert_eq!(v.terminal.chr().as_str(), format!("ID{p}IS00001"));
        assert_eq!(v.terminal_curve, curve);
        // The IS asked for DG3 and DG4; its DV holds only DG3.
        assert_eq!(v.chat.rights(), DG3);
        assert_eq!(v.chat.role(), Role::Terminal);
        // A terminal certificate from a domestic DV moves the date to its effective date.
        assert_eq!(v.current_date, d("260110"));
        assert!(v.new_trust_points.is_empty());

        // The chip's date is later than the IS certificate's expiry.
        let e = validate_chain(std::slice::from_ref(&tp), &chain, d("260211")).unwrap_err();
        assert_eq!(
            e,
            CvcError::Expired {
                chr: r(&format!("ID{p}IS00001")),
                expiration: d("260210"),
                current: d("260211"),
            }
        );
        // Expiry day itself is still valid.
        validate_chain(std::slice::from_ref(&tp), &chain, d("260210")).unwrap();
        // The date never moves backwards.
        let v = validate_chain(std::slice::from_ref(&tp), &chain, d("260201")).unwrap();
        assert_eq!(v.current_date, d("260201"));
    }
}

#[test]
fn openpace_link_certificate_rolls_the_trust_point_over() {
    for (p, _) in CURVES {
        let tp = TrustPoint::from_certificate(&cert(&format!("ID{p}CVCA00001"))).unwrap();
        let link = cert(&format!("ID{p}CVCA00002"));
        let dvf = cert(&format!("ID{p}DVF0001"));
        let isf = cert(&format!("ID{p}ISF0001"));
        // Without the link certificate the new CVCA is unknown.
        let e = validate_chain(
            std::slice::from_ref(&tp),
            &[dvf.clone(), isf.clone()],
            d("261201"),
        )
        .unwrap_err();
        assert!(matches!(e, CvcError::NotIssuedByTrustPoint { .. }), "{e}");

        let v = validate_chain(
            std::slice::from_ref(&tp),
            &[link.clone(), dvf.clone(), isf.clone()],
            d("261201"),
        )
        .unwrap();
        assert_eq!(v.new_trust_points.len(), 1);
        assert_eq!(v.new_trust_points[0].chr(), link.chr());
        // Foreign DV grants DG4 only.
        assert_eq!(v.chat.rights(), DG4);
        // The link certificate moved the date; the foreign DV and its terminal did not.
        assert_eq!(v.current_date, d("270101"));

        // The rolled-over trust point works alone for the next session.
        let v2 = validate_chain(&v.new_trust_points, &[dvf, isf], v.current_date).unwrap();
        assert_eq!(v2.chat.rights(), DG4);

        // The old CVCA's DV chain still works while the old trust point is kept.
        let mut both = vec![tp.clone()];
        both.extend(v.new_trust_points.clone());
        validate_chain(
            &both,
            &[
                cert(&format!("ID{p}DV00001")),
                cert(&format!("ID{p}IS00001")),
            ],
            d("260115"),
        )
        .unwrap();
    }
}

#[test]
fn openpace_wrong_chains_are_refused_with_typed_errors() {
    let tp256 = TrustPoint::from_certificate(&cert("IDP256CVCA00001")).unwrap();
    let tpbp = TrustPoint::from_certificate(&cert("IDBPCVCA00001")).unwrap();
    let dv = cert("IDP256DV00001");
    let is = cert("IDP256IS00001");
    // Trusting a different CVCA.
    let e = validate_chain(
        std::slice::from_ref(&tpbp),
        &[dv.clone(), is.clone()],
        d("260105"),
    )
    .unwrap_err();
    assert_eq!(
        e,
        CvcError::NotIssuedByTrustPoint {
            chr: r("IDP256DV00001"),
            car: r("IDP256CVCA00001"),
        }
    );
    // IS issued by another DV.
    let e = validate_chain(
        std::slice::from_ref(&tp256),
        &[dv.clone(), cert("IDBPIS00001")],
        d("260105"),
    )
    .unwrap_err();
    assert_eq!(
        e,
        CvcError::IssuerMismatch {
            chr: r("IDBPIS00001"),
            car: r("IDBPDV00001"),
            expected: r("IDP256DV00001"),
        }
    );
    // A DV alone is not a terminal chain; nothing is not a chain.
    let e = validate_chain(
        std::slice::from_ref(&tp256),
        std::slice::from_ref(&dv),
        d("260105"),
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            CvcError::NotATerminal {
                role: Role::DvDomestic,
                ..
            }
        ),
        "{e}"
    );
    let e = validate_chain(std::slice::from_ref(&tp256), &[], d("260105")).unwrap_err();
    assert_eq!(e, CvcError::EmptyChain);
    // A trust point whose CHR is the DV's CAR but with another key (a stranger's CVCA).
    let stranger = SoftwareCvSigner::generate(Curve::NistP256).unwrap();
    let fake = TrustPoint::new(
        r("IDP256CVCA00001"),
        Curve::NistP256,
        stranger.public_point(),
        *tp256.chat(),
    )
    .unwrap();
    let e = validate_chain(&[fake], &[dv.clone(), is.clone()], d("260105")).unwrap_err();
    assert_eq!(
        e,
        CvcError::SignatureInvalid {
            chr: r("IDP256DV00001"),
            car: r("IDP256CVCA00001"),
        }
    );
    // One bit of the signature flipped.
    let mut bytes = is.to_bytes();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    let tampered = CvCertificate::from_bytes(&bytes).unwrap();
    let e = validate_chain(std::slice::from_ref(&tp256), &[dv, tampered], d("260105")).unwrap_err();
    assert!(matches!(e, CvcError::SignatureInvalid { .. }), "{e}");
}

#[test]
fn malformed_bytes_are_decode_errors_with_offsets() {
    let good = vector("IDP256IS00001.cvcert");
    let kind = |b: &[u8]| match CvCertificate::from_bytes(b) {
        Err(CvcError::Decode { kind, offset }) => (kind, offset),
        other => panic!("expected a decode error, got {other:?}"),
    };
    // Truncated.
    assert_eq!(
        kind(&good[..good.len() - 1]).0,
        CvcDecodeKind::Tlv(DecodeErrorKind::Truncated)
    );
    // Trailing byte.
    let mut t = good.clone();
    t.push(0);
    assert_eq!(
        kind(&t).0,
        CvcDecodeKind::Tlv(DecodeErrorKind::TrailingBytes)
    );
    // Wrong outer tag.
    let mut t = good.clone();
    t[1] = 0x22;
    assert!(matches!(
        kind(&t).0,
        CvcDecodeKind::Tlv(DecodeErrorKind::UnexpectedTag {
            expected: 0x7F21,
            ..
        })
    ));
    // Profile identifier 01 (5F29 01 00 at body offset 3+3+2).
    let pos = good
        .windows(3)
        .position(|w| w == [0x5F, 0x29, 0x01])
        .unwrap();
    let mut t = good.clone();
    t[pos + 3] = 0x01;
    assert_eq!(
        kind(&t),
        (CvcDecodeKind::Invalid(Field::ProfileIdentifier), pos)
    );
    // A date digit above 9.
    let pos = good
        .windows(3)
        .position(|w| w == [0x5F, 0x24, 0x06])
        .unwrap();
    let mut t = good.clone();
    t[pos + 3] = 0x0A;
    assert_eq!(
        kind(&t),
        (CvcDecodeKind::Invalid(Field::ExpirationDate), pos)
    );
    // Non-minimal length: 5F37 40 → 5F37 81 40.
    let pos = good
        .windows(3)
        .position(|w| w == [0x5F, 0x37, 0x40])
        .unwrap();
    let mut t = good[..pos + 2].to_vec();
    t.push(0x81);
    t.extend_from_slice(&good[pos + 2..]);
    // Fix the outer length (one byte longer).
    assert_eq!(
        t[2], 0x81,
        "the IS vector has a one-byte long-form outer length"
    );
    t[3] += 1;
    assert_eq!(kind(&t), (CvcDecodeKind::NonCanonicalLength, pos));
    // Over the limit.
    let big = vec![0u8; MAX_CERTIFICATE_LEN + 1];
    assert!(matches!(kind(&big).0, CvcDecodeKind::TooLong { .. }));
    // Empty.
    assert!(CvCertificate::from_bytes(&[]).is_err());
    // Into the crate's error type.
    let e: PkiError = CvCertificate::from_bytes(&[]).unwrap_err().into();
    assert!(matches!(e, PkiError::Cvc(CvcError::Decode { .. })));
}

struct Pki {
    cvca_key: SoftwareCvSigner,
    cvca: CvCertificate,
    dv_key: SoftwareCvSigner,
    dv: CvCertificate,
    is_key: SoftwareCvSigner,
    is: CvCertificate,
}

fn issue(curve: Curve) -> Pki {
    let cvca_key = SoftwareCvSigner::generate(curve).unwrap();
    let cvca = CertificateBuilder::new(
        r("IDCVCA00001"),
        Chat::inspection_system(Role::Cvca, DG3.union(DG4)),
        d("260101"),
        d("291231"),
    )
    .self_signed(&cvca_key)
    .unwrap();
    let dv_key = SoftwareCvSigner::generate(curve).unwrap();
    let dv = CertificateBuilder::new(
        r("IDDVBANK00001"),
        Chat::inspection_system(Role::DvDomestic, DG3),
        d("260201"),
        d("260801"),
    )
    .issue(&dv_key.public_key(false), &cvca, &cvca_key)
    .unwrap();
    let is_key = SoftwareCvSigner::generate(curve).unwrap();
    let is = CertificateBuilder::new(
        r("IDISTERM00001"),
        Chat::inspection_system(Role::Terminal, DG3.union(DG4)),
        d("260301"),
        d("260308"),
    )
    .issue(&is_key.public_key(false), &dv, &dv_key)
    .unwrap();
    Pki {
        cvca_key,
        cvca,
        dv_key,
        dv,
        is_key,
        is,
    }
}

#[test]
fn issued_chains_validate_on_both_curves_and_the_terminal_key_signs() {
    for curve in [Curve::NistP256, Curve::BrainpoolP256r1] {
        let pki = issue(curve);
        for c in [&pki.cvca, &pki.dv, &pki.is] {
            assert_eq!(&CvCertificate::from_bytes(&c.to_bytes()).unwrap(), c);
        }
        let tp = TrustPoint::from_certificate(&pki.cvca).unwrap();
        let v = validate_chain(&[tp], &[pki.dv.clone(), pki.is.clone()], d("260115")).unwrap();
        assert_eq!(v.chat.rights(), DG3);
        assert_eq!(v.current_date, d("260301"));
        let challenge = b"chip id || nonce || terminal ephemeral key";
        let sig = pki.is_key.sign(challenge).unwrap();
        v.verify_terminal_signature(challenge, &sig).unwrap();
        let other = pki.dv_key.sign(challenge).unwrap();
        assert!(matches!(
            v.verify_terminal_signature(challenge, &other),
            Err(CvcError::SignatureInvalid { .. })
        ));
    }
}

#[test]
fn step_by_step_validator_keeps_state_on_failure() {
    let pki = issue(Curve::BrainpoolP256r1);
    let tp = TrustPoint::from_certificate(&pki.cvca).unwrap();
    let mut v = ChainValidator::new(vec![tp], d("260101"));
    // The IS first: its CAR (the DV) is no trust point; nothing changes.
    assert!(matches!(
        v.verify(&pki.is),
        Err(CvcError::NotIssuedByTrustPoint { .. })
    ));
    assert_eq!(v.current_date(), d("260101"));
    assert_eq!(v.verify(&pki.dv).unwrap(), Role::DvDomestic);
    assert_eq!(v.current_date(), d("260201"));
    assert_eq!(v.verify(&pki.is).unwrap(), Role::Terminal);
    // Nothing may follow a terminal certificate: a terminal issues none.
    let extra = CvCertificate::new(
        CertificateBody {
            car: r("IDISTERM00001"),
            ..pki.is.body().clone()
        },
        pki.is_key.sign(&[]).unwrap(),
    );
    let extra = CvCertificate::new(
        extra.body().clone(),
        pki.is_key.sign(extra.raw_body()).unwrap(),
    );
    assert!(matches!(
        v.verify(&extra),
        Err(CvcError::RoleNotAllowed {
            issuer: Role::Terminal,
            subject: Role::Terminal,
            ..
        })
    ));
    let done = v.finish().unwrap();
    assert_eq!(done.terminal, pki.is);
}

/// Signs `body` with `key` into a certificate, bypassing the builder's checks.
fn forge(body: CertificateBody, key: &SoftwareCvSigner) -> CvCertificate {
    let sig = key.sign(&body.to_bytes()).unwrap();
    CvCertificate::new(body, sig)
}

#[test]
fn roles_dates_and_domain_parameters_are_enforced() {
    let pki = issue(Curve::NistP256);
    let tp = TrustPoint::from_certificate(&pki.cvca).unwrap();
    // A terminal certificate straight from the CVCA.
    let direct = forge(
        CertificateBody {
            car: r("IDCVCA00001"),
            ..pki.is.body().clone()
        },
        &pki.cvca_key,
    );
    let e = validate_chain(std::slice::from_ref(&tp), &[direct], d("260101")).unwrap_err();
    assert!(
        matches!(
            e,
            CvcError::RoleNotAllowed {
                issuer: Role::Cvca,
                subject: Role::Terminal,
                ..
            }
        ),
        "{e}"
    );
    // A DV issuing a DV.
    let sub_dv = forge(
        CertificateBody {
            car: r("IDDVBANK00001"),
            chr: r("IDDVSUB00001"),
            ..pki.dv.body().clone()
        },
        &pki.dv_key,
    );
    let e = validate_chain(
        std::slice::from_ref(&tp),
        &[pki.dv.clone(), sub_dv],
        d("260101"),
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            CvcError::RoleNotAllowed {
                issuer: Role::DvDomestic,
                ..
            }
        ),
        "{e}"
    );
    // Effective after expiration.
    let backwards = forge(
        CertificateBody {
            effective: d("260309"),
            ..pki.is.body().clone()
        },
        &pki.dv_key,
    );
    let e = validate_chain(
        std::slice::from_ref(&tp),
        &[pki.dv.clone(), backwards],
        d("260101"),
    )
    .unwrap_err();
    assert!(matches!(e, CvcError::InvalidValidityPeriod { .. }), "{e}");
    // A terminal key with the other curve's domain parameters.
    let wrong_curve = forge(
        CertificateBody {
            public_key: pki
                .is
                .body()
                .public_key
                .with_domain_parameters(Some(Curve::BrainpoolP256r1)),
            ..pki.is.body().clone()
        },
        &pki.dv_key,
    );
    let e = validate_chain(
        std::slice::from_ref(&tp),
        &[pki.dv.clone(), wrong_curve],
        d("260101"),
    )
    .unwrap_err();
    assert!(
        matches!(e, CvcError::DomainParametersMismatch { .. }),
        "{e}"
    );
    // A CHAT for another terminal type.
    let at = forge(
        CertificateBody {
            chat: Chat::new(
                TerminalType::AuthenticationTerminal,
                Role::Terminal,
                AccessRights::NONE,
            )
            .unwrap(),
            ..pki.is.body().clone()
        },
        &pki.dv_key,
    );
    let e = validate_chain(
        std::slice::from_ref(&tp),
        &[pki.dv.clone(), at],
        d("260101"),
    )
    .unwrap_err();
    assert!(matches!(e, CvcError::TerminalTypeMismatch { .. }), "{e}");
    // A link certificate from a stranger (a key that is not the CVCA's).
    let stranger = SoftwareCvSigner::generate(Curve::NistP256).unwrap();
    let link = forge(
        CertificateBody {
            car: r("IDCVCA00001"),
            chr: r("IDCVCA00002"),
            public_key: stranger.public_key(true),
            ..pki.cvca.body().clone()
        },
        &stranger,
    );
    let e = validate_chain(std::slice::from_ref(&tp), &[link], d("260101")).unwrap_err();
    assert!(matches!(e, CvcError::SignatureInvalid { .. }), "{e}");
    // The builder refuses what the validator would refuse.
    let e = CertificateBuilder::new(
        r("IDDVSUB00001"),
        Chat::inspection_system(Role::DvDomestic, DG3),
        d("260101"),
        d("260201"),
    )
    .issue(&stranger.public_key(false), &pki.dv, &pki.dv_key)
    .unwrap_err();
    assert!(matches!(e, CvcError::RoleNotAllowed { .. }));
    let e = CertificateBuilder::new(
        r("IDDVSUB00001"),
        Chat::inspection_system(Role::DvDomestic, DG3),
        d("260101"),
        d("260201"),
    )
    .issue(&stranger.public_key(false), &pki.cvca, &stranger)
    .unwrap_err();
    assert!(matches!(e, CvcError::SignerKeyMismatch { .. }));
}

#[test]
fn issued_link_certificate_rolls_over_to_a_new_curve() {
    let pki = issue(Curve::NistP256);
    let tp = TrustPoint::from_certificate(&pki.cvca).unwrap();
    let new_key = SoftwareCvSigner::generate(Curve::BrainpoolP256r1).unwrap();
    let link = CertificateBuilder::new(
        r("IDCVCA00002"),
        Chat::inspection_system(Role::Cvca, DG3.union(DG4)),
        d("270101"),
        d("301231"),
    )
    .issue(&new_key.public_key(true), &pki.cvca, &pki.cvca_key)
    .unwrap();
    assert_eq!(link.car(), pki.cvca.chr());
    let dv_key = SoftwareCvSigner::generate(Curve::BrainpoolP256r1).unwrap();
    let new_cvca = TrustPoint::new(
        r("IDCVCA00002"),
        Curve::BrainpoolP256r1,
        new_key.public_point(),
        link.body().chat,
    )
    .unwrap();
    // Issuing under the new CVCA needs a certificate for it: the link certificate serves.
    let dv = CertificateBuilder::new(
        r("IDDVBANK00002"),
        Chat::inspection_system(Role::DvDomestic, DG3.union(DG4)),
        d("270101"),
        d("270601"),
    )
    .issue(&dv_key.public_key(false), &link, &new_key)
    .unwrap();
    let is_key = SoftwareCvSigner::generate(Curve::BrainpoolP256r1).unwrap();
    let is = CertificateBuilder::new(
        r("IDISTERM00002"),
        Chat::inspection_system(Role::Terminal, DG4),
        d("270105"),
        d("270110"),
    )
    .issue(&is_key.public_key(false), &dv, &dv_key)
    .unwrap();
    let v = validate_chain(&[tp], &[link, dv, is], d("260601")).unwrap();
    assert_eq!(v.new_trust_points, vec![new_cvca]);
    assert_eq!(v.terminal_curve, Curve::BrainpoolP256r1);
    assert_eq!(v.chat.rights(), DG4);
    assert_eq!(v.current_date, d("270105"));
}

#[test]
fn requests_round_trip_and_prove_possession() {
    let pki = issue(Curve::BrainpoolP256r1);
    let key = SoftwareCvSigner::generate(Curve::BrainpoolP256r1).unwrap();
    let req = RequestBuilder::new(r("IDISTERM00002"))
        .car(r("IDDVBANK00001"))
        .sign(&key)
        .unwrap();
    let bytes = req.to_bytes();
    assert_eq!(&bytes[..2], [0x7F, 0x21]);
    let parsed = CertificateRequest::from_bytes(&bytes).unwrap();
    assert_eq!(parsed, req);
    parsed.verify_inner().unwrap();
    assert_eq!(parsed.body().curve(), Some(Curve::BrainpoolP256r1));

    // Authenticated by the holder's current key (here: the old terminal's).
    let auth = req.authenticate(r("IDISTERM00001"), &pki.is_key).unwrap();
    let bytes = auth.to_bytes();
    assert_eq!(bytes[0], 0x67);
    let parsed = CertificateRequest::from_bytes(&bytes).unwrap();
    assert_eq!(parsed, auth);
    parsed.verify_inner().unwrap();
    parsed
        .verify_outer(Curve::BrainpoolP256r1, &pki.is.body().public_key)
        .unwrap();
    assert!(matches!(
        parsed.verify_outer(Curve::BrainpoolP256r1, &pki.dv.body().public_key),
        Err(CvcError::SignatureInvalid { .. })
    ));

    // The DV issues the terminal certificate for the request.
    let is = CertificateBuilder::new(
        r("IDISTERM00002"),
        Chat::inspection_system(Role::Terminal, DG3),
        d("260301"),
        d("260308"),
    )
    .issue_for_request(&parsed, &pki.dv, &pki.dv_key)
    .unwrap();
    assert_eq!(is.body().public_key.point(), &key.public_point());

    // A request whose inner signature is not by its key.
    let forged = CertificateRequest::new(
        req.body().clone(),
        pki.is_key.sign(req.raw_body()).unwrap(),
        None,
    );
    assert!(matches!(
        forged.verify_inner(),
        Err(CvcError::SignatureInvalid { .. })
    ));
    assert!(
        CertificateBuilder::new(
            r("IDISTERM00002"),
            Chat::inspection_system(Role::Terminal, DG3),
            d("260301"),
            d("260308"),
        )
        .issue_for_request(&forged, &pki.dv, &pki.dv_key)
        .is_err()
    );
    // A request body without domain parameters is malformed.
    let mut body = req.body().clone();
    body.public_key = body.public_key.with_domain_parameters(None);
    let bytes = CertificateRequest::new(body, *req.inner_signature(), None).to_bytes();
    assert!(matches!(
        CertificateRequest::from_bytes(&bytes),
        Err(CvcError::Decode {
            kind: CvcDecodeKind::Missing(Field::DomainParameters),
            ..
        })
    ));
}

#[test]
fn software_signer_never_prints_its_key() {
    let secret = [0x42u8; 32];
    let key = SoftwareCvSigner::from_secret_bytes(Curve::NistP256, &secret).unwrap();
    let dbg = format!("{key:?}");
    assert!(dbg.contains("SoftwareCvSigner"));
    assert!(!dbg.contains("4242424242"), "{dbg}");
    let der = key.to_pkcs8_der().unwrap();
    let again = SoftwareCvSigner::from_private_key_der(&der).unwrap();
    assert_eq!(again.public_point(), key.public_point());
    let bp = SoftwareCvSigner::from_secret_bytes(Curve::BrainpoolP256r1, &secret).unwrap();
    let again = SoftwareCvSigner::from_private_key_der(&bp.to_pkcs8_der().unwrap()).unwrap();
    assert_eq!(again.curve(), Curve::BrainpoolP256r1);
    assert!(SoftwareCvSigner::from_secret_bytes(Curve::NistP256, &[0; 32]).is_err());
}

#[test]
fn extensions_are_kept_and_checked() {
    // 73 { 06 <id-description 0.4.0.127.0.7.3.1.3.1> 80 <32-byte hash> }
    let mut ext = vec![
        0x73, 0x2D, 0x06, 0x09, 0x04, 0x00, 0x7F, 0x00, 0x07, 0x03, 0x01, 0x03, 0x01,
    ];
    ext.extend_from_slice(&[0x80, 0x20]);
    ext.extend_from_slice(&[0xAB; 32]);
    let ext = Extensions::from_value(&ext).unwrap();
    let key = SoftwareCvSigner::generate(Curve::NistP256).unwrap();
    let cvca = CertificateBuilder::new(
        r("IDCVCA00001"),
        Chat::inspection_system(Role::Cvca, DG3),
        d("260101"),
        d("291231"),
    )
    .extensions(ext.clone())
    .self_signed(&key)
    .unwrap();
    let back = CvCertificate::from_bytes(&cvca.to_bytes()).unwrap();
    assert_eq!(back.body().extensions, Some(ext));
    TrustPoint::from_certificate(&back).unwrap();
    assert!(Extensions::from_value(&[]).is_err());
    assert!(Extensions::from_value(&[0x74, 0x00]).is_err());
    assert!(Extensions::from_value(&[0x73, 0x00]).is_err());
}

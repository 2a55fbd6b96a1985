//! CV certificates and requests (BSI TR-03110-3) on hostile bytes: parsing and chain
//! validation must never panic, and whatever parses must encode back to the same bytes.
//! Seeds: `seeds/cvc/` (copies of `../tests/vectors/cvc/openpace/*.cvcert`).
#![no_main]

use std::sync::OnceLock;

use ektp_pki::cvc::{CertificateRequest, CvCertificate, CvDate, TrustPoint, validate_chain};
use libfuzzer_sys::fuzz_target;

const CVCA: &[u8] = include_bytes!("../../tests/vectors/cvc/openpace/IDBPCVCA00001.cvcert");
const DV: &[u8] = include_bytes!("../../tests/vectors/cvc/openpace/IDBPDV00001.cvcert");

struct Fixture {
    trust: TrustPoint,
    dv: CvCertificate,
    today: CvDate,
}

/// Built once, not per input.
fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let cvca = CvCertificate::from_bytes(CVCA).expect("CVCA vector parses");
        Fixture {
            trust: TrustPoint::from_certificate(&cvca).expect("CVCA vector is a trust point"),
            dv: CvCertificate::from_bytes(DV).expect("DV vector parses"),
            today: CvDate::new(2026, 1, 5).expect("valid date"),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    if let Ok(cert) = CvCertificate::from_bytes(data) {
        assert_eq!(cert.to_bytes(), data, "accepted input must be canonical");
        let trust = std::slice::from_ref(&f.trust);
        let _ = validate_chain(trust, std::slice::from_ref(&cert), f.today);
        let _ = validate_chain(trust, &[f.dv.clone(), cert], f.today);
    }
    if let Ok(req) = CertificateRequest::from_bytes(data) {
        assert_eq!(req.to_bytes(), data, "accepted input must be canonical");
        let _ = req.verify_inner();
    }
});

//! EF.SOD, signed revocation list, trust store and key parsing on hostile bytes: must never panic.
//! Seed: `cp ../tests/vectors/openssl/*.der corpus/ef_sod/` (wrapped or not, both are tried).
#![no_main]

use std::time::SystemTime;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = ektp_pki::EfSod::from_bytes(data);
    let _ = ektp_pki::EfSod::from_content_info(data);
    let _ = ektp_pki::Pkcs8Key::from_bytes(data);
    let _ = ektp_pki::TrustStore::new().add_bytes(data);
    let trust = ektp_pki::TrustStore::new();
    let report =
        ektp_pki::passive_authentication(data, &[(ektp_lds::DgNumber::DG1, data), (ektp_lds::DgNumber::DG2, b"")], &trust, SystemTime::now());
    assert!(!report.passed());
    // The signed revocation list: content and CMS, never accepted without a trust anchor.
    let _ = ektp_pki::revocation_list::RevokedDocuments::from_der(data);
    assert!(ektp_pki::revocation_list::verify_revocation_list(data, &trust, SystemTime::now()).is_err());
});

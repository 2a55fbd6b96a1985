//! Every LDS decoder and the application JSON reader on hostile bytes: must never panic, and
//! whatever decodes keeps exactly the bytes it was given (hashes are over the raw bytes).
//! Seeds: the specimen files under `seeds/decoders/` (EF.COM, DG1, DG11, DG12, DG13 of the
//! specimens, and application JSON).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(f) = ektp_lds::EfCom::decode(data) {
        assert_eq!(f.as_bytes(), data);
    }
    if let Ok(f) = ektp_lds::Dg1::decode(data) {
        assert_eq!(f.as_bytes(), data);
    }
    if let Ok(f) = ektp_lds::Dg2::decode(data) {
        assert_eq!(f.as_bytes(), data);
    }
    if let Ok(f) = ektp_lds::Dg3::decode(data) {
        assert_eq!(f.as_bytes(), data);
    }
    if let Ok(f) = ektp_lds::Dg7::decode(data) {
        assert_eq!(f.as_bytes(), data);
    }
    if let Ok(f) = ektp_lds::Dg11::decode(data) {
        assert_eq!(f.as_bytes(), data);
    }
    if let Ok(f) = ektp_lds::Dg12::decode(data) {
        assert_eq!(f.as_bytes(), data);
    }
    if let Ok(f) = ektp_lds::Dg13::decode(data) {
        assert_eq!(f.as_bytes(), data);
    }
    let _ = ektp_lds::Dg14::decode(data);
    let _ = ektp_lds::Dg15::decode(data);
    if let Ok(text) = std::str::from_utf8(data) {
        // No files at hand: every file reference fails cleanly, everything else is validated.
        let _ = ektp_lds::Application::from_json_str(text, &ektp_lds::NoFiles);
        let _ = ektp_lds::Nik::parse(text);
    }
});

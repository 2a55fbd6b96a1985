//! The ISO/IEC 19794-2 record decoder and the PNG decoder on hostile bytes: must never panic; a
//! record that decodes re-encodes to exactly the bytes it came from (the codec accepts one
//! encoding only). Seeds: `seeds/decoders/` (a record of a synthetic finger, a small 500 ppi PNG).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = ektp_bio::FingerMinutiaeRecord::decode(data) {
        assert_eq!(r.encode().ok().as_deref(), Some(data));
    }
    let _ = ektp_bio::GrayImage::decode_png(data);
});

//! The card-image decoders (JPEG 2000 through `hayro-jpeg2000`, JPEG through `jpeg-decoder`)
//! on hostile bytes, as DG2/DG7 hand them over: must never panic, and an image that decodes is
//! within the limits (`MAX_IMAGE_SIDE`). Seeds: `seeds/portrait/` (the `potret-icao`
//! specimen's JP2 portrait, its raw codestream, the `pria` specimen's JPEG portrait, and two
//! tiny random images made with OpenJPEG's `opj_compress`, a 16 × 16 grey JP2 and a 24 × 20
//! RGB codestream, fast to mutate).
#![no_main]

use ektp_face::{MAX_IMAGE_SIDE, decode_image};
use ektp_lds::ImageFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for format in [ImageFormat::Jpeg2000, ImageFormat::Jpeg] {
        if let Ok((w, h)) = decode_image(format, data) {
            let max = u32::from(MAX_IMAGE_SIDE);
            assert!(w > 0 && h > 0 && w <= max && h <= max);
        }
    }
});

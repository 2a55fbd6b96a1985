//! The crate's one error type.

use crate::finger::FingerPosition;
use crate::iso19794_2::DecodeErrorKind;

/// Everything that can go wrong in `ektp-bio`.
///
/// Malformed input is [`Error::Png`], [`Error::Decode`] or one of the image-shape variants;
/// well-formed input that cannot be used is [`Error::TooFewMinutiae`] or [`Error::LowQuality`]
/// (recapture); a policy refusal is [`Error::AttemptsExhausted`]. No variant carries pixels or
/// minutiae.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The PNG file is larger than [`crate::image::MAX_PNG_BYTES`].
    #[error("the PNG file is {len} bytes; at most {max} are accepted")]
    PngTooLong {
        /// Length of the file given.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The bytes are not a PNG file the decoder can read (bad signature, chunk, CRC, zlib stream,
    /// or a decoder memory limit reached).
    #[error("the PNG file is malformed: {0}")]
    Png(#[source] png::DecodingError),
    /// The image is not 8-bit grayscale.
    #[error(
        "the image is {channels}-channel {bit_depth}-bit; a fingerprint must be 8-bit grayscale"
    )]
    PixelFormat {
        /// Samples per pixel (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA; indexed counts as 1).
        channels: u8,
        /// Bits per sample.
        bit_depth: u8,
    },
    /// The image is interlaced or animated, which no fingerprint scanner produces.
    #[error("the PNG is interlaced or animated; a fingerprint must be a single plain image")]
    PngLayout,
    /// The PNG states a resolution other than 500 ppi.
    #[error("the image is {ppi} ppi; a fingerprint must be scanned at 500 ppi")]
    Resolution {
        /// The stated resolution, pixels per inch (rounded).
        ppi: u32,
    },
    /// The image is wider or taller than the limits ([`crate::image::MAX_WIDTH`],
    /// [`crate::image::MAX_HEIGHT`]).
    #[error("the image is {width}x{height} pixels; at most {max_width}x{max_height} are accepted")]
    ImageTooLarge {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// The width limit.
        max_width: u32,
        /// The height limit.
        max_height: u32,
    },
    /// The image is too small for MINDTCT to place its block window.
    #[error("the image is {width}x{height} pixels; each side must be at least {min}")]
    ImageTooSmall {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// The smallest side accepted.
        min: u32,
    },
    /// A pixel buffer does not hold `width × height` bytes.
    #[error("the pixel buffer holds {len} bytes, not width x height = {expected}")]
    PixelCount {
        /// Bytes given.
        len: usize,
        /// Bytes needed.
        expected: usize,
    },
    /// An ISO/IEC 19794-2 record is malformed.
    #[error("ISO/IEC 19794-2 record: {kind} at byte {offset}")]
    Decode {
        /// What was wrong.
        kind: DecodeErrorKind,
        /// Where.
        offset: usize,
    },
    /// A template cannot be encoded as an ISO/IEC 19794-2 record (too many minutiae, a minutia
    /// outside the image, a field out of its range).
    #[error("cannot encode an ISO/IEC 19794-2 record: {0}")]
    Encode(&'static str),
    /// Too few usable minutiae were found in the print: it must be captured again.
    #[error(
        "{finger}: only {usable} usable minutiae found, at least {required} are needed; \
         clean the scanner and the finger and recapture the {finger}"
    )]
    TooFewMinutiae {
        /// The finger.
        finger: FingerPosition,
        /// Minutiae of at least [`crate::extract::QualityGate::min_minutia_quality`].
        usable: usize,
        /// The gate's minimum.
        required: usize,
    },
    /// The minutiae found are too unreliable (the print is smudged, dry or partial): it must be
    /// captured again.
    #[error(
        "{finger}: print quality {quality} is below {required}; \
         press the {finger} flat on the scanner and recapture"
    )]
    LowQuality {
        /// The finger.
        finger: FingerPosition,
        /// The print's quality (mean MINDTCT minutia quality, 0–100).
        quality: u8,
        /// The gate's minimum.
        required: u8,
    },
    /// The live print and the enrolled template are of different fingers.
    #[error("the live print is the {live}, the enrolled template the {enrolled}")]
    FingerMismatch {
        /// The live capture's finger.
        live: FingerPosition,
        /// The enrolled template's finger.
        enrolled: FingerPosition,
    },
    /// All match attempts of this card session are used: the card needs a new session.
    #[error("all {limit} fingerprint attempts of this card session are used; start a new session")]
    AttemptsExhausted {
        /// The session's attempt limit.
        limit: u8,
    },
    /// An invalid policy value (an attempt limit of 0, a minutia quality above 100).
    #[error("invalid setting: {0}")]
    Setting(&'static str),
}

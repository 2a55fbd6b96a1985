#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod face;
mod font;
mod images;
mod pdf;

pub use face::{FACE_HEIGHT, FACE_WIDTH, PHOTO_BOX, render_face_png};
pub use images::{CardImages, ImageError, MAX_IMAGE_BYTES, MAX_IMAGE_SIDE, decode_image};
pub use pdf::{PrintoutText, Verification, render_pdf};

/// Why a face or printout could not be rendered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A data group read from the card does not decode.
    #[error("the card's data does not decode: {0}")]
    Lds(#[from] ektp_lds::Error),
    /// The PNG encoder failed.
    #[error("cannot encode the card face as PNG: {0}")]
    Png(#[from] png::EncodingError),
    /// The embedded font could not be loaded (a build problem, not the card's).
    #[error("the embedded font does not load")]
    Font,
    /// The drawing surface could not be made (zero or too large a size).
    #[error("cannot allocate a {width}x{height} drawing surface")]
    Surface {
        /// Width asked for.
        width: u32,
        /// Height asked for.
        height: u32,
    },
}

//! The portrait and signature as read from the card, decoded for drawing.

use ektp::CardFiles;
use ektp_lds::{Dg2, Dg7, DgNumber, ImageFormat};
use tiny_skia::{IntSize, Pixmap};

use crate::Error;

/// The largest width or height of a card image that is decoded (the e-KTP portrait is
/// 48 × 60 to a few hundred pixels; the card's own image limits are 32 KiB): checked from the
/// JPEG header before any pixel buffer exists.
pub const MAX_IMAGE_SIDE: u16 = 2048;

/// One image from the card, decoded for drawing.
#[derive(Debug, Clone)]
pub(crate) struct CardImage {
    /// The pixels, or why there are none (shown on the placeholder).
    pub raster: Result<Pixmap, &'static str>,
}

impl CardImage {
    fn new(format: ImageFormat, bytes: &[u8]) -> Self {
        let raster = match format {
            ImageFormat::Jpeg => decode_jpeg(bytes),
            ImageFormat::Jpeg2000 => Err("JPEG 2000"),
        };
        Self { raster }
    }
}

/// The portrait (DG2) and signature image (DG7) to draw; either may be absent (not read).
#[derive(Debug, Clone, Default)]
pub struct CardImages {
    pub(crate) portrait: Option<CardImage>,
    pub(crate) signature: Option<CardImage>,
}

impl CardImages {
    /// No images: the face shows labelled empty boxes.
    pub fn none() -> Self {
        Self::default()
    }

    /// Images given as bytes in their stored format (e.g. an application's files).
    pub fn from_bytes(
        portrait: Option<(ImageFormat, Vec<u8>)>,
        signature: Option<(ImageFormat, Vec<u8>)>,
    ) -> Self {
        Self {
            portrait: portrait.map(|(f, b)| CardImage::new(f, &b)),
            signature: signature.map(|(f, b)| CardImage::new(f, &b)),
        }
    }

    /// The images in the data groups read (DG2 and DG7, when they were read).
    ///
    /// # Errors
    /// [`Error::Lds`] if DG2 or DG7 is malformed. An image that is well-formed in its data
    /// group but cannot be decoded (JPEG 2000, a broken JPEG) is not an error: the face shows
    /// a placeholder saying so.
    pub fn from_files(files: &CardFiles) -> Result<Self, Error> {
        let portrait = files
            .dg(DgNumber::DG2)
            .map(Dg2::decode)
            .transpose()?
            .map(|d| (d.face().format, d.face().image.clone()));
        let signature = files
            .dg(DgNumber::DG7)
            .map(Dg7::decode)
            .transpose()?
            .map(|d| (d.signature().format(), d.signature().as_bytes().to_vec()));
        Ok(Self::from_bytes(portrait, signature))
    }

    /// Whether a portrait is present and decoded.
    pub fn portrait_decoded(&self) -> bool {
        self.portrait.as_ref().is_some_and(|p| p.raster.is_ok())
    }
}

/// Decodes a baseline or progressive JPEG into an opaque RGBA pixmap.
#[allow(clippy::arithmetic_side_effects)]
fn decode_jpeg(bytes: &[u8]) -> Result<Pixmap, &'static str> {
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    decoder.read_info().map_err(|_| "undecodable JPEG")?;
    let info = decoder.info().ok_or("undecodable JPEG")?;
    if info.width == 0
        || info.height == 0
        || info.width > MAX_IMAGE_SIDE
        || info.height > MAX_IMAGE_SIDE
    {
        return Err("image too large");
    }
    let pixels = decoder.decode().map_err(|_| "undecodable JPEG")?;
    let step = match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => 1,
        jpeg_decoder::PixelFormat::L16 => 2,
        jpeg_decoder::PixelFormat::RGB24 => 3,
        jpeg_decoder::PixelFormat::CMYK32 => 4,
    };
    let count = usize::from(info.width) * usize::from(info.height);
    if pixels.len() < count * step {
        return Err("truncated JPEG");
    }
    let mut rgba = Vec::with_capacity(count * 4);
    for px in pixels.chunks_exact(step).take(count) {
        let rgb = match (info.pixel_format, px) {
            (jpeg_decoder::PixelFormat::RGB24, &[r, g, b]) => [r, g, b],
            (jpeg_decoder::PixelFormat::CMYK32, &[c, m, y, k]) => {
                let ink = |v: u8| (u16::from(255 - v) * u16::from(255 - k) / 255) as u8;
                [ink(c), ink(m), ink(y)]
            }
            (_, &[l, ..]) => [l, l, l],
            _ => [255, 255, 255],
        };
        rgba.extend_from_slice(&[rgb[0], rgb[1], rgb[2], 255]);
    }
    let size =
        IntSize::from_wh(u32::from(info.width), u32::from(info.height)).ok_or("image too large")?;
    Pixmap::from_vec(rgba, size).ok_or("image too large")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specimen(name: &str, file: &str) -> Vec<u8> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../cards/specimens");
        std::fs::read(dir.join(name).join(file)).unwrap()
    }

    #[test]
    fn specimen_portraits_and_signatures_decode() {
        let images = CardImages::from_bytes(
            Some((ImageFormat::Jpeg, specimen("pria", "portrait.jpg"))),
            Some((ImageFormat::Jpeg, specimen("pria", "signature.jpg"))),
        );
        let p = images.portrait.as_ref().unwrap();
        let px = p.raster.as_ref().unwrap();
        assert_eq!((px.width(), px.height()), (48, 60));
        let s = images.signature.as_ref().unwrap().raster.as_ref().unwrap();
        assert_eq!((s.width(), s.height()), (160, 48));
        assert!(images.portrait_decoded());
    }

    #[test]
    fn broken_and_jpeg2000_images_become_placeholders() {
        let images = CardImages::from_bytes(
            Some((ImageFormat::Jpeg, vec![0xFF, 0xD8, 0xFF, 0x00, 1, 2, 3])),
            Some((ImageFormat::Jpeg2000, vec![0, 0, 0, 12])),
        );
        assert_eq!(
            images.portrait.unwrap().raster.unwrap_err(),
            "undecodable JPEG"
        );
        assert_eq!(images.signature.unwrap().raster.unwrap_err(), "JPEG 2000");
    }
}

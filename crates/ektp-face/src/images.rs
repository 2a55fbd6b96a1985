//! The portrait and signature as read from the card, decoded for drawing.

use ektp::CardFiles;
use ektp_lds::{Dg2, Dg7, DgNumber, ImageFormat};
use tiny_skia::{IntSize, Pixmap};

use crate::Error;

/// The largest width or height of a card image that is decoded (the e-KTP portrait is
/// 48 × 60 to a few hundred pixels; ICAO portraits about 420 × 525): checked from the JPEG or
/// JPEG 2000 header before any pixel buffer exists.
pub const MAX_IMAGE_SIDE: u16 = 2048;

/// The largest encoded card image that is decoded at all (ICAO 9303-10 expects a stored face
/// image of 15–20 KB; the e-KTP profile's own images are under 32 KiB).
pub const MAX_IMAGE_BYTES: usize = 256 * 1024;

/// The most colour components (channels, alpha included) a JPEG 2000 image may have: grey,
/// grey + alpha, RGB, RGBA or CMYK.
const MAX_COMPONENTS: usize = 4;

/// Why a card image is not drawn (the face shows a placeholder naming it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImageError {
    /// More than [`MAX_IMAGE_BYTES`] of encoded image.
    #[error("image too large")]
    TooManyBytes,
    /// Wider or higher than [`MAX_IMAGE_SIDE`], or empty.
    #[error("image too large")]
    TooLarge,
    /// More colour components than grey, RGB, CMYK (and alpha).
    #[error("too many colour components")]
    TooManyComponents,
    /// The JPEG does not decode (or is cut short).
    #[error("undecodable JPEG")]
    Jpeg,
    /// The JPEG 2000 image (JP2 file or codestream) does not decode.
    #[error("undecodable JPEG 2000")]
    Jpeg2000,
}

/// One image from the card, decoded for drawing.
#[derive(Debug, Clone)]
pub(crate) struct CardImage {
    /// The pixels, or why there are none (shown on the placeholder).
    pub raster: Result<Pixmap, ImageError>,
}

impl CardImage {
    fn new(format: ImageFormat, bytes: &[u8]) -> Self {
        Self {
            raster: decode(format, bytes),
        }
    }
}

/// Decodes one card image (JPEG or JPEG 2000) into an opaque RGBA pixmap, within
/// [`MAX_IMAGE_BYTES`], [`MAX_IMAGE_SIDE`] and four colour components.
///
/// # Errors
/// [`ImageError`]: too large, too many components, or undecodable.
pub fn decode_image(format: ImageFormat, bytes: &[u8]) -> Result<(u32, u32), ImageError> {
    decode(format, bytes).map(|p| (p.width(), p.height()))
}

fn decode(format: ImageFormat, bytes: &[u8]) -> Result<Pixmap, ImageError> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(ImageError::TooManyBytes);
    }
    match format {
        ImageFormat::Jpeg => decode_jpeg(bytes),
        ImageFormat::Jpeg2000 => decode_jpeg2000(bytes),
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
    /// group but cannot be decoded (a broken or oversized image) is not an error: the face shows
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

    /// Why the portrait is not drawn, if it was read and did not decode.
    pub fn portrait_error(&self) -> Option<ImageError> {
        self.portrait
            .as_ref()
            .and_then(|p| p.raster.as_ref().err().copied())
    }

    /// The decoded portrait's width and height, if it decoded.
    pub fn portrait_size(&self) -> Option<(u32, u32)> {
        let p = self.portrait.as_ref()?.raster.as_ref().ok()?;
        Some((p.width(), p.height()))
    }
}

/// Decodes a baseline or progressive JPEG into an opaque RGBA pixmap.
#[allow(clippy::arithmetic_side_effects)]
fn decode_jpeg(bytes: &[u8]) -> Result<Pixmap, ImageError> {
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    decoder.read_info().map_err(|_| ImageError::Jpeg)?;
    let info = decoder.info().ok_or(ImageError::Jpeg)?;
    if info.width == 0
        || info.height == 0
        || info.width > MAX_IMAGE_SIDE
        || info.height > MAX_IMAGE_SIDE
    {
        return Err(ImageError::TooLarge);
    }
    let pixels = decoder.decode().map_err(|_| ImageError::Jpeg)?;
    let step = match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => 1,
        jpeg_decoder::PixelFormat::L16 => 2,
        jpeg_decoder::PixelFormat::RGB24 => 3,
        jpeg_decoder::PixelFormat::CMYK32 => 4,
    };
    let count = usize::from(info.width) * usize::from(info.height);
    if pixels.len() < count * step {
        return Err(ImageError::Jpeg);
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
    let size = IntSize::from_wh(u32::from(info.width), u32::from(info.height))
        .ok_or(ImageError::TooLarge)?;
    Pixmap::from_vec(rgba, size).ok_or(ImageError::TooLarge)
}

/// Decodes a JPEG 2000 image (JP2 file or raw codestream, as ISO/IEC 19794-5 allows) with the
/// pure-Rust `hayro-jpeg2000`: the header's size and component count are checked against the
/// limits before any sample is decoded.
///
/// The decoder is a dependency parsing bytes from the card: should it ever panic on an input
/// (the fuzz target has found none), the portrait becomes a placeholder rather than ending the
/// desk's program. Under the fuzzer a panic still aborts and is reported.
fn decode_jpeg2000(bytes: &[u8]) -> Result<Pixmap, ImageError> {
    std::panic::catch_unwind(|| decode_jpeg2000_unguarded(bytes))
        .unwrap_or(Err(ImageError::Jpeg2000))
}

#[allow(clippy::arithmetic_side_effects)]
fn decode_jpeg2000_unguarded(bytes: &[u8]) -> Result<Pixmap, ImageError> {
    use hayro_jpeg2000::{ColorSpace, DecodeSettings, DecoderContext, Image};
    let image = Image::new(bytes, &DecodeSettings::default()).map_err(|_| ImageError::Jpeg2000)?;
    let (width, height) = (image.width(), image.height());
    let max = u32::from(MAX_IMAGE_SIDE);
    if width == 0 || height == 0 || width > max || height > max {
        return Err(ImageError::TooLarge);
    }
    let channels = usize::from(image.color_space().num_channels()) + usize::from(image.has_alpha());
    if channels == 0 || channels > MAX_COMPONENTS {
        return Err(ImageError::TooManyComponents);
    }
    let cmyk = matches!(image.color_space(), ColorSpace::CMYK);
    let alpha = image.has_alpha();
    let mut ctx = DecoderContext::default();
    let decoded = image.decode(&mut ctx).map_err(|_| ImageError::Jpeg2000)?;
    let step = decoded.components().len();
    if step == 0 || step > MAX_COMPONENTS {
        return Err(ImageError::TooManyComponents);
    }
    let pixels = decoded.data_u8();
    let count = (width as usize) * (height as usize);
    if pixels.len() < count * step {
        return Err(ImageError::Jpeg2000);
    }
    let mut rgba = Vec::with_capacity(count * 4);
    for px in pixels.chunks_exact(step).take(count) {
        let rgb = match *px {
            [c, m, y, k] if cmyk && !alpha => {
                let ink = |v: u8| (u16::from(255 - v) * u16::from(255 - k) / 255) as u8;
                [ink(c), ink(m), ink(y)]
            }
            [r, g, b, ..] => [r, g, b],
            [l, ..] => [l, l, l],
            _ => [255, 255, 255],
        };
        rgba.extend_from_slice(&[rgb[0], rgb[1], rgb[2], 255]);
    }
    let size = IntSize::from_wh(width, height).ok_or(ImageError::TooLarge)?;
    Pixmap::from_vec(rgba, size).ok_or(ImageError::TooLarge)
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
        assert_eq!(images.portrait_error(), Some(ImageError::Jpeg));
        assert_eq!(
            images.signature.unwrap().raster.unwrap_err(),
            ImageError::Jpeg2000
        );
        let big = vec![0; MAX_IMAGE_BYTES + 1];
        assert_eq!(
            decode_image(ImageFormat::Jpeg2000, &big),
            Err(ImageError::TooManyBytes)
        );
    }

    /// A codestream whose SIZ header says 4096 × 16: refused from the header, before decoding.
    #[test]
    fn an_oversized_jpeg2000_header_is_refused_before_decoding() {
        let jp2 = specimen("potret-icao", "portrait.jp2");
        // The codestream starts at the SOC marker FF 4F; SIZ (FF 51) follows with Lsiz, Rsiz,
        // then Xsiz and Ysiz (32 bits each, big-endian).
        let soc = jp2
            .windows(4)
            .position(|w| w == [0xFF, 0x4F, 0xFF, 0x51])
            .unwrap();
        let mut cs = jp2[soc..].to_vec();
        cs[8..12].copy_from_slice(&4096u32.to_be_bytes());
        assert_eq!(
            decode_image(ImageFormat::Jpeg2000, &cs),
            Err(ImageError::TooLarge)
        );
        // The untouched codestream (no JP2 boxes) decodes.
        assert_eq!(
            decode_image(ImageFormat::Jpeg2000, &jp2[soc..]),
            Ok((420, 525))
        );
    }

    /// The ICAO specimen's JPEG 2000 portrait decodes to the same pixels as OpenJPEG's
    /// `opj_decompress` (Debian libopenjp2-tools, an independent decoder) within rounding.
    #[test]
    fn the_icao_jpeg2000_portrait_matches_openjpeg() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../cards/specimens/potret-icao");
        let out = std::env::temp_dir().join(format!("ektp-face-opj-{}.ppm", std::process::id()));
        let status = std::process::Command::new("opj_decompress")
            .arg("-i")
            .arg(dir.join("portrait.jp2"))
            .arg("-o")
            .arg(&out)
            .output()
            .expect("opj_decompress (Debian libopenjp2-tools, installed by .ci/test)");
        assert!(status.status.success(), "{status:?}");
        let ppm = std::fs::read(&out).unwrap();
        std::fs::remove_file(&out).unwrap();
        // Binary PPM: "P6", a comment naming OpenJPEG, "420 525", "255", then RGB triples.
        let (header, reference) = ppm.split_at(ppm.len() - 420 * 525 * 3);
        let header = String::from_utf8_lossy(header);
        assert!(
            header.starts_with("P6\n") && header.ends_with("\n420 525\n255\n"),
            "{header:?}"
        );

        let images = CardImages::from_bytes(
            Some((
                ImageFormat::Jpeg2000,
                specimen("potret-icao", "portrait.jp2"),
            )),
            None,
        );
        assert_eq!(images.portrait_size(), Some((420, 525)));
        let ours = images.portrait.unwrap().raster.unwrap();
        let mut worst = 0u8;
        let mut total = 0u64;
        for (i, px) in ours.pixels().iter().enumerate() {
            let [r, g, b] = [px.red(), px.green(), px.blue()];
            for (c, v) in [r, g, b].into_iter().enumerate() {
                let d = v.abs_diff(reference[i * 3 + c]);
                worst = worst.max(d);
                total += u64::from(d);
            }
        }
        // Both decode the same lossy codestream; float rounding may differ by a step or two.
        assert!(worst <= 3, "largest difference {worst}");
        let mean = total as f64 / (420.0 * 525.0 * 3.0);
        assert!(mean < 0.5, "mean difference {mean}");
    }
}

//! 8-bit grayscale fingerprint images at 500 ppi, and their PNG form.
//!
//! Enrollment scanners deliver 8-bit grayscale at 500 ppi (ANSI/NIST-ITL 1 "500 ppi class",
//! the resolution MINDTCT is tuned for). [`GrayImage::decode_png`] checks the file length, then
//! the IHDR dimensions against [`MAX_WIDTH`] × [`MAX_HEIGHT`] before any pixel buffer is
//! allocated, refuses anything but a plain 8-bit grayscale image, and refuses a `pHYs` chunk
//! that states another resolution (a PNG without `pHYs` is taken to be 500 ppi).

use core::fmt;
use std::io::Cursor;

use zeroize::Zeroize;

use crate::Error;

/// The only scan resolution accepted, pixels per inch.
pub const PPI: u32 = 500;
/// 500 ppi in the PNG `pHYs` unit (pixels per metre, 500 / 0.0254 rounded).
pub const PIXELS_PER_METRE: u32 = 19_685;
/// Largest image width accepted, pixels (2 inches at 500 ppi).
pub const MAX_WIDTH: u32 = 1_000;
/// Largest image height accepted, pixels (2 inches at 500 ppi).
pub const MAX_HEIGHT: u32 = 1_000;
/// Largest PNG file accepted, bytes.
pub const MAX_PNG_BYTES: usize = 2 * 1024 * 1024;
/// Smallest side accepted, pixels: the MINDTCT block window.
pub const MIN_SIDE: u32 = 32;

/// How far a `pHYs` resolution may be from 500 ppi and still count as 500 ppi (1 %).
const PPM_TOLERANCE: u32 = PIXELS_PER_METRE / 100;

/// An 8-bit grayscale fingerprint image at 500 ppi, row-major, 0 black (ridge) to 255 white.
///
/// A live capture is biometric data: the pixels are zeroed when the image is dropped, and
/// `Debug` prints only the size.
#[derive(Clone, PartialEq, Eq)]
pub struct GrayImage {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) pixels: Vec<u8>,
}

impl fmt::Debug for GrayImage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GrayImage({}x{} @ {PPI} ppi)", self.width, self.height)
    }
}

impl Drop for GrayImage {
    fn drop(&mut self) {
        self.pixels.zeroize();
    }
}

fn check_dims(width: u32, height: u32) -> Result<usize, Error> {
    if width > MAX_WIDTH || height > MAX_HEIGHT {
        return Err(Error::ImageTooLarge {
            width,
            height,
            max_width: MAX_WIDTH,
            max_height: MAX_HEIGHT,
        });
    }
    if width < MIN_SIDE || height < MIN_SIDE {
        return Err(Error::ImageTooSmall {
            width,
            height,
            min: MIN_SIDE,
        });
    }
    // Both sides are at most 1000, so the product fits any usize.
    usize::try_from(u64::from(width).saturating_mul(u64::from(height))).map_err(|_| {
        Error::ImageTooLarge {
            width,
            height,
            max_width: MAX_WIDTH,
            max_height: MAX_HEIGHT,
        }
    })
}

impl GrayImage {
    /// An image from row-major pixels (0 black … 255 white) at 500 ppi.
    ///
    /// # Errors
    /// [`Error::ImageTooLarge`] / [`Error::ImageTooSmall`] for dimensions outside the limits,
    /// [`Error::PixelCount`] when `pixels` does not hold exactly `width × height` bytes.
    pub fn new(width: u32, height: u32, pixels: Vec<u8>) -> Result<Self, Error> {
        let expected = check_dims(width, height)?;
        if pixels.len() != expected {
            return Err(Error::PixelCount {
                len: pixels.len(),
                expected,
            });
        }
        Ok(Self {
            width,
            height,
            pixels,
        })
    }

    /// Decodes an 8-bit grayscale PNG at 500 ppi.
    ///
    /// # Errors
    /// [`Error::PngTooLong`] over [`MAX_PNG_BYTES`]; [`Error::Png`] for a malformed file;
    /// [`Error::ImageTooLarge`] / [`Error::ImageTooSmall`] (checked from the header, before any
    /// pixel buffer exists); [`Error::PixelFormat`] for anything but 8-bit grayscale;
    /// [`Error::PngLayout`] for interlaced or animated files; [`Error::Resolution`] when `pHYs`
    /// states another resolution.
    pub fn decode_png(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.len() > MAX_PNG_BYTES {
            return Err(Error::PngTooLong {
                len: bytes.len(),
                max: MAX_PNG_BYTES,
            });
        }
        // The decoder's own buffers: a few rows plus metadata chunks, far below this.
        let limits = png::Limits {
            bytes: 4 * 1024 * 1024,
        };
        let mut decoder = png::Decoder::new_with_limits(Cursor::new(bytes), limits);
        let (width, height) = {
            let info = decoder.read_header_info().map_err(Error::Png)?;
            (info.width, info.height)
        };
        let len = check_dims(width, height)?;
        let mut reader = decoder.read_info().map_err(Error::Png)?;
        let info = reader.info();
        let channels = info.color_type.samples();
        let bit_depth = info.bit_depth as u8;
        if info.color_type != png::ColorType::Grayscale || info.bit_depth != png::BitDepth::Eight {
            return Err(Error::PixelFormat {
                channels: u8::try_from(channels).unwrap_or(u8::MAX),
                bit_depth,
            });
        }
        if info.interlaced || info.animation_control.is_some() {
            return Err(Error::PngLayout);
        }
        if let Some(dims) = info.pixel_dims {
            let ok = |ppu: u32| ppu.abs_diff(PIXELS_PER_METRE) <= PPM_TOLERANCE;
            if dims.unit != png::Unit::Meter || !ok(dims.xppu) || !ok(dims.yppu) {
                let ppm = if dims.unit == png::Unit::Meter {
                    dims.xppu
                } else {
                    0
                };
                return Err(Error::Resolution {
                    ppi: ppm_to_ppi(ppm),
                });
            }
        }
        let mut pixels = vec![0u8; len];
        let out = reader.next_frame(&mut pixels).map_err(Error::Png)?;
        if out.buffer_size() != len {
            return Err(Error::PixelCount {
                len: out.buffer_size(),
                expected: len,
            });
        }
        Ok(Self {
            width,
            height,
            pixels,
        })
    }

    /// The image as an 8-bit grayscale PNG with a `pHYs` chunk saying 500 ppi. The bytes are
    /// returned, never written anywhere.
    ///
    /// # Errors
    /// [`Error::Encode`] if the PNG encoder fails (it writes to memory, so it does not).
    pub fn to_png(&self) -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, self.width, self.height);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::High);
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: PIXELS_PER_METRE,
            yppu: PIXELS_PER_METRE,
            unit: png::Unit::Meter,
        }));
        let mut w = enc
            .write_header()
            .map_err(|_| Error::Encode("PNG header"))?;
        w.write_image_data(&self.pixels)
            .map_err(|_| Error::Encode("PNG image data"))?;
        w.finish().map_err(|_| Error::Encode("PNG trailer"))?;
        Ok(out)
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The pixels, row-major.
    pub fn pixels(&self) -> &[u8] {
        &self.pixels
    }
}

fn ppm_to_ppi(ppm: u32) -> u32 {
    // ppi = ppm × 0.0254, rounded.
    let ppi = u64::from(ppm).saturating_mul(254).saturating_add(5_000) / 10_000;
    u32::try_from(ppi).unwrap_or(u32::MAX)
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, clippy::cast_possible_truncation)]
mod tests {
    use super::*;

    fn stripes(w: u32, h: u32) -> GrayImage {
        let px = (0..w * h)
            .map(|i| if (i / w) % 9 < 4 { 40 } else { 220 })
            .collect();
        GrayImage::new(w, h, px).unwrap()
    }

    #[test]
    fn png_round_trip() {
        let img = stripes(64, 80);
        let png = img.to_png().unwrap();
        assert_eq!(GrayImage::decode_png(&png).unwrap(), img);
    }

    #[test]
    fn refuses_other_formats_and_sizes() {
        let encode = |w: u32, h: u32, color, depth, ppm: Option<u32>| {
            let mut out = Vec::new();
            let mut enc = png::Encoder::new(&mut out, w, h);
            enc.set_color(color);
            enc.set_depth(depth);
            enc.set_pixel_dims(ppm.map(|p| png::PixelDimensions {
                xppu: p,
                yppu: p,
                unit: png::Unit::Meter,
            }));
            let n = (w * h) as usize * color.samples() * (depth as usize) / 8;
            let mut wr = enc.write_header().unwrap();
            wr.write_image_data(&vec![0u8; n]).unwrap();
            wr.finish().unwrap();
            out
        };
        let rgb = encode(40, 40, png::ColorType::Rgb, png::BitDepth::Eight, None);
        assert!(matches!(
            GrayImage::decode_png(&rgb),
            Err(Error::PixelFormat {
                channels: 3,
                bit_depth: 8
            })
        ));
        let g16 = encode(
            40,
            40,
            png::ColorType::Grayscale,
            png::BitDepth::Sixteen,
            None,
        );
        assert!(matches!(
            GrayImage::decode_png(&g16),
            Err(Error::PixelFormat { bit_depth: 16, .. })
        ));
        let dpi300 = encode(
            40,
            40,
            png::ColorType::Grayscale,
            png::BitDepth::Eight,
            Some(11_811),
        );
        assert!(matches!(
            GrayImage::decode_png(&dpi300),
            Err(Error::Resolution { ppi: 300 })
        ));
        let no_phys = encode(
            40,
            40,
            png::ColorType::Grayscale,
            png::BitDepth::Eight,
            None,
        );
        assert!(GrayImage::decode_png(&no_phys).is_ok());
        let small = encode(
            16,
            40,
            png::ColorType::Grayscale,
            png::BitDepth::Eight,
            None,
        );
        assert!(matches!(
            GrayImage::decode_png(&small),
            Err(Error::ImageTooSmall { .. })
        ));
        // A header claiming 60000 x 60000 is refused before any buffer is allocated.
        let mut huge = encode(
            40,
            40,
            png::ColorType::Grayscale,
            png::BitDepth::Eight,
            None,
        );
        huge[16..20].copy_from_slice(&60_000u32.to_be_bytes());
        huge[20..24].copy_from_slice(&60_000u32.to_be_bytes());
        assert!(GrayImage::decode_png(&huge).is_err());
        assert!(matches!(
            GrayImage::decode_png(&vec![0u8; MAX_PNG_BYTES + 1]),
            Err(Error::PngTooLong { .. })
        ));
        assert!(matches!(
            GrayImage::decode_png(b"not a png"),
            Err(Error::Png(_))
        ));
        assert!(GrayImage::new(40, 40, vec![0; 10]).is_err());
        assert_eq!(
            format!("{:?}", stripes(40, 40)),
            "GrayImage(40x40 @ 500 ppi)"
        );
    }

    proptest::proptest! {
        #[test]
        fn decode_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let _ = GrayImage::decode_png(&bytes);
        }

        #[test]
        fn truncated_png_never_panics(cut in 0usize..2000) {
            let png = stripes(48, 48).to_png().unwrap();
            let _ = GrayImage::decode_png(&png[..cut.min(png.len())]);
        }
    }
}

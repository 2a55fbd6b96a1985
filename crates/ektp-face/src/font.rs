//! The embedded DejaVu Sans Condensed faces: measuring text and drawing it into a pixmap.

use ab_glyph::{Font as _, FontRef, PxScale, ScaleFont as _, point};
use tiny_skia::Pixmap;

use crate::Error;

/// DejaVu Sans Condensed (Bitstream Vera licence, `fonts/LICENSE-DejaVu.txt`).
pub(crate) const REGULAR_TTF: &[u8] = include_bytes!("../fonts/DejaVuSansCondensed.ttf");
/// DejaVu Sans Condensed Bold.
pub(crate) const BOLD_TTF: &[u8] = include_bytes!("../fonts/DejaVuSansCondensed-Bold.ttf");

/// The two faces the card face uses.
pub(crate) struct Fonts {
    pub regular: FontRef<'static>,
    pub bold: FontRef<'static>,
}

impl Fonts {
    pub fn load() -> Result<Self, Error> {
        Ok(Self {
            regular: FontRef::try_from_slice(REGULAR_TTF).map_err(|_| Error::Font)?,
            bold: FontRef::try_from_slice(BOLD_TTF).map_err(|_| Error::Font)?,
        })
    }
}

/// The advance width of `text` at `size` pixels, kerning included.
pub(crate) fn text_width(font: &FontRef<'_>, size: f32, text: &str) -> f32 {
    let scaled = font.as_scaled(PxScale::from(size));
    let mut width = 0.0_f32;
    let mut prev = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = prev {
            width += scaled.kern(p, id);
        }
        width += scaled.h_advance(id);
        prev = Some(id);
    }
    width
}

/// The largest size ≤ `size` (and ≥ 60 % of it) at which `text` fits in `max_width`.
pub(crate) fn fitting_size(font: &FontRef<'_>, size: f32, text: &str, max_width: f32) -> f32 {
    let w = text_width(font, size, text);
    if w <= max_width || w <= 0.0 {
        size
    } else {
        (size * max_width / w).max(size * 0.6)
    }
}

/// Draws `text` with its baseline at `y`, starting at `x`, in `rgb`, over an opaque pixmap.
#[allow(
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap
)]
pub(crate) fn draw_text(
    pixmap: &mut Pixmap,
    font: &FontRef<'_>,
    size: f32,
    (x, y): (f32, f32),
    text: &str,
    rgb: [u8; 3],
) {
    let scale = PxScale::from(size);
    let scaled = font.as_scaled(scale);
    let (width, height) = (pixmap.width() as i64, pixmap.height() as i64);
    let data = pixmap.data_mut();
    let mut caret = x;
    let mut prev = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = prev {
            caret += scaled.kern(p, id);
        }
        let glyph = id.with_scale_and_position(scale, point(caret, y));
        caret += scaled.h_advance(id);
        prev = Some(id);
        let Some(outline) = font.outline_glyph(glyph) else {
            continue;
        };
        let bounds = outline.px_bounds();
        let (left, top) = (bounds.min.x as i64, bounds.min.y as i64);
        outline.draw(|gx, gy, coverage| {
            let (px, py) = (left + i64::from(gx), top + i64::from(gy));
            if px < 0 || py < 0 || px >= width || py >= height {
                return;
            }
            let at = ((py * width + px) * 4) as usize;
            let a = coverage.clamp(0.0, 1.0);
            if let Some(pixel) = data.get_mut(at..at + 3) {
                for (channel, &ink) in pixel.iter_mut().zip(rgb.iter()) {
                    *channel = (f32::from(*channel) * (1.0 - a) + f32::from(ink) * a).round() as u8;
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_fonts_load_and_measure() {
        let fonts = Fonts::load().unwrap();
        let w = text_width(&fonts.regular, 20.0, "NIK");
        assert!(w > 20.0 && w < 60.0, "{w}");
        assert!(text_width(&fonts.bold, 20.0, "NIK") > w);
        let size = fitting_size(
            &fonts.regular,
            20.0,
            "SPESIMEN NAMA YANG SANGAT PANJANG",
            100.0,
        );
        assert!(size < 20.0);
    }

    #[test]
    fn drawn_text_leaves_ink() {
        let fonts = Fonts::load().unwrap();
        let mut pixmap = Pixmap::new(100, 40).unwrap();
        pixmap.fill(tiny_skia::Color::WHITE);
        draw_text(
            &mut pixmap,
            &fonts.bold,
            24.0,
            (2.0, 30.0),
            "NIK",
            [0, 0, 0],
        );
        let dark = pixmap.data().chunks(4).filter(|p| p[0] < 128).count();
        assert!(dark > 50, "{dark}");
    }
}

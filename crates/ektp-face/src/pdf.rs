//! The A4 printout: the card face, the card data, the verification result and the time.

use std::io::Write as _;

use ab_glyph::{Font as _, FontRef};
use ektp::{HolderView, Status, VerifyReport};
use pdf_writer::types::{FontFlags, TextRenderingMode};
use pdf_writer::{Content, Filter, Name, Pdf, Rect, Ref, Str};

use crate::Error;
use crate::face::{FACE_HEIGHT, FACE_WIDTH, dmy, face_rows, render_face, rgb_bytes};
use crate::font::{REGULAR_TTF, text_width};
use crate::images::CardImages;

/// A4 in points.
const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 50.0;
/// The card face printed at its real size (85.6 mm wide).
const FACE_PT_W: f32 = 242.65;

/// The printout's own words (the card's field labels stay the card's). Indonesian by default
/// ([`PrintoutText::default`]); a caller with translations fills its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintoutText {
    /// The title at the top of the page.
    pub title: String,
    /// Heading of the card data table.
    pub card_data: String,
    /// Heading of the verification section.
    pub verification: String,
    /// The verdict when every check passed.
    pub passed: String,
    /// The verdict when a check failed.
    pub failed: String,
    /// Said instead of a verdict when the card was only read.
    pub not_verified: String,
    /// The words for PASS, FAIL and SKIP in a check's line.
    pub status_pass: String,
    /// FAIL.
    pub status_fail: String,
    /// SKIP (not checked).
    pub status_skip: String,
    /// Label of the print time (`Dicetak`).
    pub printed_at: String,
    /// Label of the blood type row.
    pub blood_type: String,
    /// Label of the document number row.
    pub document_number: String,
    /// Label of the issuing office and date row.
    pub issued: String,
    /// The language of each check's name and reason (from the catalogue of `ektp-i18n`).
    pub lang: ektp_i18n::Lang,
}

impl Default for PrintoutText {
    fn default() -> Self {
        Self {
            title: "Cetakan Data KTP Elektronik".to_owned(),
            card_data: "Data pada cip kartu".to_owned(),
            verification: "Hasil verifikasi".to_owned(),
            passed: "LULUS: kartu boleh diserahkan".to_owned(),
            failed: "JANGAN DISERAHKAN".to_owned(),
            not_verified: "Tidak diverifikasi (hanya dibaca)".to_owned(),
            status_pass: "LULUS".to_owned(),
            status_fail: "GAGAL".to_owned(),
            status_skip: "LEWAT".to_owned(),
            printed_at: "Dicetak".to_owned(),
            blood_type: "Gol. Darah".to_owned(),
            document_number: "Nomor Dokumen".to_owned(),
            issued: "Diterbitkan".to_owned(),
            lang: ektp_i18n::Lang::Id,
        }
    }
}

/// What a verification found, for the printout.
#[derive(Debug, Clone, Copy)]
pub struct Verification<'a> {
    /// The library's report (each check with its reason).
    pub report: &'a VerifyReport,
    /// The verdict (the report's, or stricter when the caller made further checks).
    pub passed: bool,
}

/// Renders the A4 printout of `view`: the card face, every field, the verification result
/// (or "not verified") and the time `printed_at` (Unix seconds, shown in UTC).
///
/// # Errors
/// As [`crate::render_face_png`].
pub fn render_pdf(
    view: &HolderView,
    images: &CardImages,
    verification: Option<Verification<'_>>,
    printed_at: i64,
    text: &PrintoutText,
) -> Result<Vec<u8>, Error> {
    let font = FontRef::try_from_slice(REGULAR_TTF).map_err(|_| Error::Font)?;
    let face = render_face(view, images)?;
    let mut page = Page::new(&font);
    page.bold(18.0, MARGIN, PAGE_H - 60.0, &text.title);
    let face_h = FACE_PT_W * FACE_HEIGHT as f32 / FACE_WIDTH as f32;
    let face_top = PAGE_H - 80.0;
    page.content
        .save_state()
        .transform([FACE_PT_W, 0.0, 0.0, face_h, MARGIN, face_top - face_h])
        .x_object(Name(b"Face"))
        .restore_state();
    verdict_box(&mut page, verification, text, face_top);
    page.y = face_top - face_h - 30.0;
    card_table(&mut page, view, text);
    page.y -= 14.0;
    checks(&mut page, verification, text);
    page.y -= 10.0;
    let when = format!("{}: {}", text.printed_at, ektp::format_utc(printed_at));
    page.line(10.0, MARGIN, &when);
    finish(page.content, &font, &face)
}

/// The page being written: its content stream and where the next line goes.
struct Page<'f> {
    content: Content,
    font: &'f FontRef<'static>,
    y: f32,
}

impl<'f> Page<'f> {
    fn new(font: &'f FontRef<'static>) -> Self {
        Self {
            content: Content::new(),
            font,
            y: PAGE_H - MARGIN,
        }
    }

    fn text(&mut self, size: f32, x: f32, y: f32, s: &str, bold: bool) {
        let c = &mut self.content;
        c.begin_text().set_font(Name(b"F1"), size);
        if bold {
            c.set_text_rendering_mode(TextRenderingMode::FillStroke)
                .set_line_width(size / 30.0);
        }
        c.next_line(x, y).show(Str(&win_ansi(s)));
        if bold {
            c.set_text_rendering_mode(TextRenderingMode::Fill);
        }
        c.end_text();
    }

    fn bold(&mut self, size: f32, x: f32, y: f32, s: &str) {
        self.text(size, x, y, s, true);
    }

    /// Writes `s` at `x` on the current line, wrapped to the page's right margin, and moves
    /// the line down.
    fn line(&mut self, size: f32, x: f32, s: &str) {
        for part in wrap(self.font, size, s, PAGE_W - MARGIN - x) {
            let y = self.y;
            self.text(size, x, y, &part, false);
            self.y -= size * 1.35;
        }
    }
}

/// The width of `s` set at `size` points per em (ab_glyph scales by ascent − descent).
fn em_width(font: &FontRef<'_>, size: f32, s: &str) -> f32 {
    let upem = font.units_per_em().unwrap_or(2048.0);
    text_width(font, size * font.height_unscaled() / upem, s)
}

/// Splits `s` into lines no wider than `width` at `size`.
fn wrap(font: &FontRef<'_>, size: f32, s: &str, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in s.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_owned()
        } else {
            format!("{current} {word}")
        };
        if !current.is_empty() && em_width(font, size, &candidate) > width {
            lines.push(std::mem::replace(&mut current, word.to_owned()));
        } else {
            current = candidate;
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// The big verdict to the right of the face: green PASS, red DO NOT HAND OUT, grey not verified.
fn verdict_box(page: &mut Page<'_>, v: Option<Verification<'_>>, text: &PrintoutText, top: f32) {
    let (rgb, words) = match v {
        Some(v) if v.passed => ((0.10, 0.50, 0.20), &text.passed),
        Some(_) => ((0.75, 0.10, 0.10), &text.failed),
        None => ((0.45, 0.45, 0.45), &text.not_verified),
    };
    let x = MARGIN + FACE_PT_W + 20.0;
    let w = PAGE_W - MARGIN - x;
    page.content
        .set_fill_rgb(rgb.0, rgb.1, rgb.2)
        .rect(x, top - 90.0, w, 90.0)
        .fill_nonzero()
        .set_fill_rgb(1.0, 1.0, 1.0)
        .set_stroke_rgb(1.0, 1.0, 1.0);
    let lines = wrap(page.font, 15.0, words, w - 20.0);
    let mut y = top - 35.0;
    for l in lines.iter().take(3) {
        page.bold(15.0, x + 10.0, y, l);
        y -= 20.0;
    }
    page.content
        .set_fill_rgb(0.0, 0.0, 0.0)
        .set_stroke_rgb(0.0, 0.0, 0.0);
}

/// Every field with its label, as on the card, plus the data the card face does not print.
fn card_table(page: &mut Page<'_>, view: &HolderView, text: &PrintoutText) {
    let h = &view.holder;
    let y = page.y;
    page.bold(12.0, MARGIN, y, &text.card_data);
    page.y -= 20.0;
    let mut rows = vec![("NIK".to_owned(), h.nik.as_str().to_owned())];
    rows.extend(
        face_rows(h)
            .into_iter()
            .map(|(k, v)| (k.trim().to_owned(), v)),
    );
    rows.push((text.blood_type.clone(), h.blood_type.to_string()));
    rows.push((
        text.issued.clone(),
        format!("{}, {}", h.issuing_office, dmy(&h.date_of_issue)),
    ));
    rows.push((text.document_number.clone(), h.document_number.to_string()));
    for (label, value) in rows {
        let y = page.y;
        page.text(10.5, MARGIN, y, &label, false);
        page.text(10.5, MARGIN + 130.0, y, ":", false);
        page.line(10.5, MARGIN + 140.0, &value);
    }
}

/// Each check with its result and reason.
fn checks(page: &mut Page<'_>, v: Option<Verification<'_>>, text: &PrintoutText) {
    let y = page.y;
    page.bold(12.0, MARGIN, y, &text.verification);
    page.y -= 20.0;
    let Some(v) = v else {
        page.line(10.0, MARGIN, &text.not_verified);
        return;
    };
    let catalog = ektp_i18n::Catalog::of(text.lang);
    for c in &v.report.checks {
        let word = match c.status() {
            Status::Pass => &text.status_pass,
            Status::Fail => &text.status_fail,
            _ => &text.status_skip,
        };
        let y = page.y;
        page.bold(10.0, MARGIN, y, word);
        let name = catalog.get(&format!("check-name-{}", c.check.as_str()));
        page.text(10.0, MARGIN + 50.0, y, &name, false);
        page.y -= 13.0;
        page.line(9.0, MARGIN + 50.0, &catalog.render(&c.message));
        page.y -= 2.0;
    }
}

/// `s` in WinAnsiEncoding: ASCII and Latin-1 as themselves, anything else as `?`.
fn win_ansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match u8::try_from(u32::from(c)) {
            Ok(b) if (0x20..0x7F).contains(&b) || b >= 0xA0 => b,
            _ => b'?',
        })
        .collect()
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing into a Vec cannot fail.
    let _ = z.write_all(bytes);
    z.finish().unwrap_or_default()
}

/// Assembles the document: catalog, page, the embedded font and the face image.
fn finish(
    content: Content,
    font: &FontRef<'_>,
    face: &tiny_skia::Pixmap,
) -> Result<Vec<u8>, Error> {
    let (catalog, tree, page_id, content_id) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4));
    let (font_id, descriptor, file, image) = (Ref::new(5), Ref::new(6), Ref::new(7), Ref::new(8));
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids([page_id]).count(1);
    {
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
            .parent(tree)
            .contents(content_id);
        let mut res = page.resources();
        res.fonts().pair(Name(b"F1"), font_id);
        res.x_objects().pair(Name(b"Face"), image);
    }
    pdf.stream(content_id, &deflate(&content.finish()))
        .filter(Filter::FlateDecode);
    embed_font(&mut pdf, font, (font_id, descriptor, file));
    let rgb = deflate(&rgb_bytes(face));
    let mut img = pdf.image_xobject(image, &rgb);
    img.width(i32::try_from(face.width()).unwrap_or(1))
        .height(i32::try_from(face.height()).unwrap_or(1))
        .bits_per_component(8);
    img.filter(Filter::FlateDecode);
    img.color_space().device_rgb();
    drop(img);
    Ok(pdf.finish())
}

/// DejaVu Sans Condensed as a simple TrueType font in WinAnsiEncoding, widths from the font.
#[allow(clippy::cast_possible_truncation)]
fn embed_font(pdf: &mut Pdf, font: &FontRef<'_>, (font_id, descriptor, file): (Ref, Ref, Ref)) {
    let upem = font.units_per_em().unwrap_or(2048.0);
    let per_mille = |units: f32| units * 1000.0 / upem;
    let widths: Vec<f32> = (32_u8..=255)
        .map(|b| per_mille(font.h_advance_unscaled(font.glyph_id(char::from(b)))))
        .collect();
    {
        let mut d = pdf.indirect(font_id).dict();
        d.pair(Name(b"Type"), Name(b"Font"));
        d.pair(Name(b"Subtype"), Name(b"TrueType"));
        d.pair(Name(b"BaseFont"), Name(b"DejaVuSansCondensed"));
        d.pair(Name(b"FirstChar"), 32);
        d.pair(Name(b"LastChar"), 255);
        d.insert(Name(b"Widths")).array().items(widths);
        d.pair(Name(b"FontDescriptor"), descriptor);
        d.pair(Name(b"Encoding"), Name(b"WinAnsiEncoding"));
    }
    pdf.font_descriptor(descriptor)
        .name(Name(b"DejaVuSansCondensed"))
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(-918.0, -463.0, 1614.0, 1232.0))
        .italic_angle(0.0)
        .ascent(per_mille(font.ascent_unscaled()))
        .descent(per_mille(font.descent_unscaled()))
        .cap_height(729.0)
        .stem_v(80.0)
        .font_file2(file);
    let packed = deflate(REGULAR_TTF);
    pdf.stream(file, &packed).filter(Filter::FlateDecode).pair(
        Name(b"Length1"),
        i32::try_from(REGULAR_TTF.len()).unwrap_or(0),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn win_ansi_keeps_latin1_and_replaces_the_rest() {
        assert_eq!(win_ansi("NIK é"), b"NIK \xE9".to_vec());
        assert_eq!(win_ansi("a\u{2014}b\n"), b"a?b?".to_vec());
    }

    #[test]
    fn wrap_keeps_every_word() {
        let font = FontRef::try_from_slice(REGULAR_TTF).unwrap();
        let s = "the chip signed a fresh challenge with the key in DG15 and more words";
        let lines = wrap(&font, 10.0, s, 120.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), s);
    }
}

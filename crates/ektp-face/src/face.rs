//! The card face: an ID-1 card at 300 dpi laid out as the e-KTP is printed.

use ektp::HolderView;
use ektp_lds::holder::Citizenship;
use ektp_lds::{Date, HolderRecord};
use tiny_skia::{
    Color, FilterQuality, GradientStop, LinearGradient, Paint, PathBuilder, Pixmap, PixmapPaint,
    Point, Rect, SpreadMode, Stroke, Transform,
};

use crate::Error;
use crate::font::{Fonts, draw_text, fitting_size, text_width};
use crate::images::{CardImage, CardImages};

/// Width of the card face in pixels (85.6 mm at 300 dpi).
pub const FACE_WIDTH: u32 = 1012;
/// Height of the card face in pixels (54 mm at 300 dpi).
pub const FACE_HEIGHT: u32 = 638;
/// Where the photo is drawn: x, y, width, height in pixels (4:5, as the portrait).
pub const PHOTO_BOX: (u32, u32, u32, u32) = (772, 118, 200, 250);
/// Where the signature is drawn.
const SIGNATURE_BOX: (u32, u32, u32, u32) = (772, 450, 200, 60);

const INK: [u8; 3] = [20, 24, 32];
const LABEL_X: f32 = 36.0;
const COLON_X: f32 = 262.0;
const VALUE_X: f32 = 278.0;
const VALUE_MAX_WIDTH: f32 = 480.0;

/// `DD-MM-YYYY`, as the card prints dates.
pub(crate) fn dmy(d: &Date) -> String {
    format!("{:02}-{:02}-{:04}", d.day(), d.month(), d.year())
}

/// `WNI`, or `WNA (JPN)` for a foreign resident.
pub(crate) fn citizenship(h: &HolderRecord) -> String {
    match h.citizenship {
        Citizenship::Wni => "WNI".to_owned(),
        Citizenship::Wna(c) => format!("WNA ({c})"),
    }
}

/// The rows of the card face below the NIK: label and value, in the card's order. The labels
/// are the card's own (Indonesian in every language).
pub(crate) fn face_rows(h: &HolderRecord) -> Vec<(&'static str, String)> {
    let a = &h.address;
    vec![
        ("Nama", h.name.clone()),
        (
            "Tempat/Tgl Lahir",
            format!("{}, {}", h.place_of_birth, dmy(&h.date_of_birth)),
        ),
        ("Jenis Kelamin", h.sex.as_str().to_owned()),
        ("Alamat", a.street.clone()),
        ("   RT/RW", format!("{}/{}", a.rt, a.rw)),
        ("   Kel/Desa", a.kelurahan_desa.clone()),
        ("   Kecamatan", a.kecamatan.clone()),
        ("Agama", h.religion.as_str().to_owned()),
        ("Status Perkawinan", h.marital_status.as_str().to_owned()),
        ("Pekerjaan", h.occupation.clone()),
        ("Kewarganegaraan", citizenship(h)),
        ("Berlaku Hingga", h.validity.to_string()),
    ]
}

/// Renders the card face of `view` with `images` as a PNG of [`FACE_WIDTH`] × [`FACE_HEIGHT`].
///
/// # Errors
/// [`Error::Font`] or [`Error::Surface`] for a build problem; [`Error::Png`] if encoding fails.
pub fn render_face_png(view: &HolderView, images: &CardImages) -> Result<Vec<u8>, Error> {
    let pixmap = render_face(view, images)?;
    encode_rgb_png(&pixmap)
}

/// The card face as pixels.
pub(crate) fn render_face(view: &HolderView, images: &CardImages) -> Result<Pixmap, Error> {
    let fonts = Fonts::load()?;
    let mut pixmap = Pixmap::new(FACE_WIDTH, FACE_HEIGHT).ok_or(Error::Surface {
        width: FACE_WIDTH,
        height: FACE_HEIGHT,
    })?;
    background(&mut pixmap);
    let h = &view.holder;
    header(&mut pixmap, &fonts, h);
    fields(&mut pixmap, &fonts, h);
    draw_image(
        &mut pixmap,
        &fonts,
        images.portrait.as_ref(),
        PHOTO_BOX,
        "FOTO",
    );
    let (px, _, pw, _) = PHOTO_BOX;
    let centre = px as f32 + pw as f32 / 2.0;
    centred(&mut pixmap, &fonts, 19.0, centre, 400.0, &h.issuing_office);
    centred(
        &mut pixmap,
        &fonts,
        19.0,
        centre,
        428.0,
        &dmy(&h.date_of_issue),
    );
    draw_image(
        &mut pixmap,
        &fonts,
        images.signature.as_ref(),
        SIGNATURE_BOX,
        "TANDA TANGAN",
    );
    Ok(pixmap)
}

/// The light blue-green security background with a few guilloche lines.
fn background(pixmap: &mut Pixmap) {
    pixmap.fill(Color::WHITE);
    let (w, h) = (FACE_WIDTH as f32, FACE_HEIGHT as f32);
    let mut paint = Paint::default();
    if let Some(shader) = LinearGradient::new(
        Point::from_xy(0.0, 0.0),
        Point::from_xy(w, h),
        vec![
            GradientStop::new(0.0, Color::from_rgba8(196, 226, 244, 255)),
            GradientStop::new(0.55, Color::from_rgba8(222, 240, 236, 255)),
            GradientStop::new(1.0, Color::from_rgba8(200, 230, 214, 255)),
        ],
        SpreadMode::Pad,
        Transform::identity(),
    ) {
        paint.shader = shader;
    }
    paint.anti_alias = true;
    if let Some(card) = rounded_rect(2.0, 2.0, w - 4.0, h - 4.0, 36.0) {
        pixmap.fill_path(
            &card,
            &paint,
            tiny_skia::FillRule::Winding,
            Transform::identity(),
            None,
        );
    }
    let mut line = Paint::default();
    line.set_color_rgba8(120, 170, 200, 70);
    line.anti_alias = true;
    let stroke = Stroke {
        width: 1.5,
        ..Stroke::default()
    };
    for k in 0..6_u8 {
        let mut pb = PathBuilder::new();
        let base = 130.0 + f32::from(k) * 85.0;
        pb.move_to(0.0, base);
        for step in 1..=64_u8 {
            let x = f32::from(step) * w / 64.0;
            let y = base + (x / 70.0 + f32::from(k)).sin() * 18.0;
            pb.line_to(x, y);
        }
        if let Some(path) = pb.finish() {
            pixmap.stroke_path(&path, &line, &stroke, Transform::identity(), None);
        }
    }
}

fn rounded_rect(x: f32, y: f32, w: f32, h: f32, r: f32) -> Option<tiny_skia::Path> {
    let mut pb = PathBuilder::new();
    pb.move_to(x + r, y);
    pb.line_to(x + w - r, y);
    pb.quad_to(x + w, y, x + w, y + r);
    pb.line_to(x + w, y + h - r);
    pb.quad_to(x + w, y + h, x + w - r, y + h);
    pb.line_to(x + r, y + h);
    pb.quad_to(x, y + h, x, y + h - r);
    pb.line_to(x, y + r);
    pb.quad_to(x, y, x + r, y);
    pb.close();
    pb.finish()
}

fn centred(pixmap: &mut Pixmap, fonts: &Fonts, size: f32, centre: f32, y: f32, text: &str) {
    let size = fitting_size(&fonts.bold, size, text, 230.0);
    let w = text_width(&fonts.bold, size, text);
    draw_text(pixmap, &fonts.bold, size, (centre - w / 2.0, y), text, INK);
}

/// `PROVINSI JAWA BARAT` / `KOTA BANDUNG`, centred.
fn header(pixmap: &mut Pixmap, fonts: &Fonts, h: &HolderRecord) {
    let centre = FACE_WIDTH as f32 / 2.0;
    for (text, y) in [
        (format!("PROVINSI {}", h.address.provinsi), 54.0),
        (h.address.kabupaten_kota.clone(), 94.0),
    ] {
        let size = fitting_size(&fonts.bold, 32.0, &text, 900.0);
        let w = text_width(&fonts.bold, size, &text);
        draw_text(pixmap, &fonts.bold, size, (centre - w / 2.0, y), &text, INK);
    }
}

/// NIK in large type, then every other field with its label.
fn fields(pixmap: &mut Pixmap, fonts: &Fonts, h: &HolderRecord) {
    let nik = h.nik.as_str();
    draw_text(pixmap, &fonts.bold, 34.0, (LABEL_X, 152.0), "NIK", INK);
    draw_text(pixmap, &fonts.bold, 34.0, (COLON_X - 20.0, 152.0), ":", INK);
    let size = fitting_size(&fonts.bold, 36.0, nik, VALUE_MAX_WIDTH);
    draw_text(pixmap, &fonts.bold, size, (VALUE_X - 20.0, 152.0), nik, INK);
    let mut y = 196.0_f32;
    for (label, value) in face_rows(h) {
        draw_text(pixmap, &fonts.regular, 22.0, (LABEL_X, y), label, INK);
        draw_text(pixmap, &fonts.regular, 22.0, (COLON_X, y), ":", INK);
        let size = fitting_size(&fonts.regular, 22.0, &value, VALUE_MAX_WIDTH);
        draw_text(pixmap, &fonts.regular, size, (VALUE_X, y), &value, INK);
        if label == "Jenis Kelamin" {
            let blood = format!("Gol. Darah : {}", h.blood_type);
            draw_text(pixmap, &fonts.regular, 22.0, (520.0, y), &blood, INK);
        }
        y += 34.0;
    }
}

/// The image scaled to fit `area` (aspect kept, centred), or a labelled placeholder.
fn draw_image(
    pixmap: &mut Pixmap,
    fonts: &Fonts,
    image: Option<&CardImage>,
    area: (u32, u32, u32, u32),
    what: &str,
) {
    let (x, y, w, h) = (area.0 as f32, area.1 as f32, area.2 as f32, area.3 as f32);
    let Some(rect) = Rect::from_xywh(x, y, w, h) else {
        return;
    };
    let mut paint = Paint::default();
    match image.map(|i| &i.raster) {
        Some(Ok(src)) => {
            let s = (w / src.width() as f32).min(h / src.height() as f32);
            let tx = x + (w - src.width() as f32 * s) / 2.0;
            let ty = y + (h - src.height() as f32 * s) / 2.0;
            let pp = PixmapPaint {
                quality: FilterQuality::Bicubic,
                ..PixmapPaint::default()
            };
            let t = Transform::from_row(s, 0.0, 0.0, s, tx, ty);
            pixmap.draw_pixmap(0, 0, src.as_ref(), &pp, t, None);
        }
        other => {
            paint.set_color_rgba8(235, 238, 240, 255);
            pixmap.fill_rect(rect, &paint, Transform::identity(), None);
            let reason = match other {
                Some(Err(why)) => format!("{why}: tidak ditampilkan"),
                _ => "tidak dibaca".to_owned(),
            };
            let centre = x + w / 2.0;
            let mid = y + h / 2.0;
            for (text, dy) in [(what, -4.0), (reason.as_str(), 20.0)] {
                let size = fitting_size(&fonts.regular, 16.0, text, w - 10.0);
                let tw = text_width(&fonts.regular, size, text);
                let at = (centre - tw / 2.0, mid + dy);
                draw_text(pixmap, &fonts.regular, size, at, text, [90, 90, 90]);
            }
        }
    }
    paint.set_color_rgba8(60, 80, 100, 255);
    let path = PathBuilder::from_rect(rect);
    let stroke = Stroke {
        width: 1.5,
        ..Stroke::default()
    };
    pixmap.stroke_path(&path, &paint, &stroke, Transform::identity(), None);
}

/// The pixmap (opaque) as an 8-bit RGB PNG.
pub(crate) fn encode_rgb_png(pixmap: &Pixmap) -> Result<Vec<u8>, Error> {
    let rgb = rgb_bytes(pixmap);
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&rgb)?;
    writer.finish()?;
    Ok(out)
}

/// The RGB samples of an opaque pixmap (alpha dropped).
pub(crate) fn rgb_bytes(pixmap: &Pixmap) -> Vec<u8> {
    pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| p.iter().take(3).copied())
        .collect()
}

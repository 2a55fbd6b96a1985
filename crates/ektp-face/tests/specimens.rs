//! Every specimen personalized on the in-process virtual chip, read back, and its card face
//! and printout rendered from what the card said: the PNG has the face's size and a photo
//! that is not blank; `pdftotext` (poppler-utils) finds the NIK, the name and the verdict in
//! the PDF. Each file is kept under `target/ektp-face/` to look at.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

#[path = "../../../tests/fixtures.rs"]
mod common;

use std::path::PathBuf;
use std::process::Command;
use std::time::SystemTime;

use common::*;
use ektp::{Card, HolderView, ReadRequest, RevocationList, Station, VerifyPolicy};
use ektp_face::{
    CardImages, FACE_HEIGHT, FACE_WIDTH, PHOTO_BOX, PrintoutText, Verification, render_face_png,
    render_pdf,
};

fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/ektp-face");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The standard deviation of the luminance inside `PHOTO_BOX`.
fn photo_spread(png_bytes: &[u8]) -> (u32, u32, f64) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    let (x0, y0, w, h) = PHOTO_BOX;
    let mut lum = Vec::new();
    for y in y0 + 4..y0 + h - 4 {
        for x in x0 + 4..x0 + w - 4 {
            let i = ((y * info.width + x) * 3) as usize;
            lum.push(
                f64::from(buf[i]) * 0.3
                    + f64::from(buf[i + 1]) * 0.59
                    + f64::from(buf[i + 2]) * 0.11,
            );
        }
    }
    let mean = lum.iter().sum::<f64>() / lum.len() as f64;
    let var = lum.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / lum.len() as f64;
    (info.width, info.height, var.sqrt())
}

fn pdftotext(path: &std::path::Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (Debian poppler-utils, installed by .ci/test)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_specimen_renders_a_face_and_a_printout_from_its_card() {
    let pki = pki();
    let revoked = RevocationList::new();
    let key = master_key();
    for (i, (name, app)) in valid_specimens().into_iter().enumerate() {
        let mut card = Card::new(blank_chip(i as u8).into_in_process()).unwrap();
        let station = Station {
            signer: &pki.signer,
            master_key: &key,
            trust: &pki.trust,
            cvca: None,
        };
        card.personalize(&app, &station, &mut |_| {}).unwrap();
        let policy = VerifyPolicy {
            trust: &pki.trust,
            revoked: &revoked,
            expected: Some(&app),
            at: SystemTime::now(),
        };
        let report = card.verify(&app.can, &policy).unwrap();
        assert!(report.passed, "{name}");
        let files = card
            .pace(&app.can)
            .unwrap()
            .read_files(ReadRequest::ALL)
            .unwrap();
        let view = HolderView::from_files(&files).unwrap();
        let images = CardImages::from_files(&files).unwrap();
        assert!(images.portrait_decoded(), "{name}");

        let png = render_face_png(&view, &images).unwrap();
        let face_path = out_dir().join(format!("{name}.png"));
        std::fs::write(&face_path, &png).unwrap();
        let (w, h, spread) = photo_spread(&png);
        assert_eq!((w, h), (FACE_WIDTH, FACE_HEIGHT), "{name}");
        assert!(
            spread > 12.0,
            "{name}: the photo region is flat ({spread:.1})"
        );

        let verification = Verification {
            report: &report,
            passed: report.passed,
        };
        let pdf = render_pdf(
            &view,
            &images,
            Some(verification),
            1_765_000_000,
            &PrintoutText::default(),
        )
        .unwrap();
        let pdf_path = out_dir().join(format!("{name}.pdf"));
        std::fs::write(&pdf_path, &pdf).unwrap();
        let text = pdftotext(&pdf_path);
        assert!(
            text.contains(app.holder.nik.as_str()),
            "{name}: NIK not in\n{text}"
        );
        assert!(
            text.contains(&app.holder.name),
            "{name}: name not in\n{text}"
        );
        assert!(text.contains("LULUS"), "{name}: verdict not in\n{text}");
        // Each check's name and reason in the printout's language (issue 18).
        assert!(
            text.contains("saluran aman terbentuk dengan CAN"),
            "{name}: Indonesian reason not in\n{text}"
        );
        assert!(!text.contains("secure channel"), "{name}: {text}");
        assert!(
            text.contains("2025-12-06 05:46:40 UTC"),
            "{name}: time not in\n{text}"
        );
        assert!(text.contains("Tempat/Tgl Lahir"), "{name}");
        println!("{name}: {} and {}", face_path.display(), pdf_path.display());
    }
}

#[test]
fn without_a_photo_the_face_says_so_and_a_revoked_card_says_do_not_hand_out() {
    let app = specimen("pria");
    let view = HolderView {
        holder: app.holder.clone(),
        photo: None,
        signature: None,
    };
    let png = render_face_png(&view, &CardImages::none()).unwrap();
    let (_, _, spread) = photo_spread(&png);
    // The placeholder: flat grey with two words, far flatter than a portrait.
    assert!(spread < 40.0, "{spread}");

    let pki = pki();
    let key = master_key();
    let mut card = Card::new(blank_chip(42).into_in_process()).unwrap();
    let station = Station {
        signer: &pki.signer,
        master_key: &key,
        trust: &pki.trust,
        cvca: None,
    };
    card.personalize(&app, &station, &mut |_| {}).unwrap();
    let mut revoked = RevocationList::new();
    revoked.revoke(app.holder.document_number.as_str());
    let policy = VerifyPolicy {
        trust: &pki.trust,
        revoked: &revoked,
        expected: Some(&app),
        at: SystemTime::now(),
    };
    let report = card.verify(&app.can, &policy).unwrap();
    assert!(!report.passed);
    let verification = Verification {
        report: &report,
        passed: report.passed,
    };
    let pdf = render_pdf(
        &view,
        &CardImages::none(),
        Some(verification),
        0,
        &PrintoutText::default(),
    )
    .unwrap();
    let path = out_dir().join("revoked.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let text = pdftotext(&path);
    assert!(text.contains("JANGAN DISERAHKAN"), "{text}");
    assert!(text.contains("GAGAL"), "{text}");
    // The check's name and reason in the printout's language (issue 18).
    assert!(text.contains("tidak_dicabut"), "{text}");
    assert!(text.contains("ada di daftar pencabutan"), "{text}");
    assert!(!text.contains("LULUS: kartu"), "{text}");
}

/// Decodes `portrait.jp2` of the `potret-icao` specimen with OpenJPEG's `opj_decompress`
/// (Debian libopenjp2-tools): an independent decoder, RGB triples of 420 × 525.
fn openjpeg_portrait() -> Vec<u8> {
    let src = specimens_dir().join("potret-icao/portrait.jp2");
    let out = out_dir().join("potret-icao-openjpeg.ppm");
    let run = Command::new("opj_decompress")
        .arg("-i")
        .arg(&src)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("opj_decompress (Debian libopenjp2-tools, installed by .ci/test)");
    assert!(run.status.success(), "{run:?}");
    let ppm = std::fs::read(&out).unwrap();
    ppm[ppm.len() - 420 * 525 * 3..].to_vec()
}

/// The mean R, G, B of `rgb` (width `w`) over the rectangle `x, y, w, h`.
fn mean_rgb(rgb: &[u8], width: u32, area: (u32, u32, u32, u32)) -> [f64; 3] {
    let (x0, y0, w, h) = area;
    let mut sum = [0f64; 3];
    for y in y0..y0 + h {
        for x in x0..x0 + w {
            let i = ((y * width + x) * 3) as usize;
            for c in 0..3 {
                sum[c] += f64::from(rgb[i + c]);
            }
        }
    }
    sum.map(|s| s / f64::from(w * h))
}

fn png_rgb(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// Compares the photo region of a rendered face with OpenJPEG's decode of the same portrait:
/// the 420 × 525 portrait fills the 200 × 250 box exactly (same 4:5), so the box's mean colour
/// and the mean colour of each quarter (background above, face, shirt below) match the
/// reference's, and a flat or wrong picture does not.
fn assert_photo_is_the_portrait(face_rgb: &[u8], reference: &[u8], what: &str) {
    let (px, py, pw, ph) = PHOTO_BOX;
    let quarters = |x: u32, y: u32, w: u32, h: u32| {
        [
            (x, y, w, h),
            (x, y, w / 2, h / 2),
            (x + w / 2, y, w / 2, h / 2),
            (x, y + h / 2, w / 2, h / 2),
            (x + w / 2, y + h / 2, w / 2, h / 2),
        ]
    };
    // One pixel in from the box edge: bicubic scaling blends the border with the card.
    let ours = quarters(px + 1, py + 1, pw - 2, ph - 2);
    let theirs = quarters(0, 0, 420, 525);
    for (a, b) in ours.iter().zip(theirs.iter()) {
        let (m, r) = (
            mean_rgb(face_rgb, FACE_WIDTH, *a),
            mean_rgb(reference, 420, *b),
        );
        for c in 0..3 {
            assert!(
                (m[c] - r[c]).abs() < 4.0,
                "{what}: region {a:?} channel {c}: {:.1} on the face, {:.1} in OpenJPEG's decode",
                m[c],
                r[c]
            );
        }
    }
    // And a few single points: the face's centre (skin), the hair, the background corner.
    for (fx, fy) in [(210u32, 241u32), (210, 120), (20, 20), (210, 500)] {
        let (x, y) = (px + fx * pw / 420, py + fy * ph / 525);
        let m = mean_rgb(face_rgb, FACE_WIDTH, (x - 1, y - 1, 3, 3));
        let r = mean_rgb(reference, 420, (fx - 3, fy - 3, 7, 7));
        for c in 0..3 {
            assert!(
                (m[c] - r[c]).abs() < 16.0,
                "{what}: pixel ({fx}, {fy}) channel {c}: {:.1} vs {:.1}",
                m[c],
                r[c]
            );
        }
    }
}

#[test]
fn the_icao_jpeg2000_portrait_is_drawn_on_the_face_and_in_the_printout() {
    let app = specimen("potret-icao");
    let pki = pki();
    let key = master_key();
    let mut card = Card::new(blank_chip(43).into_in_process()).unwrap();
    let station = Station {
        signer: &pki.signer,
        master_key: &key,
        trust: &pki.trust,
        cvca: None,
    };
    card.personalize(&app, &station, &mut |_| {}).unwrap();
    let files = card
        .pace(&app.can)
        .unwrap()
        .read_files(ReadRequest::ALL)
        .unwrap();
    let view = HolderView::from_files(&files).unwrap();
    let images = CardImages::from_files(&files).unwrap();
    assert_eq!(images.portrait_error(), None);
    assert_eq!(images.portrait_size(), Some((420, 525)));

    let reference = openjpeg_portrait();
    let png = render_face_png(&view, &images).unwrap();
    std::fs::write(out_dir().join("potret-icao.png"), &png).unwrap();
    let (w, h, rgb) = png_rgb(&png);
    assert_eq!((w, h), (FACE_WIDTH, FACE_HEIGHT));
    assert_photo_is_the_portrait(&rgb, &reference, "face PNG");

    // The printout embeds the face as an image: `pdfimages` (poppler-utils) takes it out.
    let pdf = render_pdf(&view, &images, None, 0, &PrintoutText::default()).unwrap();
    let pdf_path = out_dir().join("potret-icao.pdf");
    std::fs::write(&pdf_path, &pdf).unwrap();
    let prefix = out_dir().join("potret-icao-pdfimage");
    let run = Command::new("pdfimages")
        .arg("-png")
        .arg(&pdf_path)
        .arg(&prefix)
        .output()
        .expect("pdfimages (Debian poppler-utils, installed by .ci/test)");
    assert!(run.status.success(), "{run:?}");
    let extracted = std::fs::read(out_dir().join("potret-icao-pdfimage-000.png")).unwrap();
    let (w, h, rgb) = png_rgb(&extracted);
    assert_eq!((w, h), (FACE_WIDTH, FACE_HEIGHT));
    assert_photo_is_the_portrait(&rgb, &reference, "PDF image");

    // A flat grey box (the old placeholder) is not taken for the portrait.
    let flat = render_face_png(&view, &CardImages::none()).unwrap();
    let (_, _, flat_rgb) = png_rgb(&flat);
    let caught = std::panic::catch_unwind(|| {
        assert_photo_is_the_portrait(&flat_rgb, &reference, "placeholder")
    });
    assert!(caught.is_err(), "the comparison cannot tell a placeholder");
}

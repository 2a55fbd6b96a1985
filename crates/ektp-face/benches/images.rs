//! How long the card face's images take to decode and the face to render, on one core: the
//! `potret-icao` specimen's 420 × 525 JPEG 2000 portrait (17 KB; `hayro-jpeg2000` without its
//! `simd` feature), the `pria` specimen's 48 × 60 JPEG portrait, and the whole face PNG with the
//! JPEG 2000 portrait. Prints the median and the slowest of the runs.
//!
//! ```text
//! cargo bench -p ektp-face --bench images
//! ```
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    missing_docs
)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use ektp::HolderView;
use ektp_face::{CardImages, decode_image, render_face_png};
use ektp_lds::ImageFormat;

const RUNS: usize = 30;

fn specimen(name: &str, file: &str) -> Vec<u8> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../cards/specimens");
    std::fs::read(dir.join(name).join(file)).unwrap()
}

fn time(what: &str, mut f: impl FnMut()) {
    f();
    let mut runs: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    runs.sort();
    println!(
        "{what:<44} median {:>8.2} ms   slowest {:>8.2} ms   ({RUNS} runs)",
        runs[RUNS / 2].as_secs_f64() * 1e3,
        runs[RUNS - 1].as_secs_f64() * 1e3
    );
}

fn main() {
    let jp2 = specimen("potret-icao", "portrait.jp2");
    let jpg = specimen("pria", "portrait.jpg");
    let sig = specimen("potret-icao", "signature.jpg");
    time("JPEG 2000 portrait 420x525 (potret-icao)", || {
        assert_eq!(decode_image(ImageFormat::Jpeg2000, &jp2), Ok((420, 525)));
    });
    time("JPEG portrait 48x60 (pria)", || {
        assert_eq!(decode_image(ImageFormat::Jpeg, &jpg), Ok((48, 60)));
    });
    let app = ektp::load_application(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../cards/specimens/potret-icao/application.json"),
    )
    .unwrap();
    let view = HolderView {
        holder: app.holder.clone(),
        photo: None,
        signature: None,
    };
    time("face PNG with the JPEG 2000 portrait", || {
        let images = CardImages::from_bytes(
            Some((ImageFormat::Jpeg2000, jp2.clone())),
            Some((ImageFormat::Jpeg, sig.clone())),
        );
        render_face_png(&view, &images).unwrap();
    });
}

//! Regenerates the specimen cards' index fingers: for each specimen directory under
//! `cards/specimens`, a synthetic enrollment image per index finger (`right-index.png`,
//! `left-index.png`: impression 0 of the finger's seed, cropped to the finger and quantized to
//! 32 grey levels so each PNG stays small) and the ISO/IEC 19794-2 record MINDTCT extracts from
//! that PNG (`right-index.fmr`, `left-index.fmr`), through the default quality gate. Deterministic:
//! the same seeds give the same bytes.
//!
//! ```text
//! cargo run --release -p ektp-bio --features synth --example specimen_fingers -- cards/specimens
//! ```

// A developer's tool over fixed, in-range sizes (a 256 x 320 crop of a 320 x 400 image).
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use std::path::Path;

use ektp_bio::synth::SyntheticFinger;
use ektp_bio::{FingerPosition, GrayImage, QualityGate};

/// Specimen directory, right index seed, left index seed (the table in `cards/specimens/README.md`).
pub const SPECIMEN_SEEDS: [(&str, u64, u64); 6] = [
    ("belum-kawin-16", 9100, 9101),
    ("menikah-16", 9102, 9103),
    ("nama-panjang", 9104, 9105),
    ("pria", 9106, 9107),
    ("wanita", 9108, 9109),
    ("wna", 9110, 9111),
];

/// The crop kept of the 320 × 400 impression: x, y, width, height.
const CROP: (u32, u32, u32, u32) = (32, 40, 256, 320);

/// Impression 0 of `seed`, cropped to [`CROP`] and quantized to 32 grey levels.
fn enrollment_image(seed: u64) -> Result<GrayImage, ektp_bio::Error> {
    let full = SyntheticFinger::new(seed).impression(0);
    let (x0, y0, w, h) = CROP;
    let mut pixels = Vec::with_capacity(usize::try_from(w * h).unwrap_or(0));
    for y in y0..y0 + h {
        let row = usize::try_from(y * full.width() + x0).unwrap_or(0);
        let row = &full.pixels()[row..row + usize::try_from(w).unwrap_or(0)];
        pixels.extend(row.iter().map(|p| (p & 0xF8) | 0x04));
    }
    GrayImage::new(w, h, pixels)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir] = args.as_slice() else {
        return Err("usage: specimen_fingers cards/specimens".into());
    };
    let gate = QualityGate::default();
    for (name, right, left) in SPECIMEN_SEEDS {
        for (seed, finger, stem) in [
            (right, FingerPosition::RightIndex, "right-index"),
            (left, FingerPosition::LeftIndex, "left-index"),
        ] {
            let png = enrollment_image(seed)?.to_png()?;
            // The record comes from the PNG as written, exactly what enrollment reads.
            let record = gate.extract(&GrayImage::decode_png(&png)?, finger)?;
            let fmr = record.encode()?;
            let base = Path::new(dir).join(name);
            std::fs::write(base.join(format!("{stem}.png")), &png)?;
            std::fs::write(base.join(format!("{stem}.fmr")), &fmr)?;
            // What a desk would see: later touches of this finger, and a stranger's (the
            // next seed), scored against the enrolled record.
            let scores = |s: u64| -> Vec<u32> {
                (1..=4)
                    .map(|n| {
                        let live = SyntheticFinger::new(s).impression(n);
                        ektp_bio::extract::extract_ungated(&live, finger)
                            .map_or(0, |r| ektp_bio::score(&r, &record).0)
                    })
                    .collect()
            };
            println!(
                "{name}/{stem}: seed {seed}, PNG {} bytes, {} minutiae, quality {}, record {} \
                 bytes; impressions 1-4 score {:?}, seed {} scores {:?}",
                png.len(),
                record.minutiae().len(),
                record.quality(),
                fmr.len(),
                scores(seed),
                seed + 2,
                scores(seed + 2)
            );
        }
    }
    Ok(())
}

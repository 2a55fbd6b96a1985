//! `ektp-lds` figures: `cargo bench -p ektp-lds --bench lds`.
//!
//! Prints the one-time cost of decompressing the embedded region tables, then the median and
//! 99th-percentile time of: validating a specimen application (JSON + 4 files + all rules),
//! encoding its LDS image, and decoding all eight files back to a holder record (what a
//! pickup desk does after reading the chip).
#![allow(
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use ektp_lds::{Dg1, Dg2, Dg3, Dg7, Dg11, Dg12, Dg13, EfCom, HolderRecord, LdsImage, Nik, wilayah};

const ROUNDS: usize = 300;

fn figures(name: &str, mut f: impl FnMut()) {
    for _ in 0..10 {
        f();
    }
    let mut samples: Vec<Duration> = (0..ROUNDS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    samples.sort_unstable();
    let p = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    println!(
        "{name:<44} median {:>9.1} µs   p99 {:>9.1} µs",
        p(0.5).as_secs_f64() * 1e6,
        p(0.99).as_secs_f64() * 1e6
    );
}

fn main() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../cards/specimens/nama-panjang/application.json");

    let t = Instant::now();
    black_box(Nik::parse("3578012802750006").unwrap());
    println!(
        "{:<44} once   {:>9.1} ms",
        "load district table (first NIK check)",
        t.elapsed().as_secs_f64() * 1e3
    );
    let t = Instant::now();
    black_box(wilayah::village_name("35.78.01.1002").unwrap());
    println!(
        "{:<44} once   {:>9.1} ms",
        "load village table (first address check)",
        t.elapsed().as_secs_f64() * 1e3
    );

    figures("validate application (JSON + files + rules)", || {
        black_box(common::from_json_file(&path).unwrap());
    });
    let app = common::from_json_file(&path).unwrap();
    figures("encode LDS image (EF.COM, DG1-3, 7, 11-13)", || {
        black_box(LdsImage::from_application(&app).unwrap());
    });
    let img = LdsImage::from_application(&app).unwrap();
    let files: Vec<Vec<u8>> = img.files().into_iter().map(|(_, b)| b.to_vec()).collect();
    let total: usize = files.iter().map(Vec::len).sum();
    figures(
        &format!("decode 8 files ({total} B) + holder record"),
        || {
            let _ = black_box(EfCom::decode(&files[0]).unwrap());
            let dg1 = Dg1::decode(&files[1]).unwrap();
            black_box(Dg2::decode(&files[2]).unwrap());
            black_box(Dg3::decode(&files[3]).unwrap());
            black_box(Dg7::decode(&files[4]).unwrap());
            let dg11 = Dg11::decode(&files[5]).unwrap();
            let dg12 = Dg12::decode(&files[6]).unwrap();
            let dg13 = Dg13::decode(&files[7]).unwrap();
            black_box(HolderRecord::from_data_groups(&dg1, &dg11, &dg12, &dg13).unwrap());
        },
    );
}

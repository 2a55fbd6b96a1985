//! Figures for the virtual chip, in-process (host-side crypto included where a flow needs it):
//! `cargo bench -p ektp-chip --bench chip`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic,
    missing_docs
)]

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use ektp_chip::card::Card;
use ektp_iso7816::{CommandApdu, Ins};
use support::{CAN, Host, blank, issued, sample_files};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(n: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..n)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

const SELECT_APP: [u8; 12] = [
    0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0, 0, 2, 0x47, 0x10, 0x01,
];

fn main() {
    let total: usize = sample_files().iter().map(|(_, c)| c.len()).sum();
    let perso = time(20, || {
        let mut h = Host::new(blank());
        h.perso_auth().unwrap();
        h.personalize(&sample_files(), CAN);
        h.lock()
    });
    println!(
        "personalize blank -> issued ({} files, {total} bytes, auth + AA keygen + CAN + lock): median {:.2} ms",
        sample_files().len(),
        perso.as_secs_f64() * 1e3
    );

    let mut h = Host::new(issued());
    h.raw(&SELECT_APP);
    let pace = time(50, || h.pace(CAN).unwrap());
    println!(
        "PACE with the CAN (MSE + 4 GA, host and chip): median {:.2} ms",
        pace.as_secs_f64() * 1e3
    );

    h.pace(CAN).unwrap();
    let dg2 = CommandApdu::new(0, Ins::ReadBinary, 0x82, 0).with_le(65536);
    let read = time(200, || h.sm(&dg2));
    let n = h
        .chip
        .file(ektp_iso7816::Fid::new(0x0102).unwrap())
        .unwrap()
        .len();
    println!(
        "READ BINARY DG2 ({n} bytes) in one extended SM APDU: median {:.1} us, {:.0} MB/s",
        read.as_secs_f64() * 1e6,
        n as f64 / read.as_secs_f64() / 1e6
    );

    let aa = CommandApdu::new(0, Ins::InternalAuthenticate, 0, 0)
        .with_data(vec![7; 8])
        .with_le(256);
    let sig = time(200, || h.sm(&aa));
    println!(
        "INTERNAL AUTHENTICATE (ECDSA P-256) under SM: median {:.1} us",
        sig.as_secs_f64() * 1e6
    );

    let mut chip = issued();
    chip.power_on();
    let get = [0x00, 0xCA, 0xDF, 0x02, 0x00];
    let t = Instant::now();
    let rounds = 200_000u32;
    for _ in 0..rounds {
        std::hint::black_box(chip.process(&get));
    }
    println!(
        "plain GET DATA: {:.0} ns per APDU",
        t.elapsed().as_secs_f64() * 1e9 / f64::from(rounds)
    );

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chip.json");
    let save = time(30, || chip.save(&path).unwrap());
    println!(
        "atomic save of an issued chip ({} bytes JSON, write + fsync + rename + dir fsync): median {:.2} ms",
        std::fs::metadata(&path).unwrap().len(),
        save.as_secs_f64() * 1e3
    );
}

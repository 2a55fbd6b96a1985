//! The pure-Rust MINDTCT and BOZORTH3 against NIST's C code on the same inputs.
//!
//! Inputs: 24 synthetic impressions (6 fingers × 4, fixed seeds) from `ektp_bio::synth`.
//! MINDTCT: the Rust port's minutiae must equal the C tool's, minutia for minutia, in order.
//! BOZORTH3: every ordered pair of distinct impressions (552 pairs, genuine and impostor) must
//! score the same, on the raw `xyt` minutiae and on the `xyt` decoded from the ISO/IEC 19794-2
//! records `ektp-bio` writes (the path the e-KTP uses). The C side starts every pair from a
//! fresh state (see `shim/bozorth3_fresh.c`), as a new `bozorth3` process would.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]

use ektp_bio::synth::SyntheticFinger;
use ektp_bio::{FingerMinutiaeRecord, FingerPosition, GrayImage};
use ektp_bio_nbis_check::{Xytq, c_bozorth3, c_mindtct};

const SEEDS: [u64; 6] = [11, 22, 33, 44, 55, 66];

fn images() -> Vec<GrayImage> {
    SEEDS
        .iter()
        .flat_map(|&s| {
            let f = SyntheticFinger::new(s);
            (0..4).map(move |n| f.impression(n))
        })
        .collect()
}

fn rust_mindtct(img: &GrayImage) -> Vec<Xytq> {
    let g = fprint_mindtct::GrayImage::new(
        img.pixels(),
        img.width() as usize,
        img.height() as usize,
        500,
    )
    .unwrap();
    fprint_mindtct::detect_minutiae(g)
        .into_iter()
        .map(|m| Xytq {
            x: m.x,
            y: m.y,
            theta: m.theta,
            quality: m.quality,
        })
        .collect()
}

fn rust_bozorth3(p: &[Xytq], g: &[Xytq]) -> u32 {
    let conv = |v: &[Xytq]| {
        v.iter()
            .map(|m| fprint_bozorth3::Minutia {
                x: m.x,
                y: m.y,
                theta: m.theta,
            })
            .collect::<Vec<_>>()
    };
    fprint_bozorth3::match_score(&conv(p), &conv(g))
}

/// The xyt (with quality) BOZORTH3 sees for an ISO record, through ektp-bio's conversion.
fn iso_xyt(r: &FingerMinutiaeRecord) -> Vec<Xytq> {
    let h = i32::from(r.height());
    r.minutiae()
        .iter()
        .map(|m| Xytq {
            x: i32::from(m.x),
            y: h - i32::from(m.y),
            theta: (m.angle.degrees() + 180).rem_euclid(360),
            quality: i32::from(m.quality),
        })
        .collect()
}

#[test]
fn rust_ports_equal_nist_c() {
    let images = images();
    assert!(images.len() >= 20);
    let mut c_sets = Vec::new();
    let mut mindtct_mismatches = Vec::new();
    for (i, img) in images.iter().enumerate() {
        let c = c_mindtct(img.pixels(), img.width() as usize, img.height() as usize).unwrap();
        let r = rust_mindtct(img);
        if c != r {
            mindtct_mismatches.push((i, c.len(), r.len()));
        }
        assert!(c.len() >= 10, "image {i}: only {} minutiae", c.len());
        c_sets.push(c);
    }
    println!(
        "MINDTCT: {} images, minutiae per image {:?}",
        images.len(),
        c_sets.iter().map(Vec::len).collect::<Vec<_>>()
    );
    assert!(
        mindtct_mismatches.is_empty(),
        "MINDTCT differs on (image, C count, Rust count): {mindtct_mismatches:?}"
    );

    let records: Vec<FingerMinutiaeRecord> = images
        .iter()
        .map(|img| {
            let r = ektp_bio::extract::extract_ungated(img, FingerPosition::RightIndex).unwrap();
            FingerMinutiaeRecord::decode(&r.encode().unwrap()).unwrap()
        })
        .collect();
    let mut pairs = 0;
    let mut genuine_over_40 = 0;
    let mut raw_mismatches = Vec::new();
    let mut iso_mismatches = Vec::new();
    for p in 0..images.len() {
        for g in 0..images.len() {
            if p == g {
                continue;
            }
            let c = c_bozorth3(&c_sets[p], &c_sets[g]).unwrap();
            let r = rust_bozorth3(&c_sets[p], &c_sets[g]);
            if c != r {
                raw_mismatches.push((p, g, c, r));
            }
            let c_iso = c_bozorth3(&iso_xyt(&records[p]), &iso_xyt(&records[g])).unwrap();
            let r_iso = ektp_bio::score(&records[p], &records[g]).0;
            if c_iso != r_iso {
                iso_mismatches.push((p, g, c_iso, r_iso));
            }
            if p / 4 == g / 4 && c >= 40 {
                genuine_over_40 += 1;
            }
            pairs += 1;
        }
    }
    println!("BOZORTH3: {pairs} pairs, {genuine_over_40} genuine pairs at or over 40");
    assert!(pairs >= 100);
    assert!(
        raw_mismatches.is_empty(),
        "BOZORTH3 differs on MINDTCT xyt, (probe, gallery, C, Rust): {raw_mismatches:?}"
    );
    assert!(
        iso_mismatches.is_empty(),
        "BOZORTH3 differs on xyt from ISO records, (probe, gallery, C, Rust): {iso_mismatches:?}"
    );
}

#[test]
fn both_score_zero_under_the_minimum() {
    let few: Vec<Xytq> = (0..9)
        .map(|i| Xytq {
            x: 20 + i * 17,
            y: 40 + i * 11,
            theta: i * 40,
            quality: 50,
        })
        .collect();
    assert_eq!(c_bozorth3(&few, &few).unwrap(), 0);
    assert_eq!(rust_bozorth3(&few, &few), 0);
}

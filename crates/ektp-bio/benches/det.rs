//! The fingerprint benchmark: genuine and impostor BOZORTH3 score distributions on synthetic
//! fingers through the full path image → MINDTCT → ISO/IEC 19794-2 record → BOZORTH3, the FNMR at
//! the default threshold and at FMR 0.1 % / 0.01 %, a DET table, and extraction and match times
//! on one core.
//!
//! ```text
//! cargo bench -p ektp-bio --features synth --bench det
//! EKTP_BIO_BENCH_FINGERS=50 cargo bench -p ektp-bio --features synth --bench det   # smaller set
//! ```
//!
//! Genuine pairs: every pair of a finger's impressions (later impression as probe), 6 per finger
//! with 4 impressions. Impostor pairs: impression 0 of every finger (probe) against impression 1
//! of every other finger (gallery).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_precision_loss,
    missing_docs
)]

use std::time::{Duration, Instant};

use ektp_bio::extract::extract_ungated;
use ektp_bio::synth::SyntheticFinger;
use ektp_bio::{FingerMinutiaeRecord, FingerPosition, QualityGate, score};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn fnmr_at(genuine: &[u32], t: u32) -> f64 {
    genuine.iter().filter(|&&s| s < t).count() as f64 / genuine.len().max(1) as f64
}

fn fmr_at(impostor: &[u32], t: u32) -> f64 {
    impostor.iter().filter(|&&s| s >= t).count() as f64 / impostor.len().max(1) as f64
}

/// The lowest threshold whose FMR is at most `target`.
fn threshold_for_fmr(impostor: &[u32], target: f64) -> u32 {
    (0..=4001)
        .find(|&t| fmr_at(impostor, t) <= target)
        .unwrap_or(4001)
}

fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let fingers = env("EKTP_BIO_BENCH_FINGERS", 200);
    let impressions = env("EKTP_BIO_BENCH_IMPRESSIONS", 4).max(2);
    let base: u64 = 0x00E7_B10F_1A6E_0000;
    println!("ektp-bio DET benchmark: {fingers} synthetic fingers x {impressions} impressions");
    println!(
        "(seeds {base:#x} + finger index; one core; image -> MINDTCT -> ISO 19794-2 -> BOZORTH3)"
    );

    let gate = QualityGate::default();
    let mut synth_time = Duration::ZERO;
    let mut extract_times = Vec::new();
    let mut records: Vec<Vec<FingerMinutiaeRecord>> = Vec::with_capacity(fingers);
    let mut passes: Vec<Vec<bool>> = Vec::with_capacity(fingers);
    let mut counts = Vec::new();
    let mut gate_refusals = 0usize;
    for f in 0..fingers {
        let t0 = Instant::now();
        let master = SyntheticFinger::new(base + f as u64);
        let images: Vec<_> = (0..impressions as u32)
            .map(|n| master.impression(n))
            .collect();
        synth_time += t0.elapsed();
        let mut recs = Vec::with_capacity(impressions);
        let mut pass = Vec::with_capacity(impressions);
        for img in &images {
            let t = Instant::now();
            let rec = extract_ungated(img, FingerPosition::RightIndex).unwrap();
            extract_times.push(t.elapsed());
            let ok = gate.check(&rec).is_ok();
            if !ok {
                gate_refusals += 1;
            }
            pass.push(ok);
            counts.push(rec.minutiae().len() as u32);
            // Through the card format, as the chip stores it.
            let bytes = rec.encode().unwrap();
            recs.push(FingerMinutiaeRecord::decode(&bytes).unwrap());
        }
        records.push(recs);
        passes.push(pass);
    }

    let mut match_time = Duration::ZERO;
    let mut matches = 0u32;
    let verbose = env("EKTP_BIO_BENCH_VERBOSE", 0) > 0;
    let mut genuine = Vec::new();
    let mut genuine_gated = Vec::new();
    for (f, recs) in records.iter().enumerate() {
        for a in 0..impressions {
            for b in a + 1..impressions {
                let t = Instant::now();
                let s = score(&recs[b], &recs[a]).0;
                match_time += t.elapsed();
                matches += 1;
                if verbose && s < 40 {
                    println!(
                        "genuine under 40: finger {f} impressions {b} vs {a}: {s} ({} / {} minutiae)",
                        recs[b].minutiae().len(),
                        recs[a].minutiae().len()
                    );
                }
                genuine.push(s);
                if passes[f][a] && passes[f][b] {
                    genuine_gated.push(s);
                }
            }
        }
    }
    let mut impostor = Vec::new();
    let mut impostor_gated = Vec::new();
    for (i, ri) in records.iter().enumerate() {
        for (j, rj) in records.iter().enumerate() {
            if i != j {
                let t = Instant::now();
                let s = score(&ri[0], &rj[1]).0;
                match_time += t.elapsed();
                matches += 1;
                impostor.push(s);
                if passes[i][0] && passes[j][1] {
                    impostor_gated.push(s);
                }
            }
        }
    }

    let mut g = genuine.clone();
    g.sort_unstable();
    let mut im = impostor.clone();
    im.sort_unstable();
    counts.sort_unstable();
    extract_times.sort_unstable();

    println!();
    println!(
        "minutiae per image: min {} / median {} / max {}   (gate refusals: {gate_refusals} of {})",
        counts.first().unwrap_or(&0),
        percentile(&counts, 0.5),
        counts.last().unwrap_or(&0),
        counts.len()
    );
    println!();
    println!("| scores   | pairs  | min | p1  | p5  | median | p95 | p99 | max  |");
    println!("|----------|--------|-----|-----|-----|--------|-----|-----|------|");
    for (name, s) in [("genuine", &g), ("impostor", &im)] {
        println!(
            "| {name:<8} | {:>6} | {:>3} | {:>3} | {:>3} | {:>6} | {:>3} | {:>3} | {:>4} |",
            s.len(),
            s.first().unwrap_or(&0),
            percentile(s, 0.01),
            percentile(s, 0.05),
            percentile(s, 0.5),
            percentile(s, 0.95),
            percentile(s, 0.99),
            s.last().unwrap_or(&0)
        );
    }
    println!();
    for (label, gens, imp) in [
        ("all pairs", &genuine, &impostor),
        (
            "pairs whose prints pass the quality gate",
            &genuine_gated,
            &impostor_gated,
        ),
    ] {
        println!("{label}: {} genuine, {} impostor", gens.len(), imp.len());
        println!("| operating point        | threshold | FMR       | FNMR     |");
        println!("|------------------------|-----------|-----------|----------|");
        let t01 = threshold_for_fmr(imp, 0.001);
        let t001 = threshold_for_fmr(imp, 0.0001);
        for (name, t) in [
            ("default", 40),
            ("FMR <= 0.1 %", t01),
            ("FMR <= 0.01 %", t001),
        ] {
            println!(
                "| {name:<22} | {t:>9} | {:>8.4}% | {:>7.3}% |",
                fmr_at(imp, t) * 100.0,
                fnmr_at(gens, t) * 100.0
            );
        }
        println!();
    }
    println!(
        "(FMR resolution: one impostor pair = {:.4} %)",
        100.0 / impostor.len().max(1) as f64
    );
    println!();
    println!("DET table");
    println!("| threshold | FMR       | FNMR     |");
    println!("|-----------|-----------|----------|");
    for t in [
        6, 8, 10, 12, 14, 16, 18, 20, 25, 30, 35, 40, 50, 60, 80, 100,
    ] {
        println!(
            "| {t:>9} | {:>8.4}% | {:>7.3}% |",
            fmr_at(&impostor, t) * 100.0,
            fnmr_at(&genuine, t) * 100.0
        );
    }
    println!();
    let n = extract_times.len().max(1) as u32;
    let total: Duration = extract_times.iter().sum();
    println!("| time (one core)          | mean      | median    | p95       |");
    println!("|--------------------------|-----------|-----------|-----------|");
    println!(
        "| MINDTCT per image        | {:>6.1} ms | {:>6.1} ms | {:>6.1} ms |",
        ms(total / n),
        ms(extract_times[extract_times.len() / 2]),
        ms(extract_times[(extract_times.len() * 95) / 100])
    );
    println!(
        "| BOZORTH3 per pair        | {:>6.3} ms |           |           |",
        ms(match_time / matches.max(1))
    );
    println!(
        "| synthesis per finger ({impressions} imp) | {:>6.1} ms |           |           |",
        ms(synth_time / u32::try_from(fingers.max(1)).unwrap_or(1))
    );
}

//! Passive Authentication throughput over 1,000 signed card images per document signer type,
//! beside `openssl speed` verify rates for the same algorithms measured in the same run.
//!
//! `cargo bench -p ektp-pki` prints the table. Single-threaded: figures are per core.
//! Each Passive Authentication verifies two signatures (EF.SOD by the document signer, the
//! document signer certificate by the root; the CRL's signature is checked once when the
//! trust store loads it) and hashes every data group, so the ideal ratio to one openssl
//! verify is a little over 2.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic,
    missing_docs
)]

use ektp_lds::DgNumber;
use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use ektp_pki::test_pki::{DocumentSignerSpec, TestCa, TestKey};
use ektp_pki::{Pkcs8Key, SodOptions, TrustStore, passive_authentication, sign_ef_sod};

const CARDS: usize = 1_000;
const DAY: Duration = Duration::from_secs(86_400);

/// A synthetic card image: DG1 MRZ, DG2 face (12 KB), DG11, DG12, DG13, DG14, DG15.
fn card(i: usize) -> Vec<(u8, Vec<u8>)> {
    let seed = (i as u32).to_be_bytes();
    let filler = |n: usize, tag: u8| {
        let mut v = vec![tag, 0x82, (n >> 8) as u8, n as u8];
        v.extend((0..n).map(|k| seed[k % 4] ^ (k as u8).wrapping_mul(31) ^ tag));
        v
    };
    vec![
        (1, filler(93, 0x61)),
        (2, filler(12_000, 0x75)),
        (11, filler(180, 0x6B)),
        (12, filler(60, 0x6C)),
        (13, filler(120, 0x6D)),
        (14, filler(320, 0x6E)),
        (15, filler(300, 0x6F)),
    ]
}

fn rsa_key(dir: &Path, name: &str) -> Pkcs8Key {
    let path = dir.join(format!("{name}-rsa3072-TEST-ONLY.key.pem"));
    let ok = Command::new("openssl")
        .args([
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:3072",
            "-out",
        ])
        .arg(&path)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("openssl is needed to generate TEST ONLY RSA keys")
        .success();
    assert!(ok);
    Pkcs8Key::from_file(&path).unwrap()
}

/// Signs CARDS images and measures Passive Authentication over all of them; returns PA/s.
fn measure(label: &str, root_key: TestKey, ds_key: TestKey) -> f64 {
    let now = SystemTime::now();
    let ca = TestCa::new(
        "ID",
        "Dukcapil",
        label,
        &root_key,
        now - DAY,
        now + 3650 * DAY,
    )
    .unwrap();
    let ds = ca
        .issue_document_signer(&DocumentSignerSpec::new(label, ds_key, now))
        .unwrap();
    let mut trust = TrustStore::new();
    trust.add_root_der(ca.certificate_der()).unwrap();
    trust
        .add_crl_der(&ca.crl(&[], now - DAY, now + 30 * DAY, 1).unwrap())
        .unwrap();
    let signer = ds.signer().unwrap();
    let cards: Vec<_> = (0..CARDS).map(card).collect();
    let sods: Vec<Vec<u8>> = cards
        .iter()
        .map(|c| {
            let pairs: Vec<(DgNumber, &[u8])> = c
                .iter()
                .map(|(n, b)| (DgNumber::new(*n).unwrap(), b.as_slice()))
                .collect();
            sign_ef_sod(&pairs, &signer, &SodOptions::new(now)).unwrap()
        })
        .collect();
    let pairs: Vec<Vec<(DgNumber, &[u8])>> = cards
        .iter()
        .map(|c| {
            c.iter()
                .map(|(n, b)| (DgNumber::new(*n).unwrap(), b.as_slice()))
                .collect()
        })
        .collect();
    // Warm up, then take the best of three passes over all cards.
    let mut best = f64::MAX;
    for pass in 0..4 {
        let start = Instant::now();
        for (sod, dgs) in sods.iter().zip(&pairs) {
            let report = passive_authentication(black_box(sod), black_box(dgs), &trust, now);
            assert!(report.passed(), "{report:#?}");
        }
        let secs = start.elapsed().as_secs_f64();
        if pass > 0 {
            best = best.min(secs);
        }
    }
    // Where the time goes: parsing EF.SOD alone, and hashing the data groups alone.
    let start = Instant::now();
    for sod in &sods {
        black_box(ektp_pki::EfSod::from_bytes(black_box(sod)).unwrap());
    }
    let parse = start.elapsed().as_secs_f64() / CARDS as f64;
    let start = Instant::now();
    for dgs in &pairs {
        for (_, b) in dgs {
            black_box(ektp_pki::DigestAlgorithm::Sha256.digest(black_box(b)));
        }
    }
    let hash = start.elapsed().as_secs_f64() / CARDS as f64;
    println!(
        "{label}: {:.1} us per PA, of which EF.SOD parse {:.1} us, DG hashing {:.1} us",
        best / CARDS as f64 * 1e6,
        parse * 1e6,
        hash * 1e6
    );
    CARDS as f64 / best
}

/// `openssl speed -seconds 1 ecdsap256 rsa3072` verify/s: (ecdsa p256, rsa 3072).
fn openssl_speed() -> (Option<f64>, Option<f64>) {
    let out = Command::new("openssl")
        .args(["speed", "-seconds", "1", "ecdsap256", "rsa3072"])
        .output()
        .expect("openssl must be installed");
    let text = String::from_utf8_lossy(&out.stdout);
    let last_number = |line: &str| {
        line.split_whitespace()
            .last()
            .and_then(|v| v.parse::<f64>().ok())
    };
    let mut ec = None;
    let mut rsa = None;
    for line in text.lines() {
        if line.contains("ecdsa (nistp256)") {
            ec = last_number(line);
        } else if line.trim_start().starts_with("rsa 3072 bits") {
            rsa = last_number(line);
        }
    }
    (ec, rsa)
}

fn main() {
    // `cargo test --benches` runs this with `--bench` absent; keep that run short.
    if !std::env::args().any(|a| a == "--bench") {
        println!("passive_auth: run with `cargo bench -p ektp-pki` for figures");
        return;
    }
    let dir = std::env::temp_dir().join(format!("ektp-pki-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ec = measure(
        "Bench P-256 TEST ONLY",
        TestKey::EcdsaP256,
        TestKey::EcdsaP256,
    );
    let rsa = measure(
        "Bench RSA-3072 TEST ONLY",
        TestKey::Pkcs8(rsa_key(&dir, "root")),
        TestKey::Pkcs8(rsa_key(&dir, "ds")),
    );
    let (ossl_ec, ossl_rsa) = openssl_speed();
    let _ = std::fs::remove_dir_all(&dir);
    println!();
    println!("Passive Authentication, {CARDS} card images (7 DGs, 13 KB each), 1 core");
    println!(
        "(each PA = 2 signature verifications, SOD and DS certificate, same algorithm; the CRL's is checked once at load)"
    );
    println!(
        "{:<26} {:>12} {:>22} {:>18}",
        "document signer + root", "PA/s/core", "openssl verify/s/core", "openssl/PA ratio"
    );
    for (name, ours, theirs) in [
        ("ECDSA P-256 SHA-256", ec, ossl_ec),
        ("RSA-3072 PKCS#1 SHA-256", rsa, ossl_rsa),
    ] {
        match theirs {
            Some(t) => println!("{name:<26} {ours:>12.0} {t:>22.0} {:>18.2}", t / ours),
            None => println!("{name:<26} {ours:>12.0} {:>22} {:>18}", "n/a", "n/a"),
        }
    }
}

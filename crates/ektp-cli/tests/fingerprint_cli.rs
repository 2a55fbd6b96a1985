//! Fingerprints in the flows, through the real pcscd and the vpcd reader with the `ektp`
//! binary: an application carrying index-finger images is checked (a print too poor to use is
//! refused naming the finger) and personalized (MINDTCT extracts DG3 at the station); at the
//! desk, `verify` with a terminal matches a new impression of the holder's own finger (PASS),
//! refuses another person's finger (FAIL), enforces the attempt limit of the card session,
//! and without a terminal says the fingerprint was not checked and why. `ektp match` scores
//! two prints. Nothing the desk is given is copied: the directory holds the same files
//! after a verification with live captures.
//!
//! Run only as `flock /tmp/pcscd.lock cargo test -p ektp-cli --test fingerprint_cli` (one
//! reader).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use ektp_chip::vpcd::SlotLock;

mod common;
use common::*;

const PORT: u16 = 35963;
const READER: &str = "Virtual PCD 00 00";

/// The department's CVCA, a DV and a terminal (`term`), both with read-dg3.
fn make_terminal_pki(dir: &Path) {
    ok(
        dir,
        &[
            "cvc",
            "init-cvca",
            "cvca",
            "--country",
            "ID",
            "--holder",
            "IDCVCA00001",
        ],
    );
    ok(
        dir,
        &[
            "cvc",
            "issue-dv",
            "--cvca-dir",
            "cvca",
            "--holder",
            "IDDVDESK00001",
            "--months",
            "3",
            "--rights",
            "read-dg3",
            "--out",
            "dv.cvcert",
            "--key-out",
            "dv.key",
        ],
    );
    ok(
        dir,
        &[
            "cvc",
            "request",
            "--key-out",
            "term.key",
            "--holder",
            "IDDESK00001",
            "--car",
            "IDDVDESK00001",
            "--out",
            "term.req",
        ],
    );
    ok(
        dir,
        &[
            "cvc",
            "issue-is",
            "--dv-cert",
            "dv.cvcert",
            "--dv-key",
            "dv.key",
            "--request",
            "term.req",
            "--days",
            "7",
            "--rights",
            "read-dg3",
            "--out",
            "term.cvcert",
        ],
    );
}

const TERMINAL: [&str; 6] = [
    "--terminal-cert",
    "term.cvcert",
    "--terminal-chain",
    "dv.cvcert",
    "--terminal-key",
    "term.key",
];

/// A copy of a specimen whose application names index-finger images (`right` replaces the
/// right index image).
fn image_application(dir: &Path, name: &str, right: Option<&[u8]>) -> PathBuf {
    let out = dir.join(name);
    std::fs::create_dir_all(&out).unwrap();
    let src = specimen_dir("pria");
    for f in [
        "portrait.jpg",
        "signature.jpg",
        "right-index.png",
        "left-index.png",
    ] {
        std::fs::copy(src.join(f), out.join(f)).unwrap();
    }
    if let Some(png) = right {
        std::fs::write(out.join("right-index.png"), png).unwrap();
    }
    let json = std::fs::read_to_string(src.join("application.json"))
        .unwrap()
        .replace(".fmr\"", ".png\"");
    assert!(json.contains("right-index.png"));
    let path = out.join("application.json");
    std::fs::write(&path, json).unwrap();
    path
}

/// A new touch (impression `n`) of the synthetic finger `seed`, as a scanner would leave it.
fn capture(dir: &Path, file: &str, seed: u64, n: u32) {
    let png = ektp_bio::synth::impression(seed, n).to_png().unwrap();
    std::fs::write(dir.join(file), png).unwrap();
}

fn listing(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p.clone());
            }
            out.push(p);
        }
    }
    out.sort();
    out
}

fn verify(dir: &Path, json: bool, terminal: bool, more: &[&str]) -> Output {
    let mut args = vec!["--reader", READER];
    if json {
        args.push("--json");
    }
    args.extend(["verify", "--can", "482915", "--trust", "pki/trust"]);
    if terminal {
        args.extend(TERMINAL);
    }
    args.extend(more);
    run_in(dir, &args)
}

#[test]
fn the_desk_matches_the_holders_finger_refuses_anothers_and_limits_attempts() {
    let _slot = SlotLock::acquire(PORT, Duration::from_secs(300)).unwrap();
    let tmp = TempDir::new("desk");
    let chip = TempDir::new("chip");
    let dir = tmp.0.as_path();
    make_terminal_pki(dir);
    ok(dir, &["pki", "init", "pki"]);
    std::fs::write(
        dir.join("station.toml"),
        "signer_key = \"pki/ID-DS1-TEST-ONLY.key.pem\"\n\
         signer_certificate = \"pki/ID-DS1-TEST-ONLY.crt.pem\"\n\
         trust_dir = \"pki/trust\"\n\
         cvca_certificate = \"cvca/IDCVCA00001.cvcert\"\n",
    )
    .unwrap();

    // Enrollment: a print too poor to use is refused at check, naming the finger (exit 1).
    let blank = ektp_bio::GrayImage::new(300, 300, vec![200; 300 * 300])
        .unwrap()
        .to_png()
        .unwrap();
    let poor = image_application(dir, "poor", Some(&blank));
    let o = run_in(dir, &["check", poor.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let out = stdout(&o);
    assert!(
        out.contains("files.right_index") && out.contains("right index finger"),
        "{out}"
    );
    assert!(out.contains("recapture"), "{out}");
    assert!(!out.contains("files.left_index"), "{out}");
    let app = image_application(dir, "holder", None);
    let app = app.to_str().unwrap();
    ok(dir, &["check", app]);

    // The station extracts DG3 from the images.
    let _sim = Sim::start(PORT, &chip.0.join("chip.json"));
    let o = ok(
        dir,
        &[
            "--reader",
            READER,
            "--config",
            "station.toml",
            "personalize",
            app,
            "--test-master-key",
        ],
    );
    assert!(stdout(&o).contains("LOCKED"), "{}", show(&o));
    let mut read = vec![
        "--reader",
        READER,
        "read",
        "--can",
        "482915",
        "--fingerprints",
        "fp",
    ];
    read.extend(TERMINAL);
    ok(dir, &read);
    for (out, record) in [
        ("fp/right_index.fmr", "right-index.fmr"),
        ("fp/left_index.fmr", "left-index.fmr"),
    ] {
        assert_eq!(
            std::fs::read(dir.join(out)).unwrap(),
            std::fs::read(specimen_dir("pria").join(record)).unwrap(),
            "{out}"
        );
    }

    // Live captures: new touches of the holder's right index (seed 9106, see
    // crates/ektp-bio/README.md) and of another specimen's (wanita, 9108).
    capture(dir, "holder.png", 9106, 1);
    capture(dir, "stranger.png", 9108, 1);
    std::fs::write(dir.join("desk.toml"), "fingerprint_attempts = 2\n").unwrap();
    let before = listing(dir);

    let o = verify(dir, false, true, &["--finger", "right-index=holder.png"]);
    assert!(o.status.success(), "{}", show(&o));
    let out = stdout(&o);
    assert!(out.contains("PASS  fingerprint"), "{out}");
    assert!(out.contains("right index finger matches"), "{out}");
    assert!(out.contains("threshold 40 (attempt 1 of 4)"), "{out}");

    let o = verify(dir, true, true, &["--finger", "right-index=stranger.png"]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let fp = &v["fingerprint"];
    assert_eq!(fp["matched"], false, "{v}");
    assert_eq!(fp["threshold"], 40);
    assert_eq!(fp["attempt_limit"], 4);
    assert_eq!(fp["attempts"][0]["finger"], "right_index");
    assert_eq!(fp["attempts"][0]["outcome"], "no_match");
    assert!(fp["attempts"][0]["score"].as_u64().unwrap() < 40, "{v}");
    let check = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "fingerprint")
        .unwrap();
    assert_eq!(check["passed"], false, "{v}");
    assert!(stderr(&o).contains("FAILED fingerprint"), "{}", show(&o));

    // The desk allows 2 attempts per card session: the third capture (the holder's own) is
    // refused; a new session (the next verify) takes it.
    let mut args = vec![
        "--reader",
        READER,
        "--config",
        "desk.toml",
        "--json",
        "verify",
        "--can",
        "482915",
        "--trust",
        "pki/trust",
    ];
    args.extend(TERMINAL);
    args.extend([
        "--finger",
        "right-index=stranger.png",
        "--finger",
        "left-index=stranger.png",
        "--finger",
        "right-index=holder.png",
    ]);
    let o = run_in(dir, &args);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let fp = &v["fingerprint"];
    assert_eq!(fp["attempt_limit"], 2, "{v}");
    assert_eq!(fp["attempts_used"], 2, "{v}");
    let outcomes: Vec<&str> = fp["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["no_match", "no_match", "refused"], "{v}");
    assert!(
        stderr(&o).contains("all 2 fingerprint attempts of this card session are used"),
        "{}",
        show(&o)
    );
    let o = verify(dir, false, true, &["--finger", "right-index=holder.png"]);
    assert!(o.status.success(), "{}", show(&o));

    // Without a terminal DG3 stays closed: not checked, and why (SKIP, not FAIL).
    let o = verify(dir, false, false, &["--finger", "right-index=holder.png"]);
    assert!(o.status.success(), "{}", show(&o));
    let out = stdout(&o);
    assert!(out.contains("SKIP  fingerprint"), "{out}");
    assert!(out.contains("no terminal"), "{out}");
    assert!(out.contains("fingerprint not checked"), "{out}");
    // A bad --finger is a usage error before the card is touched.
    let o = verify(dir, false, true, &["--finger", "thumb=holder.png"]);
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));

    // The live captures were read, never copied or written anywhere the desk keeps files.
    assert_eq!(listing(dir), before);

    // ektp match: image against template, both ways round, text and JSON.
    let o = ok(dir, &["match", "holder.png", "fp/right_index.fmr"]);
    assert!(stdout(&o).starts_with("MATCH: score "), "{}", show(&o));
    let o = run_in(
        dir,
        &["--json", "match", "stranger.png", "fp/right_index.fmr"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["matched"], false, "{v}");
    assert_eq!(v["threshold"], 40);
    let o = run_in(
        dir,
        &[
            "match",
            "fp/right_index.fmr",
            "holder.png",
            "--threshold",
            "100000",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert!(stdout(&o).starts_with("NO MATCH"), "{}", show(&o));
}

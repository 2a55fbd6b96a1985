//! Issue 19: `ektp sim --max-apdu short --link iso14443:848k` serves the realistic card behind
//! a modelled short-APDU contactless reader through the real pcscd, and `ektp verify` reads
//! and verifies it without an error (the host falls back from extended to short reads). The
//! card takes the slot lock of "Virtual PCD 00 01" and waits for the reader to empty.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

use ektp::{Card, Station};
use ektp_chip::Chip;
use ektp_chip::vpcd::SlotLock;

mod common;
use common::*;

const PORT: u16 = 35964;
const READER: &str = "Virtual PCD 00 01";
const SPECIMEN: &str = "potret-icao";

fn show(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn card_in(reader: &str) -> bool {
    let o = run(&["--json", "readers"]);
    o.status.success()
        && serde_json::from_slice::<serde_json::Value>(&o.stdout)
            .ok()
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default()
            .iter()
            .any(|r| r["name"] == reader && r["card"] == "present")
}

struct Dir(PathBuf);

impl Dir {
    fn new() -> Self {
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let p = std::env::temp_dir().join(format!("ektp-link-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&p).unwrap();
        Self(p)
    }
    fn s(&self, p: &str) -> String {
        self.0.join(p).to_string_lossy().into_owned()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `ektp sim`, killed on drop, waiting for pcscd to see the reader empty.
struct Sim(Option<Child>);

impl Drop for Sim {
    fn drop(&mut self) {
        if let Some(mut c) = self.0.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while card_in(READER) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn specimen_path() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../cards/specimens")
        .join(SPECIMEN)
        .join("application.json")
        .to_string_lossy()
        .into_owned()
}

/// The realistic specimen personalized in-process with the TEST PKI at `pki`, saved to `out`.
fn issued_chip(pki: &Path, out: &Path) {
    let app = ektp::load_application(Path::new(&specimen_path())).unwrap();
    let master = ektp_chip::os::test_perso_master_key().unwrap();
    let signer = ektp_pki::RingSigner::from_files(
        &pki.join("ID-DS1-TEST-ONLY.key.pem"),
        &pki.join("ID-DS1-TEST-ONLY.crt.pem"),
    )
    .unwrap();
    let trust = ektp::TrustStore::load_dir(&pki.join("trust")).unwrap();
    let mut card = Card::new(
        Chip::new_blank(*b"LINK0001", &master)
            .unwrap()
            .into_in_process(),
    )
    .unwrap();
    let station = Station {
        signer: &signer,
        master_key: &master,
        trust: &trust,
        cvca: None,
    };
    card.personalize(&app, &station, &mut |_| {}).unwrap();
    card.into_transport().into_card().save(out).unwrap();
}

#[test]
fn verify_through_a_short_apdu_contactless_reader() {
    let _lock = SlotLock::acquire(PORT, Duration::from_secs(300)).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while card_in(READER) {
        assert!(Instant::now() < deadline, "{READER} never emptied");
        std::thread::sleep(Duration::from_millis(100));
    }
    let dir = Dir::new();
    assert!(run(&["pki", "init", &dir.s("pki")]).status.success());
    issued_chip(Path::new(&dir.s("pki")), Path::new(&dir.s("chip.json")));

    let sim = Sim(Some(
        ektp()
            .args([
                "sim",
                "--port",
                &PORT.to_string(),
                "--link",
                "iso14443:848k",
                "--max-apdu",
                "short",
                "--state",
                &dir.s("chip.json"),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    ));
    let deadline = Instant::now() + Duration::from_secs(15);
    while !card_in(READER) {
        assert!(Instant::now() < deadline, "card never appeared in {READER}");
        std::thread::sleep(Duration::from_millis(100));
    }
    let can = serde_json::from_str::<serde_json::Value>(
        &std::fs::read_to_string(specimen_path()).unwrap(),
    )
    .unwrap()["card"]["can"]
        .as_str()
        .unwrap()
        .to_owned();
    let o = run(&[
        "--reader",
        READER,
        "verify",
        "--can",
        &can,
        "--trust",
        &dir.s("pki/trust"),
        "--expect",
        &specimen_path(),
    ]);
    assert!(o.status.success(), "{}", show(&o));
    drop(sim);
}

//! Issue 13 (the desk never misleads an operator), through the real pcscd and the vpcd
//! readers with `ektp sim` as child processes: a read-only journal, cards in two readers, a
//! second simulator on a taken slot. Run as `flock /tmp/pcscd.lock cargo test -p ektp-cli
//! --test desk`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::*;

/// Runs `ektp ARGS` with `dir` bound read-only onto itself in a private mount namespace
/// (`unshare -m`), or `None` if this machine cannot make a read-only mount.
fn run_with_read_only(dir: &Path, args: &[&str]) -> Option<Output> {
    let d = dir.to_string_lossy();
    let probe = Command::new("unshare")
        .args(["-m", "sh", "-c"])
        .arg(format!(
            "mount --bind '{d}' '{d}' && mount -o remount,bind,ro '{d}' '{d}' && ! touch '{d}/.probe' 2>/dev/null"
        ))
        .output()
        .ok()?;
    if !probe.status.success() {
        return None;
    }
    let mut script = format!(
        "mount --bind '{d}' '{d}' && mount -o remount,bind,ro '{d}' '{d}' && exec '{}'",
        env!("CARGO_BIN_EXE_ektp")
    );
    for a in args {
        script.push_str(&format!(" '{a}'"));
    }
    let mut c = Command::new("unshare");
    c.args(["-m", "sh", "-c", &script])
        .env_remove("EKTP_CONFIG")
        .env_remove("EKTP_CAN");
    Some(c.output().unwrap())
}

#[test]
fn the_desk_reads_the_station_journal_from_a_read_only_mount_and_never_writes_it() {
    let _slot = lock(PORT0);
    let dir = TempDir::new("ro");
    assert_eq!(code(&run(&["pki", "init", &dir.s("pki")])), 0);
    let app = specimen("pria");
    let state = dir.join("chip.json");
    issued_chip(&app, &dir.join("pki"), &state, *b"DESK0001");
    // The station's journal (WAL mode), closed: only the main file is left, in its own
    // directory, which the desk gets read-only.
    let jdir = dir.join("station");
    std::fs::create_dir_all(&jdir).unwrap();
    let journal = jdir.join("journal.sqlite");
    drop(ektp_station::journal::Journal::open(&journal).unwrap());
    let before = std::fs::read(&journal).unwrap();
    let mtime = std::fs::metadata(&journal).unwrap().modified().unwrap();
    let _sim = Sim::start(PORT0, &state);
    let args = [
        "--reader",
        READER0,
        "verify",
        "--can",
        "482915",
        "--trust",
        &dir.s("pki/trust"),
        "--journal",
        &journal.to_string_lossy(),
    ];
    let o = match run_with_read_only(&jdir, &args) {
        Some(o) => o,
        None => {
            eprintln!("no read-only mount here: checking the desk writes nothing instead");
            run(&args)
        }
    };
    // The journal is read: the card (personalized elsewhere) is simply not recorded in it.
    assert_eq!(code(&o), 1, "{}", show(&o));
    let all = show(&o);
    assert!(!all.contains("not an ektp journal"), "{all}");
    assert!(
        stdout(&o).contains("FAIL  journal") && stdout(&o).contains("not recorded as issued"),
        "{all}"
    );
    assert!(stdout(&o).contains("PASS  passive_authentication"), "{all}");
    // And the desk wrote nothing: same bytes, same time, no -wal or -shm.
    assert_eq!(std::fs::read(&journal).unwrap(), before);
    assert_eq!(
        std::fs::metadata(&journal).unwrap().modified().unwrap(),
        mtime
    );
    assert!(!jdir.join("journal.sqlite-wal").exists());
    assert!(!jdir.join("journal.sqlite-shm").exists());
    // Without any write access the desk still reads it (plain file, not a mount).
    let o = run(&args);
    assert_eq!(code(&o), 1, "{}", show(&o));
    assert_eq!(std::fs::read(&journal).unwrap(), before);
    assert!(!jdir.join("journal.sqlite-wal").exists());
    // A file that is not a journal is still called one, and a missing one is named.
    let o = run(&[
        "--reader",
        READER0,
        "verify",
        "--can",
        "482915",
        "--trust",
        &dir.s("pki/trust"),
        "--journal",
        &dir.s("nowhere.sqlite"),
    ]);
    assert_eq!(code(&o), 4, "{}", show(&o));
    assert!(!dir.join("nowhere.sqlite").exists());
}

#[test]
fn cards_in_two_readers_are_refused_unless_the_reader_is_named() {
    let _slot0 = lock(PORT0);
    let _slot1 = lock(PORT1);
    let dir = TempDir::new("two");
    assert_eq!(code(&run(&["pki", "init", &dir.s("pki")])), 0);
    let app = specimen("pria");
    let issued = dir.join("issued.json");
    issued_chip(&app, &dir.join("pki"), &issued, *b"DESK0001");
    let blank = Sim::start(PORT0, &dir.join("blank.json"));
    let _issued = Sim::start(PORT1, &issued);
    let trust = dir.s("pki/trust");
    for cmd in [
        vec!["verify", "--can", "482915", "--trust", &trust],
        vec!["read", "--can", "482915"],
    ] {
        let o = run(&cmd);
        assert_eq!(code(&o), 3, "{cmd:?}: {}", show(&o));
        let err = stderr(&o);
        assert!(err.contains("cards in 2 readers"), "{err}");
        assert!(err.contains(READER0) && err.contains(READER1), "{err}");
        assert!(err.contains("--reader"), "{err}");
        assert!(!stdout(&o).contains("PASS"), "{}", show(&o));
    }
    // Named, it works.
    let o = run(&[
        "--reader",
        "PCD 00 01",
        "verify",
        "--can",
        "482915",
        "--trust",
        &trust,
    ]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    // With one card left, it is used without a name, and the reader is printed.
    // The CAN from a file, for scripts: never on the command line.
    drop(blank);
    let can_file = dir.join("can.txt");
    ektp_fs::write_private(&can_file, b"482915\n").unwrap();
    let o = run(&[
        "verify",
        "--can-file",
        &can_file.to_string_lossy(),
        "--trust",
        &trust,
    ]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    assert!(
        stderr(&o).contains(&format!("using reader {READER1:?}")),
        "{}",
        show(&o)
    );
}

#[test]
fn a_second_simulator_on_a_taken_slot_says_so_and_names_the_free_port() {
    let _slot = lock(PORT0);
    let dir = TempDir::new("busy");
    let _first = Sim::start(PORT0, &dir.join("first.json"));
    let start = Instant::now();
    let mut second = Sim::spawn(PORT0, &dir.join("second.json"));
    let deadline = Instant::now() + Duration::from_secs(20);
    while second.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = second.kill();
            let o = second.wait_with_output().unwrap();
            panic!(
                "the second simulator kept running on a taken slot: {}",
                show(&o)
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let o = second.wait_with_output().unwrap();
    assert_eq!(code(&o), 3, "{}", show(&o));
    let err = stderr(&o);
    assert!(
        err.contains("already holds the vpcd slot on port 35963"),
        "{err}"
    );
    assert!(err.contains("--port 35964"), "{err}");
    assert!(!err.contains("inserted into"), "{err}");
    assert!(!err.contains("start pcscd"), "{err}");
    assert!(
        start.elapsed() < Duration::from_secs(8),
        "took {:?}",
        start.elapsed()
    );
    // The first card is still served.
    assert!(card_in(READER0));
}

#[test]
fn a_trust_store_without_a_current_crl_is_refused_before_the_card_is_touched() {
    let dir = TempDir::new("nocrl");
    assert_eq!(code(&run(&["pki", "init", &dir.s("pki")])), 0);
    let trust = dir.join("pki/trust");
    let mut removed = 0;
    for entry in std::fs::read_dir(&trust).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap().to_string_lossy().contains(".crl") {
            std::fs::remove_file(path).unwrap();
            removed += 1;
        }
    }
    assert!(removed > 0, "the TEST PKI has a CRL file");
    // No reader is named and no card is needed: the trust store is refused first.
    let o = run(&[
        "verify",
        "--can",
        "482915",
        "--trust",
        &trust.to_string_lossy(),
    ]);
    assert_eq!(code(&o), 4, "{}", show(&o));
    let err = stderr(&o);
    assert!(err.contains("has no current CRL for root"), "{err}");
    assert!(err.contains("no CRL from the root"), "{err}");
}

#[test]
fn json_errors_go_to_stdout_as_an_object() {
    let o = run(&["--json", "verify", "--can", "12", "--trust", "/nonexistent"]);
    assert_eq!(code(&o), 2, "{}", show(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON on stdout");
    assert_eq!(v["error"]["kind"], "usage");
    assert_eq!(v["error"]["exit"], 2);
    assert!(
        v["error"]["message"].as_str().unwrap().contains("6 digits"),
        "{v}"
    );
    assert!(stderr(&o).contains("error: "), "{}", show(&o));
    // A file error.
    let o = run(&[
        "--json",
        "verify",
        "--can",
        "482915",
        "--trust",
        "/nonexistent",
    ]);
    assert_eq!(code(&o), 4, "{}", show(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON on stdout");
    assert_eq!(v["error"]["kind"], "config");
    assert_eq!(v["error"]["exit"], 4);
    // A usage error clap finds.
    let o = run(&["--json", "verify", "--no-such-option"]);
    assert_eq!(code(&o), 2, "{}", show(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON on stdout");
    assert_eq!(v["error"]["kind"], "usage");
    // Without --json, stdout stays empty.
    let o = run(&["verify", "--can", "12", "--trust", "/nonexistent"]);
    assert!(stdout(&o).is_empty(), "{}", show(&o));
}

#[test]
fn signer_key_mistakes_say_what_is_wrong_before_the_card_is_touched() {
    let dir = TempDir::new("signer");
    assert_eq!(code(&run(&["pki", "init", &dir.s("pki")])), 0);
    let app = specimen_path("pria");
    let trust = dir.s("pki/trust");
    let personalize = |key: &str, cert: &str| {
        run(&[
            "personalize",
            &app,
            "--signer-key",
            &dir.s(key),
            "--signer-cert",
            &dir.s(cert),
            "--trust",
            &trust,
            "--test-master-key",
        ])
    };
    // The certificate given as the key (a public 0644 file): not `chmod`, not `openssl`.
    let o = personalize(
        "pki/ID-DS1-TEST-ONLY.crt.pem",
        "pki/ID-DS1-TEST-ONLY.crt.pem",
    );
    assert_eq!(code(&o), 4, "{}", show(&o));
    assert!(
        stderr(&o).contains("is a certificate, not the document signer's private key"),
        "{}",
        show(&o)
    );
    assert!(!stderr(&o).contains("openssl"), "{}", show(&o));
    // The key of another signer (P-384 key, P-256 certificate; and a P-256 key of another).
    for key in [
        "pki/ID-DS2-TEST-ONLY.key.pem",
        "pki/ID-CSCA-TEST-ONLY.key.pem",
    ] {
        let o = personalize(key, "pki/ID-DS1-TEST-ONLY.crt.pem");
        assert_eq!(code(&o), 4, "{}", show(&o));
        assert!(
            stderr(&o).contains("key and certificate do not match"),
            "{key}: {}",
            show(&o)
        );
        assert!(!stderr(&o).contains("WrongAlgorithm"), "{}", show(&o));
    }
    // The root as the signer: refused before any card is touched (no reader is named, and
    // none would be needed).
    let root_cert = std::fs::read_dir(dir.join("pki/trust"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".crt.pem"))
        .unwrap();
    std::fs::copy(&root_cert, dir.join("root.crt.pem")).unwrap();
    let o = personalize("pki/ID-CSCA-TEST-ONLY.key.pem", "root.crt.pem");
    assert_eq!(code(&o), 4, "{}", show(&o));
    assert!(stderr(&o).contains("cannot sign documents"), "{}", show(&o));
    assert!(stderr(&o).contains("CA certificate"), "{}", show(&o));
}

#[test]
fn the_can_never_has_to_be_on_the_command_line() {
    let dir = TempDir::new("can");
    // No CAN and no terminal to ask on: say every way to give it.
    let o = ektp()
        .args(["verify", "--trust", "/nonexistent"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(code(&o), 2, "{}", show(&o));
    assert!(stderr(&o).contains("--can-file FILE"), "{}", show(&o));
    // A CAN file others can read is refused, as every secret file is.
    let open = dir.join("open.txt");
    std::fs::write(&open, "482915\n").unwrap();
    let o = run(&[
        "verify",
        "--can-file",
        &open.to_string_lossy(),
        "--trust",
        "/nonexistent",
    ]);
    assert_eq!(code(&o), 4, "{}", show(&o));
    assert!(stderr(&o).contains("chmod 600"), "{}", show(&o));
    // A CAN file without 6 digits; its content is never echoed.
    let bad = dir.join("bad.txt");
    ektp_fs::write_private(&bad, b"48291\n").unwrap();
    let o = run(&["read", "--can-file", &bad.to_string_lossy()]);
    assert_eq!(code(&o), 2, "{}", show(&o));
    assert!(
        stderr(&o).contains("must hold the 6 digits"),
        "{}",
        show(&o)
    );
    assert!(!stderr(&o).contains("48291"), "{}", show(&o));
}

#[test]
fn a_wrong_can_says_so_and_the_throttle_is_announced() {
    let _slot = lock(PORT0);
    let dir = TempDir::new("wrongcan");
    assert_eq!(code(&run(&["pki", "init", &dir.s("pki")])), 0);
    let app = specimen("pria");
    let state = dir.join("chip.json");
    issued_chip(&app, &dir.join("pki"), &state, *b"DESK0001");
    let _sim = Sim::start(PORT0, &state);
    let trust = dir.s("pki/trust");
    let verify = |can: &str| {
        run(&[
            "--reader", READER0, "verify", "--can", can, "--trust", &trust,
        ])
    };
    let o = verify("111111");
    assert_eq!(code(&o), 1, "{}", show(&o));
    let last = stdout(&o).lines().last().unwrap_or_default().to_owned();
    assert!(
        last.starts_with("NOT VERIFIED: wrong CAN (3 tries in a row before the chip slows down"),
        "{}",
        show(&o)
    );
    assert!(!last.contains("do not hand this card out"), "{last}");
    for _ in 0..2 {
        assert_eq!(code(&verify("111111")), 1);
    }
    // The fourth wrong try in a row: the chip waits 1 s, and the operator is told why.
    let o = verify("111111");
    assert_eq!(code(&o), 1, "{}", show(&o));
    assert!(
        stderr(&o).contains("the chip is slowing down wrong CANs"),
        "{}",
        show(&o)
    );
    // The right CAN then waits 2 s, announced, and verifies.
    let o = verify("482915");
    assert_eq!(code(&o), 0, "{}", show(&o));
    let err = stderr(&o);
    assert!(err.contains("the chip is slowing down wrong CANs"), "{err}");
    assert!(err.contains("the chip made PACE wait 2."), "{err}");
}

//! One journal is the station's truth (issue 13): `ektp personalize` records its card like
//! `ektp batch` does and never issues an application twice without `--reissue`, an abandoned
//! chip is refused for ever, Ctrl-C/SIGTERM end a batch with its summary, and `ektp journal`
//! reports it all. The real binary, the real pcscd and the vpcd reader "Virtual PCD 00 00",
//! with virtual chips inserted by the test.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use ektp_chip::Chip;
use ektp_chip::card::Fault;
use ektp_chip::os::Lifecycle;
use ektp_chip::vpcd::{SlotLock, VirtualCard, VpcdConfig};
use ektp_pcsc::PcscContext;

mod common;
use common::*;

const PORT: u16 = 35963;
const PRESENCE: Duration = Duration::from_secs(10);
const PRIA_NIK: &str = "3273011708850001";

fn reader_name() -> &'static str {
    ektp_chip::vpcd::reader_name(PORT).unwrap()
}

fn show(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn specimen(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../cards/specimens")
        .join(name)
}

fn blank(last: u8) -> (Chip, String) {
    let serial = [0x45, 0x4B, 0x54, 0x50, 0xD1, 0, 0, last];
    let master = ektp_chip::os::test_perso_master_key().unwrap();
    let hex = serial.iter().map(|b| format!("{b:02X}")).collect();
    (Chip::new_blank(serial, &master).unwrap(), hex)
}

/// A TEST station made by `ektp pki init`: its config names the journal.
struct Station {
    dir: PathBuf,
}

impl Station {
    fn new(name: &str) -> Self {
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let dir = std::env::temp_dir().join(format!(
            "ektp-station-journal-{name}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let o = ektp()
            .args(["pki", "init"])
            .arg(dir.join("pki"))
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", show(&o));
        Self { dir }
    }

    fn config(&self) -> PathBuf {
        self.dir.join("pki/station-TEST-ONLY.toml")
    }

    fn journal(&self) -> PathBuf {
        self.dir.join("pki/journal-TEST-ONLY.sqlite")
    }

    /// `ektp --config … --reader … ARGS`.
    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = ektp();
        c.arg("--config")
            .arg(self.config())
            .args(["--reader", reader_name()])
            .args(args);
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).stdin(Stdio::null()).output().unwrap()
    }

    /// (state, chip, reason) of every journal row of `application`, oldest first.
    fn rows(&self, application: &str) -> Vec<(String, String, Option<String>)> {
        let db = rusqlite::Connection::open_with_flags(
            self.journal(),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap();
        let mut stmt = db
            .prepare(
                "SELECT state, chip_serial, reason FROM cards WHERE application = ?1 ORDER BY id",
            )
            .unwrap();
        stmt.query_map([application], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }
}

impl Drop for Station {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

struct Reader(PcscContext);

impl Reader {
    fn new() -> Self {
        Self(PcscContext::establish().expect("pcscd is running"))
    }

    fn has_card(&self) -> bool {
        self.0
            .readers()
            .unwrap()
            .iter()
            .any(|r| r.name == reader_name() && r.has_card())
    }

    fn wait_empty(&self) {
        self.0
            .wait_for_removal(reader_name(), PRESENCE)
            .expect("pcscd sees the reader empty");
    }

    /// Puts `chip` in the reader and waits until pcscd sees it (vpcd now and then needs a
    /// second insertion, see tests/batch.rs).
    fn insert(&self, mut chip: Chip, fault: Option<Fault>) -> VirtualCard<Chip> {
        for _ in 0..5 {
            let mut config = VpcdConfig::new().with_port(PORT);
            if let Some(f) = fault {
                config = config.with_fault(f);
            }
            let card = VirtualCard::insert(chip, &config).unwrap();
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(3) {
                if card.answered() > 0 || !card.is_inserted() || self.has_card() {
                    return card;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            chip = card.remove().unwrap().card;
            std::thread::sleep(Duration::from_millis(500));
        }
        panic!("vpcd never took the card");
    }

    fn remove(&self, card: VirtualCard<Chip>) -> Chip {
        let chip = card.remove().unwrap().card;
        self.wait_empty();
        chip
    }
}

/// A background `ektp batch`, with what it printed.
struct Running {
    child: Child,
    out: Arc<Mutex<String>>,
    err: Arc<Mutex<String>>,
}

fn collect(stream: impl std::io::Read + Send + 'static, into: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            let mut s = into.lock().unwrap();
            s.push_str(&line);
            s.push('\n');
        }
    });
}

impl Running {
    fn start(mut cmd: Command) -> Self {
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (out, err) = (Arc::default(), Arc::default());
        collect(child.stdout.take().unwrap(), Arc::clone(&out));
        collect(child.stderr.take().unwrap(), Arc::clone(&err));
        Self { child, out, err }
    }

    fn stderr(&self) -> String {
        self.err.lock().unwrap().clone()
    }

    fn stdout(&self) -> String {
        self.out.lock().unwrap().clone()
    }

    fn wait_for_stderr(&mut self, text: &str) {
        let start = Instant::now();
        while !self.stderr().contains(text) {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!(
                    "batch exited ({status}) before saying {text:?}:\n{}",
                    self.stderr()
                );
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "batch did not say {text:?}:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn signal(&self, sig: &str) {
        let pid = self.child.id().to_string();
        assert!(
            Command::new("kill")
                .args([sig, &pid])
                .status()
                .unwrap()
                .success()
        );
    }

    /// Waits for the exit status, then a moment for the output threads.
    fn wait_exit(&mut self, timeout: Duration) -> Option<i32> {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(200));
                return status.code();
            }
            assert!(
                start.elapsed() < timeout,
                "batch did not finish:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn summary(&self) -> serde_json::Value {
        self.stdout()
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .find(|v| v["event"] == "summary")
            .unwrap_or_else(|| panic!("no summary line:\n{}", self.stdout()))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn personalize_records_its_card_in_the_journal_and_never_issues_an_application_twice() {
    let _slot = SlotLock::acquire(PORT, Duration::from_secs(600)).expect("vpcd slot 0 lock");
    let reader = Reader::new();
    reader.wait_empty();
    let station = Station::new("perso");
    let pria = specimen("pria").join("application.json");
    let pria = pria.to_str().unwrap();

    // The first card: issued and recorded (in progress, then issued) under the id `pria`.
    let (a, a_serial) = blank(1);
    let card = reader.insert(a, None);
    let o = station.run(&["personalize", pria, "--wait", "5"]);
    reader.remove(card);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert!(err(&o).contains("recorded in journal"), "{}", show(&o));
    assert_eq!(
        station.rows("pria"),
        [("issued".to_owned(), a_serial.clone(), None)]
    );

    // The same application on a second blank card: refused before the card is touched.
    let (b, b_serial) = blank(2);
    let card = reader.insert(b, None);
    let o = station.run(&["personalize", pria]);
    let b = reader.remove(card);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert!(
        err(&o).contains("application pria is already issued"),
        "{}",
        show(&o)
    );
    assert!(err(&o).contains("--reissue REASON"), "{}", show(&o));
    assert_eq!(b.lifecycle(), Lifecycle::Blank);
    assert_eq!(station.rows("pria").len(), 1);

    // A replacement with a reason, stdout closed (`| head`): the card is written and
    // recorded, nothing panics, the old card is superseded.
    let card = reader.insert(b, None);
    let mut child = station
        .cmd(&[
            "personalize",
            pria,
            "--reissue",
            "card body misprinted, destroyed",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    let b = reader.remove(card);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert!(!err(&o).contains("panicked"), "{}", show(&o));
    assert_eq!(b.lifecycle(), Lifecycle::Issued);
    let rows = station.rows("pria");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(
        (rows[0].0.as_str(), rows[0].1.as_str()),
        ("failed", a_serial.as_str())
    );
    assert!(
        rows[0]
            .2
            .as_deref()
            .unwrap()
            .contains("superseded by a reissue: card body misprinted")
    );
    assert_eq!(
        (rows[1].0.as_str(), rows[1].1.as_str()),
        ("issued", b_serial.as_str())
    );
    assert!(
        rows[1]
            .2
            .as_deref()
            .unwrap()
            .contains("reissue: card body misprinted")
    );

    // A locked card for another application: "already issued (locked)", with and without a
    // journal; never "PACE failed" first.
    let wanita = specimen("wanita").join("application.json");
    let wanita = wanita.to_str().unwrap();
    let card = reader.insert(b, None);
    let o = station.run(&["personalize", wanita]);
    assert_eq!(o.status.code(), Some(3), "{}", show(&o));
    assert!(
        err(&o).contains("already issued (locked): it is not blank"),
        "{}",
        show(&o)
    );
    let pki = station.dir.join("pki");
    let o = ektp()
        .args([
            "--reader",
            reader_name(),
            "personalize",
            wanita,
            "--test-master-key",
        ])
        .arg("--signer-key")
        .arg(pki.join("ID-DS1-TEST-ONLY.key.pem"))
        .arg("--signer-cert")
        .arg(pki.join("ID-DS1-TEST-ONLY.crt.pem"))
        .arg("--trust")
        .arg(pki.join("trust"))
        .output()
        .unwrap();
    reader.remove(card);
    assert_eq!(o.status.code(), Some(3), "{}", show(&o));
    assert!(
        err(&o)
            .lines()
            .any(|l| l.starts_with("error: This card is already issued (locked): it is not blank")),
        "{}",
        show(&o)
    );
    assert!(station.rows("wanita").is_empty());

    // The operator's reports, from the journal opened read-only.
    let o = station.run(&["journal", "list"]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert!(out(&o).contains("superseded"), "{}", show(&o));
    assert!(
        out(&o).contains("2 rows: 1 issued, 0 failed, 0 abandoned, 1 superseded"),
        "{}",
        show(&o)
    );
    let o = station.run(&["journal", "export", "--csv"]);
    assert_eq!(out(&o).lines().count(), 3, "{}", show(&o));
    assert!(out(&o).starts_with("id,state,application,"), "{}", show(&o));
    let o = station.run(&["--json", "journal", "export", "--state", "issued"]);
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["chip_serial"], b_serial.as_str());
    let o = station.run(&["journal", "show", &a_serial]);
    assert!(out(&o).contains("row 1: superseded"), "{}", show(&o));
    for args in [&["journal", "list"][..], &["journal", "export", "--csv"]] {
        assert!(
            !out(&station.run(args)).contains(PRIA_NIK),
            "NIK in a report"
        );
    }
}

/// A station with a queue holding the specimen `wanita`; returns the queue directory.
fn wanita_queue(station: &Station) -> PathBuf {
    let queue = station.dir.join("queue");
    let app = queue.join("wanita");
    std::fs::create_dir_all(&app).unwrap();
    for entry in std::fs::read_dir(specimen("wanita")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), app.join(entry.file_name())).unwrap();
    }
    queue
}

#[test]
fn an_abandoned_chip_put_back_is_refused_by_batch_and_personalize() {
    let _slot = SlotLock::acquire(PORT, Duration::from_secs(600)).expect("vpcd slot 0 lock");
    let reader = Reader::new();
    reader.wait_empty();
    let station = Station::new("abandon");
    let queue = wanita_queue(&station);
    let queue = queue.to_str().unwrap();

    // The card is pulled half-way and does not come back before the time-out.
    let (c, c_serial) = blank(3);
    let mut batch = Running::start(station.cmd(&["batch", queue, "--card-timeout", "3"]));
    batch.wait_for_stderr("Insert a blank card");
    let card = reader.insert(c, Some(Fault::PullAfterExecuting(30)));
    batch.wait_for_stderr("Put the SAME card back");
    let c = reader.remove(card);
    assert_eq!(
        batch.wait_exit(Duration::from_secs(30)),
        Some(3),
        "{}",
        batch.stderr()
    );

    // Abandoned ("that card must never be handed out"), then put back: refused, for ever.
    let mut batch = Running::start(station.cmd(&[
        "batch",
        queue,
        "--abandon",
        &c_serial,
        "--card-timeout",
        "3",
    ]));
    batch.wait_for_stderr("Insert a blank card");
    let card = reader.insert(c, None);
    batch.wait_for_stderr("abandoned chip: destroy it");
    let c = reader.remove(card);
    assert_eq!(
        batch.wait_exit(Duration::from_secs(30)),
        Some(3),
        "{}",
        batch.stderr()
    );
    assert_ne!(c.lifecycle(), Lifecycle::Issued);
    let wanita = station.dir.join("queue/wanita/application.json");
    let card = reader.insert(c, None);
    let o = station.run(&["personalize", wanita.to_str().unwrap()]);
    let c = reader.remove(card);
    assert_eq!(o.status.code(), Some(3), "{}", show(&o));
    assert!(
        err(&o).contains("abandoned chip: destroy it"),
        "{}",
        show(&o)
    );
    assert_ne!(c.lifecycle(), Lifecycle::Issued);
    let rows = station.rows("wanita");
    assert!(rows.iter().all(|r| r.0 != "issued"), "{rows:?}");
    let o = station.run(&["journal", "list", "--state", "abandoned"]);
    assert!(out(&o).contains(&c_serial), "{}", show(&o));
}

#[test]
fn sigterm_and_ctrl_c_end_a_batch_with_its_summary_and_a_left_card_times_out() {
    let _slot = SlotLock::acquire(PORT, Duration::from_secs(600)).expect("vpcd slot 0 lock");
    let reader = Reader::new();
    reader.wait_empty();
    let station = Station::new("signals");
    let queue = wanita_queue(&station);
    let queue = queue.to_str().unwrap();

    // The card is pulled half-way; the operator stops the batch (SIGTERM): the summary comes,
    // and names the half-written chip.
    let (c, c_serial) = blank(5);
    let mut batch = Running::start(station.cmd(&["--json", "batch", queue]));
    batch.wait_for_stderr("Insert a blank card");
    let card = reader.insert(c, Some(Fault::PullAfterExecuting(30)));
    batch.wait_for_stderr("Put the SAME card back");
    let c = reader.remove(card);
    batch.signal("-TERM");
    assert_eq!(
        batch.wait_exit(Duration::from_secs(20)),
        Some(130),
        "{}",
        batch.stderr()
    );
    assert!(
        batch.stderr().contains("Batch summary"),
        "{}",
        batch.stderr()
    );
    assert!(
        batch.stderr().contains(&format!(
            "half-written: chip {c_serial} (application wanita)"
        )),
        "{}",
        batch.stderr()
    );
    let summary = batch.summary();
    assert_eq!(summary["stopped"], true);
    assert_eq!(summary["unfinished"][0]["chip_serial"], c_serial.as_str());

    // Ctrl-C while the batch waits for that card: the same.
    let mut batch = Running::start(station.cmd(&["batch", queue]));
    batch.wait_for_stderr("Put back the card with chip serial");
    batch.signal("-INT");
    assert_eq!(
        batch.wait_exit(Duration::from_secs(20)),
        Some(130),
        "{}",
        batch.stderr()
    );
    assert!(
        batch.stderr().contains("Stopped by the operator"),
        "{}",
        batch.stderr()
    );
    assert!(
        batch.stderr().contains("half-written: chip"),
        "{}",
        batch.stderr()
    );

    // The card back, finished, and left in the reader: --card-timeout ends the wait for its
    // removal too.
    let mut batch = Running::start(station.cmd(&["batch", queue, "--card-timeout", "4"]));
    batch.wait_for_stderr("Put back the card");
    let card = reader.insert(c, None);
    batch.wait_for_stderr("Issued application wanita");
    let code = batch.wait_exit(Duration::from_secs(30));
    reader.remove(card);
    assert_eq!(code, Some(0), "{}", batch.stderr());
    assert!(
        batch.stderr().contains("was not removed within 4 s"),
        "{}",
        batch.stderr()
    );
}

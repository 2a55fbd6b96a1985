//! `ektp batch` as a printing station runs it: the real binary, real pcscd, the vsmartcard
//! vpcd reader ("Virtual PCD 00 00", TCP 35963) and virtual e-KTP chips. The test plays the
//! operator: it inserts blank cards one after another, pulls one mid-personalization and one
//! right after its lock, puts each back, kills the batch mid-card and starts it again, inserts
//! an already issued card —
//! and then checks the journal and verifies every card it kept.
//!
//! Needs a running pcscd with vsmartcard-vpcd (CI starts it before `cargo test --workspace`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use ektp::{Card, RevocationList, VerifyPolicy};
use ektp_chip::Chip;
use ektp_chip::card::{Card as ChipCard, Fault};
use ektp_chip::vpcd::{SlotLock, VirtualCard, VpcdConfig};
use ektp_pcsc::PcscContext;
use ektp_pki::test_pki::{TestPkiFiles, generate_test_pki};

/// Cards in the batch.
const CARDS: usize = 20;
/// The card pulled mid-personalization, and after how many answered APDUs.
const PULLED: usize = 5;
const PULL_AFTER_APDUS: u64 = 30;
/// The card in the reader when the batch is killed, and after how many answered APDUs.
const KILLED: usize = 12;
const KILL_AFTER_APDUS: u64 = 25;
/// The card pulled just after the chip executed the lock, before the batch heard back.
const LOCK_PULLED: usize = 8;
/// After this card, an already issued card is put back in the reader.
const REINSERT_ISSUED_AFTER: usize = 2;

#[test]
fn twenty_cards_with_a_pulled_card_and_a_killed_batch_are_each_issued_once_and_verify() {
    let _slot = SlotLock::acquire(PORT, Duration::from_secs(600)).expect("vpcd slot 0 lock");
    let reader = Reader::new();
    reader.wait_empty();

    let station = Station::new("twenty");
    let apps = station.write_queue(CARDS);
    let master = ektp_chip::os::test_perso_master_key().unwrap();

    let mut batch = station.start_batch();
    let mut kept = Vec::new();
    // APDUs a blank card takes, the lock last (measured on the ordinary cards).
    let mut apdus_per_card = 0;
    let started = Instant::now();
    for (i, app) in apps.iter().enumerate() {
        let serial = [0x45, 0x4B, 0x54, 0x50, 0xB0, 0x00, 0x00, i as u8];
        let chip = ektp_chip::Chip::new_blank(serial, &master).unwrap();
        let serial_hex = hex_upper(&serial);
        let chip = match i {
            PULLED => {
                // Pulled after some of its files were written: the batch says so, and the
                // same chip put back is finished with the same application.
                let card = insert(
                    Slow::new(chip, u64::MAX),
                    VpcdConfig::new()
                        .with_port(PORT)
                        .with_fault(Fault::PullAfterExecuting(PULL_AFTER_APDUS)),
                    &reader,
                );
                wait_until(Duration::from_secs(30), "the fault pulls the card", || {
                    !card.is_inserted()
                });
                let removed = card.remove().unwrap();
                reader.wait_empty();
                assert_eq!(
                    station.journal_state(&app.id),
                    Some("in_progress".to_owned()),
                    "the pulled card's application is recorded as in progress"
                );
                assert!(station.issued_chips().iter().all(|c| c != &serial_hex));
                batch.wait_for_stderr("Put the SAME card back");
                let card = insert(removed.card, VpcdConfig::new().with_port(PORT), &reader);
                station.wait_issued(&serial_hex, &mut batch, &card);
                remove(card, &reader)
            }
            KILLED => {
                // The batch process dies while this card is half written; the card stays in
                // the reader, and the restarted batch finishes it.
                let slow = Slow::new(chip, KILL_AFTER_APDUS);
                let delay = slow.delay_handle();
                let card = insert(slow, VpcdConfig::new().with_port(PORT), &reader);
                wait_until(Duration::from_secs(30), "the batch writes the card", || {
                    card.answered() > KILL_AFTER_APDUS
                });
                batch.kill();
                delay.store(0, Ordering::Release);
                assert_eq!(
                    station.journal_state(&app.id),
                    Some("in_progress".to_owned()),
                    "killed mid-card: the application is recorded as in progress"
                );
                batch.restart();
                station.wait_issued(&serial_hex, &mut batch, &card);
                remove(card, &reader)
            }
            LOCK_PULLED => {
                // The chip locks itself, then leaves before the answer reaches the batch: the
                // card is issued but the journal still says "in progress". Put back, the batch
                // recognises it (it verifies as this application) and records it as issued.
                assert!(apdus_per_card > 10);
                let card = insert(
                    Slow::new(chip, u64::MAX),
                    VpcdConfig::new()
                        .with_port(PORT)
                        .with_fault(Fault::PullAfterExecuting(apdus_per_card - 1)),
                    &reader,
                );
                wait_until(Duration::from_secs(30), "the fault pulls the card", || {
                    !card.is_inserted()
                });
                let removed = card.remove().unwrap();
                reader.wait_empty();
                assert_eq!(
                    removed.card.chip.lifecycle(),
                    ektp_chip::os::Lifecycle::Issued,
                    "the lock was executed before the card left"
                );
                assert_eq!(
                    station.journal_state(&app.id),
                    Some("in_progress".to_owned())
                );
                batch.wait_for_stderr(&format!("Put back the card with chip serial {serial_hex}"));
                let card = insert(removed.card, VpcdConfig::new().with_port(PORT), &reader);
                station.wait_issued(&serial_hex, &mut batch, &card);
                remove(card, &reader)
            }
            _ => {
                let card = insert(
                    Slow::new(chip, u64::MAX),
                    VpcdConfig::new().with_port(PORT),
                    &reader,
                );
                station.wait_issued(&serial_hex, &mut batch, &card);
                apdus_per_card = card.answered();
                remove(card, &reader)
            }
        };
        kept.push((chip, app));

        if i == REINSERT_ISSUED_AFTER {
            // An issued card is never written again: the batch asks for a blank one.
            let (issued, _) = kept.pop().unwrap();
            let issued_count = station.issued_chips().len();
            let card = insert(
                Slow::new(issued, u64::MAX),
                VpcdConfig::new().with_port(PORT),
                &reader,
            );
            batch.wait_for_stderr("This card is already issued (locked)");
            assert_eq!(station.issued_chips().len(), issued_count);
            let chip = remove(card, &reader);
            kept.push((chip, app));
        }
    }
    let status = batch.wait_exit(Duration::from_secs(30));
    eprintln!("20 cards through pcscd in {:?}", started.elapsed());
    // The invalid application in the queue is reported, skipped and makes the status 1.
    assert_eq!(status.code(), Some(1), "{}", batch.stderr());
    assert!(batch.stderr().contains("belum-kawin"), "{}", batch.stderr());

    // The journal: exactly 20 issued rows, 20 document numbers, 20 chips, nothing open.
    let rows = station.issued_rows();
    assert_eq!(rows.len(), CARDS, "{rows:?}");
    let mut documents: Vec<&str> = rows.iter().map(|r| r.document_number.as_str()).collect();
    documents.sort_unstable();
    documents.dedup();
    assert_eq!(documents.len(), CARDS);
    let mut chips: Vec<&str> = rows.iter().map(|r| r.chip_serial.as_str()).collect();
    chips.sort_unstable();
    chips.dedup();
    assert_eq!(chips.len(), CARDS);
    let mut wanted: Vec<&str> = apps.iter().map(|a| a.document_number.as_str()).collect();
    wanted.sort_unstable();
    assert_eq!(documents, wanted);
    assert_eq!(station.count_state("in_progress"), 0);
    for r in &rows {
        assert_eq!(r.sod_sha256.len(), 64);
        assert!(r.signer.contains("CN=Document Signer 1"), "{}", r.signer);
        assert_eq!(r.nik.len(), 16);
    }
    // The NIK is in the journal but never on the operator's screen or the JSON lines.
    for app in &apps {
        assert!(!batch.stderr().contains(&app.nik), "NIK printed on stderr");
        assert!(!batch.stdout().contains(&app.nik), "NIK printed on stdout");
    }
    // The pulled, the killed and the lock-pulled cards were finished on resume.
    let resumed = batch
        .json_lines()
        .into_iter()
        .filter(|l| l["event"] == "card" && l["resumed"] == true)
        .count();
    assert_eq!(resumed, 3);
    // One "issued" JSON line per card across both runs.
    let mut issued_lines: Vec<String> = batch
        .json_lines()
        .into_iter()
        .filter(|l| l["event"] == "card" && l["outcome"] == "issued")
        .map(|l| l["document_number"].as_str().unwrap().to_owned())
        .collect();
    issued_lines.sort_unstable();
    assert_eq!(issued_lines, wanted);

    // Every card the operator kept verifies as a pickup desk would check it.
    let trust = ektp::TrustStore::load_dir(&station.pki.trust_dir).unwrap();
    let revoked = RevocationList::new();
    for (chip, app) in kept {
        let application = ektp::load_application(&app.path).unwrap();
        let mut card = Card::new(chip.into_in_process()).unwrap();
        let policy = VerifyPolicy {
            trust: &trust,
            revoked: &revoked,
            expected: Some(&application),
            at: SystemTime::now(),
        };
        let can = ektp::Can::new(&app.can).unwrap();
        let report = card.verify(&can, &policy).unwrap();
        assert!(report.passed, "{}: {report:?}", app.id);
    }
}

#[test]
fn a_second_run_on_a_finished_queue_issues_nothing() {
    let _slot = SlotLock::acquire(PORT, Duration::from_secs(600)).expect("vpcd slot 0 lock");
    let reader = Reader::new();
    reader.wait_empty();
    let station = Station::new("rerun");
    let apps = station.write_queue(2);
    let master = ektp_chip::os::test_perso_master_key().unwrap();

    let mut batch = station.start_batch();
    for i in 0..2u8 {
        let serial = [0x45, 0x4B, 0x54, 0x50, 0xB1, 0, 0, i];
        let chip = ektp_chip::Chip::new_blank(serial, &master).unwrap();
        let card = insert(
            Slow::new(chip, u64::MAX),
            VpcdConfig::new().with_port(PORT),
            &reader,
        );
        station.wait_issued(&hex_upper(&serial), &mut batch, &card);
        remove(card, &reader);
    }
    assert_eq!(batch.wait_exit(Duration::from_secs(30)).code(), Some(1));

    // Nothing left to do: the batch ends without asking for a card.
    let mut again = station.start_batch();
    let status = again.wait_exit(Duration::from_secs(30));
    assert_eq!(status.code(), Some(1), "{}", again.stderr());
    let summary = again
        .json_lines()
        .into_iter()
        .find(|l| l["event"] == "summary")
        .unwrap();
    assert_eq!(summary["issued"], 0);
    assert_eq!(summary["already_issued"], apps.len());
    assert_eq!(summary["journal_issued_total"], apps.len());
    assert!(!again.stderr().contains("Insert a blank card"));
}

// ---------------------------------------------------------------------------------------------
// The operator's tools.

/// vpcd slot 0: reader "Virtual PCD 00 00".
/// Two readers, one batch: cards in both readers at once, the batch killed (SIGKILL) while
/// both readers hold a half-written card, restarted, the two cards put back in the *other*
/// reader; every application is issued once, each card verifies (`ektp verify`), the JSON
/// lines name the reader.
#[test]
fn two_readers_killed_mid_card_resume_each_card_in_the_other_reader() {
    let _slot_a = SlotLock::acquire(PORT, Duration::from_secs(600)).expect("vpcd slot 0 lock");
    let _slot_b = SlotLock::acquire(PORT_B, Duration::from_secs(600)).expect("vpcd slot 1 lock");
    let readers = [Reader::on(PORT), Reader::on(PORT_B)];
    let ports = [PORT, PORT_B];
    for r in &readers {
        r.wait_empty();
    }
    let station = Station::new("two-readers");
    let apps = station.write_queue(6);
    let master = ektp_chip::os::test_perso_master_key().unwrap();
    let names = [readers[0].name, readers[1].name];
    let mut batch = station.start(station.command_readers(&names));
    let blank = |n: u8| {
        let serial = [0x45, 0x4B, 0x54, 0x50, 0xB2, 0x00, 0x00, n];
        (
            Chip::new_blank(serial, &master).unwrap(),
            hex_upper(&serial),
        )
    };
    let mut kept = Vec::new();
    // One card in each reader at once, both written, taken out, twice (cards 0-1 and 4-5
    // around the kill).
    let both = |batch: &mut Running, first: u8, kept: &mut Vec<Chip>| {
        let cards: Vec<_> = (0..2)
            .map(|i| {
                let (chip, serial) = blank(first + i);
                let config = VpcdConfig::new().with_port(ports[usize::from(i)]);
                let card = insert(Slow::new(chip, u64::MAX), config, &readers[usize::from(i)]);
                (card, serial)
            })
            .collect();
        for (card, serial) in &cards {
            station.wait_issued(serial, batch, card);
        }
        for (i, (card, _)) in cards.into_iter().enumerate() {
            kept.push(remove(card, &readers[i]));
        }
    };
    both(&mut batch, 0, &mut kept);

    // Both readers hold a card the batch is writing (slowed down after 25 APDUs) when the
    // batch is killed.
    let slow: Vec<_> = (0..2u8)
        .map(|i| {
            let (chip, serial) = blank(2 + i);
            let card = Slow::new(chip, KILL_AFTER_APDUS);
            let delay = card.delay_handle();
            let config = VpcdConfig::new().with_port(ports[usize::from(i)]);
            (
                insert(card, config, &readers[usize::from(i)]),
                serial,
                delay,
            )
        })
        .collect();
    for (card, _, _) in &slow {
        wait_until(
            Duration::from_secs(60),
            "the batch writes both cards",
            || card.answered() > KILL_AFTER_APDUS,
        );
    }
    batch.kill();
    assert_eq!(
        station.count_state("in_progress"),
        2,
        "both cards are half-written"
    );
    // Taken out, and put back swapped: the card of reader A goes into reader B and back.
    let mut pulled = Vec::new();
    for (i, (card, serial, delay)) in slow.into_iter().enumerate() {
        delay.store(0, Ordering::Release);
        let removed = card.remove().unwrap();
        readers[i].wait_empty();
        pulled.push((removed.card, serial));
    }
    batch.restart();
    let swapped: Vec<_> = pulled
        .into_iter()
        .rev()
        .enumerate()
        .map(|(i, (card, serial))| {
            let config = VpcdConfig::new().with_port(ports[i]);
            (insert(card, config, &readers[i]), serial)
        })
        .collect();
    for (card, serial) in &swapped {
        station.wait_issued(serial, &mut batch, card);
    }
    for (i, (card, _)) in swapped.into_iter().enumerate() {
        kept.push(remove(card, &readers[i]));
    }
    both(&mut batch, 4, &mut kept);

    // The queue is done: the batch ends by itself (status 1: the invalid application).
    let status = batch.wait_exit(Duration::from_secs(60));
    assert_eq!(status.code(), Some(1), "{}", batch.stderr());
    let rows = station.issued_rows();
    assert_eq!(rows.len(), 6, "{rows:?}");
    let mut documents: Vec<&str> = rows.iter().map(|r| r.document_number.as_str()).collect();
    documents.sort_unstable();
    documents.dedup();
    let mut chips: Vec<&str> = rows.iter().map(|r| r.chip_serial.as_str()).collect();
    chips.sort_unstable();
    chips.dedup();
    assert_eq!(
        (documents.len(), chips.len()),
        (6, 6),
        "no duplicate in the journal"
    );
    assert_eq!(station.count_state("in_progress"), 0);
    let lines = batch.json_lines();
    let issued: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l["event"] == "card" && l["outcome"] == "issued")
        .collect();
    assert_eq!(issued.len(), 6, "{}", batch.stdout());
    assert_eq!(issued.iter().filter(|l| l["resumed"] == true).count(), 2);
    for l in &issued {
        assert!(names.iter().any(|n| l["reader"] == *n), "{l}");
    }
    // The resumed cards were finished in the reader they were put back in: swapped.
    for (serial, reader) in [(blank(2).1, names[1]), (blank(3).1, names[0])] {
        assert!(
            issued
                .iter()
                .any(|l| l["chip_serial"] == serial.as_str() && l["reader"] == reader),
            "{serial} in {reader}: {}",
            batch.stdout()
        );
    }
    assert!(
        batch.stderr().contains(&format!("[{}]", names[1])),
        "{}",
        batch.stderr()
    );

    // Each card verifies with `ektp verify` as a pickup desk would check it, as the
    // application the journal records on its chip.
    let by_doc = |doc: &str| apps.iter().find(|a| a.document_number == doc).unwrap();
    for (n, chip) in kept.into_iter().enumerate() {
        let serial = hex_upper(&chip.serial());
        let row = rows.iter().find(|r| r.chip_serial == serial).unwrap();
        let app = by_doc(&row.document_number);
        let i = n % 2;
        let config = VpcdConfig::new().with_port(ports[i]);
        let card = insert(Slow::new(chip, u64::MAX), config, &readers[i]);
        let out = Command::new(env!("CARGO_BIN_EXE_ektp"))
            .args(["--reader", names[i], "verify", "--can", &app.can, "--trust"])
            .arg(&station.pki.trust_dir)
            .arg("--expect")
            .arg(&app.path)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{serial}: {text}");
        remove(card, &readers[i]);
    }
}

const PORT: u16 = 35963;
/// The second vpcd reader ("Virtual PCD 00 01"), for the multi-reader station.
const PORT_B: u16 = 35964;
/// Valid specimens the queue is made from (cards/specimens/README.md).
const SPECIMENS: [&str; 5] = ["pria", "wanita", "wna", "menikah-16", "nama-panjang"];
/// How long pcscd may take to notice a card arrive or leave (it polls every 0.4 s).
const PRESENCE: Duration = Duration::from_secs(10);

fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

fn wait_until(timeout: Duration, what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < timeout, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// A virtual chip that, after `after` APDUs, answers each one `delay` ms late — so the test
/// can kill the batch while a card is certainly half written.
struct Slow {
    chip: Chip,
    after: u64,
    seen: u64,
    delay_ms: Arc<AtomicU64>,
}

impl Slow {
    fn new(chip: Chip, after: u64) -> Self {
        Self {
            chip,
            after,
            seen: 0,
            delay_ms: Arc::new(AtomicU64::new(50)),
        }
    }

    fn delay_handle(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.delay_ms)
    }
}

impl ChipCard for Slow {
    fn atr(&self) -> Vec<u8> {
        self.chip.atr()
    }
    fn power_on(&mut self) {
        self.chip.power_on();
    }
    fn reset(&mut self) {
        self.chip.reset();
    }
    fn power_off(&mut self) {
        self.chip.power_off();
    }
    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        self.seen += 1;
        if self.seen > self.after {
            std::thread::sleep(Duration::from_millis(self.delay_ms.load(Ordering::Acquire)));
        }
        self.chip.process(apdu)
    }
}

/// The reader as pcscd sees it.
struct Reader {
    ctx: PcscContext,
    name: &'static str,
}

impl Reader {
    fn new() -> Self {
        Self::on(PORT)
    }

    /// The vpcd reader listening on `port`.
    fn on(port: u16) -> Self {
        Self {
            ctx: PcscContext::establish().expect("pcscd is running"),
            name: ektp_chip::vpcd::reader_name(port).unwrap(),
        }
    }

    fn has_card(&self) -> bool {
        self.ctx
            .readers()
            .unwrap()
            .iter()
            .any(|r| r.name == self.name && r.has_card())
    }

    fn wait_empty(&self) {
        self.ctx
            .wait_for_removal(self.name, PRESENCE)
            .expect("pcscd sees the reader empty");
    }
}

/// Puts the card in the reader and makes sure vpcd took it: now and then vpcd leaves a card
/// that connects right after the previous one left in its listen backlog for ever (pcscd
/// keeps reporting the reader empty), so such a card is taken out and inserted again.
fn insert(mut card: Slow, config: VpcdConfig, reader: &Reader) -> VirtualCard<Slow> {
    for _ in 0..5 {
        let inserted = VirtualCard::insert(card, &config).unwrap();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(3) {
            if inserted.answered() > 0 || !inserted.is_inserted() || reader.has_card() {
                return inserted;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        eprintln!("vpcd did not take the card within 3 s: inserting it again");
        card = inserted.remove().unwrap().card;
        std::thread::sleep(Duration::from_millis(500));
    }
    panic!("vpcd never took the card");
}

/// Takes the card out of the reader, waits until pcscd has seen it go, and keeps the chip.
fn remove(card: VirtualCard<Slow>, reader: &Reader) -> Chip {
    let chip = card.remove().unwrap().card.chip;
    reader.wait_empty();
    chip
}

/// One application written into the queue.
#[derive(Debug, Clone)]
struct QueuedApp {
    id: String,
    path: PathBuf,
    document_number: String,
    can: String,
    nik: String,
}

/// A journal row recorded as issued.
#[derive(Debug)]
struct IssuedRow {
    chip_serial: String,
    document_number: String,
    nik: String,
    sod_sha256: String,
    signer: String,
}

/// A station's files: TEST ONLY PKI, queue and journal in a fresh temporary directory.
struct Station {
    dir: PathBuf,
    pki: TestPkiFiles,
    queue: PathBuf,
    journal: PathBuf,
}

impl Station {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("ektp-batch-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let pki = generate_test_pki(&dir.join("pki"), SystemTime::now()).unwrap();
        let queue = dir.join("queue");
        std::fs::create_dir_all(&queue).unwrap();
        Self {
            journal: dir.join("journal.sqlite"),
            dir,
            pki,
            queue,
        }
    }

    /// Writes `n` valid applications made from the specimens (each with its own document
    /// number, CAN and NIK serial) and one invalid one, and returns the valid ones.
    fn write_queue(&self, n: usize) -> Vec<QueuedApp> {
        let specimens = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../cards/specimens");
        let mut apps = Vec::new();
        for i in 0..n {
            let base = specimens.join(SPECIMENS[i % SPECIMENS.len()]);
            let id = format!("app-{:02}", i + 1);
            let dir = self.queue.join(&id);
            std::fs::create_dir_all(&dir).unwrap();
            let text = std::fs::read_to_string(base.join("application.json")).unwrap();
            let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
            for file in v["files"].as_object().unwrap().values() {
                let file = file.as_str().unwrap();
                std::fs::copy(base.join(file), dir.join(file)).unwrap();
            }
            let letter = char::from(b'A' + (i / 10) as u8);
            let document_number = format!("ID{letter}{:06}", 500 + i);
            let can = format!("{:06}", 314_159 + i * 7);
            let nik = v["holder"]["nik"].as_str().unwrap();
            let nik = format!("{}{:04}", &nik[..12], 7001 + i);
            v["card"]["document_number"] = document_number.clone().into();
            v["card"]["can"] = can.clone().into();
            v["holder"]["nik"] = nik.clone().into();
            let path = dir.join("application.json");
            std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
            apps.push(QueuedApp {
                id,
                path,
                document_number,
                can,
                nik,
            });
        }
        // Refused: under 17 and never married.
        let invalid = self.queue.join("app-99-belum-kawin");
        std::fs::create_dir_all(&invalid).unwrap();
        for entry in std::fs::read_dir(specimens.join("belum-kawin-16")).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), invalid.join(entry.file_name())).unwrap();
        }
        apps
    }

    fn command(&self) -> Command {
        self.command_on(ektp_chip::vpcd::reader_name(PORT).unwrap())
    }

    fn command_on(&self, reader: &str) -> Command {
        self.command_full(reader, &self.pki.trust_dir)
    }

    fn command_full(&self, reader: &str, trust: &Path) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ektp"));
        // EKTP_BATCH_TEST_TRACE=1: the batch logs every APDU (never its data) to the captured
        // stderr, which a failing assertion prints.
        if std::env::var_os("EKTP_BATCH_TEST_TRACE").is_some() {
            cmd.arg("-vv");
        }
        cmd.arg("--reader")
            .arg(reader)
            .arg("--json")
            .arg("batch")
            .arg(&self.queue)
            .arg("--journal")
            .arg(&self.journal)
            .arg("--signer-cert")
            .arg(&self.pki.document_signers[0].0)
            .arg("--signer-key")
            .arg(&self.pki.document_signers[0].1)
            .arg("--trust")
            .arg(trust)
            .arg("--test-master-key");
        cmd
    }

    /// `ektp --json batch QUEUE --reader A --reader B …`: a multi-reader station.
    fn command_readers(&self, readers: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ektp"));
        cmd.arg("--json").arg("batch").arg(&self.queue);
        for reader in readers {
            cmd.arg("--reader").arg(reader);
        }
        cmd.arg("--journal")
            .arg(&self.journal)
            .arg("--signer-cert")
            .arg(&self.pki.document_signers[0].0)
            .arg("--signer-key")
            .arg(&self.pki.document_signers[0].1)
            .arg("--trust")
            .arg(&self.pki.trust_dir)
            .arg("--test-master-key");
        cmd
    }

    fn start_batch(&self) -> Running {
        self.start(self.command())
    }

    fn start(&self, command: Command) -> Running {
        let mut running = Running {
            command,
            child: None,
            threads: Vec::new(),
            out: Arc::default(),
            err: Arc::default(),
        };
        running.spawn();
        running
    }

    fn db(&self) -> Option<rusqlite::Connection> {
        if !self.journal.exists() {
            return None;
        }
        let db = rusqlite::Connection::open_with_flags(
            &self.journal,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .ok()?;
        db.busy_timeout(Duration::from_secs(5)).unwrap();
        Some(db)
    }

    /// The state of the application's latest journal row.
    fn journal_state(&self, application: &str) -> Option<String> {
        self.db()?
            .query_row(
                "SELECT state FROM cards WHERE application = ?1 ORDER BY id DESC LIMIT 1",
                [application],
                |r| r.get(0),
            )
            .ok()
    }

    fn count_state(&self, state: &str) -> u64 {
        self.db()
            .unwrap()
            .query_row(
                "SELECT count(*) FROM cards WHERE state = ?1",
                [state],
                |r| r.get(0),
            )
            .unwrap()
    }

    fn issued_rows(&self) -> Vec<IssuedRow> {
        let Some(db) = self.db() else {
            return Vec::new();
        };
        let stmt = db.prepare(
            "SELECT chip_serial, document_number, nik, sod_sha256, signer FROM cards \
                 WHERE state = 'issued' ORDER BY id",
        );
        let Ok(mut stmt) = stmt else {
            // The batch has created the file but not yet its schema.
            return Vec::new();
        };
        stmt.query_map([], |r| {
            Ok(IssuedRow {
                chip_serial: r.get(0)?,
                document_number: r.get(1)?,
                nik: r.get(2)?,
                sod_sha256: r.get(3)?,
                signer: r.get(4)?,
            })
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    }

    fn issued_chips(&self) -> Vec<String> {
        self.issued_rows()
            .into_iter()
            .map(|r| r.chip_serial)
            .collect()
    }

    /// Waits until the journal records chip `serial` as issued.
    fn wait_issued(&self, serial: &str, batch: &mut Running, card: &VirtualCard<Slow>) {
        let start = Instant::now();
        loop {
            if self.issued_chips().iter().any(|c| c == serial) {
                return;
            }
            if let Some(status) = batch.exited() {
                panic!(
                    "batch exited ({status}) before chip {serial} was issued:\n{}",
                    batch.stderr()
                );
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "chip {serial} not issued within 60 s (card inserted: {}, APDUs answered: {}, \
                 reader: {:?}):\n{}",
                card.is_inserted(),
                card.answered(),
                Reader::new().ctx.readers().map(|r| r
                    .into_iter()
                    .map(|i| format!("{} {:?}", i.name, i.presence))
                    .collect::<Vec<_>>()),
                batch.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Station {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// The batch process, with everything it printed (across restarts).
struct Running {
    command: Command,
    child: Option<Child>,
    threads: Vec<JoinHandle<()>>,
    out: Arc<Mutex<String>>,
    err: Arc<Mutex<String>>,
}

fn collect(
    stream: impl std::io::Read + Send + 'static,
    into: Arc<Mutex<String>>,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            let mut s = into.lock().unwrap();
            s.push_str(&line);
            s.push('\n');
        }
    })
}

impl Running {
    fn spawn(&mut self) {
        let mut child = self
            .command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start ektp batch");
        self.threads
            .push(collect(child.stdout.take().unwrap(), Arc::clone(&self.out)));
        self.threads
            .push(collect(child.stderr.take().unwrap(), Arc::clone(&self.err)));
        self.child = Some(child);
    }

    /// Kills the batch (SIGKILL: no chance to tidy up) and waits for it to be gone.
    fn kill(&mut self) {
        let mut child = self.child.take().unwrap();
        child.kill().unwrap();
        child.wait().unwrap();
        for t in self.threads.drain(..) {
            t.join().unwrap();
        }
        self.err.lock().unwrap().push_str("--- killed ---\n");
    }

    /// Starts the batch again with the same command line.
    fn restart(&mut self) {
        assert!(self.child.is_none());
        self.spawn();
    }

    fn exited(&mut self) -> Option<ExitStatus> {
        self.child.as_mut()?.try_wait().unwrap()
    }

    fn wait_exit(&mut self, timeout: Duration) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.exited() {
                for t in self.threads.drain(..) {
                    t.join().unwrap();
                }
                return status;
            }
            assert!(
                start.elapsed() < timeout,
                "batch did not finish:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn wait_for_stderr(&mut self, text: &str) {
        let start = Instant::now();
        while !self.stderr().contains(text) {
            if let Some(status) = self.exited() {
                panic!(
                    "batch exited ({status}) before saying {text:?}:\n{}",
                    self.stderr()
                );
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "batch did not say {text:?}:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn stderr(&self) -> String {
        self.err.lock().unwrap().clone()
    }

    fn stdout(&self) -> String {
        self.out.lock().unwrap().clone()
    }

    fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[test]
fn an_unfinished_card_must_be_finished_or_abandoned() {
    // No card goes near the reader here (--max-cards 0), so no slot lock is needed; reader
    // 00 01 keeps clear of the batches the other tests run on 00 00.
    let station = Station::new("abandon");
    station.write_queue(1);
    let run = |extra: &[&str]| {
        let out = station
            .command_on(ektp_chip::vpcd::reader_name(ektp_chip::vpcd::SLOT1_PORT).unwrap())
            .args(["--max-cards", "0"])
            .args(extra)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // First run: creates the journal, issues nothing; the invalid application makes it 1.
    let (code, err) = run(&[]);
    assert_eq!(code, Some(1), "{err}");

    // A card left half-written for an application that is not in this queue.
    let db = rusqlite::Connection::open(&station.journal).unwrap();
    db.execute(
        "INSERT INTO cards (application, chip_serial, document_number, nik, state, started_at) \
         VALUES ('gone', '454B5450C0000001', 'IDZ000001', '3273011708857001', 'in_progress', 't')",
        [],
    )
    .unwrap();
    let (code, err) = run(&[]);
    assert_eq!(code, Some(4), "{err}");
    assert!(
        err.contains("application gone was being written on chip 454B5450C0000001"),
        "{err}"
    );
    assert!(err.contains("--abandon 454B5450C0000001"), "{err}");
    assert!(!err.contains("3273011708857001"), "NIK printed: {err}");

    // Abandoning a chip the journal does not know is refused.
    let (code, err) = run(&["--abandon", "454B5450C0000099"]);
    assert_eq!(code, Some(4), "{err}");
    assert!(
        err.contains("no unfinished card with that chip serial"),
        "{err}"
    );

    // Abandoning the right one closes its row as failed; the batch goes on.
    let (code, err) = run(&["--abandon", "454b5450c0000001"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("Abandoned chip 454B5450C0000001"), "{err}");
    assert_eq!(station.journal_state("gone"), Some("failed".to_owned()));
    assert_eq!(station.count_state("in_progress"), 0);
}

#[test]
fn cards_from_another_card_batch_fail_unlocked_and_three_in_a_row_stop_the_batch() {
    let _slot = SlotLock::acquire(PORT, Duration::from_secs(600)).expect("vpcd slot 0 lock");
    let reader = Reader::new();
    reader.wait_empty();
    let station = Station::new("wrongkey");
    let apps = station.write_queue(1);
    let other_batch = ektp_chip::os::MasterKey::from_bytes([0x5A; 32]);

    let mut batch = station.start_batch();
    let mut failed_chips = Vec::new();
    for i in 0..3u8 {
        let serial = [0x45, 0x4B, 0x54, 0x50, 0xB2, 0, 0, i];
        let chip = ektp_chip::Chip::new_blank(serial, &other_batch).unwrap();
        let card = insert(
            Slow::new(chip, u64::MAX),
            VpcdConfig::new().with_port(PORT),
            &reader,
        );
        let failures = i as usize + 1;
        wait_until(Duration::from_secs(30), "the card fails", || {
            batch.stderr().matches("FAILED to issue").count() >= failures
        });
        failed_chips.push(remove(card, &reader));
    }
    let status = batch.wait_exit(Duration::from_secs(30));
    let err = batch.stderr();
    assert_eq!(status.code(), Some(4), "{err}");
    assert!(err.contains("personalization key rejected"), "{err}");
    assert!(err.contains("3 cards in a row failed"), "{err}");
    // Nothing issued, three failed rows, the application still waiting for a good card.
    assert_eq!(station.count_state("failed"), 3);
    assert_eq!(station.count_state("issued"), 0);
    assert_eq!(
        station.journal_state(&apps[0].id),
        Some("failed".to_owned())
    );
    for chip in failed_chips {
        assert_eq!(chip.lifecycle(), ektp_chip::os::Lifecycle::Blank);
    }
}

#[test]
fn a_second_batch_on_the_same_journal_is_refused() {
    // The first batch waits for a card on reader 00 01; holding the slot keeps other tests'
    // cards out of it while it does.
    let _slot = SlotLock::acquire(ektp_chip::vpcd::SLOT1_PORT, Duration::from_secs(600))
        .expect("vpcd slot 1 lock");
    let station = Station::new("twice");
    station.write_queue(1);
    let slot1 = ektp_chip::vpcd::reader_name(ektp_chip::vpcd::SLOT1_PORT).unwrap();
    let mut first = station
        .command_on(slot1)
        .args(["--card-timeout", "20"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(first.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains("Insert a blank card") {
        line.clear();
        assert!(
            err.read_line(&mut line).unwrap() > 0,
            "first batch ended early"
        );
    }
    let second = station.command_on(slot1).output().unwrap();
    first.kill().unwrap();
    first.wait().unwrap();
    let text = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(4), "{text}");
    assert!(
        text.contains("another `ektp batch` is already running"),
        "{text}"
    );
}

#[test]
fn a_card_that_does_not_verify_is_never_locked_and_its_application_is_set_aside() {
    let _slot = SlotLock::acquire(PORT, Duration::from_secs(600)).expect("vpcd slot 0 lock");
    let reader = Reader::new();
    reader.wait_empty();
    let station = Station::new("untrusted");
    let apps = station.write_queue(2);
    // A trust store of another department: every read-back fails Passive Authentication.
    let stranger = generate_test_pki(&station.dir.join("other-pki"), SystemTime::now()).unwrap();
    let master = ektp_chip::os::test_perso_master_key().unwrap();

    let mut batch = station.start(station.command_full(
        ektp_chip::vpcd::reader_name(PORT).unwrap(),
        &stranger.trust_dir,
    ));
    let mut chips = Vec::new();
    for i in 0..3u8 {
        let serial = [0x45, 0x4B, 0x54, 0x50, 0xB3, 0, 0, i];
        let chip = ektp_chip::Chip::new_blank(serial, &master).unwrap();
        let card = insert(
            Slow::new(chip, u64::MAX),
            VpcdConfig::new().with_port(PORT),
            &reader,
        );
        let failures = i as usize + 1;
        wait_until(Duration::from_secs(30), "the card fails", || {
            batch.stderr().matches("FAILED to issue").count() >= failures
        });
        chips.push(remove(card, &reader));
    }
    let status = batch.wait_exit(Duration::from_secs(30));
    let err = batch.stderr();
    assert_eq!(status.code(), Some(4), "{err}");
    assert!(
        err.contains("read-back verification failed, card NOT locked"),
        "{err}"
    );
    // Two cards for the first application, then it is set aside and the second one is tried.
    assert!(
        err.contains(&format!("Application {} failed on 2 cards", apps[0].id)),
        "{err}"
    );
    assert!(
        err.contains(&format!("FAILED to issue application {}", apps[1].id)),
        "{err}"
    );
    for chip in chips {
        assert_ne!(
            chip.lifecycle(),
            ektp_chip::os::Lifecycle::Issued,
            "a failing card was locked"
        );
    }
    assert_eq!(station.count_state("issued"), 0);
    assert_eq!(station.count_state("failed"), 3);
}

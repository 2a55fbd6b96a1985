//! The multi-reader printing station, measured: the real `ektp-station` batch
//! ([`Batch::run_readers`]) drives 1, 2 and 4 in-process readers at once, each with a card
//! feeder (a new blank card appears as soon as the finished one is taken out). Every chip sits
//! behind `ektp_chip::link::Linked` at 848 kbit/s with real-time pacing: the link and chip
//! times of the model are slept, so the readers really overlap (or do not) as they would on a
//! station. The cards carry the realistic specimen (`potret-icao`, a 17 KB JPEG 2000 portrait)
//! and are personalized with the read-back verification.
//!
//! Prints, per number of readers: cards, wall time, cards per hour, and the station's CPU per
//! card — the process CPU time (`clock_gettime(CLOCK_PROCESS_CPUTIME_ID)`) minus the CPU time
//! the in-process virtual chips spent (measured per thread around each APDU and each blank
//! card made), divided by the cards.
//!
//! `cargo bench -p ektp-tests --bench stations` (about a minute).
#![allow(
    clippy::unwrap_used,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::cast_precision_loss
)]

#[path = "../fixtures.rs"]
mod fixtures;

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cpu_time::{ProcessTime, ThreadTime};
use ektp::Station;
use ektp_chip::Chip;
use ektp_chip::inprocess::InProcess;
use ektp_chip::link::{BitRate, LinkParams, Linked, Pacing};
use ektp_iso7816::{CardTransport, TransportError};
use ektp_station::{Batch, Event, Journal, Limits, Queue};
use fixtures::*;

const SPECIMEN: &str = "potret-icao";
const CARDS_PER_READER: usize = 4;

type Slot = Arc<Mutex<Option<InProcess<Linked<Chip>>>>>;

/// Nanoseconds of CPU the virtual chips spent, all threads.
type ChipCpu = Arc<AtomicU64>;

fn add(cpu: &ChipCpu, since: ThreadTime) {
    let ns = u64::try_from(since.elapsed().as_nanos()).unwrap_or(u64::MAX);
    cpu.fetch_add(ns, Ordering::Relaxed);
}

/// One reader and its feeder: a fresh blank card whenever the reader is empty, `left` times.
struct Feeder {
    slot: Slot,
    left: usize,
    serials: u16,
    reader: u8,
    chip_cpu: ChipCpu,
}

struct Handle(Slot, ChipCpu);

impl CardTransport for Handle {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let t = ThreadTime::now();
        let r = match self.0.lock().unwrap().as_mut() {
            Some(card) => card.transmit(command),
            None => Err(TransportError::CardRemoved),
        };
        add(&self.1, t);
        r
    }
    fn reset(&mut self) -> Result<Vec<u8>, TransportError> {
        match self.0.lock().unwrap().as_mut() {
            Some(card) => card.reset(),
            None => Err(TransportError::CardRemoved),
        }
    }
    fn is_card_present(&mut self) -> Result<bool, TransportError> {
        Ok(self.0.lock().unwrap().is_some())
    }
}

impl ektp_station::CardSource for Feeder {
    type Transport = Handle;
    type Error = Infallible;

    fn wait_for_card(&mut self, timeout: Duration) -> Result<bool, Infallible> {
        let mut slot = self.slot.lock().unwrap();
        if slot.is_none() && self.left > 0 {
            let t = ThreadTime::now();
            self.left -= 1;
            self.serials += 1;
            let [hi, lo] = self.serials.to_be_bytes();
            let serial = [0x45, 0x4B, 0x54, 0x50, 0xD0, self.reader, hi, lo];
            let chip = Chip::new_blank(serial, &master_key()).unwrap();
            let linked = Linked::new(chip, LinkParams::iso14443(BitRate::K848))
                .with_pacing(Pacing::RealTime);
            *slot = Some(InProcess::new(linked));
            add(&self.chip_cpu, t);
        }
        let present = slot.is_some();
        drop(slot);
        if !present {
            std::thread::sleep(timeout.min(Duration::from_millis(10)));
        }
        Ok(present)
    }

    fn wait_for_removal(&mut self, _timeout: Duration) -> Result<bool, Infallible> {
        self.slot.lock().unwrap().take();
        Ok(true)
    }

    fn connect(&mut self) -> Result<Option<Handle>, Infallible> {
        let present = self.slot.lock().unwrap().is_some();
        Ok(present.then(|| Handle(Arc::clone(&self.slot), Arc::clone(&self.chip_cpu))))
    }
}

/// A queue of `n` copies of the realistic specimen, each with its own document number, CAN
/// and NIK.
fn write_queue(dir: &Path, n: usize) -> PathBuf {
    let base = specimens_dir().join(SPECIMEN);
    let queue = dir.join("queue");
    std::fs::create_dir_all(&queue).unwrap();
    let text = std::fs::read_to_string(base.join("application.json")).unwrap();
    for i in 0..n {
        let app = queue.join(format!("app-{i:03}"));
        std::fs::create_dir_all(&app).unwrap();
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        for file in v["files"].as_object().unwrap().values() {
            let file = file.as_str().unwrap();
            std::fs::copy(base.join(file), app.join(file)).unwrap();
        }
        let nik = v["holder"]["nik"].as_str().unwrap();
        let nik = format!("{}{:04}", &nik[..12], 7001 + i);
        v["card"]["document_number"] = format!("IDS{:06}", 100 + i).into();
        v["card"]["can"] = format!("{:06}", 271_828 + i * 7).into();
        v["holder"]["nik"] = nik.into();
        let json = serde_json::to_string_pretty(&v).unwrap();
        std::fs::write(app.join("application.json"), json).unwrap();
    }
    queue
}

/// One run with `readers` readers: (cards issued, wall time, station CPU).
fn run(readers: u8, pki: &Pki) -> (u64, Duration, Duration) {
    let dir = std::env::temp_dir().join(format!(
        "ektp-bench-stations-{}-{readers}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let cards = usize::from(readers) * CARDS_PER_READER;
    let queue = write_queue(&dir, cards);
    let key = master_key();
    let station = Station {
        signer: &pki.signer,
        master_key: &key,
        trust: &pki.trust,
        cvca: None,
    };
    let chip_cpu = ChipCpu::default();
    let feeders = (0..readers)
        .map(|r| {
            let feeder = Feeder {
                slot: Arc::default(),
                left: CARDS_PER_READER,
                serials: 0,
                reader: r,
                chip_cpu: Arc::clone(&chip_cpu),
            };
            (format!("reader {r}"), feeder)
        })
        .collect();
    let mut failures = Vec::new();
    let mut events = |_: Option<&str>, e: Event| {
        if e.is_warning() {
            failures.push(e.to_string());
        }
    };
    let batch = Batch::prepare(
        Queue::scan(&queue).unwrap(),
        Journal::open(&dir.join("journal.sqlite")).unwrap(),
        None,
        &mut |e| events(None, e),
    )
    .unwrap();
    assert_eq!(batch.to_issue(), cards);
    let cpu = ProcessTime::now();
    let wall = Instant::now();
    let summary = batch
        .run_readers(feeders, &station, Limits::default(), &mut events)
        .unwrap();
    let (wall, cpu) = (wall.elapsed(), cpu.elapsed());
    assert!(failures.is_empty(), "{failures:?}");
    assert_eq!(summary.issued, cards as u64, "{summary}");
    let chip = Duration::from_nanos(chip_cpu.load(Ordering::Relaxed));
    let _ = std::fs::remove_dir_all(&dir);
    (summary.issued, wall, cpu.saturating_sub(chip))
}

fn main() {
    let pki = pki();
    println!(
        "multi-reader station: specimen '{SPECIMEN}', ISO/IEC 14443 at 848 kbit/s (real-time \
         pacing), personalization with read-back, {CARDS_PER_READER} cards per reader, cores: {}",
        std::thread::available_parallelism().map_or(0, usize::from)
    );
    println!(
        "{:>8} {:>6} {:>9} {:>11} {:>9} {:>22}",
        "readers", "cards", "wall", "cards/hour", "speed-up", "station CPU per card"
    );
    let mut one = None;
    for readers in [1u8, 2, 4] {
        let (cards, wall, cpu) = run(readers, &pki);
        let per_hour = cards as f64 * 3600.0 / wall.as_secs_f64();
        let base = *one.get_or_insert(per_hour);
        println!(
            "{readers:>8} {cards:>6} {:>7.1} s {per_hour:>11.0} {:>8.2}x {:>19.1} ms",
            wall.as_secs_f64(),
            per_hour / base,
            cpu.as_secs_f64() * 1e3 / cards as f64
        );
    }
}

//! `ektp_station::Batch` with the registry on a real PostgreSQL, over in-process virtual
//! chips (no reader): two stations with the same queue claim before they write, so no
//! application goes on two chips and each skipped one is in its station's journal; each card
//! is in the registry right after it is journaled; a registry gone away stops nothing and
//! the catch-up push afterwards sends every card.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

mod common;

use std::collections::BTreeSet;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use common::{database, login, scratch};
use ektp::{Station, TrustStore};
use ektp_chip::Chip;
use ektp_chip::inprocess::InProcess;
use ektp_iso7816::{CardTransport, TransportError};
use ektp_pki::RingSigner;
use ektp_pki::test_pki::{TestPkiFiles, generate_test_pki};
use ektp_registry::{ApplicationType, Registry};
use ektp_station::{
    Batch, CardOutcome, CardSource, Event, Journal, Limits, Queue, RegistrySink, Summary, sync,
};

type Slot = Arc<Mutex<Option<InProcess<Chip>>>>;

/// An operator at one in-process reader who inserts a new blank card whenever the batch
/// waits for one (up to `left`), and removes each card as soon as asked.
struct Operator {
    slot: Slot,
    master: ektp_chip::os::MasterKey,
    station: u8,
    reader: u8,
    mine: u8,
    /// Cards inserted at the station, all readers.
    inserted: Arc<AtomicU8>,
    left: u8,
}

/// The connection to the card in the slot.
struct Handle(Slot);

impl CardTransport for Handle {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        match self.0.lock().unwrap().as_mut() {
            Some(card) => card.transmit(command),
            None => Err(TransportError::CardRemoved),
        }
    }
    fn reset(&mut self) -> Result<Vec<u8>, TransportError> {
        match self.0.lock().unwrap().as_mut() {
            Some(card) => card.reset(),
            None => Err(TransportError::CardRemoved),
        }
    }
    fn is_card_present(&mut self) -> Result<bool, TransportError> {
        Ok(self
            .0
            .lock()
            .unwrap()
            .as_ref()
            .is_some_and(InProcess::is_inserted))
    }
}

impl CardSource for Operator {
    type Transport = Handle;
    type Error = Infallible;

    fn wait_for_card(&mut self, _timeout: Duration) -> Result<bool, Infallible> {
        let mut slot = self.slot.lock().unwrap();
        if slot.is_none() {
            if self.left == 0 {
                drop(slot);
                std::thread::sleep(Duration::from_millis(1));
                return Ok(false);
            }
            self.left -= 1;
            self.mine += 1;
            self.inserted.fetch_add(1, Ordering::Relaxed);
            let serial = [
                0x45,
                0x4B,
                0x54,
                0x50,
                0xC6,
                self.station,
                self.reader,
                self.mine,
            ];
            let chip = Chip::new_blank(serial, &self.master).unwrap();
            *slot = Some(InProcess::new(chip));
        }
        Ok(true)
    }

    fn wait_for_removal(&mut self, _timeout: Duration) -> Result<bool, Infallible> {
        self.slot.lock().unwrap().take();
        Ok(true)
    }

    fn connect(&mut self) -> Result<Option<Handle>, Infallible> {
        let present = self.slot.lock().unwrap().is_some();
        Ok(present.then(|| Handle(Arc::clone(&self.slot))))
    }
}

fn queue_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../cards/specimens")
}

/// Registers every valid application of the specimen queue with intake; returns their ids.
fn submit_queue(url: &str) -> BTreeSet<String> {
    let mut reg = Registry::connect(url).unwrap();
    let queue = Queue::scan(&queue_dir()).unwrap();
    for q in &queue.valid {
        reg.submit_application(
            &q.id,
            q.app.holder.nik.as_str(),
            ApplicationType::New,
            None,
            "intake",
        )
        .unwrap();
    }
    queue.valid.iter().map(|q| q.id.clone()).collect()
}

/// Runs station `n`'s batch over the specimen queue with `journal` and `registry` on `readers`
/// readers (one: exactly `Batch::run`); every event also goes to `watch`. Returns the summary,
/// the events and how many cards were inserted.
fn run_station(
    pki: &TestPkiFiles,
    (n, readers): (u8, u8),
    journal: &Path,
    registry: Box<dyn RegistrySink>,
    watch: &mut dyn FnMut(&Event),
) -> (Summary, Vec<Event>, u8) {
    let (cert, key) = &pki.document_signers[0];
    let signer = RingSigner::from_files(key, cert).unwrap();
    let trust = TrustStore::load_dir(&pki.trust_dir).unwrap();
    let master = ektp_chip::os::test_perso_master_key().unwrap();
    let station = Station {
        signer: &signer,
        master_key: &master,
        trust: &trust,
        cvca: None,
    };
    let inserted = Arc::new(AtomicU8::new(0));
    let operators = (0..readers)
        .map(|reader| {
            let operator = Operator {
                slot: Arc::default(),
                master: ektp_chip::os::test_perso_master_key().unwrap(),
                station: n,
                reader,
                mine: 0,
                inserted: Arc::clone(&inserted),
                left: 20,
            };
            (format!("reader {reader}"), operator)
        })
        .collect();
    let limits = Limits {
        card_timeout: Some(Duration::from_millis(if readers > 1 { 300 } else { 1 })),
        max_cards: None,
    };
    let mut events = Vec::new();
    let mut record = |_: Option<&str>, e: Event| {
        watch(&e);
        events.push(e);
    };
    let queue = Queue::scan(&queue_dir()).unwrap();
    let journal = Journal::open(journal).unwrap();
    let summary = Batch::prepare(queue, journal, None, &mut |e| record(None, e))
        .unwrap()
        .with_registry(registry)
        .run_readers(operators, &station, limits, &mut record)
        .unwrap();
    (summary, events, inserted.load(Ordering::Relaxed))
}

fn issued_in(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Card(CardOutcome::Issued { application, .. }) => Some(application.clone()),
            _ => None,
        })
        .collect()
}

fn skipped_in(events: &[Event]) -> BTreeSet<String> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Skipped { application, .. } => Some(application.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn two_station_batches_with_one_queue_write_each_application_on_one_chip() {
    two_stations("batch_two", 1);
}

/// The same with two multi-reader stations (two readers each): four workers race for the
/// applications on two registry connections.
#[test]
fn two_multi_reader_stations_with_one_queue_write_each_application_on_one_chip() {
    two_stations("batch_multi", 2);
}

fn two_stations(name: &str, readers: u8) {
    let (db, url) = database(name);
    let apps = submit_queue(&url);
    assert!(apps.len() >= 4, "{apps:?}");
    let dir = scratch(name);
    let pki = generate_test_pki(&dir.join("pki"), SystemTime::now()).unwrap();
    let handles: Vec<_> = ["sa", "sb"]
        .into_iter()
        .enumerate()
        .map(|(n, who)| {
            let station_url = login(&url, &db, who, "ektp_station");
            let journal = dir.join(format!("journal-{who}.sqlite"));
            let pki = pki.clone();
            std::thread::spawn(move || {
                let sink = Registry::connect(&station_url).unwrap();
                let out = run_station(
                    &pki,
                    (u8::try_from(n).unwrap(), readers),
                    &journal,
                    Box::new(sink),
                    &mut |_| {},
                );
                (out, journal)
            })
        })
        .collect();
    let runs: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();

    let mut all_issued = Vec::new();
    for (n, ((summary, events, inserted), journal)) in runs.iter().enumerate() {
        let issued = issued_in(events);
        let other = &runs[1 - n].0.1;
        // What this station skipped is exactly what the other one wrote, and nothing else.
        let other_issued: BTreeSet<String> = issued_in(other).into_iter().collect();
        assert_eq!(skipped_in(events), other_issued, "station {n}");
        // Skipped applications are in the journal, with the reason, and no card was asked
        // for them: one card per issued application.
        let journal = Journal::open_read_only(journal).unwrap();
        let journaled: BTreeSet<String> = journal
            .skipped()
            .unwrap()
            .into_iter()
            .map(|(app, _, reason)| {
                assert!(reason.contains("another station"), "{reason}");
                app
            })
            .collect();
        assert_eq!(journaled, other_issued, "station {n}");
        if readers == 1 {
            assert_eq!(usize::from(*inserted), issued.len(), "station {n}");
        } else {
            // A blank card arrives before its application is chosen: one may find nothing
            // left for it, but no card is ever written with an application of the other
            // station.
            assert!(usize::from(*inserted) >= issued.len(), "station {n}");
            assert!(!events.iter().any(|e| matches!(
                e,
                Event::Writing { application, .. } if other_issued.contains(application)
            )));
        }
        assert_eq!(summary.skipped.len(), other_issued.len());
        assert!(!events.iter().any(|e| matches!(
            e,
            Event::Insert { application, .. } if other_issued.contains(application)
        )));
        let pushed = events
            .iter()
            .filter(|e| matches!(e, Event::Pushed { .. }))
            .count();
        assert_eq!(pushed, issued.len(), "every card pushed as it went");
        all_issued.extend(issued);
    }
    let unique: BTreeSet<String> = all_issued.iter().cloned().collect();
    assert_eq!(all_issued.len(), unique.len(), "none twice: {all_issued:?}");
    assert_eq!(unique, apps, "every application issued once");
    let registry = Registry::connect(&url).unwrap().issued().unwrap();
    assert_eq!(registry.len(), apps.len());
}

#[test]
fn each_card_is_in_the_registry_before_the_next_and_an_outage_stops_nothing() {
    let (db, url) = database("batch_push");
    let apps = submit_queue(&url);
    let dir = scratch("batch_push");
    let pki = generate_test_pki(&dir.join("pki"), SystemTime::now()).unwrap();
    let station_url = login(&url, &db, "station", "ektp_station");

    // Online: each card's row is in the registry when its push is reported, and before the
    // next card is asked for.
    let mut admin = Registry::connect(&url).unwrap();
    let mut issued = 0usize;
    let mut checked = 0usize;
    let mut watch = |e: &Event| match e {
        Event::Card(CardOutcome::Issued { .. }) => issued += 1,
        Event::Pushed {
            document_number, ..
        } => {
            assert!(admin.card(document_number).unwrap().is_some());
            assert_eq!(admin.issued().unwrap().len(), issued);
            checked += 1;
        }
        Event::Insert { .. } => assert_eq!(admin.issued().unwrap().len(), issued),
        _ => {}
    };
    let sink = Registry::connect(&station_url).unwrap();
    let journal = dir.join("journal-online.sqlite");
    let (summary, _, _) = run_station(&pki, (0, 1), &journal, Box::new(sink), &mut watch);
    assert_eq!(usize::try_from(summary.issued).unwrap(), apps.len());
    assert_eq!(checked, apps.len());

    // Offline: a second station whose registry session is killed before it starts, and whose
    // applications the registry never heard of, issues its whole queue; the catch-up push
    // afterwards sends every card.
    let (db2, url2) = database("batch_offline");
    let station2 = login(&url2, &db2, "station", "ektp_station");
    let sink = Registry::connect(&station2).unwrap();
    postgres::Client::connect(&url2, postgres::NoTls)
        .unwrap()
        .execute(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE usename = $1",
            &[&format!("{db2}_station")],
        )
        .unwrap();
    let journal = dir.join("journal-offline.sqlite");
    let (summary, events, _) = run_station(&pki, (1, 1), &journal, Box::new(sink), &mut |_| {});
    assert_eq!(usize::try_from(summary.issued).unwrap(), apps.len());
    let offline = events
        .iter()
        .filter(|e| matches!(e, Event::RegistryOffline { .. }))
        .count();
    assert_eq!(offline, 1, "said once: {events:?}");
    assert!(!events.iter().any(|e| matches!(e, Event::Pushed { .. })));
    let journal = Journal::open_read_only(&journal).unwrap();
    let mut sink = Registry::connect(&station2).unwrap();
    let report = sync(&journal, &mut sink).unwrap();
    assert!(report.complete(), "{report:?}");
    assert_eq!(report.pushed, apps.len());
    assert_eq!(
        Registry::connect(&url2).unwrap().issued().unwrap().len(),
        apps.len()
    );
}

#[test]
fn a_station_sink_reconnects_after_its_session_is_killed() {
    use ektp_registry::StationSink;
    use ektp_station::{Claim, SinkError};
    let (db, url) = database("station_sink");
    let apps: Vec<String> = submit_queue(&url).into_iter().collect();
    let station_url = login(&url, &db, "station", "ektp_station");
    let mut sink = StationSink::new(&station_url, Duration::ZERO);
    assert_eq!(sink.claim(&apps[0]).unwrap(), Claim::Granted);
    postgres::Client::connect(&url, postgres::NoTls)
        .unwrap()
        .execute(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE usename = $1",
            &[&format!("{db}_station")],
        )
        .unwrap();
    assert!(matches!(
        sink.claim(&apps[1]),
        Err(SinkError::Unreachable(_))
    ));
    assert_eq!(sink.claim(&apps[1]).unwrap(), Claim::Granted, "reconnected");
    // A server that is not there: unreachable, and not tried again within `retry`.
    let down = format!("host={} user=nobody dbname={db}", scratch("down").display());
    let mut sink = StationSink::new(&down, Duration::from_secs(3600));
    assert!(matches!(
        sink.claim(&apps[0]),
        Err(SinkError::Unreachable(_))
    ));
    let Err(SinkError::Unreachable(why)) = sink.claim(&apps[0]) else {
        panic!("still unreachable");
    };
    assert!(why.contains("retrying later"), "{why}");
}

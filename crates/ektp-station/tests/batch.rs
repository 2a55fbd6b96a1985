//! The batch policy over virtual chips in-process: no reader, no pcscd. The test plays the
//! operator through a scripted [`CardSource`]: blank cards, a card pulled mid-write and put
//! back, a card left half-written by a "killed" batch, a card pulled just after its lock, an
//! issued card put in again, cards of another card batch, and `--abandon`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::cell::RefCell;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::{Duration, SystemTime};

use ektp::{Station, TrustStore};
use ektp_chip::Chip;
use ektp_chip::card::Fault;
use ektp_chip::inprocess::InProcess;
use ektp_iso7816::{CardTransport, TransportError};
use ektp_pki::RingSigner;
use ektp_pki::test_pki::generate_test_pki;
use ektp_station::journal::Start;
use ektp_station::{
    Batch, CardOutcome, CardSource, Error, Event, Journal, Limits, Queue, Refusal, Status, Summary,
};

type Slot = Rc<RefCell<Option<InProcess<Chip>>>>;

/// What the operator puts in the reader next.
enum Insert {
    /// A card, perhaps one that will be pulled as `Fault` says.
    Card(Box<Chip>, Option<Fault>),
    /// The card removed `n`-th (0 = first), put back.
    PutBack(usize),
}

/// One in-process reader and an operator who follows a script: inserts the next card when the
/// batch waits for one, removes each card as soon as asked.
struct Operator {
    slot: Slot,
    script: VecDeque<Insert>,
    removed: Vec<Option<InProcess<Chip>>>,
}

impl Operator {
    fn new(script: Vec<Insert>) -> Self {
        Self {
            slot: Rc::new(RefCell::new(None)),
            script: script.into(),
            removed: Vec::new(),
        }
    }

    /// The chips removed, in order (those not put back again).
    fn removed_chips(self) -> Vec<Chip> {
        self.removed
            .into_iter()
            .flatten()
            .map(InProcess::into_card)
            .collect()
    }
}

/// The connection to the card in the slot; fails as a pulled card once it is gone.
struct Handle(Slot);

impl CardTransport for Handle {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        match self.0.borrow_mut().as_mut() {
            Some(card) => card.transmit(command),
            None => Err(TransportError::CardRemoved),
        }
    }
    fn reset(&mut self) -> Result<Vec<u8>, TransportError> {
        match self.0.borrow_mut().as_mut() {
            Some(card) => card.reset(),
            None => Err(TransportError::CardRemoved),
        }
    }
    fn is_card_present(&mut self) -> Result<bool, TransportError> {
        Ok(self.0.borrow().as_ref().is_some_and(InProcess::is_inserted))
    }
}

impl CardSource for Operator {
    type Transport = Handle;
    type Error = Infallible;

    fn wait_for_card(&mut self, _timeout: Duration) -> Result<bool, Infallible> {
        if self.slot.borrow().is_none() {
            let card = match self.script.pop_front() {
                None => return Ok(false),
                Some(Insert::Card(chip, None)) => InProcess::new(*chip),
                Some(Insert::Card(chip, Some(fault))) => InProcess::with_fault(*chip, fault),
                Some(Insert::PutBack(n)) => {
                    let mut card = self.removed[n].take().expect("card removed before");
                    card.reinsert();
                    card
                }
            };
            *self.slot.borrow_mut() = Some(card);
        }
        Ok(self
            .slot
            .borrow()
            .as_ref()
            .is_some_and(InProcess::is_inserted))
    }

    fn wait_for_removal(&mut self, _timeout: Duration) -> Result<bool, Infallible> {
        if let Some(mut card) = self.slot.borrow_mut().take() {
            card.pull();
            self.removed.push(Some(card));
        }
        Ok(true)
    }

    fn connect(&mut self) -> Result<Option<Handle>, Infallible> {
        let present = self
            .slot
            .borrow()
            .as_ref()
            .is_some_and(InProcess::is_inserted);
        Ok(present.then(|| Handle(Rc::clone(&self.slot))))
    }
}

/// A station: test PKI, the specimen queue (5 valid applications, 1 invalid), a journal.
struct Fixture {
    dir: PathBuf,
    signer: RingSigner,
    trust: TrustStore,
    master: ektp_chip::os::MasterKey,
}

impl Fixture {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("ektp-station-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let pki = generate_test_pki(&dir.join("pki"), SystemTime::now()).unwrap();
        let (cert, key) = &pki.document_signers[0];
        Self {
            signer: RingSigner::from_files(key, cert).unwrap(),
            trust: TrustStore::load_dir(&pki.trust_dir).unwrap(),
            master: ektp_chip::os::test_perso_master_key().unwrap(),
            dir,
        }
    }

    /// The specimens but `potret-icao`: these tests count on every card taking the same
    /// APDUs (pulls are placed by APDU count), and its 17 KB portrait takes more.
    fn queue_dir() -> PathBuf {
        let specimens = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../cards/specimens");
        let queue = std::env::temp_dir().join(format!("ektp-station-queue-{}", std::process::id()));
        if !queue.exists() {
            let tmp = queue.with_extension(format!("{:?}", std::thread::current().id()));
            let _ = std::fs::remove_dir_all(&tmp);
            std::fs::create_dir_all(&tmp).unwrap();
            for entry in std::fs::read_dir(&specimens).unwrap() {
                let entry = entry.unwrap();
                if entry.file_name() != "potret-icao" {
                    std::os::unix::fs::symlink(entry.path(), tmp.join(entry.file_name())).unwrap();
                }
            }
            // Tests run in parallel: the first rename wins, the others find it there.
            if std::fs::rename(&tmp, &queue).is_err() {
                let _ = std::fs::remove_dir_all(&tmp);
            }
        }
        queue
    }

    fn journal(&self) -> Journal {
        Journal::open(&self.dir.join("journal.sqlite")).unwrap()
    }

    fn blank(&self, n: u8) -> Chip {
        Chip::new_blank([0x45, 0x4B, 0x54, 0x50, 0xC5, 0, 0, n], &self.master).unwrap()
    }

    /// Runs a batch over `operator`, stopping at the first card it waits for in vain.
    fn run(
        &self,
        operator: &mut Operator,
        abandon: Option<&str>,
    ) -> (Result<Summary, Error>, Vec<Event>) {
        let mut events = Vec::new();
        let mut record = |e: Event| events.push(e);
        let station = Station {
            signer: &self.signer,
            master_key: &self.master,
            trust: &self.trust,
            cvca: None,
        };
        let limits = Limits {
            card_timeout: Some(Duration::from_millis(1)),
            max_cards: None,
        };
        let queue = Queue::scan(&Self::queue_dir()).unwrap();
        let result = Batch::prepare(queue, self.journal(), abandon, &mut record)
            .and_then(|batch| batch.run(operator, &station, limits, &mut record));
        (result, events)
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn issued(events: &[Event]) -> Vec<(String, bool)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Card(CardOutcome::Issued {
                application,
                resumed,
                ..
            }) => Some((application.clone(), *resumed)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_pulled_card_and_a_card_locked_before_the_journal_heard_back_are_finished_once() {
    let f = Fixture::new("pulled");
    let mut op = Operator::new(vec![
        Insert::Card(Box::new(f.blank(0)), None),
        Insert::Card(Box::new(f.blank(1)), Some(Fault::PullAfterExecuting(30))),
        Insert::PutBack(1),
    ]);
    let (result, events) = f.run(&mut op, None);
    let summary = result.unwrap();
    assert!(events.contains(&Event::Pulled {
        application: "nama-panjang".into()
    }));
    assert!(events.iter().any(|e| matches!(e,
        Event::Insert { application, put_back: Some(chip), .. }
            if application == "nama-panjang" && chip == "454B5450C5000001")));
    assert_eq!(
        issued(&events),
        [("menikah-16".into(), false), ("nama-panjang".into(), true)]
    );
    assert_eq!(summary.issued, 2);
    assert_eq!(summary.remaining, 3);
    assert!(summary.timed_out);
    // The invalid specimen makes the run incomplete.
    assert_eq!(summary.status(), Status::Incomplete);
    assert_eq!(summary.invalid[0].application, "belum-kawin-16");
    let apdus_per_card = op.removed[0].as_ref().unwrap().answered();

    // The next card locks itself and leaves before the batch hears back.
    let mut op = Operator::new(vec![
        Insert::Card(
            Box::new(f.blank(2)),
            Some(Fault::PullAfterExecuting(apdus_per_card - 1)),
        ),
        Insert::PutBack(0),
    ]);
    let (result, events) = f.run(&mut op, None);
    let summary = result.unwrap();
    assert_eq!(issued(&events), [("pria".into(), true)]);
    assert_eq!(summary.already_issued, 2);
    assert_eq!(summary.journal_issued_total, 3);
    let chips = op.removed_chips();
    assert_eq!(chips[0].lifecycle(), ektp_chip::os::Lifecycle::Issued);
    assert!(f.journal().in_progress().unwrap().is_empty());
}

#[test]
fn a_card_left_half_written_by_a_killed_batch_is_finished_on_that_chip_only() {
    let f = Fixture::new("killed");
    // The "killed" batch: its row is in the journal, its card half written.
    let queue = Queue::scan(&Fixture::queue_dir()).unwrap();
    let first = &queue.valid[0];
    let mut journal = f.journal();
    journal
        .begin(&Start {
            application: &first.id,
            chip_serial: "454B5450C5000007",
            document_number: first.document_number(),
            nik: first.app.holder.nik.as_str(),
        })
        .unwrap();
    drop(journal);
    let mut half = InProcess::with_fault(f.blank(7), Fault::PullAfterExecuting(25));
    let station = Station {
        signer: &f.signer,
        master_key: &f.master,
        trust: &f.trust,
        cvca: None,
    };
    let mut card = ektp::Card::new(&mut half).unwrap();
    let e = card
        .personalize(&first.app, &station, &mut |_| {})
        .unwrap_err();
    assert!(e.is_card_removed(), "{e}");
    half.reinsert();

    // Another blank card first: refused, nothing written. Then the half-written one.
    let mut op = Operator::new(vec![
        Insert::Card(Box::new(f.blank(8)), None),
        Insert::Card(Box::new(half.into_card()), None),
    ]);
    let (result, events) = f.run(&mut op, None);
    result.unwrap();
    assert!(events.iter().any(|e| matches!(e,
        Event::Refused(Refusal::WrongChip { chip_serial, expected, .. })
            if chip_serial == "454B5450C5000008" && expected == "454B5450C5000007")));
    assert_eq!(issued(&events)[0], (first.id.clone(), true));
    let chips = op.removed_chips();
    assert_eq!(chips[0].lifecycle(), ektp_chip::os::Lifecycle::Blank);

    // An issued card put in again is never written.
    let mut op = Operator::new(vec![Insert::Card(
        Box::new(chips.into_iter().nth(1).unwrap()),
        None,
    )]);
    let (result, events) = f.run(&mut op, None);
    assert_eq!(result.unwrap().issued, 0);
    assert!(events.contains(&Event::Refused(Refusal::AlreadyIssued)));
}

#[test]
fn cards_of_another_card_batch_fail_and_three_in_a_row_stop_the_batch() {
    let f = Fixture::new("wrongkey");
    let other = |n| {
        Chip::new_blank(
            [0x45, 0x4B, 0x54, 0x50, 0xC6, 0, 0, n],
            &ektp_chip::os::MasterKey::from_bytes([0x5A; 32]),
        )
        .unwrap()
    };
    let mut op = Operator::new(vec![
        Insert::Card(Box::new(other(0)), None),
        Insert::Card(Box::new(other(1)), None),
        Insert::Card(Box::new(other(2)), None),
    ]);
    let (result, events) = f.run(&mut op, None);
    let e = result.unwrap_err();
    assert!(matches!(e, Error::TooManyFailures { count: 3, .. }), "{e}");
    assert!(e.to_string().contains("3 cards in a row failed"), "{e}");
    let failed = events
        .iter()
        .filter(|e| matches!(e, Event::Card(CardOutcome::Failed { .. })))
        .count();
    assert_eq!(failed, 3);
    // Card faults do not count against the application: it is never set aside.
    assert!(!events.iter().any(|e| matches!(e, Event::SetAside { .. })));
    for chip in op.removed_chips() {
        assert_eq!(chip.lifecycle(), ektp_chip::os::Lifecycle::Blank);
    }
    assert!(f.journal().issued().unwrap().is_empty());
}

#[test]
fn an_application_that_fails_on_two_cards_is_set_aside_and_no_failing_card_is_locked() {
    let mut f = Fixture::new("untrusted");
    // A trust store of another department: every read-back fails Passive Authentication.
    let stranger = generate_test_pki(&f.dir.join("other-pki"), SystemTime::now()).unwrap();
    f.trust = TrustStore::load_dir(&stranger.trust_dir).unwrap();
    let mut op = Operator::new(
        (0..3)
            .map(|n| Insert::Card(Box::new(f.blank(n)), None))
            .collect(),
    );
    let (result, events) = f.run(&mut op, None);
    let e = result.unwrap_err();
    assert!(matches!(e, Error::TooManyFailures { count: 3, .. }), "{e}");
    assert!(e.to_string().contains("card NOT locked"), "{e}");
    assert!(events.contains(&Event::SetAside {
        application: "menikah-16".into(),
        cards: 2
    }));
    let failed: Vec<&str> = events
        .iter()
        .filter_map(|e| match e {
            Event::Card(CardOutcome::Failed { application, .. }) => Some(application.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(failed, ["menikah-16", "menikah-16", "nama-panjang"]);
    for chip in op.removed_chips() {
        assert_ne!(chip.lifecycle(), ektp_chip::os::Lifecycle::Issued);
    }
    assert!(f.journal().issued().unwrap().is_empty());
}

#[test]
fn an_unfinished_card_must_be_finished_or_abandoned() {
    let f = Fixture::new("abandon");
    let mut journal = f.journal();
    journal
        .begin(&Start {
            application: "gone",
            chip_serial: "454B5450C0000001",
            document_number: "IDZ000001",
            nik: "3273011708857001",
        })
        .unwrap();
    drop(journal);
    let (result, _) = f.run(&mut Operator::new(vec![]), None);
    let e = result.unwrap_err();
    assert!(matches!(e, Error::UnfinishedElsewhere { .. }), "{e}");
    assert!(e.to_string().contains("--abandon 454B5450C0000001"), "{e}");

    let (result, _) = f.run(&mut Operator::new(vec![]), Some("454B5450C0000099"));
    assert!(matches!(result, Err(Error::NothingToAbandon { .. })));

    let (result, events) = f.run(&mut Operator::new(vec![]), Some("454b5450c0000001"));
    let summary = result.unwrap();
    assert_eq!(
        events[0],
        Event::Abandoned {
            chip_serial: "454B5450C0000001".into(),
            application: "gone".into()
        }
    );
    assert_eq!(summary.remaining, 5);
    assert_eq!(summary.status(), Status::Incomplete);
    assert!(f.journal().in_progress().unwrap().is_empty());
    assert!(
        events
            .iter()
            .all(|e| !format!("{e} {e:?}").contains("3273011708857001"))
    );
}

#[test]
fn an_abandoned_chip_put_back_is_refused_for_ever() {
    let f = Fixture::new("abandoned-back");
    // The first card is pulled half-way and never comes back in this run.
    let mut op = Operator::new(vec![Insert::Card(
        Box::new(f.blank(0)),
        Some(Fault::PullAfterExecuting(30)),
    )]);
    let (result, _) = f.run(&mut op, None);
    assert_eq!(result.unwrap().unfinished.len(), 1);
    let pulled = op.removed_chips().remove(0);

    // The operator abandons it, then puts the same chip back: refused, nothing written.
    let mut op = Operator::new(vec![Insert::Card(Box::new(pulled), None)]);
    let (result, events) = f.run(&mut op, Some("454B5450C5000000"));
    let summary = result.unwrap();
    assert!(
        events.contains(&Event::Refused(Refusal::AbandonedChip {
            chip_serial: "454B5450C5000000".into()
        })),
        "{events:?}"
    );
    assert!(
        events
            .iter()
            .any(|e| e.to_string().contains("abandoned chip: destroy it"))
    );
    assert_eq!(summary.issued, 0);
    assert!(summary.unfinished.is_empty());
    let mut journal = f.journal();
    assert!(
        journal
            .find_issued_chip("454B5450C5000000")
            .unwrap()
            .is_none()
    );
    assert!(journal.is_abandoned_chip("454b5450c5000000").unwrap());
    // The journal itself refuses to open a row on it, whatever the caller.
    let e = journal
        .begin(&Start {
            application: "other",
            chip_serial: "454B5450C5000000",
            document_number: "IDZ000002",
            nik: "3273011708857002",
        })
        .unwrap_err();
    assert!(matches!(e, Error::AbandonedChip { .. }), "{e}");
    assert!(e.to_string().contains("abandoned chip: destroy it"), "{e}");
}

#[test]
fn the_summary_names_a_half_written_card_and_a_stop_request_ends_the_run() {
    let f = Fixture::new("stop");
    let mut op = Operator::new(vec![Insert::Card(
        Box::new(f.blank(0)),
        Some(Fault::PullAfterExecuting(30)),
    )]);
    let (result, _) = f.run(&mut op, None);
    let summary = result.unwrap();
    assert_eq!(
        summary.unfinished,
        [ektp_station::Unfinished {
            chip_serial: "454B5450C5000000".into(),
            application: "menikah-16".into()
        }]
    );
    let text = summary.to_string();
    assert!(
        text.contains("half-written: chip 454B5450C5000000 (application menikah-16)"),
        "{text}"
    );

    // A stop requested before the first card: no card is asked for, the summary follows.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let mut events = Vec::new();
    let mut record = |e: Event| events.push(e);
    let station = Station {
        signer: &f.signer,
        master_key: &f.master,
        trust: &f.trust,
        cvca: None,
    };
    let queue = Queue::scan(&Fixture::queue_dir()).unwrap();
    let summary = Batch::prepare(queue, f.journal(), None, &mut record)
        .unwrap()
        .stop_when(stop)
        .run(
            &mut Operator::new(vec![Insert::Card(Box::new(f.blank(1)), None)]),
            &station,
            Limits::default(),
            &mut record,
        )
        .unwrap();
    assert!(summary.stopped);
    assert_eq!(summary.remaining, 5);
    assert_eq!(summary.unfinished.len(), 1);
    assert!(events.contains(&Event::Stopped));
    assert!(!events.iter().any(|e| matches!(e, Event::Insert { .. })));
}

/// `ektp personalize`'s policy: one application onto one card, through the shared journal.
mod personalize {
    use super::*;
    use ektp_chip::inprocess::InProcess;
    use ektp_station::issue::{check_not_issued, issue};
    use ektp_station::journal::{RecordFilter, RecordState};
    use ektp_station::{Issued, Job};

    fn issue_on(f: &Fixture, journal: &mut Journal, chip: Chip, job: &Job<'_>) -> Issued {
        let station = Station {
            signer: &f.signer,
            master_key: &f.master,
            trust: &f.trust,
            cvca: None,
        };
        let mut card = ektp::Card::new(InProcess::new(chip)).unwrap();
        issue(journal, &mut card, job, &station, &mut |_| {}).unwrap()
    }

    #[test]
    fn an_issued_application_is_refused_and_a_reissue_supersedes_the_old_card() {
        let f = Fixture::new("perso-reissue");
        let app =
            ektp::load_application(Fixture::queue_dir().join("pria/application.json")).unwrap();
        let mut job = Job {
            application: "pria",
            app: &app,
            reissue: None,
        };
        let mut journal = f.journal();
        check_not_issued(&journal, &job).unwrap();
        let first = issue_on(&f, &mut journal, f.blank(0), &job);
        assert!(
            matches!(first, Issued::Issued { resumed: false, .. }),
            "{first:?}"
        );

        // Again, on a second blank card: refused before the card is touched.
        let e = check_not_issued(&journal, &job).unwrap_err();
        assert!(matches!(e, Error::AlreadyIssued { .. }), "{e}");
        assert!(e.to_string().contains("--reissue"), "{e}");
        // Even without the check, the journal refuses to open a row.
        let mut card = ektp::Card::new(InProcess::new(f.blank(1))).unwrap();
        let station = Station {
            signer: &f.signer,
            master_key: &f.master,
            trust: &f.trust,
            cvca: None,
        };
        let e = issue(&mut journal, &mut card, &job, &station, &mut |_| {}).unwrap_err();
        assert!(matches!(e, Error::JournalRefuses { .. }), "{e}");
        assert_eq!(card.lifecycle().unwrap(), ektp::Lifecycle::Blank);

        // A locked card (here one written outside the journal): already issued, not blank.
        let locked = personalized(&f, f.blank(3), &app);
        let refused = issue_on(&f, &mut journal, locked, &job);
        assert!(
            matches!(refused, Issued::Refused(Refusal::AlreadyIssued)),
            "{refused:?}"
        );
        assert!(
            Refusal::AlreadyIssued
                .to_string()
                .contains("already issued (locked)")
        );

        // A reissue with a reason: the old card is superseded, the new one issued.
        job.reissue = Some("card body misprinted, destroyed");
        check_not_issued(&journal, &job).unwrap();
        let second = issue_on(&f, &mut journal, f.blank(2), &job);
        assert!(matches!(second, Issued::Issued { .. }), "{second:?}");
        assert_eq!(
            journal
                .find_issued("IDA000001")
                .unwrap()
                .unwrap()
                .chip_serial,
            "454B5450C5000002"
        );
        drop(journal);

        // The reports, from the journal opened read-only.
        let ro = Journal::open_read_only(&f.dir.join("journal.sqlite")).unwrap();
        let all = ro.records(&RecordFilter::default()).unwrap();
        let states: Vec<RecordState> = all.iter().map(|r| r.state).collect();
        assert_eq!(states, [RecordState::Superseded, RecordState::Issued]);
        assert!(all[0].reason.as_deref().unwrap().contains("misprinted"));
        assert!(all[1].is_reissue());
        let issued = RecordFilter {
            state: Some(RecordState::Issued),
            ..RecordFilter::default()
        };
        assert_eq!(ro.records(&issued).unwrap().len(), 1);
        let by_chip = RecordFilter {
            key: Some("454b5450c5000000".into()),
            ..RecordFilter::default()
        };
        assert_eq!(ro.records(&by_chip).unwrap().len(), 1);
        let future = RecordFilter {
            since: Some("2999-01-01".into()),
            ..RecordFilter::default()
        };
        assert!(ro.records(&future).unwrap().is_empty());
        assert!(!format!("{all:?}").contains(&app.holder.nik.as_str().to_owned()));
        // A file that is not a journal is refused, and nothing is created.
        assert!(Journal::open_read_only(&f.dir.join("none.sqlite")).is_err());
        assert!(!f.dir.join("none.sqlite").exists());
    }

    /// A chip personalized with `app` outside any journal.
    fn personalized(f: &Fixture, chip: Chip, app: &ektp::Application) -> Chip {
        let station = Station {
            signer: &f.signer,
            master_key: &f.master,
            trust: &f.trust,
            cvca: None,
        };
        let mut card = ektp::Card::new(InProcess::new(chip)).unwrap();
        card.personalize(app, &station, &mut |_| {}).unwrap();
        card.into_transport().into_card()
    }
}

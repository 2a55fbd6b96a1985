//! The multi-reader station: one batch, one journal, one queue, several readers at once.
//!
//! [`Batch::run_readers`] runs a worker thread per reader. A worker waits for a card in its
//! reader, reads the chip serial and then, holding the station's shared state (journal, queue,
//! registry) only for that moment, decides what the card gets:
//!
//! - a chip the journal has **in progress** gets its own application back, whichever reader it
//!   was pulled from and whichever it is put back in;
//! - an **abandoned** chip, a chip the journal records as issued, or one whose in-progress
//!   application another reader is writing, gets nothing (a [`Refusal`]);
//! - a **blank** chip gets the next application no chip is half-written with (claimed in the
//!   registry first, with [`Batch::with_registry`]), and its `in_progress` row is written
//!   before the worker lets go of the journal: two workers racing for the next application
//!   take two different ones, and no chip is touched before its row exists;
//! - a **locked** card (locked before the journal heard back; it no longer gives its serial) is
//!   tried against the in-progress applications no reader is writing, and finished as the one
//!   it verifies as.
//!
//! The card is then written without the journal (the other readers go on meanwhile), and the
//! outcome recorded under the lock again. The station's keys stay on the calling thread
//! (a PKCS#11 session is not shared between threads): workers send it what to sign and which
//! chip keys to derive, and it hands every event to `events` with the reader's name.
//!
//! Limits: [`MAX_CONSECUTIVE_FAILURES`] counts per reader (three failed cards in a row point at
//! that encoder or its card stack; it stops that reader only); [`MAX_FAILURES_PER_APPLICATION`]
//! per station (an application is at fault wherever it is written). The card time-out is per
//! reader (each reader is fed on its own: one left empty stops by itself); `max_cards` and the
//! stop flag are per station. A reader whose worker fails (unplugged, its service stopped, too
//! many failures) stops alone, says so ([`Event::ReaderStopped`]) and is named in the
//! [`Summary`]; the others go on. A worker ends when the queue has nothing left and no reader
//! is writing (until then a pulled card can be put back in any reader still running).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError, mpsc};
use std::time::{Duration, Instant};

use ektp::{Lifecycle, PersoKeySource, Station, Step};
use ektp_pki::{PkiError, SignatureAlgorithm, Signer};
use ektp_sm::perso::{PersoKeys, SERIAL_LEN};

use crate::batch::{
    Batch, Limits, MAX_CONSECUTIVE_FAILURES, MAX_FAILURES_PER_APPLICATION, REMIND_REMOVAL,
    Registry, WAIT_SLICE, source_error,
};
use crate::event::{CardOutcome, Event, ReaderStopped, Refusal, Summary};
use crate::issue::{Job, Written, write};
use crate::journal::{InProgress, Journal, SignerId, Start};
use crate::queue::{Queued, Rejected};
use crate::{CardSource, Error};

/// Receives each event with the name of the reader it happened in (`None` for the station as
/// a whole, and always `None` with one reader).
pub type ReaderEvents<'a> = &'a mut dyn FnMut(Option<&str>, Event);

/// What the workers ask of the calling thread.
enum Msg {
    /// An event in reader `.0` (its index).
    Event(usize, Event),
    /// Sign these signed attributes with the document signer.
    Sign(Vec<u8>, mpsc::Sender<Result<Vec<u8>, PkiError>>),
    /// Derive the personalization keys of this chip.
    Keys(
        [u8; SERIAL_LEN],
        mpsc::Sender<Result<PersoKeys, ektp::Error>>,
    ),
}

/// The station's keys as a worker sees them: requests to the calling thread.
struct RemoteKeys {
    tx: mpsc::Sender<Msg>,
    certificate: Vec<u8>,
    algorithm: SignatureAlgorithm,
}

impl Signer for RemoteKeys {
    fn signature_algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    fn certificate_der(&self) -> &[u8] {
        &self.certificate
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, PkiError> {
        let (reply, answer) = mpsc::channel();
        self.tx
            .send(Msg::Sign(message.to_vec(), reply))
            .map_err(|_| PkiError::SigningFailed)?;
        answer.recv().map_err(|_| PkiError::SigningFailed)?
    }
}

/// The station stopped answering a worker (it is ending).
#[derive(Debug, thiserror::Error)]
#[error("the station's master key is no longer reachable (the batch is ending)")]
struct KeysGone;

impl PersoKeySource for RemoteKeys {
    fn perso_keys(&self, serial: &[u8; SERIAL_LEN]) -> Result<PersoKeys, ektp::Error> {
        let (reply, answer) = mpsc::channel();
        let gone = |_| ektp::Error::MasterKey(Box::new(KeysGone));
        self.tx.send(Msg::Keys(*serial, reply)).map_err(gone)?;
        answer
            .recv()
            .map_err(|_| ektp::Error::MasterKey(Box::new(KeysGone)))?
    }
}

/// What the workers share, each holding it only to decide or record.
struct Shared {
    journal: Journal,
    /// Applications no reader is writing, unfinished ones first.
    pending: std::collections::VecDeque<Queued>,
    /// How many applications readers are writing now.
    writing: usize,
    registry: Option<Registry>,
    issued_now: u64,
    failed: Vec<Rejected>,
    skipped: Vec<Rejected>,
    failures_by_app: BTreeMap<String, u32>,
    timed_out: bool,
    stopped: bool,
}

impl Shared {
    /// Nothing left to hand out and no reader writing: every worker may end.
    fn finished(&self) -> bool {
        self.pending.is_empty() && self.writing == 0
    }

    /// Half-written chips whose application no reader is writing.
    fn awaited(&self) -> Result<Vec<InProgress>, Error> {
        Ok(self
            .journal
            .in_progress()?
            .into_iter()
            .filter(|r| self.pending.iter().any(|q| q.id == r.application))
            .collect())
    }

    /// Takes application `id` out of the queue for a reader.
    fn take(&mut self, id: &str) -> Option<Queued> {
        let i = self.pending.iter().position(|q| q.id == id)?;
        let q = self.pending.remove(i)?;
        self.writing = self.writing.saturating_add(1);
        Some(q)
    }

    /// Gives back an application a reader no longer writes (first in the queue).
    fn give_back(&mut self, q: Queued) {
        self.writing = self.writing.saturating_sub(1);
        self.pending.push_front(q);
    }
}

fn lock(shared: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    // A worker never panics holding it; if one did, the journal is still consistent (every
    // change is one transaction), so the others go on.
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What a blank or put-back chip gets.
type Assigned = Result<(Queued, i64, bool), Refusal>;

/// How a wait ended.
enum Waited {
    Done,
    TimedOut,
    /// Stop requested, or nothing left for any reader.
    Over,
}

/// One reader's worker.
struct Worker<'a, S> {
    index: usize,
    source: S,
    shared: &'a Mutex<Shared>,
    stop: &'a AtomicBool,
    station: Station<'a>,
    signer: &'a SignerId,
    limits: Limits,
    tx: mpsc::Sender<Msg>,
    consecutive_failures: u32,
}

impl<S: CardSource> Worker<'_, S> {
    fn say(&self, event: Event) {
        // The calling thread only stops listening once every worker has ended.
        let _ = self.tx.send(Msg::Event(self.index, event));
    }

    /// Card after card until nothing is left, a limit is reached or the reader fails.
    fn run(&mut self) -> Result<(), Error> {
        while let Some(put_back) = self.more()? {
            self.say(Event::Waiting { put_back });
            match self.wait(true)? {
                Waited::Done => {}
                Waited::Over => return Ok(()),
                Waited::TimedOut => {
                    lock(self.shared).timed_out = true;
                    let seconds = self.limits.card_timeout.unwrap_or_default().as_secs();
                    self.say(Event::TimedOut { seconds });
                    return Ok(());
                }
            }
            self.one_card()?;
            if let Waited::TimedOut = self.wait(false)? {
                lock(self.shared).timed_out = true;
                let seconds = self.limits.card_timeout.unwrap_or_default().as_secs();
                self.say(Event::RemovalTimedOut { seconds });
                return Ok(());
            }
        }
        Ok(())
    }

    /// Whether to wait for another card: the half-written chips to ask for, or `None` when
    /// the run is over for this reader.
    fn more(&self) -> Result<Option<Vec<String>>, Error> {
        let mut sh = lock(self.shared);
        if self.stop_requested(&mut sh) || sh.finished() {
            return Ok(None);
        }
        let started = sh
            .issued_now
            .saturating_add(u64::try_from(sh.writing).unwrap_or(u64::MAX));
        if self.limits.max_cards.is_some_and(|m| started >= m) {
            return Ok(None);
        }
        Ok(Some(
            sh.awaited()?.into_iter().map(|r| r.chip_serial).collect(),
        ))
    }

    fn stop_requested(&self, sh: &mut Shared) -> bool {
        if self.stop.load(Ordering::Acquire) {
            if !sh.stopped {
                sh.stopped = true;
                self.say(Event::Stopped);
            }
            return true;
        }
        false
    }

    /// Waits for a card (`arrive`) or for the reader to be empty, within the card time-out.
    fn wait(&mut self, arrive: bool) -> Result<Waited, Error> {
        let start = Instant::now();
        let mut last_reminder = Instant::now();
        loop {
            if arrive {
                let mut sh = lock(self.shared);
                if self.stop_requested(&mut sh) || sh.finished() {
                    return Ok(Waited::Over);
                }
            }
            let slice = match self.limits.card_timeout {
                Some(limit) => {
                    let left = limit.saturating_sub(start.elapsed());
                    if left.is_zero() {
                        return Ok(Waited::TimedOut);
                    }
                    left.min(WAIT_SLICE)
                }
                None => WAIT_SLICE,
            };
            let done = if arrive {
                self.source.wait_for_card(slice)
            } else {
                self.source.wait_for_removal(slice)
            };
            if done.map_err(source_error)? {
                return Ok(Waited::Done);
            }
            if !arrive && self.stop.load(Ordering::Acquire) {
                return Ok(Waited::Over);
            }
            if !arrive && last_reminder.elapsed() >= REMIND_REMOVAL {
                self.say(Event::RemoveCard);
                last_reminder = Instant::now();
            }
        }
    }

    /// The card now in the reader: what it gets, written, recorded.
    fn one_card(&mut self) -> Result<(), Error> {
        let Some(transport) = self.source.connect().map_err(source_error)? else {
            return Ok(());
        };
        let mut card = ektp::Card::new(transport).map_err(Error::Card)?;
        let lifecycle = match card.lifecycle() {
            Ok(l) => l,
            Err(e) if e.is_card_removed() => return Ok(()),
            Err(e) => {
                let error = e.to_string();
                self.say(Event::Refused(Refusal::NotAnEktp { error }));
                return Ok(());
            }
        };
        if lifecycle == Lifecycle::Issued {
            return self.locked(&mut card);
        }
        let serial = match card.serial() {
            Ok(s) => hex::encode_upper(s),
            Err(e) if e.is_card_removed() => return Ok(()),
            Err(e) => {
                let error = e.to_string();
                self.say(Event::Refused(Refusal::NoSerial { error }));
                return Ok(());
            }
        };
        let assigned = {
            let mut sh = lock(self.shared);
            self.assign(&mut sh, &serial)?
        };
        let (q, row, resumed) = match assigned {
            Ok(taken) => taken,
            Err(refusal) => {
                self.say(Event::Refused(refusal));
                return Ok(());
            }
        };
        self.say(Event::Writing {
            application: q.id.clone(),
            document_number: q.document_number().to_owned(),
            chip_serial: serial.clone(),
            resumed,
        });
        let started = Instant::now();
        let written = self.write(&mut card, &q, Some(&serial));
        self.settle(q, (row, resumed), written, started.elapsed())
    }

    /// The assignment rules (see the module documentation), under the lock.
    fn assign(&self, sh: &mut Shared, serial: &str) -> Result<Assigned, Error> {
        let chip_serial = serial.to_owned();
        if sh.journal.is_abandoned_chip(serial)? {
            return Ok(Err(Refusal::AbandonedChip { chip_serial }));
        }
        let open = sh.journal.in_progress()?;
        if let Some(row) = open
            .iter()
            .find(|r| r.chip_serial.eq_ignore_ascii_case(serial))
        {
            return Ok(match sh.take(&row.application) {
                Some(q) => Ok((q, row.id, true)),
                None => Err(Refusal::HalfWrittenOther {
                    chip_serial,
                    application: row.application.clone(),
                }),
            });
        }
        if let Some(other) = sh.journal.find_issued_chip(serial)? {
            return Ok(Err(Refusal::IssuedChipUnlocked {
                chip_serial,
                application: other.application,
            }));
        }
        loop {
            let started = sh
                .issued_now
                .saturating_add(u64::try_from(sh.writing).unwrap_or(u64::MAX));
            let next = sh
                .pending
                .iter()
                .find(|q| !open.iter().any(|r| r.application == q.id))
                .map(|q| q.id.clone());
            let (Some(id), false) = (next, self.limits.max_cards.is_some_and(|m| started >= m))
            else {
                let waiting_for = sh.awaited()?.into_iter().map(|r| r.chip_serial).collect();
                return Ok(Err(Refusal::NothingForBlank {
                    chip_serial,
                    waiting_for,
                }));
            };
            let Some(q) = sh.take(&id) else { continue };
            if let Some(registry) = sh.registry.as_mut() {
                let mut say = |e| self.say(e);
                if let Some(skipped) = registry.claim(&mut sh.journal, &q, &mut say)? {
                    sh.writing = sh.writing.saturating_sub(1);
                    sh.skipped.push(skipped);
                    continue;
                }
            }
            let start = Start {
                application: &q.id,
                chip_serial: serial,
                document_number: q.document_number(),
                nik: q.app.holder.nik.as_str(),
            };
            return match sh.journal.begin(&start) {
                Ok(row) => Ok(Ok((q, row, false))),
                Err(e) => {
                    sh.give_back(q);
                    Err(e)
                }
            };
        }
    }

    /// A locked card: tried against each half-written application no reader is writing.
    fn locked(&mut self, card: &mut ektp::Card<S::Transport>) -> Result<(), Error> {
        let mut tried: Vec<String> = Vec::new();
        let mut last: Option<(InProgress, String)> = None;
        loop {
            let candidate = {
                let mut sh = lock(self.shared);
                let row = sh
                    .awaited()?
                    .into_iter()
                    .find(|r| !tried.contains(&r.application));
                row.and_then(|r| sh.take(&r.application).map(|q| (q, r)))
            };
            let Some((q, row)) = candidate else {
                let refusal = match last {
                    Some((row, error)) => Refusal::NotTheUnfinishedCard {
                        application: row.application,
                        chip_serial: row.chip_serial,
                        error,
                    },
                    None => Refusal::AlreadyIssued,
                };
                self.say(Event::Refused(refusal));
                return Ok(());
            };
            self.say(Event::Writing {
                application: q.id.clone(),
                document_number: q.document_number().to_owned(),
                chip_serial: String::new(),
                resumed: true,
            });
            let started = Instant::now();
            match self.write(card, &q, None) {
                Written::Failed { reason, .. } | Written::SerialChanged { after: reason, .. } => {
                    tried.push(q.id.clone());
                    lock(self.shared).give_back(q);
                    last = Some((row, reason));
                }
                written => return self.settle(q, (row.id, true), written, started.elapsed()),
            }
        }
    }

    /// Writes `q` onto `card` (journal not held).
    fn write(
        &self,
        card: &mut ektp::Card<S::Transport>,
        q: &Queued,
        serial: Option<&str>,
    ) -> Written {
        let mut progress = |step: Step| {
            self.say(Event::Step {
                application: q.id.clone(),
                step,
            });
        };
        let job = Job {
            application: &q.id,
            app: &q.app,
            reissue: None,
        };
        write(card, &job, &self.station, &mut progress, serial)
    }

    /// Records what became of the card for `q` (journal row `row`).
    fn settle(
        &mut self,
        q: Queued,
        (row, resumed): (i64, bool),
        written: Written,
        took: Duration,
    ) -> Result<(), Error> {
        let mut sh = lock(self.shared);
        match written {
            Written::Done(outcome) => {
                sh.writing = sh.writing.saturating_sub(1);
                let card = sh
                    .journal
                    .finish_issued(row, &outcome.sod_sha256, self.signer)?;
                sh.issued_now = sh.issued_now.saturating_add(1);
                self.consecutive_failures = 0;
                self.say(Event::Card(CardOutcome::issued(
                    &card,
                    resumed,
                    u64::try_from(took.as_millis()).unwrap_or(u64::MAX),
                )));
                if let Some(registry) = sh.registry.as_mut() {
                    let mut say = |e| self.say(e);
                    registry.push(&card, q.app.holder.nik.as_str(), &mut say);
                }
            }
            Written::Pulled => {
                self.say(Event::Pulled {
                    application: q.id.clone(),
                });
                sh.give_back(q);
            }
            Written::SerialChanged { before, after } => {
                sh.give_back(q);
                return Err(Error::SerialChanged { before, after });
            }
            Written::Failed { reason, card_fault } => {
                sh.writing = sh.writing.saturating_sub(1);
                sh.journal.finish_failed(row, &reason)?;
                self.failed(&mut sh, q, reason, card_fault)?;
            }
        }
        Ok(())
    }

    /// A card failed: this reader stops after too many in a row; the application is set
    /// aside after it failed on too many cards (in any reader).
    fn failed(
        &mut self,
        sh: &mut Shared,
        q: Queued,
        reason: String,
        card_fault: bool,
    ) -> Result<(), Error> {
        self.consecutive_failures = self.consecutive_failures.saturating_add(1);
        self.say(Event::Card(CardOutcome::Failed {
            application: q.id.clone(),
            document_number: q.document_number().to_owned(),
            reason: reason.clone(),
        }));
        let failures = if card_fault {
            0
        } else {
            let n = sh.failures_by_app.entry(q.id.clone()).or_insert(0);
            *n = n.saturating_add(1);
            *n
        };
        if failures >= MAX_FAILURES_PER_APPLICATION {
            self.say(Event::SetAside {
                application: q.id.clone(),
                cards: failures,
            });
            sh.failed.push(Rejected {
                application: q.id,
                problems: vec![reason.clone()],
                messages: Vec::new(),
            });
        } else {
            sh.pending.push_front(q);
        }
        if self.consecutive_failures >= MAX_CONSECUTIVE_FAILURES {
            return Err(Error::TooManyFailures {
                count: self.consecutive_failures,
                reason,
            });
        }
        Ok(())
    }
}

impl Batch {
    /// Issues the queue on the cards of several readers at once (see the module
    /// documentation); `readers` are (name, card source). With one reader this is exactly
    /// [`Batch::run`], with every event's reader `None`.
    ///
    /// # Errors
    /// [`Error::NoReaders`]; with one reader, those of [`Batch::run`]. With several, a reader
    /// that fails stops alone and is named in [`Summary::readers_stopped`]; journal errors
    /// reading the final state.
    pub fn run_readers<S: CardSource + Send>(
        self,
        readers: Vec<(String, S)>,
        station: &Station<'_>,
        limits: Limits,
        events: ReaderEvents<'_>,
    ) -> Result<Summary, Error> {
        if readers.len() < 2 {
            let Some((_, mut source)) = readers.into_iter().next() else {
                return Err(Error::NoReaders);
            };
            return self.run(&mut source, station, limits, &mut |e| events(None, e));
        }
        let Batch {
            journal,
            pending,
            rejected,
            already,
            started,
            stop,
            registry,
        } = self;
        let shared = Mutex::new(Shared {
            journal,
            pending,
            writing: 0,
            registry,
            issued_now: 0,
            failed: Vec::new(),
            skipped: Vec::new(),
            failures_by_app: BTreeMap::new(),
            timed_out: false,
            stopped: false,
        });
        let names: Vec<String> = readers.iter().map(|(n, _)| n.clone()).collect();
        let signer = SignerId::from_certificate(station.signer.certificate_der());
        let readers_stopped = std::thread::scope(|scope| {
            let (tx, rx) = mpsc::channel();
            let handles: Vec<_> = readers
                .into_iter()
                .enumerate()
                .map(|(index, (_, source))| {
                    let keys = RemoteKeys {
                        tx: tx.clone(),
                        certificate: station.signer.certificate_der().to_vec(),
                        algorithm: station.signer.signature_algorithm(),
                    };
                    let (shared, stop, signer, tx) = (&shared, &*stop, &signer, tx.clone());
                    let (trust, cvca) = (station.trust, station.cvca);
                    scope.spawn(move || {
                        let mut worker = Worker {
                            index,
                            source,
                            shared,
                            stop,
                            station: Station {
                                signer: &keys,
                                master_key: &keys,
                                trust,
                                cvca,
                            },
                            signer,
                            limits,
                            tx,
                            consecutive_failures: 0,
                        };
                        let out = worker.run().err().map(|e| e.to_string());
                        if let Some(reason) = &out {
                            worker.say(Event::ReaderStopped {
                                reason: reason.clone(),
                            });
                        }
                        out
                    })
                })
                .collect();
            drop(tx);
            for msg in rx {
                serve(msg, station, &names, events);
            }
            handles
                .into_iter()
                .zip(&names)
                .filter_map(|(h, name)| {
                    let reason = h
                        .join()
                        .unwrap_or_else(|_| Some("its worker failed unexpectedly".to_owned()))?;
                    Some(ReaderStopped {
                        reader: name.clone(),
                        reason,
                    })
                })
                .collect::<Vec<_>>()
        });
        let sh = shared.into_inner().unwrap_or_else(PoisonError::into_inner);
        let unfinished = crate::batch::unfinished(&sh.journal)?;
        Ok(Summary {
            issued: sh.issued_now,
            already_issued: already,
            invalid: rejected,
            failed: sh.failed,
            skipped: sh.skipped,
            remaining: sh.pending.len(),
            journal_issued_total: sh.journal.issued()?.len(),
            seconds: started.elapsed().as_secs(),
            unfinished,
            stopped: sh.stopped,
            timed_out: sh.timed_out,
            readers_stopped,
        })
    }
}

/// Answers one worker's request on the calling thread.
fn serve(msg: Msg, station: &Station<'_>, names: &[String], events: ReaderEvents<'_>) {
    match msg {
        Msg::Event(index, event) => events(names.get(index).map(String::as_str), event),
        Msg::Sign(message, reply) => {
            let _ = reply.send(station.signer.sign(&message));
        }
        Msg::Keys(serial, reply) => {
            let _ = reply.send(station.master_key.perso_keys(&serial));
        }
    }
}

//! The batch: reconcile the queue with the journal, then one card after another.
//!
//! For each application the journal does not already record as issued, in name order
//! (unfinished cards first): ask for a card, wait for it, write it, record it, ask for it to be
//! removed, wait. The journal row for an application is written *before* its card is touched,
//! so a pulled card, a crash or a kill is resumed on the same card with the same application,
//! and no application is ever issued twice.
//!
//! With a shared registry ([`Batch::with_registry`]), each application is first claimed there,
//! before its card is asked for: one another station claimed or issued is skipped (a `skipped`
//! journal row, [`Event::Skipped`]) and never written here. Each issued card is pushed right
//! after it is journaled. An unreachable registry stops nothing: the batch goes on offline
//! ([`Event::RegistryOffline`]) and the journal, the station's source of truth, keeps every
//! card for the next push ([`crate::sync`]), which reports any conflict.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use ektp::{Station, Step};

use crate::event::{CardOutcome, Event, Summary, Unfinished};
use crate::issue::{Issued, Job, issue};
use crate::journal::{ABANDONED_REASON, InProgress, Journal};
use crate::queue::{Queue, Queued, Rejected};
use crate::sink::{Claim, RegistrySink, SinkError};
use crate::{CardSource, Error, IssuedCard};

/// A card that fails this many times in a row stops the batch: the station is at fault.
pub const MAX_CONSECUTIVE_FAILURES: u32 = 3;
/// An application that fails on this many cards is set aside for this run.
pub const MAX_FAILURES_PER_APPLICATION: u32 = 2;
/// How long one wait on the card source lasts before it is renewed (waiting "forever" is a
/// loop of these). Short, so that a reader event the reader's service failed to signal is
/// still seen within a second or two.
pub(crate) const WAIT_SLICE: Duration = Duration::from_secs(2);
/// How often the operator is reminded to take the card out.
pub(crate) const REMIND_REMOVAL: Duration = Duration::from_secs(60);

/// Where a run stops by itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Limits {
    /// Stop when no card arrives within this time, or a finished card is not removed within
    /// it (`None`: wait for ever).
    pub card_timeout: Option<Duration>,
    /// Stop after issuing this many cards.
    pub max_cards: Option<u64>,
}

/// Receives each [`Event`] as it happens.
pub type Events<'a> = &'a mut dyn FnMut(Event);

/// The registry a batch claims in and pushes to.
pub(crate) struct Registry {
    sink: Box<dyn RegistrySink>,
    /// Whether the registry was unreachable at the last try.
    offline: bool,
}

impl Registry {
    /// Claims `q`: `None` when this station may write it (or the registry is unreachable:
    /// offline); the skip (journaled, told) when it goes to another station.
    pub(crate) fn claim(
        &mut self,
        journal: &mut Journal,
        q: &Queued,
        events: &mut dyn FnMut(Event),
    ) -> Result<Option<Rejected>, Error> {
        let reason = match self.sink.claim(&q.id) {
            Ok(Claim::Granted) => {
                self.offline = false;
                return Ok(None);
            }
            Ok(Claim::TakenElsewhere) => {
                "the registry records it as claimed or issued by another station".to_owned()
            }
            Err(SinkError::Refused(why)) => format!("the registry refuses the claim: {why}"),
            Err(SinkError::Unreachable(why)) => {
                self.went_offline(why, events);
                return Ok(None);
            }
        };
        self.offline = false;
        journal.record_skipped(&q.id, q.document_number(), &reason)?;
        events(Event::Skipped {
            application: q.id.clone(),
            document_number: q.document_number().to_owned(),
            reason: reason.clone(),
        });
        Ok(Some(Rejected {
            application: q.id.clone(),
            problems: vec![reason],
            messages: Vec::new(),
        }))
    }

    /// Pushes a card just journaled (best effort: the journal keeps it for the next push).
    pub(crate) fn push(&mut self, card: &IssuedCard, nik: &str, events: &mut dyn FnMut(Event)) {
        match self.sink.record_issued(card, nik) {
            Ok(_) => {
                self.offline = false;
                events(Event::Pushed {
                    application: card.application.clone(),
                    document_number: card.document_number.clone(),
                });
            }
            Err(SinkError::Refused(reason)) => {
                self.offline = false;
                events(Event::PushRefused {
                    application: card.application.clone(),
                    document_number: card.document_number.clone(),
                    reason,
                });
            }
            Err(SinkError::Unreachable(why)) => self.went_offline(why, events),
        }
    }

    /// The registry cannot be reached: tells the operator once per outage.
    fn went_offline(&mut self, reason: String, events: &mut dyn FnMut(Event)) {
        if !self.offline {
            self.offline = true;
            events(Event::RegistryOffline { reason });
        }
    }
}

impl core::fmt::Debug for Registry {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("RegistrySink")
    }
}

/// A queue reconciled with its journal, ready to run.
#[derive(Debug)]
pub struct Batch {
    pub(crate) journal: Journal,
    pub(crate) pending: VecDeque<Queued>,
    pub(crate) rejected: Vec<Rejected>,
    pub(crate) already: u64,
    pub(crate) started: Instant,
    pub(crate) stop: Arc<AtomicBool>,
    pub(crate) registry: Option<Registry>,
}

impl Batch {
    /// Reconciles `queue` with `journal`: gives up the unfinished card on chip `abandon` (if
    /// given), drops applications already issued, sets aside those whose document number or
    /// id the journal records with another application, and puts unfinished cards first.
    /// Emits [`Event::Abandoned`], one [`Event::Invalid`] per application set aside, and
    /// [`Event::Queue`].
    ///
    /// # Errors
    /// [`Error::NothingToAbandon`]; [`Error::UnfinishedElsewhere`] when a card was left
    /// half-written with an application this queue does not validly hold; journal errors.
    pub fn prepare(
        queue: Queue,
        mut journal: Journal,
        abandon: Option<&str>,
        events: Events<'_>,
    ) -> Result<Self, Error> {
        let started = Instant::now();
        if let Some(serial) = abandon {
            let row = journal
                .in_progress()?
                .into_iter()
                .find(|r| r.chip_serial.eq_ignore_ascii_case(serial))
                .ok_or_else(|| Error::NothingToAbandon {
                    chip_serial: serial.to_owned(),
                })?;
            journal.finish_failed(row.id, ABANDONED_REASON)?;
            events(Event::Abandoned {
                chip_serial: row.chip_serial,
                application: row.application,
            });
        }
        let Queue {
            dir,
            valid,
            mut rejected,
        } = queue;
        let (todo, already) = reconcile(&journal, valid, &mut rejected)?;
        let pending = unfinished_first(&journal, todo)?;
        for r in &rejected {
            events(Event::Invalid(r.clone()));
        }
        events(Event::Queue {
            queue: dir,
            to_issue: pending.len(),
            already_issued: already,
            invalid: rejected.len(),
            journal: journal.path().to_path_buf(),
        });
        Ok(Self {
            journal,
            pending,
            rejected,
            already,
            started,
            stop: Arc::default(),
            registry: None,
        })
    }

    /// Claims each application in `registry` before its card is asked for, and pushes each
    /// card right after it is journaled (see the module documentation).
    #[must_use]
    pub fn with_registry(mut self, registry: Box<dyn RegistrySink>) -> Self {
        self.registry = Some(Registry {
            sink: registry,
            offline: false,
        });
        self
    }

    /// Stops the run when `stop` becomes true (set it from a Ctrl-C or SIGTERM handler): the
    /// batch checks it between cards and while it waits, never in the middle of a card, and
    /// ends with its summary.
    #[must_use]
    pub fn stop_when(mut self, stop: Arc<AtomicBool>) -> Self {
        self.stop = stop;
        self
    }

    /// Applications this run will issue (unless a limit stops it first).
    pub fn to_issue(&self) -> usize {
        self.pending.len()
    }

    /// Issues the queue on the cards `source` gives, with the station's keys.
    ///
    /// # Errors
    /// [`Error::TooManyFailures`], [`Error::SerialChanged`], card source and journal errors.
    /// The journal keeps what was done: running again resumes.
    pub fn run<S: CardSource>(
        self,
        source: &mut S,
        station: &Station<'_>,
        limits: Limits,
        events: Events<'_>,
    ) -> Result<Summary, Error> {
        let mut run = Run {
            source,
            station,
            limits,
            events,
            batch: self,
            issued_now: 0,
            failed: Vec::new(),
            skipped: Vec::new(),
            failures_by_app: BTreeMap::new(),
            consecutive_failures: 0,
            timed_out: false,
            stopped: false,
            prompted_for: None,
        };
        run.cards()?;
        let batch = &run.batch;
        let unfinished = unfinished(&batch.journal)?;
        Ok(Summary {
            issued: run.issued_now,
            already_issued: batch.already,
            invalid: batch.rejected.clone(),
            failed: run.failed,
            skipped: run.skipped,
            remaining: batch.pending.len(),
            journal_issued_total: batch.journal.issued()?.len(),
            seconds: batch.started.elapsed().as_secs(),
            unfinished,
            stopped: run.stopped,
            timed_out: run.timed_out,
            readers_stopped: Vec::new(),
        })
    }
}

/// The cards the journal leaves half-written, for the summary.
pub(crate) fn unfinished(journal: &Journal) -> Result<Vec<Unfinished>, Error> {
    Ok(journal
        .in_progress()?
        .into_iter()
        .map(|r| Unfinished {
            chip_serial: r.chip_serial,
            application: r.application,
        })
        .collect())
}

/// Splits the queue by what the journal already did: the applications to issue, and how many
/// are already issued. Applications that clash with an issued card are set aside.
fn reconcile(
    journal: &Journal,
    valid: Vec<Queued>,
    rejected: &mut Vec<Rejected>,
) -> Result<(Vec<Queued>, u64), Error> {
    let mut already = 0u64;
    let mut todo = Vec::new();
    for q in valid {
        if let Some(card) = journal.find_issued_application(&q.id)? {
            if card.document_number == q.document_number() {
                already = already.saturating_add(1);
            } else {
                rejected.push(Rejected {
                    problems: vec![format!(
                        "application {} was already issued with document number {}, but the \
                         queue file now says {}: rename the file if it is a different application",
                        q.id,
                        card.document_number,
                        q.document_number()
                    )],
                    application: q.id,
                    messages: Vec::new(),
                });
            }
        } else if let Some(card) = journal.find_issued(q.document_number())? {
            rejected.push(Rejected {
                problems: vec![format!(
                    "document number {} was already issued as application {}",
                    q.document_number(),
                    card.application
                )],
                application: q.id,
                messages: Vec::new(),
            });
        } else {
            todo.push(q);
        }
    }
    Ok((todo, already))
}

/// Unfinished cards first, each with its own application; one whose application is not
/// (validly) in this queue cannot be resumed here.
fn unfinished_first(journal: &Journal, todo: Vec<Queued>) -> Result<VecDeque<Queued>, Error> {
    let open = journal.in_progress()?;
    if let Some(row) = open
        .iter()
        .find(|row| !todo.iter().any(|q| q.id == row.application))
    {
        return Err(Error::UnfinishedElsewhere {
            application: row.application.clone(),
            chip_serial: row.chip_serial.clone(),
        });
    }
    let mut pending = VecDeque::new();
    for q in todo {
        if open.iter().any(|r| r.application == q.id) {
            pending.push_front(q);
        } else {
            pending.push_back(q);
        }
    }
    Ok(pending)
}

/// A batch while it runs.
struct Run<'a, 's, S> {
    source: &'a mut S,
    station: &'a Station<'s>,
    limits: Limits,
    events: Events<'a>,
    batch: Batch,
    issued_now: u64,
    failed: Vec<Rejected>,
    skipped: Vec<Rejected>,
    failures_by_app: BTreeMap<String, u32>,
    consecutive_failures: u32,
    timed_out: bool,
    stopped: bool,
    prompted_for: Option<Event>,
}

/// How a wait ended.
enum Waited {
    Done,
    TimedOut,
    Stopped,
}

impl<S: CardSource> Run<'_, '_, S> {
    /// One card after another until the queue is done or a limit is reached.
    fn cards(&mut self) -> Result<(), Error> {
        while let Some(q) = self.batch.pending.pop_front() {
            if self.limits.max_cards.is_some_and(|m| self.issued_now >= m) {
                self.batch.pending.push_front(q);
                break;
            }
            if self.stop_requested() {
                self.batch.pending.push_front(q);
                break;
            }
            let open = self
                .batch
                .journal
                .in_progress()?
                .into_iter()
                .find(|r| r.application == q.id);
            // A half-written card was claimed when it was begun (or begun offline: the push
            // reports a conflict); it is finished, never left half-written.
            if open.is_none() && !self.claim(&q)? {
                continue;
            }
            self.prompt(&q, open.as_ref());
            match self.wait_for_card()? {
                Waited::Done => {}
                Waited::TimedOut => {
                    self.timed_out = true;
                    let seconds = self.limits.card_timeout.unwrap_or_default().as_secs();
                    (self.events)(Event::TimedOut { seconds });
                    self.batch.pending.push_front(q);
                    break;
                }
                Waited::Stopped => {
                    self.batch.pending.push_front(q);
                    break;
                }
            }
            let card_started = Instant::now();
            let done = self.one_card(&q)?;
            let millis = u64::try_from(card_started.elapsed().as_millis()).unwrap_or(u64::MAX);
            self.settle(q, done, millis)?;
            match self.wait_for_removal()? {
                Waited::Done | Waited::Stopped => {}
                Waited::TimedOut => {
                    self.timed_out = true;
                    let seconds = self.limits.card_timeout.unwrap_or_default().as_secs();
                    (self.events)(Event::RemovalTimedOut { seconds });
                    break;
                }
            }
        }
        Ok(())
    }

    /// Claims `q` in the registry, if there is one; `false` when it goes to another station
    /// (journaled as skipped). Unreachable: `true`, offline.
    fn claim(&mut self, q: &Queued) -> Result<bool, Error> {
        let Some(registry) = self.batch.registry.as_mut() else {
            return Ok(true);
        };
        match registry.claim(&mut self.batch.journal, q, &mut *self.events)? {
            None => Ok(true),
            Some(skipped) => {
                self.skipped.push(skipped);
                Ok(false)
            }
        }
    }

    /// Pushes a card just journaled to the registry, if there is one (best effort: the
    /// journal keeps it for the next push).
    fn push(&mut self, card: &IssuedCard, nik: &str) {
        if let Some(registry) = self.batch.registry.as_mut() {
            registry.push(card, nik, &mut *self.events);
        }
    }

    /// Whether the operator asked the run to stop (tells them once).
    fn stop_requested(&mut self) -> bool {
        if !self.stopped && self.batch.stop.load(Ordering::Acquire) {
            self.stopped = true;
            (self.events)(Event::Stopped);
        }
        self.stopped
    }

    /// Asks for the card for `q`, once per application and card.
    fn prompt(&mut self, q: &Queued, open: Option<&InProgress>) {
        let prompt = Event::Insert {
            application: q.id.clone(),
            document_number: q.document_number().to_owned(),
            put_back: open.map(|o| o.chip_serial.clone()),
        };
        if self.prompted_for.as_ref() != Some(&prompt) {
            (self.events)(prompt.clone());
            self.prompted_for = Some(prompt);
        }
    }

    /// Puts `q` back in the queue or takes it out, after what became of its card.
    fn settle(&mut self, q: Queued, done: Issued, millis: u64) -> Result<(), Error> {
        match done {
            Issued::Issued { card, resumed, .. } => {
                self.issued_now = self.issued_now.saturating_add(1);
                self.consecutive_failures = 0;
                (self.events)(Event::Card(CardOutcome::issued(&card, resumed, millis)));
                self.push(&card, q.app.holder.nik.as_str());
            }
            Issued::Pulled => {
                (self.events)(Event::Pulled {
                    application: q.id.clone(),
                });
                self.batch.pending.push_front(q);
            }
            Issued::Refused(refusal) => {
                (self.events)(Event::Refused(refusal));
                self.batch.pending.push_front(q);
            }
            Issued::Failed { reason, card_fault } => self.failed(q, reason, card_fault)?,
        }
        Ok(())
    }

    /// A card failed: stop the batch after too many in a row, set the application aside after
    /// it failed on too many cards.
    fn failed(&mut self, q: Queued, reason: String, card_fault: bool) -> Result<(), Error> {
        self.consecutive_failures = self.consecutive_failures.saturating_add(1);
        (self.events)(Event::Card(CardOutcome::Failed {
            application: q.id.clone(),
            document_number: q.document_number().to_owned(),
            reason: reason.clone(),
        }));
        if self.consecutive_failures >= MAX_CONSECUTIVE_FAILURES {
            self.batch.pending.push_front(q);
            return Err(Error::TooManyFailures {
                count: self.consecutive_failures,
                reason,
            });
        }
        let failures = if card_fault {
            0
        } else {
            let n = self.failures_by_app.entry(q.id.clone()).or_insert(0);
            *n = n.saturating_add(1);
            *n
        };
        if failures >= MAX_FAILURES_PER_APPLICATION {
            (self.events)(Event::SetAside {
                application: q.id.clone(),
                cards: failures,
            });
            self.failed.push(Rejected {
                application: q.id,
                problems: vec![reason],
                messages: Vec::new(),
            });
        } else {
            self.batch.pending.push_front(q);
        }
        Ok(())
    }

    /// Waits for a card within the limit, or until the operator stops the run.
    fn wait_for_card(&mut self) -> Result<Waited, Error> {
        let start = Instant::now();
        loop {
            if self.stop_requested() {
                return Ok(Waited::Stopped);
            }
            let Some(slice) = self.slice(start) else {
                return Ok(Waited::TimedOut);
            };
            if self.source.wait_for_card(slice).map_err(source_error)? {
                return Ok(Waited::Done);
            }
        }
    }

    /// The next wait on the card source, or `None` when the card time-out is over.
    fn slice(&self, start: Instant) -> Option<Duration> {
        match self.limits.card_timeout {
            Some(limit) => {
                let left = limit.saturating_sub(start.elapsed());
                (!left.is_zero()).then(|| left.min(WAIT_SLICE))
            }
            None => Some(WAIT_SLICE),
        }
    }

    /// Waits for the reader to be empty, reminding the operator now and then, within the card
    /// time-out, or until the operator stops the run.
    fn wait_for_removal(&mut self) -> Result<Waited, Error> {
        let start = Instant::now();
        let mut last_reminder = Instant::now();
        loop {
            let Some(slice) = self.slice(start) else {
                return Ok(Waited::TimedOut);
            };
            if self.source.wait_for_removal(slice).map_err(source_error)? {
                return Ok(Waited::Done);
            }
            if self.stop_requested() {
                return Ok(Waited::Stopped);
            }
            if last_reminder.elapsed() >= REMIND_REMOVAL {
                (self.events)(Event::RemoveCard);
                last_reminder = Instant::now();
            }
        }
    }

    /// Handles the card now in the reader for application `q` (the shared policy of
    /// [`crate::issue`]).
    fn one_card(&mut self, q: &Queued) -> Result<Issued, Error> {
        let Some(transport) = self.source.connect().map_err(source_error)? else {
            return Ok(Issued::Pulled);
        };
        let mut card = ektp::Card::new(transport).map_err(Error::Card)?;
        let events = &mut self.events;
        let mut progress = |step: Step| {
            events(Event::Step {
                application: q.id.clone(),
                step,
            });
        };
        let job = Job {
            application: &q.id,
            app: &q.app,
            reissue: None,
        };
        issue(
            &mut self.batch.journal,
            &mut card,
            &job,
            self.station,
            &mut progress,
        )
    }
}

pub(crate) fn source_error<E: std::error::Error + Send + Sync + 'static>(e: E) -> Error {
    Error::Source(Box::new(e))
}

//! The batch: reconcile the queue with the journal, then one card after another.
//!
//! For each application the journal does not already record as issued, in name order
//! (unfinished cards first): ask for a card, wait for it, write it, record it, ask for it to be
//! removed, wait. The journal row for an application is written *before* its card is touched,
//! so a pulled card, a crash or a kill is resumed on the same card with the same application,
//! and no application is ever issued twice.

use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, Instant};

use ektp::{Lifecycle, Station, Step};

use crate::event::{CardOutcome, Event, Refusal, Summary};
use crate::journal::{InProgress, IssuedCard, Journal, SignerId, Start};
use crate::queue::{Queue, Queued, Rejected};
use crate::{CardSource, Error};

/// A card that fails this many times in a row stops the batch: the station is at fault.
pub const MAX_CONSECUTIVE_FAILURES: u32 = 3;
/// An application that fails on this many cards is set aside for this run.
pub const MAX_FAILURES_PER_APPLICATION: u32 = 2;
/// How long one wait on the card source lasts before it is renewed (waiting "forever" is a
/// loop of these). Short, so that a reader event the reader's service failed to signal is
/// still seen within a second or two.
const WAIT_SLICE: Duration = Duration::from_secs(2);
/// How often the operator is reminded to take the card out.
const REMIND_REMOVAL: Duration = Duration::from_secs(60);

/// The reason recorded for an abandoned card.
const ABANDONED: &str = "abandoned by the operator: card lost or destroyed before it was finished";

/// Where a run stops by itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Limits {
    /// Stop when no card arrives within this time (`None`: wait for ever).
    pub card_timeout: Option<Duration>,
    /// Stop after issuing this many cards.
    pub max_cards: Option<u64>,
}

/// Receives each [`Event`] as it happens.
pub type Events<'a> = &'a mut dyn FnMut(Event);

/// A queue reconciled with its journal, ready to run.
#[derive(Debug)]
pub struct Batch {
    journal: Journal,
    pending: VecDeque<Queued>,
    rejected: Vec<Rejected>,
    already: u64,
    started: Instant,
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
            journal.finish_failed(row.id, ABANDONED)?;
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
        })
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
        let signer = SignerId::from_certificate(station.signer.certificate_der());
        let mut run = Run {
            source,
            station,
            signer,
            limits,
            events,
            batch: self,
            issued_now: 0,
            failed: Vec::new(),
            failures_by_app: BTreeMap::new(),
            consecutive_failures: 0,
            timed_out: false,
            prompted_for: None,
        };
        run.cards()?;
        let batch = &run.batch;
        Ok(Summary {
            issued: run.issued_now,
            already_issued: batch.already,
            invalid: batch.rejected.clone(),
            failed: run.failed,
            remaining: batch.pending.len(),
            journal_issued_total: batch.journal.issued()?.len(),
            seconds: batch.started.elapsed().as_secs(),
            timed_out: run.timed_out,
        })
    }
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

/// What became of one card put in the reader.
enum Done {
    /// The application is issued on this card.
    Issued(IssuedCard),
    /// The card left the reader before it was finished; put the same card back.
    Pulled,
    /// The card cannot take this application. Nothing was written.
    Refused(Refusal),
    /// Writing failed; the card is not locked and the application stays queued.
    Failed {
        reason: String,
        /// The card (not the application) is at fault: do not count it against the application.
        card_fault: bool,
    },
}

/// A batch while it runs.
struct Run<'a, 's, S> {
    source: &'a mut S,
    station: &'a Station<'s>,
    signer: SignerId,
    limits: Limits,
    events: Events<'a>,
    batch: Batch,
    issued_now: u64,
    failed: Vec<Rejected>,
    failures_by_app: BTreeMap<String, u32>,
    consecutive_failures: u32,
    timed_out: bool,
    prompted_for: Option<Event>,
}

impl<S: CardSource> Run<'_, '_, S> {
    /// One card after another until the queue is done or a limit is reached.
    fn cards(&mut self) -> Result<(), Error> {
        while let Some(q) = self.batch.pending.pop_front() {
            if self.limits.max_cards.is_some_and(|m| self.issued_now >= m) {
                self.batch.pending.push_front(q);
                break;
            }
            let open = self
                .batch
                .journal
                .in_progress()?
                .into_iter()
                .find(|r| r.application == q.id);
            self.prompt(&q, open.as_ref());
            if !self.wait_for_card()? {
                self.timed_out = true;
                let seconds = self.limits.card_timeout.unwrap_or_default().as_secs();
                (self.events)(Event::TimedOut { seconds });
                self.batch.pending.push_front(q);
                break;
            }
            let card_started = Instant::now();
            let done = self.one_card(&q, open.as_ref())?;
            let millis = u64::try_from(card_started.elapsed().as_millis()).unwrap_or(u64::MAX);
            self.settle(q, done, open.is_some(), millis)?;
            self.wait_for_removal()?;
        }
        Ok(())
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
    fn settle(&mut self, q: Queued, done: Done, resumed: bool, millis: u64) -> Result<(), Error> {
        match done {
            Done::Issued(card) => {
                self.issued_now = self.issued_now.saturating_add(1);
                self.consecutive_failures = 0;
                (self.events)(Event::Card(CardOutcome::Issued {
                    application: card.application,
                    document_number: card.document_number,
                    chip_serial: card.chip_serial,
                    sod_sha256: card.sod_sha256,
                    signer: card.signer,
                    issued_at: card.issued_at,
                    resumed,
                    millis,
                }));
            }
            Done::Pulled => {
                (self.events)(Event::Pulled {
                    application: q.id.clone(),
                });
                self.batch.pending.push_front(q);
            }
            Done::Refused(refusal) => {
                (self.events)(Event::Refused(refusal));
                self.batch.pending.push_front(q);
            }
            Done::Failed { reason, card_fault } => self.failed(q, reason, card_fault)?,
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
            });
        } else {
            self.batch.pending.push_front(q);
        }
        Ok(())
    }

    /// Waits for a card within the limit: `false` when none came in time.
    fn wait_for_card(&mut self) -> Result<bool, Error> {
        let start = Instant::now();
        loop {
            let slice = match self.limits.card_timeout {
                Some(limit) => {
                    let left = limit.saturating_sub(start.elapsed());
                    if left.is_zero() {
                        return Ok(false);
                    }
                    left.min(WAIT_SLICE)
                }
                None => WAIT_SLICE,
            };
            if self.source.wait_for_card(slice).map_err(source_error)? {
                return Ok(true);
            }
        }
    }

    /// Waits for the reader to be empty, reminding the operator now and then.
    fn wait_for_removal(&mut self) -> Result<(), Error> {
        let mut last_reminder = Instant::now();
        while !self
            .source
            .wait_for_removal(WAIT_SLICE)
            .map_err(source_error)?
        {
            if last_reminder.elapsed() >= REMIND_REMOVAL {
                (self.events)(Event::RemoveCard);
                last_reminder = Instant::now();
            }
        }
        Ok(())
    }

    /// Handles the card now in the reader for application `q` (`open`: the journal's
    /// unfinished row for `q`, if any).
    fn one_card(&mut self, q: &Queued, open: Option<&InProgress>) -> Result<Done, Error> {
        let Some(transport) = self.source.connect().map_err(source_error)? else {
            return Ok(Done::Pulled);
        };
        let mut card = ektp::Card::new(transport).map_err(Error::Card)?;
        let lifecycle = match card.lifecycle() {
            Ok(l) => l,
            Err(e) if e.is_card_removed() => return Ok(Done::Pulled),
            Err(e) => {
                let error = e.to_string();
                return Ok(Done::Refused(Refusal::NotAnEktp { error }));
            }
        };
        if lifecycle == Lifecycle::Issued {
            return self.locked_card(&mut card, q, open);
        }
        let serial = match card.serial() {
            Ok(s) => hex::encode_upper(s),
            Err(e) if e.is_card_removed() => return Ok(Done::Pulled),
            Err(e) => {
                let error = e.to_string();
                return Ok(Done::Refused(Refusal::NoSerial { error }));
            }
        };
        let row = match self.row_for(q, open, &serial)? {
            Ok(row) => row,
            Err(refusal) => return Ok(Done::Refused(refusal)),
        };
        match self.personalize(&mut card, q) {
            Ok(outcome) => {
                if let Some(read) = outcome.chip_serial
                    && !read.eq_ignore_ascii_case(&serial)
                {
                    // The reader swapped cards between two commands; nothing sane to record.
                    return Err(Error::SerialChanged {
                        before: serial,
                        after: read,
                    });
                }
                let issued =
                    self.batch
                        .journal
                        .finish_issued(row, &outcome.sod_sha256, &self.signer)?;
                Ok(Done::Issued(issued))
            }
            Err(e) if e.is_card_removed() => Ok(Done::Pulled),
            Err(e) => {
                let card_fault = matches!(
                    e,
                    ektp::Error::PersoKeyRejected
                        | ektp::Error::PersoKeyBlocked
                        | ektp::Error::WrongState(_)
                        | ektp::Error::Card { .. }
                        | ektp::Error::Malformed { .. }
                );
                let reason = e.to_string();
                self.batch.journal.finish_failed(row, &reason)?;
                Ok(Done::Failed { reason, card_fault })
            }
        }
    }

    /// Writes, verifies and locks `card` with `q` (or only verifies a locked one), telling
    /// each step.
    fn personalize<T: ektp_iso7816::CardTransport>(
        &mut self,
        card: &mut ektp::Card<T>,
        q: &Queued,
    ) -> Result<ektp::Personalized, ektp::Error> {
        let events = &mut self.events;
        let mut progress = |step: Step| {
            events(Event::Step {
                application: q.id.clone(),
                step,
            });
        };
        card.personalize(&q.app, self.station, &mut progress)
    }

    /// The journal row to write chip `serial` under: the unfinished one for `q`, or a new one;
    /// or why this chip must not be written.
    fn row_for(
        &mut self,
        q: &Queued,
        open: Option<&InProgress>,
        serial: &str,
    ) -> Result<Result<i64, Refusal>, Error> {
        match open {
            Some(open) if open.chip_serial != serial => Ok(Err(Refusal::WrongChip {
                chip_serial: serial.to_owned(),
                application: q.id.clone(),
                expected: open.chip_serial.clone(),
            })),
            Some(open) => Ok(Ok(open.id)),
            None => {
                if let Some(other) = self.batch.journal.find_issued_chip(serial)? {
                    return Ok(Err(Refusal::IssuedChipUnlocked {
                        chip_serial: serial.to_owned(),
                        application: other.application,
                    }));
                }
                let row = self.batch.journal.begin(&Start {
                    application: &q.id,
                    chip_serial: serial,
                    document_number: q.document_number(),
                    nik: q.app.holder.nik.as_str(),
                })?;
                Ok(Ok(row))
            }
        }
    }

    /// A locked card: perhaps the interrupted one, locked before the journal heard back. It is
    /// ours only if it opens with this application's CAN and verifies against it.
    fn locked_card<T: ektp_iso7816::CardTransport>(
        &mut self,
        card: &mut ektp::Card<T>,
        q: &Queued,
        open: Option<&InProgress>,
    ) -> Result<Done, Error> {
        let Some(open) = open else {
            return Ok(Done::Refused(Refusal::AlreadyIssued));
        };
        match self.personalize(card, q) {
            Ok(outcome) => {
                let issued =
                    self.batch
                        .journal
                        .finish_issued(open.id, &outcome.sod_sha256, &self.signer)?;
                Ok(Done::Issued(issued))
            }
            Err(e) if e.is_card_removed() => Ok(Done::Pulled),
            Err(e) => Ok(Done::Refused(Refusal::NotTheUnfinishedCard {
                application: q.id.clone(),
                chip_serial: open.chip_serial.clone(),
                error: e.to_string(),
            })),
        }
    }
}

fn source_error<E: std::error::Error + Send + Sync + 'static>(e: E) -> Error {
    Error::Source(Box::new(e))
}

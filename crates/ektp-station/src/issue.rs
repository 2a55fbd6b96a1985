//! One application onto the card in the reader, with its journal rows: the policy `ektp batch`
//! runs for every card and `ektp personalize` for its one, so that one journal is the station's
//! truth whichever command wrote the card.
//!
//! Before a card is touched: an application (or document number) the journal records as
//! issued is refused unless it is a reissue ([`check_not_issued`]). On the card: a locked card
//! is refused unless it is this application's unfinished card (locked before the journal heard
//! back); an abandoned chip is refused for ever; a half-written application is finished on its
//! own chip only; the `in_progress` row is written before the first write command, the `issued`
//! row after the lock, a `failed` row when writing fails.

use ektp::{Application, Lifecycle, Station, Step};
use ektp_iso7816::CardTransport;

use crate::Error;
use crate::event::Refusal;
use crate::journal::{InProgress, IssuedCard, Journal, SignerId, Start};

/// What to issue.
#[derive(Debug, Clone, Copy)]
pub struct Job<'a> {
    /// The application id (its queue file or folder name).
    pub application: &'a str,
    /// The validated application.
    pub app: &'a Application,
    /// `Some(reason)`: a replacement for the card the journal records as issued for this
    /// application (lost, stolen or spoilt before hand-out); that card is recorded as
    /// superseded.
    pub reissue: Option<&'a str>,
}

impl Job<'_> {
    fn document_number(&self) -> &str {
        self.app.holder.document_number.as_str()
    }
}

/// What became of the card in the reader.
#[derive(Debug)]
pub enum Issued {
    /// The application is issued on this card (`resumed`: a half-written card was finished).
    Issued {
        /// The journal's record.
        card: IssuedCard,
        /// Whether the journal had this application in progress before.
        resumed: bool,
        /// What the card said (the read-back verification, statistics).
        personalized: Box<ektp::Personalized>,
    },
    /// The card left the reader before it was finished; put the same card back.
    Pulled,
    /// The card cannot take this application. Nothing was written.
    Refused(Refusal),
    /// Writing failed; the card is not locked (the journal row says `failed`).
    Failed {
        /// What failed.
        reason: String,
        /// The card (not the application) is at fault.
        card_fault: bool,
    },
}

/// Refuses, before any card is touched, an application the journal records as issued (unless
/// `job.reissue` asks for a replacement of that very card), and a document number issued under
/// another application.
///
/// # Errors
/// [`Error::AlreadyIssued`], [`Error::DocumentIssuedElsewhere`], journal errors.
pub fn check_not_issued(journal: &Journal, job: &Job<'_>) -> Result<(), Error> {
    let document_number = job.document_number();
    if let Some(card) = journal.find_issued(document_number)?
        && card.application != job.application
    {
        return Err(Error::DocumentIssuedElsewhere {
            application: job.application.to_owned(),
            document_number: document_number.to_owned(),
            issued_as: card.application,
        });
    }
    match journal.find_issued_application(job.application)? {
        Some(card) if job.reissue.is_none() || card.document_number != document_number => {
            Err(Error::AlreadyIssued {
                application: card.application,
                document_number: card.document_number,
                chip_serial: card.chip_serial,
                issued_at: card.issued_at,
            })
        }
        _ => Ok(()),
    }
}

/// Issues `job` onto `card` with the station's keys, recording it in `journal`; `progress`
/// hears each step.
///
/// # Errors
/// [`Error::SerialChanged`], [`Error::Card`] and journal errors (the journal keeps what was
/// done). What is wrong with the card is an [`Issued::Refused`] or [`Issued::Failed`].
pub fn issue<T: CardTransport>(
    journal: &mut Journal,
    card: &mut ektp::Card<T>,
    job: &Job<'_>,
    station: &Station<'_>,
    progress: &mut dyn FnMut(Step),
) -> Result<Issued, Error> {
    let open = journal
        .in_progress()?
        .into_iter()
        .find(|r| r.application == job.application);
    let resumed = open.is_some();
    let lifecycle = match card.lifecycle() {
        Ok(l) => l,
        Err(e) if e.is_card_removed() => return Ok(Issued::Pulled),
        Err(e) => {
            let error = e.to_string();
            return Ok(Issued::Refused(Refusal::NotAnEktp { error }));
        }
    };
    let signer = SignerId::from_certificate(station.signer.certificate_der());
    if lifecycle == Lifecycle::Issued {
        return locked_card(
            journal,
            card,
            job,
            open.as_ref(),
            (station, &signer),
            progress,
        );
    }
    let serial = match card.serial() {
        Ok(s) => hex::encode_upper(s),
        Err(e) if e.is_card_removed() => return Ok(Issued::Pulled),
        Err(e) => {
            let error = e.to_string();
            return Ok(Issued::Refused(Refusal::NoSerial { error }));
        }
    };
    let row = match row_for(journal, job, open.as_ref(), &serial)? {
        Ok(row) => row,
        Err(refusal) => return Ok(Issued::Refused(refusal)),
    };
    match write(card, job, station, progress, Some(&serial)) {
        Written::Done(outcome) => {
            let card = journal.finish_issued(row, &outcome.sod_sha256, &signer)?;
            Ok(Issued::Issued {
                card,
                resumed,
                personalized: outcome,
            })
        }
        Written::Pulled => Ok(Issued::Pulled),
        Written::SerialChanged { before, after } => Err(Error::SerialChanged { before, after }),
        Written::Failed { reason, card_fault } => {
            journal.finish_failed(row, &reason)?;
            Ok(Issued::Failed { reason, card_fault })
        }
    }
}

/// What writing a card did, before the journal hears of it (so that a multi-reader station
/// holds its journal only to record it, never for the whole card).
#[derive(Debug)]
pub(crate) enum Written {
    /// Written, verified and locked (or, for a locked card, verified as this application).
    Done(Box<ektp::Personalized>),
    /// The card left the reader.
    Pulled,
    /// The reader swapped cards between two commands.
    SerialChanged {
        /// The chip the row names.
        before: String,
        /// The chip that answered.
        after: String,
    },
    /// Writing (or, for a locked card, verifying) failed.
    Failed {
        /// What failed.
        reason: String,
        /// The card (not the application) is at fault.
        card_fault: bool,
    },
}

/// Writes (or, on a locked card, verifies) `job` onto `card`; `serial` is the chip serial the
/// journal row names (`None` for a locked card, which no longer tells it).
pub(crate) fn write<T: CardTransport>(
    card: &mut ektp::Card<T>,
    job: &Job<'_>,
    station: &Station<'_>,
    progress: &mut dyn FnMut(Step),
    serial: Option<&str>,
) -> Written {
    match card.personalize(job.app, station, progress) {
        Ok(outcome) => {
            if let (Some(read), Some(serial)) = (outcome.chip_serial.as_deref(), serial)
                && !read.eq_ignore_ascii_case(serial)
            {
                // The reader swapped cards between two commands; nothing sane to record.
                return Written::SerialChanged {
                    before: serial.to_owned(),
                    after: read.to_owned(),
                };
            }
            Written::Done(Box::new(outcome))
        }
        Err(e) if e.is_card_removed() => Written::Pulled,
        Err(e) => {
            let card_fault = matches!(
                e,
                ektp::Error::PersoKeyRejected
                    | ektp::Error::PersoKeyBlocked
                    | ektp::Error::WrongState(_)
                    | ektp::Error::Card { .. }
                    | ektp::Error::Malformed { .. }
            );
            Written::Failed {
                reason: e.to_string(),
                card_fault,
            }
        }
    }
}

/// The journal row to write chip `serial` under: the unfinished one for the application, or a
/// new one; or why this chip must not be written.
fn row_for(
    journal: &mut Journal,
    job: &Job<'_>,
    open: Option<&InProgress>,
    serial: &str,
) -> Result<Result<i64, Refusal>, Error> {
    if journal.is_abandoned_chip(serial)? {
        return Ok(Err(Refusal::AbandonedChip {
            chip_serial: serial.to_owned(),
        }));
    }
    match open {
        Some(open) if open.chip_serial != serial => Ok(Err(Refusal::WrongChip {
            chip_serial: serial.to_owned(),
            application: job.application.to_owned(),
            expected: open.chip_serial.clone(),
        })),
        Some(open) => Ok(Ok(open.id)),
        None => {
            if let Some(other) = journal.find_issued_chip(serial)? {
                return Ok(Err(Refusal::IssuedChipUnlocked {
                    chip_serial: serial.to_owned(),
                    application: other.application,
                }));
            }
            if let Some(other) = journal
                .in_progress()?
                .into_iter()
                .find(|r| r.chip_serial.eq_ignore_ascii_case(serial))
            {
                return Ok(Err(Refusal::HalfWrittenOther {
                    chip_serial: serial.to_owned(),
                    application: other.application,
                }));
            }
            let start = Start {
                application: job.application,
                chip_serial: serial,
                document_number: job.document_number(),
                nik: job.app.holder.nik.as_str(),
            };
            let replaces = journal.find_issued_application(job.application)?.is_some();
            let row = match job.reissue {
                Some(reason) if replaces => journal.begin_reissue(&start, reason)?,
                _ => journal.begin(&start)?,
            };
            Ok(Ok(row))
        }
    }
}

/// A locked card: perhaps the interrupted one, locked before the journal heard back. It is
/// ours only if it opens with this application's CAN and verifies against it.
fn locked_card<T: CardTransport>(
    journal: &mut Journal,
    card: &mut ektp::Card<T>,
    job: &Job<'_>,
    open: Option<&InProgress>,
    (station, signer): (&Station<'_>, &SignerId),
    progress: &mut dyn FnMut(Step),
) -> Result<Issued, Error> {
    let Some(open) = open else {
        return Ok(Issued::Refused(Refusal::AlreadyIssued));
    };
    match write(card, job, station, progress, None) {
        Written::Done(outcome) => {
            let card = journal.finish_issued(open.id, &outcome.sod_sha256, signer)?;
            Ok(Issued::Issued {
                card,
                resumed: true,
                personalized: outcome,
            })
        }
        Written::Pulled => Ok(Issued::Pulled),
        Written::Failed { reason, .. } | Written::SerialChanged { after: reason, .. } => {
            Ok(Issued::Refused(Refusal::NotTheUnfinishedCard {
                application: job.application.to_owned(),
                chip_serial: open.chip_serial.clone(),
                error: reason,
            }))
        }
    }
}

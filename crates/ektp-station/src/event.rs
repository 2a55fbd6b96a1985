//! What a batch tells its operator and its machines, as it happens.
//!
//! Every [`Event`] serializes (serde) with its kind in the `event` field; the records of what
//! happened ([`Event::is_record`]: `invalid` and `card`) are the JSON lines `ektp batch --json`
//! prints, with the run's [`Summary`] last. [`Display`](core::fmt::Display) gives the sentence
//! for the operator. No event holds a NIK.

use std::path::PathBuf;

use ektp::Step;

use crate::queue::Rejected;

/// One thing that happened in a batch.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Event {
    /// The unfinished card with this chip was given up (lost or destroyed); its application
    /// goes on a new card.
    Abandoned {
        /// The chip given up, hex.
        chip_serial: String,
        /// Its application.
        application: String,
    },
    /// An application that will not be issued in this run.
    Invalid(Rejected),
    /// The queue as reconciled with the journal, before the first card.
    Queue {
        /// The queue directory.
        queue: PathBuf,
        /// Applications to issue in this run (unfinished cards first).
        to_issue: usize,
        /// Applications the journal already records as issued.
        already_issued: u64,
        /// Applications set aside as invalid.
        invalid: usize,
        /// The journal file.
        journal: PathBuf,
    },
    /// The operator is asked for a card (asked once per application and card).
    Insert {
        /// The application the card is for.
        application: String,
        /// Its document number.
        document_number: String,
        /// The chip that must be put back (its card is half-written), or `None` for a blank.
        put_back: Option<String>,
    },
    /// A reader of a multi-reader station is empty and waits for a card: a blank one (it
    /// gets the next application) or one of the half-written chips `put_back` (it gets its own
    /// application back).
    Waiting {
        /// Half-written chips the journal awaits and no reader is writing, hex.
        put_back: Vec<String>,
    },
    /// A reader of a multi-reader station took an application for the card in it; its
    /// journal row is written.
    Writing {
        /// The application.
        application: String,
        /// Its document number.
        document_number: String,
        /// The chip, hex (empty for a locked card, which no longer tells it).
        chip_serial: String,
        /// Whether the card is a half-written one being finished.
        resumed: bool,
    },
    /// A reader of a multi-reader station failed (unplugged, its service stopped, too many
    /// failed cards in a row): its worker stopped; the other readers go on.
    ReaderStopped {
        /// Why.
        reason: String,
    },
    /// Personalization of the card in the reader moved on.
    Step {
        /// The application being written.
        application: String,
        /// The step.
        #[serde(serialize_with = "debug_name")]
        step: Step,
    },
    /// A card was issued, or failed.
    Card(CardOutcome),
    /// The card left the reader before it was finished: the same card must come back.
    Pulled {
        /// The application it was being written with.
        application: String,
    },
    /// The card in the reader cannot take the application; nothing was written.
    Refused(Refusal),
    /// An application failed on too many cards and is set aside for this run.
    SetAside {
        /// The application.
        application: String,
        /// On how many cards it failed.
        cards: u32,
    },
    /// No card arrived in time; the batch stops (run it again to go on).
    TimedOut {
        /// The time-out, seconds.
        seconds: u64,
    },
    /// A reminder: the finished card is still in the reader.
    RemoveCard,
    /// The finished card was not removed in time; the batch stops (run it again to go on).
    RemovalTimedOut {
        /// The time-out, seconds.
        seconds: u64,
    },
    /// The operator stopped the batch (Ctrl-C, SIGTERM); a card being written was finished
    /// first.
    Stopped,
    /// The shared registry gave the application to another station (or refused the claim):
    /// this station does not write it, and its journal has a `skipped` row saying why. No
    /// card is asked for.
    Skipped {
        /// The application.
        application: String,
        /// Its document number.
        document_number: String,
        /// Why.
        reason: String,
    },
    /// The issued card's row is now in the shared registry.
    Pushed {
        /// The application.
        application: String,
        /// The document number.
        document_number: String,
    },
    /// The registry refused the issued card's row: an operator must look at it (the journal
    /// keeps the card).
    PushRefused {
        /// The application.
        application: String,
        /// The document number.
        document_number: String,
        /// Why.
        reason: String,
    },
    /// The registry cannot be reached: the batch goes on offline (no claims; the journal
    /// keeps every card, and the catch-up push after the run, or `ektp registry import`,
    /// sends them and reports any conflict). Said once each time the registry goes away.
    RegistryOffline {
        /// What failed.
        reason: String,
    },
}

fn debug_name<S: serde::Serializer>(step: &Step, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&format_args!("{step:?}"))
}

impl Event {
    /// Whether the operator must see it even when asking for quiet (something went wrong).
    pub fn is_warning(&self) -> bool {
        matches!(
            self,
            Self::Abandoned { .. }
                | Self::Invalid(_)
                | Self::Card(CardOutcome::Failed { .. })
                | Self::Pulled { .. }
                | Self::Refused(_)
                | Self::SetAside { .. }
                | Self::TimedOut { .. }
                | Self::RemovalTimedOut { .. }
                | Self::Stopped
                | Self::Skipped { .. }
                | Self::PushRefused { .. }
                | Self::RegistryOffline { .. }
                | Self::ReaderStopped { .. }
        )
    }

    /// Whether it is a record of what happened to an application (`invalid`, `card`,
    /// `skipped`), as machines get it, rather than a prompt or progress for the operator.
    pub fn is_record(&self) -> bool {
        matches!(
            self,
            Self::Invalid(_) | Self::Card(_) | Self::Skipped { .. }
        )
    }
}

impl core::fmt::Display for Event {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&english(&self.message()))
    }
}

/// What became of a card that was written.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[non_exhaustive]
pub enum CardOutcome {
    /// Locked, verified and recorded in the journal.
    Issued {
        /// The application.
        application: String,
        /// The document number on the card.
        document_number: String,
        /// The chip serial, hex.
        chip_serial: String,
        /// SHA-256 of EF.SOD as read back, hex.
        sod_sha256: String,
        /// The document signer's certificate subject.
        signer: String,
        /// When the journal recorded it (UTC, RFC 3339).
        issued_at: String,
        /// Whether this card was a half-written one finished now.
        resumed: bool,
        /// How long the card took, milliseconds.
        millis: u64,
    },
    /// Writing failed; the card is not locked and the application stays queued.
    Failed {
        /// The application.
        application: String,
        /// Its document number.
        document_number: String,
        /// What failed.
        reason: String,
    },
}

impl CardOutcome {
    /// The outcome of a card the journal just recorded as issued.
    pub(crate) fn issued(card: &crate::IssuedCard, resumed: bool, millis: u64) -> Self {
        Self::Issued {
            application: card.application.clone(),
            document_number: card.document_number.clone(),
            chip_serial: card.chip_serial.clone(),
            sod_sha256: card.sod_sha256.clone(),
            signer: card.signer.clone(),
            issued_at: card.issued_at.clone(),
            resumed,
            millis,
        }
    }
}

impl core::fmt::Display for CardOutcome {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&english(&self.message()))
    }
}

/// Why the card in the reader was not written (nothing was).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "refusal", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Refusal {
    /// The card is locked and no application was being written on it.
    AlreadyIssued,
    /// The card does not answer as an e-KTP chip.
    NotAnEktp {
        /// What failed.
        error: String,
    },
    /// A locked card that does not verify as the application that was being written.
    NotTheUnfinishedCard {
        /// The application.
        application: String,
        /// The chip it was being written on, hex.
        chip_serial: String,
        /// Why the card does not verify.
        error: String,
    },
    /// The card does not give its chip serial.
    NoSerial {
        /// What failed.
        error: String,
    },
    /// Another chip than the one the application was being written on.
    WrongChip {
        /// The chip in the reader, hex.
        chip_serial: String,
        /// The application.
        application: String,
        /// The chip that must come back, hex.
        expected: String,
    },
    /// The journal records this chip as abandoned: it must be destroyed.
    AbandonedChip {
        /// The chip, hex.
        chip_serial: String,
    },
    /// The chip is half-written with another application (the journal's unfinished row).
    HalfWrittenOther {
        /// The chip, hex.
        chip_serial: String,
        /// The application being written on it.
        application: String,
    },
    /// A blank chip in a multi-reader station, but every application left is half-written on
    /// another chip (or being written in another reader).
    NothingForBlank {
        /// The chip, hex.
        chip_serial: String,
        /// The half-written chips the queue waits for, hex.
        waiting_for: Vec<String>,
    },
    /// The journal records this chip as issued, yet it is not locked.
    IssuedChipUnlocked {
        /// The chip, hex.
        chip_serial: String,
        /// The application the journal records on it.
        application: String,
    },
}

impl core::fmt::Display for Refusal {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&english(&self.message()))
    }
}

/// How a batch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Status {
    /// Every application was issued, or the card limit was reached with nothing failed.
    Complete,
    /// Some applications are invalid or failed (listed in the summary).
    Incomplete,
    /// No card arrived in time; applications remain in the queue.
    CardTimeout,
}

/// What a batch run did, at its end.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Cards issued in this run.
    pub issued: u64,
    /// Applications of the queue the journal already recorded as issued.
    pub already_issued: u64,
    /// Applications set aside as invalid.
    pub invalid: Vec<Rejected>,
    /// Applications set aside after failing on too many cards.
    pub failed: Vec<Rejected>,
    /// Applications the registry gave to another station (not written here).
    pub skipped: Vec<Rejected>,
    /// Applications left in the queue.
    pub remaining: usize,
    /// Issued cards in the whole journal.
    pub journal_issued_total: usize,
    /// How long the run took, seconds.
    pub seconds: u64,
    /// Half-written cards the journal still awaits (put back, or `--abandon`).
    pub unfinished: Vec<Unfinished>,
    /// Whether the operator stopped the run (Ctrl-C, SIGTERM).
    pub stopped: bool,
    /// Whether the run stopped because no card arrived in time.
    #[serde(skip)]
    pub timed_out: bool,
    /// Readers of a multi-reader station that stopped before the end (empty with one
    /// reader, and then not in the JSON line).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub readers_stopped: Vec<ReaderStopped>,
}

/// A reader of a multi-reader station that stopped before the end of the run.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReaderStopped {
    /// The reader's name.
    pub reader: String,
    /// Why it stopped.
    pub reason: String,
}

/// An event as a multi-reader station reports it: the event's own fields and, with several
/// readers, the reader's name in `reader` (absent with one reader, so a single-reader JSON
/// line is exactly the [`Event`]'s).
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct FromReader<'a> {
    /// The event.
    #[serde(flatten)]
    pub event: &'a Event,
    /// The reader it happened in; `None` for the station as a whole, or with one reader.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reader: Option<&'a str>,
}

/// A half-written card the journal awaits.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unfinished {
    /// The chip, hex.
    pub chip_serial: String,
    /// The application being written on it.
    pub application: String,
}

impl Summary {
    /// How the batch ended.
    pub fn status(&self) -> Status {
        if !self.invalid.is_empty() || !self.failed.is_empty() || !self.readers_stopped.is_empty() {
            Status::Incomplete
        } else if self.timed_out && self.remaining > 0 {
            Status::CardTimeout
        } else {
            Status::Complete
        }
    }
}

impl core::fmt::Display for Summary {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&english(&self.message()))
    }
}

/// A message in English: the text of the `Display` impls above, from the same catalogue entry
/// the run's language renders (so the English line and its translation never drift apart).
fn english(message: &ektp::Message) -> String {
    ektp_i18n::Catalog::of(ektp_i18n::Lang::En).render(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_worded_for_one_and_many() {
        let set_aside = |cards| {
            Event::SetAside {
                application: "a".into(),
                cards,
            }
            .to_string()
        };
        assert!(
            set_aside(1).contains("failed on 1 card:"),
            "{}",
            set_aside(1)
        );
        assert!(
            set_aside(2).contains("failed on 2 cards:"),
            "{}",
            set_aside(2)
        );
        let too_many = |count| {
            crate::Error::TooManyFailures {
                count,
                reason: "r".into(),
            }
            .to_string()
        };
        assert!(
            too_many(1).starts_with("1 card in a row failed"),
            "{}",
            too_many(1)
        );
        assert!(
            too_many(3).starts_with("3 cards in a row failed"),
            "{}",
            too_many(3)
        );
    }

    #[test]
    fn records_keep_the_json_line_field_names() {
        let issued = Event::Card(CardOutcome::Issued {
            application: "a".into(),
            document_number: "IDA000001".into(),
            chip_serial: "01".into(),
            sod_sha256: "ab".into(),
            signer: "CN=DS".into(),
            issued_at: "t".into(),
            resumed: true,
            millis: 7,
        });
        let v = serde_json::to_value(&issued).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "event": "card", "outcome": "issued", "application": "a",
                "document_number": "IDA000001", "chip_serial": "01", "sod_sha256": "ab",
                "signer": "CN=DS", "issued_at": "t", "resumed": true, "millis": 7
            })
        );
        let failed = Event::Card(CardOutcome::Failed {
            application: "a".into(),
            document_number: "D".into(),
            reason: "r".into(),
        });
        assert_eq!(
            serde_json::to_value(&failed).unwrap(),
            serde_json::json!({"event": "card", "outcome": "failed", "application": "a",
                               "document_number": "D", "reason": "r"})
        );
        let invalid = Event::Invalid(Rejected {
            application: "b".into(),
            problems: vec!["p".into()],
            messages: Vec::new(),
        });
        assert_eq!(
            serde_json::to_value(&invalid).unwrap(),
            serde_json::json!({"event": "invalid", "application": "b", "problems": ["p"]})
        );
        assert!(issued.is_record() && failed.is_warning() && !issued.is_warning());
        let step = Event::Step {
            application: "a".into(),
            step: Step::Locking,
        };
        assert_eq!(serde_json::to_value(&step).unwrap()["step"], "Locking");
        assert!(!step.is_record());
        let refused = serde_json::to_value(Event::Refused(Refusal::AlreadyIssued)).unwrap();
        assert_eq!(refused["refusal"], "already_issued");
    }
}

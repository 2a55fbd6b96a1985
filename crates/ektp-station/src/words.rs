//! The batch's sentences as language-neutral messages (`station-ev-*`, `station-refusal-*`,
//! `station-summary-*` in the catalogues' `station.ftl`): what the operator reads, in the
//! run's language. A reason only known as English text (a card or registry error) rides along
//! as `detail`. The [`Display`](core::fmt::Display) texts stay the English ones.

use ektp::Message;

use crate::event::{CardOutcome, Event, Refusal, Summary};
use crate::queue::Rejected;

fn m(id: &'static str) -> Message {
    Message::new(id)
}

/// An application's problems: its messages, else its English texts as `detail`s.
fn problems(r: &Rejected) -> Message {
    let items = if r.messages.is_empty() {
        r.problems
            .iter()
            .map(|p| m("station-detail").arg("detail", p))
            .collect()
    } else {
        r.messages.clone()
    };
    m("station-problems")
        .arg("nl", "\n  ")
        .list("items", items, "\n  ")
}

/// Chips joined with ", chip ".
fn chips(list: &[String]) -> String {
    list.join(", ")
}

impl Event {
    /// The sentence for the operator, as a message.
    pub fn message(&self) -> Message {
        match self {
            Self::Waiting { put_back } if put_back.is_empty() => m("station-ev-waiting"),
            Self::Waiting { put_back } => {
                m("station-ev-waiting-put-back").arg("chips", chips(put_back))
            }
            Self::Writing {
                application,
                document_number,
                chip_serial,
                resumed,
            } => m(match (resumed, chip_serial.is_empty()) {
                (true, true) => "station-ev-finishing",
                (true, false) => "station-ev-finishing-chip",
                (false, true) => "station-ev-writing",
                (false, false) => "station-ev-writing-chip",
            })
            .arg("application", application)
            .arg("doc", document_number)
            .arg("chip", chip_serial),
            Self::ReaderStopped { reason } => m("station-ev-reader-stopped").arg("detail", reason),
            Self::Abandoned {
                chip_serial,
                application,
            } => m("station-ev-abandoned")
                .arg("chip", chip_serial)
                .arg("application", application),
            Self::Invalid(r) => m("station-ev-invalid")
                .arg("application", &r.application)
                .msg("problems", problems(r)),
            Self::Queue {
                queue,
                to_issue,
                already_issued,
                invalid,
                journal,
            } => m("station-ev-queue")
                .arg("queue", queue.display())
                .arg("to_issue", to_issue)
                .arg("already", already_issued)
                .arg("invalid", invalid)
                .arg("journal", journal.display()),
            Self::Insert {
                application,
                document_number,
                put_back,
            } => match put_back {
                Some(chip) => m("station-ev-put-back").arg("chip", chip),
                None => m("station-ev-insert"),
            }
            .arg("application", application)
            .arg("doc", document_number),
            Self::Step { application, step } => {
                m("station-detail").arg("detail", format!("{application}: {step:?}"))
            }
            Self::Card(outcome) => outcome.message(),
            Self::Pulled { application } => m("station-ev-pulled").arg("application", application),
            Self::Refused(refusal) => refusal.message(),
            Self::SetAside { application, cards } => m("station-ev-set-aside")
                .arg("application", application)
                .arg("cards", cards),
            Self::TimedOut { seconds } => m("station-ev-timed-out").arg("seconds", seconds),
            Self::RemoveCard => m("station-ev-remove-card"),
            Self::RemovalTimedOut { seconds } => {
                m("station-ev-removal-timed-out").arg("seconds", seconds)
            }
            Self::Stopped => m("station-ev-stopped"),
            Self::Skipped {
                application,
                document_number,
                reason,
            } => m("station-ev-skipped")
                .arg("application", application)
                .arg("doc", document_number)
                .arg("detail", reason),
            Self::Pushed {
                application,
                document_number,
            } => m("station-ev-pushed")
                .arg("application", application)
                .arg("doc", document_number),
            Self::PushRefused {
                application,
                document_number,
                reason,
            } => m("station-ev-push-refused")
                .arg("application", application)
                .arg("doc", document_number)
                .arg("detail", reason),
            Self::RegistryOffline { reason } => {
                m("station-ev-registry-offline").arg("detail", reason)
            }
        }
    }
}

impl CardOutcome {
    /// The sentence for the operator, as a message.
    pub fn message(&self) -> Message {
        match self {
            Self::Issued {
                application,
                document_number,
                chip_serial,
                ..
            } => m("station-ev-issued")
                .arg("application", application)
                .arg("doc", document_number)
                .arg("chip", chip_serial),
            Self::Failed {
                application,
                reason,
                ..
            } => m("station-ev-failed")
                .arg("application", application)
                .arg("detail", reason),
        }
    }
}

impl Refusal {
    /// The sentence for the operator, as a message.
    pub fn message(&self) -> Message {
        match self {
            Self::AlreadyIssued => m("station-refusal-already-issued"),
            Self::NotAnEktp { error } => m("station-refusal-not-ektp").arg("detail", error),
            Self::NotTheUnfinishedCard {
                application,
                chip_serial,
                error,
            } => m("station-refusal-not-the-card")
                .arg("application", application)
                .arg("chip", chip_serial)
                .arg("detail", error),
            Self::NoSerial { error } => m("station-refusal-no-serial").arg("detail", error),
            Self::WrongChip {
                chip_serial,
                application,
                expected,
            } => m("station-refusal-wrong-chip")
                .arg("chip", chip_serial)
                .arg("application", application)
                .arg("expected", expected),
            Self::AbandonedChip { chip_serial } => {
                m("station-refusal-abandoned").arg("chip", chip_serial)
            }
            Self::HalfWrittenOther {
                chip_serial,
                application,
            } => m("station-refusal-half-written")
                .arg("chip", chip_serial)
                .arg("application", application),
            Self::NothingForBlank {
                chip_serial,
                waiting_for,
            } if waiting_for.is_empty() => m("station-refusal-nothing").arg("chip", chip_serial),
            Self::NothingForBlank {
                chip_serial,
                waiting_for,
            } => m("station-refusal-nothing-put-back")
                .arg("chip", chip_serial)
                .arg("chips", chips(waiting_for)),
            Self::IssuedChipUnlocked {
                chip_serial,
                application,
            } => m("station-refusal-unlocked")
                .arg("chip", chip_serial)
                .arg("application", application),
        }
    }
}

impl Summary {
    /// The summary for the operator, as a message: the counts, then a line for each
    /// application set aside, reader stopped and half-written card.
    pub fn message(&self) -> Message {
        let mut lines = Vec::new();
        let set_aside = [
            ("station-summary-invalid", &self.invalid),
            ("station-summary-failed", &self.failed),
            ("station-summary-skipped", &self.skipped),
        ];
        for (id, list) in set_aside {
            for r in list {
                let items = if r.messages.is_empty() {
                    r.problems
                        .iter()
                        .map(|p| m("station-detail").arg("detail", p))
                        .collect()
                } else {
                    r.messages.clone()
                };
                lines.push(
                    m(id)
                        .arg("application", &r.application)
                        .list("problems", items, "; "),
                );
            }
        }
        for r in &self.readers_stopped {
            lines.push(
                m("station-summary-reader-stopped")
                    .arg("reader", &r.reader)
                    .arg("detail", &r.reason),
            );
        }
        for u in &self.unfinished {
            lines.push(
                m("station-summary-half-written")
                    .arg("chip", &u.chip_serial)
                    .arg("application", &u.application),
            );
        }
        m("station-summary")
            .arg("issued", self.issued)
            .arg("already", self.already_issued)
            .arg("invalid", self.invalid.len())
            .arg("failed", self.failed.len())
            .arg("skipped", self.skipped.len())
            .arg("remaining", self.remaining)
            .arg("seconds", self.seconds)
            .arg("total", self.journal_issued_total)
            .arg("nl", if lines.is_empty() { "" } else { "\n  " })
            .list("lines", lines, "\n  ")
    }
}

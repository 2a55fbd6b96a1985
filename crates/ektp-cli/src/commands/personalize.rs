//! `ektp personalize APPLICATION.json`: one blank card in the reader.
//!
//! With a journal (`--journal`, or `journal` in the station config) the card is issued under
//! the station's one policy (`ektp_station::issue`, the same as `ektp batch`): an application
//! the journal records as issued is refused unless `--reissue REASON`, the `in_progress` row is
//! written before the first command to the card and the `issued` row after the lock.
//!
//! The card is written first and reported after: output that cannot be written (a closed
//! pipe) is ignored, never a reason to stop half-way or to panic.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use ektp::{Application, Card, Lifecycle, Message, Personalized, Station, Step};
use ektp_iso7816::CardTransport;
use ektp_station::issue::{check_not_issued, issue};
use ektp_station::{Issued, Job, Journal, Refusal, RunLock};

use crate::config::Global;
use crate::exit::{self, Fail, Kind};
pub use crate::output::step_text;
use crate::output::{ms, report_text, stats_line, to_stderr, to_stdout};
use crate::station::{CardArgs, StationArgs, connect, load_application, load_station};

/// `ektp personalize` options.
#[derive(Debug, Args)]
pub struct PersonalizeArgs {
    /// The application (JSON, format ektp-application/1)
    #[arg(value_name = "APPLICATION.json")]
    pub application: PathBuf,
    #[command(flatten)]
    pub station: StationArgs,
    #[command(flatten)]
    pub card: CardArgs,
    /// The station's issuance journal (SQLite) the card is recorded in [default: `journal` in
    /// the station config]
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    /// Issue a replacement for the card the journal records as issued for this application
    /// (lost, stolen or spoilt before it was handed out); REASON is recorded and the old card
    /// no longer verifies against the journal
    #[arg(long, value_name = "REASON")]
    pub reissue: Option<String>,
}

/// Prints the outcome (text or JSON) on stdout; a closed stdout is ignored (the card is done).
pub fn print_outcome(outcome: &Personalized, global: &Global, took: std::time::Duration) {
    if global.json {
        to_stdout(&serde_json::to_string_pretty(outcome).unwrap_or_default());
        return;
    }
    let mut text = if outcome.already_issued {
        format!(
            "card {} was already issued; it verifies against the application (nothing written)\n",
            outcome.document_number
        )
    } else {
        format!(
            "card personalized, verified and LOCKED: document {}\n",
            outcome.document_number
        )
    };
    if let Some(serial) = &outcome.chip_serial {
        let _ = writeln!(text, "  chip serial       {serial}");
    }
    let _ = writeln!(text, "  EF.SOD SHA-256    {}", outcome.sod_sha256);
    text.push_str(&indent(&report_text(&outcome.report)));
    let _ = write!(text, "  {} in {}", stats_line(&outcome.stats), ms(took));
    to_stdout(&text);
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

/// Runs `ektp personalize`.
pub fn run(args: &PersonalizeArgs, global: &Global) -> Result<ExitCode, Fail> {
    let app = load_application(&args.application)?;
    let keys = load_station(&args.station, global)?;
    let cvca = crate::station::load_cvca(&args.station, global)?;
    let journal_path = args.journal.as_ref().or(global.config.journal.as_ref());
    let station = Station {
        signer: &keys.signer,
        master_key: &keys.master_key,
        trust: &keys.trust,
        cvca: cvca.as_ref(),
    };
    let Some(journal_path) = journal_path else {
        if args.reissue.is_some() {
            return Err(Fail::usage_said(Message::new("cli-err-reissue-journal")));
        }
        let transport = connect(global, &args.card)?;
        return without_journal(transport, &app, &station, global);
    };
    let stopped = |e: ektp_station::Error| Fail::from_anyhow(e.into());
    let mut journal = Journal::open(journal_path).map_err(stopped)?;
    let _lock = RunLock::journal(journal_path).map_err(stopped)?;
    let id = ektp_station::queue::application_id(&args.application);
    let job = Job {
        application: &id,
        app: &app,
        reissue: args.reissue.as_deref(),
    };
    check_not_issued(&journal, &job).map_err(|e| Fail::new(Kind::Failed, e))?;
    if args.reissue.is_some()
        && journal
            .find_issued_application(&id)
            .map_err(stopped)?
            .is_none()
    {
        to_stderr(&crate::text::f(
            "station-perso-reissue-nothing",
            &[("id", &id)],
        ));
    }
    let transport = connect(global, &args.card)?;
    let mut card = Card::new(transport).map_err(Fail::card)?;
    let started = Instant::now();
    let mut progress = progress_printer(global, started);
    let outcome = issue(&mut journal, &mut card, &job, &station, &mut progress).map_err(stopped)?;
    match outcome {
        Issued::Issued {
            card, personalized, ..
        } => {
            if !global.json && global.verbosity >= 0 {
                to_stderr(&crate::text::f(
                    "station-perso-recorded",
                    &[
                        ("journal", &journal_path.display().to_string()),
                        ("application", &card.application),
                        ("chip", &card.chip_serial),
                    ],
                ));
            }
            print_outcome(&personalized, global, started.elapsed());
            Ok(exit::OK)
        }
        Issued::Pulled => Err(Fail::card_said(Message::new("cli-err-perso-pulled"))),
        Issued::Refused(refusal) => Err(Fail::card_said(refusal.message())),
        Issued::Failed { reason, .. } => Err(Fail::new(
            crate::exit::Kind::Failed,
            anyhow::Error::new(crate::exit::Said(
                Message::new("cli-err-perso-failed")
                    .arg("id", id)
                    .arg("detail", reason),
            )),
        )),
    }
}

/// Prints each step on stderr (unless quiet), numbered, with the time since `started`.
fn progress_printer(global: &Global, started: Instant) -> impl FnMut(Step) {
    let quiet = global.verbosity < 0;
    let mut n = 0u32;
    move |step: Step| {
        n = n.saturating_add(1);
        if !quiet {
            to_stderr(&format!(
                "[{n:>2}] {:>8}  {}",
                ms(started.elapsed()),
                step_text(step)
            ));
        }
    }
}

/// Without a journal: writes the card, or verifies a locked one against the application.
fn without_journal<T: CardTransport>(
    transport: T,
    app: &Application,
    station: &Station<'_>,
    global: &Global,
) -> Result<ExitCode, Fail> {
    let mut card = Card::new(transport).map_err(Fail::card)?;
    let locked = card.lifecycle().map_err(Fail::card)? == Lifecycle::Issued;
    let started = Instant::now();
    let mut progress = progress_printer(global, started);
    match card.personalize(app, station, &mut progress) {
        Ok(outcome) => {
            print_outcome(&outcome, global, started.elapsed());
            Ok(exit::OK)
        }
        Err(e) if locked && !e.is_card_removed() => Err(Fail::card(anyhow::anyhow!(
            "{} (It does not verify as this application: {e}.)",
            Refusal::AlreadyIssued
        ))),
        Err(e) => Err(personalize_failure(e)),
    }
}

/// Classifies a personalization error: a card that does not verify is a failed check (1),
/// everything else a card error (3), with what to do.
pub fn personalize_failure(e: ektp::Error) -> Fail {
    match &e {
        ektp::Error::ReadBackFailed { .. } | ektp::Error::IssuedCardInvalid { .. } => {
            Fail::new(Kind::Failed, e)
        }
        ektp::Error::PersoKeyRejected => {
            Fail::card_said(Message::new("cli-err-perso-key").arg("detail", e))
        }
        _ if e.is_card_removed() => {
            Fail::card_said(Message::new("cli-err-perso-removed").arg("detail", e))
        }
        _ => Fail::card(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_back_failure_is_a_failed_check() {
        let f = personalize_failure(ektp::Error::ReadBackFailed { reason: "x".into() });
        assert_eq!(f.kind, Kind::Failed);
        let f = personalize_failure(ektp::Error::PersoKeyRejected);
        assert_eq!(f.kind, Kind::Card);
        assert!(crate::exit::message(&f.error).contains("another batch"));
    }
}

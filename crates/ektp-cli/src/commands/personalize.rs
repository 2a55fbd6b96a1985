//! `ektp personalize APPLICATION.json`: one blank card in the reader.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use ektp::{Card, Personalized, Station, Step};

use crate::config::Global;
use crate::exit::{self, Fail, Kind};
pub use crate::output::step_text;
use crate::output::{ms, print_json, report_text, stats_line};
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
}

/// Prints the outcome (text or JSON).
pub fn print_outcome(
    outcome: &Personalized,
    global: &Global,
    took: std::time::Duration,
) -> Result<(), Fail> {
    if global.json {
        return print_json(outcome);
    }
    if outcome.already_issued {
        println!(
            "card {} was already issued; it verifies against the application (nothing written)",
            outcome.document_number
        );
    } else {
        println!(
            "card personalized, verified and LOCKED: document {}",
            outcome.document_number
        );
    }
    if let Some(serial) = &outcome.chip_serial {
        println!("  chip serial       {serial}");
    }
    println!("  EF.SOD SHA-256    {}", outcome.sod_sha256);
    print!("{}", indent(&report_text(&outcome.report)));
    println!("  {} in {}", stats_line(&outcome.stats), ms(took));
    Ok(())
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

/// Runs `ektp personalize`.
pub fn run(args: &PersonalizeArgs, global: &Global) -> Result<ExitCode, Fail> {
    let app = load_application(&args.application)?;
    let keys = load_station(&args.station, global)?;
    let transport = connect(global, &args.card)?;
    let mut card = Card::new(transport).map_err(Fail::card)?;
    let station = Station {
        signer: &keys.signer,
        master_key: &keys.master_key,
        trust: &keys.trust,
        cvca: None,
    };
    let quiet = global.verbosity < 0;
    let started = Instant::now();
    let mut n = 0u32;
    let mut progress = |step: Step| {
        n = n.saturating_add(1);
        if !quiet {
            eprintln!("[{n:>2}] {:>8}  {}", ms(started.elapsed()), step_text(step));
        }
    };
    match card.personalize(&app, &station, &mut progress) {
        Ok(outcome) => {
            print_outcome(&outcome, global, started.elapsed())?;
            Ok(exit::OK)
        }
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
        ektp::Error::PersoKeyRejected => Fail::card(anyhow::anyhow!(
            "{e}: check the master key (this blank card belongs to another batch; the chip counts each failure)"
        )),
        _ if e.is_card_removed() => Fail::card(anyhow::anyhow!(
            "{e}: the card is NOT locked; put it back and run the same command again to complete it"
        )),
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

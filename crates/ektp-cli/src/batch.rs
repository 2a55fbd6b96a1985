//! `ektp batch QUEUE_DIR`: the printing station's batch run (docs/printing-station.md).
//!
//! The policy (queue, journal, resume, failure caps) is `ektp-station`'s; this command loads the
//! station's keys, gives the batch the PC/SC reader as its card source, and renders the batch's
//! events: sentences on stderr around a progress bar, JSON lines on stdout with `--json`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use ektp::Station;
use ektp_pcsc::PcscContext;
use ektp_station::{Batch, Event, Journal, Limits, Queue, RunLock, Summary};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use crate::config::Global;
use crate::exit::{self, Fail};
use crate::output::{step_text, to_stderr, to_stdout};

mod reader;
mod ui;

use reader::Reader;
use ui::{SummaryLine, Ui};

/// Personalize every application in a queue directory, one blank card after another.
#[derive(Debug, Clone, clap::Args)]
pub struct BatchArgs {
    /// The queue: a directory of application JSON files (NAME.json, images beside them), or of
    /// subdirectories each holding an application.json. Applications are done in name order.
    #[arg(value_name = "QUEUE_DIR")]
    pub queue: PathBuf,
    /// The issuance journal (SQLite; created if missing). Default: `journal` in the config.
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    /// The station's keys and trust store (the same options as `ektp personalize`).
    #[command(flatten)]
    pub station: crate::station::StationArgs,
    /// Stop when no card arrives, or a finished card is not removed, within SECS seconds
    /// (default: wait for ever).
    #[arg(long, value_name = "SECS")]
    pub card_timeout: Option<u64>,
    /// Stop after issuing N cards.
    #[arg(long, value_name = "N")]
    pub max_cards: Option<u64>,
    /// Give up the unfinished card with this chip serial (lost or destroyed): its application
    /// goes on a new card. Only after the card is out of circulation.
    #[arg(long, value_name = "CHIP_SERIAL")]
    pub abandon: Option<String>,
}

/// The exit status after Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
const STOPPED: u8 = 130;

/// A flag that Ctrl-C and SIGTERM set: the batch finishes the card in the reader (if any),
/// stops and prints its summary. A second Ctrl-C stops at once (the journal still knows the
/// half-written card).
fn stop_on_signals() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let installed = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::AcqRel) {
            to_stderr("Stopping at once.");
            std::process::exit(i32::from(STOPPED));
        }
        to_stderr(
            "Stopping after the card in the reader (if any) is finished; Ctrl-C again to stop \
             at once.",
        );
    });
    if let Err(e) = installed {
        tracing::warn!("cannot catch Ctrl-C ({e}): it will stop the batch without a summary");
    }
    stop
}

/// Runs `ektp batch`.
///
/// # Errors
/// Configuration, key, journal and PC/SC failures that stop the batch; the journal keeps
/// what was done, so running again resumes.
pub fn run(args: &BatchArgs, global: &Global) -> Result<ExitCode, Fail> {
    let journal_path = args
        .journal
        .as_ref()
        .or(global.config.journal.as_ref())
        .context("no journal: give --journal or set `journal` in the station config (--config)")
        .map_err(Fail::from_anyhow)?;
    let keys = crate::station::load_station(&args.station, global)
        .map_err(|f| Fail::from_anyhow(f.error))?;
    let cvca =
        crate::station::load_cvca(&args.station, global).map_err(|f| Fail::from_anyhow(f.error))?;
    let stopped = |e: ektp_station::Error| Fail::from_anyhow(e.into());
    let journal = Journal::open(journal_path).map_err(stopped)?;
    let _journal_lock = RunLock::journal(journal_path).map_err(stopped)?;
    let queue = Queue::scan(&args.queue).map_err(stopped)?;

    let ui = Ui::new(global, args.max_cards);
    let mut show = |event| ui.show(event);
    let abandon = args.abandon.as_deref();
    let batch = Batch::prepare(queue, journal, abandon, &mut show).map_err(stopped)?;

    let wanted = global.reader.as_deref().or(global.config.reader.as_deref());
    let mut reader = PcscContext::establish()
        .map_err(anyhow::Error::from)
        .and_then(|ctx| Reader::pick(ctx, wanted))
        .map_err(Fail::from_anyhow)?;
    let _reader_lock = RunLock::reader(&reader.name).map_err(stopped)?;
    let station = Station {
        signer: &keys.signer,
        master_key: &keys.master_key,
        trust: &keys.trust,
        cvca: cvca.as_ref(),
    };
    let limits = Limits {
        card_timeout: args.card_timeout.map(Duration::from_secs),
        max_cards: args.max_cards,
    };
    let mut batch = batch.stop_when(stop_on_signals());
    if let Some(sink) = crate::commands::registry::station_sink(global) {
        batch = batch.with_registry(sink);
    }
    let summary = match batch.run(&mut reader, &station, limits, &mut show) {
        Ok(summary) => summary,
        Err(e) => {
            ui.bar.abandon();
            return Err(stopped(e));
        }
    };
    ui.bar.finish_and_clear();

    let exit_code = if summary.stopped {
        STOPPED
    } else {
        exit::batch_status(summary.status())
    };
    if global.json {
        let line = SummaryLine {
            event: "summary",
            summary: &summary,
            exit_code,
        };
        to_stdout(&serde_json::to_string(&line).unwrap_or_default());
    }
    if global.verbosity >= 0 || exit_code != exit::SUCCESS {
        to_stderr(&summary.to_string());
    }
    crate::commands::registry::push_journal(journal_path, global);
    Ok(ExitCode::from(exit_code))
}

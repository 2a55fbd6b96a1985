//! `ektp batch QUEUE_DIR`: the printing station's batch run (docs/printing-station.md).
//!
//! The policy (queue, journal, resume, failure caps) is `ektp-station`'s; this command loads the
//! station's keys, gives the batch the PC/SC reader (or, with `--reader` given several times or
//! `readers` in the config, each of several readers: a multi-reader station) as its card
//! source, and renders the batch's events: sentences on stderr around a progress bar (lines
//! prefixed with the reader's name with several readers), JSON lines on stdout with `--json`
//! (with a `reader` field with several readers).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ektp::Station;
use ektp_pcsc::PcscContext;
use ektp_station::{Batch, Event, Journal, Limits, Queue, RunLock, Summary};

use crate::options::{ConfigOpt, StationOpts};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use crate::config::Global;
use crate::exit::{self, Fail};
use crate::output::{step_text, to_stderr, to_stdout};
use crate::text::{render, t};

mod reader;
mod ui;

use reader::Reader;
use ui::{SummaryLine, Ui};

/// `--reader` (repeatable), `--config`: the readers a batch drives.
#[derive(Debug, Default, Clone, clap::Args)]
pub struct ReaderOpts {
    /// PC/SC reader to use: its name or a unique part of it [default: the one reader with a
    /// card; config: readers, reader]. Give it several times to drive several readers at once
    /// (one card in each, one journal, one queue)
    #[arg(long, value_name = "NAME")]
    pub reader: Vec<String>,
    #[command(flatten)]
    pub config: ConfigOpt,
}

impl ReaderOpts {
    /// As the options of a one-reader command (the first `--reader`), for the shared options.
    pub fn first(&self) -> StationOpts {
        StationOpts {
            reader: self.reader.first().cloned(),
            config: self.config.clone(),
        }
    }
}

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
    /// (default: wait for ever). With several readers, per reader: that reader stops.
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
            to_stderr(&t("station-stopping-now"));
            std::process::exit(i32::from(STOPPED));
        }
        to_stderr(&t("station-stopping"));
    });
    if let Err(e) = installed {
        tracing::warn!("cannot catch Ctrl-C ({e}): it will stop the batch without a summary");
    }
    stop
}

/// The reader names to drive: several `--reader`s, else the config's `readers` (unless a
/// `--reader` overrides it), else the one reader (`--reader`, `reader`, or the only one there
/// is: an empty name list).
fn reader_names(cli: &[String], global: &Global) -> Vec<String> {
    if cli.len() > 1 {
        return cli.to_vec();
    }
    match &global.config.readers {
        Some(list) if !list.is_empty() && global.reader == global.config.reader => list.clone(),
        _ => global.reader.iter().cloned().collect(),
    }
}

/// A reader with its name, as the batch takes it.
type Named = (String, Reader);

/// Opens each reader (a PC/SC context each: every worker waits on its own) and takes its lock.
fn open_readers(names: &[String]) -> Result<(Vec<Named>, Vec<RunLock>), Fail> {
    let wanted: Vec<Option<&str>> = if names.is_empty() {
        vec![None]
    } else {
        names.iter().map(|n| Some(n.as_str())).collect()
    };
    let mut readers: Vec<Named> = Vec::new();
    let mut locks = Vec::new();
    for name in wanted {
        let reader = PcscContext::establish()
            .map_err(anyhow::Error::from)
            .and_then(|ctx| Reader::pick(ctx, name))
            .map_err(Fail::from_anyhow)?;
        if readers.iter().any(|(n, _)| *n == reader.name) {
            return Err(Fail::usage_said(
                ektp::Message::new("station-err-reader-twice").arg("reader", &reader.name),
            ));
        }
        locks.push(RunLock::reader(&reader.name).map_err(|e| Fail::from_anyhow(e.into()))?);
        readers.push((reader.name.clone(), reader));
    }
    Ok((readers, locks))
}

/// Runs `ektp batch`.
///
/// # Errors
/// Configuration, key, journal and PC/SC failures that stop the batch; the journal keeps
/// what was done, so running again resumes.
pub fn run(args: &BatchArgs, cli_readers: &[String], global: &Global) -> Result<ExitCode, Fail> {
    let journal_path = args
        .journal
        .as_ref()
        .or(global.config.journal.as_ref())
        .ok_or_else(|| {
            Fail::config(anyhow::Error::new(exit::Said(ektp::Message::new(
                "cli-err-no-journal",
            ))))
        })?;
    let keys = crate::station::load_station(&args.station, global)
        .map_err(|f| Fail::from_anyhow(f.error))?;
    let cvca =
        crate::station::load_cvca(&args.station, global).map_err(|f| Fail::from_anyhow(f.error))?;
    let stopped = |e: ektp_station::Error| Fail::from_anyhow(e.into());
    let journal = Journal::open(journal_path).map_err(stopped)?;
    let _journal_lock = RunLock::journal(journal_path).map_err(stopped)?;
    let queue = Queue::scan(&args.queue).map_err(stopped)?;

    let names = reader_names(cli_readers, global);
    let ui = Ui::new(global, args.max_cards, names.len() > 1);
    let abandon = args.abandon.as_deref();
    let batch =
        Batch::prepare(queue, journal, abandon, &mut |e| ui.show(None, e)).map_err(stopped)?;
    let (readers, _reader_locks) = open_readers(&names)?;
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
    let summary = match batch.run_readers(readers, &station, limits, &mut |r, e| ui.show(r, e)) {
        Ok(summary) => summary,
        Err(e) => {
            ui.bar.abandon();
            return Err(stopped(e));
        }
    };
    ui.bar.finish_and_clear();
    Ok(ExitCode::from(finish(&summary, journal_path, global)))
}

/// Prints the summary (a JSON line with `--json`), pushes the journal to the registry, and
/// gives the exit status.
fn finish(summary: &Summary, journal_path: &std::path::Path, global: &Global) -> u8 {
    let exit_code = if summary.stopped {
        STOPPED
    } else {
        exit::batch_status(summary.status())
    };
    if global.json {
        let line = SummaryLine {
            event: "summary",
            summary,
            exit_code,
        };
        to_stdout(&serde_json::to_string(&line).unwrap_or_default());
    }
    if global.verbosity >= 0 || exit_code != exit::SUCCESS {
        to_stderr(&render(&summary.message()));
    }
    crate::commands::registry::push_journal(journal_path, global);
    exit_code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_readers_come_from_the_command_line_or_the_config() {
        let names = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let mut global = Global::default();
        // Nothing given: the one reader there is.
        assert!(reader_names(&[], &global).is_empty());
        global.config.readers = Some(names(&["A", "B"]));
        assert_eq!(reader_names(&[], &global), names(&["A", "B"]));
        // `readers` beats `reader` for the batch.
        global.config.reader = Some("A".into());
        global.reader = Some("A".into());
        assert_eq!(reader_names(&[], &global), names(&["A", "B"]));
        // One --reader overrides the config: exactly today's one-reader batch.
        global.reader = Some("C".into());
        assert_eq!(reader_names(&names(&["C"]), &global), names(&["C"]));
        // Several --reader: those.
        assert_eq!(
            reader_names(&names(&["C", "D"]), &global),
            names(&["C", "D"])
        );
    }
}

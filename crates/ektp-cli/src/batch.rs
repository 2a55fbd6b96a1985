//! `ektp batch QUEUE_DIR`: the printing station's batch run (docs/printing-station.md).
//!
//! The queue is validated first; invalid applications are reported and skipped. Then, for
//! each application the journal does not already record as issued, in order of its name:
//! ask for a blank card, wait for it, write it, record it in the journal, ask for it to be
//! removed, wait. The journal row for an application is written *before* its card is touched,
//! so a pulled card, a crash, Ctrl-C or a kill is resumed on the same card with the same
//! application, and no application is ever issued twice.

use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use ektp::{Application, Lifecycle, Station, Step};
use ektp_pcsc::{PcscCard, PcscContext, PcscError, ReaderSelector};
use ektp_pki::Signer as _;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use serde_json::json;

use crate::config::Global;
use crate::journal::{InProgress, IssuedCard, Journal, SignerId, Start};

/// Exit status: every application was issued, or `--max-cards` reached with nothing failed.
pub const EXIT_OK: u8 = 0;
/// Exit status: some applications are invalid or failed (listed in the summary).
pub const EXIT_INCOMPLETE: u8 = 1;
/// Exit status: no card arrived within `--card-timeout`; applications remain in the queue.
pub const EXIT_CARD_TIMEOUT: u8 = 3;

/// Most entries read from a queue directory.
const MAX_QUEUE_ENTRIES: usize = 100_000;
/// Largest master key file accepted (64 hex digits and a newline, with room for comments).
/// A card that fails this many times in a row stops the batch: the station is at fault.
const MAX_CONSECUTIVE_FAILURES: u32 = 3;
/// An application that fails on this many cards is set aside for this run.
const MAX_FAILURES_PER_APPLICATION: u32 = 2;
/// How long one PC/SC wait lasts before it is renewed (waiting "forever" is a loop of these).
/// Short, so that a reader event pcscd failed to signal is still seen within a second or two.
const WAIT_SLICE: Duration = Duration::from_secs(2);
/// How often the operator is reminded to take the card out.
const REMIND_REMOVAL: Duration = Duration::from_secs(60);

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
    /// Stop when no card arrives within SECS seconds (default: wait for ever).
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

/// A valid application in the queue.
struct Queued {
    id: String,
    app: Application,
}

impl Queued {
    fn document_number(&self) -> &str {
        self.app.holder.document_number.as_str()
    }
}

/// An application that will not be issued in this run, and why.
#[derive(Debug, Clone, serde::Serialize)]
struct Rejected {
    application: String,
    problems: Vec<String>,
}

/// Reads and validates the queue: valid applications in name order, and the rejected ones.
fn scan_queue(dir: &Path) -> anyhow::Result<(Vec<Queued>, Vec<Rejected>)> {
    let entries = std::fs::read_dir(dir).with_context(|| {
        format!(
            "cannot read queue directory {} (give a directory of application JSON files)",
            dir.display()
        )
    })?;
    let mut found: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut rejected = Vec::new();
    for entry in entries {
        let entry =
            entry.with_context(|| format!("cannot read queue directory {}", dir.display()))?;
        if found.len() >= MAX_QUEUE_ENTRIES {
            anyhow::bail!(
                "queue directory {} has more than {MAX_QUEUE_ENTRIES} entries: split it",
                dir.display()
            );
        }
        let raw_name = entry.file_name();
        let Some(name) = raw_name.to_str() else {
            rejected.push(Rejected {
                application: raw_name.to_string_lossy().into_owned(),
                problems: vec!["file name is not UTF-8: rename it".to_owned()],
            });
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            let json = path.join("application.json");
            if json.is_file() {
                found.insert(name.to_owned(), json);
            } else {
                rejected.push(Rejected {
                    application: name.to_owned(),
                    problems: vec!["directory has no application.json".to_owned()],
                });
            }
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            found.insert(name.to_owned(), path);
        }
    }
    let mut valid = Vec::new();
    for (id, path) in found {
        match ektp::load_application(&path) {
            Ok(app) => valid.push(Queued { id, app }),
            Err(errors) => rejected.push(Rejected {
                application: id,
                problems: errors.errors().iter().map(ToString::to_string).collect(),
            }),
        }
    }
    // Two applications with one document number: neither can be issued until it is fixed.
    let mut by_document: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for q in &valid {
        by_document
            .entry(q.document_number().to_owned())
            .or_default()
            .push(q.id.clone());
    }
    let mut duplicated = Vec::new();
    for (document, ids) in by_document {
        if ids.len() > 1 {
            for id in &ids {
                duplicated.push((
                    id.clone(),
                    format!(
                        "document number {document} is used by more than one application: {}",
                        ids.join(", ")
                    ),
                ));
            }
        }
    }
    for (id, problem) in duplicated {
        valid.retain(|q| q.id != id);
        rejected.push(Rejected {
            application: id,
            problems: vec![problem],
        });
    }
    rejected.sort_by(|a, b| a.application.cmp(&b.application));
    Ok((valid, rejected))
}

/// The station's keys, loaded once.
struct Keys {
    station: crate::station::StationKeys,
    signer_id: SignerId,
}

fn required<'a>(
    arg: Option<&'a PathBuf>,
    config: Option<&'a PathBuf>,
    what: &str,
    flag: &str,
    key: &str,
) -> anyhow::Result<&'a PathBuf> {
    arg.or(config).with_context(|| {
        format!("no {what}: give {flag} or set `{key}` in the station config (--config)")
    })
}

/// The signer, trust store and master key, loaded as `ektp personalize` loads them.
fn load_keys(args: &BatchArgs, global: &Global) -> anyhow::Result<Keys> {
    let station = crate::station::load_station(&args.station, global).map_err(|f| f.error)?;
    let signer_id = SignerId::from_certificate(station.signer.certificate_der());
    Ok(Keys { station, signer_id })
}

/// Exclusive use of a journal or a reader by one `ektp batch` on this machine, until dropped:
/// two batches sharing either would both write the card in the reader. The lock is an abstract
/// Unix socket named after the resource; the kernel frees it when the process ends, even when
/// it is killed, and no file is left behind.
#[cfg(target_os = "linux")]
struct RunLock {
    _socket: std::os::unix::net::UnixListener,
}

#[cfg(target_os = "linux")]
fn run_lock(what: &str, key: &str) -> anyhow::Result<RunLock> {
    use std::os::linux::net::SocketAddrExt as _;
    use std::os::unix::net::{SocketAddr, UnixListener};

    let digest = hex::encode(ring::digest::digest(&ring::digest::SHA256, key.as_bytes()));
    let name = format!("ektp-batch-{}", digest.get(..40).unwrap_or(&digest));
    let addr =
        SocketAddr::from_abstract_name(name.as_bytes()).context("cannot take the batch lock")?;
    match UnixListener::bind_addr(&addr) {
        Ok(socket) => Ok(RunLock { _socket: socket }),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => anyhow::bail!(
            "another `ektp batch` is already running with {what}: let it finish or stop it first"
        ),
        Err(e) => Err(e).context("cannot take the batch lock"),
    }
}

#[cfg(not(target_os = "linux"))]
struct RunLock;

#[cfg(not(target_os = "linux"))]
fn run_lock(_what: &str, _key: &str) -> anyhow::Result<RunLock> {
    Ok(RunLock)
}

/// Picks the reader: `--reader` / the config's, else the only reader there is.
fn pick_reader(ctx: &PcscContext, wanted: Option<&str>) -> anyhow::Result<String> {
    if let Some(name) = wanted {
        return Ok(ctx.reader(&ReaderSelector::Named(name.to_owned()))?.name);
    }
    let names = ctx.reader_names()?;
    match names.as_slice() {
        [] => Err(PcscError::NoReaders.into()),
        [one] => Ok(one.clone()),
        many => anyhow::bail!(
            "several readers ({}): choose one with --reader or `reader` in the station config",
            many.iter()
                .map(|n| format!("{n:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Messages to the operator (stderr, around the progress bar) and lines for machines (stdout).
struct Ui {
    bar: ProgressBar,
    quiet: bool,
    json: bool,
}

impl Ui {
    fn new(len: u64, global: &Global) -> Self {
        let quiet = global.verbosity < 0;
        let target = if quiet {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = ProgressBar::with_draw_target(Some(len), target);
        let style = ProgressStyle::with_template(
            "{bar:30.cyan/blue} {pos}/{len} cards  {rate}  {eta_text}  {wide_msg}",
        )
        .map(|s| {
            s.with_key("rate", |st: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.1} cards/min", st.per_sec() * 60.0);
            })
            .with_key(
                "eta_text",
                |st: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let secs = st.eta().as_secs();
                    let _ = write!(w, "{}:{:02} left", secs / 60, secs % 60);
                },
            )
            .progress_chars("##-")
        })
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        Self {
            bar,
            quiet,
            json: global.json,
        }
    }

    /// A message for the operator.
    fn say(&self, msg: &str) {
        if !self.quiet {
            self.bar.suspend(|| to_stderr(msg));
        }
    }

    /// A problem the operator must see even with -q.
    fn warn(&self, msg: &str) {
        self.bar.suspend(|| to_stderr(msg));
    }

    /// One JSON line on stdout (with --json).
    fn line(&self, value: &serde_json::Value) {
        if self.json {
            self.bar.suspend(|| to_stdout(&value.to_string()));
        }
    }
}

/// Writes a line to stdout; a closed pipe (`ektp batch --json | head`) must not stop the batch
/// in the middle of a card, so write errors are ignored.
fn to_stdout(line: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

/// Writes a line to stderr, ignoring write errors (as [`to_stdout`]).
fn to_stderr(line: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

fn step_text(step: Step) -> String {
    match step {
        Step::Authenticating => "opening the personalization session".to_owned(),
        Step::ChipKey => "chip generates its key".to_owned(),
        Step::Signing => "signing EF.SOD".to_owned(),
        Step::Writing(file) => format!("writing {file:?}"),
        Step::SettingCan => "setting the CAN".to_owned(),
        Step::Verifying => "reading back and verifying".to_owned(),
        Step::Locking => "locking".to_owned(),
        other => format!("{other:?}"),
    }
}

/// What became of one card put in the reader.
enum Done {
    /// The application is issued on this card.
    Issued(IssuedCard),
    /// The card left the reader before it was finished; put the same card back.
    Pulled,
    /// The card cannot take this application (already issued, another chip, not an e-KTP
    /// chip); the message says what to do. Nothing was written.
    Refused(String),
    /// Writing failed; the card is not locked and the application stays queued.
    Failed {
        reason: String,
        /// The card (not the application) is at fault: do not count it against the application.
        card_fault: bool,
    },
}

struct Batch<'a> {
    ctx: PcscContext,
    reader: String,
    keys: Keys,
    journal: Journal,
    ui: &'a Ui,
    card_timeout: Option<Duration>,
}

enum Wait {
    Arrived,
    TimedOut,
}

impl Batch<'_> {
    fn wait_for_card(&self) -> anyhow::Result<Wait> {
        let start = Instant::now();
        loop {
            let slice = match self.card_timeout {
                Some(limit) => {
                    let left = limit.saturating_sub(start.elapsed());
                    if left.is_zero() {
                        return Ok(Wait::TimedOut);
                    }
                    left.min(WAIT_SLICE)
                }
                None => WAIT_SLICE,
            };
            match self.ctx.wait_for_card(&self.reader, slice) {
                Ok(_) => return Ok(Wait::Arrived),
                Err(PcscError::Timeout { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }

    fn wait_for_removal(&self) -> anyhow::Result<()> {
        let mut last_reminder = Instant::now();
        loop {
            match self.ctx.wait_for_removal(&self.reader, WAIT_SLICE) {
                Ok(()) => return Ok(()),
                Err(PcscError::Timeout { .. }) => {
                    if last_reminder.elapsed() >= REMIND_REMOVAL {
                        self.ui
                            .say("Still waiting: remove the card from the reader.");
                        last_reminder = Instant::now();
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    fn connect(&self) -> anyhow::Result<Option<ektp::Card<PcscCard>>> {
        match self.ctx.connect(&self.reader) {
            Ok(c) => Ok(Some(ektp::Card::new(c)?)),
            // Gone again before we could talk to it.
            Err(PcscError::NoCard { .. } | PcscError::CardRemoved { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Handles the card now in the reader for application `q` (`open`: the journal's
    /// unfinished row for `q`, if any).
    fn one_card(&mut self, q: &Queued, open: Option<&InProgress>) -> anyhow::Result<Done> {
        let Some(mut card) = self.connect()? else {
            return Ok(Done::Pulled);
        };
        let lifecycle = match card.lifecycle() {
            Ok(l) => l,
            Err(e) if e.is_card_removed() => return Ok(Done::Pulled),
            Err(e) => {
                return Ok(Done::Refused(format!(
                    "This card does not answer as an e-KTP chip ({e}). Remove it and set it aside."
                )));
            }
        };
        let station = Station {
            signer: &self.keys.station.signer,
            master_key: &self.keys.station.master_key,
            trust: &self.keys.station.trust,
        };
        let ui = self.ui;
        let id = q.id.clone();
        let mut progress = |step: Step| ui.bar.set_message(format!("{id}: {}", step_text(step)));

        if lifecycle == Lifecycle::Issued {
            let Some(open) = open else {
                return Ok(Done::Refused(
                    "This card is already issued (locked): it is not blank. Remove it and \
                     insert a blank card."
                        .to_owned(),
                ));
            };
            // Perhaps the interrupted card, locked before the journal heard back: it is ours
            // only if it opens with this application's CAN and verifies against it.
            return match card.personalize(&q.app, &station, &mut progress) {
                Ok(outcome) => {
                    let issued = self.journal.finish_issued(
                        open.id,
                        &outcome.sod_sha256,
                        &self.keys.signer_id,
                    )?;
                    Ok(Done::Issued(issued))
                }
                Err(e) if e.is_card_removed() => Ok(Done::Pulled),
                Err(e) => Ok(Done::Refused(format!(
                    "This card is already issued and does not verify as application {} ({e}): it \
                     is not the card that application was being written on. Remove it and put \
                     chip {} back.",
                    q.id, open.chip_serial
                ))),
            };
        }

        let serial = match card.serial() {
            Ok(s) => hex::encode_upper(s),
            Err(e) if e.is_card_removed() => return Ok(Done::Pulled),
            Err(e) => {
                return Ok(Done::Refused(format!(
                    "This card does not give its chip serial ({e}). Remove it and set it aside."
                )));
            }
        };
        let row = match open {
            Some(open) if open.chip_serial != serial => {
                return Ok(Done::Refused(format!(
                    "This is chip {serial}, but application {} was being written on chip {}. \
                     Remove it and put chip {} back (if that card is lost or destroyed, see \
                     --abandon).",
                    q.id, open.chip_serial, open.chip_serial
                )));
            }
            Some(open) => open.id,
            None => {
                if let Some(other) = self.journal.find_issued_chip(&serial)? {
                    return Ok(Done::Refused(format!(
                        "The journal records chip {serial} as issued to application {}, but the \
                         chip is not locked. Remove it, set it aside and report it.",
                        other.application
                    )));
                }
                self.journal.begin(&Start {
                    application: &q.id,
                    chip_serial: &serial,
                    document_number: q.document_number(),
                    nik: q.app.holder.nik.as_str(),
                })?
            }
        };
        match card.personalize(&q.app, &station, &mut progress) {
            Ok(outcome) => {
                if let Some(read) = &outcome.chip_serial
                    && !read.eq_ignore_ascii_case(&serial)
                {
                    // The reader swapped cards between two commands; nothing sane to record.
                    anyhow::bail!(
                        "chip serial changed during personalization ({serial} then {read}): \
                         set both cards aside and run the batch again"
                    );
                }
                let issued =
                    self.journal
                        .finish_issued(row, &outcome.sod_sha256, &self.keys.signer_id)?;
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
                self.journal.finish_failed(row, &reason)?;
                Ok(Done::Failed { reason, card_fault })
            }
        }
    }
}

/// Runs `ektp batch`.
///
/// # Errors
/// Configuration, key, journal and PC/SC failures that stop the batch; the journal keeps
/// what was done, so running again resumes.
pub fn run(args: &BatchArgs, global: &Global) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let journal_path = required(
        args.journal.as_ref(),
        global.config.journal.as_ref(),
        "journal",
        "--journal",
        "journal",
    )?
    .clone();
    let keys = load_keys(args, global)?;
    let mut journal = Journal::open(&journal_path)?;
    let canonical = std::fs::canonicalize(&journal_path).unwrap_or_else(|_| journal_path.clone());
    let _journal_lock = run_lock(
        &format!("journal {}", journal_path.display()),
        &format!("journal:{}", canonical.display()),
    )?;

    let (queued, mut rejected) = scan_queue(&args.queue)?;

    if let Some(serial) = &args.abandon {
        let open = journal.in_progress()?;
        let row = open
            .iter()
            .find(|r| r.chip_serial.eq_ignore_ascii_case(serial))
            .with_context(|| {
                format!(
                    "--abandon {serial}: the journal has no unfinished card with that chip serial"
                )
            })?;
        journal.finish_failed(
            row.id,
            "abandoned by the operator: card lost or destroyed before it was finished",
        )?;
        to_stderr(&format!(
            "Abandoned chip {}: application {} goes on a new card. That card must never be \
             handed out.",
            row.chip_serial, row.application
        ));
    }

    // What the journal already did.
    let mut already = 0u64;
    let mut todo: Vec<Queued> = Vec::new();
    for q in queued {
        if let Some(card) = journal.find_issued_application(&q.id)? {
            if card.document_number == q.document_number() {
                already = already.saturating_add(1);
            } else {
                rejected.push(Rejected {
                    application: q.id.clone(),
                    problems: vec![format!(
                        "application {} was already issued with document number {}, but the \
                         queue file now says {}: rename the file if it is a different application",
                        q.id,
                        card.document_number,
                        q.document_number()
                    )],
                });
            }
        } else if let Some(card) = journal.find_issued(q.document_number())? {
            rejected.push(Rejected {
                application: q.id.clone(),
                problems: vec![format!(
                    "document number {} was already issued as application {}",
                    q.document_number(),
                    card.application
                )],
            });
        } else {
            todo.push(q);
        }
    }
    // Unfinished cards first, each with its own application; one whose application is not
    // (validly) in this queue cannot be resumed here.
    let open = journal.in_progress()?;
    for row in &open {
        if !todo.iter().any(|q| q.id == row.application) {
            anyhow::bail!(
                "application {} was being written on chip {} when the last batch stopped, but it \
                 is not a valid application of this queue: run the batch on the queue that holds \
                 it, or, if that card is lost or destroyed, --abandon {}",
                row.application,
                row.chip_serial,
                row.chip_serial
            );
        }
    }
    let mut pending: VecDeque<Queued> = VecDeque::new();
    for q in todo {
        if open.iter().any(|r| r.application == q.id) {
            pending.push_front(q);
        } else {
            pending.push_back(q);
        }
    }

    let bar_len = args.max_cards.map_or(pending.len() as u64, |m| {
        m.min(u64::try_from(pending.len()).unwrap_or(u64::MAX))
    });
    let ui = Ui::new(bar_len, global);
    for r in &rejected {
        ui.warn(&format!(
            "Skipping invalid application {}:\n  {}",
            r.application,
            r.problems.join("\n  ")
        ));
        ui.line(&json!({"event": "invalid", "application": r.application, "problems": r.problems}));
    }
    ui.say(&format!(
        "Queue {}: {} to issue, {} already issued, {} invalid. Journal: {}",
        args.queue.display(),
        pending.len(),
        already,
        rejected.len(),
        journal.path().display()
    ));

    let ctx = PcscContext::establish()?;
    let reader = pick_reader(
        &ctx,
        global.reader.as_deref().or(global.config.reader.as_deref()),
    )?;
    let _reader_lock = run_lock(&format!("reader {reader:?}"), &format!("reader:{reader}"))?;
    let mut batch = Batch {
        ctx,
        reader,
        keys,
        journal,
        ui: &ui,
        card_timeout: args.card_timeout.map(Duration::from_secs),
    };

    let mut issued_now = 0u64;
    let mut failed: Vec<Rejected> = Vec::new();
    let mut failures_by_app: BTreeMap<String, u32> = BTreeMap::new();
    let mut consecutive_failures = 0u32;
    let mut timed_out = false;
    let mut prompted_for: Option<String> = None;

    while let Some(q) = pending.front() {
        if args.max_cards.is_some_and(|m| issued_now >= m) {
            break;
        }
        let open = batch
            .journal
            .in_progress()?
            .into_iter()
            .find(|r| r.application == q.id);
        let prompt = match &open {
            Some(o) => format!(
                "Put back the card with chip serial {}: application {} (document {}) was being \
                 written on it and will be finished.",
                o.chip_serial,
                q.id,
                q.document_number()
            ),
            None => format!(
                "Insert a blank card for application {} (document {}).",
                q.id,
                q.document_number()
            ),
        };
        if prompted_for.as_deref() != Some(prompt.as_str()) {
            ui.say(&prompt);
            prompted_for = Some(prompt);
        }
        if let Wait::TimedOut = batch.wait_for_card()? {
            timed_out = true;
            ui.warn(&format!(
                "No card arrived within {} s: stopping. Run the batch again to go on.",
                args.card_timeout.unwrap_or_default()
            ));
            break;
        }
        let card_started = Instant::now();
        let done = batch.one_card(q, open.as_ref())?;
        ui.bar.set_message("");
        match done {
            Done::Issued(card) => {
                issued_now = issued_now.saturating_add(1);
                consecutive_failures = 0;
                ui.bar.inc(1);
                ui.line(&json!({
                    "event": "card",
                    "outcome": "issued",
                    "application": card.application,
                    "document_number": card.document_number,
                    "chip_serial": card.chip_serial,
                    "sod_sha256": card.sod_sha256,
                    "signer": card.signer,
                    "issued_at": card.issued_at,
                    "resumed": open.is_some(),
                    "millis": u64::try_from(card_started.elapsed().as_millis()).unwrap_or(u64::MAX),
                }));
                ui.say(&format!(
                    "Issued application {} (document {}) on chip {}. Remove the card.",
                    card.application, card.document_number, card.chip_serial
                ));
                pending.pop_front();
            }
            Done::Pulled => {
                ui.warn(&format!(
                    "The card left the reader before application {} was finished. Put the SAME \
                     card back in: it will be finished. (Do not use it for anything else.)",
                    q.id
                ));
            }
            Done::Refused(msg) => ui.warn(&msg),
            Done::Failed { reason, card_fault } => {
                consecutive_failures = consecutive_failures.saturating_add(1);
                ui.line(&json!({
                    "event": "card",
                    "outcome": "failed",
                    "application": q.id,
                    "document_number": q.document_number(),
                    "reason": reason,
                }));
                ui.warn(&format!(
                    "FAILED to issue application {} on this card: {reason}. The card is NOT \
                     locked: remove it and set it aside.",
                    q.id
                ));
                if consecutive_failures >= MAX_CONSECUTIVE_FAILURES {
                    ui.bar.abandon();
                    anyhow::bail!(
                        "{consecutive_failures} cards in a row failed (last: {reason}): check the \
                         station (keys, trust store, card batch) before going on; run the batch \
                         again to resume"
                    );
                }
                if !card_fault {
                    let n = failures_by_app.entry(q.id.clone()).or_insert(0);
                    *n = n.saturating_add(1);
                    if *n >= MAX_FAILURES_PER_APPLICATION
                        && let Some(q) = pending.pop_front()
                    {
                        ui.warn(&format!(
                            "Application {} failed on {} cards: set aside for this run.",
                            q.id, n
                        ));
                        failed.push(Rejected {
                            application: q.id,
                            problems: vec![reason],
                        });
                    }
                }
            }
        }
        batch.wait_for_removal()?;
    }
    ui.bar.finish_and_clear();

    let remaining = pending.len();
    let journal_total = batch.journal.issued()?.len();
    let exit = if !rejected.is_empty() || !failed.is_empty() {
        EXIT_INCOMPLETE
    } else if timed_out && remaining > 0 {
        EXIT_CARD_TIMEOUT
    } else {
        EXIT_OK
    };
    if global.json {
        to_stdout(
            &json!({
                "event": "summary",
                "issued": issued_now,
                "already_issued": already,
                "invalid": rejected,
                "failed": failed,
                "remaining": remaining,
                "journal_issued_total": journal_total,
                "seconds": started.elapsed().as_secs(),
                "exit_code": exit,
            })
            .to_string(),
        );
    }
    if global.verbosity >= 0 || exit != EXIT_OK {
        let mut text = format!(
            "Batch summary: {issued_now} issued now, {already} already issued before, {} \
             invalid, {} failed, {remaining} left in the queue ({} s). The journal holds {} \
             issued cards.",
            rejected.len(),
            failed.len(),
            started.elapsed().as_secs(),
            journal_total
        );
        for r in &rejected {
            text.push_str(&format!(
                "\n  invalid: {}: {}",
                r.application,
                r.problems.join("; ")
            ));
        }
        for r in &failed {
            text.push_str(&format!(
                "\n  failed:  {}: {}",
                r.application,
                r.problems.join("; ")
            ));
        }
        to_stderr(&text);
    }
    Ok(ExitCode::from(exit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specimens() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../cards/specimens")
    }

    #[test]
    fn queue_of_subdirectories_validates_and_lists_the_invalid_one() {
        let (valid, rejected) = scan_queue(&specimens()).unwrap();
        let ids: Vec<&str> = valid.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(ids, ["menikah-16", "nama-panjang", "pria", "wanita", "wna"]);
        assert_eq!(rejected.len(), 1);
        assert_eq!(rejected[0].application, "belum-kawin-16");
        assert!(rejected[0].problems[0].contains("not eligible"));
    }

    #[test]
    fn duplicate_document_numbers_reject_both_and_flat_files_work() {
        let dir = std::env::temp_dir().join(format!("ektp-batch-unit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let src = specimens().join("pria");
        for f in [
            "portrait.jpg",
            "signature.jpg",
            "right-index.fmr",
            "left-index.fmr",
        ] {
            std::fs::copy(src.join(f), dir.join(f)).unwrap();
        }
        let json = std::fs::read_to_string(src.join("application.json")).unwrap();
        std::fs::write(dir.join("a.json"), &json).unwrap();
        std::fs::write(dir.join("b.json"), &json).unwrap();
        std::fs::write(dir.join("c.json"), json.replace("IDA000001", "IDA000099")).unwrap();
        std::fs::write(dir.join("d.json"), "{ not json").unwrap();
        let (valid, rejected) = scan_queue(&dir).unwrap();
        assert_eq!(valid.len(), 1);
        assert_eq!(valid[0].id, "c.json");
        let names: Vec<&str> = rejected.iter().map(|r| r.application.as_str()).collect();
        assert_eq!(names, ["a.json", "b.json", "d.json"]);
        assert!(rejected[0].problems[0].contains("more than one application"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}

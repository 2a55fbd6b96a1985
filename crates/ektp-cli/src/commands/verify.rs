//! `ektp verify --can CAN --trust DIR`: the pickup desk. Every check with its reason; exit
//! status 0 only when all pass.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Instant, SystemTime};

use clap::Args;
use ektp::fingerprint::FingerprintReport;
use ektp::{Card, CheckKind, CheckResult, Message, Stats, VerifyPolicy, VerifyReport};

use crate::config::Global;
use crate::exit::{self, Fail, Tag};
use crate::finger::{FingerArgs, desk_check, load_captures};
use crate::output::{ms, print_json, report_text, stats_line, verdict};
use crate::station::{CanArgs, CardArgs, connect, load_application, load_trust, read_can};
use crate::terminal::{TerminalArgs, load_terminal};
use crate::text::{self, t};
use ektp_station::Journal;

/// `ektp verify` options.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub can: CanArgs,
    /// Trust store directory: department roots and CRLs [config: trust_dir]
    #[arg(long, value_name = "DIR")]
    pub trust: Option<PathBuf>,
    /// The application the card must carry (NIK, name, date of birth, document number, and
    /// every data group it determines, portrait and signature included)
    #[arg(long, value_name = "APPLICATION.json")]
    pub expect: Option<PathBuf>,
    /// The department's signed revocation list (DER CMS, `ektp registry
    /// export-revocations`), verified against --trust and refused when stale or not signed by
    /// a revocation signer [config: revocation_list]; without a list `not_revoked` is SKIP
    #[arg(long, value_name = "FILE", conflicts_with = "revoked")]
    pub revocation_list: Option<PathBuf>,
    /// TEST setups only: an UNSIGNED plain-text list, one revoked document number per line
    /// (a warning says so; desks use --revocation-list)
    #[arg(long, value_name = "FILE")]
    pub revoked: Option<PathBuf>,
    /// Refuse to verify without a revocation list [config: require_revocation_list]
    #[arg(long)]
    pub require_revoked: bool,
    /// The printing station's issuance journal: the card must be the one recorded as issued
    /// (same document number and EF.SOD) [config: journal]
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    #[command(flatten)]
    pub face: super::face::FaceArgs,
    #[command(flatten)]
    pub terminal: TerminalArgs,
    #[command(flatten)]
    pub finger: FingerArgs,
    #[command(flatten)]
    pub desk: super::verify_registry::DeskRegistryArgs,
    #[command(flatten)]
    pub card: CardArgs,
}

/// The journal check: passed, and why.
#[derive(Debug, Clone, serde::Serialize)]
pub struct JournalCheck {
    /// Whether the card is the one the journal records as issued.
    pub passed: bool,
    /// Why, in English.
    pub reason: String,
    /// Why, without a language (a `check-journal-…` id and its arguments).
    pub message: Message,
}

impl JournalCheck {
    fn new(passed: bool, message: Message) -> Self {
        let reason = ektp_i18n::Catalog::of(ektp_i18n::Lang::En).render(&message);
        Self {
            passed,
            reason,
            message,
        }
    }

    /// As a check of the report (for its report line).
    pub fn result(&self) -> CheckResult {
        CheckResult::new(CheckKind::Journal, self.passed, false, self.message.clone())
    }
}

/// Compares the card's document number and EF.SOD hash with the journal's record.
pub fn journal_check(
    journal: &Journal,
    document_number: Option<&str>,
    sod_sha256: Option<&str>,
) -> Result<JournalCheck, Fail> {
    let Some(doc) = document_number else {
        return Ok(JournalCheck::new(
            false,
            Message::new("check-journal-no-document"),
        ));
    };
    let issued = journal.find_issued(doc).or_config_said(|| {
        Message::new("cli-err-journal-read").arg("path", journal.path().display())
    })?;
    let Some(issued) = issued else {
        return Ok(JournalCheck::new(
            false,
            Message::new("check-journal-not-issued")
                .arg("doc", doc)
                .arg("path", journal.path().display()),
        ));
    };
    Ok(match sod_sha256 {
        Some(sod) if sod.eq_ignore_ascii_case(&issued.sod_sha256) => JournalCheck::new(
            true,
            Message::new("check-journal-ok")
                .arg("doc", doc)
                .arg("at", &issued.issued_at)
                .arg("chip", &issued.chip_serial),
        ),
        Some(_) => JournalCheck::new(
            false,
            Message::new("check-journal-other-sod").arg("doc", doc),
        ),
        None => JournalCheck::new(false, Message::new("check-journal-no-sod")),
    })
}

/// What the desk prints with `--json`: the library's report (its `passed` covering the journal
/// too), the journal check, and what crossed the wire. Printed with its keys in alphabetical
/// order (through `serde_json::Value`).
#[derive(serde::Serialize)]
struct DeskView<'a> {
    #[serde(flatten)]
    report: &'a VerifyReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    journal: Option<&'a JournalCheck>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fingerprint: Option<&'a FingerprintReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    registry: Option<&'a super::verify_registry::RegistryCheck>,
    stats: Stats,
    elapsed_us: u128,
}

/// Prints a report in text (stdout) and the failures' reasons on stderr.
pub fn print_report(report: &VerifyReport, journal: Option<&JournalCheck>, verbose: bool) {
    print!("{}", report_text(report));
    if let Some(j) = journal {
        println!("{}", crate::output::check_line(&j.result()));
    }
    if verbose && let Some(pa) = &report.passive_authentication {
        println!("\n{}", t("cli-pa-detail"));
        for line in crate::output::pa_lines(pa) {
            println!("  {line}");
        }
    }
}

/// The station journal of `--journal` or the config, if any.
fn open_journal(args: &VerifyArgs, global: &Global) -> Result<Option<Journal>, Fail> {
    let path = args
        .journal
        .clone()
        .or_else(|| global.config.journal.clone());
    path.as_deref()
        .map(|p| {
            Journal::open_read_only(p)
                .or_config_said(|| Message::new("cli-err-journal-open").arg("path", p.display()))
        })
        .transpose()
}

/// Whether PACE failed because the CAN is wrong (the card itself was not checked).
const fn wrong_can(report: &VerifyReport) -> bool {
    report.wrong_can
}

/// The e-KTP profile's wrong-CAN throttle (the chip does not say how many tries are left).
fn throttle() -> Option<ektp_lds::WrongCanThrottle> {
    ektp_lds::CardProfile::default_ektp().ok().map(|p| p.pace)
}

/// The verdict of a wrong CAN: what it means and what to do.
fn wrong_can_verdict() -> String {
    match throttle() {
        Some(th) => text::f(
            "cli-verdict-wrong-can",
            &[
                ("free", &th.free_attempts.to_string()),
                ("wait", &(th.delay_initial_ms / 1000).to_string()),
                ("max", &(th.delay_max_ms / 1000).to_string()),
            ],
        ),
        None => t("cli-verdict-wrong-can-plain"),
    }
}

/// The transport of `verify`, which says on stderr when the chip makes PACE wait because of
/// earlier wrong CANs (its answer to MSE:Set AT is delayed): the operator sees why the right
/// CAN takes seconds.
struct ThrottleWatch<T> {
    inner: T,
    speak: bool,
}

/// How long MSE:Set AT may take before the wait is the chip's throttle.
const THROTTLE_NOTICE_AFTER: std::time::Duration = std::time::Duration::from_millis(700);

impl<T> ThrottleWatch<T> {
    fn new(inner: T, speak: bool) -> Self {
        Self { inner, speak }
    }
}

impl<T: ektp_iso7816::CardTransport> ektp_iso7816::CardTransport for ThrottleWatch<T> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, ektp_iso7816::TransportError> {
        // MSE:Set AT for PACE: the throttled chip waits before answering it.
        if !self.speak || !command.starts_with(&[0x00, 0x22, 0xC1, 0xA4]) {
            return self.inner.transmit(command);
        }
        let (done, wait) = std::sync::mpsc::channel::<()>();
        let max = throttle().map_or(60, |t| t.delay_max_ms / 1000);
        let notice = std::thread::spawn(move || {
            if wait.recv_timeout(THROTTLE_NOTICE_AFTER).is_err() {
                eprintln!(
                    "{}",
                    text::f("cli-throttle-waiting", &[("max", &max.to_string())])
                );
                true
            } else {
                false
            }
        });
        let started = Instant::now();
        let answer = self.inner.transmit(command);
        let _ = done.send(());
        if notice.join().unwrap_or(false) {
            eprintln!(
                "{}",
                text::f(
                    "cli-throttle-waited",
                    &[("took", &crate::output::seconds(started.elapsed()))]
                )
            );
        }
        answer
    }

    fn reset(&mut self) -> Result<Vec<u8>, ektp_iso7816::TransportError> {
        self.inner.reset()
    }

    fn is_card_present(&mut self) -> Result<bool, ektp_iso7816::TransportError> {
        self.inner.is_card_present()
    }
}

/// Runs `ektp verify`.
pub fn run(args: &VerifyArgs, global: &Global) -> Result<ExitCode, Fail> {
    let can = read_can(&args.can)?;
    let trust = load_trust(args.trust.as_deref(), global)?;
    let revoked = super::revocation::for_verify(args, global, &trust)?;
    let expected = args.expect.as_deref().map(load_application).transpose()?;
    let journal = open_journal(args, global)?;
    let terminal = load_terminal(&args.terminal)?;
    let captures = load_captures(&args.finger)?;

    let transport = ThrottleWatch::new(connect(global, &args.card)?, global.verbosity >= 0);
    let mut card = Card::new(transport).map_err(Fail::card)?;
    let started = Instant::now();
    let policy = VerifyPolicy {
        trust: &trust,
        revoked: &revoked,
        expected: expected.as_ref(),
        at: SystemTime::now(),
    };
    let (mut report, files) = match &terminal {
        None => (card.verify(&can, &policy).map_err(Fail::card)?, None),
        Some(t) => card
            .verify_with_terminal(&can, &policy, &t.terminal())
            .map_err(Fail::card)?,
    };
    let fingerprint = desk_check(
        &mut report,
        files.as_ref(),
        terminal.is_some(),
        &captures,
        global,
    )?;
    drop(captures);
    let journal_result = match &journal {
        Some(j) => Some(journal_check(
            j,
            report.document_number.as_deref(),
            report.sod_sha256.as_deref(),
        )?),
        None => None,
    };
    let took = started.elapsed();
    let registry =
        super::verify_registry::check(&args.desk, global, &report, &revoked, fingerprint.as_ref())?;
    let passed = report.passed
        && journal_result.as_ref().is_none_or(|j| j.passed)
        && registry.as_ref().is_none_or(|r| r.passed);
    args.face.write_verified(&mut card, &can, &report, passed)?;

    if global.json {
        let view = DeskView {
            report: &VerifyReport {
                passed,
                ..report.clone()
            },
            journal: journal_result.as_ref(),
            fingerprint: fingerprint.as_ref(),
            registry: registry.as_ref(),
            stats: card.stats(),
            elapsed_us: took.as_micros(),
        };
        let v =
            serde_json::to_value(&view).or_config(|| "cannot serialize the report".to_owned())?;
        print_json(&v)?;
    } else {
        print_report(&report, journal_result.as_ref(), global.verbosity > 0);
        if let Some(r) = &registry {
            println!("{}", super::verify_registry::line(r));
        }
        print_verdict(&report, passed, took, &card.stats());
    }
    if passed {
        return Ok(exit::OK);
    }
    print_failures(&report, journal_result.as_ref(), registry.as_ref());
    Ok(ExitCode::from(exit::FAILED))
}

/// The verdict line: verified or not (a wrong CAN says what to do), the time and the wire.
fn print_verdict(report: &VerifyReport, passed: bool, took: std::time::Duration, stats: &Stats) {
    let verdict = if wrong_can(report) {
        wrong_can_verdict()
    } else {
        verdict(report, passed)
    };
    let line = text::f(
        "cli-verdict-line",
        &[
            ("verdict", &verdict),
            ("took", &ms(took)),
            ("stats", &stats_line(stats)),
        ],
    );
    println!("{line}");
}

/// Each failed check on stderr, `FAILED check: reason`.
fn print_failures(
    report: &VerifyReport,
    journal: Option<&JournalCheck>,
    registry: Option<&super::verify_registry::RegistryCheck>,
) {
    let failed = |check: CheckKind, message: &Message| {
        let check = crate::output::check_name(check);
        let reason = text::render(message);
        eprintln!(
            "{}",
            text::f("cli-failed-line", &[("check", &check), ("reason", &reason)])
        );
    };
    for c in report.checks.iter().filter(|c| !c.passed && !c.skipped) {
        failed(c.check, &c.message);
    }
    if let Some(j) = journal.filter(|j| !j.passed) {
        failed(CheckKind::Journal, &j.message);
    }
    if let Some(r) = registry.filter(|r| !r.passed) {
        let (check, reason) = (t("check-name-registry"), text::render(&r.message));
        eprintln!(
            "{}",
            text::f("cli-failed-line", &[("check", &check), ("reason", &reason)])
        );
    }
}

#[cfg(test)]
mod tests;

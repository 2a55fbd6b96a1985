//! `ektp verify --can CAN --trust DIR`: the pickup desk. Every check with its reason; exit
//! status 0 only when all pass.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Instant, SystemTime};

use clap::Args;
use ektp::{Card, RevocationList, VerifyPolicy, VerifyReport};
use serde_json::json;

use crate::config::Global;
use crate::exit::{self, Fail, Tag};
use crate::output::{check_name, ms, print_json, report_text, stats_line};
use crate::station::{CardArgs, connect, load_application, load_trust, parse_can};

/// `ektp verify` options.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The 6-digit card access number printed on the card
    #[arg(long, env = "EKTP_CAN", hide_env_values = true, value_name = "CAN")]
    pub can: String,
    /// Trust store directory: department roots and CRLs [config: trust_dir]
    #[arg(long, value_name = "DIR")]
    pub trust: Option<PathBuf>,
    /// The application the card must carry (NIK, name, date of birth, document number)
    #[arg(long, value_name = "APPLICATION.json")]
    pub expect: Option<PathBuf>,
    /// Revoked document numbers, one per line [config: revocation_list]
    #[arg(long, value_name = "FILE")]
    pub revoked: Option<PathBuf>,
    #[command(flatten)]
    pub card: CardArgs,
}

/// Prints a report in text (stdout) and the failures' reasons on stderr.
pub fn print_report(report: &VerifyReport, verbose: bool) {
    print!("{}", report_text(report));
    if verbose && let Some(pa) = &report.passive_authentication {
        println!("\nPassive Authentication in detail:");
        for line in pa.to_string().lines() {
            println!("  {line}");
        }
    }
}

fn load_revocations(path: Option<&Path>) -> Result<RevocationList, Fail> {
    match path {
        Some(p) => RevocationList::load(p)
            .or_config(|| format!("cannot load the revocation list {}", p.display())),
        None => Ok(RevocationList::new()),
    }
}

/// Runs `ektp verify`.
pub fn run(args: &VerifyArgs, global: &Global) -> Result<ExitCode, Fail> {
    let can = parse_can(&args.can)?;
    let trust = load_trust(args.trust.as_deref(), global)?;
    let revoked_path = args
        .revoked
        .clone()
        .or_else(|| global.config.revocation_list.clone());
    let revoked = load_revocations(revoked_path.as_deref())?;
    let expected = args.expect.as_deref().map(load_application).transpose()?;
    let transport = connect(global, &args.card)?;
    let mut card = Card::new(transport).map_err(Fail::card)?;
    let started = Instant::now();
    let policy = VerifyPolicy {
        trust: &trust,
        revoked: &revoked,
        expected: expected.as_ref(),
        at: SystemTime::now(),
    };
    let report = card.verify(&can, &policy).map_err(Fail::card)?;
    let took = started.elapsed();
    let passed = report.passed;

    if global.json {
        let mut v =
            serde_json::to_value(&report).or_config(|| "cannot serialize the report".to_owned())?;
        if let Some(obj) = v.as_object_mut() {
            obj.insert("passed".into(), passed.into());
            obj.insert("stats".into(), json!(card.stats()));
            obj.insert("elapsed_us".into(), json!(took.as_micros()));
        }
        print_json(&v)?;
    } else {
        print_report(&report, global.verbosity > 0);
        println!(
            "{} in {} ({})",
            if passed {
                "VERIFIED: every check passed"
            } else {
                "NOT VERIFIED: do not hand this card out"
            },
            ms(took),
            stats_line(&card.stats())
        );
    }
    if passed {
        return Ok(exit::OK);
    }
    for c in report.checks.iter().filter(|c| !c.passed) {
        eprintln!("FAILED {}: {}", check_name(c.check), c.reason);
    }
    Ok(ExitCode::from(exit::FAILED))
}

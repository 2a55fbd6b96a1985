//! `ektp journal list|show|export`: the station's reports, without `sqlite3`.
//!
//! The journal is opened READ-ONLY (a running batch, a copy or a read-only mount will do). The
//! reports never show a NIK.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use ektp_station::Journal;
use ektp_station::journal::{Record, RecordFilter, RecordState};

use crate::config::Global;
use crate::exit::{self, Fail, Tag as _};
use crate::output::to_stdout;
use crate::text::{f, t};
use ektp::Message;

/// `ektp journal` options.
#[derive(Debug, Args)]
pub struct JournalArgs {
    /// The station's issuance journal [default: `journal` in the station config]
    #[arg(long, global = true, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    #[command(subcommand)]
    pub command: JournalCommand,
}

/// What to report.
#[derive(Debug, Subcommand)]
pub enum JournalCommand {
    /// Every card written, by date: issued, failed, abandoned, superseded, in progress
    List(FilterArgs),
    /// Every row of one application id, document number or chip serial, in full
    Show {
        /// An application id, a document number or a chip serial (hex)
        #[arg(value_name = "APPLICATION|DOCUMENT|CHIP")]
        key: String,
    },
    /// The rows as CSV (default) or, with --json, a JSON array, for a spreadsheet or a report
    Export {
        #[command(flatten)]
        filter: FilterArgs,
        /// CSV with a header line (the default; --json gives JSON)
        #[arg(long)]
        csv: bool,
    },
}

/// Which rows.
#[derive(Debug, Clone, Args)]
pub struct FilterArgs {
    /// Only rows in this state: issued, failed, abandoned, superseded, in_progress
    #[arg(long, value_name = "STATE")]
    pub state: Option<String>,
    /// Only cards started on or after this day (YYYY-MM-DD, UTC)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only cards started on or before this day (YYYY-MM-DD, UTC)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

/// Runs `ektp journal`.
pub fn run(args: &JournalArgs, global: &Global) -> Result<ExitCode, Fail> {
    let path = args
        .journal
        .as_ref()
        .or(global.config.journal.as_ref())
        .ok_or_else(|| Fail::usage_said(Message::new("cli-err-no-journal")))?;
    let journal = Journal::open_read_only(path)
        .or_config_said(|| Message::new("cli-err-journal-open").arg("path", path.display()))?;
    let read = |filter: &RecordFilter| {
        journal
            .records(filter)
            .map_err(|e| Fail::from_anyhow(e.into()))
    };
    match &args.command {
        JournalCommand::List(f) => {
            let rows = read(&filter(f)?)?;
            if global.json {
                to_stdout(&json(&rows));
            } else {
                to_stdout(&table(&rows));
            }
        }
        JournalCommand::Show { key } => {
            let rows = read(&RecordFilter {
                key: Some(key.clone()),
                ..RecordFilter::default()
            })?;
            if rows.is_empty() {
                return Err(Fail::new(
                    exit::Kind::Failed,
                    anyhow::Error::new(exit::Said(
                        Message::new("cli-err-journal-no-card").arg("key", key),
                    )),
                ));
            }
            to_stdout(&if global.json {
                json(&rows)
            } else {
                details(&rows)
            });
        }
        JournalCommand::Export {
            filter: f,
            csv: as_csv,
        } => {
            if *as_csv && global.json {
                return Err(Fail::usage_said(Message::new("cli-err-export-both")));
            }
            let rows = read(&filter(f)?)?;
            to_stdout(&if global.json { json(&rows) } else { csv(&rows) });
        }
    }
    Ok(exit::OK)
}

/// The options as a filter; a bad state or date is a usage error.
fn filter(args: &FilterArgs) -> Result<RecordFilter, Fail> {
    let state = match &args.state {
        Some(s) => Some(RecordState::parse(s).ok_or_else(|| {
            Fail::usage_said(Message::new("cli-err-journal-state").arg("value", s))
        })?),
        None => None,
    };
    for (option, date) in [("--since", &args.since), ("--until", &args.until)] {
        if let Some(d) = date
            && !is_date(d)
        {
            return Err(Fail::usage_said(
                Message::new("cli-err-journal-day")
                    .arg("option", option)
                    .arg("value", d),
            ));
        }
    }
    Ok(RecordFilter {
        state,
        since: args.since.clone(),
        until: args.until.clone(),
        key: None,
    })
}

fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

fn json(rows: &[Record]) -> String {
    serde_json::to_string_pretty(rows).unwrap_or_default()
}

/// A state in the run's language (the JSON and CSV keep `RecordState::as_str`).
fn state_text(state: RecordState) -> String {
    t(&format!("station-state-{}", state.as_str()))
}

/// One line a row, by date, with a count per state at the end.
fn table(rows: &[Record]) -> String {
    let head = |k: &str| t(&format!("station-journal-head-{k}"));
    let mut out = format!(
        "{:<20}  {:<15}  {:<24}  {:<10}  {:<16}  {}\n",
        head("started"),
        head("state"),
        head("application"),
        head("document"),
        head("chip"),
        head("note")
    );
    for r in rows {
        let note = r.reason.clone().unwrap_or_default();
        out.push_str(&format!(
            "{:<20}  {:<15}  {:<24}  {:<10}  {:<16}  {note}\n",
            r.started_at,
            state_text(r.state),
            r.application,
            r.document_number,
            r.chip_serial
        ));
    }
    let count = |s: RecordState| rows.iter().filter(|r| r.state == s).count().to_string();
    out.push_str(&f(
        "station-journal-count",
        &[
            ("rows", &rows.len().to_string()),
            ("issued", &count(RecordState::Issued)),
            ("failed", &count(RecordState::Failed)),
            ("abandoned", &count(RecordState::Abandoned)),
            ("superseded", &count(RecordState::Superseded)),
            ("in_progress", &count(RecordState::InProgress)),
        ],
    ));
    out
}

/// Every field of every row.
fn details(rows: &[Record]) -> String {
    let mut out = Vec::new();
    for r in rows {
        let id = r.id.to_string();
        let state = state_text(r.state);
        let fields: [(&str, Option<&String>); 8] = [
            ("application", Some(&r.application)),
            ("document", Some(&r.document_number)),
            ("chip", Some(&r.chip_serial)),
            ("started", Some(&r.started_at)),
            ("finished", r.finished_at.as_ref()),
            ("sod", r.sod_sha256.as_ref()),
            ("signer", r.signer.as_ref()),
            ("reason", r.reason.as_ref()),
        ];
        let label = |k: &str| t(&format!("station-journal-{k}"));
        let width = fields
            .iter()
            .map(|(k, _)| label(k).chars().count())
            .max()
            .unwrap_or(0);
        let mut lines = vec![f("station-journal-row", &[("id", &id), ("state", &state)])];
        for (k, value) in fields {
            if let Some(v) = value {
                lines.push(format!("  {:<width$}  {v}", label(k)));
            }
        }
        out.push(lines.join("\n"));
    }
    out.join("\n\n")
}

/// CSV (RFC 4180) with a header line.
fn csv(rows: &[Record]) -> String {
    let mut out = String::from(
        "id,state,application,document_number,chip_serial,started_at,finished_at,sod_sha256,\
         signer,reason",
    );
    for r in rows {
        let id = r.id.to_string();
        let fields = [
            id.as_str(),
            r.state.as_str(),
            &r.application,
            &r.document_number,
            &r.chip_serial,
            &r.started_at,
            r.finished_at.as_deref().unwrap_or(""),
            r.sod_sha256.as_deref().unwrap_or(""),
            r.signer.as_deref().unwrap_or(""),
            r.reason.as_deref().unwrap_or(""),
        ];
        out.push('\n');
        out.push_str(
            &fields
                .iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
    }
    out
}

/// One CSV field: quoted when it must be, and never read as a formula by a spreadsheet.
fn csv_field(field: &str) -> String {
    let field = if field.starts_with(['=', '+', '-', '@']) {
        format!("'{field}")
    } else {
        field.to_owned()
    };
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"x\""), "\"say \"\"x\"\"\"");
        assert_eq!(csv_field("=cmd()"), "'=cmd()");
    }

    #[test]
    fn the_count_line_is_worded_for_the_count() {
        assert!(table(&[]).contains("0 rows: 0 issued"), "{}", table(&[]));
    }

    #[test]
    fn dates_and_states_are_checked() {
        assert!(is_date("2026-11-23"));
        assert!(!is_date("23-11-2026"));
        let bad = FilterArgs {
            state: Some("lost".into()),
            since: None,
            until: None,
        };
        assert!(filter(&bad).is_err());
        let ok = FilterArgs {
            state: Some("in-progress".into()),
            since: Some("2026-01-01".into()),
            until: None,
        };
        assert_eq!(filter(&ok).unwrap().state, Some(RecordState::InProgress));
    }
}

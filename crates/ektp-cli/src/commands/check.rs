//! `ektp check APPLICATION.json…`: validate applications without a card, so a station can
//! clean its queue before printing.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use ektp::Application;
use serde_json::json;

use crate::config::Global;
use crate::exit::{self, Fail};
use crate::output::print_json;

/// `ektp check` options.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Application files (JSON, format ektp-application/1)
    #[arg(required = true, value_name = "APPLICATION.json")]
    pub files: Vec<PathBuf>,
}

/// The result of checking one file.
type Checked<'a> = (&'a PathBuf, Result<Application, ektp_lds::ValidationErrors>);

fn result_json((path, r): &Checked<'_>) -> serde_json::Value {
    match r {
        Ok(app) => json!({
            "file": path,
            "valid": true,
            "document_number": app.holder.document_number.as_str(),
            "application_type": app.application_type.as_str(),
            "problems": [],
        }),
        Err(errors) => json!({
            "file": path,
            "valid": false,
            "age_refusal": errors.is_age_refusal(),
            "problems": errors.errors().iter().map(|e| json!({
                "field": e.field,
                "problem": e.problem.to_string(),
            })).collect::<Vec<_>>(),
        }),
    }
}

fn print_result((path, r): &Checked<'_>) {
    match r {
        Ok(app) => {
            let replaces = app
                .application_type
                .replaces()
                .map(|d| format!(", replaces {d}"))
                .unwrap_or_default();
            println!(
                "OK       {}  (document {}, {}{replaces})",
                path.display(),
                app.holder.document_number,
                app.application_type.as_str()
            );
        }
        Err(errors) => {
            println!(
                "INVALID  {}  ({})",
                path.display(),
                count(errors.errors().len(), "problem", "problems")
            );
            for e in errors.errors() {
                let field = if e.field.is_empty() {
                    "(document)"
                } else {
                    e.field.as_str()
                };
                println!("         {field}: {}", e.problem);
            }
        }
    }
}

/// Runs `ektp check`: exit 0 if every application is valid, 1 if any is not, 4 if a file
/// cannot be read.
pub fn run(args: &CheckArgs, global: &Global) -> Result<ExitCode, Fail> {
    let mut results = Vec::new();
    let mut invalid = 0usize;
    let mut unreadable = 0usize;
    for path in &args.files {
        // A file that cannot be read is the operator's to fix (exit 4), not an invalid
        // application (exit 1).
        if std::fs::metadata(path)
            .map(|m| !m.is_file())
            .unwrap_or(true)
        {
            unreadable = unreadable.saturating_add(1);
        }
        let result = ektp::load_application(path);
        if result.is_err() {
            invalid = invalid.saturating_add(1);
        }
        results.push((path, result));
    }
    if global.json {
        let list: Vec<serde_json::Value> = results.iter().map(result_json).collect();
        print_json(&list)?;
    } else {
        results.iter().for_each(print_result);
    }
    if invalid > 0 {
        if global.verbosity >= 0 {
            eprintln!(
                "{invalid} of {} invalid: fix the fields listed, then check again",
                count(results.len(), "application", "applications")
            );
        }
        if unreadable > 0 {
            if global.verbosity >= 0 {
                eprintln!(
                    "{} cannot be read: check the {}",
                    count(unreadable, "file", "files"),
                    if unreadable == 1 { "path" } else { "paths" }
                );
            }
            return Ok(ExitCode::from(exit::CONFIG));
        }
        Ok(ExitCode::from(exit::FAILED))
    } else {
        if global.verbosity >= 0 && !global.json {
            match results.len() {
                1 => eprintln!("1 application valid"),
                n => eprintln!("all {} valid", count(n, "application", "applications")),
            }
        }
        Ok(exit::OK)
    }
}

/// `n thing(s)` for a count of items.
fn count(n: usize, one: &str, many: &str) -> String {
    crate::output::plural(u64::try_from(n).unwrap_or(u64::MAX), one, many)
}

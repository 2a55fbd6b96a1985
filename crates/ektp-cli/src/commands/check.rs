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
use crate::text::{f, render, t};

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

/// The status word of a result, padded to line up the file names.
fn status(id: &str) -> String {
    let width = ["station-check-valid", "station-check-invalid"]
        .iter()
        .map(|k| t(k).chars().count())
        .max()
        .unwrap_or(0)
        .saturating_add(2);
    format!("{:<width$}", t(id))
}

fn print_result((path, r): &Checked<'_>) {
    match r {
        Ok(app) => {
            let doc = app.holder.document_number.to_string();
            let kind = app_type(app.application_type.as_str());
            let detail = match app.application_type.replaces() {
                Some(d) => f(
                    "station-check-valid-replaces",
                    &[("doc", &doc), ("type", &kind), ("replaced", &d.to_string())],
                ),
                None => f(
                    "station-check-valid-detail",
                    &[("doc", &doc), ("type", &kind)],
                ),
            };
            println!(
                "{}{}  {detail}",
                status("station-check-valid"),
                path.display()
            );
        }
        Err(errors) => {
            let n = errors.errors().len().to_string();
            println!(
                "{}{}  {}",
                status("station-check-invalid"),
                path.display(),
                f("station-check-problems", &[("count", &n)])
            );
            for e in errors.errors() {
                let field = if e.field.is_empty() {
                    t("station-check-document")
                } else {
                    e.field.clone()
                };
                println!("         {field}: {}", render(&e.problem.message()));
            }
        }
    }
}

/// An application type in words (`as_str` in JSON).
fn app_type(kind: &str) -> String {
    let id = format!("station-type-{kind}");
    let text = t(&id);
    if text == id { kind.to_owned() } else { text }
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
                "{}",
                f(
                    "station-check-some-invalid",
                    &[
                        ("invalid", &invalid.to_string()),
                        ("total", &results.len().to_string())
                    ]
                )
            );
        }
        if unreadable > 0 {
            if global.verbosity >= 0 {
                eprintln!(
                    "{}",
                    f(
                        "station-check-unreadable",
                        &[("count", &unreadable.to_string())]
                    )
                );
            }
            return Ok(ExitCode::from(exit::CONFIG));
        }
        Ok(ExitCode::from(exit::FAILED))
    } else {
        if global.verbosity >= 0 && !global.json {
            match results.len() {
                1 => eprintln!("{}", t("station-check-one-valid")),
                n => eprintln!(
                    "{}",
                    f("station-check-all-valid", &[("count", &n.to_string())])
                ),
            }
        }
        Ok(exit::OK)
    }
}

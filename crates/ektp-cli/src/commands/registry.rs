//! `ektp registry init|serve-status|export-revocations|import`: the operator's commands for
//! the issuance registry on PostgreSQL (`docs/registry.md`).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use clap::{Args, Subcommand};
use ektp_registry::Registry;
use serde_json::json;

use crate::config::Global;
use crate::exit::{self, Fail, Tag};
use crate::output::print_json;
use crate::text;
use ektp::Message;

/// `ektp registry` options.
#[derive(Debug, Args)]
pub struct RegistryArgs {
    /// The registry: `postgresql://user@host/db` or `host=… user=… dbname=…`
    /// [config: registry; env: EKTP_REGISTRY]
    #[arg(long, global = true, value_name = "URL", env = "EKTP_REGISTRY")]
    pub registry: Option<String>,
    #[command(subcommand)]
    pub command: RegistryCommand,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum RegistryCommand {
    /// Create or upgrade the schema (embedded migrations, applied in order) and the roles
    Init,
    /// Schema version and row counts; exit 0 only if the registry answers (for monitoring)
    ServeStatus,
    /// Sign every revoked document number into a dated revocation list (DER CMS) for desks
    /// and agencies
    ExportRevocations {
        /// The revocation list signer's private key (PKCS#8 PEM)
        #[arg(long, value_name = "FILE")]
        signer_key: PathBuf,
        /// The revocation list signer's certificate (issued by the CSCA)
        #[arg(long, value_name = "FILE")]
        signer_cert: PathBuf,
        /// The list's number (give each new list a larger one)
        #[arg(long, value_name = "N")]
        list_number: u64,
        /// Days until nextUpdate; desks refuse the list after it
        #[arg(long, value_name = "DAYS", default_value_t = 7)]
        valid_days: u64,
        /// Where to write the list (never overwritten)
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// An application's status (submitted, issued, ready, collected, refused, abandoned) by
    /// its id or the holder's NIK: what a desk or an applicant-facing system asks
    Status {
        /// The application id or the holder's NIK
        #[arg(value_name = "ID_OR_NIK")]
        id_or_nik: String,
    },
    /// Intake: register a queue's applications (id, NIK, type, the card replaced) so that
    /// stations may claim them; a lost card is revoked when its application is accepted
    Submit(super::registry_submit::SubmitArgs),
    /// Push a station journal's issued cards (idempotent: after an outage, or a station's
    /// history)
    Import {
        /// The station's journal [default: `journal` in the station config]
        #[arg(value_name = "JOURNAL")]
        journal: Option<PathBuf>,
    },
}

/// The registry URL of `--registry`, `EKTP_REGISTRY` or the config.
pub fn url(given: Option<&str>, global: &Global) -> Result<String, Fail> {
    given
        .map(str::to_owned)
        .or_else(|| global.config.registry.clone())
        .ok_or_else(|| Fail::usage_said(Message::new("cli-err-no-registry")))
}

/// Connects, saying what to do when the registry cannot be reached.
pub fn connect(url: &str) -> Result<Registry, Fail> {
    Registry::connect(url).or_config_said(|| Message::new("cli-err-registry-connect"))
}

/// Runs `ektp registry`.
pub fn run(args: &RegistryArgs, global: &Global) -> Result<ExitCode, Fail> {
    let url = url(args.registry.as_deref(), global)?;
    let mut reg = connect(&url)?;
    match &args.command {
        RegistryCommand::Init => {
            let applied = reg
                .migrate()
                .or_config_said(|| Message::new("cli-err-registry-migrate"))?;
            report(global, &json!({ "migrations_applied": applied }), || {
                text::f("cli-registry-ready", &[("applied", &applied.to_string())])
            })
        }
        RegistryCommand::ServeStatus => {
            let c = reg
                .counts()
                .or_config_said(|| Message::new("cli-err-registry-read"))?;
            let v = json!({
                "schema_version": c.schema_version, "applications": c.applications,
                "issued": c.issued, "handed_over": c.handed_over, "revoked": c.revoked,
            });
            report(global, &v, || {
                text::f(
                    "cli-registry-up",
                    &[
                        ("schema", &c.schema_version.to_string()),
                        ("applications", &c.applications.to_string()),
                        ("issued", &c.issued.to_string()),
                        ("handed", &c.handed_over.to_string()),
                        ("revoked", &c.revoked.to_string()),
                    ],
                )
            })
        }
        RegistryCommand::ExportRevocations {
            signer_key,
            signer_cert,
            list_number,
            valid_days,
            out,
        } => {
            let signer = ektp_pki::RingSigner::from_files(signer_key, signer_cert)
                .or_config_said(|| Message::new("cli-err-revocation-signer"))?;
            let validity = Duration::from_secs(valid_days.saturating_mul(86_400));
            let list = reg
                .export_revocations(&signer, *list_number, SystemTime::now(), validity)
                .or_config_said(|| Message::new("cli-err-revocation-export"))?;
            write_new(out, &list)?;
            report(
                global,
                &json!({ "out": out, "bytes": list.len(), "list_number": list_number }),
                || {
                    text::f(
                        "cli-registry-wrote",
                        &[
                            ("path", &out.display().to_string()),
                            ("bytes", &list.len().to_string()),
                        ],
                    )
                },
            )
        }
        RegistryCommand::Submit(a) => super::registry_submit::run(&mut reg, a, global),
        RegistryCommand::Status { id_or_nik } => status(&mut reg, id_or_nik, global),
        RegistryCommand::Import { journal } => import(&mut reg, journal.clone(), global),
    }
}

fn status(reg: &mut Registry, id_or_nik: &str, global: &Global) -> Result<ExitCode, Fail> {
    let apps = reg
        .applications(id_or_nik)
        .or_config_said(|| Message::new("cli-err-registry-read"))?;
    if apps.is_empty() {
        return Err(Fail::new(
            exit::Kind::Failed,
            anyhow::Error::new(exit::Said(Message::new("cli-err-no-such-application"))),
        ));
    }
    let v: Vec<_> = apps
        .iter()
        .map(|a| {
            json!({
                "application_id": a.application_id, "type": a.kind, "replaces": a.replaces,
                "status": a.status, "document_number": a.document_number,
            })
        })
        .collect();
    report(global, &json!({ "applications": v }), || {
        apps.iter()
            .map(|a| {
                let status = word("cli-registry-status", &a.status);
                let kind = word("cli-registry-type", &a.kind);
                match a.document_number.as_deref() {
                    Some(doc) => text::f(
                        "cli-registry-status-line-card",
                        &[
                            ("id", &a.application_id),
                            ("status", &status),
                            ("type", &kind),
                            ("doc", doc),
                        ],
                    ),
                    None => text::f(
                        "cli-registry-status-line",
                        &[
                            ("id", &a.application_id),
                            ("status", &status),
                            ("type", &kind),
                        ],
                    ),
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}

fn import(reg: &mut Registry, journal: Option<PathBuf>, global: &Global) -> Result<ExitCode, Fail> {
    let path = journal
        .or_else(|| global.config.journal.clone())
        .ok_or_else(|| Fail::usage_said(Message::new("cli-err-no-journal-arg")))?;
    let journal = ektp_station::Journal::open_read_only(&path)
        .or_config_said(|| Message::new("cli-err-journal-open").arg("path", path.display()))?;
    let r = ektp_station::sync(&journal, reg)
        .or_config_said(|| Message::new("cli-err-journal-read").arg("path", path.display()))?;
    let refused: Vec<_> = r
        .refused
        .iter()
        .map(|(doc, why)| json!({ "document_number": doc, "reason": why }))
        .collect();
    let v = json!({
        "pushed": r.pushed, "already": r.already, "refused": refused,
        "unreachable": r.unreachable,
    });
    let code = report(global, &v, || {
        let counts = [
            ("pushed", r.pushed.to_string()),
            ("already", r.already.to_string()),
            ("refused", r.refused.len().to_string()),
        ];
        let mut args: Vec<(&str, &str)> = counts.iter().map(|(k, v)| (*k, v.as_str())).collect();
        match &r.unreachable {
            Some(u) => {
                args.push(("why", u));
                text::f("cli-registry-imported-stopped", &args)
            }
            None => text::f("cli-registry-imported", &args),
        }
    })?;
    for (doc, why) in &r.refused {
        eprintln!(
            "{}",
            text::f("cli-registry-refused", &[("doc", doc), ("why", why)])
        );
    }
    Ok(if r.complete() {
        code
    } else {
        ExitCode::from(exit::FAILED)
    })
}

/// How long a batch waits before it tries an unreachable registry again.
const RETRY: Duration = Duration::from_secs(30);

/// The config's registry for a batch, if one is set: the batch claims each application in it
/// before the card and pushes each card right after it is journaled (`docs/registry.md`).
pub fn station_sink(global: &Global) -> Option<Box<dyn ektp_station::RegistrySink>> {
    let url = global.config.registry.as_deref()?;
    Some(Box::new(ektp_registry::StationSink::new(url, RETRY)))
}

/// After a batch: the catch-up push of the whole journal to the config's registry, if one is
/// set (the batch pushed each card as it went; this sends what an outage held back, and is a
/// no-op for rows already there). The journal stays the source of truth, so an unreachable
/// registry is a note, not a failure: the next batch or `ektp registry import` catches up.
pub fn push_journal(journal: &std::path::Path, global: &Global) {
    let Some(url) = global.config.registry.as_deref() else {
        return;
    };
    let outcome = ektp_station::Journal::open_read_only(journal)
        .map_err(|e| e.to_string())
        .and_then(|j| {
            let mut reg = Registry::connect(url).map_err(|e| e.to_string())?;
            ektp_station::sync(&j, &mut reg).map_err(|e| e.to_string())
        });
    match outcome {
        Ok(r) if r.complete() => eprintln!(
            "{}",
            text::f(
                "cli-registry-pushed",
                &[
                    ("pushed", &r.pushed.to_string()),
                    ("already", &r.already.to_string())
                ],
            )
        ),
        Ok(r) => eprintln!(
            "{}",
            text::f(
                "cli-registry-push-incomplete",
                &[
                    ("pushed", &r.pushed.to_string()),
                    ("refused", &r.refused.len().to_string()),
                    ("why", r.unreachable.as_deref().unwrap_or("-")),
                ],
            )
        ),
        Err(e) => eprintln!("{}", text::f("cli-registry-not-pushed", &[("why", &e)])),
    }
}

fn report(
    global: &Global,
    json: &serde_json::Value,
    text: impl FnOnce() -> String,
) -> Result<ExitCode, Fail> {
    if global.json {
        print_json(json)?;
    } else {
        println!("{}", text());
    }
    Ok(exit::OK)
}

fn write_new(path: &std::path::Path, bytes: &[u8]) -> Result<(), Fail> {
    let what = || Message::new("cli-err-write").arg("path", path.display());
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .or_config_said(what)?;
    std::io::Write::write_all(&mut f, bytes)
        .and_then(|()| f.sync_all())
        .or_config_said(what)
}

/// A registry value (`collected`, `data_change`, …) in the run's language: `PREFIX-VALUE` of
/// the catalogue, else the value itself (a value a newer registry added).
fn word(prefix: &str, value: &str) -> String {
    let id = format!("{prefix}-{value}");
    let said = text::t(&id);
    if said == id { value.to_owned() } else { said }
}

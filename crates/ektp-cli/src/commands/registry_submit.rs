//! `ektp registry submit QUEUE`: intake, the registry learns a queue's applications (id, NIK,
//! type, the card replaced) before a station may claim them.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use ektp_registry::{ApplicationType, Registry};
use serde_json::json;

use crate::config::Global;
use crate::exit::{self, Fail, Tag};
use crate::output::print_json;
use crate::text;
use ektp::Message;

/// `ektp registry submit` options.
#[derive(Debug, Args)]
pub struct SubmitArgs {
    /// The queue: a directory of applications (as `ektp batch` takes it; each application's id
    /// is its file or directory name)
    #[arg(value_name = "QUEUE")]
    pub queue: PathBuf,
    /// The application type
    #[arg(long = "type", value_enum, default_value_t = Kind::New)]
    pub kind: Kind,
    /// The document number of the card a replacement ends (queue of one application only)
    #[arg(long, value_name = "DOCUMENT_NUMBER")]
    pub replaces: Option<String>,
    /// Who accepted the applications (recorded with a lost card's revocation)
    #[arg(long, value_name = "NAME", default_value = "intake")]
    pub by: String,
}

/// The application types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// A first card
    New,
    /// The holder's data changed
    DataChange,
    /// The card is damaged
    Damaged,
    /// The card was lost (it is revoked when the application is accepted)
    Lost,
    /// The holder moved to another domicile
    DomicileChange,
}

impl From<Kind> for ApplicationType {
    fn from(k: Kind) -> Self {
        match k {
            Kind::New => Self::New,
            Kind::DataChange => Self::DataChange,
            Kind::Damaged => Self::Damaged,
            Kind::Lost => Self::Lost,
            Kind::DomicileChange => Self::DomicileChange,
        }
    }
}

/// Runs `ektp registry submit`: each valid application the registry does not know yet is
/// submitted; one it knows is counted, not submitted again.
pub fn run(reg: &mut Registry, args: &SubmitArgs, global: &Global) -> Result<ExitCode, Fail> {
    let queue = ektp_station::Queue::scan(&args.queue)
        .or_config_said(|| Message::new("cli-err-queue-read").arg("path", args.queue.display()))?;
    if (args.kind == Kind::New) != args.replaces.is_none() {
        return Err(Fail::usage_said(Message::new("cli-err-replaces-type")));
    }
    if args.replaces.is_some() && queue.valid.len() != 1 {
        return Err(Fail::usage_said(
            Message::new("cli-err-replaces-one").arg("valid", queue.valid.len()),
        ));
    }
    let (mut submitted, mut already) = (0usize, 0usize);
    for q in &queue.valid {
        let known = reg
            .applications(&q.id)
            .or_config_said(|| Message::new("cli-err-registry-read"))?;
        if known.iter().any(|a| a.application_id == q.id) {
            already = already.saturating_add(1);
            continue;
        }
        reg.submit_application(
            &q.id,
            q.app.holder.nik.as_str(),
            args.kind.into(),
            args.replaces.as_deref(),
            &args.by,
        )
        .or_config_said(|| Message::new("cli-err-registry-refused").arg("id", &q.id))?;
        submitted = submitted.saturating_add(1);
    }
    let invalid = queue.rejected.len();
    if global.json {
        print_json(&json!({ "submitted": submitted, "already": already, "invalid": invalid }))?;
    } else {
        println!(
            "{}",
            text::f(
                "cli-registry-submitted",
                &[
                    ("submitted", &submitted.to_string()),
                    ("already", &already.to_string()),
                    ("invalid", &invalid.to_string()),
                ],
            )
        );
    }
    Ok(if invalid == 0 {
        exit::OK
    } else {
        ExitCode::from(exit::FAILED)
    })
}

//! `ektp serve`: the local HTTP service for browser-based systems and the desk page
//! (`ektp-service`); this command only loads its configuration and starts it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use ektp::RevocationList;
use ektp_i18n::Message;
use ektp_service::{Cards, Config, DeskRegistry, DeskSetup, DeskTerminal, Token};

use crate::config::Global;
use crate::exit::{self, Fail, Said, Tag};
use crate::finger::threshold;
use crate::station::load_trust;
use crate::terminal::{TerminalArgs, load_terminal};
use crate::text;

/// `ektp serve` options.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Create a new per-installation token in --token-file (0600) and exit; give the token to
    /// the agency's system
    #[arg(long)]
    pub init: bool,
    /// The token file every request's token is checked against
    #[arg(long, value_name = "FILE", default_value = "ektp-serve.token")]
    pub token_file: PathBuf,
    /// Loopback address and port to listen on (port 0: any free port)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8765")]
    pub listen: SocketAddr,
    /// An origin whose pages may call the service (`https://bank.example`), exact; repeat
    /// for more. The desk page's own origin is always allowed
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    pub allow_origin: Vec<String>,
    /// Trust store directory for /api/verify [config: trust_dir]
    #[arg(long, value_name = "DIR")]
    pub trust: Option<PathBuf>,
    /// Revoked document numbers, one per line [config: revocation_list]
    #[arg(long, value_name = "FILE")]
    pub revoked: Option<PathBuf>,
    /// At most this many requests with a CAN per minute
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub can_attempts_per_minute: usize,
    /// Applications a card may be checked against (a station's queue layout: ID.json or
    /// ID/application.json); /api/verify's `application` names one by its id
    #[arg(long, value_name = "DIR")]
    pub applications: Option<PathBuf>,
    /// The issuance registry: /api/verify checks the card against it and records the
    /// handover after a PASS with the holder check [config: registry]
    #[arg(long, value_name = "URL")]
    pub registry: Option<String>,
    /// This desk's name, recorded with each handover
    #[arg(long, value_name = "NAME", default_value = "desk")]
    pub desk: String,
    /// With a terminal, the desk page offers the fingerprint step after the card checks pass
    #[command(flatten)]
    pub terminal: TerminalArgs,
}

/// Runs `ektp serve`.
pub fn run(args: &ServeArgs, global: &Global) -> Result<ExitCode, Fail> {
    let token_file = |id| Message::new(id).arg("path", args.token_file.display());
    if args.init {
        Token::create_file(&args.token_file)
            .or_config_said(|| token_file("op-serve-err-token-write"))?;
        let path = args.token_file.display().to_string();
        eprintln!("{}", text::f("op-serve-token-written", &[("path", &path)]));
        return Ok(exit::OK);
    }
    let token =
        Token::load(&args.token_file).or_config_said(|| token_file("op-serve-err-token-load"))?;
    let trust = if args.trust.is_some() || global.config.trust_dir.is_some() {
        Some(load_trust(args.trust.as_deref(), global)?)
    } else {
        None
    };
    let revoked = match args
        .revoked
        .clone()
        .or_else(|| global.config.revocation_list.clone())
    {
        Some(p) => RevocationList::load(&p)
            .or_config_said(|| Message::new("op-serve-err-revoked").arg("path", p.display()))?,
        None => RevocationList::new(),
    };
    let url_token = token.as_str().to_owned();
    let desk = desk_setup(args, global)?;
    let config = Config {
        listen: args.listen,
        token,
        allowed_origins: args.allow_origin.clone(),
        can_attempts_per_minute: args.can_attempts_per_minute,
        cards: Cards::new(global.reader.clone(), trust, revoked).with_desk(desk),
        lang: crate::text::lang(),
    };
    let listen = args.listen;
    ektp_service::run_blocking(config, |addr| {
        let url = format!("http://{addr}");
        println!("{}", text::f("op-serve-listening", &[("url", &url)]));
        let page = format!("{url}/?token={url_token}");
        println!("{}", text::f("op-serve-desk-page", &[("url", &page)]));
    })
    .map_err(|e| match e {
        ektp_service::Error::NotLoopback(_) => {
            Fail::config_said(Message::new("op-serve-not-loopback").arg("addr", listen))
        }
        other => Fail::config(anyhow::Error::new(other).context(Said(
            Message::new("op-serve-err-listen").arg("addr", listen),
        ))),
    })?;
    Ok(exit::OK)
}

/// The desk's further checks: applications, registry, terminal and the station's
/// fingerprint threshold and attempt limit (as `ektp verify` takes them).
fn desk_setup(args: &ServeArgs, global: &Global) -> Result<DeskSetup, Fail> {
    if let Some(dir) = &args.applications
        && !dir.is_dir()
    {
        return Err(Fail::usage_said(
            Message::new("op-serve-err-applications").arg("path", dir.display()),
        ));
    }
    let terminal = load_terminal(&args.terminal)?.map(|t| {
        let (chain, key) = t.into_parts();
        DeskTerminal {
            chain,
            signer: Box::new(key),
        }
    });
    let registry = args
        .registry
        .clone()
        .or_else(|| global.config.registry.clone())
        .map(|url| DeskRegistry {
            url,
            desk: args.desk.clone(),
        });
    let session = crate::finger::match_session(global)?;
    Ok(DeskSetup {
        applications: args.applications.clone(),
        registry,
        terminal,
        threshold: threshold(None, global),
        attempts: session.limit(),
    })
}

//! The options several commands share — `--json`, `-v`/`-q`, `--lang`, `--reader`, `--config` —
//! each an
//! option of exactly the commands that use it, so a command's `--help` lists only what it
//! takes.
//!
//! For the command lines the docs have always shown (`ektp --config F personalize …`), they
//! are also accepted before the command; given there to a command that does not use it, ektp
//! warns that it is ignored (scripts that give every command the same prefix keep working).

use std::path::PathBuf;

use clap::Args;
use ektp_i18n::Lang;

/// `--lang`: the language of what people read (text, errors, `--help`, the printout).
#[derive(Debug, Default, Clone, Args)]
pub struct LangOpt {
    /// Language of the text for people: id (Bahasa Indonesia) or en [default: from LC_ALL,
    /// LC_MESSAGES, LANG; English unless Indonesian]
    #[arg(long, value_name = "LANG", value_parser = crate::text::parse_lang)]
    pub lang: Option<Lang>,
}

/// `--json`.
#[derive(Debug, Default, Clone, Args)]
pub struct JsonOpt {
    /// Machine-readable JSON on stdout
    #[arg(long)]
    pub json: bool,
}

/// `-v`, `-q`.
#[derive(Debug, Default, Clone, Args)]
pub struct VerbosityOpt {
    /// More output on stderr (-v info, -vv APDU trace with timings, never data)
    #[arg(short, long, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Less output on stderr (errors only, no progress)
    #[arg(short, long, action = clap::ArgAction::Count, conflicts_with = "verbose")]
    pub quiet: u8,
}

/// `--json`, `-v`, `-q`, `--lang`: what a command that prints takes.
#[derive(Debug, Default, Clone, Args)]
pub struct OutputOpts {
    #[command(flatten)]
    pub json: JsonOpt,
    #[command(flatten)]
    pub verbosity: VerbosityOpt,
    #[command(flatten)]
    pub lang: LangOpt,
}

/// `--config`.
#[derive(Debug, Default, Clone, Args)]
pub struct ConfigOpt {
    /// Station configuration file (TOML: reader, signer key and certificate, trust store,
    /// master key file, journal, revocation list)
    #[arg(long, value_name = "FILE", env = "EKTP_CONFIG")]
    pub config: Option<PathBuf>,
}

/// `--reader`, `--config`: what a command that uses a card reader takes.
#[derive(Debug, Default, Clone, Args)]
pub struct StationOpts {
    /// PC/SC reader to use: its name or a unique part of it [default: the one reader with a
    /// card; config: reader]
    #[arg(long, value_name = "NAME")]
    pub reader: Option<String>,
    #[command(flatten)]
    pub config: ConfigOpt,
}

/// `--json`, `-v`, `-q`, `--lang` of a command group (`pki`, `cvc`): every command in it
/// takes them.
#[derive(Debug, Default, Clone, Args)]
pub struct GroupOutputOpts {
    /// Machine-readable JSON on stdout
    #[arg(long, global = true, display_order = 900)]
    pub json: bool,
    /// More output on stderr (-v info, -vv debug)
    #[arg(short, long, global = true, display_order = 901, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Less output on stderr (errors only)
    #[arg(
        short,
        long,
        global = true,
        display_order = 902,
        action = clap::ArgAction::Count,
        conflicts_with = "verbose"
    )]
    pub quiet: u8,
    /// Language of the text for people: id or en [default: from LC_ALL, LC_MESSAGES, LANG]
    #[arg(long, global = true, display_order = 903, value_name = "LANG", value_parser = crate::text::parse_lang)]
    pub lang: Option<Lang>,
}

/// The shared options given before the command (`ektp --config F personalize …`).
#[derive(Debug, Default, Clone, Args)]
pub struct BeforeCommand {
    /// PC/SC reader to use (personalize, batch, read, verify)
    #[arg(long, value_name = "NAME")]
    pub reader: Option<String>,
    /// Machine-readable JSON on stdout (every command but completions and man)
    #[arg(long)]
    pub json: bool,
    /// More output on stderr (-v info, -vv APDU trace with timings, never data)
    #[arg(short, long, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Less output on stderr (errors only, no progress)
    #[arg(short, long, action = clap::ArgAction::Count, conflicts_with = "verbose")]
    pub quiet: u8,
    /// Station configuration file (personalize, batch, journal, read, verify)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Language of the text for people: id or en (every command that prints)
    #[arg(long, value_name = "LANG", value_parser = crate::text::parse_lang)]
    pub lang: Option<Lang>,
}

/// The shared options a command takes, as given after it: `None` for one it does not take.
#[derive(Debug, Default)]
pub struct Taken {
    pub json: Option<bool>,
    pub verbosity: Option<(u8, u8)>,
    pub reader: Option<Option<String>>,
    pub config: Option<Option<PathBuf>>,
    pub lang: Option<Option<Lang>>,
}

impl Taken {
    /// `--json`, `-v`, `-q`.
    pub fn output(o: &OutputOpts) -> Self {
        Self {
            json: Some(o.json.json),
            verbosity: Some((o.verbosity.verbose, o.verbosity.quiet)),
            lang: Some(o.lang.lang),
            ..Self::default()
        }
    }

    /// The group's `--json`, `-v`, `-q`.
    pub fn group(o: &GroupOutputOpts) -> Self {
        Self {
            json: Some(o.json),
            verbosity: Some((o.verbose, o.quiet)),
            lang: Some(o.lang),
            ..Self::default()
        }
    }

    /// Adds `--reader`, `--config`.
    pub fn station(self, s: &StationOpts) -> Self {
        Self {
            reader: Some(s.reader.clone()),
            ..self.config(&s.config)
        }
    }

    /// Adds `--lang`.
    pub fn lang(self, l: &LangOpt) -> Self {
        Self {
            lang: Some(l.lang),
            ..self
        }
    }

    /// Adds `--config`.
    pub fn config(self, c: &ConfigOpt) -> Self {
        Self {
            config: Some(c.config.clone()),
            ..self
        }
    }
}

/// The shared options, merged.
#[derive(Debug, Default)]
pub struct Resolved {
    /// Options given before a command that does not use them (ignored, with a warning).
    pub ignored: Vec<&'static str>,
    pub reader: Option<String>,
    pub json: bool,
    pub verbose: u8,
    pub quiet: u8,
    pub config: Option<PathBuf>,
}

/// Merges the options given before `command` with those it took. An option given before a
/// command that does not use it is listed in [`Resolved::ignored`].
pub fn resolve(before: &BeforeCommand, taken: Taken, command: &str) -> Result<Resolved, String> {
    let mut ignored = Vec::new();
    if before.reader.is_some() && taken.reader.is_none() {
        ignored.push("--reader");
    }
    if before.config.is_some() && taken.config.is_none() {
        ignored.push("--config");
    }
    if before.json && taken.json.is_none() {
        ignored.push("--json");
    }
    if before.verbose > 0 && taken.verbosity.is_none() {
        ignored.push("-v");
    }
    if before.quiet > 0 && taken.verbosity.is_none() {
        ignored.push("-q");
    }
    if before.lang.is_some() && taken.lang.is_none() {
        ignored.push("--lang");
    }
    let (verbose, quiet) = taken.verbosity.unwrap_or_default();
    let verbose = verbose.saturating_add(before.verbose);
    let quiet = quiet.saturating_add(before.quiet);
    if verbose > 0 && quiet > 0 {
        return Err(format!(
            "-v and -q contradict each other: give one of them to `ektp {command}`"
        ));
    }
    Ok(Resolved {
        ignored,
        // Before the command, --config beats EKTP_CONFIG (which fills the command's own).
        config: before
            .config
            .clone()
            .filter(|_| taken.config.is_some())
            .or(taken.config.flatten()),
        reader: taken
            .reader
            .clone()
            .flatten()
            .or_else(|| before.reader.clone().filter(|_| taken.reader.is_some())),
        json: taken.json.is_some_and(|j| j || before.json),
        verbose,
        quiet,
    })
}

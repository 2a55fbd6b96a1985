#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod batch;
mod clap_text;
#[cfg(test)]
mod cli_tests;
mod commands;
mod config;
mod exit;
mod finger;
mod options;
mod output;
mod station;
mod terminal;
mod text;

use std::process::ExitCode;

use clap::{Args, CommandFactory, FromArgMatches as _, Parser, Subcommand};

use crate::config::{Config, Global};
use crate::exit::Fail;
use crate::options::{
    BeforeCommand, ConfigOpt, GroupOutputOpts, JsonOpt, LangOpt, OutputOpts, StationOpts, Taken,
};

/// The exit status table, shown by `ektp --help` and in the README.
const EXIT_CODES: &str = "\
Exit status:
  0  success (for verify: every check passed)
  1  verification or validation failed (a check failed, an application is invalid;
     for verify this includes a wrong CAN: the pace check fails)
  2  usage error (bad option or argument, something required not given)
  3  card or reader error (no PC/SC service, no reader, no card, card pulled; wrong CAN
     when reading or personalizing)
  4  configuration or file error (config, key, certificate, trust store, state file)
  20 PKCS#11 module not found or not loadable (--pkcs11-module, pkcs11_module)
  21 PKCS#11 token not present (the labels present are listed)
  22 wrong token PIN (tries left, if the token says)
  23 token PIN locked
  24 key not found on the token (the objects there are listed)
  25 the token's key does not fit its use (type, curve, not allowed to sign, certificate)
  26 bad pkcs11: URI, PIN file or PIN
  27 the token failed during an operation

Start with `ektp demo`: no reader and no pcscd needed.";

/// The ektp command: personalize, read and verify Indonesian e-KTP identity cards.
#[derive(Debug, Parser)]
#[command(
    name = "ektp",
    version,
    about = "Personalize, read and verify e-KTP identity cards (ICAO 9303 chip) over PC/SC",
    after_help = EXIT_CODES,
    propagate_version = true
)]
pub(crate) struct Cli {
    #[command(flatten)]
    global: BeforeCommand,
    #[command(subcommand)]
    command: Command,
}

/// `pki` and `cvc`: a group of commands that all take `--json`, `-v`, `-q`.
#[derive(Debug, Args)]
struct Group<C: Subcommand> {
    #[command(flatten)]
    out: GroupOutputOpts,
    #[command(subcommand)]
    cmd: C,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the PC/SC readers, whether each holds a card, and the card's ATR
    Readers {
        #[command(flatten)]
        out: OutputOpts,
    },
    /// TEST PKI and certificate tools
    Pki(Group<commands::pki::PkiCommand>),
    /// Terminal PKI for Extended Access Control: CVCA, DV and terminal CV certificates
    Cvc(Group<commands::cvc::CvcCommand>),
    /// Validate application files without a card (every problem, by field)
    Check {
        #[command(flatten)]
        args: commands::check::CheckArgs,
        #[command(flatten)]
        out: OutputOpts,
    },
    /// Personalize one blank card in the reader from an application file
    Personalize {
        #[command(flatten)]
        args: commands::personalize::PersonalizeArgs,
        #[command(flatten)]
        station: StationOpts,
        #[command(flatten)]
        out: OutputOpts,
    },
    /// Printing station: personalize a queue of applications, one card after another
    Batch {
        #[command(flatten)]
        args: batch::BatchArgs,
        #[command(flatten)]
        station: batch::ReaderOpts,
        #[command(flatten)]
        out: OutputOpts,
    },
    /// Printing station: report the journal (issued, failed, abandoned, in progress; by date)
    Journal {
        #[command(flatten)]
        args: commands::journal::JournalArgs,
        #[command(flatten)]
        config: ConfigOpt,
        #[command(flatten)]
        json: JsonOpt,
        #[command(flatten)]
        lang: LangOpt,
    },
    /// The issuance registry (PostgreSQL): init, serve-status, export-revocations, import
    Registry {
        #[command(flatten)]
        args: commands::registry::RegistryArgs,
        #[command(flatten)]
        config: ConfigOpt,
        #[command(flatten)]
        out: OutputOpts,
    },
    /// Read the card's data (PACE with the CAN): JSON or a readable summary
    Read {
        #[command(flatten)]
        args: commands::read::ReadArgs,
        #[command(flatten)]
        station: StationOpts,
        #[command(flatten)]
        out: OutputOpts,
    },
    /// Pickup desk: verify the card (signatures, chip genuine, not revoked, data matches)
    Verify {
        #[command(flatten)]
        args: commands::verify::VerifyArgs,
        #[command(flatten)]
        station: StationOpts,
        #[command(flatten)]
        out: OutputOpts,
    },
    /// Score two fingerprints (500 ppi PNG images or ISO/IEC 19794-2 records) with BOZORTH3
    Match {
        #[command(flatten)]
        args: commands::r#match::MatchArgs,
        #[command(flatten)]
        config: ConfigOpt,
        #[command(flatten)]
        out: OutputOpts,
    },
    /// Local HTTP service for browser-based systems and the pickup desk page (loopback,
    /// token, allowed origins)
    Serve {
        #[command(flatten)]
        args: commands::serve::ServeArgs,
        #[command(flatten)]
        station: StationOpts,
        #[command(flatten)]
        out: OutputOpts,
    },
    /// Serve a virtual e-KTP chip in pcscd's virtual reader (vpcd) until Ctrl-C
    Sim {
        #[command(flatten)]
        args: commands::sim::SimArgs,
        #[command(flatten)]
        out: OutputOpts,
    },
    /// Personalize, read and verify a virtual card in-process: no reader, no pcscd
    Demo {
        #[command(flatten)]
        out: OutputOpts,
    },
    /// Print shell completions
    Completions(commands::docs::CompletionsArgs),
    /// Print the man page (roff), or write one page per command into a directory
    Man(commands::docs::ManArgs),
}

impl Command {
    /// The command's name and the shared options it takes.
    fn taken(&self) -> (&'static str, Taken) {
        match self {
            Self::Readers { out } => ("readers", Taken::output(out)),
            Self::Pki(g) => ("pki", Taken::group(&g.out)),
            Self::Cvc(g) => ("cvc", Taken::group(&g.out)),
            Self::Check { out, .. } => ("check", Taken::output(out)),
            Self::Personalize { station, out, .. } => {
                ("personalize", Taken::output(out).station(station))
            }
            Self::Batch { station, out, .. } => {
                ("batch", Taken::output(out).station(&station.first()))
            }
            Self::Journal {
                config, json, lang, ..
            } => (
                "journal",
                Taken {
                    json: Some(json.json),
                    ..Taken::default()
                }
                .config(config)
                .lang(lang),
            ),
            Self::Registry { config, out, .. } => ("registry", Taken::output(out).config(config)),
            Self::Read { station, out, .. } => ("read", Taken::output(out).station(station)),
            Self::Verify { station, out, .. } => ("verify", Taken::output(out).station(station)),
            Self::Match { config, out, .. } => ("match", Taken::output(out).config(config)),
            Self::Serve { station, out, .. } => ("serve", Taken::output(out).station(station)),
            Self::Sim { out, .. } => ("sim", Taken::output(out)),
            Self::Demo { out } => ("demo", Taken::output(out)),
            Self::Completions(_) => ("completions", Taken::default()),
            Self::Man(_) => ("man", Taken::default()),
        }
    }
}

fn init_logging(verbosity: i8) {
    let default = match verbosity {
        i8::MIN..=-1 => "error",
        0 => "warn",
        1 => "info",
        2 => "info,ektp::apdu=debug,ektp::read=debug",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("EKTP_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    // A second initialisation (never happens in the binary) is harmless: ignore it.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(true)
        .try_init();
}

fn global_options(cli: &Cli) -> Result<Global, Fail> {
    let (name, taken) = cli.command.taken();
    let args = options::resolve(&cli.global, taken, name).map_err(Fail::usage)?;
    if args.quiet == 0 {
        for option in &args.ignored {
            eprintln!(
                "{}",
                text::f("cli-warn-ignored", &[("option", option), ("command", name)])
            );
        }
    }
    let config = match &args.config {
        Some(path) => Config::load(path).map_err(Fail::config)?,
        None => Config::default(),
    };
    let verbosity = i8::try_from(args.verbose)
        .unwrap_or(i8::MAX)
        .saturating_sub(i8::try_from(args.quiet).unwrap_or(i8::MAX));
    Ok(Global {
        reader: args.reader.clone().or_else(|| config.reader.clone()),
        json: args.json,
        verbosity,
        config,
    })
}

fn run(cli: Cli, global: &Global) -> Result<ExitCode, Fail> {
    init_logging(global.verbosity);
    match cli.command {
        Command::Readers { .. } => commands::readers::run(global),
        Command::Pki(g) => commands::pki::run(&g.cmd, global),
        Command::Cvc(g) => commands::cvc::run(&g.cmd, global),
        Command::Check { args, .. } => commands::check::run(&args, global),
        Command::Personalize { args, .. } => commands::personalize::run(&args, global),
        Command::Batch { args, station, .. } => batch::run(&args, &station.reader, global),
        Command::Journal { args, .. } => commands::journal::run(&args, global),
        Command::Registry { args, .. } => commands::registry::run(&args, global),
        Command::Read { args, .. } => commands::read::run(&args, global),
        Command::Verify { args, .. } => commands::verify::run(&args, global),
        Command::Match { args, .. } => commands::r#match::run(&args, global),
        Command::Serve { args, .. } => commands::serve::run(&args, global),
        Command::Sim { args, .. } => commands::sim::run(&args, global),
        Command::Demo { .. } => commands::demo::run(global),
        Command::Completions(args) => commands::docs::completions(&args, Cli::command()),
        Command::Man(args) => commands::docs::man(&args, Cli::command()),
    }
}

fn main() -> ExitCode {
    // The language first: --help and usage errors are in it too.
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    text::set(text::from_args(&argv));
    let parsed = clap_text::command()
        .try_get_matches_from(&argv)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print to stdout and succeed; usage errors exit 2 (with
            // `--json` also as a JSON error on stdout).
            clap_text::print(&e);
            return if e.use_stderr() {
                if std::env::args_os().any(|a| a == "--json") {
                    let text = e.kind().as_str().unwrap_or("usage error").to_owned();
                    let _ = exit::Fail::usage(text).report_as_json_only();
                }
                ExitCode::from(exit::USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let json = std::env::args_os().any(|a| a == "--json");
    let global = match global_options(&cli) {
        Ok(global) => global,
        Err(fail) => return fail.report_as(json),
    };
    let json = global.json;
    match run(cli, &global) {
        Ok(code) => code,
        Err(fail) => fail.report_as(json),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn help_lists_the_exit_codes() {
        let help = Cli::command().render_long_help().to_string();
        assert!(help.contains("Exit status:"), "{help}");
        assert!(help.contains("3  card or reader error"), "{help}");
    }

    #[test]
    fn verbosity_combines_v_and_q() {
        let cli = Cli::try_parse_from(["ektp", "-vv", "readers"]).unwrap();
        assert_eq!(global_options(&cli).unwrap().verbosity, 2);
        let cli = Cli::try_parse_from(["ektp", "-v", "readers", "-v"]).unwrap();
        assert_eq!(global_options(&cli).unwrap().verbosity, 2);
        let cli = Cli::try_parse_from(["ektp", "readers", "-q"]).unwrap();
        assert_eq!(global_options(&cli).unwrap().verbosity, -1);
        assert!(Cli::try_parse_from(["ektp", "-v", "-q", "readers"]).is_err());
        let cli = Cli::try_parse_from(["ektp", "-v", "readers", "-q"]).unwrap();
        assert!(global_options(&cli).is_err());
    }
}

#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod batch;
mod commands;
mod config;
mod exit;
mod output;
mod station;
mod terminal;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::config::{Config, Global};
use crate::exit::Fail;

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
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
struct GlobalArgs {
    /// PC/SC reader to use: its name or a unique part of it [default: the first reader with a card]
    #[arg(long, global = true, value_name = "NAME")]
    reader: Option<String>,
    /// Machine-readable JSON on stdout
    #[arg(long, global = true)]
    json: bool,
    /// More output on stderr (-v info, -vv APDU trace with timings, never data)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    /// Less output on stderr (errors only, no progress)
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "verbose")]
    quiet: u8,
    /// Station configuration file (TOML: reader, signer key and certificate, trust store,
    /// master key file, journal, revocation list)
    #[arg(long, global = true, value_name = "FILE", env = "EKTP_CONFIG")]
    config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the PC/SC readers, whether each holds a card, and the card's ATR
    Readers,
    /// TEST PKI and certificate tools
    #[command(subcommand)]
    Pki(commands::pki::PkiCommand),
    /// Terminal PKI for Extended Access Control: CVCA, DV and terminal CV certificates
    #[command(subcommand)]
    Cvc(commands::cvc::CvcCommand),
    /// Validate application files without a card (every problem, by field)
    Check(commands::check::CheckArgs),
    /// Personalize one blank card in the reader from an application file
    Personalize(commands::personalize::PersonalizeArgs),
    /// Printing station: personalize a queue of applications, one card after another
    Batch(batch::BatchArgs),
    /// Printing station: report the journal (issued, failed, abandoned, in progress; by date)
    Journal(commands::journal::JournalArgs),
    /// Read the card's data (PACE with the CAN): JSON or a readable summary
    Read(commands::read::ReadArgs),
    /// Pickup desk: verify the card (signatures, chip genuine, not revoked, data matches)
    Verify(commands::verify::VerifyArgs),
    /// Local HTTP service for browser-based systems and the pickup desk page (loopback,
    /// token, allowed origins)
    Serve(commands::serve::ServeArgs),
    /// Serve a virtual e-KTP chip in pcscd's virtual reader (vpcd) until Ctrl-C
    Sim(commands::sim::SimArgs),
    /// Personalize, read and verify a virtual card in-process: no reader, no pcscd
    Demo,
    /// Print shell completions
    Completions(commands::docs::CompletionsArgs),
    /// Print the man page (roff), or write one page per command into a directory
    Man(commands::docs::ManArgs),
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

fn global_options(args: &GlobalArgs) -> Result<Global, Fail> {
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

fn run(cli: Cli) -> Result<ExitCode, Fail> {
    let global = global_options(&cli.global)?;
    init_logging(global.verbosity);
    match cli.command {
        Command::Readers => commands::readers::run(&global),
        Command::Pki(cmd) => commands::pki::run(&cmd, &global),
        Command::Cvc(cmd) => commands::cvc::run(&cmd, &global),
        Command::Check(args) => commands::check::run(&args, &global),
        Command::Personalize(args) => commands::personalize::run(&args, &global),
        Command::Batch(args) => batch::run(&args, &global),
        Command::Journal(args) => commands::journal::run(&args, &global),
        Command::Read(args) => commands::read::run(&args, &global),
        Command::Verify(args) => commands::verify::run(&args, &global),
        Command::Serve(args) => commands::serve::run(&args, &global),
        Command::Sim(args) => commands::sim::run(&args, &global),
        Command::Demo => commands::demo::run(&global),
        Command::Completions(args) => commands::docs::completions(&args, Cli::command()),
        Command::Man(args) => commands::docs::man(&args, Cli::command()),
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print to stdout and succeed; usage errors exit 2 (with
            // `--json` also as a JSON error on stdout).
            let _ = e.print();
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
    let json = cli.global.json;
    match run(cli) {
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
        assert_eq!(global_options(&cli.global).unwrap().verbosity, 2);
        let cli = Cli::try_parse_from(["ektp", "readers", "-q"]).unwrap();
        assert_eq!(global_options(&cli.global).unwrap().verbosity, -1);
        assert!(Cli::try_parse_from(["ektp", "-v", "-q", "readers"]).is_err());
    }
}

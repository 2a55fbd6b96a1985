//! clap's own words in the run's language: in Indonesian, every command's about and every
//! argument's help come from the catalogue (`about-COMMAND`, `help-COMMAND-ARG` or `help-ARG`,
//! `value-NAME`), applied by walking the command tree; clap's headings and usage errors are
//! put into Indonesian here. In English nothing changes: the doc comments are the help.

use clap::error::{ContextKind, ErrorKind};
use clap::{Arg, Command, CommandFactory as _};
use ektp_i18n::{Catalog, Lang};

use crate::Cli;
use crate::text::{self, t};

/// The command line definition, in the run's language.
pub fn command() -> Command {
    let mut cmd = Cli::command();
    if !text::is_id() {
        return cmd;
    }
    cmd.build();
    localize(cmd, "")
}

/// `about-KEY` and the arguments' help of `cmd` (its key: the command path joined with `-`,
/// `ektp` for the top), then its subcommands.
fn localize(cmd: Command, parent: &str) -> Command {
    let catalog = Catalog::of(Lang::Id);
    let name = cmd.get_name().to_owned();
    let key = match parent {
        "" | "ektp" => name,
        p => format!("{p}-{name}"),
    };
    let mut cmd = cmd;
    let about_key = format!("about-{key}");
    if catalog.has(&about_key) {
        let about = catalog.get(&about_key);
        cmd = cmd.about(about.clone()).long_about(about);
    }
    let after_key = format!("after-help-{key}");
    if catalog.has(&after_key) {
        let after = catalog.get(&after_key);
        cmd = cmd.after_help(after.clone()).after_long_help(after);
    }
    let key_for_args = key.clone();
    cmd = cmd.mut_args(|arg| localize_arg(arg, &key_for_args));
    cmd.mut_subcommands(|sub| localize(sub, &key))
}

fn localize_arg(arg: Arg, command: &str) -> Arg {
    let catalog = Catalog::of(Lang::Id);
    let id = arg.get_id().as_str().to_owned();
    let mut arg = arg;
    if let Some(help) = arg_help(command, &id) {
        arg = arg.help(help.clone()).long_help(help);
        // Possible values with an English text each (`read --only`): the Indonesian help
        // names the values itself.
        if arg
            .get_possible_values()
            .iter()
            .any(|v| v.get_help().is_some())
        {
            arg = arg.hide_possible_values(true);
        }
    }
    // clap keeps value names as `&'static str` (without its `string` feature): the few
    // translated ones live for the run.
    let names: Option<Vec<&'static str>> = arg.get_value_names().map(|names| {
        names
            .iter()
            .map(|n| {
                let key = format!("value-{}", value_key(n.as_str()));
                if catalog.has(&key) {
                    &*catalog.get(&key).leak()
                } else {
                    &*n.as_str().to_owned().leak()
                }
            })
            .collect()
    });
    match names {
        Some(names) => arg.value_names(names),
        None => arg,
    }
}

/// The Indonesian help of argument `id` of `command`: `help-COMMAND-ID`, else `help-ID`.
pub fn arg_help(command: &str, id: &str) -> Option<String> {
    let catalog = Catalog::of(Lang::Id);
    [format!("help-{command}-{id}"), format!("help-{id}")]
        .into_iter()
        .find(|k| catalog.has(k))
        .map(|k| catalog.get(&k))
}

/// A value name as a catalogue key: letters and digits kept, anything else `_`.
fn value_key(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// clap's fixed words (headings, placeholders, the help and version flags' help) in the
/// run's language.
pub fn clap_words(s: &str) -> String {
    const KEYS: [&str; 15] = [
        "clap-help-more",
        "clap-help-summary",
        "clap-help-sub",
        "clap-help",
        "clap-version",
        "clap-usage",
        "clap-options-placeholder",
        "clap-command-placeholder",
        "clap-options",
        "clap-commands",
        "clap-arguments",
        "clap-default",
        "clap-possible-long",
        "clap-possible",
        "clap-more-info",
    ];
    if !text::is_id() {
        return s.to_owned();
    }
    let (en, id) = (Catalog::of(Lang::En), Catalog::of(Lang::Id));
    KEYS.iter()
        .fold(s.to_owned(), |acc, k| acc.replace(&en.get(k), &id.get(k)))
}

/// Prints a clap error (or `--help`, `--version`) as clap would, in the run's language.
pub fn print(e: &clap::Error) {
    if !text::is_id() {
        let _ = e.print();
        return;
    }
    let rendered = e.render().to_string();
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let words = clap_words(&rendered);
            if e.use_stderr() {
                eprint!("{words}");
            } else {
                print!("{words}");
            }
        }
        _ => {
            let usage = rendered
                .lines()
                .find(|l| l.starts_with("Usage:"))
                .map(|l| format!("{}\n\n", clap_words(l)))
                .unwrap_or_default();
            eprintln!(
                "{}: {}\n\n{usage}{}",
                t("cli-error"),
                usage_error(e),
                t("clap-more-info")
            );
        }
    }
}

/// The usage error in words: the common kinds by name, the rest as "wrong usage".
fn usage_error(e: &clap::Error) -> String {
    let get = |k| e.get(k).map(ToString::to_string).unwrap_or_default();
    let arg = get(ContextKind::InvalidArg);
    match e.kind() {
        ErrorKind::UnknownArgument => text::f("clap-err-unknown-arg", &[("arg", &arg)]),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let value = get(ContextKind::InvalidValue);
            if value.is_empty() {
                text::f("clap-err-missing-value", &[("arg", &arg)])
            } else {
                text::f(
                    "clap-err-invalid-value",
                    &[("value", &value), ("arg", &arg)],
                )
            }
        }
        ErrorKind::MissingRequiredArgument => text::f("clap-err-missing", &[("args", &arg)]),
        ErrorKind::InvalidSubcommand => text::f(
            "clap-err-unknown-command",
            &[("command", &get(ContextKind::InvalidSubcommand))],
        ),
        ErrorKind::ArgumentConflict => text::f(
            "clap-err-conflict",
            &[("arg", &arg), ("other", &get(ContextKind::PriorArg))],
        ),
        _ => t("clap-err-other"),
    }
}

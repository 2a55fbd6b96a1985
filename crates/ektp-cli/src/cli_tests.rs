//! Tests of the command line as a whole: each command's `--help` lists exactly the shared
//! options it uses, and every `ektp …` command line in the docs still parses.

use clap::{CommandFactory, Parser};

use super::{Cli, global_options};

/// The shared options; each command lists only those it uses.
const SHARED: [&str; 6] = [
    "--reader",
    "--config",
    "--json",
    "--verbose",
    "--quiet",
    "--lang",
];
const OUTPUT: &[&str] = &["--json", "--verbose", "--quiet", "--lang"];
const STATION: &[&str] = &[
    "--reader",
    "--config",
    "--json",
    "--verbose",
    "--quiet",
    "--lang",
];

/// The long option names a help text lists (the option column only, not the descriptions).
fn listed_options(help: &str) -> Vec<String> {
    help.lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with('-'))
        .filter_map(|l| l.split("  ").next())
        .flat_map(|names| {
            names
                .split([' ', ','])
                .filter(|w| w.starts_with("--"))
                .map(|w| w.trim_end_matches("...").to_owned())
                .collect::<Vec<_>>()
        })
        .collect()
}

fn help_of(path: &[&str]) -> String {
    let mut cmd = Cli::command();
    cmd.build();
    let mut sub = &mut cmd;
    for name in path {
        sub = sub
            .find_subcommand_mut(name)
            .unwrap_or_else(|| panic!("no command {path:?}"));
    }
    sub.render_long_help().to_string()
}

#[test]
fn each_command_lists_only_the_shared_options_it_uses() {
    let cvc: Vec<&str> = Cli::command()
        .find_subcommand("cvc")
        .unwrap()
        .get_subcommands()
        .map(|c| c.get_name().to_owned().leak() as &str)
        .collect();
    assert!(cvc.len() >= 6, "{cvc:?}");
    let mut cases: Vec<(Vec<&str>, &[&str])> = vec![
        (vec!["readers"], OUTPUT),
        (vec!["pki", "init"], OUTPUT),
        (vec!["pki", "show"], OUTPUT),
        (vec!["check"], OUTPUT),
        (vec!["personalize"], STATION),
        (vec!["batch"], STATION),
        (vec!["journal"], &["--config", "--json", "--lang"]),
        (
            vec!["registry"],
            &["--config", "--json", "--verbose", "--quiet", "--lang"],
        ),
        (vec!["read"], STATION),
        (vec!["verify"], STATION),
        (
            vec!["match"],
            &["--config", "--json", "--verbose", "--quiet", "--lang"],
        ),
        (vec!["serve"], STATION),
        (vec!["sim"], OUTPUT),
        (vec!["demo"], OUTPUT),
        (vec!["completions"], &[]),
        (vec!["man"], &[]),
    ];
    for name in &cvc {
        cases.push((vec!["cvc", name], OUTPUT));
    }
    // Every command is covered.
    for top in Cli::command().get_subcommands() {
        let name = top.get_name();
        assert!(
            cases.iter().any(|(path, _)| path[0] == name),
            "command {name} is not in the table"
        );
    }
    for (path, uses) in cases {
        let listed = listed_options(&help_of(&path));
        for option in SHARED {
            assert_eq!(
                listed.iter().any(|l| l == option),
                uses.contains(&option),
                "`ektp {}` --help and {option}: listed {listed:?}",
                path.join(" ")
            );
        }
    }
}

/// `--wait` says its default once (no clap `[default: …]` beside the text's own).
#[test]
fn wait_help_states_its_default_once() {
    for path in [["personalize"], ["read"], ["verify"]] {
        let help = help_of(&path);
        let start = help.find("--wait").unwrap();
        let entry = &help[start..];
        let end = entry.find("\n      -").unwrap_or(entry.len());
        let entry = &entry[..end];
        assert_eq!(entry.matches("default").count(), 1, "{path:?}: {entry}");
    }
}

#[test]
fn a_shared_option_before_a_command_that_ignores_it_is_ignored_with_a_warning() {
    let ignored = |argv: &[&str]| {
        let cli = Cli::try_parse_from(argv).unwrap();
        let (name, taken) = cli.command.taken();
        super::options::resolve(&cli.global, taken, name)
            .unwrap()
            .ignored
    };
    assert_eq!(ignored(&["ektp", "--reader", "X", "demo"]), ["--reader"]);
    assert_eq!(
        ignored(&["ektp", "--json", "-v", "completions", "bash"]),
        ["--json", "-v"]
    );
    assert_eq!(
        ignored(&["ektp", "--reader", "X", "--config", "c", "journal", "list"]),
        ["--reader"]
    );
    assert!(ignored(&["ektp", "--reader", "X", "verify"]).is_empty());
    let cli = Cli::try_parse_from(["ektp", "--reader", "X", "--json", "demo"]).unwrap();
    let g = global_options(&cli).unwrap();
    assert!(
        g.reader.is_none() && g.json,
        "an ignored option is not used"
    );
    // Before or after the command, the same thing.
    let before = Cli::try_parse_from(["ektp", "--reader", "X", "--json", "read"]).unwrap();
    let after = Cli::try_parse_from(["ektp", "read", "--reader", "X", "--json"]).unwrap();
    for cli in [before, after] {
        let g = global_options(&cli).unwrap();
        assert_eq!(g.reader.as_deref(), Some("X"));
        assert!(g.json);
    }
}

/// Splits a shell command line into words (single and double quotes; no expansion).
fn shell_words(line: &str) -> Vec<String> {
    let (mut words, mut word, mut quote, mut in_word) = (Vec::new(), String::new(), None, false);
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// The `ektp …` command lines in fenced code blocks of `text`: continuation lines joined, a
/// comment, pipe, redirection or second command cut off, `…` placeholders dropped.
fn doc_command_lines(text: &str) -> Vec<(usize, Vec<String>)> {
    let mut out: Vec<(usize, Vec<String>)> = Vec::new();
    let mut fenced = false;
    let mut pending: Option<(usize, String)> = None;
    for (n, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            continue;
        }
        let trimmed = line.trim().trim_start_matches("$ ");
        let (start, body) = match pending.take() {
            Some((start, acc)) => (start, format!("{acc} {trimmed}")),
            None => {
                let rest = trimmed
                    .strip_prefix("cargo run -p ektp-cli -- ")
                    .or_else(|| trimmed.strip_prefix("ektp "));
                match rest {
                    Some(r) if !r.starts_with('=') && !r.starts_with("is ") => {
                        (n.saturating_add(1), r.to_owned())
                    }
                    _ => continue,
                }
            }
        };
        if let Some(cont) = body.strip_suffix('\\') {
            pending = Some((start, cont.to_owned()));
            continue;
        }
        let mut cut = body.as_str();
        for stop in [" #", " |", " >", " 2>", " &", ";"] {
            if let Some(i) = cut.find(stop) {
                cut = &cut[..i];
            }
        }
        let words = shell_words(cut)
            .into_iter()
            .filter(|w| w != "…" && w != "...")
            .collect();
        out.push((start, words));
    }
    out
}

#[test]
fn every_command_line_in_the_docs_still_parses() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = vec![
        root.join("README.md"),
        root.join("crates/ektp-cli/README.md"),
    ];
    for e in std::fs::read_dir(root.join("docs")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            files.push(p);
        }
    }
    let (mut checked, mut failures) = (0, Vec::new());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (line, words) in doc_command_lines(&text) {
            checked += 1;
            let mut argv = vec!["ektp".to_owned()];
            argv.extend(words.iter().cloned());
            let problem = match Cli::try_parse_from(&argv) {
                Ok(cli) => global_options_usage(&cli),
                Err(e) if !e.use_stderr() => None,
                Err(e) => Some(e.kind().to_string()),
            };
            if let Some(p) = problem {
                failures.push(format!(
                    "{}:{line}: ektp {}: {p}",
                    file.display(),
                    words.join(" ")
                ));
            }
        }
    }
    assert!(checked >= 40, "only {checked} command lines found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A usage error of the shared options, or one the command would ignore (not an error of
/// loading the config file the line names).
fn global_options_usage(cli: &Cli) -> Option<String> {
    let (name, taken) = cli.command.taken();
    match super::options::resolve(&cli.global, taken, name) {
        Err(e) => Some(e),
        Ok(r) if !r.ignored.is_empty() => Some(format!("{:?} ignored by {name}", r.ignored)),
        Ok(_) => None,
    }
}

/// Issue 18: the desk's commands say everything in `--help` in Indonesian too: every
/// argument (the shared ones and clap's `--help`/`--version` included) has an Indonesian help
/// text in the catalogue, and every command (and every command of a group) an Indonesian
/// about.
#[test]
fn every_argument_of_the_desk_commands_has_an_indonesian_help() {
    let mut cmd = Cli::command();
    cmd.build();
    let mut missing = Vec::new();
    for name in ["verify", "read", "match"] {
        let sub = cmd.find_subcommand(name).unwrap();
        for arg in sub.get_arguments() {
            let id = arg.get_id().as_str();
            if super::clap_text::arg_help(name, id).is_none() {
                missing.push(format!("{name} {id}"));
            }
        }
    }
    let catalog = ektp_i18n::Catalog::of(ektp_i18n::Lang::Id);
    for sub in cmd.get_subcommands() {
        let key = format!("about-{}", sub.get_name());
        if !catalog.has(&key) {
            missing.push(key);
        }
        // `help` (clap's) mirrors every command as its subcommands.
        let inner = sub.get_subcommands().filter(|_| sub.get_name() != "help");
        for inner in inner.filter(|c| c.get_name() != "help") {
            let key = format!("about-{}-{}", sub.get_name(), inner.get_name());
            if !catalog.has(&key) {
                missing.push(key);
            }
        }
    }
    assert!(missing.is_empty(), "no Indonesian help: {missing:?}");
}

//! `ektp completions SHELL` and `ektp man`, generated from the clap definition.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use clap_complete::Shell;

use crate::exit::{self, Fail, Tag};

/// `ektp completions` options.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: Shell,
}

/// `ektp man` options.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write ektp.1 and one page per command (ektp-read.1, …) into this directory instead of
    /// printing ektp.1
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

/// Prints the completion script for `args.shell`.
pub fn completions(args: &CompletionsArgs, mut cmd: clap::Command) -> Result<ExitCode, Fail> {
    clap_complete::generate(args.shell, &mut cmd, "ektp", &mut std::io::stdout());
    Ok(exit::OK)
}

/// Prints the man page, or writes all pages into a directory.
pub fn man(args: &ManArgs, cmd: clap::Command) -> Result<ExitCode, Fail> {
    match &args.out_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .or_config(|| format!("cannot create {}", dir.display()))?;
            clap_mangen::generate_to(cmd, dir)
                .or_config(|| format!("cannot write man pages into {}", dir.display()))?;
            eprintln!("man pages written to {}", dir.display());
        }
        None => {
            clap_mangen::Man::new(cmd)
                .render(&mut std::io::stdout())
                .or_config(|| "cannot write the man page".to_owned())?;
        }
    }
    Ok(exit::OK)
}

//! The CAN: from a file, the command line or a no-echo prompt.

use super::*;

/// Largest CAN file read (6 digits, a newline, perhaps a comment).
pub(super) const MAX_CAN_FILE_LEN: u64 = 256;

/// Where the CAN comes from. It never has to be on the command line: in a terminal ektp asks
/// for it without echo, and scripts give `--can-file`.
#[derive(Debug, Clone, Args)]
pub struct CanArgs {
    /// The 6-digit card access number printed on the card; without it (and without
    /// EKTP_CAN or --can-file) ektp asks for it, without echo, when run in a terminal
    #[arg(long, env = "EKTP_CAN", hide_env_values = true, value_name = "CAN")]
    pub can: Option<String>,
    /// Read the CAN from FILE, for scripts (only its owner may be able to read it: chmod 600)
    #[arg(long, value_name = "FILE")]
    pub can_file: Option<PathBuf>,
}

/// The CAN: from `--can-file`, else `--can`/`EKTP_CAN`, else asked for on the terminal
/// without echo.
pub fn read_can(args: &CanArgs) -> Result<Can, Fail> {
    use std::io::IsTerminal as _;
    if let Some(path) = &args.can_file {
        let bytes = ektp_fs::read_secret(path, MAX_CAN_FILE_LEN).or_config_said(|| {
            ektp_i18n::Message::new("cli-err-can-file").arg("path", path.display())
        })?;
        let text = Zeroizing::new(String::from_utf8_lossy(&bytes).into_owned());
        let digits = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .unwrap_or("");
        return Can::new(digits).map_err(|_| {
            Fail::usage_said(
                ektp_i18n::Message::new("cli-err-can-file-digits").arg("path", path.display()),
            )
        });
    }
    if let Some(text) = &args.can {
        return parse_can(text);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Fail::usage_said(ektp_i18n::Message::new("cli-err-no-can")));
    }
    let typed = Zeroizing::new(
        rpassword::prompt_password("CAN (the 6 digits printed on the card): ")
            .map_err(|e| Fail::usage(format!("cannot read the CAN from the terminal: {e}")))?,
    );
    parse_can(&typed)
}

/// Parses the CAN given on the command line.
pub fn parse_can(text: &str) -> Result<Can, Fail> {
    Can::new(text.trim())
        .map_err(|_| Fail::usage_said(ektp_i18n::Message::new("cli-err-can-digits")))
}

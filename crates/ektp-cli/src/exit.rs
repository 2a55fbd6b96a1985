//! Exit statuses and the one-line error messages that say what to do.
//!
//! | status | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | verification or validation failed |
//! | 2 | usage error |
//! | 3 | card or reader error |
//! | 4 | configuration or file error |
//! | 20 | PKCS#11 module not found or not loadable |
//! | 21 | PKCS#11 token not present (or the URI names none) |
//! | 22 | wrong token PIN |
//! | 23 | token PIN locked |
//! | 24 | key not found on the token (or several match) |
//! | 25 | the token's key does not fit its use (type, curve, not allowed to sign, certificate) |
//! | 26 | bad PKCS#11 URI, PIN file or PIN |
//! | 27 | the token failed during an operation |
//!
//! `ektp batch` ends with 0 when every application was issued (or `--max-cards` reached with
//! nothing failed), 1 when some are invalid or failed, 3 when no card arrived within
//! `--card-timeout`, and stops with 3 or 4 as any command does.

use std::process::ExitCode;

use ektp_iso7816::TransportError;
use ektp_pcsc::PcscError;

mod words;
pub use words::Said;

/// Success.
pub const OK: ExitCode = ExitCode::SUCCESS;
/// Exit status 0: success.
pub const SUCCESS: u8 = 0;
/// Exit status 1: a verification or validation failed.
pub const FAILED: u8 = 1;
/// Exit status 2: bad usage.
pub const USAGE: u8 = 2;
/// Exit status 3: card or reader error.
pub const CARD: u8 = 3;
/// Exit status 4: configuration or file error.
pub const CONFIG: u8 = 4;
/// Exit status 20: the PKCS#11 module is not found or not loadable.
#[allow(dead_code)] // the documented table; set by `Pkcs11Error::exit_code`, checked in tests
pub const PKCS11_MODULE: u8 = 20;
/// Exit status 21: the token is not present.
#[allow(dead_code)] // the documented table; set by `Pkcs11Error::exit_code`, checked in tests
pub const TOKEN_NOT_PRESENT: u8 = 21;
/// Exit status 22: wrong token PIN.
#[allow(dead_code)] // the documented table; set by `Pkcs11Error::exit_code`, checked in tests
pub const WRONG_PIN: u8 = 22;
/// Exit status 23: token PIN locked.
#[allow(dead_code)] // the documented table; set by `Pkcs11Error::exit_code`, checked in tests
pub const PIN_LOCKED: u8 = 23;
/// Exit status 24: the key is not on the token.
#[allow(dead_code)] // the documented table; set by `Pkcs11Error::exit_code`, checked in tests
pub const KEY_NOT_FOUND: u8 = 24;
/// Exit status 25: the token's key does not fit its use.
#[allow(dead_code)] // the documented table; set by `Pkcs11Error::exit_code`, checked in tests
pub const KEY_UNSUITABLE: u8 = 25;
/// Exit status 26: bad PKCS#11 URI, PIN file or PIN.
#[allow(dead_code)] // the documented table; set by `Pkcs11Error::exit_code`, checked in tests
pub const PKCS11_INPUT: u8 = 26;
/// Exit status 27: the token failed during an operation.
#[allow(dead_code)] // the documented table; set by `Pkcs11Error::exit_code`, checked in tests
pub const TOKEN_FAILED: u8 = 27;

/// The exit status of a batch that ran to its end.
pub fn batch_status(status: ektp_station::Status) -> u8 {
    match status {
        ektp_station::Status::Complete => SUCCESS,
        ektp_station::Status::CardTimeout => CARD,
        _ => FAILED,
    }
}

/// What kind of failure, which decides the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 1: a check or validation failed.
    Failed,
    /// 2: usage.
    Usage,
    /// 3: card or reader.
    Card,
    /// 4: configuration or file.
    Config,
    /// 20–27: a PKCS#11 module, token, PIN or key ([`ektp_pkcs11::Pkcs11Error::exit_code`]).
    Token(u8),
}

impl Kind {
    /// The exit status.
    pub fn code(self) -> ExitCode {
        ExitCode::from(self.status())
    }

    /// The exit status as a number.
    pub fn status(self) -> u8 {
        match self {
            Kind::Failed => FAILED,
            Kind::Usage => USAGE,
            Kind::Card => CARD,
            Kind::Config => CONFIG,
            Kind::Token(code) => code,
        }
    }

    /// The kind's stable name in `--json` errors: `failed`, `usage`, `card`, `config`, `token`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Failed => "failed",
            Kind::Usage => "usage",
            Kind::Card => "card",
            Kind::Config => "config",
            Kind::Token(_) => "token",
        }
    }
}

/// A command failure: its kind and the error chain.
#[derive(Debug)]
pub struct Fail {
    /// The kind.
    pub kind: Kind,
    /// What went wrong.
    pub error: anyhow::Error,
}

impl Fail {
    /// A failure of `kind`.
    pub fn new(kind: Kind, error: impl Into<anyhow::Error>) -> Self {
        Self {
            kind,
            error: error.into(),
        }
    }

    /// A usage error with this message.
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Kind::Usage, anyhow::Error::msg(message.into()))
    }

    /// A configuration or file error.
    pub fn config(error: impl Into<anyhow::Error>) -> Self {
        Self::new(Kind::Config, error)
    }

    /// A card or reader error.
    pub fn card(error: impl Into<anyhow::Error>) -> Self {
        Self::new(Kind::Card, error)
    }

    /// A PKCS#11 module, token, PIN or key error, with its own exit status (20–27).
    pub fn token(error: ektp_pkcs11::Pkcs11Error) -> Self {
        Self::new(Kind::Token(error.exit_code()), error)
    }

    /// A usage error with this message (shown in the run's language).
    pub fn usage_said(message: ektp_i18n::Message) -> Self {
        Self::new(Kind::Usage, anyhow::Error::new(Said(message)))
    }

    /// A configuration or file error with this message (shown in the run's language).
    pub fn config_said(message: ektp_i18n::Message) -> Self {
        Self::new(Kind::Config, anyhow::Error::new(Said(message)))
    }

    /// A card or reader error with this message (shown in the run's language).
    pub fn card_said(message: ektp_i18n::Message) -> Self {
        Self::new(Kind::Card, anyhow::Error::new(Said(message)))
    }

    /// A failed check (exit 1) with this message.
    pub fn failed(message: impl Into<String>) -> Self {
        Self::new(Kind::Failed, anyhow::Error::msg(message.into()))
    }

    /// Classifies an error from code that only returns `anyhow` (card and reader errors are
    /// recognised in the chain; anything else counts as a configuration or file error).
    pub fn from_anyhow(error: anyhow::Error) -> Self {
        let token = error
            .chain()
            .find_map(|c| c.downcast_ref::<ektp_pkcs11::Pkcs11Error>())
            .map(ektp_pkcs11::Pkcs11Error::exit_code);
        let kind = if let Some(code) = token {
            Kind::Token(code)
        } else if is_card_error(&error) {
            Kind::Card
        } else {
            Kind::Config
        };
        Self { kind, error }
    }

    /// Prints the one-line message on stderr and returns the exit status.
    #[allow(dead_code)] // for callers that have no `--json`
    pub fn report(&self) -> ExitCode {
        self.report_as(false)
    }

    /// As [`Fail::report`]; with `json` (the `--json` option) the error also goes to stdout as
    /// `{"error": {"kind", "message", "exit"}}`, for the desk's or station's software.
    pub fn report_as(&self, json: bool) -> ExitCode {
        let text = message(&self.error);
        if crate::text::is_id() {
            let line = words::indonesian(&self.error, self.kind, hint(&self.error));
            eprintln!("{}: {line}", crate::text::t("cli-error"));
        } else {
            eprintln!("error: {text}");
        }
        if json {
            println!("{}", self.json(&text));
        }
        self.kind.code()
    }

    /// Only the `--json` error object on stdout (the message itself went to stderr already,
    /// as clap's usage errors do).
    pub fn report_as_json_only(&self) -> ExitCode {
        println!("{}", self.json(&message(&self.error)));
        self.kind.code()
    }

    /// The `--json` error object.
    fn json(&self, text: &str) -> serde_json::Value {
        serde_json::json!({
            "error": {
                "kind": self.kind.name(),
                "message": text,
                "exit": self.kind.status(),
            }
        })
    }
}

/// Tags a plain error with the kind of failure.
pub trait Tag<T> {
    /// A card or reader error.
    fn or_card(self) -> Result<T, Fail>;
    /// A configuration or file error, with what was being read.
    fn or_config(self, what: impl FnOnce() -> String) -> Result<T, Fail>;
    /// As [`Tag::or_config`], what was being read as a message in the run's language.
    fn or_config_said(self, what: impl FnOnce() -> ektp_i18n::Message) -> Result<T, Fail>;
}

impl<T, E: Into<anyhow::Error>> Tag<T> for Result<T, E> {
    fn or_card(self) -> Result<T, Fail> {
        self.map_err(Fail::card)
    }

    fn or_config(self, what: impl FnOnce() -> String) -> Result<T, Fail> {
        self.map_err(|e| Fail::config(e.into().context(what())))
    }

    fn or_config_said(self, what: impl FnOnce() -> ektp_i18n::Message) -> Result<T, Fail> {
        self.map_err(|e| Fail::config(e.into().context(Said(what()))))
    }
}

/// The PC/SC error somewhere in the chain, also inside transport errors (their `Backend`
/// variant is transparent, so it does not show as a separate link).
fn find_pcsc(error: &anyhow::Error) -> Option<&PcscError> {
    for cause in error.chain() {
        if let Some(p) = cause.downcast_ref::<PcscError>() {
            return Some(p);
        }
        let transport = cause
            .downcast_ref::<TransportError>()
            .or_else(|| match cause.downcast_ref::<ektp_iso7816::Error>() {
                Some(ektp_iso7816::Error::Transport(t)) => Some(t),
                _ => None,
            })
            .or_else(|| match cause.downcast_ref::<ektp::Error>() {
                Some(ektp::Error::Iso(ektp_iso7816::Error::Transport(t))) => Some(t),
                _ => None,
            });
        if let Some(TransportError::Backend(inner)) = transport
            && let Some(p) = inner.downcast_ref::<PcscError>()
        {
            return Some(p);
        }
    }
    None
}

fn find_transport(error: &anyhow::Error) -> Option<&TransportError> {
    error.chain().find_map(|cause| {
        cause.downcast_ref::<TransportError>().or_else(|| {
            match cause.downcast_ref::<ektp::Error>() {
                Some(ektp::Error::Iso(ektp_iso7816::Error::Transport(t))) => Some(t),
                _ => None,
            }
        })
    })
}

fn is_card_error(error: &anyhow::Error) -> bool {
    find_pcsc(error).is_some()
        || find_transport(error).is_some()
        || error.chain().any(|c| {
            // A revocation list or another file the host library reads is the operator's to
            // fix, not the card's.
            c.downcast_ref::<ektp::Error>().is_some_and(|e| {
                !matches!(
                    e,
                    ektp::Error::RevocationList(_)
                        | ektp::Error::Io { .. }
                        | ektp::Error::MasterKey(_)
                )
            }) || crate::commands::sim::is_vpcd_error(c)
        })
}

/// What to do about an error, when the error's own text does not say it: a message id
/// (`cli-hint-…`).
fn hint(error: &anyhow::Error) -> Option<&'static str> {
    if let Some(p) = find_pcsc(error) {
        return match p {
            PcscError::NoCard { .. } | PcscError::NoCardInAnyReader { .. } => {
                Some("cli-hint-insert")
            }
            PcscError::CardRemoved { .. } | PcscError::ResponseTooShort { .. } => {
                Some("cli-hint-put-back")
            }
            PcscError::SharingViolation { .. } => Some("cli-hint-close-other"),
            PcscError::UnknownReader { .. } => Some("cli-hint-readers"),
            _ => None,
        };
    }
    match find_transport(error) {
        Some(TransportError::NoCard { .. }) => {
            return Some("cli-hint-insert");
        }
        Some(TransportError::CardRemoved | TransportError::ResponseTooShort { .. }) => {
            return Some("cli-hint-put-back");
        }
        _ => {}
    }
    let malformed = error.chain().any(|c| {
        matches!(
            c.downcast_ref::<ektp::Error>(),
            Some(
                ektp::Error::Malformed { .. }
                    | ektp::Error::Lds(_)
                    | ektp::Error::Sm(_)
                    | ektp::Error::Iso(_)
                    | ektp::Error::FileTooLarge { .. }
            )
        )
    });
    malformed.then_some("cli-hint-malformed")
}

/// The error as one line: each link of the chain once (a link whose text the previous one
/// already contains is skipped), then the hint.
pub fn message(error: &anyhow::Error) -> String {
    if error
        .chain()
        .any(|c| matches!(c.downcast_ref::<ektp::Error>(), Some(ektp::Error::WrongCan)))
    {
        return "wrong CAN: check the 6 digits printed on the card".to_owned();
    }
    let mut parts: Vec<String> = Vec::new();
    for cause in error.chain() {
        let text = cause.to_string();
        let text = text.trim();
        if text.is_empty() || parts.last().is_some_and(|p| p.contains(text)) {
            continue;
        }
        // A TOML error points at the line and column with a drawing: keep its lines.
        if cause.downcast_ref::<toml::de::Error>().is_some() {
            parts.push(format!("\n  {}", text.replace('\n', "\n  ")));
        } else {
            parts.push(text.replace('\n', " "));
        }
    }
    let mut line = parts.join(": ").replace(": \n", ":\n");
    if let Some(h) = hint(error).map(|id| ektp_i18n::Catalog::of(ektp_i18n::Lang::En).get(id))
        && !line.contains(&h)
    {
        line.push_str(": ");
        line.push_str(&h);
    }
    line
}

#[cfg(test)]
mod tests;

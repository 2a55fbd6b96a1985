//! The words the command line shows people, in one language per run: `--lang`, else
//! `LC_ALL`/`LC_MESSAGES`/`LANG` (`ektp-i18n` owns the catalogues and the choice). JSON and
//! exit statuses never depend on it.

use std::ffi::OsString;
use std::sync::OnceLock;

use ektp_i18n::{Catalog, Lang, Message};

static LANG: OnceLock<Lang> = OnceLock::new();

/// The language of `--lang VALUE` or `--lang=VALUE` in `args`, else the environment's: read
/// before clap parses, so `--help` and usage errors are in it too (clap checks the value;
/// `options::resolve` warns when a command does not take it).
pub fn from_args(args: &[OsString]) -> Lang {
    let mut words = args.iter().filter_map(|a| a.to_str());
    while let Some(word) = words.next() {
        if word == "--" {
            break;
        }
        let value = if word == "--lang" {
            words.next()
        } else {
            word.strip_prefix("--lang=")
        };
        if let Some(lang) = value.and_then(Lang::parse) {
            return lang;
        }
    }
    Lang::from_env()
}

/// Sets the run's language (the first call wins).
pub fn set(lang: Lang) {
    let _ = LANG.set(lang);
}

/// The run's language.
pub fn lang() -> Lang {
    *LANG.get_or_init(Lang::from_env)
}

/// Whether the run speaks Indonesian.
pub fn is_id() -> bool {
    lang() == Lang::Id
}

/// The message `id`.
pub fn t(id: &str) -> String {
    Catalog::of(lang()).get(id)
}

/// The message `id` with named arguments.
pub fn f(id: &str, args: &[(&str, &str)]) -> String {
    Catalog::of(lang()).format(id, args)
}

/// A language-neutral message (a check's reason) in the run's language.
pub fn render(message: &Message) -> String {
    Catalog::of(lang()).render(message)
}

/// `--lang` values.
pub fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| f("cli-bad-lang", &[("value", s)]))
}

#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

mod message;
pub use message::{Arg, Message};

/// One catalogue file per area, the same files in each language: helpers working on different
/// areas never edit the same file.
macro_rules! catalogue {
    ($lang:literal) => {
        [
            include_str!(concat!("../locales/", $lang, "/face.ftl")),
            include_str!(concat!("../locales/", $lang, "/checks.ftl")),
            include_str!(concat!("../locales/", $lang, "/cli.ftl")),
            include_str!(concat!("../locales/", $lang, "/service.ftl")),
            include_str!(concat!("../locales/", $lang, "/station.ftl")),
            include_str!(concat!("../locales/", $lang, "/operator.ftl")),
        ]
    };
}

const EN: [&str; 6] = catalogue!("en");
const ID: [&str; 6] = catalogue!("id");

const fn sources(lang: Lang) -> &'static [&'static str; 6] {
    match lang {
        Lang::Id => &ID,
        Lang::En => &EN,
    }
}

/// An argument as Fluent sees it: a plain whole number (no sign, no leading zero, at most 15
/// digits) is a number, so that `NUMBER($n)` can choose a plural; anything else (a document
/// number, `007`, a path) stays text, shown as given.
fn value_of(value: &str) -> FluentValue<'static> {
    let number = !value.is_empty()
        && value.len() <= 15
        && value.bytes().all(|b| b.is_ascii_digit())
        && (value == "0" || !value.starts_with('0'));
    match value.parse::<u64>() {
        Ok(n) if number => FluentValue::from(n),
        _ => FluentValue::from(value.to_owned()),
    }
}

/// A language people read ektp in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Bahasa Indonesia.
    Id,
    /// English.
    En,
}

impl Lang {
    /// `id`/`id_ID…` → Indonesian, `en…` → English, anything else none.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_ascii_lowercase();
        if s == "id" || s.starts_with("id_") || s.starts_with("id-") {
            Some(Self::Id)
        } else if s == "en" || s.starts_with("en_") || s.starts_with("en-") {
            Some(Self::En)
        } else {
            None
        }
    }

    /// From `LC_ALL`, `LC_MESSAGES`, then `LANG` (the first one set and not empty, as POSIX
    /// does); English when that is not Indonesian.
    pub fn from_env() -> Self {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .and_then(|v| Self::parse(&v))
            .unwrap_or(Self::En)
    }

    /// The BCP 47 tag (`id`, `en`).
    pub const fn tag(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::En => "en",
        }
    }
}

/// One language's messages.
pub struct Catalog {
    bundle: FluentBundle<FluentResource>,
}

impl core::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Catalog")
    }
}

impl Catalog {
    /// The catalogue of `lang`. The catalogues are embedded and checked by this crate's tests,
    /// so a broken entry only drops that entry (its id is shown instead).
    pub fn new(lang: Lang) -> Self {
        let langid: unic_langid::LanguageIdentifier = lang.tag().parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![langid]);
        bundle.set_use_isolating(false);
        let _ = bundle.add_builtins();
        for source in sources(lang) {
            let resource = FluentResource::try_new((*source).to_owned()).unwrap_or_else(|(r, _)| r);
            let _ = bundle.add_resource(resource);
        }
        Self { bundle }
    }

    /// The catalogue of `lang`, made once per process.
    pub fn of(lang: Lang) -> &'static Self {
        static EN_CATALOG: OnceLock<Catalog> = OnceLock::new();
        static ID_CATALOG: OnceLock<Catalog> = OnceLock::new();
        match lang {
            Lang::En => EN_CATALOG.get_or_init(|| Self::new(Lang::En)),
            Lang::Id => ID_CATALOG.get_or_init(|| Self::new(Lang::Id)),
        }
    }

    /// Whether the catalogue has the message `id`.
    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }

    /// The message `id`, or `id` itself if the catalogue lacks it.
    pub fn get(&self, id: &str) -> String {
        self.format(id, &[])
    }

    /// The message `id` with its named arguments (`{ $name }` in the catalogue), or `id`
    /// itself if the catalogue lacks it. An argument the message uses but `args` lacks shows
    /// as `{$name}` ([`Catalog::check`] finds those).
    pub fn format(&self, id: &str, args: &[(&str, &str)]) -> String {
        self.try_format(id, args).unwrap_or_else(|_| id.to_owned())
    }

    /// As [`Catalog::format`], but says what went wrong: `Err` with the problems (the message
    /// is missing, or uses an argument not given).
    pub fn check(&self, id: &str, args: &[(&str, &str)]) -> Result<String, Vec<String>> {
        let mut errors = Vec::new();
        let text = self.try_format_into(id, args, &mut errors)?;
        if errors.is_empty() {
            Ok(text)
        } else {
            Err(errors)
        }
    }

    fn try_format(&self, id: &str, args: &[(&str, &str)]) -> Result<String, Vec<String>> {
        self.try_format_into(id, args, &mut Vec::new())
    }

    fn try_format_into(
        &self,
        id: &str,
        args: &[(&str, &str)],
        problems: &mut Vec<String>,
    ) -> Result<String, Vec<String>> {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return Err(vec![format!("{id}: no such message")]);
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value_of(value));
        }
        let mut errors = Vec::new();
        let text = self
            .bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned();
        problems.extend(errors.iter().map(|e| format!("{id}: {e}")));
        Ok(text)
    }

    /// A [`Message`] in this language: its nested messages first, then the message itself.
    pub fn render(&self, message: &Message) -> String {
        let rendered: Vec<(&str, String)> = message
            .args
            .iter()
            .map(|(name, arg)| (*name, self.render_arg(arg)))
            .collect();
        let args: Vec<(&str, &str)> = rendered.iter().map(|(n, v)| (*n, v.as_str())).collect();
        self.format(message.id, &args)
    }

    fn render_arg(&self, arg: &Arg) -> String {
        match arg {
            Arg::Text(t) => t.clone(),
            Arg::Msg(m) => self.render(m),
            Arg::List(items, sep) => items
                .iter()
                .map(|m| self.render(m))
                .collect::<Vec<_>>()
                .join(sep),
        }
    }

    /// Every message id of `lang`'s catalogue.
    pub fn ids(lang: Lang) -> Vec<String> {
        sources(lang)
            .iter()
            .flat_map(|s| s.lines())
            .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_owned()))
            .filter(|k| !k.is_empty() && !k.starts_with('#'))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_parse_and_have_the_same_messages() {
        for lang in [Lang::En, Lang::Id] {
            for src in sources(lang) {
                assert!(
                    FluentResource::try_new((*src).to_owned()).is_ok(),
                    "{lang:?}"
                );
            }
        }
        // The --help texts (help-*, about-*, value-*) are only in Indonesian: the English ones
        // are the clap definitions' doc comments.
        let shared = |lang| -> Vec<String> {
            Catalog::ids(lang)
                .into_iter()
                .filter(|k| {
                    !["help-", "about-", "value-"]
                        .iter()
                        .any(|p| k.starts_with(p))
                })
                .collect()
        };
        let (en, id) = (shared(Lang::En), shared(Lang::Id));
        assert_eq!(en, id);
        let (ce, ci) = (Catalog::new(Lang::En), Catalog::new(Lang::Id));
        for k in &en {
            assert!(ce.has(k), "{k} missing in en");
            assert!(ci.has(k), "{k} missing in id");
        }
        for k in Catalog::ids(Lang::Id) {
            assert!(ci.has(&k), "{k} does not parse in id");
        }
        assert_eq!(ci.get("printout-failed"), "JANGAN DISERAHKAN");
        assert_eq!(ce.get("printout-failed"), "DO NOT HAND OUT");
    }

    #[test]
    fn messages_take_named_plural_and_nested_arguments() {
        let (en, id) = (Catalog::of(Lang::En), Catalog::of(Lang::Id));
        let dg2 = Message::new("dg-label-2").arg("dg", "DG2");
        let m = Message::new("check-record-differs").list(
            "diffs",
            vec![
                Message::new("record-field-name"),
                Message::new("record-dg-not-read").msg("dg", dg2),
            ],
            "; ",
        );
        assert_eq!(
            en.render(&m),
            "chip data differs from the application: name; DG2 (portrait) was not read"
        );
        assert_eq!(
            id.render(&m),
            "data cip berbeda dari permohonan: nama; DG2 (pasfoto) tidak dibaca"
        );
        assert!(
            en.check("check-not-revoked-ok", &[]).is_err(),
            "missing $doc"
        );
        assert!(en.check("no-such-message", &[]).is_err());
        assert_eq!(
            en.check("check-not-revoked-ok", &[("doc", "IDA000001")]),
            Ok("document number IDA000001 is not revoked".to_owned())
        );
        let stats = |n: &str| {
            en.format(
                "cli-stats",
                &[
                    ("apdus", n),
                    ("sent", n),
                    ("received", "3"),
                    ("wire", "4.0 ms"),
                ],
            )
        };
        assert_eq!(
            stats("1"),
            "1 APDU, 1 byte sent, 3 received, 4.0 ms waiting for the card"
        );
        assert_eq!(
            stats("12"),
            "12 APDUs, 12 bytes sent, 3 received, 4.0 ms waiting for the card"
        );
    }

    #[test]
    fn languages_parse_as_lang_gives_them() {
        assert_eq!(Lang::parse("id_ID.UTF-8"), Some(Lang::Id));
        assert_eq!(Lang::parse("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::parse("id"), Some(Lang::Id));
        assert_eq!(Lang::parse("C.UTF-8"), None);
        assert_eq!(Lang::parse("idx"), None);
    }
}

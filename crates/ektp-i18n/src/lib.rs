#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

use fluent_bundle::{FluentBundle, FluentResource};

/// One catalogue file per area, the same files in each language: helpers working on different
/// areas never edit the same file.
macro_rules! catalogue {
    ($lang:literal) => {
        [
            include_str!(concat!("../locales/", $lang, "/face.ftl")),
            include_str!(concat!("../locales/", $lang, "/checks.ftl")),
            include_str!(concat!("../locales/", $lang, "/cli.ftl")),
            include_str!(concat!("../locales/", $lang, "/service.ftl")),
        ]
    };
}

const EN: [&str; 4] = catalogue!("en");
const ID: [&str; 4] = catalogue!("id");

const fn sources(lang: Lang) -> &'static [&'static str; 4] {
    match lang {
        Lang::Id => &ID,
        Lang::En => &EN,
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
        let mut bundle = FluentBundle::new(vec![langid]);
        bundle.set_use_isolating(false);
        for source in sources(lang) {
            let resource = FluentResource::try_new((*source).to_owned()).unwrap_or_else(|(r, _)| r);
            let _ = bundle.add_resource(resource);
        }
        Self { bundle }
    }

    /// The message `id`, or `id` itself if the catalogue lacks it.
    pub fn get(&self, id: &str) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_owned();
        };
        let mut errors = Vec::new();
        self.bundle
            .format_pattern(pattern, None, &mut errors)
            .into_owned()
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
        let (en, id) = (Catalog::ids(Lang::En), Catalog::ids(Lang::Id));
        assert_eq!(en, id);
        let (ce, ci) = (Catalog::new(Lang::En), Catalog::new(Lang::Id));
        for k in &en {
            assert_ne!(ce.get(k), *k, "{k} missing in en");
            assert_ne!(ci.get(k), *k, "{k} missing in id");
        }
        assert_eq!(ci.get("printout-failed"), "JANGAN DISERAHKAN");
        assert_eq!(ce.get("printout-failed"), "DO NOT HAND OUT");
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

//! Whether what people read has English left in it: the English vocabulary is every word of
//! four letters or more that the English catalogues (`ektp-i18n/locales/en/*.ftl`) use and the
//! Indonesian ones do not, less the names both languages write the same way.

use std::collections::BTreeSet;
use std::path::Path;

/// Names that are the same in both languages although only the English catalogue spells them
/// (none is an English sentence word): `json`, `ektp`, `apdus`, `crls`, `activate` (a
/// PKCS#11 term), `desk` (`--desk`'s default value, recorded by the registry), and command or
/// file names shown in usage lines: `match`, `list` (`journal list`), `link` (`cvc link`),
/// `current` (the file of a CVCA directory naming its CVCA).
pub const ALLOWED: &[&str] = &[
    "json", "ektp", "apdus", "crls", "activate", "desk", "match", "list", "link", "current",
];

/// The words of a text: runs of letters (with `_`, `-`, `.`, `/` inside a word, or `-` in
/// front, making it a name such as an option or a path, not a word), lower-cased, four letters
/// or more.
pub fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_alphanumeric() || "_-./".contains(c)))
        .map(|w| w.trim_end_matches('.'))
        .filter(|w| w.len() >= 4 && w.chars().all(|c| c.is_ascii_alphabetic()))
        .map(str::to_ascii_lowercase)
        .collect()
}

/// The words of every message in `locales/LANG/*.ftl` (values only, placeables removed).
fn catalogue_words(lang: &str) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../ektp-i18n/locales")
        .join(lang);
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
            let value = match line.split_once(" = ") {
                Some((_, v)) => v,
                None => line,
            };
            let mut plain = String::new();
            let mut depth = 0u32;
            for c in value.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth = depth.saturating_sub(1),
                    c if depth == 0 => plain.push(c),
                    _ => {}
                }
            }
            out.extend(words(&plain));
        }
    }
    out
}

/// The English vocabulary (see the module documentation).
pub fn english_vocabulary() -> BTreeSet<String> {
    let id = catalogue_words("id");
    catalogue_words("en")
        .into_iter()
        .filter(|w| !id.contains(w) && !ALLOWED.contains(&w.as_str()))
        .collect()
}

/// The words of `output` that are English (empty when there are none).
pub fn english_words_in(output: &str) -> Vec<String> {
    let english = english_vocabulary();
    assert!(
        english.len() > 200,
        "vocabulary too small: {}",
        english.len()
    );
    words(output)
        .into_iter()
        .filter(|w| english.contains(w))
        .collect()
}

/// Every message was found and given every argument it uses: no `{$arg}` left, no message id
/// (one of `prefixes`, such as `cli-`) shown in its place.
pub fn assert_rendered(what: &str, output: &str, prefixes: &[&str]) {
    for raw in ["{$", "{ $"].iter().chain(prefixes) {
        assert!(!output.contains(raw), "{what}: {raw:?} in:\n{output}");
    }
}

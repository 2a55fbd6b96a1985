//! Issue 18: every reason the library gives a check is a message id with language-neutral
//! arguments, and both catalogues (`ektp-i18n`'s `checks.ftl`) put each one into words with
//! exactly the arguments the library gives.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeSet;

use ektp::REASON_IDS;
use ektp_i18n::{Catalog, Lang};

#[test]
fn every_reason_id_is_in_both_catalogues_and_uses_only_the_arguments_given() {
    for (id, args) in REASON_IDS {
        let sample: Vec<(&str, &str)> = args.iter().map(|a| (*a, "X1")).collect();
        for lang in [Lang::En, Lang::Id] {
            let text = Catalog::of(lang)
                .check(id, &sample)
                .unwrap_or_else(|e| panic!("{lang:?} {id}: {e:?}"));
            assert!(!text.contains('{'), "{lang:?} {id}: {text}");
            assert!(!text.trim().is_empty(), "{lang:?} {id}");
        }
        // The Indonesian never shows the raw (English) detail of an error.
        if args.contains(&"detail") {
            let id_text = Catalog::of(Lang::Id)
                .check(id, &[("detail", "ENGLISH-DETAIL")])
                .unwrap_or_default();
            assert!(!id_text.contains("ENGLISH-DETAIL"), "{id}: {id_text}");
        }
    }
}

/// The message ids written in the library's source (string literals that look like one).
fn ids_in_source() -> BTreeSet<String> {
    const PREFIXES: [&str; 9] = [
        "check-",
        "record-",
        "dg-label",
        "pa-not-",
        "ta-",
        "finger-",
        "curve-",
        "country",
        "check-pa-",
    ];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut ids = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        // Only the code, not the unit tests at the bottom.
        let code = source.split("#[cfg(test)]").next().unwrap();
        for literal in code.split('"').skip(1).step_by(2) {
            let looks_like_id = PREFIXES.iter().any(|p| literal.starts_with(p))
                && literal
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_".contains(c));
            if looks_like_id {
                ids.insert(literal.to_owned());
            }
        }
    }
    ids
}

#[test]
fn the_list_of_reason_ids_is_every_id_the_library_uses() {
    let listed: BTreeSet<String> = REASON_IDS.iter().map(|(id, _)| (*id).to_owned()).collect();
    let used = ids_in_source();
    assert!(used.len() > 60, "{used:?}");
    let unlisted: Vec<&String> = used.difference(&listed).collect();
    assert!(
        unlisted.is_empty(),
        "used but not in REASON_IDS: {unlisted:?}"
    );
}

//! Issue 18 for the printing station: `ektp journal`, `check`, `batch`, `personalize` and
//! `registry` speak Indonesian under `LANG=id_ID.UTF-8` (their text, their errors and every
//! subcommand's `--help`) and English under `LANG=en_US.UTF-8`. The English vocabulary is
//! every word of the English catalogues that the Indonesian ones do not use (as in
//! `lang_cli.rs`, whose helpers are copied here).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::path::Path;
use std::process::Output;

mod common;
use common::*;

/// Runs `ektp ARGS` in `dir` under `LANG=lang`; checks the exit status; returns stdout and
/// stderr.
fn run_lang(dir: &Path, lang: &str, args: &[&str], want: i32) -> String {
    let o: Output = ektp()
        .current_dir(dir)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang)
        .args(args)
        .output()
        .unwrap();
    assert_eq!(code(&o), want, "LANG={lang} ektp {args:?}: {}", show(&o));
    format!("{}\n{}", stdout(&o), stderr(&o))
}

fn assert_all_messages_rendered(lang: &str, output: &str) {
    let prefixes = [
        "cli-", "check-", "clap-", "status-", "label-", "station-", "lds-",
    ];
    common::lang::assert_rendered(lang, output, &prefixes);
}

fn assert_no_english_words(lang: &str, output: &str) {
    let seen = common::lang::english_words_in(output);
    assert!(
        seen.is_empty(),
        "{lang}: English words {seen:?} in:\n{output}"
    );
}

/// A journal with an issued and a failed card.
fn journal(path: &Path) {
    let mut journal = ektp_station::Journal::open(path).unwrap();
    let start = |application, chip_serial, document_number| ektp_station::journal::Start {
        application,
        chip_serial,
        document_number,
        nik: "3171011708450001",
    };
    let id = journal
        .begin(&start("pria", "5354415430303031", "IDA000001"))
        .unwrap();
    let signer = ektp_station::SignerId {
        subject: "CN=DS1".into(),
        sha256: "00".repeat(32),
    };
    journal
        .finish_issued(id, &"ab".repeat(32), &signer)
        .unwrap();
    let id = journal
        .begin(&start("wanita", "5354415430303032", "IDA000002"))
        .unwrap();
    journal.finish_failed(id, "6A82").unwrap();
}

/// The station's commands without a card, in `lang`; everything printed.
fn station_flow(dir: &Path, lang: &str) -> String {
    let mut out = String::new();
    let mut go = |args: &[&str], want| out += &run_lang(dir, lang, args, want);
    let j = ["journal", "--journal", "journal.sqlite"];
    go(&[&j[..], &["list"]].concat(), 0);
    go(&[&j[..], &["show", "IDA000001"]].concat(), 0);
    go(&[&j[..], &["show", "IDA000002"]].concat(), 0);
    go(&[&j[..], &["show", "NOPE"]].concat(), 1);
    go(&[&j[..], &["list", "--state", "lost"]].concat(), 2);
    go(&["journal", "--journal", "none.sqlite", "list"], 4);
    let pria = specimen_path("pria");
    go(&["check", &pria], 0);
    go(&["check", &pria, "invalid.json"], 1);
    go(&["check", "no-such.json"], 4);
    for help in [
        "journal list",
        "journal show",
        "journal export",
        "check",
        "batch",
        "personalize",
        "registry init",
        "registry serve-status",
        "registry export-revocations",
        "registry status",
        "registry submit",
        "registry import",
    ] {
        let mut args: Vec<&str> = help.split(' ').collect();
        args.push("--help");
        go(&args, 0);
    }
    out
}

/// `ektp batch` on a queue of a valid and an invalid application, with no card coming to
/// reader 1 (its slot lock held): the queue, the invalid one's problems, the prompt, the
/// time-out and the summary; then without a journal.
fn batch(dir: &Path, lang: &str) -> String {
    let mut out = run_lang(
        dir,
        lang,
        &[
            "--reader",
            READER1,
            "batch",
            "antrean",
            "--journal",
            "batch.sqlite",
            "--signer-cert",
            "pki/ID-DS1-TEST-ONLY.crt.pem",
            "--signer-key",
            "pki/ID-DS1-TEST-ONLY.key.pem",
            "--trust",
            "pki/trust",
            "--test-master-key",
            "--card-timeout",
            "1",
        ],
        1,
    );
    out += &run_lang(dir, lang, &["batch", "antrean"], 4);
    out
}

#[test]
fn the_printing_station_speaks_indonesian() {
    let dir = TempDir::new("lang-station");
    journal(&dir.join("journal.sqlite"));
    // An application with a NIK that does not match its birth date and sex, and no name.
    let mut app: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(specimen_path("pria")).unwrap()).unwrap();
    app["holder"]["nik"] = "3171015708450001".into();
    app["holder"]["name"] = "".into();
    let base = specimen_dir("pria");
    for entry in std::fs::read_dir(&base).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, dir.join(p.file_name().unwrap().to_str().unwrap())).unwrap();
    }
    std::fs::write(dir.join("invalid.json"), app.to_string()).unwrap();

    assert_eq!(code(&run_in(dir.path(), &["pki", "init", "pki"])), 0);
    for (name, file) in [
        ("pria", specimen_path("pria")),
        ("bad", dir.s("invalid.json")),
    ] {
        let to = dir.join("antrean").join(name);
        std::fs::create_dir_all(&to).unwrap();
        for entry in std::fs::read_dir(&base).unwrap() {
            let p = entry.unwrap().path();
            std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
        }
        std::fs::copy(file, to.join("application.json")).unwrap();
    }
    let slot = lock(PORT1);
    assert!(!card_in(READER1), "a card is in {READER1}");
    let id_batch = batch(dir.path(), "id_ID.UTF-8");
    let en_batch = batch(dir.path(), "en_US.UTF-8");
    drop(slot);

    let id = station_flow(dir.path(), "id_ID.UTF-8") + &id_batch;
    assert_all_messages_rendered("id", &id);
    assert_no_english_words("id", &id);
    for phrase in [
        "diterbitkan",
        "TIDAK SAH",
        "jurnal none.sqlite",
        "Penggunaan:",
        "STATUS",
    ] {
        assert!(id.contains(phrase), "no {phrase:?} in:\n{id}");
    }
    let en = station_flow(dir.path(), "en_US.UTF-8") + &en_batch;
    assert_all_messages_rendered("en", &en);
    for phrase in [
        "issued",
        "INVALID",
        "Usage:",
        "Only rows in this state",
        "Insert a blank card for application pria",
        "Batch summary",
        "invalid: bad: holder.name: must not be empty",
    ] {
        assert!(
            en.contains(phrase),
            "no {phrase:?} in the English flow:\n{en}"
        );
    }
}

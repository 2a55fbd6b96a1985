//! Issue 18: an Indonesian clerk does the whole desk flow with `LANG=id_ID.UTF-8` (or
//! `--lang id`) without seeing English, through the real pcscd and a virtual card: verify a
//! good card (with the face and the printout), a revoked one, a wrong CAN, no card, a missing
//! trust store, read, match, `--help` and a usage error. The English vocabulary is every word
//! of the English catalogues that the Indonesian ones do not use; none may appear. JSON does
//! not change with the language.

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

/// How the language is chosen in one run of the flow.
#[derive(Clone, Copy, Debug)]
enum Choice {
    /// `LANG=id_ID.UTF-8`.
    EnvId,
    /// `LANG=C` and `--lang id`.
    FlagId,
    /// `LANG=en_US.UTF-8`.
    EnvEn,
}

/// Runs `ektp ARGS` in `dir` in the language of `choice`; checks the exit status.
fn run_as(dir: &Path, choice: Choice, args: &[&str], want: i32) -> Output {
    let mut c = ektp();
    c.current_dir(dir)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    let mut argv: Vec<&str> = Vec::new();
    match choice {
        Choice::EnvId => {
            c.env("LANG", "id_ID.UTF-8");
        }
        Choice::FlagId => {
            c.env("LANG", "C");
            argv.extend(["--lang", "id"]);
        }
        Choice::EnvEn => {
            c.env("LANG", "en_US.UTF-8");
        }
    }
    argv.extend(args);
    let o = c.args(&argv).output().unwrap();
    assert_eq!(code(&o), want, "{choice:?} ektp {argv:?}: {}", show(&o));
    o
}

/// The printout file of a flow.
fn printout(choice: Choice) -> String {
    format!("printout-{choice:?}.pdf")
}

/// The printout's text, as `pdftotext` (poppler-utils) reads it.
fn printout_text(dir: &Path, choice: Choice) -> String {
    let o = std::process::Command::new("pdftotext")
        .arg(dir.join(printout(choice)))
        .arg("-")
        .output()
        .expect("pdftotext (Debian poppler-utils, installed by .ci/test)");
    assert!(o.status.success(), "{}", show(&o));
    stdout(&o)
}

fn both(o: &Output) -> String {
    format!("{}\n{}", stdout(o), stderr(o))
}

/// The steps with a card in the reader; returns everything printed.
fn with_card(dir: &Path, choice: Choice) -> String {
    let good = [
        "--reader",
        READER0,
        "verify",
        "--can",
        "482915",
        "--trust",
        "pki/trust",
    ];
    let mut out = String::new();
    let mut face = good.to_vec();
    let pdf = printout(choice);
    face.extend(["--face", "face.png", "--pdf", &pdf]);
    out += &both(&run_as(dir, choice, &face, 0));
    let mut revoked = good.to_vec();
    revoked.extend(["--revoked", "revoked.txt"]);
    out += &both(&run_as(dir, choice, &revoked, 1));
    let mut wrong = good.to_vec();
    wrong[4] = "000000";
    out += &both(&run_as(dir, choice, &wrong, 1));
    let read = ["--reader", READER0, "read", "--can", "482915"];
    out += &both(&run_as(dir, choice, &read, 0));
    out
}

/// The steps without a card (and without one needed); returns everything printed.
fn without_card(dir: &Path, choice: Choice, fmr: &str) -> String {
    let mut out = String::new();
    let verify = [
        "--reader",
        READER0,
        "verify",
        "--can",
        "482915",
        "--trust",
        "pki/trust",
    ];
    out += &both(&run_as(dir, choice, &verify, 3));
    out += &both(&run_as(dir, choice, &["readers"], 0));
    let missing = ["verify", "--can", "482915", "--trust", "no-such-dir"];
    out += &both(&run_as(dir, choice, &missing, 4));
    out += &both(&run_as(dir, choice, &["match", fmr, fmr], 0));
    out += &both(&run_as(dir, choice, &["verify", "--help"], 0));
    out += &both(&run_as(dir, choice, &["read", "--help"], 0));
    out += &both(&run_as(dir, choice, &["match", "--help"], 0));
    out += &both(&run_as(dir, choice, &["verify", "--bogus"], 2));
    out += &both(&run_as(dir, choice, &["verify", "--trust"], 2));
    // A station operator's mistake, too.
    let app = specimen_path("pria");
    out += &both(&run_as(dir, choice, &["personalize", &app], 2));
    out
}

/// Every message was found and given every argument it uses: no id shown in its place, no
/// `{$arg}` left.
fn assert_all_messages_rendered(choice: Choice, output: &str) {
    let prefixes = ["cli-", "check-", "clap-", "status-", "label-"];
    lang::assert_rendered(&format!("{choice:?}"), output, &prefixes);
}

fn assert_no_english_words(choice: Choice, output: &str) {
    let seen = lang::english_words_in(output);
    assert!(
        seen.is_empty(),
        "{choice:?}: English words {seen:?} in:\n{output}"
    );
}

fn assert_no_english(choice: Choice, output: &str) {
    assert_all_messages_rendered(choice, output);
    assert_no_english_words(choice, output);
    for phrase in [
        "LULUS",
        "JANGAN DISERAHKAN",
        "ada di daftar pencabutan",
        "CAN salah",
        "tidak ada kartu",
        "berkas atau direktori tidak ada",
        "COCOK",
        "Penggunaan:",
        "tidak dikenal",
        "tidak ada kunci penanda tangan dokumen",
    ] {
        assert!(
            output.contains(phrase),
            "{choice:?}: no {phrase:?} in:\n{output}"
        );
    }
}

#[test]
fn an_indonesian_clerk_does_the_desk_flow_without_seeing_english() {
    let _slot = lock(PORT0);
    let dir = TempDir::new("flow");
    assert_eq!(code(&run(&["pki", "init", &dir.s("pki")])), 0);
    let app = specimen("pria");
    let state = dir.join("chip.json");
    issued_chip(&app, &dir.join("pki"), &state, *b"LANG0001");
    std::fs::write(
        dir.join("revoked.txt"),
        format!("{}\n", app.holder.document_number.as_str()),
    )
    .unwrap();
    let fmr = specimen_dir("pria").join("right-index.fmr");
    let fmr = fmr.to_string_lossy();

    let sim = Sim::start(PORT0, &state);
    let id_env = with_card(dir.path(), Choice::EnvId);
    let id_flag = with_card(dir.path(), Choice::FlagId);
    let en = with_card(dir.path(), Choice::EnvEn);
    // JSON is the same in every language (but for the times: how long it took, when PA ran).
    let json = |lang: &str| {
        let o = ektp()
            .current_dir(dir.path())
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", lang)
            .args(["--reader", READER0, "verify", "--json", "--can", "482915"])
            .args(["--trust", "pki/trust"])
            .output()
            .unwrap();
        assert_eq!(code(&o), 0, "{}", show(&o));
        let mut v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        let obj = v.as_object_mut().unwrap();
        obj.remove("elapsed_us");
        obj.remove("stats");
        if let Some(pa) = obj
            .get_mut("passive_authentication")
            .and_then(|p| p.as_object_mut())
        {
            pa.remove("checked_at");
        }
        v
    };
    let (json_id, json_c) = (json("id_ID.UTF-8"), json("C"));
    assert_eq!(json_id, json_c);
    assert_eq!(
        json_id["checks"][1]["message"]["id"], "check-pace-ok",
        "{json_id}"
    );
    drop(sim);

    let id_env = id_env + &without_card(dir.path(), Choice::EnvId, &fmr);
    let id_flag = id_flag + &without_card(dir.path(), Choice::FlagId, &fmr);
    let en = en + &without_card(dir.path(), Choice::EnvEn, &fmr);
    assert_no_english(Choice::EnvId, &id_env);
    assert_no_english(Choice::FlagId, &id_flag);
    for phrase in [
        "VERIFIED: every check made passed",
        "is on the revocation list",
        "NOT VERIFIED: wrong CAN",
        "no card in",
        "cannot load the trust store",
        "MATCH: score",
        "Usage:",
        "unexpected argument",
        "no document signer key",
    ] {
        assert!(
            en.contains(phrase),
            "no {phrase:?} in the English flow:\n{en}"
        );
    }
    assert!(!en.contains("LULUS"), "{en}");
    // The printout: every check's name and reason in the clerk's language too.
    for choice in [Choice::EnvId, Choice::FlagId] {
        let pdf = printout_text(dir.path(), choice);
        assert_no_english_words(choice, &pdf);
        assert!(pdf.contains("saluran aman terbentuk dengan CAN"), "{pdf}");
    }
    let pdf = printout_text(dir.path(), Choice::EnvEn);
    assert!(
        pdf.contains("secure channel established with the CAN"),
        "{pdf}"
    );
    assert_all_messages_rendered(Choice::EnvEn, &en);
}

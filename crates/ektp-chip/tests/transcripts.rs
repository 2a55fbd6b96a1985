//! APDU transcript tests: every file under `tests/transcripts/` is a script of commands and
//! the exact answers the chip must give.
//!
//! Script lines (blank lines and `#` comments ignored):
//!
//! | line | meaning |
//! |---|---|
//! | `@chip blank` / `@chip personalizing` / `@chip issued` | start from a fresh seeded chip in that state (`personalizing`: all sample files, AA key and CAN present, not locked) |
//! | `@perso` | GET CHALLENGE + EXTERNAL AUTHENTICATE with the TEST ONLY key (must succeed) |
//! | `@pace 123456` | PACE with that CAN (must succeed) |
//! | `@pace-fail 000000 6300` | PACE with that CAN must fail with that status word |
//! | `@reset` | warm reset |
//! | `> hex` | a raw command APDU, sent as is |
//! | `s> hex` | a command APDU the test terminal protects with its SM session before sending |
//! | `< hex` | the exact raw response expected (after `>`), or the unprotected response (after `s>`) |
//!
//! In `<` lines, `?N` stands for any N bytes (random data such as a challenge).
#![allow(
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use std::path::Path;

use ektp_chip::card::Card;
use ektp_iso7816::{CommandApdu, StatusWord};
use support::{Host, blank, issued, personalizing, sw};

/// One expected-response pattern element.
enum Pat {
    Bytes(Vec<u8>),
    Any(usize),
}

fn parse_pattern(s: &str) -> Vec<Pat> {
    s.split_whitespace()
        .map(|tok| match tok.strip_prefix('?') {
            Some(n) => Pat::Any(n.parse().expect("?N")),
            None => Pat::Bytes(hex::decode(tok).expect("hex in < line")),
        })
        .collect()
}

fn matches(pat: &[Pat], got: &[u8]) -> bool {
    let mut at = 0usize;
    for p in pat {
        match p {
            Pat::Bytes(b) => {
                if got.get(at..at + b.len()) != Some(b.as_slice()) {
                    return false;
                }
                at += b.len();
            }
            Pat::Any(n) => at += n,
        }
    }
    at == got.len()
}

fn hexs(s: &str) -> Vec<u8> {
    hex::decode(s.split_whitespace().collect::<String>()).expect("hex")
}

fn run(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    let mut host: Option<Host> = None;
    let mut last: Option<(usize, Vec<u8>)> = None;
    let mut checked = 0;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        let lineno = n + 1;
        let here = format!("{}:{lineno}", path.display());
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (op, rest) = line.split_once(' ').unwrap_or((line, ""));
        let rest = rest.trim();
        match op {
            "@chip" => {
                let chip = match rest {
                    "blank" => blank(),
                    "personalizing" => personalizing(),
                    "issued" => issued(),
                    other => panic!("{here}: unknown chip state {other}"),
                };
                host = Some(Host::new(chip));
                last = None;
            }
            "@perso" => host.as_mut().expect("@chip first").perso_auth().unwrap(),
            "@pace" => host.as_mut().expect("@chip first").pace(rest).unwrap(),
            "@pace-fail" => {
                let (can, want) = rest.split_once(' ').expect("@pace-fail CAN SW");
                let got = host.as_mut().unwrap().pace(can).unwrap_err();
                assert_eq!(
                    got,
                    StatusWord(u16::from_str_radix(want, 16).unwrap()),
                    "{here}"
                );
                checked += 1;
            }
            "@reset" => {
                let h = host.as_mut().unwrap();
                h.chip.reset();
                h.sm = None;
            }
            ">" => {
                let h = host.as_mut().expect("@chip first");
                last = Some((lineno, h.raw(&hexs(rest))));
            }
            "s>" => {
                let h = host.as_mut().expect("@chip first");
                let cmd = CommandApdu::parse(&hexs(rest)).expect("s> must be a valid APDU");
                last = Some((lineno, h.sm(&cmd).to_bytes()));
            }
            "<" => {
                let (at, got) = last.take().unwrap_or_else(|| panic!("{here}: < without >"));
                assert!(
                    matches(&parse_pattern(rest), &got),
                    "{here}: command on line {at} answered {} (SW {}), expected {rest}",
                    hex::encode_upper(&got),
                    sw(&got)
                );
                checked += 1;
            }
            other => panic!("{here}: unknown line type {other}"),
        }
    }
    checked
}

#[test]
fn all_transcripts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "apdu"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "transcripts present");
    let mut total = 0;
    for f in &files {
        let n = run(f);
        assert!(n > 0, "{} checks nothing", f.display());
        total += n;
    }
    eprintln!("{} transcripts, {total} responses checked", files.len());
}

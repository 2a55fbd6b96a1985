//! Retry counters that guard a secret (the CAN, the personalization keys) are written before
//! the secret is checked, as a real card OS does (Java Card `OwnerPIN.check`): an attempt whose
//! counter cannot be written is refused unchecked, so a failing state file (a full disk, a
//! read-only directory) never turns into unlimited guesses.
#![allow(
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use std::path::{Path, PathBuf};

use ektp_chip::os::{Chip, ChipProfile, MAX_PERSO_FAILURES};
use ektp_iso7816::StatusWord;
use support::{CAN, Host, SEED, personalizing, sample_files};

/// A chip autosaving to `DIR/state/chip.json`, and the `state` directory.
fn autosaving(mut chip: Chip, dir: &Path) -> (Chip, PathBuf) {
    let sub = dir.join("state");
    std::fs::create_dir(&sub).unwrap();
    chip.set_autosave(Some(sub.join("chip.json"))).unwrap();
    (chip, sub)
}

/// Makes every later save fail, also for root (permissions do not stop root): the state
/// directory becomes a regular file, so creating anything in it fails with `ENOTDIR`.
fn break_saves(sub: &Path) {
    std::fs::remove_dir_all(sub).unwrap();
    std::fs::write(sub, b"not a directory").unwrap();
}

/// Gives the chip its (now empty) state directory back.
fn repair_saves(sub: &Path) {
    std::fs::remove_file(sub).unwrap();
    std::fs::create_dir(sub).unwrap();
}

/// An issued chip whose wrong-CAN slow-down is milliseconds, so tests can count many
/// attempts quickly.
fn issued_fast_throttle() -> Chip {
    let mut profile = ChipProfile::ektp().unwrap();
    profile.pace.free_attempts = 3;
    profile.pace.delay_initial_ms = 1;
    profile.pace.delay_max_ms = 2;
    let mut chip =
        Chip::new_blank_with_profile(support::SERIAL, &support::master(), profile).unwrap();
    chip.set_test_rng_seed(SEED);
    let mut h = Host::new(chip);
    h.perso_auth().unwrap();
    h.personalize(&sample_files(), CAN);
    assert_eq!(h.lock(), StatusWord::SUCCESS);
    h.chip
}

#[test]
fn wrong_cans_with_a_failing_save_never_reach_the_right_can() {
    let dir = tempfile::tempdir().unwrap();
    let (chip, sub) = autosaving(issued_fast_throttle(), dir.path());
    let path = sub.join("chip.json");
    let mut h = Host::new(chip);
    break_saves(&sub);
    // The attacker guesses while the chip cannot write: no guess is even checked.
    for i in 0..40 {
        assert_eq!(
            h.pace("000000"),
            Err(StatusWord::MEMORY_FAILURE),
            "wrong CAN {i}"
        );
    }
    assert_eq!(
        h.pace(CAN),
        Err(StatusWord::MEMORY_FAILURE),
        "the right CAN is refused unchecked while the counter cannot be written"
    );
    assert!(!h.chip.has_session());
    assert_eq!(
        h.chip.pace_failures(),
        0,
        "nothing was checked, nothing counted"
    );

    // Storage back: every guess counts, and the count is on disk before the answer.
    repair_saves(&sub);
    for n in 1..=5u32 {
        assert_eq!(h.pace("000000"), Err(StatusWord(0x6300)));
        assert_eq!(h.chip.pace_failures(), n);
        assert_eq!(Chip::load(&path).unwrap().pace_failures(), n, "saved");
    }
    // A chip reloaded after the attempts keeps the counter, and its slow-down.
    let mut reloaded = Host::new(Chip::load(&path).unwrap());
    assert_eq!(reloaded.chip.pace_failures(), 5);
    assert_eq!(reloaded.pace("000000"), Err(StatusWord(0x6300)));
    assert_eq!(
        reloaded.chip.throttled(),
        1,
        "still slowed after the reload"
    );
    // The right CAN succeeds and clears the counter, on disk too.
    h.pace(CAN).unwrap();
    assert_eq!(h.chip.pace_failures(), 0);
    assert_eq!(Chip::load(&path).unwrap().pace_failures(), 0);
}

#[test]
fn wrong_perso_keys_with_a_failing_save_still_block_the_chip() {
    let dir = tempfile::tempdir().unwrap();
    let (chip, sub) = autosaving(personalizing(), dir.path());
    let path = sub.join("chip.json");
    let mut h = Host::new(chip);
    let wrong = ektp_sm::perso::MasterKey::from_bytes([0x11u8; 32]);
    break_saves(&sub);
    for i in 0..50 {
        assert_eq!(
            h.perso_auth_with(&wrong),
            Err(StatusWord::MEMORY_FAILURE),
            "wrong key {i}"
        );
    }
    assert_eq!(
        h.perso_auth(),
        Err(StatusWord::MEMORY_FAILURE),
        "the right key is refused unchecked while the counter cannot be written"
    );
    assert!(!h.chip.has_session());

    // Storage back: the wrong keys count and block the chip for good.
    repair_saves(&sub);
    for i in 1..MAX_PERSO_FAILURES {
        assert_eq!(h.perso_auth_with(&wrong), Err(StatusWord(0x6300)), "{i}");
        assert_eq!(Chip::load(&path).unwrap().perso_failures(), i, "saved");
    }
    assert_eq!(
        h.perso_auth_with(&wrong),
        Err(StatusWord::AUTH_METHOD_BLOCKED)
    );
    assert_eq!(h.perso_auth(), Err(StatusWord::AUTH_METHOD_BLOCKED));
    let mut reloaded = Host::new(Chip::load(&path).unwrap());
    assert_eq!(reloaded.chip.perso_failures(), MAX_PERSO_FAILURES);
    assert_eq!(
        reloaded.perso_auth(),
        Err(StatusWord::AUTH_METHOD_BLOCKED),
        "blocked after a reload too"
    );
}

#[test]
fn a_right_perso_key_clears_the_counter_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let (chip, sub) = autosaving(personalizing(), dir.path());
    let path = sub.join("chip.json");
    let mut h = Host::new(chip);
    let wrong = ektp_sm::perso::MasterKey::from_bytes([0x11u8; 32]);
    for _ in 0..3 {
        assert_eq!(h.perso_auth_with(&wrong), Err(StatusWord(0x6300)));
    }
    assert_eq!(Chip::load(&path).unwrap().perso_failures(), 3);
    h.perso_auth().unwrap();
    assert_eq!(h.chip.perso_failures(), 0);
    assert_eq!(Chip::load(&path).unwrap().perso_failures(), 0);
}

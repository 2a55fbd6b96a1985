//! The chip state file holds the CAN, the Active Authentication private key and the
//! personalization keys in clear: it is written 0600, through a temporary nobody can plant
//! a symlink at.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::os::unix::fs::PermissionsExt;

use ektp_chip::os::{Chip, Lifecycle};
use support::{Host, blank};

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn planted_symlink_at_the_state_temporary_path_is_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chip.json");
    let victim = dir.path().join("victim");
    std::fs::write(&victim, b"someone else's file").unwrap();
    // The fixed temporary name the chip used to write through: `<state file>.tmp`.
    let planted = dir.path().join("chip.json.tmp");
    std::os::unix::fs::symlink(&victim, &planted).unwrap();

    let mut h = Host::new(blank());
    h.chip.set_autosave(Some(path.clone())).unwrap();
    h.perso_auth().unwrap(); // BLANK -> PERSONALIZING: an autosave
    h.chip.save(&path).unwrap();

    assert!(
        std::fs::read(&victim).unwrap() == b"someone else's file",
        "the victim was overwritten through the planted symlink"
    );
    assert!(
        std::fs::symlink_metadata(&planted)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        Chip::load(&path).unwrap().lifecycle(),
        Lifecycle::Personalizing
    );
}

#[test]
fn state_file_is_private() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("saved.json");
    let chip = blank();
    chip.save(&saved).unwrap();
    assert_eq!(mode(&saved), 0o600, "save");

    // A state file others could read is replaced by a private one on the next save.
    let auto = dir.path().join("auto.json");
    std::fs::write(&auto, b"{}").unwrap();
    std::fs::set_permissions(&auto, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut h = Host::new(blank());
    h.chip.set_autosave(Some(auto.clone())).unwrap();
    assert_eq!(mode(&auto), 0o600, "first autosave");
    h.perso_auth().unwrap();
    assert_eq!(mode(&auto), 0o600, "autosave after a command");
    assert_eq!(Chip::load(&auto).unwrap().state_json(), h.chip.state_json());
}

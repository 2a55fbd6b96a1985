//! The committed virtual-card fixture under `cards/test-chips/` stays loadable and current.
//!
//! Regenerate after a state format or sample change with
//! `EKTP_REGENERATE_FIXTURES=1 cargo test -p ektp-chip --test fixtures`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::PathBuf;

use ektp_chip::os::{Chip, Lifecycle};
use support::{issued, sample_files};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../cards/test-chips/chip-synthetic-issued-TEST-ONLY.json")
}

#[test]
fn issued_chip_fixture_loads_and_holds_the_sample_files() {
    if std::env::var_os("EKTP_REGENERATE_FIXTURES").is_some() {
        issued().save(fixture()).unwrap();
    }
    let chip = Chip::load(fixture()).expect(
        "fixture missing or stale: EKTP_REGENERATE_FIXTURES=1 cargo test -p ektp-chip --test fixtures",
    );
    assert_eq!(chip.lifecycle(), Lifecycle::Issued);
    assert_eq!(chip.serial(), support::SERIAL);
    for (fid, content) in sample_files() {
        assert_eq!(
            chip.file(ektp_iso7816::Fid::new(fid).unwrap()),
            Some(content.as_slice()),
            "{fid:04X}"
        );
    }
}

//! The revocation list at the pickup desk, end to end against the in-process chip: without a
//! list nothing may read as "not revoked", and a hand-typed lower-case entry still revokes.

#![allow(clippy::unwrap_used)]

#[path = "../../../tests/fixtures.rs"]
mod common;

use std::time::SystemTime;

use common::*;
use ektp::{Card, CheckKind, RevocationList, Station, Status, VerifyPolicy, VerifyReport};
use ektp_chip::Chip;
use ektp_chip::inprocess::InProcess;

fn personalized(app: &ektp::Application, pki: &Pki, serial: u8) -> Card<InProcess<Chip>> {
    let mut card = Card::new(blank_chip(serial).into_in_process()).unwrap();
    let key = master_key();
    let station = Station {
        signer: &pki.signer,
        master_key: &key,
        trust: &pki.trust,
        cvca: None,
    };
    let outcome = card.personalize(app, &station, &mut |_| {}).unwrap();
    assert!(outcome.report.passed, "{:?}", outcome.report);
    card
}

fn verify(revoked: &RevocationList) -> VerifyReport {
    let pki = pki();
    let app = specimen("pria");
    let mut card = personalized(&app, &pki, 60);
    let policy = VerifyPolicy {
        trust: &pki.trust,
        revoked,
        expected: Some(&app),
        at: SystemTime::now(),
    };
    card.verify(&app.can, &policy).unwrap()
}

#[test]
fn missing_list_is_not_checked_not_pass() {
    let report = verify(&RevocationList::new());
    let check = report.check(CheckKind::NotRevoked).unwrap();
    assert_ne!(check.status(), Status::Pass, "{check}");
    assert!(!check.passed, "{check}");
    assert!(check.reason.contains("not checked"), "{check}");
    assert!(check.to_string().starts_with("SKIP"), "{check}");
    // Not checked is not a failure of the card: the other checks decide.
    assert!(report.passed, "{report:?}");
    assert!(report.first_failure().is_none());
}

#[test]
fn lower_case_revoked_entry_still_revokes() {
    let list = RevocationList::parse("ida000001\n").unwrap();
    let report = verify(&list);
    assert!(!report.passed, "a revoked card verified: {report:?}");
    let check = report.first_failure().unwrap();
    assert_eq!(check.check, CheckKind::NotRevoked);
    assert!(check.reason.contains("on the revocation list"), "{check}");
}

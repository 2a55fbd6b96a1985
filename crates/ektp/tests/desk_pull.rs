//! Issue 13 item 6: a card pulled after PACE while the desk reads it is a failed `read_data`
//! check in the report (which the desk prints, with its JSON), not a bare error.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects, clippy::panic)]

#[path = "../../../tests/fixtures.rs"]
mod common;

use std::time::SystemTime;

use common::*;
use ektp::{Card, CheckKind, RevocationList, Station, VerifyPolicy};
use ektp_chip::card::Fault;
use ektp_chip::inprocess::InProcess;

#[test]
fn a_card_pulled_after_pace_while_reading_fails_read_data_in_the_report() {
    let pki = pki();
    let key = master_key();
    let station = Station {
        signer: &pki.signer,
        master_key: &key,
        trust: &pki.trust,
        cvca: None,
    };
    let app = specimen("wanita");
    let revoked = RevocationList::new();
    let policy = VerifyPolicy {
        trust: &pki.trust,
        revoked: &revoked,
        expected: Some(&app),
        at: SystemTime::now(),
    };
    let issued = || {
        let mut card = Card::new(blank_chip(3).into_in_process()).unwrap();
        card.personalize(&app, &station, &mut |_| {}).unwrap();
        card.into_transport().into_card()
    };
    let mut card = Card::new(issued().into_in_process()).unwrap();
    let report = card.verify(&app.can, &policy).unwrap();
    assert!(report.passed, "{report:?}");
    let n = card.stats().apdus;
    let mut read_data_failures = 0;
    for k in 0..n {
        let mut card = Card::new(InProcess::with_fault(
            issued(),
            Fault::PullBeforeExecuting(k),
        ))
        .unwrap();
        match card.verify(&app.can, &policy) {
            Err(e) => assert!(e.is_card_removed(), "k={k}: {e}"),
            Ok(report) => {
                assert!(!report.passed, "k={k}: pulled, yet {report:?}");
                if let Some(c) = report
                    .checks
                    .iter()
                    .find(|c| c.check == CheckKind::ReadData && !c.passed)
                {
                    assert!(c.reason.starts_with("card removed"), "{}", c.reason);
                    let pace = report.checks.iter().find(|c| c.check == CheckKind::Pace);
                    assert!(pace.is_some_and(|p| p.passed), "{report:?}");
                    read_data_failures += 1;
                }
            }
        }
    }
    assert!(
        read_data_failures > 0,
        "no pull while reading among {n} APDUs"
    );
}

//! Tearing: for every k from 1 to the number of APDUs personalization sends, the card loses
//! power after APDU k (once with APDU k executed but unanswered, once with it never executed).
//! Personalization run again on the same chip must end with a locked card that verifies, and
//! no interrupted run may ever leave a locked card that fails verification.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

#[path = "../../../tests/fixtures.rs"]
mod common;

use std::time::SystemTime;

use common::*;
use ektp::{Card, Lifecycle, RevocationList, Station, VerifyPolicy};
use ektp_chip::card::Fault;
use ektp_chip::inprocess::InProcess;

#[test]
fn power_cut_after_every_apdu_of_personalization() {
    let pki = pki();
    let key = master_key();
    // A TEST ONLY CVCA, so the sweep covers the Chip Authentication key and trust point steps.
    let cvca_key =
        ektp_pki::cvc::SoftwareCvSigner::generate(ektp_pki::cvc::Curve::NistP256).unwrap();
    let cvca = ektp_pki::cvc::CertificateBuilder::new(
        ektp_pki::cvc::CertificateReference::new("IDCVCA00001").unwrap(),
        ektp_pki::cvc::Chat::inspection_system(
            ektp_pki::cvc::Role::Cvca,
            ektp_pki::cvc::AccessRights::READ_DG3,
        ),
        ektp_pki::cvc::CvDate::from_yymmdd("260101").unwrap(),
        ektp_pki::cvc::CvDate::from_yymmdd("290101").unwrap(),
    )
    .self_signed(&cvca_key)
    .unwrap();
    let station = Station {
        signer: &pki.signer,
        master_key: &key,
        trust: &pki.trust,
        cvca: Some(&cvca),
    };
    let app = specimen("wanita");
    let can = app.can.clone();
    let revoked = RevocationList::new();
    let policy = VerifyPolicy {
        trust: &pki.trust,
        revoked: &revoked,
        expected: Some(&app),
        at: SystemTime::now(),
    };

    // How many APDUs does an uninterrupted personalization send?
    let mut card = Card::new(blank_chip(1).into_in_process()).unwrap();
    let n = card
        .personalize(&app, &station, &mut |_| {})
        .unwrap()
        .stats
        .apdus;
    assert!(
        n > 20,
        "a personalization sends more than 20 APDUs, got {n}"
    );

    let mut covered = 0u64;
    let mut locked_by_interrupted_run = 0u64;
    for k in 1..=n {
        for fault in [
            Fault::PullAfterExecuting(k - 1),
            Fault::PullBeforeExecuting(k - 1),
        ] {
            let chip = blank_chip(2);
            let mut card = Card::new(InProcess::with_fault(chip, fault)).unwrap();
            let err = card
                .personalize(&app, &station, &mut |_| {})
                .expect_err("the card was pulled: personalization cannot have succeeded");
            assert!(err.is_card_removed(), "k={k} {fault:?}: {err}");

            let mut transport = card.into_transport();
            transport.reinsert();
            let mut card = Card::new(transport).unwrap();
            if card.lifecycle().unwrap() == Lifecycle::Issued {
                // Locked by the interrupted run: it must verify as it is.
                locked_by_interrupted_run += 1;
                let report = card.verify(&can, &policy).unwrap();
                assert!(report.passed, "k={k} {fault:?}: locked but {report:?}");
            }
            let outcome = card
                .personalize(&app, &station, &mut |_| {})
                .unwrap_or_else(|e| panic!("k={k} {fault:?}: resume failed: {e}"));
            assert!(outcome.report.passed);
            assert_eq!(card.lifecycle().unwrap(), Lifecycle::Issued);
            let report = card.verify(&can, &policy).unwrap();
            assert!(report.passed, "k={k} {fault:?}: {report:?}");
            covered += 1;
        }
    }
    // Only the very last APDU (the lock itself, executed but unanswered) may lock the card.
    assert_eq!(locked_by_interrupted_run, 1);
    println!(
        "tearing: {n} APDUs per personalization, {covered} cut points covered \
         ({n} after execution + {n} before execution), all resumed to a verified locked card"
    );
}

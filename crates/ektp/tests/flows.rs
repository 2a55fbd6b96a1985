//! Host flows against the virtual chip in-process: personalize every valid specimen, read it
//! back field for field, verify; clones, revoked and mismatched cards fail with their reason.

#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

#[path = "../../../tests/fixtures.rs"]
mod common;

use std::time::SystemTime;

use common::*;
use ektp::{Card, CheckKind, Lifecycle, ReadRequest, RevocationList, Station, VerifyPolicy};
use ektp_chip::Chip;
use ektp_chip::inprocess::InProcess;
use ektp_lds::{DgNumber, LdsFile};

fn personalized(app: &ektp::Application, pki: &Pki, serial: u8) -> Card<InProcess<Chip>> {
    let mut card = Card::new(blank_chip(serial).into_in_process()).unwrap();
    let key = master_key();
    let station = Station {
        signer: &pki.signer,
        master_key: &key,
        trust: &pki.trust,
        cvca: None,
    };
    let mut steps = Vec::new();
    let outcome = card
        .personalize(app, &station, &mut |s| steps.push(s))
        .unwrap();
    assert!(outcome.report.passed, "{:?}", outcome.report);
    assert!(!outcome.already_issued);
    assert_eq!(outcome.found, Lifecycle::Blank);
    assert_eq!(outcome.document_number, app.holder.document_number.as_str());
    assert_eq!(outcome.sod_sha256.len(), 64);
    assert!(steps.contains(&ektp::Step::Locking));
    card
}

#[test]
fn every_valid_specimen_personalizes_reads_back_and_verifies() {
    let pki = pki();
    let revoked = RevocationList::new();
    for (i, (name, app)) in valid_specimens().into_iter().enumerate() {
        let mut card = personalized(&app, &pki, i as u8);
        assert_eq!(card.lifecycle().unwrap(), Lifecycle::Issued, "{name}");
        // An issued chip no longer gives its serial away.
        assert!(card.serial().is_err(), "{name}");

        let can = app.can.clone();
        let files = card
            .pace(&can)
            .unwrap()
            .read_files(ReadRequest::ALL)
            .unwrap();
        let holder = files.holder_record().unwrap();
        assert_eq!(holder, app.holder, "{name}: holder record read back");
        let dg2 = ektp_lds::Dg2::decode(files.dg(DgNumber::DG2).unwrap()).unwrap();
        assert_eq!(dg2.face(), &app.portrait, "{name}: portrait");
        let dg7 = ektp_lds::Dg7::decode(files.dg(DgNumber::DG7).unwrap()).unwrap();
        assert_eq!(dg7.signature(), &app.signature, "{name}: signature image");
        // DG3 needs Terminal Authentication: never read over PACE alone.
        assert!(files.dg(DgNumber::DG3).is_none());

        let policy = VerifyPolicy {
            trust: &pki.trust,
            revoked: &revoked,
            expected: Some(&app),
            at: SystemTime::now(),
        };
        let report = card.verify(&can, &policy).unwrap();
        assert!(report.passed, "{name}: {report:?}");
        // lifecycle, pace, read_data, passive_authentication, issuing_state,
        // chip_authentication (issue 14: DG14 announces it), active_authentication,
        // not_revoked, record_match.
        assert_eq!(report.checks.len(), 9);
        assert!(
            report
                .checks
                .iter()
                .any(|c| c.check == ektp::CheckKind::ChipAuthentication)
        );
        assert_eq!(
            report.document_number.as_deref(),
            Some(app.holder.document_number.as_str())
        );
        // The report serializes for machines.
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["passed"], true);
    }
}

#[test]
fn reading_only_the_holder_skips_images_and_security_objects() {
    let pki = pki();
    let app = specimen("pria");
    let mut card = personalized(&app, &pki, 40);
    let can = app.can.clone();
    let before = card.stats();
    let files = card
        .pace(&can)
        .unwrap()
        .read_files(ReadRequest::HOLDER)
        .unwrap();
    assert!(files.dg(DgNumber::DG2).is_none());
    assert!(files.get(LdsFile::Sod).is_none());
    assert_eq!(files.holder_record().unwrap(), app.holder);
    let used = card.stats().since(&before);
    // PACE (5) + SELECT + EF.CardAccess + EF.COM + 4 data groups, one READ each.
    assert!(used.apdus <= 13, "{used:?}");
}

#[test]
fn wrong_can_is_refused_with_a_clear_reason() {
    let pki = pki();
    let app = specimen("wanita");
    let mut card = personalized(&app, &pki, 41);
    let wrong = ektp::Can::new("000001").unwrap();
    let revoked = RevocationList::new();
    let policy = VerifyPolicy {
        trust: &pki.trust,
        revoked: &revoked,
        expected: None,
        at: SystemTime::now(),
    };
    let report = card.verify(&wrong, &policy).unwrap();
    assert!(!report.passed);
    let pace = report.check(CheckKind::Pace).unwrap();
    assert!(!pace.passed);
    assert!(pace.reason.contains("CAN"), "{}", pace.reason);
}

#[test]
fn revoked_document_number_fails_with_the_revocation_reason() {
    let pki = pki();
    let app = specimen("wna");
    let mut card = personalized(&app, &pki, 42);
    let mut revoked = RevocationList::new();
    revoked.revoke(app.holder.document_number.as_str());
    let policy = VerifyPolicy {
        trust: &pki.trust,
        revoked: &revoked,
        expected: Some(&app),
        at: SystemTime::now(),
    };
    let report = card.verify(&app.can, &policy).unwrap();
    assert!(!report.passed);
    let failed: Vec<_> = report.checks.iter().filter(|c| !c.passed).collect();
    assert_eq!(failed.len(), 1, "{report:?}");
    assert_eq!(failed[0].check, CheckKind::NotRevoked);
    assert!(failed[0].reason.contains("revocation list"));
}

#[test]
fn a_card_for_another_person_fails_the_record_match() {
    let pki = pki();
    let app = specimen("pria");
    let other = specimen("wanita");
    let mut card = personalized(&app, &pki, 43);
    let revoked = RevocationList::empty();
    let policy = VerifyPolicy {
        trust: &pki.trust,
        revoked: &revoked,
        expected: Some(&other),
        at: SystemTime::now(),
    };
    let report = card.verify(&app.can, &policy).unwrap();
    assert!(!report.passed);
    let failed: Vec<_> = report.checks.iter().filter(|c| !c.passed).collect();
    assert_eq!(failed.len(), 1, "{report:?}");
    assert_eq!(failed[0].check, CheckKind::RecordMatch);
    assert!(failed[0].reason.contains("NIK"), "{}", failed[0].reason);
}

#[test]
fn a_clone_with_copied_files_fails_active_authentication() {
    let pki = pki();
    let app = specimen("menikah-16");
    let can = app.can.clone();
    let mut genuine = personalized(&app, &pki, 44);
    // Everything a cloner can read from the genuine card.
    let stolen = genuine
        .pace(&can)
        .unwrap()
        .read_files(ReadRequest::ALL)
        .unwrap();
    let card_access = genuine.read_card_access().unwrap();

    // A blank chip (with its own AA key) written with the copied files.
    let mut clone = Card::new(blank_chip(45).into_in_process()).unwrap();
    {
        let mut s = clone.personalization(&master_key()).unwrap();
        s.aa_public_key().unwrap();
        s.write_file(LdsFile::CardAccess, &card_access).unwrap();
        s.write_file(LdsFile::Com, stolen.get(LdsFile::Com).unwrap())
            .unwrap();
        for (n, raw) in stolen.data_groups() {
            s.write_file(LdsFile::Dg(n), raw).unwrap();
        }
        s.write_file(LdsFile::Sod, stolen.get(LdsFile::Sod).unwrap())
            .unwrap();
        s.set_can(&can).unwrap();
    }
    clone.reset().unwrap();
    clone
        .personalization(&master_key())
        .unwrap()
        .lock()
        .unwrap();

    let revoked = RevocationList::new();
    let policy = VerifyPolicy {
        trust: &pki.trust,
        revoked: &revoked,
        expected: Some(&app),
        at: SystemTime::now(),
    };
    let report = clone.verify(&can, &policy).unwrap();
    assert!(!report.passed);
    // Passive Authentication passes: the files are genuine. Only the chip is not.
    assert!(
        report
            .check(CheckKind::PassiveAuthentication)
            .unwrap()
            .passed
    );
    let aa = report.check(CheckKind::ActiveAuthentication).unwrap();
    assert!(!aa.passed);
    assert!(aa.reason.contains("clone"), "{}", aa.reason);
}

#[test]
fn an_issued_card_cannot_be_personalized_again_but_reverifies() {
    let pki = pki();
    let app = specimen("pria");
    let mut card = personalized(&app, &pki, 46);
    assert!(matches!(
        card.personalization(&master_key()),
        Err(ektp::Error::Card { .. } | ektp::Error::WrongState(_))
    ));
    let key = master_key();
    let station = Station {
        signer: &pki.signer,
        master_key: &key,
        trust: &pki.trust,
        cvca: None,
    };
    let outcome = card.personalize(&app, &station, &mut |_| {}).unwrap();
    assert!(outcome.already_issued);
    assert!(outcome.report.passed);
}

#[test]
fn a_chip_from_another_batch_is_refused() {
    let pki = pki();
    let app = specimen("pria");
    let mut card = Card::new(blank_chip(47).into_in_process()).unwrap();
    let other_batch = ektp_sm::perso::MasterKey::from_bytes([0x42u8; 32]);
    let station = Station {
        signer: &pki.signer,
        master_key: &other_batch,
        trust: &pki.trust,
        cvca: None,
    };
    let err = card.personalize(&app, &station, &mut |_| {}).unwrap_err();
    assert!(matches!(err, ektp::Error::PersoKeyRejected), "{err}");
    assert_eq!(card.lifecycle().unwrap(), Lifecycle::Blank);
}

//! Host flows end to end through the real PC/SC stack: `ektp` → `ektp-pcsc` → pcscd → vpcd →
//! the virtual e-KTP chip. Every valid specimen is personalized on a blank chip, read back
//! field for field and verified; a card pulled mid-personalization is completed after it is
//! put back.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects, clippy::panic)]

#[path = "fixtures.rs"]
mod fixtures;

use std::time::SystemTime;

use ektp::{Card, Lifecycle, ReadRequest, RevocationList, Station, VerifyPolicy};
use ektp_chip::card::Fault;
use ektp_lds::DgNumber;
use ektp_pcsc::Disposition;
use ektp_tests::Slot;
use fixtures::*;

#[test]
fn every_valid_specimen_through_pcscd() {
    let slot = Slot::zero();
    let pki = pki();
    let key = master_key();
    let station = Station {
        signer: &pki.signer,
        master_key: &key,
        trust: &pki.trust,
        cvca: None,
    };
    let revoked = RevocationList::new();
    for (i, name) in VALID.iter().enumerate() {
        let app = specimen(name);
        let (inserted, _) = slot.insert(blank_chip(i as u8), None);
        let pcsc = slot.ctx.connect(slot.reader).unwrap();
        let mut card = Card::new(pcsc).unwrap();

        let outcome = card.personalize(&app, &station, &mut |_| {}).unwrap();
        assert!(outcome.report.passed, "{name}: {:?}", outcome.report);
        assert_eq!(card.lifecycle().unwrap(), Lifecycle::Issued, "{name}");

        let can = app.can.clone();
        let files = card
            .pace(&can)
            .unwrap()
            .read_files(ReadRequest::ALL)
            .unwrap();
        assert_eq!(files.holder_record().unwrap(), app.holder, "{name}");
        let dg2 = ektp_lds::Dg2::decode(files.dg(DgNumber::DG2).unwrap()).unwrap();
        assert_eq!(dg2.face(), &app.portrait, "{name}");
        let dg7 = ektp_lds::Dg7::decode(files.dg(DgNumber::DG7).unwrap()).unwrap();
        assert_eq!(dg7.signature(), &app.signature, "{name}");

        let policy = VerifyPolicy {
            trust: &pki.trust,
            revoked: &revoked,
            expected: Some(&app),
            at: SystemTime::now(),
        };
        let report = card.verify(&can, &policy).unwrap();
        assert!(report.passed, "{name}: {report:?}");

        card.into_transport()
            .disconnect(Disposition::LeaveCard)
            .unwrap();
        let removed = inserted.remove().unwrap();
        assert_eq!(removed.card.lifecycle(), ektp_chip::Lifecycle::Issued);
        slot.wait_empty();
    }
}

#[test]
fn card_pulled_mid_personalization_is_completed_when_put_back() {
    let slot = Slot::zero();
    let pki = pki();
    let key = master_key();
    let station = Station {
        signer: &pki.signer,
        master_key: &key,
        trust: &pki.trust,
        cvca: None,
    };
    let app = specimen("nama-panjang");

    // Pulled after the chip executed APDU 21 (in the middle of writing the files).
    let (inserted, _) = slot.insert(blank_chip(50), Some(Fault::PullAfterExecuting(20)));
    let mut card = Card::new(slot.ctx.connect(slot.reader).unwrap()).unwrap();
    let err = card.personalize(&app, &station, &mut |_| {}).unwrap_err();
    assert!(err.is_card_removed(), "{err}");
    assert_eq!(err.to_string(), "card removed during command");
    // Dropping the connection to a card that left must not send it a reset (which stalls
    // pcscd's reader for seconds): the re-insertion below would time out.
    drop(card);
    let chip = inserted.remove().unwrap().card;
    assert_eq!(chip.lifecycle(), ektp_chip::Lifecycle::Personalizing);
    slot.wait_empty();

    // Put back: personalization completes the same chip.
    let (inserted, _) = slot.insert(chip, None);
    let mut card = Card::new(slot.ctx.connect(slot.reader).unwrap()).unwrap();
    let outcome = card.personalize(&app, &station, &mut |_| {}).unwrap();
    assert_eq!(outcome.found, Lifecycle::Personalizing);
    assert!(outcome.report.passed);
    assert_eq!(card.lifecycle().unwrap(), Lifecycle::Issued);
    card.into_transport()
        .disconnect(Disposition::LeaveCard)
        .unwrap();
    inserted.remove().unwrap();
    slot.wait_empty();
}

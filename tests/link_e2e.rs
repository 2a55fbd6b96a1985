//! The host against readers that are not ideal, modelled by `ektp_chip::link::Linked`: a
//! reader that only passes short APDUs (many do) and a T=0-style card that answers through
//! `61xx` / GET RESPONSE. The realistic specimen (a 17 KB portrait) is personalized, then read
//! and verified through such a reader in-process and through pcscd + vpcd; the host must fall
//! back from extended to short reads by itself, without an error.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects, clippy::panic)]

#[path = "fixtures.rs"]
mod fixtures;

use std::time::SystemTime;

use ektp::{Application, Card, ReadRequest, RevocationList, Station, VerifyPolicy};
use ektp_chip::Chip;
use ektp_chip::inprocess::InProcess;
use ektp_chip::link::{ApduLimit, BitRate, LinkParams, Linked};
use ektp_iso7816::CardTransport;
use ektp_lds::DgNumber;
use ektp_pcsc::Disposition;
use ektp_tests::Slot;
use fixtures::*;

const SPECIMEN: &str = "potret-icao";

fn issued_chip(serial: u8, pki: &Pki, app: &Application) -> Chip {
    let key = master_key();
    let station = Station {
        signer: &pki.signer,
        master_key: &key,
        trust: &pki.trust,
        cvca: None,
    };
    let mut card = Card::new(blank_chip(serial).into_in_process()).unwrap();
    let outcome = card.personalize(app, &station, &mut |_| {}).unwrap();
    assert!(outcome.report.passed, "{:?}", outcome.report);
    card.into_transport().into_card()
}

fn short_reader(rate: BitRate) -> LinkParams {
    let mut p = LinkParams::iso14443(rate);
    p.apdu = ApduLimit::Short;
    p
}

/// Reads every file and verifies; the portrait must come back whole.
fn read_and_verify<T: CardTransport>(card: &mut Card<T>, pki: &Pki, app: &Application) {
    let files = card
        .pace(&app.can)
        .unwrap()
        .read_files(ReadRequest::ALL)
        .unwrap();
    let dg2 = ektp_lds::Dg2::decode(files.dg(DgNumber::DG2).unwrap()).unwrap();
    assert_eq!(dg2.face(), &app.portrait);
    assert!(app.portrait.image.len() > 15_000);
    let revoked = RevocationList::new();
    let policy = VerifyPolicy {
        trust: &pki.trust,
        revoked: &revoked,
        expected: Some(app),
        at: SystemTime::now(),
    };
    let report = card.verify(&app.can, &policy).unwrap();
    assert!(report.passed, "{report:?}");
}

#[test]
fn short_apdu_reader_and_t0_in_process() {
    let pki = pki();
    let app = specimen(SPECIMEN);
    let chip = issued_chip(70, &pki, &app);

    // A short-APDU reader: the extended probes are refused, then every read is short.
    let linked = Linked::new(chip, short_reader(BitRate::K106));
    let clock = linked.clock().clone();
    let mut card = Card::new(InProcess::new(linked)).unwrap();
    read_and_verify(&mut card, &pki, &app);
    assert!(card.read_policy().short_only());
    let s = clock.stats();
    // Only the two extended probes on EF.CardAccess (Le 65536 and 4096) were refused; every
    // protected read fitted a short response.
    assert_eq!(s.refused, 2, "{s:?}");
    // 17 KB of portrait in ≤ 223-byte reads: far more APDUs than files.
    assert!(s.apdus > 100, "{s:?}");

    // The same card answering through 61xx / GET RESPONSE, short reader too.
    let chip = card.into_transport().into_card().into_inner();
    let mut p = short_reader(BitRate::K848);
    p.t0 = true;
    let linked = Linked::new(chip, p);
    let clock = linked.clock().clone();
    let mut card = Card::new(InProcess::new(linked)).unwrap();
    read_and_verify(&mut card, &pki, &app);
    let gets = clock.stats().apdus;
    assert!(
        gets > 200,
        "every answer with data costs a GET RESPONSE: {gets}"
    );
}

#[test]
fn short_apdu_reader_through_pcscd() {
    let slot = Slot::one();
    let pki = pki();
    let app = specimen(SPECIMEN);
    let chip = issued_chip(71, &pki, &app);
    let linked = Linked::new(chip, short_reader(BitRate::K848));
    let clock = linked.clock().clone();
    let (inserted, _) = slot.insert(linked, None);
    let mut card = Card::new(slot.ctx.connect(slot.reader).unwrap()).unwrap();
    read_and_verify(&mut card, &pki, &app);
    assert!(card.read_policy().short_only());
    assert_eq!(clock.stats().refused, 2);
    card.into_transport()
        .disconnect(Disposition::LeaveCard)
        .unwrap();
    inserted.remove().unwrap();
    slot.wait_empty();
}

//! Issue 12: cards a forger can make that the pickup desk must refuse, each built on the
//! in-process virtual chip and verified as a desk would (`Card::verify`).
//!
//! Every forged card is written in a personalization session exactly as a printing station
//! writes it, with one thing changed (see [`forge`]).

#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

#[path = "../../../tests/fixtures.rs"]
mod common;

use std::time::{Duration, SystemTime};

use common::*;
use ektp::{
    Application, Card, CheckKind, Lifecycle, RevocationList, TrustStore, VerifyPolicy, VerifyReport,
};
use ektp_chip::Chip;
use ektp_chip::inprocess::InProcess;
use ektp_lds::{Dg14, Dg15, DgNumber, EfCom, LdsFile, LdsImage};
use ektp_pki::test_pki::{DocumentSignerSpec, TestCa, TestKey};
use ektp_pki::{Signer, SodOptions, sign_ef_sod};
use ektp_sm::PaceParams;
use ektp_sm::card_access::{
    AaHash, ActiveAuthenticationInfo, PaceInfo, SecurityInfo, SecurityInfos,
};

/// What a printing station writes, before EF.SOD is signed; a test changes it.
struct Parts {
    com: Vec<u8>,
    /// Data groups as written to the chip.
    dgs: Vec<(DgNumber, Vec<u8>)>,
    /// Data groups EF.SOD signs (all of `dgs` unless a test says otherwise).
    signed: Vec<DgNumber>,
    /// Data groups replaced after signing (what a forger writes under a genuine EF.SOD).
    swapped: Vec<(DgNumber, Vec<u8>)>,
}

/// Writes `app` onto a fresh chip as a station would, with `edit` applied, EF.SOD signed by
/// `signer`; locks the card only if `lock`.
fn forge(
    serial: u8,
    app: &Application,
    signer: &dyn Signer,
    lock: bool,
    edit: impl FnOnce(&mut Parts),
) -> Card<InProcess<Chip>> {
    let key = master_key();
    let mut card = Card::new(blank_chip(serial).into_in_process()).unwrap();
    {
        let mut s = card.personalization(&key).unwrap();
        let spki = s.aa_public_key().unwrap();
        let image = LdsImage::from_application(app).unwrap();
        let pace = SecurityInfo::Pace(PaceInfo::from_params(PaceParams::EKTP_DEFAULT));
        let card_access = SecurityInfos(vec![pace.clone()]).to_der().unwrap();
        let dg14 = Dg14::new(SecurityInfos(vec![
            pace,
            SecurityInfo::ActiveAuthentication(ActiveAuthenticationInfo::ecdsa(AaHash::Sha256)),
        ]))
        .unwrap();
        let dg15 = Dg15::new(spki).unwrap();
        let dgs: Vec<(DgNumber, Vec<u8>)> = [
            (DgNumber::DG1, image.dg1.as_bytes()),
            (DgNumber::DG2, image.dg2.as_bytes()),
            (DgNumber::DG3, image.dg3.as_bytes()),
            (DgNumber::DG7, image.dg7.as_bytes()),
            (DgNumber::DG11, image.dg11.as_bytes()),
            (DgNumber::DG12, image.dg12.as_bytes()),
            (DgNumber::DG13, image.dg13.as_bytes()),
            (DgNumber::DG14, dg14.as_bytes()),
            (DgNumber::DG15, dg15.as_bytes()),
        ]
        .iter()
        .map(|(n, b)| (*n, b.to_vec()))
        .collect();
        let mut parts = Parts {
            com: image.com.as_bytes().to_vec(),
            signed: dgs.iter().map(|(n, _)| *n).collect(),
            dgs,
            swapped: Vec::new(),
        };
        edit(&mut parts);
        let to_sign: Vec<(DgNumber, &[u8])> = parts
            .dgs
            .iter()
            .filter(|(n, _)| parts.signed.contains(n))
            .map(|(n, b)| (*n, b.as_slice()))
            .collect();
        let sod = sign_ef_sod(&to_sign, signer, &SodOptions::new(SystemTime::now())).unwrap();
        for (n, b) in parts.swapped {
            if let Some(slot) = parts.dgs.iter_mut().find(|(m, _)| *m == n) {
                slot.1 = b;
            }
        }
        s.write_file(LdsFile::CardAccess, &card_access).unwrap();
        s.write_file(LdsFile::Com, &parts.com).unwrap();
        for (n, b) in &parts.dgs {
            s.write_file(LdsFile::Dg(*n), b).unwrap();
        }
        s.write_file(LdsFile::Sod, &sod).unwrap();
        s.set_can(&app.can).unwrap();
    }
    card.reset().unwrap();
    if lock {
        card.personalization(&key).unwrap().lock().unwrap();
        assert_eq!(card.lifecycle().unwrap(), Lifecycle::Issued);
    }
    card
}

fn desk(
    card: &mut Card<InProcess<Chip>>,
    app: &Application,
    trust: &TrustStore,
    expected: Option<&Application>,
) -> VerifyReport {
    let revoked = RevocationList::empty();
    let policy = VerifyPolicy {
        trust,
        revoked: &revoked,
        expected,
        at: SystemTime::now(),
    };
    card.verify(&app.can, &policy).unwrap()
}

/// The failed check of `kind`, with its reason.
fn failed(report: &VerifyReport, kind: CheckKind) -> String {
    assert!(!report.passed, "{report:#?}");
    let c = report.check(kind).unwrap();
    assert!(!c.passed, "{kind} passed: {report:#?}");
    c.reason.clone()
}

#[test]
fn the_honest_card_still_verifies_with_every_check() {
    let pki = pki();
    let app = specimen("pria");
    let mut card = forge(60, &app, &pki.signer, true, |_| {});
    let report = desk(&mut card, &app, &pki.trust, Some(&app));
    assert!(report.passed, "{report:#?}");
    let lifecycle = report.check(CheckKind::Lifecycle).unwrap();
    assert!(lifecycle.reason.contains("issued"), "{}", lifecycle.reason);
    let pa = report.check(CheckKind::PassiveAuthentication).unwrap();
    assert!(
        pa.reason.contains("DG3"),
        "DG3 not read must be said: {}",
        pa.reason
    );
}

#[test]
fn an_unlocked_card_pulled_before_activate_is_refused() {
    let pki = pki();
    let app = specimen("pria");
    let mut card = forge(61, &app, &pki.signer, false, |_| {});
    assert_eq!(card.lifecycle().unwrap(), Lifecycle::Personalizing);
    let report = desk(&mut card, &app, &pki.trust, Some(&app));
    let reason = failed(&report, CheckKind::Lifecycle);
    assert!(
        reason.contains("not locked") && reason.contains("personalizing"),
        "{reason}"
    );
    // The lifecycle is the only thing wrong with it.
    assert_eq!(report.checks.iter().filter(|c| !c.passed).count(), 1);
}

#[test]
fn a_blank_card_at_the_desk_says_not_personalized() {
    let pki = pki();
    let app = specimen("pria");
    let mut card = Card::new(blank_chip(62).into_in_process()).unwrap();
    let report = desk(&mut card, &app, &pki.trust, None);
    let reason = failed(&report, CheckKind::Lifecycle);
    assert!(reason.contains("blank card: not personalized"), "{reason}");
    assert!(
        !format!("{report:?}").contains("6A82"),
        "no file-not-found for a blank card: {report:#?}"
    );
}

#[test]
fn any_trusted_root_signing_indonesian_data_is_refused() {
    let pki = pki();
    let now = SystemTime::now();
    let day = Duration::from_secs(86_400);
    // A foreign TEST root that the desk also trusts (for foreign documents).
    let foreign = TestCa::new(
        "MY",
        "JPN",
        "CSCA Malaysia",
        &TestKey::EcdsaP256,
        now - day,
        now + day * 3650,
    )
    .unwrap();
    let mut spec = DocumentSignerSpec::new("DS Malaysia", TestKey::EcdsaP256, now);
    spec.country = "MY".to_owned();
    spec.organization = "JPN".to_owned();
    let foreign_ds = foreign.issue_document_signer(&spec).unwrap();
    let mut trust = pki.trust.clone();
    trust.add_root_der(foreign.certificate_der()).unwrap();
    trust
        .add_crl_der(&foreign.crl(&[], now - day, now + day * 30, 1).unwrap())
        .unwrap();

    let app = specimen("wanita");
    let signer = foreign_ds.signer().unwrap();
    let mut card = forge(63, &app, &signer, true, |_| {});
    let report = desk(&mut card, &app, &trust, Some(&app));
    let reason = failed(&report, CheckKind::IssuingState);
    assert!(
        reason.contains("IDN") && reason.contains("MY"),
        "the reason names the states: {reason}"
    );
}

#[test]
fn another_persons_portrait_and_signature_under_a_genuine_signature_fail_the_record_match() {
    let pki = pki();
    let app = specimen("pria");
    let other = LdsImage::from_application(&specimen("wanita")).unwrap();
    // The genuine document signer signs a card with this person's identity and someone
    // else's face and signature (an insider, or a station fed the wrong images).
    let mut card = forge(64, &app, &pki.signer, true, |p| {
        for (n, b) in &mut p.dgs {
            if *n == DgNumber::DG2 {
                *b = other.dg2.as_bytes().to_vec();
            }
            if *n == DgNumber::DG7 {
                *b = other.dg7.as_bytes().to_vec();
            }
        }
    });
    let report = desk(&mut card, &app, &pki.trust, Some(&app));
    let reason = failed(&report, CheckKind::RecordMatch);
    assert!(
        reason.contains("DG2 (portrait)") && reason.contains("DG7 (signature"),
        "{reason}"
    );
    assert!(!reason.contains("DG11"), "{reason}");
    // Everything else about the card is genuine.
    assert!(
        report
            .check(CheckKind::PassiveAuthentication)
            .unwrap()
            .passed
    );
}

#[test]
fn an_ef_com_hiding_the_swapped_portrait_does_not_stop_it_being_checked() {
    let pki = pki();
    let app = specimen("pria");
    let other = LdsImage::from_application(&specimen("wanita")).unwrap();
    // The genuine EF.SOD, another person's portrait and signature written after signing, and
    // an EF.COM that no longer lists DG2 and DG7.
    let mut card = forge(65, &app, &pki.signer, true, |p| {
        p.com = EfCom::new(&[
            DgNumber::DG1,
            DgNumber::DG3,
            DgNumber::DG11,
            DgNumber::DG12,
            DgNumber::DG13,
            DgNumber::DG14,
            DgNumber::DG15,
        ])
        .as_bytes()
        .to_vec();
        p.swapped = vec![
            (DgNumber::DG2, other.dg2.as_bytes().to_vec()),
            (DgNumber::DG7, other.dg7.as_bytes().to_vec()),
        ];
    });
    let report = desk(&mut card, &app, &pki.trust, None);
    let reason = failed(&report, CheckKind::PassiveAuthentication);
    assert!(reason.contains("DG2"), "{reason}");
}

#[test]
fn an_ef_sod_that_does_not_sign_the_portrait_is_refused() {
    let pki = pki();
    let app = specimen("pria");
    // A document signer's EF.SOD over everything but the portrait and signature image, and
    // an EF.COM to match: nothing on the card is inconsistent, the portrait is just unsigned.
    let mut card = forge(66, &app, &pki.signer, true, |p| {
        p.signed
            .retain(|n| *n != DgNumber::DG2 && *n != DgNumber::DG7);
        p.com = EfCom::new(&p.signed).as_bytes().to_vec();
    });
    let report = desk(&mut card, &app, &pki.trust, None);
    let reason = failed(&report, CheckKind::PassiveAuthentication);
    assert!(
        reason.contains("DG2") && reason.contains("not signed"),
        "{reason}"
    );
}

#[test]
fn a_dg15_key_on_an_unsupported_curve_is_not_called_a_clone() {
    let pki = pki();
    let app = specimen("pria");
    // SubjectPublicKeyInfo { id-ecPublicKey, secp384r1 } with a 97-byte point.
    let mut spki = vec![
        0x30, 0x76, 0x30, 0x10, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01, 0x06, 0x05,
        0x2B, 0x81, 0x04, 0x00, 0x22, 0x03, 0x62, 0x00, 0x04,
    ];
    spki.extend([0x11; 96]);
    let dg15 = Dg15::new(spki).unwrap().as_bytes().to_vec();
    let mut card = forge(67, &app, &pki.signer, true, |p| {
        for (n, b) in &mut p.dgs {
            if *n == DgNumber::DG15 {
                *b = dg15.clone();
            }
        }
    });
    let report = desk(&mut card, &app, &pki.trust, None);
    let reason = failed(&report, CheckKind::ActiveAuthentication);
    assert!(
        reason.contains("DG15 holds a key ektp cannot use") && reason.contains("secp384r1"),
        "{reason}"
    );
    assert!(!reason.contains("clone"), "{reason}");
}

//! Extended Access Control end to end in-process: a card personalized with a Chip
//! Authentication key and a TEST ONLY CVCA; a terminal with a valid chain (CVCA → DV → IS
//! with read-DG3) reads DG3 and its hash matches EF.SOD; without Terminal Authentication, or
//! with a refused chain or signature, DG3 stays closed. The chip-side refusals (TA before CA,
//! expiry by the chip's date, foreign DV, wrong issuer, replay, link certificates, rollover)
//! are in `crates/ektp-chip/tests/eac.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_arguments)]

#[path = "../../../tests/fixtures.rs"]
mod common;

use std::time::SystemTime;

use common::*;
use ektp::{Card, CheckKind, Error, RevocationList, Station, VerifyPolicy};
use ektp_iso7816::StatusWord;
use ektp_lds::{Dg14, DgNumber, LdsFile};
use ektp_pki::EfSod;
use ektp_pki::cvc::{
    AccessRights, CertificateBuilder, CertificateReference, Chat, Curve, CvCertificate, CvDate,
    CvSigner, Role, SoftwareCvSigner,
};

fn d(s: &str) -> CvDate {
    CvDate::from_yymmdd(s).unwrap()
}

fn issue(
    chr: &str,
    role: Role,
    rights: AccessRights,
    from: &str,
    to: &str,
    subject: &dyn CvSigner,
    issuer: &CvCertificate,
    issuer_key: &dyn CvSigner,
) -> CvCertificate {
    CertificateBuilder::new(
        CertificateReference::new(chr).unwrap(),
        Chat::inspection_system(role, rights),
        d(from),
        d(to),
    )
    .issue(&subject.public_key(false), issuer, issuer_key)
    .unwrap()
}

struct Terminal {
    cvca: CvCertificate,
    dv: CvCertificate,
    is: CvCertificate,
    is_key: SoftwareCvSigner,
    dv_key: SoftwareCvSigner,
}

/// TEST ONLY department CVCA, a bank's DV, and one of its terminals with read-DG3.
fn terminal() -> Terminal {
    let all = AccessRights::READ_DG3.union(AccessRights::READ_DG4);
    let cvca_key = SoftwareCvSigner::generate(Curve::NistP256).unwrap();
    let cvca = CertificateBuilder::new(
        CertificateReference::new("IDCVCA00001").unwrap(),
        Chat::inspection_system(Role::Cvca, all),
        d("260101"),
        d("290101"),
    )
    .self_signed(&cvca_key)
    .unwrap();
    let dv_key = SoftwareCvSigner::generate(Curve::NistP256).unwrap();
    let dv = issue(
        "IDDVBANK0001",
        Role::DvDomestic,
        AccessRights::READ_DG3,
        "260101",
        "270101",
        &dv_key,
        &cvca,
        &cvca_key,
    );
    let is_key = SoftwareCvSigner::generate(Curve::NistP256).unwrap();
    let is = issue(
        "IDISTERM0001",
        Role::Terminal,
        AccessRights::READ_DG3,
        "260110",
        "260701",
        &is_key,
        &dv,
        &dv_key,
    );
    Terminal {
        cvca,
        dv,
        is,
        is_key,
        dv_key,
    }
}

fn personalized(
    t: Option<&Terminal>,
    serial: u8,
) -> Card<ektp_chip::inprocess::InProcess<ektp_chip::os::Chip>> {
    let pki = pki();
    let key = master_key();
    let station = Station {
        signer: &pki.signer,
        master_key: &key,
        trust: &pki.trust,
        cvca: t.map(|t| &t.cvca),
    };
    let mut card = Card::new(blank_chip(serial).into_in_process()).unwrap();
    let outcome = card
        .personalize(&specimen("pria"), &station, &mut |_| {})
        .unwrap();
    assert!(outcome.report.passed, "{:?}", outcome.report);
    card
}

fn refused_6982(e: &Error) -> bool {
    matches!(e, Error::Card { sw, .. } if *sw == StatusWord::SECURITY_STATUS_NOT_SATISFIED)
}

#[test]
fn a_terminal_with_a_valid_chain_reads_dg3_and_its_hash_matches_ef_sod() {
    let t = terminal();
    let mut card = personalized(Some(&t), 21);
    let can = specimen("pria").can;
    let mut session = card.pace(&can).unwrap();
    let dg14_raw = session.read(LdsFile::Dg(DgNumber::DG14)).unwrap();
    let sod = EfSod::from_bytes(&session.read(LdsFile::Sod).unwrap()).unwrap();
    let dg14 = Dg14::decode(&dg14_raw).unwrap();
    assert!(refused_6982(
        &session.read(LdsFile::Dg(DgNumber::DG3)).unwrap_err()
    ));
    let mut ca = session.chip_authenticate(&dg14).unwrap();
    assert!(refused_6982(
        &ca.read(LdsFile::Dg(DgNumber::DG3)).unwrap_err()
    ));
    let mut ta = ca
        .terminal_authenticate(&[t.dv.clone(), t.is.clone()], &t.is_key)
        .unwrap();
    let dg3 = ta.read_dg3().unwrap();
    let want = sod.data_group_hash(DgNumber::DG3).unwrap();
    assert_eq!(sod.data_group_digest().digest(&dg3), want);
}

#[test]
fn refused_terminals_leave_dg3_closed() {
    let t = terminal();
    let mut card = personalized(Some(&t), 22);
    let can = specimen("pria").can;
    let dg14 = {
        let mut s = card.pace(&can).unwrap();
        Dg14::decode(&s.read(LdsFile::Dg(DgNumber::DG14)).unwrap()).unwrap()
    };
    // Wrong key for the IS certificate.
    let wrong = SoftwareCvSigner::generate(Curve::NistP256).unwrap();
    let ca = card.pace(&can).unwrap().chip_authenticate(&dg14).unwrap();
    let err = ca
        .terminal_authenticate(&[t.dv.clone(), t.is.clone()], &wrong)
        .unwrap_err();
    assert!(
        matches!(err, Error::Sm(ektp_sm::Error::TaAuthenticationFailed)),
        "{err}"
    );
    // An IS certificate without read-DG3: TA passes, DG3 stays closed.
    let is_dg4 = issue(
        "IDISTERM0002",
        Role::Terminal,
        AccessRights::READ_DG4,
        "260110",
        "260701",
        &t.is_key,
        &t.dv,
        &t.dv_key,
    );
    let ca = card.pace(&can).unwrap().chip_authenticate(&dg14).unwrap();
    let mut ta = ca
        .terminal_authenticate(&[t.dv.clone(), is_dg4], &t.is_key)
        .unwrap();
    assert!(refused_6982(&ta.read_dg3().unwrap_err()));
    // A chain from another department.
    let other = terminal();
    let ca = card.pace(&can).unwrap().chip_authenticate(&dg14).unwrap();
    let err = ca
        .terminal_authenticate(&[other.dv, other.is], &other.is_key)
        .unwrap_err();
    assert!(
        matches!(err, Error::Sm(ektp_sm::Error::TaCertificateRejected)),
        "{err}"
    );
    // Still closed over plain PACE.
    let mut s = card.pace(&can).unwrap();
    assert!(refused_6982(
        &s.read(LdsFile::Dg(DgNumber::DG3)).unwrap_err()
    ));
}

#[test]
fn a_card_without_a_trust_point_allows_no_terminal() {
    let t = terminal();
    let mut card = personalized(None, 23);
    let can = specimen("pria").can;
    let mut s = card.pace(&can).unwrap();
    let dg14 = Dg14::decode(&s.read(LdsFile::Dg(DgNumber::DG14)).unwrap()).unwrap();
    let ca = s.chip_authenticate(&dg14).unwrap();
    assert!(ca.terminal_authenticate(&[t.dv, t.is], &t.is_key).is_err());
}

#[test]
fn verify_reports_chip_authentication_and_catches_a_card_with_another_key() {
    let t = terminal();
    let mut card = personalized(Some(&t), 24);
    let pki = pki();
    let app = specimen("pria");
    let revoked = RevocationList::new();
    let policy = VerifyPolicy {
        trust: &pki.trust,
        revoked: &revoked,
        expected: Some(&app),
        at: SystemTime::now(),
    };
    let report = card.verify(&app.can, &policy).unwrap();
    let ca = report
        .checks
        .iter()
        .find(|c| c.check == CheckKind::ChipAuthentication)
        .expect("chip_authentication check");
    assert!(ca.passed, "{ca:?}");

    // Chip Authentication against a DG14 key the chip does not hold fails (a clone that
    // copied DG14 and EF.SOD but not the private key).
    let mut s = card.pace(&app.can).unwrap();
    let dg14 = Dg14::decode(&s.read(LdsFile::Dg(DgNumber::DG14)).unwrap()).unwrap();
    let mut infos = ektp_sm::card_access::SecurityInfos::from_der(dg14.content()).unwrap();
    let sk = ektp_sm::ca::generate_private_key(ektp_sm::DomainParameters::NistP256).unwrap();
    let other = ektp_sm::ca::public_key(ektp_sm::DomainParameters::NistP256, &sk).unwrap();
    for i in &mut infos.0 {
        if let ektp_sm::card_access::SecurityInfo::ChipAuthenticationPublicKey(pk) = i {
            pk.public_key = other;
        }
    }
    let forged = Dg14::new(infos).unwrap();
    assert!(s.chip_authenticate(&forged).is_err());
}

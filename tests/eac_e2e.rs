//! Extended Access Control through the real PC/SC stack: `ektp` → `ektp-pcsc` → pcscd → vpcd →
//! the virtual e-KTP chip. A specimen personalized with a TEST ONLY CVCA; a terminal with a
//! valid chain (CVCA → DV → IS with read-DG3) reads DG3 and its hash matches EF.SOD; no TA, an
//! IS certificate expired by the chip's date, an IS CHAT without DG3, a DV from another CVCA,
//! an IS signed by another DV, a stranger's CVCA link certificate and a wrong EXTERNAL
//! AUTHENTICATE signature are each refused, and DG3 stays closed; a CVCA rollover through a
//! genuine link certificate opens DG3 to a chain under the new CVCA; and the chip's date, once
//! moved forward, never moves back (the original terminal stays expired).
//! TA before CA cannot be written with the host API (the typestate has no such method); the
//! chip's own refusal of it and of a replayed EXTERNAL AUTHENTICATE is shown in
//! `crates/ektp-chip/tests/eac.rs`.
//!
//! Run as `flock /tmp/pcscd.lock cargo test -p ektp-tests --test eac_e2e` (pcscd running).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::arithmetic_side_effects,
    clippy::too_many_arguments
)]

#[path = "fixtures.rs"]
mod fixtures;

use ektp::{Card, Error, Station};
use ektp_iso7816::StatusWord;
use ektp_lds::{Dg14, DgNumber, LdsFile};
use ektp_pcsc::Disposition;
use ektp_pki::EfSod;
use ektp_pki::cvc::{
    AccessRights, CertificateBuilder, CertificateReference, Chat, Curve, CvCertificate, CvDate,
    CvSigner, Role, SoftwareCvSigner,
};
use ektp_tests::Slot;
use fixtures::*;

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
    .issue(&subject.public_key(role == Role::Cvca), issuer, issuer_key)
    .unwrap()
}

struct Terminal {
    cvca: CvCertificate,
    cvca_key: SoftwareCvSigner,
    dv: CvCertificate,
    dv_key: SoftwareCvSigner,
    is: CvCertificate,
    is_key: SoftwareCvSigner,
}

/// TEST ONLY department CVCA, a bank's DV, one of its terminals with read-DG3.
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
        cvca_key,
        dv,
        dv_key,
        is,
        is_key,
    }
}

fn refused_6982(e: &Error) -> bool {
    matches!(e, Error::Card { sw, .. } if *sw == StatusWord::SECURITY_STATUS_NOT_SATISFIED)
}

#[test]
fn terminal_authentication_through_pcscd_opens_dg3_only_to_a_valid_terminal() {
    let slot = Slot::zero();
    let pki = pki();
    let key = master_key();
    let t = terminal();
    let station = Station {
        signer: &pki.signer,
        master_key: &key,
        trust: &pki.trust,
        cvca: Some(&t.cvca),
    };
    let app = specimen("pria");
    let can = app.can.clone();
    let (inserted, _) = slot.insert(blank_chip(70), None);
    let mut card = Card::new(slot.ctx.connect(slot.reader).unwrap()).unwrap();
    let outcome = card.personalize(&app, &station, &mut |_| {}).unwrap();
    assert!(outcome.report.passed, "{:?}", outcome.report);

    let (dg14, sod) = {
        let mut s = card.pace(&can).unwrap();
        let dg14 = Dg14::decode(&s.read(LdsFile::Dg(DgNumber::DG14)).unwrap()).unwrap();
        let sod = EfSod::from_bytes(&s.read(LdsFile::Sod).unwrap()).unwrap();
        (dg14, sod)
    };

    // A valid chain reads DG3; its hash matches EF.SOD.
    {
        let mut ta = card
            .pace(&can)
            .unwrap()
            .chip_authenticate(&dg14)
            .unwrap()
            .terminal_authenticate(&[t.dv.clone(), t.is.clone()], &t.is_key)
            .unwrap();
        let dg3 = ta.read_dg3().unwrap();
        assert_eq!(
            sod.data_group_digest().digest(&dg3),
            sod.data_group_hash(DgNumber::DG3).unwrap()
        );
    }

    // No TA: DG3 closed over PACE and over PACE + CA.
    {
        let mut s = card.pace(&can).unwrap();
        assert!(refused_6982(
            &s.read(LdsFile::Dg(DgNumber::DG3)).unwrap_err()
        ));
        let mut ca = s.chip_authenticate(&dg14).unwrap();
        assert!(refused_6982(
            &ca.read(LdsFile::Dg(DgNumber::DG3)).unwrap_err()
        ));
    }

    // An IS certificate whose CHAT lacks DG3: TA passes, DG3 stays closed.
    {
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
        let mut ta = card
            .pace(&can)
            .unwrap()
            .chip_authenticate(&dg14)
            .unwrap()
            .terminal_authenticate(&[t.dv.clone(), is_dg4], &t.is_key)
            .unwrap();
        assert!(refused_6982(&ta.read_dg3().unwrap_err()));
    }

    // A DV not issued by the chip's CVCA (another department's chain).
    {
        let other = terminal();
        let err = card
            .pace(&can)
            .unwrap()
            .chip_authenticate(&dg14)
            .unwrap()
            .terminal_authenticate(&[other.dv, other.is], &other.is_key)
            .unwrap_err();
        assert!(
            matches!(err, Error::Sm(ektp_sm::Error::TaCertificateRejected)),
            "{err}"
        );
    }

    // A wrong EXTERNAL AUTHENTICATE signature (a key that is not the IS certificate's).
    {
        let wrong = SoftwareCvSigner::generate(Curve::NistP256).unwrap();
        let err = card
            .pace(&can)
            .unwrap()
            .chip_authenticate(&dg14)
            .unwrap()
            .terminal_authenticate(&[t.dv.clone(), t.is.clone()], &wrong)
            .unwrap_err();
        assert!(
            matches!(err, Error::Sm(ektp_sm::Error::TaAuthenticationFailed)),
            "{err}"
        );
    }

    // An IS certificate whose CAR names our DV but which another DV's key signed.
    {
        let other = terminal();
        let forged = issue(
            "IDISTERM0009",
            Role::Terminal,
            AccessRights::READ_DG3,
            "260110",
            "260701",
            &t.is_key,
            // Another department's DV of the same name: the CAR says IDDVBANK0001.
            &other.dv,
            &other.dv_key,
        );
        let err = card
            .pace(&can)
            .unwrap()
            .chip_authenticate(&dg14)
            .unwrap()
            .terminal_authenticate(&[t.dv.clone(), forged], &t.is_key)
            .unwrap_err();
        assert!(
            matches!(err, Error::Sm(ektp_sm::Error::TaCertificateRejected)),
            "{err}"
        );
    }

    // A CVCA link certificate from a stranger (a key that is not our CVCA's) is refused, and
    // so is the chain it would have opened.
    {
        // A stranger's CVCA of the same name: the CAR says IDCVCA00001.
        let stranger = terminal();
        let new_cvca_key = SoftwareCvSigner::generate(Curve::NistP256).unwrap();
        let link = issue(
            "IDCVCA00002",
            Role::Cvca,
            AccessRights::READ_DG3,
            "260101",
            "300101",
            &new_cvca_key,
            &stranger.cvca,
            &stranger.cvca_key,
        );
        let dv = issue(
            "IDDVBANK0005",
            Role::DvDomestic,
            AccessRights::READ_DG3,
            "260101",
            "270101",
            &t.dv_key,
            &link,
            &new_cvca_key,
        );
        let is = issue(
            "IDISTERM0005",
            Role::Terminal,
            AccessRights::READ_DG3,
            "260110",
            "260701",
            &t.is_key,
            &dv,
            &t.dv_key,
        );
        let err = card
            .pace(&can)
            .unwrap()
            .chip_authenticate(&dg14)
            .unwrap()
            .terminal_authenticate(&[link, dv, is], &t.is_key)
            .unwrap_err();
        assert!(
            matches!(err, Error::Sm(ektp_sm::Error::TaCertificateRejected)),
            "{err}"
        );
    }

    // CVCA rollover: a link certificate signed by the old CVCA key carries the chip to the new
    // CVCA, and a chain under the new CVCA reads DG3.
    {
        let new_cvca_key = SoftwareCvSigner::generate(Curve::NistP256).unwrap();
        let link = issue(
            "IDCVCA00003",
            Role::Cvca,
            AccessRights::READ_DG3.union(AccessRights::READ_DG4),
            "260101",
            "300101",
            &new_cvca_key,
            &t.cvca,
            &t.cvca_key,
        );
        let dv = issue(
            "IDDVBANK0006",
            Role::DvDomestic,
            AccessRights::READ_DG3,
            "260101",
            "270101",
            &t.dv_key,
            &link,
            &new_cvca_key,
        );
        let is = issue(
            "IDISTERM0006",
            Role::Terminal,
            AccessRights::READ_DG3,
            "260110",
            "260701",
            &t.is_key,
            &dv,
            &t.dv_key,
        );
        let mut ta = card
            .pace(&can)
            .unwrap()
            .chip_authenticate(&dg14)
            .unwrap()
            .terminal_authenticate(&[link, dv, is], &t.is_key)
            .unwrap();
        let dg3 = ta.read_dg3().unwrap();
        assert_eq!(
            sod.data_group_hash(DgNumber::DG3).unwrap(),
            sod.data_group_digest().digest(&dg3).as_slice()
        );
    }

    // An IS certificate expired by the chip's date: a later DV (effective 260801) moves the
    // chip's date past the end of an IS it issued valid only until 260701. Last, because the
    // chip's date never moves back.
    {
        let dv2_key = SoftwareCvSigner::generate(Curve::NistP256).unwrap();
        let dv2 = issue(
            "IDDVBANK0002",
            Role::DvDomestic,
            AccessRights::READ_DG3,
            "260801",
            "270101",
            &dv2_key,
            &t.cvca,
            &t.cvca_key,
        );
        let is_old = issue(
            "IDISTERM0003",
            Role::Terminal,
            AccessRights::READ_DG3,
            "260110",
            "260701",
            &t.is_key,
            &dv2,
            &dv2_key,
        );
        let err = card
            .pace(&can)
            .unwrap()
            .chip_authenticate(&dg14)
            .unwrap()
            .terminal_authenticate(&[dv2.clone(), is_old], &t.is_key)
            .unwrap_err();
        assert!(
            matches!(err, Error::Sm(ektp_sm::Error::TaCertificateRejected)),
            "{err}"
        );
        // The original chain's IS (valid until 260701) is now expired by the chip's date too.
        let err = card
            .pace(&can)
            .unwrap()
            .chip_authenticate(&dg14)
            .unwrap()
            .terminal_authenticate(&[t.dv.clone(), t.is.clone()], &t.is_key)
            .unwrap_err();
        assert!(
            matches!(err, Error::Sm(ektp_sm::Error::TaCertificateRejected)),
            "{err}"
        );
    }

    // After all refusals, DG3 is still closed over PACE + CA.
    {
        let mut ca = card.pace(&can).unwrap().chip_authenticate(&dg14).unwrap();
        assert!(refused_6982(
            &ca.read(LdsFile::Dg(DgNumber::DG3)).unwrap_err()
        ));
    }

    card.into_transport()
        .disconnect(Disposition::LeaveCard)
        .unwrap();
    let removed = inserted.remove().unwrap();
    assert_eq!(removed.card.lifecycle(), ektp_chip::Lifecycle::Issued);
    slot.wait_empty();
}

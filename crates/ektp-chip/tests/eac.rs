//! Extended Access Control on the virtual chip, in-process: Chip Authentication, Terminal
//! Authentication with TEST ONLY CV certificate chains built with `ektp_pki::cvc`, the DG3
//! gate, the chip's date and CVCA rollover. Each refusal checks that DG3 stays closed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::too_many_arguments
)]

mod support;

use ektp_chip::os::Chip;
use ektp_iso7816::{CommandApdu, Ins, ResponseApdu, StatusWord};
use ektp_pki::cvc::{
    AccessRights, CertificateBuilder, CertificateReference, Chat, Curve, CvCertificate, CvDate,
    CvSigner, Role, SoftwareCvSigner,
};
use ektp_sm::ca::{self, CaParams};
use ektp_sm::pace::host as pace_host;
use ektp_sm::ta::{self, TaCertificate, host::TerminalSigner};
use ektp_sm::{Can, FixedRandomness, PaceParams, PacePassword};
use support::{CAN, Host, blank, sample_files, sw};

fn d(s: &str) -> CvDate {
    CvDate::from_yymmdd(s).unwrap()
}

fn r(s: &str) -> CertificateReference {
    CertificateReference::new(s).unwrap()
}

const ALL: AccessRights = AccessRights::READ_DG3.union(AccessRights::READ_DG4);

struct Key(SoftwareCvSigner);
impl TerminalSigner for Key {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, ektp_sm::Error> {
        self.0
            .sign(message)
            .map(|s| s.as_bytes().to_vec())
            .map_err(|e| ektp_sm::Error::TaSigner(e.to_string()))
    }
}

/// The department's TEST ONLY PKI: CVCA → DV → IS with read-DG3.
struct Pki {
    cvca_key: SoftwareCvSigner,
    cvca: CvCertificate,
    dv_key: SoftwareCvSigner,
    dv: CvCertificate,
    is_key: Key,
    is: CvCertificate,
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
        r(chr),
        Chat::inspection_system(role, rights),
        d(from),
        d(to),
    )
    .issue(&subject.public_key(role == Role::Cvca), issuer, issuer_key)
    .unwrap()
}

fn cvca(chr: &str, key: &SoftwareCvSigner) -> CvCertificate {
    CertificateBuilder::new(
        r(chr),
        Chat::inspection_system(Role::Cvca, ALL),
        d("260101"),
        d("290101"),
    )
    .self_signed(key)
    .unwrap()
}

fn pki() -> Pki {
    let cvca_key = SoftwareCvSigner::generate(Curve::NistP256).unwrap();
    let cvca = cvca("IDCVCA00001", &cvca_key);
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
        ALL,
        "260110",
        "260701",
        &is_key,
        &dv,
        &dv_key,
    );
    Pki {
        cvca_key,
        cvca,
        dv_key,
        dv,
        is_key: Key(is_key),
        is,
    }
}

/// An issued chip with a Chip Authentication key and `trust` as its CVCA; returns the host
/// and the CA public key.
fn chip_with(trust: &CvCertificate) -> (Host, Vec<u8>) {
    let mut h = Host::new(blank());
    h.perso_auth().unwrap();
    h.personalize(&sample_files(), CAN);
    let k = h.sm(&CommandApdu::new(0, Ins::GenerateAsymmetricKeyPair, 0x80, 0x01).with_le(256));
    assert_eq!(k.sw, StatusWord::SUCCESS, "generate CA key");
    let again = h.sm(&CommandApdu::new(0, Ins::GenerateAsymmetricKeyPair, 0x81, 0x01).with_le(256));
    assert_eq!(again.data, k.data, "read CA key back");
    let t = h.sm(&CommandApdu::new(0, Ins::PutData, 0xDF, 0x10).with_data(trust.to_bytes()));
    assert_eq!(t.sw, StatusWord::SUCCESS, "put trust point");
    assert_eq!(h.lock(), StatusWord::SUCCESS);
    (h, k.data)
}

/// PACE, keeping ID_PICC.
fn pace(h: &mut Host) -> Vec<u8> {
    h.sm = None;
    let password = PacePassword::from_can(&Can::new(CAN).unwrap());
    let start = pace_host::Start::with_fixed_randomness(
        &password,
        PaceParams::EKTP_DEFAULT,
        FixedRandomness::new([vec![0x21; 32], vec![0x43; 32]]),
    );
    let (s, cmd) = start.start();
    let r = h.plain(&cmd);
    let (s, cmd) = s.on_response(&r).unwrap();
    let r = h.plain(&cmd);
    let (s, cmd) = s.on_response(&r).unwrap();
    let r = h.plain(&cmd);
    let (s, cmd) = s.on_response(&r).unwrap();
    let r = h.plain(&cmd);
    let (s, cmd) = s.on_response(&r).unwrap();
    let id_picc = ca::compressed(s.chip_ephemeral());
    let r = h.plain(&cmd);
    h.sm = Some(s.on_response(&r).unwrap());
    id_picc
}

/// Chip Authentication; returns Comp(PK_PCD).
fn chip_auth(h: &mut Host, ca_pub: &[u8]) -> Vec<u8> {
    let (s, cmd) = ca::host::Start::new(CaParams::EKTP_DEFAULT, ca_pub, None)
        .unwrap()
        .start();
    let resp = h.sm(&cmd);
    let (s, cmd) = s.on_response(&resp).unwrap();
    let resp = h.sm(&cmd);
    let done = s.on_response(&resp).unwrap();
    let comp = done.compressed_ephemeral();
    h.sm = Some(done.sm);
    comp
}

fn content(cert: &CvCertificate) -> TaCertificate {
    let bytes = cert.to_bytes();
    let t = ektp_iso7816::tlv::parse_one(&bytes).unwrap();
    TaCertificate {
        car: cert.car().as_bytes().to_vec(),
        content: t.value.to_vec(),
    }
}

/// Terminal Authentication; `Err` with the status word of the refused step.
fn terminal_auth(
    h: &mut Host,
    id_picc: &[u8],
    comp: &[u8],
    chain: &[&CvCertificate],
    signer: &dyn TerminalSigner,
) -> Result<Vec<u8>, StatusWord> {
    let terminal = chain.last().unwrap().chr().as_bytes().to_vec();
    let certs = chain.iter().map(|c| content(c)).collect();
    let (mut step, mut cmd) = ta::host::Start::new(certs, &terminal, id_picc, comp)
        .unwrap()
        .start();
    loop {
        let resp = h.sm(&cmd);
        if resp.sw != StatusWord::SUCCESS {
            return Err(resp.sw);
        }
        match step {
            ta::host::Step::Certificates(s) => (step, cmd) = s.on_response(&resp).unwrap(),
            ta::host::Step::SetAt(s) => {
                let (s, gc) = s.on_response(&resp).unwrap();
                let ch = h.sm(&gc);
                let (s, ea) = s.on_response(&ch, signer).unwrap();
                let resp = h.sm(&ea);
                if resp.sw != StatusWord::SUCCESS {
                    return Err(resp.sw);
                }
                s.on_response(&resp).unwrap();
                return Ok(ea.data);
            }
        }
    }
}

fn read_dg3(h: &mut Host) -> Result<Vec<u8>, StatusWord> {
    let r = h.sm(&CommandApdu::new(0, Ins::ReadBinary, 0x83, 0).with_le(65536));
    if r.sw == StatusWord::SUCCESS {
        Ok(r.data)
    } else {
        Err(r.sw)
    }
}

fn dg3_content() -> Vec<u8> {
    sample_files()
        .into_iter()
        .find(|(f, _)| *f == 0x0103)
        .unwrap()
        .1
}

fn chip_date(chip: &Chip) -> String {
    let v: serde_json::Value = serde_json::from_slice(&chip.state_json()).unwrap();
    v["cv_date"].as_str().unwrap().to_owned()
}

#[test]
fn a_valid_chain_reads_dg3() {
    let p = pki();
    let (mut h, ca_pub) = chip_with(&p.cvca);
    let id = pace(&mut h);
    assert_eq!(
        read_dg3(&mut h),
        Err(StatusWord::SECURITY_STATUS_NOT_SATISFIED)
    );
    let comp = chip_auth(&mut h, &ca_pub);
    assert_eq!(
        read_dg3(&mut h),
        Err(StatusWord::SECURITY_STATUS_NOT_SATISFIED)
    );
    terminal_auth(&mut h, &id, &comp, &[&p.dv, &p.is], &p.is_key).unwrap();
    assert_eq!(read_dg3(&mut h).unwrap(), dg3_content());
    // The IS's effective date moved the chip's date forward.
    assert_eq!(chip_date(&h.chip), "260110");
    // A new PACE session starts without rights.
    pace(&mut h);
    assert_eq!(
        read_dg3(&mut h),
        Err(StatusWord::SECURITY_STATUS_NOT_SATISFIED)
    );
}

#[test]
fn chip_authentication_with_a_wrong_key_breaks_the_channel() {
    let p = pki();
    let (mut h, _) = chip_with(&p.cvca);
    pace(&mut h);
    let other = ca::public_key(
        CaParams::EKTP_DEFAULT.domain,
        &ca::generate_private_key(CaParams::EKTP_DEFAULT.domain).unwrap(),
    )
    .unwrap();
    let (s, cmd) = ca::host::Start::new(CaParams::EKTP_DEFAULT, other.as_bytes(), None)
        .unwrap()
        .start();
    let resp = h.sm(&cmd);
    let (s, cmd) = s.on_response(&resp).unwrap();
    let resp = h.sm(&cmd);
    let mut done = s.on_response(&resp).unwrap();
    let wrapped = done
        .sm
        .wrap(&CommandApdu::new(0, Ins::ReadBinary, 0x81, 0).with_le(256))
        .unwrap();
    let raw = h.raw(&wrapped.to_bytes().unwrap());
    let resp = ResponseApdu::parse(&raw).unwrap();
    assert!(done.sm.unwrap(&resp).is_err());
}

#[test]
fn terminal_authentication_before_chip_authentication_is_refused() {
    let p = pki();
    let (mut h, _) = chip_with(&p.cvca);
    let id = pace(&mut h);
    let err = terminal_auth(&mut h, &id, &[0; 32], &[&p.dv, &p.is], &p.is_key).unwrap_err();
    assert_eq!(err, StatusWord::CONDITIONS_NOT_SATISFIED);
    assert_eq!(
        read_dg3(&mut h),
        Err(StatusWord::SECURITY_STATUS_NOT_SATISFIED)
    );
}

#[test]
fn an_is_certificate_expired_by_the_chips_date_is_refused() {
    let p = pki();
    let (mut h, ca_pub) = chip_with(&p.cvca);
    // A later DV moves the chip's date to 260801, after the IS expired (260701).
    let dv2_key = SoftwareCvSigner::generate(Curve::NistP256).unwrap();
    let dv2 = issue(
        "IDDVBANK0002",
        Role::DvDomestic,
        AccessRights::READ_DG3,
        "260801",
        "270101",
        &dv2_key,
        &p.cvca,
        &p.cvca_key,
    );
    let id = pace(&mut h);
    let comp = chip_auth(&mut h, &ca_pub);
    // dv2 is accepted, then the chain ends without a terminal: MSE:Set AT refused.
    let err = terminal_auth(&mut h, &id, &comp, &[&dv2], &p.is_key).unwrap_err();
    assert_eq!(err, StatusWord::CONDITIONS_NOT_SATISFIED);
    assert_eq!(chip_date(&h.chip), "260801");
    let id = pace(&mut h);
    let comp = chip_auth(&mut h, &ca_pub);
    let err = terminal_auth(&mut h, &id, &comp, &[&p.dv, &p.is], &p.is_key).unwrap_err();
    assert_eq!(err, StatusWord(0x6300));
    assert_eq!(
        read_dg3(&mut h),
        Err(StatusWord::SECURITY_STATUS_NOT_SATISFIED)
    );
}

#[test]
fn an_is_certificate_without_dg3_rights_does_not_open_dg3() {
    let p = pki();
    let (mut h, ca_pub) = chip_with(&p.cvca);
    let k = Key(SoftwareCvSigner::generate(Curve::NistP256).unwrap());
    let is = issue(
        "IDISTERM0002",
        Role::Terminal,
        AccessRights::READ_DG4,
        "260110",
        "260701",
        &k.0,
        &p.dv,
        &p.dv_key,
    );
    let id = pace(&mut h);
    let comp = chip_auth(&mut h, &ca_pub);
    terminal_auth(&mut h, &id, &comp, &[&p.dv, &is], &k).unwrap();
    assert_eq!(
        read_dg3(&mut h),
        Err(StatusWord::SECURITY_STATUS_NOT_SATISFIED)
    );
}

#[test]
fn a_dv_not_issued_by_the_chips_cvca_is_refused() {
    let p = pki();
    let (mut h, ca_pub) = chip_with(&p.cvca);
    // A stranger's CVCA with the same name.
    let stranger_key = SoftwareCvSigner::generate(Curve::NistP256).unwrap();
    let stranger = cvca("IDCVCA00001", &stranger_key);
    let dv_key = SoftwareCvSigner::generate(Curve::NistP256).unwrap();
    let dv = issue(
        "IDDVEVIL0001",
        Role::DvDomestic,
        ALL,
        "260101",
        "270101",
        &dv_key,
        &stranger,
        &stranger_key,
    );
    let is = issue(
        "IDISEVIL0001",
        Role::Terminal,
        ALL,
        "260110",
        "260701",
        &p.is_key.0,
        &dv,
        &dv_key,
    );
    let id = pace(&mut h);
    let comp = chip_auth(&mut h, &ca_pub);
    let err = terminal_auth(&mut h, &id, &comp, &[&dv, &is], &p.is_key).unwrap_err();
    assert_eq!(err, StatusWord(0x6300));
    assert_eq!(
        read_dg3(&mut h),
        Err(StatusWord::SECURITY_STATUS_NOT_SATISFIED)
    );
}

#[test]
fn an_is_issued_by_another_dv_is_refused() {
    let p = pki();
    let (mut h, ca_pub) = chip_with(&p.cvca);
    let dv2_key = SoftwareCvSigner::generate(Curve::NistP256).unwrap();
    let dv2 = issue(
        "IDDVBANK0002",
        Role::DvDomestic,
        ALL,
        "260101",
        "270101",
        &dv2_key,
        &p.cvca,
        &p.cvca_key,
    );
    let is2 = issue(
        "IDISTERM0002",
        Role::Terminal,
        ALL,
        "260110",
        "260701",
        &p.is_key.0,
        &dv2,
        &dv2_key,
    );
    let id = pace(&mut h);
    let comp = chip_auth(&mut h, &ca_pub);
    // The chain names the first DV, the IS was issued by the second: MSE:Set DST selects
    // IDDVBANK0002, which the chip never verified.
    let err = terminal_auth(&mut h, &id, &comp, &[&p.dv, &is2], &p.is_key).unwrap_err();
    assert_eq!(err, StatusWord(0x6300));
    assert_eq!(
        read_dg3(&mut h),
        Err(StatusWord::SECURITY_STATUS_NOT_SATISFIED)
    );
}

#[test]
fn a_wrong_external_authenticate_signature_is_refused() {
    let p = pki();
    let (mut h, ca_pub) = chip_with(&p.cvca);
    let id = pace(&mut h);
    let comp = chip_auth(&mut h, &ca_pub);
    let wrong = Key(SoftwareCvSigner::generate(Curve::NistP256).unwrap());
    let err = terminal_auth(&mut h, &id, &comp, &[&p.dv, &p.is], &wrong).unwrap_err();
    assert_eq!(err, StatusWord(0x6300));
    assert_eq!(
        read_dg3(&mut h),
        Err(StatusWord::SECURITY_STATUS_NOT_SATISFIED)
    );
}

#[test]
fn a_replayed_external_authenticate_is_refused() {
    let p = pki();
    let (mut h, ca_pub) = chip_with(&p.cvca);
    let id = pace(&mut h);
    let comp = chip_auth(&mut h, &ca_pub);
    let old_signature = terminal_auth(&mut h, &id, &comp, &[&p.dv, &p.is], &p.is_key).unwrap();
    // Again in the same session: no run is waiting.
    let again = h.sm(&ta::external_authenticate(&old_signature));
    assert_eq!(again.sw, StatusWord::CONDITIONS_NOT_SATISFIED);
    // In a new session, the old signature over the old challenge and keys.
    struct Replay(Vec<u8>);
    impl TerminalSigner for Replay {
        fn sign(&self, _m: &[u8]) -> Result<Vec<u8>, ektp_sm::Error> {
            Ok(self.0.clone())
        }
    }
    let id = pace(&mut h);
    let comp = chip_auth(&mut h, &ca_pub);
    let err =
        terminal_auth(&mut h, &id, &comp, &[&p.dv, &p.is], &Replay(old_signature)).unwrap_err();
    assert_eq!(err, StatusWord(0x6300));
    assert_eq!(
        read_dg3(&mut h),
        Err(StatusWord::SECURITY_STATUS_NOT_SATISFIED)
    );
}

#[test]
fn a_cvca_link_certificate_from_a_stranger_is_refused() {
    let p = pki();
    let (mut h, ca_pub) = chip_with(&p.cvca);
    let before = h.chip.state_json();
    let stranger_key = SoftwareCvSigner::generate(Curve::NistP256).unwrap();
    let fake_old = cvca("IDCVCA00001", &stranger_key);
    let new_key = SoftwareCvSigner::generate(Curve::NistP256).unwrap();
    let link = issue(
        "IDCVCA00002",
        Role::Cvca,
        ALL,
        "260201",
        "290201",
        &new_key,
        &fake_old,
        &stranger_key,
    );
    let dv = issue(
        "IDDVBANK0009",
        Role::DvDomestic,
        ALL,
        "260201",
        "270101",
        &p.dv_key,
        &link,
        &new_key,
    );
    let is = issue(
        "IDISTERM0009",
        Role::Terminal,
        ALL,
        "260210",
        "260701",
        &p.is_key.0,
        &dv,
        &p.dv_key,
    );
    let id = pace(&mut h);
    let comp = chip_auth(&mut h, &ca_pub);
    let err = terminal_auth(&mut h, &id, &comp, &[&link, &dv, &is], &p.is_key).unwrap_err();
    assert_eq!(err, StatusWord(0x6300));
    assert_eq!(
        read_dg3(&mut h),
        Err(StatusWord::SECURITY_STATUS_NOT_SATISFIED)
    );
    assert_eq!(
        h.chip.state_json(),
        before,
        "no trust point, no date change"
    );
}

#[test]
fn the_chips_date_never_moves_backwards() {
    let p = pki();
    let (mut h, ca_pub) = chip_with(&p.cvca);
    assert_eq!(chip_date(&h.chip), "260101");
    let id = pace(&mut h);
    let comp = chip_auth(&mut h, &ca_pub);
    terminal_auth(&mut h, &id, &comp, &[&p.dv, &p.is], &p.is_key).unwrap();
    assert_eq!(chip_date(&h.chip), "260110");
    // An older DV and IS (effective earlier, still valid) do not move it back.
    let dv_old = issue(
        "IDDVBANK0003",
        Role::DvDomestic,
        ALL,
        "260102",
        "270101",
        &p.dv_key,
        &p.cvca,
        &p.cvca_key,
    );
    let is_old = issue(
        "IDISTERM0003",
        Role::Terminal,
        ALL,
        "260103",
        "260701",
        &p.is_key.0,
        &dv_old,
        &p.dv_key,
    );
    let id = pace(&mut h);
    let comp = chip_auth(&mut h, &ca_pub);
    terminal_auth(&mut h, &id, &comp, &[&dv_old, &is_old], &p.is_key).unwrap();
    assert_eq!(chip_date(&h.chip), "260110");
    // Survives save and load.
    let reloaded = Chip::from_state_json(&h.chip.state_json()).unwrap();
    assert_eq!(chip_date(&reloaded), "260110");
}

#[test]
fn a_cvca_rollover_via_link_certificate_works_for_a_new_chain() {
    let p = pki();
    let (mut h, ca_pub) = chip_with(&p.cvca);
    let new_key = SoftwareCvSigner::generate(Curve::NistP256).unwrap();
    let link = issue(
        "IDCVCA00002",
        Role::Cvca,
        ALL,
        "260201",
        "290201",
        &new_key,
        &p.cvca,
        &p.cvca_key,
    );
    let dv = issue(
        "IDDVBANK0009",
        Role::DvDomestic,
        ALL,
        "260201",
        "270101",
        &p.dv_key,
        &link,
        &new_key,
    );
    let is = issue(
        "IDISTERM0009",
        Role::Terminal,
        ALL,
        "260210",
        "260701",
        &p.is_key.0,
        &dv,
        &p.dv_key,
    );
    let id = pace(&mut h);
    let comp = chip_auth(&mut h, &ca_pub);
    terminal_auth(&mut h, &id, &comp, &[&link, &dv, &is], &p.is_key).unwrap();
    assert_eq!(read_dg3(&mut h).unwrap(), dg3_content());
    // The new CVCA is now a trust point: the chain without the link works too.
    let id = pace(&mut h);
    let comp = chip_auth(&mut h, &ca_pub);
    terminal_auth(&mut h, &id, &comp, &[&dv, &is], &p.is_key).unwrap();
    assert_eq!(read_dg3(&mut h).unwrap(), dg3_content());
}

#[test]
fn old_state_files_without_eac_fields_still_load() {
    let chip = support::issued();
    let mut v: serde_json::Value = serde_json::from_slice(&chip.state_json()).unwrap();
    let o = v.as_object_mut().unwrap();
    o.remove("ca_private_key");
    o.remove("cvca_trust_points");
    o.remove("cv_date");
    let old = serde_json::to_vec(&v).unwrap();
    let back = Chip::from_state_json(&old).unwrap();
    assert_eq!(back.lifecycle(), chip.lifecycle());
    let _ = sw;
}

#[test]
fn the_ca_private_key_never_leaves_in_any_response() {
    let p = pki();
    let (mut h, ca_pub) = chip_with(&p.cvca);
    let id = pace(&mut h);
    let comp = chip_auth(&mut h, &ca_pub);
    terminal_auth(&mut h, &id, &comp, &[&p.dv, &p.is], &p.is_key).unwrap();
    read_dg3(&mut h).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&h.chip.state_json()).unwrap();
    let key = hex::decode(v["ca_private_key"].as_str().unwrap()).unwrap();
    assert_eq!(key.len(), 32);
    for (_, resp) in &h.log {
        assert!(!resp.windows(32).any(|w| w == key.as_slice()));
    }
    assert!(!format!("{:?}", h.chip).contains(&hex::encode(&key)));
}

//! Fuzz the chip's APDU dispatcher in every lifecycle state, plain and inside live secure
//! messaging sessions.
//!
//! Input: byte 0 picks the situation (mod 6): 0 BLANK, 1 PERSONALIZING, 2 ISSUED — raw
//! APDUs; 3 PERSONALIZING inside the personalization session, 4 ISSUED inside a PACE session,
//! 5 ISSUED after PACE and Chip Authentication (Terminal Authentication's MSE:Set DST,
//! PSO:Verify Certificate, MSE:Set AT, EXTERNAL AUTHENTICATE reachable) — each APDU is
//! wrapped with the real session keys first (so the fuzzer reaches the command handlers
//! behind secure messaging). The chip has a Chip Authentication key and a TEST ONLY CVCA
//! trust point. The rest is a sequence of APDUs, each prefixed by a
//! one-byte length. The chip must never panic and always answer 2..=65535 bytes.
#![no_main]

use std::sync::OnceLock;

use ektp_chip::card::Card;
use ektp_chip::os::{Chip, test_perso_master_key};
use ektp_iso7816::{CommandApdu, Ins, ResponseApdu};
use ektp_sm::ca;
use ektp_sm::pace::host;
use ektp_sm::perso::{HostAuth, PersoKeys};
use ektp_sm::{Can, HostSm, PacePassword, PaceParams};
use libfuzzer_sys::fuzz_target;

const SERIAL: [u8; 8] = [0x45, 0x4B, 0, 0, 0, 0, 0, 1];
const SELECT_APP: [u8; 12] = [0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0, 0, 2, 0x47, 0x10, 0x01];

fn send(chip: &mut Chip, sm: &mut Option<HostSm>, cmd: &CommandApdu) -> ResponseApdu {
    let bytes = match sm.as_mut() {
        Some(s) => s.wrap(cmd).unwrap().to_bytes().unwrap(),
        None => cmd.to_bytes().unwrap(),
    };
    let r = ResponseApdu::parse(&chip.process(&bytes)).unwrap();
    match sm.as_mut() {
        Some(s) => s.unwrap(&r).unwrap(),
        None => r,
    }
}

fn perso(chip: &mut Chip) -> HostSm {
    let keys = PersoKeys::diversify(&test_perso_master_key().unwrap(), &SERIAL).unwrap();
    let ch = chip.process(&[0x00, 0x84, 0x00, 0x00, 0x08]);
    let (auth, data) = HostAuth::start(&keys, ch[..8].try_into().unwrap(), [1; 8], [2; 32]).unwrap();
    let cmd = CommandApdu::new(0, Ins::ExternalAuthenticate, 0, 0).with_data(data).with_le(56);
    let r = chip.process(&cmd.to_bytes().unwrap());
    let s = auth.finish(&r[..56]).unwrap();
    HostSm::from_keys(s.enc().expose_bytes(), s.mac().expose_bytes(), [0; 16]).unwrap()
}

/// Chip Authentication inside `sm` with the chip's key `ca_pub`.
fn chip_auth(chip: &mut Chip, sm: HostSm, ca_pub: &[u8]) -> HostSm {
    let mut sm = Some(sm);
    let (s, cmd) = ca::host::Start::new(ca::CaParams::EKTP_DEFAULT, ca_pub, None).unwrap().start();
    let r = send(chip, &mut sm, &cmd);
    let (s, cmd) = s.on_response(&r).unwrap();
    let r = send(chip, &mut sm, &cmd);
    s.on_response(&r).unwrap().sm
}

/// A TEST ONLY CVCA certificate (fixed key, so runs are reproducible).
fn cvca() -> Vec<u8> {
    use ektp_pki::cvc::*;
    let key = SoftwareCvSigner::from_secret_bytes(Curve::NistP256, &[0x11; 32]).unwrap();
    let all = AccessRights::READ_DG3.union(AccessRights::READ_DG4);
    CertificateBuilder::new(
        CertificateReference::new("IDCVCA00001").unwrap(),
        Chat::inspection_system(Role::Cvca, all),
        CvDate::from_yymmdd("260101").unwrap(),
        CvDate::from_yymmdd("290101").unwrap(),
    )
    .self_signed(&key)
    .unwrap()
    .to_bytes()
}

fn pace(chip: &mut Chip) -> HostSm {
    let pw = PacePassword::from_can(&Can::new("123456").unwrap());
    let (s, cmd) = host::Start::new(&pw, PaceParams::EKTP_DEFAULT).start();
    let r = || -> Option<HostSm> {
        let resp = |c: &CommandApdu, chip: &mut Chip| ResponseApdu::parse(&chip.process(&c.to_bytes().unwrap())).unwrap();
        let (s, c) = s.on_response(&resp(&cmd, chip)).ok()?;
        let (s, c) = s.on_response(&resp(&c, chip)).ok()?;
        let (s, c) = s.on_response(&resp(&c, chip)).ok()?;
        let (s, c) = s.on_response(&resp(&c, chip)).ok()?;
        s.on_response(&resp(&c, chip)).ok()
    };
    r().unwrap()
}

/// Saved states: blank, personalizing (small files, keys, CAN, trust point), issued; and the
/// Chip Authentication public key.
fn states() -> &'static ([Vec<u8>; 3], Vec<u8>) {
    static S: OnceLock<([Vec<u8>; 3], Vec<u8>)> = OnceLock::new();
    S.get_or_init(|| {
        let mut chip = Chip::new_blank(SERIAL, &test_perso_master_key().unwrap()).unwrap();
        let blank = chip.state_json();
        let mut sm = Some(perso(&mut chip));
        send(&mut chip, &mut sm, &CommandApdu::parse(&SELECT_APP).unwrap());
        for f in chip.profile().files.clone() {
            let mut fcp = vec![0x62, 0x0E, 0x80, 0x02, 0x00, 0x10, 0x82, 0x01, 0x01, 0x83, 0x02];
            fcp.extend_from_slice(&f.fid.to_bytes());
            fcp.extend_from_slice(&[0x88, 0x01, f.sfi.map_or(0, |s| s.value()) << 3]);
            send(&mut chip, &mut sm, &CommandApdu::new(0, Ins::CreateFile, 0, 0).with_data(fcp));
            let upd = CommandApdu::new(0, Ins::UpdateBinary, 0, 0).with_data(vec![0x5A; 16]);
            send(&mut chip, &mut sm, &upd);
        }
        send(&mut chip, &mut sm, &CommandApdu::new(0, Ins::GenerateAsymmetricKeyPair, 0x80, 0).with_le(256));
        send(&mut chip, &mut sm, &CommandApdu::new(0, Ins::PutData, 0xDF, 0x03).with_data(b"123456".to_vec()));
        let ca_pub = send(&mut chip, &mut sm, &CommandApdu::new(0, Ins::GenerateAsymmetricKeyPair, 0x80, 0x01).with_le(256)).data;
        send(&mut chip, &mut sm, &CommandApdu::new(0, Ins::PutData, 0xDF, 0x10).with_data(cvca()));
        let personalizing = chip.state_json();
        let r = send(&mut chip, &mut sm, &CommandApdu::new(0, Ins::ActivateFile, 0, 0));
        assert!(r.is_ok(), "lock");
        ([blank, personalizing, chip.state_json()], ca_pub)
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, mut rest)) = data.split_first() else { return };
    let mode = mode % 6;
    let idx: usize = match mode { 0 => 0, 1 | 3 => 1, _ => 2 };
    let (saved, ca_pub) = states();
    let mut chip = Chip::from_state_json(&saved[idx]).unwrap();
    chip.set_test_rng_seed([3; 32]);
    chip.power_on();
    let mut sm = match mode {
        3 => Some(perso(&mut chip)),
        4 => {
            chip.process(&SELECT_APP);
            Some(pace(&mut chip))
        }
        5 => {
            chip.process(&SELECT_APP);
            let sm = pace(&mut chip);
            Some(chip_auth(&mut chip, sm, ca_pub))
        }
        _ => None,
    };
    for _ in 0..32 {
        let Some((&len, tail)) = rest.split_first() else { break };
        let len = usize::from(len).min(tail.len());
        let (apdu, tail) = tail.split_at(len);
        rest = tail;
        let ins = CommandApdu::parse(apdu).map(|c| c.ins).ok();
        let raw = match (sm.as_mut(), CommandApdu::parse(apdu)) {
            (Some(s), Ok(cmd)) if s.is_open() => {
                let cmd = CommandApdu { cla: cmd.cla & 0x10, ..cmd };
                match s.wrap(&cmd).and_then(|w| w.to_bytes().map_err(Into::into)) {
                    Ok(b) => b,
                    Err(_) => apdu.to_vec(),
                }
            }
            _ => apdu.to_vec(),
        };
        let r = chip.process(&raw);
        assert!((2..=65535).contains(&r.len()));
        if let Some(s) = sm.as_mut() {
            if let Ok(resp) = ResponseApdu::parse(&r) {
                // A protected answer must verify; a plain one means the chip closed the session.
                if resp.data.is_empty() {
                    sm = None;
                } else {
                    let inner = s.unwrap(&resp);
                    assert!(inner.is_ok(), "chip's protected response did not verify");
                    // A successful Chip Authentication GENERAL AUTHENTICATE switched the chip
                    // to keys only the fuzzer's random ephemeral key knows.
                    if ins == Some(Ins::GeneralAuthenticate) && inner.is_ok_and(|r| r.is_ok()) {
                        sm = None;
                    }
                }
            }
        }
    }
});

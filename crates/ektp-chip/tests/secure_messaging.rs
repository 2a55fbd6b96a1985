//! Secure messaging faults at the chip: every SM error ends the session (keys dropped) and
//! is answered in plain with `6987`/`6988`; replays are refused; a plain command ends SM.
#![allow(
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use ektp_iso7816::{CommandApdu, Ins, ResponseApdu, StatusWord};
use support::{CAN, Host, issued, personalizing, sw};

const READ_DG1: [u8; 5] = [0x00, 0xB0, 0x81, 0x00, 0x04];

fn read_dg1() -> CommandApdu {
    CommandApdu::parse(&READ_DG1).unwrap()
}

fn pace_host() -> Host {
    let mut h = Host::new(issued());
    h.raw(&[
        0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0, 0, 2, 0x47, 0x10, 0x01,
    ]);
    h.pace(CAN).unwrap();
    assert_eq!(h.sm(&read_dg1()).sw, StatusWord::SUCCESS);
    h
}

/// The session is gone: a correctly protected command now gets 6988 in plain.
fn assert_session_closed(h: &mut Host) {
    assert!(!h.chip.has_session());
    let mut fresh = pace_host_sm_copy(h);
    let wrapped = fresh.wrap(&read_dg1()).unwrap().to_bytes().unwrap();
    assert_eq!(h.raw(&wrapped), [0x69, 0x88]);
}

/// A host SM with the same keys and SSC the host has now (so its next command would have
/// been valid had the chip kept the session).
fn pace_host_sm_copy(h: &Host) -> ektp_sm::HostSm {
    let sm = h.sm.as_ref().unwrap();
    let keys = sm.expose_session_keys().unwrap();
    ektp_sm::HostSm::from_keys(keys.enc.expose_bytes(), keys.mac.expose_bytes(), sm.ssc()).unwrap()
}

#[test]
fn bad_mac_answers_6988_and_ends_the_session() {
    let mut h = pace_host();
    let mut w =
        h.sm.as_mut()
            .unwrap()
            .wrap(&read_dg1())
            .unwrap()
            .to_bytes()
            .unwrap();
    let n = w.len();
    w[n - 3] ^= 0x01; // inside DO 8E
    assert_eq!(h.raw(&w), [0x69, 0x88]);
    assert_session_closed(&mut h);
    // Data is not readable any more without a new PACE.
    assert_eq!(
        sw(&h.raw(&READ_DG1)),
        StatusWord::SECURITY_STATUS_NOT_SATISFIED
    );
    h.pace(CAN).unwrap();
    assert_eq!(h.sm(&read_dg1()).sw, StatusWord::SUCCESS);
}

#[test]
fn tampered_cryptogram_or_header_answers_6988() {
    // Data byte of DO 87 changed (MAC no longer matches).
    let mut h = pace_host();
    let cmd = CommandApdu::new(0, Ins::ReadBinaryOdd, 0x01, 0x01)
        .with_data(vec![0x54, 0x01, 0x00])
        .with_le(256);
    let mut w =
        h.sm.as_mut()
            .unwrap()
            .wrap(&cmd)
            .unwrap()
            .to_bytes()
            .unwrap();
    w[8] ^= 0x80;
    assert_eq!(h.raw(&w), [0x69, 0x88]);
    assert!(!h.chip.has_session());

    // Header authenticated: P2 changed.
    let mut h = pace_host();
    let mut w =
        h.sm.as_mut()
            .unwrap()
            .wrap(&read_dg1())
            .unwrap()
            .to_bytes()
            .unwrap();
    w[3] = 0x01;
    assert_eq!(h.raw(&w), [0x69, 0x88]);
    assert!(!h.chip.has_session());
}

#[test]
fn replayed_command_is_refused() {
    let mut h = pace_host();
    let w =
        h.sm.as_mut()
            .unwrap()
            .wrap(&read_dg1())
            .unwrap()
            .to_bytes()
            .unwrap();
    let first = h.raw(&w);
    assert_eq!(sw(&first), StatusWord::SUCCESS);
    // The same bytes again: the chip's SSC has moved on, so the MAC fails.
    assert_eq!(h.raw(&w), [0x69, 0x88]);
    assert!(!h.chip.has_session());
}

#[test]
fn missing_mac_answers_6987() {
    let mut h = pace_host();
    // CLA 0C with only a DO 97.
    assert_eq!(
        h.raw(&[0x0C, 0xB0, 0x81, 0x00, 0x03, 0x97, 0x01, 0x04, 0x00]),
        [0x69, 0x87]
    );
    assert!(!h.chip.has_session());
    // CLA 0C without any data object.
    let mut h = pace_host();
    assert_eq!(h.raw(&[0x0C, 0xB0, 0x81, 0x00, 0x00]), [0x69, 0x87]);
    assert!(!h.chip.has_session());
    // Garbage TLV.
    let mut h = pace_host();
    assert_eq!(
        sw(&h.raw(&[0x0C, 0xB0, 0x81, 0x00, 0x02, 0xFF, 0xFF, 0x00])).sw1(),
        0x69
    );
    assert!(!h.chip.has_session());
}

#[test]
fn plain_command_ends_the_session_and_is_answered_unauthenticated() {
    let mut h = pace_host();
    assert_eq!(h.raw(&READ_DG1), [0x69, 0x82]);
    assert_session_closed(&mut h);
}

#[test]
fn chained_protected_command_is_refused() {
    let mut h = pace_host();
    let mut w =
        h.sm.as_mut()
            .unwrap()
            .wrap(&read_dg1())
            .unwrap()
            .to_bytes()
            .unwrap();
    w[0] |= 0x10;
    assert_eq!(h.raw(&w), [0x68, 0x84]);
    assert!(!h.chip.has_session());
}

#[test]
fn malformed_apdu_ends_the_session() {
    let mut h = pace_host();
    assert_eq!(h.raw(&[0x0C, 0xB0]), [0x67, 0x00]);
    assert!(!h.chip.has_session());
}

#[test]
fn responses_are_protected_and_verify() {
    let mut h = pace_host();
    let raw = {
        let w =
            h.sm.as_mut()
                .unwrap()
                .wrap(&read_dg1())
                .unwrap()
                .to_bytes()
                .unwrap();
        h.raw(&w)
    };
    // 87 11 01 <16> 99 02 90 00 8E 08 <8> 90 00
    assert_eq!(raw.len(), 19 + 4 + 10 + 2);
    assert_eq!(&raw[..3], &[0x87, 0x11, 0x01]);
    assert_eq!(&raw[19..23], &[0x99, 0x02, 0x90, 0x00]);
    let resp = ResponseApdu::parse(&raw).unwrap();
    let plain = h.sm.as_mut().unwrap().unwrap(&resp).unwrap();
    assert_eq!(
        plain.data,
        &h.chip
            .file(ektp_iso7816::Fid::new(0x0101).unwrap())
            .unwrap()[..4]
    );
}

#[test]
fn personalization_session_errors_end_it_too() {
    let mut h = Host::new(personalizing());
    h.perso_auth().unwrap();
    let put = CommandApdu::new(0, Ins::PutData, 0xDF, 0x03).with_data(b"999999".to_vec());
    let mut w =
        h.sm.as_mut()
            .unwrap()
            .wrap(&put)
            .unwrap()
            .to_bytes()
            .unwrap();
    let n = w.len();
    w[n - 2] ^= 0xFF; // last MAC byte (the final byte is the unprotected outer Le)
    assert_eq!(sw(&h.raw(&w)), StatusWord::SM_DATA_INCORRECT);
    assert!(!h.chip.has_session());
    // The CAN did not change: PACE with the old one works.
    h.pace(CAN).unwrap();
}

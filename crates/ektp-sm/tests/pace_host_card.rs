//! The host state machine against the card state machine: every curve × cipher combination,
//! and the ways a run must fail.

// Test helpers: a panic here is a test failure.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use ektp_iso7816::{CommandApdu, Ins, ResponseApdu, StatusWord};
use ektp_sm::pace::{card, host};
use ektp_sm::{
    CardSm, CipherSuite, DomainParameters, Error, HostSm, PaceParams, PacePassword, PaceStep,
    PointError,
};

const ALL: [PaceParams; 6] = {
    use CipherSuite::*;
    use DomainParameters::*;
    [
        PaceParams {
            domain: NistP256,
            cipher: Aes128,
        },
        PaceParams {
            domain: NistP256,
            cipher: Aes192,
        },
        PaceParams {
            domain: NistP256,
            cipher: Aes256,
        },
        PaceParams {
            domain: BrainpoolP256r1,
            cipher: Aes128,
        },
        PaceParams {
            domain: BrainpoolP256r1,
            cipher: Aes192,
        },
        PaceParams {
            domain: BrainpoolP256r1,
            cipher: Aes256,
        },
    ]
};

fn pw(can: &str) -> PacePassword {
    PacePassword::from_can(&can.parse().unwrap())
}

/// Round-trips an APDU through its byte encoding, as a reader would.
fn wire_cmd(c: &CommandApdu) -> CommandApdu {
    CommandApdu::parse(&c.to_bytes().unwrap()).unwrap()
}
fn wire_resp(r: &ResponseApdu) -> ResponseApdu {
    ResponseApdu::parse(&r.to_bytes()).unwrap()
}

fn establish(
    params: PaceParams,
    host_can: &str,
    card_can: &str,
) -> Result<(HostSm, CardSm), Error> {
    let (h, cmd) = host::Start::new(&pw(host_can), params).start();
    let (c, r) = card::Idle::new(&pw(card_can), params)
        .on_mse_set_at(&wire_cmd(&cmd))
        .map_err(|r| r.error)?;
    let (h, cmd) = h.on_response(&wire_resp(&r))?;
    let (c, r) = c.on_command(&wire_cmd(&cmd)).map_err(|r| r.error)?;
    let (h, cmd) = h.on_response(&wire_resp(&r))?;
    let (c, r) = c.on_command(&wire_cmd(&cmd)).map_err(|r| r.error)?;
    let (h, cmd) = h.on_response(&wire_resp(&r))?;
    let (c, r) = c.on_command(&wire_cmd(&cmd)).map_err(|r| r.error)?;
    let (h, cmd) = h.on_response(&wire_resp(&r))?;
    let (csm, r) = c.on_command(&wire_cmd(&cmd)).map_err(|r| r.error)?;
    let hsm = h.on_response(&wire_resp(&r))?;
    Ok((hsm, csm))
}

fn exchange(h: &mut HostSm, c: &mut CardSm, cmd: &CommandApdu, resp: ResponseApdu) -> ResponseApdu {
    let at_card = c.unwrap_command(&wire_cmd(&h.wrap(cmd).unwrap())).unwrap();
    assert_eq!(&at_card, cmd);
    h.unwrap(&wire_resp(&c.wrap_response(resp).unwrap()))
        .unwrap()
}

#[test]
fn every_curve_and_cipher_establishes_a_working_session() {
    for params in ALL {
        let (mut h, mut c) = establish(params, "123456", "123456").unwrap();
        assert_eq!(h.ssc(), [0; 16]);
        let cmds = [
            CommandApdu::new(0, Ins::Select, 0x02, 0x0C).with_data(vec![0x01, 0x1E]),
            CommandApdu::new(0, Ins::ReadBinary, 0, 0).with_le(256),
            CommandApdu::new(0, Ins::ReadBinaryOdd, 0, 0)
                .with_data(vec![0x54, 0x02, 0x01, 0x00])
                .with_le(65_536),
            CommandApdu::new(0, Ins::UpdateBinary, 0, 0).with_data(vec![0x42; 4000]),
        ];
        for (i, cmd) in cmds.iter().enumerate() {
            let data = vec![i as u8; 1000 * i];
            let resp = ResponseApdu::new(data, StatusWord::SUCCESS);
            assert_eq!(
                exchange(&mut h, &mut c, cmd, resp.clone()),
                resp,
                "{params:?}"
            );
        }
        let not_found = ResponseApdu::status(StatusWord::FILE_NOT_FOUND);
        let cmd = CommandApdu::new(0, Ins::Select, 0x02, 0x0C).with_data(vec![0x01, 0x0F]);
        assert_eq!(exchange(&mut h, &mut c, &cmd, not_found.clone()), not_found);
        assert_eq!(h.ssc(), c.ssc());
    }
}

#[test]
fn protected_extended_length_commands_use_extended_encoding() {
    let (mut h, mut c) = establish(PaceParams::EKTP_DEFAULT, "000000", "000000").unwrap();
    let cmd = CommandApdu::new(0, Ins::UpdateBinary, 0, 0).with_data(vec![7; 300]);
    let w = h.wrap(&cmd).unwrap();
    let bytes = w.to_bytes().unwrap();
    assert_eq!(bytes[4], 0x00, "extended Lc");
    assert_eq!(&bytes[bytes.len() - 2..], &[0, 0], "extended Le 0000");
    assert_eq!(
        c.unwrap_command(&CommandApdu::parse(&bytes).unwrap())
            .unwrap(),
        cmd
    );
}

#[test]
fn wrong_can_fails_with_token_mismatch_and_no_session() {
    for params in ALL {
        let err = establish(params, "123456", "654321").unwrap_err();
        assert!(
            matches!(err, Error::AuthenticationFailed),
            "{params:?}: {err}"
        );
    }
    // And the card answers 6300, which the host reports as the same failure.
    let params = PaceParams::EKTP_DEFAULT;
    let (h, cmd) = host::Start::new(&pw("111111"), params).start();
    let (c, r) = card::Idle::new(&pw("222222"), params)
        .on_mse_set_at(&cmd)
        .unwrap();
    let (h, cmd) = h.on_response(&r).unwrap();
    let (c, r) = c.on_command(&cmd).unwrap();
    let (h, cmd) = h.on_response(&r).unwrap();
    let (c, r) = c.on_command(&cmd).unwrap();
    let (h, cmd) = h.on_response(&r).unwrap();
    let (c, r) = c.on_command(&cmd).unwrap();
    let (h, cmd) = h.on_response(&r).unwrap();
    let rejected = c.on_command(&cmd).unwrap_err();
    assert_eq!(rejected.response.sw, StatusWord(0x6300));
    assert!(rejected.response.data.is_empty());
    assert!(matches!(
        h.on_response(&rejected.response),
        Err(Error::AuthenticationFailed)
    ));
}

#[test]
fn host_rejects_a_forged_chip_token() {
    let params = PaceParams::EKTP_DEFAULT;
    let (h, cmd) = host::Start::new(&pw("123456"), params).start();
    let (c, r) = card::Idle::new(&pw("123456"), params)
        .on_mse_set_at(&cmd)
        .unwrap();
    let (h, cmd) = h.on_response(&r).unwrap();
    let (c, r) = c.on_command(&cmd).unwrap();
    let (h, cmd) = h.on_response(&r).unwrap();
    let (c, r) = c.on_command(&cmd).unwrap();
    let (h, cmd) = h.on_response(&r).unwrap();
    let (c, r) = c.on_command(&cmd).unwrap();
    let (h, cmd) = h.on_response(&r).unwrap();
    let (_sm, mut r) = c.on_command(&cmd).unwrap();
    let last = r.data.len() - 1;
    r.data[last] ^= 0x80;
    assert!(matches!(
        h.on_response(&r),
        Err(Error::AuthenticationFailed)
    ));
}

/// Runs a host against a card whose answer at `step` (1 = nonce, 2 = mapping, 3 = key)
/// is replaced by `forge(original)`; returns the host's error.
fn host_error_with_forged(
    step: usize,
    params: PaceParams,
    forge: impl Fn(&[u8]) -> Vec<u8>,
) -> Error {
    let p = pw("123456");
    let (h, cmd) = host::Start::new(&p, params).start();
    let (c, r) = card::Idle::new(&p, params).on_mse_set_at(&cmd).unwrap();
    let (h, cmd) = h.on_response(&r).unwrap();
    let (c, mut r) = c.on_command(&cmd).unwrap();
    if step == 1 {
        r.data = forge(&r.data);
        return h.on_response(&r).unwrap_err();
    }
    let (h, cmd) = h.on_response(&r).unwrap();
    let (c, mut r) = c.on_command(&cmd).unwrap();
    if step == 2 {
        r.data = forge(&r.data);
        return h.on_response(&r).unwrap_err();
    }
    let (h, cmd) = h.on_response(&r).unwrap();
    let (_c, mut r) = c.on_command(&cmd).unwrap();
    assert_eq!(step, 3);
    r.data = forge(&r.data);
    h.on_response(&r).unwrap_err()
}

/// `7C 43 tag 41 04 X Y` with Y changed: no longer on the curve.
fn off_curve(data: &[u8]) -> Vec<u8> {
    let mut d = data.to_vec();
    let last = d.len() - 1;
    d[last] ^= 0x01;
    d
}

/// The SEC1 encoding of the point at infinity (`00`) in place of the point.
fn infinity(data: &[u8]) -> Vec<u8> {
    vec![0x7C, 0x03, data[2], 0x01, 0x00]
}

#[test]
fn host_rejects_points_off_the_curve_and_infinity() {
    for params in ALL {
        for (step, ps) in [(2, PaceStep::Mapping), (3, PaceStep::KeyAgreement)] {
            let e = host_error_with_forged(step, params, off_curve);
            assert!(
                matches!(e, Error::InvalidPoint { step, kind: PointError::NotOnCurve } if step == ps),
                "{e}"
            );
            let e = host_error_with_forged(step, params, infinity);
            assert!(
                matches!(e, Error::InvalidPoint { step, kind: PointError::Encoding } if step == ps),
                "{e}"
            );
            // A compressed point is refused too (ICAO requires uncompressed).
            let e = host_error_with_forged(step, params, |d| {
                let mut v = vec![0x7C, 0x23, d[2], 0x21, 0x02 | (d[68] & 1)];
                v.extend_from_slice(&d[5..37]);
                v
            });
            assert!(
                matches!(
                    e,
                    Error::InvalidPoint {
                        kind: PointError::Encoding,
                        ..
                    }
                ),
                "{e}"
            );
        }
    }
}

#[test]
fn host_rejects_its_own_key_reflected() {
    // A card that echoes the terminal's mapping key back.
    let params = PaceParams::EKTP_DEFAULT;
    let p = pw("123456");
    let (h, cmd) = host::Start::new(&p, params).start();
    let (c, r) = card::Idle::new(&p, params).on_mse_set_at(&cmd).unwrap();
    let (h, cmd) = h.on_response(&r).unwrap();
    let (_c, r) = c.on_command(&cmd).unwrap();
    let (h, cmd) = h.on_response(&r).unwrap();
    let mut echo = cmd.data.clone();
    echo[2] = 0x82;
    let e = h
        .on_response(&ResponseApdu::new(echo, StatusWord::SUCCESS))
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidPoint {
                kind: PointError::Reflected,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn host_rejects_nonces_of_the_wrong_length() {
    for len in [0usize, 8, 15, 17, 24, 31, 33, 48, 64] {
        let e = host_error_with_forged(1, PaceParams::EKTP_DEFAULT, |_| {
            let mut v = vec![0x7C, (len + 2) as u8, 0x80, len as u8];
            v.extend(std::iter::repeat_n(0xAB, len));
            v
        });
        assert!(
            matches!(e, Error::InvalidNonceLength { len: l } if l == len),
            "{len}: {e}"
        );
    }
    // Both legal lengths are accepted (16 for AES-128 chips, 32 for AES-256 chips).
    for params in ALL {
        establish(params, "123456", "123456").unwrap();
    }
}

#[test]
fn card_rejects_bad_points_from_the_terminal() {
    for params in ALL {
        let p = pw("123456");
        let (h, cmd) = host::Start::new(&p, params).start();
        let (c, r) = card::Idle::new(&p, params).on_mse_set_at(&cmd).unwrap();
        let (h, cmd) = h.on_response(&r).unwrap();
        let (c, r) = c.on_command(&cmd).unwrap();
        let (_h, cmd) = h.on_response(&r).unwrap();
        let mut bad = cmd.clone();
        bad.data = off_curve(&cmd.data);
        let rej = c.on_command(&bad).unwrap_err();
        assert!(matches!(
            rej.error,
            Error::InvalidPoint {
                kind: PointError::NotOnCurve,
                ..
            }
        ));
        assert_eq!(rej.response.sw, StatusWord::WRONG_DATA);
    }
}

#[test]
fn card_rejects_wrong_mechanism_and_out_of_order_commands() {
    let p = pw("123456");
    let card_params = PaceParams::EKTP_DEFAULT;
    let other = PaceParams {
        domain: DomainParameters::BrainpoolP256r1,
        cipher: CipherSuite::Aes128,
    };
    let (_h, cmd) = host::Start::new(&p, other).start();
    let rej = card::Idle::new(&p, card_params)
        .on_mse_set_at(&cmd)
        .unwrap_err();
    assert!(matches!(rej.error, Error::MechanismMismatch));
    assert_eq!(rej.response.sw, StatusWord::REFERENCED_DATA_NOT_FOUND);

    // MRZ password reference at a CAN-only card.
    let mrz = PacePassword::from_mrz_information("T22000129364081251010318");
    let (_h, cmd) = host::Start::new(&mrz, card_params).start();
    assert!(
        card::Idle::new(&p, card_params)
            .on_mse_set_at(&cmd)
            .is_err()
    );

    // GENERAL AUTHENTICATE step 2 sent as step 1.
    let (h, cmd) = host::Start::new(&p, card_params).start();
    let (c, r) = card::Idle::new(&p, card_params)
        .on_mse_set_at(&cmd)
        .unwrap();
    let (_h, _cmd) = h.on_response(&r).unwrap();
    let wrong = CommandApdu::new(0x10, Ins::GeneralAuthenticate, 0, 0)
        .with_data(vec![0x7C, 0x03, 0x81, 0x01, 0x00])
        .with_le(256);
    let rej = c.on_command(&wrong).unwrap_err();
    assert!(matches!(rej.error, Error::Decode { .. }), "{}", rej.error);
    // Unchained last step too early / wrong INS.
    let (h, cmd) = host::Start::new(&p, card_params).start();
    let (c, r) = card::Idle::new(&p, card_params)
        .on_mse_set_at(&cmd)
        .unwrap();
    let (_h, mut cmd) = h.on_response(&r).unwrap();
    cmd.cla = 0x00;
    let rej = c.on_command(&cmd).unwrap_err();
    assert!(matches!(
        rej.error,
        Error::UnexpectedCommand {
            step: PaceStep::EncryptedNonce
        }
    ));
    assert_eq!(rej.response.sw, StatusWord::CONDITIONS_NOT_SATISFIED);
}

#[test]
fn secure_messaging_after_pace_rejects_bad_mac_and_replay() {
    let (mut h, mut c) = establish(PaceParams::EKTP_DEFAULT, "123456", "123456").unwrap();
    let cmd = CommandApdu::new(0, Ins::ReadBinary, 0, 0).with_le(16);
    let w1 = h.wrap(&cmd).unwrap();
    c.unwrap_command(&w1).unwrap();
    let r1 = c
        .wrap_response(ResponseApdu::new(vec![1; 16], StatusWord::SUCCESS))
        .unwrap();
    h.unwrap(&r1).unwrap();

    // Replay of the first command at the card: MAC computed under an old SSC.
    let err = c.unwrap_command(&w1).unwrap_err();
    assert!(matches!(err, Error::SmMacMismatch));
    assert!(!c.is_open());
    let answer = ResponseApdu::status(err.status_word());
    assert_eq!(answer.sw, StatusWord::SM_DATA_INCORRECT);
    // The host sends the next command; the card is gone; the host ends too.
    let _ = h.wrap(&cmd).unwrap();
    assert!(
        matches!(h.unwrap(&answer), Err(Error::SmCardAborted(sw)) if sw == StatusWord::SM_DATA_INCORRECT)
    );
    assert!(!h.is_open());
    assert!(matches!(h.wrap(&cmd), Err(Error::SmSessionClosed)));

    // Bad MAC on a response.
    let (mut h, mut c) = establish(PaceParams::EKTP_DEFAULT, "123456", "123456").unwrap();
    c.unwrap_command(&h.wrap(&cmd).unwrap()).unwrap();
    let mut r = c
        .wrap_response(ResponseApdu::new(vec![9; 16], StatusWord::SUCCESS))
        .unwrap();
    let n = r.data.len();
    r.data[n - 1] ^= 1;
    assert!(matches!(h.unwrap(&r), Err(Error::SmMacMismatch)));
    assert!(!h.is_open());

    // An unprotected response inside a session.
    let (mut h, mut c) = establish(PaceParams::EKTP_DEFAULT, "123456", "123456").unwrap();
    c.unwrap_command(&h.wrap(&cmd).unwrap()).unwrap();
    assert!(matches!(
        h.unwrap(&ResponseApdu::new(vec![1, 2, 3], StatusWord::SUCCESS)),
        Err(Error::SmDataMissing)
    ));
}

#[test]
fn debug_output_has_no_secrets() {
    let (h, c) = establish(PaceParams::EKTP_DEFAULT, "987654", "987654").unwrap();
    let enc = h.expose_session_keys().unwrap().enc.expose_bytes().to_vec();
    let enc_hex: String = enc.iter().map(|b| format!("{b:02X}")).collect();
    for s in [
        format!("{h:?}"),
        format!("{c:?}"),
        format!("{:?}", pw("987654")),
    ] {
        assert!(!s.contains("987654"), "{s}");
        assert!(!s.to_uppercase().contains(&enc_hex[..8]), "{s}");
    }
    let (st, _) = host::Start::new(&pw("987654"), PaceParams::EKTP_DEFAULT).start();
    assert!(!format!("{st:?}").contains("987654"));
}

//! Untrusted input never panics: secure messaging unwrap on both sides, the GENERAL
//! AUTHENTICATE and MSE:Set AT parsers, every PACE step on both sides, EF.CardAccess and
//! Active Authentication key parsing. Plus decode(encode(x)) == x where there is an encoder.

// Test helpers: a panic here is a test failure.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use ektp_iso7816::{CommandApdu, Ins, ResponseApdu, StatusWord};
use ektp_sm::card_access::{PaceInfo, SecurityInfo, SecurityInfos};
use ektp_sm::pace::{self, card, host};
use ektp_sm::{
    CardSm, CipherSuite, DomainParameters, HostSm, PaceParams, PacePassword, PasswordRef,
};
use proptest::prelude::*;

fn params() -> impl Strategy<Value = PaceParams> {
    (
        prop_oneof![
            Just(DomainParameters::NistP256),
            Just(DomainParameters::BrainpoolP256r1)
        ],
        prop_oneof![
            Just(CipherSuite::Aes128),
            Just(CipherSuite::Aes192),
            Just(CipherSuite::Aes256)
        ],
    )
        .prop_map(|(domain, cipher)| PaceParams { domain, cipher })
}

/// Mostly-structured SM objects so the fuzzing reaches past the first tag check.
fn sm_body() -> impl Strategy<Value = Vec<u8>> {
    let obj = (
        prop_oneof![
            Just(0x87u8),
            Just(0x85),
            Just(0x97),
            Just(0x99),
            Just(0x8E),
            any::<u8>()
        ],
        proptest::collection::vec(any::<u8>(), 0..40),
    )
        .prop_map(|(t, v)| {
            let mut o = vec![t, v.len() as u8];
            o.extend(v);
            o
        });
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300),
        proptest::collection::vec(obj, 0..5).prop_map(|v| v.concat()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn host_unwrap_never_panics(data in sm_body(), sw in any::<u16>(), key_len in prop_oneof![Just(16usize), Just(32)]) {
        let mut h = HostSm::from_keys(&vec![1; key_len], &vec![2; key_len], [0; 16]).unwrap();
        let _ = h.wrap(&CommandApdu::new(0, Ins::ReadBinary, 0, 0).with_le(256)).unwrap();
        let r = h.unwrap(&ResponseApdu::new(data, StatusWord(sw)));
        // Random bytes never carry a valid MAC: the session must end.
        prop_assert!(r.is_err());
        prop_assert!(!h.is_open());
    }

    #[test]
    fn card_unwrap_never_panics(cla in any::<u8>(), ins in any::<u8>(), data in sm_body(), le in proptest::option::of(1u32..=65_536)) {
        let mut c = CardSm::from_keys(&[1; 16], &[2; 16], [0; 16]).unwrap();
        let cmd = CommandApdu { cla, ins: Ins::from_byte(ins), p1: 0, p2: 0, data, le, extended: false };
        prop_assert!(c.unwrap_command(&cmd).is_err());
        prop_assert!(!c.is_open());
    }

    #[test]
    fn sm_round_trip(ins in any::<u8>(), data in proptest::collection::vec(any::<u8>(), 0..600),
                     le in proptest::option::of(1u32..=65_536),
                     resp in proptest::collection::vec(any::<u8>(), 0..600), sw in any::<u16>()) {
        let mut h = HostSm::from_keys(&[3; 24], &[4; 24], [0; 16]).unwrap();
        let mut c = CardSm::from_keys(&[3; 24], &[4; 24], [0; 16]).unwrap();
        let cmd = CommandApdu::new(0, Ins::from_byte(ins), 1, 2).with_data(data);
        let cmd = match le { Some(le) => cmd.with_le(le), None => cmd };
        let wire = h.wrap(&cmd).unwrap().to_bytes().unwrap();
        prop_assert_eq!(c.unwrap_command(&CommandApdu::parse(&wire).unwrap()).unwrap(), cmd);
        let r = ResponseApdu::new(resp, StatusWord(sw));
        let wire = c.wrap_response(r.clone()).unwrap().to_bytes();
        prop_assert_eq!(h.unwrap(&ResponseApdu::parse(&wire).unwrap()).unwrap(), r);
    }

    #[test]
    fn dynamic_auth_data_parser_never_panics(data in proptest::collection::vec(any::<u8>(), 0..200),
                                             tag in proptest::option::of(0x80u32..=0x88)) {
        let _ = pace::parse_dynamic_auth_data(&data, tag);
    }

    #[test]
    fn dynamic_auth_data_round_trip(tag in 0x80u32..=0x86, value in proptest::collection::vec(any::<u8>(), 0..300)) {
        let enc = pace::encode_dynamic_auth_data(Some((tag, &value)));
        prop_assert_eq!(pace::parse_dynamic_auth_data(&enc, Some(tag)).unwrap(), &value[..]);
    }

    #[test]
    fn mse_parser_never_panics_and_round_trips(data in proptest::collection::vec(any::<u8>(), 0..64), p in params(),
                                               can in any::<bool>()) {
        let _ = pace::parse_mse_set_at(&data);
        let pw = if can { PasswordRef::Can } else { PasswordRef::Mrz };
        let m = pace::parse_mse_set_at(&pace::mse_set_at_data(&p, pw)).unwrap();
        prop_assert_eq!((m.cipher, m.password, m.domain), (p.cipher, pw, Some(p.domain)));
    }

    #[test]
    fn card_access_parser_never_panics(data in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = SecurityInfos::from_der(&data);
        let mut set = vec![0x31, data.len().min(127) as u8];
        set.extend(data.iter().take(127));
        let _ = SecurityInfos::from_der(&set);
        let _ = ektp_sm::aa::public_point_from_spki(&data);
    }

    #[test]
    fn card_access_round_trip(ps in proptest::collection::vec((params(), any::<bool>()), 0..6)) {
        let infos = SecurityInfos(ps.iter().map(|(p, with_id)| SecurityInfo::Pace(PaceInfo {
            cipher: p.cipher,
            parameter_id: with_id.then_some(u32::from(p.domain.id())),
        })).collect());
        let der = infos.to_der().unwrap();
        let back = SecurityInfos::from_der(&der).unwrap();
        // Same multiset (DER sorts SET OF).
        let mut a: Vec<_> = infos.0.iter().map(|i| i.to_der().unwrap()).collect();
        let mut b: Vec<_> = back.0.iter().map(|i| i.to_der().unwrap()).collect();
        a.sort();
        b.sort();
        prop_assert_eq!(a, b);
        prop_assert_eq!(back.to_der().unwrap(), der);
    }
}

proptest! {
    // Each case runs real elliptic curve arithmetic (slow in debug builds).
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_host_step_survives_garbage(p in params(), data in proptest::collection::vec(any::<u8>(), 0..120),
                                        sw in any::<u16>(), step in 0usize..5) {
        let pw = PacePassword::from_can(&"123456".parse().unwrap());
        let r = ResponseApdu::new(data, StatusWord(sw));
        let (h, cmd) = host::Start::new(&pw, p).start();
        let (c, ok) = card::Idle::new(&pw, p).on_mse_set_at(&cmd).unwrap();
        if step == 0 { let _ = h.on_response(&r); return Ok(()); }
        let (h, cmd) = h.on_response(&ok).unwrap();
        let (c, ok) = c.on_command(&cmd).unwrap();
        if step == 1 { let _ = h.on_response(&r); return Ok(()); }
        let (h, cmd) = h.on_response(&ok).unwrap();
        let (c, ok) = c.on_command(&cmd).unwrap();
        if step == 2 { let _ = h.on_response(&r); return Ok(()); }
        let (h, cmd) = h.on_response(&ok).unwrap();
        let (c, ok) = c.on_command(&cmd).unwrap();
        if step == 3 { let _ = h.on_response(&r); return Ok(()); }
        let (h, _cmd) = h.on_response(&ok).unwrap();
        let _ = c;
        prop_assert!(h.on_response(&r).is_err());
    }

    #[test]
    fn every_card_step_survives_garbage(p in params(), cla in any::<u8>(), ins in any::<u8>(),
                                        data in proptest::collection::vec(any::<u8>(), 0..120), step in 0usize..5) {
        let pw = PacePassword::from_can(&"123456".parse().unwrap());
        let g = CommandApdu { cla, ins: Ins::from_byte(ins), p1: 0, p2: 0, data, le: Some(256), extended: false };
        let (h, cmd) = host::Start::new(&pw, p).start();
        let c = card::Idle::new(&pw, p);
        if step == 0 { let _ = c.on_mse_set_at(&g); return Ok(()); }
        let (c, r) = c.on_mse_set_at(&cmd).unwrap();
        let (h, cmd) = h.on_response(&r).unwrap();
        if step == 1 { let _ = c.on_command(&g); return Ok(()); }
        let (c, r) = c.on_command(&cmd).unwrap();
        let (h, cmd) = h.on_response(&r).unwrap();
        if step == 2 { let _ = c.on_command(&g); return Ok(()); }
        let (c, r) = c.on_command(&cmd).unwrap();
        let (h, cmd) = h.on_response(&r).unwrap();
        if step == 3 { let _ = c.on_command(&g); return Ok(()); }
        let (c, r) = c.on_command(&cmd).unwrap();
        let (_h, _cmd) = h.on_response(&r).unwrap();
        if let Err(rej) = c.on_command(&g) {
            prop_assert!(rej.response.data.is_empty());
        }
    }
}

proptest! {
    /// Chip and Terminal Authentication parsers and card steps never panic on arbitrary data.
    #[test]
    fn eac_parsers_never_panic(data in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = ektp_sm::ca::parse_mse_set_at(&data);
        let _ = SecurityInfo::from_der(&data);
        let sk = zeroize::Zeroizing::new([7u8; 32]);
        let idle = ektp_sm::ca::card::Idle::new(ektp_sm::ca::CaParams::EKTP_DEFAULT, None, sk).unwrap();
        let mse = CommandApdu::new(0, Ins::ManageSecurityEnvironment, 0x41, 0xA4).with_data(data.clone());
        let _ = idle.on_mse_set_at(&mse);
        let sk = zeroize::Zeroizing::new([7u8; 32]);
        let idle = ektp_sm::ca::card::Idle::new(ektp_sm::ca::CaParams::EKTP_DEFAULT, None, sk).unwrap();
        let ok_mse = CommandApdu::new(0, Ins::ManageSecurityEnvironment, 0x41, 0xA4)
            .with_data(ektp_sm::ca::mse_set_at_data(&ektp_sm::ca::CaParams::EKTP_DEFAULT, None));
        let (await_ga, _) = idle.on_mse_set_at(&ok_mse).unwrap();
        let ga = CommandApdu::new(0, Ins::GeneralAuthenticate, 0, 0).with_data(data.clone());
        let _ = await_ga.on_command(&ga);
    }

    /// ChipAuthenticationInfo and TerminalAuthenticationInfo: decode(encode(x)) == x.
    #[test]
    fn eac_infos_round_trip(
        cipher in prop_oneof![Just(CipherSuite::Aes128), Just(CipherSuite::Aes192), Just(CipherSuite::Aes256)],
        version in 1u8..=2,
        key_id in proptest::option::of(any::<u32>()),
    ) {
        use ektp_sm::card_access::{ChipAuthenticationInfo, TerminalAuthenticationInfo};
        let ca = SecurityInfo::ChipAuthentication(ChipAuthenticationInfo { cipher, version, key_id });
        prop_assert_eq!(SecurityInfo::from_der(&ca.to_der().unwrap()).unwrap(), ca);
        let ta = SecurityInfo::TerminalAuthentication(TerminalAuthenticationInfo { version });
        prop_assert_eq!(SecurityInfo::from_der(&ta.to_der().unwrap()).unwrap(), ta);
    }
}

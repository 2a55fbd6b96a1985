//! AES secure messaging against captured card traces (gmrtd test suite, German eID): see
//! `tests/vectors/gmrtd-aes-sm/SOURCE.md`.

// Test helpers: a panic here is a test failure.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use std::collections::HashMap;

use ektp_iso7816::{CommandApdu, Ins, ResponseApdu, StatusWord};
use ektp_sm::{CardSm, HostSm};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/gmrtd-aes-sm");

struct Exchange {
    plain: Vec<u8>,
    protected: Vec<u8>,
    response: Vec<u8>,
}

fn load() -> (Vec<u8>, Vec<u8>, Vec<Exchange>) {
    let text = std::fs::read_to_string(format!("{DIR}/de_eid_pace_cam_sm.apdu")).unwrap();
    let mut enc = None;
    let mut mac = None;
    let mut out = Vec::new();
    let mut plain = None;
    let mut protected = None;
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        if let Some(v) = line.strip_prefix("ks_enc = ") {
            enc = Some(hex::decode(v).unwrap());
        } else if let Some(v) = line.strip_prefix("ks_mac = ") {
            mac = Some(hex::decode(v).unwrap());
        } else if let Some(v) = line.strip_prefix("plain > ") {
            plain = Some(hex::decode(v).unwrap());
        } else if let Some(v) = line.strip_prefix("> ") {
            protected = Some(hex::decode(v).unwrap());
        } else if let Some(v) = line.strip_prefix("< ") {
            out.push(Exchange {
                plain: plain.take().unwrap(),
                protected: protected.take().unwrap(),
                response: hex::decode(v).unwrap(),
            });
        } else {
            panic!("bad line {line}");
        }
    }
    (enc.unwrap(), mac.unwrap(), out)
}

fn kv(file: &str) -> HashMap<String, Vec<u8>> {
    std::fs::read_to_string(format!("{DIR}/{file}"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (k, v) = l.split_once(" = ").unwrap();
            (k.to_string(), hex::decode(v).unwrap())
        })
        .collect()
}

#[test]
fn host_reproduces_captured_commands_and_reads_responses() {
    let (enc, mac, ex) = load();
    let expected_02a1 = kv("de_eid_read_binary_02a1.txt");
    let mut host = HostSm::from_keys(&enc, &mac, [0; 16]).unwrap();
    let mut next_offset = 0usize;
    for (i, e) in ex.iter().enumerate() {
        let plain = CommandApdu::parse(&e.plain).unwrap();
        let wrapped = host.wrap(&plain).unwrap();
        assert_eq!(
            hex::encode_upper(wrapped.to_bytes().unwrap()),
            hex::encode_upper(&e.protected),
            "command {i}"
        );
        let resp = host
            .unwrap(&ResponseApdu::parse(&e.response).unwrap())
            .unwrap();
        assert_eq!(resp.sw, StatusWord::SUCCESS, "response {i}");
        if let Some(le) = plain.le {
            assert!(resp.data.len() <= le as usize);
            assert!(!resp.data.is_empty());
        }
        if plain.p1 == 0x02 && plain.p2 == 0xA1 {
            assert_eq!(resp.data, expected_02a1["plain"]);
        }
        if plain.p1 == 0 && plain.p2 == 0 && plain.ins == Ins::ReadBinary {
            // EF.CardSecurity is a ContentInfo SEQUENCE.
            assert_eq!(resp.data[0], 0x30);
        }
        if plain.ins == Ins::ReadBinary {
            // Consecutive READ BINARY offsets follow the lengths the card returned.
            let offset = usize::from(u16::from_be_bytes([plain.p1, plain.p2]));
            assert_eq!(offset, next_offset, "command {i}");
            next_offset = offset + resp.data.len();
        }
    }
    assert_eq!(host.ssc()[15] as usize, 2 * ex.len());
    assert_eq!(next_offset, 0x0380);
}

#[test]
fn card_recovers_commands_and_reproduces_captured_responses() {
    let (enc, mac, ex) = load();
    let mut host = HostSm::from_keys(&enc, &mac, [0; 16]).unwrap();
    let mut card = CardSm::from_keys(&enc, &mac, [0; 16]).unwrap();
    for (i, e) in ex.iter().enumerate() {
        let cmd = card
            .unwrap_command(&CommandApdu::parse(&e.protected).unwrap())
            .unwrap();
        assert_eq!(cmd.to_bytes().unwrap(), e.plain, "command {i}");
        // The host decrypts the real response; the card must encrypt it back identically.
        host.wrap(&CommandApdu::parse(&e.plain).unwrap()).unwrap();
        let plain = host
            .unwrap(&ResponseApdu::parse(&e.response).unwrap())
            .unwrap();
        let again = card.wrap_response(plain).unwrap();
        assert_eq!(
            hex::encode_upper(again.to_bytes()),
            hex::encode_upper(&e.response),
            "response {i}"
        );
    }
}

#[test]
fn captured_mse_set_at_from_another_session() {
    let v = kv("mse_set_at_ca.txt");
    let ssc: [u8; 16] = v["ssc_before"].clone().try_into().unwrap();
    let mut host = HostSm::from_keys(&v["ks_enc"], &v["ks_mac"], ssc).unwrap();
    let wrapped = host
        .wrap(&CommandApdu::parse(&v["plain"]).unwrap())
        .unwrap();
    assert_eq!(wrapped.to_bytes().unwrap(), v["protected"]);
    assert_eq!(host.ssc().to_vec(), v["ssc_after"]);
    let mut card = CardSm::from_keys(&v["ks_enc"], &v["ks_mac"], ssc).unwrap();
    let cmd = card
        .unwrap_command(&CommandApdu::parse(&v["protected"]).unwrap())
        .unwrap();
    assert_eq!(cmd.to_bytes().unwrap(), v["plain"]);
}

#[test]
fn captured_responses_fail_with_any_flipped_bit() {
    let (enc, mac, ex) = load();
    let e = &ex[1];
    for pos in 0..e.response.len() - 2 {
        let mut host = HostSm::from_keys(&enc, &mac, [0; 16]).unwrap();
        host.wrap(&CommandApdu::parse(&ex[0].plain).unwrap())
            .unwrap();
        host.unwrap(&ResponseApdu::parse(&ex[0].response).unwrap())
            .unwrap();
        host.wrap(&CommandApdu::parse(&e.plain).unwrap()).unwrap();
        let mut bad = e.response.clone();
        bad[pos] ^= 0x04;
        assert!(
            host.unwrap(&ResponseApdu::parse(&bad).unwrap()).is_err(),
            "byte {pos}"
        );
        assert!(!host.is_open());
    }
}

//! ICAO Doc 9303-11 Appendix G.1 (PACE, ECDH Generic Mapping, brainpoolP256r1, AES-128):
//! every intermediate value and every APDU, reproduced by our code. See
//! `tests/vectors/icao9303-11/SOURCE.md`.

// Test helpers: a panic here is a test failure.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use std::collections::HashMap;

use ektp_iso7816::{CommandApdu, ResponseApdu};
use ektp_sm::card_access::SecurityInfos;
use ektp_sm::pace::{self, card, host};
use ektp_sm::{CipherSuite, DomainParameters, FixedRandomness, PaceParams, PacePassword};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/icao9303-11");

fn values() -> HashMap<String, String> {
    let text = std::fs::read_to_string(format!("{DIR}/pace_ecdh_gm_g1.txt")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (k, v) = l.split_once(" = ").unwrap();
            (k.to_string(), v.trim().to_string())
        })
        .collect()
}

fn transcript() -> Vec<(Vec<u8>, Vec<u8>)> {
    let text = std::fs::read_to_string(format!("{DIR}/pace_ecdh_gm_g1.apdu")).unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    lines
        .chunks(2)
        .map(|pair| {
            let c = pair[0].strip_prefix("> ").unwrap();
            let r = pair[1].strip_prefix("< ").unwrap();
            (hex::decode(c).unwrap(), hex::decode(r).unwrap())
        })
        .collect()
}

struct V(HashMap<String, String>);
impl V {
    fn b(&self, k: &str) -> Vec<u8> {
        hex::decode(&self.0[k]).unwrap_or_else(|_| panic!("{k}"))
    }
    fn a32(&self, k: &str) -> [u8; 32] {
        self.b(k).try_into().unwrap()
    }
}

const PARAMS: PaceParams = PaceParams {
    domain: DomainParameters::BrainpoolP256r1,
    cipher: CipherSuite::Aes128,
};

fn password(v: &V) -> PacePassword {
    PacePassword::from_mrz_information(&v.0["mrz_information"])
}

#[test]
fn every_intermediate_value() {
    let v = V(values());
    let dp = PARAMS.domain;

    // EF.CardAccess / PACEInfo.
    let mut card_access = vec![0x31, 0x14];
    card_access.extend(v.b("pace_info"));
    let infos = SecurityInfos::from_der(&card_access).unwrap();
    assert_eq!(infos.pace_params(), vec![PARAMS]);
    assert_eq!(infos.to_der().unwrap(), card_access);
    assert_eq!(
        SecurityInfos::for_pace(&[PARAMS]).to_der().unwrap(),
        card_access
    );

    // K_pi from the MRZ.
    let k_pi = pace::derive_k_pi(&password(&v), PARAMS.cipher);
    assert_eq!(k_pi.expose_bytes(), v.b("k_pi"));

    // Nonce.
    assert_eq!(
        pace::encrypt_nonce(&k_pi, &v.b("nonce_s")).unwrap(),
        v.b("nonce_z")
    );
    assert_eq!(
        *pace::decrypt_nonce(&k_pi, &v.b("nonce_z")).unwrap(),
        v.b("nonce_s")
    );

    // Mapping key pairs.
    let t_map = dp.decode_point(&v.b("terminal_mapping_public")).unwrap();
    let c_map = dp.decode_point(&v.b("chip_mapping_public")).unwrap();
    let t_map_priv = v.a32("terminal_mapping_private");
    let c_map_priv = v.a32("chip_mapping_private");
    assert_eq!(public(dp, &t_map_priv), v.b("terminal_mapping_public"));
    assert_eq!(public(dp, &c_map_priv), v.b("chip_mapping_public"));

    // H and the mapped generator, from both sides.
    let s = v.b("nonce_s");
    let (h_t, g_t) = pace::generic_mapping(dp, &t_map_priv, &c_map, &s).unwrap();
    let (h_c, g_c) = pace::generic_mapping(dp, &c_map_priv, &t_map, &s).unwrap();
    assert_eq!(h_t.as_bytes().to_vec(), v.b("shared_secret_h"));
    assert_eq!(h_c, h_t);
    assert_eq!(g_t.as_bytes().to_vec(), v.b("mapped_generator"));
    assert_eq!(g_c, g_t);

    // Ephemeral keys on the mapped generator and the shared secret K.
    let t_eph = dp.decode_point(&v.b("terminal_ephemeral_public")).unwrap();
    let c_eph = dp.decode_point(&v.b("chip_ephemeral_public")).unwrap();
    let (k_t, k_c) = ephemeral(dp, &v, &g_t, &t_eph, &c_eph);
    assert_eq!(k_t, v.b("shared_secret_k"));
    assert_eq!(k_c, k_t);

    // Session keys.
    let keys = pace::session_keys(&k_t, PARAMS.cipher);
    assert_eq!(keys.enc.expose_bytes(), v.b("ks_enc"));
    assert_eq!(keys.mac.expose_bytes(), v.b("ks_mac"));

    // Tokens: T_IFD over the chip's key, T_IC over the terminal's.
    assert_eq!(pace::token_input(&PARAMS, &c_eph), v.b("token_input_t_ifd"));
    assert_eq!(pace::token_input(&PARAMS, &t_eph), v.b("token_input_t_ic"));
    assert_eq!(
        pace::authentication_token(&keys.mac, &PARAMS, &c_eph)
            .unwrap()
            .to_vec(),
        v.b("t_ifd")
    );
    assert_eq!(
        pace::authentication_token(&keys.mac, &PARAMS, &t_eph)
            .unwrap()
            .to_vec(),
        v.b("t_ic")
    );
}

fn ephemeral(
    dp: DomainParameters,
    v: &V,
    g_hat: &ektp_sm::EcPoint,
    t_eph: &ektp_sm::EcPoint,
    c_eph: &ektp_sm::EcPoint,
) -> (Vec<u8>, Vec<u8>) {
    let t_priv = v.a32("terminal_ephemeral_private");
    let c_priv = v.a32("chip_ephemeral_private");
    assert_eq!(&dp.mul(&t_priv, g_hat).unwrap(), t_eph);
    assert_eq!(&dp.mul(&c_priv, g_hat).unwrap(), c_eph);
    let k_t = dp.mul(&t_priv, c_eph).unwrap();
    let k_c = dp.mul(&c_priv, t_eph).unwrap();
    assert_eq!(*dp.agree(&t_priv, c_eph).unwrap(), k_t.x());
    assert_eq!(*dp.agree(&c_priv, t_eph).unwrap(), k_c.x());
    (k_t.x().to_vec(), k_c.x().to_vec())
}

fn public(dp: DomainParameters, k: &[u8; 32]) -> Vec<u8> {
    dp.mul_base(k).unwrap().as_bytes().to_vec()
}

#[test]
fn host_state_machine_reproduces_the_transcript() {
    let v = V(values());
    let t = transcript();
    let fixed = FixedRandomness::new([
        v.b("terminal_mapping_private"),
        v.b("terminal_ephemeral_private"),
    ]);
    let (st, mse) = host::Start::with_fixed_randomness(&password(&v), PARAMS, fixed).start();
    // Our MSE:Set AT = ICAO's plus the parameter ID (tag 84), see SOURCE.md.
    let mut expected_mse = t[0].0.clone();
    expected_mse[4] = 0x12;
    expected_mse.extend_from_slice(&[0x84, 0x01, 0x0D]);
    assert_eq!(mse.to_bytes().unwrap(), expected_mse);
    let r = |i: usize| ResponseApdu::parse(&t[i].1).unwrap();
    let (st, ga1) = st.on_response(&r(0)).unwrap();
    assert_eq!(ga1.to_bytes().unwrap(), t[1].0);
    let (st, ga2) = st.on_response(&r(1)).unwrap();
    assert_eq!(ga2.to_bytes().unwrap(), t[2].0);
    let (st, ga3) = st.on_response(&r(2)).unwrap();
    assert_eq!(ga3.to_bytes().unwrap(), t[3].0);
    let (st, ga4) = st.on_response(&r(3)).unwrap();
    assert_eq!(ga4.to_bytes().unwrap(), t[4].0);
    let (enc, mac) = st.expose_session_keys();
    assert_eq!(enc.expose_bytes(), v.b("ks_enc"));
    assert_eq!(mac.expose_bytes(), v.b("ks_mac"));
    let sm = st.on_response(&r(4)).unwrap();
    assert!(sm.is_open());
    assert_eq!(sm.ssc(), [0; 16]);
    let keys = sm.expose_session_keys().unwrap();
    assert_eq!(keys.enc.expose_bytes(), v.b("ks_enc"));
}

#[test]
fn card_state_machine_reproduces_the_transcript() {
    let v = V(values());
    let t = transcript();
    let fixed = FixedRandomness::new([
        v.b("nonce_s"),
        v.b("chip_mapping_private"),
        v.b("chip_ephemeral_private"),
    ]);
    let c = |i: usize| CommandApdu::parse(&t[i].0).unwrap();
    let st = card::Idle::with_fixed_randomness(&password(&v), PARAMS, fixed);
    // The exact ICAO MSE:Set AT (no tag 84) is accepted.
    let (st, r0) = st.on_mse_set_at(&c(0)).unwrap();
    assert_eq!(r0.to_bytes(), t[0].1);
    let (st, r1) = st.on_command(&c(1)).unwrap();
    assert_eq!(r1.to_bytes(), t[1].1);
    let (st, r2) = st.on_command(&c(2)).unwrap();
    assert_eq!(r2.to_bytes(), t[2].1);
    let (st, r3) = st.on_command(&c(3)).unwrap();
    assert_eq!(r3.to_bytes(), t[3].1);
    let (sm, r4) = st.on_command(&c(4)).unwrap();
    assert_eq!(r4.to_bytes(), t[4].1);
    assert!(sm.is_open());
}

#[test]
fn wrong_mrz_fails_at_the_token() {
    // The ICAO chip (same nonce and keys) against a terminal with a wrong check digit.
    let v = V(values());
    let wrong = PacePassword::from_mrz_information("T22000129364081251010319");
    let host_rng = FixedRandomness::new([
        v.b("terminal_mapping_private"),
        v.b("terminal_ephemeral_private"),
    ]);
    let card_rng = FixedRandomness::new([
        v.b("nonce_s"),
        v.b("chip_mapping_private"),
        v.b("chip_ephemeral_private"),
    ]);
    let t = transcript();
    let (h, cmd) = host::Start::with_fixed_randomness(&wrong, PARAMS, host_rng).start();
    let (c, r) = card::Idle::with_fixed_randomness(&password(&v), PARAMS, card_rng)
        .on_mse_set_at(&cmd)
        .unwrap();
    let (h, cmd) = h.on_response(&r).unwrap();
    let (c, r) = c.on_command(&cmd).unwrap();
    let (h, cmd) = h.on_response(&r).unwrap();
    // The mapping key does not depend on the password ...
    assert_eq!(cmd.to_bytes().unwrap(), t[2].0);
    let (c, r) = c.on_command(&cmd).unwrap();
    let (h, cmd) = h.on_response(&r).unwrap();
    // ... but the wrongly decrypted nonce gives another generator, so another ephemeral key.
    assert_ne!(cmd.to_bytes().unwrap(), t[3].0);
    let (c, r) = c.on_command(&cmd).unwrap();
    let (h, cmd) = h.on_response(&r).unwrap();
    let rejected = c.on_command(&cmd).unwrap_err();
    assert!(matches!(
        rejected.error,
        ektp_sm::Error::AuthenticationFailed
    ));
    assert_eq!(rejected.response.to_bytes(), vec![0x63, 0x00]);
    assert!(matches!(
        h.on_response(&rejected.response),
        Err(ektp_sm::Error::AuthenticationFailed)
    ));
}

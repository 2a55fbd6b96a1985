//! Personalization keys and the mutual authentication that opens a personalization session.
//!
//! ICAO 9303 is silent on personalization; this is ektp's design, written down in
//! `docs/personalization.md`: keys diversified from a batch master key with NIST SP 800-108r1
//! (counter mode, AES-256-CMAC), and an AES-256 variant of the ICAO 9303-11 §4.3 BAC
//! challenge–response whose session keys come from the §9.7.1 KDF. Both sides live here so the
//! virtual chip and the printing station share one implementation.
//!
//! The functions are pure: callers pass in the random values (from the system RNG in
//! production), so the protocol can be replayed deterministically in tests.
//!
//! ```
//! use ektp_sm::perso::{MasterKey, PersoKeys, HostAuth, card_respond};
//! let master = MasterKey::from_hex(&"07".repeat(32))?;       // the batch master key
//! let keys = PersoKeys::diversify(&master, &[1, 2, 3, 4, 5, 6, 7, 8])?;
//! let rnd_ic = [0x11; 8];                                    // from GET CHALLENGE
//! let (host, cmd) = HostAuth::start(&keys, rnd_ic, [0x22; 8], [0x33; 32])?;
//! let (resp, card_session) = card_respond(&keys, &rnd_ic, &cmd, [0x44; 32])?;
//! let host_session = host.finish(&resp)?;
//! assert_eq!(host_session.enc().expose_bytes(), card_session.enc().expose_bytes());
//! # Ok::<(), ektp_sm::Error>(())
//! ```

use core::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::Error;
use crate::kdf::{self, AesKey, BLOCK_LEN, COUNTER_ENC, COUNTER_MAC, CipherSuite};

/// Length of the chip serial number that diversifies the keys.
pub const SERIAL_LEN: usize = 8;
/// Length of `RND.IC` / `RND.IFD`.
pub const CHALLENGE_LEN: usize = 8;
/// Length of the key halves `K.IFD` / `K.IC`.
pub const KEY_HALF_LEN: usize = 32;
/// Length of the EXTERNAL AUTHENTICATE data and of the chip's answer: 48-byte cryptogram + 8-byte MAC.
pub const AUTH_DATA_LEN: usize = 56;
const CRYPTOGRAM_LEN: usize = 48;
const MAC_LEN: usize = 8;

/// The SP 800-108r1 label that diversifies `K_enc`.
pub const LABEL_ENC: &[u8] = b"ektp perso enc";
/// The SP 800-108r1 label that diversifies `K_mac`.
pub const LABEL_MAC: &[u8] = b"ektp perso mac";
/// The counters of the two CMAC blocks that make one 256-bit key.
pub const KDF_COUNTERS: [u8; 2] = [1, 2];

/// The PRF input of block `counter` of the SP 800-108r1 counter-mode KDF (§4.1) with
/// L = 256 bits: `[i]₁ ‖ Label ‖ 0x00 ‖ Context ‖ [L]₂`. Whoever computes the PRF (this
/// crate with AES-CMAC in memory, or a token with `CKM_AES_CMAC`) MACs exactly these bytes.
#[must_use]
pub fn kdf108_block_input(counter: u8, label: &[u8], context: &[u8]) -> Vec<u8> {
    [&[counter][..], label, &[0x00], context, &[0x01, 0x00]].concat()
}

/// SP 800-108r1 counter-mode KDF with AES-256-CMAC, L = 256 bits.
fn kdf108(master: &AesKey, label: &[u8], context: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error> {
    let mut out = Zeroizing::new(Vec::with_capacity(32));
    for i in KDF_COUNTERS {
        let block = kdf::cmac(master, &[&kdf108_block_input(i, label, context)])?;
        out.extend_from_slice(&block);
    }
    Ok(out)
}

/// Whatever holds a batch master key and diversifies each chip's [`PersoKeys`] from it: the
/// key in memory ([`MasterKey`], TEST ONLY setups) or a key that never leaves a PKCS#11 token
/// (`ektp-pkcs11`). Both compute the same SP 800-108r1 KDF ([`kdf108_block_input`]).
pub trait MasterKeySource {
    /// The error the key holder reports.
    type Error;

    /// The keys of the chip with `serial`.
    ///
    /// # Errors
    /// The key holder's own error if it cannot compute the KDF.
    fn diversify(&self, serial: &[u8; SERIAL_LEN]) -> Result<PersoKeys, Self::Error>;
}

impl MasterKeySource for MasterKey {
    type Error = Error;

    fn diversify(&self, serial: &[u8; SERIAL_LEN]) -> Result<PersoKeys, Error> {
        PersoKeys::diversify(self, serial)
    }
}

/// Length of a batch master key (AES-256).
pub const MASTER_KEY_LEN: usize = 32;

/// TEST ONLY: the batch master key committed as `cards/test-keys/perso-master-TEST-ONLY.hex`
/// (64 hex digits), which virtual TEST chips and a test printing station share. Anyone can
/// read it: never use it for a real card.
pub const TEST_MASTER_KEY_HEX: &str =
    include_str!("../../../cards/test-keys/perso-master-TEST-ONLY.hex");

/// A batch personalization master key (AES-256): every chip's [`PersoKeys`] are diversified
/// from it and the chip's serial (`docs/personalization.md`). Zeroized on drop, never printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct MasterKey([u8; MASTER_KEY_LEN]);

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey(<redacted>)")
    }
}

impl MasterKey {
    /// A master key from its 32 bytes.
    #[must_use]
    pub const fn from_bytes(bytes: [u8; MASTER_KEY_LEN]) -> Self {
        Self(bytes)
    }

    /// Parses a master key written as 64 hex digits (either case; surrounding whitespace
    /// ignored), as a key file holds it. The text is never echoed in the error.
    ///
    /// # Errors
    /// [`Error::InvalidMasterKey`] unless the text is exactly 32 bytes of hex.
    pub fn from_hex(text: &str) -> Result<Self, Error> {
        let digits = text.trim().as_bytes();
        if digits.len() != MASTER_KEY_LEN.saturating_mul(2) {
            return Err(Error::InvalidMasterKey);
        }
        let mut key = Self([0; MASTER_KEY_LEN]);
        for (byte, pair) in key.0.iter_mut().zip(digits.chunks_exact(2)) {
            let [hi, lo] = pair else {
                return Err(Error::InvalidMasterKey);
            };
            let (Some(hi), Some(lo)) = (nibble(*hi), nibble(*lo)) else {
                return Err(Error::InvalidMasterKey);
            };
            *byte = hi.wrapping_shl(4) | lo;
        }
        Ok(key)
    }

    /// The key bytes, for a key store or a test comparison. Keep them out of logs.
    #[must_use]
    pub const fn expose_bytes(&self) -> &[u8; MASTER_KEY_LEN] {
        &self.0
    }
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c.wrapping_sub(b'0')),
        b'a'..=b'f' => Some(c.wrapping_sub(b'a').wrapping_add(10)),
        b'A'..=b'F' => Some(c.wrapping_sub(b'A').wrapping_add(10)),
        _ => None,
    }
}

/// A chip's personalization keys `K_enc` and `K_mac` (AES-256). Zeroized on drop, never printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct PersoKeys {
    enc: AesKey,
    mac: AesKey,
}

impl fmt::Debug for PersoKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PersoKeys(<redacted>)")
    }
}

impl PersoKeys {
    /// Diversifies the keys of the chip with `serial` from the batch master key (AES-256).
    ///
    /// # Errors
    /// Only if the AES primitives fail, which they do not for a 32-byte key.
    pub fn diversify(master: &MasterKey, serial: &[u8; SERIAL_LEN]) -> Result<Self, Error> {
        let master = AesKey::new(master.expose_bytes())?;
        let enc = kdf108(&master, LABEL_ENC, serial)?;
        let mac = kdf108(&master, LABEL_MAC, serial)?;
        Ok(Self {
            enc: AesKey::new(&enc)?,
            mac: AesKey::new(&mac)?,
        })
    }

    /// Keys given directly (e.g. stored in a chip's state).
    ///
    /// # Errors
    /// [`Error::InvalidKeyLength`] unless both are 32 bytes.
    pub fn from_bytes(enc: &[u8], mac: &[u8]) -> Result<Self, Error> {
        for k in [enc, mac] {
            if k.len() != 32 {
                return Err(Error::InvalidKeyLength { len: k.len() });
            }
        }
        Ok(Self {
            enc: AesKey::new(enc)?,
            mac: AesKey::new(mac)?,
        })
    }

    /// `K_enc`, for storing in a chip's state.
    pub fn enc(&self) -> &AesKey {
        &self.enc
    }

    /// `K_mac`, for storing in a chip's state.
    pub fn mac(&self) -> &AesKey {
        &self.mac
    }
}

/// The session keys both sides derive after a successful mutual authentication.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SessionKeys {
    enc: AesKey,
    mac: AesKey,
}

impl fmt::Debug for SessionKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionKeys(<redacted>)")
    }
}

impl SessionKeys {
    fn derive(k_ifd: &[u8], k_ic: &[u8]) -> Self {
        let seed: Zeroizing<Vec<u8>> =
            Zeroizing::new(k_ifd.iter().zip(k_ic).map(|(a, b)| a ^ b).collect());
        Self {
            enc: kdf::kdf(&seed, COUNTER_ENC, CipherSuite::Aes256),
            mac: kdf::kdf(&seed, COUNTER_MAC, CipherSuite::Aes256),
        }
    }

    /// `KS_enc`.
    pub fn enc(&self) -> &AesKey {
        &self.enc
    }

    /// `KS_mac`.
    pub fn mac(&self) -> &AesKey {
        &self.mac
    }
}

fn seal(keys: &PersoKeys, plain: &[u8]) -> Result<Vec<u8>, Error> {
    let mut out = kdf::cbc_encrypt(&keys.enc, &[0u8; BLOCK_LEN], plain)?;
    let mac = kdf::cmac(&keys.mac, &[&out])?;
    out.extend_from_slice(mac.get(..MAC_LEN).unwrap_or_default());
    Ok(out)
}

fn open(keys: &PersoKeys, data: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error> {
    if data.len() != AUTH_DATA_LEN {
        return Err(Error::AuthenticationFailed);
    }
    let (cryptogram, mac) = data.split_at(CRYPTOGRAM_LEN);
    if !kdf::cmac_verify_truncated(&keys.mac, &[cryptogram], mac)? {
        return Err(Error::AuthenticationFailed);
    }
    kdf::cbc_decrypt(&keys.enc, &[0u8; BLOCK_LEN], cryptogram)
}

/// The terminal's side, between sending EXTERNAL AUTHENTICATE and checking the chip's answer.
pub struct HostAuth {
    keys: PersoKeys,
    rnd_ic: [u8; CHALLENGE_LEN],
    rnd_ifd: [u8; CHALLENGE_LEN],
    k_ifd: Zeroizing<[u8; KEY_HALF_LEN]>,
}

impl fmt::Debug for HostAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HostAuth(<redacted>)")
    }
}

impl HostAuth {
    /// Builds the EXTERNAL AUTHENTICATE data (`E_IFD ‖ M_IFD`, 56 bytes) for the chip's
    /// challenge `rnd_ic`, with the terminal's random `rnd_ifd` and key half `k_ifd`.
    ///
    /// # Errors
    /// Only if the AES primitives fail.
    pub fn start(
        keys: &PersoKeys,
        rnd_ic: [u8; CHALLENGE_LEN],
        rnd_ifd: [u8; CHALLENGE_LEN],
        k_ifd: [u8; KEY_HALF_LEN],
    ) -> Result<(Self, Vec<u8>), Error> {
        let k_ifd = Zeroizing::new(k_ifd);
        let mut s = Zeroizing::new(Vec::with_capacity(CRYPTOGRAM_LEN));
        s.extend_from_slice(&rnd_ifd);
        s.extend_from_slice(&rnd_ic);
        s.extend_from_slice(k_ifd.as_slice());
        let data = seal(keys, &s)?;
        Ok((
            Self {
                keys: keys.clone(),
                rnd_ic,
                rnd_ifd,
                k_ifd,
            },
            data,
        ))
    }

    /// Checks the chip's answer (`E_IC ‖ M_IC`) and derives the session keys.
    ///
    /// # Errors
    /// [`Error::AuthenticationFailed`] if the MAC or the echoed challenges are wrong: the chip
    /// does not hold this batch's key for its serial.
    pub fn finish(self, response: &[u8]) -> Result<SessionKeys, Error> {
        let r = open(&self.keys, response)?;
        let (rnd_ic, rest) = r.split_at(CHALLENGE_LEN);
        let (rnd_ifd, k_ic) = rest.split_at(CHALLENGE_LEN);
        if rnd_ic != self.rnd_ic || rnd_ifd != self.rnd_ifd {
            return Err(Error::AuthenticationFailed);
        }
        Ok(SessionKeys::derive(self.k_ifd.as_slice(), k_ic))
    }
}

/// The chip's side: checks the terminal's EXTERNAL AUTHENTICATE data against the outstanding
/// challenge `rnd_ic` and answers with its own cryptogram, using key half `k_ic`.
///
/// # Errors
/// [`Error::AuthenticationFailed`] for a wrong length, MAC or challenge.
pub fn card_respond(
    keys: &PersoKeys,
    rnd_ic: &[u8; CHALLENGE_LEN],
    data: &[u8],
    k_ic: [u8; KEY_HALF_LEN],
) -> Result<(Vec<u8>, SessionKeys), Error> {
    let k_ic = Zeroizing::new(k_ic);
    let s = open(keys, data)?;
    let (rnd_ifd, rest) = s.split_at(CHALLENGE_LEN);
    let (echoed_ic, k_ifd) = rest.split_at(CHALLENGE_LEN);
    if echoed_ic != rnd_ic {
        return Err(Error::AuthenticationFailed);
    }
    let mut r = Zeroizing::new(Vec::with_capacity(CRYPTOGRAM_LEN));
    r.extend_from_slice(rnd_ic);
    r.extend_from_slice(rnd_ifd);
    r.extend_from_slice(k_ic.as_slice());
    let response = seal(keys, &r)?;
    Ok((response, SessionKeys::derive(k_ifd, k_ic.as_slice())))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERIAL: [u8; 8] = [0, 0, 0, 0, 0, 0, 0, 1];

    fn keys() -> PersoKeys {
        PersoKeys::diversify(&MasterKey::from_bytes([0x5A; 32]), &SERIAL).unwrap()
    }

    #[test]
    fn master_key_from_hex() {
        let k = MasterKey::from_hex(TEST_MASTER_KEY_HEX).unwrap();
        assert_ne!(k.expose_bytes(), &[0; 32]);
        let k = MasterKey::from_hex(&format!("  {}\n", "0F".repeat(32))).unwrap();
        assert_eq!(k.expose_bytes(), &[0x0F; 32]);
        for bad in ["00", "zz", &"0g".repeat(32), &"00".repeat(33), ""] {
            assert!(
                matches!(MasterKey::from_hex(bad), Err(Error::InvalidMasterKey)),
                "{bad}"
            );
        }
        assert_eq!(format!("{k:?}"), "MasterKey(<redacted>)");
    }

    #[test]
    fn both_sides_agree() {
        let k = keys();
        let (host, cmd) = HostAuth::start(&k, [1; 8], [2; 8], [3; 32]).unwrap();
        assert_eq!(cmd.len(), AUTH_DATA_LEN);
        let (resp, card) = card_respond(&k, &[1; 8], &cmd, [4; 32]).unwrap();
        let host = host.finish(&resp).unwrap();
        assert_eq!(host.enc().expose_bytes(), card.enc().expose_bytes());
        assert_eq!(host.mac().expose_bytes(), card.mac().expose_bytes());
        assert_ne!(host.enc().expose_bytes(), host.mac().expose_bytes());
        assert_eq!(host.enc().expose_bytes().len(), 32);
    }

    #[test]
    fn diversification_separates_chips_and_keys() {
        let a = keys();
        let b = PersoKeys::diversify(
            &MasterKey::from_bytes([0x5A; 32]),
            &[0, 0, 0, 0, 0, 0, 0, 2],
        )
        .unwrap();
        assert_ne!(a.enc().expose_bytes(), b.enc().expose_bytes());
        assert_ne!(a.enc().expose_bytes(), a.mac().expose_bytes());
        // Deterministic: the card maker and the station derive the same key.
        assert_eq!(a.enc().expose_bytes(), keys().enc().expose_bytes());
    }

    #[test]
    fn kdf108_matches_an_independent_computation() {
        // SP 800-108 counter mode by hand with the cmac crate directly.
        use cmac::{Cmac, KeyInit, Mac};
        let master = [0x5A; 32];
        let mut expect = Vec::new();
        for i in [1u8, 2] {
            let mut m = <Cmac<aes::Aes256> as KeyInit>::new_from_slice(&master).unwrap();
            m.update(&[i]);
            m.update(b"ektp perso enc\x00");
            m.update(&SERIAL);
            m.update(&[1, 0]);
            expect.extend_from_slice(&m.finalize().into_bytes());
        }
        assert_eq!(keys().enc().expose_bytes(), &expect[..]);
    }

    #[test]
    fn wrong_key_stale_challenge_or_tampering_fail() {
        let k = keys();
        let other = PersoKeys::diversify(&MasterKey::from_bytes([0x5B; 32]), &SERIAL).unwrap();
        let (_, cmd) = HostAuth::start(&other, [1; 8], [2; 8], [3; 32]).unwrap();
        assert!(matches!(
            card_respond(&k, &[1; 8], &cmd, [4; 32]),
            Err(Error::AuthenticationFailed)
        ));

        let (host, cmd) = HostAuth::start(&k, [1; 8], [2; 8], [3; 32]).unwrap();
        assert!(matches!(
            card_respond(&k, &[9; 8], &cmd, [4; 32]),
            Err(Error::AuthenticationFailed)
        ));
        let mut bad = cmd.clone();
        bad[3] ^= 1;
        assert!(matches!(
            card_respond(&k, &[1; 8], &bad, [4; 32]),
            Err(Error::AuthenticationFailed)
        ));
        assert!(matches!(
            card_respond(&k, &[1; 8], &cmd[..55], [4; 32]),
            Err(Error::AuthenticationFailed)
        ));

        let (mut resp, _) = card_respond(&k, &[1; 8], &cmd, [4; 32]).unwrap();
        resp[50] ^= 1;
        assert!(matches!(
            host.finish(&resp),
            Err(Error::AuthenticationFailed)
        ));
    }

    #[test]
    fn debug_redacts() {
        assert_eq!(format!("{:?}", keys()), "PersoKeys(<redacted>)");
    }
}

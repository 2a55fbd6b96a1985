//! Key derivation (ICAO 9303-11 §9.7.1) and the AES primitives PACE and secure messaging use:
//! CBC with a zero IV, single-block encryption and CMAC. Everything delegates to RustCrypto
//! `aes`/`cbc`/`cmac` and `ring` digests.

use aes::cipher::block_padding::NoPadding;
use aes::cipher::{BlockCipherEncrypt, BlockModeDecrypt, BlockModeEncrypt, KeyInit, KeyIvInit};
use cmac::Mac;
use core::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::Error;

/// AES block size in bytes.
pub const BLOCK_LEN: usize = 16;

/// KDF counter for KS_enc (ICAO 9303-11 §9.7.1).
pub const COUNTER_ENC: u32 = 1;
/// KDF counter for KS_mac.
pub const COUNTER_MAC: u32 = 2;
/// KDF counter for K_π.
pub const COUNTER_PACE: u32 = 3;

/// The AES key size of a PACE protocol (`id-PACE-ECDH-GM-AES-CBC-CMAC-128/192/256`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CipherSuite {
    /// AES-128, keys derived with SHA-1.
    Aes128,
    /// AES-192, keys derived with SHA-256 (first 24 bytes).
    Aes192,
    /// AES-256, keys derived with SHA-256.
    Aes256,
}

impl CipherSuite {
    /// Key length in bytes.
    pub const fn key_len(self) -> usize {
        match self {
            Self::Aes128 => 16,
            Self::Aes192 => 24,
            Self::Aes256 => 32,
        }
    }

    /// The suite for a key of `len` bytes.
    pub const fn from_key_len(len: usize) -> Option<Self> {
        match len {
            16 => Some(Self::Aes128),
            24 => Some(Self::Aes192),
            32 => Some(Self::Aes256),
            _ => None,
        }
    }

    /// Length of the PACE nonce s the card side generates: one block for AES-128, two for
    /// the longer keys (ICAO 9303-11 §4.4.3.3 only requires a multiple of the block size).
    pub const fn nonce_len(self) -> usize {
        match self {
            Self::Aes128 => 16,
            Self::Aes192 | Self::Aes256 => 32,
        }
    }
}

/// An AES key (KS_enc, KS_mac or K_π). Zeroized on drop, redacted in `Debug`.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct AesKey(Vec<u8>);

impl AesKey {
    /// Wraps raw key bytes of 16, 24 or 32 bytes.
    ///
    /// # Errors
    /// [`Error::InvalidKeyLength`] for any other length.
    pub fn new(bytes: &[u8]) -> Result<Self, Error> {
        CipherSuite::from_key_len(bytes.len())
            .map(|_| Self(bytes.to_vec()))
            .ok_or(Error::InvalidKeyLength { len: bytes.len() })
    }

    /// The key's suite.
    pub fn suite(&self) -> CipherSuite {
        // The constructor admits only valid lengths.
        CipherSuite::from_key_len(self.0.len()).unwrap_or(CipherSuite::Aes128)
    }

    /// The raw key bytes. Secret: for tests and for handing to another SM implementation.
    pub fn expose_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for AesKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AesKey({:?}, <redacted>)", self.suite())
    }
}

/// KDF(K, c) = H(K || c) truncated to the key length, H = SHA-1 for AES-128 and SHA-256
/// otherwise (ICAO 9303-11 §9.7.1, §9.7.1.2).
pub fn kdf(shared_secret: &[u8], counter: u32, suite: CipherSuite) -> AesKey {
    let alg = match suite {
        CipherSuite::Aes128 => &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
        CipherSuite::Aes192 | CipherSuite::Aes256 => &ring::digest::SHA256,
    };
    let mut ctx = ring::digest::Context::new(alg);
    ctx.update(shared_secret);
    ctx.update(&counter.to_be_bytes());
    let digest = ctx.finish();
    let key_len = suite.key_len();
    // Both digests are at least as long as the key: SHA-1 20 >= 16, SHA-256 32 >= 24/32.
    AesKey(digest.as_ref().iter().take(key_len).copied().collect())
}

macro_rules! with_aes {
    ($key:expr, |$ty:ident| $body:expr) => {
        match $key.suite() {
            CipherSuite::Aes128 => {
                type $ty = aes::Aes128;
                $body
            }
            CipherSuite::Aes192 => {
                type $ty = aes::Aes192;
                $body
            }
            CipherSuite::Aes256 => {
                type $ty = aes::Aes256;
                $body
            }
        }
    };
}

/// E(K, block): one AES block, used for IV = E(KS_enc, SSC) (ICAO 9303-11 §9.8.7.1).
pub(crate) fn encrypt_block(
    key: &AesKey,
    block: &[u8; BLOCK_LEN],
) -> Result<[u8; BLOCK_LEN], Error> {
    let mut b = aes::Block::from(*block);
    with_aes!(key, |A| {
        let cipher = A::new_from_slice(key.expose_bytes())
            .map_err(|_| Error::InvalidKeyLength { len: key.0.len() })?;
        cipher.encrypt_block(&mut b);
    });
    Ok(b.into())
}

/// AES-CBC encryption of `data` (a whole number of blocks) with `iv`.
pub(crate) fn cbc_encrypt(
    key: &AesKey,
    iv: &[u8; BLOCK_LEN],
    data: &[u8],
) -> Result<Vec<u8>, Error> {
    if !data.len().is_multiple_of(BLOCK_LEN) {
        return Err(Error::SmPadding);
    }
    with_aes!(key, |A| {
        let enc = cbc::Encryptor::<A>::new_from_slices(key.expose_bytes(), iv)
            .map_err(|_| Error::InvalidKeyLength { len: key.0.len() })?;
        Ok(enc.encrypt_padded_vec::<NoPadding>(data))
    })
}

/// AES-CBC decryption of `data` (a whole number of blocks) with `iv`.
pub(crate) fn cbc_decrypt(
    key: &AesKey,
    iv: &[u8; BLOCK_LEN],
    data: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Error> {
    if data.is_empty() || !data.len().is_multiple_of(BLOCK_LEN) {
        return Err(Error::SmPadding);
    }
    with_aes!(key, |A| {
        let dec = cbc::Decryptor::<A>::new_from_slices(key.expose_bytes(), iv)
            .map_err(|_| Error::InvalidKeyLength { len: key.0.len() })?;
        dec.decrypt_padded_vec::<NoPadding>(data)
            .map(Zeroizing::new)
            .map_err(|_| Error::SmPadding)
    })
}

/// AES-CMAC over the concatenation of `parts`, full 16-byte tag.
pub(crate) fn cmac(key: &AesKey, parts: &[&[u8]]) -> Result<[u8; BLOCK_LEN], Error> {
    with_aes!(key, |A| {
        let mut mac = <cmac::Cmac<A> as KeyInit>::new_from_slice(key.expose_bytes())
            .map_err(|_| Error::InvalidKeyLength { len: key.0.len() })?;
        for p in parts {
            mac.update(p);
        }
        Ok(mac.finalize().into_bytes().into())
    })
}

/// Verifies the leftmost `tag.len()` bytes of the CMAC in constant time.
pub(crate) fn cmac_verify_truncated(
    key: &AesKey,
    parts: &[&[u8]],
    tag: &[u8],
) -> Result<bool, Error> {
    with_aes!(key, |A| {
        let mut mac = <cmac::Cmac<A> as KeyInit>::new_from_slice(key.expose_bytes())
            .map_err(|_| Error::InvalidKeyLength { len: key.0.len() })?;
        for p in parts {
            mac.update(p);
        }
        Ok(!tag.is_empty() && mac.verify_truncated_left(tag).is_ok())
    })
}

/// ISO/IEC 9797-1 padding method 2 (`80 00 ..`) to a multiple of the AES block size.
pub(crate) fn pad(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len().saturating_add(BLOCK_LEN));
    out.extend_from_slice(data);
    out.push(0x80);
    while out.len() % BLOCK_LEN != 0 {
        out.push(0);
    }
    out
}

/// Removes ISO/IEC 9797-1 padding method 2; `None` if it is not there.
pub(crate) fn unpad(data: &[u8]) -> Option<&[u8]> {
    let last_nonzero = data.iter().rposition(|&b| b != 0)?;
    // The padding is at most one block: 80 followed by up to 15 zeros.
    if data.len().saturating_sub(last_nonzero) > BLOCK_LEN {
        return None;
    }
    match data.get(last_nonzero) {
        Some(0x80) => data.get(..last_nonzero),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s.replace(' ', "")).unwrap()
    }

    #[test]
    fn kdf_matches_icao_appendix_g1() {
        let k = h("28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925");
        assert_eq!(
            kdf(&k, COUNTER_ENC, CipherSuite::Aes128).expose_bytes(),
            h("F5F0E35C0D7161EE6724EE513A0D9A7F")
        );
        assert_eq!(
            kdf(&k, COUNTER_MAC, CipherSuite::Aes128).expose_bytes(),
            h("FE251C7858B356B24514B3BD5F4297D1")
        );
        assert_eq!(
            kdf(&k, COUNTER_ENC, CipherSuite::Aes256)
                .expose_bytes()
                .len(),
            32
        );
        assert_eq!(
            kdf(&k, COUNTER_ENC, CipherSuite::Aes192)
                .expose_bytes()
                .len(),
            24
        );
    }

    #[test]
    fn kdf_sha256_is_sha256_of_secret_and_counter() {
        let k = [7u8; 32];
        let mut input = k.to_vec();
        input.extend_from_slice(&[0, 0, 0, 3]);
        let expected = ring::digest::digest(&ring::digest::SHA256, &input);
        assert_eq!(
            kdf(&k, COUNTER_PACE, CipherSuite::Aes256).expose_bytes(),
            expected.as_ref()
        );
        assert_eq!(
            kdf(&k, COUNTER_PACE, CipherSuite::Aes192).expose_bytes(),
            &expected.as_ref()[..24]
        );
    }

    #[test]
    fn padding_round_trip_and_rejects() {
        for n in 0..40 {
            let d = vec![0xAB; n];
            let p = pad(&d);
            assert_eq!(p.len() % 16, 0);
            assert!(p.len() > n);
            assert_eq!(unpad(&p), Some(&d[..]));
        }
        assert_eq!(unpad(&[0u8; 16]), None);
        assert_eq!(unpad(&h("01020304000000000000000000000000")), None);
        let mut long = vec![0x80];
        long.extend_from_slice(&[0u8; 16]);
        assert_eq!(unpad(&long), None);
    }

    #[test]
    fn debug_redacts_key() {
        let k = AesKey::new(&[0x42; 16]).unwrap();
        assert!(!format!("{k:?}").contains("42"));
        assert!(AesKey::new(&[0; 15]).is_err());
    }
}

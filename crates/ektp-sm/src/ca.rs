//! Chip Authentication (ICAO 9303-11 §6.2, BSI TR-03110-1 §3.4 version 1) with ECDH and AES
//! secure messaging, as two sans-I/O state machines like [`crate::pace`]:
//!
//! * [`host`]: the terminal. Sends MSE:Set AT `00 22 41 A4` and GENERAL AUTHENTICATE with
//!   its ephemeral public key `7C { 80 PK_PCD }`, both inside the PACE secure messaging.
//! * [`card`]: the chip. Agrees on K = x(SK_PICC · PK_PCD) with its static Chip
//!   Authentication key.
//!
//! The chip answers the GENERAL AUTHENTICATE under the old (PACE) session keys; both sides
//! then restart secure messaging with KS_enc = KDF(K, 1), KS_mac = KDF(K, 2) and SSC = 0
//! (ICAO 9303-11 §6.2.3). Only a chip that holds the private key of the DG14 public key
//! (covered by EF.SOD) can answer the next protected command: chip authenticity is bound to
//! the channel.
//!
//! Terminal Authentication ([`crate::ta`]) that follows signs Comp(PK_PCD) of the same
//! ephemeral key ([`compressed`]).

pub mod card;
pub mod host;

use der::asn1::ObjectIdentifier;
use ektp_iso7816::tlv::{self, Reader};
use zeroize::Zeroizing;

use crate::Error;
use crate::curve::{DomainParameters, EcPoint, SCALAR_LEN};
use crate::kdf::CipherSuite;
use crate::pace::{SessionKeys, cipher_of_protocol_oid, protocol_oid, session_keys};
use crate::rng::RandomSource;

/// DER content octets of `id-CA-ECDH` = 0.4.0.127.0.7.2.2.3.2 (ICAO 9303-11 §9.2.5); the
/// AES variants append 2 (128), 3 (192) or 4 (256).
const ID_CA_ECDH: [u8; 9] = [0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02];

/// `id-PK-ECDH` = 0.4.0.127.0.7.2.2.1.2, the protocol of a ChipAuthenticationPublicKeyInfo
/// with an ECDH key (ICAO 9303-11 §9.2.6).
pub const ID_PK_ECDH: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.1.2");

/// Tag of the terminal's ephemeral public key in GENERAL AUTHENTICATE (ICAO 9303-11
/// §6.2.4.2).
pub const TAG_EPHEMERAL_PUBLIC_KEY: u32 = 0x80;

/// The Chip Authentication protocol: ECDH on standardized domain parameters and an AES key
/// size, together one `ChipAuthenticationInfo` with its public key info.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CaParams {
    /// The curve of the chip's static key.
    pub domain: DomainParameters,
    /// The AES key size of the restarted secure messaging.
    pub cipher: CipherSuite,
}

impl CaParams {
    /// The e-KTP default: NIST P-256 with AES-128 (`id-CA-ECDH-AES-CBC-CMAC-128`).
    pub const EKTP_DEFAULT: Self = Self {
        domain: DomainParameters::NistP256,
        cipher: CipherSuite::Aes128,
    };

    /// DER content octets of the protocol OID, e.g. `04 00 7F 00 07 02 02 03 02 02`.
    pub fn oid_bytes(&self) -> [u8; 10] {
        oid_bytes(self.cipher)
    }
}

/// The `id-CA-ECDH-AES-CBC-CMAC-*` content octets for `cipher`.
pub fn oid_bytes(cipher: CipherSuite) -> [u8; 10] {
    protocol_oid(ID_CA_ECDH, cipher)
}

/// The cipher suite named by Chip Authentication OID content octets.
///
/// # Errors
/// [`Error::UnsupportedProtocol`] unless the OID is `id-CA-ECDH-AES-CBC-CMAC-*`.
pub fn cipher_from_oid_bytes(oid: &[u8]) -> Result<CipherSuite, Error> {
    cipher_of_protocol_oid(&ID_CA_ECDH, oid)
}

/// Comp(PK) for ECDH keys: the x-coordinate (BSI TR-03110-3 §A.2.2.3). Terminal
/// Authentication signs Comp of the terminal's Chip Authentication key and, with PACE, uses
/// Comp of the chip's PACE ephemeral key as ID_PICC.
pub fn compressed(point: &EcPoint) -> Vec<u8> {
    point.x().to_vec()
}

/// The session keys after Chip Authentication: KDF over K = x(SK · PK_peer)
/// (ICAO 9303-11 §9.7.4, the same derivation as PACE).
pub fn ca_session_keys(shared_x: &[u8], cipher: CipherSuite) -> SessionKeys {
    session_keys(shared_x, cipher)
}

/// A fresh static Chip Authentication private key on `domain` (from the operating system's
/// random source), for a chip that generates its key during personalization.
///
/// # Errors
/// [`Error::Rng`].
pub fn generate_private_key(
    domain: DomainParameters,
) -> Result<Zeroizing<[u8; SCALAR_LEN]>, Error> {
    RandomSource::system().private_key(domain)
}

/// The public key of a static Chip Authentication private key.
///
/// # Errors
/// [`Error::CaKey`] if `private` is not a valid scalar on `domain`.
pub fn public_key(domain: DomainParameters, private: &[u8; SCALAR_LEN]) -> Result<EcPoint, Error> {
    domain
        .mul_base(private)
        .map_err(|_| Error::CaKey("private key is not a valid scalar for the curve"))
}

/// The data field of MSE:Set AT for Chip Authentication: `80` OID, and `84` the key
/// reference (keyId) when the chip has several keys (ICAO 9303-11 §6.2.4.1).
pub fn mse_set_at_data(params: &CaParams, key_id: Option<u32>) -> Vec<u8> {
    let mut w = tlv::Writer::new();
    w.put(0x80, &params.oid_bytes());
    if let Some(id) = key_id {
        let bytes = id.to_be_bytes();
        let first = bytes.iter().position(|&b| b != 0).unwrap_or(3);
        w.put(0x84, bytes.get(first..).unwrap_or(&[0]));
    }
    w.into_bytes()
}

/// What an MSE:Set AT for Chip Authentication asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MseSetAt {
    /// The cipher suite from the OID in tag `80`.
    pub cipher: CipherSuite,
    /// The key reference in tag `84`, if present.
    pub key_id: Option<u32>,
}

/// Parses the data field of MSE:Set AT for Chip Authentication.
///
/// # Errors
/// [`Error::Decode`] if malformed; [`Error::UnsupportedProtocol`]; [`Error::MechanismMismatch`]
/// for a missing OID, a repeated tag or a key reference longer than 4 bytes.
pub fn parse_mse_set_at(data: &[u8]) -> Result<MseSetAt, Error> {
    const WHAT: &str = "Chip Authentication MSE:Set AT data";
    let mut r = Reader::new(data);
    let mut cipher = None;
    let mut key_id = None;
    while let Some(t) = r.next_tlv().map_err(Error::decode(WHAT))? {
        match t.tag.value() {
            0x80 if cipher.is_none() => cipher = Some(cipher_from_oid_bytes(t.value)?),
            0x84 if key_id.is_none() => {
                if t.value.is_empty() || t.value.len() > 4 {
                    return Err(Error::MechanismMismatch);
                }
                key_id = Some(
                    t.value
                        .iter()
                        .fold(0u32, |acc, &b| (acc << 8) | u32::from(b)),
                );
            }
            _ => return Err(Error::MechanismMismatch),
        }
    }
    Ok(MseSetAt {
        cipher: cipher.ok_or(Error::MechanismMismatch)?,
        key_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oid_and_mse_round_trip() {
        let p = CaParams::EKTP_DEFAULT;
        assert_eq!(hex::encode_upper(p.oid_bytes()), "04007F00070202030202");
        assert_eq!(
            cipher_from_oid_bytes(&p.oid_bytes()).unwrap(),
            CipherSuite::Aes128
        );
        // id-PACE-ECDH-GM-AES-CBC-CMAC-128 is not a CA OID.
        assert!(cipher_from_oid_bytes(&hex::decode("04007F00070202040202").unwrap()).is_err());
        let d = mse_set_at_data(&p, None);
        assert_eq!(hex::encode_upper(&d), "800A04007F00070202030202");
        assert_eq!(
            parse_mse_set_at(&d).unwrap(),
            MseSetAt {
                cipher: CipherSuite::Aes128,
                key_id: None
            }
        );
        let d = mse_set_at_data(&p, Some(0x0102));
        assert!(hex::encode_upper(&d).ends_with("84020102"));
        assert_eq!(parse_mse_set_at(&d).unwrap().key_id, Some(0x0102));
        assert!(parse_mse_set_at(&hex::decode("840101").unwrap()).is_err());
        assert!(parse_mse_set_at(&hex::decode("800A04007F000702020302028301").unwrap()).is_err());
    }
}

//! PACE v2 with ECDH Generic Mapping and AES (ICAO 9303-11 §4.4), as two sans-I/O state
//! machines that share one implementation of the cryptography:
//!
//! * [`host`]: the terminal. Builds MSE:Set AT and the four chained GENERAL AUTHENTICATE
//!   commands and consumes the card's answers.
//! * [`card`]: the chip. Consumes those commands and produces the answers.
//!
//! Each step consumes the state and returns the next state together with the APDU to send,
//! so a step cannot be repeated or skipped. On success both sides hold a secure messaging
//! session ([`crate::sm`]) with SSC = 0.
//!
//! The building blocks ([`derive_k_pi`], [`encrypt_nonce`], [`decrypt_nonce`],
//! [`generic_mapping`], [`session_keys`], [`authentication_token`] and the message
//! codecs) are public so the ICAO worked example can be checked value by value.

pub mod card;
pub mod host;

use ektp_iso7816::tlv::{self, Reader};
use zeroize::Zeroizing;

use crate::Error;
use crate::curve::{DomainParameters, EcPoint, SCALAR_LEN};
use crate::error::PaceStep;
use crate::kdf::{self, AesKey, BLOCK_LEN, CipherSuite};
use crate::password::{PacePassword, PasswordRef};

/// DER content octets of `id-PACE-ECDH-GM` = 0.4.0.127.0.7.2.2.4.2 (ICAO 9303-11 §9.2.3);
/// the AES variants append 2 (128), 3 (192) or 4 (256).
const ID_PACE_ECDH_GM: [u8; 9] = [0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04, 0x02];

/// Tag of the Dynamic Authentication Data template.
pub const TAG_DYNAMIC_AUTH_DATA: u32 = 0x7C;
/// Encrypted nonce (card → host).
pub const TAG_ENCRYPTED_NONCE: u32 = 0x80;
/// Terminal's mapping data.
pub const TAG_MAPPING_TERMINAL: u32 = 0x81;
/// Chip's mapping data.
pub const TAG_MAPPING_CHIP: u32 = 0x82;
/// Terminal's ephemeral public key.
pub const TAG_EPHEMERAL_TERMINAL: u32 = 0x83;
/// Chip's ephemeral public key.
pub const TAG_EPHEMERAL_CHIP: u32 = 0x84;
/// Terminal's authentication token.
pub const TAG_TOKEN_TERMINAL: u32 = 0x85;
/// Chip's authentication token.
pub const TAG_TOKEN_CHIP: u32 = 0x86;

/// Length of the authentication tokens (CMAC truncated to 8 bytes, ICAO 9303-11 §4.4.3.4).
pub const TOKEN_LEN: usize = 8;

/// The PACE protocol: ECDH generic mapping, an AES key size and standardized domain
/// parameters. Together they are one `PACEInfo` of EF.CardAccess.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PaceParams {
    /// The curve.
    pub domain: DomainParameters,
    /// The AES key size.
    pub cipher: CipherSuite,
}

impl PaceParams {
    /// The e-KTP default: NIST P-256 with AES-128.
    pub const EKTP_DEFAULT: Self = Self {
        domain: DomainParameters::NistP256,
        cipher: CipherSuite::Aes128,
    };

    /// DER content octets of the protocol OID, e.g. `04 00 7F 00 07 02 02 04 02 02`
    /// for `id-PACE-ECDH-GM-AES-CBC-CMAC-128`.
    pub fn oid_bytes(&self) -> [u8; 10] {
        protocol_oid(ID_PACE_ECDH_GM, self.cipher)
    }

    /// The cipher suite named by PACE OID content octets.
    ///
    /// # Errors
    /// [`Error::UnsupportedProtocol`] unless the OID is `id-PACE-ECDH-GM-AES-CBC-CMAC-*`.
    pub fn cipher_from_oid_bytes(oid: &[u8]) -> Result<CipherSuite, Error> {
        cipher_of_protocol_oid(&ID_PACE_ECDH_GM, oid)
    }
}

/// The content octets of a `…-AES-CBC-CMAC-*` protocol OID: `prefix` then the cipher's arc
/// (2 AES-128, 3 AES-192, 4 AES-256; BSI TR-03110-3 §A.1.1), as PACE and Chip
/// Authentication both name their protocols.
pub(crate) fn protocol_oid(prefix: [u8; 9], cipher: CipherSuite) -> [u8; 10] {
    let [a, b, c, d, e, f, g, h, i] = prefix;
    let last = match cipher {
        CipherSuite::Aes128 => 2,
        CipherSuite::Aes192 => 3,
        CipherSuite::Aes256 => 4,
    };
    [a, b, c, d, e, f, g, h, i, last]
}

/// The cipher suite of protocol OID content octets `oid` under `prefix`.
///
/// # Errors
/// [`Error::UnsupportedProtocol`] for another OID.
pub(crate) fn cipher_of_protocol_oid(prefix: &[u8; 9], oid: &[u8]) -> Result<CipherSuite, Error> {
    let unsupported = || Error::UnsupportedProtocol {
        oid: oid_to_dotted(oid),
    };
    let (last, rest) = oid.split_last().ok_or_else(unsupported)?;
    if rest != prefix {
        return Err(unsupported());
    }
    match last {
        2 => Ok(CipherSuite::Aes128),
        3 => Ok(CipherSuite::Aes192),
        4 => Ok(CipherSuite::Aes256),
        _ => Err(unsupported()),
    }
}

/// Dotted form of OID content octets for error messages (best effort, never panics).
pub(crate) fn oid_to_dotted(oid: &[u8]) -> String {
    match der::asn1::ObjectIdentifier::from_bytes(oid) {
        Ok(o) => o.to_string(),
        Err(_) => {
            let hex: Vec<String> = oid.iter().map(|b| format!("{b:02X}")).collect();
            format!("(malformed {})", hex.join(" "))
        }
    }
}

/// K_π = KDF_π(f(π)) (ICAO 9303-11 §9.7.3).
pub fn derive_k_pi(password: &PacePassword, cipher: CipherSuite) -> AesKey {
    kdf::kdf(password.encoded(), kdf::COUNTER_PACE, cipher)
}

/// z = E(K_π, s) in CBC mode with a zero IV (ICAO 9303-11 §4.4.3.3).
///
/// # Errors
/// [`Error::InvalidNonceLength`] unless `s` is 16 or 32 bytes.
pub fn encrypt_nonce(k_pi: &AesKey, s: &[u8]) -> Result<Vec<u8>, Error> {
    check_nonce_len(s.len())?;
    kdf::cbc_encrypt(k_pi, &[0; BLOCK_LEN], s)
}

/// s = D(K_π, z).
///
/// # Errors
/// [`Error::InvalidNonceLength`] unless `z` is 16 or 32 bytes.
pub fn decrypt_nonce(k_pi: &AesKey, z: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error> {
    check_nonce_len(z.len())?;
    kdf::cbc_decrypt(k_pi, &[0; BLOCK_LEN], z)
}

fn check_nonce_len(len: usize) -> Result<(), Error> {
    // ICAO 9303-11 §4.4.3.3: a multiple of the block size; at most the scalar size so the
    // nonce is an integer below 2^256 as Generic Mapping expects.
    if len == BLOCK_LEN || len == 2 * BLOCK_LEN {
        Ok(())
    } else {
        Err(Error::InvalidNonceLength { len })
    }
}

/// Generic mapping (ICAO 9303-11 §4.4.3.3.1): H = SK_map · PK_map(peer), Ĝ = s·G + H.
/// Returns (H, Ĝ).
///
/// # Errors
/// [`Error::InvalidPoint`] if H or Ĝ is the point at infinity.
pub fn generic_mapping(
    domain: DomainParameters,
    own_mapping_private: &[u8; SCALAR_LEN],
    peer_mapping_public: &EcPoint,
    s: &[u8],
) -> Result<(EcPoint, EcPoint), Error> {
    let bad = |kind| Error::InvalidPoint {
        step: PaceStep::Mapping,
        kind,
    };
    let h = domain
        .mul(own_mapping_private, peer_mapping_public)
        .map_err(bad)?;
    let g_hat = domain.map_generator(s, &h).map_err(bad)?;
    Ok((h, g_hat))
}

/// The PACE session keys KS_enc and KS_mac.
#[derive(Debug, Clone)]
pub struct SessionKeys {
    /// KS_enc.
    pub enc: AesKey,
    /// KS_mac.
    pub mac: AesKey,
}

/// KS_enc = KDF(K, 1), KS_mac = KDF(K, 2), K the x-coordinate of the agreed point
/// (ICAO 9303-11 §9.7.4).
pub fn session_keys(shared_x: &[u8], cipher: CipherSuite) -> SessionKeys {
    SessionKeys {
        enc: kdf::kdf(shared_x, kdf::COUNTER_ENC, cipher),
        mac: kdf::kdf(shared_x, kdf::COUNTER_MAC, cipher),
    }
}

/// The authentication token input: public key data object `7F49 { 06 OID, 86 point }`
/// (ICAO 9303-11 §4.4.3.4, §9.4.5).
pub fn token_input(params: &PaceParams, peer_ephemeral: &EcPoint) -> Vec<u8> {
    let mut w = tlv::Writer::new();
    w.nested(0x7F49, |w| {
        w.put(0x06, &params.oid_bytes());
        w.put(0x86, peer_ephemeral.as_bytes());
    });
    w.into_bytes()
}

/// T = CMAC(KS_mac, 7F49{OID, PK_peer}) truncated to 8 bytes.
///
/// # Errors
/// Only if the key is malformed (never for keys from [`session_keys`]).
pub fn authentication_token(
    ks_mac: &AesKey,
    params: &PaceParams,
    peer_ephemeral: &EcPoint,
) -> Result<[u8; TOKEN_LEN], Error> {
    let full = kdf::cmac(ks_mac, &[&token_input(params, peer_ephemeral)])?;
    let mut t = [0u8; TOKEN_LEN];
    t.copy_from_slice(full.get(..TOKEN_LEN).unwrap_or(&[0; TOKEN_LEN]));
    Ok(t)
}

/// Constant-time check of a received token.
pub(crate) fn verify_token(
    ks_mac: &AesKey,
    params: &PaceParams,
    peer_ephemeral: &EcPoint,
    received: &[u8],
) -> Result<bool, Error> {
    if received.len() != TOKEN_LEN {
        return Ok(false);
    }
    kdf::cmac_verify_truncated(ks_mac, &[&token_input(params, peer_ephemeral)], received)
}

/// The data field of MSE:Set AT: `80` OID, `83` password reference, `84` parameter ID
/// (ICAO 9303-11 §4.4.4.1).
pub fn mse_set_at_data(params: &PaceParams, password: PasswordRef) -> Vec<u8> {
    let mut w = tlv::Writer::new();
    w.put(0x80, &params.oid_bytes());
    w.put(0x83, &[password.to_byte()]);
    w.put(0x84, &[params.domain.id()]);
    w.into_bytes()
}

/// What an MSE:Set AT for PACE asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MseSetAt {
    /// The cipher suite from the OID in tag `80`.
    pub cipher: CipherSuite,
    /// The password reference in tag `83`.
    pub password: PasswordRef,
    /// The domain parameters in tag `84`, if present.
    pub domain: Option<DomainParameters>,
}

/// Parses the data field of MSE:Set AT.
///
/// # Errors
/// [`Error::Decode`] if malformed; [`Error::UnsupportedProtocol`],
/// [`Error::UnsupportedDomainParameters`] or [`Error::MechanismMismatch`] for values this
/// crate does not implement.
pub fn parse_mse_set_at(data: &[u8]) -> Result<MseSetAt, Error> {
    const WHAT: &str = "MSE:Set AT data";
    let mut r = Reader::new(data);
    let mut oid = None;
    let mut pw = None;
    let mut domain = None;
    while let Some(t) = r.next_tlv().map_err(Error::decode(WHAT))? {
        match t.tag.value() {
            0x80 if oid.is_none() => oid = Some(PaceParams::cipher_from_oid_bytes(t.value)?),
            0x83 if pw.is_none() => {
                let [b] = t.value else {
                    return Err(Error::MechanismMismatch);
                };
                pw = Some(PasswordRef::from_byte(*b).ok_or(Error::MechanismMismatch)?);
            }
            0x84 if domain.is_none() => {
                let [b] = t.value else {
                    return Err(Error::MechanismMismatch);
                };
                domain = Some(DomainParameters::from_id(u32::from(*b))?);
            }
            0x80 | 0x83 | 0x84 => return Err(Error::MechanismMismatch),
            // Other templates (e.g. 7F4C CHAT for Terminal Authentication) do not apply to
            // PACE with the CAN and are ignored.
            _ => {}
        }
    }
    Ok(MseSetAt {
        cipher: oid.ok_or(Error::MechanismMismatch)?,
        password: pw.ok_or(Error::MechanismMismatch)?,
        domain,
    })
}

/// Encodes Dynamic Authentication Data `7C { tag value }`, or `7C 00` when `inner` is None.
pub fn encode_dynamic_auth_data(inner: Option<(u32, &[u8])>) -> Vec<u8> {
    let mut w = tlv::Writer::new();
    w.nested(TAG_DYNAMIC_AUTH_DATA, |w| {
        if let Some((tag, value)) = inner {
            w.put(tag, value);
        }
    });
    w.into_bytes()
}

/// Parses Dynamic Authentication Data and returns the value of the one expected data object
/// (`None` expects an empty template `7C 00`). After the expected object only the
/// certification authority references `87`/`88` of the last step are tolerated
/// (ICAO 9303-11 §4.4.5.5).
///
/// # Errors
/// [`Error::Decode`] on any deviation.
pub fn parse_dynamic_auth_data(data: &[u8], expected: Option<u32>) -> Result<&[u8], Error> {
    const WHAT: &str = "GENERAL AUTHENTICATE data";
    let outer = tlv::parse_one(data)
        .and_then(|t| t.expect_tag(TAG_DYNAMIC_AUTH_DATA))
        .map_err(Error::decode(WHAT))?;
    let mut r = outer.children().map_err(Error::decode(WHAT))?;
    let value = match expected {
        None => &[][..],
        Some(tag) => r.expect(tag).map_err(Error::decode(WHAT))?.value,
    };
    if expected == Some(TAG_TOKEN_CHIP) {
        let _car1 = r.optional(0x87).map_err(Error::decode(WHAT))?;
        let _car2 = r.optional(0x88).map_err(Error::decode(WHAT))?;
    }
    r.finish().map_err(Error::decode(WHAT))?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oid_round_trip() {
        for cipher in [
            CipherSuite::Aes128,
            CipherSuite::Aes192,
            CipherSuite::Aes256,
        ] {
            let p = PaceParams {
                domain: DomainParameters::NistP256,
                cipher,
            };
            assert_eq!(
                PaceParams::cipher_from_oid_bytes(&p.oid_bytes()).unwrap(),
                cipher
            );
        }
        // id-PACE-ECDH-IM-AES-CBC-CMAC-128 is not supported.
        let im = hex::decode("04007F00070202040402").unwrap();
        let err = PaceParams::cipher_from_oid_bytes(&im).unwrap_err();
        assert!(err.to_string().contains("0.4.0.127.0.7.2.2.4.4.2"), "{err}");
    }

    #[test]
    fn mse_round_trip_and_icao_form() {
        let p = PaceParams {
            domain: DomainParameters::BrainpoolP256r1,
            cipher: CipherSuite::Aes128,
        };
        let d = mse_set_at_data(&p, PasswordRef::Can);
        assert_eq!(
            hex::encode_upper(&d),
            "800A04007F0007020204020283010284010D"
        );
        let m = parse_mse_set_at(&d).unwrap();
        assert_eq!(m.domain, Some(DomainParameters::BrainpoolP256r1));
        assert_eq!(m.password, PasswordRef::Can);
        // ICAO Appendix G.1 omits tag 84.
        let icao = hex::decode("800A04007F00070202040202830101").unwrap();
        let m = parse_mse_set_at(&icao).unwrap();
        assert_eq!(m.domain, None);
        assert_eq!(m.password, PasswordRef::Mrz);
        assert!(parse_mse_set_at(&hex::decode("830102").unwrap()).is_err());
        assert!(
            parse_mse_set_at(&hex::decode("800A04007F000702020402028301020000").unwrap()).is_err()
        );
    }

    #[test]
    fn dynamic_auth_data() {
        assert_eq!(
            parse_dynamic_auth_data(&[0x7C, 0x00], None).unwrap(),
            &[] as &[u8]
        );
        let d = encode_dynamic_auth_data(Some((0x85, &[1, 2, 3])));
        assert_eq!(d, vec![0x7C, 0x05, 0x85, 0x03, 1, 2, 3]);
        assert_eq!(parse_dynamic_auth_data(&d, Some(0x85)).unwrap(), &[1, 2, 3]);
        assert!(parse_dynamic_auth_data(&d, Some(0x86)).is_err());
        assert!(parse_dynamic_auth_data(&d, None).is_err());
        let mut trailing = d.clone();
        trailing.push(0);
        assert!(parse_dynamic_auth_data(&trailing, Some(0x85)).is_err());
        let with_car = hex::decode("7C0D860801020304050607088701AA").unwrap();
        assert_eq!(
            parse_dynamic_auth_data(&with_car, Some(0x86))
                .unwrap()
                .len(),
            8
        );
    }
}

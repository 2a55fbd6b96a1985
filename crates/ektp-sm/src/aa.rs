//! Active Authentication with ECDSA on NIST P-256 (ICAO 9303-11 §6.1).
//!
//! The chip signs the terminal's 8-byte challenge with its private key ([`ChipAaKey`]); the
//! host verifies the signature with the SubjectPublicKeyInfo from DG15
//! ([`verify_signature`]). The hash is named explicitly ([`AaHash`], from DG14's
//! `ActiveAuthenticationInfo`), never guessed from the key size. Signatures are accepted in
//! plain `r || s` form (BSI TR-03111, what chips send) and as DER `ECDSA-Sig-Value`.
//! All ECDSA work is `ring`.

use core::fmt;

use der::asn1::{AnyRef, BitStringRef, ObjectIdentifier};
use der::{Decode, Encode};
use ektp_iso7816::{CommandApdu, Ins};
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{self, EcdsaKeyPair, KeyPair};
use zeroize::Zeroizing;

use crate::Error;
pub use crate::card_access::AaHash;

/// Length of the Active Authentication challenge (RND.IFD).
pub const CHALLENGE_LEN: usize = 8;
/// `id-ecPublicKey` (RFC 5480).
pub const ID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// `prime256v1` / `secp256r1` (RFC 5480).
pub const PRIME256V1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");

/// ```text
/// SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
/// AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }
/// ```
#[derive(der::Sequence)]
struct AlgorithmIdentifier<'a> {
    algorithm: ObjectIdentifier,
    parameters: Option<AnyRef<'a>>,
}

#[derive(der::Sequence)]
struct SubjectPublicKeyInfo<'a> {
    algorithm: AlgorithmIdentifier<'a>,
    subject_public_key: BitStringRef<'a>,
}

/// The chip's Active Authentication key pair (ECDSA P-256).
///
/// The private key leaves this type only as PKCS#8 for the chip's persistent state
/// ([`ChipAaKey::to_pkcs8_der`], zeroized on drop). `Debug` shows only the public key.
pub struct ChipAaKey {
    pkcs8: Zeroizing<Vec<u8>>,
    pair: EcdsaKeyPair,
    rng: SystemRandom,
}

impl fmt::Debug for ChipAaKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ChipAaKey(P-256, public ")?;
        for b in self.pair.public_key().as_ref() {
            write!(f, "{b:02X}")?;
        }
        f.write_str(", private <redacted>)")
    }
}

impl ChipAaKey {
    /// Generates a fresh key pair with the system RNG (what the chip does once, at
    /// personalization).
    ///
    /// # Errors
    /// [`Error::AaKey`] if the RNG fails.
    pub fn generate() -> Result<Self, Error> {
        let rng = SystemRandom::new();
        let doc = EcdsaKeyPair::generate_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .map_err(|_| Error::AaKey)?;
        Self::from_pkcs8_der(doc.as_ref())
    }

    /// Loads a key from its PKCS#8 (RFC 5208/5958) DER encoding.
    ///
    /// # Errors
    /// [`Error::AaKey`] if it is not a valid P-256 ECDSA private key.
    pub fn from_pkcs8_der(pkcs8: &[u8]) -> Result<Self, Error> {
        let rng = SystemRandom::new();
        let pair =
            EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8, &rng)
                .map_err(|_| Error::AaKey)?;
        Ok(Self {
            pkcs8: Zeroizing::new(pkcs8.to_vec()),
            pair,
            rng,
        })
    }

    /// The private key as PKCS#8 DER, for the chip's persistent state. Secret.
    pub fn to_pkcs8_der(&self) -> Zeroizing<Vec<u8>> {
        self.pkcs8.clone()
    }

    /// The public point `04 || X || Y`.
    pub fn public_point(&self) -> &[u8] {
        self.pair.public_key().as_ref()
    }

    /// The SubjectPublicKeyInfo DER for DG15 (`id-ecPublicKey`, named curve `prime256v1`).
    ///
    /// # Errors
    /// Never in practice (propagated from `der`).
    pub fn subject_public_key_info_der(&self) -> Result<Vec<u8>, Error> {
        const WHAT: &str = "SubjectPublicKeyInfo encoding";
        let curve = PRIME256V1.to_der().map_err(Error::der(WHAT))?;
        SubjectPublicKeyInfo {
            algorithm: AlgorithmIdentifier {
                algorithm: ID_EC_PUBLIC_KEY,
                parameters: Some(AnyRef::from_der(&curve).map_err(Error::der(WHAT))?),
            },
            subject_public_key: BitStringRef::from_bytes(self.public_point())
                .map_err(Error::der(WHAT))?,
        }
        .to_der()
        .map_err(Error::der(WHAT))
    }

    /// Signs the terminal's challenge: ECDSA over `hash(challenge)`, plain `r || s`
    /// (64 bytes), as INTERNAL AUTHENTICATE returns it.
    ///
    /// # Errors
    /// [`Error::AaKey`] if the signature could not be made (RNG failure).
    pub fn sign_challenge(&self, hash: AaHash, challenge: &[u8]) -> Result<Vec<u8>, Error> {
        match hash {
            AaHash::Sha256 => self
                .pair
                .sign(&self.rng, challenge)
                .map(|s| s.as_ref().to_vec())
                .map_err(|_| Error::AaKey),
        }
    }
}

/// A fresh random 8-byte challenge from the system RNG.
///
/// # Errors
/// [`Error::Rng`].
pub fn random_challenge() -> Result<[u8; CHALLENGE_LEN], Error> {
    let mut c = [0u8; CHALLENGE_LEN];
    SystemRandom::new().fill(&mut c).map_err(|_| Error::Rng)?;
    Ok(c)
}

/// INTERNAL AUTHENTICATE `00 88 00 00 08 <challenge> 00` (ICAO 9303-11 §6.1.3).
pub fn internal_authenticate(challenge: &[u8; CHALLENGE_LEN]) -> CommandApdu {
    CommandApdu::new(0x00, Ins::InternalAuthenticate, 0x00, 0x00)
        .with_data(challenge.to_vec())
        .with_le(256)
}

/// Extracts the P-256 public point from a DG15 SubjectPublicKeyInfo.
///
/// # Errors
/// [`Error::Der`] if malformed; [`Error::AaUnsupported`] for a non-EC key or a curve other
/// than named `prime256v1` (explicit parameters are not supported).
pub fn public_point_from_spki(spki: &[u8]) -> Result<Vec<u8>, Error> {
    const WHAT: &str = "DG15 SubjectPublicKeyInfo";
    let info = SubjectPublicKeyInfo::from_der(spki).map_err(Error::der(WHAT))?;
    if info.algorithm.algorithm != ID_EC_PUBLIC_KEY {
        return Err(Error::AaUnsupported("DG15 key is not an EC key"));
    }
    let curve: ObjectIdentifier = info
        .algorithm
        .parameters
        .ok_or(Error::AaUnsupported("DG15 EC key without curve parameters"))?
        .decode_as()
        .map_err(|_| Error::AaUnsupported("DG15 EC key with explicit curve parameters"))?;
    if curve != PRIME256V1 {
        return Err(Error::AaUnsupported(
            "DG15 EC key on a curve other than P-256",
        ));
    }
    let point = info
        .subject_public_key
        .as_bytes()
        .ok_or(Error::AaUnsupported(
            "DG15 public key bit string has unused bits",
        ))?;
    Ok(point.to_vec())
}

/// Verifies an Active Authentication signature over `challenge` with the DG15 public key.
/// `signature` may be plain `r || s` (64 bytes) or DER.
///
/// # Errors
/// [`Error::AaSignatureInvalid`] if it does not verify; [`Error::Der`] /
/// [`Error::AaUnsupported`] for the key (see [`public_point_from_spki`]).
pub fn verify_signature(
    dg15_spki: &[u8],
    hash: AaHash,
    challenge: &[u8],
    signature: &[u8],
) -> Result<(), Error> {
    let point = public_point_from_spki(dg15_spki)?;
    let alg: &dyn signature::VerificationAlgorithm = match (hash, signature.len()) {
        (AaHash::Sha256, 64) => &signature::ECDSA_P256_SHA256_FIXED,
        (AaHash::Sha256, _) => &signature::ECDSA_P256_SHA256_ASN1,
    };
    signature::UnparsedPublicKey::new(alg, &point)
        .verify(challenge, signature)
        .map_err(|_| Error::AaSignatureInvalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_verify_both_formats() {
        let key = ChipAaKey::generate().unwrap();
        let spki = key.subject_public_key_info_der().unwrap();
        let challenge = random_challenge().unwrap();
        let sig = key.sign_challenge(AaHash::Sha256, &challenge).unwrap();
        assert_eq!(sig.len(), 64);
        verify_signature(&spki, AaHash::Sha256, &challenge, &sig).unwrap();

        // The same signature re-encoded as DER ECDSA-Sig-Value.
        let der_sig = der_from_plain(&sig);
        verify_signature(&spki, AaHash::Sha256, &challenge, &der_sig).unwrap();

        let mut bad = sig.clone();
        bad[10] ^= 1;
        assert!(matches!(
            verify_signature(&spki, AaHash::Sha256, &challenge, &bad),
            Err(Error::AaSignatureInvalid)
        ));
        assert!(verify_signature(&spki, AaHash::Sha256, b"otherchl", &sig).is_err());
        assert!(verify_signature(&spki, AaHash::Sha256, &challenge, &[]).is_err());
    }

    fn der_from_plain(sig: &[u8]) -> Vec<u8> {
        let int = |b: &[u8]| {
            let trimmed: Vec<u8> = b.iter().copied().skip_while(|&x| x == 0).collect();
            let mut v = Vec::new();
            if trimmed.first().is_some_and(|&x| x & 0x80 != 0) {
                v.push(0);
            }
            v.extend_from_slice(&trimmed);
            let mut out = vec![0x02, v.len() as u8];
            out.extend(v);
            out
        };
        let mut body = int(&sig[..32]);
        body.extend(int(&sig[32..]));
        let mut out = vec![0x30, body.len() as u8];
        out.extend(body);
        out
    }

    #[test]
    fn pkcs8_round_trip_and_redaction() {
        let key = ChipAaKey::generate().unwrap();
        let pkcs8 = key.to_pkcs8_der();
        let again = ChipAaKey::from_pkcs8_der(&pkcs8).unwrap();
        assert_eq!(again.public_point(), key.public_point());
        let dbg = format!("{key:?}");
        assert!(dbg.contains("redacted"));
        // ECPrivateKey { version 1, privateKey OCTET STRING (32) ... } inside the PKCS#8.
        let at = pkcs8
            .windows(5)
            .position(|w| w == [0x02, 0x01, 0x01, 0x04, 0x20])
            .unwrap();
        let scalar: String = pkcs8[at + 5..at + 37]
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect();
        assert!(!dbg.contains(&scalar[..16]));
        assert!(ChipAaKey::from_pkcs8_der(&[0x30, 0x00]).is_err());
    }

    #[test]
    fn spki_checks() {
        let key = ChipAaKey::generate().unwrap();
        let spki = key.subject_public_key_info_der().unwrap();
        assert_eq!(public_point_from_spki(&spki).unwrap(), key.public_point());
        // An RSA SubjectPublicKeyInfo header (rsaEncryption, NULL params).
        let rsa = hex::decode("3012300D06092A864886F70D0101010500030100").unwrap();
        assert!(matches!(
            public_point_from_spki(&rsa),
            Err(Error::AaUnsupported(_))
        ));
        assert!(public_point_from_spki(&spki[..spki.len() - 1]).is_err());
    }

    #[test]
    fn internal_authenticate_apdu() {
        let c = [1, 2, 3, 4, 5, 6, 7, 8];
        assert_eq!(
            internal_authenticate(&c).to_bytes().unwrap(),
            hex::decode("0088000008010203040506070800").unwrap()
        );
    }
}

//! The signer seam for issuing CV certificates and requests.

use core::fmt;

use super::error::CvcError;
use super::{Curve, CvPublicKey, EcPoint, EcSignature, TaAlgorithm};

/// Whatever holds a CVCA, DV or terminal private key: a software key in tests, a PKCS#11
/// token or a SAM in the field. It signs with id-TA-ECDSA-SHA-256 and returns the plain
/// `r ‖ s` signature (BSI TR-03110-3 §A.6.4, BSI TR-03111 §5.2.1).
pub trait CvSigner {
    /// The curve of the key.
    fn curve(&self) -> Curve;

    /// The public point of the key.
    fn public_point(&self) -> EcPoint;

    /// Signs `message` (ECDSA with SHA-256 over the message itself, not a digest).
    ///
    /// # Errors
    /// [`CvcError::SigningFailed`] if the key holder refuses or fails.
    fn sign(&self, message: &[u8]) -> Result<EcSignature, CvcError>;

    /// The public key as a CV certificate carries it (with domain parameters when
    /// `with_domain_parameters`).
    fn public_key(&self, with_domain_parameters: bool) -> CvPublicKey {
        CvPublicKey::new(
            TaAlgorithm::EcdsaSha256,
            with_domain_parameters.then_some(self.curve()),
            self.public_point(),
        )
    }
}

enum SoftwareKey {
    P256(p256::ecdsa::SigningKey),
    Bp256(ecdsa::SigningKey<bp256::BrainpoolP256r1>),
}

/// A [`CvSigner`] over a RustCrypto signing key held in memory. For TEST ONLY keys and
/// development: production CVCA, DV and terminal keys belong in a token. The key is
/// zeroized on drop and never printed.
pub struct SoftwareCvSigner(SoftwareKey);

impl fmt::Debug for SoftwareCvSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SoftwareCvSigner")
            .field("curve", &self.curve())
            .field("public_point", &self.public_point())
            .finish_non_exhaustive()
    }
}

impl SoftwareCvSigner {
    /// A fresh random key on `curve` (from the operating system's random source).
    ///
    /// # Errors
    /// [`CvcError::SigningFailed`] if the random source fails.
    pub fn generate(curve: Curve) -> Result<Self, CvcError> {
        use ecdsa::elliptic_curve::Generate as _;
        Ok(Self(match curve {
            Curve::NistP256 => SoftwareKey::P256(
                p256::ecdsa::SigningKey::try_generate().map_err(|_| CvcError::SigningFailed)?,
            ),
            Curve::BrainpoolP256r1 => SoftwareKey::Bp256(
                ecdsa::SigningKey::try_generate().map_err(|_| CvcError::SigningFailed)?,
            ),
        }))
    }

    /// A key from its 32-byte private scalar.
    ///
    /// # Errors
    /// [`CvcError::InvalidPrivateKey`] if the scalar is zero or not below the group order.
    pub fn from_secret_bytes(curve: Curve, secret: &[u8]) -> Result<Self, CvcError> {
        let bad = || CvcError::InvalidPrivateKey;
        Ok(Self(match curve {
            Curve::NistP256 => {
                SoftwareKey::P256(p256::ecdsa::SigningKey::from_slice(secret).map_err(|_| bad())?)
            }
            Curve::BrainpoolP256r1 => {
                SoftwareKey::Bp256(ecdsa::SigningKey::from_slice(secret).map_err(|_| bad())?)
            }
        }))
    }

    /// A key from an unencrypted private key in DER on P-256 or brainpoolP256r1: PKCS#8
    /// (RFC 5958) or SEC1 `ECPrivateKey` (RFC 5915), which is what `cvc-create` writes into
    /// its `*.pkcs8` files.
    ///
    /// # Errors
    /// [`CvcError::InvalidPrivateKey`] for anything else.
    pub fn from_private_key_der(der: &[u8]) -> Result<Self, CvcError> {
        use p256::pkcs8::DecodePrivateKey as _;
        if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_der(der) {
            return Ok(Self(SoftwareKey::P256(k)));
        }
        if let Ok(k) = ecdsa::SigningKey::<bp256::BrainpoolP256r1>::from_pkcs8_der(der) {
            return Ok(Self(SoftwareKey::Bp256(k)));
        }
        if let Ok(k) = p256::SecretKey::from_sec1_der(der) {
            return Ok(Self(SoftwareKey::P256(k.into())));
        }
        bp256::r1::SecretKey::from_sec1_der(der)
            .map(|k| Self(SoftwareKey::Bp256(k.into())))
            .map_err(|_| CvcError::InvalidPrivateKey)
    }

    /// The key as unencrypted PKCS#8 DER (for handing a TEST ONLY key to `cvc-create`).
    ///
    /// # Errors
    /// [`CvcError::SigningFailed`] if encoding fails.
    pub fn to_pkcs8_der(&self) -> Result<zeroize::Zeroizing<Vec<u8>>, CvcError> {
        use p256::pkcs8::EncodePrivateKey as _;
        let doc = match &self.0 {
            SoftwareKey::P256(k) => k.to_pkcs8_der(),
            SoftwareKey::Bp256(k) => k.to_pkcs8_der(),
        }
        .map_err(|_| CvcError::SigningFailed)?;
        Ok(zeroize::Zeroizing::new(doc.as_bytes().to_vec()))
    }
}

impl CvSigner for SoftwareCvSigner {
    fn curve(&self) -> Curve {
        match self.0 {
            SoftwareKey::P256(_) => Curve::NistP256,
            SoftwareKey::Bp256(_) => Curve::BrainpoolP256r1,
        }
    }

    fn public_point(&self) -> EcPoint {
        let bytes = match &self.0 {
            SoftwareKey::P256(k) => k.verifying_key().to_sec1_point(false).as_bytes().to_vec(),
            SoftwareKey::Bp256(k) => k.verifying_key().to_sec1_point(false).as_bytes().to_vec(),
        };
        // An uncompressed SEC1 encoding of a 256-bit curve point is always 65 bytes.
        EcPoint::from_bytes(&bytes).unwrap_or(EcPoint::from_raw([0; 65]))
    }

    fn sign(&self, message: &[u8]) -> Result<EcSignature, CvcError> {
        use ecdsa::signature::Signer as _;
        let bytes = match &self.0 {
            SoftwareKey::P256(k) => {
                let s: p256::ecdsa::Signature =
                    k.try_sign(message).map_err(|_| CvcError::SigningFailed)?;
                s.to_bytes().to_vec()
            }
            SoftwareKey::Bp256(k) => {
                let s: ecdsa::Signature<bp256::BrainpoolP256r1> =
                    k.try_sign(message).map_err(|_| CvcError::SigningFailed)?;
                s.to_bytes().to_vec()
            }
        };
        EcSignature::from_bytes(&bytes).ok_or(CvcError::SigningFailed)
    }
}

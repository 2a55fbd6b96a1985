//! The [`Signer`] trait and its `ring` implementation.

use std::path::Path;

use ring::rand::SystemRandom;
use ring::signature::{self as rs, EcdsaKeyPair, KeyPair, RsaKeyPair};

use crate::alg::{PublicKey, SignatureAlgorithm};
use crate::error::{PkiError, Result, Structure};
use crate::keys::{Pkcs8Key, certificates_from_bytes, read_bounded};

/// A document signer: a private key (in memory, in an HSM, ...) and its certificate.
///
/// EF.SOD signing goes only through this trait, so a PKCS#11 HSM implementation can be added
/// without touching callers.
pub trait Signer {
    /// The signature algorithm [`Signer::sign`] produces.
    fn signature_algorithm(&self) -> SignatureAlgorithm;

    /// The document signer certificate (DER) embedded in EF.SOD.
    fn certificate_der(&self) -> &[u8];

    /// Signs `message` (the DER signed attributes): hashes it with the algorithm's hash and
    /// returns the signature (ECDSA as a DER `Ecdsa-Sig-Value`, RSA as the raw block).
    ///
    /// # Errors
    /// [`PkiError::SigningFailed`] (or an implementation's own error) if no signature could be
    /// made.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>>;
}

enum RingKey {
    Ecdsa(EcdsaKeyPair),
    Rsa(RsaKeyPair, &'static dyn rs::RsaEncoding),
}

/// A [`Signer`] holding a `ring` key pair loaded from PKCS#8.
pub struct RingSigner {
    key: RingKey,
    algorithm: SignatureAlgorithm,
    certificate: Vec<u8>,
    rng: SystemRandom,
}

impl core::fmt::Debug for RingSigner {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RingSigner")
            .field("algorithm", &self.algorithm)
            .field("certificate_len", &self.certificate.len())
            .field("key", &"<redacted>")
            .finish()
    }
}

impl RingSigner {
    /// Builds a signer with the key's default algorithm: P-256 → ECDSA-SHA-256,
    /// P-384 → ECDSA-SHA-384, RSA → PKCS#1 v1.5 SHA-256.
    ///
    /// # Errors
    /// As [`RingSigner::with_algorithm`].
    pub fn new(key: &Pkcs8Key, certificate_der: Vec<u8>) -> Result<Self> {
        let public = certificate_public_key(&certificate_der)?;
        let algorithm = match public {
            PublicKey::EcP256(_) => SignatureAlgorithm::EcdsaSha256,
            PublicKey::EcP384(_) => SignatureAlgorithm::EcdsaSha384,
            PublicKey::Rsa(_) => SignatureAlgorithm::RsaPkcs1Sha256,
        };
        Self::with_algorithm(key, certificate_der, algorithm)
    }

    /// Builds a signer for a given algorithm.
    ///
    /// # Errors
    /// [`PkiError::Decode`] if the certificate is malformed, [`PkiError::KeyRejected`] if `ring`
    /// rejects the key, [`PkiError::KeyAlgorithmMismatch`] if the key cannot make `algorithm`
    /// (ring signs P-256 only with SHA-256 and P-384 only with SHA-384),
    /// [`PkiError::KeyCertificateMismatch`] if the key is not the certificate's.
    pub fn with_algorithm(
        key: &Pkcs8Key,
        certificate_der: Vec<u8>,
        algorithm: SignatureAlgorithm,
    ) -> Result<Self> {
        use SignatureAlgorithm as S;
        let rng = SystemRandom::new();
        let public = certificate_public_key(&certificate_der)?;
        let ring_key = match (&public, algorithm) {
            (PublicKey::EcP256(_), S::EcdsaSha256) => RingKey::Ecdsa(
                EcdsaKeyPair::from_pkcs8(&rs::ECDSA_P256_SHA256_ASN1_SIGNING, key.as_der(), &rng)
                    .map_err(PkiError::KeyRejected)?,
            ),
            (PublicKey::EcP384(_), S::EcdsaSha384) => RingKey::Ecdsa(
                EcdsaKeyPair::from_pkcs8(&rs::ECDSA_P384_SHA384_ASN1_SIGNING, key.as_der(), &rng)
                    .map_err(PkiError::KeyRejected)?,
            ),
            (PublicKey::Rsa(_), _) => {
                let encoding: &'static dyn rs::RsaEncoding = match algorithm {
                    S::RsaPkcs1Sha256 => &rs::RSA_PKCS1_SHA256,
                    S::RsaPkcs1Sha384 => &rs::RSA_PKCS1_SHA384,
                    S::RsaPkcs1Sha512 => &rs::RSA_PKCS1_SHA512,
                    S::RsaPssSha256 => &rs::RSA_PSS_SHA256,
                    S::RsaPssSha384 => &rs::RSA_PSS_SHA384,
                    S::RsaPssSha512 => &rs::RSA_PSS_SHA512,
                    _ => return Err(PkiError::KeyAlgorithmMismatch(algorithm)),
                };
                RingKey::Rsa(
                    RsaKeyPair::from_pkcs8(key.as_der()).map_err(PkiError::KeyRejected)?,
                    encoding,
                )
            }
            _ => return Err(PkiError::KeyAlgorithmMismatch(algorithm)),
        };
        let key_public: &[u8] = match &ring_key {
            RingKey::Ecdsa(k) => k.public_key().as_ref(),
            RingKey::Rsa(k, _) => k.public_key().as_ref(),
        };
        if key_public != public.raw() {
            return Err(PkiError::KeyCertificateMismatch);
        }
        Ok(Self {
            key: ring_key,
            algorithm,
            certificate: certificate_der,
            rng,
        })
    }

    /// Loads a PKCS#8 key file and a certificate file (each PEM or DER).
    ///
    /// # Errors
    /// [`PkiError::Io`], or as [`Pkcs8Key::from_bytes`] and [`RingSigner::new`].
    pub fn from_files(key_path: &Path, certificate_path: &Path) -> Result<Self> {
        let key = Pkcs8Key::from_file(key_path)?;
        let cert_bytes = read_bounded(certificate_path, Structure::Certificate)?;
        let cert = certificates_from_bytes(&cert_bytes)?
            .into_iter()
            .next()
            .ok_or(PkiError::decode(
                Structure::Certificate,
                crate::error::DecodeKind::MissingField("certificate"),
            ))?;
        Self::new(&key, cert)
    }
}

impl Signer for RingSigner {
    fn signature_algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    fn certificate_der(&self) -> &[u8] {
        &self.certificate
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        match &self.key {
            RingKey::Ecdsa(k) => Ok(k
                .sign(&self.rng, message)
                .map_err(|_| PkiError::SigningFailed)?
                .as_ref()
                .to_vec()),
            RingKey::Rsa(k, encoding) => {
                let mut sig = vec![0u8; k.public().modulus_len()];
                k.sign(*encoding, &self.rng, message, &mut sig)
                    .map_err(|_| PkiError::SigningFailed)?;
                Ok(sig)
            }
        }
    }
}

/// The public key inside a DER certificate.
pub(crate) fn certificate_public_key(cert_der: &[u8]) -> Result<PublicKey> {
    let (_, cert) = x509_parser::parse_x509_certificate(cert_der)
        .map_err(|_| PkiError::decode(Structure::Certificate, crate::error::DecodeKind::X509))?;
    PublicKey::from_spki_der(cert.public_key().raw)
}

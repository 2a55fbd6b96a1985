//! A root's key in the token, signing X.509 certificates and CRLs through `rcgen`'s
//! remote-signing trait ([`rcgen::SigningKey`]): the TEST PKI's root made by
//! `ektp pki init --pkcs11` never exists outside the token.

use core::fmt;
use std::sync::Arc;

use cryptoki::object::ObjectHandle;
use ektp_pki::DigestAlgorithm;

use crate::error::{KeyPurpose, Pkcs11Error, Result};
use crate::signer::{EcCurve, bare_point, ec_signing_key, ecdsa_der, ecdsa_raw};
use crate::token::Token;
use crate::uri::{ObjectType, Pkcs11Uri};

/// An EC P-256 or P-384 private key in a token that signs certificates and CRLs for `rcgen`
/// (ECDSA with SHA-256 or SHA-384, as the curve goes): SHA in Rust, `CKM_ECDSA` in the
/// token, the DER `Ecdsa-Sig-Value` X.509 wants. Its public key comes from the public key
/// object with the same label/id.
pub struct Pkcs11CertKey {
    token: Arc<Token>,
    key: ObjectHandle,
    curve: EcCurve,
    point: Vec<u8>,
}

impl fmt::Debug for Pkcs11CertKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pkcs11CertKey")
            .field("token", &self.token.label())
            .field("curve", &self.curve)
            .finish_non_exhaustive()
    }
}

impl Pkcs11CertKey {
    /// The private key `uri` names on `token`, and its public key object.
    ///
    /// # Errors
    /// [`Pkcs11Error::ObjectNotFound`], [`Pkcs11Error::WrongObjectType`],
    /// [`Pkcs11Error::KeyUnsuitable`] (not EC P-256/P-384, `CKA_SIGN` false, no public key
    /// object), [`Pkcs11Error::Token`].
    pub fn new(token: Arc<Token>, uri: &Pkcs11Uri) -> Result<Self> {
        let purpose = KeyPurpose::CertificateSigner;
        let (key, curve) = ec_signing_key(&token, uri, purpose)?;
        let no_public = || Pkcs11Error::KeyUnsuitable {
            uri: uri.to_string(),
            purpose,
            why: crate::error::Unsuitable::NoPublicKey,
        };
        let public = token
            .find(&uri.with_type(ObjectType::Public), ObjectType::Public)
            .map_err(|_| no_public())?;
        let point = token
            .attributes(public, &[cryptoki::object::AttributeType::EcPoint])?
            .into_iter()
            .find_map(|a| match a {
                cryptoki::object::Attribute::EcPoint(p) => Some(bare_point(&p).to_vec()),
                _ => None,
            })
            .ok_or_else(no_public)?;
        if curve == EcCurve::Bp256r1
            || point.len() != curve.field_len().saturating_mul(2).saturating_add(1)
        {
            return Err(no_public());
        }
        Ok(Self {
            token,
            key,
            curve,
            point,
        })
    }

    fn digest(&self) -> DigestAlgorithm {
        match self.curve {
            EcCurve::P384 => DigestAlgorithm::Sha384,
            EcCurve::P256 | EcCurve::Bp256r1 => DigestAlgorithm::Sha256,
        }
    }

    /// Signs `message` in the token; the typed error.
    ///
    /// # Errors
    /// [`Pkcs11Error::Token`], [`Pkcs11Error::BadTokenOutput`].
    pub fn try_sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        let digest = self.digest().digest(message);
        Ok(ecdsa_der(&ecdsa_raw(
            &self.token,
            self.key,
            self.curve,
            &digest,
        )?))
    }
}

impl rcgen::PublicKeyData for Pkcs11CertKey {
    fn der_bytes(&self) -> &[u8] {
        &self.point
    }

    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        match self.curve {
            EcCurve::P384 => &rcgen::PKCS_ECDSA_P384_SHA384,
            EcCurve::P256 | EcCurve::Bp256r1 => &rcgen::PKCS_ECDSA_P256_SHA256,
        }
    }
}

impl rcgen::SigningKey for Pkcs11CertKey {
    fn sign(&self, msg: &[u8]) -> core::result::Result<Vec<u8>, rcgen::Error> {
        self.try_sign(msg).map_err(|_| rcgen::Error::RemoteKeyError)
    }
}

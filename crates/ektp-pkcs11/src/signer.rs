//! Signing with a token's EC key: EF.SOD (CMS, DER `Ecdsa-Sig-Value`) and CV certificates
//! (plain `r ‖ s`). The token computes plain `CKM_ECDSA` over a digest made here, which every
//! token offers (SoftHSM offers no hash-and-sign EC mechanism).

use core::fmt;
use std::path::Path;
use std::sync::Arc;

use cryptoki::mechanism::{Mechanism, MechanismType};
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectHandle};
use ektp_pki::cvc::{Curve, CvSigner, CvcError, EcPoint, EcSignature};
use ektp_pki::{DigestAlgorithm, PkiError, PublicKey, SignatureAlgorithm, Signer};

use crate::error::{KeyPurpose, Pkcs11Error, Result, Unsuitable};
use crate::token::Token;
use crate::uri::{ObjectType, Pkcs11Uri};

/// DER of the named-curve OIDs in `CKA_EC_PARAMS`.
const P256_PARAMS: &[u8] = &[0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
const P384_PARAMS: &[u8] = &[0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22];
const BP256R1_PARAMS: &[u8] = &[
    0x06, 0x09, 0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x07,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EcCurve {
    P256,
    P384,
    Bp256r1,
}

impl EcCurve {
    /// Bytes of one of `r`, `s`.
    pub(crate) fn field_len(self) -> usize {
        match self {
            Self::P256 | Self::Bp256r1 => 32,
            Self::P384 => 48,
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn check_type(uri: &Pkcs11Uri, needed: ObjectType, purpose: KeyPurpose) -> Result<()> {
    match uri.object_type() {
        Some(given) if given != needed => Err(Pkcs11Error::WrongObjectType {
            uri: uri.to_string(),
            given,
            needed,
            purpose,
        }),
        _ => Ok(()),
    }
}

/// The curve of a key generated in the token ([`Token::generate_ec_key_pair`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyCurve {
    /// NIST P-256 (document signers, CV keys).
    P256,
    /// NIST P-384 (roots, document signers).
    P384,
    /// brainpoolP256r1 (CV keys).
    BrainpoolP256r1,
}

/// A signing key's kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KeyKind {
    Ec(EcCurve),
    /// RSA, signing with `CKM_RSA_PKCS_PSS` (document signers only).
    Rsa,
}

/// Finds the private EC signing key `uri` names and checks it fits `purpose`.
pub(crate) fn ec_signing_key(
    token: &Token,
    uri: &Pkcs11Uri,
    purpose: KeyPurpose,
) -> Result<(ObjectHandle, EcCurve)> {
    match signing_key(token, uri, purpose)? {
        (key, KeyKind::Ec(curve)) => Ok((key, curve)),
        (_, KeyKind::Rsa) => Err(Pkcs11Error::KeyUnsuitable {
            uri: uri.to_string(),
            purpose,
            why: Unsuitable::KeyType(KeyType::RSA.to_string()),
        }),
    }
}

/// Finds the private signing key `uri` names and checks it fits `purpose` (RSA only for a
/// document signer).
fn signing_key(
    token: &Token,
    uri: &Pkcs11Uri,
    purpose: KeyPurpose,
) -> Result<(ObjectHandle, KeyKind)> {
    check_type(uri, ObjectType::Private, purpose)?;
    let key = token.find(uri, ObjectType::Private)?;
    let unsuitable = |why| Pkcs11Error::KeyUnsuitable {
        uri: uri.to_string(),
        purpose,
        why,
    };
    let mut key_type = None;
    let mut sign = false;
    let mut params = Vec::new();
    let mut allowed = Vec::new();
    for a in token.attributes(
        key,
        &[
            AttributeType::KeyType,
            AttributeType::Sign,
            AttributeType::EcParams,
            AttributeType::AllowedMechanisms,
        ],
    )? {
        match a {
            Attribute::KeyType(t) => key_type = Some(t),
            Attribute::Sign(s) => sign = s,
            Attribute::EcParams(p) => params = p,
            Attribute::AllowedMechanisms(m) => allowed = m,
            _ => {}
        }
    }
    let mechanism = match key_type {
        Some(t) if t == KeyType::EC => MechanismType::ECDSA,
        Some(t) if t == KeyType::RSA && purpose == KeyPurpose::DocumentSigner => {
            MechanismType::RSA_PKCS_PSS
        }
        Some(t) => return Err(unsuitable(Unsuitable::KeyType(t.to_string()))),
        None => return Err(unsuitable(Unsuitable::KeyType("unknown".into()))),
    };
    if !sign || !(allowed.is_empty() || allowed.contains(&mechanism)) {
        return Err(unsuitable(Unsuitable::NotForSigning));
    }
    if mechanism == MechanismType::RSA_PKCS_PSS {
        return Ok((key, KeyKind::Rsa));
    }
    let curve = match (params.as_slice(), purpose) {
        (P256_PARAMS, _) => EcCurve::P256,
        (P384_PARAMS, KeyPurpose::DocumentSigner | KeyPurpose::CertificateSigner) => EcCurve::P384,
        (BP256R1_PARAMS, KeyPurpose::CvSigner) => EcCurve::Bp256r1,
        (p, _) => return Err(unsuitable(Unsuitable::Curve(hex(p)))),
    };
    Ok((key, KeyKind::Ec(curve)))
}

/// Signs `digest` (SHA-256) with `CKM_RSA_PKCS_PSS`: MGF1-SHA-256, salt 32 bytes, as
/// `SignatureAlgorithm::RsaPssSha256` declares (RFC 4055 §3.1).
fn rsa_pss_sha256(token: &Token, key: ObjectHandle, digest: &[u8]) -> Result<Vec<u8>> {
    use cryptoki::mechanism::rsa::{PkcsMgfType, PkcsPssParams};
    let params = PkcsPssParams {
        hash_alg: MechanismType::SHA256,
        mgf: PkcsMgfType::MGF1_SHA256,
        s_len: cryptoki::types::Ulong::from(std::os::raw::c_ulong::from(32u8)),
    };
    token
        .session()
        .sign(&Mechanism::RsaPkcsPss(params), key, digest)
        .map_err(Pkcs11Error::token("C_Sign CKM_RSA_PKCS_PSS"))
}

/// Signs `digest` with plain `CKM_ECDSA`; returns `r ‖ s`.
pub(crate) fn ecdsa_raw(
    token: &Token,
    key: ObjectHandle,
    curve: EcCurve,
    digest: &[u8],
) -> Result<Vec<u8>> {
    let sig = token
        .session()
        .sign(&Mechanism::Ecdsa, key, digest)
        .map_err(Pkcs11Error::token("C_Sign CKM_ECDSA"))?;
    let expected = curve.field_len().saturating_mul(2);
    if sig.len() != expected {
        return Err(Pkcs11Error::BadTokenOutput {
            expected,
            got: sig.len(),
        });
    }
    Ok(sig)
}

/// A DER INTEGER of the unsigned big-endian `v` (leading zeros dropped, a 0x00 added if the
/// top bit is set).
fn der_uint(v: &[u8]) -> Vec<u8> {
    let start = v
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(v.len().saturating_sub(1));
    let v = v.get(start..).unwrap_or(&[0]);
    let pad = v.first().is_some_and(|&b| b & 0x80 != 0);
    let mut out = vec![0x02];
    push_len(&mut out, v.len().saturating_add(usize::from(pad)));
    if pad {
        out.push(0);
    }
    out.extend_from_slice(v);
    out
}

fn push_len(out: &mut Vec<u8>, len: usize) {
    // r and s are at most 48 bytes: the sequence is below 256 bytes.
    match u8::try_from(len) {
        Ok(l) if l < 0x80 => out.push(l),
        Ok(l) => out.extend_from_slice(&[0x81, l]),
        Err(_) => out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]),
    }
}

/// `Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 3279 §2.2.3) from `r ‖ s`.
pub(crate) fn ecdsa_der(raw: &[u8]) -> Vec<u8> {
    let (r, s) = raw.split_at(raw.len() / 2);
    let body = [der_uint(r), der_uint(s)].concat();
    let mut out = vec![0x30];
    push_len(&mut out, body.len());
    out.extend_from_slice(&body);
    out
}

/// `CKA_EC_POINT` is DER `OCTET STRING { point }`; some tokens store the bare point.
pub(crate) fn bare_point(encoded: &[u8]) -> &[u8] {
    match encoded {
        [0x04, len, rest @ ..] if usize::from(*len) == rest.len() && *len < 0x80 => rest,
        [0x04, 0x81, len, rest @ ..] if usize::from(*len) == rest.len() => rest,
        other => other,
    }
}

impl Token {
    /// Generates an EC P-256 signing key pair inside the token, as
    /// [`Token::generate_ec_key_pair`]. Returns the public key, to be certified outside the
    /// token.
    ///
    /// # Errors
    /// As [`Token::generate_ec_key_pair`].
    pub fn generate_ec_p256_key_pair(&self, label: &str, id: &[u8]) -> Result<PublicKey> {
        Ok(PublicKey::EcP256(self.generate_ec_key_pair(
            KeyCurve::P256,
            label,
            id,
        )?))
    }

    /// Generates an EC signing key pair on `curve` inside the token (`C_GenerateKeyPair`,
    /// `CKM_EC_KEY_PAIR_GEN`): the private key is a token object, private, sensitive
    /// (`CKA_SENSITIVE`) and non-extractable (`CKA_EXTRACTABLE` false), allowed only to sign
    /// (`CKM_ECDSA`; no decrypt, unwrap or derive); the public key beside it has the same `label` and `id`. Returns the
    /// public point (uncompressed `04 ‖ x ‖ y`).
    ///
    /// # Errors
    /// [`Pkcs11Error::Token`] if the token refuses (read-only, full, no such curve).
    pub fn generate_ec_key_pair(&self, curve: KeyCurve, label: &str, id: &[u8]) -> Result<Vec<u8>> {
        let params = match curve {
            KeyCurve::P256 => P256_PARAMS,
            KeyCurve::P384 => P384_PARAMS,
            KeyCurve::BrainpoolP256r1 => BP256R1_PARAMS,
        };
        let common = [
            Attribute::Token(true),
            Attribute::Label(label.as_bytes().to_vec()),
            Attribute::Id(id.to_vec()),
        ];
        let mut public = common.to_vec();
        public.extend([
            Attribute::EcParams(params.to_vec()),
            Attribute::Verify(true),
            Attribute::Encrypt(false),
            Attribute::Wrap(false),
        ]);
        let mut private = common.to_vec();
        private.extend([
            Attribute::Private(true),
            Attribute::Sensitive(true),
            Attribute::Extractable(false),
            Attribute::Sign(true),
            Attribute::Decrypt(false),
            Attribute::Unwrap(false),
            Attribute::Derive(false),
            Attribute::AllowedMechanisms(vec![MechanismType::ECDSA]),
        ]);
        let (public_handle, _) = self
            .rw_session()?
            .generate_key_pair(&Mechanism::EccKeyPairGen, &public, &private)
            .map_err(Pkcs11Error::token("C_GenerateKeyPair CKM_EC_KEY_PAIR_GEN"))?;
        let mut point = Vec::new();
        for a in self.attributes(public_handle, &[AttributeType::EcPoint])? {
            if let Attribute::EcPoint(p) = a {
                point = p;
            }
        }
        Ok(bare_point(&point).to_vec())
    }

    /// The EC public key (P-256 or P-384) of the public key object `uri` names (any `type`
    /// in the URI is replaced by `public`), for certifying a key generated in the token.
    ///
    /// # Errors
    /// [`Pkcs11Error::ObjectNotFound`], [`Pkcs11Error::KeyUnsuitable`] if it is not an EC
    /// key on P-256 or P-384, [`Pkcs11Error::Token`].
    pub fn ec_public_key(&self, uri: &Pkcs11Uri) -> Result<PublicKey> {
        let uri = uri.with_type(ObjectType::Public);
        let object = self.find(&uri, ObjectType::Public)?;
        let (mut params, mut point) = (Vec::new(), Vec::new());
        for a in self.attributes(object, &[AttributeType::EcParams, AttributeType::EcPoint])? {
            match a {
                Attribute::EcParams(p) => params = p,
                Attribute::EcPoint(p) => point = p,
                _ => {}
            }
        }
        let point = bare_point(&point).to_vec();
        match params.as_slice() {
            P256_PARAMS => Ok(PublicKey::EcP256(point)),
            P384_PARAMS => Ok(PublicKey::EcP384(point)),
            p => Err(Pkcs11Error::KeyUnsuitable {
                uri: uri.to_string(),
                purpose: KeyPurpose::DocumentSigner,
                why: Unsuitable::Curve(hex(p)),
            }),
        }
    }
}

/// A document signer whose private key stays in a PKCS#11 token: implements [`Signer`] for
/// EF.SOD. EC P-256/P-384: hashes in Rust (SHA-256 for P-256, SHA-384 for P-384), signs the
/// digest with `CKM_ECDSA`, returns the DER `Ecdsa-Sig-Value` CMS wants. RSA: RSASSA-PSS
/// with SHA-256 (MGF1-SHA-256, 32-byte salt) through `CKM_RSA_PKCS_PSS` over the digest, if
/// the token offers it.
pub struct Pkcs11Signer {
    token: Arc<Token>,
    key: ObjectHandle,
    kind: KeyKind,
    algorithm: SignatureAlgorithm,
    certificate: Vec<u8>,
}

impl fmt::Debug for Pkcs11Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pkcs11Signer")
            .field("token", &self.token.label())
            .field("algorithm", &self.algorithm)
            .field("certificate_len", &self.certificate.len())
            .finish_non_exhaustive()
    }
}

impl Pkcs11Signer {
    /// The key `uri` names on `token`, with its certificate: `certificate_der` if given, else
    /// the certificate object with the key's label/id on the token. A test signature made by
    /// the token must verify with the certificate's key.
    ///
    /// # Errors
    /// [`Pkcs11Error::ObjectNotFound`] (listing what is there), [`Pkcs11Error::WrongObjectType`],
    /// [`Pkcs11Error::KeyUnsuitable`] (not EC or RSA, not P-256/P-384, `CKA_SIGN` false or
    /// the mechanism not allowed),
    /// [`Pkcs11Error::Certificate`], [`Pkcs11Error::KeyCertificateMismatch`],
    /// [`Pkcs11Error::Token`].
    pub fn new(
        token: Arc<Token>,
        uri: &Pkcs11Uri,
        certificate_der: Option<Vec<u8>>,
    ) -> Result<Self> {
        let purpose = KeyPurpose::DocumentSigner;
        let (key, kind) = signing_key(&token, uri, purpose)?;
        let certificate = match certificate_der {
            Some(c) => c,
            None => {
                let cert = token.find(&uri.with_type(ObjectType::Cert), ObjectType::Cert)?;
                token
                    .attributes(cert, &[AttributeType::Value])?
                    .into_iter()
                    .find_map(|a| match a {
                        Attribute::Value(v) => Some(v),
                        _ => None,
                    })
                    .unwrap_or_default()
            }
        };
        let public = certificate_public_key(&certificate)?;
        let (algorithm, verify): (_, &'static dyn ring::signature::VerificationAlgorithm) =
            match (&public, kind) {
                (PublicKey::EcP256(_), KeyKind::Ec(EcCurve::P256)) => (
                    SignatureAlgorithm::EcdsaSha256,
                    &ring::signature::ECDSA_P256_SHA256_FIXED,
                ),
                (PublicKey::Rsa(_), KeyKind::Rsa) => (
                    SignatureAlgorithm::RsaPssSha256,
                    &ring::signature::RSA_PSS_2048_8192_SHA256,
                ),
                (PublicKey::EcP384(_), KeyKind::Ec(EcCurve::P384)) => (
                    SignatureAlgorithm::EcdsaSha384,
                    &ring::signature::ECDSA_P384_SHA384_FIXED,
                ),
                _ => {
                    return Err(Pkcs11Error::KeyCertificateMismatch {
                        uri: uri.to_string(),
                    });
                }
            };
        // Proof that the token's key is the certificate's.
        let probe = b"ektp-pkcs11 key/certificate match probe";
        let raw = sign_digest(&token, key, kind, &algorithm.digest().digest(probe))?;
        ring::signature::UnparsedPublicKey::new(verify, public.raw())
            .verify(probe, &raw)
            .map_err(|_| Pkcs11Error::KeyCertificateMismatch {
                uri: uri.to_string(),
            })?;
        Ok(Self {
            token,
            key,
            kind,
            algorithm,
            certificate,
        })
    }

    /// As [`Pkcs11Signer::new`] with the certificate read from a file (PEM or DER).
    ///
    /// # Errors
    /// [`Pkcs11Error::Certificate`] if the file cannot be read or holds no certificate, or as
    /// [`Pkcs11Signer::new`].
    pub fn with_certificate_file(
        token: Arc<Token>,
        uri: &Pkcs11Uri,
        certificate: &Path,
    ) -> Result<Self> {
        let bytes = ektp_pki::keys::read_bounded(certificate, ektp_pki::Structure::Certificate)
            .map_err(Pkcs11Error::Certificate)?;
        let cert = ektp_pki::keys::certificates_from_bytes(&bytes)
            .map_err(Pkcs11Error::Certificate)?
            .into_iter()
            .next()
            .ok_or(cert_error(ektp_pki::DecodeKind::MissingField(
                "certificate",
            )))?;
        Self::new(token, uri, Some(cert))
    }

    /// Signs with the token; the typed error (for callers that want it rather than
    /// [`PkiError::SigningFailed`]).
    ///
    /// # Errors
    /// [`Pkcs11Error::Token`], [`Pkcs11Error::BadTokenOutput`].
    pub fn try_sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        let digest: Vec<u8> = self.algorithm.digest().digest(message);
        let raw = sign_digest(&self.token, self.key, self.kind, &digest)?;
        Ok(match self.kind {
            KeyKind::Ec(_) => ecdsa_der(&raw),
            KeyKind::Rsa => raw,
        })
    }
}

/// The token's raw signature over `digest`: `r ‖ s` for EC, the RSA block for RSA-PSS.
fn sign_digest(token: &Token, key: ObjectHandle, kind: KeyKind, digest: &[u8]) -> Result<Vec<u8>> {
    match kind {
        KeyKind::Ec(curve) => ecdsa_raw(token, key, curve, digest),
        KeyKind::Rsa => rsa_pss_sha256(token, key, digest),
    }
}

fn cert_error(kind: ektp_pki::DecodeKind) -> Pkcs11Error {
    Pkcs11Error::Certificate(PkiError::Decode {
        structure: ektp_pki::Structure::Certificate,
        kind,
        offset: 0,
    })
}

fn certificate_public_key(cert: &[u8]) -> Result<PublicKey> {
    let (_, parsed) = x509_parser::parse_x509_certificate(cert)
        .map_err(|_| cert_error(ektp_pki::DecodeKind::X509))?;
    PublicKey::from_spki_der(parsed.public_key().raw).map_err(Pkcs11Error::Certificate)
}

impl Signer for Pkcs11Signer {
    fn signature_algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    fn certificate_der(&self) -> &[u8] {
        &self.certificate
    }

    fn sign(&self, message: &[u8]) -> ektp_pki::Result<Vec<u8>> {
        self.try_sign(message).map_err(|_| PkiError::SigningFailed)
    }
}

/// A CVCA, DV or terminal key (EC P-256 or brainpoolP256r1) in a PKCS#11 token: implements
/// [`CvSigner`]. SHA-256 in Rust, `CKM_ECDSA` in the token, plain `r ‖ s` out. The public
/// point comes from the public key object with the same label/id.
pub struct Pkcs11CvSigner {
    token: Arc<Token>,
    key: ObjectHandle,
    curve: Curve,
    point: EcPoint,
}

impl fmt::Debug for Pkcs11CvSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pkcs11CvSigner")
            .field("token", &self.token.label())
            .field("curve", &self.curve)
            .field("public_point", &self.point)
            .finish_non_exhaustive()
    }
}

impl Pkcs11CvSigner {
    /// The key `uri` names on `token`.
    ///
    /// # Errors
    /// [`Pkcs11Error::ObjectNotFound`], [`Pkcs11Error::WrongObjectType`],
    /// [`Pkcs11Error::KeyUnsuitable`] (not EC, another curve, `CKA_SIGN` false, no public
    /// key object), [`Pkcs11Error::Token`].
    pub fn new(token: Arc<Token>, uri: &Pkcs11Uri) -> Result<Self> {
        let purpose = KeyPurpose::CvSigner;
        let (key, ec) = ec_signing_key(&token, uri, purpose)?;
        let curve = match ec {
            EcCurve::Bp256r1 => Curve::BrainpoolP256r1,
            EcCurve::P256 | EcCurve::P384 => Curve::NistP256,
        };
        let no_public = || Pkcs11Error::KeyUnsuitable {
            uri: uri.to_string(),
            purpose,
            why: Unsuitable::NoPublicKey,
        };
        let public = token
            .find(&uri.with_type(ObjectType::Public), ObjectType::Public)
            .map_err(|_| no_public())?;
        let encoded = token
            .attributes(public, &[AttributeType::EcPoint])?
            .into_iter()
            .find_map(|a| match a {
                Attribute::EcPoint(p) => Some(p),
                _ => None,
            })
            .ok_or_else(no_public)?;
        let point = EcPoint::from_bytes(bare_point(&encoded)).ok_or_else(no_public)?;
        Ok(Self {
            token,
            key,
            curve,
            point,
        })
    }
}

impl CvSigner for Pkcs11CvSigner {
    fn curve(&self) -> Curve {
        self.curve
    }

    fn public_point(&self) -> EcPoint {
        self.point
    }

    fn sign(&self, message: &[u8]) -> core::result::Result<EcSignature, CvcError> {
        let ec = match self.curve {
            Curve::BrainpoolP256r1 => EcCurve::Bp256r1,
            _ => EcCurve::P256,
        };
        let digest = DigestAlgorithm::Sha256.digest(message);
        let raw =
            ecdsa_raw(&self.token, self.key, ec, &digest).map_err(|_| CvcError::SigningFailed)?;
        EcSignature::from_bytes(&raw).ok_or(CvcError::SigningFailed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecdsa_der_encodes_minimal_positive_integers() {
        // r = 1 (31 leading zero bytes dropped), s = 0x80 00..00 (a 0x00 pad keeps it positive).
        let mut raw = [0u8; 64];
        raw[31] = 1;
        raw[32] = 0x80;
        let mut expect = vec![0x30, 0x26, 0x02, 0x01, 0x01, 0x02, 0x21, 0x00, 0x80];
        expect.extend_from_slice(&[0; 31]);
        assert_eq!(ecdsa_der(&raw), expect);
        // P-384 sizes stay in short-form lengths.
        let der = ecdsa_der(&[0xFF; 96]);
        assert_eq!(&der[..4], &[0x30, 0x66, 0x02, 0x31]);
        assert_eq!(der.len(), 0x68);
    }
}

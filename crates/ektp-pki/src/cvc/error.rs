//! Errors of the CV certificate codec and chain validation.
//!
//! Grouped by cause: [`CvcError::Decode`] for malformed bytes; everything else for input that
//! is well formed but not acceptable (wrong issuer, expired, a role that may not issue...).

use der::asn1::ObjectIdentifier;
use ektp_iso7816::{DecodeError, DecodeErrorKind};

use super::{CertificateReference, CvDate, Role};

/// A field of a CV certificate or request (BSI TR-03110-3 Table C.1, C.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Field {
    /// `5F29` Certificate Profile Identifier.
    ProfileIdentifier,
    /// `42` Certification Authority Reference.
    Car,
    /// `7F49` Public Key (the object as a whole).
    PublicKey,
    /// `06` inside the public key: the algorithm OID.
    KeyAlgorithm,
    /// `81`..`85`, `87`: elliptic curve domain parameters.
    DomainParameters,
    /// `86` public point.
    PublicPoint,
    /// `5F20` Certificate Holder Reference.
    Chr,
    /// `7F4C` Certificate Holder Authorization Template.
    Chat,
    /// `5F25` Certificate Effective Date.
    EffectiveDate,
    /// `5F24` Certificate Expiration Date.
    ExpirationDate,
    /// `65` Certificate Extensions.
    Extensions,
    /// `5F37` signature.
    Signature,
    /// `42` outer CAR of an authenticated request.
    OuterCar,
    /// A date given to a constructor (not a certificate field).
    Date,
}

impl core::fmt::Display for Field {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::ProfileIdentifier => "certificate profile identifier",
            Self::Car => "certification authority reference",
            Self::PublicKey => "public key",
            Self::KeyAlgorithm => "public key algorithm",
            Self::DomainParameters => "domain parameters",
            Self::PublicPoint => "public point",
            Self::Chr => "certificate holder reference",
            Self::Chat => "certificate holder authorization template",
            Self::EffectiveDate => "effective date",
            Self::ExpirationDate => "expiration date",
            Self::Extensions => "certificate extensions",
            Self::Signature => "signature",
            Self::OuterCar => "outer certification authority reference",
            Self::Date => "date",
        })
    }
}

/// What was wrong with malformed CV certificate bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CvcDecodeKind {
    /// The TLV layer failed (truncated, wrong or missing tag, trailing bytes, too deep...).
    Tlv(DecodeErrorKind),
    /// A length was not in its shortest form (DER requires it; the signature covers the bytes).
    NonCanonicalLength,
    /// The input is longer than the named limit allows.
    TooLong {
        /// Actual length.
        len: usize,
        /// The limit ([`super::MAX_CERTIFICATE_LEN`], [`super::MAX_REQUEST_LEN`]...).
        max: usize,
    },
    /// A field's value is not valid for it.
    Invalid(Field),
    /// A field that must be present here is absent.
    Missing(Field),
}

impl core::fmt::Display for CvcDecodeKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Tlv(k) => write!(f, "{k}"),
            Self::NonCanonicalLength => f.write_str("length not in its shortest form"),
            Self::TooLong { len, max } => write!(f, "length {len} exceeds limit {max}"),
            Self::Invalid(field) => write!(f, "invalid {field}"),
            Self::Missing(field) => write!(f, "missing {field}"),
        }
    }
}

/// Errors of the [`crate::cvc`] module.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CvcError {
    /// Malformed bytes: what was wrong and where (offset from the start of the input).
    #[error("malformed CV certificate at byte {offset}: {kind}")]
    Decode {
        /// What was wrong.
        kind: CvcDecodeKind,
        /// Byte offset in the input given to the parser.
        offset: usize,
    },
    /// A public key algorithm other than id-TA-ECDSA-SHA-256.
    #[error(
        "unsupported CV certificate key algorithm {oid}: only id-TA-ECDSA-SHA-256 is supported"
    )]
    UnsupportedAlgorithm {
        /// The algorithm OID found.
        oid: ObjectIdentifier,
    },
    /// Domain parameters other than NIST P-256 or brainpoolP256r1.
    #[error(
        "unsupported elliptic curve domain parameters: only P-256 and brainpoolP256r1 are supported"
    )]
    UnsupportedDomainParameters,
    /// A CHAT terminal type OID other than id-IS, id-AT or id-ST.
    #[error("unsupported CHAT terminal type {oid}")]
    UnsupportedTerminalType {
        /// The OID found.
        oid: ObjectIdentifier,
    },
    /// A value given to a constructor is out of range (not from decoding).
    #[error("invalid {0}")]
    InvalidValue(Field),
    /// The public point is not on the curve the chain says it belongs to.
    #[error("the public key of {chr} is not a valid point on {curve}")]
    InvalidPublicKey {
        /// Holder of the key.
        chr: CertificateReference,
        /// The curve.
        curve: super::Curve,
    },
    /// A certificate's or request's signature does not verify.
    #[error("the signature of {chr} does not verify with the key of {car}")]
    SignatureInvalid {
        /// The certificate holder.
        chr: CertificateReference,
        /// The authority whose key was used.
        car: CertificateReference,
    },
    /// The first certificate's CAR names no trust point.
    #[error("{chr} is issued by {car}, which is not a trusted CVCA")]
    NotIssuedByTrustPoint {
        /// The certificate holder.
        chr: CertificateReference,
        /// The authority it names.
        car: CertificateReference,
    },
    /// A certificate's CAR is not the CHR of the certificate before it.
    #[error("{chr} is issued by {car}, not by {expected}")]
    IssuerMismatch {
        /// The certificate holder.
        chr: CertificateReference,
        /// The authority it names.
        car: CertificateReference,
        /// The CHR of the certificate before it in the chain.
        expected: CertificateReference,
    },
    /// The certificate expired before the current date.
    #[error("{chr} expired on {expiration} (current date {current})")]
    Expired {
        /// The certificate holder.
        chr: CertificateReference,
        /// Its expiration date.
        expiration: CvDate,
        /// The current date it was checked against.
        current: CvDate,
    },
    /// The effective date is after the expiration date.
    #[error("{chr} becomes effective after it expires")]
    InvalidValidityPeriod {
        /// The certificate holder.
        chr: CertificateReference,
    },
    /// Issuance policy: the certificate asks for rights its issuer does not hold
    /// ([`super::CertificateBuilder::check_issuance`]).
    #[error("{issuer} may grant only {granted}, not {requested} ({chr})")]
    RightsExceedIssuer {
        /// The certificate holder.
        chr: CertificateReference,
        /// The issuer.
        issuer: CertificateReference,
        /// The rights asked for.
        requested: super::AccessRights,
        /// The issuer's rights.
        granted: super::AccessRights,
    },
    /// Issuance policy: a DV or terminal certificate would end after its issuer's
    /// ([`super::CertificateBuilder::check_issuance`]).
    #[error(
        "{chr} would end on {expiration}, after its issuer {issuer} ends on {issuer_expiration}"
    )]
    OutlivesIssuer {
        /// The certificate holder.
        chr: CertificateReference,
        /// Its expiration date.
        expiration: CvDate,
        /// The issuer.
        issuer: CertificateReference,
        /// The issuer's expiration date.
        issuer_expiration: CvDate,
    },
    /// The issuer's role may not issue a certificate with the subject's role.
    #[error("a {issuer} may not issue a {subject} certificate ({chr})")]
    RoleNotAllowed {
        /// The issuer's role.
        issuer: Role,
        /// The subject's role.
        subject: Role,
        /// The certificate holder.
        chr: CertificateReference,
    },
    /// The CHAT's terminal type differs from the issuer's.
    #[error("the CHAT terminal type of {chr} differs from its issuer's")]
    TerminalTypeMismatch {
        /// The certificate holder.
        chr: CertificateReference,
    },
    /// Domain parameters in a DV or terminal certificate differ from the CVCA's.
    #[error("the domain parameters of {chr} differ from its CVCA's")]
    DomainParametersMismatch {
        /// The certificate holder.
        chr: CertificateReference,
    },
    /// A CVCA certificate (or request) lacks the domain parameters it must carry.
    #[error("{chr} carries no domain parameters, which a CVCA certificate must")]
    MissingDomainParameters {
        /// The certificate holder.
        chr: CertificateReference,
    },
    /// The chain holds no certificate.
    #[error("empty certificate chain")]
    EmptyChain,
    /// The chain is longer than [`super::MAX_CHAIN_LEN`].
    #[error("certificate chain longer than {max}")]
    ChainTooLong {
        /// The limit.
        max: usize,
    },
    /// The chain does not end in a terminal (inspection system) certificate.
    #[error("the chain ends in {chr}, a {role} certificate, not a terminal certificate")]
    NotATerminal {
        /// The last certificate's holder.
        chr: CertificateReference,
        /// Its role.
        role: Role,
    },
    /// The signer's public key is not the key in the issuer certificate given with it.
    #[error("the signer's key is not the public key of {chr}")]
    SignerKeyMismatch {
        /// The issuer certificate's holder.
        chr: CertificateReference,
    },
    /// A private key that is not a P-256 or brainpoolP256r1 key in a form this crate reads.
    #[error(
        "invalid private key: expected an unencrypted P-256 or brainpoolP256r1 key (PKCS#8 or SEC1 DER)"
    )]
    InvalidPrivateKey,
    /// The signer (software key or token) failed to sign.
    #[error("CV signing failed")]
    SigningFailed,
}

impl CvcError {
    /// A decode error of `kind` at `offset`.
    pub(crate) const fn decode(kind: CvcDecodeKind, offset: usize) -> Self {
        Self::Decode { kind, offset }
    }
}

impl From<DecodeError> for CvcError {
    fn from(e: DecodeError) -> Self {
        Self::decode(CvcDecodeKind::Tlv(e.kind), e.offset)
    }
}

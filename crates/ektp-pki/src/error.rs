//! The crate's one error type.

use std::path::PathBuf;

use der::asn1::ObjectIdentifier;

/// Which structure a decoding error was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Structure {
    /// The EF.SOD file (tag 0x77 wrapper).
    EfSod,
    /// CMS ContentInfo / SignedData and its parts.
    SignedData,
    /// The LDS Security Object (eContent).
    LdsSecurityObject,
    /// An X.509 certificate.
    Certificate,
    /// An X.509 certificate revocation list.
    Crl,
    /// A PKCS#8 private key.
    PrivateKey,
    /// A PEM armour.
    Pem,
    /// A SubjectPublicKeyInfo or signature algorithm parameters.
    PublicKey,
    /// The content of a signed revocation list ([`crate::revocation_list`]).
    RevocationList,
}

impl core::fmt::Display for Structure {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::EfSod => "EF.SOD",
            Self::SignedData => "CMS SignedData",
            Self::LdsSecurityObject => "LDS Security Object",
            Self::Certificate => "X.509 certificate",
            Self::Crl => "X.509 CRL",
            Self::PrivateKey => "PKCS#8 private key",
            Self::Pem => "PEM file",
            Self::PublicKey => "public key",
            Self::RevocationList => "revocation list",
        })
    }
}

/// What was wrong with malformed input.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeKind {
    /// DER decoding failed (wrong tag, bad length, non-canonical encoding, trailing data...).
    Der(der::ErrorKind),
    /// x509-parser rejected the structure.
    X509,
    /// The input is longer than the named limit allows.
    TooLong {
        /// Declared or actual length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The input has a tag other than the one required.
    UnexpectedTag {
        /// Tag required.
        expected: u8,
        /// Tag found (None if the input was empty).
        found: Option<u8>,
    },
    /// Bytes remain after the structure.
    TrailingData,
    /// A version field holds a value this crate does not accept.
    UnsupportedVersion(u64),
    /// A content type OID other than the one required.
    UnexpectedContentType(ObjectIdentifier),
    /// A required optional field is absent (e.g. eContent, signedAttrs, certificates).
    MissingField(&'static str),
    /// A field appears more often than allowed (e.g. two SignerInfos, two DS certificates).
    TooMany(&'static str),
    /// A data group number outside 1..=16 or listed twice.
    BadDataGroup(u64),
    /// The PEM armour is malformed.
    Pem,
    /// No PEM block with the label required here.
    PemLabel {
        /// What was expected, e.g. "PRIVATE KEY".
        expected: &'static str,
    },
}

impl core::fmt::Display for DecodeKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Der(k) => write!(f, "DER: {k}"),
            Self::X509 => f.write_str("not a valid X.509 structure"),
            Self::TooLong { len, max } => write!(f, "length {len} exceeds limit {max}"),
            Self::UnexpectedTag {
                expected,
                found: Some(t),
            } => {
                write!(f, "expected tag {expected:02X}, found {t:02X}")
            }
            Self::UnexpectedTag {
                expected,
                found: None,
            } => {
                write!(f, "expected tag {expected:02X}, found end of input")
            }
            Self::TrailingData => f.write_str("trailing bytes after the structure"),
            Self::UnsupportedVersion(v) => write!(f, "unsupported version {v}"),
            Self::UnexpectedContentType(oid) => write!(f, "unexpected content type {oid}"),
            Self::MissingField(name) => write!(f, "missing {name}"),
            Self::TooMany(name) => write!(f, "more than one {name}"),
            Self::BadDataGroup(n) => write!(f, "invalid or duplicate data group number {n}"),
            Self::Pem => f.write_str("malformed PEM"),
            Self::PemLabel { expected } if *expected == "PRIVATE KEY" => f.write_str(
                "no unencrypted PKCS#8 \"PRIVATE KEY\" block; convert with `openssl pkcs8 -topk8 -nocrypt -in old.pem -out key.pem`",
            ),
            Self::PemLabel { expected } => write!(f, "expected only {expected} PEM blocks"),
        }
    }
}

/// Errors from this crate.
///
/// Malformed input is [`PkiError::Decode`]; well-formed input that is not acceptable has its
/// own variant. Passive Authentication does not return an error for a forged document: it
/// returns a [`crate::PaReport`] whose checks say what failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PkiError {
    /// Malformed input.
    #[error("malformed {structure} at byte {offset}: {kind}")]
    Decode {
        /// Which structure.
        structure: Structure,
        /// What was wrong.
        kind: DecodeKind,
        /// Byte offset inside that structure (0 when unknown).
        offset: usize,
    },
    /// An algorithm (signature, digest, key or curve) this crate does not support.
    #[error("unsupported algorithm {oid}: {reason}")]
    UnsupportedAlgorithm {
        /// The algorithm identifier.
        oid: ObjectIdentifier,
        /// Why (e.g. "RSASSA-PSS salt length must equal the hash length").
        reason: &'static str,
    },
    /// `ring` rejected a private or public key.
    #[error(
        "key rejected: {0}; check that the file holds an unencrypted PKCS#8 key for P-256, P-384 or RSA >= 2048 bits"
    )]
    KeyRejected(ring::error::KeyRejected),
    /// The private key does not belong to the certificate given with it.
    #[error("the private key does not match the public key in the signer certificate")]
    KeyCertificateMismatch,
    /// The key type cannot produce the requested signature algorithm.
    #[error("the key cannot sign with {0}")]
    KeyAlgorithmMismatch(crate::SignatureAlgorithm),
    /// The signing time is outside the signer certificate's validity period.
    #[error(
        "the document signer certificate is valid from {} to {}, not at the signing time; sign with a current document signer certificate",
        crate::time::fmt_time(*not_before),
        crate::time::fmt_time(*not_after)
    )]
    SignerCertificateNotValid {
        /// notBefore, Unix seconds.
        not_before: i64,
        /// notAfter, Unix seconds.
        not_after: i64,
    },
    /// The signing operation failed (HSM or ring error).
    #[error("signing failed")]
    SigningFailed,
    /// The same data group was given twice.
    #[error("data group {} given twice", .0.value())]
    DuplicateDataGroup(ektp_lds::DgNumber),
    /// No data groups were given to sign.
    #[error("no data groups to sign")]
    NoDataGroups,
    /// DER encoding failed (only on values too large to encode).
    #[error("DER encoding failed: {0}")]
    Encode(der::Error),
    /// A time outside what X.509/CMS can encode or what this crate accepts.
    #[error("time out of range")]
    TimeOutOfRange,
    /// A file or directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A certificate offered as a trust anchor is not a root (ICAO 9303-12 §7.1.1).
    #[error("\"{subject}\" cannot be a trusted root: {problem}")]
    NotTrustAnchor {
        /// The certificate's subject, RFC 4514.
        subject: String,
        /// Why not.
        problem: crate::policy::AnchorProblem,
    },
    /// The trust store directory holds no root certificate.
    #[error(
        "{0}: no root certificate found (expected *.pem, *.crt, *.cer or *.der CSCA certificates)"
    )]
    EmptyTrustStore(PathBuf),
    /// Certificate or CRL generation for the TEST PKI failed.
    #[error("test PKI generation failed: {0}")]
    TestPki(#[from] rcgen::Error),
    /// An error in a file read into the trust store.
    #[error("{path}: {source}")]
    InFile {
        /// The file.
        path: PathBuf,
        /// What was wrong with it.
        #[source]
        source: Box<PkiError>,
    },
    /// A CV certificate error (BSI TR-03110-3): malformed, or well formed but not acceptable.
    #[error(transparent)]
    Cvc(#[from] crate::cvc::CvcError),
    /// A signed revocation list that is well formed but not acceptable (unsigned, wrong
    /// signer, stale): fail closed.
    #[error("revocation list refused: {0}")]
    RevocationList(#[from] crate::revocation_list::ListFailure),
}

impl PkiError {
    /// A decode error from a `der` error, located in `structure`.
    pub(crate) fn der(structure: Structure, e: der::Error) -> Self {
        let offset = e
            .position()
            .and_then(|p| usize::try_from(u32::from(p)).ok())
            .unwrap_or(0);
        Self::Decode {
            structure,
            kind: DecodeKind::Der(e.kind()),
            offset,
        }
    }

    /// A decode error without a known offset.
    pub(crate) fn decode(structure: Structure, kind: DecodeKind) -> Self {
        Self::Decode {
            structure,
            kind,
            offset: 0,
        }
    }
}

/// Result alias for this crate.
pub type Result<T, E = PkiError> = core::result::Result<T, E>;

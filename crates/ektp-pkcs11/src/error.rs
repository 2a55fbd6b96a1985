//! The crate's one error type.

use core::fmt;
use std::path::PathBuf;

use crate::uri::UriErrorKind;

/// `Result` with [`Pkcs11Error`].
pub type Result<T, E = Pkcs11Error> = core::result::Result<T, E>;

/// What the token said about the user PIN after a wrong try (`CK_TOKEN_INFO.flags`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PinTries {
    /// The token does not say how many tries are left.
    Unknown,
    /// `CKF_USER_PIN_COUNT_LOW`: a wrong PIN was entered and few tries are left.
    Low,
    /// `CKF_USER_PIN_FINAL_TRY`: one more wrong PIN locks it.
    FinalTry,
}

/// What a key is meant for, named in errors about keys that do not fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyPurpose {
    /// Signing EF.SOD (ECDSA P-256/P-384).
    DocumentSigner,
    /// Signing CV certificates or Terminal Authentication (ECDSA P-256/brainpoolP256r1).
    CvSigner,
    /// Diversifying chip keys (AES-256 with `CKM_AES_CMAC`).
    MasterKey,
    /// Signing X.509 certificates and CRLs: a root (ECDSA P-256/P-384).
    CertificateSigner,
}

impl fmt::Display for KeyPurpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::DocumentSigner => "a document signer (EC P-256 or P-384, CKA_SIGN)",
            Self::CvSigner => "a CV signer (EC P-256 or brainpoolP256r1, CKA_SIGN)",
            Self::MasterKey => "a batch master key (AES-256, CKA_SIGN for CKM_AES_CMAC)",
            Self::CertificateSigner => "a certificate and CRL signer (EC P-256 or P-384, CKA_SIGN)",
        })
    }
}

/// Why a key does not fit its purpose.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unsuitable {
    /// The key type (`CKA_KEY_TYPE`) is another one (as the token names it).
    KeyType(String),
    /// An EC key on a curve not supported for this purpose (`CKA_EC_PARAMS`, hex).
    Curve(String),
    /// An AES key of another length (bytes).
    KeyLength(u64),
    /// `CKA_SIGN` is false, or `CKA_ALLOWED_MECHANISMS` lacks the mechanism needed
    /// (`CKM_ECDSA`, `CKM_AES_CMAC`): the token's owner did not allow it to sign or MAC.
    NotForSigning,
    /// The token has no public key object beside the private key (needed for the public point).
    NoPublicKey,
}

impl fmt::Display for Unsuitable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::KeyType(t) => write!(f, "its key type is {t}"),
            Self::Curve(p) => write!(f, "its curve (CKA_EC_PARAMS {p}) is not supported"),
            Self::KeyLength(n) => write!(f, "it is {n} bytes long"),
            Self::NotForSigning => f.write_str(
                "CKA_SIGN is false or CKA_ALLOWED_MECHANISMS excludes the mechanism: it may not sign",
            ),
            Self::NoPublicKey => {
                f.write_str("no public key object with its label/id is on the token")
            }
        }
    }
}

/// One object on a token, as listed in an error: class, label and id, never a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectSummary {
    /// `CKA_CLASS` as the token names it.
    pub class: String,
    /// `CKA_LABEL`.
    pub label: String,
    /// `CKA_ID`.
    pub id: Vec<u8>,
}

impl fmt::Display for ObjectSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} \"{}\" id=", self.class, self.label)?;
        for b in &self.id {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

struct List<'a, T>(&'a [T]);

impl<T: fmt::Display> fmt::Display for List<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("none");
        }
        for (i, x) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{x}")?;
        }
        Ok(())
    }
}

fn list<T: fmt::Display>(items: &[T]) -> String {
    List(items).to_string()
}

/// Errors of the PKCS#11 key stores. No PIN, key value or diversified key ever appears in
/// one (or in any `Debug` output of this crate).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Pkcs11Error {
    /// The PKCS#11 module file does not exist.
    #[error("PKCS#11 module {} not found: give the path of the module's .so (SoftHSM: /usr/lib/softhsm/libsofthsm2.so)", path.display())]
    ModuleNotFound {
        /// The path given.
        path: PathBuf,
    },
    /// The module exists but could not be loaded or initialized.
    #[error("PKCS#11 module {} could not be loaded: {source}", path.display())]
    ModuleLoad {
        /// The path given.
        path: PathBuf,
        /// The loader's or the module's error.
        #[source]
        source: cryptoki::error::Error,
    },
    /// No token with that label is present.
    #[error(
        "no PKCS#11 token labelled \"{label}\" is present (tokens present: {}); insert it or fix token= in the URI",
        list(present)
    )]
    TokenNotPresent {
        /// The label asked for.
        label: String,
        /// The labels of the tokens present.
        present: Vec<String>,
    },
    /// The URI names no token.
    #[error("the PKCS#11 URI names no token: add token=LABEL")]
    NoTokenInUri,
    /// The user PIN was wrong.
    #[error("wrong PIN for token \"{token}\"{}", match tries {
        PinTries::Unknown => "",
        PinTries::Low => " (few tries left)",
        PinTries::FinalTry => " (one try left before the PIN locks)",
    })]
    WrongPin {
        /// The token label.
        token: String,
        /// What the token says about tries left.
        tries: PinTries,
    },
    /// The user PIN is locked.
    #[error("the PIN of token \"{token}\" is locked: the security officer must unlock it")]
    PinLocked {
        /// The token label.
        token: String,
    },
    /// The PIN file could not be read (or may be read by others).
    #[error("cannot read the PIN file: {0}")]
    PinFile(#[from] ektp_fs::FsError),
    /// The PIN is empty or not UTF-8 text.
    #[error("the PIN is empty or not text: write the PIN (one line) in the PIN file")]
    PinInvalid,
    /// A PKCS#11 URI was refused.
    #[error("invalid PKCS#11 URI: {kind}")]
    InvalidUri {
        /// Why.
        kind: UriErrorKind,
    },
    /// No object matches the URI.
    #[error(
        "no {wanted} matches {uri} on token \"{token}\" (objects there: {})",
        list(present)
    )]
    ObjectNotFound {
        /// The URI searched for.
        uri: String,
        /// The object type searched for.
        wanted: crate::uri::ObjectType,
        /// The token label.
        token: String,
        /// What the token holds: class, label, id (never values).
        present: Vec<ObjectSummary>,
    },
    /// More than one object matches the URI.
    #[error("{count} objects match {uri}: add object= or id= to name one")]
    AmbiguousObject {
        /// The URI searched for.
        uri: String,
        /// How many matched.
        count: usize,
    },
    /// The URI's `type` is not the one this use needs.
    #[error("{uri} names a {given} object, but {purpose} needs type={needed}")]
    WrongObjectType {
        /// The URI.
        uri: String,
        /// The type in the URI.
        given: crate::uri::ObjectType,
        /// The type needed.
        needed: crate::uri::ObjectType,
        /// What the key is for.
        purpose: KeyPurpose,
    },
    /// The key cannot serve its purpose.
    #[error("{uri} cannot be {purpose}: {why}")]
    KeyUnsuitable {
        /// The URI.
        uri: String,
        /// What the key is for.
        purpose: KeyPurpose,
        /// Why not.
        why: Unsuitable,
    },
    /// The certificate is malformed or not the key's.
    #[error("document signer certificate: {0}")]
    Certificate(#[source] ektp_pki::PkiError),
    /// The token's key does not belong to the certificate (a test signature did not verify).
    #[error(
        "the token's key {uri} is not the certificate's key: give the certificate issued for it"
    )]
    KeyCertificateMismatch {
        /// The key's URI.
        uri: String,
    },
    /// The token returned a signature or MAC of an unexpected length.
    #[error("the token returned a {got}-byte result where {expected} bytes were expected")]
    BadTokenOutput {
        /// Bytes expected.
        expected: usize,
        /// Bytes returned.
        got: usize,
    },
    /// A PKCS#11 call failed.
    #[error("PKCS#11 {operation} failed: {source}")]
    Token {
        /// What was being done.
        operation: &'static str,
        /// The module's error.
        #[source]
        source: cryptoki::error::Error,
    },
    /// Diversified keys were refused by `ektp-sm`.
    #[error("diversified keys: {0}")]
    Sm(#[from] ektp_sm::Error),
}

impl Pkcs11Error {
    /// A distinct process exit code per cause, for the CLI: 20 module not found, 21 token not
    /// present, 22 wrong PIN, 23 PIN locked, 24 object not found, 25 key unsuitable for the
    /// use, 26 invalid URI or PIN source, 27 any other token failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::ModuleNotFound { .. } | Self::ModuleLoad { .. } => 20,
            Self::TokenNotPresent { .. } | Self::NoTokenInUri => 21,
            Self::WrongPin { .. } => 22,
            Self::PinLocked { .. } => 23,
            Self::ObjectNotFound { .. } | Self::AmbiguousObject { .. } => 24,
            Self::KeyUnsuitable { .. }
            | Self::WrongObjectType { .. }
            | Self::KeyCertificateMismatch { .. } => 25,
            Self::InvalidUri { .. } | Self::PinFile(_) | Self::PinInvalid => 26,
            Self::Certificate(_)
            | Self::BadTokenOutput { .. }
            | Self::Token { .. }
            | Self::Sm(_) => 27,
        }
    }

    pub(crate) fn token(operation: &'static str) -> impl FnOnce(cryptoki::error::Error) -> Self {
        move |source| Self::Token { operation, source }
    }
}

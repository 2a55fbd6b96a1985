#![doc = include_str!("../README.md")]

pub mod alg;
pub mod cms;
pub mod cvc;
mod error;
pub mod keys;
pub mod revocation_list;
mod signer;
pub mod sod;

pub use alg::{DigestAlgorithm, PublicKey, SignatureAlgorithm, VerifyError};
pub use error::{DecodeKind, PkiError, Result, Structure};
pub use keys::Pkcs8Key;
pub use signer::{RingSigner, Signer};
pub use sod::{EfSod, SodOptions, sign_ef_sod};
mod pa;
mod policy;
mod trust;

pub use pa::{
    Check, CheckName, Failure, Outcome, PaReport, SignerSummary, Status, passive_authentication,
};
pub use policy::AnchorProblem;
pub use trust::{Crl, RejectedCertificate, TrustAnchor, TrustStore};
pub mod test_pki;
mod time;

//! Card verifiable certificates (BSI TR-03110-3 Appendix C) for Extended Access Control:
//! a bounded, typed codec, chain validation without I/O, and issuing through a signer seam.
//!
//! ```text
//! 7F21 CV Certificate                          BSI TR-03110-3 §C.1
//!   7F4E Certificate Body
//!     5F29 Certificate Profile Identifier      00
//!     42   Certification Authority Reference   (CAR)
//!     7F49 Public Key                          06 OID, [81 p 82 a 83 b 84 G 85 r] 86 Y [87 f]
//!     5F20 Certificate Holder Reference        (CHR)
//!     7F4C Certificate Holder Authorization Template (CHAT): 06 OID, 53 role and rights
//!     5F25 Certificate Effective Date          YYMMDD, one digit per byte
//!     5F24 Certificate Expiration Date         YYMMDD, one digit per byte
//!     65   Certificate Extensions              optional, 73 discretionary data templates
//!   5F37 Signature                             plain r ‖ s over the whole 7F4E object
//! ```
//!
//! * [`CvCertificate::from_bytes`] parses strictly (canonical DER-TLV lengths, fields in
//!   order, nothing left over, [`MAX_CERTIFICATE_LEN`]) and keeps the body bytes as read, so
//!   signatures are checked over exactly those bytes; [`CvCertificate::to_bytes`] encodes
//!   canonically, and `from_bytes(to_bytes(x)) == x`.
//! * [`CertificateRequest`] (§C.2): the self-signed request, optionally wrapped in `67` with an
//!   outer CAR and outer signature.
//! * Keys: [`TaAlgorithm::EcdsaSha256`] (id-TA-ECDSA-SHA-256) on NIST P-256 or
//!   brainpoolP256r1 ([`Curve`]), verified with RustCrypto `p256` / `bp256`.
//! * [`Chat`] with the inspection-system role and its read-DG3 / read-DG4 rights (§C.4.1).
//! * [`validate_chain`] / [`ChainValidator`]: trust points (CVCA keys), CVCA link
//!   certificates, DV, IS; signatures, CAR/CHR linkage, roles, expiry against the chip's
//!   current date ([`CvDate`]), effective rights as the intersection along the chain.
//! * Issuing ([`CertificateBuilder`], [`RequestBuilder`]) signs only through [`CvSigner`], so a
//!   PKCS#11 token can hold the key; [`SoftwareCvSigner`] is for tests (TEST ONLY keys).
//!
//! Every function here is pure: no files, no clock, no card. Malformed input is
//! [`CvcError::Decode`]; well-formed input that is not acceptable has its own variant.

mod builder;
mod cert;
mod chain;
mod chat;
mod date;
mod error;
mod key;
mod reference;
mod request;
mod signer;
mod tlv;

pub use builder::{CertificateBuilder, RequestBuilder};
pub use cert::{CertificateBody, CvCertificate, Extensions};
pub use chain::{ChainValidator, TrustPoint, ValidatedChain, validate_chain};
pub use chat::{AccessRights, Chat, Role, TerminalType};
pub use date::CvDate;
pub use error::{CvcDecodeKind, CvcError, Field};
pub use key::{Curve, CvPublicKey, EcPoint, EcSignature, TaAlgorithm};
pub use reference::CertificateReference;
pub use request::{CertificateRequest, OuterSignature, RequestBody};
pub use signer::{CvSigner, SoftwareCvSigner};

/// Largest CV certificate accepted (bytes, whole `7F21` object). A CVCA certificate with
/// 256-bit domain parameters is about 440 bytes; the limit leaves room for extensions.
pub const MAX_CERTIFICATE_LEN: usize = 2048;

/// Largest certificate request accepted (bytes, whole `67` or `7F21` object).
pub const MAX_REQUEST_LEN: usize = 2304;

/// Most certificates [`validate_chain`] follows in one chain (link certificates, DV, IS).
pub const MAX_CHAIN_LEN: usize = 8;

/// Most discretionary data templates (`73`) read from a certificate's extensions (`65`).
pub const MAX_EXTENSIONS: usize = 8;

/// Certificate Profile Identifier of version 1 certificates, the only one defined
/// (BSI TR-03110-3 §C.1.1).
pub const PROFILE_IDENTIFIER: u8 = 0x00;

//! The crate's one error type.

use ektp_iso7816::{ApduError, DecodeError, StatusWord};

/// Which PACE step an error or a status word belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PaceStep {
    /// MSE:Set AT (ICAO 9303-11 §4.4.4.1).
    MseSetAt,
    /// GENERAL AUTHENTICATE step 1: encrypted nonce.
    EncryptedNonce,
    /// GENERAL AUTHENTICATE step 2: mapping data.
    Mapping,
    /// GENERAL AUTHENTICATE step 3: ephemeral public keys.
    KeyAgreement,
    /// GENERAL AUTHENTICATE step 4: authentication tokens.
    MutualAuthentication,
}

impl core::fmt::Display for PaceStep {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::MseSetAt => "MSE:Set AT",
            Self::EncryptedNonce => "GENERAL AUTHENTICATE (encrypted nonce)",
            Self::Mapping => "GENERAL AUTHENTICATE (mapping)",
            Self::KeyAgreement => "GENERAL AUTHENTICATE (key agreement)",
            Self::MutualAuthentication => "GENERAL AUTHENTICATE (mutual authentication)",
        })
    }
}

/// Which Extended Access Control step (Chip or Terminal Authentication) an error belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EacStep {
    /// Chip Authentication MSE:Set AT (ICAO 9303-11 §6.2.4.1).
    CaMseSetAt,
    /// Chip Authentication GENERAL AUTHENTICATE with the terminal's ephemeral key.
    CaKeyAgreement,
    /// Terminal Authentication MSE:Set DST (BSI TR-03110-3 §B.11.1).
    TaMseSetDst,
    /// Terminal Authentication PSO:Verify Certificate.
    TaVerifyCertificate,
    /// Terminal Authentication MSE:Set AT.
    TaMseSetAt,
    /// Terminal Authentication GET CHALLENGE.
    TaGetChallenge,
    /// Terminal Authentication EXTERNAL AUTHENTICATE.
    TaExternalAuthenticate,
}

impl core::fmt::Display for EacStep {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::CaMseSetAt => "Chip Authentication MSE:Set AT",
            Self::CaKeyAgreement => "Chip Authentication GENERAL AUTHENTICATE",
            Self::TaMseSetDst => "Terminal Authentication MSE:Set DST",
            Self::TaVerifyCertificate => "Terminal Authentication PSO:Verify Certificate",
            Self::TaMseSetAt => "Terminal Authentication MSE:Set AT",
            Self::TaGetChallenge => "Terminal Authentication GET CHALLENGE",
            Self::TaExternalAuthenticate => "Terminal Authentication EXTERNAL AUTHENTICATE",
        })
    }
}

/// What was wrong with an elliptic curve point received from the other side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PointError {
    /// Not an uncompressed SEC1 point of the curve's size (`04 || X || Y`).
    Encoding,
    /// The coordinates do not satisfy the curve equation.
    NotOnCurve,
    /// The point at infinity (or a computation that produced it).
    Identity,
    /// The other side echoed our own public key (ICAO 9303-11 §4.4.1 step 3).
    Reflected,
}

impl core::fmt::Display for PointError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Encoding => "not an uncompressed point of the expected size",
            Self::NotOnCurve => "point is not on the curve",
            Self::Identity => "point at infinity",
            Self::Reflected => "peer sent back our own public key",
        })
    }
}

/// Everything that can go wrong in PACE, secure messaging, EF.CardAccess and Active
/// Authentication.
///
/// Malformed input is [`Error::Decode`] / [`Error::Apdu`]; well-formed input that is not
/// allowed has its own variant. No variant carries a key, a nonce or the CAN.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Malformed bytes (TLV, APDU body, ASN.1) at a byte offset.
    #[error("malformed {what}: {source}")]
    Decode {
        /// Which structure was being parsed.
        what: &'static str,
        /// Kind and offset.
        #[source]
        source: DecodeError,
    },
    /// Malformed DER in EF.CardAccess, DG14 or DG15 structures.
    #[error("malformed {what}: {source}")]
    Der {
        /// Which structure was being parsed.
        what: &'static str,
        /// What the `der` crate found (kind and position).
        #[source]
        source: der::Error,
    },
    /// An APDU could not be encoded or parsed.
    #[error(transparent)]
    Apdu(#[from] ApduError),
    /// A CAN must be exactly six decimal digits.
    #[error("a CAN must be exactly 6 digits (0-9); check the number printed on the card")]
    InvalidCan,
    /// The PACE object identifier is not one this crate implements
    /// (ECDH generic mapping with AES).
    #[error("unsupported PACE protocol object identifier {oid}")]
    UnsupportedProtocol {
        /// Dotted OID.
        oid: String,
    },
    /// The standardized domain parameter ID is not P-256 (12) or brainpoolP256r1 (13).
    #[error(
        "unsupported PACE domain parameter ID {0} (supported: 12 NIST P-256, 13 brainpoolP256r1)"
    )]
    UnsupportedDomainParameters(u32),
    /// A PACEInfo without `parameterId`: proprietary domain parameters (PACEDomainParameterInfo)
    /// are not supported.
    #[error("PACEInfo has no parameterId; proprietary PACE domain parameters are not supported")]
    MissingParameterId,
    /// The card side was asked for a mechanism, password or parameter it was not set up with.
    #[error(
        "PACE mechanism, password reference or domain parameters do not match the card's configuration"
    )]
    MechanismMismatch,
    /// The other side answered a PACE step with an unexpected status word.
    #[error("{step} failed: card answered {sw}")]
    Status {
        /// The step.
        step: PaceStep,
        /// The status word.
        sw: StatusWord,
    },
    /// The command does not belong to this PACE step (wrong CLA/INS/P1/P2).
    #[error("unexpected command for {step}")]
    UnexpectedCommand {
        /// The step the card side was waiting for.
        step: PaceStep,
    },
    /// Authentication token mismatch: the password (CAN) is wrong, or the peer is not genuine.
    /// No session keys were kept.
    #[error("PACE mutual authentication failed: wrong CAN, or the card/terminal is not genuine")]
    AuthenticationFailed,
    /// A public point received from the peer is unusable.
    #[error("{step}: invalid public point: {kind}")]
    InvalidPoint {
        /// The step.
        step: PaceStep,
        /// What was wrong.
        kind: PointError,
    },
    /// The encrypted nonce is empty, not a multiple of the AES block size, or longer than 32 bytes.
    #[error("encrypted nonce has invalid length {len} (must be 16 or 32 bytes)")]
    InvalidNonceLength {
        /// Length received.
        len: usize,
    },
    /// The system random number generator failed.
    #[error("the system random number generator failed")]
    Rng,
    /// Test-only fixed randomness was exhausted or had the wrong length.
    #[error("fixed test randomness exhausted, wrong length or not a valid scalar")]
    FixedRandomness,
    /// A key has the wrong length for the cipher.
    #[error("key has wrong length {len}")]
    InvalidKeyLength {
        /// Length given.
        len: usize,
    },
    /// A batch master key that is not 64 hex digits (32 bytes). The text is not kept.
    #[error("a batch master key must be exactly 64 hex digits (32 bytes)")]
    InvalidMasterKey,
    /// Secure messaging: the MAC (DO'8E') did not verify. The session is closed.
    #[error(
        "secure messaging MAC mismatch (tampered, replayed or out-of-order APDU); session closed"
    )]
    SmMacMismatch,
    /// Secure messaging: a required data object is missing or an unexpected one is present.
    /// The session is closed.
    #[error("secure messaging data objects missing or malformed; session closed")]
    SmDataMissing,
    /// Secure messaging: the decrypted data has no valid ISO 7816-4 padding. The session is
    /// closed.
    #[error("secure messaging padding invalid; session closed")]
    SmPadding,
    /// The command or response was not protected although a session is active. The session
    /// is closed.
    #[error("unprotected APDU inside a secure messaging session; session closed")]
    SmNotProtected,
    /// The card aborted secure messaging (it answered `6987`/`6988` in plain).
    #[error("card ended secure messaging: {0}")]
    SmCardAborted(StatusWord),
    /// The session was closed earlier (after an SM error) and can no longer be used.
    #[error("secure messaging session is closed; run PACE again")]
    SmSessionClosed,
    /// The send sequence counter would wrap around.
    #[error("secure messaging send sequence counter exhausted; run PACE again")]
    SmCounterExhausted,
    /// `wrap_response` was called without a preceding `unwrap_command`, or vice versa.
    #[error("secure messaging calls out of order")]
    SmOutOfOrder,
    /// The Active Authentication signature does not verify with the DG15 public key.
    #[error("Active Authentication failed: signature does not verify (chip may be cloned)")]
    AaSignatureInvalid,
    /// The DG15 key or signature algorithm is not supported (only ECDSA on P-256).
    #[error("unsupported Active Authentication key or algorithm: {0}")]
    AaUnsupported(&'static str),
    /// Generating or loading an Active Authentication key failed.
    #[error("Active Authentication key could not be generated or loaded")]
    AaKey,
    /// The other side answered a Chip or Terminal Authentication step with an unexpected
    /// status word.
    #[error("{step} failed: card answered {sw}")]
    EacStatus {
        /// The step.
        step: EacStep,
        /// The status word.
        sw: StatusWord,
    },
    /// The command does not belong to this Chip or Terminal Authentication step, or comes
    /// before the step it needs (e.g. Terminal Authentication before Chip Authentication).
    #[error("unexpected command for {step}")]
    EacUnexpectedCommand {
        /// The step the card side was waiting for.
        step: EacStep,
    },
    /// A public point received in Chip Authentication is unusable.
    #[error("Chip Authentication: invalid public point: {0}")]
    CaInvalidPoint(PointError),
    /// The Chip Authentication key or its DG14 entry is missing, malformed or not one this
    /// crate implements (ECDH on P-256 or brainpoolP256r1).
    #[error("Chip Authentication key unusable: {0}")]
    CaKey(&'static str),
    /// Terminal Authentication: the chip did not accept a certificate of the chain (not
    /// issued by its trust point, expired by its date, wrong rights or signature).
    #[error(
        "Terminal Authentication: the chip rejected a certificate of the terminal's chain; check the chain against the card's CVCA and date"
    )]
    TaCertificateRejected,
    /// Terminal Authentication: the terminal's signature does not verify, or the chain did
    /// not end with a terminal certificate.
    #[error("Terminal Authentication failed: the terminal's signature does not verify")]
    TaAuthenticationFailed,
    /// Terminal Authentication: the terminal key refused to sign or signed malformed bytes.
    #[error("Terminal Authentication: the terminal key could not sign: {0}")]
    TaSigner(String),
}

impl Error {
    pub(crate) fn decode(what: &'static str) -> impl FnOnce(DecodeError) -> Self {
        move |source| Self::Decode { what, source }
    }

    pub(crate) fn der(what: &'static str) -> impl FnOnce(der::Error) -> Self {
        move |source| Self::Der { what, source }
    }

    /// The status word a card should answer with when this error ends a command.
    ///
    /// Secure messaging errors map to `6987` (objects missing) or `6988` (incorrect), as
    /// ICAO 9303-11 §9.8.5 requires; PACE token mismatch maps to `6300`.
    pub fn status_word(&self) -> StatusWord {
        match self {
            Self::SmDataMissing | Self::SmNotProtected => StatusWord::SM_DATA_MISSING,
            Self::SmMacMismatch | Self::SmPadding | Self::SmCounterExhausted => {
                StatusWord::SM_DATA_INCORRECT
            }
            Self::AuthenticationFailed => StatusWord(0x6300),
            Self::TaCertificateRejected | Self::TaAuthenticationFailed => StatusWord(0x6300),
            Self::UnexpectedCommand { .. }
            | Self::EacUnexpectedCommand { .. }
            | Self::SmOutOfOrder => StatusWord::CONDITIONS_NOT_SATISFIED,
            Self::MechanismMismatch
            | Self::UnsupportedProtocol { .. }
            | Self::UnsupportedDomainParameters(_)
            | Self::MissingParameterId => StatusWord::REFERENCED_DATA_NOT_FOUND,
            Self::Rng | Self::FixedRandomness | Self::AaKey | Self::TaSigner(_) => {
                StatusWord::NO_PRECISE_DIAGNOSIS
            }
            Self::CaKey(_) => StatusWord::REFERENCED_DATA_NOT_FOUND,
            _ => StatusWord::WRONG_DATA,
        }
    }
}

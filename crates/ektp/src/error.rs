use ektp_iso7816::StatusWord;

/// Everything the host flows can fail with.
///
/// Errors never carry the CAN, keys, the NIK or other personal data.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The reader, the connection or an APDU exchange failed.
    #[error(transparent)]
    Iso(#[from] ektp_iso7816::Error),
    /// PACE, secure messaging or Active Authentication failed.
    #[error(transparent)]
    Sm(#[from] ektp_sm::Error),
    /// A file read from the card, or an application, did not decode.
    #[error(transparent)]
    Lds(#[from] ektp_lds::Error),
    /// Signing or certificate handling failed.
    #[error(transparent)]
    Pki(#[from] ektp_pki::PkiError),
    /// The card answered a command with an error status.
    #[error("card answered {sw} to {during}")]
    Card {
        /// The status word.
        sw: StatusWord,
        /// The command.
        during: &'static str,
    },
    /// The card's answer was well-framed but did not make sense.
    #[error("malformed card answer: {what}")]
    Malformed {
        /// What was wrong.
        what: &'static str,
    },
    /// A file declared a length above the library's limit.
    #[error("file of {len} bytes exceeds the 1 MiB limit")]
    FileTooLarge {
        /// The declared length.
        len: usize,
    },
    /// The card is not in the lifecycle state the operation needs.
    #[error("{0}")]
    WrongState(&'static str),
    /// The printing station's key does not open this chip.
    #[error(
        "personalization key rejected: this chip is not from the batch whose master key was given"
    )]
    PersoKeyRejected,
    /// The chip's personalization key is blocked after too many failures.
    #[error("personalization key blocked on this chip after too many failed authentications")]
    PersoKeyBlocked,
    /// PACE failed: most likely the CAN does not belong to this card.
    #[error("PACE failed: the CAN does not match this card (check the 6 digits printed on it)")]
    WrongCan,
    /// The card supports no PACE protocol this library implements.
    #[error("the card offers no supported PACE protocol in EF.CardAccess")]
    NoSupportedPace,
    /// Personalization wrote the card but the read-back did not verify, so it was not locked.
    #[error("read-back verification failed, card NOT locked: {reason}")]
    ReadBackFailed {
        /// The first failing check and its reason.
        reason: String,
    },
    /// The card is locked but does not verify; it must not be handed out.
    #[error("card is already issued but does not verify: {reason}")]
    IssuedCardInvalid {
        /// The first failing check and its reason.
        reason: String,
    },
    /// A file could not be read or written.
    #[error("cannot read {what}: {source}")]
    Io {
        /// What was being read.
        what: &'static str,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A revocation list file is malformed (a file problem, not a card problem).
    #[error(transparent)]
    RevocationList(#[from] crate::revocation::RevocationListError),
    /// The system random number generator failed.
    #[error("system random number generator failed")]
    Rng,
    /// The batch master key's holder (a PKCS#11 token) could not diversify the chip's keys.
    #[error("the batch master key could not diversify the chip's keys")]
    MasterKey(#[source] Box<dyn std::error::Error + Send + Sync + 'static>),
}

impl From<ektp_iso7816::TransportError> for Error {
    fn from(e: ektp_iso7816::TransportError) -> Self {
        Self::Iso(e.into())
    }
}

impl From<ektp_iso7816::DecodeError> for Error {
    fn from(e: ektp_iso7816::DecodeError) -> Self {
        Self::Iso(e.into())
    }
}

impl Error {
    /// Whether the error means the card left the reader (pulled, or power lost).
    pub fn is_card_removed(&self) -> bool {
        matches!(
            self,
            Self::Iso(ektp_iso7816::Error::Transport(
                ektp_iso7816::TransportError::CardRemoved
                    | ektp_iso7816::TransportError::ResponseTooShort { .. }
                    | ektp_iso7816::TransportError::NoCard { .. }
            ))
        )
    }
}

use crate::{ApduError, DecodeError, StatusWord, TransportError};

/// Everything that can go wrong in this crate's exchanges with a card.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The reader or the connection to the card failed.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// A command could not be encoded or a response was malformed.
    #[error(transparent)]
    Apdu(#[from] ApduError),
    /// BER-TLV or other bytes were malformed.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The card kept answering `61xx`/`6Cxx` past the round limit.
    #[error(
        "card asked for more than {limit} GET RESPONSE/re-send rounds; giving up (hostile or faulty card)"
    )]
    TooManyRounds {
        /// The limit that was reached.
        limit: usize,
    },
    /// The card's chained response grew past the byte limit.
    #[error("card response exceeds {limit} bytes; giving up (hostile or faulty card)")]
    ResponseTooLarge {
        /// The limit that was reached.
        limit: usize,
    },
    /// The card answered with an unexpected status word.
    #[error("card answered {0}")]
    Status(StatusWord),
}

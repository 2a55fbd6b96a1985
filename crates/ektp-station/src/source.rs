//! Where the batch gets its cards: one reader, as the batch sees it.

use std::time::Duration;

use ektp_iso7816::CardTransport;

/// A reader the batch asks for cards: PC/SC in the `ektp` binary, a virtual chip in tests,
/// one of several readers in a multi-reader station.
///
/// Waits are short slices (the batch renews them and applies its own time-outs), so an
/// implementation should return when `timeout` is over even if nothing happened.
pub trait CardSource {
    /// The connection to the card in the reader.
    type Transport: CardTransport;
    /// What goes wrong with the reader itself (not with a card that leaves).
    type Error: std::error::Error + Send + Sync + 'static;

    /// Waits up to `timeout` for a card in the reader: `true` when there is one.
    ///
    /// # Errors
    /// The reader failed (gone, service stopped).
    fn wait_for_card(&mut self, timeout: Duration) -> Result<bool, Self::Error>;

    /// Waits up to `timeout` for the reader to be empty: `true` when it is.
    ///
    /// # Errors
    /// The reader failed.
    fn wait_for_removal(&mut self, timeout: Duration) -> Result<bool, Self::Error>;

    /// Connects to the card in the reader; `None` if it left before it could be reached.
    ///
    /// # Errors
    /// The reader failed.
    fn connect(&mut self) -> Result<Option<Self::Transport>, Self::Error>;
}

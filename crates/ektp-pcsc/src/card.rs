//! A connection to one card: APDUs, transactions, reconnect, disconnect.

use ektp_iso7816::{CardTransport, TransportError};

use crate::error::{Operation, PcscError, check_response};

/// Receive buffer size: pcsc-lite's `MAX_BUFFER_SIZE_EXTENDED` (4+3+65536+3+2 = 65548
/// bytes), enough for any extended-length response. With the short 264-byte buffer a large
/// response fails with `SCARD_E_INSUFFICIENT_BUFFER` *after* the card executed the command.
pub const RECEIVE_BUFFER_LEN: usize = pcsc::MAX_BUFFER_SIZE_EXTENDED;

// 65536 data bytes plus SW1 SW2 must fit.
const _: () = assert!(RECEIVE_BUFFER_LEN >= 65538);

/// Whether other applications may use the card while we are connected.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Share {
    /// Other applications may connect too; use [`PcscCard::transaction`] for sequences that
    /// must not be interleaved.
    Shared,
    /// Nobody else may connect while we are connected.
    Exclusive,
}

impl Share {
    pub(crate) fn to_pcsc(self) -> pcsc::ShareMode {
        match self {
            Share::Shared => pcsc::ShareMode::Shared,
            Share::Exclusive => pcsc::ShareMode::Exclusive,
        }
    }
}

/// What happens to the card when a connection or transaction ends, or on reconnect.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Disposition {
    /// Leave the card as it is: its volatile state (selected file, secure messaging
    /// session) survives for the next connection.
    LeaveCard,
    /// Warm reset: volatile state is lost.
    ResetCard,
    /// Power the card off.
    UnpowerCard,
}

impl Disposition {
    fn to_pcsc(self) -> pcsc::Disposition {
        match self {
            Disposition::LeaveCard => pcsc::Disposition::LeaveCard,
            Disposition::ResetCard => pcsc::Disposition::ResetCard,
            Disposition::UnpowerCard => pcsc::Disposition::UnpowerCard,
        }
    }
}

/// The transmission protocol in use.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// T=0, character oriented.
    T0,
    /// T=1, block oriented.
    T1,
    /// Raw.
    Raw,
}

/// State of a connected card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardStatus {
    /// The card's ATR.
    pub atr: Vec<u8>,
    /// The active protocol, if one was negotiated.
    pub protocol: Option<Protocol>,
    /// The card is present and powered.
    pub powered: bool,
}

/// A connection to the card in one reader.
///
/// Dropping it disconnects with a card reset (PC/SC's default), which drops the card's
/// volatile state; call [`PcscCard::disconnect`] with [`Disposition::LeaveCard`] to keep it.
/// After the card was seen leaving, dropping it leaves the (absent) card alone instead: a
/// reset sent to a card that is gone stalls pcscd's reader for seconds.
pub struct PcscCard {
    /// Always `Some` until [`PcscCard::disconnect`] or drop takes it.
    card: Option<pcsc::Card>,
    reader: String,
    share: Share,
    buf: Vec<u8>,
    removed: bool,
}

impl Drop for PcscCard {
    fn drop(&mut self) {
        if self.removed
            && let Some(card) = self.card.take()
        {
            // Best effort: the card is gone, so there is nothing to report.
            let _ = card.disconnect(pcsc::Disposition::LeaveCard);
        }
    }
}

impl std::fmt::Debug for PcscCard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PcscCard")
            .field("reader", &self.reader)
            .field("share", &self.share)
            .finish_non_exhaustive()
    }
}

fn transmit_raw(
    card: Option<&pcsc::Card>,
    reader: &str,
    buf: &mut [u8],
    command: &[u8],
) -> Result<Vec<u8>, PcscError> {
    let card = card.ok_or_else(|| gone(reader))?;
    let response = card
        .transmit(command, buf)
        .map_err(|e| PcscError::from_pcsc(Operation::Transmit, Some(reader), e))?;
    check_response(reader, response)
}

/// The error for a handle whose connection was already closed.
fn gone(reader: &str) -> PcscError {
    PcscError::CardRemoved {
        reader: reader.to_owned(),
    }
}

fn status(card: Option<&pcsc::Card>, reader: &str) -> Result<CardStatus, PcscError> {
    let card = card.ok_or_else(|| gone(reader))?;
    let s = card
        .status2_owned()
        .map_err(|e| PcscError::from_pcsc(Operation::Status, Some(reader), e))?;
    let protocol = s.protocol2().map(|p| match p {
        pcsc::Protocol::T0 => Protocol::T0,
        pcsc::Protocol::T1 => Protocol::T1,
        pcsc::Protocol::RAW => Protocol::Raw,
    });
    Ok(CardStatus {
        atr: s.atr().to_vec(),
        protocol,
        powered: s.status().contains(pcsc::Status::POWERED),
    })
}

/// `Ok(false)` for the errors that mean "the card this handle was connected to is gone".
fn presence(result: Result<CardStatus, PcscError>) -> Result<bool, TransportError> {
    match result {
        Ok(_) => Ok(true),
        Err(PcscError::CardRemoved { .. } | PcscError::NoCard { .. }) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

impl PcscCard {
    pub(crate) fn new(card: pcsc::Card, reader: String, share: Share) -> Self {
        Self {
            card: Some(card),
            reader,
            share,
            buf: vec![0; RECEIVE_BUFFER_LEN],
            removed: false,
        }
    }

    /// The reader's name.
    #[must_use]
    pub fn reader(&self) -> &str {
        &self.reader
    }

    /// Sends one command APDU and returns the response (`data || SW1 SW2`).
    ///
    /// # Errors
    /// [`PcscError::CardRemoved`] if the card left (including the 0-byte "success" pcscd
    /// reports for a card pulled mid-command), [`PcscError::ResponseTooShort`] for a 1-byte
    /// response, [`PcscError::CardReset`], or another PC/SC failure.
    pub fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, PcscError> {
        let result = transmit_raw(self.card.as_ref(), &self.reader, &mut self.buf, command);
        self.note(&result);
        result
    }

    /// Remembers whether an answer showed the card gone (for [`Drop`]).
    fn note<T>(&mut self, result: &Result<T, PcscError>) {
        if let Err(PcscError::CardRemoved { .. } | PcscError::NoCard { .. }) = result {
            self.removed = true;
        }
    }

    /// The card's ATR, protocol and power state.
    ///
    /// # Errors
    /// [`PcscError::CardRemoved`] if the card left, or another PC/SC failure.
    pub fn status(&self) -> Result<CardStatus, PcscError> {
        status(self.card.as_ref(), &self.reader)
    }

    /// Starts an exclusive transaction: until it ends, no other application can talk to the
    /// card. Ends with [`Disposition::LeaveCard`] when dropped.
    ///
    /// # Errors
    /// [`PcscError::CardRemoved`], [`PcscError::CardReset`], or another PC/SC failure.
    pub fn transaction(&mut self) -> Result<PcscTransaction<'_>, PcscError> {
        let Self {
            card, reader, buf, ..
        } = self;
        let tx = card
            .as_mut()
            .ok_or_else(|| gone(reader))?
            .transaction()
            .map_err(|e| PcscError::from_pcsc(Operation::BeginTransaction, Some(reader), e))?;
        Ok(PcscTransaction { tx, reader, buf })
    }

    /// Re-establishes the connection, e.g. after [`PcscError::CardReset`] or after the card
    /// was removed and inserted again, and returns the ATR. `init` says whether to reset
    /// the card while doing so.
    ///
    /// # Errors
    /// [`PcscError::NoCard`] if the reader is empty, or another PC/SC failure.
    pub fn reconnect(&mut self, init: Disposition) -> Result<Vec<u8>, PcscError> {
        let card = self.card.as_mut().ok_or_else(|| gone(&self.reader))?;
        let result = card
            .reconnect(self.share.to_pcsc(), pcsc::Protocols::ANY, init.to_pcsc())
            .map_err(|e| PcscError::from_pcsc(Operation::Reconnect, Some(&self.reader), e));
        self.note(&result);
        result?;
        self.removed = false;
        Ok(self.status()?.atr)
    }

    /// Disconnects, leaving the card as `disposition` says ([`Disposition::LeaveCard`]
    /// keeps its volatile state for the next connection).
    ///
    /// # Errors
    /// A PC/SC failure; the connection is then closed with a reset when the error is dropped.
    pub fn disconnect(mut self, disposition: Disposition) -> Result<(), PcscError> {
        let card = self.card.take().ok_or_else(|| gone(&self.reader))?;
        card.disconnect(disposition.to_pcsc())
            .map_err(|(_card, e)| {
                PcscError::from_pcsc(Operation::Disconnect, Some(&self.reader), e)
            })
    }
}

impl CardTransport for PcscCard {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        Ok(PcscCard::transmit(self, command)?)
    }

    /// Reconnects with a warm reset and returns the ATR.
    fn reset(&mut self) -> Result<Vec<u8>, TransportError> {
        Ok(self.reconnect(Disposition::ResetCard)?)
    }

    /// Whether the card this connection was made to is still there (a card removed and
    /// inserted again counts as gone until [`PcscCard::reconnect`]).
    fn is_card_present(&mut self) -> Result<bool, TransportError> {
        presence(self.status())
    }
}

/// An exclusive transaction on a [`PcscCard`]; ends with [`Disposition::LeaveCard`] when
/// dropped, or explicitly with [`PcscTransaction::end`].
pub struct PcscTransaction<'a> {
    tx: pcsc::Transaction<'a>,
    reader: &'a str,
    buf: &'a mut Vec<u8>,
}

impl std::fmt::Debug for PcscTransaction<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PcscTransaction")
            .field("reader", &self.reader)
            .finish_non_exhaustive()
    }
}

impl PcscTransaction<'_> {
    /// As [`PcscCard::transmit`].
    ///
    /// # Errors
    /// As [`PcscCard::transmit`].
    pub fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, PcscError> {
        transmit_raw(Some(&*self.tx), self.reader, self.buf, command)
    }

    /// Ends the transaction, leaving the card as `disposition` says.
    ///
    /// # Errors
    /// A PC/SC failure (the transaction is then ended with [`Disposition::LeaveCard`]).
    pub fn end(self, disposition: Disposition) -> Result<(), PcscError> {
        let reader = self.reader;
        self.tx
            .end(disposition.to_pcsc())
            .map_err(|(_tx, e)| PcscError::from_pcsc(Operation::EndTransaction, Some(reader), e))
    }
}

impl CardTransport for PcscTransaction<'_> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        Ok(PcscTransaction::transmit(self, command)?)
    }

    /// Resets the card inside the transaction and returns the ATR.
    fn reset(&mut self) -> Result<Vec<u8>, TransportError> {
        self.tx
            .reconnect(
                pcsc::ShareMode::Shared,
                pcsc::Protocols::ANY,
                pcsc::Disposition::ResetCard,
            )
            .map_err(|e| PcscError::from_pcsc(Operation::Reconnect, Some(self.reader), e))?;
        Ok(status(Some(&*self.tx), self.reader)?.atr)
    }

    fn is_card_present(&mut self) -> Result<bool, TransportError> {
        presence(status(Some(&*self.tx), self.reader))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presence_mapping() {
        let r = "Virtual PCD 00 00".to_owned();
        assert!(!presence(Err(PcscError::CardRemoved { reader: r.clone() })).unwrap());
        assert!(!presence(Err(PcscError::NoCard { reader: r.clone() })).unwrap());
        assert!(presence(Err(PcscError::NoService)).is_err());
        assert!(
            presence(Ok(CardStatus {
                atr: vec![0x3B, 0x00],
                protocol: Some(Protocol::T1),
                powered: true
            }))
            .unwrap()
        );
    }
}

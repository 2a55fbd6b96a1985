//! An in-process [`CardTransport`] that calls a [`Card`] directly: the same object that
//! [`crate::vpcd`] serves through pcscd, without a reader, a socket or a daemon.
//!
//! It mirrors what the PC/SC path shows the host, so host code and tests behave the same on
//! both: the card is powered on when inserted, [`CardTransport::reset`] is a warm reset that
//! returns the ATR, responses outside 2..=65535 bytes become `6F00`, a command longer than
//! 65535 bytes removes the card (vpcd ejects it), and a [`Fault`] pulls the card at the same
//! point in the APDU stream, after which every command fails with
//! [`TransportError::CardRemoved`].
//!
//! ```
//! use ektp_chip::card::Fault;
//! use ektp_chip::inprocess::InProcess;
//! use ektp_chip::testcard::MemoryCard;
//! use ektp_iso7816::{CardTransport, TransportError};
//!
//! // SELECT the memory card's file, then READ BINARY 4 bytes.
//! let select = [0x00, 0xA4, 0x02, 0x0C, 0x02, 0x01, 0x01];
//! let read = [0x00, 0xB0, 0x00, 0x00, 0x04];
//! let mut reader = InProcess::new(MemoryCard::new(vec![1, 2, 3, 4]));
//! assert_eq!(reader.transmit(&select)?, [0x90, 0x00]);
//! assert_eq!(reader.transmit(&read)?, [1, 2, 3, 4, 0x90, 0x00]);
//!
//! // A card pulled while the second command is on its way in.
//! let mut reader = InProcess::with_fault(MemoryCard::new(vec![0; 4]), Fault::PullBeforeExecuting(1));
//! reader.transmit(&select)?;
//! assert!(matches!(reader.transmit(&read), Err(TransportError::CardRemoved)));
//! # Ok::<(), TransportError>(())
//! ```

use ektp_iso7816::{CardTransport, TransportError};

use crate::card::{Card, Fault, FaultAction, MAX_COMMAND_LEN, frameable_response};

/// The reader name reported in [`TransportError::NoCard`] by [`InProcess`].
pub const READER_NAME: &str = "in-process";

/// A [`Card`] driven directly, as a [`CardTransport`].
pub struct InProcess<C: Card> {
    card: C,
    inserted: bool,
    fault: Option<Fault>,
    answered: u64,
}

impl<C: Card> InProcess<C> {
    /// Inserts `card` (powers it on).
    pub fn new(card: C) -> Self {
        Self::build(card, None)
    }

    /// Inserts `card`, which will be pulled as `fault` says.
    pub fn with_fault(card: C, fault: Fault) -> Self {
        Self::build(card, Some(fault))
    }

    fn build(mut card: C, fault: Option<Fault>) -> Self {
        card.power_on();
        let mut this = Self {
            card,
            inserted: true,
            fault,
            answered: 0,
        };
        if fault.is_some_and(|f| f.leaves_before_next(0)) {
            this.pull();
        }
        this
    }

    /// The card, for inspecting its state.
    pub fn card(&self) -> &C {
        &self.card
    }

    /// The card, mutably (e.g. to prepare its contents between sessions).
    pub fn card_mut(&mut self) -> &mut C {
        &mut self.card
    }

    /// Takes the card back.
    pub fn into_card(self) -> C {
        self.card
    }

    /// Command APDUs answered so far.
    pub fn answered(&self) -> u64 {
        self.answered
    }

    /// Whether the card is in the (in-process) reader.
    pub fn is_inserted(&self) -> bool {
        self.inserted
    }

    /// Pulls the card out: it loses power and further commands fail with
    /// [`TransportError::CardRemoved`].
    pub fn pull(&mut self) {
        if self.inserted {
            self.inserted = false;
            self.card.power_off();
        }
    }

    /// Puts the card back (powers it on). The fault, if any, has already fired and does not
    /// fire again.
    pub fn reinsert(&mut self) {
        if !self.inserted {
            self.inserted = true;
            self.fault = None;
            self.card.power_on();
        }
    }
}

impl<C: Card> std::fmt::Debug for InProcess<C> {
    /// Never shows the card itself (it may hold secrets).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InProcess")
            .field("inserted", &self.inserted)
            .field("fault", &self.fault)
            .field("answered", &self.answered)
            .finish_non_exhaustive()
    }
}

impl<C: Card> CardTransport for InProcess<C> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        if !self.inserted {
            return Err(TransportError::CardRemoved);
        }
        if command.len() > MAX_COMMAND_LEN {
            // What vpcd does with a command it cannot frame: it drops the card.
            self.pull();
            return Err(TransportError::CardRemoved);
        }
        let action = self
            .fault
            .map_or(FaultAction::Answer, |fault| fault.action(self.answered));
        match action {
            FaultAction::LeaveBeforeExecuting => {
                self.pull();
                return Err(TransportError::CardRemoved);
            }
            FaultAction::LeaveAfterExecuting => {
                let _ = self.card.process(command);
                self.pull();
                return Err(TransportError::CardRemoved);
            }
            FaultAction::Answer => {}
        }
        let response = frameable_response(self.card.process(command));
        self.answered = self.answered.saturating_add(1);
        if self
            .fault
            .is_some_and(|fault| fault.leaves_before_next(self.answered))
        {
            self.pull();
        }
        Ok(response)
    }

    fn reset(&mut self) -> Result<Vec<u8>, TransportError> {
        if !self.inserted {
            return Err(TransportError::NoCard {
                reader: READER_NAME.to_owned(),
            });
        }
        self.card.reset();
        Ok(self.card.atr())
    }

    fn is_card_present(&mut self) -> Result<bool, TransportError> {
        Ok(self.inserted)
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;
    use crate::testcard::MemoryCard;

    const SELECT: [u8; 7] = [0x00, 0xA4, 0x02, 0x0C, 0x02, 0x01, 0x01];

    #[test]
    fn answers_and_resets() {
        let mut t = InProcess::new(MemoryCard::with_size(64));
        assert_eq!(t.transmit(&SELECT).unwrap(), [0x90, 0x00]);
        let r = t.transmit(&[0x00, 0xB0, 0x00, 0x00, 0x04]).unwrap();
        assert_eq!(&r[4..], [0x90, 0x00]);
        assert_eq!(&r[..4], &t.card().contents()[..4]);
        assert_eq!(t.reset().unwrap(), crate::testcard::MEMORY_CARD_ATR);
        // The reset dropped the selection.
        assert_eq!(
            t.transmit(&[0x00, 0xB0, 0x00, 0x00, 0x04]).unwrap(),
            [0x69, 0x86]
        );
        assert!(t.is_card_present().unwrap());
        assert_eq!(t.answered(), 3);
    }

    #[test]
    fn pull_before_executing() {
        let mut t = InProcess::with_fault(MemoryCard::with_size(16), Fault::PullBeforeExecuting(1));
        t.transmit(&SELECT).unwrap();
        let update = [0x00, 0xD6, 0x00, 0x00, 0x01, 0xAA];
        assert!(matches!(
            t.transmit(&update),
            Err(TransportError::CardRemoved)
        ));
        assert_ne!(t.card().contents()[0], 0xAA, "not executed");
        assert!(!t.is_card_present().unwrap());
        assert!(matches!(
            t.transmit(&SELECT),
            Err(TransportError::CardRemoved)
        ));
        assert!(matches!(t.reset(), Err(TransportError::NoCard { .. })));
        t.reinsert();
        assert_eq!(t.transmit(&SELECT).unwrap(), [0x90, 0x00]);
    }

    #[test]
    fn pull_after_executing() {
        let mut t = InProcess::with_fault(MemoryCard::with_size(16), Fault::PullAfterExecuting(1));
        t.transmit(&SELECT).unwrap();
        let update = [0x00, 0xD6, 0x00, 0x00, 0x01, 0xAA];
        assert!(matches!(
            t.transmit(&update),
            Err(TransportError::CardRemoved)
        ));
        assert_eq!(t.card().contents()[0], 0xAA, "executed but not answered");
        assert_eq!(t.answered(), 1);
    }

    #[test]
    fn remove_after() {
        let mut t = InProcess::with_fault(MemoryCard::with_size(16), Fault::RemoveAfter(1));
        t.transmit(&SELECT).unwrap();
        assert!(!t.is_card_present().unwrap());
        assert!(matches!(
            t.transmit(&SELECT),
            Err(TransportError::CardRemoved)
        ));
        let t = InProcess::with_fault(MemoryCard::with_size(16), Fault::RemoveAfter(0));
        assert!(!t.is_inserted());
    }

    #[test]
    fn oversized_command_removes_the_card() {
        let mut t = InProcess::new(MemoryCard::with_size(16));
        let huge = vec![0u8; MAX_COMMAND_LEN + 1];
        assert!(matches!(
            t.transmit(&huge),
            Err(TransportError::CardRemoved)
        ));
        assert!(!t.is_inserted());
    }

    #[test]
    fn broken_card_response_becomes_6f00() {
        struct Mute;
        impl Card for Mute {
            fn atr(&self) -> Vec<u8> {
                vec![0x3B, 0x00]
            }
            fn reset(&mut self) {}
            fn process(&mut self, _apdu: &[u8]) -> Vec<u8> {
                vec![0x90]
            }
        }
        let mut t = InProcess::new(Mute);
        assert_eq!(t.transmit(&SELECT).unwrap(), [0x6F, 0x00]);
    }
}

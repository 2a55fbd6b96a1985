//! The transport every reader backend implements, and the one exchange helper on top of it.

use crate::{CommandApdu, Error, Ins, ResponseApdu, StatusWord};

/// Reader-level failures, common to every backend.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// The card went away while a command was in flight, or between commands.
    #[error("card removed during command")]
    CardRemoved,
    /// No card is in the reader.
    #[error("no card in reader {reader}")]
    NoCard {
        /// The reader's name.
        reader: String,
    },
    /// The response had no status word: how a card pulled mid-command looks through PC/SC.
    #[error("card removed during command (response of {len} bytes has no status word)")]
    ResponseTooShort {
        /// Bytes received.
        len: usize,
    },
    /// A backend-specific failure (PC/SC service missing, unknown reader, …) with its own message.
    #[error(transparent)]
    Backend(Box<dyn std::error::Error + Send + Sync>),
}

/// Something that carries APDUs to a card and back: a PC/SC reader, or a virtual chip in-process.
pub trait CardTransport {
    /// Sends one raw command APDU and returns the raw response (`data || SW1 SW2`).
    ///
    /// # Errors
    /// A [`TransportError`]; a response under two bytes must be reported as
    /// [`TransportError::ResponseTooShort`], never returned as success.
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError>;

    /// Resets the card and returns its ATR.
    ///
    /// # Errors
    /// A [`TransportError`] if the card is gone.
    fn reset(&mut self) -> Result<Vec<u8>, TransportError>;

    /// Whether a card is present.
    ///
    /// # Errors
    /// A [`TransportError`] if the reader cannot be asked.
    fn is_card_present(&mut self) -> Result<bool, TransportError>;
}

impl<T: CardTransport + ?Sized> CardTransport for &mut T {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        (**self).transmit(command)
    }
    fn reset(&mut self) -> Result<Vec<u8>, TransportError> {
        (**self).reset()
    }
    fn is_card_present(&mut self) -> Result<bool, TransportError> {
        (**self).is_card_present()
    }
}

impl<T: CardTransport + ?Sized> CardTransport for Box<T> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        (**self).transmit(command)
    }
    fn reset(&mut self) -> Result<Vec<u8>, TransportError> {
        (**self).reset()
    }
    fn is_card_present(&mut self) -> Result<bool, TransportError> {
        (**self).is_card_present()
    }
}

/// Caps on what a card can make [`exchange_with`] do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most extra round trips (GET RESPONSE or re-send) after the first command.
    pub max_rounds: usize,
    /// Most response data bytes gathered across all rounds.
    pub max_total: usize,
}

/// Default cap on rounds: 64 × 256 bytes is far more than any e-KTP response.
pub const MAX_GET_RESPONSE_ROUNDS: usize = 64;
/// Default cap on gathered bytes (1 MiB).
pub const MAX_RESPONSE_BYTES: usize = 1 << 20;

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_rounds: MAX_GET_RESPONSE_ROUNDS,
            max_total: MAX_RESPONSE_BYTES,
        }
    }
}

/// Sends `command` and returns the complete response, following `61xx` with GET RESPONSE and
/// `6Cxx` with a re-send carrying the right Le, within the default [`Limits`].
///
/// # Errors
/// Transport failures, malformed responses, or a card that exceeds the limits.
pub fn exchange(
    transport: &mut (impl CardTransport + ?Sized),
    command: &CommandApdu,
) -> Result<ResponseApdu, Error> {
    exchange_with(transport, command, Limits::default())
}

/// Sends one raw command and parses the response, treating a missing status word as removal.
///
/// # Errors
/// Transport failures, or [`TransportError::ResponseTooShort`].
pub fn transmit_once(
    transport: &mut (impl CardTransport + ?Sized),
    command: &CommandApdu,
) -> Result<ResponseApdu, Error> {
    let raw = transport.transmit(&command.to_bytes()?)?;
    ResponseApdu::parse(&raw)
        .map_err(|_| Error::Transport(TransportError::ResponseTooShort { len: raw.len() }))
}

/// [`exchange`] with explicit limits.
///
/// # Errors
/// As [`exchange`].
pub fn exchange_with(
    transport: &mut (impl CardTransport + ?Sized),
    command: &CommandApdu,
    limits: Limits,
) -> Result<ResponseApdu, Error> {
    let mut response = transmit_once(transport, command)?;
    let mut data: Vec<u8> = Vec::new();
    let mut rounds = 0usize;
    loop {
        let sw = response.sw;
        let next = match sw.sw1() {
            0x61 => {
                append(&mut data, &response.data, limits)?;
                let le = match sw.sw2() {
                    0 => 256,
                    n => u32::from(n),
                };
                CommandApdu::new(
                    command.cla & !crate::apdu::CLA_CHAINING,
                    Ins::GetResponse,
                    0,
                    0,
                )
                .with_le(le)
            }
            0x6C => {
                let le = match sw.sw2() {
                    0 => 256,
                    n => u32::from(n),
                };
                let mut again = command.clone();
                again.le = Some(le);
                again
            }
            _ => {
                append(&mut data, &response.data, limits)?;
                return Ok(ResponseApdu::new(data, sw));
            }
        };
        rounds = rounds.saturating_add(1);
        if rounds > limits.max_rounds {
            return Err(Error::TooManyRounds {
                limit: limits.max_rounds,
            });
        }
        response = transmit_once(transport, &next)?;
    }
}

fn append(data: &mut Vec<u8>, more: &[u8], limits: Limits) -> Result<(), Error> {
    if data.len().saturating_add(more.len()) > limits.max_total {
        return Err(Error::ResponseTooLarge {
            limit: limits.max_total,
        });
    }
    data.extend_from_slice(more);
    Ok(())
}

/// Expects `9000` and returns the response data.
///
/// # Errors
/// As [`exchange`], or [`Error::Status`] for any other status word.
pub fn exchange_ok(
    transport: &mut (impl CardTransport + ?Sized),
    command: &CommandApdu,
) -> Result<Vec<u8>, Error> {
    exchange(transport, command)?.into_ok()
}

/// Status words that [`exchange`] resolves itself and never returns.
pub fn is_procedure_status(sw: StatusWord) -> bool {
    matches!(sw.sw1(), 0x61 | 0x6C)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;

    /// A card that answers from a script and records what it was sent.
    struct Scripted {
        answers: VecDeque<Vec<u8>>,
        sent: Vec<Vec<u8>>,
        forever: Option<Vec<u8>>,
    }

    impl Scripted {
        fn new(answers: &[&[u8]]) -> Self {
            Self {
                answers: answers.iter().map(|a| a.to_vec()).collect(),
                sent: Vec::new(),
                forever: None,
            }
        }
    }

    impl CardTransport for Scripted {
        fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
            self.sent.push(command.to_vec());
            if let Some(f) = &self.forever {
                return Ok(f.clone());
            }
            self.answers.pop_front().ok_or(TransportError::CardRemoved)
        }
        fn reset(&mut self) -> Result<Vec<u8>, TransportError> {
            Ok(vec![0x3B, 0x80, 0x80, 0x01, 0x01])
        }
        fn is_card_present(&mut self) -> Result<bool, TransportError> {
            Ok(true)
        }
    }

    fn read() -> CommandApdu {
        CommandApdu::new(0, Ins::ReadBinary, 0, 0).with_le(256)
    }

    #[test]
    fn follows_get_response() {
        let mut card = Scripted::new(&[
            &[1, 2, 0x61, 0x03],
            &[3, 4, 5, 0x61, 0x00],
            &[6, 0x90, 0x00],
        ]);
        let r = exchange(&mut card, &read()).unwrap();
        assert_eq!(r.data, vec![1, 2, 3, 4, 5, 6]);
        assert!(r.is_ok());
        assert_eq!(card.sent[1], [0x00, 0xC0, 0, 0, 0x03]);
        assert_eq!(card.sent[2], [0x00, 0xC0, 0, 0, 0x00]);
    }

    #[test]
    fn resends_with_right_le() {
        let mut card = Scripted::new(&[&[0x6C, 0x05], &[1, 2, 3, 4, 5, 0x90, 0x00]]);
        let r = exchange(
            &mut card,
            &CommandApdu::new(0, Ins::ReadBinary, 0, 0).with_le(16),
        )
        .unwrap();
        assert_eq!(r.data, vec![1, 2, 3, 4, 5]);
        assert_eq!(card.sent[1], [0x00, 0xB0, 0, 0, 0x05]);
    }

    #[test]
    fn error_status_is_returned_not_hidden() {
        let mut card = Scripted::new(&[&[0x6A, 0x82]]);
        let r = exchange(&mut card, &read()).unwrap();
        assert_eq!(r.sw, StatusWord::FILE_NOT_FOUND);
        let mut card = Scripted::new(&[&[0x6A, 0x82]]);
        let e = exchange_ok(&mut card, &read()).unwrap_err();
        assert_eq!(e.to_string(), "card answered 6A82 file not found");
    }

    #[test]
    fn card_answering_61xx_forever_is_cut_off() {
        let mut card = Scripted::new(&[]);
        card.forever = Some(vec![0xAA; 16].into_iter().chain([0x61, 0x10]).collect());
        let e = exchange(&mut card, &read()).unwrap_err();
        assert!(matches!(
            e,
            Error::TooManyRounds {
                limit: MAX_GET_RESPONSE_ROUNDS
            }
        ));
        assert_eq!(card.sent.len(), MAX_GET_RESPONSE_ROUNDS + 1);
    }

    #[test]
    fn card_answering_6cxx_forever_is_cut_off() {
        let mut card = Scripted::new(&[]);
        card.forever = Some(vec![0x6C, 0x10]);
        let e = exchange(&mut card, &read()).unwrap_err();
        assert!(matches!(e, Error::TooManyRounds { .. }));
    }

    #[test]
    fn total_bytes_are_capped() {
        let mut card = Scripted::new(&[]);
        card.forever = Some(vec![0u8; 256].into_iter().chain([0x61, 0x00]).collect());
        let limits = Limits {
            max_rounds: 1000,
            max_total: 4096,
        };
        let e = exchange_with(&mut card, &read(), limits).unwrap_err();
        assert!(matches!(e, Error::ResponseTooLarge { limit: 4096 }));
        assert!(card.sent.len() <= 17);
    }

    #[test]
    fn missing_status_word_is_removal() {
        let mut card = Scripted::new(&[&[]]);
        let e = exchange(&mut card, &read()).unwrap_err();
        assert!(matches!(
            e,
            Error::Transport(TransportError::ResponseTooShort { len: 0 })
        ));
        assert!(e.to_string().starts_with("card removed during command"));
    }
}

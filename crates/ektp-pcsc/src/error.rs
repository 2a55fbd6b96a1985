//! The crate's error type and the mapping from PC/SC codes to errors that say what to do.

use std::fmt;
use std::time::Duration;

use ektp_iso7816::TransportError;

/// The PC/SC call that failed, for errors with no more specific meaning.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Operation {
    /// `SCardEstablishContext`.
    Establish,
    /// `SCardListReaders`.
    ListReaders,
    /// `SCardGetStatusChange`.
    GetStatusChange,
    /// `SCardConnect`.
    Connect,
    /// `SCardReconnect`.
    Reconnect,
    /// `SCardDisconnect`.
    Disconnect,
    /// `SCardBeginTransaction`.
    BeginTransaction,
    /// `SCardEndTransaction`.
    EndTransaction,
    /// `SCardTransmit`.
    Transmit,
    /// `SCardStatus`.
    Status,
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Operation::Establish => "SCardEstablishContext",
            Operation::ListReaders => "SCardListReaders",
            Operation::GetStatusChange => "SCardGetStatusChange",
            Operation::Connect => "SCardConnect",
            Operation::Reconnect => "SCardReconnect",
            Operation::Disconnect => "SCardDisconnect",
            Operation::BeginTransaction => "SCardBeginTransaction",
            Operation::EndTransaction => "SCardEndTransaction",
            Operation::Transmit => "SCardTransmit",
            Operation::Status => "SCardStatus",
        })
    }
}

/// What a wait was for.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum WaitEvent {
    /// A card to be inserted.
    Arrival,
    /// The card to be removed.
    Removal,
}

impl fmt::Display for WaitEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            WaitEvent::Arrival => "a card to be inserted into",
            WaitEvent::Removal => "the card to be removed from",
        })
    }
}

/// Reader names as a readable list: `"A", "B"`, or `none` when empty.
struct Names<'a>(&'a [String]);

impl fmt::Display for Names<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("none");
        }
        for (i, name) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{name:?}")?;
        }
        Ok(())
    }
}

/// Everything that can go wrong talking to a card through PC/SC.
///
/// Each variant's message says what happened and, where there is one, what to do about it.
/// Convert into [`TransportError`] with `From`: [`PcscError::CardRemoved`],
/// [`PcscError::NoCard`] and [`PcscError::ResponseTooShort`] become the matching transport
/// variants, everything else [`TransportError::Backend`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PcscError {
    /// pcscd is not running (or its socket is not reachable).
    #[error("PC/SC service not running: start pcscd")]
    NoService,
    /// The PC/SC service has no readers at all.
    #[error(
        "no smart-card readers found: connect a reader (for the virtual reader install \
         vsmartcard-vpcd and restart pcscd)"
    )]
    NoReaders,
    /// No reader has the requested name.
    #[error("no reader named {name:?} (readers: {})", Names(available))]
    UnknownReader {
        /// The name asked for.
        name: String,
        /// The readers that do exist.
        available: Vec<String>,
    },
    /// A partial reader name matched more than one reader.
    #[error(
        "reader name {name:?} is ambiguous (matches: {}): give the full name",
        Names(matches)
    )]
    AmbiguousReader {
        /// The name asked for.
        name: String,
        /// The readers it matches.
        matches: Vec<String>,
    },
    /// The reader exists but is unusable (unplugged or its driver failed).
    #[error("reader {reader:?} is unavailable (unplugged, or its driver failed)")]
    ReaderUnavailable {
        /// The reader's name.
        reader: String,
    },
    /// The reader has no card.
    #[error("no card in reader {reader:?}")]
    NoCard {
        /// The reader's name.
        reader: String,
    },
    /// None of the readers has a card.
    #[error("no card in any reader (readers: {})", Names(available))]
    NoCardInAnyReader {
        /// The readers that exist, all empty.
        available: Vec<String>,
    },
    /// More than one reader holds a card and none was named: which card is meant cannot be
    /// guessed (a blank card and an issued one side by side must not be mixed up).
    #[error(
        "cards in {} readers: {}; name the reader to use with --reader NAME (or reader in \
         --config), or take the other cards out",
        readers.len(),
        readers.join(", ")
    )]
    SeveralCards {
        /// Each reader holding a card, with its card's state ([`crate::ReaderInfo::describe`]).
        readers: Vec<String>,
    },
    /// The card left while a command was in flight or since the last one; any command whose
    /// answer was not received may or may not have been executed.
    #[error("card removed during command (reader {reader:?})")]
    CardRemoved {
        /// The reader's name.
        reader: String,
    },
    /// A response of 1 byte: no status word, so the exchange failed.
    #[error(
        "response of {len} bytes from reader {reader:?} has no status word (card removed \
         during command?)"
    )]
    ResponseTooShort {
        /// The reader's name.
        reader: String,
        /// Bytes received.
        len: usize,
    },
    /// Another application reset the card; volatile card state (selected file, secure
    /// messaging session) is gone.
    #[error(
        "card in reader {reader:?} was reset by another application: reconnect and start the \
         session again"
    )]
    CardReset {
        /// The reader's name.
        reader: String,
    },
    /// The card does not answer its reset.
    #[error("card in reader {reader:?} does not respond: reinsert it (or it is not a smart card)")]
    UnresponsiveCard {
        /// The reader's name.
        reader: String,
    },
    /// Another application holds the reader exclusively.
    #[error("reader {reader:?} is in exclusive use by another application")]
    SharingViolation {
        /// The reader's name.
        reader: String,
    },
    /// A wait for a card to arrive or leave ran out of time.
    #[error("timed out after {:.1} s waiting for {event} reader {reader:?}", waited.as_secs_f64())]
    Timeout {
        /// The reader's name.
        reader: String,
        /// What was awaited.
        event: WaitEvent,
        /// How long it waited.
        waited: Duration,
    },
    /// A reader name containing a NUL byte cannot be passed to PC/SC.
    #[error("reader name {name:?} contains a NUL byte")]
    InvalidReaderName {
        /// The name given.
        name: String,
    },
    /// Any other PC/SC failure, with the call and the PC/SC code.
    #[error("{operation} failed{}: {source} (0x{:08X})", OnReader(reader.as_deref()), *source as u32)]
    Pcsc {
        /// The failing call.
        operation: Operation,
        /// The reader involved, if any.
        reader: Option<String>,
        /// The PC/SC code.
        #[source]
        source: pcsc::Error,
    },
}

struct OnReader<'a>(Option<&'a str>);

impl fmt::Display for OnReader<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(reader) => write!(f, " on reader {reader:?}"),
            None => Ok(()),
        }
    }
}

impl PcscError {
    /// Turns a PC/SC code from `operation` (on `reader`, if one is involved) into the error
    /// that explains it.
    ///
    /// `SCARD_E_UNKNOWN_READER` maps to [`PcscError::UnknownReader`] with an empty reader
    /// list; callers that can list the readers fill it in.
    #[must_use]
    pub fn from_pcsc(operation: Operation, reader: Option<&str>, error: pcsc::Error) -> Self {
        use pcsc::Error as E;
        let name = || reader.unwrap_or_default().to_owned();
        match (error, reader) {
            (E::NoService | E::ServiceStopped, _) => PcscError::NoService,
            (E::NoReadersAvailable, _) => PcscError::NoReaders,
            (E::UnknownReader, Some(_)) => PcscError::UnknownReader {
                name: name(),
                available: Vec::new(),
            },
            (E::ReaderUnavailable, Some(_)) => PcscError::ReaderUnavailable { reader: name() },
            (E::NoSmartcard, Some(_)) => PcscError::NoCard { reader: name() },
            (E::RemovedCard, Some(_)) => PcscError::CardRemoved { reader: name() },
            // pcscd answers a transmit whose reader-side exchange failed (a card pulled
            // mid-command, or vpcd dropping the card) with NOT_TRANSACTED or COMM_ERROR.
            (E::NotTransacted | E::CommError | E::CommDataLost, Some(_))
                if operation == Operation::Transmit =>
            {
                PcscError::CardRemoved { reader: name() }
            }
            (E::ResetCard, Some(_)) => PcscError::CardReset { reader: name() },
            (E::UnresponsiveCard, Some(_)) => PcscError::UnresponsiveCard { reader: name() },
            (E::SharingViolation, Some(_)) => PcscError::SharingViolation { reader: name() },
            (source, _) => PcscError::Pcsc {
                operation,
                reader: reader.map(str::to_owned),
                source,
            },
        }
    }
}

impl From<PcscError> for TransportError {
    fn from(error: PcscError) -> Self {
        match error {
            PcscError::CardRemoved { .. } => TransportError::CardRemoved,
            PcscError::NoCard { reader } => TransportError::NoCard { reader },
            PcscError::ResponseTooShort { len, .. } => TransportError::ResponseTooShort { len },
            other => TransportError::Backend(Box::new(other)),
        }
    }
}

/// Checks a raw response: under two bytes there is no status word. pcscd reports a card
/// that vanished mid-command as success with 0 bytes, so 0 bytes is
/// [`PcscError::CardRemoved`] and 1 byte [`PcscError::ResponseTooShort`].
pub(crate) fn check_response(reader: &str, response: &[u8]) -> Result<Vec<u8>, PcscError> {
    match response.len() {
        0 => Err(PcscError::CardRemoved {
            reader: reader.to_owned(),
        }),
        1 => Err(PcscError::ResponseTooShort {
            reader: reader.to_owned(),
            len: 1,
        }),
        _ => Ok(response.to_vec()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const R: &str = "Virtual PCD 00 00";

    fn map(op: Operation, e: pcsc::Error) -> PcscError {
        PcscError::from_pcsc(op, Some(R), e)
    }

    #[test]
    fn service_missing() {
        let e = PcscError::from_pcsc(Operation::Establish, None, pcsc::Error::NoService);
        assert!(matches!(e, PcscError::NoService));
        assert_eq!(e.to_string(), "PC/SC service not running: start pcscd");
        let e = map(Operation::Transmit, pcsc::Error::ServiceStopped);
        assert!(matches!(e, PcscError::NoService));
    }

    #[test]
    fn reader_errors() {
        let e = map(Operation::Connect, pcsc::Error::UnknownReader);
        assert!(matches!(&e, PcscError::UnknownReader { name, .. } if name == R));
        let e = PcscError::UnknownReader {
            name: "Nope".into(),
            available: vec!["Virtual PCD 00 00".into(), "Virtual PCD 00 01".into()],
        };
        assert_eq!(
            e.to_string(),
            r#"no reader named "Nope" (readers: "Virtual PCD 00 00", "Virtual PCD 00 01")"#
        );
        let e = PcscError::UnknownReader {
            name: "Nope".into(),
            available: vec![],
        };
        assert_eq!(e.to_string(), r#"no reader named "Nope" (readers: none)"#);
        let e = map(Operation::ListReaders, pcsc::Error::NoReadersAvailable);
        assert!(matches!(e, PcscError::NoReaders));
        let e = map(Operation::Connect, pcsc::Error::ReaderUnavailable);
        assert!(matches!(e, PcscError::ReaderUnavailable { .. }));
        let e = map(Operation::Connect, pcsc::Error::SharingViolation);
        assert!(matches!(e, PcscError::SharingViolation { .. }));
    }

    #[test]
    fn card_errors() {
        let e = map(Operation::Connect, pcsc::Error::NoSmartcard);
        assert!(matches!(&e, PcscError::NoCard { reader } if reader == R));
        assert_eq!(e.to_string(), r#"no card in reader "Virtual PCD 00 00""#);
        for code in [
            pcsc::Error::RemovedCard,
            pcsc::Error::NotTransacted,
            pcsc::Error::CommError,
        ] {
            let e = map(Operation::Transmit, code);
            assert!(matches!(e, PcscError::CardRemoved { .. }), "{code:?}");
            assert!(e.to_string().starts_with("card removed during command"));
        }
        // NOT_TRANSACTED outside a transmit is not a removal.
        let e = map(Operation::EndTransaction, pcsc::Error::NotTransacted);
        assert!(matches!(
            e,
            PcscError::Pcsc {
                operation: Operation::EndTransaction,
                source: pcsc::Error::NotTransacted,
                ..
            }
        ));
        let e = map(Operation::Transmit, pcsc::Error::ResetCard);
        assert!(matches!(e, PcscError::CardReset { .. }));
        assert!(e.to_string().contains("reconnect"));
        let e = map(Operation::Connect, pcsc::Error::UnresponsiveCard);
        assert!(matches!(e, PcscError::UnresponsiveCard { .. }));
    }

    #[test]
    fn other_codes_keep_operation_and_code() {
        let e = map(Operation::Transmit, pcsc::Error::InsufficientBuffer);
        assert_eq!(
            e.to_string(),
            format!(
                r#"SCardTransmit failed on reader "Virtual PCD 00 00": {} (0x80100008)"#,
                pcsc::Error::InsufficientBuffer
            )
        );
        let e = PcscError::from_pcsc(Operation::Establish, None, pcsc::Error::NoMemory);
        assert!(e.to_string().starts_with("SCardEstablishContext failed: "));
        assert!(std::error::Error::source(&e).is_some());
    }

    #[test]
    fn into_transport_error() {
        let t: TransportError = PcscError::CardRemoved { reader: R.into() }.into();
        assert!(matches!(t, TransportError::CardRemoved));
        assert_eq!(t.to_string(), "card removed during command");
        let t: TransportError = PcscError::NoCard { reader: R.into() }.into();
        assert!(matches!(&t, TransportError::NoCard { reader } if reader == R));
        let t: TransportError = PcscError::ResponseTooShort {
            reader: R.into(),
            len: 1,
        }
        .into();
        assert!(matches!(t, TransportError::ResponseTooShort { len: 1 }));
        let t: TransportError = PcscError::NoService.into();
        assert_eq!(t.to_string(), "PC/SC service not running: start pcscd");
        let TransportError::Backend(inner) = t else {
            panic!("expected Backend");
        };
        assert!(matches!(
            inner.downcast_ref::<PcscError>(),
            Some(PcscError::NoService)
        ));
    }

    #[test]
    fn short_responses_are_errors() {
        assert!(matches!(
            check_response(R, &[]),
            Err(PcscError::CardRemoved { .. })
        ));
        assert!(matches!(
            check_response(R, &[0x90]),
            Err(PcscError::ResponseTooShort { len: 1, .. })
        ));
        assert_eq!(check_response(R, &[0x90, 0x00]).unwrap(), [0x90, 0x00]);
    }

    #[test]
    fn timeout_message() {
        let e = PcscError::Timeout {
            reader: R.into(),
            event: WaitEvent::Arrival,
            waited: Duration::from_secs(2),
        };
        assert_eq!(
            e.to_string(),
            r#"timed out after 2.0 s waiting for a card to be inserted into reader "Virtual PCD 00 00""#
        );
    }

    #[test]
    fn error_is_send_sync() {
        fn check<T: Send + Sync + 'static>() {}
        check::<PcscError>();
    }
}

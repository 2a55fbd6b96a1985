//! The crate's one error type (for its Rust API; APDUs are answered with status words).

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Errors of the virtual chip's Rust API: loading, saving and building chips, and serving a
/// card on the vpcd virtual reader ([`crate::vpcd`]).
///
/// Problems with APDUs never surface here: the chip answers them with a status word.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ChipError {
    /// The state file could not be read.
    #[error("chip state file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The state file is not JSON of the chip state's shape. Only the position is kept: the
    /// parser's message could quote a key or the CAN.
    #[error("chip state file {path} is malformed near line {line}, column {column}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
    },
    /// The state file could not be saved (it is written 0600 through an unpredictable
    /// temporary beside it, see [`ektp_fs::write_private`]).
    #[error("chip state not saved: {0}")]
    Save(#[from] ektp_fs::FsError),
    /// The state file parses but describes a chip that cannot exist.
    #[error("chip state file {path} is inconsistent: {what}")]
    Inconsistent {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        what: &'static str,
    },
    /// A state file larger than [`crate::os::MAX_STATE_FILE_LEN`].
    #[error("chip state file {path} is larger than {max} bytes")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit.
        max: u64,
    },
    /// The card profile document does not parse.
    #[error(transparent)]
    Profile(#[from] ektp_lds::ProfileError),
    /// The card profile cannot run on the chip.
    #[error("invalid card profile: {what}")]
    InvalidProfile {
        /// The first problem found.
        what: &'static str,
    },
    /// The secure-channel crate failed while setting the chip up.
    #[error(transparent)]
    Sm(#[from] ektp_sm::Error),
    /// vpcd: nothing accepted the card's connection within the connect timeout.
    #[error(
        "vpcd is not listening on {addr} (waited {:.1} s): start pcscd with vsmartcard-vpcd \
         installed (`pcscd -f -i &`; restart pcscd if vpcd was installed after it started)",
        waited.as_secs_f64()
    )]
    NotListening {
        /// Address the card tried to connect to.
        addr: SocketAddr,
        /// How long it kept retrying.
        waited: Duration,
        /// The last connect error.
        #[source]
        source: io::Error,
    },
    /// vpcd: the card's socket could not be configured or its serving thread not started.
    #[error("could not set up the virtual card's connection")]
    Socket(#[source] io::Error),
    /// vpcd: the [`Card`](crate::card::Card) implementation panicked while answering; the
    /// card is lost.
    #[error("the virtual card panicked while answering vpcd")]
    CardPanicked,
    /// vpcd: another card already holds the slot on this port (another `ektp sim`, or a
    /// test): vpcd takes one card per slot, and a second one waits unanswered.
    #[error(
        "another virtual card already holds the vpcd slot on port {port} (another `ektp sim`?): \
         stop it, or use the other slot ({hint})"
    )]
    ReaderBusy {
        /// The slot's TCP port.
        port: u16,
        /// Which port to use instead, and its reader.
        hint: &'static str,
    },
    /// vpcd: another user held the slot for longer than the timeout.
    #[error("vpcd slot on port {port} still in use by another test or process after {waited:?}")]
    SlotBusy {
        /// The slot's TCP port.
        port: u16,
        /// How long we waited.
        waited: Duration,
    },
}

impl ChipError {
    /// Whether the error comes from the vpcd virtual reader connection (a reader problem, as a
    /// PC/SC error would be) rather than from the chip's state, profile or keys.
    #[must_use]
    pub fn is_vpcd(&self) -> bool {
        matches!(
            self,
            Self::NotListening { .. }
                | Self::Socket(_)
                | Self::CardPanicked
                | Self::SlotBusy { .. }
                | Self::ReaderBusy { .. }
        )
    }
}

//! The chip's error type (for its Rust API; APDUs are answered with status words).

use std::path::PathBuf;

/// Errors of the virtual chip's Rust API: loading, saving and building chips.
///
/// Problems with APDUs never surface here: the chip answers them with a status word.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ChipError {
    /// The state file could not be read or written.
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
}

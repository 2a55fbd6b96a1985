//! The crate's one error type.

use ektp_iso7816::DecodeError;

use crate::application::ValidationErrors;
use crate::dg::LdsFile;
use crate::nik::NikError;
use crate::profile::ProfileError;

/// Everything that can go wrong in `ektp-lds`.
///
/// Malformed bytes are [`Error::Decode`] (a kind plus a byte offset); well-formed files whose
/// contents disagree are [`Error::Mismatch`]. No variant ever carries a NIK or a CAN.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file's bytes are malformed: wrong tag, bad length, bad field, bad check digit.
    #[error("{file} is malformed: {source}")]
    Decode {
        /// The file being decoded.
        file: LdsFile,
        /// What was wrong and where.
        #[source]
        source: DecodeError,
    },
    /// A file's `SecurityInfos` (DG14) are malformed, as `ektp-sm` parses them.
    #[error("{file} is malformed: {source}")]
    SecurityInfos {
        /// The file being decoded.
        file: LdsFile,
        /// What was wrong.
        #[source]
        source: ektp_sm::Error,
    },
    /// Two well-formed files disagree about a field (e.g. DG1 and DG11 on the date of birth).
    #[error("{file} and {other} disagree on {field}")]
    Mismatch {
        /// The first file.
        file: LdsFile,
        /// The second file.
        other: LdsFile,
        /// The field they disagree on.
        field: &'static str,
    },
    /// A decoded NIK is not valid or does not fit the holder.
    #[error("NIK: {0}")]
    Nik(#[from] NikError),
    /// The card profile data file is not valid.
    #[error("card profile: {0}")]
    Profile(#[from] ProfileError),
    /// An application record failed validation (every problem is listed).
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    /// The embedded region table could not be decompressed (a build defect, not user input).
    #[error("the embedded Kepmendagri region table could not be read; rebuild ektp-lds")]
    RegionTableUnavailable,
}

impl Error {
    /// A [`Error::Decode`] for `file`.
    pub(crate) fn decode(file: LdsFile, source: DecodeError) -> Self {
        Self::Decode { file, source }
    }
}

//! The station's reports: every journal row for the operator (`ektp journal`), from a journal
//! opened read-only. No report holds a NIK.

use rusqlite::params;

use super::reissue::{ABANDONED_REASON, REISSUE_PREFIX, SUPERSEDED_PREFIX};
use super::{Doing as _, Journal, READ, Result};

/// What became of one attempt to write an application onto a chip, for reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordState {
    /// Being written (or left half-written).
    InProgress,
    /// Locked, verified and recorded.
    Issued,
    /// Writing failed; the card was not locked.
    Failed,
    /// Given up by the operator (`batch --abandon`): the chip must be destroyed.
    Abandoned,
    /// Issued, then replaced by a reissue: the card must not be handed out.
    Superseded,
}

impl RecordState {
    /// Its name in reports (`in_progress`, `issued`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InProgress => "in_progress",
            Self::Issued => "issued",
            Self::Failed => "failed",
            Self::Abandoned => "abandoned",
            Self::Superseded => "superseded",
        }
    }

    /// Parses a name as [`RecordState::as_str`] gives it (`in-progress` too).
    pub fn parse(name: &str) -> Option<Self> {
        [
            Self::InProgress,
            Self::Issued,
            Self::Failed,
            Self::Abandoned,
            Self::Superseded,
        ]
        .into_iter()
        .find(|s| s.as_str() == name.replace('-', "_"))
    }

    fn classify(state: &str, reason: Option<&str>) -> Self {
        match (state, reason) {
            ("issued", _) => Self::Issued,
            ("in_progress", _) => Self::InProgress,
            (_, Some(r)) if r.starts_with(ABANDONED_REASON) => Self::Abandoned,
            (_, Some(r)) if r.starts_with(SUPERSEDED_PREFIX) => Self::Superseded,
            _ => Self::Failed,
        }
    }
}

/// One journal row as reports show it (never the NIK).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Record {
    /// The row number.
    pub id: i64,
    /// The application id.
    pub application: String,
    /// The chip serial, hex.
    pub chip_serial: String,
    /// The document number.
    pub document_number: String,
    /// What became of it.
    pub state: RecordState,
    /// SHA-256 of EF.SOD as read back (issued and superseded cards), hex.
    pub sod_sha256: Option<String>,
    /// The document signer's certificate subject.
    pub signer: Option<String>,
    /// Why it failed, was abandoned or superseded; for a replacement card, why it was reissued.
    pub reason: Option<String>,
    /// When writing started (UTC, RFC 3339).
    pub started_at: String,
    /// When it was finished (UTC, RFC 3339).
    pub finished_at: Option<String>,
}

impl Record {
    /// Whether this card replaced an earlier one (`--reissue`).
    pub fn is_reissue(&self) -> bool {
        self.reason
            .as_deref()
            .is_some_and(|r| r.starts_with(REISSUE_PREFIX))
    }
}

/// Which rows a report shows. Dates are `YYYY-MM-DD` (UTC), compared with the day writing
/// started; both ends are included.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordFilter {
    /// Only rows in this state.
    pub state: Option<RecordState>,
    /// Only rows started on or after this day.
    pub since: Option<String>,
    /// Only rows started on or before this day.
    pub until: Option<String>,
    /// Only rows whose application id, document number or chip serial is this.
    pub key: Option<String>,
}

impl Journal {
    /// The rows `filter` asks for, oldest first.
    ///
    /// # Errors
    /// If the database cannot be read.
    pub fn records(&self, filter: &RecordFilter) -> Result<Vec<Record>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, application, chip_serial, document_number, state, sod_sha256, \
                 signer, reason, started_at, finished_at FROM cards \
                 WHERE (?1 IS NULL OR substr(started_at, 1, 10) >= ?1) \
                   AND (?2 IS NULL OR substr(started_at, 1, 10) <= ?2) \
                   AND (?3 IS NULL OR application = ?3 OR document_number = ?3 \
                        OR chip_serial = ?3 COLLATE NOCASE) \
                 ORDER BY started_at, id",
            )
            .doing(READ)?;
        let rows = stmt
            .query_map(params![filter.since, filter.until, filter.key], |r| {
                let state: String = r.get(4)?;
                let reason: Option<String> = r.get(7)?;
                Ok(Record {
                    id: r.get(0)?,
                    application: r.get(1)?,
                    chip_serial: r.get(2)?,
                    document_number: r.get(3)?,
                    state: RecordState::classify(&state, reason.as_deref()),
                    sod_sha256: r.get(5)?,
                    signer: r.get(6)?,
                    reason,
                    started_at: r.get(8)?,
                    finished_at: r.get(9)?,
                })
            })
            .doing(READ)?;
        let all = rows.collect::<rusqlite::Result<Vec<_>>>().doing(READ)?;
        Ok(all
            .into_iter()
            .filter(|r| filter.state.is_none_or(|s| s == r.state))
            .collect())
    }
}

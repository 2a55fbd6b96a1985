//! Pushing the journal to the shared issuance registry.
//!
//! The station's SQLite journal stays its source of truth: a station issues offline and
//! pushes its issued rows to the registry as it goes and after an outage ([`sync`]). The
//! registry records a row once (pushing it again is a no-op) in one transaction per row, so a
//! push killed at any point loses nothing and duplicates nothing: the next [`sync`] pushes
//! everything again. This crate defines the trait; `ektp-registry` (PostgreSQL) implements it.

use crate::journal::{IssuedCard, Journal};

/// Whether a station may write an application, asked of the registry before writing a chip.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Claim {
    /// This station holds the application: write it.
    Granted,
    /// Another station claimed or issued it: skip it.
    TakenElsewhere,
}

/// A registry that failed to take a row.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SinkError {
    /// The registry cannot be reached (down, network, connection killed): retry later; the
    /// journal keeps the rows.
    #[error("registry unreachable: {0}")]
    Unreachable(String),
    /// The registry refuses the row (e.g. the document number was issued by another
    /// station): an operator must look at it; pushing again will not help.
    #[error("registry refuses: {0}")]
    Refused(String),
}

/// Where a station pushes its issued cards. `Send`, so that the workers of a multi-reader
/// station can claim and push through the one connection.
pub trait RegistrySink: Send {
    /// Claims `application` for this station before a chip is written.
    ///
    /// # Errors
    /// [`SinkError::Unreachable`] (the station may then work offline) or
    /// [`SinkError::Refused`].
    fn claim(&mut self, application: &str) -> Result<Claim, SinkError>;

    /// Records an issued card; `Ok(true)` if new, `Ok(false)` if the registry already had
    /// exactly this row.
    ///
    /// # Errors
    /// [`SinkError::Unreachable`] or [`SinkError::Refused`].
    fn record_issued(&mut self, card: &IssuedCard, nik: &str) -> Result<bool, SinkError>;
}

/// What a [`sync`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Rows the registry did not have.
    pub pushed: usize,
    /// Rows the registry already had.
    pub already: usize,
    /// Rows the registry refused: (document number, why).
    pub refused: Vec<(String, String)>,
    /// Set when the registry became unreachable; the rows after it were not pushed.
    pub unreachable: Option<String>,
}

impl SyncReport {
    /// Whether every issued row is now in the registry.
    pub fn complete(&self) -> bool {
        self.refused.is_empty() && self.unreachable.is_none()
    }
}

/// Pushes every issued row of `journal` to `sink`, oldest first; stops at the first
/// unreachable error (the rest waits for the next sync), goes on past a refused row.
///
/// # Errors
/// If the journal cannot be read.
pub fn sync(journal: &Journal, sink: &mut dyn RegistrySink) -> Result<SyncReport, crate::Error> {
    let mut report = SyncReport::default();
    for (card, nik) in journal.issued_with_nik()? {
        match sink.record_issued(&card, &nik) {
            Ok(true) => report.pushed = report.pushed.saturating_add(1),
            Ok(false) => report.already = report.already.saturating_add(1),
            Err(SinkError::Refused(why)) => report.refused.push((card.document_number, why)),
            Err(SinkError::Unreachable(why)) => {
                report.unreachable = Some(why);
                break;
            }
        }
    }
    Ok(report)
}

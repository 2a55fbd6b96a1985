//! Abandoned chips and replacement cards: the journal rows that say a card must never be
//! handed out.
//!
//! Both are `failed` rows told apart by their reason (the schema has three states): an
//! abandoned chip's row starts with [`ABANDONED_REASON`], a card replaced by `--reissue` gets
//! [`SUPERSEDED_PREFIX`] and the new card's row keeps [`REISSUE_PREFIX`] and the operator's
//! reason.

use rusqlite::{Connection, OptionalExtension as _, TransactionBehavior, params};

use super::{Doing as _, Journal, NOW, READ, Result, Start, WRITE};
use crate::Error;

/// The reason recorded for an abandoned card (`ektp batch --abandon`).
pub const ABANDONED_REASON: &str =
    "abandoned by the operator: card lost or destroyed before it was finished";
/// The start of the reason of an issued card replaced by a reissue.
pub(super) const SUPERSEDED_PREFIX: &str = "superseded by a reissue: ";
/// The start of the reason kept on the replacement card's row.
pub(super) const REISSUE_PREFIX: &str = "reissue: ";

/// Whether the journal records chip `serial` as abandoned.
pub(super) fn chip_abandoned(conn: &Connection, serial: &str) -> Result<bool> {
    conn.query_row(
        "SELECT 1 FROM cards WHERE state = 'failed' AND chip_serial = ?1 COLLATE NOCASE \
         AND substr(reason, 1, ?3) = ?2 LIMIT 1",
        params![
            serial,
            ABANDONED_REASON,
            i64::try_from(ABANDONED_REASON.len()).unwrap_or(i64::MAX)
        ],
        |_| Ok(()),
    )
    .optional()
    .doing(READ)
    .map(|found| found.is_some())
}

impl Journal {
    /// Whether chip `serial` (hex) was abandoned: it must never be written or handed out.
    ///
    /// # Errors
    /// If the database cannot be read.
    pub fn is_abandoned_chip(&self, serial: &str) -> Result<bool> {
        chip_abandoned(&self.conn, serial)
    }

    /// Like [`Journal::begin`], for a replacement card: the card issued for
    /// `start.application` (with the same document number) is recorded as superseded, with
    /// `reason`, in the same transaction that opens the new card's row (which keeps the reason
    /// too). From then on the old card no longer verifies against the journal at the desk.
    ///
    /// # Errors
    /// [`Error::NothingToReissue`] if the journal has no card issued for this application and
    /// document number; otherwise as [`Journal::begin`].
    pub fn begin_reissue(&mut self, start: &Start<'_>, reason: &str) -> Result<i64> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .doing(WRITE)?;
        let old: Option<i64> = tx
            .query_row(
                "SELECT id FROM cards WHERE state = 'issued' AND application = ?1 \
                 AND document_number = ?2",
                params![start.application, start.document_number],
                |r| r.get(0),
            )
            .optional()
            .doing(READ)?;
        let Some(old) = old else {
            return Err(Error::NothingToReissue {
                application: start.application.to_owned(),
                document_number: start.document_number.to_owned(),
            });
        };
        tx.execute(
            &format!(
                "UPDATE cards SET state = 'failed', reason = ?2 || ?3 || ' (issued at ' || \
                 finished_at || ')', finished_at = {NOW} WHERE id = ?1"
            ),
            params![old, SUPERSEDED_PREFIX, reason],
        )
        .doing(WRITE)?;
        super::refuse_clash(&tx, start)?;
        tx.execute(
            &format!(
                "INSERT INTO cards (application, chip_serial, document_number, nik, state, \
                 reason, started_at) VALUES (?1, ?2, ?3, ?4, 'in_progress', ?5 || ?6, {NOW})"
            ),
            params![
                start.application,
                start.chip_serial,
                start.document_number,
                start.nik,
                REISSUE_PREFIX,
                reason
            ],
        )
        .doing(WRITE)?;
        let id = tx.last_insert_rowid();
        tx.commit().doing(WRITE)?;
        Ok(id)
    }
}

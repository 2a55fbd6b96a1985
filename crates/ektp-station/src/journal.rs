//! The printing station's issuance journal: a durable SQLite record of every card written.
//!
//! One row per attempt to write an application onto a chip:
//!
//! ```text
//! cards(id, application, chip_serial, document_number, nik, state, sod_sha256, signer,
//!       signer_sha256, reason, started_at, finished_at)
//! state: in_progress -> issued | failed
//! skipped(id, application, document_number, reason, skipped_at)
//! ```
//!
//! A row is written `in_progress` *before* the first command goes to the card, so after a
//! crash, a kill or a pulled card the journal says which application the card in the reader
//! was being written with. It becomes `issued` once the card is locked and verified, or
//! `failed` with the reason. Partial unique indexes make the database itself refuse a second
//! issued row for the same application, document number or chip, and a second open row for
//! the same application or chip. An application the station did not write because the shared
//! registry gave it to another station has a `skipped` row saying why (no chip was touched).
//!
//! Durability: WAL mode with `synchronous=FULL` (a committed transaction survives a power
//! cut), every state change is one `BEGIN IMMEDIATE` transaction. The NIK is stored — the
//! journal is the department's own record — but never printed or put in `Debug` output.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension as _, TransactionBehavior, params};

use crate::Error;

mod reissue;
mod report;

pub use reissue::ABANDONED_REASON;
use reissue::chip_abandoned;
pub use report::{Record, RecordFilter, RecordState};

type Result<T> = core::result::Result<T, Error>;

/// `rusqlite` failures as the journal's error, saying what was being done.
trait Doing<T> {
    fn doing(self, action: &'static str) -> Result<T>;
}

impl<T> Doing<T> for rusqlite::Result<T> {
    fn doing(self, action: &'static str) -> Result<T> {
        self.map_err(|source| Error::Journal { action, source })
    }
}

const READ: &str = "cannot read the journal";
const WRITE: &str = "cannot write the journal";
const RECORD: &str = "cannot record the issued card in the journal";

/// Journal format written by this version (`PRAGMA user_version`).
const SCHEMA_VERSION: i64 = 2;
/// The oldest format this version reads (version 1 lacks the `skipped` table).
const OLDEST_READABLE: i64 = 1;

/// How long a writer waits for another process holding the database.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS cards (
    id              INTEGER PRIMARY KEY,
    application     TEXT NOT NULL,
    chip_serial     TEXT NOT NULL,
    document_number TEXT NOT NULL,
    nik             TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('in_progress', 'issued', 'failed')),
    sod_sha256      TEXT,
    signer          TEXT,
    signer_sha256   TEXT,
    reason          TEXT,
    started_at      TEXT NOT NULL,
    finished_at     TEXT,
    CHECK (state <> 'issued' OR (sod_sha256 IS NOT NULL AND signer IS NOT NULL
                                 AND finished_at IS NOT NULL)),
    CHECK (state <> 'failed' OR reason IS NOT NULL)
);
CREATE UNIQUE INDEX IF NOT EXISTS issued_once_per_application
    ON cards(application) WHERE state = 'issued';
CREATE UNIQUE INDEX IF NOT EXISTS issued_once_per_document
    ON cards(document_number) WHERE state = 'issued';
CREATE UNIQUE INDEX IF NOT EXISTS issued_once_per_chip
    ON cards(chip_serial) WHERE state = 'issued';
CREATE UNIQUE INDEX IF NOT EXISTS open_once_per_application
    ON cards(application) WHERE state = 'in_progress';
CREATE UNIQUE INDEX IF NOT EXISTS open_once_per_chip
    ON cards(chip_serial) WHERE state = 'in_progress';
CREATE TABLE IF NOT EXISTS skipped (
    id              INTEGER PRIMARY KEY,
    application     TEXT NOT NULL,
    document_number TEXT NOT NULL,
    reason          TEXT NOT NULL,
    skipped_at      TEXT NOT NULL
);
";

/// Current UTC time as RFC 3339, from SQLite's clock.
const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

/// The journal row an application clashed with (see [`Error::JournalRefuses`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Existing {
    /// Its application id.
    pub application: String,
    /// Its document number.
    pub document_number: String,
    /// `issued` or `in progress`.
    pub state: String,
    /// Its chip serial, hex.
    pub chip_serial: String,
}

/// A card the journal records as issued.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IssuedCard {
    /// The application id (its name in the queue directory).
    pub application: String,
    /// The chip serial, hex.
    pub chip_serial: String,
    /// The document number written on the card.
    pub document_number: String,
    /// SHA-256 of EF.SOD as read back from the card, hex.
    pub sod_sha256: String,
    /// The document signer's certificate subject.
    pub signer: String,
    /// SHA-256 of the document signer certificate (DER), hex.
    pub signer_sha256: String,
    /// When the card was recorded as issued (UTC, RFC 3339).
    pub issued_at: String,
}

/// An application that was being written onto a chip and not finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InProgress {
    /// The journal row.
    pub id: i64,
    /// The application id.
    pub application: String,
    /// The chip serial, hex.
    pub chip_serial: String,
    /// The document number being written.
    pub document_number: String,
    /// When writing started (UTC, RFC 3339).
    pub started_at: String,
}

/// What the journal needs to know about an application before a card is written.
pub struct Start<'a> {
    /// The application id.
    pub application: &'a str,
    /// The chip serial, hex.
    pub chip_serial: &'a str,
    /// The document number.
    pub document_number: &'a str,
    /// The holder's NIK (stored, never printed).
    pub nik: &'a str,
}

impl core::fmt::Debug for Start<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Start")
            .field("application", &self.application)
            .field("chip_serial", &self.chip_serial)
            .field("document_number", &self.document_number)
            .field("nik", &"<redacted>")
            .finish()
    }
}

/// The document signer as the journal records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerId {
    /// Certificate subject (RFC 4514 text), or `"unparsed certificate"`.
    pub subject: String,
    /// SHA-256 of the certificate DER, hex.
    pub sha256: String,
}

impl SignerId {
    /// Identifies a document signer certificate (DER).
    pub fn from_certificate(der: &[u8]) -> Self {
        let subject = x509_parser::parse_x509_certificate(der)
            .map(|(_, c)| c.subject().to_string())
            .unwrap_or_else(|_| "unparsed certificate".to_owned());
        Self {
            subject,
            sha256: hex::encode(ring::digest::digest(&ring::digest::SHA256, der)),
        }
    }
}

/// The issuance journal (see the module documentation).
pub struct Journal {
    conn: Connection,
    path: PathBuf,
}

impl core::fmt::Debug for Journal {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Journal")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// Finishes the open row `row` (`?1` in `params`) with `set`, inside `tx`.
fn close_row(
    tx: &rusqlite::Transaction<'_>,
    set: &str,
    params: impl rusqlite::Params,
    (row, outcome, action): (i64, &'static str, &'static str),
) -> Result<()> {
    let changed = tx
        .execute(
            &format!(
                "UPDATE cards SET {set}, finished_at = {NOW} WHERE id = ?1 AND state = 'in_progress'"
            ),
            params,
        )
        .doing(action)?;
    if changed != 1 {
        return Err(Error::NotInProgress { row, outcome });
    }
    Ok(())
}

fn issued_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<IssuedCard> {
    Ok(IssuedCard {
        application: row.get(0)?,
        chip_serial: row.get(1)?,
        document_number: row.get(2)?,
        sod_sha256: row.get(3)?,
        signer: row.get(4)?,
        signer_sha256: row.get::<_, Option<String>>(5)?.unwrap_or_default(),
        issued_at: row.get(6)?,
    })
}

const ISSUED_COLUMNS: &str =
    "application, chip_serial, document_number, sod_sha256, signer, signer_sha256, finished_at";

/// Suffixes of the files SQLite keeps beside a WAL-mode database.
const SIDE_FILES: [&str; 2] = ["-wal", "-shm"];

/// The journal holds NIKs: a new one is created empty with mode 0600 (`O_EXCL|O_NOFOLLOW`)
/// before SQLite opens it, so SQLite gives its `-wal` and `-shm` files the same mode; an
/// existing one that group or others can read (left by an older ektp) is made 0600, with its
/// side files.
fn make_private(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    let io = |source| Error::JournalIo {
        path: path.to_path_buf(),
        source,
    };
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => match ektp_fs::create_private(path) {
            Ok(_) => Ok(()),
            Err(ektp_fs::FsError::Io { source, .. }) => Err(io(source)),
            Err(other) => Err(io(std::io::Error::other(other))),
        },
        Err(e) => Err(io(e)),
        Ok(_) => {
            let mut files = vec![path.to_path_buf()];
            for suffix in SIDE_FILES {
                let mut side = path.as_os_str().to_owned();
                side.push(suffix);
                files.push(PathBuf::from(side));
            }
            for file in files {
                let Ok(meta) = std::fs::metadata(&file) else {
                    continue;
                };
                if meta.is_file() && meta.permissions().mode() & 0o077 != 0 {
                    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))
                        .map_err(io)?;
                }
            }
            Ok(())
        }
    }
}

/// Why the first read of a journal failed: only a file SQLite says is not a database is
/// "not an ektp journal"; a full, read-only or unreachable disk or a lock is an I/O problem
/// with the journal, which must never be called corrupt.
fn open_failure(path: &Path, source: rusqlite::Error) -> Error {
    use rusqlite::ErrorCode as C;
    let path = path.to_path_buf();
    match source.sqlite_error_code() {
        Some(C::NotADatabase) => Error::NotAJournal { path, source },
        Some(code) => Error::JournalInaccessible {
            path,
            problem: match code {
                C::DiskFull => "the disk is full: free space, then run again",
                C::ReadOnly => "the journal or its directory is read-only: it must be writable",
                C::PermissionDenied => "permission denied: run as the journal's owner",
                C::DatabaseBusy | C::DatabaseLocked => {
                    "another process holds the journal: let it finish"
                }
                C::CannotOpen => {
                    "it, its -wal or -shm file or its directory cannot be opened for writing \
                     (read-only or full disk, permissions?)"
                }
                C::DatabaseCorrupt => {
                    "SQLite reports the database damaged: restore it from the backup"
                }
                _ => "the disk or file system failed (full, read-only, removed?)",
            },
            source,
        },
        None => Error::JournalUnusable { path, source },
    }
}

/// Why a read-only open failed ([`Journal::open_read_only`]): only a file SQLite says is not
/// a database is "not an ektp journal"; permissions, locks and disks say so.
/// The journal's write-ahead log file, `PATH-wal`.
fn wal_file(path: &Path) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-wal");
    std::path::PathBuf::from(name)
}

/// `file:PATH?immutable=1`, with the characters a URI path cannot hold escaped.
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for b in path.as_os_str().as_encoded_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                uri.push(char::from(*b));
            }
            other => uri.push_str(&format!("%{other:02X}")),
        }
    }
    uri.push_str("?immutable=1");
    uri
}

fn read_only_failure(path: &Path, source: rusqlite::Error) -> Error {
    use rusqlite::ErrorCode as C;
    let path = path.to_path_buf();
    match source.sqlite_error_code() {
        Some(C::NotADatabase) => Error::NotAJournal { path, source },
        Some(code) => Error::JournalInaccessible {
            path,
            problem: match code {
                C::PermissionDenied | C::CannotOpen => {
                    "permission denied or the file cannot be opened for reading: the desk needs \
                     read access to the journal (and, while the station writes it, its -wal and \
                     -shm files)"
                }
                C::DatabaseBusy | C::DatabaseLocked => {
                    "the station holds the journal locked: try again in a moment"
                }
                C::DatabaseCorrupt => {
                    "SQLite reports the database damaged: restore it from the backup"
                }
                _ => "the disk or file system failed (removed, unreadable?)",
            },
            source,
        },
        None => Error::JournalUnusable { path, source },
    }
}

impl Journal {
    /// Opens an existing journal for reading only (the pickup desk's `--journal`, reports):
    /// nothing is ever written, not even the journal's `-wal`/`-shm` files when it is not in
    /// use, so a read-only copy, a read-only mount or a file the desk may only read all work.
    /// Without a `-wal` file (no station has it open) it is read as immutable; with one, it
    /// is read shared with the station, which needs its `-shm` file readable.
    ///
    /// # Errors
    /// [`Error::JournalMissing`] if there is no file; [`Error::JournalInaccessible`] (saying
    /// what to do) for permission, lock and disk problems; [`Error::NotAJournal`] or
    /// [`Error::ForeignDatabase`] only for a file that is not a journal;
    /// [`Error::NewerJournal`] for a newer format.
    pub fn open_read_only(path: &Path) -> Result<Self> {
        match std::fs::metadata(path) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::JournalIo {
                    path: path.to_path_buf(),
                    source: std::io::Error::new(
                        e.kind(),
                        "no such file: check the path of the journal",
                    ),
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                return Err(Error::JournalIo {
                    path: path.to_path_buf(),
                    source: std::io::Error::new(
                        e.kind(),
                        "permission denied: the desk needs read access to the journal",
                    ),
                });
            }
            Err(source) => {
                return Err(Error::JournalIo {
                    path: path.to_path_buf(),
                    source,
                });
            }
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        // No -wal file: no station has the journal open (it deletes the -wal when it closes
        // it), and until a station's checkpoint its writes go to a new -wal, not to the main
        // file. Read it as immutable, so SQLite creates no -wal or -shm (which a read-only
        // connection could not remove again) and needs no write access to the directory.
        // With a -wal (a station at work, or one that stopped abruptly), read it shared.
        let target = if wal_file(path).exists() {
            path.to_string_lossy().into_owned()
        } else {
            immutable_uri(path)
        };
        let conn = Connection::open_with_flags(&target, flags)
            .map_err(|source| read_only_failure(path, source))?;
        Self::check_read_only(conn, path)
    }

    /// The checks of [`Journal::setup`] that need no write: an ektp journal of this version.
    fn check_read_only(conn: Connection, path: &Path) -> Result<Self> {
        let ctx = |source| read_only_failure(path, source);
        conn.busy_timeout(BUSY_TIMEOUT).map_err(ctx)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(ctx)?;
        if version > SCHEMA_VERSION {
            return Err(Error::NewerJournal {
                path: path.to_path_buf(),
                version,
            });
        }
        let has_cards: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'cards'",
                [],
                |r| r.get(0),
            )
            .map_err(ctx)?;
        if version < OLDEST_READABLE || has_cards == 0 {
            return Err(Error::ForeignDatabase {
                path: path.to_path_buf(),
            });
        }
        Ok(Self {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// Opens the journal at `path`, creating it (and its schema) if it does not exist. The
    /// journal holds NIKs: it is created with mode 0600, and an existing one others can read
    /// is made 0600.
    ///
    /// # Errors
    /// If the file cannot be opened or created, is not an ektp journal, or was written by a
    /// newer ektp.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(parent) = path.parent()
            && !parent.as_os_str().is_empty()
            && !parent.is_dir()
        {
            return Err(Error::JournalDirectoryMissing {
                path: path.to_path_buf(),
                directory: parent.to_path_buf(),
            });
        }
        make_private(path)?;
        let conn = Connection::open(path).map_err(|source| Error::JournalOpen {
            path: path.to_path_buf(),
            source,
        })?;
        Self::setup(conn, path)
    }

    /// Opens an existing journal; fails if there is none at `path` (for readers of the
    /// journal, e.g. the pickup desk's `--journal`, where a typo must not create an empty one).
    ///
    /// # Errors
    /// As [`Journal::open`], and if the file does not exist.
    pub fn open_existing(path: &Path) -> Result<Self> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|source| Error::JournalMissing {
            path: path.to_path_buf(),
            source,
        })?;
        Self::setup(conn, path)
    }

    fn setup(conn: Connection, path: &Path) -> Result<Self> {
        let ctx = |source| open_failure(path, source);
        conn.busy_timeout(BUSY_TIMEOUT).map_err(ctx)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|source| open_failure(path, source))?;
        if version > SCHEMA_VERSION {
            return Err(Error::NewerJournal {
                path: path.to_path_buf(),
                version,
            });
        }
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(ctx)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::NoWriteAheadLog {
                path: path.to_path_buf(),
                mode,
            });
        }
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
            .map_err(ctx)?;
        if version < SCHEMA_VERSION {
            let has_other_tables: i64 = conn
                .query_row(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' \
                     AND name NOT IN ('cards', 'skipped')",
                    [],
                    |r| r.get(0),
                )
                .map_err(ctx)?;
            if has_other_tables > 0 {
                return Err(Error::ForeignDatabase {
                    path: path.to_path_buf(),
                });
            }
            conn.execute_batch(&format!(
                "BEGIN IMMEDIATE; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            ))
            .map_err(ctx)?;
        }
        Ok(Self {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// Where the journal lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The card issued with `document_number`, if any.
    ///
    /// # Errors
    /// If the database cannot be read.
    pub fn find_issued(&self, document_number: &str) -> Result<Option<IssuedCard>> {
        self.conn
            .query_row(
                &format!(
                    "SELECT {ISSUED_COLUMNS} FROM cards \
                     WHERE state = 'issued' AND document_number = ?1"
                ),
                params![document_number],
                issued_from_row,
            )
            .optional()
            .doing(READ)
    }

    /// The card issued for application `application`, if any.
    ///
    /// # Errors
    /// If the database cannot be read.
    pub fn find_issued_application(&self, application: &str) -> Result<Option<IssuedCard>> {
        self.conn
            .query_row(
                &format!(
                    "SELECT {ISSUED_COLUMNS} FROM cards WHERE state = 'issued' AND application = ?1"
                ),
                params![application],
                issued_from_row,
            )
            .optional()
            .doing(READ)
    }

    /// The card issued on chip `chip_serial` (hex), if any.
    ///
    /// # Errors
    /// If the database cannot be read.
    pub fn find_issued_chip(&self, chip_serial: &str) -> Result<Option<IssuedCard>> {
        self.conn
            .query_row(
                &format!(
                    "SELECT {ISSUED_COLUMNS} FROM cards WHERE state = 'issued' AND chip_serial = ?1"
                ),
                params![chip_serial],
                issued_from_row,
            )
            .optional()
            .doing(READ)
    }

    /// Every issued card, oldest first.
    ///
    /// # Errors
    /// If the database cannot be read.
    pub fn issued(&self) -> Result<Vec<IssuedCard>> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {ISSUED_COLUMNS} FROM cards WHERE state = 'issued' ORDER BY id"
            ))
            .doing(READ)?;
        let rows = stmt.query_map([], issued_from_row).doing(READ)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().doing(READ)
    }

    /// Every issued card with its holder's NIK, oldest first: what a station pushes to the
    /// registry ([`crate::sink`]). The NIK is personal data: never log it.
    ///
    /// # Errors
    /// If the database cannot be read.
    pub fn issued_with_nik(&self) -> Result<Vec<(IssuedCard, String)>> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {ISSUED_COLUMNS}, nik FROM cards WHERE state = 'issued' ORDER BY id"
            ))
            .doing(READ)?;
        let rows = stmt
            .query_map([], |row| Ok((issued_from_row(row)?, row.get(7)?)))
            .doing(READ)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().doing(READ)
    }

    /// Applications being written when the last run stopped (or now, by this run).
    ///
    /// # Errors
    /// If the database cannot be read.
    pub fn in_progress(&self) -> Result<Vec<InProgress>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, application, chip_serial, document_number, started_at FROM cards \
                 WHERE state = 'in_progress' ORDER BY id",
            )
            .doing(READ)?;
        let rows = stmt
            .query_map([], |row| {
                Ok(InProgress {
                    id: row.get(0)?,
                    application: row.get(1)?,
                    chip_serial: row.get(2)?,
                    document_number: row.get(3)?,
                    started_at: row.get(4)?,
                })
            })
            .doing(READ)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().doing(READ)
    }

    /// Records, durably, that `start.application` is about to be written on chip
    /// `start.chip_serial`. Returns the row id to finish.
    ///
    /// # Errors
    /// If the application, its document number or the chip is already issued, or another
    /// application is open on the chip (or this application on another chip) — the journal
    /// refuses anything that could issue an application twice — or the write fails.
    pub fn begin(&mut self, start: &Start<'_>) -> Result<i64> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .doing(WRITE)?;
        refuse_clash(&tx, start)?;
        tx.execute(
            &format!(
                "INSERT INTO cards (application, chip_serial, document_number, nik, state, \
                 started_at) VALUES (?1, ?2, ?3, ?4, 'in_progress', {NOW})"
            ),
            params![
                start.application,
                start.chip_serial,
                start.document_number,
                start.nik
            ],
        )
        .doing(WRITE)?;
        let id = tx.last_insert_rowid();
        tx.commit().doing(WRITE)?;
        Ok(id)
    }

    /// Records the open row `id` as issued.
    ///
    /// # Errors
    /// If the row is not open, or the write fails.
    pub fn finish_issued(
        &mut self,
        id: i64,
        sod_sha256: &str,
        signer: &SignerId,
    ) -> Result<IssuedCard> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .doing(WRITE)?;
        close_row(
            &tx,
            "state = 'issued', sod_sha256 = ?2, signer = ?3, signer_sha256 = ?4",
            params![id, sod_sha256, signer.subject, signer.sha256],
            (id, "issued", RECORD),
        )?;
        let card = tx
            .query_row(
                &format!("SELECT {ISSUED_COLUMNS} FROM cards WHERE id = ?1"),
                params![id],
                issued_from_row,
            )
            .doing(READ)?;
        tx.commit().doing(RECORD)?;
        Ok(card)
    }

    /// Records the open row `id` as failed with `reason` (no personal data in it).
    ///
    /// # Errors
    /// If the row is not open, or the write fails.
    pub fn finish_failed(&mut self, id: i64, reason: &str) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .doing(WRITE)?;
        close_row(
            &tx,
            "state = 'failed', reason = ?2",
            params![id, reason],
            (id, "failed", WRITE),
        )?;
        tx.commit().doing(WRITE)?;
        Ok(())
    }

    /// Records that `application` was not written by this station, and why (the registry
    /// gave it to another station). No chip was touched.
    ///
    /// # Errors
    /// If the write fails.
    pub fn record_skipped(
        &mut self,
        application: &str,
        document_number: &str,
        reason: &str,
    ) -> Result<()> {
        self.conn
            .execute(
                &format!(
                    "INSERT INTO skipped (application, document_number, reason, skipped_at) \
                     VALUES (?1, ?2, ?3, {NOW})"
                ),
                params![application, document_number, reason],
            )
            .doing(WRITE)?;
        Ok(())
    }

    /// Applications skipped, oldest first: (application, document number, reason). Empty for
    /// a journal of an older format opened read-only.
    ///
    /// # Errors
    /// If the database cannot be read.
    pub fn skipped(&self) -> Result<Vec<(String, String, String)>> {
        let has_table: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'skipped'",
                [],
                |r| r.get(0),
            )
            .doing(READ)?;
        if has_table == 0 {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare("SELECT application, document_number, reason FROM skipped ORDER BY id")
            .doing(READ)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .doing(READ)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().doing(READ)
    }
}

/// Refuses to open a row for `start` when its chip was abandoned, or when its application,
/// document number or chip is already issued, or its application or chip is open elsewhere:
/// the journal never lets an application be issued twice.
fn refuse_clash(tx: &rusqlite::Transaction<'_>, start: &Start<'_>) -> Result<()> {
    if chip_abandoned(tx, start.chip_serial)? {
        return Err(Error::AbandonedChip {
            chip_serial: start.chip_serial.to_owned(),
        });
    }
    let clash: Option<(String, String, String, String)> = tx
        .query_row(
            "SELECT state, application, document_number, chip_serial FROM cards \
             WHERE (state = 'issued' AND (application = ?1 OR document_number = ?2 \
                                          OR chip_serial = ?3)) \
                OR (state = 'in_progress' AND (application = ?1 OR chip_serial = ?3)) \
             LIMIT 1",
            params![start.application, start.document_number, start.chip_serial],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()
        .doing(READ)?;
    match clash {
        Some((state, application, document_number, chip_serial)) => Err(Error::JournalRefuses {
            application: start.application.to_owned(),
            chip_serial: start.chip_serial.to_owned(),
            existing: Box::new(Existing {
                application,
                document_number,
                state: state.replace('_', " "),
                chip_serial,
            }),
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_journal(name: &str) -> (PathBuf, Journal) {
        let dir =
            std::env::temp_dir().join(format!("ektp-journal-unit-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("journal.sqlite");
        let j = Journal::open(&path).unwrap();
        (dir, j)
    }

    fn start<'a>(app: &'a str, chip: &'a str, doc: &'a str) -> Start<'a> {
        Start {
            application: app,
            chip_serial: chip,
            document_number: doc,
            nik: "3273011708850001",
        }
    }

    fn signer() -> SignerId {
        SignerId {
            subject: "CN=DS".to_owned(),
            sha256: "ab".repeat(32),
        }
    }

    #[test]
    fn an_application_is_issued_once_and_survives_reopening() {
        let (dir, mut j) = temp_journal("once");
        let id = j.begin(&start("a.json", "01", "IDA000001")).unwrap();
        assert_eq!(j.in_progress().unwrap().len(), 1);
        let card = j.finish_issued(id, &"cd".repeat(32), &signer()).unwrap();
        assert_eq!(card.chip_serial, "01");
        assert!(card.issued_at.ends_with('Z'));
        assert!(j.in_progress().unwrap().is_empty());
        drop(j);

        let mut j = Journal::open(&dir.join("journal.sqlite")).unwrap();
        assert_eq!(j.find_issued("IDA000001").unwrap(), Some(card.clone()));
        assert_eq!(j.issued().unwrap(), vec![card]);
        // Same application, same document number or same chip again: refused.
        for s in [
            start("a.json", "02", "IDA000002"),
            start("b.json", "02", "IDA000001"),
            start("b.json", "01", "IDA000002"),
        ] {
            let e = j.begin(&s).unwrap_err().to_string();
            assert!(e.contains("refuses"), "{e}");
        }
        assert_eq!(j.issued().unwrap().len(), 1);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn the_desk_reads_a_journal_without_writing_next_to_it() {
        let (dir, mut j) = temp_journal("readonly");
        let id = j.begin(&start("a.json", "01", "IDA000001")).unwrap();
        let card = j.finish_issued(id, &"cd".repeat(32), &signer()).unwrap();
        drop(j);
        let path = dir.join("journal.sqlite");
        let before = std::fs::read(&path).unwrap();
        let r = Journal::open_read_only(&path).unwrap();
        assert_eq!(r.find_issued("IDA000001").unwrap(), Some(card.clone()));
        drop(r);
        assert_eq!(std::fs::read(&path).unwrap(), before);
        assert!(!wal_file(&path).exists());
        assert!(!dir.join("journal.sqlite-shm").exists());
        // While a station has it open (a -wal exists), it is read shared: rows in the -wal
        // are seen too.
        let mut station = Journal::open(&path).unwrap();
        let id = station.begin(&start("b.json", "02", "IDA000002")).unwrap();
        station
            .finish_issued(id, &"ef".repeat(32), &signer())
            .unwrap();
        let r = Journal::open_read_only(&path).unwrap();
        assert!(r.find_issued("IDA000002").unwrap().is_some());
        drop(r);
        drop(station);
        // Not a journal, or not there: said so, never created.
        let other = dir.join("other.txt");
        std::fs::write(&other, b"not sqlite at all, just text that is long enough").unwrap();
        let e = Journal::open_read_only(&other).unwrap_err().to_string();
        assert!(e.contains("not an ektp journal"), "{e}");
        let missing = dir.join("missing.sqlite");
        assert!(Journal::open_read_only(&missing).is_err());
        assert!(!missing.exists());
        // An empty SQLite database is not a journal either, and stays unchanged.
        let empty = dir.join("empty.sqlite");
        rusqlite::Connection::open(&empty)
            .unwrap()
            .execute_batch("CREATE TABLE t (x); ")
            .unwrap();
        assert!(matches!(
            Journal::open_read_only(&empty),
            Err(Error::ForeignDatabase { .. })
        ));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn an_open_row_blocks_its_chip_and_application_until_finished() {
        let (dir, mut j) = temp_journal("open");
        let id = j.begin(&start("a.json", "01", "IDA000001")).unwrap();
        assert!(j.begin(&start("b.json", "01", "IDA000002")).is_err());
        assert!(j.begin(&start("a.json", "02", "IDA000001")).is_err());
        j.finish_failed(id, "read-back verification failed")
            .unwrap();
        // Finishing twice is refused.
        assert!(j.finish_failed(id, "again").is_err());
        assert!(j.finish_issued(id, "00", &signer()).is_err());
        // After a failure the application goes on another card.
        let id2 = j.begin(&start("a.json", "02", "IDA000001")).unwrap();
        j.finish_issued(id2, "00", &signer()).unwrap();
        assert_eq!(j.issued().unwrap().len(), 1);
        assert!(j.in_progress().unwrap().is_empty());
        let failed: i64 = j
            .conn
            .query_row(
                "SELECT count(*) FROM cards WHERE state = 'failed'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(failed, 1);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn the_database_itself_refuses_a_second_issue() {
        let (dir, j) = temp_journal("unique");
        let insert = |app: &str, chip: &str, doc: &str| {
            j.conn.execute(
                "INSERT INTO cards (application, chip_serial, document_number, nik, state, \
                 sod_sha256, signer, started_at, finished_at) \
                 VALUES (?1, ?2, ?3, 'x', 'issued', 's', 'd', 't', 't')",
                params![app, chip, doc],
            )
        };
        insert("a", "01", "D1").unwrap();
        assert!(insert("a", "02", "D2").is_err());
        assert!(insert("b", "01", "D2").is_err());
        assert!(insert("b", "02", "D1").is_err());
        insert("b", "02", "D2").unwrap();
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn settings_are_durable_and_foreign_files_are_refused() {
        let (dir, j) = temp_journal("pragmas");
        let mode: String = j
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let sync: i64 = j
            .conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 2, "synchronous=FULL");
        let text = dir.join("notes.txt");
        std::fs::write(&text, "not a database, just some text that is long enough").unwrap();
        let e = Journal::open(&text).unwrap_err().to_string();
        assert!(e.contains("not an ektp journal"), "{e}");
        let missing = dir.join("missing.sqlite");
        assert!(Journal::open_existing(&missing).is_err());
        assert!(!missing.exists());
        let e = Journal::open(&dir.join("no-such-dir/j.sqlite"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("does not exist"), "{e}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::MetadataExt as _;
        std::fs::metadata(path).unwrap().mode() & 0o777
    }

    #[test]
    fn journal_is_private() {
        let (dir, mut j) = temp_journal("private");
        j.begin(&start("a.json", "01", "IDA000001")).unwrap();
        let path = dir.join("journal.sqlite");
        for file in ["journal.sqlite", "journal.sqlite-wal", "journal.sqlite-shm"] {
            let f = dir.join(file);
            assert!(f.exists(), "{file}");
            assert_eq!(mode(&f), 0o600, "{file} holds NIKs");
        }
        drop(j);
        // A journal an older ektp left readable by others is made private when opened.
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o644))
            .unwrap();
        drop(Journal::open(&path).unwrap());
        assert_eq!(mode(&path), 0o600);
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// A journal the station cannot open for writing (here: SQLite cannot open its write-ahead
    /// log, which a directory stands in the way of — the same `SQLITE_CANTOPEN` as a read-only
    /// disk or a denied permission, which would not stop root) is reported as an I/O problem,
    /// not as a file that is not a journal.
    #[test]
    fn unwritable_journal_is_not_called_corrupt() {
        let (dir, mut j) = temp_journal("unwritable");
        j.begin(&start("a.json", "01", "IDA000001")).unwrap();
        drop(j);
        let path = dir.join("journal.sqlite");
        let wal = dir.join("journal.sqlite-wal");
        let _ = std::fs::remove_file(&wal);
        std::fs::create_dir(&wal).unwrap();
        for e in [
            Journal::open(&path).unwrap_err(),
            Journal::open_existing(&path).unwrap_err(),
        ] {
            assert!(!matches!(e, Error::NotAJournal { .. }), "{e:?}");
            let text = e.to_string();
            assert!(!text.contains("not an ektp journal"), "{text}");
            assert!(text.contains(&path.display().to_string()), "{text}");
        }
        std::fs::remove_dir(&wal).unwrap();
        // The journal itself is intact.
        let j = Journal::open_existing(&path).unwrap();
        assert_eq!(j.in_progress().unwrap().len(), 1);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_format_1_journal_is_read_as_is_and_upgraded_when_opened_to_write() {
        let (dir, mut j) = temp_journal("format1");
        j.begin(&start("a.json", "01", "IDA000001")).unwrap();
        j.record_skipped("b.json", "IDA000002", "taken elsewhere")
            .unwrap();
        assert_eq!(
            j.skipped().unwrap(),
            [(
                "b.json".to_owned(),
                "IDA000002".to_owned(),
                "taken elsewhere".to_owned()
            )]
        );
        // Make it what an older ektp wrote: format 1, no skipped table.
        j.conn
            .execute_batch("DROP TABLE skipped; PRAGMA user_version = 1;")
            .unwrap();
        drop(j);
        let path = dir.join("journal.sqlite");
        let old = Journal::open_read_only(&path).unwrap();
        assert_eq!(old.in_progress().unwrap().len(), 1);
        assert!(old.skipped().unwrap().is_empty());
        drop(old);
        let mut j = Journal::open(&path).unwrap();
        let version: i64 = j
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        j.record_skipped("c.json", "IDA000003", "r").unwrap();
        assert_eq!(j.skipped().unwrap().len(), 1);
        assert_eq!(j.in_progress().unwrap().len(), 1);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn debug_output_never_shows_the_nik() {
        let s = start("a.json", "01", "IDA000001");
        assert!(!format!("{s:?}").contains("3273011708850001"));
    }
}

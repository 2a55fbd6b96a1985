//! The station's one error type.

use std::path::PathBuf;

use crate::journal::Existing;

/// Everything that stops a batch, or a journal operation, before it is done.
///
/// The journal keeps what was done, so a batch stopped by any of these resumes when it is run
/// again. No variant holds a NIK or a key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The queue directory cannot be read.
    #[error("cannot read queue directory {} (give a directory of application JSON files)", path.display())]
    QueueUnreadable {
        /// The queue directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The queue directory has more entries than [`crate::queue::MAX_QUEUE_ENTRIES`].
    #[error("queue directory {} has more than {limit} entries: split it", path.display())]
    QueueTooLarge {
        /// The queue directory.
        path: PathBuf,
        /// The limit.
        limit: usize,
    },
    /// The journal's directory does not exist (a typo must not create a journal elsewhere).
    #[error("cannot create journal {}: directory {} does not exist", path.display(), directory.display())]
    JournalDirectoryMissing {
        /// The journal file.
        path: PathBuf,
        /// Its missing directory.
        directory: PathBuf,
    },
    /// The journal cannot be opened or created.
    #[error("cannot open journal {}", path.display())]
    JournalOpen {
        /// The journal file.
        path: PathBuf,
        /// Why.
        #[source]
        source: rusqlite::Error,
    },
    /// The journal (or its directory) could not be examined, created or made private.
    #[error("cannot open journal {}", path.display())]
    JournalIo {
        /// The journal file.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// The journal exists but SQLite cannot read or write it: a disk, permission or lock
    /// problem, not a damaged or foreign file.
    #[error("cannot use journal {}: {problem}", path.display())]
    JournalInaccessible {
        /// The journal file.
        path: PathBuf,
        /// What is wrong and what to do.
        problem: &'static str,
        /// What SQLite said.
        #[source]
        source: rusqlite::Error,
    },
    /// An existing journal was asked for, and none could be opened there.
    #[error("cannot open journal {} (does it exist?)", path.display())]
    JournalMissing {
        /// The journal file.
        path: PathBuf,
        /// Why.
        #[source]
        source: rusqlite::Error,
    },
    /// The file is not an SQLite database.
    #[error("{} is not an ektp journal (not an SQLite database)", path.display())]
    NotAJournal {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: rusqlite::Error,
    },
    /// An SQLite database that holds other tables than a journal's.
    #[error("{} is an SQLite database but not an ektp journal: choose another path", path.display())]
    ForeignDatabase {
        /// The file.
        path: PathBuf,
    },
    /// The journal was written by a newer version.
    #[error("journal {} was written by a newer ektp (format {version}): upgrade ektp", path.display())]
    NewerJournal {
        /// The journal file.
        path: PathBuf,
        /// Its format version.
        version: i64,
    },
    /// The journal cannot use write-ahead logging (e.g. on a network file system).
    #[error("journal {} cannot use write-ahead logging (journal_mode is {mode}): put it on a local disk", path.display())]
    NoWriteAheadLog {
        /// The journal file.
        path: PathBuf,
        /// The journal mode SQLite chose instead.
        mode: String,
    },
    /// The journal cannot be set up.
    #[error("journal {} is not usable", path.display())]
    JournalUnusable {
        /// The journal file.
        path: PathBuf,
        /// Why.
        #[source]
        source: rusqlite::Error,
    },
    /// Reading or writing the journal failed.
    #[error("{action}")]
    Journal {
        /// What was being done.
        action: &'static str,
        /// Why it failed.
        #[source]
        source: rusqlite::Error,
    },
    /// The journal refuses to start an application that could then be issued twice.
    #[error(
        "journal refuses to start application {application} on chip {chip_serial}: it has \
         application {} (document {}) {} on chip {}",
        existing.application, existing.document_number, existing.state, existing.chip_serial
    )]
    JournalRefuses {
        /// The application asked for.
        application: String,
        /// The chip asked for, hex.
        chip_serial: String,
        /// The row it clashes with.
        existing: Box<Existing>,
    },
    /// A journal row was finished twice.
    #[error("journal row {row} is not in progress: cannot record it as {outcome}")]
    NotInProgress {
        /// The row.
        row: i64,
        /// `issued` or `failed`.
        outcome: &'static str,
    },
    /// Another batch holds the journal or the reader.
    #[error("another `ektp batch` is already running with {what}: let it finish or stop it first")]
    Busy {
        /// `journal PATH` or `reader "NAME"`.
        what: String,
    },
    /// The lock that keeps a second batch out could not be taken.
    #[error("cannot take the batch lock")]
    Lock(#[source] std::io::Error),
    /// `--abandon` named a chip with no unfinished card.
    #[error("--abandon {chip_serial}: the journal has no unfinished card with that chip serial")]
    NothingToAbandon {
        /// The chip serial given.
        chip_serial: String,
    },
    /// The chip was abandoned (`--abandon`): it must never be written or handed out.
    #[error(
        "abandoned chip: destroy it (the journal records chip {chip_serial} as abandoned; it must never be written or handed out)"
    )]
    AbandonedChip {
        /// The chip, hex.
        chip_serial: String,
    },
    /// The application (or its document number) is already issued; a second card needs
    /// `--reissue REASON`.
    #[error(
        "application {application} is already issued: document {document_number} on chip          {chip_serial} ({issued_at}); nothing was written. If that card was lost, stolen or          spoilt before it was handed out, issue a replacement with --reissue REASON          (docs/printing-station.md)"
    )]
    AlreadyIssued {
        /// The application the journal records the card for.
        application: String,
        /// Its document number.
        document_number: String,
        /// The chip it is on, hex.
        chip_serial: String,
        /// When it was issued.
        issued_at: String,
    },
    /// The document number is issued under another application id: a reissue cannot help.
    #[error(
        "document number {document_number} is already issued as application {issued_as}, not          {application}: fix or rename the application file (nothing was written)"
    )]
    DocumentIssuedElsewhere {
        /// The application asked for.
        application: String,
        /// Its document number.
        document_number: String,
        /// The application the journal has it under.
        issued_as: String,
    },
    /// `--reissue` for an application the journal has no issued card for.
    #[error(
        "cannot reissue application {application}: the journal has no card issued for it with document {document_number}"
    )]
    NothingToReissue {
        /// The application.
        application: String,
        /// Its document number.
        document_number: String,
    },
    /// A card was left half-written with an application this queue does not (validly) hold.
    #[error(
        "application {application} was being written on chip {chip_serial} when the last batch \
         stopped, but it is not a valid application of this queue: run the batch on the queue \
         that holds it, or, if that card is lost or destroyed, --abandon {chip_serial}"
    )]
    UnfinishedElsewhere {
        /// The application.
        application: String,
        /// The chip, hex.
        chip_serial: String,
    },
    /// A batch was given no reader.
    #[error("no card reader to run the batch on: give --reader (or `readers` in the config)")]
    NoReaders,
    /// [`crate::MAX_CONSECUTIVE_FAILURES`] cards failed in a row: the station is at fault.
    #[error(
        "{} in a row failed (last: {reason}): check the station (keys, trust store, \
         card batch) before going on; run the batch again to resume",
        ektp::plural(u64::from(*count), "card", "cards")
    )]
    TooManyFailures {
        /// How many.
        count: u32,
        /// The last reason.
        reason: String,
    },
    /// The reader swapped cards between two commands.
    #[error(
        "chip serial changed during personalization ({before} then {after}): set both cards \
         aside and run the batch again"
    )]
    SerialChanged {
        /// The serial read before writing.
        before: String,
        /// The serial read back.
        after: String,
    },
    /// The card in the reader cannot be talked to.
    #[error("{0}")]
    Card(#[source] ektp::Error),
    /// The card source (reader) failed.
    #[error("{0}")]
    Source(#[source] Box<dyn std::error::Error + Send + Sync + 'static>),
}

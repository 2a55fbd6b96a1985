#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod batch;
mod error;
pub mod event;
pub mod issue;
pub mod journal;
pub mod lock;
pub mod multi;
pub mod queue;
pub mod sink;
mod source;
mod words;

pub use batch::{Batch, Events, Limits, MAX_CONSECUTIVE_FAILURES, MAX_FAILURES_PER_APPLICATION};
pub use error::Error;
pub use event::{
    CardOutcome, Event, FromReader, ReaderStopped, Refusal, Status, Summary, Unfinished,
};
pub use issue::{Issued, Job};
pub use journal::{IssuedCard, Journal, SignerId};
pub use lock::RunLock;
pub use multi::ReaderEvents;
pub use queue::{Queue, Queued, Rejected};
pub use sink::{Claim, RegistrySink, SinkError, SyncReport, sync};
pub use source::CardSource;

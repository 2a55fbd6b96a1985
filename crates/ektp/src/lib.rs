#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod application;
pub mod contents;
pub mod eac;
mod error;
pub mod fingerprint;
pub mod personalize;
pub mod read;
mod reason;
pub mod revocation;
pub mod session;
pub mod trace;
pub mod verify;
pub mod view;

pub use application::{ApplicationDir, load_application};
pub use contents::{CardFiles, ReadRequest};
pub use eac::{ChipAuthenticated, Terminal, TerminalAuthenticated};
pub use error::Error;
pub use personalize::{PersoKeySource, Personalized, Station, Step};
pub use read::ReadPolicy;
pub use session::{Card, Lifecycle, PersoSession, SecureSession};
pub use trace::{Stats, Traced};
pub use verify::{
    CheckKind, CheckResult, Message, REASON_IDS, RevocationList, Status, VerifyPolicy, VerifyReport,
};
pub use view::{CardFields, Field, HolderView, ImageView, format_utc, plural};

/// Re-exported so callers need not depend on the lower crates for the common types.
pub use ektp_lds::{Application, HolderRecord};
pub use ektp_pki::TrustStore;
pub use ektp_sm::Can;

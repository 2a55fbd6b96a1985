#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod apdu;
pub mod cursor;
pub mod file;
pub mod ins;
pub mod sw;
pub mod tlv;
pub mod transport;

mod error;

pub use apdu::{ApduError, Case, CommandApdu, ResponseApdu};
pub use cursor::{DecodeError, DecodeErrorKind};
pub use error::Error;
pub use file::{Fid, Sfi};
pub use ins::Ins;
pub use sw::StatusWord;
pub use transport::{CardTransport, TransportError};

#![doc = include_str!("../README.md")]

mod card;
mod context;
mod error;
mod reader;

pub use card::{
    CardStatus, Disposition, PcscCard, PcscTransaction, Protocol, RECEIVE_BUFFER_LEN, Share,
};
pub use context::PcscContext;
pub use error::{Operation, PcscError, WaitEvent};
pub use reader::{CardPresence, ReaderInfo, ReaderSelector};

#![doc = include_str!("../README.md")]

pub mod card;
mod error;
pub mod inprocess;
pub mod link;
pub mod os;
pub mod testcard;
pub mod vpcd;

pub use os::{Chip, ChipError, ChipFaults, ChipProfile, Lifecycle};

#![doc = include_str!("../README.md")]

pub mod card;
pub mod inprocess;
pub mod testcard;
pub mod vpcd;

#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod error;
pub mod extract;
mod finger;
pub mod image;
pub mod iso19794_2;
pub mod matching;
#[cfg(feature = "synth")]
pub mod synth;

pub use error::Error;
pub use extract::QualityGate;
pub use finger::FingerPosition;
pub use image::GrayImage;
pub use iso19794_2::FingerMinutiaeRecord;
pub use matching::{AttemptLimit, Decision, MatchOutcome, MatchSession, Score, Threshold, score};

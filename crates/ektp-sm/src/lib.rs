#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod aa;
pub mod ca;
pub mod card_access;
pub mod curve;
mod error;
pub mod kdf;
pub mod pace;
mod password;
pub mod perso;
mod rng;
pub mod sm;
pub mod ta;

pub use curve::{DomainParameters, EcPoint};
pub use error::{EacStep, Error, PaceStep, PointError};
pub use kdf::{AesKey, CipherSuite};
pub use pace::{PaceParams, SessionKeys};
pub use password::{Can, PacePassword, PasswordRef};
#[doc(hidden)]
pub use rng::FixedRandomness;
pub use sm::{CardSm, HostSm, Ssc};

//! One module per subcommand.

pub mod check;
pub mod cvc;
pub mod demo;
pub mod docs;
pub mod face;
pub mod journal;
pub mod personalize;
pub mod pki;
pub mod read;
pub mod readers;
pub mod serve;
pub mod sim;
pub mod verify;

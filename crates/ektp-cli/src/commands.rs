//! One module per subcommand.

pub mod check;
pub mod cvc;
pub mod demo;
pub mod docs;
pub mod face;
pub mod journal;
pub mod r#match;
pub mod personalize;
pub mod pki;
pub mod read;
pub mod readers;
pub mod registry;
pub mod registry_submit;
pub mod revocation;
pub mod serve;
pub mod sim;
pub mod verify;
pub mod verify_registry;

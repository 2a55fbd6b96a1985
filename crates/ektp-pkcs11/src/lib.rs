#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod cert;
mod error;
mod master;
mod pin;
mod signer;
mod token;
pub mod uri;

pub use cert::Pkcs11CertKey;
pub use error::{KeyPurpose, ObjectSummary, PinTries, Pkcs11Error, Result, Unsuitable};
pub use master::Pkcs11MasterKey;
pub use pin::{MAX_PIN_FILE_LEN, Pin};
pub use signer::{KeyCurve, Pkcs11CvSigner, Pkcs11Signer};
pub use token::{MAX_LISTED_OBJECTS, Module, Token};
pub use uri::{ObjectType, Pkcs11Uri};

#[cfg(test)]
mod tests {
    /// A station signs and diversifies from worker threads: the token-held keys cross threads.
    #[test]
    fn keys_are_send_and_sync() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<crate::Token>();
        send_sync::<crate::Pkcs11Signer>();
        send_sync::<crate::Pkcs11CvSigner>();
        send_sync::<crate::Pkcs11MasterKey>();
        send_sync::<crate::Pkcs11CertKey>();
        send_sync::<crate::Pin>();
        send_sync::<crate::Pkcs11Error>();
    }
}

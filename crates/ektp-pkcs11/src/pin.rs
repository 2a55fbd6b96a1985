//! The user PIN: typed, zeroized, never printed.

use core::fmt;
use std::path::Path;

use zeroize::Zeroizing;

use crate::error::{Pkcs11Error, Result};

/// The largest PIN file read.
pub const MAX_PIN_FILE_LEN: u64 = 256;

/// A token's user PIN. Zeroized on drop; `Debug` prints `Pin(<redacted>)`; no error of this
/// crate contains it.
#[derive(Clone)]
pub struct Pin(Zeroizing<String>);

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pin(<redacted>)")
    }
}

impl Pin {
    /// A PIN typed at a prompt (one trailing newline removed).
    ///
    /// # Errors
    /// [`Pkcs11Error::PinInvalid`] if it is empty.
    pub fn new(pin: String) -> Result<Self> {
        let mut pin = Zeroizing::new(pin);
        for suffix in ["\n", "\r"] {
            if pin.ends_with(suffix) {
                pin.pop();
            }
        }
        if pin.is_empty() {
            return Err(Pkcs11Error::PinInvalid);
        }
        Ok(Self(pin))
    }

    /// Reads the PIN from a file (`--pin-file`, or a URI's `pin-source`): its first line. The
    /// file must not be readable by group or others (as `ektp_fs::read_secret` requires).
    ///
    /// # Errors
    /// [`Pkcs11Error::PinFile`] if it cannot be read, is too large or is shared;
    /// [`Pkcs11Error::PinInvalid`] if it is empty or not UTF-8.
    pub fn from_file(path: &Path) -> Result<Self> {
        let bytes = ektp_fs::read_secret(path, MAX_PIN_FILE_LEN)?;
        let text = core::str::from_utf8(&bytes).map_err(|_| Pkcs11Error::PinInvalid)?;
        let line = text.lines().next().unwrap_or("");
        Self::new(line.to_owned())
    }

    pub(crate) fn auth(&self) -> cryptoki::types::AuthPin {
        cryptoki::types::AuthPin::from(self.0.as_str().to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_and_empty_is_refused() {
        let p = Pin::new("123456\n".into()).unwrap();
        assert_eq!(format!("{p:?}"), "Pin(<redacted>)");
        assert!(matches!(
            Pin::new("\n".into()),
            Err(Pkcs11Error::PinInvalid)
        ));
    }
}

//! PACE passwords: the CAN (our cards) and the MRZ (ICAO worked examples, passports).

use core::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::Error;

/// The Card Access Number: exactly six decimal digits printed on the card.
///
/// Zeroized on drop; `Debug` never shows the digits.
///
/// ```
/// use ektp_sm::Can;
/// let can: Can = "123456".parse()?;
/// assert_eq!(format!("{can:?}"), "Can(******)");
/// assert!("12345".parse::<Can>().is_err());
/// # Ok::<(), ektp_sm::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Can([u8; 6]);

impl Can {
    /// Validates six ASCII digits.
    ///
    /// # Errors
    /// [`Error::InvalidCan`] unless `digits` is exactly six characters `0`-`9`.
    pub fn new(digits: &str) -> Result<Self, Error> {
        let bytes: [u8; 6] = digits
            .as_bytes()
            .try_into()
            .map_err(|_| Error::InvalidCan)?;
        if bytes.iter().all(u8::is_ascii_digit) {
            Ok(Self(bytes))
        } else {
            Err(Error::InvalidCan)
        }
    }

    /// The digits as ASCII bytes (the PACE password encoding f(π), ICAO 9303-11 §9.7.3).
    ///
    /// Handle with care: this is the secret.
    pub fn expose_ascii(&self) -> &[u8; 6] {
        &self.0
    }
}

impl core::str::FromStr for Can {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::new(s)
    }
}

impl fmt::Debug for Can {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Can(******)")
    }
}

/// Password reference in MSE:Set AT tag `83` (ICAO 9303-11 §4.4.4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PasswordRef {
    /// `01`: MRZ.
    Mrz,
    /// `02`: CAN.
    Can,
}

impl PasswordRef {
    /// The byte in tag `83`.
    pub const fn to_byte(self) -> u8 {
        match self {
            Self::Mrz => 0x01,
            Self::Can => 0x02,
        }
    }

    /// Parses the byte in tag `83`; PIN/PUK (`03`/`04`) are not supported.
    pub const fn from_byte(b: u8) -> Option<Self> {
        match b {
            0x01 => Some(Self::Mrz),
            0x02 => Some(Self::Can),
            _ => None,
        }
    }
}

/// A PACE password π together with its reference, already encoded as f(π)
/// (ICAO 9303-11 §9.7.3): the CAN's ASCII digits, or SHA-1 of the MRZ information.
///
/// Zeroized on drop; `Debug` shows only the reference.
#[derive(Clone)]
pub struct PacePassword {
    reference: PasswordRef,
    encoded: Zeroizing<Vec<u8>>,
}

impl PacePassword {
    /// The CAN as password (reference `02`).
    pub fn from_can(can: &Can) -> Self {
        Self {
            reference: PasswordRef::Can,
            encoded: Zeroizing::new(can.expose_ascii().to_vec()),
        }
    }

    /// The MRZ as password (reference `01`): `mrz_information` is document number, date of
    /// birth and date of expiry, each followed by its check digit (ICAO 9303-11 §9.7.2),
    /// e.g. `"T22000129364081251010318"`. f(π) = SHA-1(mrz_information).
    pub fn from_mrz_information(mrz_information: &str) -> Self {
        let digest = ring::digest::digest(
            &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
            mrz_information.as_bytes(),
        );
        Self {
            reference: PasswordRef::Mrz,
            encoded: Zeroizing::new(digest.as_ref().to_vec()),
        }
    }

    /// Which password this is.
    pub fn reference(&self) -> PasswordRef {
        self.reference
    }

    /// f(π), the input to KDF_π. Secret.
    pub(crate) fn encoded(&self) -> &[u8] {
        &self.encoded
    }
}

impl From<&Can> for PacePassword {
    fn from(can: &Can) -> Self {
        Self::from_can(can)
    }
}

impl fmt::Debug for PacePassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PacePassword({:?}, <redacted>)", self.reference)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_validation() {
        assert!(Can::new("000000").is_ok());
        assert!(Can::new("12345").is_err());
        assert!(Can::new("1234567").is_err());
        assert!(Can::new("12345a").is_err());
        assert!(Can::new("١٢٣٤٥٦").is_err());
    }

    #[test]
    fn debug_is_redacted() {
        let can = Can::new("987654").unwrap();
        assert!(!format!("{can:?}").contains("987654"));
        let pw = PacePassword::from_can(&can);
        let dbg = format!("{pw:?}");
        assert!(!dbg.contains("987654") && !dbg.contains("39"), "{dbg}");
    }

    #[test]
    fn mrz_key_seed_matches_icao_appendix_g() {
        // ICAO 9303-11 Appendix G: K = SHA-1 of the MRZ information.
        let pw = PacePassword::from_mrz_information("T22000129364081251010318");
        assert_eq!(
            hex::encode_upper(pw.encoded()),
            "7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD"
        );
    }
}

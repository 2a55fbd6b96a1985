//! File identifiers (ISO/IEC 7816-4 §7.1.1) and short EF identifiers (§7.2.2).

use crate::cursor::{DecodeError, DecodeErrorKind};
use core::fmt;

/// A two-byte file identifier.
///
/// `3FFF` (reserved for path selection) and `FFFF` (reserved for future use) are rejected.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fid(u16);

impl Fid {
    /// The master file.
    pub const MF: Self = Self(0x3F00);

    /// A validated file identifier.
    ///
    /// # Errors
    /// [`DecodeErrorKind::Invalid`] for the reserved values `3FFF` and `FFFF`.
    pub const fn new(fid: u16) -> Result<Self, DecodeError> {
        match fid {
            0x3FFF | 0xFFFF => Err(DecodeError::new(
                DecodeErrorKind::Invalid("file identifier"),
                0,
            )),
            _ => Ok(Self(fid)),
        }
    }

    /// The identifier's value.
    pub const fn value(self) -> u16 {
        self.0
    }

    /// The identifier's two bytes.
    pub const fn to_bytes(self) -> [u8; 2] {
        self.0.to_be_bytes()
    }
}

impl fmt::Debug for Fid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fid({:04X})", self.0)
    }
}

impl fmt::Display for Fid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04X}", self.0)
    }
}

/// A short EF identifier, 1 to 30.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sfi(u8);

impl Sfi {
    /// A validated short EF identifier.
    ///
    /// # Errors
    /// [`DecodeErrorKind::Invalid`] outside 1..=30.
    pub const fn new(sfi: u8) -> Result<Self, DecodeError> {
        match sfi {
            1..=30 => Ok(Self(sfi)),
            _ => Err(DecodeError::new(
                DecodeErrorKind::Invalid("short EF identifier"),
                0,
            )),
        }
    }

    /// The identifier's value.
    pub const fn value(self) -> u8 {
        self.0
    }

    /// P1 of a READ BINARY that selects this EF (`100x xxxx`, ISO 7816-4 §11.2.2).
    pub const fn read_binary_p1(self) -> u8 {
        0x80 | self.0
    }
}

impl fmt::Debug for Sfi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sfi({:02X})", self.0)
    }
}

impl fmt::Display for Sfi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02X}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fid_and_sfi_ranges() {
        assert!(Fid::new(0x3FFF).is_err());
        assert!(Fid::new(0xFFFF).is_err());
        assert_eq!(Fid::new(0x011E).unwrap().to_bytes(), [0x01, 0x1E]);
        assert!(Sfi::new(0).is_err());
        assert!(Sfi::new(31).is_err());
        assert_eq!(Sfi::new(0x1E).unwrap().read_binary_p1(), 0x9E);
    }
}

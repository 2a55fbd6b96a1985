//! What an e-KTP chip says about itself: its lifecycle state, and the answer-to-reset of
//! ektp's virtual chip.
//!
//! The lifecycle is ektp's design (`docs/personalization.md`): the virtual chip persists it
//! and answers it to GET DATA `DF02`; the host reads that byte back into the same type.

use serde::{Deserialize, Serialize};

/// The card lifecycle of `docs/personalization.md`: BLANK → PERSONALIZING → ISSUED.
///
/// Serialized (in the chip's state file and in reports) as `blank`, `personalizing`,
/// `issued`; on the wire as one byte ([`Lifecycle::to_byte`]).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lifecycle {
    /// As shipped by the card maker: serial and personalization key, no files.
    Blank,
    /// After the first successful personalization authentication.
    Personalizing,
    /// Locked by ACTIVATE FILE; never changes again.
    Issued,
}

impl Lifecycle {
    /// The byte GET DATA `DF02` answers: `01`, `02`, `03`.
    #[must_use]
    pub const fn to_byte(self) -> u8 {
        match self {
            Self::Blank => 0x01,
            Self::Personalizing => 0x02,
            Self::Issued => 0x03,
        }
    }

    /// The lifecycle for a GET DATA `DF02` byte (`None` for any other byte).
    #[must_use]
    pub const fn from_byte(b: u8) -> Option<Self> {
        match b {
            0x01 => Some(Self::Blank),
            0x02 => Some(Self::Personalizing),
            0x03 => Some(Self::Issued),
            _ => None,
        }
    }
}

/// The answer-to-reset of ektp's virtual chip: `3B 88 80 01` (T=1) with historical bytes
/// `"EKTPVC01"` and the check byte TCK (ISO/IEC 7816-3 §8.2.5: XOR of T0 through the last
/// historical byte). A reader list uses it to label the virtual chip; nothing trusts it.
pub const VIRTUAL_CHIP_ATR: [u8; 13] = [
    0x3B, 0x88, 0x80, 0x01, b'E', b'K', b'T', b'P', b'V', b'C', b'0', b'1', 0x17,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle_bytes() {
        for l in [
            Lifecycle::Blank,
            Lifecycle::Personalizing,
            Lifecycle::Issued,
        ] {
            assert_eq!(Lifecycle::from_byte(l.to_byte()), Some(l));
        }
        assert_eq!(Lifecycle::from_byte(0), None);
    }

    #[test]
    fn serde_names() {
        let json = serde_json::to_string(&Lifecycle::Personalizing).unwrap();
        assert_eq!(json, "\"personalizing\"");
        let back: Lifecycle = serde_json::from_str("\"issued\"").unwrap();
        assert_eq!(back, Lifecycle::Issued);
    }

    #[test]
    fn atr_check_byte() {
        let x = VIRTUAL_CHIP_ATR[1..].iter().fold(0u8, |a, b| a ^ b);
        assert_eq!(x, 0, "TCK makes the XOR of T0..TCK zero");
        assert_eq!(&VIRTUAL_CHIP_ATR[4..12], b"EKTPVC01");
    }
}

//! Finger positions, ISO/IEC 19794-2:2005 Table 2 (the codes of ANSI/NIST-ITL 1).

use core::fmt;

/// A finger position code (ISO/IEC 19794-2:2005 §7.2.2, Table 2). The e-KTP records the right
/// index (2) and the left index (7).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum FingerPosition {
    /// 0, unknown finger.
    Unknown,
    /// 1, right thumb.
    RightThumb,
    /// 2, right index finger.
    RightIndex,
    /// 3, right middle finger.
    RightMiddle,
    /// 4, right ring finger.
    RightRing,
    /// 5, right little finger.
    RightLittle,
    /// 6, left thumb.
    LeftThumb,
    /// 7, left index finger.
    LeftIndex,
    /// 8, left middle finger.
    LeftMiddle,
    /// 9, left ring finger.
    LeftRing,
    /// 10, left little finger.
    LeftLittle,
}

impl FingerPosition {
    const ALL: [Self; 11] = [
        Self::Unknown,
        Self::RightThumb,
        Self::RightIndex,
        Self::RightMiddle,
        Self::RightRing,
        Self::RightLittle,
        Self::LeftThumb,
        Self::LeftIndex,
        Self::LeftMiddle,
        Self::LeftRing,
        Self::LeftLittle,
    ];

    /// The position code.
    pub const fn code(self) -> u8 {
        self as u8
    }

    /// The position for a code, `None` for codes outside 0–10 (palm and multi-finger codes are
    /// not finger minutiae positions the e-KTP uses).
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.get(usize::from(code)).copied()
    }
}

impl fmt::Display for FingerPosition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Unknown => "unknown finger",
            Self::RightThumb => "right thumb",
            Self::RightIndex => "right index finger",
            Self::RightMiddle => "right middle finger",
            Self::RightRing => "right ring finger",
            Self::RightLittle => "right little finger",
            Self::LeftThumb => "left thumb",
            Self::LeftIndex => "left index finger",
            Self::LeftMiddle => "left middle finger",
            Self::LeftRing => "left ring finger",
            Self::LeftLittle => "left little finger",
        })
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, clippy::cast_possible_truncation)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for c in 0..=10u8 {
            assert_eq!(FingerPosition::from_code(c).unwrap().code(), c);
        }
        assert_eq!(FingerPosition::from_code(11), None);
        assert_eq!(FingerPosition::RightIndex.code(), 2);
        assert_eq!(FingerPosition::LeftIndex.code(), 7);
    }
}

//! Status words (ISO/IEC 7816-4 §5.6).

use core::fmt;

/// The two trailing bytes of every response, `SW1 SW2`.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StatusWord(pub u16);

#[allow(missing_docs)]
impl StatusWord {
    pub const SUCCESS: Self = Self(0x9000);
    pub const WARNING_END_OF_FILE: Self = Self(0x6282);
    pub const WARNING_NV_UNCHANGED: Self = Self(0x6200);
    pub const MEMORY_FAILURE: Self = Self(0x6581);
    pub const WRONG_LENGTH: Self = Self(0x6700);
    pub const SM_NOT_SUPPORTED: Self = Self(0x6882);
    pub const LAST_COMMAND_OF_CHAIN_EXPECTED: Self = Self(0x6883);
    pub const CHAINING_NOT_SUPPORTED: Self = Self(0x6884);
    pub const COMMAND_INCOMPATIBLE_WITH_FILE: Self = Self(0x6981);
    pub const SECURITY_STATUS_NOT_SATISFIED: Self = Self(0x6982);
    pub const AUTH_METHOD_BLOCKED: Self = Self(0x6983);
    pub const REFERENCE_DATA_NOT_USABLE: Self = Self(0x6984);
    pub const CONDITIONS_NOT_SATISFIED: Self = Self(0x6985);
    pub const COMMAND_NOT_ALLOWED: Self = Self(0x6986);
    pub const SM_DATA_MISSING: Self = Self(0x6987);
    pub const SM_DATA_INCORRECT: Self = Self(0x6988);
    pub const WRONG_DATA: Self = Self(0x6A80);
    pub const FUNCTION_NOT_SUPPORTED: Self = Self(0x6A81);
    pub const FILE_NOT_FOUND: Self = Self(0x6A82);
    pub const RECORD_NOT_FOUND: Self = Self(0x6A83);
    pub const NOT_ENOUGH_MEMORY: Self = Self(0x6A84);
    pub const NC_INCONSISTENT_WITH_TLV: Self = Self(0x6A85);
    pub const INCORRECT_P1P2: Self = Self(0x6A86);
    pub const NC_INCONSISTENT_WITH_P1P2: Self = Self(0x6A87);
    pub const REFERENCED_DATA_NOT_FOUND: Self = Self(0x6A88);
    pub const FILE_ALREADY_EXISTS: Self = Self(0x6A89);
    pub const WRONG_P1P2: Self = Self(0x6B00);
    pub const INS_NOT_SUPPORTED: Self = Self(0x6D00);
    pub const CLA_NOT_SUPPORTED: Self = Self(0x6E00);
    pub const NO_PRECISE_DIAGNOSIS: Self = Self(0x6F00);

    /// From `SW1`, `SW2`.
    pub const fn from_bytes(sw1: u8, sw2: u8) -> Self {
        Self(u16::from_be_bytes([sw1, sw2]))
    }

    /// `SW1`.
    pub const fn sw1(self) -> u8 {
        self.0.to_be_bytes()[0]
    }

    /// `SW2`.
    pub const fn sw2(self) -> u8 {
        self.0.to_be_bytes()[1]
    }

    /// `[SW1, SW2]`.
    pub const fn to_bytes(self) -> [u8; 2] {
        self.0.to_be_bytes()
    }

    /// `9000`.
    pub const fn is_success(self) -> bool {
        self.0 == 0x9000
    }

    /// Normal processing or a warning: `9000`, `61xx`, `62xx`, `63xx`.
    pub const fn is_normal_or_warning(self) -> bool {
        matches!(self.sw1(), 0x90 | 0x61 | 0x62 | 0x63)
    }

    /// The retry counter of a `63Cx` answer.
    pub const fn tries_left(self) -> Option<u8> {
        if self.sw1() == 0x63 && self.sw2() & 0xF0 == 0xC0 {
            Some(self.sw2() & 0x0F)
        } else {
            None
        }
    }

    /// What the status word means, per ISO/IEC 7816-4 Table 6 (without the code).
    pub fn meaning(self) -> String {
        let (sw1, sw2) = (self.sw1(), self.sw2());
        let fixed = match self.0 {
            0x9000 => "success",
            0x6200 => "warning: no information given, non-volatile memory unchanged",
            0x6281 => "warning: part of returned data may be corrupted",
            0x6282 => "warning: end of file reached before reading Ne bytes",
            0x6283 => "warning: selected file deactivated",
            0x6300 => "warning: verification failed",
            0x6400 => "execution error, non-volatile memory unchanged",
            0x6581 => "memory failure",
            0x6700 => "wrong length",
            0x6881 => "logical channel not supported",
            0x6882 => "secure messaging not supported",
            0x6883 => "last command of the chain expected",
            0x6884 => "command chaining not supported",
            0x6981 => "command incompatible with file structure",
            0x6982 => "security status not satisfied",
            0x6983 => "authentication method blocked",
            0x6984 => "reference data not usable",
            0x6985 => "conditions of use not satisfied",
            0x6986 => "command not allowed (no current EF)",
            0x6987 => "expected secure messaging data objects missing",
            0x6988 => "incorrect secure messaging data objects",
            0x6A80 => "incorrect parameters in the command data field",
            0x6A81 => "function not supported",
            0x6A82 => "file not found",
            0x6A83 => "record not found",
            0x6A84 => "not enough memory space in the file",
            0x6A85 => "Nc inconsistent with TLV structure",
            0x6A86 => "incorrect parameters P1-P2",
            0x6A87 => "Nc inconsistent with parameters P1-P2",
            0x6A88 => "referenced data not found",
            0x6A89 => "file already exists",
            0x6A8A => "DF name already exists",
            0x6B00 => "wrong parameters P1-P2 (offset outside the EF)",
            0x6D00 => "instruction not supported",
            0x6E00 => "class not supported",
            0x6F00 => "no precise diagnosis",
            _ => "",
        };
        if !fixed.is_empty() {
            return fixed.to_owned();
        }
        match sw1 {
            0x61 => format!("{sw2} more bytes available (GET RESPONSE)"),
            0x6C => format!("wrong Le: {sw2} bytes available"),
            0x63 if sw2 & 0xF0 == 0xC0 => match sw2 & 0x0F {
                1 => "1 try left".to_owned(),
                n => format!("{n} tries left"),
            },
            0x62 | 0x63 => "warning".to_owned(),
            0x64 => "execution error, non-volatile memory unchanged".to_owned(),
            0x65 => "execution error, non-volatile memory changed".to_owned(),
            0x66 => "security-related issue".to_owned(),
            0x67 => "wrong length".to_owned(),
            0x68 => "functions in CLA not supported".to_owned(),
            0x69 => "command not allowed".to_owned(),
            0x6A => "wrong parameters P1-P2".to_owned(),
            _ => "unknown status".to_owned(),
        }
    }
}

impl fmt::Display for StatusWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04X} {}", self.0, self.meaning())
    }
}

impl fmt::Debug for StatusWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StatusWord({:04X})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_gives_meaning() {
        assert_eq!(StatusWord(0x6A82).to_string(), "6A82 file not found");
        assert_eq!(StatusWord(0x63C2).to_string(), "63C2 2 tries left");
        assert_eq!(StatusWord(0x63C1).to_string(), "63C1 1 try left");
        assert_eq!(
            StatusWord(0x6110).to_string(),
            "6110 16 more bytes available (GET RESPONSE)"
        );
        assert_eq!(
            StatusWord(0x6C20).to_string(),
            "6C20 wrong Le: 32 bytes available"
        );
        assert_eq!(StatusWord::SUCCESS.to_string(), "9000 success");
        assert_eq!(
            StatusWord(0x6982).to_string(),
            "6982 security status not satisfied"
        );
        assert_eq!(StatusWord(0x1234).to_string(), "1234 unknown status");
    }

    #[test]
    fn parts() {
        let sw = StatusWord::from_bytes(0x63, 0xC3);
        assert_eq!((sw.sw1(), sw.sw2()), (0x63, 0xC3));
        assert_eq!(sw.tries_left(), Some(3));
        assert_eq!(StatusWord::SUCCESS.tries_left(), None);
        assert!(StatusWord::SUCCESS.is_success());
        assert!(StatusWord(0x6282).is_normal_or_warning());
        assert!(!StatusWord(0x6A82).is_normal_or_warning());
    }
}

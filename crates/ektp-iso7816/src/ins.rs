//! Instruction bytes (ISO/IEC 7816-4 Table 4, ICAO 9303-11).

use core::fmt;

/// An instruction byte.
#[derive(Copy, Clone, PartialEq, Eq, Hash)]
pub struct Ins(pub u8);

#[allow(missing_docs)]
impl Ins {
    pub const SELECT: Self = Self(0xA4);
    pub const READ_BINARY: Self = Self(0xB0);
    pub const READ_BINARY_ODD: Self = Self(0xB1);
    pub const UPDATE_BINARY: Self = Self(0xD6);
    pub const UPDATE_BINARY_ODD: Self = Self(0xD7);
    pub const CREATE_FILE: Self = Self(0xE0);
    pub const DELETE_FILE: Self = Self(0xE4);
    pub const ACTIVATE_FILE: Self = Self(0x44);
    pub const GET_CHALLENGE: Self = Self(0x84);
    pub const INTERNAL_AUTHENTICATE: Self = Self(0x88);
    pub const EXTERNAL_AUTHENTICATE: Self = Self(0x82);
    pub const MANAGE_SECURITY_ENVIRONMENT: Self = Self(0x22);
    pub const GENERAL_AUTHENTICATE: Self = Self(0x86);
    pub const GET_RESPONSE: Self = Self(0xC0);
    pub const GET_DATA: Self = Self(0xCA);
    pub const PUT_DATA: Self = Self(0xDA);
    pub const GENERATE_ASYMMETRIC_KEY_PAIR: Self = Self(0x46);
    pub const TERMINATE_CARD_USAGE: Self = Self(0xFE);

    /// Whether the instruction is odd (its data field is BER-TLV encoded, ISO 7816-4 §5.1.1).
    pub const fn is_odd(self) -> bool {
        self.0 & 1 == 1
    }

    /// The command's name, if it is one this project knows.
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0xA4 => "SELECT",
            0xB0 | 0xB1 => "READ BINARY",
            0xD6 | 0xD7 => "UPDATE BINARY",
            0xE0 => "CREATE FILE",
            0xE4 => "DELETE FILE",
            0x44 => "ACTIVATE FILE",
            0x84 => "GET CHALLENGE",
            0x88 => "INTERNAL AUTHENTICATE",
            0x82 => "EXTERNAL AUTHENTICATE",
            0x22 => "MANAGE SECURITY ENVIRONMENT",
            0x86 => "GENERAL AUTHENTICATE",
            0xC0 => "GET RESPONSE",
            0xCA => "GET DATA",
            0xDA => "PUT DATA",
            0x46 => "GENERATE ASYMMETRIC KEY PAIR",
            0xFE => "TERMINATE CARD USAGE",
            _ => return None,
        })
    }
}

impl fmt::Debug for Ins {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => write!(f, "Ins({:02X} {n})", self.0),
            None => write!(f, "Ins({:02X})", self.0),
        }
    }
}

impl fmt::Display for Ins {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

//! Instruction bytes (ISO/IEC 7816-4 Table 4, ICAO 9303-11, BSI TR-03110-3).
//!
//! [`Ins`] names every instruction this project sends or answers. A byte it does not know
//! (as an APDU from an untrusted host may carry) parses to [`Ins::Other`], so no instruction
//! byte is ever rejected or lost by the type: [`Ins::from_byte`] and [`Ins::to_byte`] are a
//! lossless round trip.

use core::fmt;
use core::hash::{Hash, Hasher};

macro_rules! instructions {
    ($( $(#[$doc:meta])* $variant:ident = $byte:literal, $name:literal; )*) => {
        /// An instruction byte, typed.
        ///
        /// Build one from a byte with [`Ins::from_byte`] (or `Ins::from(u8)`), which never yields
        /// [`Ins::Other`] for a byte that has a name. Equality and hashing compare the byte, so
        /// even a hand-built `Ins::Other(0xA4)` equals [`Ins::Select`].
        #[derive(Copy, Clone)]
        pub enum Ins {
            $( $(#[$doc])* $variant, )*
            /// An instruction this project does not know (or does not use).
            Other(u8),
        }

        impl Ins {
            /// The typed instruction for a byte ([`Ins::Other`] if it has no name here).
            #[must_use]
            pub const fn from_byte(byte: u8) -> Self {
                match byte {
                    $( $byte => Self::$variant, )*
                    other => Self::Other(other),
                }
            }

            /// The instruction byte.
            #[must_use]
            pub const fn to_byte(self) -> u8 {
                match self {
                    $( Self::$variant => $byte, )*
                    Self::Other(byte) => byte,
                }
            }

            /// The command's name, if it is one this project knows.
            #[must_use]
            pub const fn name(self) -> Option<&'static str> {
                match Self::from_byte(self.to_byte()) {
                    $( Self::$variant => Some($name), )*
                    Self::Other(_) => None,
                }
            }
        }
    };
}

instructions! {
    /// `20` VERIFY.
    Verify = 0x20, "VERIFY";
    /// `22` MANAGE SECURITY ENVIRONMENT: MSE:Set AT for PACE (ICAO
    /// 9303-11 §4.4.4.1) and, later, Chip Authentication; MSE:Set DST for Terminal
    /// Authentication (TR-03110-3 §B.11).
    ManageSecurityEnvironment = 0x22, "MANAGE SECURITY ENVIRONMENT";
    /// `2A` PERFORM SECURITY OPERATION (ISO 7816-8): PSO:Verify Certificate (P1 P2 `00 BE`)
    /// for Terminal Authentication (TR-03110-3 §B.11).
    PerformSecurityOperation = 0x2A, "PERFORM SECURITY OPERATION";
    /// `44` ACTIVATE FILE: ends personalization (locks the card).
    ActivateFile = 0x44, "ACTIVATE FILE";
    /// `46` GENERATE ASYMMETRIC KEY PAIR (ISO 7816-8): the Active Authentication key.
    GenerateAsymmetricKeyPair = 0x46, "GENERATE ASYMMETRIC KEY PAIR";
    /// `82` EXTERNAL AUTHENTICATE: personalization mutual
    /// authentication, and later Terminal Authentication (TR-03110-3 §B.11).
    ExternalAuthenticate = 0x82, "EXTERNAL AUTHENTICATE";
    /// `84` GET CHALLENGE.
    GetChallenge = 0x84, "GET CHALLENGE";
    /// `86` GENERAL AUTHENTICATE: the PACE steps (ICAO 9303-11 §4.4.4.2).
    GeneralAuthenticate = 0x86, "GENERAL AUTHENTICATE";
    /// `88` INTERNAL AUTHENTICATE: Active Authentication (ICAO 9303-11 §6.1).
    InternalAuthenticate = 0x88, "INTERNAL AUTHENTICATE";
    /// `A4` SELECT (ISO 7816-4 §11.2.2).
    Select = 0xA4, "SELECT";
    /// `B0` READ BINARY, offset in P1 P2.
    ReadBinary = 0xB0, "READ BINARY";
    /// `B1` READ BINARY, odd instruction: offset in DO `54`, answer in DO `53`.
    ReadBinaryOdd = 0xB1, "READ BINARY";
    /// `C0` GET RESPONSE.
    GetResponse = 0xC0, "GET RESPONSE";
    /// `CA` GET DATA.
    GetData = 0xCA, "GET DATA";
    /// `D6` UPDATE BINARY, offset in P1 P2.
    UpdateBinary = 0xD6, "UPDATE BINARY";
    /// `D7` UPDATE BINARY, odd instruction: offset in DO `54`, data in DO `53`.
    UpdateBinaryOdd = 0xD7, "UPDATE BINARY";
    /// `DA` PUT DATA: the CAN during personalization.
    PutData = 0xDA, "PUT DATA";
    /// `E0` CREATE FILE.
    CreateFile = 0xE0, "CREATE FILE";
    /// `E4` DELETE FILE.
    DeleteFile = 0xE4, "DELETE FILE";
    /// `FE` TERMINATE CARD USAGE.
    TerminateCardUsage = 0xFE, "TERMINATE CARD USAGE";
}

impl Ins {
    /// Whether the instruction is odd (its data field is BER-TLV encoded, ISO 7816-4 §5.1.1).
    #[must_use]
    pub const fn is_odd(self) -> bool {
        self.to_byte() & 1 == 1
    }
}

impl From<u8> for Ins {
    fn from(byte: u8) -> Self {
        Self::from_byte(byte)
    }
}

impl From<Ins> for u8 {
    fn from(ins: Ins) -> Self {
        ins.to_byte()
    }
}

impl PartialEq for Ins {
    fn eq(&self, other: &Self) -> bool {
        self.to_byte() == other.to_byte()
    }
}

impl Eq for Ins {}

impl Hash for Ins {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.to_byte().hash(state);
    }
}

impl fmt::Debug for Ins {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => write!(f, "Ins({:02X} {n})", self.to_byte()),
            None => write!(f, "Ins({:02X})", self.to_byte()),
        }
    }
}

impl fmt::Display for Ins {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_round_trips() {
        for b in 0..=u8::MAX {
            let ins = Ins::from_byte(b);
            assert_eq!(ins.to_byte(), b);
            assert_eq!(u8::from(Ins::from(b)), b);
            assert_eq!(Ins::Other(b), ins, "equality compares the byte");
            if ins.name().is_some() {
                assert!(!matches!(ins, Ins::Other(_)), "{b:02X} has a name");
            }
        }
    }

    #[test]
    fn names_and_oddness() {
        assert_eq!(Ins::from_byte(0xA4), Ins::Select);
        assert!(matches!(
            Ins::from_byte(0x2A),
            Ins::PerformSecurityOperation
        ));
        assert!(matches!(Ins::from_byte(0x01), Ins::Other(0x01)));
        assert_eq!(Ins::Other(0xB1).name(), Some("READ BINARY"));
        assert_eq!(
            format!("{:?}", Ins::GeneralAuthenticate),
            "Ins(86 GENERAL AUTHENTICATE)"
        );
        assert_eq!(format!("{}", Ins::Other(0x01)), "Ins(01)");
        assert!(Ins::ReadBinaryOdd.is_odd() && !Ins::ReadBinary.is_odd());
    }
}

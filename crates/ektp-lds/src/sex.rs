//! Jenis kelamin, a leaf module: the NIK encodes it and the holder record carries it.

use core::fmt;

use crate::text::text_enum;

text_enum! {
    /// Jenis kelamin.
    Sex { /// LAKI-LAKI
        Male = "LAKI-LAKI", /// PEREMPUAN
        Female = "PEREMPUAN" }
}

impl Sex {
    /// The ICAO 9303-3 MRZ sex code (`M` / `F`).
    pub const fn mrz_code(self) -> u8 {
        match self {
            Self::Male => b'M',
            Self::Female => b'F',
        }
    }

    /// The ISO/IEC 19794-5 gender code (1 male, 2 female).
    pub const fn iso19794_code(self) -> u8 {
        match self {
            Self::Male => 1,
            Self::Female => 2,
        }
    }
}

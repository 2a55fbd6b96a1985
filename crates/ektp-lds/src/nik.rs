//! NIK (Nomor Induk Kependudukan), the 16-digit population identity number.
//!
//! Layout (Permendagri on civil registration): `PP KK CC DDMMYY SSSS` — province, regency/city
//! and district of first registration (the official Kepmendagri district code), the date of
//! birth with 40 added to the day for women, and a serial number that is never `0000`.

use core::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::date::Date;
use crate::sex::Sex;
use crate::wilayah;

/// Why a NIK was rejected. Never contains the NIK itself.
#[derive(Copy, Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NikError {
    /// Not exactly 16 characters.
    #[error("must be exactly 16 digits, got {len} characters")]
    WrongLength {
        /// Number of characters given.
        len: usize,
    },
    /// A character is not an ASCII digit.
    #[error("must contain only the digits 0-9")]
    NotDigits,
    /// Digits 1-6 are not a district in the Kepmendagri code table.
    #[error("digits 1-6 are not a district (kecamatan) code in the Kepmendagri region table")]
    UnknownRegion,
    /// Digits 7-12 are not a day (01-31, or 41-71 for women) and month of a real date.
    #[error("digits 7-12 are not a valid birth date DDMMYY (women: day + 40)")]
    InvalidBirthDate,
    /// Digits 13-16 are `0000`.
    #[error("serial number (digits 13-16) must not be 0000")]
    SerialZero,
    /// The date in digits 7-12 is not the holder's date of birth.
    #[error("birth date in digits 7-12 does not match the holder's date of birth")]
    BirthDateMismatch,
    /// The day in digits 7-8 does not match the holder's sex (women: day + 40).
    #[error("day in digits 7-8 does not match the holder's sex (women have 40 added)")]
    SexMismatch,
    /// The region table could not be read (a build defect).
    #[error("the embedded region table could not be read")]
    RegionTableUnavailable,
}

/// A validated NIK.
///
/// `Display` prints the 16 digits (they are printed on the card and stored in DG11);
/// `Debug` is redacted so that a NIK never reaches logs or error messages, and the digits are
/// zeroized on drop.
#[derive(Clone, PartialEq, Eq, Hash, Zeroize, ZeroizeOnDrop)]
pub struct Nik([u8; 16]);

fn two(b: &[u8; 16], at: usize) -> u8 {
    let hi = b.get(at).map_or(0, |d| d.wrapping_sub(b'0'));
    let lo = b
        .get(at.wrapping_add(1))
        .map_or(0, |d| d.wrapping_sub(b'0'));
    hi.wrapping_mul(10).wrapping_add(lo)
}

impl Nik {
    /// Parses and validates a NIK: 16 digits, a district code from the official table, a
    /// plausible `DDMMYY` (day + 40 for women; 29 February allowed since the century is not
    /// encoded) and a serial other than `0000`.
    ///
    /// # Errors
    /// A [`NikError`] saying which rule failed.
    pub fn parse(s: &str) -> Result<Self, NikError> {
        let b = s.as_bytes();
        let arr: [u8; 16] = b.try_into().map_err(|_| NikError::WrongLength {
            len: s.chars().count(),
        })?;
        if !arr.iter().all(u8::is_ascii_digit) {
            return Err(NikError::NotDigits);
        }
        let nik = Self(arr);
        let dd = nik.raw_day();
        let day = if dd > 40 { dd.wrapping_sub(40) } else { dd };
        // Any leap year accepts 29 February: the century is not in the NIK.
        if Date::new(2000, nik.birth_month(), day).is_none() {
            return Err(NikError::InvalidBirthDate);
        }
        if arr.get(12..16) == Some(b"0000".as_slice()) {
            return Err(NikError::SerialZero);
        }
        match wilayah::district_of_nik_prefix(nik.region_digits()) {
            Ok(Some(_)) => Ok(nik),
            Ok(None) => Err(NikError::UnknownRegion),
            Err(_) => Err(NikError::RegionTableUnavailable),
        }
    }

    /// The 16 digits.
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// Digits 1-6, the district code without dots (`PPKKCC`).
    pub fn region_digits(&self) -> &str {
        self.as_str().get(0..6).unwrap_or_default()
    }

    /// The district code in dotted form (`PP.KK.CC`), as in the Kepmendagri table.
    pub fn district_code(&self) -> String {
        let s = self.as_str();
        format!(
            "{}.{}.{}",
            s.get(0..2).unwrap_or_default(),
            s.get(2..4).unwrap_or_default(),
            s.get(4..6).unwrap_or_default()
        )
    }

    fn raw_day(&self) -> u8 {
        two(&self.0, 6)
    }

    /// The day of birth (1-31), with the +40 for women removed.
    pub fn birth_day(&self) -> u8 {
        let d = self.raw_day();
        if d > 40 { d.wrapping_sub(40) } else { d }
    }

    /// The month of birth (1-12).
    pub fn birth_month(&self) -> u8 {
        two(&self.0, 8)
    }

    /// The last two digits of the year of birth.
    pub fn birth_yy(&self) -> u8 {
        two(&self.0, 10)
    }

    /// The sex the NIK encodes (day + 40 means female).
    pub fn sex(&self) -> Sex {
        if self.raw_day() > 40 {
            Sex::Female
        } else {
            Sex::Male
        }
    }

    /// Checks that the NIK's date and sex agree with the holder's.
    ///
    /// # Errors
    /// [`NikError::BirthDateMismatch`] or [`NikError::SexMismatch`].
    pub fn check_holder(&self, date_of_birth: Date, sex: Sex) -> Result<(), NikError> {
        let yy = u8::try_from(date_of_birth.year() % 100).unwrap_or(u8::MAX);
        if self.birth_day() != date_of_birth.day()
            || self.birth_month() != date_of_birth.month()
            || self.birth_yy() != yy
        {
            return Err(NikError::BirthDateMismatch);
        }
        if self.sex() != sex {
            return Err(NikError::SexMismatch);
        }
        Ok(())
    }
}

impl fmt::Display for Nik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Serializes as the 16 digits: a NIK in JSON is shown to its reader on purpose (the card face
/// prints it). `Debug` stays redacted, so it still never reaches a log.
impl serde::Serialize for Nik {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl fmt::Debug for Nik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Nik(<redacted>)")
    }
}

impl core::str::FromStr for Nik {
    type Err = NikError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    #[test]
    fn man_and_woman() {
        let m = Nik::parse("3273010903080001").unwrap();
        assert_eq!(m.sex(), Sex::Male);
        assert_eq!((m.birth_day(), m.birth_month(), m.birth_yy()), (9, 3, 8));
        assert_eq!(m.district_code(), "32.73.01");
        m.check_holder(Date::new(2008, 3, 9).unwrap(), Sex::Male)
            .unwrap();
        assert_eq!(
            m.check_holder(Date::new(2008, 3, 9).unwrap(), Sex::Female),
            Err(NikError::SexMismatch)
        );
        assert_eq!(
            m.check_holder(Date::new(1908, 3, 9).unwrap(), Sex::Male),
            Ok(())
        );
        assert_eq!(
            m.check_holder(Date::new(2008, 3, 10).unwrap(), Sex::Male),
            Err(NikError::BirthDateMismatch)
        );
        let f = Nik::parse("3171016512900002").unwrap();
        assert_eq!(f.sex(), Sex::Female);
        assert_eq!(f.birth_day(), 25);
        f.check_holder(Date::new(1990, 12, 25).unwrap(), Sex::Female)
            .unwrap();
    }

    #[test]
    fn rejections() {
        assert_eq!(
            Nik::parse("327301090308000"),
            Err(NikError::WrongLength { len: 15 })
        );
        assert_eq!(Nik::parse("32730109030800a1"), Err(NikError::NotDigits));
        assert_eq!(Nik::parse("3273010903080000"), Err(NikError::SerialZero));
        assert_eq!(
            Nik::parse("3273013203080001"),
            Err(NikError::InvalidBirthDate)
        );
        assert_eq!(
            Nik::parse("3273017203080001"),
            Err(NikError::InvalidBirthDate)
        );
        assert_eq!(
            Nik::parse("3273013002080001"),
            Err(NikError::InvalidBirthDate)
        );
        assert!(Nik::parse("3273012902080001").is_ok());
        assert_eq!(Nik::parse("3273990903080001"), Err(NikError::UnknownRegion));
    }

    #[test]
    fn debug_is_redacted() {
        let m = Nik::parse("3273010903080001").unwrap();
        let dbg = format!("{m:?}");
        assert!(!dbg.contains("3273010903080001"));
        assert!(!dbg.contains("0903"));
        assert_eq!(m.to_string(), "3273010903080001");
        let err = Nik::parse("3273010903080000").unwrap_err().to_string();
        assert!(!err.contains("327301"));
    }
}

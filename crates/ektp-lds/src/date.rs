//! A small validated calendar date (proleptic Gregorian), enough for birth, issue and expiry dates.

use core::fmt;

/// A calendar date with a valid year (1..=9999), month and day, leap years included.
///
/// Ordering is chronological. `Display` is ISO 8601 `YYYY-MM-DD`.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Whether `year` is a Gregorian leap year.
pub const fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// Number of days in `month` of `year`, or 0 for a month outside 1..=12.
pub const fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

fn digits(bytes: &[u8]) -> Option<u16> {
    if bytes.is_empty() || bytes.len() > 4 {
        return None;
    }
    bytes.iter().try_fold(0u16, |acc, &b| {
        if b.is_ascii_digit() {
            acc.checked_mul(10)?
                .checked_add(u16::from(b.wrapping_sub(b'0')))
        } else {
            None
        }
    })
}

impl Date {
    /// A date, or `None` if it does not exist (e.g. 2023-02-29) or the year is 0.
    pub const fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        if year == 0 || year > 9999 || day == 0 || day > days_in_month(year, month) {
            None
        } else {
            Some(Self { year, month, day })
        }
    }

    /// The year.
    pub const fn year(self) -> u16 {
        self.year
    }

    /// The month, 1..=12.
    pub const fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1..=31.
    pub const fn day(self) -> u8 {
        self.day
    }

    /// Parses ISO 8601 `YYYY-MM-DD` (as used in application JSON).
    pub fn parse_iso(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        let year = digits(b.get(0..4)?)?;
        let month = u8::try_from(digits(b.get(5..7)?)?).ok()?;
        let day = u8::try_from(digits(b.get(8..10)?)?).ok()?;
        Self::new(year, month, day)
    }

    /// Parses the ICAO 9303-10 full-date form `YYYYMMDD` (DG11 5F2B, DG12 5F26).
    pub fn parse_yyyymmdd(b: &[u8]) -> Option<Self> {
        if b.len() != 8 {
            return None;
        }
        let year = digits(b.get(0..4)?)?;
        let month = u8::try_from(digits(b.get(4..6)?)?).ok()?;
        let day = u8::try_from(digits(b.get(6..8)?)?).ok()?;
        Self::new(year, month, day)
    }

    /// `YYYYMMDD` as 8 ASCII digits.
    pub fn to_yyyymmdd(self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }

    /// `YYMMDD` as 6 ASCII digits (ICAO 9303-3 MRZ date form).
    pub fn to_yymmdd(self) -> String {
        format!("{:02}{:02}{:02}", self.year % 100, self.month, self.day)
    }

    /// Completed years of age on `on` for someone born on `self` (0 if `on` is before `self`).
    ///
    /// A person born on 29 February completes a year on 1 March in non-leap years.
    pub fn age_on(self, on: Date) -> u16 {
        if on < self {
            return 0;
        }
        let years = on.year.saturating_sub(self.year);
        if (on.month, on.day) < (self.month, self.day) {
            years.saturating_sub(1)
        } else {
            years
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Serializes as `YYYY-MM-DD`, as in the application format.
impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    #[test]
    fn leap_years() {
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2023, 2, 29).is_none());
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(2024, 4, 31).is_none());
        assert!(Date::new(2024, 13, 1).is_none());
        assert!(Date::new(0, 1, 1).is_none());
    }

    #[test]
    fn parse_and_format() {
        let d = Date::parse_iso("2008-03-09").unwrap();
        assert_eq!(d.to_string(), "2008-03-09");
        assert_eq!(d.to_yyyymmdd(), "20080309");
        assert_eq!(d.to_yymmdd(), "080309");
        assert_eq!(Date::parse_yyyymmdd(b"20080309"), Some(d));
        for bad in [
            "2008-3-09",
            "2008/03/09",
            "20080309",
            "2008-02-30",
            "+008-03-09",
            "",
        ] {
            assert!(Date::parse_iso(bad).is_none(), "{bad}");
        }
        assert!(Date::parse_yyyymmdd(b"2008030").is_none());
        assert!(Date::parse_yyyymmdd(b"2008-309").is_none());
    }

    #[test]
    fn ages() {
        let born = Date::new(2008, 3, 9).unwrap();
        assert_eq!(born.age_on(Date::new(2025, 3, 8).unwrap()), 16);
        assert_eq!(born.age_on(Date::new(2025, 3, 9).unwrap()), 17);
        assert_eq!(born.age_on(Date::new(2000, 1, 1).unwrap()), 0);
        let leap = Date::new(2008, 2, 29).unwrap();
        assert_eq!(leap.age_on(Date::new(2025, 2, 28).unwrap()), 16);
        assert_eq!(leap.age_on(Date::new(2025, 3, 1).unwrap()), 17);
    }
}

//! BSI TR-03110-3 §D.2.1.3 dates: `YYMMDD` with one decimal digit per byte (unpacked BCD),
//! the year in 2000..=2099.

use core::fmt;

use super::error::{CvcError, Field};

/// A calendar date as CV certificates carry it (BSI TR-03110-3 §D.2.1.3), and as the chip's
/// "current date" (TR-03110-1 §2.5, the most recent effective date it has seen).
///
/// ```text
/// Date ::= 6 bytes, each 0x00..=0x09: Y Y M M D D   (year 20YY)
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CvDate {
    year: u16,
    month: u8,
    day: u8,
}

impl CvDate {
    /// A date in 2000-01-01..=2099-12-31.
    ///
    /// # Errors
    /// [`CvcError::InvalidValue`] for a date outside that range or not in the calendar.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, CvcError> {
        Self::checked(year, month, day).ok_or(CvcError::InvalidValue(Field::Date))
    }

    fn checked(year: u16, month: u8, day: u8) -> Option<Self> {
        if !(2000..=2099).contains(&year) {
            return None;
        }
        let m = time::Month::try_from(month).ok()?;
        if day == 0 || day > time::util::days_in_month(m, i32::from(year)) {
            return None;
        }
        Some(Self { year, month, day })
    }

    /// Parses six unpacked BCD digits (the value of `5F25` / `5F24`).
    pub fn from_digits(bytes: &[u8]) -> Option<Self> {
        let d: &[u8; 6] = bytes.try_into().ok()?;
        if d.iter().any(|&b| b > 9) {
            return None;
        }
        let [y1, y2, m1, m2, d1, d2] = *d;
        // Each digit is at most 9, so no two-digit value wraps.
        let two = |a: u8, b: u8| a.wrapping_mul(10).wrapping_add(b);
        let year = 2000u16.checked_add(u16::from(two(y1, y2)))?;
        Self::checked(year, two(m1, m2), two(d1, d2))
    }

    /// The six unpacked BCD digits.
    pub fn to_digits(self) -> [u8; 6] {
        let yy = (self.year % 100) as u8;
        [
            yy / 10,
            yy % 10,
            self.month / 10,
            self.month % 10,
            self.day / 10,
            self.day % 10,
        ]
    }

    /// Parses `YYMMDD` text (as `cvc-create --expires` takes it).
    ///
    /// # Errors
    /// [`CvcError::InvalidValue`] unless it is six digits forming a valid date.
    pub fn from_yymmdd(text: &str) -> Result<Self, CvcError> {
        let digits: Vec<u8> = text.bytes().map(|b| b.wrapping_sub(b'0')).collect();
        Self::from_digits(&digits).ok_or(CvcError::InvalidValue(Field::Date))
    }

    /// The date as `YYMMDD` text.
    pub fn to_yymmdd(self) -> String {
        self.to_digits()
            .iter()
            .map(|d| char::from(b'0'.wrapping_add(*d)))
            .collect()
    }

    /// The UTC date of a point in time (the caller's clock; this module never reads one).
    ///
    /// # Errors
    /// [`CvcError::InvalidValue`] outside 2000..=2099.
    pub fn from_system_time(t: std::time::SystemTime) -> Result<Self, CvcError> {
        let d = time::OffsetDateTime::from(t).date();
        let year = u16::try_from(d.year()).map_err(|_| CvcError::InvalidValue(Field::Date))?;
        Self::new(year, u8::from(d.month()), d.day())
    }

    /// This date plus `days`, or `None` past 2099-12-31.
    pub fn checked_add_days(self, days: u32) -> Option<Self> {
        let m = time::Month::try_from(self.month).ok()?;
        let d = time::Date::from_calendar_date(i32::from(self.year), m, self.day).ok()?;
        let later = d.checked_add(time::Duration::days(i64::from(days)))?;
        Self::checked(
            u16::try_from(later.year()).ok()?,
            u8::from(later.month()),
            later.day(),
        )
    }

    /// The year (2000..=2099).
    pub const fn year(self) -> u16 {
        self.year
    }

    /// The month (1..=12).
    pub const fn month(self) -> u8 {
        self.month
    }

    /// The day of the month (1..=31).
    pub const fn day(self) -> u8 {
        self.day
    }
}

impl fmt::Display for CvDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_round_trip_and_calendar() {
        let d = CvDate::from_digits(&[2, 6, 0, 1, 3, 1]).unwrap();
        assert_eq!(d.to_string(), "2026-01-31");
        assert_eq!(d.to_digits(), [2, 6, 0, 1, 3, 1]);
        assert_eq!(CvDate::from_yymmdd("260131").unwrap(), d);
        assert_eq!(d.to_yymmdd(), "260131");
        assert!(CvDate::from_digits(&[2, 6, 0, 2, 3, 0]).is_none());
        assert!(CvDate::from_digits(&[2, 4, 0, 2, 2, 9]).is_some());
        assert!(CvDate::from_digits(&[2, 5, 0, 2, 2, 9]).is_none());
        assert!(CvDate::from_digits(&[2, 6, 1, 3, 0, 1]).is_none());
        assert!(CvDate::from_digits(&[2, 6, 0, 1, 0, 0]).is_none());
        assert!(CvDate::from_digits(&[0x32, 6, 0, 1, 0, 1]).is_none());
        assert!(CvDate::from_digits(&[2, 6, 0, 1, 0]).is_none());
        assert!(CvDate::from_yymmdd("26013").is_err());
        assert!(CvDate::from_yymmdd("2601x1").is_err());
    }

    #[test]
    fn ordering_and_days() {
        let a = CvDate::new(2026, 12, 31).unwrap();
        let b = a.checked_add_days(1).unwrap();
        assert_eq!(b.to_string(), "2027-01-01");
        assert!(a < b);
        assert!(
            CvDate::new(2099, 12, 31)
                .unwrap()
                .checked_add_days(1)
                .is_none()
        );
    }
}

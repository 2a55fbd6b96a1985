//! CV dates: today, parsing, lifetimes in months and days.

use super::*;

pub(super) fn today() -> Result<CvDate, Fail> {
    CvDate::from_system_time(SystemTime::now())
        .map_err(|_| Fail::config_said(ektp_i18n::Message::new("op-cvc-err-clock")))
}

/// Parses `YYYY-MM-DD` or `YYMMDD`.
pub(super) fn parse_date(text: &str) -> Result<CvDate, Fail> {
    let bad = || {
        Fail::usage_said(
            ektp_i18n::Message::new("op-cvc-err-date").arg("text", format!("{text:?}")),
        )
    };
    if let Some(short) = text.strip_prefix("20").filter(|_| text.len() == 10) {
        let digits: String = short.chars().filter(|c| *c != '-').collect();
        let dashes = text.get(4..5) == Some("-") && text.get(7..8) == Some("-");
        if !dashes || digits.len() != 6 {
            return Err(bad());
        }
        return CvDate::from_yymmdd(&digits).map_err(|_| bad());
    }
    CvDate::from_yymmdd(text).map_err(|_| bad())
}

pub(super) fn effective(from: Option<&str>) -> Result<CvDate, Fail> {
    match from {
        Some(t) => parse_date(t),
        None => today(),
    }
}

/// The last day of a lifetime of `months` starting on `from` (inclusive: `from` plus
/// `months` calendar months, the day clamped to the month's length, minus one day).
pub(super) fn after_months(from: CvDate, months: u32) -> Option<CvDate> {
    let index = u32::from(from.month())
        .checked_sub(1)?
        .checked_add(months)?;
    let year = u32::from(from.year()).checked_add(index / 12)?;
    let month = (index % 12).checked_add(1)?;
    let day = u32::from(from.day()).min(days_in_month(year, month));
    if day > 1 {
        return date(year, month, day.checked_sub(1)?);
    }
    let (py, pm) = if month == 1 {
        (year.checked_sub(1)?, 12)
    } else {
        (year, month.checked_sub(1)?)
    };
    date(py, pm, days_in_month(py, pm))
}

pub(super) fn date(year: u32, month: u32, day: u32) -> Option<CvDate> {
    CvDate::new(
        u16::try_from(year).ok()?,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
    )
    .ok()
}

/// Days in a month of the Gregorian calendar.
pub(super) fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The last day of a lifetime of `days` starting on `from`.
pub(super) fn after_days(from: CvDate, days: u32) -> Option<CvDate> {
    from.checked_add_days(days.checked_sub(1)?)
}

/// `what`: the certificate's name as a message id (`op-cvc-f-…`).
pub(super) fn lifetime_error(what: &'static str) -> Fail {
    Fail::usage_said(
        ektp_i18n::Message::new("op-cvc-err-lifetime").msg("what", ektp_i18n::Message::new(what)),
    )
}

// ---------------------------------------------------------------- references

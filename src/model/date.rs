//! Calendar dates (`YYYY-MM-DD`), as scenarios and timelines write them.

use std::fmt;
use std::str::FromStr;

use crate::error::ErrorKind;

/// A proleptic Gregorian calendar date. Orders chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// A date, checked.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidDate`] when the month or day is out of range.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Date, ErrorKind> {
        let text = format!("{year:04}-{month:02}-{day:02}");
        if !(1..=12).contains(&month) {
            return Err(ErrorKind::InvalidDate {
                text,
                reason: "month must be 01 to 12".into(),
            });
        }
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if !(1..=days).contains(&day) {
            return Err(ErrorKind::InvalidDate {
                text,
                reason: format!("day must be 01 to {days} in that month"),
            });
        }
        Ok(Date { year, month, day })
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month.
    pub fn day(self) -> u8 {
        self.day
    }
}

impl FromStr for Date {
    type Err = ErrorKind;

    /// Parse `YYYY-MM-DD`.
    ///
    /// ```
    /// let d: dealzone::model::Date = "2024-02-29".parse().unwrap();
    /// assert_eq!(d.to_string(), "2024-02-29");
    /// assert!("2023-02-29".parse::<dealzone::model::Date>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Date, ErrorKind> {
        let bad = |reason: &str| ErrorKind::InvalidDate {
            text: s.to_string(),
            reason: reason.to_string(),
        };
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(bad("expected YYYY-MM-DD"));
        }
        let num =
            |r: std::ops::Range<usize>| s[r].parse::<u16>().map_err(|_| bad("expected YYYY-MM-DD"));
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        // Month and day have two digits, so they fit a u8.
        Date::new(y, m as u8, d as u8).map_err(|e| match e {
            ErrorKind::InvalidDate { reason, .. } => bad(&reason),
            other => other,
        })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

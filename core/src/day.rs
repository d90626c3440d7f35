//! Calendar days as plain integers, so that "days past due" is a subtraction.

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// Days since 1970-01-01 (day 0). Differences between two `Day`s are the
/// calendar-day counts the AR conventions use (no business-day logic).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i32);

const CE_TO_UNIX: i32 = 719_163;

impl Day {
    pub fn from_date(date: NaiveDate) -> Day {
        Day(date.num_days_from_ce() - CE_TO_UNIX)
    }

    pub fn date(self) -> NaiveDate {
        NaiveDate::from_num_days_from_ce_opt(self.0 + CE_TO_UNIX)
            .expect("Day values are only built from valid dates")
    }

    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Day> {
        NaiveDate::from_ymd_opt(year, month, day).map(Day::from_date)
    }

    /// Parses exactly `YYYY-MM-DD` and rejects impossible dates (2026-02-30).
    pub fn parse_iso(text: &str) -> Option<Day> {
        let b = text.trim().as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |s: &[u8]| -> Option<u32> {
            s.iter().try_fold(0u32, |acc, &c| {
                c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
            })
        };
        let year = num(&b[0..4])?;
        let month = num(&b[5..7])?;
        let day = num(&b[8..10])?;
        Day::from_ymd(year as i32, month, day)
    }

    /// Calendar days from `earlier` to `self` (negative when `earlier` is later).
    pub fn days_since(self, earlier: Day) -> i32 {
        self.0 - earlier.0
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.date().format("%Y-%m-%d"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_round_trip() {
        assert_eq!(Day::parse_iso("1970-01-01"), Some(Day(0)));
        let d = Day::parse_iso("2026-10-31").unwrap();
        assert_eq!(d.to_string(), "2026-10-31");
        assert_eq!(Day::from_date(d.date()), d);
    }

    #[test]
    fn rejects_malformed_and_impossible_dates() {
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "26-01-01",
            "2026/01/01",
            "",
            "2026-1-01",
        ] {
            assert_eq!(Day::parse_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn leap_day_counts() {
        let a = Day::parse_iso("2024-02-28").unwrap();
        let b = Day::parse_iso("2024-03-01").unwrap();
        assert_eq!(b.days_since(a), 2);
    }
}

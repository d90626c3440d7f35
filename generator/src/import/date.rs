//! Dates as exports write them. `03/04/2026` is March 4th in one country and
//! April 3rd in the next, so arsite never guesses: a file's format is
//! configured (`DD.MM.YYYY`, `MM/DD/YYYY`, `D/M/YY`, `YYYY-MM-DD`, …).
//! Unambiguous forms are accepted besides it: ISO `YYYY-MM-DD` and Excel
//! serial numbers (`46326` is 2026-10-31), which spreadsheets write when a
//! date cell loses its formatting.

use arsite_core::ledger::Period;
use arsite_core::Day;
use chrono::Datelike;

/// The dates arsite accepts, in every file and setting: 1900-01-01 through
/// 2199-12-31. Before 1900 the workbook cannot hold the date (Excel's 1900
/// date system starts there) and no receivable is that old; the upper end
/// bounds every month table (DSO, sales) and every period to 300 years, so
/// a typo such as `0000-01-01` or `9999-12-31` is an error naming the cell
/// rather than a DSO of 740,286 days or a 24,322-row month table.
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2199;

/// The message for a date outside the window, `None` inside it. Every
/// reader of dates (table cells, snapshot file names, `as_of` settings,
/// promised dates, ledger periods) asks this one function.
pub fn outside_window(day: Day) -> Option<String> {
    let year = day.date().year();
    (!(FIRST_YEAR..=LAST_YEAR).contains(&year)).then(|| {
        format!("date {day} is outside the dates arsite accepts, {FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31")
    })
}

/// [`outside_window`] for a month `YYYY-MM`.
pub fn period_outside_window((year, month): Period) -> Option<String> {
    (!(FIRST_YEAR..=LAST_YEAR).contains(&year)).then(|| {
        format!("month {year:04}-{month:02} is outside the months arsite accepts, {FIRST_YEAR}-01 to {LAST_YEAR}-12")
    })
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Year4,
    Year2,
    /// One or two digits.
    Month,
    /// Exactly two digits.
    Month2,
    /// `Oct`, `October` (English, any case).
    MonthName,
    Day,
    Day2,
    Literal(char),
}

/// A configured date format, or the canonical ISO-only one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateFormat {
    text: String,
    /// Empty for the canonical format: `YYYY-MM-DD` only, nothing else.
    tokens: Vec<Token>,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Excel's last serial day, 9999-12-31.
const MAX_SERIAL: i64 = 2_958_465;

impl DateFormat {
    /// arsite's canonical files: `YYYY-MM-DD` and nothing else.
    pub fn iso_only() -> DateFormat {
        DateFormat {
            text: "YYYY-MM-DD".into(),
            tokens: Vec::new(),
        }
    }

    /// Parses a format such as `DD.MM.YYYY` (letters in any case): `YYYY`
    /// or `YY` (00–69 → 20xx, 70–99 → 19xx), `MM`/`DD` (two digits), `M`/`D`
    /// (one or two), `MMM` (month name); anything else is a literal.
    pub fn new(text: &str) -> Result<DateFormat, String> {
        let expected =
            "expected a date format such as DD.MM.YYYY, MM/DD/YYYY, D/M/YY or YYYY-MM-DD";
        let chars: Vec<char> = text.trim().chars().collect();
        let mut tokens = Vec::new();
        let mut i = 0;
        let (mut years, mut months, mut days) = (0, 0, 0);
        while i < chars.len() {
            let c = chars[i].to_ascii_uppercase();
            let run = chars[i..]
                .iter()
                .take_while(|x| x.to_ascii_uppercase() == c)
                .count();
            let token = match (c, run) {
                ('Y', 4) => Token::Year4,
                ('Y', 2) => Token::Year2,
                ('M', 1) => Token::Month,
                ('M', 2) => Token::Month2,
                ('M', 3) => Token::MonthName,
                ('D', 1) => Token::Day,
                ('D', 2) => Token::Day2,
                (c, _) if c.is_alphanumeric() => {
                    return Err(format!("{expected}, found {text:?}"));
                }
                (c, _) => {
                    tokens.push(Token::Literal(c));
                    i += 1;
                    continue;
                }
            };
            match token {
                Token::Year4 | Token::Year2 => years += 1,
                Token::Month | Token::Month2 | Token::MonthName => months += 1,
                _ => days += 1,
            }
            tokens.push(token);
            i += run;
        }
        if (years, months, days) != (1, 1, 1) {
            return Err(format!(
                "{expected} (one year, one month and one day), found {text:?}"
            ));
        }
        Ok(DateFormat {
            text: text.trim().to_string(),
            tokens,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// `day` written in this format (`31_10_2026` for `DD_MM_YYYY`; month
    /// names in English, `Oct`): how `arsite init` writes a snapshot's date
    /// into a file name when `file_date_format` says how names hold it.
    pub fn write(&self, day: Day) -> String {
        use chrono::Datelike;
        let date = day.date();
        if self.tokens.is_empty() {
            return day.to_string();
        }
        let mut out = String::new();
        for t in &self.tokens {
            match t {
                Token::Year4 => out.push_str(&format!("{:04}", date.year())),
                Token::Year2 => out.push_str(&format!("{:02}", date.year().rem_euclid(100))),
                Token::Month => out.push_str(&date.month().to_string()),
                Token::Month2 => out.push_str(&format!("{:02}", date.month())),
                Token::MonthName => {
                    let name = MONTHS[date.month0() as usize];
                    out.push_str(&name[..1].to_uppercase());
                    out.push_str(&name[1..3]);
                }
                Token::Day => out.push_str(&date.day().to_string()),
                Token::Day2 => out.push_str(&format!("{:02}", date.day())),
                Token::Literal(c) => out.push(*c),
            }
        }
        out
    }

    /// The date in `text`: the configured format, then ISO, then an Excel
    /// serial number. A time after the date (`10/31/2026 12:00:00 AM`,
    /// `2026-10-31T00:00:00`) is ignored.
    pub fn parse(&self, text: &str) -> Option<Day> {
        if self.tokens.is_empty() {
            return Day::parse_iso(text);
        }
        let text = text.trim();
        if let Some((day, rest)) = self.parse_prefix(text) {
            if is_time(rest) {
                return Some(day);
            }
        }
        if text.len() >= 10 && text.is_char_boundary(10) && is_time(&text[10..]) {
            if let Some(day) = Day::parse_iso(&text[..10]) {
                return Some(day);
            }
        }
        excel_serial_text(text)
    }

    /// The date at the start of `text` and what follows it.
    pub(crate) fn parse_prefix<'t>(&self, text: &'t str) -> Option<(Day, &'t str)> {
        let b = text.as_bytes();
        let mut at = 0usize;
        let (mut year, mut month, mut day) = (0i32, 0u32, 0u32);
        let digits = |at: &mut usize, min: usize, max: usize| -> Option<u32> {
            let start = *at;
            while *at < b.len() && *at - start < max && b[*at].is_ascii_digit() {
                *at += 1;
            }
            if *at - start < min {
                return None;
            }
            text[start..*at].parse().ok()
        };
        for token in &self.tokens {
            match token {
                Token::Year4 => year = digits(&mut at, 4, 4)? as i32,
                Token::Year2 => {
                    let y = digits(&mut at, 2, 2)? as i32;
                    year = if y < 70 { 2000 + y } else { 1900 + y };
                }
                Token::Month => month = digits(&mut at, 1, 2)?,
                Token::Month2 => month = digits(&mut at, 2, 2)?,
                Token::Day => day = digits(&mut at, 1, 2)?,
                Token::Day2 => day = digits(&mut at, 2, 2)?,
                Token::MonthName => {
                    let start = at;
                    while at < b.len() && b[at].is_ascii_alphabetic() {
                        at += 1;
                    }
                    let name = text[start..at].to_ascii_lowercase();
                    let found = MONTHS.iter().position(|m| {
                        name.len() >= 3
                            && (**m == name || (name.len() == 3 && m.starts_with(&name)))
                    })?;
                    month = found as u32 + 1;
                }
                Token::Literal(c) => {
                    let rest = &text[at..];
                    if !rest.starts_with(*c) {
                        return None;
                    }
                    at += c.len_utf8();
                }
            }
        }
        Some((Day::from_ymd(year, month, day)?, &text[at..]))
    }
}

/// Nothing, or a time of day after the date: `[T ]H:MM[:SS[.fff]][ AM|PM][Z]`.
fn is_time(rest: &str) -> bool {
    if rest.is_empty() {
        return true;
    }
    let Some(rest) = rest.strip_prefix(['T', ' ']) else {
        return false;
    };
    let mut t = rest.trim();
    for suffix in ["AM", "PM", "am", "pm", "Z"] {
        if let Some(s) = t.strip_suffix(suffix) {
            t = s.trim_end();
            break;
        }
    }
    let parts: Vec<&str> = t.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts.iter().enumerate().all(|(i, p)| {
            let p = if i == 2 {
                p.split_once('.').map_or(*p, |(s, f)| {
                    if f.bytes().all(|b| b.is_ascii_digit()) {
                        s
                    } else {
                        "x"
                    }
                })
            } else {
                p
            };
            (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
        })
}

/// `46326` or `46326.5` (a time of day after the point) as a day.
fn excel_serial_text(text: &str) -> Option<Day> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty()
        || whole.len() > 7
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    excel_serial(whole.parse().ok()?)
}

/// Day of an Excel serial number in the 1900 date system. Excel counts the
/// nonexistent 1900-02-29 as day 60 (a Lotus 1-2-3 compatibility bug), so
/// serials from 61 on are days since 1899-12-30, earlier ones since
/// 1899-12-31, and 60 itself is no date.
pub fn excel_serial(serial: i64) -> Option<Day> {
    if !(1..=MAX_SERIAL).contains(&serial) || serial == 60 {
        return None;
    }
    let epoch = if serial > 60 {
        Day::from_ymd(1899, 12, 30)?
    } else {
        Day::from_ymd(1899, 12, 31)?
    };
    Some(Day(epoch.0 + serial as i32))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<Day> {
        Day::parse_iso(s)
    }

    fn f(s: &str) -> DateFormat {
        DateFormat::new(s).unwrap()
    }

    #[test]
    fn configured_formats() {
        assert_eq!(f("DD.MM.YYYY").parse("31.10.2026"), d("2026-10-31"));
        assert_eq!(f("dd.mm.yyyy").parse("01.02.2026"), d("2026-02-01"));
        assert_eq!(f("MM/DD/YYYY").parse("03/04/2026"), d("2026-03-04"));
        assert_eq!(f("DD/MM/YYYY").parse("03/04/2026"), d("2026-04-03"));
        assert_eq!(f("D/M/YY").parse("3/4/26"), d("2026-04-03"));
        assert_eq!(f("D/M/YY").parse("31/12/99"), d("1999-12-31"));
        assert_eq!(f("M/D/YYYY").parse("10/5/2026"), d("2026-10-05"));
        assert_eq!(f("DD-MMM-YYYY").parse("31-Oct-2026"), d("2026-10-31"));
        assert_eq!(f("MMM D, YYYY").parse("October 31, 2026"), d("2026-10-31"));
        assert_eq!(f("YYYYMMDD").parse("20261031"), d("2026-10-31"));
        assert_eq!(
            f("MM/DD/YYYY").parse("10/31/2026 12:00:00 AM"),
            d("2026-10-31")
        );
    }

    #[test]
    fn unambiguous_fallbacks() {
        let fmt = f("DD.MM.YYYY");
        assert_eq!(fmt.parse("2026-10-31"), d("2026-10-31"));
        assert_eq!(fmt.parse("2026-10-31T00:00:00"), d("2026-10-31"));
        assert_eq!(fmt.parse("46326"), d("2026-10-31"));
        assert_eq!(fmt.parse("46326.75"), d("2026-10-31"));
    }

    #[test]
    fn refuses_wrong_and_impossible_dates() {
        let fmt = f("MM/DD/YYYY");
        for bad in [
            "31/10/2026",
            "3/4/2026",
            "02/30/2026",
            "10/31/26",
            "",
            "10/31/2026 noon",
            "1e5",
            "60",
            "99999999",
            "-5",
        ] {
            assert_eq!(fmt.parse(bad), None, "{bad}");
        }
        let iso = DateFormat::iso_only();
        assert_eq!(iso.parse("46326"), None);
        assert_eq!(iso.parse("2026-10-31"), d("2026-10-31"));
        assert_eq!(iso.parse("31.10.2026"), None);
    }

    #[test]
    fn excel_serials() {
        assert_eq!(excel_serial(46326), d("2026-10-31"));
        assert_eq!(excel_serial(1), d("1900-01-01"));
        assert_eq!(excel_serial(59), d("1900-02-28"));
        assert_eq!(excel_serial(60), None);
        assert_eq!(excel_serial(61), d("1900-03-01"));
        assert_eq!(excel_serial(2_958_465), d("9999-12-31"));
        assert_eq!(excel_serial(0), None);
    }

    #[test]
    fn the_date_window_is_1900_through_2199() {
        for ok in ["1900-01-01", "2026-10-31", "2199-12-31"] {
            assert_eq!(outside_window(d(ok).unwrap()), None, "{ok}");
        }
        assert_eq!(
            outside_window(d("0000-01-01").unwrap()).as_deref(),
            Some("date 0000-01-01 is outside the dates arsite accepts, 1900-01-01 to 2199-12-31")
        );
        assert!(outside_window(d("1899-12-31").unwrap()).is_some());
        assert!(outside_window(d("2200-01-01").unwrap()).is_some());
        assert_eq!(period_outside_window((1900, 1)), None);
        assert_eq!(period_outside_window((2199, 12)), None);
        assert_eq!(
            period_outside_window((1899, 12)).as_deref(),
            Some("month 1899-12 is outside the months arsite accepts, 1900-01 to 2199-12")
        );
        assert!(period_outside_window((2200, 1)).is_some());
    }

    #[test]
    fn format_errors() {
        for bad in [
            "",
            "DD.MM",
            "YYYY-MM-DD-DD",
            "QQ/MM/YYYY",
            "DDD.MM.YYYY",
            "YYY-MM-DD",
        ] {
            assert!(DateFormat::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn writes_a_day_in_the_format_it_reads() {
        let day = Day::parse_iso("2026-03-07").unwrap();
        for (format, text) in [
            ("DD_MM_YYYY", "07_03_2026"),
            ("MM-DD-YYYY", "03-07-2026"),
            ("D.M.YY", "7.3.26"),
            ("DD-MMM-YYYY", "07-Mar-2026"),
            ("YYYYMMDD", "20260307"),
        ] {
            let f = DateFormat::new(format).unwrap();
            assert_eq!(f.write(day), text, "{format}");
            assert_eq!(f.parse(text), Some(day), "{format} reads back");
        }
        assert_eq!(DateFormat::iso_only().write(day), "2026-03-07");
    }
}

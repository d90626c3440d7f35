//! Amounts as ERPs and spreadsheets print them: `1,234.56`, `1.234,56`,
//! `1'234.56`, `1 234,56`, `1.234,56-`, `(1,234.56)`, `1,234.56 CR`,
//! `€1,234.56`, `EUR -1.234,56`.
//!
//! The result is exact minor units ([`Money`]); nothing passes through a
//! float. Thousands separators are checked for their grouping, because a
//! wrongly configured decimal separator otherwise turns `1234.56` into
//! `123456` without a word.

use arsite_core::Money;
use std::fmt;

/// How a file writes numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberFormat {
    /// `None`: arsite's canonical plain decimals (`-1234.56`), parsed by the
    /// strict and fast [`Money::parse_plain`].
    regional: Option<Regional>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Regional {
    decimal: char,
    thousands: Vec<char>,
}

/// Spaces that spreadsheets put between digit groups: ordinary, no-break
/// (French Excel), narrow no-break and thin.
const SPACES: [char; 4] = [' ', '\u{a0}', '\u{202f}', '\u{2009}'];

impl NumberFormat {
    pub const PLAIN: NumberFormat = NumberFormat { regional: None };

    /// A regional format. `thousands = None` accepts the usual separators
    /// for the decimal mark: the other of `.`/`,`, apostrophes and spaces.
    pub fn regional(decimal: char, thousands: Option<&str>) -> Result<NumberFormat, String> {
        if decimal != '.' && decimal != ',' {
            return Err(format!(
                "decimal: expected \".\" or \",\", found {decimal:?}"
            ));
        }
        let thousands: Vec<char> = match thousands {
            Some(t) => t.chars().collect(),
            None => {
                let mut v = vec![if decimal == '.' { ',' } else { '.' }, '\'', '\u{2019}'];
                v.extend(SPACES);
                v
            }
        };
        if let Some(c) = thousands
            .iter()
            .find(|c| **c == decimal || c.is_ascii_digit() || **c == '-')
        {
            return Err(format!(
                "thousands: {c:?} cannot separate thousands when the decimal mark is {decimal:?}"
            ));
        }
        Ok(NumberFormat {
            regional: Some(Regional { decimal, thousands }),
        })
    }

    pub fn is_plain(&self) -> bool {
        self.regional.is_none()
    }

    /// An example of the expected form, for messages.
    pub fn example(&self) -> String {
        match &self.regional {
            None => "-1234.56".to_string(),
            Some(r) => {
                let sep = r
                    .thousands
                    .first()
                    .map(|c| if SPACES.contains(c) { ' ' } else { *c });
                match sep {
                    Some(s) => format!("1{s}234{}56", r.decimal),
                    None => format!("1234{}56", r.decimal),
                }
            }
        }
    }
}

/// A parsed amount and the currency code written next to it, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Amount {
    pub value: Money,
    pub code: Option<[u8; 3]>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AmountError {
    Empty,
    NotANumber,
    /// A thousands separator not followed by a group of three digits.
    Grouping(char),
    /// More than one of: leading or trailing minus, parentheses, CR/DR, plus.
    Signs,
    Parentheses,
    TooManyDecimals {
        allowed: u32,
    },
    OutOfRange,
}

impl AmountError {
    /// The message for a row problem, naming what was expected.
    pub fn message(&self, format: &NumberFormat) -> String {
        match self {
            AmountError::Empty => "expected an amount, found nothing".into(),
            AmountError::NotANumber => format!("expected an amount such as {}", format.example()),
            AmountError::Grouping(c) => format!(
                "expected groups of three digits after the thousands separator {c:?} (an amount such as {}; is the decimal separator right?)",
                format.example()
            ),
            AmountError::Signs => {
                "expected one sign marker (-, trailing -, parentheses, CR or DR)".into()
            }
            AmountError::Parentheses => "expected both parentheses around a negative amount".into(),
            AmountError::TooManyDecimals { allowed } => {
                format!("expected at most {allowed} decimal places for this currency")
            }
            AmountError::OutOfRange => "amount is too large".into(),
        }
    }
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(&NumberFormat::PLAIN))
    }
}

impl From<arsite_core::money::AmountError> for AmountError {
    fn from(e: arsite_core::money::AmountError) -> Self {
        use arsite_core::money::AmountError as E;
        match e {
            E::Empty => AmountError::Empty,
            E::NotANumber => AmountError::NotANumber,
            E::TooManyDecimals { allowed } => AmountError::TooManyDecimals { allowed },
            E::OutOfRange => AmountError::OutOfRange,
        }
    }
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || SPACES.contains(&c)
}

/// Symbols that may stand before or after an amount; which currency they
/// mean is not decided from them (`$` is many currencies).
fn is_currency_symbol(c: char) -> bool {
    matches!(
        c,
        '$' | '€'
            | '£'
            | '¥'
            | '₹'
            | '₽'
            | '₩'
            | '₺'
            | '₪'
            | '₫'
            | '¢'
            | '₦'
            | '₱'
            | '₴'
            | '₡'
            | '₲'
            | '₵'
            | '₸'
            | '฿'
    )
}

/// Parses an amount in `format`, refusing (never rounding) more fractional
/// digits than `exponent` unless they are zeros.
pub fn parse_amount(
    text: &str,
    format: &NumberFormat,
    exponent: u32,
) -> Result<Amount, AmountError> {
    let Some(regional) = &format.regional else {
        return Money::parse_plain(text, exponent)
            .map(|value| Amount { value, code: None })
            .map_err(AmountError::from);
    };
    let mut s = text.trim_matches(is_space);
    if s.is_empty() {
        return Err(AmountError::Empty);
    }
    let mut signs = 0u32;
    let mut negative = false;
    let (mut open_paren, mut close_paren) = (false, false);
    let mut code: Option<[u8; 3]> = None;
    let mut take_code = |letters: &str| -> Result<(), AmountError> {
        if letters.len() != 3 || code.is_some() {
            return Err(AmountError::NotANumber);
        }
        let b = letters.as_bytes();
        code = Some([
            b[0].to_ascii_uppercase(),
            b[1].to_ascii_uppercase(),
            b[2].to_ascii_uppercase(),
        ]);
        Ok(())
    };
    // Front: signs, an opening parenthesis, a symbol or a code, in any order.
    while let Some(c) = s.chars().next() {
        match c {
            c if is_space(c) => {}
            '-' | '\u{2212}' => {
                signs += 1;
                negative = true;
            }
            '+' => signs += 1,
            '(' if !open_paren => {
                open_paren = true;
                signs += 1;
                negative = true;
            }
            c if is_currency_symbol(c) => {}
            c if c.is_ascii_alphabetic() => {
                let end = s
                    .find(|c: char| !c.is_ascii_alphabetic())
                    .unwrap_or(s.len());
                take_code(&s[..end])?;
                s = &s[end..];
                continue;
            }
            _ => break,
        }
        s = &s[c.len_utf8()..];
    }
    // Back: trailing minus, a closing parenthesis, CR/DR, a symbol or a code.
    while let Some(c) = s.chars().next_back() {
        match c {
            c if is_space(c) => {}
            '-' | '\u{2212}' => {
                signs += 1;
                negative = true;
            }
            ')' if !close_paren => close_paren = true,
            c if is_currency_symbol(c) => {}
            c if c.is_ascii_alphabetic() => {
                let start = s
                    .rfind(|c: char| !c.is_ascii_alphabetic())
                    .map_or(0, |i| i + s[i..].chars().next().map_or(1, char::len_utf8));
                let letters = &s[start..];
                if letters.eq_ignore_ascii_case("CR") {
                    signs += 1;
                    negative = true;
                } else if letters.eq_ignore_ascii_case("DR") {
                    signs += 1;
                } else {
                    take_code(letters)?;
                }
                s = &s[..start];
                continue;
            }
            _ => break,
        }
        s = &s[..s.len() - c.len_utf8()];
    }
    if open_paren != close_paren {
        return Err(AmountError::Parentheses);
    }
    if signs > 1 {
        return Err(AmountError::Signs);
    }
    let minor = digits(s, regional, exponent)?;
    let value = if negative { -minor } else { minor };
    Ok(Amount {
        value: Money(value),
        code,
    })
}

/// The number between the markers, as minor units.
fn digits(s: &str, r: &Regional, exponent: u32) -> Result<i64, AmountError> {
    let mut minor: i64 = 0;
    let mut seen_digit = false;
    let mut fraction: Option<u32> = None;
    let mut group_len = 0u32;
    let mut separators = 0u32;
    let mut last_separator = ' ';
    let mut dropped_non_zero = false;
    for c in s.chars() {
        if let Some(d) = c.to_digit(10).filter(|_| c.is_ascii_digit()) {
            seen_digit = true;
            match fraction.as_mut() {
                Some(f) if *f >= exponent => {
                    dropped_non_zero |= d != 0;
                    continue;
                }
                Some(f) => *f += 1,
                None => group_len += 1,
            }
            minor = minor
                .checked_mul(10)
                .and_then(|m| m.checked_add(i64::from(d)))
                .ok_or(AmountError::OutOfRange)?;
        } else if c == r.decimal && fraction.is_none() {
            if separators > 0 && group_len != 3 {
                return Err(AmountError::Grouping(last_separator));
            }
            fraction = Some(0);
        } else if fraction.is_none() && r.thousands.contains(&c) {
            // The first group has one to three digits; later ones three (or
            // two, for the Indian lakh grouping 1,23,45,678).
            let ok = if separators == 0 {
                (1..=3).contains(&group_len)
            } else {
                group_len == 3 || group_len == 2
            };
            if !ok {
                return Err(AmountError::Grouping(c));
            }
            separators += 1;
            last_separator = c;
            group_len = 0;
        } else {
            return Err(AmountError::NotANumber);
        }
    }
    if !seen_digit {
        return Err(AmountError::NotANumber);
    }
    if fraction.is_none() && separators > 0 && group_len != 3 {
        return Err(AmountError::Grouping(last_separator));
    }
    if dropped_non_zero {
        return Err(AmountError::TooManyDecimals { allowed: exponent });
    }
    for _ in fraction.unwrap_or(0)..exponent {
        minor = minor.checked_mul(10).ok_or(AmountError::OutOfRange)?;
    }
    Ok(minor)
}

/// A spreadsheet number cell as its shortest decimal text (Rust prints the
/// shortest digits that read back as the same float, never an exponent):
/// what the user saw typed, not the binary float's expansion.
pub fn float_text(value: f64) -> Option<String> {
    value.is_finite().then(|| format!("{value}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(decimal: char, thousands: Option<&str>) -> NumberFormat {
        NumberFormat::regional(decimal, thousands).unwrap()
    }

    fn cents(text: &str, f: &NumberFormat) -> Result<i64, AmountError> {
        parse_amount(text, f, 2).map(|a| a.value.0)
    }

    #[test]
    fn regional_forms() {
        let dot = fmt('.', None);
        let comma = fmt(',', None);
        assert_eq!(cents("1,234.56", &dot), Ok(123456));
        assert_eq!(cents("1.234,56", &comma), Ok(123456));
        assert_eq!(cents("1'234.56", &dot), Ok(123456));
        assert_eq!(cents("1 234,56", &comma), Ok(123456));
        assert_eq!(cents("1\u{a0}234,56", &comma), Ok(123456));
        assert_eq!(cents("1\u{202f}234,56", &comma), Ok(123456));
        assert_eq!(cents("-1,234.56", &dot), Ok(-123456));
        assert_eq!(cents("1.234,56-", &comma), Ok(-123456));
        assert_eq!(cents("(1,234.56)", &dot), Ok(-123456));
        assert_eq!(cents("1,234.56 CR", &dot), Ok(-123456));
        assert_eq!(cents("1,234.56cr", &dot), Ok(-123456));
        assert_eq!(cents("1,234.56 DR", &dot), Ok(123456));
        assert_eq!(cents("€1,234.56", &dot), Ok(123456));
        assert_eq!(cents("(€1,234.56)", &dot), Ok(-123456));
        assert_eq!(cents("-$5", &dot), Ok(-500));
        assert_eq!(cents("$-5", &dot), Ok(-500));
        assert_eq!(cents("1.234,56 €", &comma), Ok(123456));
        assert_eq!(cents("1.234,56- EUR", &comma), Ok(-123456));
        assert_eq!(cents("  12  ", &dot), Ok(1200));
        assert_eq!(cents("0.5", &dot), Ok(50));
        assert_eq!(cents(",5", &comma), Ok(50));
        assert_eq!(cents("1,23,45,678.00", &dot), Ok(1_234_567_800));
        assert_eq!(cents("1.230", &dot), Ok(123));
        assert_eq!(cents("1234567", &dot), Ok(123_456_700));
    }

    #[test]
    fn currency_codes_are_reported() {
        let dot = fmt('.', None);
        let a = parse_amount("USD 1,000.00", &dot, 2).unwrap();
        assert_eq!(a.code, Some(*b"USD"));
        assert_eq!(a.value, Money(100_000));
        let a = parse_amount("1.000,00 eur", &fmt(',', None), 2).unwrap();
        assert_eq!(a.code, Some(*b"EUR"));
    }

    #[test]
    fn refuses_what_it_cannot_read_exactly() {
        let dot = fmt('.', None);
        let comma = fmt(',', Some("."));
        assert_eq!(cents("", &dot), Err(AmountError::Empty));
        assert_eq!(cents("  ", &dot), Err(AmountError::Empty));
        assert_eq!(cents("abc", &dot), Err(AmountError::NotANumber));
        assert_eq!(cents("-", &dot), Err(AmountError::NotANumber));
        assert_eq!(cents("1.2.3", &dot), Err(AmountError::NotANumber));
        assert_eq!(
            cents("12.345", &dot),
            Err(AmountError::TooManyDecimals { allowed: 2 })
        );
        // A decimal point read with a comma configuration: 1234.56 is not 123456.
        assert_eq!(cents("1234.56", &comma), Err(AmountError::Grouping('.')));
        assert_eq!(cents("1,234.56", &comma), Err(AmountError::NotANumber));
        assert_eq!(cents("1.234,56", &dot), Err(AmountError::NotANumber));
        assert_eq!(cents("1,2345.00", &dot), Err(AmountError::Grouping(',')));
        assert_eq!(cents("--5", &dot), Err(AmountError::Signs));
        assert_eq!(cents("-5-", &dot), Err(AmountError::Signs));
        assert_eq!(cents("(5) CR", &dot), Err(AmountError::Signs));
        assert_eq!(cents("(5", &dot), Err(AmountError::Parentheses));
        assert_eq!(cents("5 EURO", &dot), Err(AmountError::NotANumber));
        assert_eq!(cents("USD 5 EUR", &dot), Err(AmountError::NotANumber));
        assert_eq!(
            cents("99999999999999999999", &dot),
            Err(AmountError::OutOfRange)
        );
        // Negative overflow is an error too, in every sign notation.
        for text in [
            "-99999999999999999999",
            "(99,999,999,999,999,999,999.00)",
            "99999999999999999999 CR",
            "99999999999999999999-",
        ] {
            assert_eq!(cents(text, &dot), Err(AmountError::OutOfRange), "{text}");
            assert_eq!(
                cents(text, &NumberFormat::PLAIN).map_err(|_| ()),
                Err(()),
                "{text}"
            );
        }
        // The largest amount still reads, with either sign: i64::MAX cents.
        assert_eq!(cents("-92,233,720,368,547,758.07", &dot), Ok(-i64::MAX));
    }

    #[test]
    fn plain_is_the_canonical_parser() {
        assert_eq!(cents("-1234.5", &NumberFormat::PLAIN), Ok(-123450));
        assert_eq!(
            cents("1,234.00", &NumberFormat::PLAIN),
            Err(AmountError::NotANumber)
        );
    }

    #[test]
    fn configuration_errors() {
        assert!(NumberFormat::regional(';', None).is_err());
        assert!(NumberFormat::regional(',', Some(",")).is_err());
        assert_eq!(fmt(',', Some(".")).example(), "1.234,56");
        assert_eq!(fmt('.', Some("")).example(), "1234.56");
    }

    #[test]
    fn float_cells_keep_their_shortest_text() {
        assert_eq!(float_text(725.2).as_deref(), Some("725.2"));
        assert_eq!(float_text(-0.07).as_deref(), Some("-0.07"));
        assert_eq!(float_text(1e21).as_deref(), Some("1000000000000000000000"));
        assert_eq!(float_text(f64::NAN), None);
        let t = float_text(0.1 + 0.2).unwrap();
        assert_eq!(
            parse_amount(&t, &NumberFormat::PLAIN, 2),
            Err(AmountError::TooManyDecimals { allowed: 2 })
        );
    }
}

//! Exact money: integer minor units of one currency.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// An amount in minor units (cents for EUR or USD, yen for JPY) of the
/// currency its snapshot reports in. Never a float.
/// Serialises as the plain integer of minor units (build caches); pages and
/// metrics.json format money through `format` instead.
#[derive(
    Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(pub i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn minor(self) -> i64 {
        self.0
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// The exact decimal value given the currency's exponent.
    pub fn to_decimal(self, exponent: u32) -> Decimal {
        Decimal::new(self.0, exponent)
    }

    /// Converts a decimal to minor units, refusing (rather than rounding)
    /// values with more fractional digits than the currency has.
    pub fn from_decimal(value: Decimal, exponent: u32) -> Result<Money, AmountError> {
        let value = value.normalize();
        if value.scale() > exponent {
            return Err(AmountError::TooManyDecimals { allowed: exponent });
        }
        let mut m = value.mantissa();
        for _ in value.scale()..exponent {
            m = m.checked_mul(10).ok_or(AmountError::OutOfRange)?;
        }
        i64::try_from(m)
            .map(Money)
            .map_err(|_| AmountError::OutOfRange)
    }

    /// Parses a plain decimal number (`-1234.5`, `12`, `+0.07`) as written in
    /// arsite's canonical files. Regional formats are the importer's job.
    pub fn parse_plain(text: &str, exponent: u32) -> Result<Money, AmountError> {
        let bytes = text.trim().as_bytes();
        let (negative, digits) = match bytes.first() {
            Some(b'-') => (true, &bytes[1..]),
            Some(b'+') => (false, &bytes[1..]),
            Some(_) => (false, bytes),
            None => return Err(AmountError::Empty),
        };
        let mut minor: i64 = 0;
        let mut seen_digit = false;
        let mut fraction_digits: Option<u32> = None;
        for &b in digits {
            match b {
                b'0'..=b'9' => {
                    seen_digit = true;
                    if let Some(f) = fraction_digits.as_mut() {
                        *f += 1;
                        if *f > exponent {
                            return Err(AmountError::TooManyDecimals { allowed: exponent });
                        }
                    }
                    minor = minor
                        .checked_mul(10)
                        .and_then(|m| m.checked_add(i64::from(b - b'0')))
                        .ok_or(AmountError::OutOfRange)?;
                }
                b'.' if fraction_digits.is_none() => fraction_digits = Some(0),
                _ => return Err(AmountError::NotANumber),
            }
        }
        if !seen_digit {
            return Err(AmountError::NotANumber);
        }
        for _ in fraction_digits.unwrap_or(0)..exponent {
            minor = minor.checked_mul(10).ok_or(AmountError::OutOfRange)?;
        }
        Ok(Money(if negative { -minor } else { minor }))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AmountError {
    Empty,
    NotANumber,
    TooManyDecimals { allowed: u32 },
    OutOfRange,
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AmountError::Empty => write!(f, "expected an amount, found nothing"),
            AmountError::NotANumber => {
                write!(f, "expected a plain decimal number such as -1234.56")
            }
            AmountError::TooManyDecimals { allowed } => {
                write!(
                    f,
                    "expected at most {allowed} decimal places for this currency"
                )
            }
            AmountError::OutOfRange => write!(f, "amount is too large"),
        }
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        self.0 -= rhs.0;
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

/// The reporting currency: its ISO code and how many minor-unit digits it has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Currency {
    pub code: String,
    pub exponent: u32,
}

impl Currency {
    /// ISO 4217 minor-unit digits for the code; 2 for codes not listed here.
    pub fn from_code(code: &str) -> Currency {
        let code = code.trim().to_ascii_uppercase();
        let exponent = match code.as_str() {
            "JPY" | "KRW" | "ISK" | "CLP" | "VND" | "XAF" | "XOF" | "PYG" | "UGX" => 0,
            "BHD" | "KWD" | "OMR" | "JOD" | "TND" | "LYD" | "IQD" => 3,
            _ => 2,
        };
        Currency { code, exponent }
    }

    pub fn to_decimal(&self, m: Money) -> Decimal {
        m.to_decimal(self.exponent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn parse_plain_scales_to_minor_units() {
        assert_eq!(Money::parse_plain("1234.56", 2), Ok(Money(123456)));
        assert_eq!(Money::parse_plain("-0.5", 2), Ok(Money(-50)));
        assert_eq!(Money::parse_plain("+12", 2), Ok(Money(1200)));
        assert_eq!(Money::parse_plain(" 7 ", 0), Ok(Money(7)));
        assert_eq!(Money::parse_plain("1.234", 3), Ok(Money(1234)));
    }

    #[test]
    fn parse_plain_refuses_what_it_cannot_keep_exactly() {
        assert_eq!(
            Money::parse_plain("1.005", 2),
            Err(AmountError::TooManyDecimals { allowed: 2 })
        );
        assert_eq!(Money::parse_plain("", 2), Err(AmountError::Empty));
        assert_eq!(
            Money::parse_plain("1,234.00", 2),
            Err(AmountError::NotANumber)
        );
        assert_eq!(Money::parse_plain("-", 2), Err(AmountError::NotANumber));
        assert_eq!(Money::parse_plain("1.2.3", 2), Err(AmountError::NotANumber));
        assert_eq!(
            Money::parse_plain("99999999999999999999", 2),
            Err(AmountError::OutOfRange)
        );
    }

    #[test]
    fn decimal_round_trip_is_exact() {
        let d = Decimal::from_str("-1234.50").unwrap();
        let m = Money::from_decimal(d, 2).unwrap();
        assert_eq!(m, Money(-123450));
        assert_eq!(m.to_decimal(2).to_string(), "-1234.50");
        assert!(Money::from_decimal(Decimal::from_str("0.001").unwrap(), 2).is_err());
    }

    #[test]
    fn currency_exponents_follow_iso_4217() {
        assert_eq!(Currency::from_code("eur").exponent, 2);
        assert_eq!(Currency::from_code("JPY").exponent, 0);
        assert_eq!(Currency::from_code("KWD").exponent, 3);
    }
}

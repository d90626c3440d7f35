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

// Arithmetic. Overflow panics, in release builds too, instead of wrapping:
// a wrapped sum is a wrong figure published without a word, a panic fails
// the build before anything is written (the previous site stays). It does
// not happen on imported data: the importer refuses any file whose amounts
// add up, in absolute value, to more than i64::MAX / 8 (see the generator's
// `import::quality::MAX_FILE_TOTAL`), and every figure is a sum over a few
// files at most, so no sum, partial or final, can leave i64. Code that adds
// amounts of unbounded origin uses `checked_add`/`checked_sum` instead.

impl Money {
    /// `self + rhs`, `None` when it does not fit.
    pub fn checked_add(self, rhs: Money) -> Option<Money> {
        self.0.checked_add(rhs.0).map(Money)
    }

    /// `self - rhs`, `None` when it does not fit.
    pub fn checked_sub(self, rhs: Money) -> Option<Money> {
        self.0.checked_sub(rhs.0).map(Money)
    }

    /// Σ of `amounts`, `None` when the total does not fit (partial sums may:
    /// they are kept in i128).
    pub fn checked_sum(amounts: impl IntoIterator<Item = Money>) -> Option<Money> {
        let total: i128 = amounts.into_iter().map(|m| i128::from(m.0)).sum();
        Money::from_i128(total)
    }

    /// An i128 accumulator's value as money, `None` when it does not fit.
    pub fn from_i128(value: i128) -> Option<Money> {
        i64::try_from(value).ok().map(Money)
    }
}

#[cold]
#[inline(never)]
fn overflow(op: &str) -> ! {
    panic!(
        "money overflow in {op}: a figure exceeds {} minor units (the importer bounds every file's total, so this is a bug)",
        i64::MAX
    )
}

impl Add for Money {
    type Output = Money;
    #[inline]
    fn add(self, rhs: Money) -> Money {
        self.checked_add(rhs)
            .unwrap_or_else(|| overflow("an addition"))
    }
}

impl Sub for Money {
    type Output = Money;
    #[inline]
    fn sub(self, rhs: Money) -> Money {
        self.checked_sub(rhs)
            .unwrap_or_else(|| overflow("a subtraction"))
    }
}

impl Neg for Money {
    type Output = Money;
    #[inline]
    fn neg(self) -> Money {
        self.0
            .checked_neg()
            .map(Money)
            .unwrap_or_else(|| overflow("a negation"))
    }
}

impl AddAssign for Money {
    #[inline]
    fn add_assign(&mut self, rhs: Money) {
        *self = *self + rhs;
    }
}

impl SubAssign for Money {
    #[inline]
    fn sub_assign(&mut self, rhs: Money) {
        *self = *self - rhs;
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money::checked_sum(iter).unwrap_or_else(|| overflow("a sum"))
    }
}

/// The reporting currency: its ISO code and how many minor-unit digits it has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Currency {
    pub code: String,
    pub exponent: u32,
}

/// Why a code is not a currency amounts can be kept in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CurrencyError {
    /// Not three ASCII letters.
    NotACode(String),
    /// Three letters that ISO 4217 does not list.
    Unknown(String),
    /// Listed, but with no minor unit (gold, SDR, test and "no currency"
    /// codes): amounts in it have no defined number of decimals.
    NoMinorUnit(String),
}

impl fmt::Display for CurrencyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CurrencyError::NotACode(c) => write!(
                f,
                "expected a three-letter ISO 4217 code such as EUR, found {c:?}"
            ),
            CurrencyError::Unknown(c) => write!(
                f,
                "{c:?} is not an ISO 4217 currency code: expected one such as EUR, USD or JPY"
            ),
            CurrencyError::NoMinorUnit(c) => write!(
                f,
                "{c} has no minor unit in ISO 4217 (a precious metal, fund unit, test or \"no currency\" code): expected a currency amounts are kept in, such as EUR"
            ),
        }
    }
}

impl std::error::Error for CurrencyError {}

impl Currency {
    /// The currency of an ISO 4217 code (any case, surrounding spaces
    /// ignored) with its minor-unit digits from the ISO 4217 table of the
    /// `iso_currency` crate (JPY 0, EUR 2, KWD 3, CLF 4). Unknown codes and
    /// codes without a minor unit (XAU, XXX) are errors: a typo must not
    /// silently become a 2-decimal currency.
    pub fn parse(code: &str) -> Result<Currency, CurrencyError> {
        let written = code.trim();
        if written.len() != 3 || !written.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(CurrencyError::NotACode(written.to_string()));
        }
        let code = written.to_ascii_uppercase();
        let Some(iso) = iso_currency::Currency::from_code(&code) else {
            return Err(CurrencyError::Unknown(code));
        };
        match iso.exponent() {
            Some(e) => Ok(Currency {
                code,
                exponent: u32::from(e),
            }),
            None => Err(CurrencyError::NoMinorUnit(code)),
        }
    }

    /// [`Currency::parse`] for codes written in the program (tests, the
    /// sample data). Input read from files goes through `parse`.
    ///
    /// # Panics
    /// When `code` is not an ISO 4217 currency with a minor unit.
    pub fn from_code(code: &str) -> Currency {
        Currency::parse(code).unwrap_or_else(|e| panic!("{e}"))
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
        let e = |c: &str| Currency::parse(c).map(|c| c.exponent);
        assert_eq!(e("eur"), Ok(2));
        assert_eq!(e(" JPY "), Ok(0));
        assert_eq!(e("KWD"), Ok(3));
        // Missing from the former hand-kept list (it gave them 2 decimals).
        for code in ["BIF", "DJF", "GNF", "KMF", "RWF", "VUV", "XPF"] {
            assert_eq!(e(code), Ok(0), "{code}");
        }
        assert_eq!(e("CLF"), Ok(4));
        assert_eq!(e("UYW"), Ok(4));
    }

    #[test]
    fn three_letters_are_not_enough() {
        assert_eq!(
            Currency::parse("ABC"),
            Err(CurrencyError::Unknown("ABC".into()))
        );
        assert_eq!(
            Currency::parse("euro"),
            Err(CurrencyError::NotACode("euro".into()))
        );
        assert_eq!(
            Currency::parse("E1R"),
            Err(CurrencyError::NotACode("E1R".into()))
        );
        assert_eq!(
            Currency::parse("XAU"),
            Err(CurrencyError::NoMinorUnit("XAU".into()))
        );
        assert!(Currency::parse("ABC")
            .unwrap_err()
            .to_string()
            .contains("not an ISO 4217 currency code"));
    }

    #[test]
    fn amounts_follow_the_currency_decimals() {
        // XPF has no minor unit: 1500.50 cannot be kept, 1500 is 1,500 francs.
        let xpf = Currency::parse("XPF").unwrap().exponent;
        assert_eq!(
            Money::parse_plain("1500.50", xpf),
            Err(AmountError::TooManyDecimals { allowed: 0 })
        );
        assert_eq!(Money::parse_plain("1500", xpf), Ok(Money(1_500)));
        // CLF has 4: 12.3456 UF = 123,456 ten-thousandths.
        let clf = Currency::parse("CLF").unwrap().exponent;
        assert_eq!(Money::parse_plain("12.3456", clf), Ok(Money(123_456)));
    }

    #[test]
    fn sums_that_do_not_fit_are_never_wrapped() {
        // 10,000 × 10^15 minor units = 10^19 > i64::MAX (≈ 9.22 × 10^18):
        // wrapped, this was −8,446,744,073,709,551,616.
        let big = Money(1_000_000_000_000_000);
        assert_eq!(Money::checked_sum(std::iter::repeat_n(big, 10_000)), None);
        // 9,000 of them, 9 × 10^18, still fit.
        assert_eq!(
            Money::checked_sum(std::iter::repeat_n(big, 9_000)),
            Some(Money(9_000_000_000_000_000_000))
        );
        // A partial sum may pass i64 when the total comes back: MAX + 1 − 1.
        let back = [Money(i64::MAX), Money(1), Money(-1)];
        assert_eq!(Money::checked_sum(back), Some(Money(i64::MAX)));
        assert_eq!(Money(i64::MAX).checked_add(Money(1)), None);
        assert_eq!(Money(-i64::MAX).checked_sub(Money(2)), None);
        assert_eq!(Money(5).checked_sub(Money(7)), Some(Money(-2)));
        let wraps = std::panic::catch_unwind(|| std::iter::repeat_n(big, 10_000).sum::<Money>());
        assert!(
            wraps.is_err(),
            "an overflowing sum must not return a figure"
        );
        let wraps = std::panic::catch_unwind(|| Money(i64::MAX) + Money(1));
        assert!(wraps.is_err());
    }

    #[test]
    fn overflowing_amounts_are_errors_whatever_their_sign() {
        for text in ["99999999999999999999", "-99999999999999999999"] {
            assert_eq!(Money::parse_plain(text, 2), Err(AmountError::OutOfRange));
        }
        // i64::MAX minor units is the largest amount: 92,233,720,368,547,758.07.
        assert_eq!(
            Money::parse_plain("-92233720368547758.07", 2),
            Ok(Money(-i64::MAX))
        );
        assert_eq!(
            Money::parse_plain("-92233720368547758.08", 2),
            Err(AmountError::OutOfRange)
        );
        let big = Decimal::from_str("-99999999999999999999").unwrap();
        assert_eq!(Money::from_decimal(big, 2), Err(AmountError::OutOfRange));
    }
}

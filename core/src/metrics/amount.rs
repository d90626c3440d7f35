//! Output numbers: money as exact decimal strings, ratios rounded to two
//! decimals half away from zero, computed exactly from integers wherever the
//! formula allows it.

use crate::{Day, Money};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Serialize, Serializer};

/// A money figure of the output: minor units plus the currency exponent, so
/// that it serialises as the exact decimal string (`"1234.50"`).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount {
    pub money: Money,
    pub exponent: u32,
}

impl Amount {
    pub fn new(money: Money, exponent: u32) -> Amount {
        Amount { money, exponent }
    }

    pub fn to_decimal(self) -> Decimal {
        self.money.to_decimal(self.exponent)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.to_decimal())
    }
}

/// A money figure with the name of its group (collector, division, reason).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NamedAmount {
    pub name: String,
    pub amount: Amount,
}

/// Rounds to 2 decimals, half away from zero.
/// Always shows two decimals (`12` becomes `12.00`).
pub fn round2(d: Decimal) -> Decimal {
    let mut r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    r
}

/// `num / den` rounded to a whole number half away from zero, exactly.
/// `None` when `den` is 0.
pub fn div_round_int(num: i128, den: i128) -> Option<i128> {
    if den == 0 {
        return None;
    }
    let (num, den) = if den < 0 { (-num, -den) } else { (num, den) };
    let mut q = num / den;
    let r = num % den;
    if r.unsigned_abs() * 2 >= den.unsigned_abs() {
        q += num.signum();
    }
    Some(q)
}

/// `num / den` rounded to `dp` decimals half away from zero, exactly (integer
/// arithmetic, no intermediate rounding). `None` when `den` is 0.
pub fn div_round(num: i128, den: i128, dp: u32) -> Option<Decimal> {
    let scaled = num.checked_mul(10i128.checked_pow(dp)?)?;
    let q = div_round_int(scaled, den)?;
    Decimal::try_from_i128_with_scale(q, dp).ok()
}

/// `amount × num / den` in whole minor units, half away from zero (used to
/// prorate a month's sales over part of the month).
pub fn prorate(amount: Money, num: i64, den: i64) -> Money {
    let q = div_round_int(i128::from(amount.0) * i128::from(num), i128::from(den)).unwrap_or(0);
    Money(i64::try_from(q).unwrap_or(i64::MAX))
}

/// `part / whole × 100` rounded to 2 decimals; `None` when `whole` is 0.
pub fn percent(part: i128, whole: i128) -> Option<Decimal> {
    div_round(part.checked_mul(100)?, whole, 2)
}

/// [`percent`] of two money figures.
pub fn percent_money(part: Money, whole: Money) -> Option<Decimal> {
    percent(i128::from(part.0), i128::from(whole.0))
}

/// A decimal converted to whole minor units, half away from zero.
pub fn round_minor(d: Decimal) -> Money {
    let r = d.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    Money(i64::try_from(r.mantissa() / 10i128.pow(r.scale())).unwrap_or(i64::MAX))
}

/// Money-weighted average of day counts, Σ(amount × days) / Σ amount, 2 dp.
/// Only positive weights make sense; `None` when Σ amount ≤ 0.
pub fn weighted_days<I: IntoIterator<Item = (Money, i32)>>(rows: I) -> Option<Decimal> {
    let (mut products, mut weights) = (0i128, 0i128);
    for (amount, days) in rows {
        products += i128::from(amount.0) * i128::from(days);
        weights += i128::from(amount.0);
    }
    if weights <= 0 {
        return None;
    }
    div_round(products, weights, 2)
}

/// `YYYY-MM-DD`.
pub fn iso(day: Day) -> String {
    day.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn round2_keeps_two_decimals() {
        assert_eq!(round2(d("12")).to_string(), "12.00");
        assert_eq!(round2(d("0.125")).to_string(), "0.13");
        assert_eq!(round2(d("-0.125")).to_string(), "-0.13");
    }

    #[test]
    fn div_round_is_exact_half_away_from_zero() {
        assert_eq!(div_round(1, 8, 2), Some(d("0.13"))); // 0.125 → 0.13
        assert_eq!(div_round(-1, 8, 2), Some(d("-0.13")));
        assert_eq!(div_round(1, -8, 2), Some(d("-0.13")));
        assert_eq!(div_round(2, 3, 2), Some(d("0.67")));
        assert_eq!(div_round(1, 3, 2), Some(d("0.33")));
        assert_eq!(div_round(5, 0, 2), None);
        assert_eq!(div_round(0, 7, 2), Some(d("0.00")));
        assert_eq!(prorate(Money(31_000), 15, 31), Money(15_000));
        assert_eq!(prorate(Money(10), 1, 4), Money(3)); // 2.5 → 3
        assert_eq!(prorate(Money(-10), 1, 4), Money(-3));
    }

    #[test]
    fn percent_and_round_minor() {
        assert_eq!(percent(1, 3), Some(d("33.33")));
        assert_eq!(percent_money(Money(5), Money(0)), None);
        assert_eq!(round_minor(d("8.5")), Money(9));
        assert_eq!(round_minor(d("-8.5")), Money(-9));
        assert_eq!(round_minor(d("8.49")), Money(8));
        assert_eq!(round_minor(d("4110.00")), Money(4110));
    }

    #[test]
    fn weighted_days_example() {
        // 10,000 × 10 + 100 × 40 = 104,000; / 10,100 = 10.2970… → 10.30
        assert_eq!(
            weighted_days([(Money(10_000), 10), (Money(100), 40)]),
            Some(d("10.30"))
        );
        assert_eq!(weighted_days([(Money(-5), 10)]), None);
        assert_eq!(weighted_days(std::iter::empty()), None);
    }

    #[test]
    fn amount_serialises_as_exact_decimal_string() {
        let a = Amount::new(Money(-123_450), 2);
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"-1234.50\"");
        let y = Amount::new(Money(7), 0);
        assert_eq!(serde_json::to_string(&y).unwrap(), "\"7\"");
    }
}

//! Output numbers: money as exact decimal strings, ratios rounded to two
//! decimals half away from zero, computed exactly from integers wherever the
//! formula allows it.

use crate::Money;
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
/// prorate a month's sales over part of the month). With |num| ≤ |den|, as
/// in every use, the result is at most |amount| and always fits; outside
/// that it saturates towards its own sign (never a wrong sign).
pub fn prorate(amount: Money, num: i64, den: i64) -> Money {
    let q = div_round_int(i128::from(amount.0) * i128::from(num), i128::from(den)).unwrap_or(0);
    money_of(q).unwrap_or(if q < 0 {
        Money(i64::MIN)
    } else {
        Money(i64::MAX)
    })
}

/// Minor units that fit in [`Money`]; `None` when they do not (either sign).
pub fn money_of(minor: i128) -> Option<Money> {
    i64::try_from(minor).ok().map(Money)
}

/// Splits `total` into parts proportional to `weights` (≥ 0) that add up to
/// `total` exactly, by largest remainder (Hamilton): each part gets the
/// whole units of its quota `total × weight / Σ weights`, then the units
/// left over go one each to the largest remainders (ties: the earlier part).
/// All zeros when the weights are (a total with nothing to split it by).
/// Negative weights count as 0; a negative total is split as its opposite.
pub fn largest_remainder(total: Money, weights: &[Money]) -> Vec<Money> {
    let w: Vec<i128> = weights.iter().map(|m| i128::from(m.0.max(0))).collect();
    let sum: i128 = w.iter().sum();
    if sum == 0 {
        return vec![Money::ZERO; weights.len()];
    }
    let (sign, t) = (i128::from(total.0).signum(), i128::from(total.0).abs());
    // t × w ≤ (2^63)² < 2^127: exact in i128.
    let mut parts: Vec<i128> = w.iter().map(|&x| t * x / sum).collect();
    let mut left = t - parts.iter().sum::<i128>();
    let mut order: Vec<usize> = (0..w.len()).collect();
    // Remainders share the denominator `sum`: compare them as integers.
    order.sort_by(|&a, &b| ((t * w[b]) % sum).cmp(&((t * w[a]) % sum)).then(a.cmp(&b)));
    for &i in &order {
        if left == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    parts
        .into_iter()
        .map(|p| Money((sign * p) as i64))
        .collect()
}

/// `part / whole × 100` rounded to 2 decimals; `None` when `whole` is 0.
pub fn percent(part: i128, whole: i128) -> Option<Decimal> {
    div_round(part.checked_mul(100)?, whole, 2)
}

/// [`percent`] of two money figures.
pub fn percent_money(part: Money, whole: Money) -> Option<Decimal> {
    percent(i128::from(part.0), i128::from(whole.0))
}

/// A decimal converted to whole minor units, half away from zero; `None`
/// when it does not fit in [`Money`] (a huge negative value is not
/// i64::MAX).
pub fn round_minor(d: Decimal) -> Option<Money> {
    let r = d.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    money_of(r.mantissa() / 10i128.pow(r.scale()))
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
        assert_eq!(round_minor(d("8.5")), Some(Money(9)));
        assert_eq!(round_minor(d("-8.5")), Some(Money(-9)));
        assert_eq!(round_minor(d("8.49")), Some(Money(8)));
        assert_eq!(round_minor(d("4110.00")), Some(Money(4110)));
        // Out of range on either side is none, not i64::MAX.
        assert_eq!(round_minor(d("-99999999999999999999")), None);
        assert_eq!(round_minor(d("99999999999999999999")), None);
        assert_eq!(prorate(Money(i64::MIN + 1), 2, 1), Money(i64::MIN));
    }

    #[test]
    fn largest_remainder_by_hand() {
        // 100 split 1 : 1 : 1 → quotas 33.33 each: 33 + 33 + 33 = 99, the
        // one unit left goes to the first of the equal remainders.
        let m = |v: &[i64]| v.iter().map(|&x| Money(x)).collect::<Vec<_>>();
        assert_eq!(
            largest_remainder(Money(100), &m(&[1, 1, 1])),
            m(&[34, 33, 33])
        );
        // 10 split 5 : 3 : 2 (quotas 5, 3, 2) is exact.
        assert_eq!(largest_remainder(Money(10), &m(&[5, 3, 2])), m(&[5, 3, 2]));
        // 7 by 1 : 2 : 4 over 7 → 1, 2, 4; 8 → 8/7 = 1.14, 16/7 = 2.29,
        // 32/7 = 4.57: floors 1 + 2 + 4 = 7, the last unit to 4.57 → 1, 2, 5.
        assert_eq!(largest_remainder(Money(8), &m(&[1, 2, 4])), m(&[1, 2, 5]));
        // −5 by 1 : 1 → −3, −2; nothing to split by → zeros.
        assert_eq!(largest_remainder(Money(-5), &m(&[1, 1])), m(&[-3, -2]));
        assert_eq!(largest_remainder(Money(5), &m(&[0, 0])), m(&[0, 0]));
    }

    proptest::proptest! {
        #[test]
        fn largest_remainder_parts_add_up(
            total in -1_000_000_000i64..1_000_000_000,
            weights in proptest::collection::vec(proptest::prop_oneof![1 => proptest::strategy::Just(0i64), 3 => 0i64..1_000_000_000_000], 1..8),
        ) {
            let parts = largest_remainder(Money(total), &weights.iter().map(|&w| Money(w)).collect::<Vec<_>>());
            proptest::prop_assert_eq!(parts.len(), weights.len());
            if weights.iter().any(|&w| w > 0) {
                proptest::prop_assert_eq!(parts.iter().copied().sum::<Money>(), Money(total));
            } else {
                // Nothing to split by: all zeros.
                proptest::prop_assert!(parts.iter().all(|p| *p == Money::ZERO), "{:?}", parts);
            }
            // A part of weight 0 gets nothing; every part has the total's sign.
            for (p, w) in parts.iter().zip(&weights) {
                if *w == 0 {
                    proptest::prop_assert_eq!(*p, Money::ZERO);
                }
                proptest::prop_assert!(p.0 == 0 || p.0.signum() == total.signum(), "{:?}", parts);
            }
            // Each part is within one unit of its exact quota.
            let sum: i128 = weights.iter().map(|&w| i128::from(w)).sum();
            for (p, w) in parts.iter().zip(&weights) {
                if sum > 0 {
                    let exact = i128::from(total) * i128::from(*w);
                    proptest::prop_assert!((i128::from(p.0) * sum - exact).abs() < sum);
                }
            }
        }
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

/// Unit tests aimed at mutants cargo-mutants found surviving (issue 21).
#[cfg(test)]
mod mutation_tests {
    use super::*;

    #[test]
    fn the_unit_left_over_goes_to_the_largest_remainder_not_the_largest_part() {
        // 3 split 3 : 1 (Σ 4): quotas 3 × 3 / 4 = 2.25 and 3 × 1 / 4 = 0.75;
        // whole units 2 + 0 = 2, one left over, and the larger remainder is
        // 0.75 (the smaller part's) → [2, 1]. Ranking by quota would give [3, 0].
        assert_eq!(
            largest_remainder(Money(3), &[Money(3), Money(1)]),
            vec![Money(2), Money(1)]
        );
        // The same parts the other way round: [0.75, 2.25] → [1, 2]. (Both
        // orders, so that a comparison that ranks only one side by its
        // remainder is caught too.)
        assert_eq!(
            largest_remainder(Money(3), &[Money(1), Money(3)]),
            vec![Money(1), Money(2)]
        );
    }
}

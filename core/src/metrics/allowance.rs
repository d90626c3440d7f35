//! Allowance for doubtful accounts, aging method: Σ over buckets of the
//! bucket's open amount × its reserve percentage, each bucket's reserve
//! rounded to minor units half away from zero before summing. Negative
//! bucket amounts give negative reserves (they stay in, as in the aging).

use super::amount::{percent_money, round_minor, Amount, NamedAmount};
use super::context::Context;
use crate::{AgingScheme, BucketTotals, Money};
use rust_decimal::Decimal;
use serde::Serialize;

/// Reserve of one bucket: amount × percent / 100, rounded half away from zero.
pub fn bucket_reserve(amount: Money, percent: Decimal) -> Money {
    round_minor(Decimal::from(amount.0) * percent / Decimal::ONE_HUNDRED)
}

/// Reserves per bucket for `amounts` (Current first) and their total.
pub fn reserves(amounts: &[Money], percent_of: impl Fn(usize) -> Decimal) -> (Vec<Money>, Money) {
    let each: Vec<Money> = amounts
        .iter()
        .enumerate()
        .map(|(i, a)| bucket_reserve(*a, percent_of(i)))
        .collect();
    let total = each.iter().copied().sum();
    (each, total)
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AllowanceLine {
    pub bucket: String,
    pub open: Amount,
    pub percent: Decimal,
    pub reserve: Amount,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Allowance {
    pub buckets: Vec<AllowanceLine>,
    pub total: Amount,
    pub open: Amount,
    /// total / open × 100.
    pub coverage_percent: Option<Decimal>,
    /// The same computed on each division's buckets (each rounded per
    /// bucket, so the divisions may differ from the total by rounding).
    pub by_division: Vec<NamedAmount>,
}

fn for_totals(t: &BucketTotals, scheme: &AgingScheme, ctx: &Context<'_>) -> (Vec<Money>, Money) {
    reserves(t.amounts_for(scheme), |i| ctx.config.reserve_percent_for(i))
}

pub fn compute(ctx: &Context<'_>) -> Allowance {
    let scheme = &ctx.config.aging;
    let t = &ctx.aging.total;
    let (each, total) = for_totals(t, scheme, ctx);
    let buckets = scheme
        .labels()
        .into_iter()
        .zip(t.amounts_for(scheme))
        .zip(each)
        .enumerate()
        .map(|(i, ((label, open), reserve))| AllowanceLine {
            bucket: label,
            open: ctx.amount(*open),
            percent: ctx.config.reserve_percent_for(i),
            reserve: ctx.amount(reserve),
        })
        .collect();
    let mut by_division: Vec<NamedAmount> = ctx
        .aging
        .by_division
        .iter()
        .enumerate()
        .filter(|(_, d)| d.count() > 0)
        .map(|(i, d)| NamedAmount {
            name: ctx.current.divisions[i].clone(),
            amount: ctx.amount(for_totals(d, scheme, ctx).1),
        })
        .collect();
    by_division.sort_by(|a, b| a.name.cmp(&b.name));
    Allowance {
        buckets,
        total: ctx.amount(total),
        open: ctx.amount(t.total()),
        coverage_percent: percent_money(total, t.total()),
        by_division,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use crate::activity::ActivityLog;
    use crate::ledger::{MetricsConfig, SalesLedger};
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn allowance_worked_example() {
        // 411,000 × 1 % = 4,110; 105,000 × 2 % = 2,100; 51,000 × 5 % = 2,550;
        // 33,000 × 7 % = 2,310; 45,000 × 10 % = 4,500 → 15,570
        let amounts = [411_000, 105_000, 51_000, 33_000, 45_000].map(Money);
        let pcts = [1, 2, 5, 7, 10].map(Decimal::from);
        let (each, total) = reserves(&amounts, |i| pcts[i]);
        assert_eq!(each, [4_110, 2_100, 2_550, 2_310, 4_500].map(Money));
        assert_eq!(total, Money(15_570));
    }

    #[test]
    fn each_bucket_rounds_half_away_from_zero() {
        // 12,345 × 2.5 % = 308.625 → 309; 1 × 50 % = 0.5 → 1; −1 × 50 % = −0.5 → −1
        assert_eq!(bucket_reserve(Money(12_345), d("2.5")), Money(309));
        assert_eq!(bucket_reserve(Money(1), d("50")), Money(1));
        assert_eq!(bucket_reserve(Money(-1), d("50")), Money(-1));
        // Rounded per bucket, then summed: 0.5 + 0.5 → 1 + 1 = 2 (not 1).
        let (_, total) = reserves(&[Money(1), Money(1)], |_| d("50"));
        assert_eq!(total, Money(2));
    }

    #[test]
    fn allowance_on_a_snapshot_with_default_percentages() {
        // As of 2026-03-31, default buckets and 1/2/5/10/25/50 %:
        // A current 10,000 → 100; B 45 dpd 4,000 → 5 % = 200;
        // C 200 dpd 1,000 → 50 % = 500; D 10 dpd, division S, 3,333 → 2 % = 66.66 → 67.
        // Total 100 + 67 + 200 + 500 = 867 on 18,333 open → 4.73 %.
        let cur = snap(
            "2026-03-31",
            &[
                row(
                    "A",
                    "C1",
                    "N",
                    "",
                    "2026-03-20",
                    "2026-04-19",
                    10_000,
                    10_000,
                ),
                row("B", "C1", "N", "", "2026-01-15", "2026-02-14", 4_000, 4_000),
                row("C", "C2", "N", "", "2025-08-01", "2025-09-12", 1_000, 1_000),
                row("D", "C2", "S", "", "2026-02-19", "2026-03-21", 3_333, 3_333),
            ],
        );
        let cfg = MetricsConfig::default();
        let ledger = SalesLedger::default();
        let a = compute(&Context::new(
            &cur,
            None,
            &ledger,
            ActivityLog::empty(),
            &[],
            &cfg,
        ));
        assert_eq!(
            a.buckets
                .iter()
                .map(|l| l.reserve.money.0)
                .collect::<Vec<_>>(),
            vec![100, 67, 200, 0, 0, 500]
        );
        assert_eq!(a.total.money, Money(867));
        assert_eq!(a.coverage_percent, Some(d("4.73")));
        assert_eq!(a.by_division.len(), 2);
        assert_eq!(a.by_division[0].amount.money, Money(800)); // N: 100 + 200 + 500
        assert_eq!(a.by_division[1].amount.money, Money(67)); // S
    }
}

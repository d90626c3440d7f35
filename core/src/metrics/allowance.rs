//! Allowance for doubtful accounts, aging method, reserved on **debit
//! balances only**: for each bucket, the reserve base is Σ over customers of
//! the customer's net open amount in that bucket when it is positive (a cell
//! of the aged trial balance by customer). A customer's credit balance in a
//! bucket (credit memos, unapplied cash in excess of its invoices there) is
//! a liability to that customer, not negative risk: it reserves nothing and
//! does not offset another customer's debt. Within one customer and bucket
//! items net (its own credit memo against its own invoice of the same age).
//! Reserve of a bucket = base × its reserve %, rounded to minor units half
//! away from zero; the allowance is the sum, so it is never below zero.
//!
//! By division: each bucket's rounded reserve is split among the divisions
//! in proportion to their debit balances in the bucket (net per customer
//! and division) by largest remainder, so the divisions add up to the total
//! to the minor unit.

use super::amount::{largest_remainder, percent_money, round_minor, Amount, NamedAmount};
use super::context::Context;
use crate::aging::MAX_BUCKETS;
use crate::{BucketTotals, Money};
use hashbrown::HashMap;
use rust_decimal::Decimal;
use serde::Serialize;

/// Reserve of one bucket: debit base × percent / 100, rounded half away from
/// zero. A negative base reserves nothing; a percentage outside 0–100
/// (rejected by `MetricsConfig::validate`, reported in the warnings) is
/// clamped to it, so a reserve is never negative nor above its base.
pub fn bucket_reserve(base: Money, percent: Decimal) -> Money {
    let base = base.max(Money::ZERO);
    let percent = percent.clamp(Decimal::ZERO, Decimal::ONE_HUNDRED);
    // ≤ base, so it always fits.
    round_minor(Decimal::from(base.0) * percent / Decimal::ONE_HUNDRED).unwrap_or(base)
}

/// Reserves per bucket for the debit bases `bases` (Current first) and their total.
pub fn reserves(bases: &[Money], percent_of: impl Fn(usize) -> Decimal) -> (Vec<Money>, Money) {
    let each: Vec<Money> = bases
        .iter()
        .enumerate()
        .map(|(i, a)| bucket_reserve(*a, percent_of(i)))
        .collect();
    let total = each.iter().copied().sum();
    (each, total)
}

/// Adds the positive cells of one netting unit (a customer, or a customer
/// within a division) to the bucket bases.
pub fn add_debits(bases: &mut [Money; MAX_BUCKETS], cell: &[Money; MAX_BUCKETS]) {
    for (b, c) in bases.iter_mut().zip(cell) {
        *b += (*c).max(Money::ZERO);
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AllowanceLine {
    pub bucket: String,
    /// Net open amount of the bucket (credits included), as in the aging.
    pub open: Amount,
    /// What is reserved on: Σ of the customers' positive net amounts in the bucket.
    pub debit_balances: Amount,
    pub percent: Decimal,
    pub reserve: Amount,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Allowance {
    pub buckets: Vec<AllowanceLine>,
    pub total: Amount,
    /// Net open AR (credit balances included).
    pub open: Amount,
    /// Σ of the buckets' debit balances: the receivables reserved on.
    pub debit_balances: Amount,
    /// total / debit balances × 100: never negative.
    pub coverage_percent: Option<Decimal>,
    /// The total split among divisions (largest remainder per bucket): the
    /// divisions add up to `total` exactly.
    pub by_division: Vec<NamedAmount>,
}

pub fn compute(ctx: &Context<'_>) -> Allowance {
    let scheme = &ctx.config.aging;
    let n = scheme.bucket_count();
    let as_of = ctx.as_of();
    let mut bases = [Money::ZERO; MAX_BUCKETS];
    for c in &ctx.aging.by_customer {
        add_debits(&mut bases, &c.amounts);
    }
    let (each, total) = reserves(&bases[..n], |i| ctx.config.reserve_percent_for(i));
    // Netting units for the split: a customer within a division.
    let mut cells: HashMap<(u32, u32), BucketTotals> = HashMap::new();
    for inv in &ctx.current.invoices {
        cells
            .entry((inv.customer, inv.division))
            .or_default()
            .add(scheme.bucket_of(inv.days_past_due(as_of)), inv.open);
    }
    let divisions = ctx.current.divisions.len();
    let mut div_bases = vec![[Money::ZERO; MAX_BUCKETS]; divisions];
    for (&(_, d), cell) in &cells {
        add_debits(&mut div_bases[d as usize], &cell.amounts);
    }
    let mut div_total = vec![Money::ZERO; divisions];
    for (b, reserve) in each.iter().enumerate() {
        let weights: Vec<Money> = div_bases.iter().map(|d| d[b]).collect();
        for (t, share) in div_total
            .iter_mut()
            .zip(largest_remainder(*reserve, &weights))
        {
            *t += share;
        }
    }
    let t = &ctx.aging.total;
    let buckets = scheme
        .labels()
        .into_iter()
        .zip(t.amounts_for(scheme))
        .zip(&each)
        .enumerate()
        .map(|(i, ((label, open), reserve))| AllowanceLine {
            bucket: label,
            open: ctx.amount(*open),
            debit_balances: ctx.amount(bases[i]),
            percent: ctx.config.reserve_percent_for(i),
            reserve: ctx.amount(*reserve),
        })
        .collect();
    let mut by_division: Vec<NamedAmount> = ctx
        .aging
        .by_division
        .iter()
        .enumerate()
        .filter(|(_, d)| d.count() > 0)
        .map(|(i, _)| NamedAmount {
            name: ctx.current.divisions[i].clone(),
            amount: ctx.amount(div_total[i]),
        })
        .collect();
    by_division.sort_by(|a, b| a.name.cmp(&b.name));
    let reserved_on: Money = bases[..n].iter().copied().sum();
    Allowance {
        buckets,
        total: ctx.amount(total),
        open: ctx.amount(t.total()),
        debit_balances: ctx.amount(reserved_on),
        coverage_percent: percent_money(total, reserved_on),
        by_division,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use crate::activity::ActivityLog;
    use crate::ledger::{MetricsConfig, SalesLedger};
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn allowance_of(cur: &crate::Snapshot) -> Allowance {
        let cfg = MetricsConfig::default();
        let ledger = SalesLedger::default();
        let ctx = Context::new(cur, None, &ledger, ActivityLog::empty(), &[], &cfg);
        compute(&ctx)
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
        // 12,345 × 2.5 % = 308.625 → 309; 1 × 50 % = 0.5 → 1
        assert_eq!(bucket_reserve(Money(12_345), d("2.5")), Money(309));
        assert_eq!(bucket_reserve(Money(1), d("50")), Money(1));
        // A credit base reserves nothing; percentages are held to 0–100.
        assert_eq!(bucket_reserve(Money(-1), d("50")), Money(0));
        assert_eq!(bucket_reserve(Money(100), d("150")), Money(100));
        assert_eq!(bucket_reserve(Money(100), d("-5")), Money(0));
        // Rounded per bucket, then summed: 0.5 + 0.5 → 1 + 1 = 2 (not 1).
        let (_, total) = reserves(&[Money(1), Money(1)], |_| d("50"));
        assert_eq!(total, Money(2));
    }

    #[test]
    fn allowance_on_a_snapshot_with_default_percentages() {
        // As of 2026-03-31, default buckets and 1/2/5/10/25/50 %:
        // A current 10,000 → 100; B 45 dpd 4,000 → 5 % = 200;
        // C 200 dpd 1,000 → 50 % = 500; D 10 dpd, division S, 3,333 → 2 % = 66.66 → 67.
        // Total 100 + 67 + 200 + 500 = 867 on 18,333 of debit balances → 4.73 %.
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
        let a = allowance_of(&cur);
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

    #[test]
    fn credit_balances_reserve_nothing() {
        // C1: 10.00 current. C2: an old credit of −6.00 at 200 dpd (121+).
        // AR = 10.00 − 6.00 = 4.00. Before: 10.00 × 1 % + (−6.00) × 50 % =
        // 0.10 − 3.00 = −2.90, coverage −2.90 / 4.00 = −72.5 %.
        // Now: Current base 10.00 → 0.10; 121+ base 0 (a credit) → 0.
        // Allowance 0.10; coverage 0.10 / 10.00 (debit balances) = 1.00 %.
        let cur = snap(
            "2026-03-31",
            &[
                row("A", "C1", "N", "", "2026-03-20", "2026-04-19", 1_000, 1_000),
                row("K", "C2", "N", "", "2025-08-01", "2025-09-12", -600, -600),
            ],
        );
        let a = allowance_of(&cur);
        assert_eq!(a.open.money, Money(400));
        assert_eq!(a.total.money, Money(10));
        assert_eq!(a.debit_balances.money, Money(1_000));
        assert_eq!(a.coverage_percent, Some(d("1.00")));
        assert_eq!(a.buckets[5].open.money, Money(-600));
        assert_eq!(a.buckets[5].debit_balances.money, Money(0));
        assert_eq!(a.buckets[5].reserve.money, Money(0));
    }

    #[test]
    fn a_customer_nets_within_a_bucket_only() {
        // C1: invoice 1,000.00 at 45 dpd and its own credit memo −400.00 at
        // 50 dpd (both 31–60): base 600.00 × 5 % = 30.00. C1's unapplied
        // −200.00 in Current does not reduce the 31–60 base (Current base 0).
        // C2's 31–60 credit of −100.00 does not offset C1: base stays 600.00.
        let cur = snap(
            "2026-03-31",
            &[
                row(
                    "I",
                    "C1",
                    "N",
                    "",
                    "2026-01-15",
                    "2026-02-14",
                    100_000,
                    100_000,
                ),
                row(
                    "M",
                    "C1",
                    "N",
                    "",
                    "2026-01-10",
                    "2026-02-09",
                    -40_000,
                    -40_000,
                ),
                row(
                    "U",
                    "C1",
                    "N",
                    "",
                    "2026-03-30",
                    "2026-03-31",
                    -20_000,
                    -20_000,
                ),
                row(
                    "V",
                    "C2",
                    "N",
                    "",
                    "2026-01-10",
                    "2026-02-09",
                    -10_000,
                    -10_000,
                ),
            ],
        );
        let a = allowance_of(&cur);
        assert_eq!(a.buckets[2].open.money, Money(50_000)); // 1,000 − 400 − 100
        assert_eq!(a.buckets[2].debit_balances.money, Money(60_000));
        assert_eq!(a.buckets[2].reserve.money, Money(3_000));
        assert_eq!(a.buckets[0].debit_balances.money, Money(0));
        assert_eq!(a.total.money, Money(3_000));
    }

    #[test]
    fn divisions_foot_to_the_total() {
        // 1–30 at 2 %: N 0.25 (C1) and S 0.26 (C2). Total base 0.51 × 2 % =
        // 0.0102 → 0.01. Rounded per division it was 0.005 → 0.01 and
        // 0.0052 → 0.01: 0.02 ≠ 0.01. Now the 0.01 is split 25 : 26 by
        // largest remainder: quotas 0.49 and 0.51 cent, floors 0 and 0, the
        // one cent to the larger remainder (S) → N 0.00, S 0.01.
        let cur = snap(
            "2026-03-31",
            &[
                row("A", "C1", "N", "", "2026-02-19", "2026-03-21", 25, 25),
                row("B", "C2", "S", "", "2026-02-19", "2026-03-21", 26, 26),
            ],
        );
        let a = allowance_of(&cur);
        assert_eq!(a.total.money, Money(1));
        let parts: Vec<_> = a
            .by_division
            .iter()
            .map(|n| (n.name.as_str(), n.amount.money.0))
            .collect();
        assert_eq!(parts, vec![("N", 0), ("S", 1)]);
    }

    const CUSTOMERS: [&str; 3] = ["C1", "C2", "C3"];
    const DIVISIONS: [&str; 3] = ["", "North", "South"];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]
        /// Divisions add up to the total; nothing is ever negative.
        #[test]
        fn divisions_sum_to_the_total(
            rows in prop::collection::vec((0usize..3, 0usize..3, -40i32..300, -50_000i64..100_000), 0..40),
        ) {
            let as_of = day("2026-03-31");
            let leaked: Vec<Row> = rows
                .iter()
                .enumerate()
                .map(|(n, &(c, dv, dpd, open))| {
                    let due = crate::Day(as_of.0 - dpd).to_string();
                    row(
                        Box::leak(format!("I{n}").into_boxed_str()),
                        CUSTOMERS[c],
                        DIVISIONS[dv],
                        "",
                        "2025-01-01",
                        Box::leak(due.into_boxed_str()),
                        open,
                        open,
                    )
                })
                .collect();
            let a = allowance_of(&snap("2026-03-31", &leaked));
            let sum: Money = a.by_division.iter().map(|n| n.amount.money).sum();
            prop_assert_eq!(sum, a.total.money);
            prop_assert!(a.total.money >= Money::ZERO);
            prop_assert!(a.by_division.iter().all(|n| n.amount.money >= Money::ZERO));
            prop_assert!(a.coverage_percent.is_none_or(|c| c >= Decimal::ZERO));
        }
    }
}

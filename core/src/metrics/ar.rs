//! AR at the snapshot date: totals, the aging buckets (from [`crate::aging`]),
//! % past due, and the amount-weighted days past due.
//!
//! Amount-weighted days past due are weighted by **debit balances**: a
//! credit item (open ≤ 0) is a liability, not a negative age, so it is left
//! out of numerator and weights (the rule is `portfolio::DpdSums`'s). Two
//! figures, because a collections manager asks two questions:
//!
//! - *per unit of AR* = Σ(debit open × max(0, dpd)) / Σ debit open, current
//!   items counting 0 days: how late the book is as a whole (falls when
//!   more of the book is current);
//! - *per past-due unit* = the same numerator / Σ past-due debit open: how
//!   late the late money is, whatever the current share (the one to act on).
//!
//! Neither is ADD (DSO − BPDSO, in days of sales): these are ages of the
//! open items, weighted by amount.

use super::amount::{percent_money, Amount, NamedAmount};
use super::context::Context;
use crate::portfolio::DpdSums;
use crate::{BucketTotals, Day, Invoice};
use rust_decimal::Decimal;
use serde::Serialize;

/// The weighted-dpd sums of some items as of `as_of`.
pub fn dpd_sums<'a>(as_of: Day, invoices: impl Iterator<Item = &'a Invoice>) -> DpdSums {
    let mut s = DpdSums::default();
    for i in invoices {
        s.add(i.open.0, i.days_past_due(as_of));
    }
    s
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BucketLine {
    pub bucket: String,
    pub amount: Amount,
    pub count: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ArSummary {
    pub total: Amount,
    pub current: Amount,
    pub past_due: Amount,
    pub invoice_count: u32,
    /// Customers with at least one item in the snapshot.
    pub customer_count: u32,
    pub buckets: Vec<BucketLine>,
    /// Past due / AR × 100 (net amounts, as the buckets).
    pub past_due_percent: Option<Decimal>,
    /// Per unit of debit AR (see the module notes).
    pub weighted_days_past_due: Option<Decimal>,
    /// Per past-due unit of debit AR (see the module notes).
    pub weighted_days_past_due_per_past_due_unit: Option<Decimal>,
    pub by_division: Vec<NamedAmount>,
    pub by_collector: Vec<NamedAmount>,
}

fn named(ctx: &Context<'_>, names: &[String], totals: &[BucketTotals]) -> Vec<NamedAmount> {
    let mut v: Vec<NamedAmount> = names
        .iter()
        .zip(totals)
        .filter(|(_, t)| t.count() > 0)
        .map(|(n, t)| NamedAmount {
            name: n.clone(),
            amount: ctx.amount(t.total()),
        })
        .collect();
    v.sort_by(|a, b| a.name.cmp(&b.name));
    v
}

pub fn compute(ctx: &Context<'_>) -> ArSummary {
    let t = &ctx.aging.total;
    let scheme = &ctx.config.aging;
    let dpd = dpd_sums(ctx.as_of(), ctx.current.invoices.iter());
    ArSummary {
        total: ctx.amount(t.total()),
        current: ctx.amount(t.current()),
        past_due: ctx.amount(t.past_due()),
        invoice_count: t.count(),
        customer_count: ctx
            .aging
            .by_customer
            .iter()
            .filter(|c| c.count() > 0)
            .count() as u32,
        buckets: scheme
            .labels()
            .into_iter()
            .enumerate()
            .map(|(i, bucket)| BucketLine {
                bucket,
                amount: ctx.amount(t.amounts[i]),
                count: t.counts[i],
            })
            .collect(),
        past_due_percent: percent_money(t.past_due(), t.total()),
        weighted_days_past_due: dpd.per_unit_of_ar(),
        weighted_days_past_due_per_past_due_unit: dpd.per_past_due_unit(),
        by_division: named(ctx, &ctx.current.divisions, &ctx.aging.by_division),
        by_collector: named(ctx, &ctx.current.collectors, &ctx.aging.by_collector),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use crate::activity::ActivityLog;
    use crate::ledger::{MetricsConfig, SalesLedger};
    use std::str::FromStr;

    #[test]
    fn weighted_days_past_due_by_hand() {
        // As of 2026-03-31: 1,000 current (0 days), 3,000 at 45 dpd, 1,000 at 10 dpd,
        // −500 credit at 200 dpd (left out: a credit balance is not a negative age).
        // Σ debit open × days = 0 + 135,000 + 10,000 = 145,000;
        // per unit of AR: / Σ debit open 5,000 = 29.00 (the old net rule gave 45,000 / 4,500 = 10.00);
        // per past-due unit: / Σ past-due debit open 4,000 = 36.25.
        let cur = snap(
            "2026-03-31",
            &[
                row(
                    "A",
                    "C1",
                    "N",
                    "x",
                    "2026-03-20",
                    "2026-04-19",
                    1_000,
                    1_000,
                ),
                row(
                    "B",
                    "C1",
                    "N",
                    "y",
                    "2026-01-15",
                    "2026-02-14",
                    3_000,
                    3_000,
                ),
                row(
                    "C",
                    "C2",
                    "S",
                    "y",
                    "2026-02-19",
                    "2026-03-21",
                    1_000,
                    1_000,
                ),
                row("D", "C2", "S", "x", "2025-08-01", "2025-09-12", -500, -500),
            ],
        );
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let ar = compute(&Context::new(
            &cur,
            None,
            &l,
            ActivityLog::empty(),
            &[],
            &cfg,
        ));
        assert_eq!(
            ar.weighted_days_past_due,
            Some(Decimal::from_str("29.00").unwrap())
        );
        assert_eq!(
            ar.weighted_days_past_due_per_past_due_unit,
            Some(Decimal::from_str("36.25").unwrap())
        );
        // Past due 3,500 / 4,500 = 77.777… → 77.78 %
        assert_eq!(
            ar.past_due_percent,
            Some(Decimal::from_str("77.78").unwrap())
        );
        assert_eq!(ar.total.money.0, 4_500);
        assert_eq!(ar.past_due.money.0, 3_500);
        assert_eq!((ar.invoice_count, ar.customer_count), (4, 2));
        assert_eq!(ar.buckets[5].amount.money.0, -500);
        // Only a credit balance: no debit AR, no weighted figure.
        let credit = snap(
            "2026-03-31",
            &[row(
                "D",
                "C2",
                "S",
                "x",
                "2025-08-01",
                "2025-09-12",
                -500,
                -500,
            )],
        );
        let ar = compute(&Context::new(
            &credit,
            None,
            &l,
            ActivityLog::empty(),
            &[],
            &cfg,
        ));
        assert_eq!(ar.weighted_days_past_due, None);
        assert_eq!(ar.weighted_days_past_due_per_past_due_unit, None);
    }
}

/// Unit tests aimed at mutants cargo-mutants found surviving (issue 21).
#[cfg(test)]
mod mutation_tests {
    use super::super::testutil::*;
    use super::*;
    use crate::activity::ActivityLog;
    use crate::ledger::{MetricsConfig, SalesLedger};
    use crate::Money;

    #[test]
    fn groups_without_items_are_not_listed() {
        // Every item has a division and a collector, so the snapshot's
        // unnamed division and collector ("" at index 0) hold nothing and
        // must not appear: N = 100 + 250 = 350, S = 50; ann 100 + 50 = 150,
        // bob 250.
        let cur = snap(
            "2026-03-31",
            &[
                row("A", "C1", "N", "ann", "2026-03-01", "2026-03-31", 100, 100),
                row("B", "C2", "N", "bob", "2026-03-01", "2026-03-31", 250, 250),
                row("C", "C2", "S", "ann", "2026-03-01", "2026-03-31", 50, 50),
            ],
        );
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let ar = compute(&Context::new(
            &cur,
            None,
            &l,
            ActivityLog::empty(),
            &[],
            &cfg,
        ));
        let names = |v: &[NamedAmount]| -> Vec<(String, i64)> {
            v.iter()
                .map(|n| (n.name.clone(), n.amount.money.0))
                .collect()
        };
        assert_eq!(
            names(&ar.by_division),
            vec![("N".to_string(), 350), ("S".to_string(), 50)]
        );
        assert_eq!(
            names(&ar.by_collector),
            vec![("ann".to_string(), 150), ("bob".to_string(), 250)]
        );
        assert_eq!(ar.customer_count, 2);
        assert_eq!(ar.total.money, Money(400));
    }

    #[test]
    fn customers_without_items_are_not_counted() {
        // A snapshot whose customer table has an entry with no item (the
        // fields are public: a decoded or edited snapshot can hold one):
        // C1 has one item, GHOST none → 1 customer.
        let mut cur = snap(
            "2026-03-31",
            &[row("A", "C1", "", "", "2026-03-01", "2026-03-31", 100, 100)],
        );
        cur.customers.push(crate::Customer {
            id: "GHOST".to_string(),
            name: "Ghost".to_string(),
        });
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let ar = compute(&Context::new(
            &cur,
            None,
            &l,
            ActivityLog::empty(),
            &[],
            &cfg,
        ));
        assert_eq!(ar.customer_count, 1);
    }
}

//! Write-offs, recoveries and agency placements.
//!
//! Period figures count activity dated in the period; "to date" figures
//! count all activity dated on or before the snapshot date.
//! - bad-debt ratio = write-offs of the period / credit sales of the period × 100
//! - recovery rate = recoveries to date on invoices written off to date /
//!   write-offs to date × 100
//! - liquidation rate = collected after placement / placed to date × 100,
//!   where collected = payments + recoveries on a placed invoice dated
//!   strictly after its first placement (and on or before the snapshot date)

use super::amount::{percent_money, Amount, NamedAmount};
use super::collections::named;
use super::context::Context;
use crate::activity::ActivityRef;
use crate::ledger::ActivityKind;
use crate::{Day, Money};
use hashbrown::{HashMap, HashSet};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// (placed, collected after placement) over activity rows (any order).
pub fn liquidation<'a>(rows: impl Iterator<Item = ActivityRef<'a>> + Clone) -> (Money, Money) {
    let mut first: HashMap<&str, Day> = HashMap::new();
    let mut placed = Money::ZERO;
    for a in rows.clone().filter(|a| a.kind() == ActivityKind::Placement) {
        placed += a.amount();
        if a.invoice_id().is_empty() {
            continue;
        }
        let d = first.entry(a.invoice_id()).or_insert(a.date());
        *d = (*d).min(a.date());
    }
    let collected = rows
        .filter(|a| matches!(a.kind(), ActivityKind::Payment | ActivityKind::Recovery))
        .filter(|a| first.get(a.invoice_id()).is_some_and(|&p| a.date() > p))
        .map(|a| a.amount())
        .sum();
    (placed, collected)
}

/// (written off to date, recovered on those invoices to date).
pub fn recovery<'a>(rows: impl Iterator<Item = ActivityRef<'a>> + Clone) -> (Money, Money) {
    let written: HashSet<&str> = rows
        .clone()
        .filter(|a| a.kind() == ActivityKind::WriteOff && !a.invoice_id().is_empty())
        .map(|a| a.invoice_id())
        .collect();
    let written_off = rows
        .clone()
        .filter(|a| a.kind() == ActivityKind::WriteOff)
        .map(|a| a.amount())
        .sum();
    let recovered = rows
        .filter(|a| a.kind() == ActivityKind::Recovery && written.contains(a.invoice_id()))
        .map(|a| a.amount())
        .sum();
    (written_off, recovered)
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BadDebt {
    pub write_offs: Amount,
    pub write_offs_by_division: Vec<NamedAmount>,
    pub write_offs_by_collector: Vec<NamedAmount>,
    pub period_sales: Option<Amount>,
    pub bad_debt_ratio: Option<Decimal>,
    pub recoveries: Amount,
    pub written_off_to_date: Amount,
    pub recovered_to_date: Amount,
    pub recovery_rate: Option<Decimal>,
    pub placements: Amount,
    pub placements_count: u32,
    pub placed_to_date: Amount,
    pub collected_after_placement: Amount,
    pub liquidation_rate: Option<Decimal>,
}

pub fn compute(ctx: &Context<'_>) -> BadDebt {
    let mut write_offs = Money::ZERO;
    let mut by_division: BTreeMap<String, Money> = BTreeMap::new();
    let mut by_collector: BTreeMap<String, Money> = BTreeMap::new();
    let (mut recoveries, mut placements, mut placements_count) = (Money::ZERO, Money::ZERO, 0);
    for a in ctx.period_activity() {
        match a.kind() {
            ActivityKind::WriteOff => {
                write_offs += a.amount();
                *by_division
                    .entry(ctx.division_of(a).to_string())
                    .or_default() += a.amount();
                *by_collector
                    .entry(ctx.collector_of(a).to_string())
                    .or_default() += a.amount();
            }
            ActivityKind::Recovery => recoveries += a.amount(),
            ActivityKind::Placement => {
                placements += a.amount();
                placements_count += 1;
            }
            _ => {}
        }
    }
    let sales = ctx.sales.period_total(ctx.period);
    let all = ctx.activity();
    let (written_off, recovered) = recovery(all.clone());
    let (placed, collected) = liquidation(all);
    BadDebt {
        write_offs: ctx.amount(write_offs),
        write_offs_by_division: named(ctx, &by_division),
        write_offs_by_collector: named(ctx, &by_collector),
        period_sales: sales.map(|s| ctx.amount(s)),
        bad_debt_ratio: sales.and_then(|s| percent_money(write_offs, s)),
        recoveries: ctx.amount(recoveries),
        written_off_to_date: ctx.amount(written_off),
        recovered_to_date: ctx.amount(recovered),
        recovery_rate: percent_money(recovered, written_off),
        placements: ctx.amount(placements),
        placements_count,
        placed_to_date: ctx.amount(placed),
        collected_after_placement: ctx.amount(collected),
        liquidation_rate: percent_money(collected, placed),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use crate::activity::ActivityLog;
    use crate::ledger::{MetricsConfig, SalesEntry, SalesLedger};
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn bad_debt_by_hand() {
        // Period March 2026 (previous snapshot 2026-02-28), March sales 10,000.
        let prev = snap(
            "2026-02-28",
            &[row(
                "W2",
                "C1",
                "North",
                "ann",
                "2025-10-01",
                "2025-10-31",
                500,
                500,
            )],
        );
        let cur = snap(
            "2026-03-31",
            &[row(
                "P",
                "C2",
                "South",
                "bob",
                "2025-09-01",
                "2025-10-01",
                2_000,
                1_600,
            )],
        );
        let act = vec![
            activity("2026-02-10", ActivityKind::WriteOff, "C9", "W1", 1_000), // before the period
            activity("2026-03-05", ActivityKind::WriteOff, "C1", "W2", 500),
            activity("2026-03-20", ActivityKind::Recovery, "C9", "W1", 200),
            activity("2026-03-21", ActivityKind::Recovery, "C8", "R9", 50), // never written off
            activity("2026-03-01", ActivityKind::Placement, "C2", "P", 2_000),
            activity("2026-03-01", ActivityKind::Payment, "C2", "P", 300), // same day: before placement
            activity("2026-03-10", ActivityKind::Payment, "C2", "P", 400),
            activity("2026-03-15", ActivityKind::Recovery, "C2", "P", 100),
            activity("2026-04-03", ActivityKind::WriteOff, "C2", "P", 1_100), // after the snapshot
        ];
        let l = SalesLedger::new(vec![SalesEntry {
            period: (2026, 3),
            division: None,
            amount: Money(10_000),
        }]);
        let cfg = MetricsConfig::default();
        let log = ActivityLog::from_rows(&act);
        let b = compute(&Context::new(&cur, Some(&prev), &l, &log, &[], &cfg));
        // Write-offs of March: 500 (W2, North, ann); ratio 500 / 10,000 = 5.00 %
        assert_eq!(b.write_offs.money, Money(500));
        assert_eq!(b.write_offs_by_division[0].name, "North");
        assert_eq!(b.write_offs_by_collector[0].name, "ann");
        assert_eq!(b.bad_debt_ratio, Some(d("5.00")));
        // Recoveries of March: 200 + 50 + 100 = 350
        assert_eq!(b.recoveries.money, Money(350));
        // To date: written off 1,000 + 500 = 1,500; recovered on those: 200 → 13.33 %
        assert_eq!(b.written_off_to_date.money, Money(1_500));
        assert_eq!(b.recovered_to_date.money, Money(200));
        assert_eq!(b.recovery_rate, Some(d("13.33")));
        // Placed 2,000; collected after: 400 + 100 = 500 → 25.00 %
        assert_eq!(b.placements_count, 1);
        assert_eq!(b.collected_after_placement.money, Money(500));
        assert_eq!(b.liquidation_rate, Some(d("25.00")));
    }

    #[test]
    fn nothing_to_divide_by() {
        let cur = snap("2026-03-31", &[]);
        let cfg = MetricsConfig::default();
        let l = SalesLedger::new(vec![SalesEntry {
            period: (2026, 3),
            division: None,
            amount: Money(0),
        }]);
        let b = compute(&Context::new(
            &cur,
            None,
            &l,
            ActivityLog::empty(),
            &[],
            &cfg,
        ));
        assert_eq!(b.bad_debt_ratio, None);
        assert_eq!(b.recovery_rate, None);
        assert_eq!(b.liquidation_rate, None);
        assert_eq!(b.period_sales.map(|a| a.money), Some(Money(0)));
    }
}

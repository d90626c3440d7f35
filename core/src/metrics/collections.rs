//! Collections of the period and the AR roll-forward.
//!
//! With activity (any activity row dated on or before the snapshot date),
//! collections are the payment rows dated in the period; credit memos and
//! write-offs are reported beside them. Without activity they are derived
//! from the two snapshots: for every invoice id of the previous snapshot,
//! max(0, previous open − current open (0 when gone)), labelled "cleared
//! (payments, credits and write-offs together)". Without either, they are
//! unavailable.
//!
//! Roll-forward: beginning AR + sales − collections − credit memos −
//! write-offs = expected ending AR; residual = ending AR − expected. The
//! residual is always reported.

use super::amount::{Amount, NamedAmount};
use super::context::Context;
use crate::ledger::ActivityKind;
use crate::Money;
use hashbrown::HashMap;
use serde::Serialize;
use std::collections::BTreeMap;

pub const PAYMENTS_LABEL: &str = "payments";
pub const CLEARED_LABEL: &str = "cleared (payments, credits and write-offs together)";

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CollectionsSource {
    Activity,
    Derived,
    /// No activity and no previous snapshot: nothing to measure.
    Unavailable,
}

/// The period's flows in minor units, before formatting.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Flows {
    pub collected: Money,
    pub credit_memos: Money,
    pub write_offs: Money,
    pub collected_by_collector: BTreeMap<String, Money>,
    pub collected_by_division: BTreeMap<String, Money>,
}

pub fn source(ctx: &Context<'_>) -> CollectionsSource {
    if ctx.has_activity() {
        CollectionsSource::Activity
    } else if ctx.previous.is_some() {
        CollectionsSource::Derived
    } else {
        CollectionsSource::Unavailable
    }
}

/// Collections (and, with activity, credit memos and write-offs) of the
/// period, by collector and division. By collector the period is restated
/// to the current portfolio (`attribution`): a payment goes to
/// [`Context::flow_collector`], a derived amount to
/// [`Context::restated_collector`] of the previous item. By division: an
/// activity row goes to [`Context::division_of`], a derived amount to the
/// invoice's division in the previous snapshot.
pub fn flows(ctx: &Context<'_>) -> Flows {
    let mut f = Flows::default();
    match source(ctx) {
        CollectionsSource::Activity => {
            for a in ctx.period_activity() {
                match a.kind() {
                    ActivityKind::Payment => {
                        f.collected += a.amount();
                        *f.collected_by_collector
                            .entry(ctx.flow_collector(a).to_string())
                            .or_default() += a.amount();
                        *f.collected_by_division
                            .entry(ctx.division_of(a).to_string())
                            .or_default() += a.amount();
                    }
                    ActivityKind::CreditMemo => f.credit_memos += a.amount(),
                    ActivityKind::WriteOff => f.write_offs += a.amount(),
                    _ => {}
                }
            }
        }
        CollectionsSource::Derived => {
            let prev = ctx
                .previous
                .expect("derived collections need a previous snapshot");
            let mut current_open: HashMap<&str, Money> = HashMap::new();
            for inv in &ctx.current.invoices {
                *current_open.entry(inv.invoice_id.as_str()).or_default() += inv.open;
            }
            // Per id: Σ open and the first row (its collector and division).
            let mut previous_open: HashMap<&str, (Money, &crate::Invoice)> = HashMap::new();
            for inv in &prev.invoices {
                previous_open
                    .entry(inv.invoice_id.as_str())
                    .or_insert((Money::ZERO, inv))
                    .0 += inv.open;
            }
            for (id, (open, inv)) in previous_open {
                let cleared = open - current_open.get(id).copied().unwrap_or_default();
                if cleared.0 > 0 {
                    f.collected += cleared;
                    *f.collected_by_collector
                        .entry(ctx.restated_collector(inv).to_string())
                        .or_default() += cleared;
                    *f.collected_by_division
                        .entry(prev.divisions[inv.division as usize].clone())
                        .or_default() += cleared;
                }
            }
        }
        CollectionsSource::Unavailable => {}
    }
    f
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Collections {
    pub period_start: String,
    pub period_end: String,
    pub source: CollectionsSource,
    /// What `collected` holds: "payments" or the cleared label.
    pub label: &'static str,
    pub collected: Amount,
    /// Activity only (0 when derived: included in `collected`).
    pub credit_memos: Amount,
    pub write_offs: Amount,
    pub by_collector: Vec<NamedAmount>,
    pub by_division: Vec<NamedAmount>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RollForward {
    pub beginning: Amount,
    pub sales: Amount,
    pub collected: Amount,
    pub credit_memos: Amount,
    pub write_offs: Amount,
    pub expected_ending: Amount,
    pub ending: Amount,
    /// ending − expected ending: everything the inputs do not explain.
    pub residual: Amount,
}

pub(crate) fn named(ctx: &Context<'_>, map: &BTreeMap<String, Money>) -> Vec<NamedAmount> {
    map.iter()
        .map(|(name, m)| NamedAmount {
            name: name.clone(),
            amount: ctx.amount(*m),
        })
        .collect()
}

pub fn compute(ctx: &Context<'_>, f: &Flows) -> (Collections, Option<RollForward>) {
    let source = source(ctx);
    let collections = Collections {
        period_start: ctx.period.start.to_string(),
        period_end: ctx.period.end.to_string(),
        source,
        label: match source {
            CollectionsSource::Derived => CLEARED_LABEL,
            _ => PAYMENTS_LABEL,
        },
        collected: ctx.amount(f.collected),
        credit_memos: ctx.amount(f.credit_memos),
        write_offs: ctx.amount(f.write_offs),
        by_collector: named(ctx, &f.collected_by_collector),
        by_division: named(ctx, &f.collected_by_division),
    };
    let roll = match (&ctx.previous_aging, ctx.sales.period_total(ctx.period)) {
        (Some(prev), Some(sales)) if source != CollectionsSource::Unavailable => {
            let beginning = prev.total.total();
            let ending = ctx.aging.total.total();
            let expected = beginning + sales - f.collected - f.credit_memos - f.write_offs;
            Some(RollForward {
                beginning: ctx.amount(beginning),
                sales: ctx.amount(sales),
                collected: ctx.amount(f.collected),
                credit_memos: ctx.amount(f.credit_memos),
                write_offs: ctx.amount(f.write_offs),
                expected_ending: ctx.amount(expected),
                ending: ctx.amount(ending),
                residual: ctx.amount(ending - expected),
            })
        }
        _ => None,
    };
    (collections, roll)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use crate::activity::ActivityLog;
    use crate::ledger::{MetricsConfig, SalesEntry, SalesLedger};

    fn snapshots() -> (crate::Snapshot, crate::Snapshot) {
        // Previous: P1 10,000 (ann, North), P2 2,000 (bob, South) = 12,000.
        // Current: P1 down to 3,000, P2 gone, N1 new 5,000 (bob) = 8,000.
        let prev = snap(
            "2026-02-28",
            &[
                row(
                    "P1",
                    "C1",
                    "North",
                    "ann",
                    "2026-02-01",
                    "2026-03-03",
                    10_000,
                    10_000,
                ),
                row(
                    "P2",
                    "C2",
                    "South",
                    "bob",
                    "2026-01-15",
                    "2026-02-14",
                    2_000,
                    2_000,
                ),
            ],
        );
        let cur = snap(
            "2026-03-31",
            &[
                row(
                    "P1",
                    "C1",
                    "North",
                    "ann",
                    "2026-02-01",
                    "2026-03-03",
                    10_000,
                    3_000,
                ),
                row(
                    "N1",
                    "C2",
                    "South",
                    "bob",
                    "2026-03-10",
                    "2026-04-09",
                    5_000,
                    5_000,
                ),
            ],
        );
        (prev, cur)
    }

    fn ledger(march: i64) -> SalesLedger {
        SalesLedger::new(vec![SalesEntry {
            period: (2026, 3),
            division: None,
            amount: Money(march),
        }])
    }

    #[test]
    fn activity_collections_and_roll_forward_with_zero_residual() {
        let (prev, cur) = snapshots();
        let act = vec![
            activity("2026-02-27", ActivityKind::Payment, "C1", "P1", 999), // before the period
            activity("2026-03-10", ActivityKind::Payment, "C1", "P1", 6_000),
            activity("2026-03-12", ActivityKind::CreditMemo, "C1", "P1", 1_000),
            activity("2026-03-15", ActivityKind::WriteOff, "C2", "P2", 2_000),
            activity("2026-04-01", ActivityKind::Payment, "C2", "N1", 5_000), // after the snapshot
        ];
        let cfg = MetricsConfig::default();
        let l = ledger(5_000);
        let log = ActivityLog::from_rows(&act);
        let ctx = Context::new(&cur, Some(&prev), &l, &log, &[], &cfg);
        let f = flows(&ctx);
        let (c, roll) = compute(&ctx, &f);
        assert_eq!(c.source, CollectionsSource::Activity);
        assert_eq!(c.label, "payments");
        assert_eq!(c.collected.money, Money(6_000));
        assert_eq!(c.credit_memos.money, Money(1_000));
        assert_eq!(c.write_offs.money, Money(2_000));
        assert_eq!(f.collected_by_collector.get("ann"), Some(&Money(6_000)));
        assert_eq!(f.collected_by_division.get("North"), Some(&Money(6_000)));
        // 12,000 + 5,000 − 6,000 − 1,000 − 2,000 = 8,000 = ending: residual 0.
        let roll = roll.unwrap();
        assert_eq!(roll.expected_ending.money, Money(8_000));
        assert_eq!(roll.ending.money, Money(8_000));
        assert_eq!(roll.residual.money, Money(0));
    }

    #[test]
    fn derived_collections_are_cleared_amounts_and_the_residual_shows() {
        let (prev, cur) = snapshots();
        let cfg = MetricsConfig::default();
        // Ledger says 5,500 of March sales: 500 more than the snapshots explain.
        let l = ledger(5_500);
        let ctx = Context::new(&cur, Some(&prev), &l, ActivityLog::empty(), &[], &cfg);
        let f = flows(&ctx);
        let (c, roll) = compute(&ctx, &f);
        assert_eq!(c.source, CollectionsSource::Derived);
        assert_eq!(c.label, CLEARED_LABEL);
        // P1: 10,000 − 3,000 = 7,000; P2: 2,000 − 0 = 2,000 → 9,000
        assert_eq!(c.collected.money, Money(9_000));
        assert_eq!(f.collected_by_collector.get("ann"), Some(&Money(7_000)));
        assert_eq!(f.collected_by_collector.get("bob"), Some(&Money(2_000)));
        // 12,000 + 5,500 − 9,000 = 8,500 expected; 8,000 − 8,500 = −500
        let roll = roll.unwrap();
        assert_eq!(roll.expected_ending.money, Money(8_500));
        assert_eq!(roll.residual.money, Money(-500));
    }

    #[test]
    fn no_previous_and_no_activity_is_unavailable() {
        let (_, cur) = snapshots();
        let cfg = MetricsConfig::default();
        let l = ledger(5_000);
        let ctx = Context::new(&cur, None, &l, ActivityLog::empty(), &[], &cfg);
        let f = flows(&ctx);
        let (c, roll) = compute(&ctx, &f);
        assert_eq!(c.source, CollectionsSource::Unavailable);
        assert_eq!(c.collected.money, Money(0));
        assert_eq!(c.period_start, "2026-03-01");
        assert!(roll.is_none());
    }
}

/// Unit tests aimed at mutants cargo-mutants found surviving (issue 21).
#[cfg(test)]
mod mutation_tests {
    use super::super::testutil::*;
    use super::*;
    use crate::activity::ActivityLog;
    use crate::ledger::{MetricsConfig, SalesLedger};

    #[test]
    fn derived_collections_list_only_items_that_cleared() {
        // No activity: cleared = previous open − current open per invoice.
        // A (ann, North) 100 → gone: 100 cleared. B (bob, South) 50 → still
        // 50: 0 cleared, so neither bob nor South is listed.
        let prev = snap(
            "2026-02-28",
            &[
                row(
                    "A",
                    "C1",
                    "North",
                    "ann",
                    "2026-02-01",
                    "2026-03-03",
                    100,
                    100,
                ),
                row(
                    "B",
                    "C2",
                    "South",
                    "bob",
                    "2026-02-01",
                    "2026-03-03",
                    50,
                    50,
                ),
            ],
        );
        let cur = snap(
            "2026-03-31",
            &[row(
                "B",
                "C2",
                "South",
                "bob",
                "2026-02-01",
                "2026-03-03",
                50,
                50,
            )],
        );
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let ctx = Context::new(&cur, Some(&prev), &l, ActivityLog::empty(), &[], &cfg);
        let f = flows(&ctx);
        assert_eq!(f.collected, Money(100));
        let names = |m: &BTreeMap<String, Money>| -> Vec<(String, i64)> {
            m.iter().map(|(k, v)| (k.clone(), v.0)).collect()
        };
        assert_eq!(
            names(&f.collected_by_collector),
            vec![("ann".to_string(), 100)]
        );
        assert_eq!(
            names(&f.collected_by_division),
            vec![("North".to_string(), 100)]
        );
    }
}

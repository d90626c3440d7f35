//! Collector scorecard: one line per collector name seen in either
//! snapshot, in the targets, in the period's activity or derived sales.
//!
//! A collector's portfolio in the current snapshot is the invoices assigned
//! to them there. Everything of the period — beginning AR, past due before,
//! collections — is **restated to the current portfolio** (`attribution`):
//! a customer moved from A to B counts for B at the start of the period
//! too, so CEI and past-due change compare like with like. Each line says
//! how many customers moved in and out. CEI on the portfolio uses the
//! collector's derived sales of the period (the sales ledger has no
//! collector dimension).
//!
//! The monthly target is prorated to the period's days, month by month
//! ([`prorated_target`]).
//!
//! Composite score (0–100) = weighted mean of the available components,
//! each clamped to 0–100: CEI (weight 40), collected vs target % (30),
//! % current (20), promises kept rate by count (10). A missing component
//! drops out and the others' weights are renormalised; no component → no
//! score. Rank 1 = highest score (rounded); equal scores share a rank
//! (1, 2, 2, 4); the unassigned collector ("") and collectors without a
//! score are not ranked.

use super::amount::{percent_money, prorate, round2, Amount};
use super::cei::cei;
use super::collections::Flows;
use super::context::{Context, PeriodRange};
use super::disputes::DisputeSummary;
use super::promises::{by_collector, PromiseOutcome};
use crate::ledger::{period_days, period_first_day, period_last_day, period_of, ActivityKind};
use crate::portfolio::Portfolio;
use crate::{Money, Snapshot};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};

pub const WEIGHT_CEI: u32 = 40;
pub const WEIGHT_TARGET: u32 = 30;
pub const WEIGHT_CURRENT: u32 = 20;
pub const WEIGHT_PROMISES: u32 = 10;

/// Weighted mean of the available components (each clamped to 0–100), 2 dp.
pub fn composite_score(
    cei: Option<Decimal>,
    target_percent: Option<Decimal>,
    current_percent: Option<Decimal>,
    kept_rate: Option<Decimal>,
) -> Option<Decimal> {
    let parts = [
        (cei, WEIGHT_CEI),
        (target_percent, WEIGHT_TARGET),
        (current_percent, WEIGHT_CURRENT),
        (kept_rate, WEIGHT_PROMISES),
    ];
    let (mut sum, mut weights) = (Decimal::ZERO, 0u32);
    for (value, w) in parts {
        if let Some(v) = value {
            sum += v.clamp(Decimal::ZERO, Decimal::ONE_HUNDRED) * Decimal::from(w);
            weights += w;
        }
    }
    (weights > 0).then(|| round2(sum / Decimal::from(weights)))
}

/// A monthly target prorated to a period: Σ over the months the period
/// touches of target × (period days in that month) / (days of that month),
/// summed exactly (common denominator) and rounded once to whole minor
/// units, half away from zero. A whole calendar month gives the target.
pub fn prorated_target(target: Money, period: PeriodRange) -> Money {
    // 28, 29, 30 and 31 all divide 377,580 (= 4 × 3 × 5 × 7 × 29 × 31).
    const LCM: i128 = 377_580;
    let mut units: i128 = 0;
    let mut month = period_of(period.start);
    while period_first_day(month) <= period.end {
        let first = period_first_day(month).max(period.start);
        let last = period_last_day(month).min(period.end);
        let days = i128::from(last.0 - first.0 + 1);
        units += days * (LCM / i128::from(period_days(month)));
        month = crate::ledger::next_period(month);
    }
    // Days × LCM / month length stays far inside i64 (300 years ≈ 1.5e9).
    let units = i64::try_from(units).unwrap_or(i64::MAX);
    prorate(target, units, LCM as i64)
}

/// How a collector's portfolio changed hands since the previous snapshot.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PortfolioChange {
    /// Customers whose holder became this collector.
    pub customers_in: u32,
    /// Customers whose holder was this collector and is now another.
    pub customers_out: u32,
    /// Beginning AR as the previous snapshot assigned it (before restating).
    pub beginning_ar_as_reported: Amount,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CollectorScore {
    pub collector: String,
    pub open_ar: Amount,
    pub invoice_count: u32,
    pub customer_count: u32,
    pub current_percent: Option<Decimal>,
    /// Share of open AR more than 90 days past due (fixed 90, whatever the buckets).
    pub over_90_percent: Option<Decimal>,
    pub past_due: Amount,
    /// Past due now − past due in the previous snapshot, restated to the
    /// current portfolio.
    pub past_due_change: Option<Amount>,
    pub collected: Amount,
    /// The period's target: the monthly target prorated to the period's days.
    pub target: Option<Amount>,
    /// The monthly target as configured.
    pub monthly_target: Option<Amount>,
    pub target_percent: Option<Decimal>,
    /// Previous-snapshot AR restated to the current portfolio.
    pub beginning_ar: Option<Amount>,
    pub period_sales: Amount,
    pub cei: Option<Decimal>,
    /// Per unit of debit AR (credit items left out).
    pub weighted_days_past_due: Option<Decimal>,
    pub promises_kept_rate: Option<Decimal>,
    pub open_disputes: u32,
    pub contacts: u32,
    pub score: Option<Decimal>,
    pub rank: Option<u32>,
    /// Customers moved in / out since the previous snapshot (none without one).
    pub portfolio_change: Option<PortfolioChange>,
}

/// The current portfolio of one collector: the shared accumulator plus
/// the distinct customers.
#[derive(Default)]
struct Now {
    p: Portfolio,
    customers: HashSet<u32>,
}

fn now_portfolios<'s>(ctx: &Context<'s>, s: &'s Snapshot) -> BTreeMap<&'s str, Now> {
    let mut m: BTreeMap<&str, Now> = BTreeMap::new();
    let scheme = &ctx.config.aging;
    for inv in &s.invoices {
        let n = m
            .entry(s.collectors[inv.collector as usize].as_str())
            .or_default();
        let dpd = inv.days_past_due(s.as_of);
        n.p.add(scheme.bucket_of(dpd), inv.open, dpd);
        n.customers.insert(inv.customer);
    }
    m
}

/// The previous snapshot restated to the current portfolio: (open, past due).
#[derive(Clone, Copy, Default)]
struct Before {
    open: Money,
    past_due: Money,
    as_reported: Money,
}

fn before_portfolios<'s>(ctx: &Context<'s>, p: &'s Snapshot) -> BTreeMap<&'s str, Before> {
    let mut m: BTreeMap<&str, Before> = BTreeMap::new();
    for inv in &p.invoices {
        let b = m.entry(ctx.restated_collector(inv)).or_default();
        b.open += inv.open;
        if inv.days_past_due(p.as_of) > 0 {
            b.past_due += inv.open;
        }
        m.entry(ctx.collector_name(p, inv)).or_default().as_reported += inv.open;
    }
    m
}

pub fn compute(
    ctx: &Context<'_>,
    flows: &Flows,
    promises: &[PromiseOutcome<'_>],
    disputes: &DisputeSummary,
) -> Vec<CollectorScore> {
    let now = now_portfolios(ctx, ctx.current);
    let before = ctx.previous.map(|p| before_portfolios(ctx, p));
    let moves = ctx.holders.moves();
    let kept = by_collector(promises);
    let mut contacts: BTreeMap<&str, u32> = BTreeMap::new();
    for a in ctx
        .period_activity()
        .filter(|a| a.kind() == ActivityKind::Contact)
    {
        *contacts.entry(ctx.collector_of(a)).or_default() += 1;
    }
    let mut names: BTreeSet<String> = BTreeSet::new();
    names.extend(now.keys().map(|s| s.to_string()));
    if let Some(b) = &before {
        names.extend(b.keys().map(|s| s.to_string()));
    }
    names.extend(ctx.config.collector_targets.keys().cloned());
    names.extend(flows.collected_by_collector.keys().cloned());
    names.extend(ctx.sales.period_by_collector.keys().cloned());
    names.extend(contacts.keys().map(|s| s.to_string()));
    names.extend(kept.keys().cloned());
    names.extend(disputes.open_by_collector.iter().map(|l| l.name.clone()));
    let empty = Now::default();
    let mut out: Vec<CollectorScore> = names
        .into_iter()
        .map(|name| {
            let n = now.get(name.as_str()).unwrap_or(&empty);
            let k = n.p.kpis();
            let prev = before
                .as_ref()
                .map(|b| b.get(name.as_str()).copied().unwrap_or_default());
            let collected = flows
                .collected_by_collector
                .get(&name)
                .copied()
                .unwrap_or_default();
            let monthly = ctx.config.collector_targets.get(&name).copied();
            let target = monthly.map(|t| prorated_target(t, ctx.period));
            let target_percent = target
                .filter(|t| t.0 > 0)
                .and_then(|t| percent_money(collected, t));
            let sales = ctx
                .sales
                .period_by_collector
                .get(&name)
                .copied()
                .unwrap_or_default();
            let cei = prev.and_then(|b| cei(b.open, sales, k.open_ar, n.p.aging.current()));
            let promises_kept_rate = kept.get(&name).and_then(|t| t.kept_rate_count());
            let (customers_in, customers_out) =
                moves.get(name.as_str()).copied().unwrap_or_default();
            CollectorScore {
                open_ar: ctx.amount(k.open_ar),
                invoice_count: k.invoices,
                customer_count: n.customers.len() as u32,
                current_percent: k.current_percent,
                over_90_percent: k.over_90_percent,
                past_due: ctx.amount(k.past_due),
                past_due_change: prev.map(|b| ctx.amount(k.past_due - b.past_due)),
                collected: ctx.amount(collected),
                target: target.map(|t| ctx.amount(t)),
                monthly_target: monthly.map(|t| ctx.amount(t)),
                target_percent,
                beginning_ar: prev.map(|b| ctx.amount(b.open)),
                period_sales: ctx.amount(sales),
                cei,
                weighted_days_past_due: k.weighted_dpd,
                promises_kept_rate,
                open_disputes: disputes
                    .open_by_collector
                    .iter()
                    .find(|l| l.name == name)
                    .map_or(0, |l| l.count),
                contacts: contacts.get(name.as_str()).copied().unwrap_or(0),
                score: composite_score(cei, target_percent, k.current_percent, promises_kept_rate),
                rank: None,
                portfolio_change: prev.map(|b| PortfolioChange {
                    customers_in,
                    customers_out,
                    beginning_ar_as_reported: ctx.amount(b.as_reported),
                }),
                collector: name,
            }
        })
        .collect();
    rank(&mut out);
    out
}

/// Standard competition ranking on the rounded score.
fn rank(lines: &mut [CollectorScore]) {
    let mut ranked: Vec<(Decimal, usize)> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.collector.is_empty())
        .filter_map(|(i, l)| l.score.map(|s| (s, i)))
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut previous: Option<(Decimal, u32)> = None;
    for (n, (score, i)) in ranked.into_iter().enumerate() {
        let r = match previous {
            Some((s, r)) if s == score => r,
            _ => n as u32 + 1,
        };
        lines[i].rank = Some(r);
        previous = Some((score, r));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::super::{collections, disputes, promises};
    use super::*;
    use crate::activity::ActivityLog;
    use crate::ledger::{MetricsConfig, SalesLedger};
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn composite_score_renormalises_missing_parts() {
        // (40 × 70 + 30 × 70 + 20 × 62.5) / 90 = 6,150 / 90 = 68.333… → 68.33
        assert_eq!(
            composite_score(Some(d("70")), Some(d("70")), Some(d("62.5")), None),
            Some(d("68.33"))
        );
        // Clamped: CEI 120 counts as 100, target 250 % as 100 → 100
        assert_eq!(
            composite_score(Some(d("120")), Some(d("250")), None, None),
            Some(d("100.00"))
        );
        assert_eq!(composite_score(None, None, None, None), None);
    }

    #[test]
    fn scorecard_by_hand() {
        // Previous 2026-02-28: ann P1 10,000 (current then); bob Q1 4,000 + Q2 1,000 (past due).
        // Current 2026-03-31: ann P1 3,000 (28 dpd) + A2 5,000 (current, new in March);
        //                     bob Q1 4,000 (59 dpd) + Q2 1,000 (151 dpd).
        let prev = snap(
            "2026-02-28",
            &[
                row(
                    "P1",
                    "C1",
                    "",
                    "ann",
                    "2026-02-01",
                    "2026-03-03",
                    10_000,
                    10_000,
                ),
                row(
                    "Q1",
                    "C2",
                    "",
                    "bob",
                    "2026-01-01",
                    "2026-01-31",
                    4_000,
                    4_000,
                ),
                row(
                    "Q2",
                    "C2",
                    "",
                    "bob",
                    "2025-10-01",
                    "2025-10-31",
                    1_000,
                    1_000,
                ),
            ],
        );
        let cur = snap(
            "2026-03-31",
            &[
                row(
                    "P1",
                    "C1",
                    "",
                    "ann",
                    "2026-02-01",
                    "2026-03-03",
                    10_000,
                    3_000,
                ),
                row(
                    "A2",
                    "C3",
                    "",
                    "ann",
                    "2026-03-10",
                    "2026-04-09",
                    5_000,
                    5_000,
                ),
                row(
                    "Q1",
                    "C2",
                    "",
                    "bob",
                    "2026-01-01",
                    "2026-01-31",
                    4_000,
                    4_000,
                ),
                row(
                    "Q2",
                    "C2",
                    "",
                    "bob",
                    "2025-10-01",
                    "2025-10-31",
                    1_000,
                    1_000,
                ),
            ],
        );
        let act = vec![
            activity("2026-03-10", ActivityKind::Payment, "C1", "P1", 7_000),
            by(
                with_ref(
                    activity("2026-03-05", ActivityKind::Contact, "C1", "", 0),
                    "call",
                ),
                "ann",
            ),
            by(
                with_ref(
                    activity("2026-03-06", ActivityKind::Contact, "C2", "", 0),
                    "call",
                ),
                "bob",
            ),
            by(
                with_ref(
                    activity("2026-03-20", ActivityKind::Contact, "C2", "", 0),
                    "letter",
                ),
                "bob",
            ),
            by(
                with_ref(
                    activity("2026-03-06", ActivityKind::Promise, "C2", "", 1_000),
                    "2026-03-15",
                ),
                "bob",
            ),
            with_ref(
                activity("2026-03-07", ActivityKind::DisputeOpened, "C2", "Q2", 1_000),
                "pricing",
            ),
        ];
        let mut cfg = MetricsConfig::default();
        cfg.collector_targets.insert("ann".into(), Money(10_000));
        cfg.collector_targets.insert("bob".into(), Money(2_000));
        let l = SalesLedger::default();
        let log = ActivityLog::from_rows(&act);
        let ctx = Context::new(&cur, Some(&prev), &l, &log, &[], &cfg);
        let f = collections::flows(&ctx);
        let (outcomes, _) = promises::evaluate(&ctx);
        let disp = disputes::compute(&ctx);
        let s = compute(&ctx, &f, &outcomes, &disp);
        assert_eq!(s.len(), 2);
        let (ann, bob) = (&s[0], &s[1]);

        // ann: open 8,000, 2 invoices, 2 customers; current 5,000 / 8,000 = 62.50 %;
        // over 90: 0 %; past due 3,000, was 0 → +3,000; collected 7,000 of 10,000 = 70.00 %;
        // CEI (10,000 + 5,000 − 8,000) / (10,000 + 5,000 − 5,000) = 70.00;
        // weighted dpd (3,000 × 28) / 8,000 = 10.50; score 68.33 (see above), rank 1.
        assert_eq!(ann.collector, "ann");
        assert_eq!(
            (ann.open_ar.money, ann.invoice_count, ann.customer_count),
            (Money(8_000), 2, 2)
        );
        assert_eq!(ann.current_percent, Some(d("62.50")));
        assert_eq!(ann.over_90_percent, Some(d("0.00")));
        assert_eq!(ann.past_due_change.map(|a| a.money), Some(Money(3_000)));
        assert_eq!(ann.target_percent, Some(d("70.00")));
        assert_eq!(ann.period_sales.money, Money(5_000));
        assert_eq!(ann.cei, Some(d("70.00")));
        assert_eq!(ann.weighted_days_past_due, Some(d("10.50")));
        assert_eq!(
            (ann.promises_kept_rate, ann.open_disputes, ann.contacts),
            (None, 0, 1)
        );
        assert_eq!((ann.score, ann.rank), (Some(d("68.33")), Some(1)));

        // bob: open 5,000, 2 invoices, 1 customer; current 0 %; over 90: 1,000 / 5,000 = 20 %;
        // past due 5,000, was 5,000 → 0; collected 0 of 2,000 = 0 %;
        // CEI (5,000 + 0 − 5,000) / (5,000 + 0 − 0) = 0; weighted dpd
        // (4,000 × 59 + 1,000 × 151) / 5,000 = 387,000 / 5,000 = 77.40;
        // promise broken → 0 %; 1 open dispute; 2 contacts; score 0, rank 2.
        assert_eq!(
            (bob.open_ar.money, bob.invoice_count, bob.customer_count),
            (Money(5_000), 2, 1)
        );
        assert_eq!(bob.current_percent, Some(d("0.00")));
        assert_eq!(bob.over_90_percent, Some(d("20.00")));
        assert_eq!(bob.past_due_change.map(|a| a.money), Some(Money(0)));
        assert_eq!(bob.target_percent, Some(d("0.00")));
        assert_eq!(bob.cei, Some(d("0.00")));
        assert_eq!(bob.weighted_days_past_due, Some(d("77.40")));
        assert_eq!(
            (bob.promises_kept_rate, bob.open_disputes, bob.contacts),
            (Some(d("0.00")), 1, 2)
        );
        assert_eq!((bob.score, bob.rank), (Some(d("0.00")), Some(2)));
    }

    /// Customer C1 moves from ann to bob between the snapshots.
    fn moved() -> (Snapshot, Snapshot) {
        // Previous 2026-02-28: ann holds C1 (P1 10,000, due 03-03: current then) and
        // C4 (R1 2,000, due 03-15: current); bob holds C2 (Q1 4,000, 28 dpd then).
        let prev = snap(
            "2026-02-28",
            &[
                row(
                    "P1",
                    "C1",
                    "",
                    "ann",
                    "2026-02-01",
                    "2026-03-03",
                    10_000,
                    10_000,
                ),
                row(
                    "R1",
                    "C4",
                    "",
                    "ann",
                    "2026-02-13",
                    "2026-03-15",
                    2_000,
                    2_000,
                ),
                row(
                    "Q1",
                    "C2",
                    "",
                    "bob",
                    "2026-01-01",
                    "2026-01-31",
                    4_000,
                    4_000,
                ),
            ],
        );
        // Current 2026-03-31: P1 3,000 left, now bob's (28 dpd); R1 1,000 left (16 dpd);
        // A2 5,000 new for C3 (ann, current); Q1 unchanged (59 dpd).
        let cur = snap(
            "2026-03-31",
            &[
                row(
                    "P1",
                    "C1",
                    "",
                    "bob",
                    "2026-02-01",
                    "2026-03-03",
                    10_000,
                    3_000,
                ),
                row(
                    "R1",
                    "C4",
                    "",
                    "ann",
                    "2026-02-13",
                    "2026-03-15",
                    2_000,
                    1_000,
                ),
                row(
                    "A2",
                    "C3",
                    "",
                    "ann",
                    "2026-03-10",
                    "2026-04-09",
                    5_000,
                    5_000,
                ),
                row(
                    "Q1",
                    "C2",
                    "",
                    "bob",
                    "2026-01-01",
                    "2026-01-31",
                    4_000,
                    4_000,
                ),
            ],
        );
        (prev, cur)
    }

    fn score(
        prev: &Snapshot,
        cur: &Snapshot,
        act: &[crate::ledger::Activity],
    ) -> Vec<CollectorScore> {
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let log = ActivityLog::from_rows(act);
        let ctx = Context::new(cur, Some(prev), &l, &log, &[], &cfg);
        let f = collections::flows(&ctx);
        let (outcomes, _) = promises::evaluate(&ctx);
        let disp = disputes::compute(&ctx);
        compute(&ctx, &f, &outcomes, &disp)
    }

    #[test]
    fn a_moved_customer_takes_its_beginning_ar_and_flows_to_the_new_collector() {
        let (prev, cur) = moved();
        let act = vec![
            activity("2026-03-10", ActivityKind::Payment, "C1", "P1", 7_000),
            activity("2026-03-12", ActivityKind::Payment, "C4", "R1", 1_000),
        ];
        let s = score(&prev, &cur, &act);
        let (ann, bob) = (&s[0], &s[1]);
        // Restated beginning AR: ann = R1 2,000 (P1 now counts for bob);
        // bob = Q1 4,000 + P1 10,000 = 14,000. Together 16,000 = the previous AR.
        assert_eq!(ann.beginning_ar.map(|a| a.money), Some(Money(2_000)));
        assert_eq!(bob.beginning_ar.map(|a| a.money), Some(Money(14_000)));
        // ann: sales A2 5,000, ending 6,000, ending current 5,000:
        // (2,000 + 5,000 − 6,000) / (2,000 + 5,000 − 5,000) = 1,000 / 2,000 = 50.00
        // (as reported, with beginning 12,000: 11,000 / 12,000 = 91.67).
        assert_eq!(ann.period_sales.money, Money(5_000));
        assert_eq!(ann.cei, Some(d("50.00")));
        // bob: no sales, ending 7,000, none current: (14,000 − 7,000) / 14,000 = 50.00
        // (as reported: (4,000 − 7,000) / 4,000 = −75.00).
        assert_eq!(bob.cei, Some(d("50.00")));
        // Collections follow the portfolio: P1's 7,000 to bob, R1's 1,000 to ann.
        assert_eq!(
            (ann.collected.money, bob.collected.money),
            (Money(1_000), Money(7_000))
        );
        // Past-due change: ann 1,000 now − 0 before (R1 was current) = +1,000;
        // bob 7,000 now − (Q1 4,000 + P1 0, current on 02-28) = +3,000.
        assert_eq!(ann.past_due_change.map(|a| a.money), Some(Money(1_000)));
        assert_eq!(bob.past_due_change.map(|a| a.money), Some(Money(3_000)));
        // One customer (C1) moved out of ann's portfolio into bob's.
        let ch = |c: &CollectorScore| {
            let p = c.portfolio_change.clone().unwrap();
            (
                p.customers_in,
                p.customers_out,
                p.beginning_ar_as_reported.money,
            )
        };
        assert_eq!(ch(ann), (0, 1, Money(12_000)));
        assert_eq!(ch(bob), (1, 0, Money(4_000)));

        // Without activity the cleared amounts are restated the same way:
        // P1 10,000 − 3,000 = 7,000 to bob (it was ann's), R1 2,000 − 1,000 = 1,000 to ann.
        let s = score(&prev, &cur, &[]);
        assert_eq!(
            (s[0].collected.money, s[1].collected.money),
            (Money(1_000), Money(7_000))
        );
        assert_eq!(s[1].cei, Some(d("50.00")));
    }

    #[test]
    fn monthly_targets_are_prorated_to_the_period() {
        let range = |a: &str, b: &str| PeriodRange {
            start: day(a),
            end: day(b),
        };
        // A whole month is the target.
        assert_eq!(
            prorated_target(Money(10_000), range("2026-03-01", "2026-03-31")),
            Money(10_000)
        );
        // 2026-02-16 … 2026-03-15: 13 of February's 28 days, 15 of March's 31:
        // 10,000 × 13 / 28 + 10,000 × 15 / 31 = 4,642.857… + 4,838.709… = 9,481.566… → 9,482
        assert_eq!(
            prorated_target(Money(10_000), range("2026-02-16", "2026-03-15")),
            Money(9_482)
        );
        // Rounded once, not per month: 3 × 13 / 28 + 3 × 15 / 31 = 1.3928… + 1.4516… = 2.844… → 3
        // (rounding each month first would give 1 + 1 = 2).
        assert_eq!(
            prorated_target(Money(3), range("2026-02-16", "2026-03-15")),
            Money(3)
        );
        // Half of April (30 days): 15 days → 10,000 × 15 / 30 = 5,000.
        assert_eq!(
            prorated_target(Money(10_000), range("2026-04-01", "2026-04-15")),
            Money(5_000)
        );
        // Two whole months: twice the target; leap February 2028: 29 of 29 days.
        assert_eq!(
            prorated_target(Money(10_000), range("2026-01-01", "2026-02-28")),
            Money(20_000)
        );
        assert_eq!(
            prorated_target(Money(10_000), range("2028-02-01", "2028-02-29")),
            Money(10_000)
        );
        // One day of a 31-day month: 100 / 31 = 3.225… → 3 (half away from zero: 1 / 2 → 1).
        assert_eq!(
            prorated_target(Money(100), range("2026-03-31", "2026-03-31")),
            Money(3)
        );
        assert_eq!(
            prorated_target(Money(1), range("2026-04-01", "2026-04-15")),
            Money(1)
        );
    }

    #[test]
    fn target_percent_uses_the_prorated_target() {
        // Period 2026-02-16 … 2026-03-15 (previous snapshot on 02-15): ann's monthly
        // target 10,000 prorates to 9,482 (see above); collected 4,741 → 4,741 / 9,482 = 50.00 %.
        let prev = snap(
            "2026-02-15",
            &[row(
                "P1",
                "C1",
                "",
                "ann",
                "2026-01-01",
                "2026-02-28",
                10_000,
                10_000,
            )],
        );
        let cur = snap(
            "2026-03-15",
            &[row(
                "P1",
                "C1",
                "",
                "ann",
                "2026-01-01",
                "2026-02-28",
                10_000,
                5_259,
            )],
        );
        let act = vec![activity(
            "2026-03-01",
            ActivityKind::Payment,
            "C1",
            "P1",
            4_741,
        )];
        let mut cfg = MetricsConfig::default();
        cfg.collector_targets.insert("ann".into(), Money(10_000));
        let l = SalesLedger::default();
        let log = ActivityLog::from_rows(&act);
        let ctx = Context::new(&cur, Some(&prev), &l, &log, &[], &cfg);
        let f = collections::flows(&ctx);
        let (outcomes, _) = promises::evaluate(&ctx);
        let disp = disputes::compute(&ctx);
        let s = compute(&ctx, &f, &outcomes, &disp);
        assert_eq!(s[0].monthly_target.map(|a| a.money), Some(Money(10_000)));
        assert_eq!(s[0].target.map(|a| a.money), Some(Money(9_482)));
        assert_eq!(s[0].target_percent, Some(d("50.00")));
    }

    #[test]
    fn ties_share_a_rank_and_unassigned_is_not_ranked() {
        let line = |name: &str, score: Option<&str>| CollectorScore {
            collector: name.to_string(),
            open_ar: Amount::default(),
            invoice_count: 0,
            customer_count: 0,
            current_percent: None,
            over_90_percent: None,
            past_due: Amount::default(),
            past_due_change: None,
            collected: Amount::default(),
            target: None,
            monthly_target: None,
            target_percent: None,
            beginning_ar: None,
            period_sales: Amount::default(),
            cei: None,
            weighted_days_past_due: None,
            promises_kept_rate: None,
            open_disputes: 0,
            contacts: 0,
            score: score.map(d),
            rank: None,
            portfolio_change: None,
        };
        let mut v = vec![
            line("", Some("99")),
            line("a", Some("50")),
            line("b", Some("80")),
            line("c", Some("50")),
            line("d", None),
            line("e", Some("10")),
        ];
        rank(&mut v);
        let ranks: Vec<_> = v.iter().map(|l| l.rank).collect();
        assert_eq!(ranks, vec![None, Some(2), Some(1), Some(2), None, Some(4)]);
    }
}

/// Unit tests aimed at mutants cargo-mutants found surviving (issue 21).
#[cfg(test)]
mod mutation_tests {
    use super::super::testutil::*;
    use super::super::{collections, disputes, promises};
    use super::*;
    use crate::activity::ActivityLog;
    use crate::ledger::{MetricsConfig, SalesLedger};

    #[test]
    fn an_item_due_on_the_previous_snapshot_date_was_not_past_due_then() {
        // A (ann, 100) is due 2026-02-28 = the previous snapshot's date: 0
        // days past due then, so ann's past due before is 0; on 2026-03-31 it
        // is 31 days past due: change = 100 − 0 = +100. B (ann, 40) was due
        // the day before (1 day past due then, 32 now): 40 − 40 = 0.
        let rows = [
            row("A", "C1", "", "ann", "2026-01-29", "2026-02-28", 100, 100),
            row("B", "C1", "", "ann", "2026-01-28", "2026-02-27", 40, 40),
        ];
        let prev = snap("2026-02-28", &rows);
        let cur = snap("2026-03-31", &rows);
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let ctx = Context::new(&cur, Some(&prev), &l, ActivityLog::empty(), &[], &cfg);
        let f = collections::flows(&ctx);
        let (outcomes, _) = promises::evaluate(&ctx);
        let disp = disputes::compute(&ctx);
        let s = compute(&ctx, &f, &outcomes, &disp);
        let ann = s.iter().find(|l| l.collector == "ann").unwrap();
        assert_eq!(ann.past_due.money, Money(140));
        assert_eq!(ann.past_due_change.map(|a| a.money), Some(Money(100)));
    }

    #[test]
    fn only_contact_rows_count_as_contacts() {
        // Period March 2026 (previous 2026-02-28): ann has two contacts and
        // one payment in the period → 2 contacts, not 3 (nor 1).
        let rows = [row(
            "A",
            "C1",
            "",
            "ann",
            "2026-02-01",
            "2026-03-03",
            100,
            100,
        )];
        let prev = snap("2026-02-28", &rows);
        let cur = snap("2026-03-31", &rows);
        let act = vec![
            by(
                activity("2026-03-02", ActivityKind::Contact, "C1", "", 0),
                "ann",
            ),
            by(
                activity("2026-03-03", ActivityKind::Payment, "C1", "A", 10),
                "ann",
            ),
            by(
                activity("2026-03-04", ActivityKind::Contact, "C1", "", 0),
                "ann",
            ),
        ];
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let log = ActivityLog::from_rows(&act);
        let ctx = Context::new(&cur, Some(&prev), &l, &log, &[], &cfg);
        let f = collections::flows(&ctx);
        let (outcomes, _) = promises::evaluate(&ctx);
        let disp = disputes::compute(&ctx);
        let s = compute(&ctx, &f, &outcomes, &disp);
        let ann = s.iter().find(|l| l.collector == "ann").unwrap();
        assert_eq!(ann.contacts, 2);
    }
}

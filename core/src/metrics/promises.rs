//! Promises to pay, judged as of the snapshot date.
//!
//! A promise row (made on its date, for its amount, to pay by the date in
//! its reference) is matched to the invoice it names, or to the customer
//! when it names none. Payments are allocated once: promises are taken in
//! order of promised date, then promise date, then log order; each takes
//! from the unallocated part of the matching payments (those on its invoice,
//! or any of the customer's) dated from the promise date through its due
//! date = promised date + `promise_grace_days` (never after the snapshot
//! date), earliest payment first, up to its amount. A promise is *kept*
//! when its allocation reaches its amount, *broken* when the snapshot date
//! is after its due date and it is not kept, *pending* otherwise. Rows with
//! an unreadable promised date, a promised date before the promise date, or
//! an amount ≤ 0 are *invalid* and only counted. Rates are over resolved
//! (kept + broken) promises; the period view counts the promises whose
//! promised date lies in the period.

use super::amount::{percent_money, Amount};
use super::context::Context;
use crate::activity::ActivityRef;
use crate::ledger::ActivityKind;
use crate::{Day, Money};
use hashbrown::HashMap;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PromiseStatus {
    Kept,
    Broken,
    Pending,
}

impl PromiseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PromiseStatus::Kept => "kept",
            PromiseStatus::Broken => "broken",
            PromiseStatus::Pending => "pending",
        }
    }
}

/// Status of a promise of `amount` due on `due` (promised date + grace),
/// given what was allocated to it by `as_of`.
pub fn promise_status(paid: Money, amount: Money, due: Day, as_of: Day) -> PromiseStatus {
    if paid >= amount {
        PromiseStatus::Kept
    } else if as_of > due {
        PromiseStatus::Broken
    } else {
        PromiseStatus::Pending
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PromiseOutcome<'a> {
    pub row: ActivityRef<'a>,
    pub promised: Day,
    /// Promised date + grace: paid by then keeps it, broken only after it.
    pub due: Day,
    /// Payments allocated to this promise (at most its amount).
    pub paid: Money,
    pub status: PromiseStatus,
    pub collector: &'a str,
    /// The promised date lies in the snapshot's period.
    pub fell_due_in_period: bool,
}

/// Every valid promise made on or before the snapshot date with its status
/// (in log order), and the number of invalid promise rows.
pub fn evaluate<'a>(ctx: &Context<'a>) -> (Vec<PromiseOutcome<'a>>, u32) {
    let log = ctx.activity.log();
    let as_of = ctx.as_of();
    let grace = i32::try_from(ctx.config.promise_grace_days).unwrap_or(i32::MAX);
    let mut out = Vec::new();
    let mut invalid = 0;
    for a in ctx.activity() {
        if a.kind() != ActivityKind::Promise {
            continue;
        }
        let Some(promised) = a
            .promised_date()
            .filter(|p| *p >= a.date() && a.amount().0 > 0)
        else {
            invalid += 1;
            continue;
        };
        out.push(PromiseOutcome {
            row: a,
            promised,
            due: Day(promised.0.saturating_add(grace)),
            paid: Money::ZERO,
            status: PromiseStatus::Pending,
            collector: ctx.collector_of(a),
            fell_due_in_period: ctx.period.contains(promised),
        });
    }
    // Allocation order: promised date, then promise date; the stable sort
    // keeps log order for ties.
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_by_key(|&i| (out[i].promised, out[i].row.date()));
    // Amount of each payment (by log position) already allocated.
    let mut used: HashMap<u32, Money> = HashMap::new();
    for i in order {
        let o = &out[i];
        let (amount, invoice) = (o.row.amount(), o.row.invoice_id());
        // Payments after the snapshot date never count: the window ends on it.
        let to = o.due.min(as_of);
        let mut paid = Money::ZERO;
        for (pos, p) in log.payments(o.row.customer_sym(), o.row.date(), to) {
            if paid >= amount {
                break;
            }
            if !invoice.is_empty() && p.invoice_id() != invoice {
                continue;
            }
            let taken = used.entry(pos).or_insert(Money::ZERO);
            let left = p.amount() - *taken;
            if left.0 <= 0 {
                continue;
            }
            let take = left.min(amount - paid);
            *taken += take;
            paid += take;
        }
        let o = &mut out[i];
        o.paid = paid;
        o.status = promise_status(paid, amount, o.due, as_of);
    }
    (out, invalid)
}

/// Counts and amounts of promises by status.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub kept: u32,
    pub broken: u32,
    pub pending: u32,
    pub kept_amount: Money,
    pub broken_amount: Money,
    pub pending_amount: Money,
}

impl Tally {
    pub fn add(&mut self, o: &PromiseOutcome<'_>) {
        let a = o.row.amount();
        match o.status {
            PromiseStatus::Kept => {
                self.kept += 1;
                self.kept_amount += a;
            }
            PromiseStatus::Broken => {
                self.broken += 1;
                self.broken_amount += a;
            }
            PromiseStatus::Pending => {
                self.pending += 1;
                self.pending_amount += a;
            }
        }
    }

    /// kept / (kept + broken) × 100, by count.
    pub fn kept_rate_count(&self) -> Option<Decimal> {
        super::amount::percent(i128::from(self.kept), i128::from(self.kept + self.broken))
    }

    /// kept amount / (kept + broken amount) × 100.
    pub fn kept_rate_amount(&self) -> Option<Decimal> {
        percent_money(self.kept_amount, self.kept_amount + self.broken_amount)
    }

    fn output(&self, ctx: &Context<'_>) -> PromiseCounts {
        PromiseCounts {
            made: self.kept + self.broken + self.pending,
            kept: self.kept,
            broken: self.broken,
            pending: self.pending,
            kept_amount: ctx.amount(self.kept_amount),
            broken_amount: ctx.amount(self.broken_amount),
            pending_amount: ctx.amount(self.pending_amount),
            kept_rate_count: self.kept_rate_count(),
            kept_rate_amount: self.kept_rate_amount(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PromiseCounts {
    pub made: u32,
    pub kept: u32,
    pub broken: u32,
    pub pending: u32,
    pub kept_amount: Amount,
    pub broken_amount: Amount,
    pub pending_amount: Amount,
    pub kept_rate_count: Option<Decimal>,
    pub kept_rate_amount: Option<Decimal>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CollectorPromises {
    pub collector: String,
    /// Cumulative: every promise made on or before the snapshot date.
    #[serde(flatten)]
    pub counts: PromiseCounts,
    /// The promises whose promised date lies in the period.
    pub fell_due_in_period: PromiseCounts,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PromiseSummary {
    /// Cumulative: every promise made on or before the snapshot date.
    #[serde(flatten)]
    pub counts: PromiseCounts,
    /// The promises whose promised date lies in the period (those due in
    /// its last `grace_days` days may still be pending).
    pub fell_due_in_period: PromiseCounts,
    pub grace_days: u32,
    pub invalid: u32,
    pub by_collector: Vec<CollectorPromises>,
}

/// Tallies per collector (cumulative).
pub fn by_collector(outcomes: &[PromiseOutcome<'_>]) -> BTreeMap<String, Tally> {
    let mut m: BTreeMap<String, Tally> = BTreeMap::new();
    for o in outcomes {
        m.entry(o.collector.to_string()).or_default().add(o);
    }
    m
}

pub fn summarize(
    ctx: &Context<'_>,
    outcomes: &[PromiseOutcome<'_>],
    invalid: u32,
) -> PromiseSummary {
    let mut total = Tally::default();
    let mut period = Tally::default();
    let mut period_by_collector: BTreeMap<&str, Tally> = BTreeMap::new();
    for o in outcomes {
        total.add(o);
        if o.fell_due_in_period {
            period.add(o);
            period_by_collector.entry(o.collector).or_default().add(o);
        }
    }
    PromiseSummary {
        counts: total.output(ctx),
        fell_due_in_period: period.output(ctx),
        grace_days: ctx.config.promise_grace_days,
        invalid,
        by_collector: by_collector(outcomes)
            .into_iter()
            .map(|(collector, t)| CollectorPromises {
                fell_due_in_period: period_by_collector
                    .get(collector.as_str())
                    .copied()
                    .unwrap_or_default()
                    .output(ctx),
                collector,
                counts: t.output(ctx),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use crate::activity::ActivityLog;
    use crate::ledger::Activity;
    use crate::ledger::{MetricsConfig, SalesLedger};
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn promise(made: &str, customer: &str, by_date: &str, amount: i64) -> Activity {
        with_ref(
            activity(made, ActivityKind::Promise, customer, "", amount),
            by_date,
        )
    }

    #[test]
    fn status_rule() {
        let p = day("2026-03-10");
        assert_eq!(
            promise_status(Money(100), Money(100), p, day("2026-03-05")),
            PromiseStatus::Kept
        );
        assert_eq!(
            promise_status(Money(99), Money(100), p, day("2026-03-10")),
            PromiseStatus::Pending
        );
        assert_eq!(
            promise_status(Money(99), Money(100), p, day("2026-03-11")),
            PromiseStatus::Broken
        );
    }

    #[test]
    fn promises_by_hand() {
        // As of 2026-03-31.
        let act = vec![
            // 1: C1 promises 1,000 by Mar 10; pays 600 (Mar 5) + 500 (Mar 9) = 1,100 → kept.
            promise("2026-03-01", "C1", "2026-03-10", 1_000),
            activity("2026-03-05", ActivityKind::Payment, "C1", "I1", 600),
            activity("2026-03-09", ActivityKind::Payment, "C1", "I1", 500),
            // 2: C2 promises 800 by Mar 20; pays 500 on Mar 15, 300 on Mar 21 (late) → broken.
            by(promise("2026-03-01", "C2", "2026-03-20", 800), "ann"),
            activity("2026-03-15", ActivityKind::Payment, "C2", "I2", 500),
            activity("2026-03-21", ActivityKind::Payment, "C2", "I2", 300),
            // 3: C3 promises 400 by Apr 5; 100 paid Mar 28; the 400 of Apr 2 is
            //    after the snapshot and must not count → pending.
            promise("2026-03-25", "C3", "2026-04-05", 400),
            activity("2026-03-28", ActivityKind::Payment, "C3", "I3", 100),
            activity("2026-04-02", ActivityKind::Payment, "C3", "I3", 400),
            // 4: C4 promises 50 by Mar 31 (the snapshot date itself) → pending.
            promise("2026-03-30", "C4", "2026-03-31", 50),
            // 5: C1 promises 500 by Mar 15 on Mar 12; the earlier payments do not count → broken.
            promise("2026-03-12", "C1", "2026-03-15", 500),
            // Invalid: unreadable date, zero amount, promised before made.
            promise("2026-03-01", "C5", "soon", 10),
            promise("2026-03-01", "C5", "2026-03-10", 0),
            promise("2026-03-09", "C5", "2026-03-01", 10),
            // Made after the snapshot: not seen at all.
            promise("2026-04-01", "C5", "2026-04-10", 10),
        ];
        let cur = snap("2026-03-31", &[]);
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let log = ActivityLog::from_rows(&act);
        let ctx = Context::new(&cur, None, &l, &log, &[], &cfg);
        let (outcomes, invalid) = evaluate(&ctx);
        assert_eq!(invalid, 3);
        let statuses: Vec<_> = outcomes
            .iter()
            .map(|o| (o.row.customer_id(), o.status))
            .collect();
        assert_eq!(
            statuses,
            vec![
                ("C1", PromiseStatus::Kept),
                ("C2", PromiseStatus::Broken),
                ("C1", PromiseStatus::Broken),
                ("C3", PromiseStatus::Pending),
                ("C4", PromiseStatus::Pending),
            ]
        );
        let s = summarize(&ctx, &outcomes, invalid);
        // Resolved: kept 1 (1,000), broken 2 (800 + 500 = 1,300).
        // By count 1 / 3 = 33.33 %; by amount 1,000 / 2,300 = 43.478… → 43.48 %
        assert_eq!(
            (
                s.counts.made,
                s.counts.kept,
                s.counts.broken,
                s.counts.pending
            ),
            (5, 1, 2, 2)
        );
        assert_eq!(s.counts.pending_amount.money, Money(450));
        assert_eq!(s.counts.kept_rate_count, Some(d("33.33")));
        assert_eq!(s.counts.kept_rate_amount, Some(d("43.48")));
        let ann = s
            .by_collector
            .iter()
            .find(|c| c.collector == "ann")
            .unwrap();
        assert_eq!(
            (ann.counts.broken, ann.counts.kept_rate_count),
            (1, Some(d("0.00")))
        );
    }

    fn on_invoice(mut a: Activity, invoice: &str) -> Activity {
        a.invoice_id = invoice.to_string();
        a
    }

    /// Allocation, invoice matching, grace and the period view. As of
    /// 2026-03-31, previous snapshot 2026-02-28: period Mar 1–31.
    fn allocation_rows() -> Vec<Activity> {
        vec![
            // A: C1, made Mar 1, 500 by Mar 10. B: C1, made Mar 2, 500 by Mar 12.
            //    One payment of 700 on Mar 5: A (earlier promised date) takes
            //    500, B gets the 200 left → B broken, not kept twice.
            promise("2026-03-01", "C1", "2026-03-10", 500),
            promise("2026-03-02", "C1", "2026-03-12", 500),
            activity("2026-03-05", ActivityKind::Payment, "C1", "I1", 700),
            // D: C2 promises 300 on invoice I7 by Mar 10; C2 pays 300 on I8
            //    (Mar 6): not on I7 → D gets 0, broken. E: C2's customer-level
            //    promise of 300 by Mar 20 takes that payment → kept.
            on_invoice(promise("2026-03-01", "C2", "2026-03-10", 300), "I7"),
            promise("2026-03-01", "C2", "2026-03-20", 300),
            activity("2026-03-06", ActivityKind::Payment, "C2", "I8", 300),
            // F: C3, 400 by Mar 10, paid 400 on Mar 14: inside 5 days of grace
            //    (due Mar 15) → kept; without grace → broken.
            promise("2026-03-01", "C3", "2026-03-10", 400),
            activity("2026-03-14", ActivityKind::Payment, "C3", "I3", 400),
            // G: C4, 100 by Mar 26, unpaid: with grace due Mar 31 = snapshot
            //    date → pending; without grace → broken.
            promise("2026-03-20", "C4", "2026-03-26", 100),
            // H: C5, 250 by Feb 20, unpaid → broken; fell due before the period.
            promise("2026-02-10", "C5", "2026-02-20", 250),
        ]
    }

    #[test]
    fn payments_are_allocated_once_with_grace_and_period_view() {
        let act = allocation_rows();
        let prev = snap("2026-02-28", &[]);
        let cur = snap("2026-03-31", &[]);
        let cfg = MetricsConfig {
            promise_grace_days: 5,
            ..MetricsConfig::default()
        };
        let l = SalesLedger::default();
        let log = ActivityLog::from_rows(&act);
        let ctx = Context::new(&cur, Some(&prev), &l, &log, &[], &cfg);
        let (outcomes, invalid) = evaluate(&ctx);
        assert_eq!(invalid, 0);
        // Log (date) order: H, A, D, E, F, B, G.
        let got: Vec<_> = outcomes
            .iter()
            .map(|o| (o.row.customer_id(), o.paid.0, o.status))
            .collect();
        use PromiseStatus::*;
        assert_eq!(
            got,
            vec![
                ("C5", 0, Broken),
                ("C1", 500, Kept),
                ("C2", 0, Broken),
                ("C2", 300, Kept),
                ("C3", 400, Kept),
                ("C1", 200, Broken),
                ("C4", 0, Pending),
            ]
        );
        let s = summarize(&ctx, &outcomes, invalid);
        // Cumulative: kept A 500 + E 300 + F 400 = 3 (1,200); broken B 500 +
        // D 300 + H 250 = 3 (1,050); pending G.
        // By count 3 / 6 = 50.00 %; by amount 1,200 / 2,250 = 53.333… → 53.33 %.
        let c = &s.counts;
        assert_eq!((c.made, c.kept, c.broken, c.pending), (7, 3, 3, 1));
        assert_eq!(
            (c.kept_amount.money, c.broken_amount.money),
            (Money(1_200), Money(1_050))
        );
        assert_eq!(c.kept_rate_count, Some(d("50.00")));
        assert_eq!(c.kept_rate_amount, Some(d("53.33")));
        // Fell due in March (H is February's): kept 3 (1,200), broken B + D =
        // 2 (800), pending G. By count 3 / 5 = 60.00 %; by amount 1,200 / 2,000 = 60.00 %.
        let p = &s.fell_due_in_period;
        assert_eq!((p.made, p.kept, p.broken, p.pending), (6, 3, 2, 1));
        assert_eq!(p.broken_amount.money, Money(800));
        assert_eq!(p.kept_rate_count, Some(d("60.00")));
        assert_eq!(p.kept_rate_amount, Some(d("60.00")));
        assert_eq!(s.grace_days, 5);
    }

    #[test]
    fn without_grace_a_late_payment_breaks_the_promise() {
        let act = allocation_rows();
        let prev = snap("2026-02-28", &[]);
        let cur = snap("2026-03-31", &[]);
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let log = ActivityLog::from_rows(&act);
        let ctx = Context::new(&cur, Some(&prev), &l, &log, &[], &cfg);
        let (outcomes, _) = evaluate(&ctx);
        // F: the Mar 14 payment is after Mar 10 → 0 allocated, broken.
        // G: Mar 31 is after Mar 26 → broken. Kept: A and E only.
        let s = summarize(&ctx, &outcomes, 0);
        assert_eq!(
            (s.counts.kept, s.counts.broken, s.counts.pending),
            (2, 5, 0)
        );
        assert_eq!(s.counts.kept_amount.money, Money(800));
        let f = outcomes
            .iter()
            .find(|o| o.row.customer_id() == "C3")
            .unwrap();
        assert_eq!((f.paid, f.status), (Money::ZERO, PromiseStatus::Broken));
    }

    #[test]
    fn no_resolved_promises_no_rate() {
        let t = Tally::default();
        assert_eq!(t.kept_rate_count(), None);
        assert_eq!(t.kept_rate_amount(), None);
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
    fn a_status_prints_as_its_name_and_as_its_json_value() {
        // The customer pages print as_str(); metrics.json prints serde's
        // lowercase name: the two must be the same three words.
        for (s, name) in [
            (PromiseStatus::Kept, "kept"),
            (PromiseStatus::Broken, "broken"),
            (PromiseStatus::Pending, "pending"),
        ] {
            assert_eq!(s.as_str(), name);
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{name}\""));
        }
    }

    #[test]
    fn a_payment_shared_by_two_promises_gives_the_second_only_what_is_left() {
        // C1 promises 300 by Mar 10 and 300 by Mar 12; one payment of 500 on
        // Mar 8. The first (earlier promised date) takes 300; the second gets
        // 500 − 300 = 200 < 300 → broken at Mar 31 (no grace).
        let prev = snap("2026-02-28", &[]);
        let cur = snap("2026-03-31", &[]);
        let act = vec![
            with_ref(
                activity("2026-03-01", ActivityKind::Promise, "C1", "", 300),
                "2026-03-10",
            ),
            with_ref(
                activity("2026-03-02", ActivityKind::Promise, "C1", "", 300),
                "2026-03-12",
            ),
            activity("2026-03-08", ActivityKind::Payment, "C1", "I1", 500),
        ];
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let log = ActivityLog::from_rows(&act);
        let ctx = Context::new(&cur, Some(&prev), &l, &log, &[], &cfg);
        let (outcomes, _) = evaluate(&ctx);
        let got: Vec<_> = outcomes.iter().map(|o| (o.paid.0, o.status)).collect();
        assert_eq!(
            got,
            vec![(300, PromiseStatus::Kept), (200, PromiseStatus::Broken)]
        );
    }

    #[test]
    fn a_promise_takes_no_more_than_what_it_still_lacks() {
        // C1 promises 300 by Mar 10 and 300 by Mar 12; payments 200 (Mar 5)
        // and 500 (Mar 6). The first takes 200, then 300 − 200 = 100 of the
        // 500 → paid 300, kept; the second takes 300 of the 400 left → kept.
        let prev = snap("2026-02-28", &[]);
        let cur = snap("2026-03-31", &[]);
        let act = vec![
            with_ref(
                activity("2026-03-01", ActivityKind::Promise, "C1", "", 300),
                "2026-03-10",
            ),
            with_ref(
                activity("2026-03-02", ActivityKind::Promise, "C1", "", 300),
                "2026-03-12",
            ),
            activity("2026-03-05", ActivityKind::Payment, "C1", "I1", 200),
            activity("2026-03-06", ActivityKind::Payment, "C1", "I2", 500),
        ];
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let log = ActivityLog::from_rows(&act);
        let ctx = Context::new(&cur, Some(&prev), &l, &log, &[], &cfg);
        let (outcomes, _) = evaluate(&ctx);
        let got: Vec<_> = outcomes.iter().map(|o| (o.paid.0, o.status)).collect();
        assert_eq!(
            got,
            vec![(300, PromiseStatus::Kept), (300, PromiseStatus::Kept)]
        );
    }
}

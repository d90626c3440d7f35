//! Promises to pay, judged as of the snapshot date.
//!
//! A promise row (made on its date, for its amount, to pay by the date in
//! its reference) is *kept* when the customer's payments dated from the
//! promise date through the promised date (both included, and never after
//! the snapshot date) add up to at least the promised amount; *broken* when
//! the snapshot date is after the promised date and it was not kept;
//! *pending* otherwise. Each promise is judged on its own: one payment can
//! keep two overlapping promises. Rows with an unreadable promised date, a
//! promised date before the promise date, or an amount ≤ 0 are *invalid*
//! and only counted. Rates are over resolved (kept + broken) promises.

use super::amount::{percent_money, Amount};
use super::context::Context;
use crate::activity::ActivityRef;
use crate::ledger::ActivityKind;
use crate::{Day, Money};
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

/// Status of a promise of `amount` due on `promised`, given what was paid
/// in its window by `as_of`.
pub fn promise_status(paid: Money, amount: Money, promised: Day, as_of: Day) -> PromiseStatus {
    if paid >= amount {
        PromiseStatus::Kept
    } else if as_of > promised {
        PromiseStatus::Broken
    } else {
        PromiseStatus::Pending
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PromiseOutcome<'a> {
    pub row: ActivityRef<'a>,
    pub promised: Day,
    pub paid: Money,
    pub status: PromiseStatus,
    pub collector: &'a str,
}

/// Every valid promise made on or before the snapshot date with its status,
/// and the number of invalid promise rows.
pub fn evaluate<'a>(ctx: &Context<'a>) -> (Vec<PromiseOutcome<'a>>, u32) {
    let log = ctx.activity.log();
    let as_of = ctx.as_of();
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
        // Payments after the snapshot date never count: the window ends on it.
        let paid = log.paid(a.customer_sym(), a.date(), promised.min(as_of));
        out.push(PromiseOutcome {
            row: a,
            promised,
            paid,
            status: promise_status(paid, a.amount(), promised, as_of),
            collector: ctx.collector_of(a),
        });
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
    #[serde(flatten)]
    pub counts: PromiseCounts,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PromiseSummary {
    #[serde(flatten)]
    pub counts: PromiseCounts,
    pub invalid: u32,
    pub by_collector: Vec<CollectorPromises>,
}

/// Tallies per collector.
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
    outcomes.iter().for_each(|o| total.add(o));
    PromiseSummary {
        counts: total.output(ctx),
        invalid,
        by_collector: by_collector(outcomes)
            .into_iter()
            .map(|(collector, t)| CollectorPromises {
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

    #[test]
    fn no_resolved_promises_no_rate() {
        let t = Tally::default();
        assert_eq!(t.kept_rate_count(), None);
        assert_eq!(t.kept_rate_amount(), None);
    }
}

//! Disputes from the activity log, as of the snapshot date.
//!
//! Each `dispute_opened` row opens a case; a `dispute_resolved` row closes
//! the earliest case still open with the same key (rows in date order, ties
//! in input order). The key is (customer, invoice id): a resolution only
//! ever closes a case of its own customer. Rows without an invoice id have
//! the key (customer, none), so a resolution without an invoice closes the
//! customer's earliest open invoice-less case. The reference is not part of
//! the key: on an opening it holds the reason ("pricing"), on a resolution
//! the outcome ("credit issued"), which never match. A resolution with no
//! open case is counted as unmatched. A case's amount is the opening row's
//! amount, or the invoice's open amount in the current snapshot when the
//! row has none (0). Age = snapshot date − opened date, bucketed with the
//! aging scheme's edges. Resolution time = resolved date − opened date,
//! over every case resolved on or before the snapshot date.
//!
//! AR in dispute = open amounts (current snapshot) of the invoices with
//! status `disputed` or with an open case.

use super::amount::{div_round, percent_money, Amount};
use super::context::Context;
use crate::activity::{ActivityRef, Sym};
use crate::ledger::ActivityKind;
use crate::{Money, Status};
use hashbrown::{HashMap, HashSet};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisputeCase<'a> {
    pub opened: ActivityRef<'a>,
    pub resolved: Option<ActivityRef<'a>>,
    /// The opening row's amount, else the invoice's open amount in the
    /// current snapshot (0 when it is not there).
    pub amount: Money,
}

/// Pairs openings and resolutions per (customer, invoice id); `rows` in
/// date order. Returns the cases (in opening order, amounts 0) and the
/// resolutions that found no open case.
pub fn pair<'a>(
    rows: impl Iterator<Item = ActivityRef<'a>>,
) -> (Vec<DisputeCase<'a>>, Vec<ActivityRef<'a>>) {
    let mut cases: Vec<DisputeCase<'a>> = Vec::new();
    let mut open: HashMap<(Sym, &str), VecDeque<usize>> = HashMap::new();
    let mut unmatched = Vec::new();
    for a in rows {
        let key = (a.customer_sym(), a.invoice_id());
        match a.kind() {
            ActivityKind::DisputeOpened => {
                open.entry(key).or_default().push_back(cases.len());
                cases.push(DisputeCase {
                    opened: a,
                    resolved: None,
                    amount: Money::ZERO,
                });
            }
            ActivityKind::DisputeResolved => {
                match open.get_mut(&key).and_then(VecDeque::pop_front) {
                    Some(i) => cases[i].resolved = Some(a),
                    None => unmatched.push(a),
                }
            }
            _ => {}
        }
    }
    (cases, unmatched)
}

/// The snapshot's dispute cases with their amounts, and the unmatched
/// resolutions.
pub fn cases<'a>(ctx: &Context<'a>) -> (Vec<DisputeCase<'a>>, Vec<ActivityRef<'a>>) {
    let (mut cases, unmatched) = pair(ctx.activity());
    for c in &mut cases {
        let o = c.opened;
        c.amount = if o.amount().0 != 0 {
            o.amount()
        } else {
            ctx.current_invoice(o.invoice_id())
                .map_or(Money::ZERO, |i| i.open)
        };
    }
    (cases, unmatched)
}

/// Median of day counts (mean of the two middle values for an even count), 2 dp.
pub fn median_days(values: &[i32]) -> Option<Decimal> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_unstable();
    let n = v.len();
    let sum = if n % 2 == 1 {
        2 * i128::from(v[n / 2])
    } else {
        i128::from(v[n / 2 - 1]) + i128::from(v[n / 2])
    };
    div_round(sum, 2, 2)
}

/// Arithmetic mean of day counts, 2 dp.
pub fn mean_days(values: &[i32]) -> Option<Decimal> {
    let sum: i128 = values.iter().map(|&v| i128::from(v)).sum();
    div_round(sum, values.len() as i128, 2)
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DisputeLine {
    pub name: String,
    pub count: u32,
    pub amount: Amount,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DisputeSummary {
    pub open_count: u32,
    pub open_amount: Amount,
    pub by_reason: Vec<DisputeLine>,
    /// Age buckets: "0" (opened on the snapshot date), then the aging labels.
    pub by_age: Vec<DisputeLine>,
    pub open_by_collector: Vec<DisputeLine>,
    pub resolved_to_date: u32,
    pub resolved_in_period: u32,
    pub median_resolution_days: Option<Decimal>,
    pub mean_resolution_days: Option<Decimal>,
    pub unmatched_resolutions: u32,
    pub ar_in_dispute: Amount,
    pub ar_in_dispute_percent: Option<Decimal>,
}

fn tally(map: &mut BTreeMap<String, (u32, Money)>, key: &str, amount: Money) {
    let e = map.entry(key.to_string()).or_default();
    e.0 += 1;
    e.1 += amount;
}

pub fn compute(ctx: &Context<'_>) -> DisputeSummary {
    let (cases, unmatched) = cases(ctx);
    summarize(ctx, &cases, unmatched.len() as u32)
}

pub fn summarize(ctx: &Context<'_>, cases: &[DisputeCase<'_>], unmatched: u32) -> DisputeSummary {
    let as_of = ctx.as_of();
    let scheme = &ctx.config.aging;
    let mut labels = scheme.labels();
    labels[0] = "0".to_string();
    let mut by_age = vec![(0u32, Money::ZERO); scheme.bucket_count()];
    let mut by_reason = BTreeMap::new();
    let mut by_collector = BTreeMap::new();
    let (mut open_count, mut open_amount) = (0, Money::ZERO);
    let mut open_invoices: HashSet<&str> = HashSet::new();
    let mut resolution_days = Vec::new();
    let mut resolved_in_period = 0;
    for c in cases {
        if let Some(r) = c.resolved {
            resolution_days.push(r.date().days_since(c.opened.date()));
            if ctx.period.contains(r.date()) {
                resolved_in_period += 1;
            }
            continue;
        }
        let o = c.opened;
        let amount = c.amount;
        open_count += 1;
        open_amount += amount;
        open_invoices.insert(o.invoice_id());
        tally(
            &mut by_reason,
            o.dispute_reason().unwrap_or("(none)"),
            amount,
        );
        tally(&mut by_collector, ctx.collector_of(o), amount);
        let b = scheme.bucket_of(as_of.days_since(o.date()));
        by_age[b].0 += 1;
        by_age[b].1 += amount;
    }
    let ar_in_dispute: Money = ctx
        .current
        .invoices
        .iter()
        .filter(|i| i.status == Status::Disputed || open_invoices.contains(i.invoice_id.as_str()))
        .map(|i| i.open)
        .sum();
    let lines = |m: BTreeMap<String, (u32, Money)>| -> Vec<DisputeLine> {
        m.into_iter()
            .map(|(name, (count, amount))| DisputeLine {
                name,
                count,
                amount: ctx.amount(amount),
            })
            .collect()
    };
    DisputeSummary {
        open_count,
        open_amount: ctx.amount(open_amount),
        by_reason: lines(by_reason),
        by_age: labels
            .into_iter()
            .zip(by_age)
            .map(|(name, (count, amount))| DisputeLine {
                name,
                count,
                amount: ctx.amount(amount),
            })
            .collect(),
        open_by_collector: lines(by_collector),
        resolved_to_date: resolution_days.len() as u32,
        resolved_in_period,
        median_resolution_days: median_days(&resolution_days),
        mean_resolution_days: mean_days(&resolution_days),
        unmatched_resolutions: unmatched,
        ar_in_dispute: ctx.amount(ar_in_dispute),
        ar_in_dispute_percent: percent_money(ar_in_dispute, ctx.aging.total.total()),
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

    fn opened(date: &str, inv: &str, reason: &str, amount: i64) -> Activity {
        with_ref(
            activity(date, ActivityKind::DisputeOpened, "C1", inv, amount),
            reason,
        )
    }

    fn resolved(date: &str, inv: &str) -> Activity {
        with_ref(
            activity(date, ActivityKind::DisputeResolved, "C1", inv, 0),
            "credit issued",
        )
    }

    fn event(
        kind: ActivityKind,
        date: &str,
        customer: &str,
        inv: &str,
        reference: &str,
    ) -> Activity {
        with_ref(activity(date, kind, customer, inv, 0), reference)
    }

    #[test]
    fn cases_pair_within_a_customer_only() {
        use ActivityKind::{DisputeOpened as O, DisputeResolved as R};
        // As of 2026-03-31. Opening amounts are 0: the case amount comes
        // from the invoice's open amount in the snapshot.
        let act = vec![
            // C1 opens an invoice-less case (Mar 1); C2 resolves an
            // invoice-less case (Mar 5). Paired on invoice id alone, C2's
            // resolution closed C1's case; now it is unmatched and C1's stays open.
            event(O, "2026-03-01", "C1", "", "service"),
            event(R, "2026-03-05", "C2", "", "credit issued"),
            // Two invoice-less cases of C3 (Mar 2, Mar 3); one resolution
            // without an invoice (Mar 10) closes the earlier one: 8 days.
            event(O, "2026-03-02", "C3", "", "pricing"),
            event(O, "2026-03-03", "C3", "", "delivery"),
            event(R, "2026-03-10", "C3", "", "price adjusted"),
            // The same invoice id under two customers: C5's resolution does
            // not close C4's case on X1.
            event(O, "2026-03-04", "C4", "X1", "quality"),
            event(R, "2026-03-06", "C5", "X1", "paid"),
        ];
        let cur = snap(
            "2026-03-31",
            &[row(
                "X1",
                "C4",
                "",
                "",
                "2026-02-01",
                "2026-03-03",
                900,
                900,
            )],
        );
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let log = ActivityLog::from_rows(&act);
        let ctx = Context::new(&cur, None, &l, &log, &[], &cfg);
        let (cases, unmatched) = cases(&ctx);
        // Unmatched: C2's (Mar 5) and C5's (Mar 6) resolutions.
        let unmatched: Vec<_> = unmatched.iter().map(|a| a.customer_id()).collect();
        assert_eq!(unmatched, vec!["C2", "C5"]);
        let open: Vec<_> = cases
            .iter()
            .filter(|c| c.resolved.is_none())
            .map(|c| (c.opened.customer_id(), c.opened.reference(), c.amount.0))
            .collect();
        // Open: C1's, C3's Mar 3 case, C4's on X1 (amount 900 from the snapshot;
        // invoice-less cases have no invoice to take an amount from: 0).
        assert_eq!(
            open,
            vec![
                ("C1", "service", 0),
                ("C3", "delivery", 0),
                ("C4", "quality", 900)
            ]
        );
        let s = summarize(&ctx, &cases, unmatched.len() as u32);
        assert_eq!((s.open_count, s.open_amount.money), (3, Money(900)));
        assert_eq!(s.unmatched_resolutions, 2);
        // One resolution, Mar 10 − Mar 2 = 8 days.
        assert_eq!(s.resolved_to_date, 1);
        assert_eq!(s.median_resolution_days, Some(d("8.00")));
    }

    #[test]
    fn median_and_mean() {
        assert_eq!(median_days(&[40, 10, 30]), Some(d("30.00")));
        assert_eq!(median_days(&[10, 31]), Some(d("20.50")));
        assert_eq!(median_days(&[]), None);
        assert_eq!(mean_days(&[10, 30, 40]), Some(d("26.67")));
        assert_eq!(mean_days(&[]), None);
    }

    #[test]
    fn disputes_by_hand() {
        // As of 2026-03-31, no previous snapshot (period = March to date).
        let act = vec![
            opened("2026-01-10", "I1", "pricing", 1_000),
            resolved("2026-02-09", "I1"),               // 30 days
            opened("2026-03-01", "I2", "quality", 500), // open, age 30 → 1–30
            opened("2026-01-31", "I3", "pricing", 0), // open, age 59 → 31–60, amount from snapshot (700)
            opened("2026-02-01", "I4", "pricing", 200),
            resolved("2026-03-13", "I4"), // 40 days
            opened("2026-03-01", "I5", "delivery", 100),
            resolved("2026-03-11", "I5"), // 10 days
            resolved("2026-03-12", "I9"), // nothing open on I9
            resolved("2026-04-02", "I2"), // after the snapshot: I2 stays open
        ];
        let cur = snap(
            "2026-03-31",
            &[
                row("I2", "C1", "", "", "2026-02-01", "2026-03-03", 500, 500),
                row("I3", "C1", "", "", "2026-01-01", "2026-01-31", 700, 700),
                Row {
                    status: Status::Disputed,
                    ..row("I6", "C1", "", "", "2026-03-01", "2026-03-31", 300, 300)
                },
                row("I7", "C1", "", "", "2026-03-01", "2026-03-31", 1_500, 1_500),
            ],
        );
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let log = ActivityLog::from_rows(&act);
        let s = compute(&Context::new(&cur, None, &l, &log, &[], &cfg));
        assert_eq!((s.open_count, s.open_amount.money), (2, Money(1_200)));
        assert_eq!(
            s.by_reason
                .iter()
                .map(|l| (l.name.as_str(), l.count, l.amount.money.0))
                .collect::<Vec<_>>(),
            vec![("pricing", 1, 700), ("quality", 1, 500)]
        );
        assert_eq!(s.by_age[1].count, 1); // 1–30: I2
        assert_eq!(s.by_age[2].amount.money, Money(700)); // 31–60: I3
                                                          // Resolution times 30, 40, 10: median 30, mean 80 / 3 = 26.67
        assert_eq!(s.resolved_to_date, 3);
        assert_eq!(s.resolved_in_period, 2);
        assert_eq!(s.median_resolution_days, Some(d("30.00")));
        assert_eq!(s.mean_resolution_days, Some(d("26.67")));
        assert_eq!(s.unmatched_resolutions, 1);
        // AR in dispute: I2 500 + I3 700 + I6 (status) 300 = 1,500 of 3,000 → 50.00 %
        assert_eq!(s.ar_in_dispute.money, Money(1_500));
        assert_eq!(s.ar_in_dispute_percent, Some(d("50.00")));
    }
}

/// Unit tests aimed at mutants cargo-mutants found surviving (issue 21).
#[cfg(test)]
mod mutation_tests {
    use super::*;

    #[test]
    fn the_median_of_five_and_of_four_values() {
        // Five values, sorted 10 20 30 40 50: the middle (3rd) is 30.
        assert_eq!(
            median_days(&[50, 10, 40, 20, 30]),
            Some(Decimal::new(3000, 2))
        );
        // Four, sorted 10 20 30 41: (20 + 30) / 2 = 25.
        assert_eq!(median_days(&[41, 30, 20, 10]), Some(Decimal::new(2500, 2)));
        // One value is its own median.
        assert_eq!(median_days(&[7]), Some(Decimal::new(700, 2)));
    }
}

//! Collection worklist: every delinquent customer (past-due open amount of
//! the current snapshot > 0) with a priority score and the reasons for it.
//!
//! score = age points + promise points + limit points + contact points:
//! - age points: Σ over the customer's past-due items (dpd > 0) of open ×
//!   bucket number (1 for the first past-due bucket, 2 for the next, …),
//!   per 1,000 currency units;
//! - promise points: 10 per promise broken with a promised date in the 90
//!   days before the snapshot date;
//! - limit points: 15 when over the credit limit;
//! - contact points: 1 per full 7 days since the last `contact` row of the
//!   customer (on or before the snapshot date), at most 20; 20 when there is
//!   none.
//!
//! Rounded to 2 dp half away from zero. Sorted by score (highest first),
//! then past-due amount (largest first), then customer id.

use super::amount::{round2, Amount};
use super::context::Context;
use super::credit::CreditSummary;
use super::promises::{PromiseOutcome, PromiseStatus};
use crate::format;
use crate::ledger::ActivityKind;
use crate::{Day, Money};
use hashbrown::HashMap;
use rust_decimal::Decimal;
use serde::Serialize;

pub const AGE_POINTS_PER_UNITS: i64 = 1_000;
pub const BROKEN_PROMISE_POINTS: u32 = 10;
pub const BROKEN_PROMISE_LOOKBACK_DAYS: i32 = 90;
pub const OVER_LIMIT_POINTS: u32 = 15;
pub const CONTACT_DAYS_PER_POINT: i32 = 7;
pub const CONTACT_POINTS_CAP: u32 = 20;

/// Age points from Σ(open × bucket number) in minor units.
pub fn age_points(weighted_minor: i128, exponent: u32) -> Decimal {
    let per = i128::from(AGE_POINTS_PER_UNITS) * 10i128.pow(exponent);
    let whole = Decimal::try_from_i128_with_scale(weighted_minor / per, 0).unwrap_or(Decimal::MAX);
    let rest = Decimal::try_from_i128_with_scale(weighted_minor % per, 0).unwrap_or_default();
    whole + rest / Decimal::try_from_i128_with_scale(per, 0).unwrap_or(Decimal::MAX)
}

/// Contact points for the days since the last contact (`None`: never).
pub fn contact_points(days_since: Option<i32>) -> u32 {
    match days_since {
        None => CONTACT_POINTS_CAP,
        Some(d) => ((d.max(0) / CONTACT_DAYS_PER_POINT) as u32).min(CONTACT_POINTS_CAP),
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Points {
    pub age: Decimal,
    pub broken_promises: u32,
    pub over_limit: u32,
    pub contact: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WorklistEntry {
    pub customer_id: String,
    pub name: String,
    pub collector: String,
    pub past_due: Amount,
    pub oldest_days_past_due: i32,
    pub score: Decimal,
    pub points: Points,
    pub reasons: Vec<String>,
}

#[derive(Default)]
struct Acc {
    past_due: Money,
    weighted: i128,
    oldest: i32,
    largest: Money,
    collector: u32,
}

pub fn compute(
    ctx: &Context<'_>,
    promises: &[PromiseOutcome<'_>],
    credit: &CreditSummary,
) -> Vec<WorklistEntry> {
    let as_of = ctx.as_of();
    let scheme = &ctx.config.aging;
    let exp = ctx.exponent();
    let code = &ctx.current.currency.code;
    let mut acc: Vec<Acc> = (0..ctx.current.customers.len())
        .map(|_| Acc::default())
        .collect();
    for inv in &ctx.current.invoices {
        let dpd = inv.days_past_due(as_of);
        if dpd <= 0 {
            continue;
        }
        let a = &mut acc[inv.customer as usize];
        a.past_due += inv.open;
        a.weighted += i128::from(inv.open.0) * scheme.bucket_of(dpd) as i128;
        a.oldest = a.oldest.max(dpd);
        if inv.open > a.largest {
            a.largest = inv.open;
            a.collector = inv.collector;
        }
    }
    let mut broken: HashMap<&str, u32> = HashMap::new();
    for o in promises {
        if o.status == PromiseStatus::Broken
            && as_of.days_since(o.promised) <= BROKEN_PROMISE_LOOKBACK_DAYS
        {
            *broken.entry(o.row.customer_id()).or_default() += 1;
        }
    }
    let mut last_contact: HashMap<&str, Day> = HashMap::new();
    for a in ctx
        .activity
        .iter()
        .filter(|a| a.kind() == ActivityKind::Contact)
    {
        let e = last_contact.entry(a.customer_id()).or_insert(a.date());
        *e = (*e).max(a.date());
    }
    let over: HashMap<&str, Money> = credit
        .over_limit
        .iter()
        .map(|l| (l.customer_id.as_str(), l.over_limit_by.money))
        .collect();
    let money = |m: Money| format!("{} {code}", format::money(m, exp));
    let mut out: Vec<WorklistEntry> = Vec::new();
    for (c, a) in ctx.current.customers.iter().zip(&acc) {
        if a.past_due.0 <= 0 {
            continue;
        }
        let id = c.id.as_str();
        let age = age_points(a.weighted, exp);
        let n_broken = broken.get(id).copied().unwrap_or(0);
        let over_by = over.get(id).copied();
        let since = last_contact.get(id).map(|d| as_of.days_since(*d));
        let points = Points {
            // Shown and serialised with the score's precision; the score
            // is the same either way (the other points are whole numbers).
            age: round2(age),
            broken_promises: n_broken * BROKEN_PROMISE_POINTS,
            over_limit: if over_by.is_some() {
                OVER_LIMIT_POINTS
            } else {
                0
            },
            contact: contact_points(since),
        };
        let mut reasons = vec![format!(
            "{} past due, oldest {} days past due: +{} (age-weighted, per {} {code})",
            money(a.past_due),
            a.oldest,
            round2(age),
            AGE_POINTS_PER_UNITS
        )];
        if n_broken > 0 {
            reasons.push(format!(
                "{n_broken} broken promise{} in the last {BROKEN_PROMISE_LOOKBACK_DAYS} days: +{}",
                if n_broken == 1 { "" } else { "s" },
                points.broken_promises
            ));
        }
        if let Some(by) = over_by {
            reasons.push(format!(
                "over credit limit by {}: +{OVER_LIMIT_POINTS}",
                money(by)
            ));
        }
        match since {
            None => reasons.push(format!("no contact on record: +{}", points.contact)),
            Some(d) if points.contact > 0 => {
                reasons.push(format!("last contact {d} days ago: +{}", points.contact))
            }
            Some(_) => {}
        }
        let score = round2(
            age + Decimal::from(points.broken_promises + points.over_limit + points.contact),
        );
        let collector = ctx
            .customers
            .get(id)
            .and_then(|m| m.collector.as_deref())
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .unwrap_or(ctx.current.collectors[a.collector as usize].as_str());
        out.push(WorklistEntry {
            customer_id: id.to_string(),
            name: c.name.clone(),
            collector: collector.to_string(),
            past_due: ctx.amount(a.past_due),
            oldest_days_past_due: a.oldest,
            score,
            points,
            reasons,
        });
    }
    out.sort_by(|x, y| {
        y.score
            .cmp(&x.score)
            .then(y.past_due.money.cmp(&x.past_due.money))
            .then_with(|| x.customer_id.cmp(&y.customer_id))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::super::{credit, promises};
    use super::*;
    use crate::activity::ActivityLog;
    use crate::ledger::{MetricsConfig, SalesLedger};
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn point_rules() {
        assert_eq!(contact_points(None), 20);
        assert_eq!(contact_points(Some(6)), 0);
        assert_eq!(contact_points(Some(14)), 2);
        assert_eq!(contact_points(Some(500)), 20);
        // 12,345.67 EUR at bucket 2 = 2,469,134 cents ×… : 2,469,134 / 100,000 = 24.69134
        assert_eq!(age_points(2_469_134, 2), d("24.69134"));
    }

    #[test]
    fn worklist_by_hand() {
        // As of 2026-03-31, EUR (cents), default buckets.
        // C1: 10,000.00 at 45 dpd (bucket 2): 2 × 1,000,000 / 100,000 = 20;
        //     broken promise (by Mar 20): +10; last contact Mar 17, 14 days: +2 → 32.00
        // C2: 3,000.00 at 100 dpd (bucket 4): 4 × 300,000 / 100,000 = 12;
        //     1,000.00 current (not past due); over limit (4,000.00 > 3,500.00): +15;
        //     never contacted: +20; broken promise of Dec 1 is 120 days old: 0 → 47.00
        // C3: current only → not on the list.
        // C4: 500.00 at 5 dpd (bucket 1): 50,000 / 100,000 = 0.5; contacted today: 0 → 0.50
        let cur = snap(
            "2026-03-31",
            &[
                row(
                    "1",
                    "C1",
                    "",
                    "ann",
                    "2026-01-15",
                    "2026-02-14",
                    1_000_000,
                    1_000_000,
                ),
                row(
                    "2",
                    "C2",
                    "",
                    "bob",
                    "2025-11-21",
                    "2025-12-21",
                    300_000,
                    300_000,
                ),
                row(
                    "3",
                    "C2",
                    "",
                    "bob",
                    "2026-03-20",
                    "2026-04-19",
                    100_000,
                    100_000,
                ),
                row(
                    "4",
                    "C3",
                    "",
                    "bob",
                    "2026-03-20",
                    "2026-04-19",
                    100_000,
                    100_000,
                ),
                row(
                    "5",
                    "C4",
                    "",
                    "ann",
                    "2026-02-24",
                    "2026-03-26",
                    50_000,
                    50_000,
                ),
            ],
        );
        let act = vec![
            with_ref(
                activity("2026-03-10", ActivityKind::Promise, "C1", "", 500_000),
                "2026-03-20",
            ),
            with_ref(
                activity("2026-11-25", ActivityKind::Promise, "C2", "", 1),
                "2025-12-01",
            ),
            with_ref(
                activity("2025-11-25", ActivityKind::Promise, "C2", "", 100),
                "2025-12-01",
            ),
            with_ref(
                activity("2026-03-17", ActivityKind::Contact, "C1", "", 0),
                "call",
            ),
            with_ref(
                activity("2026-03-31", ActivityKind::Contact, "C4", "", 0),
                "email",
            ),
        ];
        let master = vec![customer("C2", Some(350_000))];
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let log = ActivityLog::from_rows(&act);
        let ctx = Context::new(&cur, None, &l, &log, &master, &cfg);
        let (outcomes, _) = promises::evaluate(&ctx);
        let credit = credit::compute(&ctx);
        let w = compute(&ctx, &outcomes, &credit);
        let scores: Vec<_> = w
            .iter()
            .map(|e| (e.customer_id.as_str(), e.score))
            .collect();
        assert_eq!(
            scores,
            vec![("C2", d("47.00")), ("C1", d("32.00")), ("C4", d("0.50"))]
        );
        assert_eq!(w[0].points.age.to_string(), "12.00");
        assert_eq!(w[0].points.over_limit, 15);
        assert_eq!(w[0].points.broken_promises, 0);
        assert_eq!(w[0].collector, "bob");
        assert_eq!(
            w[0].reasons,
            vec![
                "3,000.00 EUR past due, oldest 100 days past due: +12.00 (age-weighted, per 1000 EUR)",
                "over credit limit by 500.00 EUR: +15",
                "no contact on record: +20",
            ]
        );
        assert_eq!(w[1].reasons[1], "1 broken promise in the last 90 days: +10");
        assert_eq!(w[1].reasons[2], "last contact 14 days ago: +2");
        assert_eq!(w[2].reasons.len(), 1);
    }
}

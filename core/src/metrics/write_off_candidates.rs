//! Write-off candidates and the watch list, as of the snapshot date.
//!
//! Per customer of the current snapshot with open items:
//! - *amount at risk* = Σ open of its items more than `candidate_days` past
//!   due (credit items that old net against it: they are the customer's
//!   own credit on the same old debt);
//! - *broken promises* = its promises broken with a due date (the promised
//!   date plus grace) at most `broken_promise_window_days` before the
//!   snapshot date: an old broken promise says little about today;
//! - *placed* = one of its open items has status `agency`, or a placement
//!   row on or before the snapshot date names one of its open items or no
//!   invoice at all.
//!
//! A *candidate* has an amount at risk > 0. An account with nothing at risk
//! but something past due goes on the *watch list* when it has at least
//! `broken_promise_count` broken promises in the window, or is placed.
//! Candidates are sorted by amount at risk (largest first), the watch list
//! by past due; ties by customer id.

use super::amount::Amount;
use super::context::Context;
use super::promises::{PromiseOutcome, PromiseStatus};
use crate::ledger::ActivityKind;
use crate::{Money, Status};
use hashbrown::{HashMap, HashSet};
use serde::Serialize;

/// The settings of the rule (`[bad_debt]` in `arsite.toml`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WriteOffRule {
    /// Items more than this many days past due are at risk.
    pub candidate_days: u32,
    /// Broken promises count when their due date is at most this many days
    /// before the snapshot date.
    pub broken_promise_window_days: u32,
    /// Broken promises in the window that put an account on the watch list.
    pub broken_promise_count: u32,
}

impl Default for WriteOffRule {
    fn default() -> Self {
        WriteOffRule {
            candidate_days: 120,
            broken_promise_window_days: 180,
            broken_promise_count: 2,
        }
    }
}

/// One account on either list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteOffLine {
    /// Index into the current snapshot's customers.
    pub customer: usize,
    pub customer_id: String,
    pub balance: Amount,
    pub past_due: Amount,
    pub at_risk: Amount,
    pub broken_promises: u32,
    pub placed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WriteOffCandidates {
    pub rule: WriteOffRule,
    pub candidate_count: u32,
    /// Σ amount at risk of the candidates.
    pub at_risk_total: Amount,
    pub watch_count: u32,
    /// The lists themselves are for the pages (one line per account).
    #[serde(skip)]
    pub candidates: Vec<WriteOffLine>,
    #[serde(skip)]
    pub watch: Vec<WriteOffLine>,
}

pub fn compute(ctx: &Context<'_>, outcomes: &[PromiseOutcome<'_>]) -> WriteOffCandidates {
    let rule = &ctx.config.write_off;
    let s = ctx.current;
    let as_of = ctx.as_of();
    let threshold = i32::try_from(rule.candidate_days).unwrap_or(i32::MAX);
    let window = i32::try_from(rule.broken_promise_window_days).unwrap_or(i32::MAX);

    let mut placed_invoices: HashSet<&str> = HashSet::new();
    let mut placed_customers: HashSet<&str> = HashSet::new();
    for a in ctx.activity() {
        if a.kind() == ActivityKind::Placement {
            match a.invoice_id() {
                "" => placed_customers.insert(a.customer_id()),
                id => placed_invoices.insert(id),
            };
        }
    }
    let n = s.customers.len();
    let mut at_risk = vec![Money::ZERO; n];
    let mut placed = vec![false; n];
    for inv in &s.invoices {
        let c = inv.customer as usize;
        if inv.days_past_due(as_of) > threshold {
            at_risk[c] += inv.open;
        }
        if inv.status == Status::Agency || placed_invoices.contains(inv.invoice_id.as_str()) {
            placed[c] = true;
        }
    }
    let mut broken: HashMap<&str, u32> = HashMap::new();
    for o in outcomes {
        if o.status == PromiseStatus::Broken && as_of.days_since(o.due) <= window {
            *broken.entry(o.row.customer_id()).or_default() += 1;
        }
    }

    let (mut candidates, mut watch) = (Vec::new(), Vec::new());
    for (ci, c) in s.customers.iter().enumerate() {
        let totals = &ctx.aging.by_customer[ci];
        if totals.count() == 0 {
            continue;
        }
        let line = WriteOffLine {
            customer: ci,
            customer_id: c.id.clone(),
            balance: ctx.amount(totals.total()),
            past_due: ctx.amount(totals.past_due()),
            at_risk: ctx.amount(at_risk[ci]),
            broken_promises: broken.get(c.id.as_str()).copied().unwrap_or(0),
            placed: placed[ci] || placed_customers.contains(c.id.as_str()),
        };
        if line.at_risk.money.0 > 0 {
            candidates.push(line);
        } else if line.past_due.money.0 > 0
            && (line.placed || line.broken_promises >= rule.broken_promise_count.max(1))
        {
            watch.push(line);
        }
    }
    candidates.sort_by(|a, b| {
        b.at_risk
            .money
            .cmp(&a.at_risk.money)
            .then_with(|| a.customer_id.cmp(&b.customer_id))
    });
    watch.sort_by(|a, b| {
        b.past_due
            .money
            .cmp(&a.past_due.money)
            .then_with(|| a.customer_id.cmp(&b.customer_id))
    });
    let total: Money = candidates.iter().map(|l| l.at_risk.money).sum();
    WriteOffCandidates {
        rule: rule.clone(),
        candidate_count: candidates.len() as u32,
        at_risk_total: ctx.amount(total),
        watch_count: watch.len() as u32,
        candidates,
        watch,
    }
}

#[cfg(test)]
mod tests {
    use super::super::promises;
    use super::super::testutil::*;
    use super::*;
    use crate::activity::ActivityLog;
    use crate::ledger::{MetricsConfig, SalesLedger};

    fn agency(r: Row) -> Row {
        Row {
            status: Status::Agency,
            ..r
        }
    }

    #[test]
    fn candidates_and_watch_list_by_hand() {
        // As of 2026-06-30, default rule: over 120 days, broken promises
        // due in the last 180 days, 2 of them for the watch list.
        let cur = snap(
            "2026-06-30",
            &[
                // C1: I1 149 days past due (Feb 1 → Jun 30) at risk; I2 29 days.
                row("I1", "C1", "", "", "2026-01-02", "2026-02-01", 1_000, 1_000),
                row("I2", "C1", "", "", "2026-05-02", "2026-06-01", 500, 500),
                // C2: J1 122 days (300) and a credit J2 150 days (−100) at risk:
                // 200. J3 exactly 120 days (Mar 2 → Jun 30) is not over 120.
                row("J1", "C2", "", "", "2026-01-29", "2026-02-28", 300, 300),
                row("J2", "C2", "", "", "2026-01-01", "2026-01-31", -100, -100),
                row("J3", "C2", "", "", "2026-01-31", "2026-03-02", 5_000, 5_000),
                // C3: 30 days past due, two broken promises in the window → watch.
                row("K1", "C3", "", "", "2026-05-01", "2026-05-31", 400, 400),
                // C4: 15 days past due, one broken promise → neither list.
                row("L1", "C4", "", "", "2026-05-16", "2026-06-15", 200, 200),
                // C5: 10 days past due, with the agency → watch.
                agency(row(
                    "M1",
                    "C5",
                    "",
                    "",
                    "2026-05-21",
                    "2026-06-20",
                    700,
                    700,
                )),
                // C6: with the agency but current → neither list.
                agency(row(
                    "N1",
                    "C6",
                    "",
                    "",
                    "2026-06-15",
                    "2026-07-15",
                    800,
                    800,
                )),
                // C7: a placement row on its open P1, 29 days past due → watch.
                row("P1", "C7", "", "", "2026-05-02", "2026-06-01", 50, 50),
            ],
        );
        let promise = |made: &str, customer: &str, by_date: &str| {
            with_ref(
                activity(made, ActivityKind::Promise, customer, "", 100),
                by_date,
            )
        };
        let act = vec![
            // Due Nov 1, 2025: 241 days before the snapshot, outside the window.
            promise("2025-10-20", "C3", "2025-11-01"),
            promise("2026-04-01", "C3", "2026-04-10"), // 81 days
            promise("2026-06-01", "C3", "2026-06-10"), // 20 days
            promise("2026-04-20", "C4", "2026-05-01"),
            activity("2026-06-05", ActivityKind::Placement, "C7", "P1", 50),
        ];
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let log = ActivityLog::from_rows(&act);
        let ctx = Context::new(&cur, None, &l, &log, &[], &cfg);
        let (outcomes, _) = promises::evaluate(&ctx);
        let w = compute(&ctx, &outcomes);
        let lines = |v: &[WriteOffLine]| -> Vec<(String, i64, u32, bool)> {
            v.iter()
                .map(|l| {
                    (
                        l.customer_id.clone(),
                        l.at_risk.money.0,
                        l.broken_promises,
                        l.placed,
                    )
                })
                .collect()
        };
        // Candidates by amount at risk: C1 1,000, C2 200; total 1,200.
        assert_eq!(
            lines(&w.candidates),
            vec![("C1".into(), 1_000, 0, false), ("C2".into(), 200, 0, false)]
        );
        assert_eq!(w.at_risk_total.money, Money(1_200));
        assert_eq!(w.candidate_count, 2);
        // Watch list by past due: C5 700, C3 400, C7 50.
        assert_eq!(
            lines(&w.watch),
            vec![
                ("C5".into(), 0, 0, true),
                ("C3".into(), 0, 2, false),
                ("C7".into(), 0, 0, true)
            ]
        );
        assert_eq!(w.watch[1].past_due.money, Money(400));
        // A 28-day threshold makes C3, C1's I2, C2's J3 and C7 candidates too.
        let cfg = MetricsConfig {
            write_off: WriteOffRule {
                candidate_days: 28,
                ..WriteOffRule::default()
            },
            ..MetricsConfig::default()
        };
        let ctx = Context::new(&cur, None, &l, &log, &[], &cfg);
        let w = compute(&ctx, &outcomes);
        // Over 28 days: C1 1,000 + 500; C2 300 − 100 + 5,000; C3 400; C7 50.
        assert_eq!(w.at_risk_total.money, Money(1_500 + 5_200 + 400 + 50));
        // C5 (10 days, with the agency) stays on the watch list; C4 (15 days,
        // one broken promise) on neither.
        assert_eq!(w.watch_count, 1);
    }
}

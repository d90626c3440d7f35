//! The lists behind the overview's tiles (issue 16): per snapshot, the rows
//! a collections team acts on, each with its totals. Pure, from the context
//! (current and previous snapshot, activity on or before the snapshot date)
//! and what the other modules computed once: promise outcomes
//! (`promises::evaluate`), dispute cases (`disputes::cases`) and the credit
//! summary's over-limit list (`credit::compute`). `docs/metrics.md` ("Lists")
//! states every rule.
//!
//! - `promises_due`: pending promises due (promised date + grace) from the
//!   snapshot date through 7 days after it.
//! - `promises_broken`: broken promises whose promised date lies in the
//!   period (the promises summary's `fell_due_in_period` view).
//! - `newly_past_due`: invoices with open > 0 past due now that were current
//!   at the previous snapshot, or absent from it (flagged `absent`).
//! - `movers`: the 10 customers whose past due grew most (growth > 0).
//! - `over_limit`: the credit summary's over-limit list, as it is.
//! - `disputes_over_sla`: open disputes open more than `dispute_sla_days`.

use super::amount::Amount;
use super::context::Context;
use super::credit::CreditSummary;
use super::disputes::DisputeCase;
use super::promises::{PromiseOutcome, PromiseStatus};
use crate::{Day, Money};
use hashbrown::HashMap;
use rust_decimal::Decimal;
use serde::Serialize;

/// Days after the snapshot date a pending promise's due date may fall in to
/// be listed in `promises_due`.
pub const PROMISES_DUE_DAYS: i32 = 7;

/// How many customers `movers` lists at most.
pub const MOVERS: usize = 10;

/// One promise of `promises_due` or `promises_broken`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PromiseRow {
    pub customer_id: String,
    pub customer_name: String,
    /// The promise's collector (`Context::collector_of` of its row).
    pub collector: String,
    /// The invoice the promise names; `None` for a promise on the account.
    pub invoice_id: Option<String>,
    pub promise_date: String,
    pub promised_date: String,
    /// Promised date + grace.
    pub due_date: String,
    pub amount: Amount,
    /// Payments allocated to the promise.
    pub paid: Amount,
    /// amount − paid.
    pub unpaid: Amount,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PromiseList {
    pub count: u32,
    pub total_amount: Amount,
    pub total_paid: Amount,
    pub total_unpaid: Amount,
    pub rows: Vec<PromiseRow>,
}

/// One invoice of `newly_past_due`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewlyPastDueRow {
    pub customer_id: String,
    pub customer_name: String,
    /// The invoice's collector in the current snapshot.
    pub collector: String,
    pub invoice_id: String,
    pub due_date: String,
    pub open: Amount,
    pub days_past_due: i32,
    /// `"current"`: in the previous snapshot and not yet past due there;
    /// `"absent"`: not in the previous snapshot (same id and customer).
    pub previously: &'static str,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewlyPastDueList {
    /// False without a previous snapshot (the list is then empty).
    pub available: bool,
    pub count: u32,
    pub total_open: Amount,
    pub rows: Vec<NewlyPastDueRow>,
}

/// One customer of `movers`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MoverRow {
    pub customer_id: String,
    pub customer_name: String,
    pub collector: String,
    pub past_due_before: Amount,
    pub past_due_now: Amount,
    pub change: Amount,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MoverList {
    pub available: bool,
    pub count: u32,
    pub total_before: Amount,
    pub total_now: Amount,
    pub total_change: Amount,
    pub rows: Vec<MoverRow>,
}

/// One customer of `over_limit`: a line of `credit.over_limit` with its collector.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OverLimitRow {
    pub customer_id: String,
    pub customer_name: String,
    pub collector: String,
    pub open: Amount,
    pub credit_limit: Amount,
    pub utilization_percent: Option<Decimal>,
    pub over_limit_by: Amount,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OverLimitList {
    pub count: u32,
    pub total_open: Amount,
    pub total_credit_limit: Amount,
    pub total_over_limit_by: Amount,
    pub rows: Vec<OverLimitRow>,
}

/// One open dispute of `disputes_over_sla`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DisputeRow {
    pub customer_id: String,
    pub customer_name: String,
    /// The dispute's owner: `Context::collector_of` of its opening row.
    pub collector: String,
    pub invoice_id: Option<String>,
    /// The opening row's reason code; `None` when it gives none.
    pub reason: Option<String>,
    pub opened: String,
    pub days_open: i32,
    pub amount: Amount,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DisputeList {
    pub sla_days: u32,
    pub count: u32,
    pub total_amount: Amount,
    pub rows: Vec<DisputeRow>,
}

/// The six lists; serialised flat into [`super::SnapshotMetrics`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Lists {
    pub promises_due: PromiseList,
    pub promises_broken: PromiseList,
    pub newly_past_due: NewlyPastDueList,
    pub movers: MoverList,
    pub over_limit: OverLimitList,
    pub disputes_over_sla: DisputeList,
}

/// Customer names by customer id (current snapshot, previous, master).
struct Who<'a> {
    names: HashMap<&'a str, &'a str>,
}

impl<'a> Who<'a> {
    fn new(ctx: &Context<'a>) -> Who<'a> {
        let mut names: HashMap<&'a str, &'a str> = HashMap::new();
        let snapshots = std::iter::once(ctx.current).chain(ctx.previous);
        for s in snapshots {
            for c in &s.customers {
                if !c.name.trim().is_empty() {
                    names.entry(c.id.as_str()).or_insert(c.name.as_str());
                }
            }
        }
        for (id, c) in &ctx.customers {
            if !c.name.trim().is_empty() {
                names.entry(id).or_insert(c.name.as_str());
            }
        }
        Who { names }
    }

    /// The current snapshot's name, else the previous one's, else the master's, else "".
    fn name(&self, id: &str) -> String {
        self.names.get(id).copied().unwrap_or("").to_string()
    }
}

fn opt(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

fn promise_list(
    ctx: &Context<'_>,
    who: &Who<'_>,
    mut rows: Vec<&PromiseOutcome<'_>>,
) -> PromiseList {
    rows.sort_by(|a, b| {
        (a.due, a.row.customer_id(), a.row.invoice_id()).cmp(&(
            b.due,
            b.row.customer_id(),
            b.row.invoice_id(),
        ))
    });
    let (mut amount, mut paid) = (Money::ZERO, Money::ZERO);
    let rows: Vec<PromiseRow> = rows
        .into_iter()
        .map(|o| {
            amount += o.row.amount();
            paid += o.paid;
            PromiseRow {
                customer_id: o.row.customer_id().to_string(),
                customer_name: who.name(o.row.customer_id()),
                collector: o.collector.to_string(),
                invoice_id: opt(o.row.invoice_id()),
                promise_date: o.row.date().to_string(),
                promised_date: o.promised.to_string(),
                due_date: o.due.to_string(),
                amount: ctx.amount(o.row.amount()),
                paid: ctx.amount(o.paid),
                unpaid: ctx.amount(o.row.amount() - o.paid),
            }
        })
        .collect();
    PromiseList {
        count: rows.len() as u32,
        total_amount: ctx.amount(amount),
        total_paid: ctx.amount(paid),
        total_unpaid: ctx.amount(amount - paid),
        rows,
    }
}

/// Pending promises due from the snapshot date through 7 days after it.
fn promises_due(ctx: &Context<'_>, who: &Who<'_>, outcomes: &[PromiseOutcome<'_>]) -> PromiseList {
    let as_of = ctx.as_of();
    let last = Day(as_of.0.saturating_add(PROMISES_DUE_DAYS));
    let rows = outcomes
        .iter()
        .filter(|o| o.status == PromiseStatus::Pending && as_of <= o.due && o.due <= last)
        .collect();
    promise_list(ctx, who, rows)
}

/// Broken promises whose promised date lies in the period.
fn promises_broken(
    ctx: &Context<'_>,
    who: &Who<'_>,
    outcomes: &[PromiseOutcome<'_>],
) -> PromiseList {
    let rows = outcomes
        .iter()
        .filter(|o| o.status == PromiseStatus::Broken && o.fell_due_in_period)
        .collect();
    promise_list(ctx, who, rows)
}

/// Invoices past due now (open > 0) that were current at the previous
/// snapshot or absent from it; largest open first, then by invoice id.
fn newly_past_due(ctx: &Context<'_>, who: &Who<'_>) -> NewlyPastDueList {
    let s = ctx.current;
    let Some(p) = ctx.previous else {
        return NewlyPastDueList {
            available: false,
            count: 0,
            total_open: ctx.amount(Money::ZERO),
            rows: Vec::new(),
        };
    };
    let mut rows = Vec::new();
    let mut total = Money::ZERO;
    for inv in &s.invoices {
        let dpd = inv.days_past_due(s.as_of);
        if dpd <= 0 || inv.open.0 <= 0 {
            continue;
        }
        let customer = s.customers[inv.customer as usize].id.as_str();
        let before = ctx
            .previous_invoice(&inv.invoice_id)
            .filter(|b| p.customers[b.customer as usize].id == customer);
        let previously = match before {
            None => "absent",
            Some(b) if b.days_past_due(p.as_of) <= 0 => "current",
            Some(_) => continue,
        };
        total += inv.open;
        rows.push(NewlyPastDueRow {
            customer_id: customer.to_string(),
            customer_name: who.name(customer),
            collector: ctx.collector_name(s, inv).to_string(),
            invoice_id: inv.invoice_id.clone(),
            due_date: inv.due_date.to_string(),
            open: ctx.amount(inv.open),
            days_past_due: dpd,
            previously,
        });
    }
    rows.sort_by(|a, b| {
        b.open
            .money
            .cmp(&a.open.money)
            .then_with(|| a.invoice_id.cmp(&b.invoice_id))
    });
    NewlyPastDueList {
        available: true,
        count: rows.len() as u32,
        total_open: ctx.amount(total),
        rows,
    }
}

/// The customers of the current snapshot whose past due (the aging's
/// past-due buckets) grew since the previous snapshot: the 10 largest
/// growths, ties by customer id.
fn movers(ctx: &Context<'_>, who: &Who<'_>) -> MoverList {
    let s = ctx.current;
    let (Some(p), Some(pa)) = (ctx.previous, &ctx.previous_aging) else {
        let zero = ctx.amount(Money::ZERO);
        return MoverList {
            available: false,
            count: 0,
            total_before: zero,
            total_now: zero,
            total_change: zero,
            rows: Vec::new(),
        };
    };
    let before: HashMap<&str, Money> = p
        .customers
        .iter()
        .zip(&pa.by_customer)
        .map(|(c, t)| (c.id.as_str(), t.past_due()))
        .collect();
    let mut growth: Vec<(&str, Money, Money)> = s
        .customers
        .iter()
        .zip(&ctx.aging.by_customer)
        .filter(|(_, t)| t.count() > 0)
        .map(|(c, t)| {
            let b = before.get(c.id.as_str()).copied().unwrap_or_default();
            (c.id.as_str(), b, t.past_due())
        })
        .filter(|(_, b, n)| *n > *b)
        .collect();
    growth.sort_by(|a, b| (b.2 - b.1).cmp(&(a.2 - a.1)).then_with(|| a.0.cmp(b.0)));
    growth.truncate(MOVERS);
    let (mut tb, mut tn) = (Money::ZERO, Money::ZERO);
    let rows: Vec<MoverRow> = growth
        .into_iter()
        .map(|(id, b, n)| {
            tb += b;
            tn += n;
            MoverRow {
                customer_id: id.to_string(),
                customer_name: who.name(id),
                collector: ctx.customer_collector(id).to_string(),
                past_due_before: ctx.amount(b),
                past_due_now: ctx.amount(n),
                change: ctx.amount(n - b),
            }
        })
        .collect();
    MoverList {
        available: true,
        count: rows.len() as u32,
        total_before: ctx.amount(tb),
        total_now: ctx.amount(tn),
        total_change: ctx.amount(tn - tb),
        rows,
    }
}

/// `credit.over_limit`, in its order, with each customer's collector.
fn over_limit(ctx: &Context<'_>, credit: &CreditSummary) -> OverLimitList {
    let (mut open, mut limit, mut over) = (Money::ZERO, Money::ZERO, Money::ZERO);
    let rows: Vec<OverLimitRow> = credit
        .over_limit
        .iter()
        .map(|l| {
            open += l.open.money;
            limit += l.credit_limit.money;
            over += l.over_limit_by.money;
            OverLimitRow {
                customer_id: l.customer_id.clone(),
                customer_name: l.name.clone(),
                collector: ctx.customer_collector(&l.customer_id).to_string(),
                open: l.open,
                credit_limit: l.credit_limit,
                utilization_percent: l.utilization_percent,
                over_limit_by: l.over_limit_by,
            }
        })
        .collect();
    OverLimitList {
        count: rows.len() as u32,
        total_open: ctx.amount(open),
        total_credit_limit: ctx.amount(limit),
        total_over_limit_by: ctx.amount(over),
        rows,
    }
}

/// Disputes open on the snapshot date for more than `dispute_sla_days`
/// (snapshot date − opened date > sla); oldest first, then in opening order.
fn disputes_over_sla(ctx: &Context<'_>, who: &Who<'_>, cases: &[DisputeCase<'_>]) -> DisputeList {
    let sla = ctx.config.dispute_sla_days;
    let as_of = ctx.as_of();
    let mut total = Money::ZERO;
    let mut rows: Vec<DisputeRow> = cases
        .iter()
        .filter(|c| c.resolved.is_none())
        .filter(|c| i64::from(as_of.days_since(c.opened.date())) > i64::from(sla))
        .map(|c| {
            let o = c.opened;
            total += c.amount;
            DisputeRow {
                customer_id: o.customer_id().to_string(),
                customer_name: who.name(o.customer_id()),
                collector: ctx.collector_of(o).to_string(),
                invoice_id: opt(o.invoice_id()),
                reason: o.dispute_reason().and_then(opt),
                opened: o.date().to_string(),
                days_open: as_of.days_since(o.date()),
                amount: ctx.amount(c.amount),
            }
        })
        .collect();
    // Stable: equal ages keep the opening order.
    rows.sort_by_key(|r| std::cmp::Reverse(r.days_open));
    DisputeList {
        sla_days: sla,
        count: rows.len() as u32,
        total_amount: ctx.amount(total),
        rows,
    }
}

/// The six lists of one snapshot (customer names looked up once for all).
pub fn compute(
    ctx: &Context<'_>,
    outcomes: &[PromiseOutcome<'_>],
    cases: &[DisputeCase<'_>],
    credit: &CreditSummary,
) -> Lists {
    let who = Who::new(ctx);
    Lists {
        promises_due: promises_due(ctx, &who, outcomes),
        promises_broken: promises_broken(ctx, &who, outcomes),
        newly_past_due: newly_past_due(ctx, &who),
        movers: movers(ctx, &who),
        over_limit: over_limit(ctx, credit),
        disputes_over_sla: disputes_over_sla(ctx, &who, cases),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::activity::ActivityLog;
    use crate::ledger::{Activity, ActivityKind, CustomerInfo, MetricsConfig, SalesLedger};
    use crate::Snapshot;

    // Amounts are minor units (EUR cents); the comments work in the same units.
    fn previous() -> Snapshot {
        snap(
            "2026-02-28",
            &[
                // Due Mar 10: -10 dpd on Feb 28, current.
                row(
                    "P1",
                    "C1",
                    "N",
                    "ann",
                    "2026-02-01",
                    "2026-03-10",
                    1_000,
                    1_000,
                ),
                // Due Feb 20: 8 dpd on Feb 28, already past due.
                row("P2", "C1", "N", "ann", "2026-01-21", "2026-02-20", 500, 500),
                // Due Feb 28: 0 dpd on Feb 28, still current.
                row(
                    "P3",
                    "C2",
                    "N",
                    "bob",
                    "2026-01-29",
                    "2026-02-28",
                    2_000,
                    2_000,
                ),
                row(
                    "Q1",
                    "C3",
                    "N",
                    "bob",
                    "2026-01-01",
                    "2026-01-31",
                    4_000,
                    4_000,
                ),
            ],
        )
    }

    fn current() -> Snapshot {
        snap(
            "2026-03-31",
            &[
                row(
                    "P1",
                    "C1",
                    "N",
                    "ann",
                    "2026-02-01",
                    "2026-03-10",
                    1_000,
                    1_000,
                ),
                row("P2", "C1", "N", "ann", "2026-01-21", "2026-02-20", 500, 500),
                row(
                    "P3",
                    "C2",
                    "N",
                    "bob",
                    "2026-01-29",
                    "2026-02-28",
                    2_000,
                    2_000,
                ),
                row(
                    "Q1",
                    "C3",
                    "N",
                    "bob",
                    "2026-01-01",
                    "2026-01-31",
                    4_000,
                    1_000,
                ),
                // New since Feb 28 and already past due (16 dpd).
                row("N1", "C2", "N", "bob", "2026-03-01", "2026-03-15", 300, 300),
                // C4: a current invoice and a past-due credit.
                row("N2", "C4", "N", "ann", "2026-03-20", "2026-04-19", 700, 700),
                row("N3", "C4", "N", "ann", "2026-03-20", "2026-03-25", -50, -50),
                // New, 1 dpd.
                row(
                    "N4",
                    "C5",
                    "N",
                    "cy",
                    "2026-03-01",
                    "2026-03-30",
                    1_000,
                    1_000,
                ),
            ],
        )
    }

    fn promise(date: &str, customer: &str, invoice: &str, amount: i64, promised: &str) -> Activity {
        with_ref(
            activity(date, ActivityKind::Promise, customer, invoice, amount),
            promised,
        )
    }

    fn log() -> Vec<Activity> {
        vec![
            promise("2026-02-10", "C1", "P2", 500, "2026-02-25"), // G
            promise("2026-03-01", "C3", "Q1", 3_000, "2026-03-15"), // E
            promise("2026-03-01", "C2", "P3", 1_500, "2026-03-20"), // F
            promise("2026-03-02", "C5", "", 400, "2026-03-10"),   // H
            activity("2026-03-05", ActivityKind::Payment, "C5", "X9", 100),
            activity("2026-03-10", ActivityKind::Payment, "C3", "Q1", 3_000),
            promise("2026-03-20", "C1", "P1", 500, "2026-04-03"), // A
            promise("2026-03-25", "C2", "", 800, "2026-04-07"),   // B
            promise("2026-03-25", "C3", "Q1", 400, "2026-04-08"), // C
            promise("2026-03-28", "C4", "", 200, "2026-03-31"),   // D
            with_ref(
                activity("2026-01-15", ActivityKind::DisputeOpened, "C3", "Q1", 900),
                "pricing",
            ),
            by(
                with_ref(
                    activity("2026-01-20", ActivityKind::DisputeOpened, "C3", "", 600),
                    "billing",
                ),
                "zed",
            ),
            with_ref(
                activity("2026-02-28", ActivityKind::DisputeOpened, "C1", "P2", 0),
                "pricing",
            ),
            with_ref(
                activity("2026-03-01", ActivityKind::DisputeOpened, "C2", "P3", 250),
                "quality",
            ),
            with_ref(
                activity("2026-03-20", ActivityKind::DisputeResolved, "C3", "Q1", 0),
                "credit issued",
            ),
        ]
    }

    fn master() -> Vec<CustomerInfo> {
        vec![
            customer("C1", Some(1_000)),
            customer("C2", Some(3_000)),
            customer("C3", Some(0)),
        ]
    }

    fn metrics(previous: Option<&Snapshot>) -> super::super::SnapshotMetrics {
        let cur = current();
        let log = ActivityLog::from_rows(&log());
        super::super::compute(
            &cur,
            previous,
            &SalesLedger::default(),
            &log,
            &master(),
            &MetricsConfig::default(),
        )
    }

    fn ids<T>(rows: &[T], f: impl Fn(&T) -> String) -> Vec<String> {
        rows.iter().map(f).collect()
    }

    #[test]
    fn lists_by_hand() {
        let prev = previous();
        let m = metrics(Some(&prev));
        let l = &m.lists;

        // Promises due Mar 31 (the snapshot date) .. Apr 7, pending:
        // D (C4, due Mar 31, 200), A (C1 P1, Apr 3, 500), B (C2, Apr 7, 800);
        // C (Apr 8) is one day too late. Total 200 + 500 + 800 = 1,500, nothing paid.
        let d = &l.promises_due;
        assert_eq!(ids(&d.rows, |r| r.customer_id.clone()), ["C4", "C1", "C2"]);
        assert_eq!(
            ids(&d.rows, |r| r.due_date.clone()),
            ["2026-03-31", "2026-04-03", "2026-04-07"]
        );
        assert_eq!(d.rows[1].invoice_id.as_deref(), Some("P1"));
        assert_eq!(d.rows[1].collector, "ann"); // P1's collector
        assert_eq!(d.rows[2].invoice_id, None);
        assert_eq!(d.rows[2].collector, ""); // no invoice, no master collector
        assert_eq!(
            (d.count, d.total_amount.money.0, d.total_unpaid.money.0),
            (3, 1_500, 1_500)
        );

        // Broken with a promised date in the period Mar 1..31: H (C5, Mar 10,
        // 400, 100 paid on Mar 5, 300 unpaid) and F (C2 P3, Mar 20, 1,500, none
        // paid). G (promised Feb 25) is before the period; E was kept by the
        // 3,000 paid on Mar 10. Totals 1,900 / 100 / 1,800.
        let b = &l.promises_broken;
        assert_eq!(ids(&b.rows, |r| r.customer_id.clone()), ["C5", "C2"]);
        assert_eq!(
            (b.rows[0].paid.money.0, b.rows[0].unpaid.money.0),
            (100, 300)
        );
        assert_eq!(
            (
                b.count,
                b.total_amount.money.0,
                b.total_paid.money.0,
                b.total_unpaid.money.0
            ),
            (2, 1_900, 100, 1_800)
        );
        // One rule: the same promises the summary counts as broken in the period.
        assert_eq!(m.promises.fell_due_in_period.broken, b.count);

        // Newly past due: P3 (0 dpd on Feb 28, 31 now, 2,000), N4 and P1
        // (1,000 each, ties by id: N4 absent before with 1 dpd, P1 -10 dpd
        // before, 21 now), N1 (absent, 16 dpd, 300). P2 was already past due;
        // Q1 too; N3 is a credit; N2 is current. Total 2,000 + 1,000 + 1,000 + 300 = 4,300.
        let n = &l.newly_past_due;
        assert!(n.available);
        assert_eq!(
            ids(&n.rows, |r| r.invoice_id.clone()),
            ["P3", "N4", "P1", "N1"]
        );
        assert_eq!(
            ids(&n.rows, |r| r.days_past_due.to_string()),
            ["31", "1", "21", "16"]
        );
        assert_eq!(
            ids(&n.rows, |r| r.previously.to_string()),
            ["current", "absent", "current", "absent"]
        );
        assert_eq!(n.rows[1].collector, "cy");
        assert_eq!((n.count, n.total_open.money.0), (4, 4_300));

        // Movers: past due before C1 500 (P2), C2 0, C3 4,000; now C1 1,500,
        // C2 2,300, C3 1,000, C4 -50 (the credit), C5 1,000. Growth: C2
        // +2,300, C1 +1,000, C5 +1,000 (tie: C1 first); C3 and C4 fell.
        // Totals before 500, now 4,800, change 4,300.
        let v = &l.movers;
        assert!(v.available);
        assert_eq!(ids(&v.rows, |r| r.customer_id.clone()), ["C2", "C1", "C5"]);
        assert_eq!(
            ids(&v.rows, |r| r.change.money.0.to_string()),
            ["2300", "1000", "1000"]
        );
        assert_eq!(ids(&v.rows, |r| r.collector.clone()), ["bob", "ann", "cy"]);
        assert_eq!(
            (
                v.total_before.money.0,
                v.total_now.money.0,
                v.total_change.money.0
            ),
            (500, 4_800, 4_300)
        );

        // Over limit: C3 open 1,000 over a limit of 0 (excess 1,000, no
        // utilisation), C1 open 1,500 over 1,000 (excess 500, 150.00 %); C2
        // 2,300 ≤ 3,000. The credit summary's list in its order.
        let o = &l.over_limit;
        assert_eq!(ids(&o.rows, |r| r.customer_id.clone()), ["C3", "C1"]);
        assert_eq!(o.rows[0].utilization_percent, None);
        assert_eq!(
            o.rows[1]
                .utilization_percent
                .map(|p| p.to_string())
                .as_deref(),
            Some("150.00")
        );
        assert_eq!(
            (
                o.rows[0].customer_name.as_str(),
                o.rows[0].collector.as_str()
            ),
            ("C3 Ltd", "bob")
        );
        assert_eq!(
            (
                o.count,
                o.total_open.money.0,
                o.total_credit_limit.money.0,
                o.total_over_limit_by.money.0
            ),
            (2, 2_500, 1_000, 1_500)
        );
        assert_eq!(o.count, m.credit.customers_over_limit);

        // Disputes open more than 30 days on Mar 31: C3's invoice-less case of
        // Jan 20 (11 + 28 + 31 = 70 days, 600, reason billing, owner zed) and
        // C1 P2 of Feb 28 (31 days, amount 0 → P2's open 500, owner ann).
        // C3 Q1 (Jan 15) was resolved Mar 20; C2 P3 of Mar 1 is 30 days old,
        // not more. Total 1,100.
        let s = &l.disputes_over_sla;
        assert_eq!(ids(&s.rows, |r| r.customer_id.clone()), ["C3", "C1"]);
        assert_eq!(ids(&s.rows, |r| r.days_open.to_string()), ["70", "31"]);
        assert_eq!(ids(&s.rows, |r| r.collector.clone()), ["zed", "ann"]);
        assert_eq!(s.rows[0].reason.as_deref(), Some("billing"));
        assert_eq!(s.rows[0].invoice_id, None);
        assert_eq!(s.rows[1].amount.money.0, 500);
        assert_eq!(
            (s.sla_days, s.count, s.total_amount.money.0),
            (30, 2, 1_100)
        );
    }

    #[test]
    fn without_a_previous_snapshot_the_comparisons_are_empty() {
        let m = metrics(None);
        let l = &m.lists;
        assert!(!l.newly_past_due.available && l.newly_past_due.rows.is_empty());
        assert!(!l.movers.available && l.movers.rows.is_empty());
        // The others need no previous snapshot: the period is then March to date.
        assert_eq!(l.promises_due.count, 3);
        assert_eq!(l.promises_broken.count, 2);
        assert_eq!(l.over_limit.count, 2);
        assert_eq!(l.disputes_over_sla.count, 2);
    }

    #[test]
    fn the_sla_is_a_setting_and_the_keys_are_top_level() {
        let cur = current();
        let prev = previous();
        let log = ActivityLog::from_rows(&log());
        let cfg = MetricsConfig {
            dispute_sla_days: 29,
            ..MetricsConfig::default()
        };
        let m = super::super::compute(
            &cur,
            Some(&prev),
            &SalesLedger::default(),
            &log,
            &master(),
            &cfg,
        );
        // 30 days open is now over 29: C2 P3 joins (250): 1,100 + 250 = 1,350.
        assert_eq!(m.lists.disputes_over_sla.count, 3);
        assert_eq!(m.lists.disputes_over_sla.total_amount.money.0, 1_350);
        let json = serde_json::to_value(&m).unwrap();
        for key in [
            "promises_due",
            "promises_broken",
            "newly_past_due",
            "movers",
            "over_limit",
            "disputes_over_sla",
        ] {
            assert!(json[key]["rows"].is_array(), "{key}");
        }
        assert_eq!(json["newly_past_due"]["total_open"], "43.00");
        assert_eq!(json["movers"]["rows"][0]["change"], "23.00");
    }
}

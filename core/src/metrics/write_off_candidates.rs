//! Write-off candidates and the watch list, as of the snapshot date.
//!
//! Per customer of the current snapshot with open items:
//! - *amount at risk* = Σ open of its items more than `candidate_days` past
//!   due (credit items that old net against it: they are the customer's
//!   own credit on the same old debt);
//! - *broken promises* = its promises broken with a due date (promised date
//!   + grace) at most `broken_promise_window_days` before the snapshot
//!   date: an old broken promise says little about today;
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

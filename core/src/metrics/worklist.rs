//! Collection worklist: every delinquent customer (past-due open amount of
//! the current snapshot > 0), either in its collector's queue with a
//! priority score, the reasons for it and the next action, or — when all
//! its open debit items are with an agency or in legal — on the separate
//! handed-over list. See docs/metrics.md, "Worklist", for every rule.
//!
//! score = age points + promise points + limit points + contact points:
//! - age points: Σ over the customer's *workable* past-due items (dpd > 0,
//!   status open or promised: disputed, agency and legal items are left
//!   out) of the item's share of its collector's workable past due, in
//!   percent, × its bucket number (1 for the first past-due bucket, 2 for
//!   the next, …); at least 0. The collector's workable past due is Σ of
//!   the workable past due of the collector's queue (the worklist's own
//!   grouping). Shares, not currency units: the same portfolio scores the
//!   same in EUR, JPY or KWD;
//! - promise points: 10 per promise broken with a promised date in the 90
//!   days before the snapshot date;
//! - limit points: 15 when over the credit limit;
//! - contact points: 1 per full 7 days since the last `contact` row of the
//!   customer (on or before the snapshot date), at most 20; 20 when there is
//!   none.
//!
//! Rounded to 2 dp half away from zero. Sorted: accounts waiting on a
//! pending promise after all the others; then by score (highest first),
//! past-due amount (largest first), customer id.

use super::amount::{div_round, Amount};
use super::context::Context;
use super::credit::CreditSummary;
use super::promises::{PromiseOutcome, PromiseStatus};
use crate::format;
use crate::ledger::ActivityKind;
use crate::{Day, Money, Status};
use hashbrown::HashMap;
use rust_decimal::Decimal;
use serde::Serialize;

pub const BROKEN_PROMISE_POINTS: u32 = 10;
pub const BROKEN_PROMISE_LOOKBACK_DAYS: i32 = 90;
pub const OVER_LIMIT_POINTS: u32 = 15;
pub const CONTACT_DAYS_PER_POINT: i32 = 7;
pub const CONTACT_POINTS_CAP: u32 = 20;

/// The next-action policy (`[policy]` in `arsite.toml`): the collector's
/// step for a workable account by its oldest workable days past due, and
/// when to propose an agency placement.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ActionPolicy {
    /// A reminder from 1 through this many days past due.
    pub reminder_until_days: u32,
    /// A call after the reminder, through this many days past due.
    pub call_until_days: u32,
    /// A final notice after the call, through this many days; after it,
    /// propose an agency placement.
    pub final_notice_until_days: u32,
    /// Propose an agency placement once this many promises were broken in
    /// the last 90 days (the broken-promise points' window).
    pub agency_after_broken_promises: u32,
}

impl Default for ActionPolicy {
    fn default() -> Self {
        ActionPolicy {
            reminder_until_days: 15,
            call_until_days: 45,
            final_notice_until_days: 90,
            agency_after_broken_promises: 2,
        }
    }
}

/// What the collector does next with an account.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Reminder,
    Call,
    FinalNotice,
    ProposeAgency,
    ResolveDispute,
    /// Nothing workable is past due: the past due is with agency / legal.
    FollowUpPlacement,
    /// A pending promise covers the account.
    Wait,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Reminder => "reminder",
            Action::Call => "call",
            Action::FinalNotice => "final notice",
            Action::ProposeAgency => "propose agency placement",
            Action::ResolveDispute => "resolve dispute",
            Action::FollowUpPlacement => "follow up with agency / legal",
            Action::Wait => "wait",
        }
    }
}

/// The facts the policy looks at, all computed by [`compute`].
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct ActionFacts {
    pub promise_pending: bool,
    /// Past due of disputed items, and of workable items (open, promised).
    pub disputed_past_due: Money,
    pub workable_past_due: Money,
    /// Oldest dpd among the workable past-due items (0: none).
    pub oldest_workable_dpd: i32,
    pub broken_promises: u32,
}

impl ActionPolicy {
    /// The rule, first match wins:
    /// 1. a pending promise → wait;
    /// 2. disputed past due > half of (disputed + workable) past due →
    ///    resolve dispute;
    /// 3. broken promises (90 days) ≥ `agency_after_broken_promises` →
    ///    propose agency placement;
    /// 4. no workable past due → follow up with agency / legal;
    /// 5. the dpd ladder on the oldest workable dpd: ≤ reminder_until →
    ///    reminder, ≤ call_until → call, ≤ final_notice_until → final
    ///    notice, beyond → propose agency placement.
    pub fn next_action(&self, f: &ActionFacts) -> Action {
        if f.promise_pending {
            return Action::Wait;
        }
        if i128::from(f.disputed_past_due.0) * 2
            > i128::from(f.disputed_past_due.0) + i128::from(f.workable_past_due.0)
            && f.disputed_past_due.0 > 0
        {
            return Action::ResolveDispute;
        }
        if f.broken_promises >= self.agency_after_broken_promises.max(1) {
            return Action::ProposeAgency;
        }
        if f.workable_past_due.0 <= 0 || f.oldest_workable_dpd <= 0 {
            return Action::FollowUpPlacement;
        }
        let ladder = [
            (self.reminder_until_days, Action::Reminder),
            (self.call_until_days, Action::Call),
            (self.final_notice_until_days, Action::FinalNotice),
        ];
        let dpd = f.oldest_workable_dpd as u32;
        ladder
            .iter()
            .find(|(until, _)| dpd <= *until)
            .map_or(Action::ProposeAgency, |(_, a)| *a)
    }
}

/// Age points from Σ(open × bucket number) of a customer and its
/// collector's past due (both in minor units): Σ / past due × 100, 2 dp,
/// half away from zero, at least 0 (a credit in an older bucket can cancel
/// age points, not make them negative). 0 when the past due is not positive.
pub fn age_points(weighted_minor: i128, collector_past_due: Money) -> Decimal {
    let pd = i128::from(collector_past_due.0);
    if pd <= 0 {
        return Decimal::new(0, 2);
    }
    weighted_minor
        .checked_mul(100)
        .and_then(|n| div_round(n, pd, 2))
        .map_or(Decimal::new(0, 2), |d| d.max(Decimal::new(0, 2)))
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

/// Open amounts of a customer by item status (Σ = the customer's open AR).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StatusMix {
    pub open: Amount,
    pub disputed: Amount,
    pub promised: Amount,
    pub agency: Amount,
    pub legal: Amount,
}

impl StatusMix {
    fn from_money(m: &[Money; 5], exp: u32) -> StatusMix {
        let a = |s: Status| Amount::new(m[s.index()], exp);
        StatusMix {
            open: a(Status::Open),
            disputed: a(Status::Disputed),
            promised: a(Status::Promised),
            agency: a(Status::Agency),
            legal: a(Status::Legal),
        }
    }

    pub fn total(&self) -> Money {
        self.open.money
            + self.disputed.money
            + self.promised.money
            + self.agency.money
            + self.legal.money
    }
}

/// The customer's last `contact` row on or before the snapshot date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LastContact {
    pub date: String,
    /// The row's channel as recorded (`reference`: call, email, letter).
    pub kind: String,
    pub days_ago: i32,
}

/// The promise shown with an entry: the pending one due first, else the
/// latest by promised date (kept or broken).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PromiseInfo {
    pub amount: Amount,
    /// The promised date.
    pub date: String,
    /// Promised date + grace: broken only after it.
    pub due: String,
    /// kept, broken or pending.
    pub state: &'static str,
    pub paid: Amount,
}

/// Contact details of the customer master (untrusted text).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CustomerContact {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WorklistEntry {
    pub customer_id: String,
    pub name: String,
    pub collector: String,
    /// Every past-due item, whatever its status.
    pub past_due: Amount,
    /// Past due of the open and promised items: what the age points use.
    pub workable_past_due: Amount,
    /// Past due of the disputed items (shown, not scored).
    pub disputed_past_due: Amount,
    /// workable past due / the collector's workable past due × 100, 2 dp.
    pub share_of_collector_past_due: Decimal,
    pub oldest_days_past_due: i32,
    pub status_mix: StatusMix,
    pub score: Decimal,
    pub points: Points,
    pub reasons: Vec<String>,
    /// A pending promise covers the account: it sorts after the others.
    pub waiting: bool,
    pub promise: Option<PromiseInfo>,
    pub last_contact: Option<LastContact>,
    pub credit_limit: Option<Amount>,
    pub over_limit_by: Option<Amount>,
    pub next_action: String,
    pub contact: Option<CustomerContact>,
}

/// A delinquent customer whose open debit items are all with an agency or
/// in legal: off the collector's queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HandedOverEntry {
    pub customer_id: String,
    pub name: String,
    pub collector: String,
    pub agency: Amount,
    pub legal: Amount,
    pub past_due: Amount,
    pub oldest_days_past_due: i32,
    /// The earliest `placement` row of the customer on or before the
    /// snapshot date; none when the log has none (the snapshot's statuses
    /// carry no date).
    pub placed_on: Option<String>,
    pub contact: Option<CustomerContact>,
}

/// The queue (all collectors, in order) and the handed-over accounts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Worklist {
    pub queue: Vec<WorklistEntry>,
    pub handed_over: Vec<HandedOverEntry>,
}

#[derive(Default)]
struct Acc {
    past_due: Money,
    workable: Money,
    disputed: Money,
    weighted: i128,
    oldest: i32,
    oldest_workable: i32,
    largest: Money,
    collector: u32,
    by_status: [Money; 5],
    /// Some open debit item (open > 0) is neither agency nor legal.
    debit_in_house: bool,
}

fn workable(s: Status) -> bool {
    matches!(s, Status::Open | Status::Promised)
}

/// The queue only (see [`compute_all`]).
pub fn compute(
    ctx: &Context<'_>,
    promises: &[PromiseOutcome<'_>],
    credit: &CreditSummary,
) -> Vec<WorklistEntry> {
    compute_all(ctx, promises, credit).queue
}

pub fn compute_all(
    ctx: &Context<'_>,
    promises: &[PromiseOutcome<'_>],
    credit: &CreditSummary,
) -> Worklist {
    let as_of = ctx.as_of();
    let scheme = &ctx.config.aging;
    let policy = &ctx.config.worklist_policy;
    let exp = ctx.exponent();
    let code = &ctx.current.currency.code;
    let mut acc: Vec<Acc> = (0..ctx.current.customers.len())
        .map(|_| Acc::default())
        .collect();
    for inv in &ctx.current.invoices {
        let a = &mut acc[inv.customer as usize];
        a.by_status[inv.status.index()] += inv.open;
        if inv.open.0 > 0 && !matches!(inv.status, Status::Agency | Status::Legal) {
            a.debit_in_house = true;
        }
        let dpd = inv.days_past_due(as_of);
        if dpd <= 0 {
            continue;
        }
        a.past_due += inv.open;
        a.oldest = a.oldest.max(dpd);
        if workable(inv.status) {
            a.workable += inv.open;
            a.weighted += i128::from(inv.open.0) * scheme.bucket_of(dpd) as i128;
            if inv.open.0 > 0 {
                a.oldest_workable = a.oldest_workable.max(dpd);
            }
        } else if inv.status == Status::Disputed {
            a.disputed += inv.open;
        }
        if inv.open > a.largest {
            a.largest = inv.open;
            a.collector = inv.collector;
        }
    }
    let mut broken: HashMap<&str, u32> = HashMap::new();
    // Per customer: the first pending promise by due date, and the latest
    // promise by promised date (log order breaks ties: the later row).
    let mut pending: HashMap<&str, &PromiseOutcome<'_>> = HashMap::new();
    let mut latest: HashMap<&str, &PromiseOutcome<'_>> = HashMap::new();
    for o in promises {
        let id = o.row.customer_id();
        if o.status == PromiseStatus::Broken
            && as_of.days_since(o.promised) <= BROKEN_PROMISE_LOOKBACK_DAYS
        {
            *broken.entry(id).or_default() += 1;
        }
        if o.status == PromiseStatus::Pending {
            let e = pending.entry(id).or_insert(o);
            if o.due < e.due {
                *e = o;
            }
        }
        let e = latest.entry(id).or_insert(o);
        if o.promised >= e.promised {
            *e = o;
        }
    }
    let mut last_contact: HashMap<&str, (Day, &str)> = HashMap::new();
    let mut placed: HashMap<&str, Day> = HashMap::new();
    for a in ctx.activity.iter() {
        match a.kind() {
            ActivityKind::Contact => {
                let e = last_contact
                    .entry(a.customer_id())
                    .or_insert((a.date(), a.reference()));
                if a.date() >= e.0 {
                    *e = (a.date(), a.reference());
                }
            }
            ActivityKind::Placement => {
                let e = placed.entry(a.customer_id()).or_insert(a.date());
                *e = (*e).min(a.date());
            }
            _ => {}
        }
    }
    let over: HashMap<&str, Money> = credit
        .over_limit
        .iter()
        .map(|l| (l.customer_id.as_str(), l.over_limit_by.money))
        .collect();
    let money = |m: Money| format!("{} {code}", format::money(m, exp));
    // The entry's collector: the master's, else its largest past-due item's.
    let collector_of = |id: &str, a: &Acc| -> String {
        Some(ctx.master_collector(id))
            .filter(|s| !s.is_empty())
            .unwrap_or(ctx.current.collectors[a.collector as usize].as_str())
            .to_string()
    };
    let contact_of = |id: &str| -> Option<CustomerContact> {
        let m = ctx.customers.get(id)?;
        let clean = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
        };
        let c = CustomerContact {
            name: clean(&m.contact_name),
            email: clean(&m.email),
            phone: clean(&m.phone),
        };
        (c != CustomerContact::default()).then_some(c)
    };
    let mut out = Worklist::default();
    let mut delinquent: Vec<(usize, String)> = Vec::new();
    for (i, a) in acc.iter().enumerate().filter(|(_, a)| a.past_due.0 > 0) {
        let c = &ctx.current.customers[i];
        let id = c.id.as_str();
        let collector = collector_of(id, a);
        if a.debit_in_house {
            delinquent.push((i, collector));
            continue;
        }
        out.handed_over.push(HandedOverEntry {
            customer_id: id.to_string(),
            name: c.name.clone(),
            collector,
            agency: ctx.amount(a.by_status[Status::Agency.index()]),
            legal: ctx.amount(a.by_status[Status::Legal.index()]),
            past_due: ctx.amount(a.past_due),
            oldest_days_past_due: a.oldest,
            placed_on: placed.get(id).map(|d| d.to_string()),
            contact: contact_of(id),
        });
    }
    let mut collector_past_due: HashMap<&str, Money> = HashMap::new();
    for (i, collector) in &delinquent {
        *collector_past_due.entry(collector.as_str()).or_default() += acc[*i].workable;
    }
    for (i, collector) in &delinquent {
        let (c, a) = (&ctx.current.customers[*i], &acc[*i]);
        let id = c.id.as_str();
        let whole = collector_past_due[collector.as_str()];
        let age = age_points(a.weighted, whole);
        let share =
            div_round(i128::from(a.workable.0) * 100, i128::from(whole.0), 2).unwrap_or_default();
        let n_broken = broken.get(id).copied().unwrap_or(0);
        let over_by = over.get(id).copied();
        let contact = last_contact.get(id).copied();
        let since = contact.map(|(d, _)| as_of.days_since(d));
        let points = Points {
            age,
            broken_promises: n_broken * BROKEN_PROMISE_POINTS,
            over_limit: if over_by.is_some() {
                OVER_LIMIT_POINTS
            } else {
                0
            },
            contact: contact_points(since),
        };
        let shown = pending.get(id).or(latest.get(id)).copied();
        let waiting = pending.contains_key(id);
        let promise = shown.map(|o| PromiseInfo {
            amount: ctx.amount(o.row.amount()),
            date: o.promised.to_string(),
            due: o.due.to_string(),
            state: o.status.as_str(),
            paid: ctx.amount(o.paid),
        });
        let facts = ActionFacts {
            promise_pending: waiting,
            disputed_past_due: a.disputed,
            workable_past_due: a.workable,
            oldest_workable_dpd: a.oldest_workable,
            broken_promises: n_broken,
        };
        let action = policy.next_action(&facts);
        let next_action = match (action, shown) {
            (Action::Wait, Some(o)) => format!(
                "wait: promise of {} due on {}",
                money(o.row.amount()),
                o.due
            ),
            _ => action.as_str().to_string(),
        };
        let mut reasons = Vec::new();
        let plural = |n: u32| if n == 1 { "" } else { "s" };
        // The latest promise broke within the points' window: it leads.
        let latest_broken = shown.is_some_and(|o| {
            !waiting
                && o.status == PromiseStatus::Broken
                && as_of.days_since(o.promised) <= BROKEN_PROMISE_LOOKBACK_DAYS
        });
        match shown {
            Some(o) if waiting => reasons.push(format!(
                "waiting: promise of {} due on {}",
                money(o.row.amount()),
                o.due
            )),
            Some(o) if latest_broken => reasons.push(format!(
                "promise broken: {} promised for {}{}",
                money(o.row.amount()),
                o.promised,
                if n_broken > 1 {
                    format!(" ({n_broken} broken in the last {BROKEN_PROMISE_LOOKBACK_DAYS} days)")
                } else {
                    String::new()
                }
            )),
            _ => {}
        }
        let mut age_reason = format!("past due {}, oldest {} days", money(a.past_due), a.oldest);
        if a.disputed.0 != 0 {
            age_reason.push_str(&format!(", of which {} disputed", money(a.disputed)));
        }
        let handed = a.by_status[Status::Agency.index()] + a.by_status[Status::Legal.index()];
        if handed.0 != 0 {
            age_reason.push_str(&format!(", {} with agency / legal", money(handed)));
        }
        reasons.push(age_reason);
        if n_broken > 0 && !latest_broken {
            reasons.push(format!(
                "{n_broken} broken promise{} in the last {BROKEN_PROMISE_LOOKBACK_DAYS} days",
                plural(n_broken)
            ));
        }
        if let Some(by) = over_by {
            reasons.push(format!("over credit limit by {}", money(by)));
        }
        match since {
            None => reasons.push("never contacted".to_string()),
            Some(d) if points.contact > 0 => reasons.push(format!("no contact for {d} days")),
            Some(_) => {}
        }
        // Age points carry 2 dp and the others are whole: the sum is exact.
        let score =
            age + Decimal::from(points.broken_promises + points.over_limit + points.contact);
        out.queue.push(WorklistEntry {
            customer_id: id.to_string(),
            name: c.name.clone(),
            collector: collector.clone(),
            past_due: ctx.amount(a.past_due),
            workable_past_due: ctx.amount(a.workable),
            disputed_past_due: ctx.amount(a.disputed),
            share_of_collector_past_due: share,
            oldest_days_past_due: a.oldest,
            status_mix: StatusMix::from_money(&a.by_status, exp),
            score,
            points,
            reasons,
            waiting,
            promise,
            last_contact: contact.map(|(d, kind)| LastContact {
                date: d.to_string(),
                kind: kind.trim().to_string(),
                days_ago: as_of.days_since(d),
            }),
            credit_limit: ctx
                .customers
                .get(id)
                .and_then(|m| m.credit_limit)
                .map(|l| ctx.amount(l)),
            over_limit_by: over_by.map(|m| ctx.amount(m)),
            next_action,
            contact: contact_of(id),
        });
    }
    out.queue.sort_by(|x, y| {
        x.waiting
            .cmp(&y.waiting)
            .then(y.score.cmp(&x.score))
            .then(y.past_due.money.cmp(&x.past_due.money))
            .then_with(|| x.customer_id.cmp(&y.customer_id))
    });
    out.handed_over.sort_by(|x, y| {
        y.past_due
            .money
            .cmp(&x.past_due.money)
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
        // 8,000.00 age-weighted of 9,000.00 past due: 800,000 × 100 / 900,000
        // = 88.888… → 88.89 (a share in percent, no currency in it).
        assert_eq!(age_points(800_000, Money(900_000)), d("88.89"));
        assert_eq!(age_points(-5, Money(10)), d("0.00"));
        assert_eq!(age_points(5, Money(0)), d("0.00"));
    }

    #[test]
    fn worklist_by_hand() {
        // As of 2026-03-31, EUR (cents), default buckets.
        // ann's past due: C1 10,000.00 + C4 500.00 = 10,500.00; bob's: C2 3,000.00.
        // C1: 10,000.00 at 45 dpd (bucket 2): 10,000 × 2 / 10,500 × 100 =
        //     190.476… → 190.48; broken promise (by Mar 20): +10; last
        //     contact Mar 17, 14 days: +2 → 202.48
        // C2: 3,000.00 at 100 dpd (bucket 4): 3,000 × 4 / 3,000 × 100 = 400;
        //     1,000.00 current (not past due); over limit (4,000.00 > 3,500.00): +15;
        //     never contacted: +20; broken promise of Dec 1 is 120 days old: 0 → 435.00
        // C3: current only → not on the list.
        // C4: 500.00 at 5 dpd (bucket 1): 500 / 10,500 × 100 = 4.7619… → 4.76;
        //     contacted today: 0 → 4.76
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
            vec![("C2", d("435.00")), ("C1", d("202.48")), ("C4", d("4.76"))]
        );
        assert_eq!(w[0].points.age.to_string(), "400.00");
        assert_eq!(w[0].points.over_limit, 15);
        assert_eq!(w[0].points.broken_promises, 0);
        assert_eq!(w[0].collector, "bob");
        assert_eq!(w[1].share_of_collector_past_due, d("95.24")); // 10,000 / 10,500
        assert_eq!(
            w[0].reasons,
            vec![
                "past due 3,000.00 EUR, oldest 100 days",
                "over credit limit by 500.00 EUR",
                "never contacted",
            ]
        );
        // C1's latest promise (5,000.00 for Mar 20) broke 11 days ago: it leads.
        assert_eq!(
            w[1].reasons,
            vec![
                "promise broken: 5,000.00 EUR promised for 2026-03-20",
                "past due 10,000.00 EUR, oldest 45 days",
                "no contact for 14 days",
            ]
        );
        assert_eq!(w[2].reasons, vec!["past due 500.00 EUR, oldest 5 days"]);
        // Next actions (default policy): C2 100 dpd > 90 → agency; C1 45 ≤ 45
        // → call (1 broken promise < 2); C4 5 ≤ 15 → reminder.
        let actions: Vec<_> = w.iter().map(|e| e.next_action.as_str()).collect();
        assert_eq!(
            actions,
            vec!["propose agency placement", "call", "reminder"]
        );
        // C2's shown promise: the latest (Dec 1, 1.00 EUR), broken, 120 days old.
        let p = w[0].promise.as_ref().unwrap();
        assert_eq!((p.date.as_str(), p.state), ("2025-12-01", "broken"));
        assert_eq!(p.amount.money, Money(100));
        assert_eq!(w[0].credit_limit.map(|a| a.money), Some(Money(350_000)));
        assert_eq!(w[0].over_limit_by.map(|a| a.money), Some(Money(50_000)));
        // Last contacts: C1 call on Mar 17 (14 days), C4 email today.
        let lc = w[1].last_contact.as_ref().unwrap();
        assert_eq!(
            (lc.date.as_str(), lc.kind.as_str(), lc.days_ago),
            ("2026-03-17", "call", 14)
        );
        assert_eq!(w[2].last_contact.as_ref().unwrap().kind, "email");
        assert!(w[0].last_contact.is_none());
        // C2's status mix: 3,000.00 + 1,000.00 open = its 4,000.00 open AR.
        assert_eq!(w[0].status_mix.open.money, Money(400_000));
        assert_eq!(w[0].status_mix.total(), Money(400_000));
    }

    /// One portfolio in EUR cents, scaled by `num / den` into another
    /// currency's minor units (1 EUR = 160 JPY: 1.6 yen = 8/5 per cent;
    /// 1 EUR = 0.335 KWD = 335 fils: 67/20 per cent).
    fn scored(code: &str, num: i64, den: i64) -> Vec<WorklistEntry> {
        let m = |cents: i64| cents * num / den;
        let mut cur = snap(
            "2026-03-31",
            &[
                row(
                    "1",
                    "C1",
                    "",
                    "ann",
                    "2026-01-15",
                    "2026-02-14",
                    m(200_000),
                    m(200_000),
                ),
                row(
                    "2",
                    "C1",
                    "",
                    "ann",
                    "2025-11-21",
                    "2025-12-21",
                    m(100_000),
                    m(100_000),
                ),
                row(
                    "3",
                    "C2",
                    "",
                    "ann",
                    "2026-02-19",
                    "2026-03-21",
                    m(600_000),
                    m(600_000),
                ),
                row(
                    "4",
                    "C3",
                    "",
                    "bob",
                    "2025-08-13",
                    "2025-09-12",
                    m(400_000),
                    m(400_000),
                ),
                row(
                    "5",
                    "C4",
                    "",
                    "bob",
                    "2026-02-09",
                    "2026-03-11",
                    m(100_000),
                    m(100_000),
                ),
            ],
        );
        cur.currency = crate::Currency::from_code(code);
        let act = vec![with_ref(
            activity("2026-03-31", ActivityKind::Contact, "C3", "", 0),
            "call",
        )];
        let master = vec![customer("C4", Some(m(50_000)))];
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let log = ActivityLog::from_rows(&act);
        let ctx = Context::new(&cur, None, &l, &log, &master, &cfg);
        let (outcomes, _) = promises::evaluate(&ctx);
        let credit = credit::compute(&ctx);
        compute(&ctx, &outcomes, &credit)
    }

    #[test]
    fn the_score_does_not_depend_on_the_currency() {
        // ann's past due 2,000 + 1,000 + 6,000 = 9,000 EUR; bob's 4,000 + 1,000 = 5,000.
        // C3: 4,000 × 5 (121+) / 5,000 × 100 = 400.00; contacted today → 400.00
        // C1: (2,000 × 2 + 1,000 × 4) / 9,000 × 100 = 88.888… → 88.89; never contacted +20 → 108.89
        // C2: 6,000 × 1 / 9,000 × 100 = 66.666… → 66.67; +20 → 86.67
        // C4: 1,000 × 1 / 5,000 × 100 = 20.00; over its 500 limit +15; +20 → 55.00
        let expected = vec![
            ("C3".to_string(), d("400.00")),
            ("C1".to_string(), d("108.89")),
            ("C2".to_string(), d("86.67")),
            ("C4".to_string(), d("55.00")),
        ];
        for (code, num, den, exponent) in [("EUR", 1, 1, 2), ("JPY", 8, 5, 0), ("KWD", 67, 20, 3)] {
            let w = scored(code, num, den);
            assert_eq!(w[0].past_due.exponent, exponent);
            let got: Vec<_> = w.iter().map(|e| (e.customer_id.clone(), e.score)).collect();
            assert_eq!(got, expected, "{code}");
        }
        // The same economic amount, each in its own minor units.
        assert_eq!(scored("JPY", 8, 5)[0].past_due.money, Money(640_000)); // ¥640,000
        assert_eq!(scored("KWD", 67, 20)[0].past_due.money, Money(1_340_000)); // 1,340.000 KWD
    }
}

/// Unit tests aimed at mutants cargo-mutants found surviving (issue 21):
/// each rule tested on its boundary.
#[cfg(test)]
mod mutation_tests {
    use super::super::testutil::*;
    use super::super::{credit, promises};
    use super::*;
    use crate::activity::ActivityLog;
    use crate::ledger::{Activity, MetricsConfig, SalesLedger};

    fn worklist(cur: &crate::Snapshot, act: &[Activity]) -> Vec<WorklistEntry> {
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let log = ActivityLog::from_rows(act);
        let ctx = Context::new(cur, None, &l, &log, &[], &cfg);
        let (outcomes, _) = promises::evaluate(&ctx);
        let credit = credit::compute(&ctx);
        compute(&ctx, &outcomes, &credit)
    }

    #[test]
    fn of_two_equal_largest_items_the_first_names_the_collector() {
        // C1 (no master collector): ann's 100 and bob's 100, both 30 days
        // past due: the largest is a tie, the first item (ann's) decides.
        let cur = snap(
            "2026-03-31",
            &[
                row("A", "C1", "", "ann", "2026-01-30", "2026-03-01", 100, 100),
                row("B", "C1", "", "bob", "2026-01-30", "2026-03-01", 100, 100),
            ],
        );
        let w = worklist(&cur, &[]);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].collector, "ann");
    }

    #[test]
    fn an_item_due_today_is_not_past_due() {
        // Due 2026-03-31 = the snapshot date: 0 days past due, not on the list;
        // due the day before: 1 day past due, listed.
        let cur = snap(
            "2026-03-31",
            &[
                row("A", "C1", "", "ann", "2026-03-01", "2026-03-31", 100, 100),
                row("B", "C2", "", "ann", "2026-03-01", "2026-03-30", 100, 100),
            ],
        );
        let w = worklist(&cur, &[]);
        let ids: Vec<_> = w.iter().map(|e| e.customer_id.as_str()).collect();
        assert_eq!(ids, vec!["C2"]);
        assert_eq!(w[0].oldest_days_past_due, 1);
    }

    #[test]
    fn a_broken_promise_counts_for_exactly_ninety_days() {
        // As of 2026-03-31: C1 promised for 2025-12-31, 90 days before
        // (Jan 31 + Feb 28 + Mar 31 = 90) → counts, +10; C2 promised for
        // 2025-12-30, 91 days before → does not. Both unpaid, so broken.
        let cur = snap(
            "2026-03-31",
            &[
                row("A", "C1", "", "ann", "2025-11-01", "2025-12-01", 100, 100),
                row("B", "C2", "", "ann", "2025-11-01", "2025-12-01", 100, 100),
            ],
        );
        let act = vec![
            with_ref(
                activity("2025-12-20", ActivityKind::Promise, "C1", "", 100),
                "2025-12-31",
            ),
            with_ref(
                activity("2025-12-20", ActivityKind::Promise, "C2", "", 100),
                "2025-12-30",
            ),
        ];
        let w = worklist(&cur, &act);
        let points: Vec<_> = w
            .iter()
            .map(|e| (e.customer_id.as_str(), e.points.broken_promises))
            .collect();
        let mut points = points;
        points.sort();
        assert_eq!(points, vec![("C1", 10), ("C2", 0)]);
    }

    #[test]
    fn the_masters_collector_names_the_entry_unless_it_is_blank() {
        // C1's master collector is blank ("  "): the largest past-due item's
        // collector (ann) names the entry; C2's master says bob: bob, though
        // its item is ann's.
        let cur = snap(
            "2026-03-31",
            &[
                row("A", "C1", "", "ann", "2026-01-30", "2026-03-01", 100, 100),
                row("B", "C2", "", "ann", "2026-01-30", "2026-03-01", 100, 100),
            ],
        );
        let mut c1 = customer("C1", None);
        c1.collector = Some("  ".to_string());
        let mut c2 = customer("C2", None);
        c2.collector = Some("bob".to_string());
        let master = vec![c1, c2];
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let ctx = Context::new(&cur, None, &l, ActivityLog::empty(), &master, &cfg);
        let credit = credit::compute(&ctx);
        let mut got: Vec<_> = compute(&ctx, &[], &credit)
            .into_iter()
            .map(|e| (e.customer_id, e.collector))
            .collect();
        got.sort();
        assert_eq!(
            got,
            vec![
                ("C1".to_string(), "ann".to_string()),
                ("C2".to_string(), "bob".to_string())
            ]
        );
    }
}

/// Issue 16: statuses, handed-over accounts, promises and the next action.
#[cfg(test)]
mod status_tests {
    use super::super::testutil::*;
    use super::super::{credit, promises};
    use super::*;
    use crate::activity::ActivityLog;
    use crate::ledger::{Activity, CustomerInfo, MetricsConfig, SalesLedger};
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn with(mut r: Row, status: Status) -> Row {
        r.status = status;
        r
    }

    fn all(
        cur: &crate::Snapshot,
        act: &[Activity],
        master: &[CustomerInfo],
        cfg: &MetricsConfig,
    ) -> Worklist {
        let l = SalesLedger::default();
        let log = ActivityLog::from_rows(act);
        let ctx = Context::new(cur, None, &l, &log, master, cfg);
        let (outcomes, _) = promises::evaluate(&ctx);
        let credit = credit::compute(&ctx);
        compute_all(&ctx, &outcomes, &credit)
    }

    #[test]
    fn statuses_by_hand() {
        // As of 2026-03-31, all ann's, EUR cents, default buckets.
        // C1: A open 1,000.00 due Feb 14 (45 dpd, bucket 2); B disputed
        //     3,000.00 due Feb 14 (45 dpd); C legal 500.00 due Dec 21 (100 dpd).
        //     Mix: open 1,000 + disputed 3,000 + legal 500 = 4,500 = its AR.
        //     Workable past due 1,000 (A only); A is an open debit → queue.
        // C2: D agency 2,000.00 due Feb 14 (45 dpd); E legal 1,000.00 due
        //     Apr 19 (current); F open credit −100.00 (current). Every open
        //     debit item (D, E) is agency / legal → handed over: agency
        //     2,000.00, legal 1,000.00, past due 2,000.00, oldest 45; placed
        //     on Feb 20 (the earlier of its two placement rows; the one of
        //     Apr 5 is after the snapshot date and dropped).
        // C3: G open 3,000.00 due Mar 21 (10 dpd, bucket 1) → queue.
        // ann's workable past due = C1 1,000 + C3 3,000 = 4,000 (C2 is off
        // the queue, and B, C are not workable).
        // C1 age = 1,000 × 2 / 4,000 × 100 = 50.00; never contacted +20 → 70.00
        // C3 age = 3,000 × 1 / 4,000 × 100 = 75.00; never contacted +20 → 95.00
        // (Before issue 16, C1's age points were (1,000 × 2 + 3,000 × 2 +
        // 500 × 4) / (4,500 + 2,000 + 3,000) × 100 = 105.26.)
        let cur = snap(
            "2026-03-31",
            &[
                row(
                    "A",
                    "C1",
                    "",
                    "ann",
                    "2026-01-15",
                    "2026-02-14",
                    100_000,
                    100_000,
                ),
                with(
                    row(
                        "B",
                        "C1",
                        "",
                        "ann",
                        "2026-01-15",
                        "2026-02-14",
                        300_000,
                        300_000,
                    ),
                    Status::Disputed,
                ),
                with(
                    row(
                        "C",
                        "C1",
                        "",
                        "ann",
                        "2025-11-21",
                        "2025-12-21",
                        50_000,
                        50_000,
                    ),
                    Status::Legal,
                ),
                with(
                    row(
                        "D",
                        "C2",
                        "",
                        "ann",
                        "2026-01-15",
                        "2026-02-14",
                        200_000,
                        200_000,
                    ),
                    Status::Agency,
                ),
                with(
                    row(
                        "E",
                        "C2",
                        "",
                        "ann",
                        "2026-03-20",
                        "2026-04-19",
                        100_000,
                        100_000,
                    ),
                    Status::Legal,
                ),
                row(
                    "F",
                    "C2",
                    "",
                    "ann",
                    "2026-03-20",
                    "2026-04-19",
                    -10_000,
                    -10_000,
                ),
                row(
                    "G",
                    "C3",
                    "",
                    "ann",
                    "2026-02-19",
                    "2026-03-21",
                    300_000,
                    300_000,
                ),
            ],
        );
        let act = vec![
            activity("2026-03-05", ActivityKind::Placement, "C2", "D", 200_000),
            activity("2026-02-20", ActivityKind::Placement, "C2", "E", 100_000),
            activity("2026-04-05", ActivityKind::Placement, "C2", "E", 100_000),
        ];
        let mut c3 = customer("C3", None);
        c3.contact_name = Some("=HYPERLINK(\"x\")".into());
        c3.email = Some(" ap@c3.example ".into());
        c3.phone = Some("".into());
        let master = vec![c3, customer("C1", None)];
        let w = all(&cur, &act, &master, &MetricsConfig::default());
        let scores: Vec<_> = w
            .queue
            .iter()
            .map(|e| (e.customer_id.as_str(), e.score))
            .collect();
        assert_eq!(scores, vec![("C3", d("95.00")), ("C1", d("70.00"))]);
        let c1 = &w.queue[1];
        assert_eq!(c1.points.age, d("50.00"));
        assert_eq!(c1.share_of_collector_past_due, d("25.00"));
        assert_eq!(w.queue[0].share_of_collector_past_due, d("75.00"));
        assert_eq!(c1.past_due.money, Money(450_000));
        assert_eq!(c1.workable_past_due.money, Money(100_000));
        assert_eq!(c1.disputed_past_due.money, Money(300_000));
        assert_eq!(c1.oldest_days_past_due, 100);
        let m = &c1.status_mix;
        assert_eq!(
            [m.open, m.disputed, m.promised, m.agency, m.legal].map(|a| a.money.0),
            [100_000, 300_000, 0, 0, 50_000]
        );
        assert_eq!(m.total(), Money(450_000));
        // Disputed 3,000 > half of (3,000 + 1,000) → resolve dispute.
        assert_eq!(c1.next_action, "resolve dispute");
        assert_eq!(
            c1.reasons,
            vec![
                "past due 4,500.00 EUR, oldest 100 days, of which 3,000.00 EUR disputed, 500.00 EUR with agency / legal",
                "never contacted",
            ]
        );
        // C3: 10 dpd ≤ 15 → reminder; its contact, trimmed, the empty phone left out.
        let c3 = &w.queue[0];
        assert_eq!(c3.next_action, "reminder");
        assert_eq!(
            c3.contact,
            Some(CustomerContact {
                name: Some("=HYPERLINK(\"x\")".into()),
                email: Some("ap@c3.example".into()),
                phone: None,
            })
        );
        assert_eq!(c1.contact, None);
        assert_eq!(
            w.handed_over,
            vec![HandedOverEntry {
                customer_id: "C2".into(),
                name: "C2".into(),
                collector: "ann".into(),
                agency: Amount::new(Money(200_000), 2),
                legal: Amount::new(Money(100_000), 2),
                past_due: Amount::new(Money(200_000), 2),
                oldest_days_past_due: 45,
                placed_on: Some("2026-02-20".into()),
                contact: None,
            }]
        );
    }

    #[test]
    fn a_pending_promise_waits_and_a_broken_one_leads() {
        // As of 2026-03-31, ann's: P1 1,000.00 due Feb 14 (45 dpd, bucket 2),
        // P2 1,000.00 due Mar 21 (10 dpd, bucket 1): workable past due 2,000.
        // P1: promise of Mar 25, 1,000.00 for Apr 5 → pending; contacted by
        //     call Mar 25 (6 days: 0 points). Age 1,000 × 2 / 2,000 × 100 =
        //     100.00 → 100.00, waiting.
        // P2: promise of Mar 1, 400.00 for Mar 15, unpaid → broken 16 days
        //     ago: +10; never contacted +20; age 1,000 × 1 / 2,000 × 100 =
        //     50.00 → 80.00. Actionable, so before P1 despite the lower score.
        let cur = snap(
            "2026-03-31",
            &[
                row(
                    "1",
                    "P1",
                    "",
                    "ann",
                    "2026-01-15",
                    "2026-02-14",
                    100_000,
                    100_000,
                ),
                row(
                    "2",
                    "P2",
                    "",
                    "ann",
                    "2026-02-19",
                    "2026-03-21",
                    100_000,
                    100_000,
                ),
            ],
        );
        let act = vec![
            with_ref(
                activity("2026-03-25", ActivityKind::Promise, "P1", "", 100_000),
                "2026-04-05",
            ),
            with_ref(
                activity("2026-03-25", ActivityKind::Contact, "P1", "", 0),
                "call",
            ),
            with_ref(
                activity("2026-03-01", ActivityKind::Promise, "P2", "", 40_000),
                "2026-03-15",
            ),
        ];
        let w = all(&cur, &act, &[], &MetricsConfig::default()).queue;
        let got: Vec<_> = w
            .iter()
            .map(|e| (e.customer_id.as_str(), e.score, e.waiting))
            .collect();
        assert_eq!(
            got,
            vec![("P2", d("80.00"), false), ("P1", d("100.00"), true)]
        );
        assert_eq!(
            w[0].reasons[0],
            "promise broken: 400.00 EUR promised for 2026-03-15"
        );
        assert_eq!(w[0].next_action, "reminder"); // 10 dpd, 1 broken < 2
        assert_eq!(
            w[1].reasons[0],
            "waiting: promise of 1,000.00 EUR due on 2026-04-05"
        );
        assert_eq!(
            w[1].next_action,
            "wait: promise of 1,000.00 EUR due on 2026-04-05"
        );
        let p = w[1].promise.as_ref().unwrap();
        assert_eq!(
            (p.date.as_str(), p.due.as_str(), p.state),
            ("2026-04-05", "2026-04-05", "pending")
        );
        // With 20 grace days P2's promise is due Mar 15 + 20 = Apr 4: still
        // pending, so no broken points (70.00) and P2 waits too; both wait,
        // by score: P1 100.00, P2 70.00.
        let cfg = MetricsConfig {
            promise_grace_days: 20,
            ..MetricsConfig::default()
        };
        let w = all(&cur, &act, &[], &cfg).queue;
        let got: Vec<_> = w
            .iter()
            .map(|e| (e.customer_id.as_str(), e.score, e.waiting))
            .collect();
        assert_eq!(
            got,
            vec![("P1", d("100.00"), true), ("P2", d("70.00"), true)]
        );
        assert_eq!(
            w[1].next_action,
            "wait: promise of 400.00 EUR due on 2026-04-04"
        );
    }

    #[test]
    fn the_policy_table() {
        let p = ActionPolicy::default();
        let f = |dpd: i32| ActionFacts {
            workable_past_due: Money(100),
            oldest_workable_dpd: dpd,
            ..ActionFacts::default()
        };
        let ladder: Vec<_> = [1, 15, 16, 45, 46, 90, 91]
            .into_iter()
            .map(|dpd| p.next_action(&f(dpd)))
            .collect();
        use Action::*;
        assert_eq!(
            ladder,
            vec![
                Reminder,
                Reminder,
                Call,
                Call,
                FinalNotice,
                FinalNotice,
                ProposeAgency
            ]
        );
        // 2 broken promises (the default) → agency, even at 1 dpd; 1 → not.
        let broken = |n| ActionFacts {
            broken_promises: n,
            ..f(1)
        };
        assert_eq!(p.next_action(&broken(2)), ProposeAgency);
        assert_eq!(p.next_action(&broken(1)), Reminder);
        // Disputed 101 of 201 (> half) → resolve; 100 of 200 (half) → ladder.
        let disputed = |d| ActionFacts {
            disputed_past_due: Money(d),
            ..f(20)
        };
        assert_eq!(p.next_action(&disputed(101)), ResolveDispute);
        assert_eq!(p.next_action(&disputed(100)), Call);
        // A pending promise beats everything.
        let pending = ActionFacts {
            promise_pending: true,
            ..disputed(500)
        };
        assert_eq!(p.next_action(&pending), Wait);
        // Nothing workable past due (all with agency / legal).
        assert_eq!(p.next_action(&ActionFacts::default()), FollowUpPlacement);
        // A custom policy: 10 / 30 / 60, agency after 3 broken promises.
        let c = ActionPolicy {
            reminder_until_days: 10,
            call_until_days: 30,
            final_notice_until_days: 60,
            agency_after_broken_promises: 3,
        };
        assert_eq!(c.next_action(&f(11)), Call);
        assert_eq!(c.next_action(&f(61)), ProposeAgency);
        assert_eq!(c.next_action(&broken(2)), Reminder);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

        /// Every delinquent customer is in exactly one of the queue and the
        /// handed-over list; a queue entry's status mix adds up to the
        /// customer's open AR; waiting entries come after the others.
        #[test]
        fn every_delinquent_customer_is_listed_once(
            items in prop::collection::vec((0usize..5, 0usize..5, -500i64..5_000, -30i32..200), 1..30),
            promised in prop::collection::vec((0usize..5, 0i32..30), 0..4),
        ) {
            let ids = ["K0", "K1", "K2", "K3", "K4"];
            let as_of = day("2026-03-31");
            let names: Vec<String> = (0..items.len()).map(|i| i.to_string()).collect();
            let mut b = crate::SnapshotBuilder::new(as_of, crate::Currency::from_code("EUR"));
            for (n, (c, s, open, dpd)) in items.iter().enumerate() {
                b.push(&crate::model::InvoiceRow {
                    invoice_id: &names[n],
                    customer_id: ids[*c],
                    customer_name: ids[*c],
                    collector: if c % 2 == 0 { "ann" } else { "bob" },
                    status: Status::ALL[*s],
                    invoice_date: crate::Day(as_of.0 - dpd - 30),
                    due_date: crate::Day(as_of.0 - dpd),
                    amount: Money(*open),
                    open: Money(*open),
                    ..Default::default()
                });
            }
            let cur = b.finish();
            let act: Vec<Activity> = promised
                .iter()
                .map(|(c, ahead)| {
                    let mut a = activity("2026-03-20", ActivityKind::Promise, ids[*c], "", 100);
                    a.reference = crate::Day(as_of.0 + ahead - 10).to_string();
                    a
                })
                .collect();
            let w = all(&cur, &act, &[], &MetricsConfig::default());
            for (ci, c) in cur.customers.iter().enumerate() {
                let mine = cur.invoices.iter().filter(|i| i.customer as usize == ci);
                let open: Money = mine.clone().map(|i| i.open).sum();
                let past_due: Money = mine
                    .filter(|i| i.days_past_due(as_of) > 0)
                    .map(|i| i.open)
                    .sum();
                let q: Vec<_> = w.queue.iter().filter(|e| e.customer_id == c.id).collect();
                let h = w.handed_over.iter().filter(|e| e.customer_id == c.id).count();
                if past_due.0 > 0 {
                    prop_assert_eq!(q.len() + h, 1, "{}", c.id);
                } else {
                    prop_assert_eq!(q.len() + h, 0, "{}", c.id);
                }
                for e in q {
                    prop_assert_eq!(e.status_mix.total(), open);
                    prop_assert_eq!(e.past_due.money, past_due);
                }
            }
            let first_waiting = w.queue.iter().position(|e| e.waiting).unwrap_or(w.queue.len());
            prop_assert!(w.queue[first_waiting..].iter().all(|e| e.waiting));
        }
    }
}

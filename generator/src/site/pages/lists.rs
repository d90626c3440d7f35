//! Lists: the rows behind the overview's list tiles (promises due and
//! broken, newly past due, movers, over limit, disputes over their SLA),
//! each a table with its totals. Every row and total comes from core
//! (`metrics::lists`); this page only lays them out.

use super::{customer_page, Inputs};
use crate::site::page::{Page, Section, Tile};
use crate::site::table::{Cell, DataTable};
use arsite_core::metrics::lists::{Lists, PromiseList, PROMISES_DUE_DAYS};
use arsite_core::Snapshot;
use std::collections::HashSet;

/// The page's file name, next to the other per-snapshot pages.
pub const PATH: &str = "lists.html";

/// Section ids, in page order: the overview's tiles link to `lists.html#s-<id>`.
pub const PROMISES_DUE: &str = "promises-due";
pub const PROMISES_BROKEN: &str = "promises-broken";
pub const NEWLY_PAST_DUE: &str = "newly-past-due";
pub const MOVERS: &str = "movers";
pub const OVER_LIMIT: &str = "over-limit";
pub const DISPUTES_OVER_SLA: &str = "disputes-over-sla";

/// The link to a list's section from a page of the snapshot folder.
pub fn href(section: &str) -> String {
    format!("{PATH}#s-{section}")
}

const NO_PREVIOUS: &str =
    "Needs a previous snapshot to compare with: this is the first snapshot, so the list is empty.";

/// Customers with a page of their own in this snapshot (open items in it).
struct Links<'a>(HashSet<&'a str>);

impl Links<'_> {
    /// The customer's name linked to its page when it has one.
    fn customer(&self, id: &str, name: &str) -> Cell {
        let text = if name.is_empty() { id } else { name };
        if self.0.contains(id) {
            Cell::link(text, customer_page(id))
        } else {
            Cell::text(text)
        }
    }
}

fn total_label(count: u32) -> Cell {
    Cell::text(format!(
        "Total ({count} {})",
        if count == 1 { "row" } else { "rows" }
    ))
}

fn blank() -> Cell {
    Cell::text("")
}

fn promise_table(id: &str, caption: String, list: &PromiseList, links: &Links) -> DataTable {
    let mut t = DataTable::new(
        id,
        caption,
        &[
            "Customer",
            "Id",
            "Collector",
            "Invoice",
            "Promised on",
            "Promised date",
            "Due (with grace)",
            "#Promised",
            "#Paid",
            "#Unpaid",
        ],
    );
    for r in &list.rows {
        t.push(vec![
            links.customer(&r.customer_id, &r.customer_name),
            Cell::text(r.customer_id.clone()),
            Cell::text(Snapshot::label(&r.collector)),
            Cell::text(r.invoice_id.as_deref().unwrap_or("(account)")).with_class("nowrap"),
            Cell::text(r.promise_date.clone()).with_class("nowrap"),
            Cell::text(r.promised_date.clone()).with_class("nowrap"),
            Cell::text(r.due_date.clone()).with_class("nowrap"),
            Cell::amount(&r.amount),
            Cell::amount(&r.paid),
            Cell::amount(&r.unpaid),
        ]);
    }
    if !list.rows.is_empty() {
        let mut f = vec![total_label(list.count)];
        f.extend(std::iter::repeat_with(blank).take(6));
        f.extend([
            Cell::amount(&list.total_amount),
            Cell::amount(&list.total_paid),
            Cell::amount(&list.total_unpaid),
        ]);
        t.footer = Some(f);
    }
    t
}

/// The tiles the overview shows for the lists: each count links to its list.
pub fn tiles(inp: &Inputs) -> Vec<Tile> {
    let l = &inp.kpis.lists;
    let tile = |label: &str, count: u32, section: &str, target: String| Tile {
        label: label.to_string(),
        value: count.to_string(),
        change: None,
        target: Some(target),
        tone: "",
        href: Some(href(section)),
    };
    let needs_previous = |available: bool, text: String| {
        if available {
            text
        } else {
            "needs a previous snapshot".to_string()
        }
    };
    vec![
        tile(
            &format!("Promises due in {PROMISES_DUE_DAYS} days"),
            l.promises_due.count,
            PROMISES_DUE,
            format!("{} unpaid", inp.money(l.promises_due.total_unpaid.money)),
        ),
        tile(
            "Promises broken in period",
            l.promises_broken.count,
            PROMISES_BROKEN,
            format!("{} unpaid", inp.money(l.promises_broken.total_unpaid.money)),
        ),
        tile(
            "Newly past due invoices",
            l.newly_past_due.count,
            NEWLY_PAST_DUE,
            needs_previous(
                l.newly_past_due.available,
                format!("{} open", inp.money(l.newly_past_due.total_open.money)),
            ),
        ),
        tile(
            "Past-due movers",
            l.movers.count,
            MOVERS,
            needs_previous(
                l.movers.available,
                format!("+{} past due", inp.money(l.movers.total_change.money)),
            ),
        ),
        tile(
            "Customers over credit limit",
            l.over_limit.count,
            OVER_LIMIT,
            format!("{} over", inp.money(l.over_limit.total_over_limit_by.money)),
        ),
        tile(
            &format!("Disputes open over {} days", l.disputes_over_sla.sla_days),
            l.disputes_over_sla.count,
            DISPUTES_OVER_SLA,
            inp.money(l.disputes_over_sla.total_amount.money),
        ),
    ]
}

pub fn page(inp: &Inputs) -> Page {
    let l: &Lists = &inp.kpis.lists;
    let s = inp.snapshot;
    let as_of = s.as_of;
    let links = Links(
        s.customers
            .iter()
            .zip(&inp.ctx.aging.by_customer)
            .filter(|(_, t)| t.count() > 0)
            .map(|(c, _)| c.id.as_str())
            .collect(),
    );
    let k = inp.kpis;
    let grace = k.promises.grace_days;
    let mut sections = Vec::new();

    let due = &l.promises_due;
    let last = arsite_core::Day(as_of.0 + PROMISES_DUE_DAYS);
    sections.push(
        Section::new(PROMISES_DUE, format!("Promises due in the next {PROMISES_DUE_DAYS} days"))
            .text(format!(
                "Pending promises (not yet kept, not yet broken) whose promised date + {grace} grace day(s) \
                 falls from {as_of} through {last}, earliest first."
            ))
            .table(promise_table(
                PROMISES_DUE,
                format!("Promises due from {as_of} through {last}"),
                due,
                &links,
            )),
    );

    let broken = &l.promises_broken;
    sections.push(
        Section::new(PROMISES_BROKEN, "Promises broken in the period")
            .text(format!(
                "Promises whose promised date lies in the period {} to {} and that were broken by {as_of}: \
                 not paid in full by the promised date + {grace} grace day(s). The same promises the \
                 promises figures count as broken in the period.",
                k.period_start, k.period_end
            ))
            .table(promise_table(
                PROMISES_BROKEN,
                format!("Promises broken, promised {} to {}", k.period_start, k.period_end),
                broken,
                &links,
            )),
    );

    let n = &l.newly_past_due;
    let mut sec = Section::new(NEWLY_PAST_DUE, "Newly past due invoices");
    if n.available {
        let prev = k.previous_as_of.as_deref().unwrap_or("");
        let mut t = DataTable::new(
            NEWLY_PAST_DUE,
            format!("Invoices past due on {as_of} that were not past due on {prev}"),
            &[
                "Customer",
                "Id",
                "Collector",
                "Invoice",
                "Due date",
                "#Days past due",
                "#Open",
                "On the previous snapshot",
            ],
        );
        for r in &n.rows {
            t.push(vec![
                links.customer(&r.customer_id, &r.customer_name),
                Cell::text(r.customer_id.clone()),
                Cell::text(Snapshot::label(&r.collector)),
                Cell::text(r.invoice_id.clone()).with_class("nowrap"),
                Cell::text(r.due_date.clone()).with_class("nowrap"),
                Cell::int(i64::from(r.days_past_due)),
                Cell::amount(&r.open),
                Cell::text(match r.previously {
                    "current" => "not yet past due",
                    _ => "not in it (new, already past due)",
                }),
            ]);
        }
        if !n.rows.is_empty() {
            let mut f = vec![total_label(n.count)];
            f.extend(std::iter::repeat_with(blank).take(5));
            f.extend([Cell::amount(&n.total_open), blank()]);
            t.footer = Some(f);
        }
        sec = sec
            .text(format!(
                "Invoices with a positive open amount past due on {as_of} that on {prev} were not yet past due, \
                 or were not in that snapshot at all (same invoice and customer) and are already past due; \
                 largest open amount first."
            ))
            .table(t);
    } else {
        sec = sec.text(NO_PREVIOUS);
    }
    sections.push(sec);

    let v = &l.movers;
    let mut sec = Section::new(MOVERS, "Past-due movers");
    if v.available {
        let prev = k.previous_as_of.as_deref().unwrap_or("");
        let mut t = DataTable::new(
            MOVERS,
            format!("The customers whose past due grew most from {prev} to {as_of}"),
            &[
                "Customer",
                "Id",
                "Collector",
                "#Past due before",
                "#Past due now",
                "#Change",
            ],
        );
        for r in &v.rows {
            t.push(vec![
                links.customer(&r.customer_id, &r.customer_name),
                Cell::text(r.customer_id.clone()),
                Cell::text(Snapshot::label(&r.collector)),
                Cell::amount(&r.past_due_before),
                Cell::amount(&r.past_due_now),
                Cell::amount(&r.change),
            ]);
        }
        if !v.rows.is_empty() {
            t.footer = Some(vec![
                total_label(v.count),
                blank(),
                blank(),
                Cell::amount(&v.total_before),
                Cell::amount(&v.total_now),
                Cell::amount(&v.total_change),
            ]);
        }
        sec = sec
            .text(format!(
                "At most {} customers of this snapshot whose past-due amount grew since {prev}, \
                 largest growth first (ties by customer id).",
                arsite_core::metrics::lists::MOVERS
            ))
            .table(t);
    } else {
        sec = sec.text(NO_PREVIOUS);
    }
    sections.push(sec);

    let o = &l.over_limit;
    let mut t = DataTable::new(
        OVER_LIMIT,
        format!("Customers over their credit limit on {as_of}"),
        &[
            "Customer",
            "Id",
            "Collector",
            "#Open",
            "#Credit limit",
            "#Utilisation %",
            "#Over limit by",
        ],
    );
    for r in &o.rows {
        t.push(vec![
            links.customer(&r.customer_id, &r.customer_name),
            Cell::text(r.customer_id.clone()),
            Cell::text(Snapshot::label(&r.collector)),
            Cell::amount(&r.open),
            Cell::amount(&r.credit_limit),
            Cell::dec(r.utilization_percent),
            Cell::amount(&r.over_limit_by),
        ]);
    }
    if !o.rows.is_empty() {
        t.footer = Some(vec![
            total_label(o.count),
            blank(),
            blank(),
            Cell::amount(&o.total_open),
            Cell::amount(&o.total_credit_limit),
            blank(),
            Cell::amount(&o.total_over_limit_by),
        ]);
    }
    sections.push(
        Section::new(OVER_LIMIT, "Customers over their credit limit")
            .text(
                "Customers of the customer master whose open AR exceeds their credit limit, largest excess \
                 first: the credit figures' over-limit list.",
            )
            .table(t),
    );

    let d = &l.disputes_over_sla;
    let mut t = DataTable::new(
        DISPUTES_OVER_SLA,
        format!("Disputes open more than {} days on {as_of}", d.sla_days),
        &[
            "Customer",
            "Id",
            "Owner",
            "Invoice",
            "Reason",
            "Opened",
            "#Days open",
            "#Amount",
        ],
    );
    for r in &d.rows {
        t.push(vec![
            links.customer(&r.customer_id, &r.customer_name),
            Cell::text(r.customer_id.clone()),
            Cell::text(Snapshot::label(&r.collector)),
            Cell::text(r.invoice_id.as_deref().unwrap_or("(none)")).with_class("nowrap"),
            Cell::text(r.reason.as_deref().unwrap_or("(none)")),
            Cell::text(r.opened.clone()).with_class("nowrap"),
            Cell::int(i64::from(r.days_open)),
            Cell::amount(&r.amount),
        ]);
    }
    if !d.rows.is_empty() {
        let mut f = vec![total_label(d.count)];
        f.extend(std::iter::repeat_with(blank).take(6));
        f.push(Cell::amount(&d.total_amount));
        t.footer = Some(f);
    }
    sections.push(
        Section::new(DISPUTES_OVER_SLA, "Disputes over their SLA")
            .text(format!(
                "Disputes still open on {as_of} that were opened more than {} days before it \
                 ([disputes] sla_days), oldest first. The owner is the collector of the opening row, \
                 else of its invoice, else the customer master's.",
                d.sla_days
            ))
            .table(t),
    );

    Page {
        key: "lists",
        title: format!("Lists on {as_of}"),
        lede: Some(
            "The rows behind the overview's list tiles, each with its totals. Customers link to their pages \
             where they have open items on this snapshot."
                .into(),
        ),
        notes: Vec::new(),
        sections,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_link_to_the_sections_of_the_page() {
        assert_eq!(href(MOVERS), "lists.html#s-movers");
        assert_eq!(href(DISPUTES_OVER_SLA), "lists.html#s-disputes-over-sla");
    }
}

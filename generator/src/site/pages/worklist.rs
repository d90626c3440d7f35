//! Worklist: each collector's queue of delinquent customers, actionable
//! accounts by priority score first, then those waiting on a promise; and
//! the accounts handed over to an agency or legal. Every figure and text
//! comes from core's entries (`metrics::worklist`).

use super::{slug, Inputs};
use crate::site::page::{Page, Section};
use crate::site::table::{Cell, DataTable};
use arsite_core::format;
use arsite_core::metrics::worklist::{CustomerContact, HandedOverEntry, WorklistEntry};
use arsite_core::Snapshot;
use std::collections::BTreeMap;

/// "name · email · phone", the parts the master has.
pub fn contact_text(c: Option<&CustomerContact>) -> String {
    c.map(|c| {
        [&c.name, &c.email, &c.phone]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" · ")
    })
    .unwrap_or_default()
}

fn customer_cell(name: &str, id: &str) -> Cell {
    Cell::link(
        format!("{name} ({id})"),
        format!("customers/{}.html", slug(id)),
    )
}

/// The queue's columns (the hand-off CSV has the same, one row per account).
pub const QUEUE_HEADERS: [&str; 19] = [
    "#Rank",
    "Customer",
    "Collector",
    "Next action",
    "#Priority score",
    "#Past due",
    "#Disputed past due",
    "#Oldest dpd",
    "#Open",
    "#Disputed",
    "#Promised",
    "#Agency",
    "#Legal",
    "Last contact",
    "Promise",
    "#Credit limit",
    "#Over limit by",
    "Contact",
    "Why it ranks here",
];

pub fn queue_row(rank: usize, w: &WorklistEntry) -> Vec<Cell> {
    let m = &w.status_mix;
    let last_contact = match &w.last_contact {
        Some(c) if c.kind.is_empty() => format!("{} ({} days ago)", c.date, c.days_ago),
        Some(c) => format!("{} {} ({} days ago)", c.date, c.kind, c.days_ago),
        None => "never".to_string(),
    };
    let promise = w.promise.as_ref().map_or(String::new(), |p| {
        let amount = format::money(p.amount.money, p.amount.exponent);
        match p.state {
            "pending" => format!("pending: {amount} due on {}", p.due),
            state => format!("{state}: {amount} promised for {}", p.date),
        }
    });
    vec![
        Cell::int(rank as i64),
        customer_cell(&w.name, &w.customer_id),
        Cell::text(Snapshot::label(&w.collector)),
        Cell::text(&w.next_action),
        Cell::dec(Some(w.score)),
        Cell::amount(&w.past_due),
        Cell::amount(&w.disputed_past_due),
        Cell::int(i64::from(w.oldest_days_past_due)),
        Cell::amount(&m.open),
        Cell::amount(&m.disputed),
        Cell::amount(&m.promised),
        Cell::amount(&m.agency),
        Cell::amount(&m.legal),
        Cell::text(last_contact),
        Cell::text(promise),
        Cell::opt_amount(w.credit_limit.as_ref()),
        Cell::opt_amount(w.over_limit_by.as_ref()),
        Cell::text(contact_text(w.contact.as_ref())),
        Cell::text(w.reasons.join("; ")),
    ]
}

fn handed_over_table(as_of: &str, entries: &[HandedOverEntry]) -> DataTable {
    let mut t = DataTable::new(
        "worklist-handed-over",
        format!("Accounts with an agency or in legal on {as_of}, largest past due first"),
        &[
            "Customer",
            "Collector",
            "#Agency",
            "#Legal",
            "#Past due",
            "#Oldest dpd",
            "Placed on",
            "Contact",
        ],
    );
    for h in entries {
        t.push(vec![
            customer_cell(&h.name, &h.customer_id),
            Cell::text(Snapshot::label(&h.collector)),
            Cell::amount(&h.agency),
            Cell::amount(&h.legal),
            Cell::amount(&h.past_due),
            Cell::int(i64::from(h.oldest_days_past_due)),
            Cell::text(h.placed_on.as_deref().unwrap_or("not in the activity log")),
            Cell::text(contact_text(h.contact.as_ref())),
        ]);
    }
    t
}

pub fn page(inp: &Inputs) -> Page {
    let k = inp.kpis;
    let p = &inp.config.metrics.worklist_policy;
    let as_of = inp.snapshot.as_of.to_string();
    let mut by_collector: BTreeMap<&str, Vec<&WorklistEntry>> = BTreeMap::new();
    for w in &k.worklist {
        by_collector
            .entry(w.collector.as_str())
            .or_default()
            .push(w);
    }
    let mut sections = Vec::new();
    for (collector, entries) in by_collector {
        let label = Snapshot::label(collector).to_string();
        let mut t = DataTable::new(
            &format!("worklist-{}", slug(collector)),
            format!(
                "{label}: delinquent customers on {as_of}, highest priority first, then those waiting on a promise"
            ),
            &QUEUE_HEADERS,
        );
        // In core's order (waiting last, then score, past due, id):
        // grouping keeps it.
        for (i, w) in entries.iter().enumerate() {
            t.push(queue_row(i + 1, w));
        }
        sections.push(Section::new(&format!("c-{}", slug(collector)), label).table(t));
    }
    if sections.is_empty() {
        sections.push(
            Section::new("none", "No delinquent customers")
                .text("No customer in a collector's queue has a past-due balance on this date."),
        );
    }
    let handed = Section::new("handed-over", "With agency / legal");
    sections.push(if k.worklist_handed_over.is_empty() {
        handed.text("No delinquent account is wholly with an agency or in legal on this date.")
    } else {
        handed
            .text(
                "Delinquent customers whose open debit items all have status agency or legal: \
                 off the collectors' queues. Placed on = the customer's earliest placement row \
                 in the activity log (the snapshot's statuses carry no date).",
            )
            .table(handed_over_table(&as_of, &k.worklist_handed_over))
    });
    Page {
        key: "worklist",
        title: format!("Worklist on {as_of}"),
        lede: Some(format!(
            "Each collector's queue, worked top to bottom: actionable accounts by priority score, then the \
             accounts waiting on a pending promise. Priority score = age points + 10 per promise broken in the last 90 days \
             + 15 when over the credit limit + 1 per 7 days since the last contact (at most 20; 20 when never contacted). \
             Next action ([policy] settings): wait while a promise is pending; resolve the dispute when more than half of the \
             past due (agency and legal aside) is disputed; propose an agency placement after {} broken promises in 90 days; \
             else by the oldest workable days past due: a reminder through {}, a call through {}, a final notice through {}, \
             then propose an agency placement.",
            p.agency_after_broken_promises, p.reminder_until_days, p.call_until_days, p.final_notice_until_days
        )),
        notes: vec![
            "Age points = Σ over the customer's workable past-due items (status open or promised; disputed, agency and \
             legal items are shown, not scored) of the item's share of the collector's workable past due (in %) \
             × its bucket number (1 for the first past-due bucket, 2 for the next, …), from the unrounded shares. \
             A customer holding 10 % of the collector's workable past due, all in the second bucket, gets 20 points. \
             Shares, not amounts: the score does not depend on the currency or the size of the book, and ranks the \
             customers within one collector's list."
                .into(),
        ],
        sections,
    }
}

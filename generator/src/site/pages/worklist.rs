//! Worklist: delinquent customers ranked by the priority score, grouped by
//! collector, each with the reasons for its place.

use super::{slug, Inputs};
use crate::site::page::{Page, Section};
use crate::site::table::{Cell, DataTable};
use arsite_core::Snapshot;
use std::collections::BTreeMap;

pub fn page(inp: &Inputs) -> Page {
    let k = inp.kpis;
    let as_of = inp.snapshot.as_of.to_string();
    let mut by_collector: BTreeMap<&str, Vec<&arsite_core::metrics::worklist::WorklistEntry>> =
        BTreeMap::new();
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
            format!("{label}: delinquent customers on {as_of}, highest priority first"),
            &[
                "#Rank",
                "Customer",
                "#Priority score",
                "#Past due",
                "#Share of collector's past due %",
                "#Oldest dpd",
                "Why it ranks here",
            ],
        );
        // In core's order (score, then past due, then id): grouping keeps it.
        for (i, w) in entries.iter().enumerate() {
            t.push(vec![
                Cell::int(i as i64 + 1),
                Cell::link(
                    format!("{} ({})", w.name, w.customer_id),
                    format!("customers/{}.html", slug(&w.customer_id)),
                ),
                Cell::dec(Some(w.score)),
                Cell::amount(&w.past_due),
                Cell::dec(Some(w.share_of_collector_past_due)),
                Cell::int(i64::from(w.oldest_days_past_due)),
                Cell::text(w.reasons.join("; ")),
            ]);
        }
        sections.push(Section::new(&format!("c-{}", slug(collector)), label).table(t));
    }
    if sections.is_empty() {
        sections.push(
            Section::new("none", "No delinquent customers")
                .text("No customer has a past-due balance on this date."),
        );
    }
    Page {
        key: "worklist",
        title: format!("Worklist on {as_of}"),
        lede: Some(
            "Priority score per delinquent customer = age points + 10 per promise broken in the last 90 days \
             + 15 when over the credit limit + 1 per 7 days since the last contact (at most 20; 20 when never contacted). \
             The reasons list the points behind each score."
                .into(),
        ),
        notes: vec![
            "Age points = Σ over the customer's past-due items of the item's share of the collector's past due (in %) \
             × its bucket number (1 for the first past-due bucket, 2 for the next, …), from the unrounded shares. \
             A customer holding 10 % of the collector's past due, all in the second bucket, gets 20 points. Shares, not amounts: the score does not depend on the \
             currency or the size of the book, and ranks the customers within one collector's list."
                .into(),
        ],
        sections,
    }
}

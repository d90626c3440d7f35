//! Disputes: open disputes by reason and age, and those resolved in the
//! period with their resolution times.

use super::{slug, Inputs};
use crate::site::page::{Block, Page, Section, Tile};
use crate::site::table::{Cell, DataTable};
use arsite_core::metrics::disputes::DisputeLine;

fn lines(id: &str, caption: String, first: &str, lines: &[DisputeLine]) -> DataTable {
    let mut t = DataTable::new(id, caption, &[first, "#Open disputes", "#Amount"]);
    for l in lines {
        t.push(vec![
            Cell::text(l.name.clone()),
            Cell::int(i64::from(l.count)),
            Cell::amount(&l.amount),
        ]);
    }
    t
}

pub fn page(inp: &Inputs) -> Page {
    let d = &inp.kpis.disputes;
    let as_of = inp.snapshot.as_of;
    let period = inp.ctx.period;
    let tiles = vec![
        Tile {
            label: "Open disputes".into(),
            value: d.open_count.to_string(),
            change: None,
            target: None,
            tone: "",
            href: None,
        },
        Tile {
            label: "Open amount".into(),
            value: inp.money(d.open_amount.money),
            change: None,
            target: None,
            tone: "",
            href: None,
        },
        Tile {
            label: "% of AR in dispute".into(),
            value: d
                .ar_in_dispute_percent
                .map_or("—".into(), |p| format!("{p:.2} %")),
            change: None,
            target: None,
            tone: "",
            href: None,
        },
        Tile {
            label: "Resolution time (all resolved to date)".into(),
            value: format!(
                "median {} / mean {} days",
                d.median_resolution_days
                    .map_or("—".into(), |v| format!("{v:.2}")),
                d.mean_resolution_days
                    .map_or("—".into(), |v| format!("{v:.2}"))
            ),
            change: None,
            target: None,
            tone: "",
            href: None,
        },
    ];
    let cases = &inp.details.dispute_cases;
    let mut open = DataTable::new(
        "open-disputes",
        format!("Disputes open on {as_of}, oldest first"),
        &[
            "Opened",
            "#Age (days)",
            "Customer",
            "Invoice",
            "Reason",
            "#Amount",
            "Note",
        ],
    );
    let mut resolved = DataTable::new(
        "resolved-disputes",
        format!("Disputes resolved from {} to {}", period.start, period.end),
        &[
            "Opened",
            "Resolved",
            "#Days to resolve",
            "Customer",
            "Invoice",
            "Reason",
            "Resolution",
        ],
    );
    // Looked up once per dispute case: hundreds of thousands over years of
    // activity, against tens of thousands of customers.
    let names: std::collections::HashMap<&str, &str> = inp
        .snapshot
        .customers
        .iter()
        .map(|c| (c.id.as_str(), c.name.as_str()))
        .collect();
    let name_of = |id: &str| {
        names
            .get(id)
            .map_or_else(|| id.to_string(), |name| format!("{name} ({id})"))
    };
    for c in cases {
        let o = c.opened;
        match c.resolved {
            None => open.push(vec![
                Cell::text(o.date().to_string()),
                Cell::int(i64::from(as_of.days_since(o.date()))),
                Cell::link(
                    name_of(o.customer_id()),
                    format!("customers/{}.html", slug(o.customer_id())),
                ),
                Cell::text(o.invoice_id()),
                Cell::text(o.dispute_reason().unwrap_or("(none)").to_string()),
                Cell::money(c.amount, inp.exp()),
                Cell::text(o.note()),
            ]),
            Some(r) if period.contains(r.date()) => resolved.push(vec![
                Cell::text(o.date().to_string()),
                Cell::text(r.date().to_string()),
                Cell::int(i64::from(r.date().days_since(o.date()))),
                Cell::text(name_of(o.customer_id())),
                Cell::text(o.invoice_id()),
                Cell::text(o.dispute_reason().unwrap_or("(none)").to_string()),
                Cell::text(r.resolution().unwrap_or("(none)").to_string()),
            ]),
            Some(_) => {}
        }
    }
    open.rows.sort_by(|a, b| a[0].text.cmp(&b[0].text));
    Page {
        key: "disputes",
        title: format!("Disputes on {as_of}"),
        lede: Some("From the activity file: dispute_opened and dispute_resolved rows, paired per customer and invoice (a resolution closes the earliest open case of the same customer and invoice).".into()),
        notes: vec![
            "A resolution without an invoice closes the customer's earliest open case without one; a resolution never closes another customer's case. \
             A case's amount is the opening row's amount, else (when that is 0) the invoice's open amount on this snapshot."
                .to_string(),
            format!("Resolutions with no open case to close: {}.", d.unmatched_resolutions),
        ],
        sections: vec![
            Section::new("summary", "Summary").with(Block::Tiles { tiles }),
            Section::new("by-reason", "Open by reason").table(lines("disputes-by-reason", format!("Open disputes by reason on {as_of}"), "Reason", &d.by_reason)),
            Section::new("by-age", "Open by age").table(lines("disputes-by-age", format!("Open disputes by days since opened on {as_of}"), "Age (days)", &d.by_age)),
            Section::new("open", "Open disputes").table(open),
            Section::new("resolved", "Resolved in the period").table(resolved),
        ],
    }
}

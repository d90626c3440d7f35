//! Customers: the list, and one page per customer with its open items,
//! balance and days-past-due history, credit use, promises, disputes and
//! contacts.

use super::{slug, Inputs};
use crate::site::chart::{line_chart, Series};
use crate::site::page::{Block, Page, Section, Tile};
use crate::site::table::{Cell, DataTable};
use arsite_core::activity::ActivityRef;
use arsite_core::ledger::ActivityKind;
use arsite_core::metrics::credit::CreditLine;
use arsite_core::metrics::disputes::DisputeCase;
use arsite_core::metrics::promises::PromiseOutcome;
use std::collections::HashMap;

/// Per-snapshot indexes of core's results, built once so each customer
/// page is a lookup.
pub struct Prepared<'a> {
    pub invoices: Vec<Vec<usize>>,
    pub promises: HashMap<&'a str, Vec<&'a PromiseOutcome<'a>>>,
    pub disputes: HashMap<&'a str, Vec<&'a DisputeCase<'a>>>,
    pub unmatched_resolutions: HashMap<&'a str, Vec<ActivityRef<'a>>>,
    pub credit: HashMap<&'a str, &'a CreditLine>,
}

impl<'a> Prepared<'a> {
    pub fn new(inp: &'a Inputs<'a>) -> Prepared<'a> {
        let s = inp.snapshot;
        let d = inp.details;
        let mut invoices = vec![Vec::new(); s.customers.len()];
        for (i, inv) in s.invoices.iter().enumerate() {
            invoices[inv.customer as usize].push(i);
        }
        let mut promises: HashMap<&str, Vec<&PromiseOutcome>> = HashMap::new();
        for o in &d.promises {
            promises.entry(o.row.customer_id()).or_default().push(o);
        }
        let mut disputes: HashMap<&str, Vec<&DisputeCase>> = HashMap::new();
        for c in &d.dispute_cases {
            disputes.entry(c.opened.customer_id()).or_default().push(c);
        }
        let mut unmatched_resolutions: HashMap<&str, Vec<ActivityRef>> = HashMap::new();
        for &r in &d.unmatched_resolutions {
            unmatched_resolutions
                .entry(r.customer_id())
                .or_default()
                .push(r);
        }
        let credit = inp
            .kpis
            .credit
            .lines
            .iter()
            .map(|l| (l.customer_id.as_str(), l))
            .collect();
        Prepared {
            invoices,
            promises,
            disputes,
            unmatched_resolutions,
            credit,
        }
    }
}

pub fn list_page(inp: &Inputs) -> Page {
    let s = inp.snapshot;
    let report = &inp.ctx.aging;
    let exp = inp.exp();
    let mut t = DataTable::new(
        "customers",
        format!("Customers with open items on {}, by name", s.as_of),
        &["Customer", "Id", "#Open", "#Past due", "#Items"],
    );
    let mut order: Vec<usize> = (0..s.customers.len())
        .filter(|&i| report.by_customer[i].count() > 0)
        .collect();
    order.sort_by(|&a, &b| {
        s.customers[a]
            .name
            .cmp(&s.customers[b].name)
            .then_with(|| s.customers[a].id.cmp(&s.customers[b].id))
    });
    for i in order {
        let c = &s.customers[i];
        let b = &report.by_customer[i];
        t.push(vec![
            Cell::link(c.name.clone(), format!("{}.html", slug(&c.id))),
            Cell::text(c.id.clone()),
            Cell::money(b.total(), exp),
            Cell::money(b.past_due(), exp),
            Cell::int(b.count()),
        ]);
    }
    Page {
        key: "customers",
        title: format!("Customers on {}", s.as_of),
        lede: None,
        notes: Vec::new(),
        sections: vec![Section::new("list", "All customers").table(t)],
    }
}

pub fn customer_page(inp: &Inputs, prepared: &Prepared, index: usize) -> Page {
    let s = inp.snapshot;
    let c = &s.customers[index];
    let exp = inp.exp();
    let as_of = s.as_of;
    let totals = &inp.ctx.aging.by_customer[index];
    let title = format!("{} ({})", c.name, c.id);

    let mut tiles = vec![
        Tile {
            label: "Open balance".into(),
            value: inp.money(totals.total()),
            change: None,
            target: None,
            tone: "",
            href: None,
        },
        Tile {
            label: "Past due".into(),
            value: inp.money(totals.past_due()),
            change: None,
            target: None,
            tone: "",
            href: None,
        },
    ];
    if let Some(l) = prepared.credit.get(c.id.as_str()) {
        tiles.push(Tile {
            label: "Credit limit used".into(),
            value: l
                .utilization_percent
                .map_or("—".into(), |u| format!("{u:.2} %")),
            change: None,
            target: Some(format!("limit {}", inp.money(l.credit_limit.money))),
            tone: if l.over_limit_by.money.0 > 0 {
                "bad"
            } else {
                ""
            },
            href: None,
        });
    }

    let mut open = DataTable::new(
        "open-items",
        format!("Open items of {title} on {as_of}"),
        &[
            "Invoice",
            "Invoice date",
            "Due date",
            "#Days past due",
            "Bucket",
            "#Amount",
            "#Open",
            "Status",
            "Collector",
        ],
    );
    let labels = inp.config.aging.labels();
    let mut rows: Vec<&arsite_core::Invoice> = prepared.invoices[index]
        .iter()
        .map(|&i| &s.invoices[i])
        .collect();
    rows.sort_by(|a, b| {
        a.due_date
            .cmp(&b.due_date)
            .then_with(|| a.invoice_id.cmp(&b.invoice_id))
    });
    for inv in rows {
        let dpd = inv.days_past_due(as_of);
        open.push(vec![
            Cell::text(inv.invoice_id.clone()),
            Cell::text(inv.invoice_date.to_string()),
            Cell::text(inv.due_date.to_string()),
            Cell::int(i64::from(dpd)),
            Cell::text(labels[inp.config.aging.bucket_of(dpd)].clone()),
            Cell::money(inv.amount, exp),
            Cell::money(inv.open, exp),
            Cell::text(inv.status.as_str()),
            Cell::text(
                arsite_core::Snapshot::label(&s.collectors[inv.collector as usize]).to_string(),
            ),
        ]);
    }
    open.footer = Some({
        let mut f = vec![Cell::text("Total"); 9];
        for (i, cell) in f.iter_mut().enumerate().skip(1) {
            *cell = if i == 6 {
                Cell::money(totals.total(), exp)
            } else {
                Cell::text("")
            };
        }
        f
    });

    let history = inp
        .history
        .customers
        .get(&c.id)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let points = &inp.history.points;
    let mut hist = DataTable::new(
        "balance-history",
        format!("Balance and days past due of {title} at every snapshot up to {as_of}"),
        &["Snapshot", "#Balance", "#Past due", "#Oldest days past due"],
    );
    for h in history.iter().rev() {
        hist.push(vec![
            Cell::text(points[h.snapshot].as_of.clone()),
            Cell::money(h.balance, exp),
            Cell::money(h.past_due, exp),
            Cell::int(i64::from(h.max_dpd.max(0))),
        ]);
    }
    let labels_h: Vec<String> = history
        .iter()
        .map(|h| points[h.snapshot].as_of.clone())
        .collect();
    let chart = line_chart(
        "Balance and past due by snapshot",
        inp.code(),
        &labels_h,
        &[
            Series {
                name: "Balance".into(),
                values: history
                    .iter()
                    .map(|h| Some(h.balance.to_decimal(exp)))
                    .collect(),
            },
            Series {
                name: "Past due".into(),
                values: history
                    .iter()
                    .map(|h| Some(h.past_due.to_decimal(exp)))
                    .collect(),
            },
        ],
        None,
    );

    let grace = inp.kpis.promises.grace_days;
    let mut promises = DataTable::new(
        "promises",
        format!("Promises to pay of {title} up to {as_of}"),
        &[
            "Made",
            "Invoice",
            "Promised for",
            "Kept if paid by",
            "#Amount",
            "#Paid toward it",
            "Status",
            "Fell due in the period",
            "Collector",
        ],
    );
    for o in prepared.promises.get(c.id.as_str()).into_iter().flatten() {
        promises.push(vec![
            Cell::text(o.row.date().to_string()),
            Cell::text(o.row.invoice_id()),
            Cell::text(o.promised.to_string()),
            Cell::text(o.due.to_string()),
            Cell::money(o.row.amount(), exp),
            Cell::money(o.paid, exp),
            Cell::text(o.status.as_str()),
            Cell::text(if o.fell_due_in_period { "yes" } else { "no" }),
            Cell::text(o.collector.to_string()),
        ]);
    }
    let mut disputes = DataTable::new(
        "disputes",
        format!("Dispute cases of {title} up to {as_of}, newest first"),
        &[
            "Opened",
            "Resolved",
            "Invoice",
            "Reason",
            "Resolution",
            "#Amount",
            "Note",
        ],
    );
    for d in prepared
        .disputes
        .get(c.id.as_str())
        .into_iter()
        .flatten()
        .rev()
    {
        let o = d.opened;
        disputes.push(vec![
            Cell::text(o.date().to_string()),
            Cell::text(
                d.resolved
                    .map_or_else(|| "open".to_string(), |r| r.date().to_string()),
            ),
            Cell::text(o.invoice_id()),
            Cell::text(o.dispute_reason().unwrap_or("(none)")),
            Cell::text(d.resolved.and_then(|r| r.resolution()).unwrap_or("")),
            Cell::money(d.amount, exp),
            Cell::text(o.note()),
        ]);
    }
    for r in prepared
        .unmatched_resolutions
        .get(c.id.as_str())
        .into_iter()
        .flatten()
        .rev()
    {
        disputes.push(vec![
            Cell::text("(no open case)"),
            Cell::text(r.date().to_string()),
            Cell::text(r.invoice_id()),
            Cell::text(""),
            Cell::text(r.resolution().unwrap_or("(none)")),
            Cell::money(r.amount(), exp),
            Cell::text(r.note()),
        ]);
    }
    let mut contacts = DataTable::new(
        "contacts",
        format!("Contacts with {title} up to {as_of}, newest first"),
        &["Date", "Channel", "Collector", "Note"],
    );
    for a in inp.customer_activity(&c.id).rev() {
        if a.kind() == ActivityKind::Contact {
            contacts.push(vec![
                Cell::text(a.date().to_string()),
                Cell::text(a.reference()),
                Cell::text(a.collector_name().unwrap_or_default()),
                Cell::text(a.note()),
            ]);
        }
    }
    let mut notes = vec![format!(
        "Promises: a promise naming an invoice is kept by payments on that invoice, else by any of the \
         customer's payments; each payment counts once (promises by promised date, then date made); \
         kept if paid by the promised date + {grace} day(s) of grace, broken only after it."
    )];
    notes.push(
        "Disputes: a resolution closes the earliest open case of the same customer and invoice \
         (without an invoice: the customer's earliest open case without one); the amount is the \
         opening row's, else the invoice's open amount."
            .to_string(),
    );
    // The customer master's contact details (untrusted text: escaped by
    // the template, neutralised in the CSV like every cell).
    let mut contact = DataTable::new(
        "customer-contact",
        format!("Contact of {}", c.name),
        &["Contact name", "Email", "Phone"],
    );
    if let Some(m) = inp.ctx.customers.get(c.id.as_str()) {
        let f = |v: &Option<String>| Cell::text(v.as_deref().unwrap_or_default());
        if m.contact_name.is_some() || m.email.is_some() || m.phone.is_some() {
            contact.push(vec![f(&m.contact_name), f(&m.email), f(&m.phone)]);
        }
    }
    let contact = if contact.rows.is_empty() {
        Section::new("contact", "Contact").text("No contact details in customers.csv.")
    } else {
        Section::new("contact", "Contact").table(contact)
    };
    Page {
        key: "customers",
        title,
        lede: None,
        notes,
        sections: vec![
            Section::new("summary", "Summary").with(Block::Tiles { tiles }),
            contact,
            Section::new("open-items", "Open items").table(open),
            Section::new("history", "History").chart(chart).table(hist),
            Section::new("promises", "Promises to pay").table(promises),
            Section::new("disputes", "Disputes").table(disputes),
            Section::new("contacts", "Contacts").table(contacts),
        ],
    }
}

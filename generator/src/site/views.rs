//! View models: the figures of a page, already formatted as text. Templates
//! only place them; all arithmetic happens in `arsite-core` before this.

use arsite_core::aging::{AgingReport, AgingScheme, BucketTotals};
use arsite_core::format::{money, percent};
use arsite_core::{Money, Snapshot};
use serde::Serialize;

/// One row of an aging table: a group and its buckets.
#[derive(Serialize)]
pub struct AgingRow {
    pub name: String,
    /// Secondary text (a customer's id).
    pub detail: String,
    pub buckets: Vec<String>,
    pub total: String,
    pub past_due: String,
    pub count: u32,
    #[serde(skip)]
    pub past_due_minor: Money,
}

impl AgingRow {
    pub fn new(
        name: &str,
        detail: &str,
        t: &BucketTotals,
        scheme: &AgingScheme,
        exp: u32,
    ) -> AgingRow {
        AgingRow {
            name: name.to_string(),
            detail: detail.to_string(),
            buckets: t
                .amounts_for(scheme)
                .iter()
                .map(|&m| money(m, exp))
                .collect(),
            total: money(t.total(), exp),
            past_due: money(t.past_due(), exp),
            count: t.count(),
            past_due_minor: t.past_due(),
        }
    }
}

/// A breakdown table (by division, collector or customer) with its total row.
#[derive(Serialize)]
pub struct AgingTable {
    pub rows: Vec<AgingRow>,
    pub total: AgingRow,
}

#[derive(Serialize)]
pub struct AgingPage {
    pub labels: Vec<String>,
    pub total: AgingRow,
    pub shares: Vec<String>,
    pub by_division: AgingTable,
    pub by_collector: AgingTable,
    pub by_customer: AgingTable,
}

impl AgingPage {
    pub fn new(s: &Snapshot, scheme: &AgingScheme, report: &AgingReport) -> AgingPage {
        let exp = s.currency.exponent;
        let total = AgingRow::new("Total", "", &report.total, scheme, exp);
        let table = |rows: Vec<AgingRow>| AgingTable {
            rows,
            total: AgingRow::new("Total", "", &report.total, scheme, exp),
        };
        let named = |names: &[String], totals: &[BucketTotals]| {
            let mut rows: Vec<AgingRow> = names
                .iter()
                .zip(totals)
                .filter(|(_, t)| t.count() > 0)
                .map(|(n, t)| AgingRow::new(Snapshot::label(n), "", t, scheme, exp))
                .collect();
            sort_by_past_due(&mut rows);
            rows
        };
        let mut customers: Vec<AgingRow> = s
            .customers
            .iter()
            .zip(&report.by_customer)
            .filter(|(_, t)| t.count() > 0)
            .map(|(c, t)| AgingRow::new(&c.name, &c.id, t, scheme, exp))
            .collect();
        sort_by_past_due(&mut customers);
        AgingPage {
            labels: scheme.labels(),
            shares: report
                .total
                .amounts_for(scheme)
                .iter()
                .map(|&m| percent(m, report.total.total()))
                .collect(),
            total,
            by_division: table(named(&s.divisions, &report.by_division)),
            by_collector: table(named(&s.collectors, &report.by_collector)),
            by_customer: table(customers),
        }
    }
}

/// Largest past-due amount first; ties by name so the order is deterministic.
fn sort_by_past_due(rows: &mut [AgingRow]) {
    rows.sort_by(|a, b| {
        b.past_due_minor
            .cmp(&a.past_due_minor)
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.detail.cmp(&b.detail))
    });
}

/// Headline figures of one snapshot, for the index and archive.
#[derive(Serialize, Clone)]
pub struct Headline {
    pub as_of: String,
    pub total_open: String,
    pub past_due: String,
    pub past_due_pct: String,
    pub current: String,
    pub invoices: u32,
    pub customers: usize,
}

impl Headline {
    pub fn new(s: &Snapshot, report: &AgingReport) -> Headline {
        let exp = s.currency.exponent;
        let t = &report.total;
        Headline {
            as_of: s.as_of.to_string(),
            total_open: money(t.total(), exp),
            past_due: money(t.past_due(), exp),
            past_due_pct: percent(t.past_due(), t.total()),
            current: money(t.current(), exp),
            invoices: t.count(),
            customers: report.by_customer.iter().filter(|c| c.count() > 0).count(),
        }
    }
}

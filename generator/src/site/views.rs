//! Headline figures of one snapshot, for the archive index.

use arsite_core::aging::AgingReport;
use arsite_core::format::{money, percent};
use arsite_core::metrics::SnapshotMetrics;
use arsite_core::Snapshot;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Headline {
    pub as_of: String,
    pub total_open: String,
    pub past_due: String,
    pub past_due_pct: String,
    pub dso: String,
    pub invoices: u32,
    pub customers: usize,
}

impl Headline {
    pub fn new(s: &Snapshot, report: &AgingReport, k: &SnapshotMetrics) -> Headline {
        let exp = s.currency.exponent;
        let t = &report.total;
        Headline {
            as_of: s.as_of.to_string(),
            total_open: money(t.total(), exp),
            past_due: money(t.past_due(), exp),
            past_due_pct: percent(t.past_due(), t.total()),
            dso: super::pages::opt_days(k.dso.dso.days()),
            invoices: t.count(),
            customers: k.ar.customer_count as usize,
        }
    }
}

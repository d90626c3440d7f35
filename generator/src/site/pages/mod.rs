//! The report pages of one snapshot. Each module turns the snapshot, its
//! metrics (computed by core) and the history before it into a `Page`.

pub mod bad_debt;
pub mod collectors;
pub mod customers;
pub mod disputes;
pub mod dso;
pub mod overview;
pub mod quality;
pub mod worklist;

pub mod aging;

use super::history::History;
use crate::config::Config;
use arsite_core::ledger::Activity;
use arsite_core::metrics::{Context, SnapshotMetrics};
use arsite_core::Snapshot;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Everything a page of one snapshot may draw on: that snapshot, the data
/// before it, never after.
pub struct Inputs<'a> {
    pub config: &'a Config,
    pub snapshot: &'a Snapshot,
    pub ctx: &'a Context<'a>,
    pub kpis: &'a SnapshotMetrics,
    pub previous: Option<&'a SnapshotMetrics>,
    /// Points up to and including this snapshot.
    pub history: &'a History,
    /// Activity up to the snapshot date, per customer id, by date.
    pub activity_by_customer: &'a HashMap<&'a str, &'a [&'a Activity]>,
}

impl Inputs<'_> {
    pub fn exp(&self) -> u32 {
        self.snapshot.currency.exponent
    }

    pub fn code(&self) -> &str {
        &self.snapshot.currency.code
    }

    pub fn money(&self, m: arsite_core::Money) -> String {
        format!(
            "{} {}",
            arsite_core::format::money(m, self.exp()),
            self.code()
        )
    }

    /// Note shown on every page that uses credit sales, when they were derived.
    pub fn sales_note(&self) -> Option<String> {
        self.kpis.sales_derived.then(|| {
            "Credit sales are derived from the invoices the snapshots and the activity file show \
             (no sales.csv was provided): DSO, CEI and the bad-debt ratio rest on them."
                .to_string()
        })
    }
}

/// A file name for an id (customer or collector) that is safe everywhere
/// and one-to-one: ASCII letters, digits and `-` stay; every other byte
/// becomes `_XX` (hex), `_` included.
pub fn slug(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' {
            out.push(b as char);
        } else {
            out.push_str(&format!("_{b:02X}"));
        }
    }
    if out.is_empty() {
        out.push('_');
    }
    out
}

/// "+1.20" / "-0.50" / "0.00".
pub fn signed(d: Decimal) -> String {
    if d > Decimal::ZERO {
        format!("+{d:.2}")
    } else {
        format!("{d:.2}")
    }
}

/// A DSO figure, or in words why there is none.
pub fn dso_text(v: &arsite_core::metrics::dso::DsoValue) -> String {
    use arsite_core::metrics::dso::DsoValue;
    match v {
        DsoValue::Days { days } => format!("{days:.2} days"),
        DsoValue::InsufficientHistory { months_available } => {
            format!("not available: credit sales cover only {months_available} month(s) back")
        }
        DsoValue::NoSales => "not available: no credit sales to divide by".to_string(),
    }
}

pub fn opt_days(d: Option<Decimal>) -> String {
    d.map_or_else(|| "—".to_string(), |d| format!("{d:.2}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_and_one_to_one() {
        assert_eq!(slug("C00144"), "C00144");
        assert_eq!(slug("a_b"), "a_5Fb");
        assert_eq!(slug("a/b"), "a_2Fb");
        assert_eq!(slug("../x"), "_2E_2E_2Fx");
        assert_eq!(slug("Ü"), "_C3_9C");
        assert_eq!(slug(""), "_");
        assert_ne!(slug("a_2Fb"), slug("a/b"));
    }
}

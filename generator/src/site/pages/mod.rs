//! The report pages of one snapshot. Each module turns the snapshot, its
//! metrics (computed by core) and the history before it into a `Page`.

pub mod bad_debt;
pub mod collectors;
pub mod customers;
pub mod disputes;
pub mod dso;
pub mod lists;
pub mod overview;
pub mod quality;
pub mod worklist;

pub mod aging;

use super::comparison::Comparison;
use super::history::History;
use crate::config::Config;
use arsite_core::activity::{ActivityLog, ActivityRef};
use arsite_core::ledger::ActivityKind;
use arsite_core::metrics::{Context, Details, SnapshotMetrics};
use arsite_core::{Day, Snapshot};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Everything a page of one snapshot may draw on: that snapshot, the data
/// before it, never after.
pub struct Inputs<'a> {
    pub config: &'a Config,
    pub snapshot: &'a Snapshot,
    pub ctx: &'a Context<'a>,
    pub kpis: &'a SnapshotMetrics,
    /// The rows behind core's figures (promise outcomes, dispute cases).
    pub details: &'a Details<'a>,
    /// What the previous snapshot's pages showed, to compare with.
    pub previous: Option<&'a Comparison>,
    /// Points up to and including this snapshot.
    pub history: &'a History,
    pub customer_activity: &'a CustomerActivity<'a>,
}

/// Per customer, the activity rows customer pages and write-off files list
/// (contacts, promises, disputes, placements), in date order. Built once
/// per build: money rows (payments and the like), the bulk of the log, are
/// left out, and each snapshot takes its prefix by binary search.
pub struct CustomerActivity<'a> {
    log: &'a ActivityLog,
    rows: HashMap<&'a str, Vec<u32>>,
}

impl<'a> CustomerActivity<'a> {
    pub fn new(log: &'a ActivityLog) -> CustomerActivity<'a> {
        let mut rows: HashMap<&str, Vec<u32>> = HashMap::new();
        for (i, a) in log.all().iter().enumerate() {
            if Self::listed(a.kind()) {
                let i = u32::try_from(i).expect("fewer than 2^32 activity rows");
                rows.entry(a.customer_id()).or_default().push(i);
            }
        }
        CustomerActivity { log, rows }
    }

    /// Kinds listed per customer.
    pub fn listed(kind: ActivityKind) -> bool {
        matches!(
            kind,
            ActivityKind::Contact
                | ActivityKind::Promise
                | ActivityKind::DisputeOpened
                | ActivityKind::DisputeResolved
                | ActivityKind::Placement
        )
    }

    /// The customer's listed rows dated on or before `day`, oldest first.
    pub fn through(
        &self,
        customer: &str,
        day: Day,
    ) -> impl DoubleEndedIterator<Item = ActivityRef<'a>> + '_ {
        let rows = self.rows.get(customer).map_or(&[][..], Vec::as_slice);
        let end = rows.partition_point(|&i| self.log.get(i as usize).date() <= day);
        rows[..end].iter().map(|&i| self.log.get(i as usize))
    }
}

impl<'a> Inputs<'a> {
    /// The customer's listed activity up to this snapshot's date: later rows
    /// must never reach this snapshot's pages.
    pub fn customer_activity(
        &self,
        customer: &str,
    ) -> impl DoubleEndedIterator<Item = ActivityRef<'a>> + 'a {
        self.customer_activity
            .through(customer, self.snapshot.as_of)
    }

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

/// Bytes of an id kept readable at the front of its file name.
const SLUG_READABLE: usize = 40;

/// The file name stem of a page generated per id (customer, collector).
///
/// The id is untrusted text from the ERP export, so the name is built to be
/// safe on every file system a site is copied to, and bounded:
/// - a readable part: the id's ASCII letters and digits lowercased, every
///   other run of characters one `-`, at most [`SLUG_READABLE`] bytes;
/// - then `-` and 16 hex digits of the id's xxh3-64 hash (of the exact id,
///   case included), so `C1` and `c1` get different names even on
///   case-insensitive file systems, and long non-ASCII names stay short.
///
/// At most 57 bytes, only `[a-z0-9-]`, never a Windows reserved name
/// (`CON`, `NUL`, …: the hash follows), never a trailing dot or space, the
/// same in every build. Generated names always end in `-` + 16 hex digits
/// and fixed names (`index`, table ids) never do, so no id can name a fixed
/// page or CSV; the staging folder refuses a second file of one name as a
/// last line of defence.
pub fn slug(id: &str) -> String {
    let mut out = String::with_capacity(SLUG_READABLE + 17);
    for ch in id.chars() {
        if out.len() >= SLUG_READABLE {
            break;
        }
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    if !out.is_empty() && !out.ends_with('-') {
        out.push('-');
    }
    if out.is_empty() {
        out.push_str("id-");
    }
    out.push_str(&format!(
        "{:016x}",
        xxhash_rust::xxh3::xxh3_64(id.as_bytes())
    ));
    out
}

/// The path of a customer's page from a page of the snapshot folder.
pub fn customer_page(id: &str) -> String {
    format!("customers/{}.html", slug(id))
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
        DsoValue::NegativeSales { month, days_before } => format!(
            "not available: the countback stopped at {month}, a month of negative net sales \
             ({days_before:.2} days counted before it)"
        ),
    }
}

pub fn opt_days(d: Option<Decimal>) -> String {
    d.map_or_else(|| "—".to_string(), |d| format!("{d:.2}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_bounded_and_one_to_one() {
        let hash = |id: &str| format!("{:016x}", xxhash_rust::xxh3::xxh3_64(id.as_bytes()));
        assert_eq!(slug("C00144"), format!("c00144-{}", hash("C00144")));
        assert_eq!(slug("../x"), format!("x-{}", hash("../x")));
        assert_eq!(
            slug("Garcia SAS"),
            format!("garcia-sas-{}", hash("Garcia SAS"))
        );
        assert_eq!(slug(""), format!("id-{}", hash("")));
        assert_eq!(slug("Ü"), format!("id-{}", hash("Ü")));
        // Case-insensitive file systems: C1 and c1 differ after lowercasing.
        assert_ne!(slug("C1").to_lowercase(), slug("c1").to_lowercase());
        assert_ne!(slug("a_b"), slug("a/b"));
        // A 48-character Cyrillic name (270 bytes escaped before) stays short.
        let long = "Общество с ограниченной ответственностью Ромашка";
        assert!(slug(long).len() <= 57, "{}", slug(long));
        let ascii_long = "x".repeat(500);
        assert_eq!(slug(&ascii_long).len(), SLUG_READABLE + 1 + 16);
        // Windows reserved names and trailing dots never survive as a name.
        for id in [
            "CON",
            "nul",
            "com1",
            "LPT9",
            "a.",
            "b ",
            "index",
            "index--customers",
        ] {
            let s = slug(id);
            assert!(s.len() > id.len() + 10, "{id} -> {s}");
            assert!(s
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            assert!(!s.ends_with('.') && !s.ends_with(' '));
        }
    }
}

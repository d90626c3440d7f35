//! The dashboard's whole view state and its URL query form.
//!
//! Everything the user chose — view, filters, drill-down, sort orders,
//! compared snapshot — lives in the query string, so a reload, back/forward
//! or a pasted link shows exactly the same view. Names travel as names (not
//! indices) so the same query works on every snapshot's page. The text form
//! is canonical (fixed order, defaults left out): equal states give equal
//! URLs, which keeps the history free of duplicate entries.
//!
//! Kept in `core` (pure string handling) so it is unit-tested natively; the
//! static pages' filter bars read the same parameter names.

use crate::portfolio::Kpi;
use crate::select::{sort_indices, CustomerOrder, InvoiceOrder, Query};
use crate::{Day, Money, Status};

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum View {
    /// Aging buckets and the divisions (top of the drill-down).
    #[default]
    Overview,
    Scorecard,
    Customers,
    Invoices,
    Compare,
}

impl View {
    pub const ALL: [View; 5] = [
        View::Overview,
        View::Scorecard,
        View::Customers,
        View::Invoices,
        View::Compare,
    ];

    pub fn key(self) -> &'static str {
        match self {
            View::Overview => "overview",
            View::Scorecard => "scorecard",
            View::Customers => "customers",
            View::Invoices => "invoices",
            View::Compare => "compare",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            View::Overview => "Aging",
            View::Scorecard => "Scorecard",
            View::Customers => "Customers",
            View::Invoices => "Invoices",
            View::Compare => "Compare",
        }
    }

    pub fn from_key(key: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.key() == key)
    }
}

/// A sort: the column and whether it runs largest first.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Sort<K> {
    pub key: K,
    pub descending: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewState {
    pub view: View,
    pub query: Query,
    pub scorecard_sort: Sort<Kpi>,
    pub customer_sort: Sort<CustomerOrder>,
    pub invoice_sort: Sort<InvoiceOrder>,
    /// The other snapshot of the compare view.
    pub compare: Option<Day>,
}

impl Default for ViewState {
    fn default() -> Self {
        ViewState {
            view: View::Overview,
            query: Query::default(),
            scorecard_sort: Sort {
                key: Kpi::PastDue,
                descending: true,
            },
            customer_sort: Sort {
                key: CustomerOrder::Open,
                descending: true,
            },
            invoice_sort: Sort {
                key: InvoiceOrder::Grouped,
                descending: false,
            },
            compare: None,
        }
    }
}

fn sort_text(key: &str, descending: bool) -> String {
    if descending {
        format!("-{key}")
    } else {
        key.to_string()
    }
}

fn parse_sort<K>(text: &str, from_key: fn(&str) -> Option<K>) -> Option<Sort<K>> {
    let (descending, key) = match text.strip_prefix('-') {
        Some(k) => (true, k),
        None => (false, text),
    };
    from_key(key).map(|key| Sort { key, descending })
}

impl ViewState {
    /// Reads a query string (with or without the leading `?`). Unknown
    /// parameters and values that do not parse are ignored, so an old or
    /// hand-edited link still opens.
    pub fn from_query(text: &str, exponent: u32) -> ViewState {
        let mut s = ViewState::default();
        let q = &mut s.query;
        for (key, value) in pairs(text.strip_prefix('?').unwrap_or(text)) {
            match key.as_str() {
                "view" => s.view = View::from_key(&value).unwrap_or_default(),
                "div" => q.divisions.push(value),
                "col" => q.collectors.push(value),
                "q" => q.search = value,
                "cust" if !value.is_empty() => q.customer = Some(value),
                "bucket" => {
                    if let Ok(b) = value.parse::<u8>() {
                        if usize::from(b) < crate::aging::MAX_BUCKETS {
                            q.buckets.push(b);
                        }
                    }
                }
                "status" => q
                    .statuses
                    .extend(Status::ALL.into_iter().find(|st| st.as_str() == value)),
                "min" => q.open_min = Money::parse_plain(&value, exponent).ok(),
                "max" => q.open_max = Money::parse_plain(&value, exponent).ok(),
                "dpdmin" => q.dpd_min = value.trim().parse().ok(),
                "dpdmax" => q.dpd_max = value.trim().parse().ok(),
                "ssort" => {
                    if let Some(v) = parse_sort(&value, Kpi::from_key) {
                        s.scorecard_sort = v;
                    }
                }
                "csort" => {
                    if let Some(v) = parse_sort(&value, CustomerOrder::from_key) {
                        s.customer_sort = v;
                    }
                }
                "isort" => {
                    if let Some(v) = parse_sort(&value, InvoiceOrder::from_key) {
                        s.invoice_sort = v;
                    }
                }
                "cmp" => s.compare = Day::parse_iso(&value),
                _ => {}
            }
        }
        s.normalize();
        s
    }

    /// Sorted, deduplicated lists: one state, one URL.
    pub fn normalize(&mut self) {
        let q = &mut self.query;
        sort_dedup(&mut q.divisions);
        sort_dedup(&mut q.collectors);
        // Small closed sets: rebuilt in their natural order.
        let buckets = std::mem::take(&mut q.buckets);
        q.buckets = (0..crate::aging::MAX_BUCKETS as u8)
            .filter(|b| buckets.contains(b))
            .collect();
        let statuses = std::mem::take(&mut q.statuses);
        q.statuses = Status::ALL
            .into_iter()
            .filter(|s| statuses.contains(s))
            .collect();
    }

    /// The canonical query string, without `?`; empty for the default view.
    pub fn to_query(&self, exponent: u32) -> String {
        let d = ViewState::default();
        let q = &self.query;
        let mut out: Vec<(&str, String)> = Vec::new();
        if self.view != d.view {
            out.push(("view", self.view.key().into()));
        }
        out.extend(q.divisions.iter().map(|v| ("div", v.clone())));
        out.extend(q.collectors.iter().map(|v| ("col", v.clone())));
        if !q.search.is_empty() {
            out.push(("q", q.search.clone()));
        }
        if let Some(c) = &q.customer {
            out.push(("cust", c.clone()));
        }
        out.extend(q.buckets.iter().map(|b| ("bucket", b.to_string())));
        out.extend(q.statuses.iter().map(|st| ("status", st.as_str().into())));
        let money = |m: Money| m.to_decimal(exponent).to_string();
        if let Some(m) = q.open_min {
            out.push(("min", money(m)));
        }
        if let Some(m) = q.open_max {
            out.push(("max", money(m)));
        }
        if let Some(v) = q.dpd_min {
            out.push(("dpdmin", v.to_string()));
        }
        if let Some(v) = q.dpd_max {
            out.push(("dpdmax", v.to_string()));
        }
        if self.scorecard_sort != d.scorecard_sort {
            let s = self.scorecard_sort;
            out.push(("ssort", sort_text(s.key.key(), s.descending)));
        }
        if self.customer_sort != d.customer_sort {
            let s = self.customer_sort;
            out.push(("csort", sort_text(s.key.key(), s.descending)));
        }
        if self.invoice_sort != d.invoice_sort {
            let s = self.invoice_sort;
            out.push(("isort", sort_text(s.key.key(), s.descending)));
        }
        if let Some(day) = self.compare {
            out.push(("cmp", iso_date(day)));
        }
        let mut text = String::new();
        for (k, v) in &out {
            if !text.is_empty() {
                text.push('&');
            }
            text.push_str(k);
            text.push('=');
            text.push_str(&encode(v));
        }
        text
    }
}

/// Sorts and deduplicates names through [`sort_indices`] (one sort routine
/// in the dashboard's wasm instead of one per element type).
fn sort_dedup(v: &mut Vec<String>) {
    let mut order: Vec<u32> = (0..v.len() as u32).collect();
    sort_indices(&mut order, &|a, b| v[a as usize].cmp(&v[b as usize]));
    let mut sorted: Vec<String> = order
        .iter()
        .map(|&i| std::mem::take(&mut v[i as usize]))
        .collect();
    sorted.dedup();
    *v = sorted;
}

/// `YYYY-MM-DD`, written without chrono's format machinery (its pattern
/// parser alone would add kilobytes to the dashboard's wasm).
pub fn iso_date(day: Day) -> String {
    use chrono::Datelike;
    let d = day.date();
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// `key=value` pairs of an `application/x-www-form-urlencoded` string.
pub fn pairs(text: &str) -> impl Iterator<Item = (String, String)> + '_ {
    text.split('&').filter(|p| !p.is_empty()).map(|p| {
        let (k, v) = p.split_once('=').unwrap_or((p, ""));
        (decode(k), decode(v))
    })
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Reverses [`encode`] (and form encoding's `+` for space); malformed
/// escapes are kept as they are.
pub fn decode(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn default_state_is_the_empty_query() {
        assert_eq!(ViewState::default().to_query(2), "");
        assert_eq!(ViewState::from_query("", 2), ViewState::default());
        assert_eq!(ViewState::from_query("?", 2), ViewState::default());
    }

    #[test]
    fn a_full_state_round_trips_and_reads_as_expected() {
        let text = "view=invoices&div=&div=North&col=Ann%20Smith&col=O%27Brien%20%26%20Co&q=m%C3%BCller%2B&cust=C-1&bucket=2&bucket=5&status=disputed&status=legal&min=-10.5&max=2500&dpdmin=-3&dpdmax=120&ssort=over_90_percent&csort=-name&isort=-open&cmp=2026-09-30";
        let s = ViewState::from_query(text, 2);
        assert_eq!(s.view, View::Invoices);
        assert_eq!(s.query.divisions, ["", "North"]);
        assert_eq!(s.query.collectors, ["Ann Smith", "O'Brien & Co"]);
        assert_eq!(s.query.search, "müller+");
        assert_eq!(s.query.customer.as_deref(), Some("C-1"));
        assert_eq!(s.query.buckets, [2, 5]);
        assert_eq!(s.query.statuses, [Status::Disputed, Status::Legal]);
        assert_eq!(s.query.open_min, Some(Money(-1050)));
        assert_eq!(s.query.open_max, Some(Money(250_000)));
        assert_eq!((s.query.dpd_min, s.query.dpd_max), (Some(-3), Some(120)));
        assert_eq!(s.scorecard_sort.key, Kpi::Over90Percent);
        assert!(!s.scorecard_sort.descending);
        assert!(s.customer_sort.descending);
        assert_eq!(s.invoice_sort.key, InvoiceOrder::Open);
        assert_eq!(s.compare, Day::parse_iso("2026-09-30"));
        let again = ViewState::from_query(&s.to_query(2), 2);
        assert_eq!(again, s);
        assert_eq!(s.to_query(2), again.to_query(2));
    }

    #[test]
    fn iso_dates_match_the_display_form() {
        for text in ["1970-01-01", "2026-02-28", "2024-02-29", "0999-12-31"] {
            let d = Day::parse_iso(text).unwrap();
            assert_eq!(iso_date(d), d.to_string());
            assert_eq!(iso_date(d), text);
        }
    }

    #[test]
    fn garbage_is_ignored_not_fatal() {
        let s = ViewState::from_query(
            "view=nope&bucket=99&min=1,000&status=paid&%ZZ=1&cmp=2026-02-30",
            2,
        );
        assert_eq!(s, ViewState::default());
        assert_eq!(decode("%ZZ%4"), "%ZZ%4");
        assert_eq!(decode("a+b%20c"), "a b c");
    }

    proptest! {
        #[test]
        fn any_text_survives_encoding(text in ".{0,40}") {
            prop_assert_eq!(decode(&encode(&text)), text);
        }

        /// Every field of the view state: view, every filter of the
        /// query, the three sorts both ways, the compared snapshot.
        #[test]
        fn any_state_round_trips(
            (view, divs, cols, search, customer) in (
                0usize..5,
                prop::collection::vec(".{0,12}", 0..4),
                prop::collection::vec(".{0,12}", 0..4),
                ".{0,12}",
                prop::option::of(".{1,12}"),
            ),
            (buckets, statuses) in (
                prop::collection::vec(0u8..crate::aging::MAX_BUCKETS as u8, 0..9),
                prop::collection::vec(0usize..5, 0..6),
            ),
            (min, max, dpd_min, dpd_max) in (
                prop::option::of(prop_oneof![-1_000_000i64..1_000_000, -i64::MAX..=i64::MAX]),
                prop::option::of(prop_oneof![-1_000_000i64..1_000_000, -i64::MAX..=i64::MAX]),
                prop::option::of(any::<i32>()),
                prop::option::of(any::<i32>()),
            ),
            (ssort, csort, isort, desc) in (0usize..8, 0usize..6, 0usize..5, any::<[bool; 3]>()),
            compare in prop::option::of(
                Day::from_ymd(0, 1, 1).unwrap().0..=Day::from_ymd(9999, 12, 31).unwrap().0,
            ),
            exponent in 0u32..4,
        ) {
            let mut s = ViewState {
                view: View::ALL[view],
                query: Query {
                    divisions: divs,
                    collectors: cols,
                    search,
                    customer,
                    buckets,
                    statuses: statuses.into_iter().map(|i| Status::ALL[i]).collect(),
                    open_min: min.map(Money),
                    open_max: max.map(Money),
                    dpd_min,
                    dpd_max,
                },
                scorecard_sort: Sort { key: Kpi::ALL[ssort], descending: desc[0] },
                customer_sort: Sort { key: CustomerOrder::ALL[csort], descending: desc[1] },
                invoice_sort: Sort { key: InvoiceOrder::ALL[isort], descending: desc[2] },
                compare: compare.map(Day),
            };
            s.normalize();
            let text = s.to_query(exponent);
            prop_assert_eq!(ViewState::from_query(&text, exponent), s.clone(), "{}", text);
            // Canonical: the text read back writes the same text.
            prop_assert_eq!(ViewState::from_query(&text, exponent).to_query(exponent), text);
        }
    }
}

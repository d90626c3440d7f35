//! Every column of a snapshot CSV, read without `arsite-core` (plain `csv`,
//! `rust_decimal`, `chrono`), for the expected side of the dashboard's
//! browser tests: filters, compare, export. Included by those test files
//! with `#[path]`; compiled on its own it checks itself against the
//! shared reference reader.

#![allow(dead_code)]

use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::str::FromStr;

#[derive(Debug, Clone)]
pub struct Item {
    pub invoice_id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub due_date: NaiveDate,
    pub amount: Decimal,
    pub open: Decimal,
    pub division: String,
    pub collector: String,
    pub status: String,
}

pub struct Snap {
    pub as_of: NaiveDate,
    pub items: Vec<Item>,
}

/// Days past due and the standard bucket (Current, 1–30, …, 121+).
pub fn dpd(as_of: NaiveDate, due: NaiveDate) -> i64 {
    (as_of - due).num_days()
}

pub fn bucket_of(dpd: i64) -> usize {
    match dpd {
        d if d <= 0 => 0,
        1..=30 => 1,
        31..=60 => 2,
        61..=90 => 3,
        91..=120 => 4,
        _ => 5,
    }
}

impl Snap {
    pub fn read(path: &Path) -> Snap {
        let stem = path.file_stem().unwrap().to_str().unwrap();
        let as_of = NaiveDate::parse_from_str(stem, "%Y-%m-%d").unwrap();
        let mut reader = csv::Reader::from_path(path).unwrap();
        let headers = reader.headers().unwrap().clone();
        let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
        let need = |name: &str| col(name).unwrap_or_else(|| panic!("no column {name}"));
        let (id, cid, cname, due, amount, open) = (
            need("invoice_id"),
            need("customer_id"),
            need("customer_name"),
            need("due_date"),
            need("amount"),
            need("open_amount"),
        );
        let (div, coll, status) = (col("division"), col("collector"), col("status"));
        let text = |r: &csv::StringRecord, c: Option<usize>| {
            c.map_or(String::new(), |c| r[c].trim().to_string())
        };
        // A customer keeps the first name seen for its id.
        let mut names: HashMap<String, String> = HashMap::new();
        let items = reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                let name = names
                    .entry(r[cid].to_string())
                    .or_insert_with(|| r[cname].to_string())
                    .clone();
                let st = text(&r, status).to_lowercase();
                Item {
                    invoice_id: r[id].to_string(),
                    customer_id: r[cid].to_string(),
                    customer_name: name,
                    due_date: NaiveDate::parse_from_str(&r[due], "%Y-%m-%d").unwrap(),
                    amount: Decimal::from_str(&r[amount]).unwrap(),
                    open: Decimal::from_str(&r[open]).unwrap(),
                    division: text(&r, div),
                    collector: text(&r, coll),
                    status: if st.is_empty() { "open".into() } else { st },
                }
            })
            .collect();
        Snap { as_of, items }
    }

    pub fn dpd(&self, i: &Item) -> i64 {
        dpd(self.as_of, i.due_date)
    }

    pub fn bucket(&self, i: &Item) -> usize {
        bucket_of(self.dpd(i))
    }

    pub fn select<'a>(
        &'a self,
        keep: impl Fn(&Item) -> bool + 'a,
    ) -> impl Iterator<Item = &'a Item> + 'a {
        self.items.iter().filter(move |i| keep(i))
    }

    /// (total open, item count, open per bucket) of a selection.
    pub fn totals(&self, keep: impl Fn(&Item) -> bool) -> (Decimal, usize, [Decimal; 6]) {
        let mut b = [Decimal::ZERO; 6];
        let mut n = 0;
        for i in self.items.iter().filter(|i| keep(i)) {
            b[self.bucket(i)] += i.open;
            n += 1;
        }
        (b.iter().copied().sum(), n, b)
    }

    pub fn distinct(&self, f: impl Fn(&Item) -> &str) -> Vec<String> {
        let set: BTreeSet<&str> = self.items.iter().map(f).collect();
        set.into_iter().map(str::to_string).collect()
    }

    /// Open amount per customer id within a selection.
    pub fn by_customer(&self, keep: impl Fn(&Item) -> bool) -> BTreeMap<String, Decimal> {
        let mut m = BTreeMap::new();
        for i in self.items.iter().filter(|i| keep(i)) {
            *m.entry(i.customer_id.clone()).or_insert(Decimal::ZERO) += i.open;
        }
        m
    }
}

/// The label the dashboard shows for a division or collector name.
pub fn label(name: &str) -> &str {
    if name.is_empty() {
        "(unassigned)"
    } else {
        name
    }
}

#[test]
fn agrees_with_the_shared_reference_reader() {
    let files = arsite_e2e::reference::snapshot_files(&arsite_e2e::sample_data());
    let path = files.last().unwrap();
    let full = Snap::read(path);
    let shared = arsite_e2e::reference::SnapshotCsv::read(path);
    assert_eq!(full.totals(|_| true).0, shared.total(|_| true));
    assert_eq!(full.items.len(), shared.rows.len());
    let buckets = shared.buckets(|_| true);
    assert_eq!(full.totals(|_| true).2, buckets);
}

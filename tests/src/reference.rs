//! A second, independent computation of snapshot figures straight from the
//! CSV text, used as the expected side of end-to-end assertions.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

#[derive(Debug, Clone)]
pub struct Row {
    pub invoice_id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub due_date: NaiveDate,
    pub open: Decimal,
    pub division: String,
    pub collector: String,
}

pub struct SnapshotCsv {
    pub as_of: NaiveDate,
    pub rows: Vec<Row>,
}

/// The standard buckets written out by hand: Current (≤ 0 days past due),
/// then 1–30, 31–60, 61–90, 91–120, 121+.
pub const LABELS: [&str; 6] = ["Current", "1–30", "31–60", "61–90", "91–120", "121+"];

pub fn bucket(as_of: NaiveDate, due: NaiveDate) -> usize {
    match (as_of - due).num_days() {
        d if d <= 0 => 0,
        1..=30 => 1,
        31..=60 => 2,
        61..=90 => 3,
        91..=120 => 4,
        _ => 5,
    }
}

impl SnapshotCsv {
    pub fn read(path: &Path) -> SnapshotCsv {
        let stem = path.file_stem().unwrap().to_str().unwrap();
        let as_of = NaiveDate::parse_from_str(stem, "%Y-%m-%d").unwrap();
        let mut reader = csv::Reader::from_path(path).unwrap();
        let headers = reader.headers().unwrap().clone();
        let col = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .unwrap_or_else(|| panic!("no {name}"))
        };
        let (id, cid, cname, due, open, div, coll) = (
            col("invoice_id"),
            col("customer_id"),
            col("customer_name"),
            col("due_date"),
            col("open_amount"),
            col("division"),
            col("collector"),
        );
        let rows = reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                Row {
                    invoice_id: r[id].to_string(),
                    customer_id: r[cid].to_string(),
                    customer_name: r[cname].to_string(),
                    due_date: NaiveDate::parse_from_str(&r[due], "%Y-%m-%d").unwrap(),
                    open: Decimal::from_str(&r[open]).unwrap(),
                    division: r[div].to_string(),
                    collector: r[coll].to_string(),
                }
            })
            .collect();
        SnapshotCsv { as_of, rows }
    }

    pub fn total(&self, keep: impl Fn(&Row) -> bool) -> Decimal {
        self.rows.iter().filter(|r| keep(r)).map(|r| r.open).sum()
    }

    pub fn buckets(&self, keep: impl Fn(&Row) -> bool) -> [Decimal; 6] {
        let mut b = [Decimal::ZERO; 6];
        for r in self.rows.iter().filter(|r| keep(r)) {
            b[bucket(self.as_of, r.due_date)] += r.open;
        }
        b
    }

    /// Open amount per customer name within a selection.
    pub fn by_customer(&self, keep: impl Fn(&Row) -> bool) -> BTreeMap<String, Decimal> {
        let mut m = BTreeMap::new();
        for r in self.rows.iter().filter(|r| keep(r)) {
            *m.entry(r.customer_name.clone()).or_insert(Decimal::ZERO) += r.open;
        }
        m
    }

    pub fn collectors(&self) -> Vec<String> {
        let mut v: Vec<String> = self.rows.iter().map(|r| r.collector.clone()).collect();
        v.sort();
        v.dedup();
        v
    }
}

/// Snapshot files of a data folder, oldest first.
pub fn snapshot_files(data: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(data.join("snapshots"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    v.sort();
    v
}

/// Reads a displayed amount such as "-12,345.67" back into a decimal.
pub fn parse_shown(text: &str) -> Decimal {
    Decimal::from_str(&text.trim().replace(',', ""))
        .unwrap_or_else(|_| panic!("not an amount: {text:?}"))
}

//! A deterministic synthetic company for demos, tests and benchmarks.
//!
//! [`write_sample`] simulates invoicing and collections day by day — prompt,
//! slow, chronically late, disputing and failing customers, promises,
//! disputes, credit memos, unapplied cash, agency placements, write-offs —
//! and writes what an ERP export would show: month-end open-item snapshots
//! plus the sales and activity that explain how one snapshot rolls into the
//! next. For consecutive snapshots `prev` and `cur`, exactly:
//!
//! ```text
//! AR(cur) = AR(prev) + invoices − payments − credit memos − write-offs
//! ```
//!
//! with every flow dated in `(prev, cur]` (invoices from `sales.csv`, the
//! rest from `activity.csv`).
//!
//! The same options give byte-identical files on every machine: all
//! randomness comes from a seeded ChaCha8 generator, nothing reads the clock
//! and all output follows ordered collections.

mod calendar;
mod company;
pub mod exports;
mod ledger;
mod names;
mod output;
mod rng;
mod sim;

#[cfg(test)]
mod tests;

pub use exports::{write_sample_as, ExportFormat};

use anyhow::{Context, Result};
use chrono::NaiveDate;
use std::path::Path;

/// What to simulate.
#[derive(Clone, Debug)]
pub struct SampleOptions {
    pub seed: u64,
    pub customers: usize,
    /// Number of month-end snapshots.
    pub months: u32,
    pub divisions: usize,
    pub collectors: usize,
    /// Approximate number of open items per snapshot; `None` gives the
    /// natural 4–8 per customer.
    pub invoices_per_snapshot: Option<usize>,
    /// Date of the final snapshot (normally a month-end); earlier snapshots
    /// are the preceding month-ends.
    pub last_snapshot: NaiveDate,
    pub title: String,
    pub currency: String,
}

impl Default for SampleOptions {
    fn default() -> Self {
        SampleOptions {
            seed: 42,
            customers: 150,
            months: 12,
            divisions: 3,
            collectors: 6,
            invoices_per_snapshot: None,
            last_snapshot: NaiveDate::from_ymd_opt(2026, 10, 31).expect("valid date"),
            title: "Northwind Components (sample)".to_string(),
            currency: "EUR".to_string(),
        }
    }
}

/// What was written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SampleSummary {
    pub snapshots: usize,
    /// Rows over all snapshot files.
    pub invoice_rows: u64,
    pub activity_rows: u64,
    pub bytes_written: u64,
}

/// Simulates the company and writes `arsite.toml`, `snapshots/*.csv`,
/// `sales.csv`, `customers.csv` and `activity.csv` into `out_dir` (created if
/// missing; existing files of the same names are overwritten, other files are
/// left alone).
pub fn write_sample(opts: &SampleOptions, out_dir: &Path) -> Result<SampleSummary> {
    let cal = calendar::Calendar::new(opts.last_snapshot, opts.months)?;
    let company = company::Company::build(opts, &cal)?;
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("sample: cannot create {}", out_dir.display()))?;
    output::write_config(out_dir, &opts.title, &opts.currency)?;

    let ids = ledger::IdFormat::for_yearly_volume(company.yearly_invoices());
    let sink = output::Sink::new(&cal, ids, &opts.currency, out_dir)?;
    let outcome = sim::run(&cal, company, sink, opts.seed)?;

    output::write_sales(out_dir, &cal, &outcome.company, &outcome.sales)?;
    output::write_customers(out_dir, &outcome.company)?;
    let mut summary = SampleSummary {
        snapshots: outcome.sink.snapshots,
        invoice_rows: outcome.sink.snapshot_rows,
        activity_rows: outcome.sink.activity_rows,
        bytes_written: 0,
    };
    outcome.sink.finish()?;
    summary.bytes_written = bytes_written(out_dir, &cal)?;
    Ok(summary)
}

/// Sizes of the files this run wrote (not of anything else in `out_dir`).
fn bytes_written(out_dir: &Path, cal: &calendar::Calendar) -> Result<u64> {
    let fixed = ["arsite.toml", "sales.csv", "customers.csv", "activity.csv"]
        .iter()
        .map(|name| out_dir.join(name));
    let snapshots = cal.snapshot_days.iter().map(|&d| {
        out_dir
            .join("snapshots")
            .join(format!("{}.csv", cal.label(d)))
    });
    fixed.chain(snapshots).try_fold(0, |total, path| {
        let meta = std::fs::metadata(&path)
            .with_context(|| format!("sample: cannot stat {}", path.display()))?;
        Ok(total + meta.len())
    })
}

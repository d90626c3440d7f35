//! Reading a data folder: discovering its files and parsing them into the
//! core model. Every problem names file, line and column.

pub mod ledger_csv;
pub mod problem;
pub mod snapshot_csv;
pub mod table;

use crate::config::Config;
use anyhow::{bail, Context, Result};
use arsite_core::ledger::{Activity, CustomerInfo, SalesLedger};
use arsite_core::Day;
use std::path::{Path, PathBuf};

pub use problem::{Problem, Problems};

/// One snapshot file and the date its name gives.
#[derive(Debug, Clone)]
pub struct SnapshotFile {
    pub as_of: Day,
    pub path: PathBuf,
}

/// A data folder: its settings, its snapshot files (oldest first; read one
/// at a time by the build) and the optional ledgers (read whole: they are
/// small next to the snapshots).
#[derive(Debug)]
pub struct DataSet {
    pub dir: PathBuf,
    pub config: Config,
    pub snapshots: Vec<SnapshotFile>,
    pub sales: SalesLedger,
    pub activity: Vec<Activity>,
    pub customers: Vec<CustomerInfo>,
}

impl DataSet {
    pub fn open(dir: &Path) -> Result<DataSet> {
        if !dir.is_dir() {
            bail!("{}: no such data folder", dir.display());
        }
        let config = Config::load(dir)?;
        let snapshots = discover_snapshots(&dir.join("snapshots"))?;
        let currency = &config.currency;
        let mut problems = Vec::new();
        let optional =
            |name: &str| -> Option<PathBuf> { Some(dir.join(name)).filter(|p| p.is_file()) };
        let sales = optional("sales.csv")
            .map(|p| collect(ledger_csv::read_sales(&p, currency), &mut problems));
        let activity = optional("activity.csv")
            .map(|p| collect(ledger_csv::read_activity(&p, currency), &mut problems));
        let customers = optional("customers.csv")
            .map(|p| collect(ledger_csv::read_customers(&p, currency), &mut problems));
        if !problems.is_empty() {
            return Err(Problems(problems).into());
        }
        let mut activity = activity.unwrap_or_default();
        // Stable: rows of one day keep their file order.
        activity.sort_by_key(|a| a.date);
        Ok(DataSet {
            dir: dir.to_path_buf(),
            config,
            snapshots,
            sales: SalesLedger::new(sales.unwrap_or_default()),
            activity,
            customers: customers.unwrap_or_default(),
        })
    }
}

/// The rows of a file, its problems moved into `problems`.
fn collect<T>(result: Result<Vec<T>, Problems>, problems: &mut Vec<Problem>) -> Vec<T> {
    result.unwrap_or_else(|Problems(p)| {
        problems.extend(p);
        Vec::new()
    })
}

/// `snapshots/YYYY-MM-DD.csv`, sorted by date. Any other file there is an
/// error rather than silently ignored: it is most likely a misnamed snapshot.
fn discover_snapshots(dir: &Path) -> Result<Vec<SnapshotFile>> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("{}: cannot read the snapshots folder", dir.display()))?;
    let mut found = Vec::new();
    let mut misnamed = Vec::new();
    for entry in entries {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        match name.strip_suffix(".csv").and_then(Day::parse_iso) {
            Some(as_of) if path.is_file() => found.push(SnapshotFile { as_of, path }),
            _ => misnamed.push(path),
        }
    }
    if let Some(first) = misnamed.first() {
        bail!(
            "{}: error: expected snapshot files named YYYY-MM-DD.csv (the snapshot date) in {}",
            first.display(),
            dir.display()
        );
    }
    if found.is_empty() {
        bail!(
            "{}: error: no snapshot files (expected YYYY-MM-DD.csv)",
            dir.display()
        );
    }
    found.sort_by_key(|s| s.as_of);
    Ok(found)
}

//! Reading a data folder: discovering its files and parsing them into the
//! core model. Every problem names file, line and column.

pub mod problem;
pub mod snapshot_csv;

use crate::config::Config;
use anyhow::{bail, Context, Result};
use arsite_core::Day;
use std::path::{Path, PathBuf};

pub use problem::{Problem, Problems};

/// One snapshot file and the date its name gives.
#[derive(Debug, Clone)]
pub struct SnapshotFile {
    pub as_of: Day,
    pub path: PathBuf,
}

/// A data folder: its settings and its snapshot files, oldest first.
#[derive(Debug)]
pub struct DataSet {
    pub dir: PathBuf,
    pub config: Config,
    pub snapshots: Vec<SnapshotFile>,
}

impl DataSet {
    pub fn open(dir: &Path) -> Result<DataSet> {
        if !dir.is_dir() {
            bail!("{}: no such data folder", dir.display());
        }
        let config = Config::load(dir)?;
        let snapshots = discover_snapshots(&dir.join("snapshots"))?;
        Ok(DataSet {
            dir: dir.to_path_buf(),
            config,
            snapshots,
        })
    }
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
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
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
        bail!("{}: error: no snapshot files (expected YYYY-MM-DD.csv)", dir.display());
    }
    found.sort_by_key(|s| s.as_of);
    Ok(found)
}

//! Reading a data folder: discovering its files and parsing them into the
//! core model, canonical files or ERP exports through `[import]` mappings.
//! Every problem names file, line and column; unusable rows are kept with
//! their problems and amounts (see [`quality`]) rather than dropped.
//!
//! The build reads snapshots one at a time with [`DataSet::read_snapshot`],
//! so only one snapshot's invoices are in memory at once.

pub mod customer_master;
pub mod date;
pub mod fuzzing;
pub mod layout;
pub mod ledger_csv;
pub mod number;
pub mod preset;
pub mod problem;
pub mod quality;
pub mod recognise;
pub mod rejection;
pub mod rules;
pub mod snapshot_csv;
pub mod source;
pub mod spec;
pub mod table;
pub mod workbook;

#[cfg(test)]
mod prop_tests;

use crate::config::{Config, FILE_NAME};
use anyhow::Result;
use arsite_core::activity::ActivityLog;
use arsite_core::ledger::{CustomerInfo, SalesLedger};
use arsite_core::Day;
use std::fmt;
use std::path::{Path, PathBuf};

pub use problem::{Kind, Problem, Problems, Summary};
pub use quality::{FileQuality, RejectedRow};
pub use snapshot_csv::{Converted, SnapshotImport};
pub use spec::{AsOf, InputSpec};

/// The data folder or its settings cannot be used at all, or the output
/// folder cannot be written now. The exit codes follow BSD's sysexits: 66
/// (no input), 78 (configuration), 75 (temporary failure: another build is
/// writing the output folder; try again).
#[derive(Debug)]
pub enum InputError {
    Missing(String),
    Config(String),
    Busy(String),
}

impl InputError {
    pub fn exit_code(&self) -> u8 {
        match self {
            InputError::Missing(_) => 66,
            InputError::Config(_) => 78,
            InputError::Busy(_) => 75,
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Missing(m) | InputError::Config(m) | InputError::Busy(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for InputError {}

/// The exit code for an error from reading or building: 65 for data
/// problems, 66 for missing input, 78 for bad settings, 75 for an output
/// folder another build is writing, 1 otherwise.
pub fn exit_code(error: &anyhow::Error) -> u8 {
    for cause in error.chain() {
        if cause.downcast_ref::<Problems>().is_some() {
            return 65;
        }
        if let Some(e) = cause.downcast_ref::<InputError>() {
            return e.exit_code();
        }
    }
    1
}

/// How strictly to read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Any problem fails the read (`--strict`); otherwise unusable rows are
    /// rejected into the data-quality report and the rest is used.
    pub strict: bool,
}

/// One snapshot file and the date it holds.
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
    pub options: ImportOptions,
    pub snapshots: Vec<SnapshotFile>,
    pub sales: SalesLedger,
    pub activity: ActivityLog,
    pub customers: Vec<CustomerInfo>,
    /// What became of the rows of each ledger file read (sales, activity,
    /// customers, in that order, present files only).
    pub ledgers: Vec<FileQuality>,
}

impl DataSet {
    /// Opens a folder in the default mode: rows with problems are rejected
    /// and reported, the rest is used.
    pub fn open(dir: &Path) -> Result<DataSet> {
        DataSet::open_with(dir, ImportOptions::default())
    }

    /// Errors: [`InputError`] for a missing folder, settings file or
    /// snapshots, or invalid settings; [`Problems`] for files that cannot be
    /// read at all (and, when strict, for any problem in the ledgers).
    pub fn open_with(dir: &Path, options: ImportOptions) -> Result<DataSet> {
        let config = load_config(dir)?;
        let snapshots = discover_snapshots(&dir.join("snapshots"), &config.import.snapshots)?;
        let currency = &config.currency;
        let imports = &config.import;
        let mut ledgers = Vec::new();
        let mut fatal = Vec::new();
        let sales = match ledger_path(dir, "sales", &imports.sales)? {
            Some(p) => keep(
                ledger_csv::read_sales_with(&p, source::Input::Path(&p), &imports.sales, currency),
                &mut ledgers,
                &mut fatal,
            ),
            None => Vec::new(),
        };
        // Sorted by date (stably) as it is built.
        let activity = match ledger_path(dir, "activity", &imports.activity)? {
            Some(p) => keep(
                ledger_csv::read_activity_with(
                    &p,
                    source::Input::Path(&p),
                    &imports.activity,
                    currency,
                ),
                &mut ledgers,
                &mut fatal,
            ),
            None => ActivityLog::default(),
        };
        let customers = match ledger_path(dir, "customers", &imports.customers)? {
            Some(p) => keep(
                ledger_csv::read_customers_with(
                    &p,
                    source::Input::Path(&p),
                    &imports.customers,
                    currency,
                ),
                &mut ledgers,
                &mut fatal,
            ),
            None => Vec::new(),
        };
        if options.strict {
            fatal.extend(ledgers.iter().flat_map(|q| q.problems().cloned()));
        }
        if !fatal.is_empty() {
            return Err(Problems(fatal).into());
        }
        Ok(DataSet {
            dir: dir.to_path_buf(),
            config,
            options,
            snapshots,
            sales: SalesLedger::new(sales),
            activity,
            customers,
            ledgers,
        })
    }

    /// The snapshot files of a data folder, without reading any of them or
    /// the ledgers (the no-change check of an incremental build).
    pub fn snapshot_files(dir: &Path) -> Result<Vec<PathBuf>> {
        let config = load_config(dir)?;
        let files = discover_snapshots(&dir.join("snapshots"), &config.import.snapshots)?;
        Ok(files.into_iter().map(|f| f.path).collect())
    }

    /// Reads one snapshot, with the customer master's names, divisions and
    /// collectors where the snapshot has none (see [`customer_master`]).
    /// `Err` when the file cannot be read at all, and in strict mode when
    /// any row has a problem; otherwise rejected rows are in the result's
    /// `quality`.
    pub fn read_snapshot(&self, file: &SnapshotFile) -> Result<SnapshotImport, Problems> {
        let import = self.read_snapshot_rows(file)?;
        if self.options.strict && !import.quality.is_clean() {
            return Err(Problems(import.quality.problems().cloned().collect()));
        }
        if let Some(p) = self.rejection(&import) {
            return Err(Problems(vec![p]));
        }
        Ok(import)
    }

    /// Why a snapshot read is refused for its rejected rows (no usable
    /// row, or more than `[import] max_rejected_percent`), if it is.
    pub fn rejection(&self, import: &SnapshotImport) -> Option<Problem> {
        rejection::verdict(
            &import.quality,
            self.config.import.snapshots.max_rejected_percent,
        )
    }

    /// Reads one snapshot as [`DataSet::read_snapshot`] does, without
    /// refusing it for its rejected rows (`check` lists them as well).
    pub fn read_snapshot_rows(&self, file: &SnapshotFile) -> Result<SnapshotImport, Problems> {
        let mut import = snapshot_csv::read_with(
            &file.path,
            source::Input::Path(&file.path),
            file.as_of,
            &self.config.import.snapshots,
            &self.config.currency,
            &self.config.rates,
        )?;
        customer_master::apply(&mut import.snapshot, &self.customers);
        Ok(import)
    }
}

/// The folder's settings. A missing folder or settings file is missing
/// input (66), not bad settings (78): every command that reads a data
/// folder reads its settings first, through here.
fn load_config(dir: &Path) -> Result<Config> {
    if !dir.is_dir() {
        return Err(InputError::Missing(format!("{}: no such data folder", dir.display())).into());
    }
    let settings = dir.join(FILE_NAME);
    if !settings.is_file() {
        return Err(InputError::Missing(format!(
            "{}: missing: expected the site settings (title, currency) in this file",
            settings.display()
        ))
        .into());
    }
    Config::load(dir).map_err(|e| InputError::Config(format!("{e:#}")).into())
}

/// A ledger's file: the one named in its `[import]` section (which must
/// exist), else `<name>.csv` (or `.xlsx`) when present.
fn ledger_path(dir: &Path, name: &str, spec: &InputSpec) -> Result<Option<PathBuf>> {
    match &spec.file {
        Some(f) => {
            let p = dir.join(f);
            if p.is_file() {
                Ok(Some(p))
            } else {
                Err(InputError::Missing(format!(
                    "{}: missing: expected the file named in [import.{name}] file",
                    p.display()
                ))
                .into())
            }
        }
        None => {
            Ok(Some(dir.join(format!("{name}.{}", spec.extensions()[0]))).filter(|p| p.is_file()))
        }
    }
}

/// A ledger's rows; its quality report goes to `ledgers`, and problems that
/// kept the file from being read at all to `fatal`.
fn keep<R: Default>(
    result: Result<ledger_csv::LedgerImport<R>, Problems>,
    ledgers: &mut Vec<FileQuality>,
    fatal: &mut Vec<Problem>,
) -> R {
    match result {
        Ok(import) => {
            ledgers.push(import.quality);
            import.rows
        }
        Err(Problems(p)) => {
            fatal.extend(p);
            R::default()
        }
    }
}

/// The snapshot files of `dir` and their dates, oldest first. Any other file
/// there is an error rather than silently ignored: it is most likely a
/// misnamed snapshot.
fn discover_snapshots(dir: &Path, spec: &InputSpec) -> Result<Vec<SnapshotFile>> {
    if !dir.is_dir() {
        return Err(InputError::Missing(format!(
            "{}: missing: expected a snapshots folder with one file per snapshot date",
            dir.display()
        ))
        .into());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| {
        InputError::Missing(format!(
            "{}: cannot read the snapshots folder: {e}",
            dir.display()
        ))
    })?;
    let extensions = spec.extensions();
    let expected_name = match (&spec.as_of, spec.mapped) {
        (AsOf::FileName, false) => "YYYY-MM-DD.csv (the snapshot date)".to_string(),
        (AsOf::FileName, true) if spec.rules.file_date.is_some() => format!(
            "files with the snapshot date written {} in their names, ending in .{}",
            spec.rules.file_date.as_ref().map_or("", |f| f.as_str()),
            extensions.join(" or .")
        ),
        (AsOf::FileName, true) => format!(
            "files with the snapshot date YYYY-MM-DD or YYYYMMDD in their names, ending in .{}",
            extensions.join(" or .")
        ),
        _ => format!("files ending in .{}", extensions.join(" or .")),
    };
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| InputError::Missing(format!("{}: {e}", dir.display())))?
            .path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        // Hidden files, and what editors leave while saving: the same rule
        // as `serve --watch`, which does not rebuild for them either.
        if name.starts_with('.') || is_editor_temp(name) {
            continue;
        }
        paths.push(path);
    }
    paths.sort();
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let ext_ok = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)));
        let stem = path
            .file_stem()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let as_of = if !ext_ok || !path.is_file() {
            None
        } else {
            match &spec.as_of {
                AsOf::FileName if !spec.mapped => Day::parse_iso(stem).filter(|_| stem.len() == 10),
                AsOf::FileName => {
                    let mut dates: Vec<Day> = file_name_dates(stem, spec)
                        .into_iter()
                        .map(|(_, d)| d)
                        .collect();
                    dates.dedup();
                    if dates.len() > 1 {
                        problems.push(Problem::file(
                            &path,
                            Kind::SnapshotDate,
                            format!(
                                "the file name {name:?} holds {} dates ({}): expected exactly one snapshot date in it",
                                dates.len(),
                                dates.iter().map(Day::to_string).collect::<Vec<_>>().join(", ")
                            ),
                        ));
                        continue;
                    }
                    dates.first().copied()
                }
                AsOf::Value(d) => Some(*d),
                AsOf::Title => match rules::peek_title_date(&path, spec) {
                    Ok(d) => Some(d),
                    Err(p) => {
                        problems.push(p);
                        continue;
                    }
                },
                AsOf::Cell { sheet, key } => match rules::peek_cell_date(&path, spec, sheet, key) {
                    Ok(d) => Some(d),
                    Err(p) => {
                        problems.push(p);
                        continue;
                    }
                },
                AsOf::Column => match snapshot_csv::peek_as_of(&path, spec) {
                    Ok(d) => Some(d),
                    Err(p) => {
                        problems.push(p);
                        continue;
                    }
                },
            }
        };
        match as_of {
            Some(as_of) if date::outside_window(as_of).is_some() => problems.push(Problem::file(
                &path,
                Kind::SnapshotDate,
                format!(
                    "snapshot {}",
                    date::outside_window(as_of).unwrap_or_default()
                ),
            )),
            Some(as_of) => found.push(SnapshotFile { as_of, path }),
            None => problems.push(Problem::file(
                &path,
                Kind::SnapshotDate,
                format!(
                    "expected {expected_name} in {}, found {name:?}",
                    dir.display()
                ),
            )),
        }
    }
    found.sort_by_key(|s| s.as_of);
    for pair in found.windows(2) {
        if pair[0].as_of == pair[1].as_of {
            problems.push(Problem::file(
                &pair[1].path,
                Kind::SnapshotDate,
                format!(
                    "a second snapshot for {} (the first is {}): expected one file per date",
                    pair[1].as_of,
                    pair[0].path.display()
                ),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(Problems(problems).into());
    }
    if found.is_empty() {
        return Err(InputError::Missing(format!(
            "{}: no snapshot files (expected {expected_name})",
            dir.display()
        ))
        .into());
    }
    Ok(found)
}

/// Files editors and downloads write beside the real one while saving
/// (backups `x.csv~`, Emacs `#x.csv#`, vim's `4913` probe and swap files,
/// partial downloads): never input. One rule for the snapshot folder's
/// discovery and for `serve --watch`'s filter, so that what the watcher
/// ignores the build ignores too. (Hidden files are skipped separately.)
pub fn is_editor_temp(name: &str) -> bool {
    name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913" // vim probes whether it may write the folder
        || [".swp", ".swx", ".swo", ".tmp", ".crdownload", ".part"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

/// The dates a mapped snapshot's file name (without extension) holds, as
/// the snapshot folder is read: in `file_date_format` when set, else
/// `YYYY-MM-DD` or `YYYYMMDD`; with where each is written (byte range).
/// One rule for the folder's discovery and for the names `arsite init`
/// gives the files it copies.
pub fn file_name_dates(stem: &str, spec: &InputSpec) -> Vec<(std::ops::Range<usize>, Day)> {
    match &spec.rules.file_date {
        Some(format) => rules::date_spans_in_name(stem, format),
        None => date_spans_in_name(stem),
    }
}

/// Every `YYYY-MM-DD` or `YYYYMMDD` in a file name that is a real date, in
/// order: a name with two different dates (`aging 2026-10-31 vs
/// 2026-09-30`) is ambiguous and refused by the caller.
#[cfg(test)]
fn dates_in_name(stem: &str) -> Vec<Day> {
    date_spans_in_name(stem)
        .into_iter()
        .map(|(_, d)| d)
        .collect()
}

fn date_spans_in_name(stem: &str) -> Vec<(std::ops::Range<usize>, Day)> {
    let b = stem.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(|c| c.is_ascii_digit());
    let mut dates = Vec::new();
    for start in 0..b.len() {
        if start > 0 && digit(start - 1) {
            continue;
        }
        if (0..4).all(|k| digit(start + k)) && b.get(start + 4) == Some(&b'-') {
            if let Some(d) = stem.get(start..start + 10).and_then(Day::parse_iso) {
                if !digit(start + 10) {
                    dates.push((start..start + 10, d));
                    continue;
                }
            }
        }
        if (0..8).all(|k| digit(start + k)) && !digit(start + 8) {
            let t = &stem[start..start + 8];
            let iso = format!("{}-{}-{}", &t[..4], &t[4..6], &t[6..]);
            if let Some(d) = Day::parse_iso(&iso) {
                dates.push((start..start + 8, d));
            }
        }
    }
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_backup_and_swap_files_are_not_snapshots() {
        // What `serve --watch` ignores must not fail the build it starts
        // (issue 13, item 13).
        let tmp = tempfile::tempdir().unwrap();
        for name in [
            "2026-10-31.csv",
            "2026-10-31.csv~",
            "4913",
            "2026-10-31.csv.swp",
            ".2026-10-31.csv.swp",
            "#2026-10-31.csv#",
            "2026-11-30.csv.part",
        ] {
            std::fs::write(tmp.path().join(name), "x").unwrap();
        }
        let found = discover_snapshots(tmp.path(), &InputSpec::canonical()).unwrap();
        let names: Vec<_> = found.iter().map(|f| f.path.file_name().unwrap()).collect();
        assert_eq!(names, ["2026-10-31.csv"]);
        for name in ["x.csv~", "4913", "a.swp", "a.swo", "#a#", "a.tmp"] {
            assert!(is_editor_temp(name), "{name}");
        }
        for name in ["2026-10-31.csv", "49130", "a.csv.bak"] {
            assert!(!is_editor_temp(name), "{name}");
        }
    }

    #[test]
    fn dates_in_file_names() {
        let d: Vec<Day> = Day::parse_iso("2026-10-31").into_iter().collect();
        assert_eq!(dates_in_name("FBL5N_2026-10-31"), d);
        assert_eq!(dates_in_name("A_R Aging Detail 20261031"), d);
        assert_eq!(dates_in_name("2026-10-31"), d);
        assert_eq!(dates_in_name("aging 2026-13-01"), []);
        assert_eq!(dates_in_name("x120261031"), []);
        assert_eq!(dates_in_name("aging"), []);
        let two = dates_in_name("aging 2026-10-31 vs 20260930");
        assert_eq!(
            two.iter().map(Day::to_string).collect::<Vec<_>>(),
            ["2026-10-31", "2026-09-30"]
        );
    }
}

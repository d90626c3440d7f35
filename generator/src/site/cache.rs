//! Incremental builds. Each snapshot folder of a built site carries a small
//! record ([`RECORD`]): the key of everything its files were made from, and
//! what later snapshots and the archive index need from it (its history
//! entry and headline). A rebuild whose key for a snapshot matches the
//! record keeps that folder as it is (see `output::Staging::carry_over`).
//!
//! The key of snapshot k chains the key of snapshot k-1 (its pages show the
//! history and the change since the previous snapshot), the program itself
//! (a new binary may render differently), the settings, the snapshot file,
//! and the ledger rows dated on or before the snapshot date (later rows
//! never reach its pages). xxh3-128: fast, and a published algorithm, so
//! the keys stay comparable between runs.

use super::comparison::Comparison;
use super::history::Entry;
use super::views::Headline;
use crate::import::DataSet;
use anyhow::{Context, Result};
use arsite_core::activity::{ActivityLog, ActivitySlice};
use arsite_core::ledger::period_first_day;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;
use xxhash_rust::xxh3::{xxh3_128, xxh3_64, Xxh3};

/// The record's file name inside a snapshot folder.
pub const RECORD: &str = ".arsite-snapshot.json";
/// The input stamps of the last build, at the site's root.
pub const INPUTS: &str = ".arsite-inputs.json";

/// Bumped when the record's shape changes.
const FORMAT: u32 = 2;

#[derive(Serialize, Deserialize)]
pub struct Record {
    pub format: u32,
    pub key: String,
    pub entry: Entry,
    pub headline: Headline,
    pub comparison: Comparison,
    pub invoices: u64,
    /// Files and bytes of the folder, record included.
    pub files: u64,
    pub bytes: u64,
}

impl Record {
    pub fn new(
        key: String,
        entry: Entry,
        headline: Headline,
        comparison: Comparison,
        invoices: u64,
    ) -> Record {
        Record {
            format: FORMAT,
            key,
            entry,
            headline,
            comparison,
            invoices,
            files: 0,
            bytes: 0,
        }
    }

    /// The record of `as_of` in the built site `site`, if it is readable
    /// and of this format; anything else means "rebuild".
    pub fn load(site: &Path, as_of: &str) -> Option<Record> {
        let bytes = std::fs::read(site.join(as_of).join(RECORD)).ok()?;
        let r: Record = serde_json::from_slice(&bytes).ok()?;
        (r.format == FORMAT).then_some(r)
    }
}

/// The key of the record of `as_of` in the built site `site`, read alone
/// (the commit's check that a carried-over folder is still the one planned
/// with).
pub fn record_key(site: &Path, as_of: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct KeyOnly {
        key: String,
    }
    let bytes = std::fs::read(site.join(as_of).join(RECORD)).ok()?;
    serde_json::from_slice::<KeyOnly>(&bytes)
        .ok()
        .map(|r| r.key)
}

/// Size, modification and status-change times and content hash of one
/// input file. A file whose size and both times are unchanged is taken as
/// unchanged and not read again just to hash it. The modification time
/// alone is not enough: `cp -p`, `rsync -t` and `touch -d` put an old one
/// back on new content. The status-change time (ctime) cannot be set by
/// any tool: every write, and every restoring of the modification time,
/// moves it to now. (A ctime that moved for another reason — `chmod`, a
/// hard link — only costs a re-hash: the content hash decides.)
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub len: u64,
    pub modified_ns: u128,
    /// 0 where the system has no ctime (and in stamps of older builds,
    /// which then re-hash once).
    #[serde(default)]
    pub changed_ns: u128,
    pub hash: String,
}

impl Stamp {
    /// Whether the file's metadata still matches this stamp.
    fn matches(&self, m: &Meta) -> bool {
        self.len == m.len
            && self.modified_ns == m.modified_ns
            && self.changed_ns == m.changed_ns
            && m.modified_ns > 0
    }
}

/// The stamps of every input file and of the program, as of one build.
/// Files are named relative to the data folder: the site is published, the
/// server's folder layout need not be (a file named in `[import]` outside
/// the data folder keeps its full path).
#[derive(Default, Serialize, Deserialize)]
pub struct Inputs {
    pub program: String,
    pub files: BTreeMap<PathBuf, Stamp>,
    /// The data folder, canonical; what `files` are relative to.
    #[serde(skip)]
    base: PathBuf,
    /// The site's files and bytes, bookkeeping files (this one and the
    /// marker) left out: what a no-change build reports.
    #[serde(default)]
    pub site_files: u64,
    #[serde(default)]
    pub site_bytes: u64,
}

impl Inputs {
    pub fn new(program: &str, data_dir: &Path) -> Inputs {
        Inputs {
            program: program.to_string(),
            base: canonical(data_dir),
            ..Default::default()
        }
    }

    /// The stamps of the build that wrote `site` from `data_dir`.
    pub fn load(site: &Path, data_dir: &Path) -> Inputs {
        let mut inputs: Inputs = std::fs::read(site.join(INPUTS))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        inputs.base = canonical(data_dir);
        inputs
    }

    fn key(&self, path: &Path) -> PathBuf {
        let path = canonical(path);
        match path.strip_prefix(&self.base) {
            Ok(relative) => relative.to_path_buf(),
            Err(_) => path,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("input stamps serialise")
    }

    /// Records size and time of `path` only (ledgers: their parsed rows
    /// go into the keys instead), for [`Inputs::unchanged_since`].
    pub fn stamp_metadata(&mut self, path: &Path) -> Result<()> {
        let m = metadata(path)?;
        self.files.insert(
            self.key(path),
            Stamp {
                len: m.len,
                modified_ns: m.modified_ns,
                changed_ns: m.changed_ns,
                hash: String::new(),
            },
        );
        Ok(())
    }

    /// True when the program is the same and every file the `previous`
    /// build read still has its size and time, with no snapshot file added
    /// or removed: the site is then up to date without reading anything.
    pub fn unchanged_since(program: &str, previous: &Inputs, snapshot_files: &[PathBuf]) -> bool {
        if previous.program != program || previous.files.is_empty() {
            return false;
        }
        let snapshot_files: Vec<PathBuf> = snapshot_files.iter().map(|p| previous.key(p)).collect();
        let listed: Vec<&PathBuf> = previous
            .files
            .keys()
            .filter(|p| snapshot_files.iter().any(|s| s.parent() == p.parent()))
            .collect();
        listed.len() == snapshot_files.len()
            && snapshot_files
                .iter()
                .all(|s| previous.files.contains_key(s))
            && previous.files.iter().all(|(path, stamp)| {
                // Joining an absolute path gives that path.
                metadata(&previous.base.join(path)).is_ok_and(|m| stamp.matches(&m))
            })
    }

    /// The stamp of `path`, hashing the file only when its size or time
    /// differ from `previous`.
    pub fn stamp(&mut self, path: &Path, previous: &Inputs) -> Result<Stamp> {
        let m = metadata(path)?;
        let key = self.key(path);
        let stamp = match previous.files.get(&key) {
            Some(s) if s.matches(&m) => s.clone(),
            _ => {
                let bytes = std::fs::read(path).with_context(|| format!("{}", path.display()))?;
                Stamp {
                    len: m.len,
                    modified_ns: m.modified_ns,
                    changed_ns: m.changed_ns,
                    hash: hex(xxh3_128(&bytes)),
                }
            }
        };
        self.files.insert(key, stamp.clone());
        Ok(stamp)
    }
}

/// Canonical paths: `data/` and `./data/` are one folder.
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// What the change check reads of a file.
struct Meta {
    len: u64,
    modified_ns: u128,
    changed_ns: u128,
}

fn metadata(path: &Path) -> Result<Meta> {
    let meta = std::fs::metadata(path).with_context(|| format!("{}", path.display()))?;
    let modified_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    Ok(Meta {
        len: meta.len(),
        modified_ns,
        changed_ns: changed_ns(&meta),
    })
}

#[cfg(unix)]
fn changed_ns(meta: &std::fs::Metadata) -> u128 {
    use std::os::unix::fs::MetadataExt;
    // Before 1970 does not occur for a file written since.
    u128::try_from(meta.ctime()).unwrap_or(0) * 1_000_000_000
        + u128::try_from(meta.ctime_nsec()).unwrap_or(0)
}

#[cfg(not(unix))]
fn changed_ns(_: &std::fs::Metadata) -> u128 {
    0
}

/// A fingerprint of the running program: its executable's bytes, so that
/// any change to the code, templates or dashboard bundle (all compiled in)
/// rebuilds every snapshot; plus, when templates and assets are read from a
/// folder at run time (`serve --watch --templates`), every file in it.
pub fn program_fingerprint(templates_dir: Option<&Path>) -> Result<String> {
    let exe = std::env::current_exe().context("cannot locate the arsite executable")?;
    let mut h = Xxh3::new();
    h.update(&std::fs::read(&exe).with_context(|| format!("{}", exe.display()))?);
    if let Some(dir) = templates_dir {
        let mut files = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).with_context(|| format!("{}", d.display()))? {
                let p = e?.path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    files.push(p);
                }
            }
        }
        files.sort();
        for f in files {
            h.update(f.to_string_lossy().as_bytes());
            h.update(&std::fs::read(&f).with_context(|| format!("{}", f.display()))?);
        }
    }
    Ok(hex(h.digest128()))
}

/// The keys of the data set's snapshots, oldest first.
pub fn snapshot_keys(
    data: &DataSet,
    program: &str,
    stamps: &mut Inputs,
    previous: &Inputs,
) -> Result<Vec<String>> {
    let settings = data.dir.join(crate::config::FILE_NAME);
    let mut base = Xxh3::new();
    base.update(program.as_bytes());
    base.update(stamps.stamp(&settings, previous)?.hash.as_bytes());
    // What every snapshot's pages show whatever their date: customer
    // master data and the ledger files' data-quality figures.
    data.customers.hash(&mut base);
    // As the pages show them: by file name, however the folder was named
    // on the command line.
    for ledger in &data.ledgers {
        let mut shown = ledger.clone();
        shown.path = ledger
            .path
            .file_name()
            .map(PathBuf::from)
            .unwrap_or_default();
        format!("{shown:?}").hash(&mut base);
    }
    for ledger in &data.ledgers {
        stamps.stamp_metadata(&ledger.path)?;
    }

    let mut keys = Vec::with_capacity(data.snapshots.len());
    let mut chain = base.digest128();
    let mut activity = LedgerPrefix::new(&data.activity);
    for file in &data.snapshots {
        let mut h = Xxh3::new();
        h.update(&chain.to_le_bytes());
        file.as_of.hash(&mut h);
        h.update(stamps.stamp(&file.path, previous)?.hash.as_bytes());
        h.update(&activity.through(file.as_of).to_le_bytes());
        for e in data
            .sales
            .entries()
            .iter()
            .filter(|e| period_first_day(e.period) <= file.as_of)
        {
            e.hash(&mut h);
        }
        chain = h.digest128();
        keys.push(hex(chain));
    }
    Ok(keys)
}

/// Running hash over the activity rows in date order, read up to a date.
///
/// Rows are hashed by content, never by symbol numbers (those depend on the
/// file order of rows of any date): each distinct text is hashed once, in
/// one pass over the pool, and rows hash those digests.
struct LedgerPrefix<'a> {
    log: &'a ActivityLog,
    texts: Vec<u64>,
    next: usize,
    hasher: Xxh3,
}

impl<'a> LedgerPrefix<'a> {
    fn new(log: &'a ActivityLog) -> Self {
        LedgerPrefix {
            log,
            texts: log.texts().map(|t| xxh3_64(t.as_bytes())).collect(),
            next: 0,
            hasher: Xxh3::new(),
        }
    }

    /// The hash of every row dated on or before `day` (days asked in
    /// increasing order).
    fn through(&mut self, day: arsite_core::Day) -> u128 {
        let upto: ActivitySlice = self.log.through(day);
        for i in self.next..upto.len() {
            let a = self.log.get(i);
            let mut row = [0u64; 8];
            row[0] = a.date().0 as u64;
            row[1] = a.kind() as u64;
            row[2] = a.amount().0 as u64;
            for (slot, sym) in row[3..].iter_mut().zip(a.text_syms()) {
                *slot = self.texts[sym.index()];
            }
            for v in row {
                self.hasher.update(&v.to_le_bytes());
            }
        }
        self.next = self.next.max(upto.len());
        self.hasher.digest128()
    }
}

fn hex(v: u128) -> String {
    format!("{v:032x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use arsite_core::ledger::{Activity, ActivityKind};
    use arsite_core::{Day, Money};

    fn row(day: i32, amount: i64) -> Activity {
        Activity {
            date: Day(day),
            kind: ActivityKind::Payment,
            customer_id: "C1".into(),
            invoice_id: "I1".into(),
            amount: Money(amount),
            collector: None,
            reference: String::new(),
            note: String::new(),
        }
    }

    #[test]
    fn a_ledger_prefix_ignores_later_rows() {
        let early = [row(10, 5), row(20, 7)];
        let longer = [row(10, 5), row(20, 7), row(30, 9)];
        let changed_early = [row(10, 6), row(20, 7), row(30, 9)];
        let (early, longer, changed_early) = (
            ActivityLog::from_rows(&early),
            ActivityLog::from_rows(&longer),
            ActivityLog::from_rows(&changed_early),
        );
        let at = |log: &ActivityLog, day| LedgerPrefix::new(log).through(Day(day));
        assert_eq!(at(&early, 25), at(&longer, 25));
        assert_ne!(at(&early, 25), at(&longer, 30));
        assert_ne!(at(&longer, 25), at(&changed_early, 25));
        let mut p = LedgerPrefix::new(&longer);
        let (a, b) = (p.through(Day(15)), p.through(Day(30)));
        assert_eq!(a, at(&longer, 15));
        assert_eq!(b, at(&longer, 30));
    }

    #[test]
    fn an_edit_that_restores_size_and_modification_time_is_seen() {
        // `cp -p` / `rsync -t`: new bytes, same length, the old mtime.
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("a.csv");
        std::fs::write(&f, b"100").unwrap();
        let mtime = std::fs::metadata(&f).unwrap().modified().unwrap();
        let mut first = Inputs::new("p", tmp.path());
        let s1 = first.stamp(&f, &Inputs::new("p", tmp.path())).unwrap();
        std::fs::write(&f, b"900").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&f)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        assert_eq!(std::fs::metadata(&f).unwrap().modified().unwrap(), mtime);
        assert!(!Inputs::unchanged_since("p", &first, &[]));
        let mut second = Inputs::new("p", tmp.path());
        let s2 = second.stamp(&f, &first).unwrap();
        assert_ne!(s2.hash, s1.hash, "the new content is hashed");
    }

    #[test]
    fn stamps_rehash_only_changed_files() {
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("a.csv");
        std::fs::write(&f, b"one").unwrap();
        let mut first = Inputs::new("p", tmp.path());
        let s1 = first.stamp(&f, &Inputs::new("p", tmp.path())).unwrap();
        assert_eq!(
            first.files.keys().collect::<Vec<_>>(),
            [Path::new("a.csv")],
            "named relative to the data folder"
        );
        let mut second = Inputs::new("p", tmp.path());
        assert_eq!(second.stamp(&f, &first).unwrap(), s1);
        std::fs::write(&f, b"three").unwrap();
        let mut third = Inputs::new("p", tmp.path());
        let s3 = third.stamp(&f, &second).unwrap();
        assert_ne!(
            s3.hash, s1.hash,
            "a different size is read and hashed again"
        );
    }
}

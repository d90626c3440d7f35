//! `arsite check DATA_DIR`: reads everything a build would read, reports
//! every problem and what would become of every row, and writes nothing.
//!
//! Exit codes (BSD sysexits): 0 clean (or, without `--strict`, problems that
//! only reject rows), 65 data errors, 66 missing input, 78 bad settings.

use crate::import::{DataSet, FileQuality, ImportOptions, Problem, Problems, Summary};
use anyhow::Result;
use std::fmt::Write;
use std::path::Path;

/// What a check found.
#[derive(Debug)]
pub struct CheckReport {
    /// Ledger files, then snapshot files, in reading order.
    pub files: Vec<FileQuality>,
    /// Snapshot files that could not be read at all (not CSV, no header…).
    pub unreadable: Vec<Problem>,
    pub snapshots: usize,
    pub ledgers: usize,
}

/// Problems printed before the rest are only counted.
const SHOWN: usize = 200;

impl CheckReport {
    pub fn problems(&self) -> impl Iterator<Item = &Problem> {
        self.unreadable
            .iter()
            .chain(self.files.iter().flat_map(|f| f.problems()))
    }

    pub fn is_clean(&self) -> bool {
        self.unreadable.is_empty() && self.files.iter().all(|f| f.is_clean())
    }

    pub fn rejected_rows(&self) -> usize {
        self.files.iter().map(|f| f.rejected.len()).sum()
    }

    /// 0 when a build would succeed in this mode, 65 when it would fail.
    pub fn exit_code(&self, strict: bool) -> u8 {
        if !self.unreadable.is_empty() || (strict && !self.is_clean()) {
            65
        } else {
            0
        }
    }

    /// Every problem in compiler format, a line per file and a summary.
    pub fn render(&self, strict: bool) -> String {
        let mut out = String::new();
        let total = self.problems().count();
        for p in self.problems().take(SHOWN) {
            let _ = writeln!(out, "{p}");
        }
        if total > SHOWN {
            let _ = writeln!(out, "… and {} more problems", total - SHOWN);
        }
        for f in &self.files {
            let place = format!(
                "{}{}",
                f.path.display(),
                f.sheet
                    .as_deref()
                    .map(|s| format!("[{s}]"))
                    .unwrap_or_default()
            );
            for w in f.layout.warnings(&place, &f.currency) {
                let _ = writeln!(out, "{w}");
            }
            let _ = writeln!(out, "{}", file_line(f));
            if let Some(kind) = f.all_rejected_for() {
                let _ = writeln!(
                    out,
                    "  note: every row was rejected for {kind}; the [import] settings (date_format, decimal, columns) are the likely cause"
                );
            }
        }
        if total > 0 {
            let _ = writeln!(out, "problems by kind: {}", Summary::of(self.problems()));
        }
        let verdict = if self.is_clean() {
            format!(
                "arsite check: no problems in {} snapshot file(s) and {} ledger file(s)",
                self.snapshots, self.ledgers
            )
        } else if self.exit_code(strict) != 0 {
            format!(
                "arsite check: {total} problem(s); a build would fail{}",
                if strict && self.unreadable.is_empty() {
                    " (--strict)"
                } else {
                    ""
                }
            )
        } else {
            format!(
                "arsite check: {total} problem(s); {} row(s) would be left out of the site and listed on its data-quality page (use --strict to fail instead)",
                self.rejected_rows()
            )
        };
        out.push_str(&verdict);
        let findings: usize = self
            .files
            .iter()
            .map(|f| f.layout.mismatches.len() + f.layout.unmatched_headings.len())
            .sum();
        if findings > 0 {
            let _ = write!(
                out,
                "; {findings} report-layout warning(s) above (printed totals that differ from their rows, headings that fit no pattern)"
            );
        }
        out
    }
}

fn file_line(f: &FileQuality) -> String {
    let money = |m| f.currency.to_decimal(m);
    let mut s = format!(
        "{}{}: {} row(s): {} used, {} rejected",
        f.path.display(),
        f.sheet
            .as_deref()
            .map(|s| format!("[{s}]"))
            .unwrap_or_default(),
        f.rows,
        f.used,
        f.rejected.len()
    );
    if f.unvalued > 0 {
        let _ = write!(s, " ({} without a readable amount)", f.unvalued);
    }
    if f.skipped > 0 {
        let _ = write!(s, ", {} report line(s) skipped", f.skipped);
    }
    for (filter, n) in f.filtered.iter().filter(|(_, n)| *n > 0) {
        let _ = write!(s, ", {n} left out by the filter {filter}");
    }
    if f.generated_ids > 0 {
        let _ = write!(
            s,
            ", {} without a document id (ids generated)",
            f.generated_ids
        );
    }
    for (field, n) in &f.defaulted {
        let _ = write!(s, ", {n} with {field} defaulted");
    }
    if !f.layout.is_empty() {
        let _ = write!(s, ", layout: {}", f.layout.counts());
    }
    let _ = write!(
        s,
        "; {} {} = used {} + rejected {}",
        f.amount_column,
        money(f.input_total),
        money(f.used_total),
        money(f.rejected_total),
    );
    s.push(' ');
    s.push_str(&f.currency.code);
    s
}

/// Reads the data folder as a default-mode build would. `Err` carries
/// [`crate::import::InputError`] (66, 78) or [`Problems`] (65) when the
/// folder cannot be read at all.
pub fn check(dir: &Path) -> Result<CheckReport> {
    let data = DataSet::open_with(dir, ImportOptions { strict: false })?;
    let mut files = data.ledgers.clone();
    let mut unreadable = Vec::new();
    for file in &data.snapshots {
        // The rows are listed even when the snapshot is refused for them.
        match data.read_snapshot_rows(file) {
            Ok(import) => {
                for w in grouping_warnings(&file.path, &import.snapshot) {
                    eprintln!("{w}");
                }
                unreadable.extend(data.rejection(&import));
                files.push(import.quality)
            }
            Err(Problems(p)) => unreadable.extend(p),
        }
    }
    Ok(CheckReport {
        files,
        unreadable,
        snapshots: data.snapshots.len(),
        ledgers: data.ledgers.len(),
    })
}

/// Warnings for grouping columns of a snapshot that look like ids (core's
/// rule, [`arsite_core::portfolio::id_like_groupings`]): `build` and
/// `check` print them, since such a column gives a page per value.
pub fn grouping_warnings(path: &Path, snapshot: &arsite_core::Snapshot) -> Vec<String> {
    arsite_core::portfolio::id_like_groupings(snapshot)
        .into_iter()
        .map(|g| {
            format!(
                "{}: warning: the {} column has {} distinct values on {} invoices: it looks like an id (more than {} values, or more than half as many as invoices); is the right column mapped to {}? Each value gets its own page.",
                path.display(),
                g.column,
                g.values,
                g.invoices,
                arsite_core::portfolio::GROUPING_ID_LIKE,
                g.column
            )
        })
        .collect()
}

//! Data problems, reported the way compilers report errors:
//! `file:line:col: error: message`, so editors and terminals can jump to them.
//! In a workbook the sheet follows the file name: `file.xlsx[Sheet1]:14:6`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// What went wrong, for the summary counts and for tests; the message says
/// it in words.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// The file cannot be opened or read.
    Unreadable,
    /// Binary data, a workbook where text was expected, or the reverse.
    NotText,
    Empty,
    /// No header row with the expected columns.
    Header,
    /// The configured sheet is not in the workbook.
    Sheet,
    /// The snapshot date cannot be found (file name, column or setting).
    SnapshotDate,
    /// A row the CSV reader cannot split (e.g. an unterminated quote).
    Row,
    /// Bytes that are not text in the configured encoding.
    Encoding,
    MissingValue,
    Amount,
    Date,
    DueBeforeInvoice,
    /// The open amount's sign differs from the document amount's.
    OpenSign,
    OpenExceedsAmount,
    DuplicateId,
    /// A currency other than the reporting one with no rate, or a code that
    /// disagrees with the row's currency.
    Currency,
    AfterSnapshotDate,
    /// A value outside its list (status, activity type, sign indicator…).
    Value,
    /// A snapshot with no usable row, or more rejected than allowed.
    TooManyRejected,
}

impl Kind {
    pub const ALL: [Kind; 19] = [
        Kind::Unreadable,
        Kind::NotText,
        Kind::Empty,
        Kind::Header,
        Kind::Sheet,
        Kind::SnapshotDate,
        Kind::Row,
        Kind::Encoding,
        Kind::MissingValue,
        Kind::Amount,
        Kind::Date,
        Kind::DueBeforeInvoice,
        Kind::OpenSign,
        Kind::OpenExceedsAmount,
        Kind::DuplicateId,
        Kind::Currency,
        Kind::AfterSnapshotDate,
        Kind::Value,
        Kind::TooManyRejected,
    ];

    /// A stable snake_case name (summaries, tests, the data-quality page).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Unreadable => "unreadable_file",
            Kind::NotText => "not_csv",
            Kind::Empty => "empty_file",
            Kind::Header => "header",
            Kind::Sheet => "sheet",
            Kind::SnapshotDate => "snapshot_date",
            Kind::Row => "unreadable_row",
            Kind::Encoding => "encoding",
            Kind::MissingValue => "missing_value",
            Kind::Amount => "amount",
            Kind::Date => "date",
            Kind::DueBeforeInvoice => "due_before_invoice",
            Kind::OpenSign => "open_sign",
            Kind::OpenExceedsAmount => "open_exceeds_amount",
            Kind::DuplicateId => "duplicate_id",
            Kind::Currency => "currency",
            Kind::AfterSnapshotDate => "after_snapshot_date",
            Kind::Value => "value",
            Kind::TooManyRejected => "too_many_rejected",
        }
    }

    /// Problems that make the whole file unusable (no rows can be read).
    pub fn is_file_level(self) -> bool {
        matches!(
            self,
            Kind::Unreadable
                | Kind::NotText
                | Kind::Empty
                | Kind::Header
                | Kind::Sheet
                | Kind::SnapshotDate
                | Kind::TooManyRejected
        )
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Shared by all problems of one file.
    pub path: Arc<Path>,
    /// The worksheet, for workbooks.
    pub sheet: Option<Arc<str>>,
    /// 1-based line of the file or row of the sheet (the header is line 1
    /// of a canonical file); 0 when the problem is the file itself.
    pub line: u64,
    /// 1-based field number in the row (the sheet's column: A = 1), when
    /// one field is at fault.
    pub column: Option<usize>,
    pub kind: Kind,
    pub message: String,
}

impl Problem {
    /// A problem with the file as a whole.
    pub fn file(path: &Path, kind: Kind, message: impl Into<String>) -> Problem {
        Problem {
            path: Arc::from(path),
            sheet: None,
            line: 0,
            column: None,
            kind,
            message: message.into(),
        }
    }

    pub fn at_line(mut self, line: u64) -> Problem {
        self.line = line;
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(s) = &self.sheet {
            write!(f, "[{s}]")?;
        }
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        write!(f, ": error: {}", self.message)
    }
}

/// Problem counts per kind, printed after the problems themselves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary(pub BTreeMap<Kind, usize>);

impl Summary {
    pub fn of<'a>(problems: impl IntoIterator<Item = &'a Problem>) -> Summary {
        let mut counts = BTreeMap::new();
        for p in problems {
            *counts.entry(p.kind).or_insert(0) += 1;
        }
        Summary(counts)
    }

    pub fn total(&self) -> usize {
        self.0.values().sum()
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|(k, n)| format!("{k}: {n}")).collect();
        f.write_str(&parts.join(", "))
    }
}

/// Every problem found in one file; an error so that `?` carries them up.
#[derive(Debug)]
pub struct Problems(pub Vec<Problem>);

/// How many problems are printed before the rest are only counted.
const SHOWN: usize = 50;

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in self.0.iter().take(SHOWN) {
            writeln!(f, "{p}")?;
        }
        if self.0.len() > SHOWN {
            writeln!(f, "… and {} more problems", self.0.len() - SHOWN)?;
        }
        write!(
            f,
            "{} problem(s) in the input ({}); nothing was written",
            self.0.len(),
            Summary::of(&self.0)
        )
    }
}

impl std::error::Error for Problems {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiler_style_positions() {
        let p = Problem {
            path: Arc::from(Path::new("data/x.csv")),
            sheet: None,
            line: 14,
            column: Some(6),
            kind: Kind::Amount,
            message: "amount: bad".into(),
        };
        assert_eq!(p.to_string(), "data/x.csv:14:6: error: amount: bad");
        let q = Problem {
            sheet: Some(Arc::from("Aging")),
            column: None,
            ..p.clone()
        };
        assert_eq!(q.to_string(), "data/x.csv[Aging]:14: error: amount: bad");
        let r = Problem::file(Path::new("a.csv"), Kind::Empty, "file is empty");
        assert_eq!(r.to_string(), "a.csv: error: file is empty");
        let s = Summary::of([&p, &q, &r]);
        assert_eq!(s.to_string(), "empty_file: 1, amount: 2");
    }
}

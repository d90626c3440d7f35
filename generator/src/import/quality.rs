//! What became of every row of one input file: used, rejected (with its
//! problems and amount) or skipped as a report line (titles, subtotals,
//! group headings). For snapshots the amounts are open amounts, so that
//!
//! ```text
//! input total = used total + rejected total
//! ```
//!
//! over every data row whose amount could be read; rows whose amount could
//! not be read are counted separately (`unvalued`).
//!
//! A file whose amounts add up, in absolute value, to more than
//! [`MAX_FILE_TOTAL`] is refused as a whole (see there for why).

use super::problem::{Kind, Problem, Summary};
use arsite_core::{Currency, Money};
use std::path::PathBuf;

/// The most the absolute values of one money column of one file may add up
/// to, in minor units: i64::MAX / 8 = 1,152,921,504,606,846,975 (about
/// 1.15 × 10^16 units of a two-decimal currency, a hundred times the world's
/// yearly output). Every figure arsite shows is a sum over a few files at
/// most — a snapshot's AR; derived sales over the current and previous
/// snapshot and the period's activity; CEI's beginning AR + sales − ending
/// AR — so with each file bounded so, no sum or partial sum leaves the 64
/// bits of [`Money`], which would otherwise wrap (10,000 invoices of
/// 10,000,000,000,000.00 gave a total of −84,467,440,737,095,516.16). A file
/// past the bound holds a misread column or no real ledger, and is refused
/// rather than shown with a figure that cannot be represented.
pub const MAX_FILE_TOTAL: i64 = i64::MAX / 8;

/// One row that could not be used, as it was in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RejectedRow {
    /// Line of the file (row of the sheet).
    pub line: u64,
    /// The row's fields, decoded (invalid UTF-8 shown lossily).
    pub fields: Vec<String>,
    /// The row's amount in the reporting currency, when it could be read.
    pub amount: Option<Money>,
    pub problems: Vec<Problem>,
}

/// The import result of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileQuality {
    pub path: PathBuf,
    pub sheet: Option<String>,
    pub currency: Currency,
    /// Which amount the totals add up: `open_amount` for snapshots.
    pub amount_column: &'static str,
    /// The file's header cells, for `rejected.csv`.
    pub header: Vec<String>,
    /// Data rows read (used + rejected).
    pub rows: u64,
    pub used: u64,
    /// Report lines that are not data: subtotals, group headings.
    pub skipped: u64,
    pub input_total: Money,
    pub used_total: Money,
    pub rejected_total: Money,
    /// Rejected rows whose amount could not be read.
    pub unvalued: u64,
    pub rejected: Vec<RejectedRow>,
    /// Problems with the file as a whole. A read result never has any:
    /// they fail the read instead (kept here for callers that collect).
    pub file_problems: Vec<Problem>,
    /// Rows left out by each filter (`[[import.<input>.keep]]`), in the
    /// order written: the filter's text and the count.
    pub filtered: Vec<(String, u64)>,
    /// Used rows whose field was defaulted, by column (a credit without a
    /// due date gets its document date).
    pub defaulted: std::collections::BTreeMap<&'static str, u64>,
    /// Used rows without a document id, which got a generated one.
    pub generated_ids: u64,
    /// Layout rows recognised (headings, subtotals, totals, repeated
    /// headers) and printed totals that differ from their rows.
    pub layout: super::layout::LayoutReport,
    /// Σ |amount| over the rows with a readable amount, against
    /// [`MAX_FILE_TOTAL`].
    magnitude: u128,
}

impl FileQuality {
    pub fn new(path: PathBuf, currency: Currency, amount_column: &'static str) -> FileQuality {
        FileQuality {
            path,
            sheet: None,
            currency,
            amount_column,
            header: Vec::new(),
            rows: 0,
            used: 0,
            skipped: 0,
            input_total: Money::ZERO,
            used_total: Money::ZERO,
            rejected_total: Money::ZERO,
            unvalued: 0,
            rejected: Vec::new(),
            file_problems: Vec::new(),
            filtered: Vec::new(),
            defaulted: std::collections::BTreeMap::new(),
            generated_ids: 0,
            layout: Default::default(),
            magnitude: 0,
        }
    }

    /// Every problem, file-level first, then by row.
    pub fn problems(&self) -> impl Iterator<Item = &Problem> {
        self.file_problems
            .iter()
            .chain(self.rejected.iter().flat_map(|r| r.problems.iter()))
    }

    pub fn is_clean(&self) -> bool {
        self.file_problems.is_empty() && self.rejected.is_empty()
    }

    pub fn summary(&self) -> Summary {
        Summary::of(self.problems())
    }

    /// Whether every data row was rejected for the same kind of problem:
    /// then the settings (a date format, a decimal separator) are the likely
    /// cause, not the data.
    pub fn all_rejected_for(&self) -> Option<Kind> {
        if self.used > 0 || self.rejected.len() < 2 {
            return None;
        }
        let first = self.rejected[0].problems.first()?.kind;
        self.rejected
            .iter()
            .all(|r| r.problems.iter().any(|p| p.kind == first))
            .then_some(first)
    }

    pub(crate) fn accept(&mut self, amount: Money) {
        self.rows += 1;
        self.used += 1;
        self.magnitude = self.bound(self.amount_column, self.magnitude, [amount], true);
        add(&mut self.input_total, amount);
        add(&mut self.used_total, amount);
    }

    pub(crate) fn reject(&mut self, row: RejectedRow) {
        self.rows += 1;
        match row.amount {
            Some(a) => {
                self.magnitude = self.bound(self.amount_column, self.magnitude, [a], true);
                add(&mut self.input_total, a);
                add(&mut self.rejected_total, a);
            }
            None => self.unvalued += 1,
        }
        self.rejected.push(row);
    }

    /// Refuses the file (a file problem, which fails its read) when another
    /// money column of its used rows (a snapshot's document `amount`) adds
    /// up beyond [`MAX_FILE_TOTAL`] in absolute value.
    pub(crate) fn bound_column(&mut self, column: &str, amounts: impl IntoIterator<Item = Money>) {
        self.bound(column, 0, amounts, false);
    }

    /// `start` + Σ |amounts|; the first time it passes [`MAX_FILE_TOTAL`],
    /// a file problem naming the column, the bound and the row reached.
    fn bound(
        &mut self,
        column: &str,
        start: u128,
        amounts: impl IntoIterator<Item = Money>,
        row_by_row: bool,
    ) -> u128 {
        let limit = MAX_FILE_TOTAL as u128;
        let mut total = start;
        for a in amounts {
            total += u128::from(a.0.unsigned_abs());
            if total > limit && !self.refused(column) {
                let mut p = Problem::file(
                    &self.path,
                    Kind::Amount,
                    format!(
                        "{column}: the amounts of this file add up to more than {} {} in absolute value ({}): arsite refuses files whose totals it cannot represent exactly (at most {MAX_FILE_TOTAL} minor units); is a column misread, or the decimal separator wrong?",
                        self.currency.to_decimal(Money(MAX_FILE_TOTAL)),
                        self.currency.code,
                        if row_by_row {
                            format!("passed at its data row {}", self.rows)
                        } else {
                            "over its usable rows".to_string()
                        },
                    ),
                );
                p.sheet = self.sheet.as_deref().map(std::sync::Arc::from);
                self.file_problems.push(p);
            }
        }
        total
    }

    fn refused(&self, column: &str) -> bool {
        let start = format!("{column}: the amounts of this file add up");
        self.file_problems
            .iter()
            .any(|p| p.message.starts_with(&start))
    }

    /// `rejected.csv`: the rejected rows as they were in the file, after the
    /// line, the problems and the amount in the reporting currency. Cells
    /// taken from the input that a spreadsheet would run as a formula
    /// (starting with `=` `+` `-` `@`, tab or carriage return) get a
    /// leading `'`.
    pub fn rejected_csv(&self) -> String {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        let amount_header = format!("{} ({})", self.amount_column, self.currency.code);
        let mut header = vec!["line".to_string(), "problems".to_string(), amount_header];
        header.extend(self.header.iter().map(|h| neutralize(h)));
        write_record(&mut w, &header);
        for r in &self.rejected {
            let problems: Vec<String> = r
                .problems
                .iter()
                .map(|p| match p.column {
                    Some(c) => format!("column {c}: {}", p.message),
                    None => p.message.clone(),
                })
                .collect();
            let mut record = vec![
                r.line.to_string(),
                neutralize(&problems.join("; ")),
                r.amount
                    .map(|a| self.currency.to_decimal(a).to_string())
                    .unwrap_or_default(),
            ];
            record.extend(r.fields.iter().map(|f| neutralize(f)));
            write_record(&mut w, &record);
        }
        let bytes = w.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }
}

/// Totals cannot overflow below [`MAX_FILE_TOTAL`]; past it the file is
/// refused and its totals are never shown, so saturating there is safe.
fn add(total: &mut Money, amount: Money) {
    total.0 = total.0.saturating_add(amount.0);
}

fn write_record(w: &mut csv::Writer<Vec<u8>>, record: &[String]) {
    // Writing to memory cannot fail.
    let _ = w.write_record(record);
}

use arsite_core::format::neutralize;

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use std::sync::Arc;

    #[test]
    fn rejected_csv_neutralizes_formulas_and_keeps_amounts() {
        let mut q = FileQuality::new("s.csv".into(), Currency::from_code("EUR"), "open_amount");
        q.header = vec!["id".into(), "=cmd".into()];
        q.accept(Money(1000));
        let problem = Problem {
            path: Arc::from(Path::new("s.csv")),
            sheet: None,
            line: 3,
            column: Some(2),
            kind: Kind::Amount,
            message: "amount: expected an amount such as -1234.56, found \"-x\"".into(),
        };
        q.reject(RejectedRow {
            line: 3,
            fields: vec![
                "@SUM(A1)".into(),
                "-x".into(),
                "+1".into(),
                "\tt".into(),
                "ok".into(),
            ],
            amount: Some(Money(-250)),
            problems: vec![problem],
        });
        q.reject(RejectedRow {
            line: 4,
            fields: vec!["x".into()],
            amount: None,
            problems: vec![],
        });
        assert_eq!(q.input_total, Money(750));
        assert_eq!(q.input_total, q.used_total + q.rejected_total);
        assert_eq!(q.unvalued, 1);
        let text = q.rejected_csv();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "line,problems,open_amount (EUR),id,'=cmd");
        assert_eq!(
            lines[1],
            "3,\"column 2: amount: expected an amount such as -1234.56, found \"\"-x\"\"\",-2.50,'@SUM(A1),'-x,'+1,'\tt,ok"
        );
        assert_eq!(lines[2], "4,,,x");
    }

    #[test]
    fn a_file_whose_amounts_add_up_past_the_bound_is_refused() {
        let mut q = FileQuality::new("s.csv".into(), Currency::from_code("EUR"), "open_amount");
        // Up to the bound, in absolute value: MAX_FILE_TOTAL − 5 + |−5| = MAX_FILE_TOTAL.
        q.accept(Money(MAX_FILE_TOTAL - 5));
        q.reject(RejectedRow {
            line: 3,
            fields: vec![],
            amount: Some(Money(-5)),
            problems: vec![],
        });
        assert!(q.file_problems.is_empty());
        // One minor unit more, on data row 3, passes it: the file is refused once.
        q.accept(Money(1));
        q.accept(Money(1));
        assert_eq!(q.file_problems.len(), 1);
        let p = q.file_problems[0].to_string();
        assert!(
            p.starts_with("s.csv: error: open_amount: the amounts of this file add up to more than 11529215046068469.75 EUR in absolute value (passed at its data row 3)"),
            "{p}"
        );
        // Another column of the used rows: 2 × (MAX_FILE_TOTAL / 2 + 1) > MAX_FILE_TOTAL.
        let mut q = FileQuality::new("s.csv".into(), Currency::from_code("EUR"), "open_amount");
        q.bound_column("amount", [Money(MAX_FILE_TOTAL / 2); 2]);
        assert!(q.file_problems.is_empty());
        q.bound_column("amount", [Money(MAX_FILE_TOTAL / 2 + 1); 2]);
        assert!(q.file_problems[0]
            .message
            .starts_with("amount: the amounts"));
    }
}

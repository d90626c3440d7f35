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

use super::problem::{Kind, Problem, Summary};
use arsite_core::{Currency, Money};
use std::path::PathBuf;

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
        add(&mut self.input_total, amount);
        add(&mut self.used_total, amount);
    }

    pub(crate) fn reject(&mut self, row: RejectedRow) {
        self.rows += 1;
        match row.amount {
            Some(a) => {
                add(&mut self.input_total, a);
                add(&mut self.rejected_total, a);
            }
            None => self.unvalued += 1,
        }
        self.rejected.push(row);
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

/// Totals of absurd inputs saturate instead of overflowing; amounts are
/// bounded per row (see `table::MAX_AMOUNT`), so real files never get near.
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
}

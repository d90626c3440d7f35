//! A snapshot that is mostly rejected fails instead of making a site from
//! what is left: a file whose rows all fail (a wrong delimiter, decimal
//! separator or date format) would otherwise give an empty or partial AR
//! and exit 0. When most rejected rows fail at the same column for the
//! same reason, the diagnosis names it and the setting that likely causes
//! it, rather than listing a thousand row errors.

use super::problem::{Kind, Problem};
use super::quality::FileQuality;
use std::collections::BTreeMap;

/// The problem that fails a snapshot: no usable row among rows read, every
/// line skipped as a report line, or more than `max_percent` % of its data
/// rows rejected. `None` when the snapshot may be used. A file with only a
/// header is an empty AR and may be used.
pub fn verdict(q: &FileQuality, max_percent: u8) -> Option<Problem> {
    let rejected = q.rejected.len() as u64;
    let headline = if q.rows == 0 {
        let consumed = q.skipped + q.layout.rows();
        if consumed == 0 {
            return None;
        }
        format!(
            "no data row: all {consumed} row(s) below the header were read as report lines (skip_rows, group headings, totals); expected at least one open item"
        )
    } else if q.used == 0 {
        format!("no usable row: all {} data row(s) were rejected", q.rows)
    } else if u128::from(rejected) * 100 > u128::from(max_percent) * u128::from(q.rows) {
        format!(
            "{rejected} of {} data rows ({} %) were rejected, more than the {max_percent} % allowed (set max_rejected_percent under [import] in arsite.toml to allow more)",
            q.rows,
            rejected * 100 / q.rows
        )
    } else {
        return None;
    };
    let mut message = headline;
    if let Some(d) = diagnosis(q) {
        message.push_str("; ");
        message.push_str(&d);
    }
    let mut p = Problem::file(&q.path, Kind::TooManyRejected, message);
    p.sheet = q.sheet.as_deref().map(std::sync::Arc::from);
    Some(p)
}

/// The column and kind of problem shared by more than half the rejected
/// rows, with an example and the likely cause.
fn diagnosis(q: &FileQuality) -> Option<String> {
    let mut counts: BTreeMap<(Option<usize>, Kind), (usize, &Problem)> = BTreeMap::new();
    for row in &q.rejected {
        let mut seen = Vec::new();
        for p in &row.problems {
            let key = (p.column, p.kind);
            if !seen.contains(&key) {
                seen.push(key);
                counts.entry(key).or_insert((0, p)).0 += 1;
            }
        }
    }
    let (&(column, kind), &(n, example)) = counts
        .iter()
        .max_by_key(|(k, (n, _))| (*n, std::cmp::Reverse(**k)))?;
    if n * 2 <= q.rejected.len() {
        let first = q.rejected.first()?.problems.first()?;
        return Some(format!(
            "the rows fail for different reasons (first at line {}: {})",
            first.line, first.message
        ));
    }
    let at = match column {
        Some(c) => format!(" at column {c}"),
        None => String::new(),
    };
    Some(format!(
        "{n} of them{at} for the same reason (first at line {}: {}); likely cause: {}",
        example.line,
        example.message,
        cause(kind)
    ))
}

/// The setting that most often makes every row fail with `kind`.
fn cause(kind: Kind) -> &'static str {
    match kind {
        Kind::Row => "the delimiter: the rows split into more fields than the header names (set delimiter in [import.snapshots])",
        Kind::Amount => "the decimal separator (set decimal = \",\" and thousands in [import.snapshots] when amounts are written 1.234,56) or an amount column mapped to the wrong header",
        Kind::Date => "date_format: the dates are written in another form (set date_format in [import.snapshots], e.g. \"DD.MM.YYYY\" or \"MM/DD/YYYY\")",
        Kind::MissingValue => "a column mapped to a header that is empty in these rows: another column of that name, a header in another language, or a customer given only in group headings ([import.snapshots.layout] group_heading)",
        Kind::Encoding => "the encoding (set encoding = \"windows-1252\" or \"utf-16le\" in [import.snapshots])",
        Kind::Value => "values in another language or spelling (status, the sign rule's lists)",
        Kind::Currency => "the currency column, or [rates] lacking its currencies",
        Kind::DuplicateId => "a document id shared by several rows (instalments, line items): map invoice_id to the column that tells them apart",
        _ => "the [import.snapshots] settings (columns, date_format, decimal)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::quality::RejectedRow;
    use arsite_core::{Currency, Money};
    use std::path::Path;
    use std::sync::Arc;

    fn problem(line: u64, column: usize, kind: Kind, message: &str) -> Problem {
        Problem {
            path: Arc::from(Path::new("s.csv")),
            sheet: None,
            line,
            column: Some(column),
            kind,
            message: message.into(),
        }
    }

    fn quality(used: u64, rejected: &[(Kind, usize)]) -> FileQuality {
        let mut q = FileQuality::new("s.csv".into(), Currency::from_code("EUR"), "open_amount");
        for _ in 0..used {
            q.accept(Money(100));
        }
        for (i, (kind, column)) in rejected.iter().enumerate() {
            let line = used + 2 + i as u64;
            q.reject(RejectedRow {
                line,
                fields: vec![],
                amount: None,
                problems: vec![problem(line, *column, *kind, "m")],
            });
        }
        q
    }

    #[test]
    fn the_share_is_compared_in_whole_percent_without_rounding() {
        // 1 of 2 = 50 %: 100 > 50 × 2 is false, allowed.
        assert!(verdict(&quality(1, &[(Kind::Date, 4)]), 50).is_none());
        // 2 of 3: 200 > 150, refused; and 200 > 66 × 3 = 198 too, not > 67 × 3 = 201.
        let q = quality(1, &[(Kind::Date, 4), (Kind::Date, 4)]);
        assert!(verdict(&q, 50).is_some());
        assert!(verdict(&q, 66).is_some());
        assert!(verdict(&q, 67).is_none());
        // No usable row fails at any threshold.
        assert!(verdict(&quality(0, &[(Kind::Date, 4)]), 100).is_some());
        // A header-only file is an empty ledger.
        assert!(verdict(&quality(0, &[]), 50).is_none());
    }

    #[test]
    fn the_diagnosis_names_the_shared_column_and_its_likely_cause() {
        let q = quality(0, &[(Kind::Row, 9), (Kind::Row, 9), (Kind::Amount, 6)]);
        let m = verdict(&q, 50).unwrap().message;
        assert_eq!(
            m,
            "no usable row: all 3 data row(s) were rejected; 2 of them at column 9 for the same reason (first at line 2: m); likely cause: the delimiter: the rows split into more fields than the header names (set delimiter in [import.snapshots])"
        );
        // No reason shared by more than half: the first row's problem.
        let q = quality(0, &[(Kind::Row, 9), (Kind::Amount, 6)]);
        let m = verdict(&q, 50).unwrap().message;
        assert!(
            m.ends_with("the rows fail for different reasons (first at line 2: m)"),
            "{m}"
        );
    }
}

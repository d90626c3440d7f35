//! Reading one canonical CSV table: header matching, field access and
//! positioned problems. Each input file (snapshots, sales, activity,
//! customers) describes its columns and turns rows into model values; the
//! mechanics of reading and reporting live here once.

use super::problem::{Problem, Problems};
use arsite_core::{Day, Money};
use std::path::Path;

/// The columns a file must and may have, by canonical name.
pub struct Schema {
    pub required: &'static [&'static str],
    pub optional: &'static [&'static str],
}

/// Field positions of a schema's columns in one file's header.
pub struct Columns {
    required: Vec<usize>,
    optional: Vec<Option<usize>>,
}

impl Columns {
    pub fn required(&self, i: usize) -> usize {
        self.required[i]
    }

    pub fn optional(&self, i: usize) -> Option<usize> {
        self.optional[i]
    }
}

/// A CSV file opened against a schema, read row by row into a reused buffer.
pub struct Table<'p> {
    path: &'p Path,
    reader: csv::Reader<std::fs::File>,
    pub columns: Columns,
    record: csv::ByteRecord,
    pub problems: Vec<Problem>,
}

/// Rows with problems beyond this are not read further: the file is
/// clearly not what was expected and the report would only repeat itself.
const MAX_PROBLEMS: usize = 10_000;

impl<'p> Table<'p> {
    pub fn open(path: &'p Path, schema: &Schema) -> Result<Table<'p>, Problems> {
        let file_problem = |line: u64, message: String| {
            Problems(vec![Problem {
                path: path.to_path_buf(),
                line,
                column: None,
                message,
            }])
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_path(path)
            .map_err(|e| file_problem(0, format!("cannot open: {e}")))?;
        let header = reader
            .byte_headers()
            .map_err(|e| file_problem(1, format!("expected a CSV header row: {e}")))?
            .clone();
        if header.is_empty() || (header.len() == 1 && header[0].is_empty()) {
            return Err(file_problem(
                1,
                "file is empty: expected a CSV header row".into(),
            ));
        }
        let names: Vec<String> = header
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_ascii_lowercase())
            .collect();
        let find = |name: &str| names.iter().position(|n| n == name);
        let missing: Vec<&str> = schema
            .required
            .iter()
            .copied()
            .filter(|n| find(n).is_none())
            .collect();
        if !missing.is_empty() {
            return Err(file_problem(
                1,
                format!(
                    "header is missing the column(s) {}; expected a header row with {} (optional: {})",
                    missing.join(", "),
                    schema.required.join(", "),
                    if schema.optional.is_empty() { "none".to_string() } else { schema.optional.join(", ") }
                ),
            ));
        }
        let columns = Columns {
            required: schema
                .required
                .iter()
                .map(|n| find(n).expect("checked above"))
                .collect(),
            optional: schema.optional.iter().map(|n| find(n)).collect(),
        };
        Ok(Table {
            path,
            reader,
            columns,
            record: csv::ByteRecord::new(),
            problems: Vec::new(),
        })
    }

    /// The next row, or `None` at the end. Unreadable rows are recorded as
    /// problems and skipped.
    pub fn next_row(&mut self) -> Option<Row<'_, 'p>> {
        loop {
            if self.problems.len() > MAX_PROBLEMS {
                return None;
            }
            match self.reader.read_byte_record(&mut self.record) {
                Ok(false) => return None,
                Ok(true) => break,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    self.problems.push(Problem {
                        path: self.path.to_path_buf(),
                        line,
                        column: None,
                        message: format!("unreadable CSV row: {e}"),
                    });
                }
            }
        }
        let line = self.record.position().map_or(0, |p| p.line());
        let before = self.problems.len();
        Some(Row {
            record: &self.record,
            columns: &self.columns,
            path: self.path,
            line,
            problems: &mut self.problems,
            before,
        })
    }

    /// All problems found, in file order, or `Ok` when there were none.
    pub fn finish(mut self) -> Result<(), Problems> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            self.problems.sort_by_key(|p| (p.line, p.column));
            Err(Problems(self.problems))
        }
    }
}

/// One row: typed access to its fields, each failure recorded with line and column.
pub struct Row<'t, 'p> {
    record: &'t csv::ByteRecord,
    pub columns: &'t Columns,
    path: &'p Path,
    pub line: u64,
    problems: &'t mut Vec<Problem>,
    before: usize,
}

impl<'t> Row<'t, '_> {
    pub fn problem(&mut self, field: usize, name: &str, message: String) {
        self.problems.push(Problem {
            path: self.path.to_path_buf(),
            line: self.line,
            column: Some(field + 1),
            message: format!("{name}: {message}"),
        });
    }

    /// Whether any field of this row had a problem.
    pub fn has_problems(&self) -> bool {
        self.problems.len() > self.before
    }

    /// The field as trimmed text; invalid UTF-8 is a problem, not a replacement character.
    pub fn text(&mut self, field: usize, name: &str) -> Option<&'t str> {
        let bytes = self.record.get(field).unwrap_or_default();
        match std::str::from_utf8(bytes) {
            Ok(s) => Some(s.trim()),
            Err(_) => {
                self.problem(
                    field,
                    name,
                    "expected UTF-8 text (is the file in another encoding?)".into(),
                );
                None
            }
        }
    }

    /// An optional column: empty text when the file does not have it.
    pub fn optional_text(&mut self, field: Option<usize>, name: &str) -> Option<&'t str> {
        match field {
            Some(f) => self.text(f, name),
            None => Some(""),
        }
    }

    pub fn required_text(&mut self, field: usize, name: &str) -> Option<&'t str> {
        let t = self.text(field, name)?;
        if t.is_empty() {
            self.problem(field, name, "missing value; this column is required".into());
            return None;
        }
        Some(t)
    }

    pub fn date(&mut self, field: usize, name: &str) -> Option<Day> {
        let t = self.required_text(field, name)?;
        let d = Day::parse_iso(t);
        if d.is_none() {
            self.problem(
                field,
                name,
                format!("expected a date YYYY-MM-DD, found {t:?}"),
            );
        }
        d
    }

    pub fn amount(&mut self, field: usize, name: &str, exponent: u32) -> Option<Money> {
        let t = self.required_text(field, name)?;
        self.parse_amount(field, name, t, exponent)
    }

    /// An optional amount: `Some(None)` when absent or empty.
    pub fn optional_amount(
        &mut self,
        field: Option<usize>,
        name: &str,
        exponent: u32,
    ) -> Option<Option<Money>> {
        let t = self.optional_text(field, name)?;
        if t.is_empty() {
            return Some(None);
        }
        self.parse_amount(
            field.expect("non-empty text comes from a column"),
            name,
            t,
            exponent,
        )
        .map(Some)
    }

    fn parse_amount(&mut self, field: usize, name: &str, t: &str, exponent: u32) -> Option<Money> {
        match Money::parse_plain(t, exponent) {
            Ok(m) => Some(m),
            Err(e) => {
                self.problem(field, name, format!("{e}, found {t:?}"));
                None
            }
        }
    }
}

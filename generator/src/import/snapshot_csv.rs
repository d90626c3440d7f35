//! The canonical snapshot format (v1): a UTF-8, comma-separated file with a
//! header row; see the README for the columns.

use super::problem::{Problem, Problems};
use arsite_core::model::InvoiceRow;
use arsite_core::{Currency, Day, Money, Snapshot, SnapshotBuilder, Status};
use std::collections::HashSet;
use std::path::Path;

const REQUIRED: [&str; 7] = [
    "invoice_id",
    "customer_id",
    "customer_name",
    "invoice_date",
    "due_date",
    "amount",
    "open_amount",
];
const OPTIONAL: [&str; 4] = ["currency", "division", "collector", "status"];

/// Field positions of the known columns in this file's header.
struct Columns {
    required: [usize; 7],
    optional: [Option<usize>; 4],
}

impl Columns {
    fn from_header(header: &csv::ByteRecord) -> Result<Columns, String> {
        let names: Vec<String> = header
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_ascii_lowercase())
            .collect();
        let find = |name: &str| names.iter().position(|n| n == name);
        let missing: Vec<&str> = REQUIRED.iter().copied().filter(|n| find(n).is_none()).collect();
        if !missing.is_empty() {
            return Err(format!(
                "header is missing the column(s) {}; expected a header row with {} (optional: {})",
                missing.join(", "),
                REQUIRED.join(", "),
                OPTIONAL.join(", ")
            ));
        }
        Ok(Columns {
            required: REQUIRED.map(|n| find(n).expect("checked above")),
            optional: OPTIONAL.map(find),
        })
    }
}

/// Reads one snapshot file. All row problems are collected (not just the
/// first) so a user can fix a file in one pass.
pub fn read(path: &Path, as_of: Day, currency: &Currency) -> Result<Snapshot, Problems> {
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
        return Err(file_problem(1, "file is empty: expected a CSV header row".into()));
    }
    let columns = Columns::from_header(&header).map_err(|m| file_problem(1, m))?;

    let mut builder = SnapshotBuilder::new(as_of, currency.clone());
    let mut problems = Vec::new();
    let mut seen_ids: HashSet<Vec<u8>> = HashSet::new();
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(Problem {
                    path: path.to_path_buf(),
                    line,
                    column: None,
                    message: format!("unreadable CSV row: {e}"),
                });
                if problems.len() > 10_000 {
                    break;
                }
                continue;
            }
        }
        let line = record.position().map_or(0, |p| p.line());
        let mut row = RowParser {
            record: &record,
            path,
            line,
            problems: &mut problems,
            currency,
        };
        if let Some(parsed) = row.parse(&columns, as_of) {
            if !seen_ids.insert(parsed.invoice_id.as_bytes().to_vec()) {
                problems.push(Problem {
                    path: path.to_path_buf(),
                    line,
                    column: Some(columns.required[0] + 1),
                    message: format!(
                        "invoice_id: duplicate id {:?} in this snapshot; expected each open item once",
                        parsed.invoice_id
                    ),
                });
                continue;
            }
            builder.push(&parsed);
        }
    }
    if problems.is_empty() {
        Ok(builder.finish())
    } else {
        Err(Problems(problems))
    }
}

struct RowParser<'r, 'p> {
    record: &'r csv::ByteRecord,
    path: &'p Path,
    line: u64,
    problems: &'p mut Vec<Problem>,
    currency: &'p Currency,
}

impl<'r> RowParser<'r, '_> {
    fn problem(&mut self, field: usize, name: &str, message: String) {
        self.problems.push(Problem {
            path: self.path.to_path_buf(),
            line: self.line,
            column: Some(field + 1),
            message: format!("{name}: {message}"),
        });
    }

    /// The field as text; invalid UTF-8 is a problem, not a replacement character.
    fn text(&mut self, field: usize, name: &str) -> Option<&'r str> {
        let bytes = self.record.get(field).unwrap_or_default();
        match std::str::from_utf8(bytes) {
            Ok(s) => Some(s.trim()),
            Err(_) => {
                self.problem(field, name, "expected UTF-8 text (is the file in another encoding?)".into());
                None
            }
        }
    }

    fn required_text(&mut self, field: usize, name: &str) -> Option<&'r str> {
        let t = self.text(field, name)?;
        if t.is_empty() {
            self.problem(field, name, "missing value; this column is required".into());
            return None;
        }
        Some(t)
    }

    fn date(&mut self, field: usize, name: &str) -> Option<Day> {
        let t = self.required_text(field, name)?;
        let d = Day::parse_iso(t);
        if d.is_none() {
            self.problem(field, name, format!("expected a date YYYY-MM-DD, found {t:?}"));
        }
        d
    }

    fn amount(&mut self, field: usize, name: &str) -> Option<Money> {
        let t = self.required_text(field, name)?;
        match Money::parse_plain(t, self.currency.exponent) {
            Ok(m) => Some(m),
            Err(e) => {
                self.problem(field, name, format!("{e}, found {t:?}"));
                None
            }
        }
    }

    fn parse(&mut self, c: &Columns, as_of: Day) -> Option<InvoiceRow<'r>> {
        let before = self.problems.len();
        let [id, cust, cname, inv_date, due, amount, open] = c.required;
        let invoice_id = self.required_text(id, "invoice_id");
        let customer_id = self.required_text(cust, "customer_id");
        let customer_name = self.text(cname, "customer_name");
        let invoice_date = self.date(inv_date, "invoice_date");
        let due_date = self.date(due, "due_date");
        let amount = self.amount(amount, "amount");
        let open_amount = self.amount(open, "open_amount");
        let [currency_col, division_col, collector_col, status_col] = c.optional;
        let opt = |s: &mut Self, col: Option<usize>, name: &str| match col {
            Some(f) => s.text(f, name),
            None => Some(""),
        };
        let currency = opt(self, currency_col, "currency");
        let division = opt(self, division_col, "division");
        let collector = opt(self, collector_col, "collector");
        let status_text = opt(self, status_col, "status");
        let status = status_text.and_then(|t| {
            let s = Status::parse(t);
            if s.is_none() {
                self.problem(
                    status_col.unwrap_or_default(),
                    "status",
                    format!("expected one of open, disputed, promised, agency, legal, found {t:?}"),
                );
            }
            s
        });
        if let (Some(cur), Some(f)) = (currency, currency_col) {
            if !cur.is_empty() && !cur.eq_ignore_ascii_case(&self.currency.code) {
                self.problem(
                    f,
                    "currency",
                    format!(
                        "expected {} (the site's currency; conversion comes with import mappings), found {cur:?}",
                        self.currency.code
                    ),
                );
            }
        }
        if let Some(d) = invoice_date.filter(|d| *d > as_of) {
            self.problem(inv_date, "invoice_date", format!("date {d} is after the snapshot date {as_of}"));
        }
        if let (Some(i), Some(d)) = (invoice_date, due_date) {
            if d < i {
                self.problem(due, "due_date", format!("due date {d} is before the invoice date {i}"));
            }
        }
        if self.problems.len() > before {
            return None;
        }
        Some(InvoiceRow {
            invoice_id: invoice_id?,
            customer_id: customer_id?,
            customer_name: customer_name?,
            division: division?,
            collector: collector?,
            status: status?,
            invoice_date: invoice_date?,
            due_date: due_date?,
            amount: amount?,
            open: open_amount?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn read_text(text: &str) -> Result<Snapshot, Problems> {
        read_bytes(text.as_bytes())
    }

    fn read_bytes(bytes: &[u8]) -> Result<Snapshot, Problems> {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(bytes).unwrap();
        read(f.path(), Day::parse_iso("2026-10-31").unwrap(), &Currency::from_code("EUR"))
    }

    const HEADER: &str = "invoice_id,customer_id,customer_name,invoice_date,due_date,amount,open_amount\n";

    #[test]
    fn reads_required_and_optional_columns_in_any_order() {
        let s = read_text(
            "\u{feff}Status,customer_name,invoice_id,customer_id,invoice_date,due_date,amount,open_amount,collector\n\
             disputed,\"Smith & Sons, Ltd\",I1,C1,2026-09-01,2026-10-01,100.00,40.5,Ann\n",
        )
        .unwrap();
        assert_eq!(s.invoices.len(), 1);
        let inv = &s.invoices[0];
        assert_eq!(inv.open, Money(4050));
        assert_eq!(inv.status, Status::Disputed);
        assert_eq!(s.customers[0].name, "Smith & Sons, Ltd");
        assert_eq!(s.collectors[inv.collector as usize], "Ann");
    }

    #[test]
    fn header_only_is_an_empty_snapshot() {
        assert!(read_text(HEADER).unwrap().invoices.is_empty());
    }

    fn problems(text: &str) -> Vec<String> {
        read_text(text).unwrap_err().0.iter().map(|p| {
            let s = p.to_string();
            s[s.find(':').unwrap()..].to_string()
        }).collect()
    }

    #[test]
    fn row_problems_name_line_column_value_and_expectation() {
        let found = problems(&format!(
            "{HEADER}I1,C1,A,2026-13-01,2026-10-01,100.00,100.00\n\
             I2,C1,A,2026-09-01,2026-10-01,1.234,1\n\
             I3,,A,2026-09-01,2026-08-01,5,5\n\
             I1,C1,A,2026-09-01,2026-10-01,5,5\n\
             I5,C1,A,2026-11-05,2026-12-01,5,5\n"
        ));
        assert_eq!(
            found,
            vec![
                ":2:4: error: invoice_date: expected a date YYYY-MM-DD, found \"2026-13-01\"",
                ":3:6: error: amount: expected at most 2 decimal places for this currency, found \"1.234\"",
                ":4:2: error: customer_id: missing value; this column is required",
                ":4:5: error: due_date: due date 2026-08-01 is before the invoice date 2026-09-01",
                ":5:1: error: invoice_id: duplicate id \"I1\" in this snapshot; expected each open item once",
                ":6:4: error: invoice_date: date 2026-11-05 is after the snapshot date 2026-10-31",
            ]
        );
    }

    #[test]
    fn file_level_problems_explain_what_was_expected() {
        assert_eq!(problems(""), vec![":1: error: file is empty: expected a CSV header row"]);
        let found = problems("id;customer;amount\n1;2;3\n");
        assert!(found[0].starts_with(":1: error: header is missing the column(s) invoice_id, customer_id"), "{found:?}");
        let mut latin1 = HEADER.as_bytes().to_vec();
        latin1.extend_from_slice(b"I1,C1,M\xfcller GmbH,2026-09-01,2026-10-01,5,5\n");
        let p = read_bytes(&latin1).unwrap_err().0;
        assert_eq!(p.len(), 1);
        assert!(p[0].to_string().ends_with(":2:3: error: customer_name: expected UTF-8 text (is the file in another encoding?)"), "{}", p[0]);
    }

    #[test]
    fn unknown_status_and_foreign_currency_are_problems() {
        let found = problems(
            "invoice_id,customer_id,customer_name,invoice_date,due_date,amount,open_amount,currency,status\n\
             I1,C1,A,2026-09-01,2026-10-01,5,5,USD,paid\n",
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains(":9: error: status: expected one of open"), "{found:?}");
        assert!(found[1].contains(":8: error: currency: expected EUR"), "{found:?}");
    }
}

//! The canonical snapshot format (v1): a UTF-8, comma-separated file with a
//! header row; see the README for the columns.

use super::problem::Problems;
use super::table::{Row, Schema, Table};
use arsite_core::model::InvoiceRow;
use arsite_core::{Currency, Day, Snapshot, SnapshotBuilder, Status};
use std::collections::HashSet;
use std::path::Path;

const SCHEMA: Schema = Schema {
    required: &[
        "invoice_id",
        "customer_id",
        "customer_name",
        "invoice_date",
        "due_date",
        "amount",
        "open_amount",
    ],
    optional: &["currency", "division", "collector", "status"],
};

/// Reads one snapshot file. All row problems are collected (not just the
/// first) so a user can fix a file in one pass.
pub fn read(path: &Path, as_of: Day, currency: &Currency) -> Result<Snapshot, Problems> {
    let mut table = Table::open(path, &SCHEMA)?;
    let mut builder = SnapshotBuilder::new(as_of, currency.clone());
    let mut seen_ids: HashSet<Box<str>> = HashSet::new();
    while let Some(mut row) = table.next_row() {
        if let Some(parsed) = parse_row(&mut row, as_of, currency, &mut seen_ids) {
            builder.push(&parsed);
        }
    }
    table.finish()?;
    Ok(builder.finish())
}

fn parse_row<'t>(
    row: &mut Row<'t, '_>,
    as_of: Day,
    currency: &Currency,
    seen_ids: &mut HashSet<Box<str>>,
) -> Option<InvoiceRow<'t>> {
    let c = row.columns;
    let exp = currency.exponent;
    let inv_date_field = c.required(3);
    let due_field = c.required(4);
    let invoice_id = row.required_text(c.required(0), "invoice_id");
    if let Some(id) = invoice_id {
        if !seen_ids.insert(id.into()) {
            row.problem(
                c.required(0),
                "invoice_id",
                format!("duplicate id {id:?} in this snapshot; expected each open item once"),
            );
        }
    }
    let customer_id = row.required_text(c.required(1), "customer_id");
    let customer_name = row.text(c.required(2), "customer_name");
    let invoice_date = row.date(inv_date_field, "invoice_date");
    let due_date = row.date(due_field, "due_date");
    let amount = row.amount(c.required(5), "amount", exp);
    let open_amount = row.amount(c.required(6), "open_amount", exp);
    let row_currency = row.optional_text(c.optional(0), "currency");
    let division = row.optional_text(c.optional(1), "division");
    let collector = row.optional_text(c.optional(2), "collector");
    let status_text = row.optional_text(c.optional(3), "status");
    let status = status_text.and_then(|t| {
        let s = Status::parse(t);
        if s.is_none() {
            row.problem(
                c.optional(3).unwrap_or_default(),
                "status",
                format!("expected one of open, disputed, promised, agency, legal, found {t:?}"),
            );
        }
        s
    });
    if let (Some(cur), Some(f)) = (row_currency, c.optional(0)) {
        if !cur.is_empty() && !cur.eq_ignore_ascii_case(&currency.code) {
            row.problem(
                f,
                "currency",
                format!(
                    "expected {} (the site's currency; conversion comes with import mappings), found {cur:?}",
                    currency.code
                ),
            );
        }
    }
    if let Some(d) = invoice_date.filter(|d| *d > as_of) {
        row.problem(
            inv_date_field,
            "invoice_date",
            format!("date {d} is after the snapshot date {as_of}"),
        );
    }
    if let (Some(i), Some(d)) = (invoice_date, due_date) {
        if d < i {
            row.problem(
                due_field,
                "due_date",
                format!("due date {d} is before the invoice date {i}"),
            );
        }
    }
    if row.has_problems() {
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

#[cfg(test)]
mod tests {
    use super::*;
    use arsite_core::Money;
    use std::io::Write;

    fn read_text(text: &str) -> Result<Snapshot, Problems> {
        read_bytes(text.as_bytes())
    }

    fn read_bytes(bytes: &[u8]) -> Result<Snapshot, Problems> {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(bytes).unwrap();
        read(
            f.path(),
            Day::parse_iso("2026-10-31").unwrap(),
            &Currency::from_code("EUR"),
        )
    }

    const HEADER: &str =
        "invoice_id,customer_id,customer_name,invoice_date,due_date,amount,open_amount\n";

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
        read_text(text)
            .unwrap_err()
            .0
            .iter()
            .map(|p| {
                let s = p.to_string();
                s[s.find(':').unwrap()..].to_string()
            })
            .collect()
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
        assert_eq!(
            problems(""),
            vec![":1: error: file is empty: expected a CSV header row"]
        );
        let found = problems("id;customer;amount\n1;2;3\n");
        assert!(
            found[0]
                .starts_with(":1: error: header is missing the column(s) invoice_id, customer_id"),
            "{found:?}"
        );
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
        assert!(
            found[0].contains(":8: error: currency: expected EUR"),
            "{found:?}"
        );
        assert!(
            found[1].contains(":9: error: status: expected one of open"),
            "{found:?}"
        );
    }
}

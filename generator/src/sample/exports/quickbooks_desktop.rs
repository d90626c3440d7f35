//! QuickBooks Desktop's Open Invoices report saved as CSV: an unnamed first
//! column holding the customer headings and `Total <customer>` rows, the
//! documents below each heading, a grand `TOTAL`; no title rows (the CSV
//! export leaves them out); Windows-1252, CRLF, `MM/DD/YYYY`, `1,234.56`
//! quoted where it holds the comma, a leading minus. Payments carry no
//! `Num` and credits no due date or terms, as QuickBooks leaves them blank.
//! The report has no sales rep column unless customised, so the sample has
//! none; Class carries the division.

use super::{by_customer_name, grouped, DocKind, Item, Windows1252};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

const HEADER: [&str; 10] = [
    "",
    "Type",
    "Date",
    "Num",
    "P. O. #",
    "Terms",
    "Due Date",
    "Class",
    "Aging",
    "Open Balance",
];

/// The name a user types when saving: QuickBooks proposes none with a date.
pub(super) fn file_name(as_of: NaiveDate) -> String {
    format!("Open Invoices {}.csv", as_of.format("%Y-%m-%d"))
}

pub(super) fn write(path: &Path, as_of: NaiveDate, items: &[Item]) -> Result<()> {
    let file =
        File::create(path).with_context(|| format!("sample: cannot create {}", path.display()))?;
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Windows1252::new(BufWriter::with_capacity(1 << 20, file)));
    let date = |d: NaiveDate| d.format("%m/%d/%Y").to_string();
    let money = |c: i64| {
        let g = grouped(c, '.', ',');
        if c < 0 {
            format!("-{g}")
        } else {
            g
        }
    };
    // A total or heading: its label first, the open balance last.
    let line = |label: &str, amount: Option<i64>| {
        let mut cells = vec![String::new(); HEADER.len()];
        cells[0] = label.to_string();
        if let Some(a) = amount {
            cells[HEADER.len() - 1] = money(a);
        }
        cells
    };
    // Customers in the order of their names, as the report lists them;
    // each one's documents in their order.
    let sorted = by_customer_name(items);
    let items = &sorted[..];
    w.write_record(HEADER)?;
    let mut total = 0i64;
    let mut i = 0;
    while i < items.len() {
        let customer = &items[i].customer_id;
        let name = &items[i].customer_name;
        w.write_record(line(name, None))?;
        let mut subtotal = 0i64;
        while i < items.len() && items[i].customer_id == *customer {
            let it = &items[i];
            let invoice = it.kind() == DocKind::Invoice;
            let kind = match it.kind() {
                DocKind::Invoice => "Invoice",
                DocKind::CreditMemo => "Credit Memo",
                DocKind::Payment => "Payment",
            };
            let num = if it.kind() == DocKind::Payment {
                ""
            } else {
                &it.invoice_id
            };
            let days = it.days_past_due(as_of);
            let terms = format!("Net {}", (it.due_date - it.invoice_date).num_days());
            w.write_record([
                "",
                kind,
                &date(it.invoice_date),
                num,
                "",
                if invoice { &terms } else { "" },
                &if invoice {
                    date(it.due_date)
                } else {
                    String::new()
                },
                &it.division,
                &if invoice && days > 0 {
                    days.to_string()
                } else {
                    String::new()
                },
                &money(it.open),
            ])?;
            subtotal += it.open;
            i += 1;
        }
        total += subtotal;
        w.write_record(line(&format!("Total {name}"), Some(subtotal)))?;
    }
    w.write_record(line("TOTAL", Some(total)))?;
    let inner = w.into_inner().map_err(|e| anyhow::anyhow!("sample: {e}"))?;
    inner.finish()?.flush()?;
    Ok(())
}

//! Xero's Aged Receivables Detail exported to Excel: four title rows
//! ("Aged Receivables Detail", the organisation, "As at 31 October 2026",
//! "Ageing by due date"), a blank row, the header, a heading row per
//! contact, its documents with the amount in the ageing column it falls in
//! and again in Total, `Total <contact>` rows and a grand `Total`. Date and
//! number cells. Credit notes have no due date; overpayments (the
//! sample's unapplied payments) no number and no due date either.

use super::{aging_column, by_customer_name, plain, DocKind, Item, XCell, XlsxWriter};
use anyhow::Result;
use chrono::NaiveDate;
use std::path::Path;

const HEADER: [&str; 11] = [
    "Invoice Date",
    "Invoice Number",
    "Invoice Reference",
    "Due Date",
    "Current",
    "< 1 Month",
    "1 Month",
    "2 Months",
    "3 Months",
    "Older",
    "Total",
];

/// Xero names the download after the organisation and the report, with no
/// date: `Demo_Company__UK__-_Aged_Receivables_Detail.xlsx` (every
/// character but letters and digits becomes `_`). Downloading it again
/// gives the browser's ` (1)`, ` (2)`, … (`nth` counts from 0).
pub(super) fn file_name(organisation: &str, nth: usize) -> String {
    let org: String = organisation
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    let copy = if nth == 0 {
        String::new()
    } else {
        format!(" ({nth})")
    };
    format!("{org}_-_Aged_Receivables_Detail{copy}.xlsx")
}

pub(super) fn write(
    path: &Path,
    organisation: &str,
    as_of: NaiveDate,
    items: &[Item],
) -> Result<()> {
    let mut x = XlsxWriter::create(path, "Aged Receivables Detail")?;
    x.row(&[XCell::Text("Aged Receivables Detail")])?;
    x.row(&[XCell::Text(organisation)])?;
    x.row(&[XCell::Text(&format!("As at {}", as_of.format("%-d %B %Y")))])?;
    x.row(&[XCell::Text("Ageing by due date")])?;
    x.row(&[])?;
    x.row(&HEADER.map(XCell::Text))?;
    // A total row: its label, then each ageing column's sum and the total.
    let totals = |x: &mut XlsxWriter, label: &str, sums: &[i64; 6]| -> Result<()> {
        let texts: Vec<String> = sums
            .iter()
            .chain(std::iter::once(&sums.iter().sum::<i64>()))
            .map(|c| plain(*c))
            .collect();
        let mut cells = vec![XCell::Text(label), XCell::Empty, XCell::Empty, XCell::Empty];
        cells.extend(texts.iter().map(|t| XCell::Number(t)));
        x.row(&cells)
    };
    // Customers in the order of their names, as the report lists them;
    // each one's documents in their order.
    let sorted = by_customer_name(items);
    let items = &sorted[..];
    let mut grand = [0i64; 6];
    let mut i = 0;
    while i < items.len() {
        let contact = &items[i].customer_id;
        let name = &items[i].customer_name;
        x.row(&[XCell::Text(name)])?;
        let mut sums = [0i64; 6];
        while i < items.len() && items[i].customer_id == *contact {
            let it = &items[i];
            let b = aging_column(it.days_past_due(as_of));
            let open = plain(it.open);
            let (number, reference, due) = match it.kind() {
                DocKind::Invoice => (
                    XCell::Text(&it.invoice_id),
                    XCell::Empty,
                    XCell::Date(it.due_date),
                ),
                DocKind::CreditMemo => (
                    XCell::Text(&it.invoice_id),
                    XCell::Text("Credit Note"),
                    XCell::Empty,
                ),
                DocKind::Payment => (XCell::Empty, XCell::Text("Overpayment"), XCell::Empty),
            };
            let mut cells = vec![XCell::Date(it.invoice_date), number, reference, due];
            cells.extend((0..6).map(|k| {
                if k == b {
                    XCell::Number(&open)
                } else {
                    XCell::Empty
                }
            }));
            cells.push(XCell::Number(&open));
            x.row(&cells)?;
            sums[b] += it.open;
            i += 1;
        }
        for (g, s) in grand.iter_mut().zip(sums) {
            *g += s;
        }
        totals(&mut x, &format!("Total {name}"), &sums)?;
    }
    totals(&mut x, "Total", &grand)?;
    x.finish()
}

//! Odoo's Aged Partner Balance with move line details, as the OCA module
//! account_financial_report exports it to Excel: the title ("Aged Partner
//! Balance - <company> - <currency>", also the sheet's name cut to 31
//! characters), the filters, the receivable account's title, then per
//! partner a heading row with its name, the header again, its move lines
//! and a "Partner cumul aged balance" row; after the last partner the
//! account's "Total" and "Percents" rows. Amounts are number cells, the
//! residual again in the one aging column it falls in (zeros in the
//! others); dates are date cells here (the module writes them as text
//! DD/MM/YYYY, which the preset reads with `date_format` changed: the
//! sample stays readable with the preset alone). No currency, division or
//! collector column; refunds and payments keep their entry numbers.

use super::{aging_column, by_customer_name, plain, DocKind, Item, XCell, XlsxWriter};
use anyhow::Result;
use chrono::NaiveDate;
use std::path::Path;

const HEADER: [&str; 14] = [
    "Date",
    "Entry",
    "Journal",
    "Account",
    "Partner",
    "Ref - Label",
    "Due date",
    "Residual",
    "Current",
    "Age ≤ 30 d.",
    "Age ≤ 60 d.",
    "Age ≤ 90 d.",
    "Age ≤ 120 d.",
    "Older",
];

/// Where the labels of the total rows go (the "Ref - Label" column).
const LABEL: usize = 5;
const RESIDUAL: usize = 7;
const ACCOUNT: &str = "121000 Account Receivable";

/// The report's name with the date a user adds when saving.
pub(super) fn file_name(as_of: NaiveDate) -> String {
    format!("Aged Partner Balance {}.xlsx", as_of.format("%Y-%m-%d"))
}

/// A row with `label` in the label column and the residual and aging sums.
fn total_row(x: &mut XlsxWriter, label: &str, sums: &[i64; 6]) -> Result<()> {
    let texts: Vec<String> = std::iter::once(sums.iter().sum::<i64>())
        .chain(sums.iter().copied())
        .map(plain)
        .collect();
    let mut cells = vec![XCell::Empty; RESIDUAL];
    cells[LABEL] = XCell::Text(label);
    cells.extend(texts.iter().map(|t| XCell::Number(t)));
    x.row(&cells)
}

pub(super) fn write(
    path: &Path,
    company: &str,
    currency: &str,
    as_of: NaiveDate,
    items: &[Item],
) -> Result<()> {
    let title = format!("Aged Partner Balance - {company} - {currency}");
    let sheet: String = title.chars().take(31).collect();
    let mut x = XlsxWriter::create(path, &sheet)?;
    x.row(&[XCell::Text(&title)])?;
    x.row(&[])?;
    x.row(&[])?;
    let date_at = as_of.format("%d/%m/%Y").to_string();
    x.row(&[
        XCell::Empty,
        XCell::Text("Date at filter"),
        XCell::Empty,
        XCell::Empty,
        XCell::Text(&date_at),
    ])?;
    x.row(&[
        XCell::Empty,
        XCell::Text("Target moves filter"),
        XCell::Empty,
        XCell::Empty,
        XCell::Text("All posted entries"),
    ])?;
    x.row(&[])?;
    x.row(&[])?;
    x.row(&[XCell::Text("121000 - Account Receivable")])?;
    // Partners in the order of their names; each one's lines in theirs.
    let sorted = by_customer_name(items);
    let items = &sorted[..];
    let mut grand = [0i64; 6];
    let mut i = 0;
    while i < items.len() {
        let partner = &items[i].customer_id;
        let name = &items[i].customer_name;
        x.row(&[XCell::Text(name)])?;
        x.row(&HEADER.map(XCell::Text))?;
        let mut sums = [0i64; 6];
        while i < items.len() && items[i].customer_id == *partner {
            let it = &items[i];
            let b = aging_column(it.days_past_due(as_of));
            let (journal, label) = match it.kind() {
                DocKind::Invoice | DocKind::CreditMemo => ("INV", it.invoice_id.as_str()),
                DocKind::Payment => ("BNK1", "Customer Payment"),
            };
            let open = plain(it.open);
            let zero = plain(0);
            let mut cells = vec![
                XCell::Date(it.invoice_date),
                XCell::Text(&it.invoice_id),
                XCell::Text(journal),
                XCell::Text(ACCOUNT),
                XCell::Text(name),
                XCell::Text(label),
                XCell::Date(it.due_date),
                XCell::Number(&open),
            ];
            cells.extend((0..6).map(|k| XCell::Number(if k == b { &open } else { &zero })));
            x.row(&cells)?;
            sums[b] += it.open;
            i += 1;
        }
        for (g, s) in grand.iter_mut().zip(sums) {
            *g += s;
        }
        total_row(&mut x, "Partner cumul aged balance", &sums)?;
        x.row(&[])?;
    }
    total_row(&mut x, "Total", &grand)?;
    // Each aging column's share of the total, as a fraction (a percent
    // cell); the residual column stays empty.
    let total: i64 = grand.iter().sum();
    let shares: Vec<String> = grand
        .iter()
        .map(|s| {
            if total == 0 {
                "0".to_string()
            } else {
                format!("{:.4}", *s as f64 / total as f64)
            }
        })
        .collect();
    let mut cells = vec![XCell::Empty; RESIDUAL + 1];
    cells[LABEL] = XCell::Text("Percents");
    cells.extend(shares.iter().map(|t| XCell::Number(t)));
    x.row(&cells)?;
    x.finish()
}

//! CSV export of the dashboard's lists.
//!
//! Spreadsheets execute a cell that starts with `=`, `+`, `-` or `@` (and,
//! in some, a tab or carriage return) as a formula, so an invoice id or a
//! customer name chosen by an outsider could run in the reader's
//! spreadsheet ("CSV injection"). Every *text* cell starting with one of
//! those characters gets a leading `'`, which spreadsheets show as text.
//! Numbers are written plain (`-1234.50`, no grouping) and never altered:
//! a negative amount must stay a number.

use crate::select::{CustomerTotals, Index};
use crate::table::Table;
use crate::viewstate::iso_date;
use crate::{Day, Money};
use std::fmt::Write;

/// Appends one text cell, neutralised and quoted when needed (RFC 4180).
pub fn text_cell(out: &mut String, text: &str) {
    let risky = crate::format::starts_like_formula(text);
    let quote = risky
        || text.contains([',', '"', '\n', '\r'])
        || text.starts_with(' ')
        || text.ends_with(' ');
    if quote {
        out.push('"');
    }
    if risky {
        out.push('\'');
    }
    for ch in text.chars() {
        if ch == '"' {
            out.push('"');
        }
        out.push(ch);
    }
    if quote {
        out.push('"');
    }
}

/// A money cell in plain decimal form (`-1234.50`).
pub fn money_cell(out: &mut String, m: Money, exponent: u32) {
    let _ = write!(out, "{}", m.to_decimal(exponent));
}

fn line(out: &mut String, cells: &[&dyn Fn(&mut String)]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        cell(out);
    }
    out.push_str("\r\n");
}

/// The invoices of `rows` (rows of `index`, in the order given).
pub fn invoices(index: &Index<'_>, rows: &[u32]) -> String {
    let s = index.table;
    let exp = s.currency.exponent;
    let labels = index.scheme.labels();
    let mut out = String::with_capacity(64 + rows.len() * 120);
    out.push_str(
        "invoice_id,customer_id,customer_name,division,collector,status,invoice_date,due_date,\
         days_past_due,bucket,amount,open_amount,currency\r\n",
    );
    for &r in rows {
        let i = index.invoice_index(r);
        let cust = &s.customers[s.customer[i] as usize];
        line(
            &mut out,
            &[
                &|o| text_cell(o, s.id(i)),
                &|o| text_cell(o, &cust.id),
                &|o| text_cell(o, &cust.name),
                &|o| text_cell(o, &s.divisions[s.division[i] as usize]),
                &|o| text_cell(o, &s.collectors[s.collector[i] as usize]),
                &|o| o.push_str(s.status[i].as_str()),
                &|o| o.push_str(&iso_date(s.invoice_date[i])),
                &|o| o.push_str(&iso_date(s.due_date[i])),
                &|o| {
                    let _ = write!(o, "{}", index.dpd_of_row(r));
                },
                &|o| text_cell(o, &labels[index.bucket_of_row(r)]),
                &|o| money_cell(o, s.amount[i], exp),
                &|o| money_cell(o, s.open[i], exp),
                &|o| o.push_str(&s.currency.code),
            ],
        );
    }
    out
}

/// The customers of `list` (indices into the table's customers) with
/// their totals within the selection.
pub fn customers(s: &Table, totals: &[CustomerTotals], list: &[u32]) -> String {
    let exp = s.currency.exponent;
    let mut out = String::with_capacity(64 + list.len() * 80);
    out.push_str(
        "customer_id,customer_name,open_amount,past_due,items,max_days_past_due,currency\r\n",
    );
    for &c in list {
        let cust = &s.customers[c as usize];
        let t = &totals[c as usize];
        line(
            &mut out,
            &[
                &|o| text_cell(o, &cust.id),
                &|o| text_cell(o, &cust.name),
                &|o| money_cell(o, t.open, exp),
                &|o| money_cell(o, t.past_due, exp),
                &|o| {
                    let _ = write!(o, "{}", t.count);
                },
                &|o| {
                    let _ = write!(o, "{}", t.max_dpd);
                },
                &|o| o.push_str(&s.currency.code),
            ],
        );
    }
    out
}

/// A file name that says what was exported: `arsite-2026-10-31-invoices`
/// followed by the filter's parts (`-collector-ann-smith-bucket-31-60`),
/// kept to letters, digits and dashes so every file system accepts it.
pub fn file_name(as_of: Day, list: &str, parts: &[(&str, String)]) -> String {
    let mut name = format!("arsite-{}-{list}", iso_date(as_of));
    for (key, value) in parts {
        let slug = slug(value);
        if slug.is_empty() {
            continue;
        }
        name.push('-');
        name.push_str(key);
        name.push('-');
        name.push_str(&slug);
        if name.len() > 150 {
            name.truncate(150);
            break;
        }
    }
    while name.ends_with('-') {
        name.pop();
    }
    name.push_str(".csv");
    name
}

fn slug(text: &str) -> String {
    let mut out = String::new();
    for ch in text.chars().flat_map(char::to_lowercase) {
        if ch.is_alphanumeric() {
            out.push(ch);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::select::fixture::{snapshot, R};
    use crate::select::Query;
    use crate::AgingScheme;

    fn cell(text: &str) -> String {
        let mut s = String::new();
        text_cell(&mut s, text);
        s
    }

    #[test]
    fn formula_starts_are_neutralised() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+1"), "\"'+1\"");
        assert_eq!(cell("-2"), "\"'-2\"");
        assert_eq!(cell("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(cell("\tx"), "\"'\tx\"");
        assert_eq!(cell("\rx"), "\"'\rx\"");
        assert_eq!(cell("Smith, Jones"), "\"Smith, Jones\"");
        assert_eq!(cell("a=b"), "a=b");
        assert_eq!(cell("plain"), "plain");
    }

    #[test]
    fn numbers_stay_numbers() {
        let mut s = String::new();
        money_cell(&mut s, Money(-123_450), 2);
        assert_eq!(s, "-1234.50");
    }

    #[test]
    fn invoice_export_has_every_selected_row() {
        let s = snapshot(&[
            R::new("=1+1", "C1", "North", "ann", 10, -5_000),
            R::new("B", "C2", "South", "bob", -3, 2_500),
        ]);
        let scheme = AgingScheme::default();
        let table = Table::from_snapshot(&s);
        let index = Index::new(&table, &scheme);
        let rows = index.rows(&index.prepare(&Query::default()));
        let csv = invoices(&index, &rows);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines.len(), 4, "{csv}");
        assert!(lines[1].starts_with("\"'=1+1\",C1,C1 Name,North,ann,open,"));
        assert!(
            lines[1].ends_with(",10,1–30,51.00,-50.00,EUR"),
            "{}",
            lines[1]
        );
        assert!(
            lines[2].ends_with(",-3,Current,26.00,25.00,EUR"),
            "{}",
            lines[2]
        );
    }

    #[test]
    fn file_names_describe_the_filter() {
        let d = Day::parse_iso("2026-10-31").unwrap();
        assert_eq!(
            file_name(
                d,
                "invoices",
                &[
                    ("collector", "Ann Smith".into()),
                    ("search", "".into()),
                    ("bucket", "31–60".into())
                ]
            ),
            "arsite-2026-10-31-invoices-collector-ann-smith-bucket-31-60.csv"
        );
        assert_eq!(
            file_name(d, "customers", &[]),
            "arsite-2026-10-31-customers.csv"
        );
    }
}

//! Dynamics 365 Business Central's report 4402 "Aged Accounts Receivable
//! (Excel)" as downloaded: a workbook with the layout's print and pivot
//! sheets, an "About the report" sheet, one data sheet per top-level data
//! item (`CustomerAgingData`, `Dimension1`, `Dimension2`) whose header row
//! holds the dataset's column names, and a hidden metadata sheet with the
//! request page's values ("Aged As Of"). Date and number cells; one data
//! row per open customer ledger entry, amounts in local currency (LCY)
//! and, as the sample has one currency, in the entry's currency too.
//! Aged by posting date, since aged by due date Business Central leaves
//! out the entries not yet due.

use super::{plain, DocKind, Item, XCell, XlsxWriter};
use anyhow::Result;
use chrono::{Datelike, Months, NaiveDate};
use std::path::Path;

/// The data sheet's header: the dataset's columns in the report's order.
const HEADER: [&str; 21] = [
    "CustomerNumber",
    "CustomerName",
    "DocumentType",
    "DocumentNo",
    "PeriodStart",
    "PeriodEnd",
    "RemainingAmount",
    "OriginalAmount",
    "RemainingAmountLCY",
    "OriginalAmountLCY",
    "Dimension1Code",
    "Dimension2Code",
    "CurrencyCode",
    "PostingDate",
    "DocumentDate",
    "DueDate",
    "ReportingDate",
    "ReportingDate_Month",
    "ReportingDate_Quarter",
    "ReportingDate_Year",
    "EntryNo",
];

/// The workbook's sheets, in order, and whether each is hidden.
const SHEETS: [(&str, bool); 9] = [
    ("Aged Accounts Rec. (Print)", false),
    ("By Period (LCY)", false),
    ("By Period (FCY)", false),
    ("Due by Currencies", false),
    ("About the report", false),
    ("CustomerAgingData", false),
    ("Dimension1", false),
    ("Dimension2", false),
    ("Aggregated Metadata", true),
];

/// Business Central names the download after the report, with no date;
/// downloading it again gives the browser's ` (1)`, ` (2)`, … (`nth`
/// counts from 0).
pub(super) fn file_name(nth: usize) -> String {
    let copy = if nth == 0 {
        String::new()
    } else {
        format!(" ({nth})")
    };
    format!("Aged Accounts Receivable (Excel){copy}.xlsx")
}

/// The report's periods: five of one month back from the aging date,
/// newest first, as (start, end) like the report's `InitReport`.
fn periods(as_of: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let back = |n: u32| as_of.checked_sub_months(Months::new(n)).unwrap_or(as_of);
    (0..5).map(|i| (back(i + 1), back(i))).collect()
}

/// The period a date falls in, as the report's `FindPeriodStart` and
/// `FindPeriodEnd` pick them: the first start on or before it (else the
/// last), the first end after it (else the last).
fn period_of(date: NaiveDate, periods: &[(NaiveDate, NaiveDate)]) -> (NaiveDate, NaiveDate) {
    let last = periods[periods.len() - 1];
    let start = periods
        .iter()
        .map(|p| p.0)
        .find(|s| date >= *s)
        .unwrap_or(last.0);
    let end = periods
        .iter()
        .map(|p| p.1)
        .find(|e| date < *e)
        .unwrap_or(last.1);
    (start, end)
}

pub(super) fn write(path: &Path, company: &str, as_of: NaiveDate, items: &[Item]) -> Result<()> {
    let mut x = XlsxWriter::create_sheets(path, &SHEETS)?;
    let currency = items.first().map_or("", |i| i.currency.as_str());
    // Customers by number, as the report's data item is sorted; each
    // one's entries in their order.
    let mut sorted: Vec<&Item> = items.iter().collect();
    sorted.sort_by(|a, b| a.customer_id.cmp(&b.customer_id));

    // The print sheet: title, the request's values, a balance per customer.
    x.row(&[XCell::Text("Aged Accounts Receivable")])?;
    x.row(&[XCell::Text(company)])?;
    x.row(&[XCell::Text("Aged as of:"), XCell::Date(as_of)])?;
    x.row(&[XCell::Text("Aged by:"), XCell::Text("Posting Date")])?;
    x.row(&[])?;
    x.row(&[
        XCell::Text("Customer No."),
        XCell::Text("Name"),
        XCell::Text("Balance (LCY)"),
    ])?;
    let mut balances: Vec<(&str, &str, i64)> = Vec::new();
    for it in &sorted {
        match balances.last_mut() {
            Some(b) if b.0 == it.customer_id => b.2 += it.open,
            _ => balances.push((&it.customer_id, &it.customer_name, it.open)),
        }
    }
    for (number, name, balance) in &balances {
        let b = plain(*balance);
        x.row(&[XCell::Text(number), XCell::Text(name), XCell::Number(&b)])?;
    }

    // The pivot sheets: open amounts per period.
    let periods = periods(as_of);
    for (title, subtitle) in [
        (
            "Aged Accounts Receivable by Period (LCY)",
            "Open amounts in LCY",
        ),
        (
            "Aged Accounts Receivable by Period (FCY)",
            "Open amounts in FCY",
        ),
    ] {
        x.next_sheet()?;
        x.row(&[XCell::Text(title)])?;
        x.row(&[XCell::Text(subtitle)])?;
        x.row(&[XCell::Text("Aged as of:"), XCell::Date(as_of)])?;
        x.row(&[])?;
        x.row(&[XCell::Text("Period Start"), XCell::Text("Balance")])?;
        for (start, _) in &periods {
            let sum: i64 = items
                .iter()
                .filter(|i| period_of(i.invoice_date, &periods).0 == *start)
                .map(|i| i.open)
                .sum();
            let s = plain(sum);
            x.row(&[XCell::Date(*start), XCell::Number(&s)])?;
        }
    }
    x.next_sheet()?;
    x.row(&[XCell::Text(
        "Aged Accounts Receivable due by Currency (FCY)",
    )])?;
    let total = plain(items.iter().map(|i| i.open).sum());
    x.row(&[XCell::Text("Currency Code"), XCell::Text("Balance")])?;
    x.row(&[XCell::Text(currency), XCell::Number(&total)])?;

    x.next_sheet()?;
    x.row(&[XCell::Text("About the report")])?;
    for (key, value) in [
        ("Environment", "Production"),
        ("Company", company),
        ("User", "ADMIN"),
        ("Report name", "Aged Accounts Receivable (Excel)"),
        (
            "Documentation",
            "https://learn.microsoft.com/dynamics365/business-central/",
        ),
    ] {
        x.row(&[XCell::Text(key), XCell::Text(value)])?;
    }
    let run_on = as_of.succ_opt().unwrap_or(as_of);
    x.row(&[XCell::Text("Run on"), XCell::Date(run_on)])?;

    // The dataset.
    x.next_sheet()?;
    x.row(&HEADER.map(XCell::Text))?;
    for (n, it) in sorted.iter().enumerate() {
        let kind = match it.kind() {
            DocKind::Invoice => "Invoice",
            DocKind::CreditMemo => "Credit Memo",
            DocKind::Payment => "Payment",
        };
        let (start, end) = period_of(it.invoice_date, &periods);
        let (amount, open) = (plain(it.amount), plain(it.open));
        let posted = it.invoice_date;
        let (month, quarter, year) = (
            posted.month().to_string(),
            ((posted.month() - 1) / 3 + 1).to_string(),
            posted.year().to_string(),
        );
        let entry = (n + 1).to_string();
        x.row(&[
            XCell::Text(&it.customer_id),
            XCell::Text(&it.customer_name),
            XCell::Text(kind),
            XCell::Text(&it.invoice_id),
            XCell::Date(start),
            XCell::Date(end),
            XCell::Number(&open),
            XCell::Number(&amount),
            XCell::Number(&open),
            XCell::Number(&amount),
            XCell::Text(&it.division),
            XCell::Empty,
            XCell::Text(&it.currency),
            XCell::Date(posted),
            XCell::Date(it.invoice_date),
            XCell::Date(it.due_date),
            XCell::Date(posted),
            XCell::Number(&month),
            XCell::Number(&quarter),
            XCell::Number(&year),
            XCell::Number(&entry),
        ])?;
    }
    x.next_sheet()?;
    x.row(&[XCell::Text("Dim1Code"), XCell::Text("Dim1Name")])?;
    let mut divisions: Vec<&str> = items.iter().map(|i| i.division.as_str()).collect();
    divisions.sort_unstable();
    divisions.dedup();
    for d in divisions.into_iter().filter(|d| !d.is_empty()) {
        x.row(&[XCell::Text(d), XCell::Text(d)])?;
    }
    x.next_sheet()?;
    x.row(&[XCell::Text("Dim2Code"), XCell::Text("Dim2Name")])?;

    // The request and the run, written by the server.
    x.next_sheet()?;
    for (key, value) in [
        ("Report ID", XCell::Number("4402")),
        (
            "Report Name",
            XCell::Text("Aged Accounts Receivable (Excel)"),
        ),
        ("Company Name", XCell::Text(company)),
        ("User ID", XCell::Text("ADMIN")),
        ("Aged As Of", XCell::Date(as_of)),
        ("Aging by", XCell::Text("Posting Date")),
        ("Period Length", XCell::Text("-1M")),
        ("Period Count", XCell::Number("5")),
    ] {
        x.row(&[XCell::Text(key), value])?;
    }
    x.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_are_the_reports() {
        let p = periods(day("2026-10-31"));
        assert_eq!(p[0], (day("2026-09-30"), day("2026-10-31")));
        assert_eq!(p[4], (day("2026-05-31"), day("2026-06-30")));
        assert_eq!(period_of(day("2026-10-15"), &p), p[0]);
        assert_eq!(period_of(day("2026-09-30"), &p).0, day("2026-09-30"));
        // Older than every period: the last start; the end is the first
        // one after the date, as the report's loop finds it.
        assert_eq!(
            period_of(day("2025-01-01"), &p),
            (day("2026-05-31"), day("2026-10-31"))
        );
        assert_eq!(file_name(0), "Aged Accounts Receivable (Excel).xlsx");
        assert_eq!(file_name(2), "Aged Accounts Receivable (Excel) (2).xlsx");
    }
}

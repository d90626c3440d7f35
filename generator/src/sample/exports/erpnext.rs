//! ERPNext's Accounts Receivable report exported as CSV: the header, one
//! row per voucher with the customer in each (Party, Customer Name), the
//! invoiced, paid and outstanding amounts as Frappe writes floats
//! (`1200.0`, `350.5`), the age in days and the five age ranges, the
//! currency and the sales person; `DD-MM-YYYY` (the system settings'
//! default); a last row summing the amount columns with no label. UTF-8,
//! CRLF (Python's csv writer). Credit notes are Sales Invoices (returns)
//! with negative amounts, unapplied payments Payment Entries; every
//! voucher has its number. No division and no status column.

use super::{csv_file_with, DocKind, Item};
use anyhow::Result;
use chrono::NaiveDate;
use std::path::Path;

const HEADER: [&str; 21] = [
    "Posting Date",
    "Party",
    "Customer Name",
    "Receivable Account",
    "Voucher Type",
    "Voucher No",
    "Due Date",
    "Invoiced Amount",
    "Paid Amount",
    "Credit Note",
    "Outstanding Amount",
    "Age (Days)",
    "0-30",
    "31-60",
    "61-90",
    "91-120",
    "121-Above",
    "Currency",
    "Sales Person",
    "Territory",
    "Customer Group",
];

/// The report's name with the date a user adds when saving.
pub(super) fn file_name(as_of: NaiveDate) -> String {
    format!("Accounts Receivable {}.csv", as_of.format("%Y-%m-%d"))
}

/// Cents as Python prints the float: `1200.0`, `350.5`, `-45.1`, `0.01`.
fn float(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let fraction = format!("{:02}", abs % 100);
    let fraction = match fraction.trim_end_matches('0') {
        "" => "0",
        f => f,
    };
    format!("{sign}{}.{fraction}", abs / 100)
}

/// The age range (0: 0-30, …, 4: 121-Above) of an age in days.
fn range(age: i64) -> usize {
    match age {
        i64::MIN..=30 => 0,
        31..=60 => 1,
        61..=90 => 2,
        91..=120 => 3,
        _ => 4,
    }
}

pub(super) fn write(path: &Path, company: &str, as_of: NaiveDate, items: &[Item]) -> Result<()> {
    let mut w = csv_file_with(path, false, csv::Terminator::CRLF)?;
    let date = |d: NaiveDate| d.format("%d-%m-%Y").to_string();
    // "Debtors - NC": ERPNext suffixes accounts with the company's initials.
    let initials: String = company
        .split_whitespace()
        .filter_map(|w| w.chars().next().filter(|c| c.is_alphanumeric()))
        .collect();
    let account = format!("Debtors - {initials}");
    // Vouchers by posting date, as the report lists them.
    let mut sorted: Vec<&Item> = items.iter().collect();
    sorted.sort_by(|a, b| (a.invoice_date, &a.customer_id).cmp(&(b.invoice_date, &b.customer_id)));
    w.write_record(HEADER)?;
    // Invoiced, paid, credit note, outstanding, the five ranges.
    let mut sums = [0i64; 9];
    for it in sorted {
        let age = it.days_past_due(as_of).max(0);
        let r = range(it.days_past_due(as_of));
        let voucher_type = match it.kind() {
            DocKind::Invoice | DocKind::CreditMemo => "Sales Invoice",
            DocKind::Payment => "Payment Entry",
        };
        let mut amounts = [0i64; 9];
        amounts[0] = it.amount;
        amounts[1] = it.amount - it.open;
        amounts[3] = it.open;
        amounts[4 + r] = it.open;
        for (s, a) in sums.iter_mut().zip(amounts) {
            *s += a;
        }
        let texts = amounts.map(float);
        let posting = date(it.invoice_date);
        let due = date(it.due_date);
        let age = age.to_string();
        let mut record: Vec<&str> = vec![
            posting.as_str(),
            &it.customer_id,
            &it.customer_name,
            &account,
            voucher_type,
            &it.invoice_id,
            &due,
        ];
        record.extend(texts[..4].iter().map(String::as_str));
        record.push(&age);
        record.extend(texts[4..].iter().map(String::as_str));
        record.extend([
            it.currency.as_str(),
            &it.collector,
            "All Territories",
            "Commercial",
        ]);
        w.write_record(&record)?;
    }
    let texts = sums.map(float);
    let mut record = vec![""; 7];
    record.extend(texts[..4].iter().map(String::as_str));
    record.push("");
    record.extend(texts[4..].iter().map(String::as_str));
    record.extend(["", "", "", ""]);
    w.write_record(&record)?;
    w.flush()?;
    Ok(())
}

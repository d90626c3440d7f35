//! The sample company as ERPs export it: each snapshot rewritten in the
//! shape of one built-in import preset (SAP FBL5N, NetSuite and QuickBooks
//! A/R Aging Detail, Dynamics 365 customer aging; QuickBooks Desktop Open
//! Invoices, Xero Aged Receivables Detail, Odoo Aged Partner Balance,
//! ERPNext Accounts Receivable and Business Central's Aged Accounts
//! Receivable (Excel) in `exports/`), with the
//! report titles, subtotal lines, regional number and date formats and
//! encodings that go with it, plus an `arsite.toml` naming the preset.
//! Importing such a folder must give the figures of the canonical one, to
//! the cent; the tests check exactly that.
//!
//! The export is derived from the canonical files just written (read with
//! the plain csv crate, not arsite's importer), so every shape shows the
//! same open items.

mod business_central;
mod erpnext;
mod odoo;
mod quickbooks_desktop;
mod xero;

use super::{write_sample, SampleOptions, SampleSummary};
use anyhow::{bail, Context, Result};
use chrono::{Datelike, NaiveDate};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The shape of the sample's snapshot files.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Canonical,
    Sap,
    NetSuite,
    QuickBooks,
    Dynamics,
    QuickBooksDesktop,
    Xero,
    Odoo,
    ErpNext,
    BusinessCentral,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 10] = [
        ExportFormat::Canonical,
        ExportFormat::Sap,
        ExportFormat::NetSuite,
        ExportFormat::QuickBooks,
        ExportFormat::Dynamics,
        ExportFormat::QuickBooksDesktop,
        ExportFormat::Xero,
        ExportFormat::Odoo,
        ExportFormat::ErpNext,
        ExportFormat::BusinessCentral,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Canonical => "canonical",
            ExportFormat::Sap => "sap",
            ExportFormat::NetSuite => "netsuite",
            ExportFormat::QuickBooks => "quickbooks",
            ExportFormat::Dynamics => "dynamics",
            ExportFormat::QuickBooksDesktop => "quickbooks-desktop",
            ExportFormat::Xero => "xero",
            ExportFormat::Odoo => "odoo",
            ExportFormat::ErpNext => "erpnext",
            ExportFormat::BusinessCentral => "business-central",
        }
    }

    /// The import preset that reads this shape.
    pub fn preset(self) -> Option<&'static str> {
        match self {
            ExportFormat::Canonical => None,
            ExportFormat::Sap => Some("sap-fbl5n"),
            ExportFormat::NetSuite => Some("netsuite-ar-aging-detail"),
            ExportFormat::QuickBooks => Some("quickbooks-ar-aging-detail"),
            ExportFormat::Dynamics => Some("dynamics365-customer-aging"),
            ExportFormat::QuickBooksDesktop => Some("quickbooks-desktop-open-invoices"),
            ExportFormat::Xero => Some("xero-aged-receivables-detail"),
            ExportFormat::Odoo => Some("odoo-aged-partner-balance"),
            ExportFormat::ErpNext => Some("erpnext-accounts-receivable"),
            ExportFormat::BusinessCentral => Some("business-central-aged-receivables"),
        }
    }

    /// The `nth` snapshot's file name (`title`: the company's).
    fn file_name(self, title: &str, date: NaiveDate, nth: usize) -> String {
        let iso = date.format("%Y-%m-%d");
        match self {
            ExportFormat::Canonical => format!("{iso}.csv"),
            ExportFormat::Sap => format!("FBL5N_{iso}.csv"),
            ExportFormat::NetSuite => format!("ARAgingDetail_{iso}.csv"),
            ExportFormat::QuickBooks => format!("A_R Aging Detail {iso}.csv"),
            ExportFormat::Dynamics => format!("CustomerAging_{iso}.xlsx"),
            ExportFormat::QuickBooksDesktop => quickbooks_desktop::file_name(date),
            ExportFormat::Xero => xero::file_name(title, nth),
            ExportFormat::Odoo => odoo::file_name(date),
            ExportFormat::ErpNext => erpnext::file_name(date),
            ExportFormat::BusinessCentral => business_central::file_name(nth),
        }
    }
}

impl FromStr for ExportFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ExportFormat::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!(
                    "expected one of {}, found {s:?}",
                    ExportFormat::ALL.map(|f| f.name()).join(", ")
                )
            })
    }
}

/// Writes the sample company with its snapshots in `format`'s shape.
pub fn write_sample_as(
    opts: &SampleOptions,
    format: ExportFormat,
    out_dir: &Path,
) -> Result<SampleSummary> {
    let mut summary = write_sample(opts, out_dir)?;
    if format == ExportFormat::Canonical {
        return Ok(summary);
    }
    let snapshots = out_dir.join("snapshots");
    let mut canonical: Vec<PathBuf> = std::fs::read_dir(&snapshots)
        .with_context(|| format!("sample: cannot read {}", snapshots.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|e| e == "csv")
                && p.file_stem()
                    .and_then(|s| s.to_str())
                    .is_some_and(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok())
        })
        .collect();
    canonical.sort();
    let mut bytes = summary.bytes_written;
    for (nth, path) in canonical.into_iter().enumerate() {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let as_of = NaiveDate::parse_from_str(stem, "%Y-%m-%d")?;
        let rows = read_canonical(&path)?;
        let target = snapshots.join(format.file_name(&opts.title, as_of, nth));
        match format {
            ExportFormat::Canonical => unreachable!("returned above"),
            ExportFormat::Sap => write_sap(&target, as_of, &rows)?,
            ExportFormat::NetSuite => write_netsuite(&target, &opts.title, as_of, &rows)?,
            ExportFormat::QuickBooks => write_quickbooks(&target, &opts.title, as_of, &rows)?,
            ExportFormat::Dynamics => write_dynamics(&target, as_of, &rows)?,
            ExportFormat::QuickBooksDesktop => quickbooks_desktop::write(&target, as_of, &rows)?,
            ExportFormat::Xero => xero::write(&target, &opts.title, as_of, &rows)?,
            ExportFormat::Odoo => odoo::write(&target, &opts.title, &opts.currency, as_of, &rows)?,
            ExportFormat::ErpNext => erpnext::write(&target, &opts.title, as_of, &rows)?,
            ExportFormat::BusinessCentral => {
                business_central::write(&target, &opts.title, as_of, &rows)?
            }
        }
        bytes = bytes - std::fs::metadata(&path)?.len() + std::fs::metadata(&target)?.len();
        std::fs::remove_file(&path)?;
    }
    let config = out_dir.join("arsite.toml");
    let mut text = std::fs::read_to_string(&config)?;
    let before = text.len() as u64;
    text.push_str(&format!(
        "\n[import.snapshots]\npreset = \"{}\"\n",
        format.preset().unwrap_or_default()
    ));
    std::fs::write(&config, &text)?;
    bytes += text.len() as u64 - before;
    summary.bytes_written = bytes;
    Ok(summary)
}

/// One canonical snapshot row.
struct Item {
    invoice_id: String,
    customer_id: String,
    customer_name: String,
    invoice_date: NaiveDate,
    due_date: NaiveDate,
    amount: i64,
    open: i64,
    currency: String,
    division: String,
    collector: String,
    status: String,
}

impl Item {
    fn kind(&self) -> DocKind {
        if self.invoice_id.starts_with("CM-") {
            DocKind::CreditMemo
        } else if self.invoice_id.starts_with("UC-") {
            DocKind::Payment
        } else {
            DocKind::Invoice
        }
    }

    fn days_past_due(&self, as_of: NaiveDate) -> i64 {
        (as_of - self.due_date).num_days()
    }
}

#[derive(Copy, Clone, PartialEq, Eq)]
enum DocKind {
    Invoice,
    CreditMemo,
    Payment,
}

/// The aging column of an item in reports that age by 30-day months past
/// the due date (0: Current, 1: 1–30, …, 4: 91–120, 5: older), as Odoo's
/// and Xero's do.
fn aging_column(days_past_due: i64) -> usize {
    match days_past_due {
        i64::MIN..=0 => 0,
        1..=30 => 1,
        31..=60 => 2,
        61..=90 => 3,
        91..=120 => 4,
        _ => 5,
    }
}

/// The items in the order of their customers' names (then ids), as the
/// reports grouped by customer list them; each customer's in theirs.
fn by_customer_name(items: &[Item]) -> Vec<&Item> {
    let mut sorted: Vec<&Item> = items.iter().collect();
    sorted.sort_by(|a, b| {
        (&a.customer_name, &a.customer_id).cmp(&(&b.customer_name, &b.customer_id))
    });
    sorted
}

fn read_canonical(path: &Path) -> Result<Vec<Item>> {
    let mut reader = csv::Reader::from_path(path)
        .with_context(|| format!("sample: cannot read {}", path.display()))?;
    let headers = reader.headers()?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("sample: {} has no {name} column", path.display()))
    };
    let c = [
        col("invoice_id")?,
        col("customer_id")?,
        col("customer_name")?,
        col("invoice_date")?,
        col("due_date")?,
        col("amount")?,
        col("open_amount")?,
        col("currency")?,
        col("division")?,
        col("collector")?,
        col("status")?,
    ];
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").context("sample: bad date");
    let mut items = Vec::new();
    for record in reader.records() {
        let r = record?;
        items.push(Item {
            invoice_id: r[c[0]].to_string(),
            customer_id: r[c[1]].to_string(),
            customer_name: r[c[2]].to_string(),
            invoice_date: date(&r[c[3]])?,
            due_date: date(&r[c[4]])?,
            amount: cents(&r[c[5]])?,
            open: cents(&r[c[6]])?,
            currency: r[c[7]].to_string(),
            division: r[c[8]].to_string(),
            collector: r[c[9]].to_string(),
            status: r[c[10]].to_string(),
        });
    }
    Ok(items)
}

/// `-1234.50` (the canonical two-decimal form) as cents.
fn cents(text: &str) -> Result<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, text),
    };
    let Some((whole, fraction)) = digits.split_once('.') else {
        bail!("sample: expected an amount with two decimals, found {text:?}");
    };
    if fraction.len() != 2 {
        bail!("sample: expected an amount with two decimals, found {text:?}");
    }
    let value: i64 = whole.parse::<i64>()? * 100 + fraction.parse::<i64>()?;
    Ok(if negative { -value } else { value })
}

/// `1234567` cents as `12.345,67` (or `12,345.67`): digits grouped by three.
fn grouped(cents: i64, decimal: char, thousands: char) -> String {
    let abs = cents.unsigned_abs();
    let whole = (abs / 100).to_string();
    let mut out = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(thousands);
        }
        out.push(ch);
    }
    out.push(decimal);
    out.push_str(&format!("{:02}", abs % 100));
    out
}

fn plain(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

fn csv_file(path: &Path, bom: bool) -> Result<csv::Writer<BufWriter<File>>> {
    csv_file_with(path, bom, csv::Terminator::Any(b'\n'))
}

/// [`csv_file`] with its line ends.
fn csv_file_with(
    path: &Path,
    bom: bool,
    terminator: csv::Terminator,
) -> Result<csv::Writer<BufWriter<File>>> {
    let file =
        File::create(path).with_context(|| format!("sample: cannot create {}", path.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    if bom {
        out.write_all(b"\xEF\xBB\xBF")?;
    }
    Ok(csv::WriterBuilder::new()
        .flexible(true)
        .terminator(terminator)
        .from_writer(out))
}

// ----- SAP FBL5N ----------------------------------------------------------------

/// German-locale FBL5N list: Windows-1252, semicolons, `1.234,56-`,
/// `DD.MM.YYYY`, a `*` subtotal per customer and a `**` grand total.
fn write_sap(path: &Path, as_of: NaiveDate, items: &[Item]) -> Result<()> {
    let file =
        File::create(path).with_context(|| format!("sample: cannot create {}", path.display()))?;
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .from_writer(Windows1252::new(BufWriter::with_capacity(1 << 20, file)));
    let sap_amount = |c: i64| {
        let g = grouped(c, ',', '.');
        if c < 0 {
            format!("{g}-")
        } else {
            g
        }
    };
    let date = |d: NaiveDate| d.format("%d.%m.%Y").to_string();
    w.write_record(["Customer Line Item Display"])?;
    w.write_record(["Key date", &date(as_of)])?;
    w.write_record(std::iter::empty::<&str>())?;
    w.write_record([
        "Customer",
        "Name 1",
        "Business Area",
        "Accounting clerk",
        "Document Number",
        "Document Type",
        "Document Date",
        "Net Due Date",
        "Arrears after net due date",
        "Amount in local currency",
        "Local Currency",
    ])?;
    let mut total = 0i64;
    let mut i = 0;
    while i < items.len() {
        let customer = &items[i].customer_id;
        let mut subtotal = 0i64;
        let currency = items[i].currency.clone();
        while i < items.len() && items[i].customer_id == *customer {
            let it = &items[i];
            let doc_type = match it.kind() {
                DocKind::Invoice => "DR",
                DocKind::CreditMemo => "DG",
                DocKind::Payment => "DZ",
            };
            w.write_record([
                it.customer_id.as_str(),
                &it.customer_name,
                &it.division,
                &it.collector,
                &it.invoice_id,
                doc_type,
                &date(it.invoice_date),
                &date(it.due_date),
                &it.days_past_due(as_of).to_string(),
                &sap_amount(it.open),
                &it.currency,
            ])?;
            subtotal += it.open;
            i += 1;
        }
        total += subtotal;
        w.write_record([
            "*",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            &sap_amount(subtotal),
            &currency,
        ])?;
    }
    w.write_record(["**", "", "", "", "", "", "", "", "", &sap_amount(total), ""])?;
    let inner = w.into_inner().map_err(|e| anyhow::anyhow!("sample: {e}"))?;
    inner.finish()?.flush()?;
    Ok(())
}

/// Encodes UTF-8 written through it as Windows-1252, the way a Windows
/// export would: characters the code page lacks become `?`.
struct Windows1252<W: Write> {
    inner: W,
    encoder: encoding_rs::Encoder,
    carry: Vec<u8>,
    out: Vec<u8>,
}

impl<W: Write> Windows1252<W> {
    fn new(inner: W) -> Self {
        Windows1252 {
            inner,
            encoder: encoding_rs::WINDOWS_1252.new_encoder(),
            carry: Vec::new(),
            out: vec![0; 64 * 1024],
        }
    }

    fn encode(&mut self, text: &str, last: bool) -> std::io::Result<()> {
        let mut rest = text;
        loop {
            let (result, read, written) =
                self.encoder
                    .encode_from_utf8_without_replacement(rest, &mut self.out, last);
            self.inner.write_all(&self.out[..written])?;
            rest = &rest[read..];
            match result {
                encoding_rs::EncoderResult::InputEmpty => return Ok(()),
                encoding_rs::EncoderResult::OutputFull => {}
                encoding_rs::EncoderResult::Unmappable(_) => self.inner.write_all(b"?")?,
            }
        }
    }

    fn finish(mut self) -> std::io::Result<W> {
        let carry = std::mem::take(&mut self.carry);
        self.encode(&String::from_utf8_lossy(&carry), true)?;
        Ok(self.inner)
    }
}

impl<W: Write> Write for Windows1252<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // A character may be split between two writes: keep its first bytes.
        let mut bytes = std::mem::take(&mut self.carry);
        bytes.extend_from_slice(buf);
        let valid = match std::str::from_utf8(&bytes) {
            Ok(_) => bytes.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "sample: expected UTF-8",
                ))
            }
        };
        let text = std::str::from_utf8(&bytes[..valid]).expect("checked above");
        self.encode(text, false)?;
        self.carry = bytes[valid..].to_vec();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

// ----- NetSuite -----------------------------------------------------------------

fn symbol(currency: &str) -> String {
    match currency {
        "EUR" => "€".into(),
        "USD" => "$".into(),
        "GBP" => "£".into(),
        "JPY" => "¥".into(),
        other => format!("{other} "),
    }
}

/// NetSuite A/R Aging Detail: UTF-8 with a BOM, title lines, a heading per
/// customer, `Total - …` subtotals, `(€1,234.56)` negatives, `M/D/YYYY`.
fn write_netsuite(path: &Path, title: &str, as_of: NaiveDate, items: &[Item]) -> Result<()> {
    let mut w = csv_file(path, true)?;
    let money = |c: i64, currency: &str| {
        let s = format!("{}{}", symbol(currency), grouped(c, '.', ','));
        if c < 0 {
            format!("({s})")
        } else {
            s
        }
    };
    let date = |d: NaiveDate| format!("{}/{}/{}", d.month(), d.day(), d.year());
    w.write_record([title])?;
    w.write_record(["A/R Aging Detail"])?;
    w.write_record([format!("End of {}", as_of.format("%b %Y"))])?;
    w.write_record(std::iter::empty::<&str>())?;
    const COLUMNS: usize = 10;
    w.write_record([
        "Type",
        "Date",
        "Document Number",
        "Customer",
        "Due Date",
        "Age",
        "Class",
        "Sales Rep",
        "Amount",
        "Open Balance",
    ])?;
    let currency = items
        .first()
        .map_or("EUR", |i| i.currency.as_str())
        .to_string();
    let mut totals = (0i64, 0i64);
    let mut i = 0;
    let mut heading = vec![String::new(); COLUMNS];
    while i < items.len() {
        let customer = format!("{} {}", items[i].customer_id, items[i].customer_name);
        heading[0] = customer.clone();
        w.write_record(&heading)?;
        let mut sub = (0i64, 0i64);
        let id = &items[i].customer_id;
        while i < items.len() && items[i].customer_id == *id {
            let it = &items[i];
            let kind = match it.kind() {
                DocKind::Invoice => "Invoice",
                DocKind::CreditMemo => "Credit Memo",
                DocKind::Payment => "Payment",
            };
            w.write_record([
                kind,
                &date(it.invoice_date),
                &it.invoice_id,
                &customer,
                &date(it.due_date),
                &it.days_past_due(as_of).to_string(),
                &it.division,
                &it.collector,
                &money(it.amount, &it.currency),
                &money(it.open, &it.currency),
            ])?;
            sub.0 += it.amount;
            sub.1 += it.open;
            i += 1;
        }
        totals.0 += sub.0;
        totals.1 += sub.1;
        let mut line = vec![String::new(); COLUMNS];
        line[0] = format!("Total - {customer}");
        line[8] = money(sub.0, &currency);
        line[9] = money(sub.1, &currency);
        w.write_record(&line)?;
    }
    let mut line = vec![String::new(); COLUMNS];
    line[0] = "Total".into();
    line[8] = money(totals.0, &currency);
    line[9] = money(totals.1, &currency);
    w.write_record(&line)?;
    w.flush()?;
    Ok(())
}

// ----- QuickBooks -----------------------------------------------------------------

/// QuickBooks Online A/R Aging Detail: grouped by aging bucket under an
/// unnamed first column, `Total for …` lines, a `TOTAL` line and a footer
/// with the run time; `MM/DD/YYYY`, `1,234.56`.
fn write_quickbooks(path: &Path, title: &str, as_of: NaiveDate, items: &[Item]) -> Result<()> {
    let mut w = csv_file(path, false)?;
    let date = |d: NaiveDate| d.format("%m/%d/%Y").to_string();
    let money = |c: i64| {
        let g = grouped(c, '.', ',');
        if c < 0 {
            format!("-{g}")
        } else {
            g
        }
    };
    w.write_record([title])?;
    w.write_record(["A/R Aging Detail"])?;
    w.write_record([format!("As of {}", as_of.format("%B %-d, %Y"))])?;
    w.write_record(std::iter::empty::<&str>())?;
    const COLUMNS: usize = 11;
    w.write_record([
        "",
        "Date",
        "Transaction Type",
        "Num",
        "Customer",
        "Due Date",
        "Past Due",
        "Amount",
        "Open Balance",
        "Class",
        "Rep",
    ])?;
    let groups = [
        ("Current", i64::MIN, 0),
        ("1 - 30 days past due", 1, 30),
        ("31 - 60 days past due", 31, 60),
        ("61 - 90 days past due", 61, 90),
        ("91 or more days past due", 91, i64::MAX),
    ];
    let mut totals = (0i64, 0i64);
    for (label, from, to) in groups {
        let rows: Vec<&Item> = items
            .iter()
            .filter(|it| (from..=to).contains(&it.days_past_due(as_of)))
            .collect();
        if rows.is_empty() {
            continue;
        }
        let mut heading = vec![String::new(); COLUMNS];
        heading[0] = label.to_string();
        w.write_record(&heading)?;
        let mut sub = (0i64, 0i64);
        for it in rows {
            let kind = match it.kind() {
                DocKind::Invoice => "Invoice",
                DocKind::CreditMemo => "Credit Memo",
                DocKind::Payment => "Payment",
            };
            w.write_record([
                "",
                &date(it.invoice_date),
                kind,
                &it.invoice_id,
                &it.customer_name,
                &date(it.due_date),
                &it.days_past_due(as_of).max(0).to_string(),
                &money(it.amount),
                &money(it.open),
                &it.division,
                &it.collector,
            ])?;
            sub.0 += it.amount;
            sub.1 += it.open;
        }
        totals.0 += sub.0;
        totals.1 += sub.1;
        let mut line = vec![String::new(); COLUMNS];
        line[0] = format!("Total for {label}");
        line[7] = money(sub.0);
        line[8] = money(sub.1);
        w.write_record(&line)?;
    }
    let mut line = vec![String::new(); COLUMNS];
    line[0] = "TOTAL".into();
    line[7] = money(totals.0);
    line[8] = money(totals.1);
    w.write_record(&line)?;
    w.write_record(std::iter::empty::<&str>())?;
    let run = as_of.succ_opt().unwrap_or(as_of);
    w.write_record([format!(
        "{} 09:00:00 AM GMT-08:00",
        run.format("%A, %B %-d, %Y")
    )])?;
    w.flush()?;
    Ok(())
}

// ----- Dynamics 365 -----------------------------------------------------------------

/// Dynamics 365 customer aging exported to Excel: one sheet, header first,
/// date cells and number cells.
fn write_dynamics(path: &Path, _as_of: NaiveDate, items: &[Item]) -> Result<()> {
    let mut x = XlsxWriter::create(path, "Customer aging")?;
    x.row(
        &[
            "Customer account",
            "Name",
            "Invoice",
            "Transaction type",
            "Date",
            "Due date",
            "Amount",
            "Balance",
            "Currency",
            "Business unit",
            "Collections agent",
            "Collection status",
        ]
        .map(XCell::Text),
    )?;
    for it in items {
        let kind = match it.kind() {
            DocKind::Invoice => "Invoice",
            DocKind::CreditMemo => "Credit note",
            DocKind::Payment => "Payment",
        };
        let mut status = it.status.clone();
        if let Some(first) = status.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        let (amount, open) = (plain(it.amount), plain(it.open));
        x.row(&[
            XCell::Text(&it.customer_id),
            XCell::Text(&it.customer_name),
            XCell::Text(&it.invoice_id),
            XCell::Text(kind),
            XCell::Date(it.invoice_date),
            XCell::Date(it.due_date),
            XCell::Number(&amount),
            XCell::Number(&open),
            XCell::Text(&it.currency),
            XCell::Text(&it.division),
            XCell::Text(&it.collector),
            XCell::Text(&status),
        ])?;
    }
    x.finish()
}

/// One cell for [`XlsxWriter`].
#[derive(Clone, Copy, Debug)]
pub enum XCell<'a> {
    Text(&'a str),
    /// A plain decimal (`-1234.5`), stored as a number cell.
    Number(&'a str),
    /// A date cell (Excel serial with a date format).
    Date(NaiveDate),
    Empty,
}

/// A minimal streaming xlsx writer (one sheet, inline strings, a date
/// style): enough for export-shaped samples and test fixtures, and rows go
/// straight into the compressed stream, so large samples need no memory.
pub struct XlsxWriter {
    zip: zip::ZipWriter<BufWriter<File>>,
    row: u32,
    /// The sheet rows go to (from 1), and how many may be written.
    sheet: usize,
    sheets: usize,
}

const EMPTY_SHEET: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"{XMLNS}\"><sheetData/></worksheet>";

const XMLNS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

impl XlsxWriter {
    pub fn create(path: &Path, sheet: &str) -> Result<XlsxWriter> {
        XlsxWriter::create_with_sheets(path, &[sheet])
    }

    /// A workbook whose rows go to the first of `sheets`; the others stay
    /// empty.
    pub fn create_with_sheets(path: &Path, sheets: &[&str]) -> Result<XlsxWriter> {
        let named: Vec<(&str, bool)> = sheets.iter().map(|s| (*s, false)).collect();
        XlsxWriter::start(path, &named, true)
    }

    /// A workbook of several sheets (name, hidden) written one after the
    /// other: rows go to the first until [`XlsxWriter::next_sheet`]; sheets
    /// not reached stay empty.
    pub fn create_sheets(path: &Path, sheets: &[(&str, bool)]) -> Result<XlsxWriter> {
        XlsxWriter::start(path, sheets, false)
    }

    fn start(path: &Path, sheets: &[(&str, bool)], empty_first: bool) -> Result<XlsxWriter> {
        let file =
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        let mut zip = zip::ZipWriter::new(BufWriter::with_capacity(1 << 20, file));
        let mut overrides = String::new();
        let mut sheet_list = String::new();
        let mut rels = String::new();
        for (i, (name, hidden)) in sheets.iter().enumerate() {
            let n = i + 1;
            overrides.push_str(&format!("<Override PartName=\"/xl/worksheets/sheet{n}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"));
            let state = if *hidden { " state=\"hidden\"" } else { "" };
            sheet_list.push_str(&format!(
                "<sheet name=\"{}\" sheetId=\"{n}\"{state} r:id=\"rId{n}\"/>",
                xml_escape(name)
            ));
            rels.push_str(&format!("<Relationship Id=\"rId{n}\" Type=\"{RELS}/worksheet\" Target=\"worksheets/sheet{n}.xml\"/>"));
        }
        let styles_id = sheets.len() + 1;
        let parts = [
            ("[Content_Types].xml", format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>{overrides}</Types>")),
            ("_rels/.rels", format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{RELS}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>")),
            ("xl/workbook.xml", format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<workbook xmlns=\"{XMLNS}\" xmlns:r=\"{RELS}\"><sheets>{sheet_list}</sheets></workbook>")),
            ("xl/_rels/workbook.xml.rels", format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{rels}<Relationship Id=\"rId{styles_id}\" Type=\"{RELS}/styles\" Target=\"styles.xml\"/></Relationships>")),
            // Style 1: built-in number format 14 (a date); style 2: #,##0.00.
            ("xl/styles.xml", format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<styleSheet xmlns=\"{XMLNS}\"><fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts><fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills><borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs><cellXfs count=\"3\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/><xf numFmtId=\"14\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/><xf numFmtId=\"4\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>")),
        ];
        for (name, text) in parts {
            zip.start_file(name, options())?;
            zip.write_all(text.as_bytes())?;
        }
        if empty_first {
            for n in 2..=sheets.len() {
                zip.start_file(format!("xl/worksheets/sheet{n}.xml"), options())?;
                zip.write_all(EMPTY_SHEET.replace("{XMLNS}", XMLNS).as_bytes())?;
            }
        }
        let mut x = XlsxWriter {
            zip,
            row: 0,
            sheet: 0,
            sheets: if empty_first { 1 } else { sheets.len() },
        };
        x.open_sheet()?;
        Ok(x)
    }

    fn open_sheet(&mut self) -> Result<()> {
        self.sheet += 1;
        self.row = 0;
        self.zip
            .start_file(format!("xl/worksheets/sheet{}.xml", self.sheet), options())?;
        self.zip.write_all(
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"{XMLNS}\"><sheetData>").as_bytes(),
        )?;
        Ok(())
    }

    /// Ends the current sheet; the next rows go to the next sheet.
    pub fn next_sheet(&mut self) -> Result<()> {
        if self.sheet >= self.sheets {
            bail!("xlsx: no sheet after sheet {}", self.sheet);
        }
        self.zip.write_all(b"</sheetData></worksheet>")?;
        self.open_sheet()
    }

    pub fn row(&mut self, cells: &[XCell<'_>]) -> Result<()> {
        self.row += 1;
        let r = self.row;
        let mut xml = format!("<row r=\"{r}\">");
        for (i, cell) in cells.iter().enumerate() {
            let at = format!("{}{r}", column_letters(i));
            match cell {
                XCell::Text(t) => xml.push_str(&format!(
                    "<c r=\"{at}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
                    xml_escape(t)
                )),
                XCell::Number(n) => xml.push_str(&format!("<c r=\"{at}\" s=\"2\"><v>{n}</v></c>")),
                XCell::Date(d) => xml.push_str(&format!(
                    "<c r=\"{at}\" s=\"1\"><v>{}</v></c>",
                    excel_serial(*d)
                )),
                XCell::Empty => {}
            }
        }
        xml.push_str("</row>");
        self.zip.write_all(xml.as_bytes())?;
        Ok(())
    }

    pub fn finish(mut self) -> Result<()> {
        self.zip.write_all(b"</sheetData></worksheet>")?;
        for n in self.sheet + 1..=self.sheets {
            self.zip
                .start_file(format!("xl/worksheets/sheet{n}.xml"), options())?;
            self.zip
                .write_all(EMPTY_SHEET.replace("{XMLNS}", XMLNS).as_bytes())?;
        }
        self.zip.finish()?.flush()?;
        Ok(())
    }
}

/// Fixed timestamps keep the sample byte-identical from run to run.
fn options() -> zip::write::SimpleFileOptions {
    zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .large_file(false)
}

fn excel_serial(d: NaiveDate) -> i64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date");
    (d - epoch).num_days()
}

fn column_letters(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII")
}

fn xml_escape(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // XML 1.0 has no place for other control characters.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('?'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(grouped(123456789, ',', '.'), "1.234.567,89");
        assert_eq!(grouped(-5, '.', ','), "0.05");
        assert_eq!(grouped(100000, '.', ','), "1,000.00");
        assert_eq!(plain(-5), "-0.05");
        assert_eq!(cents("-1234.50").unwrap(), -123450);
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        assert_eq!(
            excel_serial(NaiveDate::from_ymd_opt(2026, 10, 31).unwrap()),
            46326
        );
        assert_eq!("sap".parse::<ExportFormat>(), Ok(ExportFormat::Sap));
        assert!("sage".parse::<ExportFormat>().is_err());
    }

    #[test]
    fn windows_1252_output_replaces_what_it_cannot_encode() {
        let mut w = Windows1252::new(Vec::new());
        let text = "Müller GmbH; Łódź €".as_bytes();
        // Split inside the two-byte "ü".
        w.write_all(&text[..2]).unwrap();
        w.write_all(&text[2..]).unwrap();
        let bytes = w.finish().unwrap();
        assert_eq!(bytes, b"M\xfcller GmbH; ?\xf3d? \x80");
    }
}

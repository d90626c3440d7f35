//! Writing the sample's files.
//!
//! Row writers go through the csv crate (it does the quoting of names such as
//! `O'Brien "Best" Supplies, Ltd`) but feed it byte slices formatted into
//! reused buffers: a large sample writes millions of rows, and per-row
//! `String`s would dominate the run time.

use super::calendar::{Calendar, Day};
use super::company::{Company, Customer};
use super::ledger::{Doc, DocKey, IdFormat};
use anyhow::{Context, Result};
use std::fs::File;
use std::path::{Path, PathBuf};

/// Large buffers: the writers are few and the files long.
const BUFFER: usize = 1 << 20;

const SNAPSHOT_HEADER: [&str; 11] = [
    "invoice_id",
    "customer_id",
    "customer_name",
    "invoice_date",
    "due_date",
    "amount",
    "open_amount",
    "currency",
    "division",
    "collector",
    "status",
];

const ACTIVITY_HEADER: [&str; 8] = [
    "date",
    "type",
    "customer_id",
    "invoice_id",
    "amount",
    "collector",
    "reference",
    "note",
];

/// Formats cents as a plain decimal with exactly two decimals (`-1234.50`).
pub(crate) fn format_cents(cents: i64, buf: &mut [u8; 24]) -> &[u8] {
    let mut value = cents.unsigned_abs();
    let mut at = buf.len();
    let mut push = |byte: u8, at: &mut usize| {
        *at -= 1;
        buf[*at] = byte;
    };
    for _ in 0..2 {
        push(b'0' + (value % 10) as u8, &mut at);
        value /= 10;
    }
    push(b'.', &mut at);
    loop {
        push(b'0' + (value % 10) as u8, &mut at);
        value /= 10;
        if value == 0 {
            break;
        }
    }
    if cents < 0 {
        push(b'-', &mut at);
    }
    &buf[at..]
}

pub(crate) fn csv_writer(path: &Path) -> Result<csv::Writer<File>> {
    csv::WriterBuilder::new()
        .buffer_capacity(BUFFER)
        .from_path(path)
        .with_context(|| format!("sample: cannot create {}", path.display()))
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Open,
    Disputed,
    Promised,
    Agency,
    Legal,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Disputed => "disputed",
            Status::Promised => "promised",
            Status::Agency => "agency",
            Status::Legal => "legal",
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum ActivityKind {
    Payment,
    CreditMemo,
    WriteOff,
    Recovery,
    Placement,
    Promise,
    DisputeOpened,
    DisputeResolved,
    Contact,
}

impl ActivityKind {
    fn as_str(self) -> &'static str {
        match self {
            ActivityKind::Payment => "payment",
            ActivityKind::CreditMemo => "credit_memo",
            ActivityKind::WriteOff => "write_off",
            ActivityKind::Recovery => "recovery",
            ActivityKind::Placement => "placement",
            ActivityKind::Promise => "promise",
            ActivityKind::DisputeOpened => "dispute_opened",
            ActivityKind::DisputeResolved => "dispute_resolved",
            ActivityKind::Contact => "contact",
        }
    }
}

/// The `reference` column: a code, a date or another document.
#[derive(Copy, Clone, Debug)]
pub(crate) enum Reference {
    None,
    Code(&'static str),
    Date(Day),
    Doc(DocKey),
}

/// One `activity.csv` row; the customer and collector come from the roster.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Activity {
    pub kind: ActivityKind,
    pub doc: Option<DocKey>,
    pub amount: i64,
    pub reference: Reference,
    pub note: &'static str,
}

impl Activity {
    pub fn new(kind: ActivityKind, doc: Option<DocKey>, amount: i64) -> Activity {
        Activity {
            kind,
            doc,
            amount,
            reference: Reference::None,
            note: "",
        }
    }

    pub fn reference(mut self, reference: Reference) -> Activity {
        self.reference = reference;
        self
    }

    pub fn note(mut self, note: &'static str) -> Activity {
        self.note = note;
        self
    }
}

/// Receives the simulation's output as it happens: activity is streamed,
/// snapshots are written at each snapshot day.
pub(crate) struct Sink<'a> {
    cal: &'a Calendar,
    ids: IdFormat,
    currency: String,
    activity: csv::Writer<File>,
    snapshot_dir: PathBuf,
    pub activity_rows: u64,
    pub snapshot_rows: u64,
    pub snapshots: usize,
    id_buf: [u8; 32],
    ref_buf: [u8; 32],
    amount_buf: [u8; 24],
    open_buf: [u8; 24],
}

impl<'a> Sink<'a> {
    pub fn new(cal: &'a Calendar, ids: IdFormat, currency: &str, out: &Path) -> Result<Sink<'a>> {
        let snapshot_dir = out.join("snapshots");
        std::fs::create_dir_all(&snapshot_dir)
            .with_context(|| format!("sample: cannot create {}", snapshot_dir.display()))?;
        let mut activity = csv_writer(&out.join("activity.csv"))?;
        activity.write_record(ACTIVITY_HEADER)?;
        Ok(Sink {
            cal,
            ids,
            currency: currency.to_string(),
            activity,
            snapshot_dir,
            activity_rows: 0,
            snapshot_rows: 0,
            snapshots: 0,
            id_buf: [0; 32],
            ref_buf: [0; 32],
            amount_buf: [0; 24],
            open_buf: [0; 24],
        })
    }

    /// Records one activity row; days before the first snapshot's month are
    /// simulated but not written (no snapshot could reconcile them).
    pub fn activity(
        &mut self,
        day: Day,
        customer: &Customer,
        collector: &str,
        row: Activity,
    ) -> Result<()> {
        if day < self.cal.activity_from {
            return Ok(());
        }
        let w = &mut self.activity;
        w.write_field(self.cal.label(day))?;
        w.write_field(row.kind.as_str())?;
        w.write_field(&customer.id)?;
        match row.doc {
            Some(key) => w.write_field(self.ids.write(key, &mut self.id_buf))?,
            None => w.write_field("")?,
        }
        w.write_field(format_cents(row.amount, &mut self.amount_buf))?;
        w.write_field(collector)?;
        match row.reference {
            Reference::None => w.write_field("")?,
            Reference::Code(code) => w.write_field(code)?,
            Reference::Date(d) => w.write_field(self.cal.label(d))?,
            Reference::Doc(key) => w.write_field(self.ids.write(key, &mut self.ref_buf))?,
        }
        w.write_field(row.note)?;
        w.write_record(None::<&[u8]>)?;
        self.activity_rows += 1;
        Ok(())
    }

    /// Starts `snapshots/<date>.csv`.
    pub fn begin_snapshot(&mut self, day: Day) -> Result<csv::Writer<File>> {
        let path = self
            .snapshot_dir
            .join(format!("{}.csv", self.cal.label(day)));
        let mut w = csv_writer(&path)?;
        w.write_record(SNAPSHOT_HEADER)?;
        self.snapshots += 1;
        Ok(w)
    }

    pub fn snapshot_row(
        &mut self,
        w: &mut csv::Writer<File>,
        company: &Company,
        customer: &Customer,
        doc: &Doc,
        status: Status,
    ) -> Result<()> {
        w.write_field(self.ids.write(doc.key, &mut self.id_buf))?;
        w.write_field(&customer.id)?;
        w.write_field(&customer.name)?;
        w.write_field(self.cal.label(doc.issued))?;
        w.write_field(self.cal.label(doc.due))?;
        w.write_field(format_cents(doc.amount, &mut self.amount_buf))?;
        w.write_field(format_cents(doc.open, &mut self.open_buf))?;
        w.write_field(&self.currency)?;
        w.write_field(&company.divisions[customer.division])?;
        w.write_field(&company.collectors[customer.collector])?;
        w.write_field(status.as_str())?;
        w.write_record(None::<&[u8]>)?;
        self.snapshot_rows += 1;
        Ok(())
    }

    pub fn finish(mut self) -> Result<()> {
        self.activity.flush()?;
        Ok(())
    }
}

/// `sales.csv`: positive documents per month and division, every simulated
/// month including the ones before the first snapshot.
pub(crate) fn write_sales(
    out: &Path,
    cal: &Calendar,
    company: &Company,
    sales: &[i64],
) -> Result<()> {
    let mut w = csv_writer(&out.join("sales.csv"))?;
    w.write_record(["period", "division", "amount"])?;
    let mut buf = [0u8; 24];
    let divisions = company.divisions.len();
    for (m, period) in cal.periods.iter().enumerate() {
        for (d, division) in company.divisions.iter().enumerate() {
            let amount = format_cents(sales[m * divisions + d], &mut buf);
            w.write_record([period.as_bytes(), division.as_bytes(), amount])?;
        }
    }
    w.flush()?;
    Ok(())
}

/// `customers.csv`, with the assignment as of the last snapshot.
pub(crate) fn write_customers(out: &Path, company: &Company) -> Result<()> {
    let mut w = csv_writer(&out.join("customers.csv"))?;
    w.write_record([
        "customer_id",
        "name",
        "division",
        "collector",
        "credit_limit",
        "payment_terms",
        "risk_class",
    ])?;
    let mut buf = [0u8; 24];
    for c in &company.customers {
        let terms = format!("NET{}", c.terms);
        w.write_record([
            c.id.as_bytes(),
            c.name.as_bytes(),
            company.divisions[c.division].as_bytes(),
            company.collectors[c.collector].as_bytes(),
            format_cents(c.credit_limit, &mut buf),
            terms.as_bytes(),
            c.risk.as_bytes(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// `arsite.toml`; serialised by the toml crate so any title is escaped.
pub(crate) fn write_config(out: &Path, title: &str, currency: &str) -> Result<()> {
    #[derive(serde::Serialize)]
    struct Config<'a> {
        title: &'a str,
        currency: &'a str,
    }
    let text = toml::to_string(&Config { title, currency })?;
    let path = out.join("arsite.toml");
    std::fs::write(&path, text).with_context(|| format!("sample: cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cents_are_plain_decimals() {
        let mut buf = [0u8; 24];
        let mut f = |v| String::from_utf8(format_cents(v, &mut buf).to_vec()).unwrap();
        assert_eq!(f(0), "0.00");
        assert_eq!(f(5), "0.05");
        assert_eq!(f(-5), "-0.05");
        assert_eq!(f(123_456), "1234.56");
        assert_eq!(f(-100), "-1.00");
        assert_eq!(f(i64::MIN), "-92233720368547758.08");
        assert_eq!(f(i64::MAX), "92233720368547758.07");
    }
}

//! Snapshot files: every open item on one date. Read from the canonical
//! format (v1: UTF-8, comma-separated, see the README) or through an
//! `[import.snapshots]` mapping from an ERP export (CSV or xlsx).

use super::problem::{Kind, Problem, Problems};
use super::quality::FileQuality;
use super::rules::IdGenerator;
use super::source::{with_records, Input};
use super::spec::{AsOf, InputSpec};
use super::table::{ColumnDef, Row, Schema, Table};
use arsite_core::model::InvoiceRow;
use arsite_core::money::CurrencyError;
use arsite_core::{Currency, Day, Money, Snapshot, SnapshotBuilder, Status};
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;

pub static SCHEMA: Schema = Schema {
    input: "snapshots",
    columns: &[
        ColumnDef::required("invoice_id"),
        ColumnDef::required("customer_id"),
        ColumnDef::canonical_only("customer_name"),
        ColumnDef::required("invoice_date"),
        ColumnDef::required("due_date"),
        ColumnDef::canonical_only("amount"),
        ColumnDef::required("open_amount"),
        ColumnDef::optional("currency"),
        ColumnDef::optional("division"),
        ColumnDef::optional("collector"),
        ColumnDef::optional("status"),
        ColumnDef::mapped("as_of"),
    ],
};

const INVOICE_ID: usize = 0;
const CUSTOMER_ID: usize = 1;
const CUSTOMER_NAME: usize = 2;
const INVOICE_DATE: usize = 3;
const DUE_DATE: usize = 4;
const AMOUNT: usize = 5;
const OPEN_AMOUNT: usize = 6;
const CURRENCY: usize = 7;
const DIVISION: usize = 8;
const COLLECTOR: usize = 9;
const STATUS: usize = 10;
const AS_OF: usize = 11;

/// Exchange rates: units of the reporting currency per unit of a foreign
/// one, by ISO code.
pub type Rates = BTreeMap<String, Decimal>;

/// An invoice converted from a foreign currency, with its original figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Converted {
    /// Index into the snapshot's `invoices`.
    pub invoice: usize,
    pub currency: String,
    pub rate: Decimal,
    pub amount: Decimal,
    pub open: Decimal,
}

/// One snapshot file read: the snapshot of its usable rows, what became of
/// every row, and the originals of converted amounts.
#[derive(Clone, Debug)]
pub struct SnapshotImport {
    pub snapshot: Snapshot,
    pub quality: FileQuality,
    pub converted: Vec<Converted>,
}

/// Reads one canonical snapshot file; any problem fails it. The build's
/// original entry point, kept for callers that want v1 behaviour.
pub fn read(path: &Path, as_of: Day, currency: &Currency) -> Result<Snapshot, Problems> {
    let import = read_with(
        path,
        Input::Path(path),
        as_of,
        &InputSpec::canonical(),
        currency,
        &Rates::new(),
    )?;
    if import.quality.is_clean() {
        Ok(import.snapshot)
    } else {
        let mut problems: Vec<Problem> = import.quality.problems().cloned().collect();
        problems.sort_by_key(|p| (p.line, p.column));
        Err(Problems(problems))
    }
}

/// Reads one snapshot file as `spec` says. `Err` only when the file as a
/// whole cannot be read (not CSV, no header, missing sheet); row problems
/// reject their rows and are reported in the result's quality.
pub fn read_with(
    path: &Path,
    input: Input<'_>,
    as_of: Day,
    spec: &InputSpec,
    currency: &Currency,
    rates: &Rates,
) -> Result<SnapshotImport, Problems> {
    let one = |p: Problem| Problems(vec![p]);
    with_records(path, input, &spec.source, |records, info| {
        let mut table = Table::open(records, info, path, &SCHEMA, spec, "open_amount", currency)
            .map_err(one)?;
        table.filter_as_of = Some(as_of);
        let ctx = RowContext {
            as_of,
            currency,
            rates,
            check_as_of: spec.as_of == AsOf::Column,
            mapped: spec.mapped,
        };
        let mut builder = SnapshotBuilder::new(as_of, currency.clone());
        let mut ids = Ids {
            seen: IdSet::default(),
            generator: IdGenerator::new(
                &path
                    .file_stem()
                    .map(|s| s.to_string_lossy())
                    .unwrap_or_default(),
            ),
            generated: 0,
            defaulted_due: 0,
        };
        let mut converted = Vec::new();
        let mut id_buf = String::new();
        while let Some(mut row) = table.next_row() {
            if let Some((parsed, original)) = parse_row(&mut row, &ctx, &mut ids, &mut id_buf) {
                if let Some(mut c) = original {
                    c.invoice = builder.len();
                    converted.push(c);
                }
                builder.push(&parsed);
            }
        }
        let mut quality = table.finish();
        quality.generated_ids = ids.generated;
        if ids.defaulted_due > 0 {
            quality.defaulted.insert("due_date", ids.defaulted_due);
        }
        let snapshot = builder.finish();
        // Open amounts are bounded row by row; document amounts (derived
        // sales add them up) here.
        quality.bound_column("amount", snapshot.invoices.iter().map(|i| i.amount));
        // A file that breaks off (a read error, a damaged sheet) would give
        // a snapshot that silently lacks its rest.
        if !quality.file_problems.is_empty() {
            return Err(Problems(quality.file_problems));
        }
        Ok(SnapshotImport {
            snapshot,
            quality,
            converted,
        })
    })
    .map_err(one)?
}

/// The snapshot date written in a file's `as_of` column: the first row's
/// value that reads as a date.
pub fn peek_as_of(path: &Path, spec: &InputSpec) -> Result<Day, Problem> {
    // Only dates are read: the currency (ISO's "no currency") is never used.
    let currency = Currency {
        code: "XXX".into(),
        exponent: 0,
    };
    with_records(path, Input::Path(path), &spec.source, |records, info| {
        let mut table = Table::open(records, info, path, &SCHEMA, spec, "open_amount", &currency)?;
        while let Some(mut row) = table.next_row() {
            if let Some(Some(day)) = row.optional_date(AS_OF) {
                return Ok(day);
            }
        }
        Err(Problem::file(
            path,
            Kind::SnapshotDate,
            "no row has a snapshot date in the as_of column: expected a date in the column mapped to as_of",
        ))
    })?
}

/// The invoice ids of one snapshot, to find duplicates. Ids live in one
/// growing string and the table maps their hashes to positions there: no
/// allocation per row, which matters at a million rows.
#[derive(Default)]
struct IdSet {
    text: String,
    /// Start, length and the next id with the same hash (`u32::MAX`: none).
    spans: Vec<(u64, u32, u32)>,
    heads: HashMap<u64, u32, BuildHasherDefault<Identity>>,
}

impl IdSet {
    /// Adds `id`; `false` when it was already there.
    fn insert(&mut self, id: &str) -> bool {
        let hash = fx_hash(id.as_bytes());
        let head = self.heads.get(&hash).copied();
        let mut at = head;
        while let Some(i) = at.filter(|i| *i != u32::MAX) {
            let (start, len, next) = self.spans[i as usize];
            let start = start as usize;
            if self.text.get(start..start + len as usize) == Some(id) {
                return false;
            }
            at = Some(next);
        }
        let start = self.text.len() as u64;
        self.text.push_str(id);
        // An id of 4 GB does not occur; one would merely never compare
        // equal.
        let len = u32::try_from(id.len()).unwrap_or(u32::MAX);
        self.spans.push((start, len, head.unwrap_or(u32::MAX)));
        self.heads.insert(hash, (self.spans.len() - 1) as u32);
        true
    }
}

/// The Firefox/rustc word-at-a-time hash: fast, and good enough for ids
/// from the user's own files (equal hashes are resolved by comparing the
/// text).
fn fx_hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h: u64 = 0;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let word = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        h = (h.rotate_left(5) ^ word).wrapping_mul(K);
    }
    for &b in chunks.remainder() {
        h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
    }
    // A multiply leaves the low bits (which pick the table slot) weak:
    // finish with splitmix64's mixer.
    let mut z = (h.rotate_left(5) ^ bytes.len() as u64).wrapping_mul(K);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The hash generated ids are made of (see [`super::rules::IdGenerator`]).
pub(crate) fn content_hash(bytes: &[u8]) -> u64 {
    fx_hash(bytes)
}

/// Keys that are already hashes.
#[derive(Default)]
struct Identity(u64);

impl Hasher for Identity {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

struct RowContext<'a> {
    as_of: Day,
    currency: &'a Currency,
    rates: &'a Rates,
    check_as_of: bool,
    /// Read through a mapping: rows without an id get a generated one and
    /// credits without a due date their document date (canonical files
    /// must have both).
    mapped: bool,
}

/// Document ids of one file: those seen, the generator for rows without
/// one, the buffer a composite or generated id is written to, and the
/// counts of used rows with a generated id or a defaulted due date.
struct Ids {
    seen: IdSet,
    generator: IdGenerator,
    generated: u64,
    defaulted_due: u64,
}

/// The row's document id: the `invoice_id` value, joined with the other
/// `invoice_key` values (`1800000123/002`; empty ones left out); in a
/// mapping, a generated id when the `invoice_id` value is empty. The
/// flag says whether the id was generated.
fn document_id<'a, 't: 'a>(
    row: &mut Row<'t, '_>,
    ctx: &RowContext<'_>,
    generator: &mut IdGenerator,
    buf: &'a mut String,
) -> Option<(&'a str, bool)> {
    let first = if ctx.mapped {
        row.text(INVOICE_ID)?
    } else {
        row.required_text(INVOICE_ID)?
    };
    if first.is_empty() {
        generator.id(row.raw_fields(), buf);
        return Some((buf, true));
    }
    let mut parts = row.key_parts().peekable();
    if parts.peek().is_none() {
        return Some((first, false));
    }
    buf.clear();
    buf.push_str(first);
    for p in parts.filter(|p| !p.is_empty()) {
        buf.push('/');
        buf.push_str(&p);
    }
    Some((buf, false))
}

fn parse_row<'a, 't: 'a>(
    row: &mut Row<'t, '_>,
    ctx: &RowContext<'_>,
    ids: &mut Ids,
    id_buf: &'a mut String,
) -> Option<(InvoiceRow<'a>, Option<Converted>)> {
    let as_of = ctx.as_of;
    let (invoice_id, generated) = match document_id(row, ctx, &mut ids.generator, id_buf) {
        Some((id, g)) => (Some(id), g),
        None => (None, false),
    };
    if let Some(id) = invoice_id {
        if !ids.seen.insert(id) {
            row.problem(
                INVOICE_ID,
                Kind::DuplicateId,
                format!("duplicate id {id:?} in this snapshot; expected each open item once"),
            );
        }
    }
    let customer_id = row.required_text(CUSTOMER_ID);
    let customer_name = row.text(CUSTOMER_NAME);
    let invoice_date = row.date(INVOICE_DATE);
    // `Some(None)`: empty, which a credit may be (see below).
    let due_date = if ctx.mapped {
        row.optional_date(DUE_DATE)
    } else {
        row.date(DUE_DATE).map(Some)
    };

    // The row's currency decides how many decimals its amounts may have.
    let row_currency = row.text(CURRENCY);
    let code: Option<String> = match row_currency {
        Some(c) if !c.is_empty() => {
            match Currency::parse(c) {
                Ok(cur) => Some(cur.code),
                Err(CurrencyError::NotACode(_)) => {
                    row.problem(
                        CURRENCY,
                        Kind::Currency,
                        format!(
                            "expected a three-letter ISO 4217 code such as {}, found {c:?}",
                            ctx.currency.code
                        ),
                    );
                    None
                }
                // Three letters ISO 4217 does not list (or without decimals).
                Err(e) => {
                    row.problem(CURRENCY, Kind::Currency, e.to_string());
                    None
                }
            }
        }
        _ => Some(ctx.currency.code.clone()),
    };
    let foreign = code
        .as_deref()
        .filter(|c| *c != ctx.currency.code)
        .map(Currency::from_code);
    let exponent = foreign
        .as_ref()
        .map_or(ctx.currency.exponent, |c| c.exponent);
    let rate = match &foreign {
        Some(f) => match ctx.rates.get(&f.code) {
            Some(r) => Some(*r),
            None => {
                let found = row_currency.unwrap_or_default();
                row.problem(
                    CURRENCY,
                    Kind::Currency,
                    format!(
                        "expected {} (the site's currency) or a currency with a rate under [rates] in arsite.toml, found {found:?}",
                        ctx.currency.code
                    ),
                );
                None
            }
        },
        None => None,
    };
    let open = row.amount(OPEN_AMOUNT, exponent);
    let amount = if row.is_present(AMOUNT) {
        row.amount(AMOUNT, exponent)
    } else {
        open
    };
    for (col, parsed) in [(OPEN_AMOUNT, open), (AMOUNT, amount)] {
        if let (Some((_, Some(written))), Some(code)) = (parsed, &code) {
            if written != code.as_bytes() {
                row.problem(
                    col,
                    Kind::Currency,
                    format!(
                        "expected an amount in {code} (the row's currency), found one marked {}",
                        String::from_utf8_lossy(&written)
                    ),
                );
            }
        }
        if col == OPEN_AMOUNT && !row.is_present(AMOUNT) {
            break;
        }
    }
    // Conversion: each amount rounds half away from zero to the reporting
    // currency's minor unit; the originals are kept.
    let mut original = None;
    let (open, amount) = match (&foreign, rate, open, amount) {
        (Some(f), Some(rate), Some((o, _)), Some((a, _))) => {
            let convert = |m: Money| -> Option<Money> {
                let value = m
                    .to_decimal(f.exponent)
                    .checked_mul(rate)?
                    .round_dp_with_strategy(
                        ctx.currency.exponent,
                        RoundingStrategy::MidpointAwayFromZero,
                    );
                Money::from_decimal(value, ctx.currency.exponent).ok()
            };
            match (convert(o), convert(a)) {
                (Some(co), Some(ca)) => {
                    original = Some(Converted {
                        invoice: 0,
                        currency: f.code.clone(),
                        rate,
                        amount: a.to_decimal(f.exponent),
                        open: o.to_decimal(f.exponent),
                    });
                    (Some(co), Some(ca))
                }
                _ => {
                    row.problem(
                        OPEN_AMOUNT,
                        Kind::Amount,
                        "amount is too large after conversion".into(),
                    );
                    (None, None)
                }
            }
        }
        (Some(_), _, _, _) => (None, None),
        (None, _, o, a) => (o.map(|x| x.0), a.map(|x| x.0)),
    };
    if let Some(o) = open {
        row.set_amount(o);
    }
    // Credit memos, payments and unapplied cash often have no due date
    // (NetSuite, QuickBooks Desktop): they are due when issued, so their
    // document date stands in (counted on the quality page). An invoice
    // without one is still a problem: its document date would make it
    // overdue from the day it was written.
    let mut defaulted_due = false;
    let due_date = match due_date {
        Some(Some(d)) => Some(d),
        Some(None) if open.is_some_and(|o| o.0 <= 0) => {
            defaulted_due = invoice_date.is_some();
            invoice_date
        }
        Some(None) => {
            if open.is_some() {
                row.problem(
                    DUE_DATE,
                    Kind::MissingValue,
                    "missing value; this column is required (only credits, with an open amount of zero or less, fall back to the document date)".into(),
                );
            }
            None
        }
        None => None,
    };

    let division = row.text(DIVISION);
    let collector = row.text(COLLECTOR);
    let status = row.text(STATUS).and_then(|t| {
        let s = Status::parse(t);
        if s.is_none() {
            row.problem(
                STATUS,
                Kind::Value,
                format!("expected one of open, disputed, promised, agency, legal, found {t:?}"),
            );
        }
        s
    });
    if ctx.check_as_of {
        if let Some(Some(d)) = row.optional_date(AS_OF) {
            if d != as_of {
                row.problem(
                    AS_OF,
                    Kind::SnapshotDate,
                    format!("expected the file's snapshot date {as_of}, found {d}"),
                );
            }
        }
    }
    if let Some(d) = invoice_date.filter(|d| *d > as_of) {
        row.problem(
            INVOICE_DATE,
            Kind::AfterSnapshotDate,
            format!("date {d} is after the snapshot date {as_of}"),
        );
    }
    if let (Some(i), Some(d)) = (invoice_date, due_date) {
        if d < i {
            row.problem(
                DUE_DATE,
                Kind::DueBeforeInvoice,
                format!("due date {d} is before the invoice date {i}"),
            );
        }
    }
    if let (Some(o), Some(a)) = (open, amount) {
        if (o.is_negative() && a.0 > 0) || (o.0 > 0 && a.is_negative()) {
            row.problem(
                OPEN_AMOUNT,
                Kind::OpenSign,
                format!(
                    "open amount {} has the opposite sign of the amount {}; expected the same sign",
                    ctx.currency.to_decimal(o),
                    ctx.currency.to_decimal(a)
                ),
            );
        } else if o.0.unsigned_abs() > a.0.unsigned_abs() {
            row.problem(
                OPEN_AMOUNT,
                Kind::OpenExceedsAmount,
                format!(
                    "open amount {} is larger than the amount {}; expected at most the document's amount",
                    ctx.currency.to_decimal(o),
                    ctx.currency.to_decimal(a)
                ),
            );
        }
    }
    if row.has_problems() {
        return None;
    }
    ids.generated += u64::from(generated);
    ids.defaulted_due += u64::from(defaulted_due);
    Some((
        InvoiceRow {
            invoice_id: invoice_id?,
            customer_id: customer_id?,
            customer_name: customer_name?,
            division: division?,
            collector: collector?,
            status: status?,
            invoice_date: invoice_date?,
            due_date: due_date?,
            amount: amount?,
            open: open?,
        },
        original,
    ))
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
    fn empty_fields_beyond_the_header_pass_and_values_there_do_not() {
        // A trailing delimiter holds nothing: nothing is lost.
        let s = read_text(&format!("{HEADER}I1,C1,A,2026-09-01,2026-10-01,5,5,,\n")).unwrap();
        assert_eq!(s.invoices.len(), 1);
        let found = problems(&format!("{HEADER}I1,C1,A,2026-09-01,2026-10-01,5,5,,x\n"));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with(":2:9: error: the row has 9 fields"),
            "{found:?}"
        );
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
             I5,C1,A,2026-11-05,2026-12-01,5,5\n\
             I6,C1,A,2026-09-01,2026-10-01,5,-5\n\
             I7,C1,A,2026-09-01,2026-10-01,5,6\n"
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
                ":7:7: error: open_amount: open amount -5.00 has the opposite sign of the amount 5.00; expected the same sign",
                ":8:7: error: open_amount: open amount 6.00 is larger than the amount 5.00; expected at most the document's amount",
            ]
        );
    }

    #[test]
    fn file_level_problems_explain_what_was_expected() {
        assert_eq!(
            problems(""),
            vec![":1: error: file is empty: expected a CSV export with a header row"]
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
        assert!(
            p[0].to_string().contains(
                ":2:3: error: customer_name: expected UTF-8 text (is the file in another encoding?"
            ),
            "{}",
            p[0]
        );
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

    fn mapped(toml_text: &str, bytes: &[u8], rates: &Rates) -> SnapshotImport {
        let raw: super::super::spec::RawInput = toml::from_str(toml_text).unwrap();
        let spec = InputSpec::from_raw(&raw, &SCHEMA).unwrap();
        read_with(
            Path::new("x.csv"),
            Input::Bytes(bytes),
            Day::parse_iso("2026-10-31").unwrap(),
            &spec,
            &Currency::from_code("EUR"),
            rates,
        )
        .unwrap()
    }

    #[test]
    fn id_set_finds_duplicates_including_hash_collisions() {
        let mut ids = IdSet::default();
        assert!(ids.insert("INV-1"));
        assert!(ids.insert("INV-2"));
        assert!(!ids.insert("INV-1"));
        assert!(ids.insert(""));
        assert!(!ids.insert(""));
        // Force a collision: two ids chained under one hash.
        assert!(ids.insert("A"));
        let h = fx_hash(b"A");
        ids.heads.insert(fx_hash(b"B"), ids.heads[&h]);
        assert!(ids.insert("B"));
        assert!(!ids.insert("B"));
        for i in 0..10_000 {
            assert!(ids.insert(&format!("X{i}")));
        }
        assert!(!ids.insert("X9999"));
    }

    #[test]
    fn foreign_currencies_convert_with_a_rate_and_keep_the_original() {
        let mut rates = Rates::new();
        rates.insert("USD".into(), Decimal::new(9, 1));
        let text = "invoice_id,customer_id,invoice_date,due_date,amount,open_amount,currency\n\
                    I1,C1,2026-09-01,2026-10-01,10.05,10.05,USD\n\
                    I2,C1,2026-09-01,2026-10-01,1000,1000,JPY\n\
                    I3,C1,2026-09-01,2026-10-01,EUR 5.00,5,\n";
        let r = mapped("delimiter = \",\"", text.as_bytes(), &rates);
        let s = &r.snapshot;
        assert_eq!(s.invoices.len(), 2);
        // 10.05 × 0.9 = 9.045 → 9.05 (half away from zero).
        assert_eq!(s.invoices[0].open, Money(905));
        assert_eq!(r.converted.len(), 1);
        assert_eq!(r.converted[0].open, Decimal::new(1005, 2));
        assert_eq!(r.quality.rejected.len(), 1);
        assert_eq!(r.quality.rejected[0].line, 3);
        assert_eq!(r.quality.rejected[0].problems[0].kind, Kind::Currency);
        assert_eq!(r.quality.unvalued, 1);
        assert_eq!(r.quality.used_total, s.total_open());
    }

    #[test]
    fn sign_rules_and_skipped_report_lines() {
        let text = "Open items\n\nDoc;Cust;Date;Due;Amt;Type\n\
                    A1;C1;01.09.2026;01.10.2026;1.000,00;RV\n\
                    A2;C1;01.09.2026;01.10.2026;250,00;DG\n\
                    A3;C1;01.09.2026;01.10.2026;5,00;XX\n\
                    *;;;;750,00;\n";
        let r = mapped(
            "decimal = \",\"\ndate_format = \"DD.MM.YYYY\"\nskip_rows = [\"*\"]\n\
             [columns]\ninvoice_id = \"Doc\"\ncustomer_id = \"Cust\"\ninvoice_date = \"Date\"\ndue_date = \"Due\"\nopen_amount = \"Amt\"\n\
             [sign]\ncolumn = \"Type\"\nnegative = [\"DG\"]\npositive = [\"RV\"]\n",
            text.as_bytes(),
            &Rates::new(),
        );
        let opens: Vec<i64> = r.snapshot.invoices.iter().map(|i| i.open.0).collect();
        assert_eq!(opens, vec![100_000, -25_000]);
        assert_eq!(r.quality.skipped, 1);
        assert_eq!(r.quality.rejected.len(), 1);
        let p = &r.quality.rejected[0].problems[0];
        assert_eq!((p.line, p.column, p.kind), (6, Some(6), Kind::Value));
        assert!(
            p.message.contains("expected one of RV, DG, found \"XX\""),
            "{}",
            p.message
        );
        // Subtotal-looking rows with an invoice id are data.
        let text =
            "Customer,Doc,Due,Open\nTotal Fina,T1,2026-10-01,5.00\nTotal for Total Fina,,,5.00\n";
        let r = mapped(
            "skip_rows = [\"Total\"]\n[columns]\ninvoice_id = \"Doc\"\ncustomer_id = \"Customer\"\ninvoice_date = \"Due\"\ndue_date = \"Due\"\nopen_amount = \"Open\"\n",
            text.as_bytes(),
            &Rates::new(),
        );
        assert_eq!((r.snapshot.invoices.len(), r.quality.skipped), (1, 1));
    }
}

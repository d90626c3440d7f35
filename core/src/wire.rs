//! The compact binary form of a snapshot that the generator writes for the
//! dashboard and the dashboard reads back.
//!
//! Layout (all integers LEB128 varints, signed ones zig-zag encoded):
//! magic `ARSD`, format version, header (as-of day, currency, exponent),
//! site settings (aging edges, scorecard thresholds, the site's other
//! snapshot dates), dictionaries (divisions, collectors, customers), then
//! the invoices column by column — columns of small deltas compress far
//! better than rows:
//!
//! - customer (as a delta from the previous row), division, collector,
//!   status, payment terms (due − invoice date) and settled amount
//!   (amount − open): run-length encoded, `(value, run)` pairs — an ERP
//!   export lists a customer's items together, so these barely change;
//! - days past due and open amount: one varint per row;
//! - invoice id: when it is the previous id with its trailing number
//!   changed (same text before it, same width), only the difference of
//!   the numbers (`2 × zigzag + 1`); otherwise `2 × shared prefix length`
//!   and the rest of the text.
//!
//! About 8 bytes per invoice before base64 (18.6 with one varint per
//! field and prefix-shared ids); less text for the browser to scan and
//! decode, and less to send.
//! The version is checked first: a dashboard never guesses at a layout it
//! was not built for, so a newer site meeting an older cached data file (or
//! the reverse) says so instead of showing wrong numbers.
//!
//! Versions: 1 = snapshot only; 2 = adds the site settings (the dashboard
//! used to assume the default aging edges).

use crate::model::{Customer, Invoice};
use crate::portfolio::Thresholds;
use crate::table::Table;
use crate::{AgingScheme, Currency, Day, Money, Snapshot, Status};
use rust_decimal::Decimal;
use std::fmt;

pub const MAGIC: &[u8; 4] = b"ARSD";
pub const VERSION: u32 = 2;

/// What the dashboard needs besides the snapshot: the site's settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    pub scheme: AgingScheme,
    pub thresholds: Thresholds,
    /// Dates of the site's snapshots known when this file was written
    /// (this one and the earlier ones), oldest first: the snapshot switcher
    /// and the compare view offer them.
    pub snapshots: Vec<Day>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WireError {
    BadMagic,
    UnsupportedVersion { found: u32, expected: u32 },
    Truncated,
    Invalid(&'static str),
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WireError::BadMagic => write!(f, "not an arsite data file"),
            WireError::UnsupportedVersion { found, expected } => write!(
                f,
                "data file has format version {found}, this dashboard reads version {expected}: \
                 rebuild the site or clear the browser cache"
            ),
            WireError::Truncated => write!(f, "data file is truncated"),
            WireError::Invalid(what) => write!(f, "data file is corrupt: {what}"),
        }
    }
}

pub fn encode(s: &Snapshot, settings: &Settings) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(64 + s.invoices.len() * 12));
    w.0.extend_from_slice(MAGIC);
    w.uint(u64::from(VERSION));
    w.int(i64::from(s.as_of.0));
    w.str(&s.currency.code);
    w.uint(u64::from(s.currency.exponent));
    let edges = settings.scheme.edges();
    w.uint(edges.len() as u64);
    edges.iter().for_each(|&e| w.int(i64::from(e)));
    let t = &settings.thresholds;
    // A limit: 0 = none, else 1 + scale, then the mantissa (integers: the
    // dashboard then needs no decimal parser).
    for limit in [
        t.min_current_percent,
        t.max_over_90_percent,
        t.max_weighted_dpd,
    ] {
        match limit.and_then(|d| i64::try_from(d.mantissa()).ok().map(|m| (m, d.scale()))) {
            None => w.uint(0),
            Some((mantissa, scale)) => {
                w.uint(1 + u64::from(scale));
                w.int(mantissa);
            }
        }
    }
    w.uint(settings.snapshots.len() as u64);
    settings
        .snapshots
        .iter()
        .for_each(|d| w.int(i64::from(d.0)));
    w.strs(&s.divisions);
    w.strs(&s.collectors);
    w.uint(s.customers.len() as u64);
    for c in &s.customers {
        w.str(&c.id);
        w.str(&c.name);
    }
    let inv: Vec<&Invoice> = file_order(s, &settings.scheme)
        .into_iter()
        .map(|k| &s.invoices[k as usize])
        .collect();
    w.uint(inv.len() as u64);
    let mut last = 0i64;
    w.runs(inv.iter().map(|i| {
        let delta = i64::from(i.customer) - last;
        last = i64::from(i.customer);
        delta
    }));
    w.runs(inv.iter().map(|i| i64::from(i.division)));
    w.runs(inv.iter().map(|i| i64::from(i.collector)));
    w.runs(inv.iter().map(|i| i.status.index() as i64));
    inv.iter()
        .for_each(|i| w.int(i64::from(s.as_of.0 - i.due_date.0)));
    w.runs(
        inv.iter()
            .map(|i| i64::from(i.due_date.0 - i.invoice_date.0)),
    );
    inv.iter().for_each(|i| w.int(i.open.0));
    w.runs(inv.iter().map(|i| i.amount.0 - i.open.0));
    let mut previous: &str = "";
    for i in &inv {
        let id = i.invoice_id.as_str();
        match numbered_successor(previous, id) {
            Some(delta) => w.uint((zigzag(delta) << 1) | 1),
            None => {
                let shared = common_prefix(previous, id);
                w.uint((shared as u64) << 1);
                w.str(&id[shared..]);
            }
        }
        previous = id;
    }
    w.0
}

/// The order invoices are written in: the order the dashboard groups them
/// (collector, customer, division, status, bucket; ties as given). Its
/// index is then built without sorting a million rows in the browser (see
/// `select::Index::new`), and the run-length columns get longer runs.
/// Decoding gives the invoices back in this order.
pub fn file_order(s: &Snapshot, scheme: &AgingScheme) -> Vec<u32> {
    let keys: Vec<_> = s
        .invoices
        .iter()
        .map(|i| {
            (
                i.collector,
                i.customer,
                i.division,
                i.status.index(),
                scheme.bucket_of(i.days_past_due(s.as_of)),
            )
        })
        .collect();
    let mut order: Vec<u32> = (0..s.invoices.len() as u32).collect();
    crate::select::sort_indices(&mut order, &|a, b| keys[a as usize].cmp(&keys[b as usize]));
    order
}

/// Decodes into a [`Snapshot`] (tests, tools); the dashboard uses
/// [`decode_table`], which is much cheaper for a million invoices.
pub fn decode(bytes: &[u8]) -> Result<(Snapshot, Settings), WireError> {
    decode_table(bytes).map(|(t, settings)| (t.to_snapshot(), settings))
}

/// Decodes into columns ([`Table`]): no allocation per invoice.
pub fn decode_table(bytes: &[u8]) -> Result<(Table, Settings), WireError> {
    let mut r = Reader { bytes, pos: 0 };
    if r.take(4).map_err(|_| WireError::BadMagic)? != MAGIC {
        return Err(WireError::BadMagic);
    }
    let version = r.uint()? as u32;
    if version != VERSION {
        return Err(WireError::UnsupportedVersion {
            found: version,
            expected: VERSION,
        });
    }
    let as_of = Day(r.int32()?);
    let code = r.string()?;
    let exponent = r.uint()? as u32;
    if exponent > 6 {
        return Err(WireError::Invalid("currency exponent"));
    }
    let n_edges = r.len()?;
    let edges = (0..n_edges)
        .map(|_| r.int32())
        .collect::<Result<Vec<_>, _>>()?;
    let scheme = AgingScheme::new(edges).map_err(|_| WireError::Invalid("aging edges"))?;
    let mut limit = || -> Result<Option<Decimal>, WireError> {
        match r.uint()? {
            0 => Ok(None),
            s if s <= 29 => Decimal::try_from_i128_with_scale(i128::from(r.int()?), s as u32 - 1)
                .map(Some)
                .map_err(|_| WireError::Invalid("threshold")),
            _ => Err(WireError::Invalid("threshold")),
        }
    };
    let thresholds = Thresholds {
        min_current_percent: limit()?,
        max_over_90_percent: limit()?,
        max_weighted_dpd: limit()?,
    };
    let n_dates = r.len()?;
    let snapshots = (0..n_dates)
        .map(|_| r.int32().map(Day))
        .collect::<Result<Vec<_>, _>>()?;
    let divisions = r.strings()?;
    let collectors = r.strings()?;
    let n_customers = r.len()?;
    let mut customers = Vec::with_capacity(n_customers);
    for _ in 0..n_customers {
        customers.push(Customer {
            id: r.string()?,
            name: r.string()?,
        });
    }
    let n = r.len()?;
    // Plain loops and one check per column (not a `Result` per value):
    // this is a million rows, decoded in the size-optimised wasm.
    let index =
        |values: Vec<i64>, limit: usize, what: &'static str| -> Result<Vec<u32>, WireError> {
            if values.iter().any(|&v| v < 0 || v as u64 >= limit as u64) {
                return Err(WireError::Invalid(what));
            }
            Ok(values.into_iter().map(|v| v as u32).collect())
        };
    let mut customer = r.runs(n)?;
    let mut last = 0i64;
    for c in customer.iter_mut() {
        last = last.wrapping_add(*c);
        *c = last;
    }
    let customer = index(customer, customers.len(), "customer index")?;
    let division = index(r.runs(n)?, divisions.len(), "division index")?;
    let collector = index(r.runs(n)?, collectors.len(), "collector index")?;
    let status: Vec<Status> = index(r.runs(n)?, Status::ALL.len(), "status")?
        .into_iter()
        .map(|v| Status::ALL[v as usize])
        .collect();
    let dpd = r.varints(n)?;
    let terms = r.runs(n)?;
    let open = r.varints(n)?;
    let settled = r.runs(n)?;
    let mut due_date = Vec::with_capacity(n);
    let mut invoice_date = Vec::with_capacity(n);
    let mut amount = Vec::with_capacity(n);
    let mut in_range = true;
    for k in 0..n {
        let due = i64::from(as_of.0) - dpd[k];
        let issued = due - terms[k];
        in_range &= i32::try_from(due).is_ok() && i32::try_from(issued).is_ok();
        due_date.push(Day(due as i32));
        invoice_date.push(Day(issued as i32));
        let (total, overflow) = open[k].overflowing_add(settled[k]);
        in_range &= !overflow;
        amount.push(Money(total));
    }
    if !in_range {
        return Err(WireError::Invalid("day or amount out of range"));
    }
    let mut t = Table::new(
        as_of,
        Currency { code, exponent },
        customers,
        divisions,
        collectors,
    );
    // Ids are rebuilt as bytes (digits are changed in place) and checked
    // as UTF-8 once at the end.
    let mut ids: Vec<u8> = Vec::with_capacity(n * 12);
    t.id_end.reserve(n);
    let mut number = Numbered::default();
    let mut previous_start = 0usize;
    for _ in 0..n {
        let tag = r.uint()?;
        let start = ids.len();
        if tag & 1 == 1 {
            number.next(&mut ids, previous_start, unzigzag(tag >> 1))?;
        } else {
            // The shared prefix is copied from the previous id, in place.
            let shared = (tag >> 1) as usize;
            let suffix = r.str()?;
            let previous = &ids[previous_start..];
            let splits_a_char = previous.get(shared).is_some_and(|b| b & 0xc0 == 0x80);
            if shared > previous.len() || splits_a_char {
                return Err(WireError::Invalid("invoice id prefix"));
            }
            ids.extend_from_within(previous_start..previous_start + shared);
            ids.extend_from_slice(suffix.as_bytes());
            number = Numbered::default();
        }
        previous_start = start;
        t.id_end.push(
            u32::try_from(ids.len()).map_err(|_| WireError::Invalid("invoice ids too long"))?,
        );
    }
    t.ids = String::from_utf8(ids).map_err(|_| WireError::Invalid("invoice id is not UTF-8"))?;
    t.due_date = due_date;
    t.invoice_date = invoice_date;
    t.amount = amount;
    t.open = open.into_iter().map(Money).collect();
    t.customer = customer;
    t.division = division;
    t.collector = collector;
    t.status = status;
    if r.pos != bytes.len() {
        return Err(WireError::Invalid("trailing bytes"));
    }
    let settings = Settings {
        scheme,
        thresholds,
        snapshots,
    };
    Ok((t, settings))
}

/// Decodes standard base64 (with or without `=` padding), the form the data
/// scripts carry. Done here rather than with `atob` in the page: it spares a
/// 25 MB intermediate string and a byte-by-byte copy loop in JavaScript.
pub fn from_base64(text: &[u8]) -> Result<Vec<u8>, WireError> {
    // 255 = not a base64 character.
    const TABLE: [u8; 256] = {
        let mut t = [255u8; 256];
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut i = 0;
        while i < 64 {
            t[alphabet[i] as usize] = i as u8;
            i += 1;
        }
        t
    };
    let mut end = text.len();
    while end > 0 && matches!(text[end - 1], b'=' | b' ' | b'\n' | b'\r' | b'\t') {
        end -= 1;
    }
    let bytes = &text[..end];
    let bad = WireError::Invalid("base64");
    let whole = bytes.len() / 4 * 4;
    let mut out = vec![0u8; bytes.len() / 4 * 3 + 3];
    let mut o = 0;
    for c in bytes[..whole].chunks_exact(4) {
        let (a, b, x, y) = (
            TABLE[c[0] as usize],
            TABLE[c[1] as usize],
            TABLE[c[2] as usize],
            TABLE[c[3] as usize],
        );
        if (a | b | x | y) == 255 || (a | b | x | y) > 63 {
            return Err(bad);
        }
        let n = u32::from(a) << 18 | u32::from(b) << 12 | u32::from(x) << 6 | u32::from(y);
        out[o] = (n >> 16) as u8;
        out[o + 1] = (n >> 8) as u8;
        out[o + 2] = n as u8;
        o += 3;
    }
    let rest = &bytes[whole..];
    let mut n = 0u32;
    for (i, &c) in rest.iter().enumerate() {
        let v = TABLE[c as usize];
        if v > 63 {
            return Err(bad);
        }
        n |= u32::from(v) << (18 - 6 * i);
    }
    match rest.len() {
        0 => {}
        2 => {
            out[o] = (n >> 16) as u8;
            o += 1;
        }
        3 => {
            out[o] = (n >> 16) as u8;
            out[o + 1] = (n >> 8) as u8;
            o += 2;
        }
        _ => return Err(bad),
    }
    out.truncate(o);
    Ok(out)
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(u: u64) -> i64 {
    (u >> 1) as i64 ^ -((u & 1) as i64)
}

/// An id's trailing number: (text before it, its digits). At most 18
/// digits, so the value fits an `i64`.
fn split_number(id: &str) -> Option<(&str, &str)> {
    let digits = id.bytes().rev().take_while(u8::is_ascii_digit).count();
    (digits > 0 && digits <= 18).then(|| id.split_at(id.len() - digits))
}

/// `id − previous` when `id` is `previous` with only its trailing number
/// changed and written with the same width (so the decoder can rebuild it).
fn numbered_successor(previous: &str, id: &str) -> Option<i64> {
    let (head, digits) = split_number(id)?;
    let (prev_head, prev_digits) = split_number(previous)?;
    if head != prev_head || digits.len() != prev_digits.len() {
        return None;
    }
    let value: i64 = digits.parse().ok()?;
    let prev: i64 = prev_digits.parse().ok()?;
    // A number with fewer digits than the width keeps its leading zeros;
    // one the width cannot hold (999 → 1000) does not take this form.
    Some(value - prev)
}

/// Rebuilding ids from number differences: the width of the previous
/// id's trailing number, found once and then carried along (the numbered
/// form keeps it).
#[derive(Default)]
struct Numbered {
    width: Option<usize>,
}

impl Numbered {
    /// Appends to `ids` the id after the one starting at `previous_start`
    /// (the last in `ids`): the same text with its number moved by `delta`,
    /// done as decimal arithmetic on the digits themselves — a million ids
    /// at load, and most differences are a digit or two.
    fn next(
        &mut self,
        ids: &mut Vec<u8>,
        previous_start: usize,
        delta: i64,
    ) -> Result<(), WireError> {
        let bad = WireError::Invalid("invoice id number");
        let previous = &ids[previous_start..];
        let width = match self.width {
            Some(w) => w,
            None => {
                let w = previous
                    .iter()
                    .rev()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                if w == 0 || w > 18 {
                    return Err(bad);
                }
                w
            }
        };
        ids.extend_from_within(previous_start..);
        let len = ids.len();
        let digits = &mut ids[len - width..];
        let mut carry = delta.unsigned_abs();
        for d in digits.iter_mut().rev() {
            if carry == 0 {
                break;
            }
            let step = (carry % 10) as u8;
            carry /= 10;
            let v = *d - b'0';
            if delta >= 0 {
                let sum = v + step;
                if sum >= 10 {
                    *d = b'0' + sum - 10;
                    carry += 1;
                } else {
                    *d = b'0' + sum;
                }
            } else if v >= step {
                *d = b'0' + v - step;
            } else {
                *d = b'0' + v + 10 - step;
                carry += 1;
            }
        }
        if carry != 0 {
            return Err(bad);
        }
        self.width = Some(width);
        Ok(())
    }
}

fn common_prefix(a: &str, b: &str) -> usize {
    let mut n = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    while !b.is_char_boundary(n) {
        n -= 1;
    }
    n
}

struct Writer(Vec<u8>);

impl Writer {
    fn uint(&mut self, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.0.push(byte);
                return;
            }
            self.0.push(byte | 0x80);
        }
    }

    fn int(&mut self, v: i64) {
        self.uint(zigzag(v));
    }

    /// Run-length encoding: `(value, run length)` pairs.
    fn runs(&mut self, values: impl Iterator<Item = i64>) {
        let mut current: Option<(i64, u64)> = None;
        for v in values {
            current = match current {
                Some((c, n)) if c == v => Some((c, n + 1)),
                Some((c, n)) => {
                    self.int(c);
                    self.uint(n);
                    Some((v, 1))
                }
                None => Some((v, 1)),
            };
        }
        if let Some((c, n)) = current {
            self.int(c);
            self.uint(n);
        }
    }

    fn str(&mut self, s: &str) {
        self.uint(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }

    fn strs(&mut self, list: &[String]) {
        self.uint(list.len() as u64);
        list.iter().for_each(|s| self.str(s));
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        let end = self.pos.checked_add(n).ok_or(WireError::Truncated)?;
        let out = self.bytes.get(self.pos..end).ok_or(WireError::Truncated)?;
        self.pos = end;
        Ok(out)
    }

    #[inline]
    fn byte(&mut self) -> Result<u8, WireError> {
        let b = *self.bytes.get(self.pos).ok_or(WireError::Truncated)?;
        self.pos += 1;
        Ok(b)
    }

    #[inline]
    fn uint(&mut self) -> Result<u64, WireError> {
        // Most values are one byte: that case first.
        let b = self.byte()?;
        if b & 0x80 == 0 {
            return Ok(u64::from(b));
        }
        let mut v = u64::from(b & 0x7f);
        for shift in (7..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(WireError::Invalid("varint too long"))
    }

    #[inline]
    fn int(&mut self) -> Result<i64, WireError> {
        self.uint().map(unzigzag)
    }

    /// `n` signed varints, read in one tight loop.
    fn varints(&mut self, n: usize) -> Result<Vec<i64>, WireError> {
        let mut out = Vec::with_capacity(n);
        let bytes = self.bytes;
        let mut pos = self.pos;
        for _ in 0..n {
            let mut v = 0u64;
            let mut shift = 0;
            loop {
                let b = *bytes.get(pos).ok_or(WireError::Truncated)?;
                pos += 1;
                v |= u64::from(b & 0x7f) << shift;
                if b & 0x80 == 0 {
                    break;
                }
                shift += 7;
                if shift >= 64 {
                    return Err(WireError::Invalid("varint too long"));
                }
            }
            out.push(unzigzag(v));
        }
        self.pos = pos;
        Ok(out)
    }

    /// `n` values from `(value, run length)` pairs; the runs must cover
    /// exactly `n` rows.
    fn runs(&mut self, n: usize) -> Result<Vec<i64>, WireError> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            let value = self.int()?;
            let run = self.uint()?;
            if run == 0 || run > (n - out.len()) as u64 {
                return Err(WireError::Invalid("run length"));
            }
            out.resize(out.len() + run as usize, value);
        }
        Ok(out)
    }

    fn int32(&mut self) -> Result<i32, WireError> {
        i32::try_from(self.int()?).map_err(|_| WireError::Invalid("day out of range"))
    }

    /// A count that must fit in what is left of the input (one byte per item
    /// at least), so a corrupt count cannot make us allocate gigabytes.
    fn len(&mut self) -> Result<usize, WireError> {
        let n = self.uint()?;
        if n > (self.bytes.len() - self.pos) as u64 {
            return Err(WireError::Truncated);
        }
        Ok(n as usize)
    }

    fn str(&mut self) -> Result<&'a str, WireError> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).map_err(|_| WireError::Invalid("text is not UTF-8"))
    }

    fn string(&mut self) -> Result<String, WireError> {
        self.str().map(str::to_owned)
    }

    fn strings(&mut self) -> Result<Vec<String>, WireError> {
        let n = self.len()?;
        (0..n).map(|_| self.string()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::InvoiceRow;
    use crate::SnapshotBuilder;
    use proptest::prelude::*;

    fn sample() -> Snapshot {
        let mut b = SnapshotBuilder::new(Day(20_000), Currency::from_code("EUR"));
        for (id, cust, name, div, coll, st, dpd, open, amount) in [
            (
                "INV-0001",
                "C1",
                "Müller GmbH",
                "North",
                "Ann",
                Status::Open,
                12,
                1000,
                1000,
            ),
            (
                "INV-0002",
                "C1",
                "Müller GmbH",
                "North",
                "Ann",
                Status::Disputed,
                -5,
                250,
                900,
            ),
            (
                "CM-17",
                "C2",
                "<b>x</b>",
                "",
                "",
                Status::Open,
                400,
                -300,
                -300,
            ),
        ] {
            b.push(&InvoiceRow {
                invoice_id: id,
                customer_id: cust,
                customer_name: name,
                division: div,
                collector: coll,
                status: st,
                invoice_date: Day(20_000 - dpd - 30),
                due_date: Day(20_000 - dpd),
                amount: Money(amount),
                open: Money(open),
            });
        }
        b.finish()
    }

    /// `s` as decoding gives it back: invoices in file order.
    fn in_file_order(s: &Snapshot) -> Snapshot {
        let mut out = s.clone();
        out.invoices = file_order(s, &settings().scheme)
            .into_iter()
            .map(|k| s.invoices[k as usize].clone())
            .collect();
        out
    }

    fn settings() -> Settings {
        Settings {
            scheme: AgingScheme::new(vec![15, 45]).unwrap(),
            thresholds: Thresholds {
                max_over_90_percent: None,
                ..Thresholds::default()
            },
            snapshots: vec![Day(19_970), Day(20_000)],
        }
    }

    #[test]
    fn round_trip_preserves_every_field() {
        let s = sample();
        assert_eq!(
            decode(&encode(&s, &settings())).unwrap(),
            (in_file_order(&s), settings())
        );
    }

    #[test]
    fn other_versions_are_refused_by_name() {
        let mut bytes = encode(&sample(), &settings());
        bytes[4] = 9;
        assert_eq!(
            decode(&bytes),
            Err(WireError::UnsupportedVersion {
                found: 9,
                expected: VERSION
            })
        );
        assert_eq!(decode(b"PK\x03\x04"), Err(WireError::BadMagic));
    }

    /// A version-1 file (what an older site wrote) is refused with the
    /// message the dashboard shows, not misread.
    #[test]
    fn a_version_1_file_is_refused_clearly() {
        let mut bytes = encode(&sample(), &settings());
        bytes[4] = 1;
        let e = decode(&bytes).unwrap_err();
        assert_eq!(
            e.to_string(),
            "data file has format version 1, this dashboard reads version 2: \
             rebuild the site or clear the browser cache"
        );
    }

    #[test]
    fn base64_of_every_length() {
        // RFC 4648 test vectors.
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(
                from_base64(encoded.as_bytes()).unwrap(),
                plain.as_bytes(),
                "{encoded}"
            );
        }
        assert_eq!(from_base64(b"+/8=").unwrap(), [0xfb, 0xff]);
        assert!(from_base64(b"Zm9v!").is_err());
        assert!(from_base64(b"Z").is_err());
    }

    #[test]
    fn every_truncation_is_an_error_not_a_panic() {
        let bytes = encode(&sample(), &settings());
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
    }

    /// (id, customer, division, collector, dpd, terms, open, settled)
    type RawRow = (String, u8, u8, u8, i32, i32, i64, i64);

    fn snapshot_of(rows: &[RawRow]) -> Snapshot {
        let mut b = SnapshotBuilder::new(Day(20_000), Currency::from_code("EUR"));
        for (id, cust, div, coll, dpd, terms, open, settled) in rows {
            b.push(&InvoiceRow {
                invoice_id: id,
                customer_id: &format!("C{cust}"),
                customer_name: "Name",
                division: ["", "North", "South"][usize::from(*div % 3)],
                collector: ["", "Ann", "Bob"][usize::from(*coll % 3)],
                status: Status::ALL[usize::from(*cust % 5)],
                invoice_date: Day(20_000 - dpd - terms),
                due_date: Day(20_000 - dpd),
                amount: Money(open + settled),
                open: Money(*open),
            });
        }
        b.finish()
    }

    #[test]
    fn numbered_ids_travel_as_differences_and_come_back_exactly() {
        let ids = [
            "INV-2026-000123",
            "INV-2026-000124",
            "INV-2026-000100",
            "INV-2026-999999",
            "INV-2026-1000000",
            "X9",
            "X10",
            "X09",
            "0042",
            "0041",
            "CM-17",
            "",
            "Ü-5",
            "Ü-6",
            "123456789012345678901",
            "123456789012345678902",
        ];
        let rows: Vec<_> = ids
            .iter()
            .enumerate()
            .map(|(k, id)| (id.to_string(), (k / 3) as u8, 1, 2, 10, 30, 1_000, 0))
            .collect();
        let s = snapshot_of(&rows);
        let (back, _) = decode(&encode(&s, &settings())).unwrap();
        assert_eq!(back, in_file_order(&s));
    }

    #[test]
    fn a_typical_export_takes_few_bytes_per_invoice() {
        // 2,000 invoices of 50 customers, grouped by customer, rising numbers.
        let rows: Vec<_> = (0..2_000)
            .map(|k| {
                (
                    format!("INV-2026-{:08}", 5_200_000 + k * 7),
                    (k / 40) as u8,
                    (k / 400) as u8,
                    (k / 200) as u8,
                    (k % 90) - 20,
                    30,
                    100_000 + (k as i64 * 7_919) % 900_000,
                    0,
                )
            })
            .collect();
        let s = snapshot_of(&rows);
        let bytes = encode(&s, &settings());
        let per_invoice = bytes.len() as f64 / rows.len() as f64;
        assert!(per_invoice < 7.0, "{per_invoice:.2} bytes per invoice");
        assert_eq!(decode(&bytes).unwrap().0, in_file_order(&s));
    }

    proptest! {
        #[test]
        fn any_snapshot_round_trips(
            rows in prop::collection::vec(
                ("[A-Z]{0,3}-?[0-9]{0,6}", 0u8..6, 0u8..3, 0u8..3, -50i32..400, 0i32..90, -100_000i64..10_000_000, -5_000i64..5_000),
                0..60,
            )
        ) {
            let s = snapshot_of(&rows);
            let bytes = encode(&s, &settings());
            prop_assert_eq!(decode(&bytes).unwrap(), (in_file_order(&s), settings()));
        }

        #[test]
        fn arbitrary_bytes_never_panic(tail in prop::collection::vec(any::<u8>(), 0..200)) {
            let mut bytes = b"ARSD\x02".to_vec();
            bytes.extend(tail);
            let _ = decode(&bytes);
        }
    }
}

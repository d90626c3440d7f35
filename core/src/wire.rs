//! The compact binary form of a snapshot that the generator writes for the
//! dashboard and the dashboard reads back.
//!
//! Layout (all integers LEB128 varints, signed ones zig-zag encoded):
//! magic `ARSD`, format version, header (as-of day, currency, exponent),
//! dictionaries (divisions, collectors, customers), then the invoices column
//! by column — columns of small deltas compress far better than rows.
//! The version is checked first: a dashboard never guesses at a layout it
//! was not built for.

use crate::model::{Customer, Invoice};
use crate::{Currency, Day, Money, Snapshot, Status};
use std::fmt;

pub const MAGIC: &[u8; 4] = b"ARSD";
pub const VERSION: u32 = 1;

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

pub fn encode(s: &Snapshot) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(64 + s.invoices.len() * 12));
    w.0.extend_from_slice(MAGIC);
    w.uint(u64::from(VERSION));
    w.int(i64::from(s.as_of.0));
    w.str(&s.currency.code);
    w.uint(u64::from(s.currency.exponent));
    w.strs(&s.divisions);
    w.strs(&s.collectors);
    w.uint(s.customers.len() as u64);
    for c in &s.customers {
        w.str(&c.id);
        w.str(&c.name);
    }
    let inv = &s.invoices;
    w.uint(inv.len() as u64);
    inv.iter().for_each(|i| w.uint(u64::from(i.customer)));
    inv.iter().for_each(|i| w.uint(u64::from(i.division)));
    inv.iter().for_each(|i| w.uint(u64::from(i.collector)));
    inv.iter().for_each(|i| w.0.push(i.status as u8));
    inv.iter()
        .for_each(|i| w.int(i64::from(s.as_of.0 - i.due_date.0)));
    inv.iter()
        .for_each(|i| w.int(i64::from(i.due_date.0 - i.invoice_date.0)));
    inv.iter().for_each(|i| w.int(i.open.0));
    inv.iter().for_each(|i| w.int(i.amount.0 - i.open.0));
    let mut previous: &str = "";
    for i in inv {
        let shared = common_prefix(previous, &i.invoice_id);
        w.uint(shared as u64);
        w.str(&i.invoice_id[shared..]);
        previous = &i.invoice_id;
    }
    w.0
}

pub fn decode(bytes: &[u8]) -> Result<Snapshot, WireError> {
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
    let index = |r: &mut Reader, limit: usize, what: &'static str| -> Result<Vec<u32>, WireError> {
        (0..n)
            .map(|_| {
                let v = r.uint()?;
                if v as usize >= limit {
                    Err(WireError::Invalid(what))
                } else {
                    Ok(v as u32)
                }
            })
            .collect()
    };
    let customer = index(&mut r, customers.len(), "customer index")?;
    let division = index(&mut r, divisions.len(), "division index")?;
    let collector = index(&mut r, collectors.len(), "collector index")?;
    let status: Vec<Status> = (0..n)
        .map(|_| Status::from_index(r.byte()?).ok_or(WireError::Invalid("status")))
        .collect::<Result<_, _>>()?;
    let dpd: Vec<i32> = (0..n).map(|_| r.int32()).collect::<Result<_, _>>()?;
    let terms: Vec<i32> = (0..n).map(|_| r.int32()).collect::<Result<_, _>>()?;
    let open: Vec<i64> = (0..n).map(|_| r.int()).collect::<Result<_, _>>()?;
    let settled: Vec<i64> = (0..n).map(|_| r.int()).collect::<Result<_, _>>()?;
    let mut invoices = Vec::with_capacity(n);
    let mut previous = String::new();
    for k in 0..n {
        let shared = r.uint()? as usize;
        let suffix = r.str()?;
        if shared > previous.len() || !previous.is_char_boundary(shared) {
            return Err(WireError::Invalid("invoice id prefix"));
        }
        let mut id = String::with_capacity(shared + suffix.len());
        id.push_str(&previous[..shared]);
        id.push_str(suffix);
        let due = Day(as_of.0 - dpd[k]);
        invoices.push(Invoice {
            invoice_id: id.clone(),
            customer: customer[k],
            division: division[k],
            collector: collector[k],
            status: status[k],
            invoice_date: Day(due.0 - terms[k]),
            due_date: due,
            amount: Money(open[k] + settled[k]),
            open: Money(open[k]),
        });
        previous = id;
    }
    if r.pos != bytes.len() {
        return Err(WireError::Invalid("trailing bytes"));
    }
    Ok(Snapshot {
        as_of,
        currency: Currency { code, exponent },
        customers,
        divisions,
        collectors,
        invoices,
    })
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
        self.uint(((v << 1) ^ (v >> 63)) as u64);
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

    fn byte(&mut self) -> Result<u8, WireError> {
        Ok(self.take(1)?[0])
    }

    fn uint(&mut self) -> Result<u64, WireError> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(WireError::Invalid("varint too long"))
    }

    fn int(&mut self) -> Result<i64, WireError> {
        let u = self.uint()?;
        Ok((u >> 1) as i64 ^ -((u & 1) as i64))
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

    #[test]
    fn round_trip_preserves_every_field() {
        let s = sample();
        assert_eq!(decode(&encode(&s)).unwrap(), s);
    }

    #[test]
    fn other_versions_are_refused_by_name() {
        let mut bytes = encode(&sample());
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

    #[test]
    fn every_truncation_is_an_error_not_a_panic() {
        let bytes = encode(&sample());
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(tail in prop::collection::vec(any::<u8>(), 0..200)) {
            let mut bytes = b"ARSD\x01".to_vec();
            bytes.extend(tail);
            let _ = decode(&bytes);
        }
    }
}

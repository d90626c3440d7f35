//! Documents (invoices, credit memos, unapplied cash) and a customer's open
//! items.
//!
//! Document ids look like `INV-2026-000123`: a kind prefix, the year of the
//! document date and a sequence that restarts every year. They are kept as a
//! packed integer whose numeric order equals the text order of the id, so
//! open items can stay sorted by id without formatting anything.

use super::calendar::Day;

/// Declared in the alphabetical order of the prefixes (`CM` < `INV` < `UC`)
/// because the key order must match the id text order.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum DocKind {
    CreditMemo = 0,
    Invoice = 1,
    Unapplied = 2,
}

impl DocKind {
    const ALL: [DocKind; 3] = [DocKind::CreditMemo, DocKind::Invoice, DocKind::Unapplied];

    fn prefix(self) -> &'static [u8] {
        match self {
            DocKind::CreditMemo => b"CM-",
            DocKind::Invoice => b"INV-",
            DocKind::Unapplied => b"UC-",
        }
    }
}

/// kind (8 bits) | year (16 bits) | sequence (40 bits).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct DocKey(u64);

const SEQ_BITS: u32 = 40;

impl DocKey {
    fn new(kind: DocKind, year: u16, seq: u64) -> DocKey {
        DocKey((kind as u64) << 56 | u64::from(year) << SEQ_BITS | seq)
    }

    fn kind(self) -> DocKind {
        DocKind::ALL[(self.0 >> 56) as usize]
    }

    fn year(self) -> u16 {
        (self.0 >> SEQ_BITS) as u16
    }

    fn seq(self) -> u64 {
        self.0 & ((1 << SEQ_BITS) - 1)
    }
}

/// Hands out sequences per kind; years only move forward in the simulation,
/// so a new year simply restarts the count.
#[derive(Default)]
pub(crate) struct IdCounters {
    current: [(u16, u64); 3],
}

impl IdCounters {
    pub fn next(&mut self, kind: DocKind, year: u16) -> DocKey {
        let (y, seq) = &mut self.current[kind as usize];
        if *y != year {
            *y = year;
            *seq = 0;
        }
        *seq += 1;
        DocKey::new(kind, year, *seq)
    }
}

/// Formats ids with a fixed sequence width, chosen up front from the expected
/// volume so that text order and numeric order agree.
pub(crate) struct IdFormat {
    width: usize,
}

impl IdFormat {
    pub fn for_yearly_volume(expected: u64) -> IdFormat {
        // Generous headroom: the volume is an estimate from average rates.
        let max = expected.saturating_mul(4).max(1);
        IdFormat {
            width: (max.ilog10() as usize + 1).max(6),
        }
    }

    /// Writes the id into `buf` and returns the used part.
    pub fn write<'b>(&self, key: DocKey, buf: &'b mut [u8; 32]) -> &'b [u8] {
        let prefix = key.kind().prefix();
        buf[..prefix.len()].copy_from_slice(prefix);
        let mut len = prefix.len();
        len += write_padded(u64::from(key.year()), 4, &mut buf[len..]);
        buf[len] = b'-';
        len += 1;
        len += write_padded(key.seq(), self.width, &mut buf[len..]);
        &buf[..len]
    }

    #[cfg(test)]
    pub fn text(&self, key: DocKey) -> String {
        let mut buf = [0u8; 32];
        String::from_utf8_lossy(self.write(key, &mut buf)).into_owned()
    }
}

/// Zero-padded decimal; returns the number of bytes written.
fn write_padded(mut value: u64, width: usize, out: &mut [u8]) -> usize {
    let digits = if value == 0 {
        1
    } else {
        value.ilog10() as usize + 1
    };
    let len = digits.max(width);
    for slot in out[..len].iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
    len
}

/// Whole currency units in cents (`whole(150)` = 150.00).
pub(crate) const fn whole(units: i64) -> i64 {
    units * 100
}

pub(crate) const DISPUTED: u8 = 1;
pub(crate) const AGENCY: u8 = 2;
pub(crate) const LEGAL: u8 = 4;

/// One open document. Positive documents are invoices; credit memos and
/// unapplied cash are negative.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Doc {
    pub key: DocKey,
    pub issued: Day,
    pub due: Day,
    pub amount: i64,
    pub open: i64,
    pub flags: u8,
}

impl Doc {
    pub fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    /// An invoice the customer is expected to pay (not held up by a dispute
    /// or handed to the agency).
    pub fn payable(&self) -> bool {
        self.open > 0 && self.flags & (DISPUTED | AGENCY) == 0
    }

    /// A credit (credit memo or unapplied cash) free to be applied.
    pub fn credit(&self) -> bool {
        self.open < 0
    }
}

/// A customer's open items, always sorted by id.
#[derive(Default)]
pub(crate) struct OpenItems {
    pub docs: Vec<Doc>,
}

impl OpenItems {
    pub fn insert(&mut self, doc: Doc) {
        let at = self.docs.partition_point(|d| d.key < doc.key);
        self.docs.insert(at, doc);
    }

    pub fn find(&self, key: DocKey) -> Option<usize> {
        self.docs.binary_search_by_key(&key, |d| d.key).ok()
    }

    /// Reduces the open amount of a positive document; returns true if it
    /// was settled and removed.
    pub fn settle(&mut self, index: usize, amount: i64) -> bool {
        let doc = &mut self.docs[index];
        debug_assert!(amount > 0 && amount <= doc.open);
        doc.open -= amount;
        if doc.open == 0 {
            self.docs.remove(index);
            true
        } else {
            false
        }
    }

    /// Applies the customer's credits (oldest first) against the invoice at
    /// `target`. This is a transfer between open items: AR is unchanged and no
    /// activity is recorded. Returns the invoice's remaining open amount.
    pub fn apply_credits(&mut self, target: usize) -> i64 {
        let mut remaining = self.docs[target].open;
        if remaining <= 0 {
            return remaining;
        }
        for doc in self.docs.iter_mut().filter(|d| d.credit()) {
            let used = (-doc.open).min(remaining);
            doc.open += used;
            remaining -= used;
            if remaining == 0 {
                break;
            }
        }
        self.docs[target].open = remaining;
        self.docs.retain(|d| d.open != 0);
        remaining
    }

    /// Moves up to the credit's open amount onto one invoice (cash that
    /// arrived without remittance advice, matched later).
    pub fn transfer(&mut self, credit: usize, target: usize) {
        let used = (-self.docs[credit].open).min(self.docs[target].open);
        if used <= 0 {
            return;
        }
        self.docs[credit].open += used;
        self.docs[target].open -= used;
        self.docs.retain(|d| d.open != 0);
    }

    /// Nets all credits against all invoices, oldest first (done before an
    /// account is handed to the agency, which only chases the net debt).
    pub fn net_all(&mut self) {
        let docs = &mut self.docs;
        let (mut credit, mut debit) = (0, 0);
        loop {
            // Each step settles at least one of the two documents, so both
            // cursors only move forward.
            while credit < docs.len() && docs[credit].open >= 0 {
                credit += 1;
            }
            while debit < docs.len() && docs[debit].open <= 0 {
                debit += 1;
            }
            if credit == docs.len() || debit == docs.len() {
                break;
            }
            let used = (-docs[credit].open).min(docs[debit].open);
            docs[credit].open += used;
            docs[debit].open -= used;
        }
        docs.retain(|d| d.open != 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_order_matches_text_order() {
        let fmt = IdFormat::for_yearly_volume(1000);
        let keys = [
            DocKey::new(DocKind::Invoice, 2026, 12),
            DocKey::new(DocKind::CreditMemo, 2026, 7),
            DocKey::new(DocKind::Invoice, 2025, 999_999),
            DocKey::new(DocKind::Unapplied, 2025, 3),
            DocKey::new(DocKind::Invoice, 2026, 2),
        ];
        let mut by_key = keys.to_vec();
        by_key.sort();
        let mut by_text: Vec<String> = keys.iter().map(|&k| fmt.text(k)).collect();
        by_text.sort();
        let keyed: Vec<String> = by_key.iter().map(|&k| fmt.text(k)).collect();
        assert_eq!(keyed, by_text);
        assert_eq!(fmt.text(keys[0]), "INV-2026-000012");
        assert_eq!(fmt.text(keys[1]), "CM-2026-000007");
    }

    #[test]
    fn width_grows_with_volume() {
        // 4 × 3,000,000 expected ids need 8 digits.
        let fmt = IdFormat::for_yearly_volume(3_000_000);
        let key = DocKey::new(DocKind::Unapplied, 2027, 45);
        assert_eq!(fmt.text(key), "UC-2027-00000045");
    }

    fn doc(kind: DocKind, seq: u64, amount: i64) -> Doc {
        Doc {
            key: DocKey::new(kind, 2026, seq),
            issued: 0,
            due: 0,
            amount,
            open: amount,
            flags: 0,
        }
    }

    #[test]
    fn credits_are_transfers() {
        let mut items = OpenItems::default();
        items.insert(doc(DocKind::Invoice, 1, 10_000));
        items.insert(doc(DocKind::CreditMemo, 1, -3_000));
        items.insert(doc(DocKind::Unapplied, 1, -9_000));
        let total = |i: &OpenItems| i.docs.iter().map(|d| d.open).sum::<i64>();
        let before = total(&items);
        let target = items.find(DocKey::new(DocKind::Invoice, 2026, 1)).unwrap();
        assert_eq!(items.apply_credits(target), 0);
        assert_eq!(total(&items), before);
        assert_eq!(items.docs.len(), 1);
        assert_eq!(items.docs[0].open, -2_000);
        assert_eq!(items.docs[0].amount, -9_000);
    }
}

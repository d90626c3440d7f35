//! Comparing two snapshots: where each aging bucket's money at the earlier
//! date is at the later date (the roll-rate matrix), what became past due
//! and what was cleared in between.
//!
//! Invoices are followed by id (unique within a snapshot). For every
//! selected item of the earlier snapshot in bucket *b* with balance *e*:
//! if it is still open later with balance *l* in bucket *b′*, *l* goes to
//! cell (*b*, *b′*); the difference counts as cleared when it fell
//! (max(0, e − l), the same "cleared" as the derived collections of
//! `metrics::collections`) and as grown when it rose. An item no longer open
//! is cleared in full. So each row adds up exactly:
//! start = Σ cells + cleared − grown.
//!
//! The roll rate of bucket *b* is the share of its start amount found in
//! bucket *b + 1* at the later date. New past due: items of the later
//! selection that are past due there and were current — or not open — at
//! the earlier date, at their later balance.

use crate::aging::{AgingScheme, MAX_BUCKETS};
use crate::metrics::amount::percent_money;
use crate::table::Table;
use crate::Money;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

const NONE: u32 = u32::MAX;

/// FxHash (as in rustc): invoice ids are not attacker-chosen keys of a
/// long-lived table, and pairing a million of them in the browser with
/// SipHash costs a visible fraction of a second.
#[derive(Default)]
struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Which invoice of the other snapshot carries the same id.
pub struct Pairing {
    /// Per earlier invoice: its index in the later snapshot, or `u32::MAX`.
    later_of: Vec<u32>,
    /// Per later invoice: its index in the earlier snapshot, or `u32::MAX`.
    earlier_of: Vec<u32>,
}

impl Pairing {
    pub fn new(earlier: &Table, later: &Table) -> Pairing {
        let mut by_id: HashMap<&str, u32, BuildHasherDefault<Fx>> =
            HashMap::with_capacity_and_hasher(later.len(), Default::default());
        for j in 0..later.len() {
            by_id.entry(later.id(j)).or_insert(j as u32);
        }
        let mut earlier_of = vec![NONE; later.len()];
        let later_of = (0..earlier.len())
            .map(|i| match by_id.get(earlier.id(i)) {
                Some(&j) => {
                    if earlier_of[j as usize] == NONE {
                        earlier_of[j as usize] = i as u32;
                    }
                    j
                }
                None => NONE,
            })
            .collect();
        Pairing {
            later_of,
            earlier_of,
        }
    }
}

/// One row of the matrix: the items of one bucket at the earlier date.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct RollRow {
    pub start: Money,
    pub count: u32,
    /// Where the balances are at the later date, by bucket.
    pub to: [Money; MAX_BUCKETS],
    pub cleared: Money,
    pub grown: Money,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RollRates {
    /// One row per bucket of the scheme.
    pub rows: Vec<RollRow>,
    /// Σ of the rows' cleared amounts.
    pub cleared: Money,
    /// Items open at the earlier date and no longer open: their earlier balance.
    pub closed: Money,
    pub closed_count: u32,
    pub new_past_due: Money,
    pub new_past_due_count: u32,
}

impl RollRates {
    /// Share of bucket `b`'s start amount that is one bucket older at the
    /// later date; none for the last bucket or an empty row.
    pub fn roll_rate(&self, b: usize) -> Option<Decimal> {
        let row = self.rows.get(b)?;
        let next = *row.to.get(b + 1).filter(|_| b + 1 < self.rows.len())?;
        percent_money(next, row.start)
    }

    /// Share of bucket `b`'s start amount cleared by the later date.
    pub fn cleared_rate(&self, b: usize) -> Option<Decimal> {
        let row = self.rows.get(b)?;
        percent_money(row.cleared, row.start)
    }
}

/// The matrix for the selected invoices (indices into each snapshot's
/// invoices): `earlier_selected` make the rows, `later_selected` are
/// searched for new past-due items.
pub fn compute(
    earlier: &Table,
    later: &Table,
    scheme: &AgingScheme,
    pairing: &Pairing,
    earlier_selected: impl IntoIterator<Item = u32>,
    later_selected: impl IntoIterator<Item = u32>,
) -> RollRates {
    let bucket = |t: &Table, i: u32| -> usize { scheme.bucket_of(t.days_past_due(i as usize)) };
    let mut out = RollRates {
        rows: vec![RollRow::default(); scheme.bucket_count()],
        ..RollRates::default()
    };
    for i in earlier_selected {
        let e = earlier.open[i as usize];
        let row = &mut out.rows[bucket(earlier, i)];
        row.start += e;
        row.count += 1;
        let l = match pairing.later_of[i as usize] {
            NONE => {
                out.closed += e;
                out.closed_count += 1;
                Money::ZERO
            }
            j => {
                let l = later.open[j as usize];
                row.to[bucket(later, j)] += l;
                l
            }
        };
        if e > l {
            row.cleared += e - l;
            out.cleared += e - l;
        } else {
            row.grown += l - e;
        }
    }
    for j in later_selected {
        if bucket(later, j) == 0 {
            continue;
        }
        let was_current = match pairing.earlier_of[j as usize] {
            NONE => true,
            i => bucket(earlier, i) == 0,
        };
        if was_current {
            out.new_past_due += later.open[j as usize];
            out.new_past_due_count += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{MetricsConfig, SalesLedger};
    use crate::select::fixture::{snapshot_at, AS_OF, R};
    use crate::Day;

    fn all(s: &Table) -> Vec<u32> {
        (0..s.len() as u32).collect()
    }

    #[test]
    fn matrix_by_hand() {
        let early = snapshot_at(
            Day(AS_OF.0 - 30),
            &[
                R::new("A", "C1", "", "ann", 10, 1_000), // 1–30 → 31–60, unpaid
                R::new("B", "C1", "", "ann", 20, 500),   // 1–30 → gone (cleared)
                R::new("C", "C2", "", "bob", -5, 800),   // current → 1–30, 300 paid
                R::new("D", "C2", "", "bob", 45, 200),   // 31–60 → 61–90, grows to 250
            ],
        );
        let late = snapshot_at(
            AS_OF,
            &[
                R::new("A", "C1", "", "ann", 40, 1_000),
                R::new("C", "C2", "", "bob", 25, 500),
                R::new("D", "C2", "", "bob", 75, 250),
                R::new("E", "C3", "", "bob", 3, 90), // new, already past due
                R::new("F", "C3", "", "bob", -9, 70), // new, current
            ],
        );
        let scheme = AgingScheme::default();
        let (early, late) = (Table::from_snapshot(&early), Table::from_snapshot(&late));
        let p = Pairing::new(&early, &late);
        let r = compute(&early, &late, &scheme, &p, all(&early), all(&late));
        assert_eq!(r.rows[1].start, Money(1_500));
        assert_eq!(r.rows[1].to[2], Money(1_000));
        assert_eq!(r.rows[1].cleared, Money(500));
        assert_eq!(r.rows[0].to[1], Money(500));
        assert_eq!(r.rows[0].cleared, Money(300));
        assert_eq!((r.rows[2].to[3], r.rows[2].grown), (Money(250), Money(50)));
        assert_eq!((r.closed, r.closed_count), (Money(500), 1));
        assert_eq!(r.cleared, Money(800));
        // C (current before) and E (new) are newly past due: 500 + 90.
        assert_eq!((r.new_past_due, r.new_past_due_count), (Money(590), 2));
        // 1–30 rolled 1,000 of 1,500 → 66.67 %; current 500 of 800 → 62.50 %.
        assert_eq!(r.roll_rate(1).unwrap().to_string(), "66.67");
        assert_eq!(r.roll_rate(0).unwrap().to_string(), "62.50");
        assert_eq!(r.roll_rate(5), None);
        for row in &r.rows {
            let cells: Money = row.to.iter().copied().sum();
            assert_eq!(row.start, cells + row.cleared - row.grown);
        }
    }

    #[test]
    fn cleared_equals_the_derived_collections() {
        let early = snapshot_at(
            Day(AS_OF.0 - 31),
            &[
                R::new("A", "C1", "N", "ann", 10, 1_000),
                R::new("B", "C1", "N", "ann", 20, 500),
                R::new("C", "C2", "S", "bob", -5, 800),
                R::new("G", "C2", "S", "bob", 200, -300),
            ],
        );
        let late = snapshot_at(
            AS_OF,
            &[
                R::new("A", "C1", "N", "ann", 41, 400),
                R::new("C", "C2", "S", "bob", 26, 900),
            ],
        );
        let m = crate::metrics::compute(
            &late,
            Some(&early),
            &SalesLedger::default(),
            crate::activity::ActivityLog::empty(),
            &[],
            &MetricsConfig::default(),
        );
        let scheme = AgingScheme::default();
        let (early, late) = (Table::from_snapshot(&early), Table::from_snapshot(&late));
        let p = Pairing::new(&early, &late);
        let r = compute(&early, &late, &scheme, &p, all(&early), all(&late));
        assert_eq!(r.cleared, m.collections.collected.money);
        assert_eq!(r.cleared, Money(600 + 500));
    }
}

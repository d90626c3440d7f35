//! Aging buckets by days past due.
//!
//! Convention: days past due (dpd) = snapshot date − due date. An item is
//! *Current* when dpd ≤ 0; past-due buckets have inclusive upper bounds given
//! by the scheme's edges (default 30, 60, 90, 120 → 1–30, 31–60, 61–90,
//! 91–120, 121+). Negative open amounts (credit memos, unapplied cash) are
//! aged by their own due date and stay in the sums, so the buckets always add
//! up to the total open amount.

use crate::{Invoice, Money, Snapshot};
use std::fmt;

/// Largest number of buckets a scheme may have (Current + edges + last).
pub const MAX_BUCKETS: usize = 8;

/// Largest bucket edge, in days past due: 100 years. Larger edges mean
/// nothing for receivables, and this keeps `edge + 1` (the next bucket's
/// first day, in its label) far from i32's end: `[30, 2147483647]` labelled
/// its last bucket `-2147483648+`.
pub const MAX_EDGE_DAYS: i32 = 36_500;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgingScheme {
    edges: Vec<i32>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SchemeError {
    Empty,
    TooMany,
    NotIncreasing,
    NotPositive,
    TooLarge(i32),
}

impl fmt::Display for SchemeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchemeError::Empty => write!(
                f,
                "expected at least one bucket edge, e.g. [30, 60, 90, 120]"
            ),
            SchemeError::TooMany => write!(f, "expected at most {} bucket edges", MAX_BUCKETS - 2),
            SchemeError::NotIncreasing => write!(f, "expected strictly increasing bucket edges"),
            SchemeError::NotPositive => write!(f, "expected bucket edges of at least 1 day"),
            SchemeError::TooLarge(edge) => write!(
                f,
                "expected bucket edges of at most {MAX_EDGE_DAYS} days (100 years), found {edge}"
            ),
        }
    }
}

impl Default for AgingScheme {
    fn default() -> Self {
        AgingScheme {
            edges: vec![30, 60, 90, 120],
        }
    }
}

impl AgingScheme {
    pub fn new(edges: Vec<i32>) -> Result<Self, SchemeError> {
        if edges.is_empty() {
            return Err(SchemeError::Empty);
        }
        if edges.len() > MAX_BUCKETS - 2 {
            return Err(SchemeError::TooMany);
        }
        if edges[0] < 1 {
            return Err(SchemeError::NotPositive);
        }
        if edges.windows(2).any(|w| w[0] >= w[1]) {
            return Err(SchemeError::NotIncreasing);
        }
        if let Some(&edge) = edges.iter().find(|&&e| e > MAX_EDGE_DAYS) {
            return Err(SchemeError::TooLarge(edge));
        }
        Ok(AgingScheme { edges })
    }

    pub fn edges(&self) -> &[i32] {
        &self.edges
    }

    pub fn bucket_count(&self) -> usize {
        self.edges.len() + 2
    }

    /// Index of the bucket for `dpd`: 0 is Current, the last is "over the last edge".
    #[inline]
    pub fn bucket_of(&self, dpd: i32) -> usize {
        if dpd <= 0 {
            return 0;
        }
        // Edges are few (≤ 6); a linear scan beats a binary search here.
        for (i, &edge) in self.edges.iter().enumerate() {
            if dpd <= edge {
                return i + 1;
            }
        }
        self.edges.len() + 1
    }

    /// Human labels: "Current", "1–30", …, "121+".
    pub fn labels(&self) -> Vec<String> {
        let mut labels = Vec::with_capacity(self.bucket_count());
        labels.push("Current".to_string());
        let mut low = 1;
        for &edge in &self.edges {
            labels.push(format!("{low}–{edge}"));
            low = edge + 1;
        }
        labels.push(format!("{low}+"));
        labels
    }
}

/// Open amounts and item counts per bucket for one group of invoices.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct BucketTotals {
    pub amounts: [Money; MAX_BUCKETS],
    pub counts: [u32; MAX_BUCKETS],
}

impl BucketTotals {
    #[inline]
    pub fn add(&mut self, bucket: usize, open: Money) {
        self.amounts[bucket] += open;
        self.counts[bucket] += 1;
    }

    pub fn merge(&mut self, other: &BucketTotals) {
        for i in 0..MAX_BUCKETS {
            self.amounts[i] += other.amounts[i];
            self.counts[i] += other.counts[i];
        }
    }

    /// Σ of every bucket: the total open amount of the group.
    pub fn total(&self) -> Money {
        self.amounts.iter().copied().sum()
    }

    /// Everything but Current.
    pub fn past_due(&self) -> Money {
        self.amounts[1..].iter().copied().sum()
    }

    pub fn current(&self) -> Money {
        self.amounts[0]
    }

    pub fn count(&self) -> u32 {
        self.counts.iter().sum()
    }

    /// The amounts of the scheme's buckets only (the array is padded to MAX_BUCKETS).
    pub fn amounts_for<'a>(&'a self, scheme: &AgingScheme) -> &'a [Money] {
        &self.amounts[..scheme.bucket_count()]
    }
}

/// Aging of a whole snapshot in one pass: in total and for each division,
/// collector and customer (indexed like the snapshot's tables).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgingReport {
    pub total: BucketTotals,
    pub by_division: Vec<BucketTotals>,
    pub by_collector: Vec<BucketTotals>,
    pub by_customer: Vec<BucketTotals>,
}

impl AgingReport {
    pub fn compute(snapshot: &Snapshot, scheme: &AgingScheme) -> AgingReport {
        Self::compute_for(snapshot, scheme, snapshot.invoices.iter())
    }

    /// The same over any subset of the snapshot's invoices (a filter).
    pub fn compute_for<'a>(
        snapshot: &Snapshot,
        scheme: &AgingScheme,
        invoices: impl Iterator<Item = &'a Invoice>,
    ) -> AgingReport {
        let mut report = AgingReport {
            total: BucketTotals::default(),
            by_division: vec![BucketTotals::default(); snapshot.divisions.len()],
            by_collector: vec![BucketTotals::default(); snapshot.collectors.len()],
            by_customer: vec![BucketTotals::default(); snapshot.customers.len()],
        };
        for inv in invoices {
            let b = scheme.bucket_of(inv.days_past_due(snapshot.as_of));
            report.total.add(b, inv.open);
            report.by_division[inv.division as usize].add(b, inv.open);
            report.by_collector[inv.collector as usize].add(b, inv.open);
            report.by_customer[inv.customer as usize].add(b, inv.open);
        }
        report
    }
}

/// Aging of a selection without per-group breakdowns.
pub fn totals<'a>(
    scheme: &AgingScheme,
    as_of: crate::Day,
    invoices: impl Iterator<Item = &'a Invoice>,
) -> BucketTotals {
    let mut t = BucketTotals::default();
    for inv in invoices {
        t.add(scheme.bucket_of(inv.days_past_due(as_of)), inv.open);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::InvoiceRow;
    use crate::{Currency, Day, SnapshotBuilder, Status};
    use proptest::prelude::*;

    #[test]
    fn bucket_boundaries_are_inclusive_upper_bounds() {
        let s = AgingScheme::default();
        let cases = [
            (-5, 0),
            (0, 0),
            (1, 1),
            (30, 1),
            (31, 2),
            (60, 2),
            (61, 3),
            (90, 3),
            (91, 4),
            (120, 4),
            (121, 5),
            (10_000, 5),
        ];
        for (dpd, bucket) in cases {
            assert_eq!(s.bucket_of(dpd), bucket, "dpd {dpd}");
        }
    }

    #[test]
    fn default_labels() {
        assert_eq!(
            AgingScheme::default().labels(),
            ["Current", "1–30", "31–60", "61–90", "91–120", "121+"]
        );
        assert_eq!(
            AgingScheme::new(vec![15, 45]).unwrap().labels(),
            ["Current", "1–15", "16–45", "46+"]
        );
    }

    #[test]
    fn scheme_validation() {
        assert_eq!(AgingScheme::new(vec![]), Err(SchemeError::Empty));
        assert_eq!(
            AgingScheme::new(vec![30, 30]),
            Err(SchemeError::NotIncreasing)
        );
        assert_eq!(AgingScheme::new(vec![0, 30]), Err(SchemeError::NotPositive));
        assert_eq!(
            AgingScheme::new(vec![1, 2, 3, 4, 5, 6, 7]),
            Err(SchemeError::TooMany)
        );
    }

    #[test]
    fn edges_are_bounded_so_labels_never_wrap() {
        assert_eq!(
            AgingScheme::new(vec![30, i32::MAX]),
            Err(SchemeError::TooLarge(i32::MAX))
        );
        assert_eq!(
            AgingScheme::new(vec![30, 36_501]),
            Err(SchemeError::TooLarge(36_501))
        );
        // The largest edge: its last bucket starts the day after, 36,501.
        let s = AgingScheme::new(vec![30, 36_500]).unwrap();
        assert_eq!(s.labels(), ["Current", "1–30", "31–36500", "36501+"]);
    }

    fn snapshot(rows: &[(&str, &str, &str, i32, i64)]) -> Snapshot {
        // (customer, division, collector, dpd, open cents) on as_of day 1000
        let mut b = SnapshotBuilder::new(Day(1000), Currency::from_code("EUR"));
        for (n, (cust, div, coll, dpd, open)) in rows.iter().enumerate() {
            let id = n.to_string();
            b.push(&InvoiceRow {
                invoice_id: &id,
                customer_id: cust,
                customer_name: cust,
                division: div,
                collector: coll,
                status: Status::Open,
                invoice_date: Day(1000 - dpd - 30),
                due_date: Day(1000 - dpd),
                amount: Money(*open),
                open: Money(*open),
            });
        }
        b.finish()
    }

    #[test]
    fn credit_lines_stay_in_their_own_bucket() {
        let s = snapshot(&[
            ("A", "N", "x", 45, 10_000),
            ("A", "N", "x", 45, -2_500),
            ("B", "S", "y", -3, 5_000),
            ("B", "S", "y", 200, -1_000),
        ]);
        let r = AgingReport::compute(&s, &AgingScheme::default());
        assert_eq!(r.total.amounts[2], Money(7_500));
        assert_eq!(r.total.amounts[0], Money(5_000));
        assert_eq!(r.total.amounts[5], Money(-1_000));
        assert_eq!(r.total.total(), Money(11_500));
        assert_eq!(r.total.past_due(), Money(6_500));
        assert_eq!(r.total.count(), 4);
    }

    #[test]
    fn empty_snapshot_has_zero_everything() {
        let s = snapshot(&[]);
        let r = AgingReport::compute(&s, &AgingScheme::default());
        assert_eq!(r.total, BucketTotals::default());
        assert!(r.by_customer.is_empty());
        assert_eq!(r.by_division.len(), 1);
    }

    /// Valid edges as the config accepts them: 1 to 6, strictly
    /// increasing, from 1 to `MAX_EDGE_DAYS`, small ones more often.
    fn edges() -> impl Strategy<Value = Vec<i32>> {
        prop::collection::btree_set(
            prop_oneof![3 => 1i32..200, 1 => 1i32..=MAX_EDGE_DAYS],
            1..=MAX_BUCKETS - 2,
        )
        .prop_map(|s| s.into_iter().collect())
    }

    /// Oracle bucket: Current when not past due, else one more than the
    /// number of edges the days past due are beyond.
    fn oracle_bucket(edges: &[i32], dpd: i32) -> usize {
        if dpd <= 0 {
            0
        } else {
            1 + edges.iter().filter(|&&e| dpd > e).count()
        }
    }

    proptest! {
        #[test]
        fn buckets_sum_to_total_and_partitions_sum_to_whole(
            edges in edges(),
            rows in prop::collection::vec(
                (0u8..5, 0u8..3, 0u8..4, (any::<prop::sample::Index>(), -2i32..=2, prop_oneof![-60i32..400, -60i32..=MAX_EDGE_DAYS + 100], any::<bool>()), -1_000_000i64..5_000_000),
                0..200,
            ),
        ) {
            let names = ["C0", "C1", "C2", "C3", "C4"];
            let divs = ["", "D1", "D2"];
            let colls = ["", "K1", "K2", "K3"];
            // Half the rows sit on an edge or within two days of one.
            let dpd_of = |(at, delta, raw, near): &(prop::sample::Index, i32, i32, bool)| {
                if *near { at.get(&edges) + delta } else { *raw }
            };
            let typed: Vec<(&str, &str, &str, i32, i64)> = rows
                .iter()
                .map(|(c, d, k, dpd, open)| (names[*c as usize], divs[*d as usize], colls[*k as usize], dpd_of(dpd), *open))
                .collect();
            let s = snapshot(&typed);
            let scheme = AgingScheme::new(edges.clone()).unwrap();
            prop_assert_eq!(scheme.bucket_count(), edges.len() + 2);
            let r = AgingReport::compute(&s, &scheme);
            let mut expected = BucketTotals::default();
            for &(_, _, _, dpd, open) in &typed {
                prop_assert_eq!(scheme.bucket_of(dpd), oracle_bucket(&edges, dpd), "dpd {}", dpd);
                expected.amounts[oracle_bucket(&edges, dpd)] += Money(open);
                expected.counts[oracle_bucket(&edges, dpd)] += 1;
            }
            prop_assert_eq!(r.total, expected);
            let direct: i64 = typed.iter().map(|r| r.4).sum();
            prop_assert_eq!(r.total.total(), Money(direct));
            prop_assert_eq!(r.total.total(), s.total_open());
            for part in [&r.by_division, &r.by_collector, &r.by_customer] {
                let mut merged = BucketTotals::default();
                for t in part.iter() {
                    merged.merge(t);
                }
                prop_assert_eq!(merged, r.total);
            }
            // Labels: "Current", then "low–edge" from the day after the
            // previous edge, then "last + 1" and up.
            let mut labels = vec!["Current".to_string()];
            let mut low = 1;
            for e in &edges {
                labels.push(format!("{low}\u{2013}{e}"));
                low = e + 1;
            }
            labels.push(format!("{}+", edges[edges.len() - 1] + 1));
            prop_assert_eq!(scheme.labels(), labels);
        }

        /// The scheme accepts exactly the valid edge lists.
        #[test]
        fn schemes_accept_exactly_valid_edges(edges in prop::collection::vec(prop_oneof![-3i32..100, Just(MAX_EDGE_DAYS), Just(MAX_EDGE_DAYS + 1), any::<i32>()], 0..9)) {
            let valid = (1..=MAX_BUCKETS - 2).contains(&edges.len())
                && edges[0] >= 1
                && edges.windows(2).all(|w| w[0] < w[1])
                && edges.iter().all(|&e| e <= MAX_EDGE_DAYS);
            prop_assert_eq!(AgingScheme::new(edges.clone()).is_ok(), valid, "{:?}", edges);
        }
    }
}

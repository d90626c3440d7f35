//! A collector's portfolio over any selection of invoices: the scorecard
//! figures that need nothing but the invoices of one snapshot, so the
//! dashboard can recompute them for whatever the user filtered.
//!
//! The definitions are those of `metrics::scorecard` (docs/metrics.md,
//! "Collector scorecard"): % current = AR with dpd ≤ 0 / AR, % over 90 = AR
//! with dpd > [`OVER_DAYS`] (fixed, whatever the buckets) / AR, weighted dpd
//! = Σ(debit open × max(0, dpd)) / Σ debit open; ratios rounded once to 2 dp
//! with the same helpers. The "over 90" and weighted-dpd sums have one
//! accumulator, [`DpdSums`], used by the scorecard, the AR summary and the
//! dashboard's selection (`select`), so the rule exists once.
//! `select::tests::index_matches_the_scorecard` keeps the dashboard and
//! `metrics::compute` in step. Figures that need the activity log or the
//! previous snapshot (CEI, collected, score, rank) stay on the static
//! scorecard.
//!
//! Thresholds: the supervisor's limits per KPI (e.g. "% current at least
//! 50"); a line outside a limit is flagged, with the limit, so the view can
//! say so in words and not only in colour.

use crate::aging::BucketTotals;
use crate::metrics::amount::{div_round, percent_money};
use crate::Money;
use rust_decimal::Decimal;
use std::cmp::Ordering;

/// Days past due beyond which an item counts in "% over 90": fixed, whatever
/// the aging buckets, so the figure compares across settings.
pub const OVER_DAYS: i32 = 90;

/// The "over 90" and weighted-days-past-due sums of some items: the one
/// place these rules live (scorecard, AR summary, dashboard selection).
///
/// - `over_90`: Σ open (net: credit items included) of items with dpd > [`OVER_DAYS`];
/// - weighted days past due are weighted by **debit balances** only: a
///   credit item (open ≤ 0) is a liability, not a negative age, so it
///   neither lowers the numerator nor the weights.
#[derive(Copy, Clone, Debug, Default)]
pub struct DpdSums {
    pub over_90: Money,
    /// Σ open of the debit items (open > 0): weights "per unit of AR".
    pub debit_open: Money,
    /// Σ open of the debit items with dpd > 0: weights "per past-due unit".
    pub debit_past_due: Money,
    // Σ debit open × dpd (dpd > 0), split so that the common case stays in
    // 64 bits: 128-bit arithmetic is slow in wasm, where the dashboard adds
    // a million rows per keystroke. Read through `dpd_weighted`.
    w64: i64,
    w128: i128,
}

impl PartialEq for DpdSums {
    fn eq(&self, other: &Self) -> bool {
        (
            self.over_90,
            self.debit_open,
            self.debit_past_due,
            self.dpd_weighted(),
        ) == (
            other.over_90,
            other.debit_open,
            other.debit_past_due,
            other.dpd_weighted(),
        )
    }
}

impl Eq for DpdSums {}

impl DpdSums {
    #[inline]
    pub fn add(&mut self, open: i64, dpd: i32) {
        if dpd > OVER_DAYS {
            self.over_90.0 += open;
        }
        if open > 0 {
            self.debit_open.0 += open;
            if dpd > 0 {
                self.debit_past_due.0 += open;
                match open
                    .checked_mul(i64::from(dpd))
                    .and_then(|p| self.w64.checked_add(p))
                {
                    Some(v) => self.w64 = v,
                    None => self.w128 += i128::from(open) * i128::from(dpd),
                }
            }
        }
    }

    #[inline]
    pub fn merge(&mut self, other: &DpdSums) {
        self.over_90 += other.over_90;
        self.debit_open += other.debit_open;
        self.debit_past_due += other.debit_past_due;
        self.w128 += other.dpd_weighted();
    }

    /// Σ debit open × max(0, dpd).
    pub fn dpd_weighted(&self) -> i128 {
        self.w128 + i128::from(self.w64)
    }

    /// Weighted days past due per unit of debit AR: Σ(debit open × max(0,
    /// dpd)) / Σ debit open, current items counting 0 days; 2 dp, none
    /// without debit AR. Mixes how much is late with how late it is.
    pub fn per_unit_of_ar(&self) -> Option<Decimal> {
        (self.debit_open.0 > 0)
            .then(|| div_round(self.dpd_weighted(), i128::from(self.debit_open.0), 2))
            .flatten()
    }

    /// Weighted days past due per past-due unit: the same numerator over Σ
    /// past-due debit open only, i.e. how late the late money is; none
    /// without past-due debit items.
    pub fn per_past_due_unit(&self) -> Option<Decimal> {
        (self.debit_past_due.0 > 0)
            .then(|| div_round(self.dpd_weighted(), i128::from(self.debit_past_due.0), 2))
            .flatten()
    }
}

/// Sums over one group of invoices from which every KPI below follows.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Portfolio {
    pub aging: BucketTotals,
    pub dpd: DpdSums,
    /// Distinct customers (counted by whoever adds the invoices up).
    pub customers: u32,
}

impl Portfolio {
    #[inline]
    pub fn add(&mut self, bucket: usize, open: Money, dpd: i32) {
        self.aging.add(bucket, open);
        self.dpd.add(open.0, dpd);
    }

    /// Adds the sums of `count` items of one bucket at once.
    #[inline]
    pub fn add_sums(&mut self, bucket: usize, open: Money, count: u32, dpd: &DpdSums) {
        self.aging.amounts[bucket] += open;
        self.aging.counts[bucket] += count;
        self.dpd.merge(dpd);
    }

    pub fn merge(&mut self, other: &Portfolio) {
        self.aging.merge(&other.aging);
        self.dpd.merge(&other.dpd);
        self.customers += other.customers;
    }

    pub fn kpis(&self) -> Kpis {
        let open = self.aging.total();
        Kpis {
            open_ar: open,
            invoices: self.aging.count(),
            customers: self.customers,
            current_percent: percent_money(self.aging.current(), open),
            over_90_percent: percent_money(self.dpd.over_90, open),
            past_due: self.aging.past_due(),
            weighted_dpd: self.dpd.per_unit_of_ar(),
        }
    }
}

/// One customer's aging over some of its items, with the days past due of
/// its oldest one (the largest dpd; negative when nothing is due yet).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomerAging {
    pub aging: BucketTotals,
    pub oldest_dpd: i32,
}

impl CustomerAging {
    /// Counts one more item of the customer, `dpd` days past due.
    fn add(&mut self, scheme: &crate::AgingScheme, dpd: i32, open: Money) {
        if self.aging.count() == 0 || dpd > self.oldest_dpd {
            self.oldest_dpd = dpd;
        }
        self.aging.add(scheme.bucket_of(dpd), open);
    }
}

/// Per collector of `s` (indexed like `s.collectors`), the aging of each
/// customer's items with that collector: `(customer index, aging)` in
/// customer order, customers without items left out. One pass over the
/// invoices for all collectors: a pass per collector would be quadratic
/// when a mis-mapped column gives each invoice its own collector.
pub fn customer_aging_by_collector(
    s: &crate::Snapshot,
    scheme: &crate::AgingScheme,
) -> Vec<Vec<(u32, CustomerAging)>> {
    let mut maps: Vec<std::collections::BTreeMap<u32, CustomerAging>> =
        vec![Default::default(); s.collectors.len()];
    for inv in &s.invoices {
        maps[inv.collector as usize]
            .entry(inv.customer)
            .or_default()
            .add(scheme, inv.days_past_due(s.as_of), inv.open);
    }
    maps.into_iter().map(|m| m.into_iter().collect()).collect()
}

/// More distinct values than this in a grouping column (collector,
/// division) look like an id mapped to it by mistake: a page per value.
pub const GROUPING_ID_LIKE: usize = 1_000;

/// A grouping column of a snapshot that looks like an id rather than a
/// grouping: more than [`GROUPING_ID_LIKE`] distinct values, or at least
/// 20 invoices and more distinct values than half the invoices (most
/// values on a single invoice).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdLikeGrouping {
    /// `"collector"` or `"division"`.
    pub column: &'static str,
    /// Distinct values on the snapshot's invoices.
    pub values: usize,
    pub invoices: usize,
}

/// The grouping columns of `s` that look like ids (see [`IdLikeGrouping`]).
pub fn id_like_groupings(s: &crate::Snapshot) -> Vec<IdLikeGrouping> {
    let invoices = s.invoices.len();
    let distinct = |names: usize, of: &dyn Fn(&crate::Invoice) -> u32| {
        let mut seen = vec![false; names];
        let mut n = 0;
        for i in &s.invoices {
            let v = &mut seen[of(i) as usize];
            n += usize::from(!*v);
            *v = true;
        }
        n
    };
    [
        ("collector", distinct(s.collectors.len(), &|i| i.collector)),
        ("division", distinct(s.divisions.len(), &|i| i.division)),
    ]
    .into_iter()
    .filter(|(_, values)| *values > GROUPING_ID_LIKE || (invoices >= 20 && values * 2 > invoices))
    .map(|(column, values)| IdLikeGrouping {
        column,
        values,
        invoices,
    })
    .collect()
}

/// Per customer of `s` (indexed like `s.customers`), the days past due of
/// its oldest item; `None` for a customer without items.
pub fn oldest_dpd_by_customer(s: &crate::Snapshot) -> Vec<Option<i32>> {
    let mut out: Vec<Option<i32>> = vec![None; s.customers.len()];
    for inv in &s.invoices {
        let dpd = inv.days_past_due(s.as_of);
        let d = &mut out[inv.customer as usize];
        *d = Some(d.map_or(dpd, |o| o.max(dpd)));
    }
    out
}

/// The scorecard figures of one portfolio.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Kpis {
    pub open_ar: Money,
    pub invoices: u32,
    pub customers: u32,
    pub current_percent: Option<Decimal>,
    pub over_90_percent: Option<Decimal>,
    pub past_due: Money,
    pub weighted_dpd: Option<Decimal>,
}

/// A column of the scorecard: what it can be sorted by and limited on.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Kpi {
    Collector,
    OpenAr,
    Invoices,
    Customers,
    CurrentPercent,
    Over90Percent,
    PastDue,
    WeightedDpd,
}

impl Kpi {
    pub const ALL: [Kpi; 8] = [
        Kpi::Collector,
        Kpi::OpenAr,
        Kpi::Invoices,
        Kpi::Customers,
        Kpi::CurrentPercent,
        Kpi::Over90Percent,
        Kpi::PastDue,
        Kpi::WeightedDpd,
    ];

    /// Stable key for URLs.
    pub fn key(self) -> &'static str {
        match self {
            Kpi::Collector => "collector",
            Kpi::OpenAr => "open_ar",
            Kpi::Invoices => "invoices",
            Kpi::Customers => "customers",
            Kpi::CurrentPercent => "current_percent",
            Kpi::Over90Percent => "over_90_percent",
            Kpi::PastDue => "past_due",
            Kpi::WeightedDpd => "weighted_dpd",
        }
    }

    pub fn from_key(key: &str) -> Option<Kpi> {
        Kpi::ALL.into_iter().find(|k| k.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Kpi::Collector => "Collector",
            Kpi::OpenAr => "Open AR",
            Kpi::Invoices => "Items",
            Kpi::Customers => "Customers",
            Kpi::CurrentPercent => "% current",
            Kpi::Over90Percent => "% over 90",
            Kpi::PastDue => "Past due",
            Kpi::WeightedDpd => "Weighted days past due (per unit of debit AR)",
        }
    }
}

/// One scorecard line: a collector (index into the snapshot's collectors)
/// and the KPIs of their portfolio within the selection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub collector: u32,
    pub name: String,
    pub kpis: Kpis,
}

/// Lines for every collector with at least one selected invoice.
pub fn lines(by_collector: &[Portfolio], names: &[String]) -> Vec<Line> {
    by_collector
        .iter()
        .enumerate()
        .filter(|(_, p)| p.aging.count() > 0)
        .map(|(i, p)| Line {
            collector: i as u32,
            name: names[i].clone(),
            kpis: p.kpis(),
        })
        .collect()
}

/// Sorts by one KPI; lines without a value (ratio over zero AR) go last in
/// either direction, ties by name so the order is stable across filters.
pub fn sort(lines: &mut [Line], by: Kpi, descending: bool) {
    fn opt(a: Option<Decimal>, b: Option<Decimal>, desc: bool) -> Ordering {
        match (a, b) {
            (Some(x), Some(y)) if desc => y.cmp(&x),
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
    fn dir<T: Ord>(a: T, b: T, desc: bool) -> Ordering {
        if desc {
            b.cmp(&a)
        } else {
            a.cmp(&b)
        }
    }
    let mut order: Vec<u32> = (0..lines.len() as u32).collect();
    crate::select::sort_indices(&mut order, &|i, j| {
        let (a, b) = (&lines[i as usize], &lines[j as usize]);
        let (x, y) = (&a.kpis, &b.kpis);
        let primary = match by {
            Kpi::Collector => dir(a.name.to_lowercase(), b.name.to_lowercase(), descending),
            Kpi::OpenAr => dir(x.open_ar, y.open_ar, descending),
            Kpi::Invoices => dir(x.invoices, y.invoices, descending),
            Kpi::Customers => dir(x.customers, y.customers, descending),
            Kpi::CurrentPercent => opt(x.current_percent, y.current_percent, descending),
            Kpi::Over90Percent => opt(x.over_90_percent, y.over_90_percent, descending),
            Kpi::PastDue => dir(x.past_due, y.past_due, descending),
            Kpi::WeightedDpd => opt(x.weighted_dpd, y.weighted_dpd, descending),
        };
        primary.then_with(|| a.name.cmp(&b.name))
    });
    let mut sorted: Vec<Line> = order.iter().map(|&i| lines[i as usize].clone()).collect();
    lines.swap_with_slice(&mut sorted);
}

/// The supervisor's limits. `None` = no limit on that KPI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Thresholds {
    pub min_current_percent: Option<Decimal>,
    pub max_over_90_percent: Option<Decimal>,
    pub max_weighted_dpd: Option<Decimal>,
}

impl Default for Thresholds {
    /// Used until the site's settings carry the supervisor's own values:
    /// at least half the portfolio current, at most 10 % over 90 days, an
    /// amount-weighted age of at most 30 days past due.
    fn default() -> Self {
        Thresholds {
            min_current_percent: Some(Decimal::from(50)),
            max_over_90_percent: Some(Decimal::from(10)),
            max_weighted_dpd: Some(Decimal::from(30)),
        }
    }
}

/// A limit a KPI is outside of.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Breach {
    Below(Decimal),
    Above(Decimal),
}

impl Thresholds {
    pub const NONE: Thresholds = Thresholds {
        min_current_percent: None,
        max_over_90_percent: None,
        max_weighted_dpd: None,
    };

    /// The limit of `kpi`, if any: (value, true when it is a minimum).
    pub fn limit(&self, kpi: Kpi) -> Option<(Decimal, bool)> {
        match kpi {
            Kpi::CurrentPercent => self.min_current_percent.map(|v| (v, true)),
            Kpi::Over90Percent => self.max_over_90_percent.map(|v| (v, false)),
            Kpi::WeightedDpd => self.max_weighted_dpd.map(|v| (v, false)),
            _ => None,
        }
    }

    /// Whether `kpis` is outside the limit on `kpi`. A KPI without a value
    /// (no AR) is never a breach.
    pub fn breach(&self, kpi: Kpi, kpis: &Kpis) -> Option<Breach> {
        let value = match kpi {
            Kpi::CurrentPercent => kpis.current_percent,
            Kpi::Over90Percent => kpis.over_90_percent,
            Kpi::WeightedDpd => kpis.weighted_dpd,
            _ => None,
        }?;
        match self.limit(kpi)? {
            (min, true) if value < min => Some(Breach::Below(min)),
            (max, false) if value > max => Some(Breach::Above(max)),
            _ => None,
        }
    }

    /// Number of limits `kpis` is outside of.
    pub fn breaches(&self, kpis: &Kpis) -> usize {
        Kpi::ALL
            .iter()
            .filter(|&&k| self.breach(k, kpis).is_some())
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::ActivityLog;
    use crate::ledger::{MetricsConfig, SalesLedger};
    use crate::metrics;
    use crate::AgingScheme;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn kpis_by_hand() {
        // 5,000 current, 3,000 at 28 dpd, 1,000 at 151 dpd, −500 credit at 200 dpd.
        let mut p = Portfolio::default();
        let s = AgingScheme::default();
        for (dpd, open) in [(-3, 5_000), (28, 3_000), (151, 1_000), (200, -500)] {
            p.add(s.bucket_of(dpd), Money(open), dpd);
        }
        p.customers = 2;
        let k = p.kpis();
        assert_eq!(k.open_ar, Money(8_500));
        assert_eq!(k.past_due, Money(3_500));
        // 5,000 / 8,500 = 58.8235… → 58.82; over 90: 500 / 8,500 = 5.88
        assert_eq!(k.current_percent, Some(d("58.82")));
        assert_eq!(k.over_90_percent, Some(d("5.88")));
        // Debit balances only: the −500 credit neither lowers the numerator nor the weights.
        // (3,000 × 28 + 1,000 × 151) / (5,000 + 3,000 + 1,000) = 235,000 / 9,000 = 26.111… → 26.11
        assert_eq!(k.weighted_dpd, Some(d("26.11")));
        // Per past-due unit: 235,000 / (3,000 + 1,000) = 58.75
        assert_eq!(p.dpd.per_past_due_unit(), Some(d("58.75")));
        assert_eq!((k.invoices, k.customers), (4, 2));
    }

    #[test]
    fn customer_aging_by_hand() {
        use crate::select::fixture::{snapshot, R};
        // C1: ann 700 at 85 dpd, 500 at −20 (current); bob 300 at 10. C2: ann −40 at 150.
        let s = snapshot(&[
            R::new("A", "C1", "", "ann", 85, 700),
            R::new("B", "C1", "", "ann", -20, 500),
            R::new("D", "C1", "", "bob", 10, 300),
            R::new("C", "C2", "", "ann", 150, -40),
        ]);
        let scheme = AgingScheme::default();
        let ann = s.collectors.iter().position(|c| c == "ann").unwrap();
        let mut all = vec![CustomerAging::default(); s.customers.len()];
        for inv in &s.invoices {
            all[inv.customer as usize].add(&scheme, inv.days_past_due(s.as_of), inv.open);
        }
        // C1 all items: 700 + 500 + 300 = 1,500, past due 1,000, oldest 85 dpd.
        assert_eq!(all[0].aging.total(), Money(1_500));
        assert_eq!(all[0].aging.past_due(), Money(1_000));
        assert_eq!(all[0].oldest_dpd, 85);
        // C2: the credit alone, 150 dpd.
        assert_eq!((all[1].aging.total(), all[1].oldest_dpd), (Money(-40), 150));
        // ann's share of C1: 700 + 500 = 1,200.
        let mine = &customer_aging_by_collector(&s, &scheme)[ann][0];
        assert_eq!(mine.0, 0);
        assert_eq!(mine.1.aging.total(), Money(1_200));
        assert_eq!(mine.1.aging.count(), 2);
        assert_eq!(oldest_dpd_by_customer(&s), vec![Some(85), Some(150)]);
    }

    #[test]
    fn grouping_columns_that_look_like_ids() {
        use crate::select::fixture::{snapshot, R};
        // 20 invoices, 11 collectors (c0..c9 one invoice each, "ann" ten):
        // 11 × 2 = 22 > 20 → id-like. One division (""): 1 × 2 = 2, not.
        // The fixture takes static names.
        let name = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
        let mut rows: Vec<R> = (0..10)
            .map(|i| {
                R::new(
                    name(format!("I{i}")),
                    "C1",
                    "",
                    name(format!("c{i}")),
                    10,
                    100,
                )
            })
            .collect();
        rows.extend((10..20).map(|i| R::new(name(format!("I{i}")), "C1", "", "ann", 10, 100)));
        let s = snapshot(&rows);
        assert_eq!(
            id_like_groupings(&s),
            vec![IdLikeGrouping {
                column: "collector",
                values: 11,
                invoices: 20
            }]
        );
        // 10 collectors on 20 invoices: 10 × 2 = 20, not more than 20 → fine.
        rows[9] = R::new("I9", "C1", "", "ann", 10, 100);
        assert_eq!(id_like_groupings(&snapshot(&rows)), vec![]);
        // Fewer than 20 invoices: never by the half rule (3 values, 3 invoices).
        let few = snapshot(&rows[..3]);
        assert_eq!(id_like_groupings(&few), vec![]);
    }

    #[test]
    fn customer_aging_by_collector_by_hand() {
        use crate::select::fixture::{snapshot, R};
        // ann: C1 700 (85 dpd) + 500 (current) = 1,200, oldest 85; C2 −40 at 150.
        // bob: C1 300 at 10 dpd.
        let s = snapshot(&[
            R::new("A", "C1", "", "ann", 85, 700),
            R::new("B", "C1", "", "ann", -20, 500),
            R::new("D", "C1", "", "bob", 10, 300),
            R::new("C", "C2", "", "ann", 150, -40),
        ]);
        let scheme = AgingScheme::default();
        let at = |name: &str| s.collectors.iter().position(|c| c == name).unwrap();
        let by = customer_aging_by_collector(&s, &scheme);
        let ann: Vec<(u32, Money, i32)> = by[at("ann")]
            .iter()
            .map(|(c, a)| (*c, a.aging.total(), a.oldest_dpd))
            .collect();
        assert_eq!(ann, vec![(0, Money(1_200), 85), (1, Money(-40), 150)]);
        let bob: Vec<(u32, Money, i32)> = by[at("bob")]
            .iter()
            .map(|(c, a)| (*c, a.aging.total(), a.oldest_dpd))
            .collect();
        assert_eq!(bob, vec![(0, Money(300), 10)]);
    }

    #[test]
    fn no_ar_means_no_ratios_and_no_breach() {
        let k = Portfolio::default().kpis();
        assert_eq!(
            (k.current_percent, k.over_90_percent, k.weighted_dpd),
            (None, None, None)
        );
        assert_eq!(Thresholds::default().breaches(&k), 0);
    }

    #[test]
    fn thresholds_flag_outside_values_only() {
        let t = Thresholds::default();
        let k = Kpis {
            current_percent: Some(d("49.99")),
            over_90_percent: Some(d("10.00")),
            weighted_dpd: Some(d("30.01")),
            ..Kpis::default()
        };
        assert_eq!(
            t.breach(Kpi::CurrentPercent, &k),
            Some(Breach::Below(d("50")))
        );
        assert_eq!(t.breach(Kpi::Over90Percent, &k), None);
        assert_eq!(t.breach(Kpi::WeightedDpd, &k), Some(Breach::Above(d("30"))));
        assert_eq!(t.breaches(&k), 2);
        assert_eq!(Thresholds::NONE.breaches(&k), 0);
    }

    proptest::proptest! {
        /// The dashboard prints shares with `percent_money` (integers only);
        /// the static pages with `format::percent` (decimals). Same text.
        #[test]
        fn both_percent_forms_print_the_same(part in -10_000_000i64..10_000_000, whole in -10_000_000i64..10_000_000) {
            let exact = percent_money(Money(part), Money(whole)).map_or_else(|| "—".to_string(), |d| d.to_string());
            proptest::prop_assert_eq!(exact, crate::format::percent(Money(part), Money(whole)));
        }
    }

    #[test]
    fn sort_puts_missing_values_last_both_ways() {
        let line = |name: &str, cur: Option<&str>| Line {
            collector: 0,
            name: name.into(),
            kpis: Kpis {
                current_percent: cur.map(d),
                ..Kpis::default()
            },
        };
        let mut v = vec![
            line("a", Some("10")),
            line("b", None),
            line("c", Some("90")),
        ];
        sort(&mut v, Kpi::CurrentPercent, true);
        let names: Vec<_> = v.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["c", "a", "b"]);
        sort(&mut v, Kpi::CurrentPercent, false);
        let names: Vec<_> = v.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["a", "c", "b"]);
    }

    #[test]
    fn matches_the_scorecard_on_a_whole_snapshot() {
        use crate::select::fixture::{snapshot, R};
        let s = snapshot(&[
            R::new("A", "C1", "", "ann", 85, 700),
            R::new("B", "C1", "", "ann", -20, 500),
            R::new("C", "C2", "", "ann", 150, -40),
            R::new("D", "C3", "", "bob", 101, 800),
            R::new("E", "C3", "", "", 1, 100),
        ]);
        let cfg = MetricsConfig::default();
        let m = metrics::compute(
            &s,
            None,
            &SalesLedger::default(),
            ActivityLog::empty(),
            &[],
            &cfg,
        );
        let scheme = AgingScheme::default();
        let mut by: Vec<Portfolio> = vec![Portfolio::default(); s.collectors.len()];
        let mut seen = std::collections::HashSet::new();
        for inv in &s.invoices {
            let dpd = inv.days_past_due(s.as_of);
            let p = &mut by[inv.collector as usize];
            p.add(scheme.bucket_of(dpd), inv.open, dpd);
            if seen.insert((inv.collector, inv.customer)) {
                p.customers += 1;
            }
        }
        assert_eq!(m.scorecard.len(), 3);
        for line in &m.scorecard {
            let i = s
                .collectors
                .iter()
                .position(|c| *c == line.collector)
                .unwrap();
            let k = by[i].kpis();
            assert_eq!(k.open_ar, line.open_ar.money, "{}", line.collector);
            assert_eq!(k.invoices, line.invoice_count);
            assert_eq!(k.customers, line.customer_count);
            assert_eq!(k.current_percent, line.current_percent);
            assert_eq!(k.over_90_percent, line.over_90_percent);
            assert_eq!(k.past_due, line.past_due.money);
            assert_eq!(k.weighted_dpd, line.weighted_days_past_due);
        }
    }
}

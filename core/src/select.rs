//! Selecting invoices and adding a selection up for every view at once:
//! the filters of the dashboard and of the filterable static tables.
//!
//! A [`Query`] names what to keep — divisions, collectors and customers by
//! name or id, never by index — so one query (and the URL that carries it)
//! applies to any snapshot. An [`Index`] holds one snapshot ([`Table`]) with
//! its rows sorted into [`Group`]s of one collector, customer, division,
//! status and bucket, each group's sums worked out once;
//! [`Index::evaluate`] runs a prepared query over the groups and returns
//! the aging, the collectors' portfolios and the customers' totals;
//! [`Index::rows`] lists the selected rows when a view needs them. The
//! definitions live elsewhere (`aging` for buckets, `portfolio` for the
//! scorecard KPIs): this module only filters and adds up, so the figures of
//! a filtered view and of the static pages cannot drift apart.
//!
//! Speed matters here: the dashboard re-evaluates a million invoices per
//! keystroke. Every filter but the two ranges (open amount, days past due)
//! is decided per group, and an ERP's open items fall into a few groups per
//! customer, so most changes add up groups, not rows; with a range, only
//! the rows of the groups that pass are visited. The order (collector,
//! customer first) lets distinct customers per collector be counted
//! without a set.

use crate::aging::{AgingScheme, BucketTotals};
use crate::model::Customer;
use crate::portfolio::{DpdSums, Portfolio};
use crate::table::Table;
use crate::{Invoice, Money, Snapshot, Status};
use std::cmp::Ordering;

/// What to keep. Empty lists and `None` mean "no restriction"; every
/// restriction given must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// Division names as in the data ("" = unassigned).
    pub divisions: Vec<String>,
    /// Collector names as in the data ("" = unassigned).
    pub collectors: Vec<String>,
    /// Case-insensitive substring of the customer's name or id.
    pub search: String,
    /// One customer, by id (the drill-down's last level).
    pub customer: Option<String>,
    /// Aging bucket indices.
    pub buckets: Vec<u8>,
    pub statuses: Vec<Status>,
    /// Open amount, both ends included.
    pub open_min: Option<Money>,
    pub open_max: Option<Money>,
    /// Days past due, both ends included.
    pub dpd_min: Option<i32>,
    pub dpd_max: Option<i32>,
}

/// Lower-cased customer ids and names, computed once per snapshot so that a
/// keystroke in the search box only runs `contains`.
pub struct SearchText(Vec<(String, String)>);

impl SearchText {
    pub fn new(customers: &[Customer]) -> SearchText {
        SearchText(
            customers
                .iter()
                .map(|c| (c.id.to_lowercase(), c.name.to_lowercase()))
                .collect(),
        )
    }
}

/// A query resolved against one snapshot's names: lookups by index and
/// bit masks, so testing a group (or an invoice) is a few comparisons.
#[derive(Clone, Debug)]
pub struct Prepared {
    division_ok: Option<Vec<bool>>,
    collector_ok: Option<Vec<bool>>,
    customer_ok: Option<Vec<bool>>,
    bucket_mask: u32,
    status_mask: u32,
    open: (i64, i64),
    dpd: (i32, i32),
    /// Whether a range restricts rows (otherwise whole groups pass or not).
    ranges: bool,
}

fn names_ok(names: &[String], wanted: &[String]) -> Option<Vec<bool>> {
    (!wanted.is_empty()).then(|| names.iter().map(|n| wanted.contains(n)).collect())
}

impl Prepared {
    pub fn new(
        query: &Query,
        divisions: &[String],
        collectors: &[String],
        customers: &[Customer],
        text: &SearchText,
    ) -> Prepared {
        let needle = query.search.trim().to_lowercase();
        let customer_ok = (!needle.is_empty() || query.customer.is_some()).then(|| {
            customers
                .iter()
                .zip(&text.0)
                .map(|(c, (id, name))| {
                    query.customer.as_ref().is_none_or(|want| *want == c.id)
                        && (needle.is_empty() || id.contains(&needle) || name.contains(&needle))
                })
                .collect()
        });
        let mask = |bits: &mut dyn Iterator<Item = u32>| -> u32 {
            let m = bits.fold(0u32, |m, b| m | 1u32.checked_shl(b).unwrap_or(0));
            if m == 0 {
                u32::MAX
            } else {
                m
            }
        };
        let open = (
            query.open_min.map_or(i64::MIN, |m| m.0),
            query.open_max.map_or(i64::MAX, |m| m.0),
        );
        let dpd = (
            query.dpd_min.unwrap_or(i32::MIN),
            query.dpd_max.unwrap_or(i32::MAX),
        );
        Prepared {
            division_ok: names_ok(divisions, &query.divisions),
            collector_ok: names_ok(collectors, &query.collectors),
            customer_ok,
            bucket_mask: mask(&mut query.buckets.iter().map(|&b| u32::from(b))),
            status_mask: mask(&mut query.statuses.iter().map(|s| s.index() as u32)),
            ranges: open != (i64::MIN, i64::MAX) || dpd != (i32::MIN, i32::MAX),
            open,
            dpd,
        }
    }

    /// Everything but the ranges.
    #[inline]
    fn keeps_group(
        &self,
        customer: u32,
        division: u32,
        collector: u32,
        status: u8,
        bucket: u8,
    ) -> bool {
        (self.bucket_mask >> bucket) & 1 != 0
            && (self.status_mask >> status) & 1 != 0
            && self
                .division_ok
                .as_ref()
                .is_none_or(|ok| ok[division as usize])
            && self
                .collector_ok
                .as_ref()
                .is_none_or(|ok| ok[collector as usize])
            && self
                .customer_ok
                .as_ref()
                .is_none_or(|ok| ok[customer as usize])
    }

    #[inline]
    fn in_ranges(&self, open: i64, dpd: i32) -> bool {
        open >= self.open.0 && open <= self.open.1 && dpd >= self.dpd.0 && dpd <= self.dpd.1
    }

    /// Whether one invoice of the snapshot this was prepared for passes.
    pub fn matches(&self, inv: &Invoice, scheme: &AgingScheme, as_of: crate::Day) -> bool {
        let dpd = inv.days_past_due(as_of);
        self.keeps_group(
            inv.customer,
            inv.division,
            inv.collector,
            inv.status.index() as u8,
            scheme.bucket_of(dpd) as u8,
        ) && self.in_ranges(inv.open.0, dpd)
    }
}

/// The invoices of `snapshot` that pass `query`, in snapshot order. The
/// plain, index-free path (tests, one-off use); the dashboard uses [`Index`].
pub fn select<'a>(
    snapshot: &'a Snapshot,
    scheme: &'a AgingScheme,
    query: &Query,
) -> impl Iterator<Item = &'a Invoice> + 'a {
    let prepared = Prepared::new(
        query,
        &snapshot.divisions,
        &snapshot.collectors,
        &snapshot.customers,
        &SearchText::new(&snapshot.customers),
    );
    snapshot
        .invoices
        .iter()
        .filter(move |i| prepared.matches(i, scheme, snapshot.as_of))
}

/// One customer's figures within a selection.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomerTotals {
    pub open: Money,
    pub past_due: Money,
    pub count: u32,
    /// Days past due of the customer's oldest selected item.
    pub max_dpd: i32,
}

/// Everything the views show about one selection (its rows, when a view
/// lists them, come from [`Index::rows`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// The whole selection (its `customers` is the number of distinct customers).
    pub total: Portfolio,
    pub by_division: Vec<BucketTotals>,
    pub by_collector: Vec<Portfolio>,
    /// Indexed like the snapshot's customers; `count == 0` = not selected.
    pub by_customer: Vec<CustomerTotals>,
}

/// Orders of the invoice list.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum InvoiceOrder {
    /// By collector, then customer (the drill-down's grouping).
    Grouped,
    InvoiceId,
    DaysPastDue,
    Open,
    Amount,
}

impl InvoiceOrder {
    pub const ALL: [InvoiceOrder; 5] = [
        InvoiceOrder::Grouped,
        InvoiceOrder::InvoiceId,
        InvoiceOrder::DaysPastDue,
        InvoiceOrder::Open,
        InvoiceOrder::Amount,
    ];

    pub fn key(self) -> &'static str {
        match self {
            InvoiceOrder::Grouped => "grouped",
            InvoiceOrder::InvoiceId => "invoice",
            InvoiceOrder::DaysPastDue => "dpd",
            InvoiceOrder::Open => "open",
            InvoiceOrder::Amount => "amount",
        }
    }

    pub fn from_key(key: &str) -> Option<InvoiceOrder> {
        InvoiceOrder::ALL.into_iter().find(|o| o.key() == key)
    }
}

/// The rows of one collector, customer, division, status and bucket, with
/// their sums (rows `start..end` of the index).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub collector: u32,
    pub customer: u32,
    pub division: u32,
    pub status: u8,
    pub bucket: u8,
    pub start: u32,
    pub end: u32,
    pub sums: Sums,
    /// Smallest and largest open amount and days past due of the rows: a
    /// range that holds the whole group (or none of it) needs no row visit.
    pub open_range: (i64, i64),
    pub dpd_range: (i32, i32),
}

/// How a group stands to the ranges of a query.
enum Fit {
    All,
    None,
    Some,
}

/// Sums over some rows, what every aggregate of a selection is built from.
/// The "over 90" and weighted-dpd rules are [`DpdSums`]'s, not this module's.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Sums {
    pub count: u32,
    pub open: Money,
    pub dpd: DpdSums,
    pub max_dpd: i32,
}

impl Sums {
    #[inline]
    fn add(&mut self, open: i64, dpd: i32) {
        if self.count == 0 || dpd > self.max_dpd {
            self.max_dpd = dpd;
        }
        self.count += 1;
        self.open.0 += open;
        self.dpd.add(open, dpd);
    }
}

/// A snapshot's invoices sorted into groups (see the module's notes).
pub struct Index<'a> {
    pub table: &'a Table,
    pub scheme: &'a AgingScheme,
    text: SearchText,
    groups: Vec<Group>,
    /// Row → index of the invoice in the table.
    invoice: Vec<u32>,
    dpd: Vec<i32>,
    open: Vec<i64>,
}

fn fit(g: &Group, p: &Prepared) -> Fit {
    if !p.ranges {
        return Fit::All;
    }
    let ((lo, hi), (dlo, dhi)) = (p.open, p.dpd);
    let (o, d) = (g.open_range, g.dpd_range);
    if o.0 >= lo && o.1 <= hi && d.0 >= dlo && d.1 <= dhi {
        Fit::All
    } else if o.1 < lo || o.0 > hi || d.1 < dlo || d.0 > dhi {
        Fit::None
    } else {
        Fit::Some
    }
}

/// Stable counting sort of `items` by `keys[item]` (each < `buckets`):
/// O(n), which matters at a million rows where a comparison sort costs a
/// visible pause. Keys come as a slice, not a closure: a plain indexed load
/// stays fast in the size-optimised wasm.
fn counting_sort(items: &[u32], buckets: usize, keys: &[u32]) -> Vec<u32> {
    let mut start = vec![0u32; buckets + 1];
    for &i in items {
        start[keys[i as usize] as usize + 1] += 1;
    }
    for b in 0..buckets {
        start[b + 1] += start[b];
    }
    let mut out = vec![0u32; items.len()];
    for &i in items {
        let k = keys[i as usize] as usize;
        out[start[k] as usize] = i;
        start[k] += 1;
    }
    out
}

/// Sorts indices by a comparator behind a pointer, ties by index, so the
/// order is total and deterministic. One sort routine in the binary for
/// every list: each distinct closure given to `sort_by` would instantiate
/// its own copy, kilobytes each in the dashboard's wasm.
pub fn sort_indices(v: &mut [u32], cmp: &dyn Fn(u32, u32) -> Ordering) {
    v.sort_unstable_by(|&a, &b| cmp(a, b).then(a.cmp(&b)));
}

impl<'a> Index<'a> {
    pub fn new(table: &'a Table, scheme: &'a AgingScheme) -> Index<'a> {
        let t = table;
        let n = t.len();
        let buckets = scheme.bucket_count();
        let statuses = Status::ALL.len();
        // Per invoice, once: days past due and the (division, status,
        // bucket) part of the group key as one number.
        let mut dpd_all = Vec::with_capacity(n);
        let mut small = Vec::with_capacity(n);
        for i in 0..n {
            let days = t.days_past_due(i);
            dpd_all.push(days);
            small.push(
                ((t.division[i] as usize * statuses + t.status[i].index()) * buckets
                    + scheme.bucket_of(days)) as u32,
            );
        }
        // Data files come in this order already (`wire::file_order`): then
        // one check replaces the sort. Otherwise stable passes from the
        // least significant key: (division, status, bucket), then
        // customer, then collector.
        let key = |i: usize| (t.collector[i], t.customer[i], small[i]);
        let order = if (1..n).all(|i| key(i - 1) <= key(i)) {
            (0..n as u32).collect()
        } else {
            let all: Vec<u32> = (0..n as u32).collect();
            let order = counting_sort(&all, t.divisions.len() * statuses * buckets, &small);
            drop(all);
            let order = counting_sort(&order, t.customers.len(), &t.customer);
            counting_sort(&order, t.collectors.len(), &t.collector)
        };
        let mut groups: Vec<Group> = Vec::new();
        let mut dpd = Vec::with_capacity(n);
        let mut open = Vec::with_capacity(n);
        let mut key = (u32::MAX, u32::MAX, u32::MAX);
        for (r, &i) in order.iter().enumerate() {
            let i = i as usize;
            let (days, amount) = (dpd_all[i], t.open[i].0);
            dpd.push(days);
            open.push(amount);
            let k = (t.collector[i], t.customer[i], small[i]);
            if k != key {
                key = k;
                let rest = small[i] as usize;
                groups.push(Group {
                    collector: k.0,
                    customer: k.1,
                    division: (rest / buckets / statuses) as u32,
                    status: (rest / buckets % statuses) as u8,
                    bucket: (rest % buckets) as u8,
                    start: r as u32,
                    end: r as u32,
                    sums: Sums::default(),
                    open_range: (amount, amount),
                    dpd_range: (days, days),
                });
            }
            let g = groups.last_mut().expect("a group was just opened");
            g.end = r as u32 + 1;
            g.sums.add(amount, days);
            g.open_range = (g.open_range.0.min(amount), g.open_range.1.max(amount));
            g.dpd_range = (g.dpd_range.0.min(days), g.dpd_range.1.max(days));
        }
        Index {
            table,
            scheme,
            text: SearchText::new(&t.customers),
            groups,
            invoice: order,
            dpd,
            open,
        }
    }

    pub fn len(&self) -> usize {
        self.invoice.len()
    }

    pub fn is_empty(&self) -> bool {
        self.invoice.is_empty()
    }

    pub fn groups(&self) -> usize {
        self.groups.len()
    }

    pub fn prepare(&self, query: &Query) -> Prepared {
        let t = self.table;
        Prepared::new(query, &t.divisions, &t.collectors, &t.customers, &self.text)
    }

    /// Index in the table of the invoice in row `row`.
    pub fn invoice_index(&self, row: u32) -> usize {
        self.invoice[row as usize] as usize
    }

    pub fn dpd_of_row(&self, row: u32) -> i32 {
        self.dpd[row as usize]
    }

    pub fn bucket_of_row(&self, row: u32) -> usize {
        self.scheme.bucket_of(self.dpd[row as usize])
    }

    /// The sums of the rows of `g` that pass `p` (all of them without ranges).
    #[inline]
    fn passing(&self, g: &Group, p: &Prepared) -> Sums {
        match fit(g, p) {
            Fit::All => return g.sums,
            Fit::None => return Sums::default(),
            Fit::Some => {}
        }
        let range = g.start as usize..g.end as usize;
        let (open, dpd) = (&self.open[range.clone()], &self.dpd[range]);
        let ((lo, hi), (dlo, dhi)) = (p.open, p.dpd);
        let mut sums = Sums::default();
        for (&o, &d) in open.iter().zip(dpd) {
            if o < lo || o > hi || d < dlo || d > dhi {
                continue;
            }
            sums.add(o, d);
        }
        sums
    }

    /// One pass over the groups: the selection and all its aggregates.
    pub fn evaluate(&self, p: &Prepared) -> Selection {
        let t = self.table;
        let mut sel = Selection {
            total: Portfolio::default(),
            by_division: vec![BucketTotals::default(); t.divisions.len()],
            by_collector: vec![Portfolio::default(); t.collectors.len()],
            by_customer: vec![CustomerTotals::default(); t.customers.len()],
        };
        let mut run: Option<(u32, u32)> = None;
        for g in &self.groups {
            if !p.keeps_group(g.customer, g.division, g.collector, g.status, g.bucket) {
                continue;
            }
            let sums = self.passing(g, p);
            if sums.count == 0 {
                continue;
            }
            let b = usize::from(g.bucket);
            let d = &mut sel.by_division[g.division as usize];
            d.amounts[b] += sums.open;
            d.counts[b] += sums.count;
            let portfolio = &mut sel.by_collector[g.collector as usize];
            portfolio.add_sums(b, sums.open, sums.count, &sums.dpd);
            // Groups come by (collector, customer): a new pair is a new
            // customer of this collector.
            if run != Some((g.collector, g.customer)) {
                run = Some((g.collector, g.customer));
                portfolio.customers += 1;
            }
            let c = &mut sel.by_customer[g.customer as usize];
            if c.count == 0 || sums.max_dpd > c.max_dpd {
                c.max_dpd = sums.max_dpd;
            }
            c.count += sums.count;
            c.open += sums.open;
            if b > 0 {
                c.past_due += sums.open;
            }
        }
        for p in &sel.by_collector {
            sel.total.merge(p);
        }
        sel.total.customers = sel.by_customer.iter().filter(|c| c.count > 0).count() as u32;
        sel
    }

    /// The rows that pass `p`, in index order (collector, customer, …).
    pub fn rows(&self, p: &Prepared) -> Vec<u32> {
        let mut rows = Vec::new();
        for g in &self.groups {
            if !p.keeps_group(g.customer, g.division, g.collector, g.status, g.bucket) {
                continue;
            }
            match fit(g, p) {
                Fit::All => rows.extend(g.start..g.end),
                Fit::None => {}
                Fit::Some => rows.extend(
                    (g.start..g.end)
                        .filter(|&r| p.in_ranges(self.open[r as usize], self.dpd[r as usize])),
                ),
            }
        }
        rows
    }

    /// Every row, sorted ascending by `order` (ties keep the index order).
    /// Computed once per order and kept by the caller: sorting a million
    /// rows is far too slow to repeat per keystroke.
    pub fn permutation(&self, order: InvoiceOrder) -> Vec<u32> {
        let mut rows: Vec<u32> = (0..self.len() as u32).collect();
        let t = self.table;
        let inv = |r: u32| self.invoice[r as usize] as usize;
        let (dpd, open) = (&self.dpd, &self.open);
        match order {
            InvoiceOrder::Grouped => {}
            InvoiceOrder::InvoiceId => {
                sort_indices(&mut rows, &|a, b| t.id(inv(a)).cmp(t.id(inv(b))))
            }
            InvoiceOrder::DaysPastDue => {
                sort_indices(&mut rows, &|a, b| dpd[a as usize].cmp(&dpd[b as usize]))
            }
            InvoiceOrder::Open => {
                sort_indices(&mut rows, &|a, b| open[a as usize].cmp(&open[b as usize]))
            }
            InvoiceOrder::Amount => {
                sort_indices(&mut rows, &|a, b| t.amount[inv(a)].cmp(&t.amount[inv(b)]))
            }
        }
        rows
    }

    /// The selected customers (indices into the table's customers),
    /// sorted; ties by customer id, so the order is stable.
    pub fn customers(&self, sel: &Selection, order: CustomerOrder, descending: bool) -> Vec<u32> {
        let mut list: Vec<u32> = (0..sel.by_customer.len() as u32)
            .filter(|&c| sel.by_customer[c as usize].count > 0)
            .collect();
        let tot = |c: u32| &sel.by_customer[c as usize];
        let id = |c: u32| &self.table.customers[c as usize].id;
        let lower_name = |c: u32| &self.text.0[c as usize].1;
        sort_indices(&mut list, &|a, b| {
            let primary = match order {
                CustomerOrder::Name => lower_name(a).cmp(lower_name(b)),
                CustomerOrder::Id => id(a).cmp(id(b)),
                CustomerOrder::Open => tot(a).open.cmp(&tot(b).open),
                CustomerOrder::PastDue => tot(a).past_due.cmp(&tot(b).past_due),
                CustomerOrder::Items => tot(a).count.cmp(&tot(b).count),
                CustomerOrder::MaxDpd => tot(a).max_dpd.cmp(&tot(b).max_dpd),
            };
            let primary = if descending {
                primary.reverse()
            } else {
                primary
            };
            primary.then_with(|| id(a).cmp(id(b)))
        });
        list
    }
}

/// The selected `rows` in the order of `permutation` (from
/// [`Index::permutation`]), reversed when `descending`.
pub fn ordered(rows: &[u32], permutation: &[u32], descending: bool) -> Vec<u32> {
    let mut member = vec![0u64; permutation.len().div_ceil(64)];
    for &r in rows {
        member[r as usize / 64] |= 1 << (r % 64);
    }
    let keep = |r: &&u32| member[**r as usize / 64] >> (**r % 64) & 1 != 0;
    if descending {
        permutation.iter().rev().filter(keep).copied().collect()
    } else {
        permutation.iter().filter(keep).copied().collect()
    }
}

/// Orders of the customer list.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum CustomerOrder {
    Name,
    Id,
    Open,
    PastDue,
    Items,
    MaxDpd,
}

impl CustomerOrder {
    pub const ALL: [CustomerOrder; 6] = [
        CustomerOrder::Name,
        CustomerOrder::Id,
        CustomerOrder::Open,
        CustomerOrder::PastDue,
        CustomerOrder::Items,
        CustomerOrder::MaxDpd,
    ];

    pub fn key(self) -> &'static str {
        match self {
            CustomerOrder::Name => "name",
            CustomerOrder::Id => "id",
            CustomerOrder::Open => "open",
            CustomerOrder::PastDue => "past_due",
            CustomerOrder::Items => "items",
            CustomerOrder::MaxDpd => "max_dpd",
        }
    }

    pub fn from_key(key: &str) -> Option<CustomerOrder> {
        CustomerOrder::ALL.into_iter().find(|o| o.key() == key)
    }
}

/// Small snapshots for tests of the modules built on the selection.
#[cfg(test)]
pub(crate) mod fixture {
    use crate::model::InvoiceRow;
    use crate::{Currency, Day, Money, Snapshot, SnapshotBuilder, Status};

    pub const AS_OF: Day = Day(20_000);

    /// One invoice: id, customer id, division, collector, days past due, open (cents).
    pub struct R {
        pub id: &'static str,
        pub customer: &'static str,
        pub division: &'static str,
        pub collector: &'static str,
        pub dpd: i32,
        pub open: i64,
        pub status: Status,
    }

    impl R {
        pub fn new(
            id: &'static str,
            customer: &'static str,
            division: &'static str,
            collector: &'static str,
            dpd: i32,
            open: i64,
        ) -> R {
            R {
                id,
                customer,
                division,
                collector,
                dpd,
                open,
                status: Status::Open,
            }
        }
    }

    pub fn snapshot_at(as_of: Day, rows: &[R]) -> Snapshot {
        let mut b = SnapshotBuilder::new(as_of, Currency::from_code("EUR"));
        for r in rows {
            let name = format!("{} Name", r.customer);
            b.push(&InvoiceRow {
                invoice_id: r.id,
                customer_id: r.customer,
                customer_name: &name,
                division: r.division,
                collector: r.collector,
                status: r.status,
                invoice_date: Day(as_of.0 - r.dpd - 30),
                due_date: Day(as_of.0 - r.dpd),
                amount: Money(r.open.abs() + 100),
                open: Money(r.open),
            });
        }
        b.finish()
    }

    pub fn snapshot(rows: &[R]) -> Snapshot {
        snapshot_at(AS_OF, rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aging::totals;
    use crate::model::InvoiceRow;
    use crate::{AgingScheme, Currency, Day, SnapshotBuilder};
    use proptest::prelude::*;

    const STATUSES: [Status; 5] = Status::ALL;

    fn snapshot(rows: &[(u8, u8, u8, u8, i32, i64)]) -> Snapshot {
        let customers = [
            ("C-1", "Müller GmbH"),
            ("C-2", "Smith & Sons"),
            ("X-3", "ACME"),
        ];
        let mut b = SnapshotBuilder::new(Day(500), Currency::from_code("EUR"));
        for (n, &(c, d, k, st, dpd, open)) in rows.iter().enumerate() {
            let id = n.to_string();
            let (cid, name) = customers[c as usize % 3];
            b.push(&InvoiceRow {
                invoice_id: &id,
                customer_id: cid,
                customer_name: name,
                division: ["", "North", "South"][d as usize % 3],
                collector: ["", "Ann", "Bob", "Cy"][k as usize % 4],
                status: STATUSES[st as usize % 5],
                invoice_date: Day(500 - dpd - 30),
                due_date: Day(500 - dpd),
                amount: Money(open),
                open: Money(open),
            });
        }
        b.finish()
    }

    #[test]
    fn search_is_case_insensitive_on_name_and_id() {
        let s = snapshot(&[
            (0, 1, 1, 0, 10, 100),
            (1, 1, 1, 0, 10, 200),
            (2, 2, 2, 0, 10, 400),
        ]);
        let scheme = AgingScheme::default();
        let count = |q: &str| {
            let f = Query {
                search: q.into(),
                ..Default::default()
            };
            select(&s, &scheme, &f).count()
        };
        assert_eq!(count("müller"), 1);
        assert_eq!(count("c-"), 2);
        assert_eq!(count("SMITH"), 1);
        assert_eq!(count(""), 3);
        assert_eq!(count("nobody"), 0);
    }

    #[test]
    fn every_restriction_must_hold() {
        // (customer, division, collector, status, dpd, open)
        let s = snapshot(&[
            (0, 1, 1, 0, 10, 100),   // North Ann open 1–30
            (0, 1, 2, 1, 45, 200),   // North Bob disputed 31–60
            (1, 2, 1, 2, -5, 400),   // South Ann promised current
            (2, 2, 3, 3, 200, -800), // South Cy agency 121+
            (2, 0, 0, 4, 95, 1_600), // unassigned legal 91–120
        ]);
        let scheme = AgingScheme::default();
        let sum = |q: Query| -> i64 { select(&s, &scheme, &q).map(|i| i.open.0).sum() };
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(sum(Query::default()), 1_500);
        assert_eq!(
            sum(Query {
                collectors: names(&["Ann", "Cy"]),
                ..Default::default()
            }),
            100 + 400 - 800
        );
        assert_eq!(
            sum(Query {
                divisions: names(&[""]),
                ..Default::default()
            }),
            1_600
        );
        assert_eq!(
            sum(Query {
                statuses: vec![Status::Disputed, Status::Legal],
                ..Default::default()
            }),
            1_800
        );
        assert_eq!(
            sum(Query {
                buckets: vec![1, 2],
                divisions: names(&["North"]),
                ..Default::default()
            }),
            300
        );
        assert_eq!(
            sum(Query {
                open_min: Some(Money(-800)),
                open_max: Some(Money(200)),
                ..Default::default()
            }),
            100 + 200 - 800
        );
        assert_eq!(
            sum(Query {
                dpd_min: Some(10),
                dpd_max: Some(95),
                ..Default::default()
            }),
            100 + 200 + 1_600
        );
        assert_eq!(
            sum(Query {
                customer: Some("X-3".into()),
                ..Default::default()
            }),
            800
        );
        // A name this snapshot does not have selects nothing (not everything).
        assert_eq!(
            sum(Query {
                collectors: names(&["Zed"]),
                ..Default::default()
            }),
            0
        );
    }

    /// Every field of [`Query`]: names the snapshot has and one it has not,
    /// customers by id, every bucket index a URL may carry, both ends of
    /// both ranges.
    fn query_strategy() -> impl Strategy<Value = Query> {
        (
            (
                prop::collection::vec(
                    prop::sample::select(vec!["", "North", "South", "West"]),
                    0..3,
                ),
                prop::collection::vec(
                    prop::sample::select(vec!["", "Ann", "Bob", "Cy", "Zed"]),
                    0..3,
                ),
                prop::sample::select(vec!["", " c-", "ACME", "zz", "müller", "SONS ", "2"]),
                prop::option::of(prop::sample::select(vec![
                    "C-1", "C-2", "X-3", "c-1", "Q-9",
                ])),
            ),
            (
                prop::collection::vec(0u8..crate::aging::MAX_BUCKETS as u8, 0..3),
                prop::collection::vec(0usize..5, 0..3),
                prop::option::of(-100_000i64..900_000),
                prop::option::of(-100_000i64..900_000),
                prop::option::of(-50i32..300),
                prop::option::of(-50i32..300),
            ),
        )
            .prop_map(
                |((d, k, search, customer), (buckets, st, min, max, dmin, dmax))| Query {
                    divisions: d.into_iter().map(String::from).collect(),
                    collectors: k.into_iter().map(String::from).collect(),
                    search: search.into(),
                    customer: customer.map(String::from),
                    buckets,
                    statuses: st.into_iter().map(|i| STATUSES[i]).collect(),
                    open_min: min.map(Money),
                    open_max: max.map(Money),
                    dpd_min: dmin,
                    dpd_max: dmax,
                },
            )
    }

    /// Valid aging edges as the config accepts them: 1 to 6 strictly
    /// increasing edges from 1 to [`crate::aging::MAX_EDGE_DAYS`].
    pub(crate) fn edges_strategy() -> impl Strategy<Value = Vec<i32>> {
        prop::collection::btree_set(
            prop_oneof![3 => 1i32..200, 1 => 1i32..=crate::aging::MAX_EDGE_DAYS],
            1..=crate::aging::MAX_BUCKETS - 2,
        )
        .prop_map(|s| s.into_iter().collect())
    }

    fn rows_strategy() -> impl Strategy<Value = Vec<(u8, u8, u8, u8, i32, i64)>> {
        prop::collection::vec(
            (
                0u8..3,
                0u8..3,
                0u8..4,
                0u8..5,
                -40i32..300,
                -50_000i64..900_000,
            ),
            0..150,
        )
    }

    proptest! {
        /// The one-pass index agrees with filtering invoice by invoice and
        /// aging the result with `aging::totals`, for any query.
        #[test]
        fn index_agrees_with_plain_selection(rows in rows_strategy(), q in query_strategy()) {
            let s = snapshot(&rows);
            let scheme = AgingScheme::default();
            let table = Table::from_snapshot(&s);
            let index = Index::new(&table, &scheme);
            let prepared = index.prepare(&q);
            let sel = index.evaluate(&prepared);
            let plain: Vec<&Invoice> = select(&s, &scheme, &q).collect();
            prop_assert_eq!(sel.total.aging, totals(&scheme, s.as_of, plain.iter().copied()));
            let rows = index.rows(&prepared);
            let mut ids: Vec<&str> = rows.iter().map(|&r| table.id(index.invoice_index(r))).collect();
            let mut expected: Vec<&str> = plain.iter().map(|i| i.invoice_id.as_str()).collect();
            ids.sort_unstable();
            expected.sort_unstable();
            prop_assert_eq!(ids, expected);
            // Distinct customers per collector, counted the slow way.
            for (k, p) in sel.by_collector.iter().enumerate() {
                let mut cs: Vec<u32> = plain.iter().filter(|i| i.collector as usize == k).map(|i| i.customer).collect();
                cs.sort_unstable();
                cs.dedup();
                prop_assert_eq!(p.customers as usize, cs.len());
            }
            let mut merged = BucketTotals::default();
            sel.by_division.iter().for_each(|t| merged.merge(t));
            prop_assert_eq!(merged, sel.total.aging);
            let open: Money = sel.by_customer.iter().map(|c| c.open).sum();
            prop_assert_eq!(open, sel.total.aging.total());
        }

        /// Splitting by collector (or division and bucket) and adding the
        /// parts back gives the unfiltered totals, to the cent.
        #[test]
        fn filtered_totals_add_up_to_unfiltered(rows in rows_strategy()) {
            let s = snapshot(&rows);
            let scheme = AgingScheme::default();
            let all = totals(&scheme, s.as_of, s.invoices.iter());
            let mut by_collector = BucketTotals::default();
            for k in &s.collectors {
                let f = Query { collectors: vec![k.clone()], ..Default::default() };
                by_collector.merge(&totals(&scheme, s.as_of, select(&s, &scheme, &f)));
            }
            prop_assert_eq!(by_collector, all);
            let mut by_division_bucket = BucketTotals::default();
            for d in &s.divisions {
                for b in 0..scheme.bucket_count() as u8 {
                    let f = Query { divisions: vec![d.clone()], buckets: vec![b], ..Default::default() };
                    by_division_bucket.merge(&totals(&scheme, s.as_of, select(&s, &scheme, &f)));
                }
            }
            prop_assert_eq!(by_division_bucket, all);
        }

        /// The dashboard's figures (`Index::evaluate` over the whole
        /// snapshot, then `Portfolio::kpis`) equal the static scorecard's
        /// (`metrics::compute`) for every collector, on any snapshot.
        #[test]
        fn index_matches_the_scorecard(rows in rows_strategy()) {
            use crate::activity::ActivityLog;
            use crate::ledger::{MetricsConfig, SalesLedger};
            let s = snapshot(&rows);
            let cfg = MetricsConfig::default();
            let m = crate::metrics::compute(&s, None, &SalesLedger::default(), ActivityLog::empty(), &[], &cfg);
            let table = Table::from_snapshot(&s);
            let index = Index::new(&table, &cfg.aging);
            let sel = index.evaluate(&index.prepare(&Query::default()));
            let lines = crate::portfolio::lines(&sel.by_collector, &table.collectors);
            prop_assert_eq!(lines.len(), m.scorecard.len());
            for line in &lines {
                let card = m.scorecard.iter().find(|c| c.collector == line.name);
                prop_assert!(card.is_some(), "{} missing from the scorecard", line.name);
                let card = card.unwrap();
                let k = &line.kpis;
                prop_assert_eq!(k.open_ar, card.open_ar.money);
                prop_assert_eq!(k.invoices, card.invoice_count);
                prop_assert_eq!(k.customers, card.customer_count);
                prop_assert_eq!(k.current_percent, card.current_percent);
                prop_assert_eq!(k.over_90_percent, card.over_90_percent);
                prop_assert_eq!(k.past_due, card.past_due.money);
                prop_assert_eq!(k.weighted_dpd, card.weighted_days_past_due);
            }
            // And the whole selection is the company's AR.
            prop_assert_eq!(sel.total.aging.total(), m.ar.total.money);
            prop_assert_eq!(sel.total.dpd.per_unit_of_ar(), m.ar.weighted_days_past_due);
            prop_assert_eq!(sel.total.dpd.per_past_due_unit(), m.ar.weighted_days_past_due_per_past_due_unit);
            prop_assert_eq!(sel.total.customers, m.ar.customer_count);
            // With ranges (rows visited one by one) the sums are those of
            // the plain selection, through the same accumulator.
            let q = Query { open_min: Some(Money(-20_000)), dpd_min: Some(-10), dpd_max: Some(200), ..Default::default() };
            let sel = index.evaluate(&index.prepare(&q));
            let mut by = vec![DpdSums::default(); s.collectors.len()];
            for inv in select(&s, &cfg.aging, &q) {
                by[inv.collector as usize].add(inv.open.0, inv.days_past_due(s.as_of));
            }
            for (p, d) in sel.by_collector.iter().zip(&by) {
                prop_assert_eq!(&p.dpd, d);
            }
        }

        #[test]
        fn orders_keep_exactly_the_selection(rows in rows_strategy(), q in query_strategy(), desc in any::<bool>()) {
            let s = snapshot(&rows);
            let scheme = AgingScheme::default();
            let table = Table::from_snapshot(&s);
            let index = Index::new(&table, &scheme);
            let prepared = index.prepare(&q);
            let sel = index.evaluate(&prepared);
            let rows = index.rows(&prepared);
            for order in InvoiceOrder::ALL {
                let perm = index.permutation(order);
                let list = ordered(&rows, &perm, desc);
                let mut a = list.clone();
                let mut b = rows.clone();
                a.sort_unstable();
                b.sort_unstable();
                prop_assert_eq!(a, b);
                if order == InvoiceOrder::Open {
                    let opens: Vec<i64> = list.iter().map(|&r| table.open[index.invoice_index(r)].0).collect();
                    let ok = opens.windows(2).all(|w| if desc { w[0] >= w[1] } else { w[0] <= w[1] });
                    prop_assert!(ok);
                }
            }
            let cs = index.customers(&sel, CustomerOrder::Open, true);
            prop_assert!(cs.windows(2).all(|w| sel.by_customer[w[0] as usize].open >= sel.by_customer[w[1] as usize].open));
            prop_assert_eq!(cs.len() as u32, sel.total.customers);
        }
    }

    /// The customers of [`snapshot`]: (id, name).
    const CUSTOMERS: [(&str, &str); 3] = [
        ("C-1", "Müller GmbH"),
        ("C-2", "Smith & Sons"),
        ("X-3", "ACME"),
    ];

    /// The query applied to the generator's own tuples, written from the
    /// definitions (not through `Prepared`): every restriction must hold.
    fn oracle_keeps(q: &Query, edges: &[i32], r: &(u8, u8, u8, u8, i32, i64)) -> bool {
        let &(c, d, k, st, dpd, open) = r;
        let (id, name) = CUSTOMERS[c as usize % 3];
        let division = ["", "North", "South"][d as usize % 3];
        let collector = ["", "Ann", "Bob", "Cy"][k as usize % 4];
        let status = STATUSES[st as usize % 5];
        // Current when not past due; else 1 + the edges it is beyond.
        let bucket = if dpd <= 0 {
            0
        } else {
            1 + edges.iter().filter(|&&e| dpd > e).count()
        };
        let needle = q.search.trim().to_lowercase();
        (q.divisions.is_empty() || q.divisions.iter().any(|x| x == division))
            && (q.collectors.is_empty() || q.collectors.iter().any(|x| x == collector))
            && (needle.is_empty()
                || id.to_lowercase().contains(&needle)
                || name.to_lowercase().contains(&needle))
            && q.customer.as_deref().is_none_or(|want| want == id)
            && (q.buckets.is_empty() || q.buckets.iter().any(|&b| usize::from(b) == bucket))
            && (q.statuses.is_empty() || q.statuses.contains(&status))
            && q.open_min.is_none_or(|m| open >= m.0)
            && q.open_max.is_none_or(|m| open <= m.0)
            && q.dpd_min.is_none_or(|m| dpd >= m)
            && q.dpd_max.is_none_or(|m| dpd <= m)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]
        /// `select` and the index keep exactly the rows the oracle keeps,
        /// for queries setting any of the fields, under any valid edges.
        #[test]
        fn selection_matches_an_oracle_filter(rows in rows_strategy(), q in query_strategy(), edges in edges_strategy()) {
            let s = snapshot(&rows);
            let scheme = AgingScheme::new(edges.clone()).unwrap();
            let mut expected: Vec<String> = rows
                .iter()
                .enumerate()
                .filter(|(_, r)| oracle_keeps(&q, &edges, r))
                .map(|(n, _)| n.to_string())
                .collect();
            let open: i64 = rows.iter().filter(|r| oracle_keeps(&q, &edges, r)).map(|r| r.5).sum();
            expected.sort_unstable();
            let mut plain: Vec<String> = select(&s, &scheme, &q).map(|i| i.invoice_id.clone()).collect();
            plain.sort_unstable();
            prop_assert_eq!(&plain, &expected);
            let table = Table::from_snapshot(&s);
            let index = Index::new(&table, &scheme);
            let prepared = index.prepare(&q);
            let mut rows_ix: Vec<String> = index.rows(&prepared).iter().map(|&r| table.id(index.invoice_index(r)).to_string()).collect();
            rows_ix.sort_unstable();
            prop_assert_eq!(&rows_ix, &expected);
            prop_assert_eq!(index.evaluate(&prepared).total.aging.total(), Money(open));
        }
    }
}

/// Unit tests aimed at mutants cargo-mutants found surviving (issue 21).
#[cfg(test)]
mod mutation_tests {
    use super::*;
    use crate::model::InvoiceRow;
    use crate::{Currency, Day, SnapshotBuilder};

    /// One customer, division, collector and status: rows differ only in
    /// days past due and open amount, as of day 500.
    fn snapshot(rows: &[(i32, i64)]) -> Snapshot {
        let mut b = SnapshotBuilder::new(Day(500), Currency::from_code("EUR"));
        for (n, &(dpd, open)) in rows.iter().enumerate() {
            let id = n.to_string();
            b.push(&InvoiceRow {
                invoice_id: &id,
                customer_id: "C-1",
                customer_name: "One",
                division: "North",
                collector: "Ann",
                status: Status::Open,
                invoice_date: Day(500 - dpd - 30),
                due_date: Day(500 - dpd),
                amount: Money(open),
                open: Money(open),
            });
        }
        b.finish()
    }

    fn evaluate(s: &Snapshot, q: &Query) -> Selection {
        let scheme = AgingScheme::default();
        let table = Table::from_snapshot(s);
        let index = Index::new(&table, &scheme);
        let prepared = index.prepare(q);
        index.evaluate(&prepared)
    }

    #[test]
    fn a_customers_max_dpd_is_its_oldest_selected_item() {
        // Three items in one group (bucket 1–30): 5, 20 and 12 days past
        // due → 20, with or without a range (a range visits the rows).
        let s = snapshot(&[(5, 50), (20, 100), (12, 70)]);
        assert_eq!(evaluate(&s, &Query::default()).by_customer[0].max_dpd, 20);
        let q = Query {
            open_min: Some(Money(60)),
            ..Default::default()
        };
        // Open ≥ 60 keeps the 100 (20 days) and the 70 (12 days) → 20.
        let sel = evaluate(&s, &q);
        assert_eq!(
            (sel.by_customer[0].count, sel.by_customer[0].max_dpd),
            (2, 20)
        );
        // All current (−5, −3, −9 days): the oldest is −3, not 0.
        let s = snapshot(&[(-5, 50), (-3, 100), (-9, 70)]);
        assert_eq!(evaluate(&s, &Query::default()).by_customer[0].max_dpd, -3);
    }

    #[test]
    fn an_open_range_includes_both_ends() {
        // Rows of one group open 50 and 100 (10 and 11 days past due).
        let s = snapshot(&[(10, 50), (11, 100)]);
        let open = |q: Query| evaluate(&s, &q).total.aging.total();
        // Minimum 100 = the group's largest: that row stays → 100.
        assert_eq!(
            open(Query {
                open_min: Some(Money(100)),
                ..Default::default()
            }),
            Money(100)
        );
        // Maximum 60 cuts the group: only the 50 → 50.
        assert_eq!(
            open(Query {
                open_max: Some(Money(60)),
                ..Default::default()
            }),
            Money(50)
        );
        // Maximum 50 = the group's smallest → 50; days 11..11 → the 100.
        assert_eq!(
            open(Query {
                open_max: Some(Money(50)),
                ..Default::default()
            }),
            Money(50)
        );
        assert_eq!(
            open(Query {
                dpd_min: Some(11),
                dpd_max: Some(11),
                ..Default::default()
            }),
            Money(100)
        );
    }

    #[test]
    fn an_index_counts_its_rows_and_groups() {
        // 5 and 20 days past due share bucket 1–30; 45 is in 31–60: three
        // rows in two groups. An empty snapshot: no rows, no groups.
        let s = snapshot(&[(5, 50), (20, 100), (45, 70)]);
        let scheme = AgingScheme::default();
        let table = Table::from_snapshot(&s);
        let index = Index::new(&table, &scheme);
        assert_eq!(
            (index.len(), index.is_empty(), index.groups()),
            (3, false, 2)
        );
        let empty = snapshot(&[]);
        let table = Table::from_snapshot(&empty);
        let index = Index::new(&table, &scheme);
        assert_eq!(
            (index.len(), index.is_empty(), index.groups()),
            (0, true, 0)
        );
    }

    #[test]
    fn a_cut_group_keeps_its_rows_on_the_range_ends_and_adds_up_by_customer() {
        // One group open 50, 100, 70 (10, 11, 12 days past due): a maximum of
        // 70 cuts it, and the 70 itself stays → 50 + 70 = 120; a minimum of
        // 70 likewise → 100 + 70 = 170.
        let s = snapshot(&[(10, 50), (11, 100), (12, 70)]);
        let open = |q: Query| evaluate(&s, &q).total.aging.total();
        assert_eq!(
            open(Query {
                open_max: Some(Money(70)),
                ..Default::default()
            }),
            Money(120)
        );
        assert_eq!(
            open(Query {
                open_min: Some(Money(70)),
                ..Default::default()
            }),
            Money(170)
        );
        // Groups of one customer in three buckets: current (−3 days, 40),
        // 1–30 (5 days, 50), 31–60 (45 days, 70): past due 50 + 70 = 120,
        // open 160, 3 items, oldest 45.
        let s = snapshot(&[(5, 50), (-3, 40), (45, 70)]);
        let c = evaluate(&s, &Query::default()).by_customer[0];
        assert_eq!(
            (c.open, c.past_due, c.count, c.max_dpd),
            (Money(160), Money(120), 3, 45)
        );
        // Only current items, in two groups (−9 and −3 days: the default
        // buckets put both in "current", so split them by status).
        let mut b = SnapshotBuilder::new(Day(500), Currency::from_code("EUR"));
        for (id, dpd, status) in [("a", -9, Status::Open), ("b", -3, Status::Disputed)] {
            b.push(&InvoiceRow {
                invoice_id: id,
                customer_id: "C-1",
                customer_name: "One",
                division: "North",
                collector: "Ann",
                status,
                invoice_date: Day(500 - dpd - 30),
                due_date: Day(500 - dpd),
                amount: Money(10),
                open: Money(10),
            });
        }
        let c = evaluate(&b.finish(), &Query::default()).by_customer[0];
        assert_eq!((c.count, c.max_dpd, c.past_due), (2, -3, Money(0)));
    }

    #[test]
    fn customer_orders_have_their_url_keys() {
        // The keys the dashboard's URLs carry: each names its order and reads back.
        let keys = [
            (CustomerOrder::Name, "name"),
            (CustomerOrder::Id, "id"),
            (CustomerOrder::Open, "open"),
            (CustomerOrder::PastDue, "past_due"),
            (CustomerOrder::Items, "items"),
            (CustomerOrder::MaxDpd, "max_dpd"),
        ];
        for (order, key) in keys {
            assert_eq!(order.key(), key);
            assert_eq!(CustomerOrder::from_key(key), Some(order));
        }
        assert_eq!(CustomerOrder::from_key("oldest"), None);
    }
}

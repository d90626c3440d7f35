//! A second, independent computation of snapshot figures straight from the
//! CSV text, used as the expected side of end-to-end assertions.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

#[derive(Debug, Clone)]
pub struct Row {
    pub invoice_id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub invoice_date: NaiveDate,
    pub due_date: NaiveDate,
    /// The original document amount.
    pub amount: Decimal,
    pub open: Decimal,
    pub division: String,
    pub collector: String,
    /// `open` when the file has no status column or an empty cell.
    pub status: String,
}

pub struct SnapshotCsv {
    pub as_of: NaiveDate,
    pub rows: Vec<Row>,
}

/// The standard buckets written out by hand: Current (≤ 0 days past due),
/// then 1–30, 31–60, 61–90, 91–120, 121+.
pub const LABELS: [&str; 6] = ["Current", "1–30", "31–60", "61–90", "91–120", "121+"];

pub fn bucket(as_of: NaiveDate, due: NaiveDate) -> usize {
    match (as_of - due).num_days() {
        d if d <= 0 => 0,
        1..=30 => 1,
        31..=60 => 2,
        61..=90 => 3,
        91..=120 => 4,
        _ => 5,
    }
}

impl SnapshotCsv {
    pub fn read(path: &Path) -> SnapshotCsv {
        let stem = path.file_stem().unwrap().to_str().unwrap();
        let as_of = NaiveDate::parse_from_str(stem, "%Y-%m-%d").unwrap();
        let mut reader = csv::Reader::from_path(path).unwrap();
        let headers = reader.headers().unwrap().clone();
        let col = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .unwrap_or_else(|| panic!("no {name}"))
        };
        let (id, cid, cname, due, open, div, coll) = (
            col("invoice_id"),
            col("customer_id"),
            col("customer_name"),
            col("due_date"),
            col("open_amount"),
            col("division"),
            col("collector"),
        );
        let (inv_date, amount) = (col("invoice_date"), col("amount"));
        let status = headers.iter().position(|h| h == "status");
        let rows = reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                Row {
                    invoice_id: r[id].to_string(),
                    customer_id: r[cid].to_string(),
                    customer_name: r[cname].to_string(),
                    invoice_date: NaiveDate::parse_from_str(&r[inv_date], "%Y-%m-%d").unwrap(),
                    due_date: NaiveDate::parse_from_str(&r[due], "%Y-%m-%d").unwrap(),
                    amount: Decimal::from_str(&r[amount]).unwrap(),
                    open: Decimal::from_str(&r[open]).unwrap(),
                    division: r[div].to_string(),
                    collector: r[coll].to_string(),
                    status: match status.map(|i| &r[i]) {
                        Some(s) if !s.is_empty() => s.to_string(),
                        _ => "open".to_string(),
                    },
                }
            })
            .collect();
        SnapshotCsv { as_of, rows }
    }

    pub fn total(&self, keep: impl Fn(&Row) -> bool) -> Decimal {
        self.rows.iter().filter(|r| keep(r)).map(|r| r.open).sum()
    }

    pub fn buckets(&self, keep: impl Fn(&Row) -> bool) -> [Decimal; 6] {
        let mut b = [Decimal::ZERO; 6];
        for r in self.rows.iter().filter(|r| keep(r)) {
            b[bucket(self.as_of, r.due_date)] += r.open;
        }
        b
    }

    /// Open amount per customer name within a selection.
    pub fn by_customer(&self, keep: impl Fn(&Row) -> bool) -> BTreeMap<String, Decimal> {
        let mut m = BTreeMap::new();
        for r in self.rows.iter().filter(|r| keep(r)) {
            *m.entry(r.customer_name.clone()).or_insert(Decimal::ZERO) += r.open;
        }
        m
    }

    pub fn collectors(&self) -> Vec<String> {
        let mut v: Vec<String> = self.rows.iter().map(|r| r.collector.clone()).collect();
        v.sort();
        v.dedup();
        v
    }
}

/// Snapshot files of a data folder, oldest first.
pub fn snapshot_files(data: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(data.join("snapshots"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    v.sort();
    v
}

/// Reads a displayed amount such as "-12,345.67" back into a decimal.
pub fn parse_shown(text: &str) -> Decimal {
    Decimal::from_str(&text.trim().replace(',', ""))
        .unwrap_or_else(|_| panic!("not an amount: {text:?}"))
}

// ---------------------------------------------------------------------------
// Figures beyond the aging sums, recomputed from the raw files of a data
// folder (snapshots, `sales.csv`, `activity.csv`, `customers.csv`) with
// integers and `rust_decimal` only, for the page, CSV and workbook checks of
// `site_tables.rs`. Written from docs/metrics.md, never by calling
// `arsite-core`. Limits (asserted, so they cannot pass silently): month-end
// snapshots, a 2-decimal currency, default settings (countback DSO, a
// 3-month window for the standard DSO and the rolling CEI).

/// Amount in minor units (cents); panics on a third decimal.
pub fn cents(d: Decimal) -> i128 {
    let c = d * Decimal::from(100);
    assert!(c.fract().is_zero(), "{d} has more than 2 decimals");
    rust_decimal::prelude::ToPrimitive::to_i128(&c).unwrap()
}

/// `num / den` rounded to 2 decimals, half away from zero, from integers.
pub fn round2(num: i128, den: i128) -> Decimal {
    assert!(den != 0);
    let (num, den) = if den < 0 { (-num, -den) } else { (num, den) };
    let q = (num.abs() * 200 + den) / (2 * den);
    Decimal::from_i128_with_scale(num.signum() * q, 2)
}

/// `part / whole × 100` to 2 decimals; none when `whole` is 0.
pub fn percent(part: i128, whole: i128) -> Option<Decimal> {
    (whole != 0).then(|| round2(part * 100, whole))
}

pub fn is_month_end(d: NaiveDate) -> bool {
    d.succ_opt().unwrap().day() == 1
}

/// (year, month) of a date.
pub type Month = (i32, u32);

pub fn month_of(d: NaiveDate) -> Month {
    (d.year(), d.month())
}

pub fn previous_month((y, m): Month) -> Month {
    if m == 1 {
        (y - 1, 12)
    } else {
        (y, m - 1)
    }
}

pub fn days_in((y, m): Month) -> i128 {
    let first = NaiveDate::from_ymd_opt(y, m, 1).unwrap();
    let next = first + chrono::Months::new(1);
    i128::from((next - first).num_days())
}

/// `sales.csv`: cents per month, in total and per division. A month is
/// covered (total) when any row names it; for a division, when a row of
/// that division does.
#[derive(Default)]
pub struct Ledger {
    pub total: BTreeMap<Month, i128>,
    pub division: BTreeMap<(String, Month), i128>,
}

impl Ledger {
    pub fn read(data: &Path) -> Ledger {
        let mut l = Ledger::default();
        let path = data.join("sales.csv");
        if !path.exists() {
            return l;
        }
        let mut reader = csv::Reader::from_path(path).unwrap();
        let headers = reader.headers().unwrap().clone();
        let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
        let (period, division, amount) = (col("period"), col("division"), col("amount"));
        for r in reader.records() {
            let r = r.unwrap();
            let (y, m) = r[period].split_once('-').unwrap();
            let month = (y.parse().unwrap(), m.parse().unwrap());
            let c = cents(Decimal::from_str(&r[amount]).unwrap());
            *l.total.entry(month).or_default() += c;
            if !r[division].is_empty() {
                *l.division
                    .entry((r[division].to_string(), month))
                    .or_default() += c;
            }
        }
        l
    }

    /// Covered months from `as_of`'s month back, newest first: (month,
    /// days, sales), stopping at the first month not covered.
    pub fn months_back(
        &self,
        as_of: NaiveDate,
        division: Option<&str>,
    ) -> Vec<(Month, i128, i128)> {
        assert!(
            is_month_end(as_of),
            "the reader handles month-end snapshots only"
        );
        let mut out = Vec::new();
        let mut m = month_of(as_of);
        loop {
            let sales = match division {
                None => self.total.get(&m),
                Some(d) => self.division.get(&(d.to_string(), m)),
            };
            let Some(&s) = sales else { break };
            out.push((m, days_in(m), s));
            m = previous_month(m);
        }
        out
    }

    /// Σ sales of the months after `from`'s month through `to`'s month
    /// (both month-ends); none when one is not covered.
    pub fn between(&self, from: NaiveDate, to: NaiveDate) -> Option<i128> {
        let mut m = month_of(to);
        let mut sum = 0;
        while m != month_of(from) {
            sum += self.total.get(&m)?;
            m = previous_month(m);
        }
        Some(sum)
    }
}

/// Countback DSO (docs/metrics.md "Countback DSO"): none for insufficient
/// history or a month of negative sales reached while AR remains.
pub fn countback(ar: i128, months: &[(Month, i128, i128)]) -> Option<Decimal> {
    if ar <= 0 {
        return Some(Decimal::ZERO);
    }
    let (mut remaining, mut whole) = (ar, 0i128);
    for &(_, days, sales) in months {
        if remaining == 0 {
            break;
        }
        if sales < 0 {
            return None;
        }
        if remaining >= sales {
            whole += days;
            remaining -= sales;
        } else {
            return Some(round2(whole * sales + remaining * days, sales));
        }
    }
    (remaining == 0).then(|| round2(whole, 1))
}

/// How many months back the countback walk reads (for the months table).
pub fn countback_months_used(ar: i128, months: &[(Month, i128, i128)]) -> usize {
    let mut remaining = ar;
    for (i, &(_, _, sales)) in months.iter().enumerate() {
        if remaining <= 0 || sales < 0 {
            return i;
        }
        if remaining >= sales {
            remaining -= sales;
        } else {
            return i + 1;
        }
    }
    months.len()
}

/// Standard DSO over a window of 3 months.
pub fn standard(ar: i128, months: &[(Month, i128, i128)]) -> Option<Decimal> {
    if ar <= 0 {
        return Some(Decimal::ZERO);
    }
    let window = months.get(..3)?;
    let sales: i128 = window.iter().map(|m| m.2).sum();
    let days: i128 = window.iter().map(|m| m.1).sum();
    (sales > 0).then(|| round2(ar * days, sales))
}

/// True DSO over `items` (Σ per month of Σ age × open / the month's sales).
/// The monthly fractions are added as `Decimal`s (28 significant digits)
/// before the one rounding: exact integers would overflow i128 over a year
/// of months.
pub fn true_dso(
    as_of: NaiveDate,
    items: &[&Row],
    months: &[(Month, i128, i128)],
) -> Option<Decimal> {
    let ar: i128 = items.iter().map(|r| cents(r.open)).sum();
    if ar <= 0 {
        return Some(Decimal::ZERO);
    }
    let mut by_month: BTreeMap<Month, i128> = BTreeMap::new();
    for r in items.iter().filter(|r| !r.open.is_zero()) {
        let age = i128::from((as_of - r.invoice_date).num_days());
        *by_month.entry(month_of(r.invoice_date)).or_default() += age * cents(r.open);
    }
    let mut sum = Decimal::ZERO;
    for (m, weighted) in by_month {
        let &(_, _, sales) = months.iter().find(|x| x.0 == m)?;
        if sales <= 0 {
            return None;
        }
        sum += Decimal::from_i128_with_scale(weighted, 0) / Decimal::from_i128_with_scale(sales, 0);
    }
    Some(sum.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero))
}

/// The months the DSO page lists: as far back as any method reached.
pub fn months_listed(rows: &[Row], months: &[(Month, i128, i128)]) -> usize {
    let ar: i128 = rows.iter().map(|r| cents(r.open)).sum();
    let mut n = countback_months_used(ar, months).max(3.min(months.len()));
    for r in rows.iter().filter(|r| !r.open.is_zero()) {
        if let Some(i) = months.iter().position(|x| x.0 == month_of(r.invoice_date)) {
            n = n.max(i + 1);
        }
    }
    n
}

/// Amount-weighted days past due over debit items: (per unit of debit AR,
/// per past-due unit).
pub fn weighted_dpd(as_of: NaiveDate, rows: &[&Row]) -> (Option<Decimal>, Option<Decimal>) {
    let (mut num, mut debit, mut past) = (0i128, 0i128, 0i128);
    for r in rows.iter().filter(|r| r.open > Decimal::ZERO) {
        let dpd = i128::from((as_of - r.due_date).num_days());
        let c = cents(r.open);
        debit += c;
        if dpd > 0 {
            num += c * dpd;
            past += c;
        }
    }
    (
        (debit != 0).then(|| round2(num, debit)),
        (past != 0).then(|| round2(num, past)),
    )
}

/// One activity row.
#[derive(Clone, Debug)]
pub struct Activity {
    pub date: NaiveDate,
    pub kind: String,
    pub customer_id: String,
    pub invoice_id: String,
    pub amount: Decimal,
    pub collector: String,
}

pub fn read_activity(data: &Path) -> Vec<Activity> {
    let path = data.join("activity.csv");
    if !path.exists() {
        return Vec::new();
    }
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
    let (date, kind, cid, iid, amount, coll) = (
        col("date"),
        col("type"),
        col("customer_id"),
        col("invoice_id"),
        col("amount"),
        col("collector"),
    );
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            Activity {
                date: NaiveDate::parse_from_str(&r[date], "%Y-%m-%d").unwrap(),
                kind: r[kind].to_string(),
                customer_id: r[cid].to_string(),
                invoice_id: r[iid].to_string(),
                amount: if r[amount].is_empty() {
                    Decimal::ZERO
                } else {
                    Decimal::from_str(&r[amount]).unwrap()
                },
                collector: r[coll].to_string(),
            }
        })
        .collect()
}

/// A row of `customers.csv`.
#[derive(Clone, Debug, Default)]
pub struct MasterRow {
    pub collector: String,
    pub division: String,
    /// Cents; none when the cell is empty or the column absent.
    pub credit_limit: Option<i128>,
}

/// `customers.csv` by customer id.
pub fn read_master(data: &Path) -> BTreeMap<String, MasterRow> {
    let path = data.join("customers.csv");
    let mut m = BTreeMap::new();
    if !path.exists() {
        return m;
    }
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |n: &str| headers.iter().position(|h| h == n);
    let (id, coll, div, limit) = (
        col("customer_id").unwrap(),
        col("collector"),
        col("division"),
        col("credit_limit"),
    );
    let cell =
        |r: &csv::StringRecord, i: Option<usize>| i.map_or(String::new(), |i| r[i].to_string());
    for r in reader.records() {
        let r = r.unwrap();
        let limit = cell(&r, limit);
        m.insert(
            r[id].to_string(),
            MasterRow {
                collector: cell(&r, coll),
                division: cell(&r, div),
                credit_limit: (!limit.is_empty())
                    .then(|| cents(Decimal::from_str(&limit).unwrap())),
            },
        );
    }
    m
}

/// Allowance (docs/metrics.md "Allowance"): per bucket (open, debit
/// balances netted per customer, reserve) at the default reserve
/// percentages 1, 2, 5, 10, 25, 50.
pub const RESERVE_PERCENT: [i128; 6] = [1, 2, 5, 10, 25, 50];

pub fn debit_balances(s: &SnapshotCsv, keep: impl Fn(&Row) -> bool) -> [i128; 6] {
    let mut net: BTreeMap<(usize, &str), i128> = BTreeMap::new();
    for r in s.rows.iter().filter(|r| keep(r)) {
        *net.entry((bucket(s.as_of, r.due_date), r.customer_id.as_str()))
            .or_default() += cents(r.open);
    }
    let mut d = [0i128; 6];
    for ((b, _), v) in net {
        d[b] += v.max(0);
    }
    d
}

/// `amount × percent / 100` rounded half away from zero to cents.
pub fn reserve(debit: i128, percent: i128) -> i128 {
    div_round(debit * percent, 100)
}

/// `num / den` rounded half away from zero to a whole number.
pub fn div_round(num: i128, den: i128) -> i128 {
    let (num, den) = if den < 0 { (-num, -den) } else { (num, den) };
    num.signum() * ((num.abs() * 2 + den) / (2 * den))
}

/// Splits `total` in proportion to `weights` by largest remainder (ties to
/// the earlier weight).
pub fn largest_remainder(total: i128, weights: &[i128]) -> Vec<i128> {
    let sum: i128 = weights.iter().sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let mut out: Vec<i128> = weights.iter().map(|w| total * w / sum).collect();
    let mut left = total - out.iter().sum::<i128>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(total * weights[i] % sum), i));
    for i in order {
        if left == 0 {
            break;
        }
        out[i] += 1;
        left -= 1;
    }
    out
}

/// The holder of each customer in a snapshot: the collector with the
/// largest Σ open of its items (ties: more items, then the smaller name).
pub fn holders(s: &SnapshotCsv) -> BTreeMap<String, String> {
    let mut per: BTreeMap<(String, String), (i128, usize)> = BTreeMap::new();
    for r in &s.rows {
        let e = per
            .entry((r.customer_id.clone(), r.collector.clone()))
            .or_default();
        e.0 += cents(r.open);
        e.1 += 1;
    }
    let mut best: BTreeMap<String, (i128, usize, String)> = BTreeMap::new();
    for ((customer, collector), (open, n)) in per {
        let better = match best.get(&customer) {
            None => true,
            Some((o, c, name)) => {
                (open, n) > (*o, *c) || ((open, n) == (*o, *c) && collector < *name)
            }
        };
        if better {
            best.insert(customer, (open, n, collector));
        }
    }
    best.into_iter().map(|(k, v)| (k, v.2)).collect()
}

impl SnapshotCsv {
    /// Collector of the first row of an invoice id.
    pub fn collector_of(&self, invoice_id: &str) -> Option<&str> {
        self.rows
            .iter()
            .find(|r| r.invoice_id == invoice_id)
            .map(|r| r.collector.as_str())
    }

    pub fn past_due(&self, keep: impl Fn(&Row) -> bool) -> Decimal {
        self.buckets(keep)[1..].iter().sum()
    }
}

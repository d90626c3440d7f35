//! The figures people read — the HTML tables and tiles, every CSV download
//! and the xlsx workbook — agree, to the cent, with figures recomputed
//! independently from the raw input files (`arsite_e2e::reference`: plain
//! `csv` + `rust_decimal`, never `arsite-core`). `site_figures.rs` checks
//! `metrics.json`; this checks what is shown (issue 21, item 10).
//!
//! Two layers:
//! 1. **Same table in every format**: each `table.report` of every page is
//!    parsed from the HTML, its CSV download and (for the workbook's
//!    tables) its xlsx sheet; the three must hold the same rows, and every
//!    figure shown must read back (strictly) as the CSV's exact decimal.
//!    Every file of `csv/` must belong to a table, and every sheet too.
//! 2. **Against the reader**: the tables whose figures the reader computes
//!    are checked cell by cell in all three formats, ratios row by row
//!    (not only their sums); see `CHECKED` for the list.
//!
//! Run on a small generated company (every snapshot) and on the committed
//! sample data (its newest snapshot).

mod tables;

use arsite_e2e::reference::{
    self, cents, countback, holders, months_listed, percent, read_activity, read_master, round2,
    snapshot_files, standard, true_dso, weighted_dpd, Activity, Ledger, MasterRow, Row,
    SnapshotCsv, LABELS,
};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use tables::{check_formats, Grid, Want};

/// Every input of one data folder, read once.
struct Data {
    snapshots: Vec<SnapshotCsv>,
    ledger: Ledger,
    activity: Vec<Activity>,
    master: BTreeMap<String, MasterRow>,
    /// `restated` per (snapshot, kind of row): computed once, asked for by
    /// every format of every collector table.
    restated: RefCell<BTreeMap<(usize, String), BTreeMap<String, i128>>>,
}

impl Data {
    fn read(data: &Path) -> Data {
        Data {
            snapshots: snapshot_files(data)
                .iter()
                .map(|f| SnapshotCsv::read(f))
                .collect(),
            ledger: Ledger::read(data),
            activity: read_activity(data),
            master: read_master(data),
            restated: RefCell::default(),
        }
    }
}

/// The tables (by id) checked against the reader; each must be met at
/// least once per data set, so a renamed table cannot drop out silently.
const CHECKED: &[&str] = &[
    "aging-total",
    "aging-by-division",
    "aging-by-collector",
    "aging-by-customer",
    "aging-trend",
    "collector-customers",
    "customers",
    "top-past-due",
    "movers",
    "newly-past-due",
    "open-items",
    "balance-history",
    "scorecard",
    "collector-score",
    "dso-methods",
    "dso-months",
    "dso-by-division",
    "dso-trend",
    "cei",
    "collector-trend",
    "allowance",
    "allowance-by-division",
    "write-offs-by-period",
    "write-offs-by-division",
    "write-offs-by-collector",
];

/// One snapshot being checked.
struct Snap<'a> {
    data: &'a Data,
    index: usize,
}

impl<'a> Snap<'a> {
    fn csv(&self) -> &'a SnapshotCsv {
        &self.data.snapshots[self.index]
    }
    fn as_of(&self) -> NaiveDate {
        self.csv().as_of
    }
    fn previous(&self) -> Option<&'a SnapshotCsv> {
        self.index.checked_sub(1).map(|i| &self.data.snapshots[i])
    }
    fn rows(&self, keep: impl Fn(&Row) -> bool) -> Vec<&'a Row> {
        self.csv().rows.iter().filter(|r| keep(r)).collect()
    }
    /// The period's first day and the snapshot date.
    fn period(&self) -> (NaiveDate, NaiveDate) {
        let start = match self.previous() {
            Some(p) => p.as_of.succ_opt().unwrap(),
            None => self.as_of().with_day0(0).unwrap(),
        };
        (start, self.as_of())
    }
    fn in_period(&self, kind: &str) -> impl Iterator<Item = &'a Activity> + '_ {
        let (start, end) = self.period();
        let kind = kind.to_string();
        self.data
            .activity
            .iter()
            .filter(move |a| a.kind == kind && a.date >= start && a.date <= end)
    }
}

use chrono::Datelike;

fn label(collector: &str) -> &str {
    if collector.is_empty() {
        "(unassigned)"
    } else {
        collector
    }
}

/// The six buckets, total, past due and item count of a selection.
fn aging_cells(s: &SnapshotCsv, keep: impl Fn(&Row) -> bool + Copy) -> Vec<Want> {
    let b = s.buckets(keep);
    let mut v: Vec<Want> = b.iter().map(|d| Want::Money(cents(*d))).collect();
    v.push(Want::Money(cents(s.total(keep))));
    v.push(Want::Money(cents(s.past_due(keep))));
    v.push(Want::Int(s.rows.iter().filter(|r| keep(r)).count() as i64));
    v
}

/// Rows keyed by their first cell must be exactly `expected` (no row
/// missing, none extra), each row's other cells as given.
fn keyed_rows(g: &Grid, expected: &BTreeMap<String, Vec<Want>>) {
    let shown: BTreeSet<String> = g.rows.iter().map(|r| g.text(r, 0)).collect();
    let want: BTreeSet<String> = expected.keys().cloned().collect();
    assert_eq!(shown, want, "{}: the rows shown", g.name);
    assert_eq!(shown.len(), g.rows.len(), "{}: a row shown twice", g.name);
    for row in &g.rows {
        let key = g.text(row, 0);
        for (i, w) in expected[&key].iter().enumerate() {
            g.check(row, i + 1, w, &key);
        }
    }
}

fn aging_headers(g: &Grid, first: &str) {
    let mut want = vec![first.to_string()];
    want.extend(LABELS.iter().map(|l| l.to_string()));
    want.extend(["Total", "Past due", "Items"].map(String::from));
    assert_eq!(g.headers, want, "{}: columns", g.name);
}

fn aging_grouped(g: &Grid, first: &str, keys: BTreeMap<String, Vec<Want>>, total: Vec<Want>) {
    aging_headers(g, first);
    keyed_rows(g, &keys);
    let footer = g
        .footer
        .as_ref()
        .unwrap_or_else(|| panic!("{}: no total row", g.name));
    assert_eq!(g.text(footer, 0), "Total", "{}", g.name);
    for (i, w) in total.iter().enumerate() {
        g.check(footer, i + 1, w, "Total");
    }
}

fn check_aging_total(g: &Grid, snap: &Snap) {
    let s = snap.csv();
    let b = s.buckets(|_| true);
    let total = cents(s.total(|_| true));
    assert_eq!(
        g.headers,
        ["Bucket", "Open amount", "Share %", "Items"],
        "{}",
        g.name
    );
    assert_eq!(g.rows.len(), LABELS.len(), "{}: one row per bucket", g.name);
    for (i, row) in g.rows.iter().enumerate() {
        assert_eq!(g.text(row, 0), LABELS[i], "{}: bucket order", g.name);
        let items = s
            .rows
            .iter()
            .filter(|r| reference::bucket(s.as_of, r.due_date) == i)
            .count();
        g.check(row, 1, &Want::Money(cents(b[i])), LABELS[i]);
        g.check(row, 2, &Want::Ratio(percent(cents(b[i]), total)), LABELS[i]);
        g.check(row, 3, &Want::Int(items as i64), LABELS[i]);
    }
    let f = g.footer.as_ref().expect("a total row");
    g.check(f, 1, &Want::Money(total), "Total");
    g.check(f, 2, &Want::Ratio(percent(total, total)), "Total");
    g.check(f, 3, &Want::Int(s.rows.len() as i64), "Total");
}

/// First name seen per customer id.
fn names(s: &SnapshotCsv) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    for r in &s.rows {
        m.entry(r.customer_id.clone())
            .or_insert_with(|| r.customer_name.clone());
    }
    m
}

fn by_customer(snap: &Snap, keep: impl Fn(&Row) -> bool + Copy) -> BTreeMap<String, Vec<Want>> {
    let s = snap.csv();
    let names = names(s);
    let ids: BTreeSet<&str> = s
        .rows
        .iter()
        .filter(|r| keep(r))
        .map(|r| r.customer_id.as_str())
        .collect();
    ids.into_iter()
        .map(|id| {
            let key = format!("{} ({id})", names[id]);
            (key, aging_cells(s, |r| r.customer_id == id && keep(r)))
        })
        .collect()
}

fn check_aging_table(g: &Grid, snap: &Snap) {
    let s = snap.csv();
    let all = aging_cells(s, |_| true);
    match g.id.as_str() {
        "aging-by-division" => {
            let divs: BTreeSet<&str> = s.rows.iter().map(|r| r.division.as_str()).collect();
            let keys = divs
                .into_iter()
                .map(|d| (label(d).to_string(), aging_cells(s, |r| r.division == d)))
                .collect();
            aging_grouped(g, "Division", keys, all);
        }
        "aging-by-collector" => {
            let keys = s
                .collectors()
                .iter()
                .map(|c| (label(c).to_string(), aging_cells(s, |r| &r.collector == c)))
                .collect();
            aging_grouped(g, "Collector", keys, all);
        }
        "aging-by-customer" => aging_grouped(g, "Customer", by_customer(snap, |_| true), all),
        other => unreachable!("{other}"),
    }
}

/// A collector page's customers: the page names its collector in the
/// caption ("… of Emma Dupont …"); the rows must be that collector's.
fn check_collector_customers(g: &Grid, snap: &Snap) {
    let s = snap.csv();
    let collector = s
        .collectors()
        .into_iter()
        .filter(|c| g.caption.contains(label(c)))
        .max_by_key(|c| c.len())
        .unwrap_or_else(|| panic!("{}: no collector named in {:?}", g.name, g.caption));
    let keep = |r: &Row| r.collector == collector;
    aging_grouped(g, "Customer", by_customer(snap, keep), aging_cells(s, keep));
}

fn check_trend(g: &Grid, snap: &Snap) {
    let mut want = vec!["Snapshot".to_string()];
    want.extend(LABELS.iter().map(|l| l.to_string()));
    want.extend(["Total", "Past due %"].map(String::from));
    assert_eq!(g.headers, want, "{}: columns", g.name);
    let keys = snap.data.snapshots[..=snap.index]
        .iter()
        .map(|s| {
            let mut v: Vec<Want> = s
                .buckets(|_| true)
                .iter()
                .map(|d| Want::Money(cents(*d)))
                .collect();
            let total = cents(s.total(|_| true));
            v.push(Want::Money(total));
            v.push(Want::Ratio(percent(cents(s.past_due(|_| true)), total)));
            (s.as_of.to_string(), v)
        })
        .collect();
    keyed_rows(g, &keys);
}

fn check_customers_index(g: &Grid, snap: &Snap) {
    let s = snap.csv();
    assert_eq!(
        g.headers,
        ["Customer", "Id", "Open", "Past due", "Items"],
        "{}",
        g.name
    );
    let names = names(s);
    let keys: BTreeMap<String, Vec<Want>> = names
        .iter()
        .map(|(id, name)| {
            let keep = |r: &Row| &r.customer_id == id;
            (
                name.clone(),
                vec![
                    Want::Text(id.clone()),
                    Want::Money(cents(s.total(keep))),
                    Want::Money(cents(s.past_due(keep))),
                    Want::Int(s.rows.iter().filter(|r| keep(r)).count() as i64),
                ],
            )
        })
        .collect();
    // Names may repeat across ids: key the check by id (column 2) instead.
    assert_eq!(
        g.rows.len(),
        names.len(),
        "{}: one row per customer",
        g.name
    );
    let mut seen = BTreeSet::new();
    for row in &g.rows {
        let id = g.text(row, 1);
        assert!(seen.insert(id.clone()), "{}: {id} twice", g.name);
        let name = names
            .get(&id)
            .unwrap_or_else(|| panic!("{}: unknown id {id}", g.name));
        g.check(row, 0, &Want::Text(name.clone()), &id);
        for (i, w) in keys[name].iter().enumerate() {
            g.check(row, i + 1, w, &id);
        }
    }
}

fn check_top_past_due(g: &Grid, snap: &Snap) {
    let s = snap.csv();
    let names = names(s);
    let total_past_due = cents(s.past_due(|_| true));
    let mut order: Vec<(i128, &String)> = names
        .keys()
        .map(|id| (cents(s.past_due(|r| &r.customer_id == id)), id))
        .collect();
    // Largest past due first, then by id.
    order.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    order.truncate(10);
    assert_eq!(g.rows.len(), order.len(), "{}: the top 10", g.name);
    for (row, (past_due, id)) in g.rows.iter().zip(&order) {
        let keep = |r: &Row| &r.customer_id == *id;
        g.check(row, 0, &Want::Text(names[*id].clone()), id);
        g.check(row, 1, &Want::Text((*id).clone()), id);
        g.check(row, 2, &Want::Money(*past_due), id);
        g.check(row, 3, &Want::Money(cents(s.total(keep))), id);
        g.check(row, 4, &Want::Ratio(percent(*past_due, total_past_due)), id);
    }
}

/// lists.html's movers: the 10 customers of the snapshot whose past due
/// grew most since the previous snapshot (growth > 0), ties by id, with
/// the totals of the listed rows.
fn check_movers(g: &Grid, snap: &Snap) {
    let s = snap.csv();
    let p = snap.previous().expect("movers need a previous snapshot");
    let names = names(s);
    let mut growth: Vec<(i128, &String, i128, i128)> = names
        .keys()
        .map(|id| {
            let now = cents(s.past_due(|r| &r.customer_id == id));
            let before = cents(p.past_due(|r| &r.customer_id == id));
            (now - before, id, before, now)
        })
        .filter(|m| m.0 > 0)
        .collect();
    growth.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    growth.truncate(10);
    assert_eq!(g.rows.len(), growth.len(), "{}: the movers", g.name);
    for (row, (change, id, before, now)) in g.rows.iter().zip(&growth) {
        g.check(row, 0, &Want::Text(names[*id].clone()), id);
        g.check(row, 1, &Want::Text((*id).clone()), id);
        g.check(row, 3, &Want::Money(*before), id);
        g.check(row, 4, &Want::Money(*now), id);
        g.check(row, 5, &Want::Money(*change), id);
    }
    if let Some(f) = &g.footer {
        let sum = |k: fn(&(i128, &String, i128, i128)) -> i128| growth.iter().map(k).sum::<i128>();
        g.check(f, 3, &Want::Money(sum(|m| m.2)), "total");
        g.check(f, 4, &Want::Money(sum(|m| m.3)), "total");
        g.check(f, 5, &Want::Money(sum(|m| m.0)), "total");
    } else {
        assert!(growth.is_empty(), "{}: a totals row", g.name);
    }
}

/// lists.html's newly past due: items with open > 0 past due now that the
/// previous snapshot had (same invoice and customer) not yet past due, or
/// did not have; largest open first, ties by invoice id.
fn check_newly_past_due(g: &Grid, snap: &Snap) {
    let s = snap.csv();
    let p = snap
        .previous()
        .expect("newly past due needs a previous snapshot");
    let names = names(s);
    let before: BTreeMap<(&str, &str), &Row> = p
        .rows
        .iter()
        .map(|r| ((r.invoice_id.as_str(), r.customer_id.as_str()), r))
        .collect();
    let mut want: Vec<(&Row, i64, &str)> = s
        .rows
        .iter()
        .filter(|r| r.open > Decimal::ZERO && s.as_of > r.due_date)
        .filter_map(|r| {
            let dpd = (s.as_of - r.due_date).num_days();
            match before.get(&(r.invoice_id.as_str(), r.customer_id.as_str())) {
                None => Some((r, dpd, "not in it (new, already past due)")),
                Some(b) if p.as_of <= b.due_date => Some((r, dpd, "not yet past due")),
                Some(_) => None,
            }
        })
        .collect();
    want.sort_by(|a, b| {
        b.0.open
            .cmp(&a.0.open)
            .then_with(|| a.0.invoice_id.cmp(&b.0.invoice_id))
    });
    assert_eq!(g.rows.len(), want.len(), "{}: the newly past due", g.name);
    for (row, (r, dpd, was)) in g.rows.iter().zip(&want) {
        let key = &r.invoice_id;
        g.check(row, 0, &Want::Text(names[&r.customer_id].clone()), key);
        g.check(row, 1, &Want::Text(r.customer_id.clone()), key);
        g.check(row, 3, &Want::Text(r.invoice_id.clone()), key);
        g.check(row, 5, &Want::Int(*dpd), key);
        g.check(row, 6, &Want::Money(cents(r.open)), key);
        g.check(row, 7, &Want::Text(was.to_string()), key);
    }
    let total: i128 = want.iter().map(|w| cents(w.0.open)).sum();
    match &g.footer {
        Some(f) => g.check(f, 6, &Want::Money(total), "total"),
        None => assert!(want.is_empty(), "{}: a totals row", g.name),
    }
}

/// The customer of a customer page's table: the one whose items it lists,
/// or named "(id)" in its caption.
fn caption_customer(g: &Grid, snap: &Snap) -> String {
    let names = names(snap.csv());
    names
        .keys()
        .find(|id| g.caption.contains(&format!("({id})")))
        .unwrap_or_else(|| panic!("{}: no customer in {:?}", g.name, g.caption))
        .clone()
}

fn check_open_items(g: &Grid, snap: &Snap) {
    let s = snap.csv();
    let id = caption_customer(g, snap);
    let items: BTreeMap<&str, &Row> = s
        .rows
        .iter()
        .filter(|r| r.customer_id == id)
        .map(|r| (r.invoice_id.as_str(), r))
        .collect();
    assert_eq!(
        g.rows.iter().map(|r| g.text(r, 0)).collect::<BTreeSet<_>>(),
        items.keys().map(|k| k.to_string()).collect::<BTreeSet<_>>(),
        "{}: the customer's open items",
        g.name
    );
    assert_eq!(g.rows.len(), items.len(), "{}: an item twice", g.name);
    for row in &g.rows {
        let inv = g.text(row, 0);
        let r = items[inv.as_str()];
        let dpd = (s.as_of - r.due_date).num_days();
        g.check(row, 1, &Want::Text(r.invoice_date.to_string()), &inv);
        g.check(row, 2, &Want::Text(r.due_date.to_string()), &inv);
        g.check(row, 3, &Want::Int(dpd), &inv);
        g.check(
            row,
            4,
            &Want::Text(LABELS[reference::bucket(s.as_of, r.due_date)].into()),
            &inv,
        );
        g.check(row, 5, &Want::Money(cents(r.amount)), &inv);
        g.check(row, 6, &Want::Money(cents(r.open)), &inv);
        g.check(row, 7, &Want::Text(r.status.clone()), &inv);
        g.check(row, 8, &Want::Text(label(&r.collector).into()), &inv);
    }
    let f = g.footer.as_ref().expect("a total row");
    g.check(
        f,
        6,
        &Want::Money(cents(s.total(|r| r.customer_id == id))),
        "Total",
    );
}

fn check_balance_history(g: &Grid, snap: &Snap) {
    let id = caption_customer(g, snap);
    let keys = snap.data.snapshots[..=snap.index]
        .iter()
        .filter(|s| s.rows.iter().any(|r| r.customer_id == id))
        .map(|s| {
            let keep = |r: &Row| r.customer_id == id;
            let oldest = s
                .rows
                .iter()
                .filter(|r| keep(r))
                .map(|r| (s.as_of - r.due_date).num_days())
                .max()
                .unwrap()
                .max(0);
            (
                s.as_of.to_string(),
                vec![
                    Want::Money(cents(s.total(keep))),
                    Want::Money(cents(s.past_due(keep))),
                    Want::Int(oldest),
                ],
            )
        })
        .collect();
    keyed_rows(g, &keys);
}

/// Past due of the previous snapshot restated to the current portfolio
/// (docs/metrics.md "Portfolio transfers").
fn restated_past_due_before(snap: &Snap) -> Option<BTreeMap<String, i128>> {
    let prev = snap.previous()?;
    let cur = snap.csv();
    let holder = holders(cur);
    let mut m = BTreeMap::new();
    for r in prev
        .rows
        .iter()
        .filter(|r| reference::bucket(prev.as_of, r.due_date) > 0)
    {
        let who = cur
            .collector_of(&r.invoice_id)
            .or(holder.get(&r.customer_id).map(String::as_str))
            .unwrap_or(&r.collector);
        *m.entry(who.to_string()).or_default() += cents(r.open);
    }
    Some(m)
}

/// Payments (or another kind of row) of the period restated to the
/// current portfolio.
fn collected_by_collector(snap: &Snap) -> BTreeMap<String, i128> {
    restated(snap, "payment")
}

fn restated(snap: &Snap, kind: &str) -> BTreeMap<String, i128> {
    let key = (snap.index, kind.to_string());
    if let Some(m) = snap.data.restated.borrow().get(&key) {
        return m.clone();
    }
    let m = restate(snap, kind);
    snap.data.restated.borrow_mut().insert(key, m.clone());
    m
}

fn restate(snap: &Snap, kind: &str) -> BTreeMap<String, i128> {
    let cur = snap.csv();
    let holder = holders(cur);
    let mut m = BTreeMap::new();
    for a in snap.in_period(kind) {
        let who = cur
            .collector_of(&a.invoice_id)
            .or(holder.get(&a.customer_id).map(String::as_str))
            .or(snap.previous().and_then(|p| p.collector_of(&a.invoice_id)))
            .or((!a.collector.is_empty()).then_some(a.collector.as_str()))
            .or(snap
                .data
                .master
                .get(&a.customer_id)
                .map(|m| m.collector.as_str()))
            .unwrap_or("");
        *m.entry(who.to_string()).or_default() += cents(a.amount);
    }
    m
}

/// Contacts of the period by the row's collector, else its invoice's, else
/// the master's.
fn contacts_by_collector(snap: &Snap) -> BTreeMap<String, i64> {
    let mut m = BTreeMap::new();
    for a in snap.in_period("contact") {
        let who = Some(a.collector.as_str())
            .filter(|c| !c.is_empty())
            .or(snap.csv().collector_of(&a.invoice_id))
            .or(snap.previous().and_then(|p| p.collector_of(&a.invoice_id)))
            .or(snap
                .data
                .master
                .get(&a.customer_id)
                .map(|m| m.collector.as_str()))
            .unwrap_or("");
        *m.entry(who.to_string()).or_default() += 1;
    }
    m
}

fn check_scorecard(g: &Grid, snap: &Snap) {
    let s = snap.csv();
    let col = |h: &str| {
        g.headers
            .iter()
            .position(|x| x == h)
            .unwrap_or_else(|| panic!("{}: no column {h}", g.name))
    };
    let before = restated_past_due_before(snap);
    let collected = collected_by_collector(snap);
    let contacts = contacts_by_collector(snap);
    let known: BTreeSet<String> = s.collectors().into_iter().collect();
    let mut shown = BTreeSet::new();
    for row in &g.rows {
        let name = g.text(row, col("Collector"));
        let c = if name == "(unassigned)" {
            String::new()
        } else {
            name.clone()
        };
        shown.insert(c.clone());
        let mine = snap.rows(|r| r.collector == c);
        let ar: i128 = mine.iter().map(|r| cents(r.open)).sum();
        let current: i128 = mine
            .iter()
            .filter(|r| reference::bucket(s.as_of, r.due_date) == 0)
            .map(|r| cents(r.open))
            .sum();
        let over90: i128 = mine
            .iter()
            .filter(|r| (s.as_of - r.due_date).num_days() > 90)
            .map(|r| cents(r.open))
            .sum();
        let customers: BTreeSet<&str> = mine.iter().map(|r| r.customer_id.as_str()).collect();
        let past_due = ar - current;
        g.check(row, col("Open AR"), &Want::Money(ar), &name);
        g.check(row, col("Items"), &Want::Int(mine.len() as i64), &name);
        g.check(
            row,
            col("Customers"),
            &Want::Int(customers.len() as i64),
            &name,
        );
        g.check(
            row,
            col("% current"),
            &Want::Ratio(percent(current, ar)),
            &name,
        );
        g.check(
            row,
            col("% over 90"),
            &Want::Ratio(percent(over90, ar)),
            &name,
        );
        g.check(row, col("Past due"), &Want::Money(past_due), &name);
        let change = before
            .as_ref()
            .map(|b| past_due - b.get(&c).copied().unwrap_or(0));
        g.check(row, col("Past-due change"), &Want::OptMoney(change), &name);
        g.check(
            row,
            col("Collected"),
            &Want::Money(collected.get(&c).copied().unwrap_or(0)),
            &name,
        );
        g.check(
            row,
            col("Weighted dpd (per unit of debit AR)"),
            &Want::Ratio(weighted_dpd(s.as_of, &mine).0),
            &name,
        );
        g.check(
            row,
            col("Contacts"),
            &Want::Int(contacts.get(&c).copied().unwrap_or(0)),
            &name,
        );
    }
    if g.id == "scorecard" {
        assert!(
            known.is_subset(&shown),
            "{}: every collector with open items has a row ({known:?} ⊄ {shown:?})",
            g.name
        );
    } else {
        assert_eq!(g.rows.len(), 1, "{}: one row", g.name);
    }
}

/// Configured (countback) DSO, BPDSO and ADD of a selection.
fn dso_triple(
    snap: &Snap,
    keep: impl Fn(&Row) -> bool + Copy,
    division: Option<&str>,
) -> [Option<Decimal>; 3] {
    let s = snap.csv();
    let months = snap.data.ledger.months_back(s.as_of, division);
    let ar = cents(s.total(keep));
    let current = cents(s.buckets(keep)[0]);
    let dso = countback(ar, &months);
    let bpdso = countback(current, &months);
    let add = match (dso, bpdso) {
        (Some(a), Some(b)) => Some(a - b),
        _ => None,
    };
    [dso, bpdso, add]
}

fn check_dso(g: &Grid, snap: &Snap) {
    let s = snap.csv();
    let months = snap.data.ledger.months_back(s.as_of, None);
    let ar = cents(s.total(|_| true));
    match g.id.as_str() {
        "dso-methods" => {
            let all = snap.rows(|_| true);
            let want = [
                ("Countback", countback(ar, &months)),
                ("Standard", standard(ar, &months)),
                ("True", true_dso(s.as_of, &all, &months)),
            ];
            assert_eq!(g.rows.len(), want.len(), "{}", g.name);
            for (row, (method, days)) in g.rows.iter().zip(want) {
                assert_eq!(g.text(row, 0), method, "{}", g.name);
                g.check(row, 1, &Want::Days(days), method);
            }
        }
        "dso-months" => {
            let n = months_listed(&s.rows, &months);
            assert_eq!(g.rows.len(), n, "{}: months listed", g.name);
            for (row, (m, days, sales)) in g.rows.iter().zip(&months) {
                let key = format!("{}-{:02}", m.0, m.1);
                g.check(row, 0, &Want::Text(key.clone()), &key);
                g.check(row, 1, &Want::Int(*days as i64), &key);
                g.check(row, 2, &Want::Money(*sales), &key);
            }
        }
        "dso-by-division" => {
            let divs: BTreeSet<&str> = s.rows.iter().map(|r| r.division.as_str()).collect();
            let keys = divs
                .into_iter()
                .map(|d| {
                    let [dso, bpdso, add] = dso_triple(snap, |r| r.division == d, Some(d));
                    (
                        label(d).to_string(),
                        vec![Want::Days(dso), Want::Days(bpdso), Want::Ratio(add)],
                    )
                })
                .collect();
            keyed_rows(g, &keys);
        }
        "dso-trend" => {
            let keys = (0..=snap.index)
                .map(|i| {
                    let at = Snap {
                        data: snap.data,
                        index: i,
                    };
                    let [dso, bpdso, add] = dso_triple(&at, |_| true, None);
                    (
                        at.as_of().to_string(),
                        vec![
                            Want::Ratio(dso),
                            Want::Ratio(bpdso),
                            Want::Ratio(add),
                            Want::Ratio(None),
                        ],
                    )
                })
                .collect();
            keyed_rows(g, &keys);
        }
        other => unreachable!("{other}"),
    }
}

/// (beginning as of, beginning, sales, ending, ending current, CEI) of the
/// period CEI and the rolling 3-month CEI.
type CeiRow = (NaiveDate, i128, i128, i128, i128, Option<Decimal>);

fn cei_rows(snap: &Snap) -> (Option<CeiRow>, Option<CeiRow>) {
    let s = snap.csv();
    let e = cents(s.total(|_| true));
    let ec = cents(s.buckets(|_| true)[0]);
    let period = snap.previous().and_then(|p| {
        let b = cents(p.total(|_| true));
        let sales = snap.data.ledger.between(p.as_of, s.as_of)?;
        let den = b + sales - ec;
        Some((
            p.as_of,
            b,
            sales,
            e,
            ec,
            (den > 0).then(|| round2((b + sales - e) * 100, den)),
        ))
    });
    // Anchor: the month-end three months back.
    let anchor = (s.as_of.with_day(1).unwrap() - chrono::Months::new(2))
        .pred_opt()
        .unwrap();
    let rolling = snap
        .data
        .snapshots
        .iter()
        .find(|x| x.as_of == anchor)
        .and_then(|a| {
            let b = cents(a.total(|_| true));
            let sales = snap.data.ledger.between(anchor, s.as_of)?;
            let den = 3 * b + sales - 3 * ec;
            Some((
                anchor,
                b,
                sales,
                e,
                ec,
                (den > 0).then(|| round2((3 * b + sales - 3 * e) * 100, den)),
            ))
        });
    (period, rolling)
}

fn check_cei(g: &Grid, snap: &Snap) {
    let (period, rolling) = cei_rows(snap);
    let mut want: Vec<(&str, CeiRow)> = Vec::new();
    want.extend(period.map(|p| ("Period", p)));
    want.extend(rolling.map(|r| ("Rolling", r)));
    assert_eq!(g.rows.len(), want.len(), "{}: CEI rows", g.name);
    for (row, (kind, (at, b, sales, e, ec, cei))) in g.rows.iter().zip(want) {
        assert!(g.text(row, 0).starts_with(kind), "{}: {kind} row", g.name);
        g.check(row, 1, &Want::Text(at.to_string()), kind);
        g.check(row, 2, &Want::Money(b), kind);
        g.check(row, 3, &Want::Money(sales), kind);
        g.check(row, 4, &Want::Money(e), kind);
        g.check(row, 5, &Want::Money(ec), kind);
        g.check(row, 6, &Want::Ratio(cei), kind);
    }
}

/// A collector page's trend: open AR, past due and collected (restated to
/// each snapshot's own portfolio) at every snapshot up to this one.
fn check_collector_trend(g: &Grid, snap: &Snap) {
    let collector = s_collector_in_caption(g, snap);
    assert_eq!(
        g.headers,
        ["Snapshot", "Open AR", "Past due", "Collected", "CEI %"],
        "{}",
        g.name
    );
    // A snapshot is listed when the collector has a scorecard line in it:
    // always when it holds items then (other reasons — promises, disputes,
    // derived sales — are not modelled here, so further rows are allowed).
    let mut must: BTreeSet<String> = BTreeSet::new();
    let mut want: BTreeMap<String, Vec<Want>> = BTreeMap::new();
    for i in 0..=snap.index {
        let at = Snap {
            data: snap.data,
            index: i,
        };
        let s = at.csv();
        let keep = |r: &Row| r.collector == collector;
        if s.rows.iter().any(keep) {
            must.insert(s.as_of.to_string());
        }
        let collected = collected_by_collector(&at).get(&collector).copied();
        want.insert(
            s.as_of.to_string(),
            vec![
                Want::Money(cents(s.total(keep))),
                Want::Money(cents(s.past_due(keep))),
                Want::Money(collected.unwrap_or(0)),
            ],
        );
    }
    let shown: BTreeSet<String> = g.rows.iter().map(|r| g.text(r, 0)).collect();
    assert!(
        must.is_subset(&shown),
        "{}: snapshots {must:?} ⊄ {shown:?}",
        g.name
    );
    assert_eq!(shown.len(), g.rows.len(), "{}: a snapshot twice", g.name);
    for row in &g.rows {
        let key = g.text(row, 0);
        let cells = want
            .get(&key)
            .unwrap_or_else(|| panic!("{}: unknown snapshot {key}", g.name));
        for (i, w) in cells.iter().enumerate() {
            g.check(row, i + 1, w, &key);
        }
    }
}

/// The collector a collector page's table names in its caption.
fn s_collector_in_caption(g: &Grid, snap: &Snap) -> String {
    let mut names: BTreeSet<String> = BTreeSet::new();
    for s in &snap.data.snapshots[..=snap.index] {
        names.extend(s.collectors());
    }
    names
        .into_iter()
        .filter(|c| g.caption.contains(label(c)))
        .max_by_key(|c| c.len())
        .unwrap_or_else(|| panic!("{}: no collector named in {:?}", g.name, g.caption))
}

fn check_allowance(g: &Grid, snap: &Snap) {
    let s = snap.csv();
    assert_eq!(
        g.headers,
        [
            "Bucket",
            "Open (net)",
            "Debit balances",
            "Reserve %",
            "Reserve"
        ],
        "{}",
        g.name
    );
    assert_eq!(g.rows.len(), 6, "{}", g.name);
    let open = s.buckets(|_| true);
    let debit = reference::debit_balances(s, |_| true);
    let mut total = 0;
    for (i, row) in g.rows.iter().enumerate() {
        let r = reference::reserve(debit[i], reference::RESERVE_PERCENT[i]);
        total += r;
        assert_eq!(g.text(row, 0), LABELS[i], "{}", g.name);
        g.check(row, 1, &Want::Money(cents(open[i])), LABELS[i]);
        g.check(row, 2, &Want::Money(debit[i]), LABELS[i]);
        g.check(
            row,
            3,
            &Want::Ratio(Some(Decimal::from(reference::RESERVE_PERCENT[i] as i64))),
            LABELS[i],
        );
        g.check(row, 4, &Want::Money(r), LABELS[i]);
    }
    let f = g.footer.as_ref().expect("a total row");
    let debits: i128 = debit.iter().sum();
    g.check(f, 1, &Want::Money(cents(s.total(|_| true))), "Total");
    g.check(f, 2, &Want::Money(debits), "Total");
    g.check(f, 3, &Want::Ratio(percent(total, debits)), "Total");
    g.check(f, 4, &Want::Money(total), "Total");
}

/// The allowance: Σ of the rounded bucket reserves.
fn allowance(s: &SnapshotCsv) -> i128 {
    let debit = reference::debit_balances(s, |_| true);
    (0..6)
        .map(|i| reference::reserve(debit[i], reference::RESERVE_PERCENT[i]))
        .sum()
}

fn check_allowance_by_division(g: &Grid, snap: &Snap) {
    let s = snap.csv();
    let divs: Vec<&str> = s
        .rows
        .iter()
        .map(|r| r.division.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let debit = reference::debit_balances(s, |_| true);
    let mut share = vec![0i128; divs.len()];
    for (b, &d) in debit.iter().enumerate() {
        let r = reference::reserve(d, reference::RESERVE_PERCENT[b]);
        let weights: Vec<i128> = divs
            .iter()
            .map(|d| reference::debit_balances(s, |x| x.division == *d)[b])
            .collect();
        for (i, v) in reference::largest_remainder(r, &weights)
            .into_iter()
            .enumerate()
        {
            share[i] += v;
        }
    }
    let keys = divs
        .iter()
        .zip(&share)
        .map(|(d, v)| (label(d).to_string(), vec![Want::Money(*v)]))
        .collect();
    keyed_rows(g, &keys);
    let f = g.footer.as_ref().expect("a total row");
    g.check(f, 1, &Want::Money(allowance(s)), "Total");
}

/// Credit sales of the period (the first snapshot's: its month).
fn period_sales(snap: &Snap) -> Option<i128> {
    let s = snap.csv();
    match snap.previous() {
        Some(p) => snap.data.ledger.between(p.as_of, s.as_of),
        None => snap
            .data
            .ledger
            .total
            .get(&reference::month_of(s.as_of))
            .copied(),
    }
}

fn check_write_offs_by_period(g: &Grid, snap: &Snap) {
    let keys = (0..=snap.index)
        .map(|i| {
            let at = Snap {
                data: snap.data,
                index: i,
            };
            let wo: i128 = at.in_period("write_off").map(|a| cents(a.amount)).sum();
            let sales = period_sales(&at).filter(|s| *s != 0);
            (
                at.as_of().to_string(),
                vec![
                    Want::Money(wo),
                    Want::Ratio(sales.map(|s| round2(wo * 100, s))),
                    Want::Ratio(sales.map(|s| round2(wo * 10_000, s))),
                ],
            )
        })
        .collect();
    keyed_rows(g, &keys);
}

/// Write-offs of the period by division (the invoice's, current snapshot
/// then previous, else the master's) or by collector (restated).
fn check_write_offs_by(g: &Grid, snap: &Snap) {
    let by: BTreeMap<String, i128> = if g.id == "write-offs-by-collector" {
        restated(snap, "write_off")
    } else {
        let mut m = BTreeMap::new();
        let division_of = |s: &SnapshotCsv, inv: &str| {
            s.rows
                .iter()
                .find(|r| r.invoice_id == inv)
                .map(|r| r.division.clone())
        };
        for a in snap.in_period("write_off") {
            let d = division_of(snap.csv(), &a.invoice_id)
                .or(snap.previous().and_then(|p| division_of(p, &a.invoice_id)))
                .or(snap
                    .data
                    .master
                    .get(&a.customer_id)
                    .map(|m| m.division.clone()))
                .unwrap_or_default();
            *m.entry(d).or_default() += cents(a.amount);
        }
        m
    };
    let keys = by
        .iter()
        .map(|(k, v)| (label(k).to_string(), vec![Want::Money(*v)]))
        .collect();
    keyed_rows(g, &keys);
    assert!(g.footer.is_none(), "{}: no total row", g.name);
}

/// Dispatches a table to its reader check; false when none applies.
fn check_against_reader(g: &Grid, snap: &Snap) -> bool {
    match g.id.as_str() {
        "aging-total" => check_aging_total(g, snap),
        "aging-by-division" | "aging-by-collector" | "aging-by-customer" => {
            check_aging_table(g, snap)
        }
        "aging-trend" => check_trend(g, snap),
        "collector-customers" => check_collector_customers(g, snap),
        "customers" => check_customers_index(g, snap),
        "top-past-due" => check_top_past_due(g, snap),
        "movers" => check_movers(g, snap),
        "newly-past-due" => check_newly_past_due(g, snap),
        "open-items" => check_open_items(g, snap),
        "balance-history" => check_balance_history(g, snap),
        "scorecard" | "collector-score" => check_scorecard(g, snap),
        "dso-methods" | "dso-months" | "dso-by-division" | "dso-trend" => check_dso(g, snap),
        "cei" => check_cei(g, snap),
        "collector-trend" => check_collector_trend(g, snap),
        "allowance" => check_allowance(g, snap),
        "allowance-by-division" => check_allowance_by_division(g, snap),
        "write-offs-by-period" => check_write_offs_by_period(g, snap),
        "write-offs-by-division" | "write-offs-by-collector" => check_write_offs_by(g, snap),
        _ => return false,
    }
    true
}

/// The overview's headline tiles against the reader.
fn check_tiles(site: &Path, snap: &Snap) {
    let page = site.join(snap.as_of().to_string()).join("index.html");
    let tiles = tables::tiles(&page);
    let s = snap.csv();
    let get = |label: &str| {
        tiles
            .iter()
            .find(|t| t.0 == label)
            .unwrap_or_else(|| panic!("{}: no tile {label:?} in {tiles:?}", page.display()))
    };
    let ar = cents(s.total(|_| true));
    let pd = cents(s.past_due(|_| true));
    let prev = snap.previous();
    let prev_snap = prev.map(|_| Snap {
        data: snap.data,
        index: snap.index - 1,
    });
    let name = format!("{}: tile", page.display());

    let t = get("Total AR");
    tables::money_text(&t.1, ar, " EUR", &format!("{name} Total AR"));
    if let Some(p) = prev {
        tables::change_text(
            &t.2,
            Some(Decimal::from_i128_with_scale(
                ar - cents(p.total(|_| true)),
                2,
            )),
            true,
            "",
            &format!("{name} Total AR change"),
        );
    }
    let t = get("% past due");
    let pct = percent(pd, ar);
    tables::ratio_text(&t.1, pct, " %", &format!("{name} % past due"));
    if let Some(p) = prev {
        let before = percent(cents(p.past_due(|_| true)), cents(p.total(|_| true)));
        tables::change_text(
            &t.2,
            diff(pct, before),
            false,
            " points",
            &format!("{name} % past due change"),
        );
    }
    let [dso, bpdso, add] = dso_triple(snap, |_| true, None);
    let before = prev_snap.as_ref().map(|p| dso_triple(p, |_| true, None));
    for (i, (label, v)) in [
        ("DSO (countback)", dso),
        ("BPDSO", bpdso),
        ("ADD (DSO − BPDSO)", add),
    ]
    .into_iter()
    .enumerate()
    {
        let t = get(label);
        if v.is_some() || i > 0 {
            tables::ratio_text(&t.1, v, " days", &format!("{name} {label}"));
        }
        if let Some(b) = &before {
            tables::change_text(
                &t.2,
                diff(v, b[i]),
                false,
                " days",
                &format!("{name} {label} change"),
            );
        }
    }
    let (period, rolling) = cei_rows(snap);
    let cei = period.and_then(|p| p.5);
    let t = get("CEI (period)");
    tables::ratio_text(&t.1, cei, " %", &format!("{name} CEI (period)"));
    if let Some(p) = &prev_snap {
        tables::change_text(
            &t.2,
            diff(cei, cei_rows(p).0.and_then(|x| x.5)),
            false,
            " points",
            &format!("{name} CEI change"),
        );
    }
    let t = get("CEI (rolling 3 months)");
    match rolling {
        Some(r) => tables::ratio_text(&t.1, r.5, " %", &format!("{name} CEI (rolling)")),
        None => assert!(
            !t.1.ends_with('%'),
            "{name} CEI (rolling): shows {:?} without its beginning snapshot",
            t.1
        ),
    }
    let t = get("Allowance (aging method)");
    tables::money_text(&t.1, allowance(s), " EUR", &format!("{name} allowance"));
    if let Some(p) = prev {
        let d = Decimal::from_i128_with_scale(allowance(s) - allowance(p), 2);
        tables::change_text(&t.2, Some(d), true, "", &format!("{name} allowance change"));
    }
    let payments: i128 = snap.in_period("payment").map(|a| cents(a.amount)).sum();
    let t = get("Collections in period (payments)");
    tables::money_text(&t.1, payments, " EUR", &format!("{name} collections"));
    let write_offs: i128 = snap.in_period("write_off").map(|a| cents(a.amount)).sum();
    let t = get("Write-offs in period");
    tables::money_text(&t.1, write_offs, " EUR", &format!("{name} write-offs"));

    // Roll-forward: beginning + sales − collections − credits − write-offs.
    let t = get("Roll-forward residual");
    match (prev, period_sales(snap)) {
        (Some(p), Some(sales)) => {
            let credits: i128 = snap.in_period("credit_memo").map(|a| cents(a.amount)).sum();
            let expected = cents(p.total(|_| true)) + sales - payments - credits - write_offs;
            tables::money_text(
                &t.1,
                ar - expected,
                " EUR",
                &format!("{name} roll-forward residual"),
            );
        }
        _ => assert_eq!(t.1, "not available", "{name} roll-forward residual"),
    }

    // The aging page's weighted days past due.
    let (per_unit, per_past_due) = weighted_dpd(s.as_of, &snap.rows(|_| true));
    let aging = tables::lede(&site.join(s.as_of.to_string()).join("aging.html"));
    for (v, what) in [
        (per_unit, "per unit of AR"),
        (per_past_due, "per past-due unit"),
    ] {
        let v = v.map_or("—".to_string(), |v| format!("{v:.2}"));
        assert!(
            aging.contains(&format!(" {v} {what}")),
            "aging.html lede: {v} {what} in {aging:?}"
        );
    }
}

fn diff(a: Option<Decimal>, b: Option<Decimal>) -> Option<Decimal> {
    Some(a? - b?)
}

/// A customer page's summary tiles.
fn check_customer_tiles(page: &Path, snap: &Snap, id: &str) {
    let tiles = tables::tiles(page);
    let s = snap.csv();
    let keep = |r: &Row| r.customer_id == id;
    let name = format!("{}: tile", page.display());
    let get = |label: &str| {
        tiles
            .iter()
            .find(|t| t.0 == label)
            .unwrap_or_else(|| panic!("{name} {label}"))
    };
    tables::money_text(
        &get("Open balance").1,
        cents(s.total(keep)),
        " EUR",
        &format!("{name} Open balance"),
    );
    tables::money_text(
        &get("Past due").1,
        cents(s.past_due(keep)),
        " EUR",
        &format!("{name} Past due"),
    );
    // Open balance / the master's credit limit (none when the limit is 0);
    // no tile for a customer without a limit.
    match snap.data.master.get(id).and_then(|m| m.credit_limit) {
        Some(l) => {
            let used = (l > 0).then(|| round2(cents(s.total(keep)) * 100, l));
            tables::ratio_text(
                &get("Credit limit used").1,
                used,
                " %",
                &format!("{name} Credit limit used"),
            );
        }
        None => assert!(
            tiles.iter().all(|t| t.0 != "Credit limit used"),
            "{name}: a credit limit tile without a limit"
        ),
    }
}

/// Checks every snapshot in `which` of a built site.
fn check_site(data_dir: &Path, site: &Path, which: &[usize]) {
    let data = Data::read(data_dir);
    let mut met = BTreeSet::new();
    for &index in which {
        let snap = Snap { data: &data, index };
        let dir = site.join(snap.as_of().to_string());
        let grids = check_formats(&dir);
        for grid in &grids {
            if check_against_reader(grid, &snap) {
                met.insert(grid.id.clone());
            }
        }
        check_tiles(site, &snap);
        // Every customer has a page, and its tiles agree.
        let pages = tables::customer_pages(&dir);
        let ids: BTreeSet<String> = snap
            .csv()
            .rows
            .iter()
            .map(|r| r.customer_id.clone())
            .collect();
        assert_eq!(
            pages.keys().cloned().collect::<BTreeSet<_>>(),
            ids,
            "{}: one page per customer",
            dir.display()
        );
        for (id, page) in &pages {
            check_customer_tiles(page, &snap, id);
        }
    }
    let missing: Vec<&&str> = CHECKED.iter().filter(|id| !met.contains(**id)).collect();
    assert!(
        missing.is_empty(),
        "tables never met (renamed?): {missing:?}"
    );
}

/// What the simulated company never has, added to its last two snapshots:
/// credit items (a past-due credit memo netting against its customer's
/// invoices, a current one), and customers unknown to `customers.csv`
/// with neither division nor collector: one whose credit outweighs its
/// invoice in the same bucket (no debit balance: no reserve) and whose
/// name holds a comma and quotes, one named like a formula.
fn add_edge_rows(data: &Path) {
    // A name with a comma and quotes (written as CSV: quoted, quotes doubled).
    const UNASSIGNED: &str = "\"Unassigned, \"\"Quoted\"\" Ltd\"";
    let files = snapshot_files(data);
    for f in &files[files.len() - 2..] {
        let as_of = SnapshotCsv::read(f).as_of;
        let text = std::fs::read_to_string(f).unwrap();
        assert!(text.starts_with(
            "invoice_id,customer_id,customer_name,invoice_date,due_date,amount,open_amount,currency,division,collector,status\n"
        ));
        // C00001's own division and collector, from its first row.
        let first = text.lines().find(|l| l.contains(",C00001,")).unwrap();
        let fields: Vec<&str> = first.split(',').collect();
        let (name, division, collector) = (
            fields[2].to_string(),
            fields[8].to_string(),
            fields[9].to_string(),
        );
        let (name, division, collector) = (name.as_str(), division.as_str(), collector.as_str());
        let day = |d: i64| as_of + chrono::Duration::days(d);
        let mut text = text.clone();
        for (id, customer, who, invoiced, due, amount, div, coll, status) in [
            (
                "X-CR1", "C00001", name, -75, -45, "-500.00", division, collector, "open",
            ),
            (
                "X-CR2", "C00001", name, -5, 25, "-10.01", division, collector, "open",
            ),
            (
                "X-U1", "ZZ01", UNASSIGNED, -130, -100, "1234.56", "", "", "disputed",
            ),
            (
                "X-U2", "ZZ01", UNASSIGNED, -130, -100, "-2000.00", "", "", "open",
            ),
            ("X-F1", "ZZ02", "=SUM(A1)", -3, 27, "99.99", "", "", "open"),
        ] {
            text.push_str(&format!(
                "{id}-{as_of},{customer},{who},{},{},{amount},{amount},EUR,{div},{coll},{status}\n",
                day(invoiced),
                day(due)
            ));
        }
        std::fs::write(f, text).unwrap();
    }
}

#[test]
fn generated_company_pages_csvs_and_workbook_match_the_reader() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    arsite::sample::write_sample(
        &arsite::sample::SampleOptions {
            seed: 2121,
            customers: 24,
            months: 4,
            divisions: 2,
            collectors: 3,
            ..Default::default()
        },
        &data,
    )
    .unwrap();
    add_edge_rows(&data);
    let site = tmp.path().join("site");
    arsite::site::build(&arsite::site::BuildOptions::new(data.clone(), site.clone())).unwrap();
    let n = snapshot_files(&data).len();
    assert_eq!(n, 4);
    check_site(&data, &site, &(0..n).collect::<Vec<_>>());
}

/// The committed sample data's newest snapshot, built with the three
/// snapshots before it (enough for its previous snapshot and its rolling
/// CEI's beginning, three months back) to keep the build short; sales,
/// activity and customers are the whole files.
#[test]
fn sample_datas_newest_snapshot_matches_the_reader() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir_all(data.join("snapshots")).unwrap();
    let sample = arsite_e2e::sample_data();
    for f in ["arsite.toml", "sales.csv", "activity.csv", "customers.csv"] {
        std::fs::copy(sample.join(f), data.join(f)).unwrap();
    }
    let files = snapshot_files(&sample);
    assert!(files.len() >= 4, "the sample has a year of month-ends");
    for f in &files[files.len() - 4..] {
        std::fs::copy(f, data.join("snapshots").join(f.file_name().unwrap())).unwrap();
    }
    let site = tmp.path().join("site");
    arsite::site::build(&arsite::site::BuildOptions::new(data.clone(), site.clone())).unwrap();
    check_site(&data, &site, &[3]);
}

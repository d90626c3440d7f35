//! End-to-end checks of written samples. The files are parsed back here
//! independently of the generator's own types, the way an importer would.

use super::calendar::Calendar;
use super::company::{Company, Habit};
use super::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const SNAPSHOT_HEADER: &str =
    "invoice_id,customer_id,customer_name,invoice_date,due_date,amount,open_amount,currency,division,collector,status";
const ACTIVITY_TYPES: [&str; 9] = [
    "payment",
    "credit_memo",
    "write_off",
    "recovery",
    "placement",
    "promise",
    "dispute_opened",
    "dispute_resolved",
    "contact",
];
const STATUSES: [&str; 5] = ["open", "disputed", "promised", "agency", "legal"];

/// Strict parser: optional `-`, digits, `.`, exactly two digits.
fn cents(text: &str) -> i64 {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (units, fraction) = body.split_once('.').expect("a decimal point");
    assert!(
        !units.is_empty() && units.bytes().all(|b| b.is_ascii_digit()),
        "{text}"
    );
    assert!(
        fraction.len() == 2 && fraction.bytes().all(|b| b.is_ascii_digit()),
        "{text}"
    );
    let value = units.parse::<i64>().unwrap() * 100 + fraction.parse::<i64>().unwrap();
    if negative {
        assert!(value != 0, "negative zero: {text}");
        -value
    } else {
        value
    }
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_else(|_| panic!("bad date {text}"))
}

fn records(path: &Path) -> (String, Vec<csv::StringRecord>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .collect::<Vec<_>>()
        .join(",");
    let rows = reader.records().map(Result::unwrap).collect();
    (header, rows)
}

#[derive(Debug)]
struct Item {
    id: String,
    customer: String,
    name: String,
    invoice_date: NaiveDate,
    due_date: NaiveDate,
    amount: i64,
    open: i64,
    currency: String,
    division: String,
    collector: String,
    status: String,
}

fn read_snapshot(path: &Path) -> Vec<Item> {
    let (header, rows) = records(path);
    assert_eq!(header, SNAPSHOT_HEADER);
    rows.iter()
        .map(|r| Item {
            id: r[0].to_string(),
            customer: r[1].to_string(),
            name: r[2].to_string(),
            invoice_date: date(&r[3]),
            due_date: date(&r[4]),
            amount: cents(&r[5]),
            open: cents(&r[6]),
            currency: r[7].to_string(),
            division: r[8].to_string(),
            collector: r[9].to_string(),
            status: r[10].to_string(),
        })
        .collect()
}

/// Snapshot files by date, oldest first.
fn snapshots(dir: &Path) -> Vec<(NaiveDate, Vec<Item>)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("snapshots"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let stem = p.file_stem().unwrap().to_str().unwrap();
            (date(stem), read_snapshot(p))
        })
        .collect()
}

struct Flow {
    date: NaiveDate,
    kind: String,
    customer: String,
    doc: String,
    amount: i64,
    reference: String,
}

fn activity(dir: &Path) -> Vec<Flow> {
    let (header, rows) = records(&dir.join("activity.csv"));
    assert_eq!(
        header,
        "date,type,customer_id,invoice_id,amount,collector,reference,note"
    );
    rows.iter()
        .map(|r| Flow {
            date: date(&r[0]),
            kind: r[1].to_string(),
            customer: r[2].to_string(),
            doc: r[3].to_string(),
            amount: cents(&r[4]),
            reference: r[6].to_string(),
        })
        .collect()
}

/// `YYYY-MM` → division → amount.
fn sales(dir: &Path) -> BTreeMap<String, BTreeMap<String, i64>> {
    let (header, rows) = records(&dir.join("sales.csv"));
    assert_eq!(header, "period,division,amount");
    let mut out: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    for r in &rows {
        let previous = out
            .entry(r[0].to_string())
            .or_default()
            .insert(r[1].to_string(), cents(&r[2]));
        assert!(previous.is_none(), "duplicate sales row {r:?}");
    }
    out
}

fn generate(opts: &SampleOptions) -> (tempfile::TempDir, SampleSummary) {
    let dir = tempfile::tempdir().unwrap();
    let summary = write_sample(opts, dir.path()).unwrap();
    (dir, summary)
}

fn small_options() -> SampleOptions {
    SampleOptions {
        seed: 7,
        customers: 60,
        months: 5,
        divisions: 2,
        collectors: 1,
        last_snapshot: NaiveDate::from_ymd_opt(2027, 3, 15).unwrap(),
        title: "Quote \"test\" & co".to_string(),
        currency: "USD".to_string(),
        ..SampleOptions::default()
    }
}

fn all_files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    out
}

#[test]
fn same_options_give_identical_bytes() {
    let opts = SampleOptions::default();
    let (a, summary_a) = generate(&opts);
    let (b, summary_b) = generate(&opts);
    assert_eq!(summary_a, summary_b);
    let (files_a, files_b) = (all_files(a.path()), all_files(b.path()));
    assert_eq!(
        files_a.keys().collect::<Vec<_>>(),
        files_b.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &files_a {
        assert!(bytes == &files_b[name], "{} differs", name.display());
    }
    let other = SampleOptions { seed: 43, ..opts };
    let (c, _) = generate(&other);
    assert_ne!(files_a, all_files(c.path()), "the seed must matter");
}

/// AR(cur) = AR(prev) + invoices − payments − credit memos − write-offs.
fn assert_rolls_forward(dir: &Path) {
    let snaps = snapshots(dir);
    let flows = activity(dir);
    let sales = sales(dir);
    let ar = |items: &[Item]| items.iter().map(|i| i.open).sum::<i64>();
    for pair in snaps.windows(2) {
        let ((prev, prev_items), (cur, cur_items)) = (&pair[0], &pair[1]);
        let in_window = |d: NaiveDate| *prev < d && d <= *cur;
        let period = |d: &NaiveDate| d.format("%Y-%m").to_string();
        let invoiced: i64 = sales
            .iter()
            .filter(|(p, _)| **p > period(prev) && **p <= period(cur))
            .flat_map(|(_, by_division)| by_division.values())
            .sum();
        let mut reductions = 0;
        for f in flows.iter().filter(|f| in_window(f.date)) {
            if matches!(f.kind.as_str(), "payment" | "credit_memo" | "write_off") {
                reductions += f.amount;
            }
        }
        assert_eq!(
            ar(cur_items),
            ar(prev_items) + invoiced - reductions,
            "roll-forward {prev} → {cur}"
        );
    }
}

#[test]
fn snapshots_roll_forward_exactly() {
    let (dir, _) = generate(&SampleOptions::default());
    assert_rolls_forward(dir.path());
    let (dir, summary) = generate(&small_options());
    assert_eq!(summary.snapshots, 5);
    assert_rolls_forward(dir.path());
}

fn assert_documents_consistent(dir: &Path, currency: &str) {
    let (_, customers) = records(&dir.join("customers.csv"));
    let roster: BTreeMap<String, (String, String)> = customers
        .iter()
        .map(|r| (r[0].to_string(), (r[1].to_string(), r[2].to_string())))
        .collect();
    let snaps = snapshots(dir);
    let last_date = snaps.last().unwrap().0;
    // Facts about a document that must not change between snapshots.
    let mut known: BTreeMap<String, (String, NaiveDate, i64, i64)> = BTreeMap::new();
    for (day, items) in &snaps {
        let mut previous: Option<(&str, &str)> = None;
        for item in items {
            let key = (item.customer.as_str(), item.id.as_str());
            assert!(previous < Some(key), "not sorted at {key:?} on {day}");
            previous = Some(key);
            assert!(item.open != 0, "{item:?}");
            assert_eq!(item.open.signum(), item.amount.signum(), "{item:?}");
            assert!(item.open.abs() <= item.amount.abs(), "{item:?}");
            assert!(item.due_date >= item.invoice_date, "{item:?}");
            assert!(item.invoice_date <= *day, "{item:?}");
            assert_eq!(item.currency, currency);
            let (name, division) = &roster[&item.customer];
            assert_eq!((&item.name, &item.division), (name, division));
            assert!(STATUSES.contains(&item.status.as_str()), "{item:?}");
            let prefix_ok = if item.amount > 0 {
                item.id.starts_with("INV-")
            } else {
                item.id.starts_with("CM-") || item.id.starts_with("UC-")
            };
            assert!(prefix_ok, "{item:?}");
            let facts = (
                item.customer.clone(),
                item.invoice_date,
                item.amount,
                item.open,
            );
            if let Some(old) = known.insert(item.id.clone(), facts.clone()) {
                assert_eq!(
                    (&old.0, old.1, old.2),
                    (&facts.0, facts.1, facts.2),
                    "id reused"
                );
                // Open amounts only shrink towards zero.
                assert!(facts.3.abs() <= old.3.abs(), "{item:?} grew from {}", old.3);
            }
        }
    }
    let flows = activity(dir);
    for pair in flows.windows(2) {
        assert!(pair[0].date <= pair[1].date, "activity not sorted by date");
    }
    for f in &flows {
        assert!(f.date <= last_date);
        assert!(ACTIVITY_TYPES.contains(&f.kind.as_str()), "{}", f.kind);
        assert!(f.amount >= 0);
        assert!(f.customer.starts_with('C'));
        match f.kind.as_str() {
            "promise" => assert!(date(&f.reference) >= f.date),
            "dispute_opened" => assert!([
                "pricing",
                "quantity",
                "quality",
                "duplicate",
                "not_received"
            ]
            .contains(&f.reference.as_str())),
            "dispute_resolved" => assert!(
                ["credit_issued", "customer_paid", "rejected"].contains(&f.reference.as_str())
            ),
            "contact" => {
                assert!(["call", "email", "letter"].contains(&f.reference.as_str()));
                assert_eq!(f.amount, 0);
            }
            "credit_memo" => assert!(f.doc.starts_with("CM-")),
            _ => assert!(f.amount > 0 && !f.doc.is_empty(), "{} {}", f.kind, f.doc),
        }
    }
}

#[test]
fn documents_are_consistent() {
    let (dir, _) = generate(&SampleOptions::default());
    assert_documents_consistent(dir.path(), "EUR");
    let (dir, _) = generate(&small_options());
    assert_documents_consistent(dir.path(), "USD");
    let config = std::fs::read_to_string(dir.path().join("arsite.toml")).unwrap();
    let config: toml::Table = config.parse().unwrap();
    assert_eq!(config["title"].as_str(), Some("Quote \"test\" & co"));
    assert_eq!(config["currency"].as_str(), Some("USD"));
}

#[test]
fn default_sample_has_the_promised_shape() {
    let opts = SampleOptions::default();
    let (dir, summary) = generate(&opts);
    let dir = dir.path();

    let snaps = snapshots(dir);
    let dates: Vec<String> = snaps.iter().map(|(d, _)| d.to_string()).collect();
    assert_eq!(dates.len(), 12);
    assert_eq!(dates[0], "2025-11-30");
    assert_eq!(dates[11], "2026-10-31");
    assert_eq!(summary.snapshots, 12);
    let rows: usize = snaps.iter().map(|(_, items)| items.len()).sum();
    assert_eq!(summary.invoice_rows, rows as u64);
    let per_customer = rows as f64 / 12.0 / 150.0;
    assert!(
        (3.0..=10.0).contains(&per_customer),
        "{per_customer} open items per customer"
    );
    assert!(
        summary.bytes_written < 2_000_000,
        "{} bytes",
        summary.bytes_written
    );

    let (header, customers) = records(&dir.join("customers.csv"));
    assert_eq!(
        header,
        "customer_id,name,division,collector,credit_limit,payment_terms,risk_class"
    );
    assert_eq!(customers.len(), 150);
    let divisions: BTreeSet<&str> = customers.iter().map(|r| r.get(2).unwrap()).collect();
    let collectors: BTreeSet<&str> = customers.iter().map(|r| r.get(3).unwrap()).collect();
    assert_eq!(divisions.len(), 3, "{divisions:?}");
    assert_eq!(collectors.len(), 6, "{collectors:?}");
    let names: BTreeSet<&str> = customers.iter().map(|r| r.get(1).unwrap()).collect();
    assert_eq!(names.len(), 150, "names are unique");
    for tricky in [
        "Müller GmbH",
        "O'Brien \"Best\" Supplies, Ltd",
        "Smith & Sons",
    ] {
        assert!(names.contains(tricky), "{tricky} missing");
    }
    for r in &customers {
        assert!(cents(&r[4]) > 0);
        assert!(["NET15", "NET30", "NET45", "NET60"].contains(&&r[5]));
        assert!(["A", "B", "C", "D"].contains(&&r[6]));
    }

    let cal = Calendar::new(opts.last_snapshot, opts.months).unwrap();
    let company = Company::build(&opts, &cal).unwrap();
    for habit in Habit::ALL {
        assert!(
            company.customers.iter().any(|c| c.habit == habit),
            "{habit:?} missing"
        );
    }

    let all_items = snaps.iter().flat_map(|(_, items)| items);
    let statuses: BTreeSet<&str> = all_items.clone().map(|i| i.status.as_str()).collect();
    for status in ["open", "disputed", "promised", "agency"] {
        assert!(statuses.contains(status), "no {status} items");
    }
    assert!(
        all_items.clone().any(|i| i.id.starts_with("CM-")),
        "open credit memos"
    );
    assert!(
        all_items.clone().any(|i| i.id.starts_with("UC-")),
        "unapplied cash"
    );
    let partial = all_items
        .clone()
        .filter(|i| i.amount > 0 && i.open < i.amount)
        .count();
    assert!(partial >= 10, "only {partial} partially paid items");
    let mut collectors_seen: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for item in all_items {
        collectors_seen
            .entry(item.customer.as_str())
            .or_default()
            .insert(item.collector.as_str());
    }
    assert!(
        collectors_seen.values().any(|c| c.len() > 1),
        "no customer changed collector"
    );

    let flows = activity(dir);
    assert_eq!(summary.activity_rows, flows.len() as u64);
    for kind in ACTIVITY_TYPES {
        assert!(flows.iter().any(|f| f.kind == kind), "no {kind} activity");
    }

    let sales = sales(dir);
    assert_eq!(sales.len(), 20, "12 snapshot months and 8 months before");
    assert!(sales.values().all(|d| d.len() == 3));
}

#[test]
fn odd_options_still_reconcile() {
    // (seed, customers, divisions, collectors, months)
    for (seed, customers, divisions, collectors, months) in [
        (1, 1, 1, 1, 1),
        (2, 3, 5, 2, 2),
        (3, 40, 4, 12, 14),
        (4, 25, 2, 3, 40),
    ] {
        let opts = SampleOptions {
            seed,
            customers,
            divisions,
            collectors,
            months,
            ..SampleOptions::default()
        };
        let (dir, summary) = generate(&opts);
        assert_eq!(summary.snapshots, months as usize);
        assert_rolls_forward(dir.path());
        assert_documents_consistent(dir.path(), "EUR");
    }
}

#[test]
fn volume_target_is_roughly_met() {
    let opts = SampleOptions {
        customers: 300,
        months: 3,
        invoices_per_snapshot: Some(6000),
        ..SampleOptions::default()
    };
    let (_dir, summary) = generate(&opts);
    let per_snapshot = summary.invoice_rows / 3;
    assert!(
        (3_500..=9_000).contains(&per_snapshot),
        "{per_snapshot} open items per snapshot"
    );
}

#[test]
fn nonsense_options_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for opts in [
        SampleOptions {
            customers: 0,
            ..SampleOptions::default()
        },
        SampleOptions {
            months: 0,
            ..SampleOptions::default()
        },
        SampleOptions {
            collectors: 0,
            ..SampleOptions::default()
        },
    ] {
        assert!(write_sample(&opts, dir.path()).is_err());
    }
}

//! The sample site's `metrics.json` files agree, to the cent, with sums
//! computed independently from the CSV snapshots.

use arsite_e2e::reference::{snapshot_files, SnapshotCsv, LABELS};
use arsite_e2e::{sample_data, sample_site};
use rust_decimal::Decimal;
use serde_json::Value;
use std::str::FromStr;

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().expect("money is a decimal string")).unwrap()
}

#[test]
fn metrics_json_matches_independent_sums_for_every_snapshot() {
    let site = sample_site();
    let files = snapshot_files(&sample_data());
    assert!(
        files.len() >= 12,
        "the sample data has a year of month-ends"
    );
    for file in files {
        let csv = SnapshotCsv::read(&file);
        let as_of = csv.as_of.format("%Y-%m-%d").to_string();
        let text = std::fs::read_to_string(site.join(&as_of).join("metrics.json")).unwrap();
        let m: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(m["as_of"], as_of.as_str());
        assert_eq!(m["version"], 1);
        assert_eq!(
            m["invoices"].as_u64().unwrap() as usize,
            csv.rows.len(),
            "{as_of}"
        );
        assert_eq!(dec(&m["total_open"]), csv.total(|_| true), "{as_of} total");
        let expected = csv.buckets(|_| true);
        for (i, label) in LABELS.iter().enumerate() {
            assert_eq!(
                dec(&m["buckets"][label]),
                expected[i],
                "{as_of} bucket {label}"
            );
        }
        assert_eq!(dec(&m["past_due"]), expected[1..].iter().sum::<Decimal>());
        for collector in csv.collectors() {
            let key = if collector.is_empty() {
                "(unassigned)"
            } else {
                collector.as_str()
            };
            let g = &m["by_collector"][key];
            let keep = |r: &arsite_e2e::reference::Row| r.collector == collector;
            assert_eq!(
                dec(&g["total_open"]),
                csv.total(keep),
                "{as_of} collector {key}"
            );
            let b = csv.buckets(keep);
            for (i, label) in LABELS.iter().enumerate() {
                assert_eq!(dec(&g["buckets"][label]), b[i], "{as_of} {key} {label}");
            }
        }
        let division_sum: Decimal = m["by_division"]
            .as_object()
            .unwrap()
            .values()
            .map(|g| dec(&g["total_open"]))
            .sum();
        assert_eq!(
            division_sum,
            csv.total(|_| true),
            "{as_of} divisions add up"
        );
    }
}

#[test]
fn every_snapshot_has_its_pages_under_a_permanent_path() {
    let site = sample_site();
    for file in snapshot_files(&sample_data()) {
        let date = file.file_stem().unwrap().to_str().unwrap().to_string();
        for page in ["aging.html", "dashboard.html", "metrics.json", "data.js"] {
            assert!(site.join(&date).join(page).is_file(), "{date}/{page}");
        }
        let aging = std::fs::read_to_string(site.join(&date).join("aging.html")).unwrap();
        assert!(
            aging.contains("Content-Security-Policy"),
            "{date} has a CSP"
        );
        assert!(
            !aging.contains("http://") && !aging.contains("https://"),
            "{date}: no external references"
        );
    }
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    let newest = snapshot_files(&sample_data()).pop().unwrap();
    let newest = newest.file_stem().unwrap().to_str().unwrap();
    let first_link = index
        .find("/aging.html")
        .map(|i| &index[i - 10..i])
        .unwrap();
    assert_eq!(first_link, newest, "index lists the newest snapshot first");
}

/// The sample company's activity file is complete, so from the second
/// snapshot on, beginning AR + sales − collections − credits − write-offs
/// must land exactly on the ending AR the snapshot file shows.
#[test]
fn roll_forward_residual_is_zero_on_the_sample_company() {
    let site = sample_site();
    let files = snapshot_files(&sample_data());
    for file in &files[1..] {
        let csv = SnapshotCsv::read(file);
        let as_of = csv.as_of.format("%Y-%m-%d").to_string();
        let text = std::fs::read_to_string(site.join(&as_of).join("metrics.json")).unwrap();
        let m: Value = serde_json::from_str(&text).unwrap();
        let rf = &m["roll_forward"];
        assert_eq!(
            dec(&rf["ending"]),
            csv.total(|_| true),
            "{as_of}: ending AR is the snapshot's"
        );
        assert_eq!(dec(&rf["residual"]), Decimal::ZERO, "{as_of}: {rf}");
        assert_eq!(m["sales_derived"], false, "{as_of}: sales.csv is used");
        assert_eq!(
            m["dso"]["dso"]["status"], "days",
            "{as_of}: countback DSO has history"
        );
    }
}

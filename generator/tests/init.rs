//! `arsite init`, through the real binary: it recognises the preset of
//! every sample export and of the hand-made fixtures whose ERP is known,
//! copies the export byte for byte under a name dated YYYY-MM-DD, writes
//! settings that load, and refuses what it must (an export no preset
//! clearly fits, a file without a date, a folder in use) without leaving
//! a half-written folder. End to end, a folder started from the NetSuite
//! sample builds to the canonical sample's figures.

mod common;

use arsite::sample::ExportFormat;
use common::arsite;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

fn init(dir: &Path, extra: &[&str]) -> Output {
    arsite().arg("init").arg(dir).args(extra).output().unwrap()
}

fn init_from(dir: &Path, from: &Path, extra: &[&str]) -> Output {
    arsite()
        .arg("init")
        .arg(dir)
        .arg("--from")
        .arg(from)
        .args(extra)
        .output()
        .unwrap()
}

fn text(run: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&run.stdout).into_owned(),
        String::from_utf8_lossy(&run.stderr).into_owned(),
    )
}

fn assert_code(run: &Output, code: i32) {
    let (out, err) = text(run);
    assert_eq!(
        run.status.code(),
        Some(code),
        "stdout:\n{out}\nstderr:\n{err}"
    );
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/import")
        .join(name)
}

/// The snapshot files of a folder, sorted.
fn snapshots(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir.join("snapshots"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

/// Asserts that `dir` was initialised from `from` as `preset`: said so,
/// copied the file byte for byte under `copy_name`, and named the preset
/// in settings that load.
fn assert_initialised(run: &Output, dir: &Path, from: &Path, preset: &str, copy_name: &str) {
    let (out, _) = text(run);
    let p = arsite::import::preset::Preset::find(preset).expect("a preset of that name");
    assert!(
        out.contains(&format!("is a {} export\n  {preset}: ", p.title)),
        "{preset}: {out}"
    );
    let copy = dir.join("snapshots").join(copy_name);
    assert_eq!(
        std::fs::read(&copy).unwrap_or_else(|e| panic!("{}: {e}", copy.display())),
        std::fs::read(from).unwrap(),
        "the copy is byte-identical"
    );
    assert_eq!(snapshots(dir), vec![copy]);
    let config = arsite::config::Config::load(dir).expect("the settings load");
    assert_eq!(config.import.snapshots.preset, Some(p.name));
    let written = std::fs::read_to_string(dir.join("arsite.toml")).unwrap();
    assert!(
        written.contains(&format!("\npreset = \"{preset}\"\n")),
        "{written}"
    );
}

#[test]
fn every_sample_export_is_recognised_as_its_preset() {
    // Every shape `arsite sample --format` writes with a preset, so that a
    // preset added with its sample writer is covered without a change here.
    let tmp = tempfile::tempdir().unwrap();
    let formats: Vec<ExportFormat> = ExportFormat::ALL
        .into_iter()
        .filter(|f| f.preset().is_some())
        .collect();
    assert!(formats.len() >= 4);
    for format in formats {
        let preset = format.preset().unwrap();
        let sample = tmp.path().join(format!("sample-{}", format.name()));
        common::run_ok(
            arsite()
                .args(["sample", "--customers", "12", "--months", "2"])
                .args(["--format", format.name(), "--out"])
                .arg(&sample),
        );
        let currency = arsite::config::Config::load(&sample).unwrap().currency.code;
        let export = snapshots(&sample).pop().expect("a snapshot");
        let dir = tmp.path().join(format!("init-{}", format.name()));
        let run = init_from(&dir, &export, &["--currency", &currency]);
        assert_code(&run, 0);
        let name = export.file_name().unwrap().to_str().unwrap();
        let (out, _) = text(&run);
        // A name holding the date as YYYY-MM-DD is kept as it is; a name
        // without one (Xero's, dated by its title; Business Central's, by a
        // cell of its metadata sheet) gets the date said, after a space
        // when the name has spaces, else after `_`.
        let copy = if arsite::import::file_name_dates(name, &arsite::import::InputSpec::canonical())
            .is_empty()
        {
            let date = out
                .split("snapshot date ")
                .nth(1)
                .and_then(|r| r.split_whitespace().next())
                .unwrap_or_else(|| panic!("{out}"));
            let (stem, ext) = name.rsplit_once('.').unwrap();
            let separator = if stem.contains(' ') { " " } else { "_" };
            format!("{stem}{separator}{date}.{ext}")
        } else {
            name.to_string()
        };
        assert_initialised(&run, &dir, &export, preset, &copy);
        assert!(
            out.contains("arsite check: no problems in 1 snapshot file(s)"),
            "{out}"
        );
        assert!(
            out.contains(&format!(
                "next: arsite build {} --out public",
                dir.display()
            )),
            "{out}"
        );
    }
}

#[test]
fn hand_made_fixtures_are_recognised_as_their_presets() {
    // (fixture, preset, currency option, name of the copy).
    let cases: [(&str, &str, &[&str], &str); 7] = [
        // The currency comes from its Local Currency column (EUR).
        (
            "FBL5N_20261031.csv",
            "sap-fbl5n",
            &[],
            "FBL5N_2026-10-31.csv",
        ),
        (
            "ARAgingDetail_20261031.xls",
            "netsuite-ar-aging-detail",
            &["--currency", "EUR"],
            "ARAgingDetail_2026-10-31.xls",
        ),
        // QuickBooks Desktop has no currency column.
        (
            "layout/Open Invoices 2026-10-31.csv",
            "quickbooks-desktop-open-invoices",
            &["--currency", "EUR"],
            "Open Invoices 2026-10-31.csv",
        ),
        // Odoo's Aged Partner Balance has no currency column.
        (
            "layout/Aged Partner Balance 2026-10-31.csv",
            "odoo-aged-partner-balance",
            &["--currency", "EUR"],
            "Aged Partner Balance 2026-10-31.csv",
        ),
        // ERPNext's Accounts Receivable has its Currency column (EUR).
        (
            "layout/Accounts Receivable 2026-10-31.csv",
            "erpnext-accounts-receivable",
            &[],
            "Accounts Receivable 2026-10-31.csv",
        ),
        // Business Central: amounts in local currency, no currency read;
        // the date from the hidden metadata sheet, added to the name.
        (
            "layout/Aged Accounts Receivable (Excel).xlsx",
            "business-central-aged-receivables",
            &["--currency", "EUR"],
            "Aged Accounts Receivable (Excel) 2026-10-31.xlsx",
        ),
        // NetSuite's Excel export names each customer in a heading row
        // only (no Customer column): the preset's layout reads it.
        (
            "layout/ARAgingDetail_2026-10-31.xlsx",
            "netsuite-ar-aging-detail",
            &["--currency", "EUR"],
            "ARAgingDetail_2026-10-31.xlsx",
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    for (i, (name, preset, extra, copy)) in cases.into_iter().enumerate() {
        let from = fixture(name);
        let dir = tmp.path().join(format!("d{i}"));
        let run = init_from(&dir, &from, extra);
        assert_code(&run, 0);
        assert_initialised(&run, &dir, &from, preset, copy);
        let (out, _) = text(&run);
        assert!(out.contains("arsite check: no problems"), "{out}");
    }
}

#[test]
fn an_export_lacking_only_its_customer_column_gets_the_group_heading_hint() {
    // Dynamics 365's headers without "Customer account", each customer in
    // a heading row instead: recognised, the folder written, and the
    // check's failure (65) says the header lacks the customer; the
    // settings suggest the group_heading layout.
    let tmp = tempfile::tempdir().unwrap();
    let from = tmp.path().join("CustomerAging_2026-10-31.csv");
    std::fs::write(
        &from,
        "Invoice,Date,Due date,Amount,Balance,Currency,Business unit,Collections agent\r\n\
         Acme Corp,,,,,,,\r\n\
         I-1,2026-10-01,2026-10-31,100.00,100.00,EUR,North,Ann\r\n\
         Beta Ltd,,,,,,,\r\n\
         I-3,2026-10-02,2026-11-01,70.00,70.00,EUR,South,Bob\r\n",
    )
    .unwrap();
    let dir = tmp.path().join("new");
    let run = init_from(&dir, &from, &[]);
    assert_code(&run, 65);
    assert_initialised(
        &run,
        &dir,
        &from,
        "dynamics365-customer-aging",
        "CustomerAging_2026-10-31.csv",
    );
    let (out, err) = text(&run);
    assert!(
        err.contains("lacks \"Customer account\" (customer_id)"),
        "{err}"
    );
    let settings = std::fs::read_to_string(dir.join("arsite.toml")).unwrap();
    assert!(
        settings.contains("# group_heading = \"single_cell\""),
        "{settings}"
    );
    assert!(out.contains("next: fix the settings in"), "{out}");
}

#[test]
fn an_export_no_preset_clearly_fits_lists_the_two_closest_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let from = tmp.path().join("open items 2026-10-31.csv");
    // Headers of no built-in report: Dynamics 365's preset reads Invoice,
    // Date, Due date and Balance but needs its "Customer account"; the
    // others read fewer.
    std::fs::write(
        &from,
        "Invoice,Client,Date,Due Date,Balance\nI-1,Acme,2026-10-01,2026-10-31,100.00\n",
    )
    .unwrap();
    let dir = tmp.path().join("new");
    let run = init_from(&dir, &from, &["--currency", "EUR"]);
    assert_code(&run, 65);
    let (_, err) = text(&run);
    assert!(
        err.contains("no preset clearly fits this export; the two closest:"),
        "{err}"
    );
    assert!(
        err.contains("\n  dynamics365-customer-aging: 4 of 11 columns found in the header at line 1 (missing: Customer account — required;"),
        "{err}"
    );
    assert!(err.contains("what differs:"), "{err}");
    assert!(
        err.contains(
            "dynamics365-customer-aging needs \"Customer account\" (customer_id), not in the file"
        ),
        "{err}"
    );
    assert!(err.contains("pass --preset NAME"), "{err}");
    assert!(!dir.exists(), "nothing written");
    // Asked for by name, the preset is used anyway.
    let run = init_from(&dir, &from, &["--currency", "EUR", "--preset", "dynamics"]);
    let (out, _) = text(&run);
    assert!(
        out.contains("read as Dynamics 365 customer aging (--preset)"),
        "{out}"
    );
    assert_code(&run, 65);
    assert!(dir.join("arsite.toml").is_file());
}

#[test]
fn a_file_without_a_date_needs_as_of() {
    let tmp = tempfile::tempdir().unwrap();
    let from = tmp.path().join("FBL5N export.csv");
    std::fs::copy(fixture("FBL5N_20261031.csv"), &from).unwrap();
    let dir = tmp.path().join("sap");
    let run = init_from(&dir, &from, &[]);
    assert_code(&run, 2);
    let (_, err) = text(&run);
    assert!(
        err.contains("FBL5N export.csv: the file name \"FBL5N export.csv\" holds no snapshot date (YYYY-MM-DD or YYYYMMDD): pass --as-of YYYY-MM-DD"),
        "{err}"
    );
    assert!(!dir.exists(), "nothing written");
    let run = init_from(&dir, &from, &["--as-of", "2026-10-31"]);
    assert_code(&run, 0);
    assert_initialised(
        &run,
        &dir,
        &from,
        "sap-fbl5n",
        "FBL5N export 2026-10-31.csv",
    );
    let (out, _) = text(&run);
    assert!(
        out.contains("snapshot date 2026-10-31 (from --as-of); currency EUR"),
        "{out}"
    );
}

#[test]
fn without_an_export_a_commented_template_and_an_empty_snapshots_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("books");
    let run = init(&dir, &["--currency", "usd", "--title", "Acme \"AR\""]);
    assert_code(&run, 0);
    assert!(snapshots(&dir).is_empty());
    let config = arsite::config::Config::load(&dir).expect("the template loads");
    assert_eq!(
        (config.title.as_str(), config.currency.code.as_str()),
        ("Acme \"AR\"", "USD")
    );
    assert!(
        !config.import.snapshots.mapped,
        "no preset: canonical files"
    );
    let written = std::fs::read_to_string(dir.join("arsite.toml")).unwrap();
    assert!(
        written.contains("# [import.snapshots]\n# preset = "),
        "{written}"
    );
    // Without --currency the template leaves it to fill in: the title is
    // the folder's name.
    let bare = tmp.path().join("ledger");
    assert_code(&init(&bare, &[]), 0);
    let written = std::fs::read_to_string(bare.join("arsite.toml")).unwrap();
    assert!(written.contains("title = \"ledger\"\n"), "{written}");
    assert!(
        written.contains("currency = \"\"        # REQUIRED"),
        "{written}"
    );
}

#[test]
fn a_used_folder_is_refused_unless_forced_and_nothing_is_deleted() {
    let tmp = tempfile::tempdir().unwrap();
    let from = fixture("FBL5N_20261031.csv");
    // A folder with someone's files in it.
    let other = tmp.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("notes.txt"), "mine").unwrap();
    let run = init_from(&other, &from, &[]);
    assert_code(&run, 78);
    assert!(text(&run)
        .1
        .contains("folder is not empty and holds no arsite.toml"));
    assert_eq!(std::fs::read_dir(&other).unwrap().count(), 1);
    // An arsite folder: refused, then with --force the settings replaced
    // (kept as .bak) and the export added.
    let dir = tmp.path().join("ar");
    assert_code(&init(&dir, &["--currency", "EUR"]), 0);
    let before = std::fs::read(dir.join("arsite.toml")).unwrap();
    let run = init_from(&dir, &from, &[]);
    assert_code(&run, 78);
    assert!(
        text(&run).1.contains("is an arsite folder already"),
        "{:?}",
        text(&run)
    );
    assert_code(&init_from(&dir, &from, &["--force"]), 0);
    assert_eq!(std::fs::read(dir.join("arsite.toml.bak")).unwrap(), before);
    assert_eq!(
        snapshots(&dir),
        vec![dir.join("snapshots/FBL5N_2026-10-31.csv")]
    );
    // A snapshot of that name with other contents is never replaced.
    let fake = tmp.path().join("FBL5N_2026-10-31.csv");
    std::fs::write(&fake, "Customer;Name 1\n").unwrap();
    let run = init_from(
        &dir,
        &fake,
        &["--force", "--preset", "sap", "--currency", "EUR"],
    );
    assert_code(&run, 78);
    assert!(
        text(&run).1.contains("exists with other contents"),
        "{:?}",
        text(&run)
    );
    assert_eq!(
        std::fs::read(dir.join("snapshots/FBL5N_2026-10-31.csv")).unwrap(),
        std::fs::read(&from).unwrap()
    );
    // Nothing is made outside DIR: a missing parent is not created.
    let deep = tmp.path().join("missing/parent/dir");
    let run = init_from(&deep, &from, &[]);
    assert_ne!(run.status.code(), Some(0));
    assert!(!tmp.path().join("missing").exists());
    // A missing export is missing input.
    assert_code(
        &init_from(&tmp.path().join("new"), &tmp.path().join("nope.csv"), &[]),
        66,
    );
    assert!(!tmp.path().join("new").exists());
}

/// Sums of a canonical snapshot's open amounts in cents (plain `csv`,
/// not arsite's importer): the total and per aging bucket (days past due
/// ≤ 0, 1–30, 31–60, 61–90, 91–120, more; README's default edges).
fn canonical_figures(path: &Path, as_of: chrono::NaiveDate) -> (i64, [i64; 6]) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
    let (due, open) = (col("due_date"), col("open_amount"));
    let mut total = 0;
    let mut buckets = [0i64; 6];
    for r in reader.records() {
        let r = r.unwrap();
        let (whole, cents) = r[open].trim_start_matches('-').split_once('.').unwrap();
        let value = whole.parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap();
        let value = if r[open].starts_with('-') {
            -value
        } else {
            value
        };
        let days =
            (as_of - chrono::NaiveDate::parse_from_str(&r[due], "%Y-%m-%d").unwrap()).num_days();
        let bucket = match days {
            ..=0 => 0,
            1..=30 => 1,
            31..=60 => 2,
            61..=90 => 3,
            91..=120 => 4,
            _ => 5,
        };
        total += value;
        buckets[bucket] += value;
    }
    (total, buckets)
}

/// A decimal string of metrics.json ("1234.50", "-3.00") in cents.
fn cents(v: &serde_json::Value) -> i64 {
    let s = v.as_str().unwrap();
    let (whole, frac) = s.trim_start_matches('-').split_once('.').unwrap();
    let c = whole.parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap();
    if s.starts_with('-') {
        -c
    } else {
        c
    }
}

#[test]
fn a_folder_started_from_the_netsuite_sample_builds_to_the_sample_figures() {
    let tmp = tempfile::tempdir().unwrap();
    let canonical = tmp.path().join("canonical");
    let netsuite = tmp.path().join("netsuite");
    for (dir, format) in [(&canonical, "canonical"), (&netsuite, "netsuite")] {
        common::run_ok(
            arsite()
                .args([
                    "sample",
                    "--customers",
                    "30",
                    "--months",
                    "3",
                    "--format",
                    format,
                ])
                .arg("--out")
                .arg(dir),
        );
    }
    let export = snapshots(&netsuite).pop().unwrap();
    let reference = snapshots(&canonical).pop().unwrap();
    let as_of = reference.file_stem().unwrap().to_str().unwrap().to_string();
    assert!(export.to_str().unwrap().contains(&as_of));
    let dir = tmp.path().join("ar");
    assert_code(&init_from(&dir, &export, &["--currency", "EUR"]), 0);
    let check = arsite().arg("check").arg(&dir).output().unwrap();
    assert_code(&check, 0);
    let site = tmp.path().join("site");
    common::run_ok(
        arsite()
            .arg("build")
            .arg(&dir)
            .arg("--out")
            .arg(&site)
            .arg("--quiet"),
    );
    let metrics: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join(&as_of).join("metrics.json")).unwrap())
            .unwrap();
    let day = chrono::NaiveDate::parse_from_str(&as_of, "%Y-%m-%d").unwrap();
    let (total, buckets) = canonical_figures(&reference, day);
    assert_eq!(cents(&metrics["total_open"]), total);
    let labels: Vec<String> = metrics["bucket_labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect();
    let shown: BTreeMap<usize, i64> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (i, cents(&metrics["buckets"][l])))
        .collect();
    assert_eq!(
        shown.values().copied().collect::<Vec<_>>(),
        buckets.to_vec()
    );
}

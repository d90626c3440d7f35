//! `arsite check` (its library entry point) and the two reading modes:
//! by default unusable rows are rejected and the rest is used; strict makes
//! any problem an error (exit code 65) before anything is written.

use arsite::check::check;
use arsite::import::{DataSet, ImportOptions, Kind, Problems};
use arsite::sample::{write_sample_as, ExportFormat, SampleOptions};
use arsite_core::Money;
use std::path::Path;

const H: &str =
    "invoice_id,customer_id,customer_name,invoice_date,due_date,amount,open_amount,currency,status\n";

fn folder(snapshots: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("arsite.toml"),
        "title = \"T\"\ncurrency = \"EUR\"\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("snapshots")).unwrap();
    for (name, body) in snapshots {
        std::fs::write(
            dir.path().join("snapshots").join(name),
            format!("{H}{body}"),
        )
        .unwrap();
    }
    dir
}

fn strip(dir: &Path, text: &str) -> String {
    text.replace(&format!("{}/", dir.display()), "")
}

#[test]
fn a_clean_export_folder_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let opts = SampleOptions {
        customers: 25,
        months: 2,
        ..SampleOptions::default()
    };
    write_sample_as(&opts, ExportFormat::QuickBooks, dir.path()).unwrap();
    let report = check(dir.path()).unwrap();
    assert!(report.is_clean());
    assert_eq!((report.exit_code(false), report.exit_code(true)), (0, 0));
    assert_eq!(report.snapshots, 2);
    let text = report.render(false);
    assert!(
        text.ends_with("arsite check: no problems in 2 snapshot file(s) and 3 ledger file(s)"),
        "{text}"
    );
    assert!(text.contains("report line(s) skipped"), "{text}");
}

#[test]
fn rejected_rows_fail_only_strict_checks_and_keep_the_books() {
    let dir = folder(&[(
        "2026-10-31.csv",
        "I1,C1,Acme,2026-09-01,2026-10-01,100.00,100.00,EUR,open\n\
         I2,C1,Acme,2026-09-01,2026-10-01,80.00,50.00,EUR,paid\n\
         I3,C2,Beta,2026-09-01,2026-10-01,x,7.00,EUR,open\n\
         I4,C2,Beta,2026-09-01,2026-10-01,9.00,,EUR,open\n",
    )]);
    // 3 of 4 rows rejected is past the default 50 %: allowed here, to
    // show what becomes of rejected rows.
    std::fs::write(
        dir.path().join("arsite.toml"),
        "title = \"T\"\ncurrency = \"EUR\"\n[import]\nmax_rejected_percent = 75\n",
    )
    .unwrap();
    let report = check(dir.path()).unwrap();
    assert!(!report.is_clean());
    assert_eq!(report.exit_code(false), 0);
    assert_eq!(report.exit_code(true), 65);
    assert_eq!(report.rejected_rows(), 3);
    let q = report.files.last().unwrap();
    assert_eq!((q.rows, q.used, q.unvalued), (4, 1, 1));
    assert_eq!(q.input_total, Money(15_700));
    assert_eq!(q.used_total, Money(10_000));
    assert_eq!(q.rejected_total, Money(5_700));
    let text = strip(dir.path(), &report.render(false));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        vec![
            "snapshots/2026-10-31.csv:3:9: error: status: expected one of open, disputed, promised, agency, legal, found \"paid\"",
            "snapshots/2026-10-31.csv:4:6: error: amount: expected an amount such as -1234.56, found \"x\"",
            "snapshots/2026-10-31.csv:5:7: error: open_amount: missing value; this column is required",
            "snapshots/2026-10-31.csv: 4 row(s): 1 used, 3 rejected (1 without a readable amount); open_amount 157.00 = used 100.00 + rejected 57.00 EUR",
            "problems by kind: missing_value: 1, amount: 1, value: 1",
            "arsite check: 3 problem(s); 3 row(s) would be left out of the site and listed on its data-quality page (use --strict to fail instead)",
        ]
    );
    let strict = report.render(true);
    assert!(
        strict.ends_with("arsite check: 3 problem(s); a build would fail (--strict)"),
        "{strict}"
    );

    // The same through the reading API the build uses.
    let data = DataSet::open(dir.path()).unwrap();
    let import = data.read_snapshot(&data.snapshots[0]).unwrap();
    assert_eq!(import.snapshot.invoices.len(), 1);
    assert_eq!(import.quality.rejected.len(), 3);
    let data = DataSet::open_with(dir.path(), ImportOptions { strict: true }).unwrap();
    let Problems(p) = data.read_snapshot(&data.snapshots[0]).unwrap_err();
    assert_eq!(p.len(), 3);
}

#[test]
fn an_unreadable_snapshot_fails_even_without_strict() {
    let dir = folder(&[(
        "2026-09-30.csv",
        "I1,C1,Acme,2026-09-01,2026-10-01,1.00,1.00,EUR,open\n",
    )]);
    std::fs::write(
        dir.path().join("snapshots/2026-10-31.csv"),
        b"\x00\x01binary",
    )
    .unwrap();
    let report = check(dir.path()).unwrap();
    assert_eq!(report.exit_code(false), 65);
    assert_eq!(report.unreadable.len(), 1);
    assert_eq!(report.unreadable[0].kind, Kind::NotText);
    assert!(report.render(false).ends_with("a build would fail"));
}

#[test]
fn a_wrong_setting_shows_as_every_row_rejected_for_one_reason() {
    let dir = folder(&[(
        "2026-10-31.csv",
        "I1,C1,Acme,01.09.2026,01.10.2026,1.00,1.00,EUR,open\n\
         I2,C1,Acme,02.09.2026,02.10.2026,1.00,1.00,EUR,open\n",
    )]);
    // Every row rejected fails the snapshot (issue 14, item 7), with the
    // column and the likely setting instead of each row's error.
    let report = check(dir.path()).unwrap();
    assert_eq!(report.exit_code(false), 65);
    let text = strip(dir.path(), &report.render(false));
    assert!(
        text.starts_with("snapshots/2026-10-31.csv: error: no usable row: all 2 data row(s) were rejected; 2 of them at column 4 for the same reason (first at line 2: invoice_date: expected a date YYYY-MM-DD, found \"01.09.2026\"); likely cause: date_format"),
        "{text}"
    );
}

#[test]
fn strict_ledgers_fail_when_opening() {
    let dir = folder(&[(
        "2026-10-31.csv",
        "I1,C1,Acme,2026-09-01,2026-10-01,1.00,1.00,EUR,open\n",
    )]);
    std::fs::write(dir.path().join("sales.csv"), "period,amount\n2026-13,5\n").unwrap();
    let data = DataSet::open(dir.path()).unwrap();
    assert_eq!(data.ledgers.len(), 1);
    assert_eq!(data.ledgers[0].rejected.len(), 1);
    assert!(data.sales.is_empty());
    let e = DataSet::open_with(dir.path(), ImportOptions { strict: true }).unwrap_err();
    assert_eq!(arsite::import::exit_code(&e), 65);
}

/// A file name with two different dates is ambiguous: refused, naming the
/// file and both dates, instead of silently taking the first (issue 13,
/// item 19).
#[test]
fn a_file_name_with_two_dates_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let opts = SampleOptions {
        customers: 10,
        months: 2,
        ..SampleOptions::default()
    };
    write_sample_as(&opts, ExportFormat::QuickBooks, dir.path()).unwrap();
    let snapshots = dir.path().join("snapshots");
    let mut names: Vec<_> = std::fs::read_dir(&snapshots)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let first = &names[0];
    let stem = first.file_stem().unwrap().to_str().unwrap();
    let ext = first.extension().unwrap().to_str().unwrap();
    let renamed = snapshots.join(format!("{stem} vs 2025-01-15.{ext}"));
    std::fs::rename(first, &renamed).unwrap();
    let err = match check(dir.path()) {
        Ok(report) => report.render(false),
        Err(e) => format!("{e:#}"),
    };
    assert!(err.contains("vs 2025-01-15"), "{err}");
    assert!(err.contains("expected exactly one snapshot date"), "{err}");
    assert!(err.contains("2025-01-15") && err.contains(", "), "{err}");
}

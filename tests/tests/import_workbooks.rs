//! Issue 14, item 9: `.xls` (BIFF) and `.ods` workbooks, told apart by
//! their extension, read through the same mappings and presets as CSV and
//! xlsx, and bounded before calamine builds their sheets. The fixtures in
//! `tests/fixtures/import/` were written by `make_workbooks.py` there
//! (xlwt for .xls, Python's zipfile for .ods); figures worked by hand.

use arsite::import::{DataSet, SnapshotImport};
use arsite_core::{Day, Money};
use arsite_e2e::import_folder::with_fixture as folder;
use std::path::Path;

fn read(dir: &Path) -> SnapshotImport {
    arsite_e2e::import_folder::read_only_snapshot(dir, "2026-10-31")
}

fn day(s: &str) -> Day {
    Day::parse_iso(s).unwrap()
}

/// NetSuite's A/R Aging Detail saved as .xls: the preset (whose format is
/// csv) reads it because the extension says xls.
#[test]
fn netsuite_aging_detail_as_xls() {
    let dir = folder(
        "[import.snapshots]\npreset = \"netsuite\"\n",
        "ARAgingDetail_20261031.xls",
    );
    let import = read(dir.path());
    let q = &import.quality;
    assert!(q.is_clean(), "{:?}", q.problems().collect::<Vec<_>>());
    assert_eq!(q.sheet.as_deref(), Some("ARAgingDetail"));
    // Three documents; the Total line (sheet row 9) is the report total,
    // checked against them: 1,000.00 − 150.00 + 300.25 = 1,150.25 as printed.
    assert_eq!((q.rows, q.used, q.skipped), (3, 3, 0));
    assert_eq!(q.layout.report_totals, 1);
    assert!(q.layout.mismatches.is_empty(), "{:?}", q.layout.mismatches);
    // 1,000.00 − 150.00 + 300.25 = 1,150.25
    assert_eq!(import.snapshot.total_open(), Money(115_025));
    let s = &import.snapshot;
    let ids: Vec<&str> = s.invoices.iter().map(|i| i.invoice_id.as_str()).collect();
    assert_eq!(ids, ["INV1001", "CM205", "INV1002"]);
    // Date cells; the credit memo has none for its due date: its date.
    assert_eq!(s.invoices[0].invoice_date, day("2026-09-15"));
    assert_eq!(s.invoices[1].due_date, day("2026-10-02"));
    assert_eq!(s.invoices[2].due_date, day("2026-11-19"));
    assert_eq!(q.defaulted.get("due_date"), Some(&1));
    assert_eq!(s.customers[0].name, "C00001 Anderson Ltd");
}

/// An .ods from LibreOffice: the data on its second sheet, rows padded
/// with repeated empty cells and a million repeated empty rows below.
#[test]
fn open_document_spreadsheet_on_a_named_sheet() {
    let dir = folder(
        "[import.snapshots]\nsheet = \"Open items\"\n",
        "open_items_2026-10-31.ods",
    );
    let import = read(dir.path());
    let q = &import.quality;
    assert!(q.is_clean(), "{:?}", q.problems().collect::<Vec<_>>());
    assert_eq!((q.rows, q.used), (2, 2));
    // 120.50 + 30.00 = 150.50 open; amounts 120.50 and 80.00.
    assert_eq!(import.snapshot.total_open(), Money(15_050));
    let s = &import.snapshot;
    assert_eq!(s.invoices[1].amount, Money(8_000));
    assert_eq!(s.invoices[1].due_date, day("2026-11-09"));
    // The first sheet holds no header: named in the error.
    let dir = folder("[import.snapshots]\n", "open_items_2026-10-31.ods");
    let data = DataSet::open(dir.path()).unwrap();
    let err = data
        .read_snapshot(&data.snapshots[0])
        .unwrap_err()
        .to_string();
    assert!(err.contains("(sheet \"Notes\")"), "{err}");
}

/// `format` overrides the extension; and a tiny .xls spanning 16.7 million
/// cells is refused before calamine builds them.
#[test]
fn format_overrides_the_extension_and_sparse_workbooks_are_refused() {
    let dir = folder(
        "[import.snapshots]\npreset = \"netsuite\"\nformat = \"csv\"\n",
        "ARAgingDetail_20261031.xls",
    );
    let err = format!("{:#}", DataSet::open(dir.path()).unwrap_err());
    assert!(err.contains("ending in .csv or .txt or .tsv"), "{err}");
    let dir = folder(
        "[import.snapshots]\nformat = \"xls\"\n",
        "sparse_20261031.xls",
    );
    let data = DataSet::open(dir.path()).unwrap();
    let err = data
        .read_snapshot(&data.snapshots[0])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("sparse_20261031.xls: error: expected an Excel 97-2003 workbook (.xls): its sheets span 16777216 cells, more than the 4194304 arsite reads"),
        "{err}"
    );
}

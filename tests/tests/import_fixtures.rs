//! Hand-made exports in `tests/fixtures/import/` (see its README) read to
//! hand-worked figures: regional numbers and dates, encodings, sign rules,
//! subtotal lines, currencies with rates, and the rejected rows' books.

use arsite::import::{Kind, SnapshotImport};
use arsite_core::{AgingScheme, Money};
use arsite_e2e::import_folder::with_fixture as folder;
use std::path::Path;

fn read_only_snapshot(dir: &Path) -> SnapshotImport {
    arsite_e2e::import_folder::read_only_snapshot(dir, "2026-10-31")
}

fn buckets(import: &SnapshotImport) -> Vec<i64> {
    let s = &import.snapshot;
    let scheme = AgingScheme::default();
    let mut b = vec![0; scheme.bucket_count()];
    for inv in &s.invoices {
        b[scheme.bucket_of(inv.days_past_due(s.as_of))] += inv.open.0;
    }
    b
}

#[test]
fn sap_fbl5n_in_windows_1252_with_sign_rule_and_subtotals() {
    let dir = folder(
        "[import.snapshots]\npreset = \"sap-fbl5n\"\n",
        "FBL5N_20261031.csv",
    );
    let import = read_only_snapshot(dir.path());
    let q = &import.quality;
    assert!(q.is_clean(), "{:?}", q.problems().collect::<Vec<_>>());
    assert_eq!((q.rows, q.skipped), (5, 3));
    let s = &import.snapshot;
    assert_eq!(s.customers[0].name, "Müller GmbH");
    assert_eq!(s.customers[1].name, "Société Générale d'Équipement");
    // 1234.56 − 200.00 (DG, made negative) − 50.00 + 12000.00 + 999.99
    assert_eq!(s.total_open(), Money(1_398_455));
    assert_eq!(buckets(&import), vec![1_299_999, 98_456, 0, 0, 0, 0]);
    let opens: Vec<i64> = s.invoices.iter().map(|i| i.open.0).collect();
    assert_eq!(opens, vec![123_456, -20_000, -5_000, 1_200_000, 99_999]);
    assert_eq!(s.collectors[s.invoices[0].collector as usize], "Weiß");
    assert_eq!(s.divisions[s.invoices[3].division as usize], "2000");
}

#[test]
fn excel_unicode_text_with_french_numbers_and_short_dates() {
    let dir = folder(
        "[import.snapshots]\nencoding = \"utf-16le\"\ndecimal = \",\"\ndate_format = \"D/M/YY\"\n\
         [import.snapshots.columns]\ninvoice_id = \"Facture\"\ncustomer_id = \"Client\"\ncustomer_name = \"Nom\"\n\
         invoice_date = \"Date\"\ndue_date = \"Échéance\"\namount = \"Montant\"\nopen_amount = \"Solde\"\ndivision = \"Division\"\n",
        "aging 2026-10-31.txt",
    );
    let import = read_only_snapshot(dir.path());
    assert!(
        import.quality.is_clean(),
        "{:?}",
        import.quality.problems().collect::<Vec<_>>()
    );
    let s = &import.snapshot;
    assert_eq!(s.total_open(), Money(138_456));
    assert_eq!(buckets(&import), vec![-10_000, 148_456, 0, 0, 0, 0]);
    assert_eq!(s.invoices[0].amount, Money(123_456));
    assert_eq!(s.customers[1].name, "Ça va SARL");
    assert_eq!(
        s.invoices[2].due_date,
        arsite_core::Day::parse_iso("2026-10-31").unwrap()
    );
}

#[test]
fn currencies_convert_at_configured_rates_and_rejected_rows_keep_their_amounts() {
    let dir = folder(
        "[rates]\nUSD = 0.92\nGBP = \"1.15\"\nJPY = 0.0061\n\
         [import.snapshots]\n[import.snapshots.columns]\ninvoice_id = \"Invoice\"\ncustomer_id = \"Customer\"\n\
         invoice_date = \"Invoice date\"\ndue_date = \"Due date\"\namount = \"Amount\"\nopen_amount = \"Open\"\ncurrency = \"Currency\"\n",
        "open_items_2026-10-31.csv",
    );
    let import = read_only_snapshot(dir.path());
    let s = &import.snapshot;
    // USD 1000 × 0.92 + GBP 150 × 1.15 − EUR 300 − JPY 10000 × 0.0061
    assert_eq!(s.total_open(), Money(73_150));
    assert_eq!(buckets(&import), vec![-18_850, 92_000, 0, 0, 0, 0]);
    assert_eq!(s.invoices[1].amount, Money(23_000));
    let originals: Vec<(String, String)> = import
        .converted
        .iter()
        .map(|c| (c.currency.clone(), c.open.to_string()))
        .collect();
    assert_eq!(
        originals,
        vec![
            ("USD".into(), "1000.00".into()),
            ("GBP".into(), "150.00".into()),
            ("JPY".into(), "-10000".into())
        ]
    );
    let q = &import.quality;
    assert_eq!(q.rejected.len(), 2);
    let chf = &q.rejected[0];
    assert_eq!((chf.line, chf.amount), (6, None));
    assert_eq!(chf.problems[0].kind, Kind::Currency);
    assert!(chf.problems[0]
        .to_string()
        .ends_with("open_items_2026-10-31.csv:6:7: error: currency: expected EUR (the site's currency) or a currency with a rate under [rates] in arsite.toml, found \"CHF\""));
    let bad_date = &q.rejected[1];
    assert_eq!((bad_date.line, bad_date.amount), (7, Some(Money(4_200))));
    assert_eq!(q.unvalued, 1);
    assert_eq!(q.rejected_total, Money(4_200));
    assert_eq!(q.input_total, Money(77_350));
    let text = q.rejected_csv();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(
        rows[0],
        [
            "line",
            "problems",
            "open_amount (EUR)",
            "Invoice",
            "Customer",
            "Invoice date",
            "Due date",
            "Amount",
            "Open",
            "Currency"
        ]
    );
    assert_eq!(rows[1][0], "6");
    assert_eq!(rows[1][2], "", "no amount in EUR without a rate");
    assert_eq!(
        rows[2],
        [
            "7",
            "column 3: invoice_date (\"Invoice date\"): expected a date YYYY-MM-DD (set date_format in [import.snapshots] for other forms), found \"2026-13-05\"",
            "42.00",
            "A6",
            "K3",
            "2026-13-05",
            "2026-11-05",
            "42.00",
            "42.00",
            "EUR"
        ]
    );
}

#[test]
fn pipes_apostrophes_debit_credit_suffixes_and_total_lines() {
    let dir = folder(
        "[import.snapshots]\nthousands = \"'\"\ndate_format = \"MM/DD/YYYY\"\nskip_rows = [\"Total for \"]\n\
         [import.snapshots.columns]\ninvoice_id = \"Doc\"\ncustomer_id = \"Cust\"\ncustomer_name = \"Name\"\n\
         invoice_date = \"Doc date\"\ndue_date = \"Due\"\nopen_amount = \"Open\"\n",
        "ledger_export_2026-10-31.csv",
    );
    let import = read_only_snapshot(dir.path());
    assert!(
        import.quality.is_clean(),
        "{:?}",
        import.quality.problems().collect::<Vec<_>>()
    );
    assert_eq!(import.quality.skipped, 1);
    let s = &import.snapshot;
    assert_eq!(s.total_open(), Money(120_000));
    // Without an amount column the document amount is the open amount.
    assert_eq!(s.invoices[1].amount, Money(-3_450));
    assert_eq!(buckets(&import), vec![120_000, 0, 0, 0, 0, 0]);
}

#[test]
fn a_named_sheet_below_title_rows_with_date_and_number_cells() {
    use arsite::sample::exports::{XCell, XlsxWriter};
    use chrono::NaiveDate;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("arsite.toml"),
        "title = \"T\"\ncurrency = \"EUR\"\n[import.snapshots]\nformat = \"xlsx\"\nsheet = \"open items\"\n\
         as_of = \"2026-10-31\"\n[import.snapshots.constants]\ndivision = \"Retail\"\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("snapshots")).unwrap();
    let path = dir.path().join("snapshots/workbook.xlsx");
    let mut w = XlsxWriter::create_with_sheets(&path, &["Open Items", "Notes"]).unwrap();
    let date = |m, d| XCell::Date(NaiveDate::from_ymd_opt(2026, m, d).unwrap());
    w.row(&[XCell::Text("Open items at 31 October 2026")])
        .unwrap();
    w.row(&[]).unwrap();
    w.row(
        &[
            "invoice_id",
            "customer_id",
            "invoice_date",
            "due_date",
            "open_amount",
        ]
        .map(XCell::Text),
    )
    .unwrap();
    // A number cell id, date cells, a serial typed as a number, plain numbers.
    w.row(&[
        XCell::Number("1001"),
        XCell::Text("C1"),
        date(9, 1),
        date(10, 1),
        XCell::Number("1234.5"),
    ])
    .unwrap();
    w.row(&[
        XCell::Text("1002"),
        XCell::Text("C1"),
        XCell::Number("46266"),
        date(10, 31),
        XCell::Number("-0.5"),
    ])
    .unwrap();
    w.row(&[
        XCell::Text("1003"),
        XCell::Text("C2"),
        date(9, 1),
        XCell::Text("soon"),
        XCell::Number("7"),
    ])
    .unwrap();
    w.finish().unwrap();
    let import = read_only_snapshot(dir.path());
    let s = &import.snapshot;
    assert_eq!(s.invoices.len(), 2);
    assert_eq!(s.invoices[0].invoice_id, "1001");
    assert_eq!(s.invoices[0].open, Money(123_450));
    assert_eq!(s.invoices[1].invoice_date.to_string(), "2026-09-01");
    assert_eq!(s.divisions[s.invoices[1].division as usize], "Retail");
    assert_eq!(buckets(&import), vec![-50, 123_450, 0, 0, 0, 0]);
    let q = &import.quality;
    assert_eq!(q.sheet.as_deref(), Some("Open Items"));
    assert_eq!(q.rejected[0].amount, Some(Money(700)));
    assert_eq!(
        q.rejected[0].problems[0].to_string(),
        format!(
            "{}[Open Items]:6:4: error: due_date: expected a date YYYY-MM-DD (set date_format in [import.snapshots] for other forms), found \"soon\"",
            path.display()
        )
    );
}

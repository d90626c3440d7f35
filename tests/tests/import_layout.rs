//! Report layouts as ERPs write them (issue 14, items 1 and 2), from the
//! hand-made exports in `tests/fixtures/import/layout/` (see the README
//! there): customer group headings filled down, `Total <customer>`
//! subtotals and grand totals checked against the rows above them, header
//! rows repeated per partner, an unlabelled grand total. Every expected
//! figure is added up by hand from the fixture's text in the comments.

use arsite::import::layout::{Mismatch, TotalKind};
use arsite::import::{Kind, SnapshotImport};
use arsite_core::Money;
use arsite_e2e::import_folder::{read_only_snapshot, with_snapshot as folder};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    arsite_e2e::import_folder::fixture(&format!("layout/{name}"))
}

fn read(dir: &Path) -> SnapshotImport {
    read_only_snapshot(dir, "2026-10-31")
}

/// (invoice id, customer id, customer name, open amount in cents) per
/// invoice, in file order.
fn invoices(import: &SnapshotImport) -> Vec<(String, String, String, i64)> {
    let s = &import.snapshot;
    s.invoices
        .iter()
        .map(|i| {
            let c = &s.customers[i.customer as usize];
            (i.invoice_id.clone(), c.id.clone(), c.name.clone(), i.open.0)
        })
        .collect()
}

fn row(id: &str, cust: &str, name: &str, open: i64) -> (String, String, String, i64) {
    (id.into(), cust.into(), name.into(), open)
}

/// (headings, subtotals, report totals, repeated headers).
fn counts(import: &SnapshotImport) -> (u64, u64, u64, u64) {
    let l = &import.quality.layout;
    (l.headings, l.subtotals, l.report_totals, l.repeated_headers)
}

// The preset alone: its layout reads the heading rows of the Excel export,
// which has no Customer column.
const NETSUITE: &str = "[import.snapshots]\npreset = \"netsuite-ar-aging-detail\"\n";

#[test]
fn netsuite_aging_detail_xlsx_fills_the_customer_down_from_its_headings() {
    let name = "ARAgingDetail_2026-10-31.xlsx";
    let dir = folder(NETSUITE, name, &std::fs::read(fixture(name)).unwrap());
    let import = read(dir.path());
    let q = &import.quality;
    assert!(q.is_clean(), "{:?}", q.problems().collect::<Vec<_>>());
    assert_eq!(
        invoices(&import),
        vec![
            row("INV-1001", "10020", "Fina Trading Ltd", 125_000),
            row("INV-1007", "10020", "Fina Trading Ltd", 48_050),
            row("CM-0003", "10020", "Fina Trading Ltd", -8_025),
            row("INV-0950", "10031", "Müller & Söhne GmbH", 300_000),
        ]
    );
    // 1250.00 + 480.50 − 80.25 = 1650.25 (its subtotal); + 3000.00 = 4650.25.
    assert_eq!(import.snapshot.total_open(), Money(465_025));
    assert_eq!((q.rows, q.used), (4, 4));
    // Two headings, two "Total - …" rows, the grand "Total"; none differs.
    assert_eq!(counts(&import), (2, 2, 1, 0));
    assert!(q.layout.mismatches.is_empty(), "{:?}", q.layout.mismatches);
}

const QUICKBOOKS: &str = "[import.snapshots]\nthousands = \",\"\ndate_format = \"MM/DD/YYYY\"\n\
    [import.snapshots.columns]\ninvoice_id = \"Num\"\ninvoice_date = \"Date\"\n\
    due_date = \"Due Date\"\nopen_amount = \"Open Balance\"\n\
    [import.snapshots.layout]\ngroup_heading = \"single_cell\"\n";
const QB_FILE: &str = "Open Invoices 2026-10-31.csv";

#[test]
fn quickbooks_desktop_open_invoices_with_crlf_total_rows_and_names_as_ids() {
    let bytes = std::fs::read(fixture(QB_FILE)).unwrap();
    assert!(bytes.windows(2).any(|w| w == b"\r\n"), "a CRLF fixture");
    let dir = folder(QUICKBOOKS, QB_FILE, &bytes);
    let import = read(dir.path());
    let q = &import.quality;
    assert!(q.is_clean(), "{:?}", q.problems().collect::<Vec<_>>());
    // The heading is the name; with the default pattern "{name}" it is the id too.
    assert_eq!(
        invoices(&import),
        vec![
            row(
                "1043",
                "Baker Street Dental",
                "Baker Street Dental",
                125_000
            ),
            row("1051", "Baker Street Dental", "Baker Street Dental", 64_000),
            row(
                "1002",
                "Cole & Partners LLP",
                "Cole & Partners LLP",
                240_000
            ),
            row("1049", "Cole & Partners LLP", "Cole & Partners LLP", 9_999),
        ]
    );
    // 1,250.00 + 640.00 = 1,890.00; 2,400.00 + 99.99 = 2,499.99; TOTAL 4,389.99.
    assert_eq!(import.snapshot.total_open(), Money(438_999));
    assert_eq!(counts(&import), (2, 2, 1, 0));
    assert!(q.layout.mismatches.is_empty());
}

#[test]
fn a_subtotal_that_does_not_match_its_rows_is_reported_with_its_line() {
    let text = String::from_utf8(std::fs::read(fixture(QB_FILE)).unwrap()).unwrap();
    let wrong = text.replace(
        "Total Cole & Partners LLP,,,,,,,,\"2,499.99\"",
        "Total Cole & Partners LLP,,,,,,,,\"2,500.00\"",
    );
    assert_ne!(wrong, text);
    let dir = folder(QUICKBOOKS, QB_FILE, wrong.as_bytes());
    let import = read(dir.path());
    // The invoices are read as before: a printed total is checked, not used.
    assert_eq!(import.snapshot.total_open(), Money(438_999));
    assert_eq!(
        import.quality.layout.mismatches,
        vec![Mismatch {
            // Line 9 of the file: header, heading, 2 rows, total, heading, 2 rows.
            line: 9,
            kind: TotalKind::Subtotal,
            label: "Total Cole & Partners LLP".into(),
            printed: Money(250_000),
            computed: Money(249_999),
        }]
    );
    let report = arsite::check::check(dir.path()).unwrap();
    let text = report
        .render(false)
        .replace(&format!("{}/", dir.path().display()), "");
    assert!(
        text.contains("snapshots/Open Invoices 2026-10-31.csv:9: warning: the subtotal \"Total Cole & Partners LLP\" prints 2500.00 but its rows add up to 2499.99"),
        "{text}"
    );
}

#[test]
fn odoo_aged_partner_balance_repeats_its_header_for_every_partner() {
    let name = "Aged Partner Balance 2026-10-31.csv";
    let settings = "[import.snapshots]\ndate_format = \"MM/DD/YYYY\"\n\
        [import.snapshots.columns]\ninvoice_id = \"Entry\"\ncustomer_id = \"Partner\"\n\
        invoice_date = \"Date\"\ndue_date = \"Due date\"\nopen_amount = \"Residual\"\n\
        [import.snapshots.layout]\ngroup_heading = \"single_cell\"\n\
        subtotal_labels = [\"Partner cumul aged balance\"]\n";
    let dir = folder(settings, name, &std::fs::read(fixture(name)).unwrap());
    let import = read(dir.path());
    let q = &import.quality;
    assert!(q.is_clean(), "{:?}", q.problems().collect::<Vec<_>>());
    assert_eq!(
        invoices(&import),
        vec![
            row("INV/2026/0041", "Deco Addict", "Deco Addict", 150_000),
            row("INV/2026/0058", "Deco Addict", "Deco Addict", 72_540),
            row(
                "INV/2026/0012",
                "Gemini Furniture",
                "Gemini Furniture",
                31_000
            ),
            row(
                "RINV/2026/0003",
                "Gemini Furniture",
                "Gemini Furniture",
                -4_510
            ),
        ]
    );
    // 1500.00 + 725.40 = 2225.40; 310.00 − 45.10 = 264.90; total 2490.30.
    assert_eq!(import.snapshot.total_open(), Money(249_030));
    // The first partner's heading sits just above the first header (line
    // 4), the second (line 10) above its repeated header (line 11).
    assert_eq!(counts(&import), (2, 2, 1, 1));
    assert!(q.layout.mismatches.is_empty());
}

const ERPNEXT: &str = "[import.snapshots]\ndate_format = \"DD-MM-YYYY\"\n\
    [import.snapshots.columns]\ninvoice_id = \"Voucher No\"\ncustomer_id = \"Customer\"\n\
    invoice_date = \"Posting Date\"\ndue_date = \"Due Date\"\namount = \"Invoiced Amount\"\n\
    open_amount = \"Outstanding Amount\"\n";
const ERP_FILE: &str = "Accounts Receivable 2026-10-31.csv";

#[test]
fn erpnext_unlabelled_grand_total_is_recognised_by_its_sum() {
    let dir = folder(
        ERPNEXT,
        ERP_FILE,
        &std::fs::read(fixture(ERP_FILE)).unwrap(),
    );
    let import = read(dir.path());
    let q = &import.quality;
    assert!(q.is_clean(), "{:?}", q.problems().collect::<Vec<_>>());
    assert_eq!(
        invoices(&import),
        vec![
            // No name column mapped: the names stay empty, as before.
            row("ACC-SINV-2026-00031", "Grant Plc", "", 100_000),
            row("ACC-SINV-2026-00040", "Grant Plc", "", 35_050),
            row("ACC-SINV-2026-00012", "Hollis & Vane", "", 50_000),
        ]
    );
    // 1000.0 + 350.5 + 500.0 = 1850.5, the last line's outstanding amount.
    assert_eq!(import.snapshot.total_open(), Money(185_050));
    let amounts: i64 = import.snapshot.invoices.iter().map(|i| i.amount.0).sum();
    // 1200.0 + 350.5 + 2000.0 = 3550.5.
    assert_eq!(amounts, 355_050);
    assert_eq!(counts(&import), (0, 0, 1, 0));
    assert_eq!(q.rows, 3);
}

#[test]
fn an_unlabelled_row_that_is_not_the_sum_is_still_rejected() {
    let text = String::from_utf8(std::fs::read(fixture(ERP_FILE)).unwrap()).unwrap();
    let wrong = text.replace(",0.0,1850.5,,", ",0.0,1850.0,,");
    assert_ne!(wrong, text);
    let dir = folder(ERPNEXT, ERP_FILE, wrong.as_bytes());
    let import = read(dir.path());
    let q = &import.quality;
    assert_eq!(counts(&import), (0, 0, 0, 0));
    assert_eq!(q.rejected.len(), 1);
    let p = &q.rejected[0].problems[0];
    // Line 5, its first empty required field: Posting Date (field 1).
    assert_eq!((p.line, p.column, p.kind), (5, Some(1), Kind::MissingValue));
    assert_eq!(q.rejected[0].amount, Some(Money(185_000)));
}

// ----- The presets alone ---------------------------------------------------

const QBD: &str = "[import.snapshots]\npreset = \"quickbooks-desktop-open-invoices\"\n";

#[test]
fn the_quickbooks_desktop_preset_alone_reads_the_open_invoices_fixture() {
    let bytes = std::fs::read(fixture(QB_FILE)).unwrap();
    let dir = folder(QBD, QB_FILE, &bytes);
    let import = read(dir.path());
    let q = &import.quality;
    assert!(q.is_clean(), "{:?}", q.problems().collect::<Vec<_>>());
    // The same four invoices as with the explicit settings above, each
    // customer's name as its id.
    assert_eq!(
        invoices(&import),
        vec![
            row(
                "1043",
                "Baker Street Dental",
                "Baker Street Dental",
                125_000
            ),
            row("1051", "Baker Street Dental", "Baker Street Dental", 64_000),
            row(
                "1002",
                "Cole & Partners LLP",
                "Cole & Partners LLP",
                240_000
            ),
            row("1049", "Cole & Partners LLP", "Cole & Partners LLP", 9_999),
        ]
    );
    // 1,250.00 + 640.00 + 2,400.00 + 99.99 = 4,389.99, the TOTAL line.
    assert_eq!(import.snapshot.total_open(), Money(438_999));
    assert_eq!(counts(&import), (2, 2, 1, 0));
    assert!(q.layout.mismatches.is_empty());
}

const QBD_CLASS_FILE: &str = "Open Invoices 2026-11-30.csv";

#[test]
fn the_quickbooks_desktop_preset_reads_classes_credits_payments_and_jobs() {
    let bytes = std::fs::read(fixture(QBD_CLASS_FILE)).unwrap();
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "a Windows-1252 fixture"
    );
    let dir = folder(QBD, QBD_CLASS_FILE, &bytes);
    let import = read_only_snapshot(dir.path(), "2026-11-30");
    let q = &import.quality;
    assert!(q.is_clean(), "{:?}", q.problems().collect::<Vec<_>>());
    let rows = invoices(&import);
    // The payment has no Num: its id is generated from the file name.
    assert!(
        rows[2].0.starts_with("~Open Invoices 2026-11-30:"),
        "{}",
        rows[2].0
    );
    let cafe = "Café Rouge Ltd";
    // A job is a customer of its own, under its full "Customer:Job" name.
    let job = "Fina Trading Ltd:Project 7";
    assert_eq!(
        rows,
        vec![
            row("2001", cafe, cafe, 120_000),
            row("2007", cafe, cafe, -15_000),
            row(&rows[2].0, cafe, cafe, -5_000),
            row("2010", job, job, 345_075),
        ]
    );
    // 1,200.00 − 150.00 − 50.00 = 1,000.00 (its total); + 3,450.75 = 4,450.75.
    assert_eq!(import.snapshot.total_open(), Money(445_075));
    assert_eq!(counts(&import), (2, 2, 1, 0));
    assert!(q.layout.mismatches.is_empty());
    let s = &import.snapshot;
    let by_id = |id: &str| s.invoices.iter().find(|i| i.invoice_id == id).unwrap();
    // Credits without a due date are due on their document date.
    assert_eq!(by_id("2007").due_date.to_string(), "2026-11-10");
    assert_eq!(by_id(&rows[2].0).due_date.to_string(), "2026-11-20");
    assert_eq!(by_id("2001").due_date.to_string(), "2026-11-04");
    // Class is the division: Retail 1,200.00 − 150.00; Services 3,450.75.
    let division = |id: &str| s.divisions[by_id(id).division as usize].as_str();
    assert_eq!(
        [division("2001"), division("2007"), division("2010")],
        ["Retail", "Retail", "Services"]
    );
}

const XERO_FILE: &str = "Fina_Holdings_Ltd_-_Aged_Receivables_Detail.xlsx";

#[test]
fn the_xero_preset_alone_reads_the_aged_receivables_detail_and_its_title_date() {
    let bytes = std::fs::read(fixture(XERO_FILE)).unwrap();
    let dir = folder("[import.snapshots]\npreset = \"xero\"\n", XERO_FILE, &bytes);
    // The name holds no date: the "As at 31 October 2026" title gives it.
    let import = read(dir.path());
    let q = &import.quality;
    assert!(q.is_clean(), "{:?}", q.problems().collect::<Vec<_>>());
    let rows = invoices(&import);
    assert!(
        rows[3]
            .0
            .starts_with("~Fina_Holdings_Ltd_-_Aged_Receivables_Detail:"),
        "{}",
        rows[3].0
    );
    let (acme, bjork) = ("Acme Ltd", "Björk & Co");
    assert_eq!(
        rows,
        vec![
            row("INV-0041", acme, acme, 125_000),
            row("INV-0052", acme, acme, 64_000),
            row("CN-0007", acme, acme, -8_025),
            row(&rows[3].0, acme, acme, -10_000),
            row("INV-0007", bjork, bjork, 240_000),
        ]
    );
    // 1250 + 640 − 80.25 − 100 = 1709.75 (Total Acme Ltd); + 2400 = 4109.75.
    assert_eq!(import.snapshot.total_open(), Money(410_975));
    assert_eq!(counts(&import), (2, 2, 1, 0));
    assert!(q.layout.mismatches.is_empty(), "{:?}", q.layout.mismatches);
    let s = &import.snapshot;
    let due: Vec<String> = s.invoices.iter().map(|i| i.due_date.to_string()).collect();
    // The credit note and the overpayment are due on their own dates.
    assert_eq!(
        due,
        [
            "2026-10-12",
            "2026-11-19",
            "2026-10-25",
            "2026-10-28",
            "2026-07-01"
        ]
    );
}

const ODOO_FILE: &str = "Aged Partner Balance 2026-10-31.csv";

/// (invoice id, invoice date, due date) per invoice, in file order.
fn dates(import: &SnapshotImport) -> Vec<(String, String, String)> {
    import
        .snapshot
        .invoices
        .iter()
        .map(|i| {
            (
                i.invoice_id.clone(),
                i.invoice_date.to_string(),
                i.due_date.to_string(),
            )
        })
        .collect()
}

fn dated(id: &str, date: &str, due: &str) -> (String, String, String) {
    (id.into(), date.into(), due.into())
}

#[test]
fn the_odoo_preset_alone_reads_the_aged_partner_balance_fixture() {
    let bytes = std::fs::read(fixture(ODOO_FILE)).unwrap();
    assert!(bytes.windows(2).any(|w| w == b"\r\n"), "a CRLF fixture");
    // The report has no currency column: the site's EUR is the currency.
    let dir = folder("[import.snapshots]\npreset = \"odoo\"\n", ODOO_FILE, &bytes);
    let import = read(dir.path());
    let q = &import.quality;
    assert!(q.is_clean(), "{:?}", q.problems().collect::<Vec<_>>());
    let (deco, gemini) = ("Deco Addict", "Gemini Furniture");
    assert_eq!(
        invoices(&import),
        vec![
            row("INV/2026/0041", deco, deco, 150_000),
            row("INV/2026/0058", deco, deco, 72_540),
            row("INV/2026/0012", gemini, gemini, 31_000),
            row("RINV/2026/0003", gemini, gemini, -4_510),
        ]
    );
    // MM/DD/YYYY: 09/20/2026 is September 20th, 10/20/2026 October 20th.
    assert_eq!(
        dates(&import),
        vec![
            dated("INV/2026/0041", "2026-09-20", "2026-10-20"),
            dated("INV/2026/0058", "2026-10-15", "2026-11-14"),
            dated("INV/2026/0012", "2026-06-30", "2026-07-30"),
            dated("RINV/2026/0003", "2026-08-31", "2026-08-31"),
        ]
    );
    // 1500.00 + 725.40 = 2225.40; 310.00 − 45.10 = 264.90; Total 2490.30.
    assert_eq!(import.snapshot.total_open(), Money(249_030));
    assert_eq!((q.rows, q.used), (4, 4));
    // Two partner headings (the first above the header), two "Partner
    // cumul aged balance" rows, the "Total", the header repeated once.
    assert_eq!(counts(&import), (2, 2, 1, 1));
    assert!(q.layout.mismatches.is_empty(), "{:?}", q.layout.mismatches);
}

#[test]
fn an_odoo_partner_balance_that_does_not_match_its_lines_is_a_finding() {
    let text = String::from_utf8(std::fs::read(fixture(ODOO_FILE)).unwrap()).unwrap();
    // Gemini Furniture's lines add up to 310.00 − 45.10 = 264.90.
    let wrong = text.replace(
        "Partner cumul aged balance,,,,,,,264.90,",
        "Partner cumul aged balance,,,,,,,246.90,",
    );
    assert_ne!(wrong, text);
    let dir = folder(
        "[import.snapshots]\npreset = \"odoo-aged-partner-balance\"\n",
        ODOO_FILE,
        wrong.as_bytes(),
    );
    let import = read(dir.path());
    // The lines are read as before; the grand Total (2490.30) still matches.
    assert_eq!(import.snapshot.total_open(), Money(249_030));
    assert_eq!(counts(&import), (2, 2, 1, 1));
    assert_eq!(
        import.quality.layout.mismatches,
        vec![Mismatch {
            // Lines: title, filter, blank, heading, header, 2 lines,
            // subtotal, blank, heading, header, 2 lines, subtotal (14).
            line: 14,
            kind: TotalKind::Subtotal,
            label: "Partner cumul aged balance".into(),
            printed: Money(24_690),
            computed: Money(26_490),
        }]
    );
    let report = arsite::check::check(dir.path()).unwrap();
    let text = report
        .render(false)
        .replace(&format!("{}/", dir.path().display()), "");
    assert!(
        text.contains("snapshots/Aged Partner Balance 2026-10-31.csv:14: warning: the subtotal \"Partner cumul aged balance\" prints 246.90 but its rows add up to 264.90"),
        "{text}"
    );
}

#[test]
fn the_erpnext_preset_alone_reads_the_accounts_receivable_fixture() {
    let bytes = std::fs::read(fixture(ERP_FILE)).unwrap();
    let dir = folder(
        "[import.snapshots]\npreset = \"frappe\"\n",
        ERP_FILE,
        &bytes,
    );
    let import = read(dir.path());
    let q = &import.quality;
    assert!(q.is_clean(), "{:?}", q.problems().collect::<Vec<_>>());
    assert_eq!(
        invoices(&import),
        vec![
            // No Customer Name column in this export: the names stay empty.
            row("ACC-SINV-2026-00031", "Grant Plc", "", 100_000),
            row("ACC-SINV-2026-00040", "Grant Plc", "", 35_050),
            row("ACC-SINV-2026-00012", "Hollis & Vane", "", 50_000),
        ]
    );
    // DD-MM-YYYY: 10-09-2026 is September 10th. The Age (Days) column
    // agrees: 31 Oct − 10 Oct = 21, − 25 Oct = 6, − 31 Aug = 61.
    assert_eq!(
        dates(&import),
        vec![
            dated("ACC-SINV-2026-00031", "2026-09-10", "2026-10-10"),
            dated("ACC-SINV-2026-00040", "2026-09-25", "2026-10-25"),
            dated("ACC-SINV-2026-00012", "2026-08-01", "2026-08-31"),
        ]
    );
    // 1000.0 + 350.5 + 500.0 = 1850.5, the unlabelled last line.
    assert_eq!(import.snapshot.total_open(), Money(185_050));
    let amounts: i64 = import.snapshot.invoices.iter().map(|i| i.amount.0).sum();
    // 1200.0 + 350.5 + 2000.0 = 3550.5.
    assert_eq!(amounts, 355_050);
    assert_eq!(counts(&import), (0, 0, 1, 0));
    assert_eq!((q.rows, q.used), (3, 3));
    assert!(q.layout.mismatches.is_empty(), "{:?}", q.layout.mismatches);
}

const BC_FILE: &str = "Aged Accounts Receivable (Excel).xlsx";

#[test]
fn the_business_central_preset_alone_reads_the_data_sheet_and_the_metadata_date() {
    let bytes = std::fs::read(fixture(BC_FILE)).unwrap();
    let dir = folder(
        "[import.snapshots]\npreset = \"business-central\"\n",
        BC_FILE,
        &bytes,
    );
    // The name holds no date: the hidden metadata sheet's "Aged As Of"
    // gives 31 Oct (not the "Run on" date above it, 2 Nov).
    let import = read(dir.path());
    let q = &import.quality;
    assert!(q.is_clean(), "{:?}", q.problems().collect::<Vec<_>>());
    let (adatum, trey) = ("Adatum Corporation", "Trey Research");
    // Open amounts from RemainingAmountLCY: the USD invoice's 4000 EUR,
    // not its 4400 USD.
    assert_eq!(
        invoices(&import),
        vec![
            row("103001", "10000", adatum, 150_000),
            row("103017", "10000", adatum, 120_050),
            row("104002", "10000", adatum, -30_000),
            row("102950", "20000", trey, 400_000),
            row("2609", "20000", trey, -25_000),
        ]
    );
    // 1500 + 1200.50 − 300 + 4000 − 250 = 6150.50.
    assert_eq!(import.snapshot.total_open(), Money(615_050));
    let s = &import.snapshot;
    let amounts: Vec<i64> = s.invoices.iter().map(|i| i.amount.0).collect();
    assert_eq!(amounts, [150_000, 220_050, -30_000, 400_000, -25_000]);
    // DocumentDate, not PostingDate (103001 was dated the 14th, posted the 15th).
    let dates: Vec<String> = s
        .invoices
        .iter()
        .map(|i| format!("{} {}", i.invoice_date, i.due_date))
        .collect();
    assert_eq!(
        dates,
        [
            "2026-09-14 2026-10-15",
            "2026-10-20 2026-11-19",
            "2026-10-22 2026-10-22",
            "2026-06-10 2026-07-10",
            "2026-10-30 2026-10-30"
        ]
    );
    // Dimension1Code is the division: SALES 1500 + 1200.50 − 300 = 2400.50,
    // ADM 4000 − 250 = 3750.
    let mut by_division = std::collections::BTreeMap::new();
    for i in &s.invoices {
        *by_division
            .entry(s.divisions[i.division as usize].clone())
            .or_insert(0i64) += i.open.0;
    }
    assert_eq!(
        by_division.into_iter().collect::<Vec<_>>(),
        [("ADM".to_string(), 375_000), ("SALES".to_string(), 240_050)]
    );
}

#[test]
fn a_business_central_workbook_without_the_date_cell_names_file_sheet_and_key() {
    let bytes = std::fs::read(fixture(BC_FILE)).unwrap();
    // The key the user gave is nowhere in the metadata sheet.
    let dir = folder(
        "[import.snapshots]\npreset = \"bc\"\nas_of_from = { sheet = \"Aggregated Metadata\", key = \"Ending Date\" }\n",
        BC_FILE,
        &bytes,
    );
    let Err(err) = arsite::import::DataSet::open(dir.path()) else {
        panic!("no snapshot date: expected an error");
    };
    let text = format!("{err:#}");
    assert!(text.contains(BC_FILE), "{text}");
    assert!(
        text.contains("sheet \"Aggregated Metadata\" has no cell reading \"Ending Date\""),
        "{text}"
    );
    // A date set by hand replaces the preset's cell.
    let dir = folder(
        "[import.snapshots]\npreset = \"bc\"\nas_of = \"2026-10-31\"\n",
        BC_FILE,
        &bytes,
    );
    assert_eq!(invoices(&read(dir.path())).len(), 5);
}

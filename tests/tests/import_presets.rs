//! Each ERP preset reads the export-shaped sample of a company to the same
//! figures as the canonical files of that company: per snapshot, the total,
//! every aging bucket, every division and collector, to the cent. The
//! canonical side is also summed independently (`reference`, no arsite
//! code), and every file keeps its books: input = used + rejected.

use arsite::import::{DataSet, FileQuality, SnapshotImport};
use arsite::sample::{write_sample_as, ExportFormat, SampleOptions};
use arsite_core::{AgingScheme, Money, Snapshot};
use arsite_e2e::reference::{SnapshotCsv, LABELS};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::Path;

fn options() -> SampleOptions {
    SampleOptions {
        seed: 11,
        customers: 70,
        months: 4,
        divisions: 3,
        collectors: 4,
        ..SampleOptions::default()
    }
}

fn import_all(dir: &Path) -> Vec<SnapshotImport> {
    let data = DataSet::open(dir).expect("opening the data folder");
    for q in &data.ledgers {
        assert_books(q);
        assert!(q.is_clean(), "{}", q.path.display());
    }
    data.snapshots
        .iter()
        .map(|f| data.read_snapshot(f).expect("reading a snapshot"))
        .collect()
}

fn assert_books(q: &FileQuality) {
    assert_eq!(
        q.input_total,
        q.used_total + q.rejected_total,
        "{}: input = used + rejected",
        q.path.display()
    );
    assert_eq!(q.rows, q.used + q.rejected.len() as u64);
}

/// Figures by group: total, buckets, divisions, collectors, statuses.
#[derive(Debug, PartialEq, Eq)]
struct Figures {
    as_of: String,
    invoices: usize,
    total: Money,
    buckets: Vec<Money>,
    divisions: BTreeMap<String, Money>,
    collectors: BTreeMap<String, Money>,
    statuses: BTreeMap<&'static str, Money>,
}

fn figures(s: &Snapshot, with_status: bool) -> Figures {
    let scheme = AgingScheme::default();
    let mut buckets = vec![Money::ZERO; scheme.bucket_count()];
    let mut divisions = BTreeMap::new();
    let mut collectors = BTreeMap::new();
    let mut statuses = BTreeMap::new();
    for inv in &s.invoices {
        buckets[scheme.bucket_of(inv.days_past_due(s.as_of))] += inv.open;
        *divisions
            .entry(s.divisions[inv.division as usize].clone())
            .or_insert(Money::ZERO) += inv.open;
        *collectors
            .entry(s.collectors[inv.collector as usize].clone())
            .or_insert(Money::ZERO) += inv.open;
        if with_status {
            *statuses.entry(inv.status.as_str()).or_insert(Money::ZERO) += inv.open;
        }
    }
    Figures {
        as_of: s.as_of.to_string(),
        invoices: s.invoices.len(),
        total: s.total_open(),
        buckets,
        divisions,
        collectors,
        statuses,
    }
}

fn cents(d: Decimal) -> Money {
    Money::from_decimal(d, 2).unwrap()
}

/// The first sheet's name and its cells as text (rows padded to the same
/// width), read with calamine.
fn read_sheet(path: &Path) -> (String, Vec<Vec<String>>) {
    use calamine::{Reader, Xlsx};
    let mut wb: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let sheet = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&sheet).unwrap();
    let rows = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    (sheet, rows)
}

fn canonical_and(format: ExportFormat) -> (Vec<SnapshotImport>, Vec<SnapshotImport>) {
    let opts = options();
    let canonical = tempfile::tempdir().unwrap();
    let export = tempfile::tempdir().unwrap();
    write_sample_as(&opts, ExportFormat::Canonical, canonical.path()).unwrap();
    write_sample_as(&opts, format, export.path()).unwrap();
    let config = std::fs::read_to_string(export.path().join("arsite.toml")).unwrap();
    assert!(
        config.contains(&format!("preset = \"{}\"", format.preset().unwrap())),
        "{config}"
    );
    let a = import_all(canonical.path());
    // The canonical files summed without arsite: the import layer agrees.
    let mut files: Vec<_> = std::fs::read_dir(canonical.path().join("snapshots"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), a.len());
    for (file, import) in files.iter().zip(&a) {
        let csv = SnapshotCsv::read(file);
        let f = figures(&import.snapshot, false);
        assert_eq!(f.total, cents(csv.total(|_| true)));
        let expected = csv.buckets(|_| true);
        for (i, label) in LABELS.iter().enumerate() {
            assert_eq!(f.buckets[i], cents(expected[i]), "{} {label}", f.as_of);
        }
    }
    let b = import_all(export.path());
    (a, b)
}

/// What an ERP's report carries besides each document's open amount, its
/// dates and its customer: the figures of the fields it lacks are left out
/// of the comparison (never weakened for the fields it has).
#[derive(Clone, Copy)]
struct Carries {
    status: bool,
    division: bool,
    collector: bool,
    /// Whether payments (the canonical `UC-…`) keep their number; without
    /// it the importer gives them generated `~…` ids.
    payment_numbers: bool,
}

const EVERYTHING: Carries = Carries {
    status: false,
    division: true,
    collector: true,
    payment_numbers: true,
};

fn assert_same_figures(format: ExportFormat, with_status: bool) {
    assert_same_carried_figures(
        format,
        Carries {
            status: with_status,
            ..EVERYTHING
        },
    );
}

fn assert_same_carried_figures(format: ExportFormat, carries: Carries) {
    let with_status = carries.status;
    let carried = |s: &Snapshot| {
        let mut f = figures(s, with_status);
        if !carries.division {
            f.divisions.clear();
        }
        if !carries.collector {
            f.collectors.clear();
        }
        f
    };
    let (canonical, export) = canonical_and(format);
    let mut unnumbered = 0;
    assert_eq!(canonical.len(), export.len());
    assert_eq!(canonical.len(), 4);
    for (a, b) in canonical.iter().zip(&export) {
        assert_books(&a.quality);
        assert_books(&b.quality);
        assert!(
            b.quality.is_clean(),
            "{:?}: {:?}",
            format,
            b.quality
                .problems()
                .take(5)
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
        );
        assert_eq!(b.quality.used_total, b.snapshot.total_open());
        let fa = carried(&a.snapshot);
        assert_eq!(fa, carried(&b.snapshot), "{format:?}");
        // A carried field is really compared: it splits the total.
        if carries.division {
            assert!(fa.divisions.len() > 1, "{:?}", fa.divisions);
        }
        // Same open items, by id; payments without a number as many
        // generated ids with the same amounts.
        let ids = |s: &Snapshot, unnumbered: &str| {
            let (mut numbered, mut other) = (Vec::new(), Vec::new());
            for i in &s.invoices {
                if !carries.payment_numbers && i.invoice_id.starts_with(unnumbered) {
                    other.push(i.open);
                } else {
                    numbered.push((i.invoice_id.clone(), i.open));
                }
            }
            numbered.sort();
            other.sort();
            (numbered, other)
        };
        let (a_ids, a_payments) = ids(&a.snapshot, "UC-");
        let (b_ids, b_payments) = ids(&b.snapshot, "~");
        assert_eq!(a_ids, b_ids);
        assert_eq!(a_payments, b_payments);
        unnumbered += b_payments.len();
    }
    if !carries.payment_numbers {
        assert!(unnumbered > 0, "the sample has unapplied payments");
    }
}

#[test]
fn sap_fbl5n_export_gives_the_canonical_figures() {
    assert_same_figures(ExportFormat::Sap, false);
}

#[test]
fn netsuite_export_gives_the_canonical_figures() {
    assert_same_figures(ExportFormat::NetSuite, false);
}

#[test]
fn quickbooks_export_gives_the_canonical_figures() {
    assert_same_figures(ExportFormat::QuickBooks, false);
}

#[test]
fn dynamics_workbook_gives_the_canonical_figures() {
    assert_same_figures(ExportFormat::Dynamics, true);
}

/// Open Invoices has no sales rep column unless customised, no currency
/// and no collection status; payments have no `Num`. Class is the division.
#[test]
fn quickbooks_desktop_open_invoices_give_the_canonical_figures() {
    assert_same_carried_figures(
        ExportFormat::QuickBooksDesktop,
        Carries {
            collector: false,
            payment_numbers: false,
            ..EVERYTHING
        },
    );
}

/// Aged Receivables Detail carries no division (tracking categories are not
/// in it), no collector and no status; overpayments have no number. The
/// snapshot date comes from the "As at" title: the file names hold none.
#[test]
fn xero_aged_receivables_detail_gives_the_canonical_figures() {
    assert_same_carried_figures(
        ExportFormat::Xero,
        Carries {
            division: false,
            collector: false,
            payment_numbers: false,
            ..EVERYTHING
        },
    );
}

/// Aged Partner Balance (OCA, with move lines) carries no currency,
/// division, collector or status; refunds and payments keep their entry
/// numbers. The partner comes from the heading and the Partner column.
#[test]
fn odoo_aged_partner_balance_gives_the_canonical_figures() {
    assert_same_carried_figures(
        ExportFormat::Odoo,
        Carries {
            division: false,
            collector: false,
            ..EVERYTHING
        },
    );
}

/// Business Central's Aged Accounts Receivable (Excel) carries the first
/// global dimension (the division) and every document's number, payments'
/// too; no collector and no status. The snapshot date comes from the
/// hidden metadata sheet ("Aged As Of"): the file names hold none.
#[test]
fn business_central_aged_receivables_gives_the_canonical_figures() {
    assert_same_carried_figures(
        ExportFormat::BusinessCentral,
        Carries {
            collector: false,
            ..EVERYTHING
        },
    );
}

/// Accounts Receivable carries the sales person (the collector), not the
/// division or status; every voucher has its number.
#[test]
fn erpnext_accounts_receivable_gives_the_canonical_figures() {
    assert_same_carried_figures(
        ExportFormat::ErpNext,
        Carries {
            division: false,
            ..EVERYTHING
        },
    );
}

#[test]
fn export_shapes_are_what_the_erps_write() {
    let opts = options();
    let dir = tempfile::tempdir().unwrap();
    for format in [
        ExportFormat::Sap,
        ExportFormat::NetSuite,
        ExportFormat::QuickBooks,
        ExportFormat::Dynamics,
        ExportFormat::QuickBooksDesktop,
        ExportFormat::Xero,
        ExportFormat::Odoo,
        ExportFormat::ErpNext,
        ExportFormat::BusinessCentral,
    ] {
        let out = dir.path().join(format.name());
        write_sample_as(&opts, format, &out).unwrap();
        let files: Vec<_> = std::fs::read_dir(out.join("snapshots"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 4);
        let mut names: Vec<String> = files
            .iter()
            .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let bytes = std::fs::read(&files[0]).unwrap();
        match format {
            ExportFormat::Sap => {
                // Windows-1252: accented names are single bytes, not UTF-8.
                assert!(std::str::from_utf8(&bytes).is_err());
                assert!(bytes.iter().any(|b| *b >= 0x80));
                let text: String = bytes.iter().map(|b| *b as char).collect();
                assert!(text.contains("Customer;Name 1;"));
                assert!(text.contains("\n*;"), "subtotal lines");
                assert!(text.contains("-;EUR"), "trailing minus");
            }
            ExportFormat::NetSuite => {
                let text = String::from_utf8(bytes).unwrap();
                assert!(text.starts_with('\u{feff}'));
                assert!(text.contains("\nTotal - "));
                assert!(text.contains("(€"), "parenthesised negatives");
            }
            ExportFormat::QuickBooks => {
                let text = String::from_utf8(bytes).unwrap();
                assert!(text.contains("\nTotal for Current,"));
                assert!(text.contains("\nTOTAL,"));
            }
            ExportFormat::QuickBooksDesktop => {
                // Windows-1252 like SAP's, CRLF, the unnamed first column.
                assert!(std::str::from_utf8(&bytes).is_err());
                let text: String = bytes.iter().map(|b| *b as char).collect();
                assert!(text.starts_with(
                    ",Type,Date,Num,P. O. #,Terms,Due Date,Class,Aging,Open Balance\r\n"
                ));
                assert!(text.contains("\r\nTotal "));
                assert!(text.contains("\r\nTOTAL,"));
                assert!(text.contains("\r\n,Payment,"), "payments");
                assert!(names[0].starts_with("Open Invoices 2026-"), "{names:?}");
            }
            ExportFormat::Xero => {
                assert!(bytes.starts_with(b"PK\x03\x04"));
                // No date in the names: Xero's own, then the browser's copies.
                let base = "Northwind_Components__sample__-_Aged_Receivables_Detail";
                assert_eq!(
                    names,
                    [
                        format!("{base} (1).xlsx"),
                        format!("{base} (2).xlsx"),
                        format!("{base} (3).xlsx"),
                        format!("{base}.xlsx"),
                    ]
                );
            }
            ExportFormat::Odoo => {
                assert!(bytes.starts_with(b"PK\x03\x04"));
                assert!(
                    names[0].starts_with("Aged Partner Balance 2026-"),
                    "{names:?}"
                );
                assert!(names.iter().all(|n| n.ends_with(".xlsx")), "{names:?}");
                let (sheet, rows) = read_sheet(&files[0]);
                // The sheet is the title cut to Excel's 31 characters.
                assert_eq!(sheet, "Aged Partner Balance - Northwin");
                assert!(rows[0][0].starts_with("Aged Partner Balance - Northwind"));
                assert!(rows[0][0].ends_with(" - EUR"), "{:?}", rows[0]);
                let header = rows.iter().position(|r| r[0] == "Date").unwrap();
                assert_eq!(rows[header][7], "Residual");
                assert_eq!(rows[header][9], "Age ≤ 30 d.");
                // The first partner's name just above the header, which is
                // repeated for every partner; each closes with its balance.
                assert_eq!(rows[header - 1].iter().filter(|c| !c.is_empty()).count(), 1);
                let count = |what: &str, col: usize| rows.iter().filter(|r| r[col] == what).count();
                assert!(count("Date", 0) > 1);
                assert_eq!(count("Date", 0), count("Partner cumul aged balance", 5));
                assert_eq!(count("Total", 5), 1);
                assert_eq!(count("Percents", 5), 1);
            }
            ExportFormat::ErpNext => {
                let text = String::from_utf8(bytes).unwrap();
                assert!(text.starts_with(
                    "Posting Date,Party,Customer Name,Receivable Account,Voucher Type,Voucher No,Due Date,Invoiced Amount,"
                ));
                assert!(text.contains(",Payment Entry,"), "payments");
                // DD-MM-YYYY, CRLF, and a last line without a label.
                let last = text.trim_end().rsplit("\r\n").next().unwrap();
                assert!(last.starts_with(",,,,,,,"), "{last}");
                let first = text.split("\r\n").nth(1).unwrap();
                assert!(
                    first.as_bytes()[2] == b'-' && first.as_bytes()[5] == b'-',
                    "{first}"
                );
                assert!(
                    names[0].starts_with("Accounts Receivable 2026-"),
                    "{names:?}"
                );
            }
            ExportFormat::BusinessCentral => {
                // No date in the names: the report's caption, then the
                // browser's copies.
                let base = "Aged Accounts Receivable (Excel)";
                assert_eq!(
                    names,
                    [
                        format!("{base} (1).xlsx"),
                        format!("{base} (2).xlsx"),
                        format!("{base} (3).xlsx"),
                        format!("{base}.xlsx"),
                    ]
                );
                // The workbook's parts: the data sheet among the layout's
                // sheets, the metadata sheet hidden, the dataset's names.
                use calamine::{Data, Reader, SheetVisible};
                let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&files[0]).unwrap();
                let sheets: Vec<(String, bool)> = wb
                    .sheets_metadata()
                    .iter()
                    .map(|m| (m.name.clone(), m.visible == SheetVisible::Visible))
                    .collect();
                assert_eq!(sheets[0], ("Aged Accounts Rec. (Print)".to_string(), true));
                assert!(sheets.contains(&("CustomerAgingData".to_string(), true)));
                assert!(sheets.contains(&("Aggregated Metadata".to_string(), false)));
                let data = wb.worksheet_range("CustomerAgingData").unwrap();
                let header: Vec<String> = data
                    .rows()
                    .next()
                    .unwrap()
                    .iter()
                    .map(|c| c.to_string())
                    .collect();
                assert_eq!(
                    &header[..4],
                    [
                        "CustomerNumber",
                        "CustomerName",
                        "DocumentType",
                        "DocumentNo"
                    ]
                );
                assert!(header.contains(&"RemainingAmountLCY".to_string()));
                assert_eq!(header.last().map(String::as_str), Some("EntryNo"));
                // Date cells and number cells.
                let row: Vec<&Data> = data.rows().nth(1).unwrap().iter().collect();
                let due = header.iter().position(|h| h == "DueDate").unwrap();
                let open = header
                    .iter()
                    .position(|h| h == "RemainingAmountLCY")
                    .unwrap();
                assert!(matches!(row[due], Data::DateTime(_)), "{:?}", row[due]);
                assert!(matches!(row[open], Data::Float(_)), "{:?}", row[open]);
                let meta = wb.worksheet_range("Aggregated Metadata").unwrap();
                assert!(meta
                    .rows()
                    .any(|r| r[0] == Data::String("Aged As Of".into())
                        && matches!(r[1], Data::DateTime(_))));
            }
            _ => assert!(bytes.starts_with(b"PK\x03\x04")),
        }
    }
}

#[test]
fn the_same_options_give_the_same_export_bytes() {
    let opts = SampleOptions {
        customers: 20,
        months: 2,
        ..options()
    };
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for format in [
        ExportFormat::Sap,
        ExportFormat::Dynamics,
        ExportFormat::QuickBooksDesktop,
        ExportFormat::Xero,
        ExportFormat::Odoo,
        ExportFormat::ErpNext,
        ExportFormat::BusinessCentral,
    ] {
        let (pa, pb) = (a.path().join(format.name()), b.path().join(format.name()));
        let sa = write_sample_as(&opts, format, &pa).unwrap();
        let sb = write_sample_as(&opts, format, &pb).unwrap();
        assert_eq!(sa, sb);
        for entry in std::fs::read_dir(pa.join("snapshots")).unwrap() {
            let p = entry.unwrap().path();
            let q = pb.join("snapshots").join(p.file_name().unwrap());
            assert!(
                std::fs::read(&p).unwrap() == std::fs::read(&q).unwrap(),
                "{}",
                p.display()
            );
        }
    }
}

//! A corpus of bad inputs, each with the specific error it must produce:
//! position (`file:line:col`, or the exit code when the folder cannot be
//! read at all) and message. Every case must give exactly its expected
//! problems, no more. Read through `arsite check`'s library entry point.

use arsite::import::{exit_code, Problems};
use arsite::sample::exports::{XCell, XlsxWriter};
use std::path::Path;

const SNAPSHOT: &str = "snapshots/2026-10-31.csv";
const H: &str =
    "invoice_id,customer_id,customer_name,invoice_date,due_date,amount,open_amount,currency,status\n";
const GOOD: &str = "I1,C1,Acme,2026-09-01,2026-10-01,100.00,100.00,EUR,open\n";

struct Case {
    name: &'static str,
    /// `arsite.toml` after the title and currency; `None`: no settings file.
    settings: Option<&'static str>,
    files: Vec<(&'static str, Vec<u8>)>,
    /// (position, message part) per expected problem.
    expect: Vec<(&'static str, &'static str)>,
}

fn case(
    name: &'static str,
    settings: &'static str,
    files: Vec<(&'static str, Vec<u8>)>,
    expect: Vec<(&'static str, &'static str)>,
) -> Case {
    Case {
        name,
        settings: Some(settings),
        files,
        expect,
    }
}

fn snapshot(body: &str) -> Vec<(&'static str, Vec<u8>)> {
    vec![(SNAPSHOT, format!("{H}{body}").into_bytes())]
}

const MAPPED: &str = "[import.snapshots]\n";

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for u in text.encode_utf16() {
        out.extend_from_slice(&if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

fn workbook(sheet: &str, rows: &[Vec<XCell<'_>>]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.xlsx");
    let mut w = XlsxWriter::create(&path, sheet).unwrap();
    for r in rows {
        w.row(r).unwrap();
    }
    w.finish().unwrap();
    std::fs::read(path).unwrap()
}

/// The problems (or the exit code and message) for a data folder, with
/// paths relative to it.
fn run(dir: &Path) -> Vec<String> {
    let prefix = format!("{}/", dir.display());
    let strip = |s: String| s.replace(&prefix, "");
    match arsite::check::check(dir) {
        // A file of only bad rows is also refused as a whole (too many
        // rejected: tests/tests/import_layout.rs); here each row's message.
        Ok(report) => report
            .problems()
            .filter(|p| p.kind != arsite::import::Kind::TooManyRejected)
            .map(|p| strip(p.to_string()))
            .collect(),
        Err(e) => match e.downcast_ref::<Problems>() {
            Some(Problems(p)) => {
                assert_eq!(exit_code(&e), 65);
                p.iter().map(|p| strip(p.to_string())).collect()
            }
            None => vec![strip(format!("exit {}: {e:#}", exit_code(&e)))],
        },
    }
}

fn corpus() -> Vec<Case> {
    let xlsx_header: Vec<XCell> = [
        "invoice_id",
        "customer_id",
        "invoice_date",
        "due_date",
        "open_amount",
    ]
    .map(XCell::Text)
    .to_vec();
    vec![
        // ----- files that are not what was expected -----
        case("empty file", "", vec![(SNAPSHOT, vec![])], vec![(
            "snapshots/2026-10-31.csv:1",
            "file is empty: expected a CSV export with a header row",
        )]),
        case("binary data", "", vec![(SNAPSHOT, b"\x00\x01\x02\x03garbage\x00".to_vec())], vec![(
            "snapshots/2026-10-31.csv",
            "file holds binary data (NUL bytes): expected a CSV text export",
        )]),
        case("workbook saved as .csv", "", vec![(SNAPSHOT, b"PK\x03\x04\x14\x00\x00\x00".to_vec())], vec![(
            "snapshots/2026-10-31.csv",
            "file is a zip archive such as an Excel workbook, not CSV text: expected a CSV export (for .xlsx workbooks set format = \"xlsx\"",
        )]),
        case("PDF", "", vec![(SNAPSHOT, b"%PDF-1.7\n%\xe2\xe3".to_vec())], vec![(
            "snapshots/2026-10-31.csv",
            "file is a PDF document, not CSV text",
        )]),
        case("legacy .xls", "", vec![(SNAPSHOT, b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec())], vec![(
            "snapshots/2026-10-31.csv",
            "file is a legacy Excel workbook (.xls), not CSV text",
        )]),
        case("UTF-16 without BOM", "", vec![(SNAPSHOT, utf16(&format!("{H}{GOOD}"), false))], vec![(
            "snapshots/2026-10-31.csv",
            "(it looks like UTF-16 without a byte-order mark; set encoding = \"utf-16le\")",
        )]),
        case("UTF-16 big-endian", "", vec![(SNAPSHOT, {
            let mut b = vec![0xFE, 0xFF];
            b.extend(utf16(&format!("{H}{GOOD}"), true));
            b
        })], vec![(
            "snapshots/2026-10-31.csv",
            "file is UTF-16 big-endian: expected UTF-8, UTF-16LE",
        )]),
        case("header without the canonical columns", "", vec![(SNAPSHOT, b"id;customer;amount\n1;2;3\n".to_vec())], vec![(
            "snapshots/2026-10-31.csv:1",
            "header is missing the column(s) invoice_id, customer_id, customer_name, invoice_date, due_date, amount, open_amount; expected a header row with",
        )]),
        case(
            "fixed-width report: the sniffed delimiter is wrong",
            "[import.snapshots]\n[import.snapshots.columns]\ninvoice_id = \"Doc\"\ncustomer_id = \"Cust\"\ninvoice_date = \"Date\"\ndue_date = \"Due\"\nopen_amount = \"Open\"\n",
            vec![(SNAPSHOT, b"Doc  Cust  Date        Due         Open\nD1   C1    2026-09-01  2026-10-01  1,234.56\nD2   C1    2026-09-01  2026-10-01  2,000.00\n".to_vec())],
            vec![(
                "snapshots/2026-10-31.csv:1",
                "no header row with \"Doc\", \"Cust\", \"Date\", \"Due\", \"Open\" in the first 3 rows (fields split at \",\", which looked like the delimiter; set delimiter in arsite.toml if it is not); the closest (line 1) lacks \"Doc\" (invoice_id)",
            )],
        ),
        case(
            "configured delimiter does not split the header",
            "[import.snapshots]\ndelimiter = \",\"\n",
            vec![(SNAPSHOT, format!("{H}{GOOD}").replace(',', ";").into_bytes())],
            vec![(
                "snapshots/2026-10-31.csv:1",
                "no header row with \"invoice_id\", \"customer_id\", \"invoice_date\", \"due_date\", \"open_amount\" in the first 2 rows; the closest (line 1) lacks",
            )],
        ),
        case(
            "header row configured beyond the end",
            "[import.snapshots]\nheader_row = 9\n",
            snapshot(GOOD),
            vec![("snapshots/2026-10-31.csv:1", "expected the header row at line 9, but the file ends before it")],
        ),
        case(
            "workbook without the configured sheet",
            "[import.snapshots]\nformat = \"xlsx\"\nsheet = \"Aging\"\n",
            vec![("snapshots/aging_2026-10-31.xlsx", workbook("Customer aging", std::slice::from_ref(&xlsx_header)))],
            vec![(
                "snapshots/aging_2026-10-31.xlsx",
                "workbook has no sheet \"Aging\": expected one of \"Customer aging\"",
            )],
        ),
        case(
            "CSV text where a workbook was configured",
            "[import.snapshots]\nformat = \"xlsx\"\n",
            vec![("snapshots/aging_2026-10-31.xlsx", format!("{H}{GOOD}").into_bytes())],
            vec![(
                "snapshots/aging_2026-10-31.xlsx",
                "expected an Excel workbook (.xlsx): the file is text (a CSV export? set format = \"csv\")",
            )],
        ),
        // ----- amounts -----
        case("unparseable amount", "", snapshot("I1,C1,Acme,2026-09-01,2026-10-01,12;50,100.00,EUR,open\n"), vec![(
            "snapshots/2026-10-31.csv:2:6",
            "amount: expected an amount such as -1234.56, found \"12;50\"",
        )]),
        case("more decimals than the currency has", "", snapshot("I1,C1,Acme,2026-09-01,2026-10-01,1.234,1.00,EUR,open\n"), vec![(
            "snapshots/2026-10-31.csv:2:6",
            "amount: expected at most 2 decimal places for this currency, found \"1.234\"",
        )]),
        case(
            "decimal point read with a decimal-comma setting",
            "[import.snapshots]\ndecimal = \",\"\n",
            snapshot("I1,C1,Acme,2026-09-01,2026-10-01,\"1.234,56\",1234.56,EUR,open\n"),
            vec![(
                "snapshots/2026-10-31.csv:2:7",
                "open_amount: expected groups of three digits after the thousands separator '.' (an amount such as 1.234,56; is the decimal separator right?), found \"1234.56\"",
            )],
        ),
        case("two sign markers", MAPPED, snapshot("I1,C1,Acme,2026-09-01,2026-10-01,-5,(5)-,EUR,open\n"), vec![(
            "snapshots/2026-10-31.csv:2:7",
            "open_amount: expected one sign marker (-, trailing -, parentheses, CR or DR), found \"(5)-\"",
        )]),
        case("unbalanced parentheses", MAPPED, snapshot("I1,C1,Acme,2026-09-01,2026-10-01,(5,-5,EUR,open\n"), vec![(
            "snapshots/2026-10-31.csv:2:6",
            "amount: expected both parentheses around a negative amount, found \"(5\"",
        )]),
        case("absurdly large amount", "", snapshot("I1,C1,Acme,2026-09-01,2026-10-01,20000000000000.00,1.00,EUR,open\n"), vec![(
            "snapshots/2026-10-31.csv:2:6",
            "amount: amount is too large (expected at most 1000000000000000 minor units), found \"20000000000000.00\"",
        )]),
        case(
            "number cell with more decimals than the currency has",
            "[import.snapshots]\nformat = \"xlsx\"\n",
            vec![("snapshots/aging_2026-10-31.xlsx", workbook("Aging", &[
                xlsx_header.clone(),
                vec![XCell::Text("I1"), XCell::Text("C1"), XCell::Text("2026-09-01"), XCell::Text("2026-10-01"), XCell::Number("12.345")],
            ]))],
            vec![(
                "snapshots/aging_2026-10-31.xlsx[Aging]:2:5",
                "open_amount: expected at most 2 decimal places for this currency (a number cell holding 12.345; round it in the workbook)",
            )],
        ),
        case(
            "amount marked with another currency than the row's",
            MAPPED,
            snapshot("I1,C1,Acme,2026-09-01,2026-10-01,USD 100.00,100.00,EUR,open\n"),
            vec![("snapshots/2026-10-31.csv:2:6", "amount: expected an amount in EUR (the row's currency), found one marked USD")],
        ),
        // ----- dates -----
        case("impossible date", "", snapshot("I1,C1,Acme,2026-13-01,2026-10-01,100.00,100.00,EUR,open\n"), vec![(
            "snapshots/2026-10-31.csv:2:4",
            "invoice_date: expected a date YYYY-MM-DD, found \"2026-13-01\"",
        )]),
        case(
            "date in another format than configured",
            "[import.snapshots]\ndate_format = \"DD.MM.YYYY\"\n",
            snapshot("I1,C1,Acme,09/01/2026,01.10.2026,100.00,100.00,EUR,open\n"),
            vec![("snapshots/2026-10-31.csv:2:4", "invoice_date: expected a date DD.MM.YYYY, found \"09/01/2026\"")],
        ),
        case(
            "ambiguous date with no format configured",
            MAPPED,
            snapshot("I1,C1,Acme,03/04/2026,2026-10-01,100.00,100.00,EUR,open\n"),
            vec![(
                "snapshots/2026-10-31.csv:2:4",
                "invoice_date: expected a date YYYY-MM-DD (set date_format in [import.snapshots] for other forms), found \"03/04/2026\"",
            )],
        ),
        case(
            "Excel serial 60 (the nonexistent 1900-02-29)",
            MAPPED,
            snapshot("I1,C1,Acme,2026-09-01,60,100.00,100.00,EUR,open\n"),
            vec![("snapshots/2026-10-31.csv:2:5", "due_date: expected a date YYYY-MM-DD (set date_format in [import.snapshots] for other forms), found \"60\"")],
        ),
        case("due date before invoice date", "", snapshot("I1,C1,Acme,2026-09-01,2026-08-01,100.00,100.00,EUR,open\n"), vec![(
            "snapshots/2026-10-31.csv:2:5",
            "due_date: due date 2026-08-01 is before the invoice date 2026-09-01",
        )]),
        case("invoice dated after the snapshot", "", snapshot("I1,C1,Acme,2026-11-05,2026-12-01,100.00,100.00,EUR,open\n"), vec![(
            "snapshots/2026-10-31.csv:2:4",
            "invoice_date: date 2026-11-05 is after the snapshot date 2026-10-31",
        )]),
        // ----- values -----
        case("missing required value", "", snapshot("I1,,Acme,2026-09-01,2026-10-01,100.00,100.00,EUR,open\n"), vec![(
            "snapshots/2026-10-31.csv:2:2",
            "customer_id: missing value; this column is required",
        )]),
        case("open amount with the other sign", "", snapshot("I1,C1,Acme,2026-09-01,2026-10-01,100.00,-5.00,EUR,open\n"), vec![(
            "snapshots/2026-10-31.csv:2:7",
            "open_amount: open amount -5.00 has the opposite sign of the amount 100.00; expected the same sign",
        )]),
        case("open amount larger than the amount", "", snapshot("I1,C1,Acme,2026-09-01,2026-10-01,100.00,150.00,EUR,open\n"), vec![(
            "snapshots/2026-10-31.csv:2:7",
            "open_amount: open amount 150.00 is larger than the amount 100.00; expected at most the document's amount",
        )]),
        case("duplicate invoice id", "", snapshot(&format!("{GOOD}{GOOD}")), vec![(
            "snapshots/2026-10-31.csv:3:1",
            "invoice_id: duplicate id \"I1\" in this snapshot; expected each open item once",
        )]),
        case("foreign currency without a rate", "", snapshot("I1,C1,Acme,2026-09-01,2026-10-01,100.00,100.00,USD,open\n"), vec![(
            "snapshots/2026-10-31.csv:2:8",
            "currency: expected EUR (the site's currency) or a currency with a rate under [rates] in arsite.toml, found \"USD\"",
        )]),
        case("currency that is not a code", "", snapshot("I1,C1,Acme,2026-09-01,2026-10-01,100.00,100.00,EURO,open\n"), vec![(
            "snapshots/2026-10-31.csv:2:8",
            "currency: expected a three-letter ISO 4217 code such as EUR, found \"EURO\"",
        )]),
        case("three letters that are not a currency", "", snapshot("I1,C1,Acme,2026-09-01,2026-10-01,100.00,100.00,ABC,open\n"), vec![(
            "snapshots/2026-10-31.csv:2:8",
            "currency: \"ABC\" is not an ISO 4217 currency code: expected one such as EUR, USD or JPY",
        )]),
        case("unknown status", "", snapshot("I1,C1,Acme,2026-09-01,2026-10-01,100.00,100.00,EUR,paid\n"), vec![(
            "snapshots/2026-10-31.csv:2:9",
            "status: expected one of open, disputed, promised, agency, legal, found \"paid\"",
        )]),
        case(
            "sign indicator outside the rule's values",
            "[import.snapshots]\n[import.snapshots.sign]\ncolumn = \"S/H\"\nnegative = [\"H\"]\npositive = [\"S\"]\n",
            vec![(SNAPSHOT, format!("{}S/H\nI1,C1,Acme,2026-09-01,2026-10-01,100.00,100.00,EUR,open,X\n", H.trim_end().to_string() + ",").into_bytes())],
            vec![("snapshots/2026-10-31.csv:2:10", "\"S/H\" (sign rule): expected one of S, H, found \"X\"")],
        ),
        case("text in another encoding", "", vec![(SNAPSHOT, {
            let mut b = H.as_bytes().to_vec();
            b.extend_from_slice(b"I1,C1,M\xfcller GmbH,2026-09-01,2026-10-01,100.00,100.00,EUR,open\n");
            b
        })], vec![(
            "snapshots/2026-10-31.csv:2:3",
            "customer_name: expected UTF-8 text (is the file in another encoding? set encoding = \"windows-1252\" or \"utf-16le\" in [import])",
        )]),
        // ----- header and row shape (issue 13, item 12) -----
        case(
            "a column named twice in the header",
            "",
            vec![(SNAPSHOT, format!("{},AMOUNT\n{}", H.trim_end(), GOOD.trim_end().to_string() + ",5\n").into_bytes())],
            vec![(
                "snapshots/2026-10-31.csv:1:10",
                "header names the column \"amount\" twice (fields 6 and 10): expected each column once",
            )],
        ),
        case(
            "a column named twice in a mapped file",
            MAPPED,
            vec![(SNAPSHOT, format!("{}, Open_Amount \n{}", H.trim_end(), GOOD.trim_end().to_string() + ",5\n").into_bytes())],
            vec![(
                "snapshots/2026-10-31.csv:1:10",
                "header names the column \"open_amount\" twice (fields 7 and 10)",
            )],
        ),
        case(
            "a ledger column named twice",
            "",
            vec![
                (SNAPSHOT, format!("{H}{GOOD}").into_bytes()),
                ("sales.csv", b"period,amount,Amount\n2026-10,5,6\n".to_vec()),
            ],
            vec![("sales.csv:1:3", "header names the column \"amount\" twice (fields 2 and 3)")],
        ),
        case(
            "a row with more fields than the header",
            "",
            snapshot("I1,C1,Acme,2026-09-01,2026-10-01,100.00,100.00,EUR,open,late fee\n"),
            vec![(
                "snapshots/2026-10-31.csv:2:10",
                "the row has 10 fields and a value in field 10, but the header names 9: expected at most 9 fields",
            )],
        ),
        case(
            "a ledger row with more fields than the header",
            "",
            vec![
                (SNAPSHOT, format!("{H}{GOOD}").into_bytes()),
                ("activity.csv", b"date,type,customer_id,invoice_id,amount\n2026-10-02,payment,C1,I1,5.00,,7\n".to_vec()),
            ],
            vec![("activity.csv:2:7", "the row has 7 fields and a value in field 7, but the header names 5")],
        ),
        // ----- snapshot dates and files -----
        case(
            "rows disagreeing on the snapshot date",
            "[import.snapshots]\n[import.snapshots.columns]\nas_of = \"Key date\"\n",
            vec![("snapshots/open items.csv", format!(
                "{},Key date\nI1,C1,Acme,2026-09-01,2026-10-01,100.00,100.00,EUR,open,2026-10-31\nI2,C1,Acme,2026-09-01,2026-10-01,100.00,100.00,EUR,open,2026-09-30\n",
                H.trim_end()
            ).into_bytes())],
            vec![("snapshots/open items.csv:3:10", "as_of (\"Key date\"): expected the file's snapshot date 2026-10-31, found 2026-09-30")],
        ),
        case(
            "snapshot date column without dates",
            "[import.snapshots]\n[import.snapshots.columns]\nas_of = \"Key date\"\n",
            vec![("snapshots/open items.csv", format!("{},Key date\nI1,C1,Acme,2026-09-01,2026-10-01,100.00,100.00,EUR,open,\n", H.trim_end()).into_bytes())],
            vec![("snapshots/open items.csv", "no row has a snapshot date in the as_of column")],
        ),
        case("misnamed snapshot file", "", vec![("snapshots/october.csv", format!("{H}{GOOD}").into_bytes())], vec![(
            "snapshots/october.csv",
            "expected YYYY-MM-DD.csv (the snapshot date) in",
        )]),
        case("export without a date in its name", MAPPED, vec![("snapshots/aging.csv", format!("{H}{GOOD}").into_bytes())], vec![(
            "snapshots/aging.csv",
            "expected files with the snapshot date YYYY-MM-DD or YYYYMMDD in their names, ending in .csv or .txt or .tsv",
        )]),
        case(
            "two files for one date",
            MAPPED,
            vec![
                ("snapshots/a_2026-10-31.csv", format!("{H}{GOOD}").into_bytes()),
                ("snapshots/b_20261031.csv", format!("{H}{GOOD}").into_bytes()),
            ],
            vec![("snapshots/b_20261031.csv", "a second snapshot for 2026-10-31 (the first is")],
        ),
        // ----- ledgers -----
        case(
            "activity of an unknown type",
            "",
            vec![
                (SNAPSHOT, format!("{H}{GOOD}").into_bytes()),
                ("activity.csv", b"date,type,customer_id,invoice_id,amount\n2026-10-02,refund,C1,I1,5.00\n".to_vec()),
            ],
            vec![("activity.csv:2:2", "type: expected one of payment, credit_memo")],
        ),
        case(
            "sales period that is no month",
            "",
            vec![
                (SNAPSHOT, format!("{H}{GOOD}").into_bytes()),
                ("sales.csv", b"period,amount\n2026-13,5\n".to_vec()),
            ],
            vec![("sales.csv:2:1", "period: expected a month YYYY-MM, found \"2026-13\"")],
        ),
        case(
            "a customer twice in the customer master",
            "",
            vec![
                (SNAPSHOT, format!("{H}{GOOD}").into_bytes()),
                ("customers.csv", b"customer_id,name,division\nC1,Acme,North\nC2,Other,South\nC1,Acme Ltd,South\n".to_vec()),
            ],
            vec![("customers.csv:4:1", "customer_id: duplicate id \"C1\" (first on line 2); expected each customer once")],
        ),
        case(
            "a negative credit limit",
            "",
            vec![
                (SNAPSHOT, format!("{H}{GOOD}").into_bytes()),
                ("customers.csv", b"customer_id,name,credit_limit\nC1,Acme,-500\n".to_vec()),
            ],
            vec![("customers.csv:2:3", "credit_limit: expected a credit limit of zero or more, found -500.00")],
        ),
        // ----- folders and settings (exit codes 66 and 78) -----
        Case {
            name: "no settings file",
            settings: None,
            files: snapshot(GOOD),
            expect: vec![("exit 66", "arsite.toml: missing: expected the site settings")],
        },
        case("no snapshots folder", "", vec![], vec![("exit 66", "missing: expected a snapshots folder")]),
        case("empty snapshots folder", "", vec![("snapshots/.keep", vec![])], vec![("exit 66", "no snapshot files (expected YYYY-MM-DD.csv")]),
        case(
            "ledger file named in the settings is missing",
            "[import.sales]\nfile = \"exports/sales.xlsx\"\nformat = \"xlsx\"\n",
            snapshot(GOOD),
            vec![("exit 66", "exports/sales.xlsx: missing: expected the file named in [import.sales] file")],
        ),
        case("unknown preset", "[import.snapshots]\npreset = \"sage\"\n", snapshot(GOOD), vec![(
            "exit 78",
            "import.snapshots.preset: expected one of sap-fbl5n, netsuite-ar-aging-detail, quickbooks-ar-aging-detail, dynamics365-customer-aging, quickbooks-desktop-open-invoices, xero-aged-receivables-detail, business-central-aged-receivables, found \"sage\"",
        )]),
        case("unknown column in a mapping", "[import.snapshots.columns]\ninvoice = \"Doc\"\n", snapshot(GOOD), vec![(
            "exit 78",
            "import.snapshots: unknown column \"invoice\"; expected one of invoice_id",
        )]),
        case("date format without a day", "[import.snapshots]\ndate_format = \"MM/YYYY\"\n", snapshot(GOOD), vec![(
            "exit 78",
            "import.snapshots.date_format: expected a date format such as DD.MM.YYYY",
        )]),
        case("unknown setting", "[import.snapshots]\ndecimals = \",\"\n", snapshot(GOOD), vec![(
            "exit 78",
            "unknown field `decimals`",
        )]),
    ]
}

#[test]
fn every_bad_input_gets_its_own_error() {
    let corpus = corpus();
    assert!(corpus.len() >= 30, "{} cases", corpus.len());
    let mut failures = Vec::new();
    for c in &corpus {
        let dir = tempfile::tempdir().unwrap();
        if let Some(settings) = c.settings {
            std::fs::write(
                dir.path().join("arsite.toml"),
                format!("title = \"T\"\ncurrency = \"EUR\"\n{settings}"),
            )
            .unwrap();
        }
        for (name, bytes) in &c.files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        let found = run(dir.path());
        let matches = |(position, message): &(&str, &str)| {
            found.iter().any(|f| {
                let at = if position.starts_with("exit ") {
                    f.starts_with(&format!("{position}: "))
                } else {
                    f.starts_with(&format!("{position}: error: "))
                };
                at && f.contains(message)
            })
        };
        if found.len() != c.expect.len() || !c.expect.iter().all(matches) {
            failures.push(format!(
                "{}:\n  expected {:?}\n  found    {:?}",
                c.name, c.expect, found
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn no_data_folder_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    let e = arsite::check::check(&missing).unwrap_err();
    assert_eq!(exit_code(&e), 66);
    assert!(e.to_string().ends_with("nope: no such data folder"), "{e}");
}

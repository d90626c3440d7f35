//! CSV export from the dashboard, downloaded by a real Chromium: the rows
//! and figures of the filtered list, named after the filter, with text
//! cells that a spreadsheet would run as formulas neutralised by a leading
//! apostrophe (and numbers, negative ones included, left as numbers).

#[path = "browser_dashboard_reference.rs"]
mod reference;

use arsite_e2e::browser::Browser;
use reference::Snap;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant};

const DATE: &str = "2026-10-31";

/// A small company whose ids and names start with every character a
/// spreadsheet treats as a formula.
fn write_data(dir: &Path) {
    std::fs::create_dir_all(dir.join("snapshots")).unwrap();
    std::fs::write(
        dir.join("arsite.toml"),
        "title = \"Export test\"\ncurrency = \"EUR\"\n",
    )
    .unwrap();
    let csv = "\
invoice_id,customer_id,customer_name,invoice_date,due_date,amount,open_amount,division,collector,status
=1+1,C1,=HYPERLINK(\"http://example.com\"),2026-09-01,2026-10-01,100.00,100.00,North,Ann Smith,open
+17,C2,+41 Trading,2026-08-01,2026-08-31,250.50,250.50,North,Ann Smith,disputed
-5,C3,-Minus GmbH,2026-10-01,2026-11-15,-40.00,-40.00,South,Ann Smith,open
@SUM,C4,@Home Ltd,2026-06-01,2026-07-01,999.99,500.00,South,Ann Smith,legal
N-1,C5,\"Smith, Jones & \"\"Partners\"\"\",2026-10-10,2026-11-09,10.00,10.00,North,Ann Smith,open
N-2,C6,Other Collector Co,2026-10-10,2026-11-09,75.00,75.00,North,Bob Jones,open
";
    std::fs::write(dir.join("snapshots").join(format!("{DATE}.csv")), csv).unwrap();
}

fn wait_for_file(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if path.exists()
            && std::fs::metadata(&path)
                .map(|m| m.len() > 0)
                .unwrap_or(false)
        {
            // Chromium writes to a .crdownload file and renames it when done.
            return path;
        }
        let listing: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            Instant::now() < deadline,
            "no download {name}; found {listing:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a UTF-8 byte-order mark for spreadsheets");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// What a neutralised text cell holds for `text`.
fn neutral(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_the_filtered_lists_safely() {
    assert!(
        arsite::site::assets::has_dashboard(),
        "run `cargo xtask dashboard` first"
    );
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let site = tmp.path().join("public");
    let downloads = tmp.path().join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    write_data(&data);
    arsite::site::build(&arsite::site::BuildOptions {
        data_dir: data.clone(),
        out_dir: site.clone(),
        templates_dir: None,
    })
    .expect("building the export test site");
    let csv = Snap::read(&data.join("snapshots").join(format!("{DATE}.csv")));

    let b = Browser::start_with_downloads(&downloads).await;
    b.goto(&format!(
        "file://{}/{DATE}/dashboard.html?view=invoices",
        site.display()
    ))
    .await;
    b.wait_dashboard_ready().await;
    b.toggle_option("f-collector", "Ann Smith").await;
    b.expect_text("#invoice-count", "Ann's invoices", |t| t.starts_with("5 "))
        .await;
    b.click("#export-invoices").await;
    let file = wait_for_file(
        &downloads,
        &format!("arsite-{DATE}-invoices-collector-ann-smith.csv"),
    );
    let rows = read_csv(&file);
    assert_eq!(
        rows[0],
        [
            "invoice_id",
            "customer_id",
            "customer_name",
            "division",
            "collector",
            "status",
            "invoice_date",
            "due_date",
            "days_past_due",
            "bucket",
            "amount",
            "open_amount",
            "currency"
        ]
    );
    let expected: Vec<_> = csv
        .items
        .iter()
        .filter(|i| i.collector == "Ann Smith")
        .collect();
    assert_eq!(rows.len() - 1, expected.len());
    for item in expected {
        let row = rows
            .iter()
            .find(|r| r[0] == neutral(&item.invoice_id))
            .unwrap_or_else(|| panic!("{} is exported (neutralised)", item.invoice_id));
        assert_eq!(row[1], item.customer_id);
        assert_eq!(row[2], neutral(&item.customer_name));
        assert_eq!(
            (row[3].as_str(), row[4].as_str(), row[5].as_str()),
            (item.division.as_str(), "Ann Smith", item.status.as_str())
        );
        assert_eq!(row[7], item.due_date.format("%Y-%m-%d").to_string());
        assert_eq!(row[8], csv.dpd(item).to_string());
        // Numbers stay numbers: "-40.00", not "'-40.00".
        assert_eq!(Decimal::from_str(&row[10]).unwrap(), item.amount, "{row:?}");
        assert_eq!(Decimal::from_str(&row[11]).unwrap(), item.open, "{row:?}");
        assert_eq!(row[12], "EUR");
    }
    let raw = std::fs::read_to_string(&file).unwrap();
    assert!(
        raw.contains("\"'=HYPERLINK(\"\"http://example.com\"\")\""),
        "{raw}"
    );
    assert!(raw.contains(",-40.00,-40.00,EUR"), "{raw}");

    // Customers, filtered by a search.
    b.click("#f-clear").await;
    b.click("#tab-customers").await;
    b.type_into("#f-customer", "Smith").await;
    b.expect_text("#customer-count", "one customer", |t| t.starts_with("1 "))
        .await;
    b.click("#export-customers").await;
    let file = wait_for_file(
        &downloads,
        &format!("arsite-{DATE}-customers-search-smith.csv"),
    );
    let rows = read_csv(&file);
    assert_eq!(
        rows[0][..5],
        [
            "customer_id",
            "customer_name",
            "open_amount",
            "past_due",
            "items"
        ]
    );
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][0], "C5");
    assert_eq!(rows[1][1], "Smith, Jones & \"Partners\"");
    assert_eq!(Decimal::from_str(&rows[1][2]).unwrap(), Decimal::from(10));
    b.close().await;
}

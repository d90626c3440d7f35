//! Untrusted text from the input (customer names, collector and division
//! names, notes, dispute reasons) is shown literally and never runs, on
//! every kind of page, checked in a real Chromium.

use arsite_e2e::browser::Browser;
use fantoccini::Locator;
use std::fs;
use std::path::Path;

const PAYLOADS: [&str; 4] = [
    "<script>window.__pwned=1</script>",
    "\"><img src=x onerror=\"window.__pwned=2\">",
    "</script><script>window.__pwned=3</script>",
    "javascript:window.__pwned=4",
];

fn csv_field(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn hostile_data(dir: &Path) {
    fs::create_dir_all(dir.join("snapshots")).unwrap();
    fs::write(
        dir.join("arsite.toml"),
        "title = \"<script>window.__pwned=5</script> AR\"\ncurrency = \"EUR\"\n",
    )
    .unwrap();
    for (date, factor) in [("2026-09-30", 1), ("2026-10-31", 2)] {
        let mut text = String::from("invoice_id,customer_id,customer_name,invoice_date,due_date,amount,open_amount,division,collector,status\n");
        for (i, p) in PAYLOADS.iter().enumerate() {
            text.push_str(&format!(
                "INV-{i},{},{},2026-06-01,2026-07-01,{}.00,{}.00,{},{},disputed\n",
                csv_field(&format!("C{i}{p}")),
                csv_field(p),
                100 * factor,
                100 * factor,
                csv_field(&format!("Div {p}")),
                csv_field(&format!("Coll {p}")),
            ));
        }
        fs::write(dir.join(format!("snapshots/{date}.csv")), text).unwrap();
    }
    let mut activity =
        String::from("date,type,customer_id,invoice_id,amount,collector,reference,note\n");
    for (i, p) in PAYLOADS.iter().enumerate() {
        let cust = csv_field(&format!("C{i}{p}"));
        activity.push_str(&format!(
            "2026-10-02,dispute_opened,{cust},INV-{i},10.00,,{},{}\n",
            csv_field(p),
            csv_field(p)
        ));
        activity.push_str(&format!(
            "2026-10-03,contact,{cust},,,,email,{}\n",
            csv_field(p)
        ));
        activity.push_str(&format!(
            "2026-10-04,placement,{cust},INV-{i},100.00,,,{}\n",
            csv_field(p)
        ));
    }
    fs::write(dir.join("activity.csv"), activity).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn script_injections_in_input_text_never_run_and_show_literally() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    hostile_data(&data);
    let site = dir.path().join("site");
    arsite::site::build(&arsite::site::BuildOptions {
        data_dir: data,
        out_dir: site.clone(),
        templates_dir: None,
    })
    .expect("hostile data still builds");

    // Text that lands in CSV downloads is neutralized for spreadsheets too.
    let csv = fs::read_to_string(site.join("2026-10-31/csv/aging--aging-by-customer.csv")).unwrap();
    assert!(!csv
        .lines()
        .skip(1)
        .any(|l| l.starts_with('=') || l.starts_with('+') || l.starts_with('@')));

    let browser = Browser::start().await;
    let customer_page = fs::read_dir(site.join("2026-10-31/customers"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap() != "index.html")
        .unwrap();
    let pages = [
        site.join("index.html"),
        site.join("2026-10-31/index.html"),
        site.join("2026-10-31/aging.html"),
        site.join("2026-10-31/collectors/index.html"),
        site.join("2026-10-31/disputes.html"),
        site.join("2026-10-31/bad-debt.html"),
        site.join("2026-10-31/worklist.html"),
        site.join("2026-10-31/email.html"),
        customer_page,
    ];
    for page in &pages {
        browser.goto(&format!("file://{}", page.display())).await;
        let pwned = browser
            .client
            .execute(
                "return window.__pwned === undefined ? null : window.__pwned;",
                vec![],
            )
            .await
            .unwrap();
        assert!(
            pwned.is_null(),
            "a script ran on {}: {pwned}",
            page.display()
        );
        let body = browser
            .client
            .find(Locator::Css("body"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            body.contains("window.__pwned"),
            "{} shows the hostile text literally",
            page.display()
        );
    }
    let aging = &pages[2];
    browser.goto(&format!("file://{}", aging.display())).await;
    let body = browser
        .client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for p in PAYLOADS {
        assert!(body.contains(p), "aging page shows {p:?} literally");
    }
    // No link on any page runs javascript: URLs.
    for page in &pages {
        let html = fs::read_to_string(page).unwrap();
        assert!(!html.contains("href=\"javascript:"), "{}", page.display());
    }
    browser.close().await;
}

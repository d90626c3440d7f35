//! The dashboard in a real headless Chromium: filters by collector, drills
//! down bucket → customers → invoices, over HTTP and from file://.

use arsite_e2e::browser::Browser;
use arsite_e2e::reference::{bucket, parse_shown, snapshot_files, Row, SnapshotCsv, LABELS};
use arsite_e2e::{sample_data, sample_site};
use fantoccini::Locator;
use rust_decimal::Decimal;

fn latest() -> SnapshotCsv {
    SnapshotCsv::read(snapshot_files(&sample_data()).last().unwrap())
}

/// The collector with the most open items (deterministic choice).
fn busiest_collector(csv: &SnapshotCsv) -> String {
    let mut best = (0, String::new());
    for c in csv.collectors() {
        let n = csv.rows.iter().filter(|r| r.collector == c).count();
        if n > best.0 {
            best = (n, c);
        }
    }
    best.1
}

async fn check_collector_and_drill_down(browser: &Browser, csv: &SnapshotCsv) {
    browser.wait_dashboard_ready().await;
    let all = csv.total(|_| true);
    let shown = browser
        .wait_text("#total-open", |t| parse_shown(t) == all)
        .await;
    assert_eq!(parse_shown(&shown), all, "unfiltered total");

    let collector = busiest_collector(csv);
    let keep = |r: &Row| r.collector == collector;
    let select = browser
        .client
        .find(Locator::Css("#f-collector"))
        .await
        .unwrap();
    select.select_by_label(&collector).await.unwrap();
    let expected = csv.total(keep);
    let shown = browser
        .wait_text("#total-open", |t| parse_shown(t) == expected)
        .await;
    assert_eq!(
        parse_shown(&shown),
        expected,
        "total of collector {collector}"
    );
    let buckets = csv.buckets(keep);
    for (i, amount) in buckets.iter().enumerate() {
        let cell = browser.text(&format!("[data-bucket-amount=\"{i}\"]")).await;
        assert_eq!(
            parse_shown(&cell),
            *amount,
            "bucket {} of {collector}",
            LABELS[i]
        );
    }

    // Drill into the collector's past-due bucket with the most customers.
    let in_bucket = |b: usize| move |r: &Row| keep(r) && bucket(csv.as_of, r.due_date) == b;
    let b = (1..6)
        .max_by_key(|&b| csv.by_customer(in_bucket(b)).len())
        .unwrap();
    let expected_customers = csv.by_customer(in_bucket(b));
    assert!(
        !expected_customers.is_empty(),
        "sample data has past-due items for {collector}"
    );
    browser
        .client
        .find(Locator::Css(&format!("button[data-bucket=\"{b}\"]")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.text("#customer-table").await;
    let mut shown_customers = Vec::new();
    for row in browser
        .client
        .find_all(Locator::Css("#customer-table tr.customer-row"))
        .await
        .unwrap()
    {
        let name = row
            .find(Locator::Css(".customer-link"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let amount = row
            .find(Locator::Css("td.num"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        shown_customers.push((name, parse_shown(&amount)));
    }
    shown_customers.sort();
    let expected_list: Vec<(String, Decimal)> = expected_customers.into_iter().collect();
    assert_eq!(
        shown_customers, expected_list,
        "customers of {collector} in {}",
        LABELS[b]
    );

    // Then one customer's invoices, and back up the breadcrumb.
    let (name, _) = &shown_customers[0];
    let invoices: Vec<&Row> = csv
        .rows
        .iter()
        .filter(|r| in_bucket(b)(r) && &r.customer_name == name)
        .collect();
    browser
        .client
        .find(Locator::XPath(&format!(
            "//button[contains(@class,'customer-link')][normalize-space(.)={}]",
            xpath_literal(name)
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.text("#invoice-table").await;
    let mut ids = Vec::new();
    for th in browser
        .client
        .find_all(Locator::Css("#invoice-table tr.invoice-row th"))
        .await
        .unwrap()
    {
        ids.push(th.text().await.unwrap());
    }
    ids.sort();
    let mut expected_ids: Vec<String> = invoices.iter().map(|r| r.invoice_id.clone()).collect();
    expected_ids.sort();
    assert_eq!(ids, expected_ids, "invoices of {name}");
    browser
        .client
        .find(Locator::Css("#crumb-all"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(
        browser
            .client
            .find(Locator::Css("#invoice-table"))
            .await
            .is_err(),
        "breadcrumb leads back up"
    );
}

/// XPath string literal for any text (names may contain both quote kinds).
fn xpath_literal(s: &str) -> String {
    if !s.contains('\'') {
        return format!("'{s}'");
    }
    let parts: Vec<String> = s.split('\'').map(|p| format!("'{p}'")).collect();
    format!("concat({})", parts.join(", \"'\", "))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_filters_by_collector_and_drills_down_over_http() {
    assert!(arsite::site::assets::has_dashboard(), "arsite was built without the dashboard bundle: run `cargo xtask dashboard` first (cargo xtask test does)");
    let site = sample_site();
    let csv = latest();
    let (addr, server) = arsite::serve::bind(site, 0).await.unwrap();
    tokio::spawn(server);
    let browser = Browser::start().await;
    let date = csv.as_of.format("%Y-%m-%d");
    browser
        .goto(&format!("http://{addr}/{date}/dashboard.html"))
        .await;
    check_collector_and_drill_down(&browser, &csv).await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_works_when_opened_from_a_folder() {
    assert!(
        arsite::site::assets::has_dashboard(),
        "arsite was built without the dashboard bundle"
    );
    let site = sample_site();
    let csv = latest();
    let browser = Browser::start().await;
    let date = csv.as_of.format("%Y-%m-%d");
    browser
        .goto(&format!("file://{}/{date}/dashboard.html", site.display()))
        .await;
    check_collector_and_drill_down(&browser, &csv).await;
    browser.close().await;
}

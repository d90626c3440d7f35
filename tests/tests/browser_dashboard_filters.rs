//! Every filter of the dashboard, in a real Chromium, against totals
//! computed independently from the sample CSV (no `arsite-core` on the
//! expected side): division, collectors (several), customer search (name
//! and id, any case), buckets, statuses, amount and days-past-due ranges,
//! and all of them at once. The scorecard's figures for a filtered
//! selection are checked the same way.

#[path = "browser_dashboard_reference.rs"]
mod reference;

use arsite_e2e::browser::Browser;
use arsite_e2e::reference::{parse_shown, snapshot_files};
use arsite_e2e::{sample_data, sample_site};
use reference::{label, Item, Snap};
use rust_decimal::Decimal;
use std::str::FromStr;

fn latest() -> Snap {
    Snap::read(snapshot_files(&sample_data()).last().unwrap())
}

/// Waits for the dashboard to show exactly the selection `keep` describes.
async fn expect_selection(b: &Browser, csv: &Snap, what: &str, keep: impl Fn(&Item) -> bool) {
    let (total, count, buckets) = csv.totals(&keep);
    assert!(count > 0, "{what}: the test should select something");
    b.expect_text("#total-open", what, |t| parse_shown(t) == total)
        .await;
    b.expect_text("#total-count", what, |t| t.trim() == count.to_string())
        .await;
    for (i, amount) in buckets.iter().enumerate() {
        let shown = b.text(&format!("[data-bucket-amount=\"{i}\"]")).await;
        assert_eq!(parse_shown(&shown), *amount, "{what}: bucket {i}");
    }
    let customers = csv.by_customer(&keep).len();
    b.expect_text("#selection-summary", what, |t| {
        t.contains(&format!("{count} open items of {customers} customers"))
    })
    .await;
}

async fn clear(b: &Browser, csv: &Snap) {
    b.click("#f-clear").await;
    expect_selection(b, csv, "cleared", |_| true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_filter_matches_an_independent_sum() {
    let site = sample_site();
    let csv = latest();
    let (addr, server) = arsite::serve::bind(site, 0).await.unwrap();
    tokio::spawn(server);
    let b = Browser::start().await;
    let date = csv.as_of.format("%Y-%m-%d");
    b.goto(&format!("http://{addr}/{date}/dashboard.html"))
        .await;
    b.wait_dashboard_ready().await;
    expect_selection(&b, &csv, "everything", |_| true).await;

    // Two divisions at once.
    let divisions = csv.distinct(|i| &i.division);
    let two: Vec<String> = divisions.iter().take(2).cloned().collect();
    for d in &two {
        b.toggle_option("f-division", label(d)).await;
    }
    expect_selection(&b, &csv, "two divisions", |i| two.contains(&i.division)).await;
    clear(&b, &csv).await;

    // Several collectors at once.
    let collectors = csv.distinct(|i| &i.collector);
    let three: Vec<String> = collectors.iter().rev().take(3).cloned().collect();
    for c in &three {
        b.toggle_option("f-collector", label(c)).await;
    }
    expect_selection(&b, &csv, "three collectors", |i| {
        three.contains(&i.collector)
    })
    .await;
    clear(&b, &csv).await;

    // Customer search: part of a name in another case, then part of an id.
    let name = &csv.items[csv.items.len() / 2].customer_name;
    let part: String = name
        .chars()
        .skip(1)
        .take(4)
        .collect::<String>()
        .to_uppercase();
    b.type_into("#f-customer", &part).await;
    let needle = part.to_lowercase();
    expect_selection(&b, &csv, "search by name", |i| {
        i.customer_name.to_lowercase().contains(&needle)
            || i.customer_id.to_lowercase().contains(&needle)
    })
    .await;
    clear(&b, &csv).await;
    let id = &csv.items[0].customer_id;
    let id_part: String = id
        .chars()
        .take(id.len() - 1)
        .collect::<String>()
        .to_lowercase();
    b.type_into("#f-customer", &id_part).await;
    expect_selection(&b, &csv, "search by id", |i| {
        i.customer_name.to_lowercase().contains(&id_part)
            || i.customer_id.to_lowercase().contains(&id_part)
    })
    .await;
    clear(&b, &csv).await;

    // Two buckets.
    b.click("#f-bucket-1").await;
    b.click("#f-bucket-3").await;
    expect_selection(&b, &csv, "buckets 1–30 and 61–90", |i| {
        matches!(csv.bucket(i), 1 | 3)
    })
    .await;
    clear(&b, &csv).await;

    // Statuses: every status the data has except `open`.
    let statuses: Vec<String> = csv
        .distinct(|i| &i.status)
        .into_iter()
        .filter(|s| s != "open")
        .collect();
    assert!(
        !statuses.is_empty(),
        "the sample data has items that are not simply open"
    );
    for s in &statuses {
        b.click(&format!("#f-status-{s}")).await;
    }
    expect_selection(&b, &csv, "statuses", |i| statuses.contains(&i.status)).await;
    clear(&b, &csv).await;

    // Amount range, both ends included.
    b.type_into("#f-min", "1000").await;
    b.type_into("#f-max", "5000.5").await;
    let (lo, hi) = (Decimal::from(1000), Decimal::from_str("5000.5").unwrap());
    expect_selection(&b, &csv, "amount range", |i| i.open >= lo && i.open <= hi).await;
    // Not a number: said so, and the selection stays.
    b.type_into("#f-max", "x").await;
    b.expect_text("#f-max-error", "invalid amount", |t| {
        t.contains("Not a number")
    })
    .await;
    expect_selection(&b, &csv, "amount range kept", |i| {
        i.open >= lo && i.open <= hi
    })
    .await;
    clear(&b, &csv).await;

    // Days past due range.
    b.type_into("#f-dpd-min", "10").await;
    b.type_into("#f-dpd-max", "45").await;
    expect_selection(&b, &csv, "days past due range", |i| {
        (10..=45).contains(&csv.dpd(i))
    })
    .await;
    clear(&b, &csv).await;

    // Everything at once.
    let collector = three[0].clone();
    b.toggle_option("f-collector", label(&collector)).await;
    b.click("#f-bucket-0").await;
    b.click("#f-bucket-1").await;
    b.type_into("#f-dpd-max", "20").await;
    b.click("#f-status-open").await;
    expect_selection(&b, &csv, "combined", |i| {
        i.collector == collector && csv.bucket(i) <= 1 && csv.dpd(i) <= 20 && i.status == "open"
    })
    .await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scorecard_follows_the_filters() {
    let site = sample_site();
    let csv = latest();
    let b = Browser::start().await;
    let date = csv.as_of.format("%Y-%m-%d");
    // From a folder this time.
    b.goto(&format!(
        "file://{}/{date}/dashboard.html?view=scorecard",
        site.display()
    ))
    .await;
    b.wait_dashboard_ready().await;
    let divisions = csv.distinct(|i| &i.division);
    let division = divisions.last().unwrap().clone();
    b.toggle_option("f-division", label(&division)).await;
    b.click("#f-bucket-0").await;
    let keep = |i: &Item| i.division == division && csv.bucket(i) == 0;
    let (total, _, _) = csv.totals(keep);
    b.expect_text(
        "#scorecard-total [data-kpi=open_ar]",
        "scorecard total",
        |t| parse_shown(t) == total,
    )
    .await;
    // One line per collector with selected items, with their open amount,
    // item and customer counts.
    for collector in csv.distinct(|i| &i.collector) {
        let mine = |i: &Item| keep(i) && i.collector == collector;
        let (open, count, _) = csv.totals(mine);
        let css = format!(
            "#scorecard-table tr.collector-row:has(button[data-collector=\"{}\"])",
            collector.replace('"', "\\\"")
        );
        if count == 0 {
            assert_eq!(
                b.js(&format!(
                    "return document.querySelectorAll('{}').length",
                    css.replace('\'', "\\'")
                ))
                .await
                .as_u64(),
                Some(0),
                "{collector} has nothing selected"
            );
            continue;
        }
        let shown = b.text(&format!("{css} [data-kpi=open_ar]")).await;
        assert_eq!(parse_shown(&shown), open, "open AR of {collector}");
        let items = b.text(&format!("{css} [data-kpi=invoices]")).await;
        assert_eq!(items.trim(), count.to_string(), "items of {collector}");
        let customers = csv.by_customer(mine).len();
        let shown = b.text(&format!("{css} [data-kpi=customers]")).await;
        assert_eq!(
            shown.trim(),
            customers.to_string(),
            "customers of {collector}"
        );
    }
    // Sorting by open AR, largest first: the column reads in order.
    b.click("button[data-list=scorecard][data-sort=open_ar]")
        .await;
    b.expect_text("th[aria-sort=descending]", "sorted", |t| {
        t.contains("Open AR")
    })
    .await;
    let cells = b
        .js("return [...document.querySelectorAll('#scorecard-table tbody [data-kpi=open_ar]')].map(td => td.firstChild.textContent)")
        .await;
    let values: Vec<Decimal> = cells
        .as_array()
        .unwrap()
        .iter()
        .map(|v| parse_shown(v.as_str().unwrap()))
        .collect();
    assert!(
        values.windows(2).all(|w| w[0] >= w[1]),
        "descending: {values:?}"
    );
    b.close().await;
}

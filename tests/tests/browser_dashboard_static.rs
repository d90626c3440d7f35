//! The filter bar on a static table (the markup contract of
//! `dashboard/src/static_bar.rs`), on a minimal page written here the way
//! the generator's pages carry it, under the site's Content-Security-Policy:
//! choosing collectors and divisions and searching hide rows, ordering by a
//! column reorders them, the choice survives a reload through the URL,
//! and the table is untouched without JavaScript (checked to be off).

#[path = "browser_dashboard_reference.rs"]
mod reference;

use arsite_e2e::browser::Browser;
use arsite_e2e::reference::snapshot_files;
use arsite_e2e::{sample_data, sample_site};
use reference::{label, Snap};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::time::Duration;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

struct Line {
    collector: String,
    divisions: Vec<String>,
    open: Decimal,
    items: usize,
}

fn lines(csv: &Snap) -> Vec<Line> {
    let mut m: BTreeMap<String, Line> = BTreeMap::new();
    for i in &csv.items {
        let l = m.entry(i.collector.clone()).or_insert_with(|| Line {
            collector: i.collector.clone(),
            divisions: Vec::new(),
            open: Decimal::ZERO,
            items: 0,
        });
        l.open += i.open;
        l.items += 1;
        if !l.divisions.contains(&i.division) {
            l.divisions.push(i.division.clone());
        }
    }
    m.into_values().collect()
}

/// A scorecard-like static page following the markup contract.
fn page(lines: &[Line]) -> String {
    let mut rows = String::new();
    for l in lines {
        let _ = writeln!(
            rows,
            "<tr data-collector=\"{}\" data-division=\"{}\"><th scope=\"row\">{}</th>\
             <td class=\"num\" data-value=\"{}\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&l.collector),
            esc(&l.divisions.join("\n")),
            esc(label(&l.collector)),
            l.open,
            l.open,
            l.items
        );
    }
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'\">\
         <title>Scorecard</title><link rel=\"stylesheet\" href=\"../assets/style.css\"></head><body><main>\
         <div data-arsite-filter-bar=\"scorecard\"></div>\
         <div class=\"table-wrap\"><table class=\"report\" id=\"scorecard\" data-arsite-filter=\"scorecard\" data-dashboard=\"dashboard.html\">\
         <thead><tr><th scope=\"col\" data-sort=\"text\">Collector</th><th scope=\"col\" class=\"num\" data-sort=\"num\">Open AR</th>\
         <th scope=\"col\" class=\"num\" data-sort=\"num\">Items</th></tr></thead><tbody>\n{rows}</tbody>\
         <tfoot><tr><th scope=\"row\">Total</th><td class=\"num\">all</td><td class=\"num\">all</td></tr></tfoot></table></div>\
         </main><script src=\"../assets/dashboard-wasm.js\"></script><script src=\"../assets/dashboard.js\"></script>\
         <script src=\"../assets/boot.js\"></script></body></html>"
    )
}

async fn visible(b: &Browser) -> Vec<String> {
    let v = b
        .js("return [...document.querySelectorAll('#scorecard tbody tr')].filter(r => !r.hidden).map(r => r.getAttribute('data-collector'))")
        .await;
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

async fn wait_visible(b: &Browser, expected: &[String], what: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let now = visible(b).await;
        if now == expected {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{what}: {now:?} instead of {expected:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_static_table_gets_a_working_filter_bar() {
    let site = sample_site();
    let csv = Snap::read(snapshot_files(&sample_data()).last().unwrap());
    let date = csv.as_of.format("%Y-%m-%d").to_string();
    let lines = lines(&csv);
    std::fs::write(site.join(&date).join("filter-test.html"), page(&lines)).unwrap();
    let url = format!("file://{}/{date}/filter-test.html", site.display());
    let all: Vec<String> = lines.iter().map(|l| l.collector.clone()).collect();

    // Without JavaScript the table is the table.
    let b = Browser::start().await;
    b.client.goto("about:blank").await.unwrap();
    b.goto(&url).await;
    b.text("#scorecard-shown").await;
    wait_visible(&b, &all, "everything at first").await;
    b.expect_text("#scorecard-shown", "count", |t| {
        t == format!("Showing all {} rows.", all.len())
    })
    .await;

    // Two collectors.
    let two = [all[1].clone(), all[2].clone()];
    b.toggle_option("scorecard-collector", label(&two[0])).await;
    b.toggle_option("scorecard-collector", label(&two[1])).await;
    wait_visible(&b, &two, "two collectors").await;
    b.expect_text("#scorecard-shown", "count", |t| {
        t.starts_with(&format!("Showing 2 of {}", all.len()))
    })
    .await;
    let link = b
        .js("return document.getElementById('scorecard-dashboard').getAttribute('href')")
        .await;
    assert!(
        link.as_str().unwrap().starts_with("dashboard.html?col="),
        "{link}"
    );

    // Clear; a division; then a search (case-insensitive).
    b.click("#scorecard-clear").await;
    wait_visible(&b, &all, "cleared").await;
    let division = csv.distinct(|i| &i.division).into_iter().next().unwrap();
    b.toggle_option("scorecard-division", label(&division))
        .await;
    let in_division: Vec<String> = lines
        .iter()
        .filter(|l| l.divisions.contains(&division))
        .map(|l| l.collector.clone())
        .collect();
    wait_visible(&b, &in_division, "one division").await;
    b.click("#scorecard-clear").await;
    let needle: String = all[3].chars().take(3).collect::<String>().to_uppercase();
    b.type_into("#scorecard-search", &needle).await;
    let found: Vec<String> = all
        .iter()
        .filter(|c| label(c).to_lowercase().contains(&needle.to_lowercase()))
        .cloned()
        .collect();
    wait_visible(&b, &found, "search").await;
    b.click("#scorecard-clear").await;

    // Order by open AR, largest first.
    let select = b
        .client
        .find(fantoccini::Locator::Css("#scorecard-sort"))
        .await
        .unwrap();
    select.select_by_value("-1").await.unwrap();
    let mut by_open: Vec<&Line> = lines.iter().collect();
    by_open.sort_by_key(|l| std::cmp::Reverse(l.open));
    let ordered: Vec<String> = by_open.iter().map(|l| l.collector.clone()).collect();
    wait_visible(&b, &ordered, "ordered by open AR").await;

    // The choice is in the URL: a reload (or a pasted link) shows it again.
    b.toggle_option("scorecard-collector", label(&ordered[0]))
        .await;
    wait_visible(&b, &ordered[..1], "the largest").await;
    let url = b.url().await;
    assert!(
        url.contains("col=") && url.contains("sort.scorecard=-1"),
        "{url}"
    );
    b.client.refresh().await.unwrap();
    b.text("#scorecard-shown").await;
    wait_visible(&b, &ordered[..1], "after reload").await;
    b.close().await;

    // No JavaScript, the same address (its query would hide all rows but
    // one): no bar, every row shown as published.
    let plain = Browser::start_without_javascript().await;
    plain.goto(&url).await;
    assert_published(&plain, &lines).await;
    plain.close().await;
}

/// With JavaScript off (checked) and the page loaded: the bar's slot is
/// empty, and the table is exactly as written — every row displayed, in
/// the published order, with its label, open amount and item count, and
/// the footer.
async fn assert_published(b: &Browser, lines: &[Line]) {
    b.assert_javascript_off().await;
    let shown = b
        .js("return [...document.querySelectorAll('#scorecard tbody tr')].map(r => [r.getAttribute('data-collector'), !r.hidden && r.getClientRects().length > 0, [...r.cells].map(c => c.textContent)])")
        .await;
    let expected: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| {
            serde_json::json!([
                l.collector,
                true,
                [label(&l.collector), l.open.to_string(), l.items.to_string()]
            ])
        })
        .collect();
    assert_eq!(
        shown,
        serde_json::Value::Array(expected),
        "the rows without JavaScript"
    );
    let page = b
        .js("return [document.querySelector('[data-arsite-filter-bar]').childElementCount, document.getElementById('scorecard-shown') === null, document.querySelector('#scorecard tfoot th').textContent]")
        .await;
    assert_eq!(
        page,
        serde_json::json!([0, true, "Total"]),
        "no bar, the footer"
    );
}

/// The generator's own scorecard page carries the markup: the bar mounts on
/// it, a collector choice leaves that collector's row, whose Open AR is the
/// sum of their invoices in the snapshot CSV, and the choice survives a
/// reload.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_generated_scorecard_page_gets_the_filter_bar() {
    let site = sample_site();
    let csv = Snap::read(snapshot_files(&sample_data()).last().unwrap());
    let date = csv.as_of.format("%Y-%m-%d").to_string();
    let lines = lines(&csv);
    let largest = lines.iter().max_by_key(|l| l.open).unwrap();
    let url = format!("file://{}/{date}/collectors/index.html", site.display());

    let b = Browser::start().await;
    b.goto(&url).await;
    b.text("#scorecard-shown").await;
    let all = scorecard_rows(&b).await;
    assert_eq!(all.as_array().unwrap().len(), lines.len(), "{all}");

    b.toggle_option("scorecard-collector", label(&largest.collector))
        .await;
    wait_visible(
        &b,
        std::slice::from_ref(&largest.collector),
        "one collector",
    )
    .await;
    let shown = scorecard_rows(&b).await;
    let open: Decimal = shown[0][1].as_str().unwrap().parse().unwrap();
    assert_eq!(open, largest.open, "Open AR of {}", largest.collector);

    let url = b.url().await;
    assert!(url.contains("col="), "{url}");
    b.client.refresh().await.unwrap();
    b.text("#scorecard-shown").await;
    wait_visible(&b, std::slice::from_ref(&largest.collector), "after reload").await;
    b.close().await;

    // Without JavaScript the same address shows every collector's row with
    // their Open AR.
    let plain = Browser::start_without_javascript().await;
    plain.goto(&url).await;
    plain.assert_javascript_off().await;
    let shown = plain
        .js("return [...document.querySelectorAll('#scorecard tbody tr')].filter(r => !r.hidden && r.getClientRects().length > 0).map(r => [r.getAttribute('data-collector'), r.cells[4].getAttribute('data-value')])")
        .await;
    let mut shown: Vec<(String, Decimal)> = shown
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r[0].as_str().unwrap().to_string(),
                r[1].as_str().unwrap().parse().unwrap(),
            )
        })
        .collect();
    shown.sort();
    let expected: Vec<(String, Decimal)> = lines
        .iter()
        .map(|l| (l.collector.clone(), l.open))
        .collect();
    assert_eq!(shown, expected, "every row without JavaScript");
    plain.close().await;
}

/// The visible rows of the scorecard: collector and Open AR (column 5).
async fn scorecard_rows(b: &Browser) -> serde_json::Value {
    b.js("return [...document.querySelectorAll('#scorecard tbody tr')].filter(r => !r.hidden).map(r => [r.getAttribute('data-collector'), r.cells[4].getAttribute('data-value')])")
        .await
}

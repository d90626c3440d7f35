//! Drives the dashboard of a built site in headless Chromium and prints
//! its timings. Run by `cargo xtask dashboard-bench`, which builds the site
//! (a million invoices) first; it lives here because this crate already
//! has the WebDriver client and the browser helper the tests use.
//!
//! `cargo run --release -p arsite-e2e --example dashboard_bench -- SITE_DIR DATE`
//!
//! Timings are the dashboard's own (`performance.now()` deltas it stores
//! in `window.ARSITE_BENCH` with `#bench` in the URL): WebDriver's round
//! trips are not in them. A filter change is timed from the state update
//! to the end of style and layout of the updated page.

use arsite_e2e::browser::Browser;
use fantoccini::Locator;
use serde_json::Value;
use std::path::PathBuf;
use std::time::{Duration, Instant};

async fn js(b: &Browser, script: &str) -> Value {
    b.client
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
}

async fn changes(b: &Browser) -> usize {
    js(b, "return (window.ARSITE_BENCH.changes || []).length")
        .await
        .as_u64()
        .unwrap_or(0) as usize
}

/// Runs `action` and returns the time the dashboard measured for it.
async fn timed<F, Fut>(b: &Browser, action: F) -> f64
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let before = changes(b).await;
    action().await;
    let deadline = Instant::now() + Duration::from_secs(30);
    while changes(b).await <= before {
        assert!(Instant::now() < deadline, "the change was not measured");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    js(
        b,
        "var c = window.ARSITE_BENCH.changes; return c[c.length - 1]",
    )
    .await
    .as_f64()
    .unwrap()
}

async fn click(b: &Browser, css: &str) {
    b.client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap();
}

async fn type_key(b: &Browser, css: &str, key: &str) {
    b.client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .send_keys(key)
        .await
        .unwrap();
}

/// Option `n` of a multiple select, toggled (WebDriver clicks toggle).
async fn toggle_option(b: &Browser, select: &str, n: usize) {
    click(b, &format!("{select} option:nth-child({n})")).await;
}

async fn rows_in_dom(b: &Browser) -> u64 {
    js(b, "return document.querySelectorAll('tr').length")
        .await
        .as_u64()
        .unwrap()
}

fn stats(label: &str, v: &[f64]) -> (f64, f64) {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    let median = s[s.len() / 2];
    let worst = *s.last().unwrap();
    println!(
        "  {label:<34} n = {:>3}   median {median:>7.2} ms   worst {worst:>7.2} ms",
        s.len()
    );
    (median, worst)
}

/// The filter changes measured on each view.
async fn filter_changes(b: &Browser) -> Vec<f64> {
    let mut t = Vec::new();
    // Collectors: choose five, one at a time, then drop them again.
    for n in 2..7 {
        t.push(timed(b, || toggle_option(b, "#f-collector", n)).await);
    }
    for n in 2..7 {
        t.push(timed(b, || toggle_option(b, "#f-collector", n)).await);
    }
    // Buckets and statuses on and off.
    for id in [
        "#f-bucket-1",
        "#f-bucket-2",
        "#f-status-disputed",
        "#f-status-open",
    ] {
        t.push(timed(b, || click(b, id)).await);
    }
    for id in [
        "#f-bucket-1",
        "#f-bucket-2",
        "#f-status-disputed",
        "#f-status-open",
    ] {
        t.push(timed(b, || click(b, id)).await);
    }
    // Customer search, typed and erased key by key.
    for key in ["h", "i", "g", "h"] {
        t.push(timed(b, || type_key(b, "#f-customer", key)).await);
    }
    for _ in 0..4 {
        t.push(timed(b, || type_key(b, "#f-customer", "\u{e003}")).await);
    }
    // Amount and days-past-due ranges.
    for key in ["5", "0", "0"] {
        t.push(timed(b, || type_key(b, "#f-min", key)).await);
    }
    for key in ["3", "0"] {
        t.push(timed(b, || type_key(b, "#f-dpd-min", key)).await);
    }
    t.push(timed(b, || click(b, "#f-clear")).await);
    // A division.
    t.push(timed(b, || toggle_option(b, "#f-division", 1)).await);
    t.push(timed(b, || toggle_option(b, "#f-division", 1)).await);
    t
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let mut args = std::env::args().skip(1);
    let site = PathBuf::from(args.next().expect("usage: dashboard_bench SITE_DIR DATE"));
    let date = args.next().expect("usage: dashboard_bench SITE_DIR DATE");
    let (addr, server) = arsite::serve::bind(&site, 0).await.unwrap();
    tokio::spawn(server);
    let b = Browser::start().await;
    b.goto(&format!("http://{addr}/{date}/dashboard.html#bench"))
        .await;
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let state = js(
            &b,
            "var r = document.getElementById('arsite-dashboard'); return r && r.getAttribute('data-state')",
        )
        .await;
        match state.as_str() {
            Some("ready") => break,
            Some("error") => panic!("dashboard failed: {}", b.text("#arsite-dashboard").await),
            _ if Instant::now() > deadline => panic!("dashboard did not start within 180 s"),
            _ => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
    let load = js(&b, "return window.ARSITE_BENCH").await;
    let num = |k: &str| load[k].as_f64().unwrap_or(f64::NAN);
    let nav = js(&b, "var n = performance.getEntriesByType('navigation')[0]; return [n.responseEnd, n.domInteractive]").await;
    println!("Load (ms since navigation start unless noted):");
    println!(
        "  page received / DOM interactive   {:>8.1} / {:.1}",
        nav[0].as_f64().unwrap_or(f64::NAN),
        nav[1].as_f64().unwrap_or(f64::NAN)
    );
    println!("  scripts parsed, boot starts       {:>8.1}", num("boot"));
    println!(
        "  wasm instantiated (after boot)    {:>8.1}",
        num("wasm_ms")
    );
    println!(
        "  data handed to the wasm           {:>8.1}",
        num("mount_call")
    );
    println!(
        "  base64 (wasm)                     {:>8.1}",
        num("base64_ms")
    );
    println!(
        "  base64 + decode (wasm)            {:>8.1}",
        num("decode_ms")
    );
    println!(
        "  index (columns, grouping)         {:>8.1}",
        num("index_ms")
    );
    println!(
        "  first render                      {:>8.1}",
        num("render_ms")
    );
    println!(
        "  wasm entered / mounted            {:>8.1} / {:.1}",
        num("t_wasm_entered"),
        num("t_mounted")
    );
    println!("  dashboard ready                   {:>8.1}", num("ready"));
    println!("  summary: {}", b.text("#selection-summary").await);

    let mut all = Vec::new();
    println!("Filter changes (recompute selection, buckets, view; DOM updated and laid out):");
    let mut views = Vec::new();
    for (view, tab) in [
        ("scorecard", "#tab-scorecard"),
        ("invoices", "#tab-invoices"),
        ("customers", "#tab-customers"),
    ] {
        let switch = timed(&b, || click(&b, tab)).await;
        let t = filter_changes(&b).await;
        stats(&format!("on the {view} view"), &t);
        views.push((view, switch, rows_in_dom(&b).await));
        all.extend(t);
    }
    let (median, worst) = stats("all views", &all);
    let evals: Vec<f64> = js(&b, "return window.ARSITE_BENCH.evaluate || []")
        .await
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    if !evals.is_empty() {
        stats("of which the selection pass (core)", &evals);
    }
    let layout: Vec<f64> = js(&b, "return window.ARSITE_BENCH.layout || []")
        .await
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    if !layout.is_empty() {
        stats("of which style and layout", &layout);
    }
    println!("View switches and rows in the DOM:");
    for (view, switch, rows) in &views {
        println!("  {view:<10} switch {switch:>7.2} ms   <tr> in the DOM: {rows}");
    }
    // First sort by a column other than the grouping: a one-time sort of every row.
    click(&b, "#tab-invoices").await;
    let first_sort = timed(&b, || {
        click(&b, "button[data-list=invoices][data-sort=open]")
    })
    .await;
    let again = timed(&b, || {
        click(&b, "button[data-list=invoices][data-sort=open]")
    })
    .await;
    println!("Sort invoices by open amount: first time {first_sort:.1} ms (sorts every row once), then {again:.1} ms");
    // Scrolling the invoice list far down, in jumps.
    let mut scroll = Vec::new();
    for step in 1..=10 {
        let script = format!(
            "document.querySelector('#invoice-table').closest('.vlist').scrollTop = {};",
            step * 500_000
        );
        scroll.push(
            timed(&b, || async {
                js(&b, &script).await;
            })
            .await,
        );
    }
    stats("scroll jumps in the invoice list", &scroll);
    println!(
        "  <tr> in the DOM after scrolling: {}",
        rows_in_dom(&b).await
    );
    println!(
        "RESULT filter_median_ms={median:.2} filter_worst_ms={worst:.2} ready_ms={:.1} decode_ms={:.1} index_ms={:.1} max_rows_in_dom={}",
        num("ready"),
        num("decode_ms"),
        num("index_ms"),
        views.iter().map(|v| v.2).max().unwrap_or(0)
    );
    b.close().await;
}

//! The view state lives in the URL: reload, back/forward and a link pasted
//! into a fresh browser all show the same view; typing replaces the
//! history entry instead of adding one per keystroke; another snapshot
//! opens with the same filters; a data file of another format version is
//! refused with a clear message instead of being misread.

use arsite_e2e::browser::Browser;
use arsite_e2e::reference::{snapshot_files, SnapshotCsv};
use arsite_e2e::{sample_data, sample_site};
use std::time::Duration;

fn dates() -> Vec<String> {
    snapshot_files(&sample_data())
        .iter()
        .map(|p| p.file_stem().unwrap().to_str().unwrap().to_string())
        .collect()
}

/// What identifies the view on screen.
async fn fingerprint(b: &Browser) -> (String, String, String, String, bool) {
    b.wait_dashboard_ready().await;
    let summary = b.text("#selection-summary").await;
    let view = b
        .js("return document.querySelector('.tabs [aria-current=page]').id")
        .await
        .as_str()
        .unwrap()
        .to_string();
    let search = b
        .js("return document.getElementById('f-customer').value")
        .await
        .as_str()
        .unwrap()
        .to_string();
    let table = b.text("#view").await;
    let bucket = b
        .js("return document.getElementById('f-bucket-2').checked")
        .await
        .as_bool()
        .unwrap();
    (summary, view, search, table, bucket)
}

/// Polls until the view is `expected` (updates are asynchronous).
async fn assert_view(b: &Browser, expected: &(String, String, String, String, bool), what: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let now = fingerprint(b).await;
        if now == *expected {
            return;
        }
        if std::time::Instant::now() > deadline {
            assert_eq!(now, *expected, "{what}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_back_forward_and_a_pasted_link_restore_the_view() {
    let site = sample_site();
    let dates = dates();
    let latest = dates.last().unwrap();
    let csv = SnapshotCsv::read(snapshot_files(&sample_data()).last().unwrap());
    let collector = csv
        .collectors()
        .into_iter()
        .find(|c| !c.is_empty())
        .unwrap();
    let (addr, server) = arsite::serve::bind(site, 0).await.unwrap();
    tokio::spawn(server);
    let b = Browser::start().await;
    b.goto(&format!("http://{addr}/{latest}/dashboard.html"))
        .await;
    b.wait_dashboard_ready().await;
    let start = b.url().await;

    // Filters and a view.
    b.toggle_option("f-collector", &collector).await;
    b.click("#f-bucket-2").await;
    b.click("#tab-scorecard").await;
    b.click("button[data-list=scorecard][data-sort=over_90_percent]")
        .await;
    let history = b.js("return history.length").await.as_u64().unwrap();
    b.type_into("#f-customer", "a").await;
    b.type_into("#f-customer", "b").await;
    b.type_into("#f-customer", "\u{e003}").await;
    b.type_into("#f-customer", "e").await;
    // Typing: one new history entry (where the edit started), then replaced
    // once typing pauses: wait for the last key's search in the address and
    // no replace still pending (the dashboard marks it on its root).
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let settled = b
            .js("return location.search.includes('q=ae') && !document.getElementById('arsite-dashboard').hasAttribute('data-url-pending')")
            .await;
        if settled.as_bool() == Some(true) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the typed search never reached the address bar: {}",
            b.url().await
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        b.js("return history.length").await.as_u64().unwrap(),
        history + 1,
        "typing four keys added one history entry"
    );
    let url = b.url().await;
    assert!(
        url.contains("q=ae"),
        "the URL carries the search once typing pauses: {url}"
    );
    assert!(
        url.contains("view=scorecard") && url.contains("bucket=2") && url.contains("ssort="),
        "{url}"
    );
    let before = fingerprint(&b).await;
    let before_depth = b.js("return history.length").await.as_u64().unwrap();
    assert_eq!(before.1, "tab-scorecard");
    assert_eq!(before.2, "ae");
    assert!(before.4);

    // Reload: the same view.
    b.client.refresh().await.unwrap();
    assert_view(&b, &before, "after reload").await;
    assert_eq!(b.url().await, url);
    let sorted = b.text("#scorecard-table th[aria-sort=descending]").await;
    assert!(sorted.contains("% over 90"), "sort restored: {sorted}");

    // A fresh browser (no history, no storage) given the link.
    let other = Browser::start().await;
    other.goto(&url).await;
    assert_view(&other, &before, "pasted into a fresh browser").await;
    other.close().await;

    // Clear the filters, drill down, then back and forward.
    b.click("#f-clear").await;
    b.click("#crumb-all").await;
    b.expect_text(".tabs [aria-current=page]", "overview", |t| {
        t.contains("Aging")
    })
    .await;
    b.click("button[data-bucket=\"1\"]").await;
    b.expect_text("#customer-count", "customers of a bucket", |t| {
        t.ends_with("customers.")
    })
    .await;
    let customers_view = fingerprint(&b).await;
    b.click("#customer-table .customer-link").await;
    b.expect_text("#invoice-count", "invoices of a customer", |t| {
        t.ends_with("invoices.")
    })
    .await;
    let invoices_url = b.url().await;
    assert!(invoices_url.contains("cust="), "{invoices_url}");
    b.client.back().await.unwrap();
    assert_view(&b, &customers_view, "back to the customers").await;
    b.client.forward().await.unwrap();
    b.expect_text("#invoice-count", "forward again", |t| {
        t.ends_with("invoices.")
    })
    .await;
    assert_eq!(b.url().await, invoices_url);
    // Back to where filters were set: as many steps as entries were pushed
    // since, read from the history (the address above already carries the
    // last click, so every push is in). Each click that changed the view
    // added one; the reload and the pasted link added none.
    let pushed = b.js("return history.length").await.as_u64().unwrap() - before_depth;
    assert_eq!(
        pushed, 4,
        "clear, All, a bucket, a customer: one entry each"
    );
    for _ in 0..pushed {
        b.client.back().await.unwrap();
    }
    assert_view(&b, &before, "back to the filtered scorecard").await;
    b.goto(&start).await;
    b.wait_dashboard_ready().await;
    let all = b.text("#selection-summary").await;
    assert_ne!(all, before.0);

    // "Copy link" gives exactly this address (on the clipboard, or shown
    // selected where the browser refuses the clipboard).
    b.goto(&url).await;
    b.wait_dashboard_ready().await;
    b.click("#copy-link").await;
    let status = b
        .expect_text("#copy-status", "copy link", |t| !t.is_empty())
        .await;
    if status != "Link copied." {
        let shown = b
            .js("return document.getElementById('copy-fallback').value")
            .await;
        assert_eq!(shown.as_str(), Some(url.as_str()), "{status}");
    }

    // The keyboard alone: focus a bucket and press Enter.
    b.js("document.querySelector('button[data-bucket=\"2\"]').focus()")
        .await;
    b.type_into("button[data-bucket=\"2\"]", "\u{e007}").await;
    b.expect_text(".tabs [aria-current=page]", "Enter on a bucket", |t| {
        t.contains("Customers")
    })
    .await;

    // Another snapshot keeps the view state.
    b.goto(&url).await;
    b.wait_dashboard_ready().await;
    let previous = &dates[dates.len() - 2];
    let select = b
        .client
        .find(fantoccini::Locator::Css("#f-snapshot"))
        .await
        .unwrap();
    select.select_by_value(previous).await.unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !b.url().await.contains(&format!("/{previous}/")) {
        assert!(
            std::time::Instant::now() < deadline,
            "the other snapshot did not open"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    b.wait_dashboard_ready().await;
    let moved = b.url().await;
    assert!(
        moved.contains(&format!("/{previous}/dashboard.html?")),
        "{moved}"
    );
    assert_eq!(
        moved.split_once('?').unwrap().1,
        url.split_once('?').unwrap().1
    );
    assert_eq!(fingerprint(&b).await.1, "tab-scorecard");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_data_file_of_another_format_version_is_refused_clearly() {
    let site = sample_site();
    let oldest = dates()[0].clone();
    // Rewrite the oldest snapshot's data as an older arsite wrote it: a
    // plain string, format version 1 (the varint right after the magic).
    let path = site.join(&oldest).join("data.js");
    let script = std::fs::read_to_string(&path).unwrap();
    let (_, rest) = script.split_once("/*").unwrap();
    let (b64, _) = rest.split_once("*/").unwrap();
    let mut bytes = decode(b64);
    assert_eq!(&bytes[..4], b"ARSD");
    bytes[4] = 1;
    std::fs::write(
        &path,
        format!(
            "(window.ARSITE_DATA=window.ARSITE_DATA||{{}})[\"{oldest}\"]=\"{}\";\n",
            encode(&bytes)
        ),
    )
    .unwrap();

    let b = Browser::start().await;
    b.goto(&format!(
        "file://{}/{oldest}/dashboard.html",
        site.display()
    ))
    .await;
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let state = b
            .js("return document.getElementById('arsite-dashboard').getAttribute('data-state')")
            .await;
        if state.as_str() == Some("error") {
            break;
        }
        assert_ne!(
            state.as_str(),
            Some("ready"),
            "the stale data must not be shown"
        );
        assert!(std::time::Instant::now() < deadline, "no error shown");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let message = b.text("#arsite-dashboard").await;
    assert!(
        message.contains("format version 1")
            && message.contains("rebuild the site or clear the browser cache"),
        "{message}"
    );
    b.close().await;
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn decode(text: &str) -> Vec<u8> {
    let val = |c: u8| B64.iter().position(|&x| x == c).unwrap() as u32;
    let clean: Vec<u8> = text.bytes().filter(|&c| c != b'=').collect();
    let mut out = Vec::new();
    for chunk in clean.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= val(c) << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len() - 1]);
    }
    out
}

fn encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

//! Comparing two snapshots in the browser (opened from a folder, so the
//! second snapshot's data arrives by an inserted script): the roll-rate
//! matrix, cleared and newly past-due amounts, against the same figures
//! worked out independently from the two CSV files.

#[path = "browser_dashboard_reference.rs"]
mod reference;

use arsite_e2e::browser::Browser;
use arsite_e2e::reference::{parse_shown, snapshot_files};
use arsite_e2e::{sample_data, sample_site};
use reference::{label, Item, Snap};
use rust_decimal::Decimal;
use std::collections::HashMap;

struct Expected {
    start: [Decimal; 6],
    cleared: [Decimal; 6],
    to: [[Decimal; 6]; 6],
    cleared_total: Decimal,
    new_past_due: Decimal,
}

/// The roll-rate figures, worked out from the CSVs: invoices followed by id.
fn expected(early: &Snap, late: &Snap, keep: &dyn Fn(&Item) -> bool) -> Expected {
    let zero = [Decimal::ZERO; 6];
    let mut e = Expected {
        start: zero,
        cleared: zero,
        to: [zero; 6],
        cleared_total: Decimal::ZERO,
        new_past_due: Decimal::ZERO,
    };
    let later: HashMap<&str, &Item> = late
        .items
        .iter()
        .map(|i| (i.invoice_id.as_str(), i))
        .collect();
    let earlier: HashMap<&str, &Item> = early
        .items
        .iter()
        .map(|i| (i.invoice_id.as_str(), i))
        .collect();
    for i in early.items.iter().filter(|i| keep(i)) {
        let b = early.bucket(i);
        e.start[b] += i.open;
        let now = match later.get(i.invoice_id.as_str()) {
            Some(l) => {
                e.to[b][late.bucket(l)] += l.open;
                l.open
            }
            None => Decimal::ZERO,
        };
        if i.open > now {
            e.cleared[b] += i.open - now;
            e.cleared_total += i.open - now;
        }
    }
    for l in late.items.iter().filter(|i| keep(i)) {
        let was_current = earlier
            .get(l.invoice_id.as_str())
            .is_none_or(|i| early.bucket(i) == 0);
        if late.bucket(l) > 0 && was_current {
            e.new_past_due += l.open;
        }
    }
    e
}

async fn check(b: &Browser, e: &Expected, what: &str) {
    b.expect_text("#cleared", what, |t| parse_shown(t) == e.cleared_total)
        .await;
    b.expect_text("#new-past-due", what, |t| parse_shown(t) == e.new_past_due)
        .await;
    for from in 0..6 {
        let row = format!("#rollrate-table tr[data-from=\"{from}\"]");
        let start = b.text(&format!("{row} [data-start]")).await;
        assert_eq!(
            parse_shown(&start),
            e.start[from],
            "{what}: start of bucket {from}"
        );
        let cleared = b.text(&format!("{row} [data-cleared]")).await;
        assert_eq!(
            parse_shown(&cleared),
            e.cleared[from],
            "{what}: cleared from bucket {from}"
        );
        for to in 0..6 {
            let cell = b.text(&format!("{row} [data-to=\"{to}\"]")).await;
            assert_eq!(parse_shown(&cell), e.to[from][to], "{what}: {from} → {to}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roll_rates_match_the_csv_files() {
    let site = sample_site();
    let files = snapshot_files(&sample_data());
    let late = Snap::read(&files[files.len() - 1]);
    let early = Snap::read(&files[files.len() - 2]);
    let (late_date, early_date) = (
        late.as_of.format("%Y-%m-%d"),
        early.as_of.format("%Y-%m-%d"),
    );
    let b = Browser::start().await;
    b.goto(&format!(
        "file://{}/{late_date}/dashboard.html?view=compare",
        site.display()
    ))
    .await;
    b.wait_dashboard_ready().await;
    let select = b
        .client
        .find(fantoccini::Locator::Css("#f-compare"))
        .await
        .unwrap();
    select
        .select_by_value(&early_date.to_string())
        .await
        .unwrap();
    b.text("#rollrate-table").await;
    let all = expected(&early, &late, &|_| true);
    assert!(all.cleared_total > Decimal::ZERO && all.new_past_due > Decimal::ZERO);
    check(&b, &all, "whole company").await;
    assert!(b.url().await.contains(&format!("cmp={early_date}")));

    // With a filter: each snapshot's own items of that collector.
    let collector = late
        .distinct(|i| &i.collector)
        .into_iter()
        .find(|c| !c.is_empty())
        .unwrap();
    b.toggle_option("f-collector", label(&collector)).await;
    let mine = expected(&early, &late, &|i| i.collector == collector);
    check(&b, &mine, "one collector").await;

    // The link brings the comparison back (the second data file loads again).
    let url = b.url().await;
    b.client.refresh().await.unwrap();
    b.wait_dashboard_ready().await;
    check(&b, &mine, "after reload").await;
    assert_eq!(b.url().await, url);
    b.close().await;
}

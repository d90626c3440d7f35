//! The rolling CEI begins with the AR at the start of its window, not the
//! previous snapshot's: three month-end snapshots built through the real
//! `arsite` binary reproduce the documented worked example (55.93 %).

mod common;

use std::path::Path;

const HEADER: &str =
    "invoice_id,customer_id,customer_name,invoice_date,due_date,amount,open_amount\n";

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn metrics(site: &Path, as_of: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(site.join(as_of).join("metrics.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn rolling_cei_uses_the_ar_at_the_window_start() {
    // 2026-01-31: AR 6,200 (the window's beginning AR for 2026-04-30).
    // 2026-03-31: AR 6,000 (the previous snapshot of 2026-04-30).
    // 2026-04-30: AR 6,340, of which 3,590 current (due May 20).
    // sales.csv: Feb 3,500 + Mar 3,600 + Apr 3,790 = 10,890.
    // Window (3 months): Feb 1 – Apr 30.
    // (6,200 + 10,890 / 3 − 6,340) / (6,200 + 3,630 − 3,590) = 3,490 / 6,240
    // = 55.93 %; the previous snapshot's 6,000 would give 3,290 / 6,040 = 54.47.
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    write(
        &data.join("arsite.toml"),
        "title = \"Rolling CEI\"\ncurrency = \"EUR\"\n",
    );
    write(
        &data.join("sales.csv"),
        "period,amount\n2026-01,4000.00\n2026-02,3500.00\n2026-03,3600.00\n2026-04,3790.00\n",
    );
    let snapshots = data.join("snapshots");
    write(
        &snapshots.join("2026-01-31.csv"),
        &format!("{HEADER}A,C1,Acme,2026-01-10,2026-02-09,6200.00,6200.00\n"),
    );
    write(
        &snapshots.join("2026-03-31.csv"),
        &format!("{HEADER}B,C1,Acme,2026-03-05,2026-04-04,6000.00,6000.00\n"),
    );
    write(
        &snapshots.join("2026-04-30.csv"),
        &format!(
            "{HEADER}B,C1,Acme,2026-03-05,2026-04-04,6000.00,2750.00\n\
             D,C1,Acme,2026-04-20,2026-05-20,3590.00,3590.00\n"
        ),
    );
    let site = tmp.path().join("site");
    common::build(&data, &site, &["--quiet"]);

    let m = metrics(&site, "2026-04-30");
    let rolling = &m["cei"]["rolling"];
    assert_eq!(m["cei"]["rolling_status"]["status"], "computed");
    assert_eq!(rolling["beginning_as_of"], "2026-01-31");
    assert_eq!(rolling["window_start"], "2026-02-01");
    assert_eq!(rolling["beginning"], "6200.00");
    assert_eq!(rolling["sales"], "10890.00");
    assert_eq!(rolling["ending"], "6340.00");
    assert_eq!(rolling["ending_current"], "3590.00");
    assert_eq!(rolling["cei"], "55.93");
    // The period CEI still begins with the previous snapshot (6,000).
    assert_eq!(m["cei"]["period"]["beginning"], "6000.00");

    // 2026-03-31 needs a snapshot dated 2025-12-31: none, so no figure.
    let m = metrics(&site, "2026-03-31");
    assert_eq!(m["cei"]["rolling"], serde_json::Value::Null);
    assert_eq!(
        m["cei"]["rolling_status"],
        serde_json::json!({"status": "insufficient_history", "needs_snapshot": "2025-12-31"})
    );

    let page = std::fs::read_to_string(site.join("2026-04-30").join("dso.html")).unwrap();
    assert!(page.contains("55.93"), "the DSO page shows the rolling CEI");
}

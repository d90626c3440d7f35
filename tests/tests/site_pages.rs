//! The report site as files: every page parses as HTML without errors,
//! uses each id once, every link inside the site resolves, pages stay inside the site, and two
//! builds of the same data are byte-identical.

use arsite_e2e::{sample_data, sample_site};
use scraper::{Html, Selector};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_page_is_valid_html_and_every_link_resolves() {
    let site = sample_site();
    let links = Selector::parse("a[href], link[href], script[src]").unwrap();
    let with_id = Selector::parse("[id]").unwrap();
    let mut pages = 0;
    let mut checked = 0;
    let mut problems = Vec::new();
    for file in files(site)
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "html"))
    {
        pages += 1;
        let text = std::fs::read_to_string(&file).unwrap();
        let doc = Html::parse_document(&text);
        if !doc.errors.is_empty() {
            problems.push(format!("{}: HTML errors {:?}", file.display(), doc.errors));
        }
        assert!(text.starts_with("<!doctype html>"), "{}", file.display());
        assert!(
            text.contains("http-equiv=\"Content-Security-Policy\""),
            "{} has no CSP",
            file.display()
        );
        // Every id once per page: a second element of one id breaks the
        // page's in-page links and `aria-labelledby`.
        let mut ids = std::collections::BTreeSet::new();
        for el in doc.select(&with_id) {
            let id = el.value().attr("id").unwrap();
            if !ids.insert(id.to_string()) {
                problems.push(format!("{}: id {id:?} used twice", file.display()));
            }
        }
        for el in doc.select(&links) {
            let target = el
                .value()
                .attr("href")
                .or_else(|| el.value().attr("src"))
                .unwrap();
            assert!(
                !target.starts_with("http:")
                    && !target.starts_with("https:")
                    && !target.starts_with("//"),
                "{} links outside the site: {target}",
                file.display()
            );
            let path = target.split('#').next().unwrap();
            if path.is_empty() {
                continue;
            }
            checked += 1;
            let resolved = file.parent().unwrap().join(path);
            if !resolved.exists() {
                problems.push(format!("{}: broken link {target}", file.display()));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems, first: {:#?}",
        problems.len(),
        &problems[..problems.len().min(10)]
    );
    assert!(pages > 12 * 10, "every snapshot has its pages ({pages})");
    assert!(checked > pages, "links were checked ({checked})");
}

#[test]
fn every_snapshot_has_the_report_pages() {
    let site = sample_site();
    for entry in std::fs::read_dir(sample_data().join("snapshots")).unwrap() {
        let date = entry
            .unwrap()
            .path()
            .file_stem()
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        for page in [
            "index.html",
            "lists.html",
            "aging.html",
            "dso.html",
            "collectors/index.html",
            "worklist.html",
            "bad-debt.html",
            "disputes.html",
            "customers/index.html",
            "email.html",
            "quality.html",
            "rejected.csv",
            "dashboard.html",
            "metrics.json",
            "data.js",
        ] {
            assert!(site.join(&date).join(page).is_file(), "{date}/{page}");
        }
        assert!(site.join(&date).join(format!("{date}.xlsx")).is_file());
        let email = std::fs::read(site.join(&date).join("email.html")).unwrap();
        assert!(
            email.len() < 100_000,
            "{date}/email.html is {} bytes",
            email.len()
        );
        let email = String::from_utf8(email).unwrap();
        assert!(
            !email.contains("<script") && !email.contains("<link") && !email.contains("<img"),
            "email is self-contained"
        );
    }
    let latest =
        Html::parse_document(&std::fs::read_to_string(site.join("latest/index.html")).unwrap());
    let refresh = latest
        .select(&Selector::parse("meta[http-equiv=refresh]").unwrap())
        .next()
        .unwrap();
    assert_eq!(
        refresh.value().attr("content"),
        Some("0; url=../2026-10-31/index.html")
    );
}

/// The overview's list tiles link to their sections of `lists.html`, which
/// has a table (or the reason there is none) for each, and `metrics.json`
/// carries the same six lists.
#[test]
fn every_snapshot_has_the_lists_behind_the_overview_tiles() {
    let site = sample_site();
    let tile_links = Selector::parse("dl.tiles div.tile dd a[href]").unwrap();
    let sections = [
        "promises-due",
        "promises-broken",
        "newly-past-due",
        "movers",
        "over-limit",
        "disputes-over-sla",
    ];
    let mut dates: Vec<String> = std::fs::read_dir(sample_data().join("snapshots"))
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            p.file_stem().unwrap().to_str().unwrap().to_string()
        })
        .collect();
    dates.sort();
    for (n, date) in dates.iter().enumerate() {
        let dir = site.join(date);
        let overview =
            Html::parse_document(&std::fs::read_to_string(dir.join("index.html")).unwrap());
        let hrefs: Vec<&str> = overview
            .select(&tile_links)
            .filter_map(|a| a.value().attr("href"))
            .collect();
        let want: Vec<String> = sections
            .iter()
            .map(|s| format!("lists.html#s-{s}"))
            .collect();
        assert_eq!(hrefs, want, "{date}: the overview's list tiles");
        let lists = Html::parse_document(&std::fs::read_to_string(dir.join("lists.html")).unwrap());
        let nav = Selector::parse("nav a[href=\"lists.html\"]").unwrap();
        assert!(
            lists.select(&nav).next().is_some(),
            "{date}: lists.html is in the navigation"
        );
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("metrics.json")).unwrap())
                .unwrap();
        for s in sections {
            let section = Selector::parse(&format!("section#s-{s}")).unwrap();
            let section = lists
                .select(&section)
                .next()
                .unwrap_or_else(|| panic!("{date}: lists.html has no section {s}"));
            let key = s.replace('-', "_");
            let list = &json[&key];
            let rows = list["rows"]
                .as_array()
                .unwrap_or_else(|| panic!("{date}: metrics.json has no {key}.rows"));
            assert_eq!(
                list["count"].as_u64(),
                Some(rows.len() as u64),
                "{date}: {key}"
            );
            for r in rows {
                assert!(
                    r["customer_id"].is_string()
                        && r["customer_name"].is_string()
                        && r["collector"].is_string(),
                    "{date}: {key} row {r}"
                );
            }
            let needs_previous = matches!(s, "newly-past-due" | "movers");
            if n == 0 && needs_previous {
                // The first snapshot: nothing to compare with, and the page says so.
                assert_eq!(list["available"], false, "{date}: {key}");
                assert!(rows.is_empty());
                let text: String = section.text().collect();
                assert!(
                    text.contains("Needs a previous snapshot"),
                    "{date}: {s}: {text}"
                );
                continue;
            }
            let body_rows = Selector::parse(&format!("table#{s} tbody tr th")).unwrap();
            let shown = section.select(&body_rows).count();
            assert_eq!(shown, rows.len(), "{date}: {s}: a row per listed item");
            if !rows.is_empty() {
                let foot = Selector::parse(&format!("table#{s} tfoot th")).unwrap();
                let total: String = section
                    .select(&foot)
                    .next()
                    .expect("a totals row")
                    .text()
                    .collect();
                assert!(
                    total.starts_with(&format!("Total ({}", rows.len())),
                    "{date}: {s}: {total}"
                );
            }
        }
    }
}

#[test]
fn two_builds_of_the_same_data_are_byte_identical() {
    let first = sample_site();
    let dir = tempfile::tempdir().unwrap();
    let second = dir.path().join("again");
    arsite::site::build(&arsite::site::BuildOptions::new(
        sample_data(),
        second.clone(),
    ))
    .unwrap();
    let read = |root: &Path| -> BTreeMap<PathBuf, Vec<u8>> {
        files(root)
            .into_iter()
            .map(|f| {
                (
                    f.strip_prefix(root).unwrap().to_path_buf(),
                    std::fs::read(&f).unwrap(),
                )
            })
            .collect()
    };
    let (a, b) = (read(first), read(&second));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "same files"
    );
    for (path, bytes) in &a {
        assert!(
            bytes == &b[path],
            "{} differs between two builds",
            path.display()
        );
    }
}

#[test]
fn csv_downloads_neutralize_formulas_and_keep_exact_numbers() {
    let site = sample_site();
    let csv =
        std::fs::read_to_string(site.join("2026-10-31/csv/aging--aging-by-customer.csv")).unwrap();
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().starts_with("Customer,Current,1–30"));
    for line in lines {
        let first = line.split(',').next().unwrap();
        assert!(!first.starts_with(['=', '+', '-', '@']), "{line}");
    }
}

//! Writing every file of one snapshot: its pages, their CSV downloads, the
//! workbook, metrics.json, the dashboard page and its data.

use super::output::Staging;
use super::page::Page;
use super::page_value::page_value;
use super::pages::{self, Inputs};
use super::render::Renderer;
use super::table::DataTable;
use super::{metrics_json, xlsx};
use anyhow::Result;
use arsite_core::wire;
use base64::Engine;
use minijinja::context;
use rayon::prelude::*;
use serde::Serialize;
use std::sync::Mutex;

#[derive(Serialize)]
struct NavItem {
    key: &'static str,
    text: &'static str,
    href: &'static str,
}

const NAV: [NavItem; 12] = [
    NavItem {
        key: "overview",
        text: "Overview",
        href: "index.html",
    },
    NavItem {
        key: "lists",
        text: "Lists",
        href: pages::lists::PATH,
    },
    NavItem {
        key: "aging",
        text: "Aging",
        href: "aging.html",
    },
    NavItem {
        key: "dso",
        text: "DSO",
        href: "dso.html",
    },
    NavItem {
        key: "collectors",
        text: "Collectors",
        href: "collectors/index.html",
    },
    NavItem {
        key: "worklist",
        text: "Worklist",
        href: "worklist.html",
    },
    NavItem {
        key: "bad-debt",
        text: "Bad debt",
        href: "bad-debt.html",
    },
    NavItem {
        key: "disputes",
        text: "Disputes",
        href: "disputes.html",
    },
    NavItem {
        key: "customers",
        text: "Customers",
        href: "customers/index.html",
    },
    NavItem {
        key: "dashboard",
        text: "Dashboard",
        href: "dashboard.html",
    },
    NavItem {
        key: "quality",
        text: "Data quality",
        href: "quality.html",
    },
    NavItem {
        key: "email",
        text: "Email summary",
        href: "email.html",
    },
];

#[derive(Clone, Copy)]
enum Csv {
    PerTable { workbook: bool },
    OnePerPage,
}

pub struct SnapshotWriter<'a> {
    pub staging: &'a Staging,
    pub renderer: &'a Renderer,
    pub inputs: &'a Inputs<'a>,
    pub has_dashboard: bool,
    pub rejected_rows: u64,
    pub base_url: Option<&'a str>,
    /// What the import used and rejected: this snapshot's file and the ledgers.
    pub quality: Option<(
        &'a crate::import::quality::FileQuality,
        &'a [crate::import::quality::FileQuality],
    )>,
    /// Tables that go into the workbook, in sheet order (their pages are
    /// written one after the other; only per-customer and per-collector
    /// pages are written in parallel, and they have no sheets).
    workbook: Mutex<Vec<DataTable>>,
    /// The same on every page of the snapshot: worked out once, not for
    /// each of its tens of thousands of pages.
    as_of: String,
    freshness: String,
    nav: minijinja::Value,
}

impl<'a> SnapshotWriter<'a> {
    pub fn new(staging: &'a Staging, renderer: &'a Renderer, inputs: &'a Inputs<'a>) -> Self {
        SnapshotWriter {
            staging,
            renderer,
            inputs,
            has_dashboard: false,
            rejected_rows: 0,
            base_url: None,
            quality: None,
            workbook: Mutex::new(Vec::new()),
            as_of: inputs.snapshot.as_of.to_string(),
            freshness: freshness(inputs),
            nav: minijinja::Value::from_serialize(NAV),
        }
    }

    fn as_of(&self) -> String {
        self.as_of.clone()
    }

    fn freshness(&self) -> &str {
        &self.freshness
    }

    /// Renders `page` at `path` (relative to the snapshot folder, at most one
    /// folder deep) and writes its tables as CSV: one file per table, or for
    /// pages that exist once per customer one file with all their tables
    /// (thousands of customers would otherwise mean tens of thousands of
    /// tiny files per snapshot). Empty tables get no file.
    fn page(&self, path: &str, mut page: Page, csv: Csv) -> Result<()> {
        let as_of = self.as_of();
        let depth = path.matches('/').count();
        let snap = "../".repeat(depth);
        let root = format!("{snap}../");
        let stem = path.trim_end_matches(".html").replace('/', "-");
        let mut combined = String::new();
        for t in page.tables_mut().filter(|t| !t.rows.is_empty()) {
            match csv {
                Csv::PerTable { workbook } => {
                    let csv_path = format!("csv/{stem}--{}.csv", t.id);
                    self.staging
                        .write(&format!("{as_of}/{csv_path}"), t.to_csv())?;
                    t.csv_href = Some(format!("{snap}{csv_path}"));
                    if workbook {
                        // The e-mail summary links from the snapshot folder.
                        let mut copy = t.clone();
                        rebase_links(&mut copy, path);
                        self.workbook
                            .lock()
                            .expect("no panic while held")
                            .push(copy);
                    }
                }
                Csv::OnePerPage => {
                    if !combined.is_empty() {
                        combined.push_str("\r\n");
                    }
                    combined.push_str(&crate::site::table::csv_line(&t.caption));
                    combined.push_str(&t.to_csv());
                    t.csv_href = Some(format!("{snap}csv/{stem}.csv"));
                }
            }
        }
        if !combined.is_empty() {
            self.staging
                .write(&format!("{as_of}/csv/{stem}.csv"), combined)?;
        }
        let page_path = match self.base_url {
            Some(base) => format!("{base}{as_of}/{path}"),
            None => format!("{as_of}/{path}"),
        };
        // The filter bar's scripts, only where a table asks for it and the
        // binary carries the dashboard (else the scripts do not exist).
        let key = page.key;
        let filter_bar = self.has_dashboard && page.tables().any(|t| t.filter.is_some());
        let html = self.renderer.render(
            "page.html",
            context! {
                p => page_value(page),
                filter_bar,
                site_title => &self.inputs.config.title,
                root, snap, as_of => &as_of,
                previous => &self.inputs.kpis.previous_as_of,
                page => key,
                nav => &self.nav,
                freshness => self.freshness(),
                currency => self.inputs.code(),
                page_path,
            },
        )?;
        self.staging.write(&format!("{as_of}/{path}"), html)
    }

    pub fn write_all(mut self) -> Result<()> {
        let inp = self.inputs;
        let s = inp.snapshot;
        let as_of = self.as_of();

        if let Some((snapshot_quality, ledgers)) = self.quality {
            self.rejected_rows = snapshot_quality.rejected.len() as u64;
            self.staging.write(
                &format!("{as_of}/rejected.csv"),
                snapshot_quality.rejected_csv().as_bytes(),
            )?;
            self.page(
                "quality.html",
                pages::quality::page(&as_of, snapshot_quality, ledgers),
                Csv::PerTable { workbook: false },
            )?;
        }
        let overview = pages::overview::page(
            inp,
            &pages::overview::Quality {
                rejected_rows: self.rejected_rows,
            },
        );
        let email_tiles = overview.sections[0].blocks.first().map(|b| match b {
            super::page::Block::Tiles { tiles } => tiles.clone(),
            _ => Vec::new(),
        });
        let email_notes = overview.notes.clone();
        self.page("index.html", overview, Csv::PerTable { workbook: true })?;
        self.page(
            pages::lists::PATH,
            pages::lists::page(inp),
            Csv::PerTable { workbook: false },
        )?;
        self.page(
            "aging.html",
            pages::aging::page(inp),
            Csv::PerTable { workbook: true },
        )?;
        self.page(
            "dso.html",
            pages::dso::page(inp),
            Csv::PerTable { workbook: true },
        )?;
        self.page(
            "collectors/index.html",
            pages::collectors::scorecard_page(inp),
            Csv::PerTable { workbook: true },
        )?;
        let collector_index = pages::collectors::PageIndex::new(inp);
        (0..s.collectors.len())
            .into_par_iter()
            .filter(|&i| inp.ctx.aging.by_collector[i].count() > 0)
            .try_for_each(|i| {
                self.page(
                    &format!("collectors/{}.html", pages::slug(&s.collectors[i])),
                    pages::collectors::collector_page(inp, &collector_index, i),
                    Csv::PerTable { workbook: false },
                )
            })?;
        self.page(
            "worklist.html",
            pages::worklist::page(inp),
            Csv::PerTable { workbook: true },
        )?;
        self.page(
            "disputes.html",
            pages::disputes::page(inp),
            Csv::PerTable { workbook: true },
        )?;

        let prepared = pages::customers::Prepared::new(inp);
        let (bad_debt, extras) = pages::bad_debt::page(inp, &prepared);
        self.page("bad-debt.html", bad_debt, Csv::PerTable { workbook: true })?;
        for e in extras {
            self.staging
                .write(&format!("{as_of}/{}", e.path), e.content)?;
        }
        self.page(
            "customers/index.html",
            pages::customers::list_page(inp),
            Csv::PerTable { workbook: false },
        )?;
        (0..s.customers.len())
            .into_par_iter()
            .filter(|&i| inp.ctx.aging.by_customer[i].count() > 0)
            .try_for_each(|i| {
                self.page(
                    &format!("customers/{}.html", pages::slug(&s.customers[i].id)),
                    pages::customers::customer_page(inp, &prepared, i),
                    Csv::OnePerPage,
                )
            })?;

        // Email summary: headline figures and the key tables, inline styles only.
        let workbook = std::mem::take(self.workbook.get_mut().expect("no panic while held"));
        let email_tables: Vec<DataTable> = workbook
            .iter()
            .filter(|t| matches!(t.id.as_str(), "top-past-due" | "aging-total" | "scorecard"))
            .map(email_table)
            .collect();
        let link_base = self.base_url.map(|b| format!("{b}{as_of}/"));
        let html = self.renderer.render(
            "email.html",
            context! {
                site_title => &inp.config.title, as_of => &as_of, currency => inp.code(),
                tiles => email_tiles.unwrap_or_default(), tables => email_tables, notes => email_notes, link_base,
            },
        )?;
        self.staging.write(&format!("{as_of}/email.html"), html)?;

        let html = self.renderer.render(
            "dashboard.html",
            context! {
                site_title => &inp.config.title, root => "../", snap => "", as_of => &as_of,
                previous => &inp.kpis.previous_as_of, page => "dashboard", nav => &NAV,
                freshness => self.freshness(), currency => inp.code(), has_dashboard => self.has_dashboard,
                page_path => format!("{as_of}/dashboard.html"),
            },
        )?;
        self.staging
            .write(&format!("{as_of}/dashboard.html"), html)?;
        self.staging.write(
            &format!("{as_of}/metrics.json"),
            metrics_json::render(s, &inp.config.aging, &inp.ctx.aging, inp.kpis).as_bytes(),
        )?;
        let settings = wire::Settings {
            scheme: inp.config.aging.clone(),
            thresholds: inp.config.thresholds.clone(),
            snapshots: inp
                .history
                .points
                .iter()
                .filter_map(|p| arsite_core::Day::parse_iso(&p.as_of))
                .collect(),
        };
        self.staging.write(
            &format!("{as_of}/data.js"),
            data_script(&as_of, &wire::encode(s, &settings)).as_bytes(),
        )?;
        let tables: Vec<&DataTable> = workbook.iter().collect();
        let book = xlsx::workbook(
            s.as_of.date(),
            &format!("{} — {as_of}", inp.config.title),
            &tables,
        )?;
        self.staging.write(&format!("{as_of}/{as_of}.xlsx"), book)
    }
}

/// What "fresh" means for this snapshot: the newest activity and sales it could use.
fn freshness(inputs: &Inputs) -> String {
    let ctx = inputs.ctx;
    let activity = ctx.activity.last().map(|a| a.date().to_string());
    let mut parts = Vec::new();
    if let Some(a) = activity {
        parts.push(format!("activity through {a}"));
    }
    if let Some(m) = inputs.kpis.dso.months.first() {
        parts.push(format!(
            "{} sales through {}",
            if inputs.kpis.sales_derived {
                "derived"
            } else {
                "credit"
            },
            m.month
        ));
    }
    parts.join(" · ")
}

/// At most [`EMAIL_ROWS`] rows of a table, saying so in the caption: an
/// email must stay small (under 100 KB with fifty collectors) and the full
/// table is one link away.
/// Makes the links of a table taken from the page at `page_path` (relative
/// to the snapshot folder) relative to the snapshot folder itself: the
/// scorecard's `ann.html` on `collectors/index.html` becomes
/// `collectors/ann.html`, a `../x.html` there becomes `x.html`.
fn rebase_links(t: &mut DataTable, page_path: &str) {
    let Some((folder, _)) = page_path.rsplit_once('/') else {
        return;
    };
    for cell in t.rows.iter_mut().flatten() {
        if let Some(href) = &mut cell.href {
            *href = match href.strip_prefix("../") {
                Some(up) => up.to_string(),
                None => format!("{folder}/{href}"),
            };
        }
    }
}

fn email_table(t: &DataTable) -> DataTable {
    let mut t = t.clone();
    if t.rows.len() > EMAIL_ROWS {
        t.caption = format!(
            "{} (first {EMAIL_ROWS} of {} rows; all of them on the site)",
            t.caption,
            t.rows.len()
        );
        t.rows.truncate(EMAIL_ROWS);
        t.row_keys.truncate(EMAIL_ROWS);
    }
    t
}

const EMAIL_ROWS: usize = 15;

/// A classic script carrying the snapshot's bytes (base64). Scripts load
/// from `file://` where `fetch` does not, so the same site works from a
/// folder. The text sits in a comment inside a function, read back with
/// `Function.prototype.toString` (see `site/static/boot.js`): browsers scan
/// a comment about three times faster than a string literal of the same
/// length (a 26 MB data file: 0.34 s instead of 0.9 s in Chromium). The
/// date key is digits and dashes only; base64 has no `*/` and no escapes.
pub fn data_script(as_of: &str, bytes: &[u8]) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    format!(
        "(window.ARSITE_DATA=window.ARSITE_DATA||{{}})[\"{as_of}\"]=function(){{/*{encoded}*/}};\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::table::Cell;

    #[test]
    fn links_of_a_table_in_a_folder_are_rebased_to_the_snapshot() {
        let mut t = DataTable::new("scorecard", "Collector scorecard", &["Collector"]);
        t.push(vec![Cell::link("Ann", "ann-0123.html")]);
        t.push(vec![Cell::link("Overview", "../index.html")]);
        t.push(vec![Cell::text("plain")]);
        rebase_links(&mut t, "collectors/index.html");
        let hrefs: Vec<_> = t.rows.iter().map(|r| r[0].href.clone()).collect();
        assert_eq!(
            hrefs,
            [
                Some("collectors/ann-0123.html".into()),
                Some("index.html".into()),
                None
            ]
        );
        let mut top = DataTable::new("aging", "Aging", &["Customer"]);
        top.push(vec![Cell::link("C1", "customers/c1.html")]);
        rebase_links(&mut top, "aging.html");
        assert_eq!(top.rows[0][0].href.as_deref(), Some("customers/c1.html"));
    }

    #[test]
    fn email_tables_are_cut_and_say_so() {
        let mut t = DataTable::new("scorecard", "Collector scorecard", &["Collector", "#Open"]);
        for i in 0..50 {
            t.push(vec![Cell::text(format!("c{i}")), Cell::int(i)]);
        }
        let cut = email_table(&t);
        assert_eq!(cut.rows.len(), EMAIL_ROWS);
        assert_eq!(
            cut.caption,
            "Collector scorecard (first 15 of 50 rows; all of them on the site)"
        );
        t.rows.truncate(3);
        assert_eq!(email_table(&t).caption, "Collector scorecard");
    }
}

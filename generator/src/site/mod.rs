//! Building the site: for each snapshot, read → aggregate (core) → render →
//! write into a staging folder; then the index; then swap the site in.

pub mod assets;
pub mod metrics_json;
pub mod output;
pub mod render;
pub mod views;

use crate::import::{snapshot_csv, DataSet, Problems};
use anyhow::Result;
use arsite_core::aging::AgingReport;
use arsite_core::metrics;
use arsite_core::wire;
use base64::Engine;
use minijinja::context;
use output::Staging;
use render::Renderer;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use views::{AgingPage, Headline};

pub struct BuildOptions {
    pub data_dir: PathBuf,
    pub out_dir: PathBuf,
}

#[derive(Debug)]
pub struct BuildSummary {
    pub snapshots: usize,
    pub invoices: u64,
    pub files: u64,
    pub bytes: u64,
    pub elapsed: Duration,
    pub dashboard: bool,
}

pub fn build(opts: &BuildOptions) -> Result<BuildSummary> {
    let started = Instant::now();
    let data = DataSet::open(&opts.data_dir)?;
    let scheme = &data.config.aging;
    let renderer = Renderer::new()?;
    let mut staging = Staging::new(&opts.out_dir)?;
    assets::write(&mut staging)?;

    let mut headlines: Vec<Headline> = Vec::with_capacity(data.snapshots.len());
    let mut problems = Vec::new();
    let mut invoices = 0u64;
    let mut previous_snapshot: Option<arsite_core::Snapshot> = None;
    for (i, file) in data.snapshots.iter().enumerate() {
        let snapshot = match snapshot_csv::read(&file.path, file.as_of, &data.config.currency) {
            Ok(s) => s,
            Err(Problems(p)) => {
                problems.extend(p);
                continue;
            }
        };
        invoices += snapshot.invoices.len() as u64;
        let report = AgingReport::compute(&snapshot, scheme);
        let kpis = metrics::compute(
            &snapshot,
            previous_snapshot.as_ref(),
            &data.sales,
            &data.activity,
            &data.customers,
            &data.config.metrics,
        );
        let as_of = snapshot.as_of.to_string();
        let previous = i
            .checked_sub(1)
            .map(|p| data.snapshots[p].as_of.to_string());
        let page = |name: &str| {
            context! {
                site_title => &data.config.title,
                root => "../",
                as_of => &as_of,
                previous => &previous,
                page => name,
                currency => &snapshot.currency.code,
                has_dashboard => assets::has_dashboard(),
            }
        };
        let aging = AgingPage::new(&snapshot, scheme, &report);
        let html = renderer.render("aging.html", context! { aging => aging, ..page("aging") })?;
        staging.write(&format!("{as_of}/aging.html"), html.as_bytes())?;
        let html = renderer.render("dashboard.html", page("dashboard"))?;
        staging.write(&format!("{as_of}/dashboard.html"), html.as_bytes())?;
        staging.write(
            &format!("{as_of}/metrics.json"),
            metrics_json::render(&snapshot, scheme, &report, &kpis).as_bytes(),
        )?;
        staging.write(
            &format!("{as_of}/data.js"),
            data_script(&as_of, &wire::encode(&snapshot)).as_bytes(),
        )?;
        headlines.push(Headline::new(&snapshot, &report));
        previous_snapshot = Some(snapshot);
    }
    if !problems.is_empty() {
        return Err(Problems(problems).into());
    }
    headlines.reverse();
    let html = renderer.render(
        "index.html",
        context! {
            site_title => &data.config.title,
            root => "",
            as_of => "",
            page => "index",
            currency => &data.config.currency.code,
            latest => headlines.first(),
            snapshots => &headlines,
        },
    )?;
    staging.write("index.html", html.as_bytes())?;
    let (files, bytes) = (staging.files() + 1, staging.bytes());
    staging.commit()?;
    Ok(BuildSummary {
        snapshots: headlines.len(),
        invoices,
        files,
        bytes,
        elapsed: started.elapsed(),
        dashboard: assets::has_dashboard(),
    })
}

/// A classic script carrying the snapshot's bytes. Scripts load from
/// `file://` where `fetch` does not, so the same site works from a folder.
/// The date key is digits and dashes only, and base64 needs no escaping.
fn data_script(as_of: &str, bytes: &[u8]) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    format!("(window.ARSITE_DATA=window.ARSITE_DATA||{{}})[\"{as_of}\"]=\"{encoded}\";\n")
}

//! Building the site: for each snapshot, oldest first: read → metrics
//! (core) → pages → write into a staging folder; then the archive index;
//! then swap the site in. Only the current and previous snapshot are held
//! in memory, plus a small history point per snapshot.
//! (The dashboard's data script is written by `snapshot::data_script`.)

pub mod assets;
pub mod chart;
pub mod history;
pub mod metrics_json;
pub mod output;
pub mod page;
pub mod pages;
pub mod render;
pub mod snapshot;
pub mod table;
pub mod views;
pub mod xlsx;

use crate::import::{DataSet, Problems};
use anyhow::Result;
use arsite_core::ledger::Activity;
use arsite_core::metrics::{self, Context, SnapshotMetrics};
use arsite_core::Snapshot;
use minijinja::context;
use output::Staging;
use render::Renderer;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use views::Headline;

pub struct BuildOptions {
    pub data_dir: PathBuf,
    pub out_dir: PathBuf,
    /// A folder like `site/` whose `templates/` and `static/` replace the
    /// compiled-in copies (for `serve --watch`); `None` in normal builds.
    pub templates_dir: Option<PathBuf>,
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
    let site_dir = opts.templates_dir.as_deref();
    let renderer = Renderer::new(site_dir.map(|d| d.join("templates")).as_deref())?;
    let mut staging = Staging::new(&opts.out_dir)?;
    assets::write(&mut staging, site_dir.map(|d| d.join("static")).as_deref())?;
    let activity_by_customer = index_by_customer(&data.activity);
    let base_url = data.config.base_url.as_deref();

    let mut history = history::History::default();
    let mut headlines: Vec<Headline> = Vec::with_capacity(data.snapshots.len());
    let mut problems = Vec::new();
    let mut invoices = 0u64;
    let mut previous: Option<(Snapshot, SnapshotMetrics)> = None;
    for file in &data.snapshots {
        let crate::import::SnapshotImport {
            snapshot, quality, ..
        } = match data.read_snapshot(file) {
            Ok(i) => i,
            Err(Problems(p)) => {
                problems.extend(p);
                continue;
            }
        };
        invoices += snapshot.invoices.len() as u64;
        let ctx = Context::new(
            &snapshot,
            previous.as_ref().map(|(s, _)| s),
            &data.sales,
            &data.activity,
            &data.customers,
            &data.config.metrics,
        );
        let kpis = metrics::compute_with(&ctx);
        history.push(
            &snapshot,
            &ctx.aging,
            &kpis,
            data.config.aging.bucket_count(),
        );
        let as_of = snapshot.as_of;
        // Each customer's activity up to the snapshot date: later rows must
        // never reach this snapshot's pages.
        let activity_now: HashMap<&str, Vec<&Activity>> = activity_by_customer
            .iter()
            .map(|(id, rows)| {
                (
                    *id,
                    rows[..rows.partition_point(|a| a.date <= as_of)].to_vec(),
                )
            })
            .filter(|(_, rows)| !rows.is_empty())
            .collect();
        let inputs = pages::Inputs {
            config: &data.config,
            snapshot: &snapshot,
            ctx: &ctx,
            kpis: &kpis,
            previous: previous.as_ref().map(|(_, k)| k),
            history: &history,
            activity_by_customer: &activity_now,
        };
        let mut writer = snapshot::SnapshotWriter::new(&mut staging, &renderer, &inputs);
        writer.has_dashboard = assets::has_dashboard();
        writer.base_url = base_url;
        writer.quality = Some((&quality, &data.ledgers));
        writer.write_all()?;
        headlines.push(Headline::new(&snapshot, &ctx.aging, &kpis));
        drop(ctx);
        previous = Some((snapshot, kpis));
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
            currency => &data.config.currency.code,
            latest => headlines.first(),
            snapshots => &headlines,
        },
    )?;
    staging.write("index.html", html.as_bytes())?;
    if let Some(latest) = headlines.first() {
        let html = renderer.render(
            "redirect.html",
            context! { site_title => &data.config.title, as_of => &latest.as_of, target => format!("../{}/index.html", latest.as_of) },
        )?;
        staging.write("latest/index.html", html.as_bytes())?;
    }
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

/// Activity rows per customer id, in date order (the data set is sorted).
fn index_by_customer(activity: &[Activity]) -> HashMap<&str, Vec<&Activity>> {
    let mut map: HashMap<&str, Vec<&Activity>> = HashMap::new();
    for a in activity {
        map.entry(a.customer_id.as_str()).or_default().push(a);
    }
    map
}

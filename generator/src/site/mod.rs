//! Building the site: for each snapshot, oldest first: read → metrics
//! (core) → pages → write into a staging folder; then the archive index;
//! then swap the site in. Only the current and previous snapshot are held
//! in memory, plus a small history entry per snapshot.
//!
//! Incremental: a snapshot whose inputs did not change since the last build
//! (see `cache`) is neither read nor rendered; its folder is carried over.
//! Building snapshot k after an unchanged k-1 still reads k-1 and k-2 (its
//! pages show the change since k-1, whose figures depend on k-2), so that an
//! incremental build writes exactly what a full one would.
//! (The dashboard's data script is written by `snapshot::data_script`.)

pub mod assets;
pub mod cache;
pub mod chart;
pub mod comparison;
pub mod history;
pub mod metrics_json;
pub mod output;
pub mod page;
pub mod page_value;
pub mod pages;
pub mod paths;
pub mod render;
pub mod snapshot;
pub mod table;
pub mod views;
pub mod xlsx;

use crate::import::{DataSet, Problems};
use anyhow::Result;
use arsite_core::metrics::{self, Context, EarlierAr};
use arsite_core::{Day, Snapshot};
use cache::Record;
use comparison::Comparison;
use minijinja::context;
use output::Staging;
use render::Renderer;
use serde::Serialize;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use views::Headline;

pub struct BuildOptions {
    pub data_dir: PathBuf,
    pub out_dir: PathBuf,
    /// Show a progress bar (only drawn when stderr is a terminal).
    pub progress: bool,
    /// A folder like `site/` whose `templates/` and `static/` replace the
    /// compiled-in copies (for `serve --watch`); `None` in normal builds.
    pub templates_dir: Option<PathBuf>,
}

impl BuildOptions {
    pub fn new(data_dir: PathBuf, out_dir: PathBuf) -> BuildOptions {
        BuildOptions {
            data_dir,
            out_dir,
            progress: false,
            templates_dir: None,
        }
    }
}

/// Where the time went, in seconds. `open_s` (settings, ledgers, keys),
/// `read_s`, `compute_s` and `render_s` are wall time of the main thread
/// (rendering runs on every core and includes queueing the files);
/// `write_s` is the writer thread's time creating files, which overlaps the
/// rendering; `write_wait_s` is how long the end of the build waited for
/// the writer to catch up; `commit_s` is the swap.
#[derive(Debug, Default, Serialize)]
pub struct Stages {
    pub open_s: f64,
    pub read_s: f64,
    pub compute_s: f64,
    pub render_s: f64,
    pub write_s: f64,
    pub write_wait_s: f64,
    pub commit_s: f64,
}

#[derive(Debug, Serialize)]
pub struct BuildSummary {
    pub snapshots: usize,
    pub snapshots_built: usize,
    pub snapshots_reused: usize,
    /// Nothing changed since the last build: the site was left as it was.
    pub up_to_date: bool,
    pub invoices: u64,
    /// Bytes of the input files read by this build.
    pub input_bytes: u64,
    pub files: u64,
    pub bytes: u64,
    #[serde(serialize_with = "seconds")]
    pub elapsed: Duration,
    pub stages: Stages,
    pub dashboard: bool,
}

impl BuildSummary {
    /// The closing line of `arsite build`.
    pub fn line(&self, out: &std::path::Path) -> String {
        let what = if self.up_to_date {
            "up to date, nothing rebuilt".to_string()
        } else {
            format!(
                "built {} of {} snapshot(s) ({} unchanged)",
                self.snapshots_built, self.snapshots, self.snapshots_reused
            )
        };
        format!(
            "{what}, {} open items → {} ({} files, {:.1} MB) in {:.2} s",
            self.invoices,
            out.display(),
            self.files,
            self.bytes as f64 / 1e6,
            self.elapsed.as_secs_f64()
        )
    }
}

fn seconds<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

/// What a build does with one snapshot.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Plan {
    /// Unchanged and not needed by a rebuilt one: not even read.
    Keep,
    /// Unchanged, but the next snapshot is rebuilt: read (its invoices feed
    /// the next one's period), not computed (its record holds what the next
    /// one's pages compare with).
    Read,
    /// Read, computed and written.
    Build,
}

fn plan(records: &[Option<Record>], keys: &[String]) -> Vec<Plan> {
    let mut plan: Vec<Plan> = records
        .iter()
        .zip(keys)
        .map(|(r, key)| match r {
            Some(r) if &r.key == key => Plan::Keep,
            _ => Plan::Build,
        })
        .collect();
    for k in 0..plan.len() {
        if plan[k] != Plan::Build {
            continue;
        }
        if k >= 1 && plan[k - 1] != Plan::Build {
            plan[k - 1] = Plan::Read;
        }
    }
    plan
}

pub fn build(opts: &BuildOptions) -> Result<BuildSummary> {
    let started = Instant::now();
    paths::check_output(&opts.out_dir)?;
    paths::check_inputs_outside(&opts.data_dir, opts.templates_dir.as_deref(), &opts.out_dir)?;
    // Held until the build returns: one build at a time per output folder.
    let _lock = output::BuildLock::acquire(&opts.out_dir)?;
    output::recover(&opts.out_dir)?;
    let mut stages = Stages::default();
    let program = cache::program_fingerprint(opts.templates_dir.as_deref())?;
    let old_inputs = cache::Inputs::load(&opts.out_dir, &opts.data_dir);
    let snapshot_files = DataSet::snapshot_files(&opts.data_dir)?;
    if cache::Inputs::unchanged_since(&program, &old_inputs, &snapshot_files) {
        let records: Option<Vec<Record>> = snapshot_files
            .iter()
            .filter_map(|p| p.file_stem().and_then(|s| s.to_str()))
            .map(|as_of| Record::load(&opts.out_dir, as_of))
            .collect();
        if let Some(records) = records {
            return Ok(BuildSummary {
                snapshots: records.len(),
                snapshots_built: 0,
                snapshots_reused: records.len(),
                up_to_date: true,
                invoices: records.iter().map(|r| r.invoices).sum(),
                input_bytes: 0,
                files: old_inputs.site_files,
                bytes: old_inputs.site_bytes,
                elapsed: started.elapsed(),
                stages,
                dashboard: assets::has_dashboard(),
            });
        }
    }

    let data = DataSet::open(&opts.data_dir)?;
    let site_dir = opts.templates_dir.as_deref();
    let renderer = Renderer::new(site_dir.map(|d| d.join("templates")).as_deref())?;
    let mut staging = Staging::new(&opts.out_dir)?;
    assets::write(&mut staging, site_dir.map(|d| d.join("static")).as_deref())?;
    let customer_activity = pages::CustomerActivity::new(&data.activity);
    let base_url = data.config.base_url.as_deref();
    let mut input_bytes: u64 = data.ledgers.iter().map(|q| file_len(&q.path)).sum();

    let mut inputs = cache::Inputs::new(&program, &opts.data_dir);
    let keys = cache::snapshot_keys(&data, &program, &mut inputs, &old_inputs)?;
    let records: Vec<Option<Record>> = data
        .snapshots
        .iter()
        .map(|f| Record::load(staging.target(), &f.as_of.to_string()))
        .collect();
    let plan = plan(&records, &keys);
    stages.open_s = started.elapsed().as_secs_f64();

    test_pause("render");
    // For the `halfway` pause: half of the snapshots to build are staged.
    let halfway = plan
        .iter()
        .filter(|p| **p == Plan::Build)
        .count()
        .div_ceil(2);
    let progress = progress_bar(opts.progress, data.snapshots.len());
    let mut history = history::History::default();
    // The AR of every snapshot before the one being built, kept ones
    // included (from their records): the rolling CEI's beginning AR.
    let mut earlier: Vec<EarlierAr> = Vec::with_capacity(data.snapshots.len());
    let mut headlines: Vec<Headline> = Vec::with_capacity(data.snapshots.len());
    let mut problems = Vec::new();
    let (mut invoices, mut built, mut render_time) = (0u64, 0usize, Duration::ZERO);
    let mut previous: Option<Snapshot> = None;
    let mut previous_figures: Option<Comparison> = None;
    for (index, ((file, step), record)) in data.snapshots.iter().zip(&plan).zip(records).enumerate()
    {
        let as_of = file.as_of.to_string();
        progress.set_message(as_of.clone());
        if *step != Plan::Build {
            let record = record.expect("only snapshots with a record are kept");
            invoices += record.invoices;
            staging.carry_over(&as_of, &record.key, record.files, record.bytes);
            earlier.extend(earlier_ar(&record.entry.point));
            history.push(record.entry);
            headlines.push(record.headline);
            previous_figures = Some(record.comparison);
        }
        if *step == Plan::Keep {
            previous = None;
            progress.inc(1);
            continue;
        }
        let t = Instant::now();
        input_bytes += file_len(&file.path);
        let crate::import::SnapshotImport {
            snapshot, quality, ..
        } = match data.read_snapshot(file) {
            Ok(i) => i,
            Err(Problems(p)) => {
                problems.extend(p);
                progress.inc(1);
                continue;
            }
        };
        stages.read_s += t.elapsed().as_secs_f64();
        for w in crate::check::grouping_warnings(&file.path, &snapshot) {
            eprintln!("arsite: {w}");
        }
        for w in quality
            .layout
            .warnings(&file.path.display().to_string(), &quality.currency)
        {
            eprintln!("arsite: {w}");
        }
        if *step == Plan::Read {
            previous = Some(snapshot);
            progress.inc(1);
            continue;
        }
        let t = Instant::now();
        let ctx = Context::new(
            &snapshot,
            previous.as_ref(),
            &data.sales,
            &data.activity,
            &data.customers,
            &data.config.metrics,
        )
        .with_earlier(&earlier);
        let (kpis, details) = metrics::compute_detailed(&ctx);
        stages.compute_s += t.elapsed().as_secs_f64();
        let t = Instant::now();
        let entry = history::Entry::new(
            index,
            &snapshot,
            &ctx.aging,
            &kpis,
            data.config.aging.bucket_count(),
        );
        let headline = Headline::new(&snapshot, &ctx.aging, &kpis);
        let figures = Comparison::new(&kpis);
        let own_ar = earlier_ar(&entry.point);
        let mut record = Record::new(
            keys[index].clone(),
            entry.clone(),
            headline.clone(),
            figures.clone(),
            snapshot.invoices.len() as u64,
        );
        history.push(entry);
        headlines.push(headline);
        invoices += record.invoices;
        let inputs = pages::Inputs {
            config: &data.config,
            snapshot: &snapshot,
            ctx: &ctx,
            kpis: &kpis,
            details: &details,
            previous: previous_figures.as_ref(),
            history: &history,
            customer_activity: &customer_activity,
        };
        let (files_before, bytes_before) = (staging.files(), staging.bytes());
        let mut writer = snapshot::SnapshotWriter::new(&staging, &renderer, &inputs);
        writer.has_dashboard = assets::has_dashboard();
        writer.base_url = base_url;
        writer.quality = Some((&quality, &data.ledgers));
        writer.write_all()?;
        // The record counts itself, and its size depends on the count
        // it holds: settle on a size that includes itself (adding its
        // length can add a digit, hence the loop; two rounds at most).
        record.files = staging.files() - files_before + 1;
        let pages_bytes = staging.bytes() - bytes_before;
        record.bytes = pages_bytes;
        let json = loop {
            let json = serde_json::to_vec(&record)?;
            let total = pages_bytes + json.len() as u64;
            if record.bytes == total {
                break json;
            }
            record.bytes = total;
        };
        staging.write(&format!("{as_of}/{}", cache::RECORD), json)?;
        render_time += t.elapsed();
        built += 1;
        if built == halfway {
            test_pause("halfway");
        }
        previous_figures = Some(figures);
        drop(details);
        drop(ctx);
        earlier.extend(own_ar);
        previous = Some(snapshot);
        progress.inc(1);
    }
    progress.finish_and_clear();
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
            // The archive belongs to no snapshot (base.html shows no
            // snapshot header and no print path for it).
            as_of => (),
            page_path => (),
            latest => headlines.first(),
            snapshots => &headlines,
        },
    )?;
    staging.write("index.html", html)?;
    if let Some(latest) = headlines.first() {
        let html = renderer.render(
            "redirect.html",
            context! { site_title => &data.config.title, as_of => &latest.as_of, target => format!("../{}/index.html", latest.as_of) },
        )?;
        staging.write("latest/index.html", html)?;
    }
    let (files, bytes) = (staging.files(), staging.bytes());
    inputs.site_files = files;
    inputs.site_bytes = bytes;
    staging.write(cache::INPUTS, inputs.to_json())?;
    let t = Instant::now();
    let write_time = staging.finish_writes()?;
    // The writer thread works while pages render: its time is its own, and
    // what rendering waited for it shows as the wait below.
    stages.write_s = write_time.as_secs_f64();
    stages.write_wait_s = t.elapsed().as_secs_f64();
    stages.render_s = render_time.as_secs_f64();
    test_pause("commit");
    let t = Instant::now();
    staging.commit()?;
    stages.commit_s = t.elapsed().as_secs_f64();
    Ok(BuildSummary {
        snapshots: headlines.len(),
        snapshots_built: built,
        snapshots_reused: headlines.len() - built,
        up_to_date: false,
        invoices,
        input_bytes,
        files,
        bytes,
        elapsed: started.elapsed(),
        stages,
        dashboard: assets::has_dashboard(),
    })
}

/// For tests of builds that overlap: with `ARSITE_TEST_PAUSE_AT=<stage>`
/// (`render`: planned, lock held, staging folder made, no page rendered
/// yet; `halfway`: half of the snapshots to build rendered and queued for
/// writing; `commit`: the new site staged; past the commit point, in
/// `output::finish_commit`: `carried`, unchanged folders moved from the old
/// site into the new one, and `aside`, the old site moved aside, the new
/// one not yet in place) the build says so on stderr and waits there until
/// its standard input closes.
fn test_pause(stage: &str) {
    if std::env::var_os("ARSITE_TEST_PAUSE_AT").is_some_and(|v| v == stage) {
        eprintln!("arsite: paused at {stage} (ARSITE_TEST_PAUSE_AT)");
        let _ = std::io::copy(&mut std::io::stdin(), &mut std::io::sink());
    }
}

/// A history point's AR as the metrics of later snapshots need it.
fn earlier_ar(p: &history::Point) -> Option<EarlierAr> {
    Some(EarlierAr {
        as_of: Day::parse_iso(&p.as_of)?,
        total: p.total,
        current: p.buckets.first().copied().unwrap_or_default(),
    })
}

fn file_len(path: &std::path::Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// One tick per snapshot. indicatif hides it by itself when stderr is not
/// a terminal (scripts, CI, pipes).
fn progress_bar(enabled: bool, snapshots: usize) -> indicatif::ProgressBar {
    if !enabled {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(snapshots as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} building {pos}/{len} snapshots [{bar:30}] {msg} ({elapsed})",
        )
        .expect("a valid progress template")
        .progress_chars("=> "),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

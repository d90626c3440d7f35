//! `cargo xtask dashboard-bench`: the dashboard's speed on a million
//! invoices, measured in headless Chromium, printed (not asserted: a
//! benchmark, not a timed test that would fail on a busy CI machine).
//!
//! Steps: build the bundle (reporting the wasm size) and `arsite`; write a
//! synthetic company once (20,000 customers, 50 collectors, one snapshot of
//! about 1,000,000 open items) into `target/dashboard-bench/data`; build
//! its site; report the data file's size per invoice, gzipped as a web
//! server would send it; then run the browser part, the `dashboard_bench`
//! example of the tests crate (it has the WebDriver client), which prints
//! load, decode and filter timings and the rows in the DOM.
//!
//! `cargo xtask dashboard-bench --fresh` writes the data again.

use crate::{bundle, root, run};
use anyhow::{bail, Context, Result};
use std::fs;
use std::io::Write;
use std::path::Path;

const CUSTOMERS: &str = "20000";
const COLLECTORS: &str = "50";
const INVOICES: &str = "1000000";

fn gzip_len(bytes: &[u8], level: u32) -> usize {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
    enc.write_all(bytes).expect("writing to memory");
    enc.finish().expect("writing to memory").len()
}

fn text(p: &Path) -> Result<&str> {
    p.to_str()
        .with_context(|| format!("{}: path is not UTF-8", p.display()))
}

pub fn run(args: &[String]) -> Result<()> {
    let sizes = bundle::build_dashboard()?;
    run::cargo(&["build", "--release", "-p", "arsite", "--bin", "arsite"])?;
    let arsite = root().join("target/release/arsite");
    let work = root().join("target/dashboard-bench");
    let data = work.join("data");
    let site = work.join("site");
    if args.iter().any(|a| a == "--fresh") || !data.join("snapshots").is_dir() {
        fs::create_dir_all(&work)?;
        run::command(
            &arsite,
            &[
                "sample",
                "--out",
                text(&data)?,
                "--force",
                "--customers",
                CUSTOMERS,
                "--collectors",
                COLLECTORS,
                "--months",
                "1",
                "--invoices-per-snapshot",
                INVOICES,
            ],
        )?;
    }
    run::command(
        &arsite,
        &["build", text(&data)?, "--out", text(&site)?, "--quiet"],
    )?;

    let mut snapshots: Vec<String> = fs::read_dir(data.join("snapshots"))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".csv")
                .map(str::to_string)
        })
        .collect();
    snapshots.sort();
    let Some(date) = snapshots.pop() else {
        bail!("{}: no snapshot was written", data.display());
    };
    let csv = fs::read(data.join("snapshots").join(format!("{date}.csv")))?;
    let invoices = csv
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        .saturating_sub(1);
    let script = fs::read(site.join(&date).join("data.js"))?;
    let (gz6, gz9) = (gzip_len(&script, 6), gzip_len(&script, 9));
    let per = |n: usize| n as f64 / invoices as f64;

    println!();
    println!("Dashboard benchmark: snapshot {date}, {invoices} open items, {CUSTOMERS} customers, {COLLECTORS} collectors");
    println!(
        "Machine: {} logical CPUs; {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        cpu_model()
    );
    println!(
        "Data file {date}/data.js: {} bytes ({:.2} per invoice); gzipped {} bytes ({:.2} per invoice, level 6), {} ({:.2}, level 9)",
        script.len(),
        per(script.len()),
        gz6,
        per(gz6),
        gz9,
        per(gz9)
    );
    println!(
        "Dashboard wasm: {} bytes, {:.1} KB gzipped",
        sizes.wasm_raw,
        sizes.wasm_gzip as f64 / 1024.0
    );
    println!();
    run::cargo(&[
        "run",
        "--quiet",
        "--release",
        "-p",
        "arsite-e2e",
        "--example",
        "dashboard_bench",
        "--",
        text(&site)?,
        &date,
    ])
}

fn cpu_model() -> String {
    fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "CPU model unknown".to_string())
}

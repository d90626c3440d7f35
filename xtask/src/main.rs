//! Build automation for arsite: `cargo xtask <command>`.
//!
//! Commands:
//!   dashboard  build the leptos dashboard to wasm and bundle it for the generator
//!   demo       dashboard + generator, then build the sample site from data/ into public/
//!   test       install what the tests need, then fmt, clippy, every test (browser included)
//!              and each fuzz target (libFuzzer, stable) for 20 s
//!   sample     regenerate the committed sample data in data/
//!   bench      the build benchmark: 36 snapshots × 250,000 invoices, full,
//!              incremental and no-change builds against a DuckDB aging query
//!   dashboard-bench  the dashboard on a million invoices in headless Chromium
//!   mutants    mutation testing (cargo-mutants) of the metrics, the selection and
//!              the import number/date parsers; fails below 98 % caught in the metrics

mod bench;
mod browser;
mod bundle;
mod dashboard_bench;
mod fuzz;
mod mutants;
mod run;
mod toolchain;

use anyhow::{bail, Result};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let started = Instant::now();
    let result = match args.first().map(String::as_str) {
        Some("bench") => bench::run(&args[1..]),
        Some("dashboard") => bundle::build_dashboard().map(|_| ()),
        Some("dashboard-bench") => dashboard_bench::run(&args[1..]),
        Some("demo") => demo(),
        Some("mutants") => mutants::run(&args[1..]),
        Some("test") => test(),
        Some("sample") => sample(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <dashboard|demo|test|sample|bench|dashboard-bench|mutants>"
            );
            std::process::exit(2);
        }
    };
    match result {
        Ok(()) => eprintln!("xtask: done in {:.1} s", started.elapsed().as_secs_f64()),
        Err(e) => {
            eprintln!("xtask: error: {e:#}");
            std::process::exit(1);
        }
    }
}

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    // `cargo run` sets CARGO_MANIFEST_DIR at run time too; prefer it over the
    // compile-time value so a moved checkout never builds into the old one.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    Path::new(&manifest)
        .parent()
        .expect("xtask is inside the workspace")
        .to_path_buf()
}

fn demo() -> Result<()> {
    bundle::build_dashboard()?;
    run::cargo(&["build", "--release", "-p", "arsite", "--bin", "arsite"])?;
    let arsite = root().join("target/release/arsite");
    run::command(&arsite, &["build", "data", "--out", "public"])?;
    let public = root().join("public");
    println!();
    println!("The sample site is in {}", public.display());
    println!(
        "  open it from the folder: file://{}/index.html",
        public.display()
    );
    println!(
        "  or serve it over HTTP:   target/release/arsite serve public   (http://127.0.0.1:8000/)"
    );
    Ok(())
}

fn test() -> Result<()> {
    toolchain::ensure_rustup_components(&["rustfmt", "clippy"])?;
    browser::ensure_chromium()?;
    bundle::build_dashboard()?;
    run::cargo(&["fmt", "--all", "--", "--check"])?;
    // The dashboard only builds for wasm32; it is linted for that target below.
    run::cargo(&[
        "clippy",
        "--workspace",
        "--exclude",
        "arsite-dashboard",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ])?;
    let wasm = toolchain::ensure_wasm_toolchain()?;
    if !wasm.has_clippy() {
        eprintln!(
            "xtask: skipping the wasm32 clippy pass: Debian's fallback toolchain has no clippy"
        );
        run::cargo_test(&["--workspace", "--exclude", "arsite-dashboard"])?;
        return fuzz();
    }
    wasm.cargo(&[
        "clippy",
        "-p",
        "arsite-dashboard",
        "-p",
        "arsite-core",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ])?;
    run::cargo_test(&["--workspace", "--exclude", "arsite-dashboard"])?;
    fuzz()
}

/// Every fuzz target (fuzz/) built and run for a bounded time under
/// libFuzzer on stable (see `fuzz`).
fn fuzz() -> Result<()> {
    fuzz::run(fuzz::SECONDS)
}

fn sample(extra: &[String]) -> Result<()> {
    let mut args = vec![
        "run",
        "--release",
        "-p",
        "arsite",
        "--bin",
        "arsite",
        "--",
        "sample",
        "--out",
        "data",
        "--force",
    ];
    args.extend(extra.iter().map(String::as_str));
    if !root().join("generator").exists() {
        bail!("run from the arsite workspace");
    }
    run::cargo(&args)
}

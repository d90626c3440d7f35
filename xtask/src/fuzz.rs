//! The fuzz targets (fuzz/) under libFuzzer, on the stable toolchain.
//!
//! cargo-fuzz only adds compiler flags to `cargo build`: the same flags are
//! set here (coverage instrumentation for libFuzzer, `--cfg fuzzing`), none
//! of them nightly-only, so neither
//! cargo-fuzz nor a nightly toolchain is needed. No sanitizer: the code
//! under test is safe Rust, and what is looked for is a panic or a failed
//! property. Debug assertions and overflow checks are on for arsite's own
//! crates and off for the dependencies, as in the binary users run (set in
//! fuzz/Cargo.toml's profile, not here: a flag here reaches every crate).
//! libfuzzer-sys compiles libFuzzer itself, which needs a C++
//! compiler (installed like the browser, from Debian, when missing).
//!
//! Each target runs for a bounded time from a fresh copy of its committed
//! seeds (fuzz/seeds/<target>/); a crash fails `cargo xtask test`, and
//! libFuzzer writes the input under target/fuzz/artifacts/<target>/.

use crate::run;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Every `[[bin]]` of fuzz/Cargo.toml (checked against it below).
pub const TARGETS: [&str; 5] = [
    "amount",
    "date",
    "csv_rows",
    "snapshot_csv",
    "snapshot_xlsx",
];
/// Seconds each target runs in `cargo xtask test`.
pub const SECONDS: u64 = 20;

/// The instrumentation cargo-fuzz 0.12 passes (without `-Zsanitizer`).
const RUSTFLAGS: &[&str] = &[
    "-Cpasses=sancov-module",
    "-Cllvm-args=-sanitizer-coverage-level=4",
    "-Cllvm-args=-sanitizer-coverage-inline-8bit-counters",
    "-Cllvm-args=-sanitizer-coverage-pc-table",
    "-Cllvm-args=-sanitizer-coverage-trace-compares",
    "--cfg",
    "fuzzing",
];

/// Builds every target, then runs each for `seconds`.
pub fn run(seconds: u64) -> Result<()> {
    let started = Instant::now();
    let fuzz_dir = crate::root().join("fuzz");
    check_targets(&fuzz_dir)?;
    ensure_cxx()?;
    let target_dir = target_dir();
    let triple = host_triple()?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    // With an explicit --target the flags reach only the targets, not the
    // build scripts and proc macros (which cannot link libFuzzer's hooks).
    run::status(
        Command::new(&cargo)
            .args(["build", "--release", "--bins", "--target", &triple])
            .arg("--manifest-path")
            .arg(fuzz_dir.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target_dir)
            .env("CARGO_ENCODED_RUSTFLAGS", RUSTFLAGS.join("\u{1f}"))
            .env_remove("RUSTFLAGS")
            .current_dir(&fuzz_dir),
    )?;
    let bin_dir = target_dir.join(&triple).join("release");
    let built = started.elapsed();
    for t in TARGETS {
        let seeds = fuzz_dir.join("seeds").join(t);
        let count = std::fs::read_dir(&seeds)
            .with_context(|| format!("{}: no seeds", seeds.display()))?
            .count();
        if count == 0 {
            bail!("{}: no seeds", seeds.display());
        }
        // A fresh working corpus each run (libFuzzer adds to the first
        // folder; the committed seeds stay as they are).
        let corpus = target_dir.join("corpus").join(t);
        let artifacts = target_dir.join("artifacts").join(t);
        let _ = std::fs::remove_dir_all(&corpus);
        std::fs::create_dir_all(&corpus)?;
        std::fs::create_dir_all(&artifacts)?;
        run::status(
            Command::new(bin_dir.join(t))
                .arg(&corpus)
                .arg(&seeds)
                .arg(format!("-max_total_time={seconds}"))
                // A single input taking this long is a hang, reported as a crash.
                .arg("-timeout=10")
                .arg("-rss_limit_mb=2048")
                .arg(format!("-artifact_prefix={}/", artifacts.display()))
                .arg("-print_final_stats=1")
                .current_dir(&fuzz_dir),
        )
        .with_context(|| {
            format!(
                "fuzz target {t} failed: the input is under {}",
                artifacts.display()
            )
        })?;
    }
    eprintln!(
        "xtask: fuzzing: {} targets built in {:.0} s, {seconds} s each, {:.0} s in all",
        TARGETS.len(),
        built.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The fuzz build's own folder: its flags differ from the workspace's, and
/// sharing one would rebuild both every time.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::root().join("target"))
        .join("fuzz")
}

fn host_triple() -> Result<String> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let out = run::output(Command::new(rustc).arg("-vV")).context("rustc -vV failed")?;
    out.lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(str::to_owned)
        .context("rustc -vV names no host")
}

/// TARGETS and fuzz/Cargo.toml name the same targets, so a new target
/// cannot be left out of CI.
fn check_targets(fuzz_dir: &Path) -> Result<()> {
    let manifest = std::fs::read_to_string(fuzz_dir.join("Cargo.toml"))?;
    let mut bins: Vec<&str> = manifest
        .split("[[bin]]")
        .skip(1)
        .filter_map(|b| b.lines().find_map(|l| l.trim().strip_prefix("name = ")))
        .map(|n| n.trim_matches('"'))
        .collect();
    let mut listed = TARGETS.to_vec();
    bins.sort_unstable();
    listed.sort_unstable();
    if bins != listed {
        bail!("fuzz/Cargo.toml has the targets {bins:?}, xtask/src/fuzz.rs runs {listed:?}");
    }
    Ok(())
}

/// libFuzzer is C++: Debian's g++ when there is no `c++`.
fn ensure_cxx() -> Result<()> {
    let has = |p: &str| run::output(Command::new(p).arg("--version")).is_some();
    if has("c++") || has("g++") || has("clang++") {
        return Ok(());
    }
    run::apt_install(&["g++"], "building libFuzzer for the fuzz targets")
}

//! The dashboard bundle: wasm build → wasm-bindgen (same pinned version as the
//! dashboard's `wasm-bindgen` dependency) → wasm-opt when available → files
//! the generator embeds.
//!
//! The bundle is three classic scripts, no ES modules and no `fetch`, so the
//! site also works when opened from a folder (`file://`), where browsers
//! refuse both: the wasm travels base64-encoded inside a script.

use crate::{root, run, toolchain};
use anyhow::{Context, Result};
use base64::Engine;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the generator's build script picks the bundle up.
pub fn bundle_dir() -> PathBuf {
    root().join("generator/dashboard-bundle")
}

const BINARYEN_NPM: &str = "binaryen@132.0.0";

pub struct BundleSizes {
    pub wasm_raw: usize,
    pub wasm_gzip: usize,
}

pub fn build_dashboard() -> Result<BundleSizes> {
    let tc = toolchain::ensure_wasm_toolchain()?;
    tc.cargo(&[
        "build",
        "-p",
        "arsite-dashboard",
        "--target",
        toolchain::TARGET,
        "--profile",
        "wasm-release",
    ])?;
    let wasm = tc
        .target_dir()
        .join("wasm32-unknown-unknown/wasm-release/arsite_dashboard.wasm");
    let work = root().join("target/dashboard-bindgen");
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work)?;
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .out_name("dashboard")
        .typescript(false)
        .no_modules(true)?
        .generate(&work)
        .context("wasm-bindgen failed")?;
    let bindgen_wasm = work.join("dashboard_bg.wasm");
    let final_wasm = match optimize(&bindgen_wasm) {
        Ok(p) => p,
        Err(e) => {
            eprintln!(
                "xtask: warning: wasm-opt not used ({e:#}); the bundle is larger but correct"
            );
            bindgen_wasm
        }
    };
    let wasm_bytes = fs::read(&final_wasm)?;
    let out = bundle_dir();
    fs::create_dir_all(&out)?;
    fs::copy(work.join("dashboard.js"), out.join("dashboard.js"))?;
    let encoded = base64::engine::general_purpose::STANDARD.encode(&wasm_bytes);
    write_if_changed(
        &out.join("dashboard-wasm.js"),
        format!("window.ARSITE_WASM=\"{encoded}\";\n").as_bytes(),
    )?;
    write_if_changed(&out.join("dashboard.wasm"), &wasm_bytes)?;
    let sizes = BundleSizes {
        wasm_raw: wasm_bytes.len(),
        wasm_gzip: gzip_len(&wasm_bytes),
    };
    eprintln!(
        "xtask: dashboard bundle in {}: wasm {} bytes raw, {} bytes gzipped",
        out.display(),
        sizes.wasm_raw,
        sizes.wasm_gzip
    );
    Ok(sizes)
}

/// Runs binaryen's wasm-opt from the npm package (Debian's binaryen 108
/// miscompiles modules from current rustc; v132 from npm does not).
fn optimize(input: &Path) -> Result<PathBuf> {
    let tools = root().join("target/tools");
    let wasm_opt = tools.join("node_modules/binaryen/bin/wasm-opt");
    if !wasm_opt.exists() {
        fs::create_dir_all(&tools)?;
        run::status(
            Command::new("npm")
                .args([
                    "install",
                    "--no-save",
                    "--no-audit",
                    "--no-fund",
                    "--prefix",
                ])
                .arg(&tools)
                .arg(BINARYEN_NPM),
        )?;
    }
    let output = input.with_file_name("dashboard_opt.wasm");
    run::status(
        Command::new("node")
            .arg(&wasm_opt)
            .arg(input)
            .args([
                "-Oz",
                "--strip-debug",
                "--strip-producers",
                "--enable-bulk-memory",
                "--enable-mutable-globals",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-reference-types",
                "--enable-multivalue",
                "-o",
            ])
            .arg(&output),
    )?;
    Ok(output)
}

fn gzip_len(bytes: &[u8]) -> usize {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).expect("writing to memory");
    enc.finish().expect("writing to memory").len()
}

/// Leaves unchanged files untouched so cargo does not rebuild the generator.
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<()> {
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

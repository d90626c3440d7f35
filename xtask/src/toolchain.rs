//! Finding a Rust toolchain that can build for wasm32-unknown-unknown.
//!
//! First choice: rustup's prebuilt std for the target (installed on demand).
//! Fallback for machines where rustup cannot download it: Debian's
//! `rustc-web`/`cargo-web` with the std sources (`rust-web-src`), building std
//! itself (`-Zbuild-std`) and linking with lld's `wasm-ld`.
//! `ARSITE_WASM_TOOLCHAIN=debian` forces the fallback (to test it).

use crate::run;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

pub const TARGET: &str = "wasm32-unknown-unknown";
const DEBIAN_PACKAGES: [&str; 4] = ["rustc-web", "cargo-web", "rust-web-src", "lld-22"];

pub enum WasmToolchain {
    Rustup,
    Debian {
        cargo: PathBuf,
        rustc: PathBuf,
        wasm_ld: PathBuf,
    },
}

impl WasmToolchain {
    pub fn describe(&self) -> String {
        match self {
            WasmToolchain::Rustup => "rustup's wasm32-unknown-unknown target".to_string(),
            WasmToolchain::Debian { rustc, .. } => {
                format!("Debian's toolchain ({}) with -Zbuild-std", rustc.display())
            }
        }
    }

    pub fn target_dir(&self) -> PathBuf {
        match self {
            WasmToolchain::Rustup => crate::root().join("target"),
            WasmToolchain::Debian { .. } => crate::root().join("target/debian-wasm"),
        }
    }

    pub fn has_clippy(&self) -> bool {
        matches!(self, WasmToolchain::Rustup)
    }

    /// Runs a cargo command for the wasm target (the caller passes `--target`).
    pub fn cargo(&self, args: &[&str]) -> Result<()> {
        match self {
            WasmToolchain::Rustup => run::cargo(args),
            WasmToolchain::Debian {
                cargo,
                rustc,
                wasm_ld,
            } => {
                let mut cmd = Command::new(cargo);
                cmd.args(args)
                    .arg("-Zbuild-std=std,panic_abort")
                    .current_dir(crate::root())
                    .env("RUSTC_BOOTSTRAP", "1")
                    .env("RUSTC", rustc)
                    .env("CARGO_TARGET_DIR", self.target_dir())
                    .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER", wasm_ld)
                    .env_remove("RUSTUP_TOOLCHAIN")
                    .env_remove("CARGO");
                run::status(&mut cmd)
            }
        }
    }
}

pub fn ensure_wasm_toolchain() -> Result<WasmToolchain> {
    let forced_debian = std::env::var("ARSITE_WASM_TOOLCHAIN").is_ok_and(|v| v == "debian");
    if !forced_debian && rustup_has_target() {
        return Ok(report(WasmToolchain::Rustup));
    }
    if !forced_debian {
        eprintln!("xtask: the {TARGET} target is missing; trying `rustup target add {TARGET}`");
        let added = Command::new("rustup")
            .args(["target", "add", TARGET])
            .status()
            .is_ok_and(|s| s.success());
        if added && rustup_has_target() {
            return Ok(report(WasmToolchain::Rustup));
        }
        eprintln!("xtask: rustup could not install {TARGET}; falling back to Debian's toolchain");
    }
    debian_toolchain().map(report)
}

/// rustfmt and clippy come with rustup's default profile but not the minimal one.
pub fn ensure_rustup_components(components: &[&str]) -> Result<()> {
    let installed = run::output(Command::new("rustup").args(["component", "list", "--installed"]))
        .unwrap_or_default();
    let missing: Vec<&str> = components
        .iter()
        .copied()
        .filter(|c| !installed.lines().any(|l| l.starts_with(&format!("{c}-"))))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    run::status(
        Command::new("rustup")
            .args(["component", "add"])
            .args(&missing),
    )
}

fn report(tc: WasmToolchain) -> WasmToolchain {
    eprintln!("xtask: wasm toolchain: {}", tc.describe());
    tc
}

fn rustup_has_target() -> bool {
    run::output(Command::new("rustup").args(["target", "list", "--installed"]))
        .is_some_and(|out| out.lines().any(|l| l.trim() == TARGET))
}

fn debian_toolchain() -> Result<WasmToolchain> {
    let missing: Vec<&str> = DEBIAN_PACKAGES
        .iter()
        .copied()
        .filter(|p| !dpkg_installed(p))
        .collect();
    if !missing.is_empty() {
        run::apt_install(
            &missing,
            "building the dashboard without rustup's wasm32 target",
        )?;
    }
    let files = run::output(Command::new("dpkg").args(["-L", "rustc-web", "cargo-web", "lld-22"]))
        .context("dpkg -L failed")?;
    let find = |suffix: &str| -> Result<PathBuf> {
        files
            .lines()
            .map(Path::new)
            .find(|p| p.ends_with(suffix) && p.is_file())
            .map(Path::to_path_buf)
            .with_context(|| format!("no {suffix} in Debian's rustc-web/cargo-web/lld-22 packages"))
    };
    let tc = WasmToolchain::Debian {
        cargo: find("bin/cargo")?,
        rustc: find("bin/rustc")?,
        wasm_ld: find("bin/wasm-ld")?,
    };
    if let WasmToolchain::Debian { rustc, .. } = &tc {
        if run::output(Command::new(rustc).arg("--version")).is_none() {
            bail!("{} does not run", rustc.display());
        }
    }
    Ok(tc)
}

fn dpkg_installed(package: &str) -> bool {
    run::output(Command::new("dpkg-query").args(["-W", "-f=${Status}", package]))
        .is_some_and(|s| s.contains("install ok installed"))
}

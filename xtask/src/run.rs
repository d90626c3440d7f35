//! Running child processes with their command line echoed, failing loudly.

use anyhow::{bail, Context, Result};
use std::path::Path;
use std::process::Command;

pub fn cargo(args: &[&str]) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    status(Command::new(cargo).args(args).current_dir(crate::root()))
}

/// Runs `cargo test …`, echoing its output, and ends with one plain
/// "tests: N passed, N failed" line summed over every test binary (cargo's
/// own last line belongs to whichever binary ran last).
pub fn cargo_test(args: &[&str]) -> Result<()> {
    use std::io::{BufRead, BufReader};
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut cmd = Command::new(cargo);
    cmd.arg("test")
        .args(args)
        .current_dir(crate::root())
        .stdout(std::process::Stdio::piped());
    eprintln!("xtask: $ {}", describe(&cmd));
    let mut child = cmd.spawn().context("could not start cargo test")?;
    let (mut passed, mut failed, mut ignored) = (0u64, 0u64, 0u64);
    for line in BufReader::new(child.stdout.take().expect("piped")).lines() {
        let line = line?;
        println!("{line}");
        if let Some(rest) = line.strip_prefix("test result: ") {
            for part in rest.split(';') {
                let mut words = part.split_whitespace().rev();
                let (Some(kind), Some(n)) = (words.next(), words.next()) else {
                    continue;
                };
                let n: u64 = n.parse().unwrap_or(0);
                match kind {
                    "passed" => passed += n,
                    "failed" => failed += n,
                    "ignored" => ignored += n,
                    _ => {}
                }
            }
        }
    }
    let status = child.wait()?;
    println!("tests: {passed} passed, {failed} failed, {ignored} skipped");
    if !status.success() {
        bail!("cargo test failed ({status})");
    }
    Ok(())
}

pub fn command(program: &Path, args: &[&str]) -> Result<()> {
    status(Command::new(program).args(args).current_dir(crate::root()))
}

pub fn status(cmd: &mut Command) -> Result<()> {
    eprintln!("xtask: $ {}", describe(cmd));
    let status = cmd
        .status()
        .with_context(|| format!("could not start {}", describe(cmd)))?;
    if !status.success() {
        bail!("{} failed ({status})", describe(cmd));
    }
    Ok(())
}

/// Runs and returns stdout; `None` when the program is missing or fails.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

pub fn is_root() -> bool {
    output(Command::new("id").arg("-u")).is_some_and(|s| s.trim() == "0")
}

/// `apt-get install` when running as root; otherwise stop with the exact command to run.
pub fn apt_install(packages: &[&str], why: &str) -> Result<()> {
    let line = format!(
        "apt-get update && apt-get install -y {}",
        packages.join(" ")
    );
    if !is_root() {
        bail!(
            "{why} needs Debian packages that are missing; run as root:\n    sudo sh -c '{line}'"
        );
    }
    eprintln!("xtask: installing {} ({why})", packages.join(", "));
    status(Command::new("apt-get").arg("update").arg("-qq"))?;
    status(
        Command::new("apt-get")
            .args(["install", "-y", "-qq", "--no-install-recommends"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

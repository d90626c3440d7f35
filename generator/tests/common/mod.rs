//! What the generator's integration tests share: running the real `arsite`
//! binary and reading a built site back.

// Each test file uses its own subset.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc::{self, Receiver};

pub fn arsite() -> Command {
    Command::new(env!("CARGO_BIN_EXE_arsite"))
}

/// Runs `command`, fails the test with its stderr unless it succeeds, and
/// returns its stdout.
pub fn run_ok(command: &mut Command) -> String {
    let run = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    assert!(
        run.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    stdout
}

/// `arsite sample` into `out` with these `--customers` and `--months`.
pub fn sample(out: &Path, customers: u32, months: u32) {
    run_ok(
        arsite()
            .args(["sample", "--customers", &customers.to_string()])
            .args(["--months", &months.to_string(), "--out"])
            .arg(out),
    );
}

/// `arsite build DATA --out OUT` plus `extra`; returns its summary line.
pub fn build(data: &Path, out: &Path, extra: &[&str]) -> String {
    run_ok(
        arsite()
            .arg("build")
            .arg(data)
            .arg("--out")
            .arg(out)
            .args(extra),
    )
}

/// Every file below `root` with its bytes, by path relative to `root`.
pub fn files_of(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.insert(path.strip_prefix(root).unwrap().to_path_buf(), bytes);
            }
        }
    }
    out
}

/// The build's records name what a site was built from (data folder,
/// templates), so two sites of the same pages may differ in them.
pub fn is_build_record(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n == ".arsite-inputs.json" || n == ".arsite-snapshot.json")
}

/// The lines a child process writes to `stream`, read on a thread of
/// their own (a child whose pipe fills up stops).
pub fn lines_of(stream: impl Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// A snapshot folder's build record (what an incremental build keeps).
pub const RECORD: &str = ".arsite-snapshot.json";

//! A build that is killed half-way leaves the previous site exactly as it
//! was, and the next build cleans up after it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn arsite() -> Command {
    Command::new(env!("CARGO_BIN_EXE_arsite"))
}

fn snapshot_of(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

#[test]
fn a_killed_build_leaves_the_previous_site_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let site = tmp.path().join("site");
    let ok = arsite()
        .args(["sample", "--customers", "400", "--months", "6", "--out"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );

    let started = Instant::now();
    let ok = arsite()
        .arg("build")
        .arg(&data)
        .arg("--out")
        .arg(&site)
        .arg("--quiet")
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let full = started.elapsed();
    let before = snapshot_of(&site);
    assert!(before.len() > 100);

    // Kill the next build at several points of its run.
    for fraction in [0.2, 0.5, 0.8] {
        let mut child = arsite()
            .arg("build")
            .arg(&data)
            .arg("--out")
            .arg(&site)
            .arg("--quiet")
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_secs_f64(full.as_secs_f64() * fraction));
        let _ = child.kill();
        let _ = child.wait();
        assert!(
            snapshot_of(&site) == before,
            "the site changed after a build was killed at {fraction}"
        );
    }

    let ok = arsite()
        .arg("build")
        .arg(&data)
        .arg("--out")
        .arg(&site)
        .arg("--quiet")
        .output()
        .unwrap();
    assert!(ok.status.success());
    assert!(
        snapshot_of(&site) == before,
        "a complete rebuild gives the same site"
    );
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders of killed builds are cleaned up: {leftovers:?}"
    );
}

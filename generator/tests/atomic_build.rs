//! A build that is killed half-way, or that fails on bad data half-way,
//! leaves the previous site byte for byte as it was, and the next build
//! cleans up after it and writes what a fresh build writes.
//!
//! Every build under test has work to do (an input changed since the last
//! one, so the no-change shortcut cannot apply), and is killed at a point
//! it signals itself (`ARSITE_TEST_PAUSE_AT`, see `site::test_pause`), never
//! after a guessed time.

mod common;

use common::{arsite, build, files_of, lines_of, sample};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

/// How long a paused build may take to reach its pause (a debug build of
/// the small sample takes about a second on a loaded machine).
const PATIENCE: Duration = Duration::from_secs(120);

/// Sets the `open_amount` of data line `line` (1 = the first row after the
/// header) of a snapshot. Counted from the right: the customer name, to
/// its left, may hold commas; open_amount, currency, division, collector
/// and status do not.
fn set_open_amount(file: &Path, line: usize, value: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let header: Vec<&str> = lines[0].rsplitn(6, ',').collect();
    assert_eq!(header[4], "open_amount", "{}", lines[0]);
    let mut cells: Vec<String> = lines[line].rsplitn(6, ',').map(str::to_owned).collect();
    assert_ne!(cells[4], value, "the edit must change the file");
    cells[4] = value.to_string();
    cells.reverse();
    lines[line] = cells.join(",");
    std::fs::write(file, lines.join("\n") + "\n").unwrap();
}

/// Starts a build of `data` into `site` that pauses at `stage`.
fn paused_build(
    data: &Path,
    site: &Path,
    stage: &str,
    extra: &[&str],
) -> (Child, Receiver<String>) {
    let mut child = arsite()
        .arg("build")
        .arg(data)
        .arg("--out")
        .arg(site)
        .arg("--quiet")
        .args(extra)
        .env("ARSITE_TEST_PAUSE_AT", stage)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = lines_of(child.stderr.take().unwrap());
    (child, stderr)
}

/// Waits for the build's own message that it reached `stage`.
fn await_pause(stderr: &Receiver<String>, stage: &str) {
    let expected = format!("arsite: paused at {stage} (ARSITE_TEST_PAUSE_AT)");
    let deadline = Instant::now() + PATIENCE;
    let mut seen = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match stderr.recv_timeout(left) {
            Ok(line) if line == expected => return,
            Ok(line) => seen.push(line),
            Err(_) => break,
        }
    }
    panic!("the build never paused at {stage}; its stderr: {seen:#?}");
}

/// Waits until `path` exists: the build's writer thread, which goes on
/// while the build is paused, has written it.
fn await_file(path: &Path) {
    let deadline = Instant::now() + PATIENCE;
    while !path.exists() {
        assert!(
            Instant::now() < deadline,
            "{} never appeared",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Every file of `root` with its bytes; none when it does not exist (a
/// broken build may have removed it).
fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    if root.exists() {
        files_of(root)
    } else {
        BTreeMap::new()
    }
}

/// The first path where two trees differ (in presence or in bytes).
fn first_difference(
    a: &BTreeMap<PathBuf, Vec<u8>>,
    b: &BTreeMap<PathBuf, Vec<u8>>,
) -> Option<PathBuf> {
    a.keys()
        .chain(b.keys())
        .find(|p| a.get(*p) != b.get(*p))
        .cloned()
}

fn assert_same_tree(expected: &Path, actual: &Path, what: &str) {
    let (e, a) = (tree(expected), tree(actual));
    if let Some(path) = first_difference(&e, &a) {
        panic!(
            "{what}: {} differs ({} vs {} files)",
            path.display(),
            e.len(),
            a.len()
        );
    }
}

/// Folders that builds into `site` leave beside it (staging, a previous
/// site moved aside); the lock file goes when the build ends.
fn leftovers(root: &Path) -> Vec<String> {
    std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".site."))
        .collect()
}

#[test]
fn a_killed_build_leaves_the_previous_site_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let site = tmp.path().join("site");
    sample(&data, 150, 6);
    build(&data, &site, &["--quiet"]);
    let before = tree(&site);
    assert!(before.len() > 100);
    let first = data.join("snapshots/2026-05-31.csv");
    assert!(first.is_file(), "the sample's first snapshot moved");

    // Each build follows a change to the first snapshot (every snapshot
    // rebuilds: each one's key chains the one before) and is killed where
    // it says it is.
    for (n, stage) in ["render", "halfway", "commit"].iter().enumerate() {
        set_open_amount(&first, 1, &format!("{}.25", 1000 + n));
        let (mut child, stderr) = paused_build(&data, &site, stage, &[]);
        await_pause(&stderr, stage);
        let staging = tmp.path().join(format!(".site.building-{}", child.id()));
        assert!(staging.is_dir(), "no staging folder at {stage}");
        if *stage != "render" {
            // Pages were really written: the first snapshot's record is
            // queued after its pages.
            await_file(&staging.join("2026-05-31/.arsite-snapshot.json"));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        if let Some(path) = first_difference(&before, &tree(&site)) {
            panic!(
                "the site changed after a build was killed at {stage}: {}",
                path.display()
            );
        }
        assert!(staging.is_dir(), "the killed build at {stage} cleaned up");
    }

    // The next build removes the killed builds' folders and writes what a
    // fresh build of the same data writes.
    let line = build(&data, &site, &[]);
    assert!(line.contains("built 6 of 6 snapshot(s)"), "{line}");
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
    let fresh = tmp.path().join("fresh");
    build(&data, &fresh, &["--quiet"]);
    assert_same_tree(&fresh, &site, "after the killed builds");
    assert!(
        first_difference(&before, &tree(&site)).is_some(),
        "the edits show in the new site"
    );
}

#[test]
fn a_build_failing_on_bad_data_half_way_leaves_the_previous_site_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let site = tmp.path().join("site");
    sample(&data, 150, 6);
    build(&data, &site, &["--quiet"]);
    let before = tree(&site);

    // Work to do (the first snapshot changed), and a last snapshot that
    // cannot be read: the build stages the others, then fails.
    set_open_amount(&data.join("snapshots/2026-05-31.csv"), 1, "1.50");
    let bad = data.join("snapshots/2026-11-30.csv");
    std::fs::write(&bad, "invoice_id,customer_id\nI-1,C1\n").unwrap();
    let (mut child, stderr) = paused_build(&data, &site, "halfway", &[]);
    await_pause(&stderr, "halfway");
    let staging = tmp.path().join(format!(".site.building-{}", child.id()));
    await_file(&staging.join("2026-05-31/.arsite-snapshot.json"));
    drop(child.stdin.take()); // go on
    let status = child.wait().unwrap();
    // Until the pipe closes: every line the build wrote.
    let errors: Vec<String> = stderr.iter().collect();
    assert_eq!(status.code(), Some(65), "{errors:#?}");
    let named = format!("arsite: {}:1: error: header is missing", bad.display());
    assert!(errors.iter().any(|l| l.starts_with(&named)), "{errors:#?}");
    if let Some(path) = first_difference(&before, &tree(&site)) {
        panic!("a failed build changed the site: {}", path.display());
    }
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());

    // Under --strict a bad row fails before anything is staged.
    std::fs::write(
        &bad,
        std::fs::read_to_string(data.join("snapshots/2026-10-31.csv")).unwrap(),
    )
    .unwrap();
    set_open_amount(&bad, 2, "12x.5");
    let run = arsite()
        .arg("build")
        .arg(&data)
        .arg("--out")
        .arg(&site)
        .args(["--quiet", "--strict"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(65));
    if let Some(path) = first_difference(&before, &tree(&site)) {
        panic!("a failed strict build changed the site: {}", path.display());
    }
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
}

#[test]
fn a_build_killed_past_its_commit_point_is_finished_by_the_next_run() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let site = tmp.path().join("site");
    sample(&data, 150, 6);
    build(&data, &site, &["--quiet"]);
    let last = data.join("snapshots/2026-10-31.csv");

    // Only the last snapshot changes: the five before it are carried over
    // (moved from the old site into the new one once it is complete).
    for (n, stage) in ["carried", "aside"].iter().enumerate() {
        set_open_amount(&last, 1, &format!("{}.75", 2000 + n));
        let (mut child, stderr) = paused_build(&data, &site, stage, &[]);
        await_pause(&stderr, stage);
        child.kill().unwrap();
        child.wait().unwrap();
        match *stage {
            "carried" => assert!(
                !site.join("2026-05-31").exists(),
                "the unchanged folders were moved out of the old site"
            ),
            _ => assert!(!site.exists(), "the old site was moved aside"),
        }
        // The next run, with nothing changed since, finishes that build
        // rather than building again.
        let line = build(&data, &site, &[]);
        assert!(
            line.contains("up to date, nothing rebuilt"),
            "{stage}: {line}"
        );
        assert_eq!(leftovers(tmp.path()), Vec::<String>::new(), "{stage}");
        let fresh = tmp.path().join(format!("fresh-{stage}"));
        build(&data, &fresh, &["--quiet"]);
        assert_same_tree(&fresh, &site, stage);
    }
}

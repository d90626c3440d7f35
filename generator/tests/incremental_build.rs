//! Incremental builds write exactly what a full build writes: after adding a
//! snapshot, after changing an old one, and when nothing changed (then
//! nothing is written at all).

mod common;

use common::{files_of, is_build_record};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../data")
}

/// Runs `arsite build` and returns its summary line.
fn build(data: &Path, out: &Path) -> String {
    common::build(data, out, &[])
}

/// Every file of a site but the build's records (whose keys name the data
/// folder), by relative path.
fn pages(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = files_of(root);
    files.retain(|path, _| !is_build_record(path));
    files
}

fn assert_same_site(expected: &Path, actual: &Path) {
    let (e, a) = (pages(expected), pages(actual));
    assert_eq!(
        e.keys().collect::<Vec<_>>(),
        a.keys().collect::<Vec<_>>(),
        "same files"
    );
    for (path, bytes) in &e {
        assert!(&a[path] == bytes, "{} differs", path.display());
    }
}

fn copy_data(to: &Path, skip_snapshot: Option<&str>) {
    std::fs::create_dir_all(to.join("snapshots")).unwrap();
    for e in std::fs::read_dir(sample()).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
        }
    }
    for e in std::fs::read_dir(sample().join("snapshots")).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_str().unwrap().to_string();
        if Some(name.as_str()) != skip_snapshot {
            std::fs::copy(&p, to.join("snapshots").join(name)).unwrap();
        }
    }
}

#[test]
fn adding_changing_and_nothing_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let site = tmp.path().join("site");
    let last = "2026-10-31.csv";
    copy_data(&data, Some(last));
    let first = build(&data, &site);
    assert!(first.contains("built 11 of 11 snapshot(s)"), "{first}");

    // A 12th snapshot: only it is built, and the site equals a full build.
    std::fs::copy(
        sample().join("snapshots").join(last),
        data.join("snapshots").join(last),
    )
    .unwrap();
    let added = build(&data, &site);
    assert!(
        added.contains("built 1 of 12 snapshot(s) (11 unchanged)"),
        "{added}"
    );
    let full = tmp.path().join("full");
    let full_line = build(&data, &full);
    assert_same_site(&full, &site);
    // Kept folders are counted from their records: the same files and size.
    let counts = |line: &str| {
        let (_, tail) = line.rsplit_once(" (").unwrap();
        tail.split_once(')').unwrap().0.to_owned()
    };
    assert_eq!(counts(&added), counts(&full_line), "{added}{full_line}");

    // Nothing changed: nothing is written, not even the index.
    let index = site.join("index.html");
    let before = std::fs::metadata(&index).unwrap().modified().unwrap();
    let again = build(&data, &site);
    assert!(again.contains("up to date, nothing rebuilt"), "{again}");
    assert_eq!(
        std::fs::metadata(&index).unwrap().modified().unwrap(),
        before
    );
    assert_eq!(
        again
            .split(" open items")
            .next()
            .unwrap()
            .rsplit(", ")
            .next(),
        added
            .split(" open items")
            .next()
            .unwrap()
            .rsplit(", ")
            .next(),
        "the same invoice count is reported"
    );

    // An old snapshot changes (one amount): it and every later one are
    // rebuilt (their history shows it), the earlier ones are not.
    let june = data.join("snapshots/2026-06-30.csv");
    let text = std::fs::read_to_string(&june).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let col = header.iter().position(|h| *h == "open_amount").unwrap();
    let mut cells: Vec<String> = lines[1].split(',').map(str::to_owned).collect();
    assert_ne!(cells[col], "0.01");
    cells[col] = "0.01".to_string();
    lines[1] = cells.join(",");
    std::fs::write(&june, lines.join("\n") + "\n").unwrap();
    let changed = build(&data, &site);
    assert!(
        changed.contains("built 5 of 12 snapshot(s) (7 unchanged)"),
        "{changed}"
    );
    let full = tmp.path().join("full-after-change");
    build(&data, &full);
    assert_same_site(&full, &site);
}

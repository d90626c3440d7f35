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

// One case per input kind (issue 21, item 4). Each builds a small sample,
// changes one input, builds again into the same site and asserts which
// snapshot folders were written again (a kept folder is moved into the new
// site, so its record keeps its inode; a rebuilt one is a new file), and
// that the result is byte for byte a fresh build of the changed data.
//
// What should rebuild, worked out from what each snapshot's pages show:
// a ledger row dated D (activity) or of a period starting on D (sales)
// reaches the snapshots dated on or after D, and through their history
// and change-since-previous columns nothing earlier; customer master data,
// settings and templates reach every snapshot; a deleted snapshot changes
// the history of every later one and nothing earlier.

/// The six monthly snapshots of `sample(.., 6)`.
const MONTHS: [&str; 6] = [
    "2026-05-31",
    "2026-06-30",
    "2026-07-31",
    "2026-08-31",
    "2026-09-30",
    "2026-10-31",
];

/// The inode of each snapshot folder's record: which file it is.
#[cfg(unix)]
fn record_inodes(site: &Path) -> BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt;
    std::fs::read_dir(site)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|dir| {
            let meta = std::fs::metadata(dir.join(common::RECORD)).ok()?;
            let name = dir.file_name()?.to_str()?.to_owned();
            Some((name, meta.ino()))
        })
        .collect()
}

/// The snapshot folders of `site` whose record is not the one `before`
/// had: those the last build wrote.
#[cfg(unix)]
fn rebuilt(before: &BTreeMap<String, u64>, site: &Path) -> Vec<String> {
    record_inodes(site)
        .into_iter()
        .filter(|(name, ino)| before.get(name) != Some(ino))
        .map(|(name, _)| name)
        .collect()
}

/// Builds a fresh sample, applies `change` to its data folder, builds
/// again incrementally and checks the rebuilt folders are `expected`, the
/// build says so, and the site equals a fresh build of the changed data.
/// Returns the temporary folder (data, site, fresh site).
#[cfg(unix)]
fn one_change(change: impl FnOnce(&Path), expected: &[&str]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let site = tmp.path().join("site");
    common::sample(&data, 50, 6);
    build(&data, &site);
    let before_pages = pages(&site);
    let before = record_inodes(&site);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        MONTHS.iter().collect::<Vec<_>>(),
        "the sample moved"
    );

    change(&data);
    let line = build(&data, &site);
    let snapshots = std::fs::read_dir(data.join("snapshots")).unwrap().count();
    let says = format!(
        "built {} of {snapshots} snapshot(s) ({} unchanged)",
        expected.len(),
        snapshots - expected.len()
    );
    assert!(line.contains(&says), "expected «{says}»: {line}");
    assert_eq!(rebuilt(&before, &site), expected, "rebuilt folders");
    let fresh = tmp.path().join("fresh");
    build(&data, &fresh);
    assert_same_site(&fresh, &site);
    assert_change_shows(&before_pages, &site, expected[0]);
    tmp
}

/// The change is not vacuous: pages of `first_rebuilt` differ from the
/// site before the change.
fn assert_change_shows(before: &BTreeMap<PathBuf, Vec<u8>>, site: &Path, first_rebuilt: &str) {
    let after = pages(site);
    assert!(
        after
            .iter()
            .any(|(path, bytes)| path.starts_with(first_rebuilt) && before.get(path) != Some(bytes)),
        "no page of {first_rebuilt} shows the change"
    );
}

/// Rewrites the lines of `file` for which `edit` returns a new line.
fn edit_lines(file: &Path, mut edit: impl FnMut(&str) -> Option<String>) -> usize {
    let text = std::fs::read_to_string(file).unwrap();
    let mut edits = 0;
    let lines: Vec<String> = text
        .lines()
        .map(|l| match edit(l) {
            Some(new) => {
                edits += 1;
                new
            }
            None => l.to_owned(),
        })
        .collect();
    std::fs::write(file, lines.join("\n") + "\n").unwrap();
    edits
}

#[cfg(unix)]
#[test]
fn a_mid_history_activity_row_rebuilds_its_month_and_later() {
    // The note of the first contact of August (notes are shown on the
    // customer pages; a note is no amount, so the file's data-quality
    // totals, shown on every snapshot, stay the same).
    one_change(
        |data| {
            let mut done = false;
            let n = edit_lines(&data.join("activity.csv"), |l| {
                if done || !l.starts_with("2026-08-") || !l.contains(",contact,") || l.contains('"')
                {
                    return None;
                }
                done = true;
                let (head, _note) = l.rsplit_once(',').unwrap();
                Some(format!("{head},note changed by the test"))
            });
            assert_eq!(n, 1);
        },
        &["2026-08-31", "2026-09-30", "2026-10-31"],
    );
}

#[cfg(unix)]
#[test]
fn a_mid_history_sales_row_rebuilds_its_period_and_later() {
    // August's Industrial and Retail sales swap amounts: the divisions'
    // DSO changes from August on, the file's total does not.
    one_change(
        |data| {
            let file = data.join("sales.csv");
            let text = std::fs::read_to_string(&file).unwrap();
            let amount = |division: &str| {
                let prefix = format!("2026-08,{division},");
                text.lines()
                    .find_map(|l| l.strip_prefix(&prefix))
                    .unwrap()
                    .to_owned()
            };
            let (industrial, retail) = (amount("Industrial"), amount("Retail"));
            assert_ne!(industrial, retail);
            let n = edit_lines(&file, |l| match l {
                l if l.starts_with("2026-08,Industrial,") => {
                    Some(format!("2026-08,Industrial,{retail}"))
                }
                l if l.starts_with("2026-08,Retail,") => {
                    Some(format!("2026-08,Retail,{industrial}"))
                }
                _ => None,
            });
            assert_eq!(n, 2);
        },
        &["2026-08-31", "2026-09-30", "2026-10-31"],
    );
}

#[cfg(unix)]
#[test]
fn a_customer_master_row_rebuilds_every_snapshot() {
    // Customer C00001 and the first customer with another credit limit
    // swap limits (the file's total stays); master data has no date,
    // every snapshot shows it.
    one_change(
        |data| {
            let file = data.join("customers.csv");
            let text = std::fs::read_to_string(&file).unwrap();
            // credit_limit, payment_terms, risk_class: the last three cells.
            let limit = |l: &str| l.rsplit(',').nth(2).unwrap().to_owned();
            let rows: Vec<&str> = text.lines().skip(1).collect();
            assert!(rows[0].starts_with("C00001,"), "{}", rows[0]);
            let one = limit(rows[0]);
            let other = rows.iter().find(|l| limit(l) != one).unwrap();
            let (other_id, two) = (other.split(',').next().unwrap().to_owned(), limit(other));
            let swap = |l: &str, to: &str| {
                let mut cells: Vec<&str> = l.rsplitn(4, ',').collect();
                cells[2] = to;
                cells.reverse();
                cells.join(",")
            };
            let n = edit_lines(&file, |l| match l.split(',').next() {
                Some("C00001") => Some(swap(l, &two)),
                Some(id) if id == other_id => Some(swap(l, &one)),
                _ => None,
            });
            assert_eq!(n, 2);
        },
        &MONTHS,
    );
}

#[cfg(unix)]
#[test]
fn a_setting_rebuilds_every_snapshot() {
    one_change(
        |data| {
            let n = edit_lines(&data.join("arsite.toml"), |l| {
                l.starts_with("title =")
                    .then(|| "title = \"Northwind, edited\"".to_owned())
            });
            assert_eq!(n, 1);
        },
        &MONTHS,
    );
}

#[cfg(unix)]
#[test]
fn a_deleted_snapshot_rebuilds_the_later_ones_and_its_folder_goes() {
    let tmp = one_change(
        |data| std::fs::remove_file(data.join("snapshots/2026-08-31.csv")).unwrap(),
        &["2026-09-30", "2026-10-31"],
    );
    assert!(!tmp.path().join("site/2026-08-31").exists());
}

#[cfg(unix)]
#[test]
fn a_template_change_with_templates_rebuilds_every_snapshot() {
    use arsite::site::{build as build_site, BuildOptions};
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let templates = tmp.path().join("templates-dir");
    common::sample(&data, 50, 6);
    copy_tree(&sample().join("../site"), &templates);
    let lib_build = |out: &Path| {
        build_site(&BuildOptions {
            templates_dir: Some(templates.clone()),
            ..BuildOptions::new(data.clone(), out.to_path_buf())
        })
        .unwrap()
    };
    let site = tmp.path().join("site");
    let first = lib_build(&site);
    assert_eq!((first.snapshots_built, first.snapshots), (6, 6));
    let before_pages = pages(&site);
    let before = record_inodes(&site);
    let again = lib_build(&site);
    assert!(again.up_to_date, "the same templates change nothing");

    let base = templates.join("templates/base.html");
    let n = edit_lines(&base, |l| {
        (l == "<head>").then(|| "<head><!-- edited by the test -->".to_owned())
    });
    assert_eq!(n, 1, "base.html has a <head> line");
    let changed = lib_build(&site);
    assert_eq!((changed.snapshots_built, changed.snapshots), (6, 6));
    assert_eq!(rebuilt(&before, &site), MONTHS, "rebuilt folders");
    let fresh = tmp.path().join("fresh");
    lib_build(&fresh);
    assert_same_site(&fresh, &site);
    assert_change_shows(&before_pages, &site, MONTHS[0]);
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_tree(&p, &target);
        } else {
            std::fs::copy(&p, &target).unwrap();
        }
    }
}

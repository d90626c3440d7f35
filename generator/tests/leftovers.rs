//! A build killed while it deleted the previous site leaves that site
//! beside the output folder; the next run removes it even when it finds
//! nothing to rebuild (issue 13, item 14).

mod common;

use common::{build, sample};

#[test]
fn a_previous_site_left_by_a_killed_build_is_removed_by_a_no_change_run() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let site = tmp.path().join("site");
    sample(&data, 20, 2);
    build(&data, &site, &["--quiet"]);
    // What a build killed by pid 4194303 (above any live pid here) while
    // deleting the site it replaced leaves behind.
    let old = tmp.path().join(".site.old-4194303");
    std::fs::create_dir_all(old.join("2026-01-31")).unwrap();
    std::fs::write(old.join("2026-01-31/index.html"), "old").unwrap();
    let line = build(&data, &site, &[]);
    assert!(
        line.contains("up to date"),
        "expected a no-change run: {line}"
    );
    assert!(!old.exists(), "the abandoned previous site is still there");
    // Folders of a live process, and anything else, are left alone.
    let live = tmp.path().join(format!(".site.old-{}", std::process::id()));
    let other = tmp.path().join("notes");
    std::fs::create_dir_all(&live).unwrap();
    std::fs::create_dir_all(&other).unwrap();
    build(&data, &site, &["--quiet"]);
    assert!(live.exists() && other.exists());
}

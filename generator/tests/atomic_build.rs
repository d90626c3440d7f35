//! A build that is killed half-way leaves the previous site exactly as it
//! was, and the next build cleans up after it.

mod common;

use common::{arsite, build, files_of, sample};
use std::time::{Duration, Instant};

#[test]
fn a_killed_build_leaves_the_previous_site_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let site = tmp.path().join("site");
    sample(&data, 400, 6);

    let started = Instant::now();
    build(&data, &site, &["--quiet"]);
    let full = started.elapsed();
    let before = files_of(&site);
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
            files_of(&site) == before,
            "the site changed after a build was killed at {fraction}"
        );
    }

    build(&data, &site, &["--quiet"]);
    assert!(
        files_of(&site) == before,
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

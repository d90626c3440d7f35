//! Rendering grows linearly with the number of collectors (issue 13 item
//! 7): each collector's scorecard row is laid out a fixed number of times
//! per snapshot (the scorecard page and the collector pages' shared
//! index), not once per collector page. Counted rather than timed, so the
//! test is exact on any machine. Its own test binary: the counter is
//! global to the process.

use arsite::sample::{write_sample, SampleOptions};
use arsite::site::pages::collectors::SCORECARD_ROWS_BUILT;
use arsite::site::{build, BuildOptions};
use std::sync::atomic::Ordering;

#[test]
fn scorecard_rows_are_laid_out_a_fixed_number_of_times_per_collector() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    write_sample(
        &SampleOptions {
            customers: 60,
            collectors: 40,
            months: 2,
            ..SampleOptions::default()
        },
        &data,
    )
    .unwrap();
    let before = SCORECARD_ROWS_BUILT.load(Ordering::Relaxed);
    build(&BuildOptions::new(data, tmp.path().join("site"))).unwrap();
    let rows = SCORECARD_ROWS_BUILT.load(Ordering::Relaxed) - before;
    let pages = std::fs::read_dir(tmp.path().join("site/2026-10-31/collectors"))
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            let name = name.to_string_lossy();
            name.ends_with(".html") && name != "index.html"
        })
        .count();
    assert!(pages >= 20, "{pages} collector pages");
    // Two snapshots; per snapshot every collector on the scorecard is laid
    // out twice: on the scorecard page and once for all collector pages.
    // Rendering the scorecard on each collector page would lay out
    // pages × collectors rows (≥ 20 × 20 = 400 per snapshot).
    let collectors_per_snapshot = 40;
    assert!(
        rows <= 2 * 2 * collectors_per_snapshot,
        "{rows} scorecard rows laid out for {pages} collector pages"
    );
}

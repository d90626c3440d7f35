//! Shared pieces of the end-to-end tests: building the sample site once per
//! test binary, an independent reading of the sample CSVs (plain `csv` +
//! `rust_decimal` + `chrono`, deliberately not `arsite-core`, so the
//! generator's figures are checked against a second implementation), and a
//! real headless Chromium driven over WebDriver.

pub mod browser;
pub mod import_folder;
pub mod reference;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The committed sample data folder.
pub fn sample_data() -> PathBuf {
    workspace().join("data")
}

/// The sample site, built once per test binary into a temporary folder.
pub fn sample_site() -> &'static Path {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = SITE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("public");
        arsite::site::build(&arsite::site::BuildOptions::new(sample_data(), out.clone()))
            .expect("building the sample site");
        (dir, out)
    });
    path
}

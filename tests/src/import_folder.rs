//! Data folders holding one snapshot file, for the import tests: the file
//! written from bytes or copied from `tests/fixtures/import/`, and read back
//! with the books checked (input = used + rejected, used = the snapshot's
//! open total).

use arsite::import::{DataSet, SnapshotImport};
use std::path::{Path, PathBuf};

/// A file of `tests/fixtures/import/` (`name` may hold a sub-folder).
pub fn fixture(name: &str) -> PathBuf {
    crate::workspace().join("tests/fixtures/import").join(name)
}

/// A data folder with `settings` after the title and currency, and one
/// snapshot file `name` holding `bytes`.
pub fn with_snapshot(settings: &str, name: &str, bytes: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("arsite.toml"),
        format!("title = \"T\"\ncurrency = \"EUR\"\n{settings}"),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("snapshots")).unwrap();
    std::fs::write(dir.path().join("snapshots").join(name), bytes).unwrap();
    dir
}

/// The same with the fixture `fixture_name` (of `tests/fixtures/import/`)
/// as the snapshot, under its own file name.
pub fn with_fixture(settings: &str, fixture_name: &str) -> tempfile::TempDir {
    let bytes = std::fs::read(fixture(fixture_name)).unwrap();
    let file_name = Path::new(fixture_name).file_name().unwrap();
    with_snapshot(settings, file_name.to_str().unwrap(), &bytes)
}

/// The folder's only snapshot, which must be dated `as_of`, read with its
/// books checked.
pub fn read_only_snapshot(dir: &Path, as_of: &str) -> SnapshotImport {
    let data = DataSet::open(dir).unwrap();
    assert_eq!(data.snapshots.len(), 1);
    assert_eq!(data.snapshots[0].as_of.to_string(), as_of);
    let import = data.read_snapshot(&data.snapshots[0]).unwrap();
    let q = &import.quality;
    assert_eq!(q.input_total, q.used_total + q.rejected_total);
    assert_eq!(q.used_total, import.snapshot.total_open());
    import
}

//! What keeps a build from writing a wrong or mixed site (issue 13): one
//! build at a time per output folder (item 8), an edit that keeps the size
//! and restores the modification time is still seen (item 17), and a
//! symbolic link as `--out` is refused before anything is built (item 18).

mod common;

use common::{arsite, build, files_of, is_build_record, sample};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;

fn pages(site: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    files_of(site)
        .into_iter()
        .filter(|(p, _)| !is_build_record(p))
        .collect()
}

#[test]
fn a_second_build_into_a_folder_being_written_is_refused_and_nothing_mixes() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    sample(&a, 20, 2);
    sample(&b, 30, 3);
    let site = tmp.path().join("site");
    build(&a, &site, &["--quiet"]);

    // Build b into the site, held after planning with the lock taken.
    let mut first = arsite()
        .arg("build")
        .arg(&b)
        .arg("--out")
        .arg(&site)
        .arg("--quiet")
        .env("ARSITE_TEST_PAUSE_AT", "render")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(first.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains("paused at render") {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "the build ended unpaused"
        );
    }

    let second = arsite()
        .arg("build")
        .arg(&a)
        .arg("--out")
        .arg(&site)
        .output()
        .unwrap();
    let message = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(75), "{message}");
    assert!(
        message.contains(&format!(
            "another arsite build (pid {}) is writing this folder",
            first.id()
        )),
        "{message}"
    );

    drop(first.stdin.take());
    assert!(first.wait().unwrap().success());
    let alone = tmp.path().join("b-alone");
    build(&b, &alone, &["--quiet"]);
    assert!(
        pages(&site) == pages(&alone),
        "the site is b's, exactly as a build of b alone"
    );
    let beside: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(beside.is_empty(), "no lock or staging left: {beside:?}");
}

#[test]
fn an_edit_keeping_size_and_modification_time_rebuilds() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let site = tmp.path().join("site");
    sample(&data, 20, 2);
    build(&data, &site, &["--quiet"]);
    let mut files: Vec<_> = std::fs::read_dir(data.join("snapshots"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let last = files.last().unwrap();
    let mtime = std::fs::metadata(last).unwrap().modified().unwrap();
    // One byte of the first row's customer name, the same length after.
    let text = std::fs::read_to_string(last).unwrap();
    let (header, rest) = text.split_once('\n').unwrap();
    let name_at = header.len() + 1 + rest.match_indices(',').nth(1).unwrap().0 + 1;
    let mut bytes = text.into_bytes();
    assert!(bytes[name_at].is_ascii_alphabetic());
    bytes[name_at] = if bytes[name_at] == b'Q' { b'R' } else { b'Q' };
    std::fs::write(last, &bytes).unwrap();
    // What `cp -p` or `rsync -t` does: the old modification time back.
    std::fs::File::options()
        .write(true)
        .open(last)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    let line = build(&data, &site, &[]);
    assert!(line.contains("built 1 of 2 snapshot(s)"), "{line}");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_as_out_is_refused_before_building() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    sample(&data, 20, 1);
    let real = tmp.path().join("real-site");
    build(&data, &real, &["--quiet"]);
    let before = files_of(&real);
    let link = tmp.path().join("site");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let run = arsite()
        .arg("build")
        .arg(&data)
        .arg("--out")
        .arg(&link)
        .output()
        .unwrap();
    let message = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(78), "{message}");
    assert!(
        message.contains("--out is a symbolic link to")
            && message.contains(&format!(
                "(--out {})",
                real.canonicalize().unwrap().display()
            )),
        "{message}"
    );
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(files_of(&real) == before);

    // A dangling link: refused at once, nothing built beside it.
    let dangling = tmp.path().join("dangling");
    std::os::unix::fs::symlink(tmp.path().join("nowhere"), &dangling).unwrap();
    let run = arsite()
        .arg("build")
        .arg(&data)
        .arg("--out")
        .arg(&dangling)
        .output()
        .unwrap();
    let message = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(78), "{message}");
    assert!(message.contains("which does not exist"), "{message}");
    assert!(!tmp.path().join("nowhere").exists());
}

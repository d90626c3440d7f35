//! Exit codes and first error lines of the real `arsite` binary (README,
//! "Exit codes": 0 clean, 65 data errors, 66 missing input, 78 invalid
//! settings), and that a `--strict` build that fails writes nothing: no
//! `--out` folder where there was none, the old site untouched where there
//! was one.
//!
//! The data folders are written here by hand, so every expected position
//! (line, column) is counted from the text below, not from the program.

mod common;

use common::{arsite, files_of};
use std::path::{Path, PathBuf};
use std::process::Output;

const HEADER: &str =
    "invoice_id,customer_id,customer_name,invoice_date,due_date,amount,open_amount";

/// A data folder with two snapshots of two invoices each.
fn data_folder(root: &Path) -> PathBuf {
    let data = root.join("data");
    std::fs::create_dir_all(data.join("snapshots")).unwrap();
    std::fs::write(
        data.join("arsite.toml"),
        "title = \"Exit codes\"\ncurrency = \"EUR\"\n",
    )
    .unwrap();
    snapshot(&data, "2026-01-31", "500.00");
    snapshot(&data, "2026-02-28", "250.00");
    data
}

/// Writes snapshot `as_of`; its second invoice (line 3) has `open`.
fn snapshot(data: &Path, as_of: &str, open: &str) {
    let text = format!(
        "{HEADER}\n\
         I-1,C1,Alpha Ltd,2026-01-05,2026-02-04,100.00,100.00\n\
         I-2,C2,Beta Ltd,2026-01-10,2026-02-09,500.00,{open}\n"
    );
    std::fs::write(data.join(format!("snapshots/{as_of}.csv")), text).unwrap();
}

fn build(data: &Path, out: &Path, extra: &[&str]) -> Output {
    arsite()
        .arg("build")
        .arg(data)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

fn first_stderr_line(run: &Output) -> String {
    String::from_utf8_lossy(&run.stderr)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Asserts the exit status and the first line of stderr.
fn assert_fails(run: &Output, code: i32, first_line: &str) {
    assert_eq!(
        run.status.code(),
        Some(code),
        "stderr: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(first_stderr_line(run), first_line);
}

#[test]
fn a_clean_build_exits_0_and_says_what_it_built() {
    let tmp = tempfile::tempdir().unwrap();
    let data = data_folder(tmp.path());
    for (strict, name) in [(&[][..], "site"), (&["--strict"][..], "strict-site")] {
        let site = tmp.path().join(name);
        let run = build(&data, &site, strict);
        assert_eq!(
            run.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let stdout = String::from_utf8_lossy(&run.stdout);
        // Two snapshots of two invoices each: 2 + 2 open items.
        let expected = format!(
            "arsite: built 2 of 2 snapshot(s) (0 unchanged), 4 open items → {} (",
            site.display()
        );
        assert!(stdout.starts_with(&expected), "{stdout}");
        assert!(site.join("2026-02-28/index.html").is_file());
    }
}

#[test]
fn a_bad_row_under_strict_exits_65_naming_line_and_column_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let data = data_folder(tmp.path());
    // Line 3 of the later snapshot; open_amount is the 7th column.
    snapshot(&data, "2026-02-28", "12x.5");
    let file = data.join("snapshots/2026-02-28.csv");
    let expected = format!(
        "{}:3:7: error: open_amount: expected an amount such as -1234.56, found \"12x.5\"",
        file.display()
    );

    let out = tmp.path().join("new-site");
    let run = build(&data, &out, &["--strict"]);
    assert_fails(&run, 65, &expected);
    assert!(!out.exists(), "a failed --strict build created {out:?}");
    let beside: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(beside, ["data"], "nothing is left beside --out");

    // `check --strict` says the same, with the same code.
    let run = arsite()
        .arg("check")
        .arg(&data)
        .arg("--strict")
        .output()
        .unwrap();
    assert_fails(&run, 65, &expected);
}

#[test]
fn a_strict_failure_leaves_an_existing_site_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let data = data_folder(tmp.path());
    let site = tmp.path().join("site");
    let run = build(&data, &site, &["--quiet"]);
    assert_eq!(run.status.code(), Some(0));
    let before = files_of(&site);
    assert!(
        before.len() > 10,
        "a site was built: {} files",
        before.len()
    );

    // The earlier snapshot changes (so that a build would have work to do)
    // and the later one gets a bad amount.
    snapshot(&data, "2026-01-31", "499.00");
    snapshot(&data, "2026-02-28", "12x.5");
    let run = build(&data, &site, &["--strict", "--quiet"]);
    assert_fails(
        &run,
        65,
        &format!(
            "{}:3:7: error: open_amount: expected an amount such as -1234.56, found \"12x.5\"",
            data.join("snapshots/2026-02-28.csv").display()
        ),
    );
    assert!(files_of(&site) == before, "the old site changed");
}

#[test]
fn a_snapshot_that_cannot_be_read_exits_65_without_strict() {
    let tmp = tempfile::tempdir().unwrap();
    let data = data_folder(tmp.path());
    let file = data.join("snapshots/2026-02-28.csv");
    std::fs::write(&file, "invoice_id,customer_id\nI-1,C1\n").unwrap();
    let out = tmp.path().join("site");
    let run = build(&data, &out, &["--quiet"]);
    assert_fails(
        &run,
        65,
        &format!(
            "arsite: {}:1: error: header is missing the column(s) customer_name, invoice_date, \
             due_date, amount, open_amount; expected a header row with invoice_id, customer_id, \
             customer_name, invoice_date, due_date, amount, open_amount (optional: currency, \
             division, collector, status)",
            file.display()
        ),
    );
    assert!(!out.exists(), "a failed build created {out:?}");
}

#[test]
fn missing_input_exits_66_with_and_without_strict() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let nowhere = tmp.path().join("nowhere");
    let no_settings = tmp.path().join("no-settings");
    std::fs::create_dir_all(no_settings.join("snapshots")).unwrap();
    let no_snapshots = data_folder(tmp.path());
    std::fs::remove_dir_all(no_snapshots.join("snapshots")).unwrap();
    let cases = [
        (
            &nowhere,
            format!("{}: no such data folder", nowhere.display()),
        ),
        (
            &no_settings,
            format!(
                "{}: missing: expected the site settings (title, currency) in this file",
                no_settings.join("arsite.toml").display()
            ),
        ),
        (
            &no_snapshots,
            format!(
                "{}: missing: expected a snapshots folder with one file per snapshot date",
                no_snapshots.join("snapshots").display()
            ),
        ),
    ];
    for (data, message) in &cases {
        for strict in [&[][..], &["--strict"][..]] {
            let run = build(data, &out, strict);
            assert_fails(&run, 66, &format!("arsite: {message}"));
            assert!(!out.exists(), "{data:?} {strict:?} created {out:?}");
        }
    }
}

#[test]
fn invalid_settings_exit_78_naming_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let data = data_folder(tmp.path());
    // Line 1, column 9: the `5` of `title = 5` (a number, not a text).
    std::fs::write(data.join("arsite.toml"), "title = 5\ncurrency = \"EUR\"\n").unwrap();
    let out = tmp.path().join("site");
    for strict in [&[][..], &["--strict"][..]] {
        let run = build(&data, &out, strict);
        assert_fails(
            &run,
            78,
            &format!(
                "arsite: {}: invalid settings: TOML parse error at line 1, column 9",
                data.join("arsite.toml").display()
            ),
        );
        assert!(!out.exists(), "{strict:?} created {out:?}");
    }
}

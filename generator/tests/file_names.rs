//! Ids are untrusted text that names pages: no id may replace a fixed page
//! or another id's page, every name is bounded and safe on every file
//! system, and no input may live inside the output folder that a build
//! replaces (issue 13, items 1–3).

mod common;

use common::{arsite, build, files_of, run_ok};
use std::collections::BTreeSet;
use std::path::Path;

/// Ids named like the fixed pages and their CSVs.
const FIXED_LIKE: [&str; 4] = ["index", "index--customers", "index--scorecard", "plain"];
/// Ids the old scheme could not name on some file system: a case pair,
/// Windows' reserved names, a trailing dot, a long Cyrillic company name
/// (270 bytes once escaped byte by byte).
const HARD: [&str; 6] = [
    "C1",
    "c1",
    "CON",
    "nul.",
    "Общество с ограниченной ответственностью Ромашка",
    "../../etc",
];
const COLLECTORS: [&str; 3] = ["index", "index--scorecard", "Ann"];

fn write_data(dir: &Path, customers: &[&str]) {
    std::fs::create_dir_all(dir.join("snapshots")).unwrap();
    std::fs::write(
        dir.join("arsite.toml"),
        "title = \"Names\"\ncurrency = \"EUR\"\n",
    )
    .unwrap();
    let mut csv = String::from(
        "invoice_id,customer_id,customer_name,invoice_date,due_date,amount,open_amount,collector\n",
    );
    for (n, id) in customers.iter().enumerate() {
        let collector = COLLECTORS[n % COLLECTORS.len()];
        csv.push_str(&format!(
            "INV{n},\"{id}\",Name {n},2026-01-02,2026-02-01,{0}.00,{0}.00,{collector}\n",
            100 + n
        ));
    }
    std::fs::write(dir.join("snapshots/2026-03-31.csv"), csv).unwrap();
}

#[test]
fn ids_named_like_fixed_pages_never_replace_them() {
    check_names(&FIXED_LIKE);
}

#[test]
fn names_are_bounded_portable_and_case_safe() {
    check_names(&HARD);
}

fn check_names(customers: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let out = tmp.path().join("site");
    write_data(&data, customers);
    // `check` and `build` agree: both accept the folder.
    run_ok(arsite().arg("check").arg(&data));
    build(&data, &out, &["--quiet"]);
    let files = files_of(&out);
    let snap = Path::new("2026-03-31");

    // The fixed pages are still what they are: the customer list names
    // every customer, the scorecard every collector.
    let text = |p: &str| String::from_utf8(files[&snap.join(p)].clone()).unwrap();
    let list = text("customers/index.html");
    for n in 0..customers.len() {
        assert!(
            list.contains(&format!("Name {n}<")),
            "customer list lost Name {n}"
        );
    }
    let scorecard = text("collectors/index.html");
    for c in COLLECTORS {
        assert!(scorecard.contains(&format!(">{c}<")), "scorecard lost {c}");
    }
    let list_csv = text("csv/customers-index--customers.csv");
    for n in 0..customers.len() {
        assert!(
            list_csv.contains(&format!("Name {n}")),
            "list CSV lost Name {n}"
        );
    }

    // One page per customer and per collector, each its own file.
    let pages_in = |folder: &str| {
        files
            .keys()
            .filter(|p| p.parent() == Some(&snap.join(folder)))
            .filter(|p| p.file_name().unwrap() != "index.html")
            .count()
    };
    assert_eq!(pages_in("customers"), customers.len());
    assert_eq!(
        pages_in("collectors"),
        COLLECTORS.len().min(customers.len())
    );

    // Bounded, portable names, unique even where case does not count.
    let mut lowered = BTreeSet::new();
    for path in files.keys() {
        for part in path.iter() {
            let name = part.to_str().unwrap();
            assert!(name.len() <= 100, "{name}: {} bytes", name.len());
            assert!(!name.ends_with('.') && !name.ends_with(' '), "{name}");
            let stem = name.split('.').next().unwrap().to_ascii_uppercase();
            assert!(
                !["CON", "PRN", "AUX", "NUL", "COM1", "LPT1"].contains(&stem.as_str()),
                "{name}"
            );
        }
        assert!(
            lowered.insert(path.to_string_lossy().to_lowercase()),
            "{} collides with another file when case is ignored",
            path.display()
        );
    }

    // Stable across builds: a second full build gives the same names.
    let again = tmp.path().join("again");
    build(&data, &again, &["--quiet"]);
    let names: BTreeSet<_> = files.keys().collect();
    let again_files = files_of(&again);
    assert_eq!(names, again_files.keys().collect());
}

/// `arsite build site/data --out site` must not delete its own data with
/// the previous site: refused with exit 78 before anything is touched.
#[test]
fn a_data_folder_inside_the_output_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let data = tmp.path().join("data");
    write_data(&data, &["C1", "C2"]);
    build(&data, &site, &["--quiet"]);
    // Now move the data into the built site and point the build at it.
    let inner = site.join("data");
    std::fs::rename(&data, &inner).unwrap();
    let before = files_of(&site);
    let run = arsite()
        .arg("build")
        .arg(&inner)
        .arg("--out")
        .arg(&site)
        .args(["--quiet"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(78));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("inside the output folder"), "{stderr}");
    assert_eq!(files_of(&site), before, "the site or its data changed");

    // serve --watch says the same before it serves anything.
    let run = arsite()
        .arg("serve")
        .arg(&site)
        .arg("--watch")
        .arg(&inner)
        .args(["--port", "0"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(78));
    assert!(String::from_utf8_lossy(&run.stderr).contains("inside the output folder"));
    assert_eq!(files_of(&site), before);
}

/// With `base_url`, every link of the e-mail summary points at a file of
/// the site (the scorecard's collector links missed `collectors/`).
#[test]
fn email_links_with_a_base_url_resolve() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let site = tmp.path().join("site");
    common::sample(&data, 30, 2);
    let toml = std::fs::read_to_string(data.join("arsite.toml")).unwrap();
    let base = "https://intranet.example/ar/";
    std::fs::write(
        data.join("arsite.toml"),
        format!("base_url = \"{base}\"\n{toml}"),
    )
    .unwrap();
    build(&data, &site, &["--quiet"]);
    let mut checked = 0;
    for entry in std::fs::read_dir(&site).unwrap() {
        let email = entry.unwrap().path().join("email.html");
        let Ok(html) = std::fs::read_to_string(&email) else {
            continue;
        };
        for part in html.split("href=\"").skip(1) {
            // minijinja escapes `/` in attributes.
            let href = part[..part.find('"').unwrap()].replace("&#x2f;", "/");
            let rest = href
                .strip_prefix(base)
                .unwrap_or_else(|| panic!("{}: {href} is not under base_url", email.display()));
            assert!(
                site.join(rest).is_file(),
                "{}: {href} resolves to nothing",
                email.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} links checked");
}

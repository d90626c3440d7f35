//! Untrusted text from the input (every text field of every input file) is
//! shown literally and never becomes markup, on every kind of page the site
//! writes, in the dashboard once it has rendered, and in every CSV download
//! and the workbook, where text that a spreadsheet would run as a formula
//! is neutralised.
//!
//! "No script ran" proves nothing here: the pages' Content-Security-Policy
//! blocks inline scripts and handlers whatever the escaping. So the pages
//! are parsed (the static files directly with an HTML5 parser, the
//! dashboard's DOM as Chromium holds it after it is ready) and the tree is
//! checked: no element and no attribute came from the input, and every
//! input value that the page shows is there whole, as typed, in text nodes
//! and in attribute values.
//!
//! Each input value is a payload followed by a tag `⟦Kn⟧` (K: which input
//! field, n: which payload). Wherever a tag shows up, the whole value must
//! be in the same text node or attribute value; a value whose markup took
//! effect is cut there, so its tag is found without it.

use arsite_e2e::browser::Browser;
use scraper::{node::Node, Html};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Markup that would take effect if escaping failed in any context (text,
/// double- or single-quoted attribute, raw-text elements), entities that
/// must not be decoded, and the starts that spreadsheets run as formulas
/// (`=`, `+`, `-`, `@`, TAB, CR). Every injected element carries
/// `data-pwn`, so one that got through is found by its attribute too.
const PAYLOADS: [&str; 13] = [
    "<script data-pwn>window.__pwned=1</script>",
    "\"><img data-pwn src=x onerror=\"window.__pwned=2\">",
    "'><svg data-pwn onload='window.__pwned=3'>",
    "</script><script data-pwn>window.__pwned=4</script>",
    "</title></textarea><iframe data-pwn srcdoc=x></iframe>",
    "javascript:window.__pwned=6",
    "&lt;b&gt;not bold&amp;amp;",
    "=HYPERLINK(\"http://x.test\",\"y\")",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=2+2",
];

/// Input fields, by the letter of their tag.
const FIELDS: &[(char, &str)] = &[
    ('X', "arsite.toml title"),
    ('I', "customer_id"),
    ('N', "snapshot customer_name"),
    ('M', "customers.csv name"),
    ('V', "invoice_id"),
    ('D', "division"),
    ('K', "collector"),
    ('U', "customers.csv payment_terms"),
    ('Z', "customers.csv risk_class"),
    ('E', "customers.csv contact_name"),
    ('Q', "customers.csv email"),
    ('P', "customers.csv phone"),
    ('R', "dispute reason"),
    ('S', "dispute resolution"),
    ('O', "activity note"),
    ('J', "rejected row's customer_name"),
    ('L', "rejected row's customer_id"),
];

fn value(field: char, i: usize) -> String {
    format!("{}⟦{field}{i}⟧", PAYLOADS[i])
}

fn csv_field(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

const N: usize = PAYLOADS.len();
const DATES: [&str; 2] = ["2026-09-30", "2026-10-31"];

/// Customer `i` carries payload `i` in every one of its text fields; the
/// even ones name themselves in the snapshots, the odd ones only in
/// `customers.csv`.
fn hostile_data(dir: &Path) {
    fs::create_dir_all(dir.join("snapshots")).unwrap();
    let mut toml = format!(
        "title = {}\ncurrency = \"EUR\"\n\n[disputes]\nsla_days = 20\n\n[collectors.targets]\n",
        toml_str(&value('X', 0))
    );
    for i in 0..N {
        toml.push_str(&format!("{} = 1000\n", toml_str(&value('K', i))));
    }
    fs::write(dir.join("arsite.toml"), toml).unwrap();

    let mut master =
        String::from("customer_id,name,division,collector,credit_limit,payment_terms,risk_class,contact_name,email,phone\n");
    for i in 0..N {
        master.push_str(&format!(
            "{},{},{},{},500.00,{},{},{},{},{}\n",
            csv_field(&value('I', i)),
            csv_field(&value('M', i)),
            csv_field(&value('D', i)),
            csv_field(&value('K', i)),
            csv_field(&value('U', i)),
            csv_field(&value('Z', i)),
            csv_field(&value('E', i)),
            csv_field(&value('Q', i)),
            csv_field(&value('P', i)),
        ));
    }
    fs::write(dir.join("customers.csv"), master).unwrap();

    let mut sales = String::from("period,division,amount\n");
    for month in ["2026-07", "2026-08", "2026-09", "2026-10"] {
        for i in 0..N {
            sales.push_str(&format!("{month},{},1000.00\n", csv_field(&value('D', i))));
        }
    }
    fs::write(dir.join("sales.csv"), sales).unwrap();

    let statuses = ["disputed", "promised", "agency", "open", "legal"];
    for (d, date) in DATES.iter().enumerate() {
        let mut text = String::from("invoice_id,customer_id,customer_name,invoice_date,due_date,amount,open_amount,division,collector,status\n");
        for i in 0..N {
            let name = if i % 2 == 0 {
                value('N', i)
            } else {
                String::new()
            };
            // An old invoice (a write-off candidate) and a recent one.
            for (n, (inv, due, amount)) in [
                ("2026-03-01", "2026-04-01", 300 + 10 * d),
                ("2026-09-01", "2026-10-01", 100 + 10 * d),
            ]
            .into_iter()
            .enumerate()
            {
                text.push_str(&format!(
                    "{},{},{},{inv},{due},{amount}.00,{amount}.00,{},{},{}\n",
                    csv_field(&format!("{}-{n}", value('V', i))),
                    csv_field(&value('I', i)),
                    csv_field(&name),
                    csv_field(&value('D', i)),
                    csv_field(&value('K', i)),
                    statuses[(i + n) % statuses.len()],
                ));
            }
            // A row the import rejects (due before invoice date): it is
            // shown on the data-quality page and in rejected.csv.
            text.push_str(&format!(
                "REJ-{i},{},{},2026-06-01,2026-05-01,5.00,5.00,,,open\n",
                csv_field(&value('L', i)),
                csv_field(&value('J', i)),
            ));
        }
        fs::write(dir.join(format!("snapshots/{date}.csv")), text).unwrap();
    }

    let mut activity =
        String::from("date,type,customer_id,invoice_id,amount,collector,reference,note\n");
    for i in 0..N {
        let cust = csv_field(&value('I', i));
        let inv = csv_field(&format!("{}-0", value('V', i)));
        let coll = csv_field(&value('K', i));
        let note = csv_field(&value('O', i));
        for line in [
            format!(
                "2026-09-02,dispute_opened,{cust},{inv},10.00,{coll},{},{note}",
                csv_field(&value('R', i))
            ),
            format!(
                "2026-09-20,dispute_resolved,{cust},{inv},,{coll},{},{note}",
                csv_field(&value('S', i))
            ),
            format!(
                "2026-10-02,dispute_opened,{cust},{inv},10.00,{coll},{},{note}",
                csv_field(&value('R', i))
            ),
            format!("2026-10-03,contact,{cust},,,{coll},email,{note}"),
            format!("2026-10-04,promise,{cust},{inv},50.00,{coll},2026-10-20,{note}"),
            format!("2026-10-05,placement,{cust},{inv},100.00,{coll},,{note}"),
            format!("2026-10-06,payment,{cust},{inv},20.00,{coll},,{note}"),
            format!("2026-10-07,write_off,{cust},{inv},5.00,{coll},,{note}"),
        ] {
            activity.push_str(&line);
            activity.push('\n');
        }
    }
    fs::write(dir.join("activity.csv"), activity).unwrap();
}

/// The hostile site, built once per test binary.
fn site() -> &'static Path {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, site) = SITE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        hostile_data(&data);
        let site = dir.path().join("site");
        arsite::site::build(&arsite::site::BuildOptions::new(data, site.clone()))
            .expect("hostile data still builds");
        (dir, site)
    });
    site
}

/// Every input value by its tag (`D3`).
fn values() -> HashMap<String, String> {
    let mut map = HashMap::new();
    for &(field, _) in FIELDS {
        for i in 0..N {
            map.insert(format!("{field}{i}"), value(field, i));
        }
    }
    map
}

/// The tags in `text`.
fn tags(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('⟦') {
        rest = &rest[start + '⟦'.len_utf8()..];
        match rest.find('⟧') {
            Some(end) => {
                out.push(rest[..end].to_string());
                rest = &rest[end..];
            }
            None => break,
        }
    }
    out
}

/// What a parsed HTML document shows of a value: HTML turns CR (and CR LF)
/// into LF before parsing, in text and attribute values alike.
fn as_parsed(v: &str) -> String {
    v.replace("\r\n", "\n").replace('\r', "\n")
}

/// Where the values of one page (or page family) were seen whole.
#[derive(Default)]
struct Seen {
    /// Tags seen in text nodes.
    text: BTreeSet<String>,
    /// Tags seen in attribute values → the attributes' names.
    attr: BTreeMap<String, BTreeSet<String>>,
}

impl Seen {
    fn merge(&mut self, other: Seen) {
        self.text.extend(other.text);
        for (k, v) in other.attr {
            self.attr.entry(k).or_default().extend(v);
        }
    }

    /// Which payloads (by index) were seen whole among the tags of `fields`.
    fn payloads(set: &BTreeSet<String>, fields: &str) -> BTreeSet<usize> {
        set.iter()
            .filter(|t| fields.contains(t.chars().next().unwrap()))
            .map(|t| t[1..].parse().unwrap())
            .collect()
    }

    fn text_payloads(&self, fields: &str) -> BTreeSet<usize> {
        Seen::payloads(&self.text, fields)
    }
}

/// Script sources a page may load (the site's own files).
fn allowed_script(src: &str) -> bool {
    [
        "assets/dashboard-wasm.js",
        "assets/dashboard.js",
        "assets/boot.js",
    ]
    .iter()
    .any(|s| src.ends_with(s))
        || src == "data.js"
}

/// Checks one parsed document; `what` names it in failures.
fn check_dom(html: &str, what: &str, values: &HashMap<String, String>) -> Seen {
    let doc = Html::parse_document(html);
    let mut seen = Seen::default();
    let check_value = |text: &str, context: &str, seen: &mut Seen| {
        for tag in tags(text) {
            let Some(full) = values.get(&tag) else {
                panic!("{what}: unknown tag {tag} in {context} {text:?}");
            };
            // The import trims every field, so a leading TAB or CR of a
            // used value is gone; rejected rows are kept as they were.
            let full = as_parsed(full.trim());
            // Attributes that are search keys hold the text case-folded.
            let whole = if context == "text" {
                text.contains(&full)
            } else {
                text.to_lowercase().contains(&full.to_lowercase())
            };
            assert!(
                whole,
                "{what}: {context} shows the value {tag} cut or changed (markup in it took effect?): {text:?}, expected it to hold {full:?}"
            );
            if context == "text" {
                seen.text.insert(tag);
            } else {
                seen.attr
                    .entry(tag)
                    .or_default()
                    .insert(context.to_string());
            }
        }
    };
    for node in doc.tree.nodes() {
        match node.value() {
            Node::Text(t) => check_value(t, "text", &mut seen),
            Node::Element(el) => {
                let name = el.name();
                assert!(
                    !matches!(name, "img" | "iframe" | "object" | "embed" | "textarea"),
                    "{what}: an injected <{name}> element: {:?}",
                    el
                );
                if name == "script" {
                    let src = el.attr("src").unwrap_or_default();
                    assert!(allowed_script(src), "{what}: a script from {src:?}: {el:?}");
                    let inline: String = node
                        .children()
                        .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                        .collect();
                    assert!(inline.is_empty(), "{what}: an inline script: {inline:?}");
                }
                if name == "svg" {
                    let in_chart = node.ancestors().any(|a| {
                        a.value().as_element().is_some_and(|e| {
                            e.name() == "figure"
                                && e.has_class(
                                    "chart-wrap",
                                    scraper::CaseSensitivity::CaseSensitive,
                                )
                        })
                    });
                    assert!(in_chart, "{what}: an <svg> outside a chart: {el:?}");
                }
                for (attr, v) in el.attrs() {
                    assert!(
                        !attr.starts_with("on") && attr != "data-pwn" && attr != "srcdoc",
                        "{what}: an injected attribute {attr}={v:?} on <{name}>"
                    );
                    if matches!(
                        attr,
                        "href" | "src" | "action" | "formaction" | "xlink:href"
                    ) {
                        let v = v.trim().to_ascii_lowercase();
                        assert!(
                            !v.starts_with("javascript:") && !v.starts_with("data:text"),
                            "{what}: {attr}={v:?} on <{name}>"
                        );
                        assert!(
                            tags(&v).is_empty(),
                            "{what}: input text in a URL ({attr}={v:?}): links carry slugs only"
                        );
                    }
                    check_value(v, attr, &mut seen);
                }
            }
            _ => {}
        }
    }
    seen
}

/// A page's family: what kind of page the site writes it as.
fn family(rel: &str) -> &'static str {
    let parts: Vec<&str> = rel.split('/').collect();
    match parts.as_slice() {
        ["index.html"] => "archive",
        ["latest", "index.html"] => "latest",
        [_, "index.html"] => "overview",
        [_, "lists.html"] => "lists",
        [_, "aging.html"] => "aging",
        [_, "dso.html"] => "dso",
        [_, "worklist.html"] => "worklist",
        [_, "disputes.html"] => "disputes",
        [_, "bad-debt.html"] => "bad-debt",
        [_, "quality.html"] => "quality",
        [_, "email.html"] => "email",
        [_, "dashboard.html"] => "dashboard-shell",
        [_, "collectors", "index.html"] => "scorecard",
        [_, "collectors", _] => "collector",
        [_, "customers", "index.html"] => "customer-list",
        [_, "customers", _] => "customer",
        _ => panic!("a page of no known kind: {rel}"),
    }
}

fn files(root: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == ext) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn rel(site: &Path, p: &Path) -> String {
    p.strip_prefix(site).unwrap().to_string_lossy().into_owned()
}

/// What each family must show whole: (fields, in text or in which
/// attribute, how many distinct payloads at least). `N` means every payload;
/// "names" are `N` and `M` (the even customers name themselves in the
/// snapshots, the odd ones in customers.csv).
fn expected(family: &str) -> Vec<(&'static str, &'static str, usize)> {
    let title = ("X", "text", 1);
    let mut e = match family {
        "archive" | "latest" | "dashboard-shell" => vec![],
        // The top ten past due only (all amounts are equal, any ten).
        "overview" => vec![("I", "text", 10), ("NM", "text", 10)],
        "email" => vec![("I", "text", 10), ("NM", "text", 10), ("K", "text", N)],
        "aging" => vec![
            ("I", "text", N),
            ("NM", "text", N),
            ("D", "text", N),
            ("K", "text", N),
        ],
        "dso" => vec![("D", "text", N)],
        // Newly past due (every customer's recent invoice), broken promises
        // and the disputes opened on Oct 2, 29 days open (over sla_days 20).
        "lists" => vec![
            ("I", "text", N),
            ("NM", "text", N),
            ("K", "text", N),
            ("V", "text", N),
            ("R", "text", N),
        ],
        "worklist" => vec![
            ("I", "text", N),
            ("NM", "text", N),
            ("K", "text", N),
            ("E", "text", N),
            ("Q", "text", N),
            ("P", "text", N),
        ],
        "collector" => vec![("I", "text", N), ("NM", "text", N), ("K", "text", N)],
        "bad-debt" => vec![
            ("I", "text", N),
            ("NM", "text", N),
            ("D", "text", N),
            ("K", "text", N),
        ],
        "disputes" => vec![
            ("I", "text", N),
            ("NM", "text", N),
            ("V", "text", N),
            ("R", "text", N),
            ("S", "text", N),
            ("O", "text", N),
        ],
        "customer-list" => vec![("I", "text", N), ("NM", "text", N)],
        "customer" => vec![
            ("E", "text", N),
            ("Q", "text", N),
            ("P", "text", N),
            ("I", "text", N),
            ("NM", "text", N),
            ("K", "text", N),
            ("V", "text", N),
            ("R", "text", N),
            ("S", "text", N),
            ("O", "text", N),
        ],
        "quality" => vec![("J", "text", N), ("L", "text", N)],
        // The filter bar's row keys.
        "scorecard" => vec![
            ("K", "text", N),
            ("K", "data-collector", N),
            ("K", "data-search", N),
            ("D", "data-division", N),
        ],
        _ => panic!("no expectation for {family}"),
    };
    e.push(title);
    e
}

fn assert_shown(family: &str, seen: &Seen, expected: &[(&str, &str, usize)]) {
    for &(fields, context, at_least) in expected {
        let shown = if context == "text" {
            seen.text_payloads(fields)
        } else {
            let tags: BTreeSet<String> = seen
                .attr
                .iter()
                .filter(|(_, ctx)| ctx.contains(context))
                .map(|(t, _)| t.clone())
                .collect();
            Seen::payloads(&tags, fields)
        };
        assert!(
            shown.len() >= at_least,
            "{family}: expected {at_least} payloads of {fields} shown whole in {context}, found {shown:?}"
        );
    }
}

#[test]
fn every_static_page_shows_input_text_literally_and_injects_nothing() {
    let site = site();
    let values = values();
    let mut families: BTreeMap<&str, Seen> = BTreeMap::new();
    for page in files(site, "html") {
        let r = rel(site, &page);
        let html = fs::read_to_string(&page).unwrap();
        let seen = check_dom(&html, &r, &values);
        families.entry(family(&r)).or_default().merge(seen);
    }
    let kinds: Vec<&str> = families.keys().copied().collect();
    assert_eq!(
        kinds,
        [
            "aging",
            "archive",
            "bad-debt",
            "collector",
            "customer",
            "customer-list",
            "dashboard-shell",
            "disputes",
            "dso",
            "email",
            "latest",
            "lists",
            "overview",
            "quality",
            "scorecard",
            "worklist"
        ],
        "the page kinds the site writes"
    );
    for (f, seen) in &families {
        assert_shown(f, seen, &expected(f));
    }
}

/// Whether a spreadsheet would run the text as a formula (written here
/// from the list of starts, not with the generator's function).
fn formula_start(text: &str) -> Option<char> {
    text.chars()
        .next()
        .filter(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'))
}

#[test]
fn every_csv_file_neutralises_formulas_and_keeps_the_text_whole() {
    let site = site();
    let values = values();
    // CSV kind → files, fields carrying input text
    let mut kinds: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut neutralised: BTreeMap<char, usize> = BTreeMap::new();
    for file in files(site, "csv") {
        let r = rel(site, &file);
        let kind = match r.split('/').collect::<Vec<_>>().as_slice() {
            [_, "rejected.csv"] => "rejected",
            [_, "bad-debt", _] => "write-off documentation",
            [_, "csv", f] if f.starts_with("customers-") && !f.contains("--") => "customer page",
            [_, "csv", f] if f.contains("--") => "page table",
            _ => panic!("a CSV file of no known kind: {r}"),
        };
        let entry = kinds.entry(kind).or_default();
        entry.0 += 1;
        let text = fs::read_to_string(&file).unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        for (line, record) in reader.records().enumerate() {
            let record = record.unwrap_or_else(|e| panic!("{r}: {e}"));
            for field in record.iter() {
                let t = tags(field);
                if t.is_empty() {
                    continue;
                }
                entry.1 += 1;
                assert_eq!(
                    formula_start(field),
                    None,
                    "{r} record {}: a field a spreadsheet would run as a formula: {field:?}",
                    line + 1
                );
                let shown = match field.strip_prefix('\'') {
                    Some(rest) if formula_start(rest).is_some() => {
                        *neutralised.entry(formula_start(rest).unwrap()).or_default() += 1;
                        rest
                    }
                    _ => field,
                };
                for tag in t {
                    let full = &values[&tag];
                    assert!(
                        shown.contains(full.trim()),
                        "{r} record {}: {tag} cut or changed: {field:?}",
                        line + 1
                    );
                }
            }
        }
    }
    for kind in [
        "page table",
        "customer page",
        "write-off documentation",
        "rejected",
    ] {
        let (files, fields) = kinds.get(kind).copied().unwrap_or_default();
        assert!(
            files > 0 && fields > 0,
            "{kind}: {files} CSV files, {fields} fields with input text"
        );
    }
    // Every kind of formula start reached a CSV and was neutralised there
    // (TAB and CR survive only in rejected rows, kept as they were read).
    for c in ['=', '+', '-', '@', '\t', '\r'] {
        assert!(
            neutralised.get(&c).copied().unwrap_or(0) > 0,
            "no neutralised field starting with {c:?}: {neutralised:?}"
        );
    }
}

#[test]
fn the_workbook_holds_input_text_as_text_cells_and_no_formula() {
    use calamine::{Data, Reader, Xlsx};
    let site = site();
    let values = values();
    let books = files(site, "xlsx");
    assert_eq!(books.len(), DATES.len());
    for book in books {
        let r = rel(site, &book);
        let mut wb: Xlsx<_> = calamine::open_workbook(&book).unwrap();
        let mut starts = BTreeSet::new();
        let mut tagged = 0;
        for sheet in wb.sheet_names() {
            let formulas = wb.worksheet_formula(&sheet).unwrap();
            assert!(
                formulas.used_cells().all(|(_, _, f)| f.is_empty()),
                "{r} [{sheet}]: a formula cell"
            );
            let range = wb.worksheet_range(&sheet).unwrap();
            for (row, col, cell) in range.used_cells() {
                let text = cell.to_string();
                let t = tags(&text);
                if t.is_empty() {
                    continue;
                }
                tagged += 1;
                assert!(
                    matches!(cell, Data::String(_)),
                    "{r} [{sheet}] {row}:{col}: input text in a cell that is not text: {cell:?}"
                );
                starts.extend(formula_start(&text));
                for tag in t {
                    assert!(
                        text.contains(values[&tag].trim()),
                        "{r} [{sheet}] {row}:{col}: {tag} cut or changed: {text:?}"
                    );
                }
            }
        }
        assert!(tagged > 0, "{r}: no input text at all");
        // Text cells that look like formulas are there, and are text.
        // (No TAB or CR start reaches a workbook: fields and target names
        // are read trimmed; those two are checked in the CSV files, where
        // rejected rows keep their raw text.)
        assert_eq!(
            starts,
            BTreeSet::from(['=', '+', '-', '@']),
            "{r}: formula-like text cells"
        );
    }
}

/// The dashboard's DOM once it is ready, in every view, and a static page's
/// filter bar once it is mounted: the HTML strings written in
/// `dashboard/src/html.rs` and `static_bar.rs`, parsed by Chromium.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_shows_input_text_literally_and_injects_nothing() {
    let site = site();
    assert!(
        site.join("assets/dashboard-wasm.js").is_file(),
        "this arsite carries no dashboard: run `cargo xtask dashboard` first (`cargo xtask test` does)"
    );
    let values = values();
    let browser = Browser::start().await;
    let dashboard = site.join(format!("{}/dashboard.html", DATES[1]));
    let html_now = || async {
        browser
            .js("return document.documentElement.outerHTML")
            .await
            .as_str()
            .unwrap()
            .to_string()
    };
    // Waits (on what the page shows, up to 10 s) until `fields` of every
    // payload are in the DOM, then returns the DOM.
    let settled = |fields: &'static str| {
        let html_now = &html_now;
        async move {
            let deadline = Instant::now() + Duration::from_secs(10);
            loop {
                let html = html_now().await;
                let present: BTreeSet<String> = tags(&html).into_iter().collect();
                if Seen::payloads(&present, fields).len() == N || Instant::now() > deadline {
                    return html;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    };
    let mut all = Seen::default();
    for (view, fields, expect) in [
        (
            "overview",
            "D",
            vec![("D", "text", N), ("D", "value", N), ("K", "value", N)],
        ),
        ("scorecard", "K", vec![("K", "text", N)]),
        (
            "customers",
            "I",
            vec![
                ("I", "text", N),
                ("NM", "text", N),
                ("I", "data-customer", N),
            ],
        ),
        ("invoices", "V", vec![("V", "text", N), ("NM", "text", N)]),
        ("compare", "D", vec![("D", "text", N)]),
    ] {
        let url = format!("file://{}?view={view}", dashboard.display());
        browser.goto(&url).await;
        browser.wait_dashboard_ready().await;
        let html = settled(fields).await;
        let what = format!("dashboard.html?view={view}");
        let seen = check_dom(&html, &what, &values);
        assert_shown(&what, &seen, &expect);
        all.merge(seen);
    }
    // A customer's drill-down: its invoices, filtered by its id.
    let id = values["I3"].trim().to_string();
    let query: String = url_encode(&id);
    browser
        .goto(&format!(
            "file://{}?view=invoices&cust={query}",
            dashboard.display()
        ))
        .await;
    browser.wait_dashboard_ready().await;
    let html = html_now().await;
    let seen = check_dom(&html, "dashboard drill-down", &values);
    assert!(
        seen.text.contains("V3"),
        "the drill-down shows the customer's invoices"
    );

    // The static filter bar on the scorecard.
    let scorecard = site.join(format!("{}/collectors/index.html", DATES[1]));
    browser
        .goto(&format!("file://{}", scorecard.display()))
        .await;
    browser
        .client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(fantoccini::Locator::Css("form[data-filter-for]"))
        .await
        .expect("the filter bar mounts");
    let html = html_now().await;
    let seen = check_dom(&html, "collectors/index.html with its filter bar", &values);
    assert_shown(
        "scorecard filter bar",
        &seen,
        &[("K", "value", N), ("D", "value", N), ("K", "text", N)],
    );
    browser.close().await;
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

//! Reading a built snapshot folder back: the report tables of its pages
//! (HTML, parsed with `scraper`), their CSV downloads and the workbook's
//! sheets (`calamine`), each as a [`Grid`] of cell strings; and strict
//! parsers for the displayed figures, written from the display rules
//! (`1,234.56`: thousands grouped by commas, every minor digit; ratios
//! `12.34`; integers `-5`), so a figure printed any other way fails.

use rust_decimal::Decimal;
use scraper::{ElementRef, Html, Selector};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Src {
    Html,
    Csv,
    Xlsx,
}

/// One table in one format. For CSV and xlsx the total row (when the HTML
/// has a `tfoot`) is split off into `footer` like the HTML's.
#[derive(Clone, Debug)]
pub struct Grid {
    pub src: Src,
    pub id: String,
    /// Where it was read, for messages.
    pub name: String,
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub footer: Option<Vec<String>>,
}

/// An expected cell.
#[derive(Clone, Debug)]
pub enum Want {
    /// An amount in minor units (2 decimals).
    Money(i128),
    /// An amount, or "—" / empty for none.
    OptMoney(Option<i128>),
    Int(i64),
    /// A ratio, percentage or day figure with 2 decimals; none = "—".
    Ratio(Option<Decimal>),
    /// Text "12.34 days" (in every format).
    Days(Option<Decimal>),
    Text(String),
}

impl Want {
    /// For messages: amounts as decimals.
    fn shown(&self) -> String {
        let amount = |c: &i128| Decimal::from_i128_with_scale(*c, 2).to_string();
        match self {
            Want::Money(c) | Want::OptMoney(Some(c)) => format!("amount {}", amount(c)),
            other => format!("{other:?}"),
        }
    }
}

impl Grid {
    /// The cell as a person reads it (the CSV's formula guard removed).
    pub fn text(&self, row: &[String], i: usize) -> String {
        let c = row
            .get(i)
            .unwrap_or_else(|| panic!("{}: no column {i} in {row:?}", self.name));
        match self.src {
            Src::Csv => unneutralize(c).to_string(),
            _ => c.clone(),
        }
    }

    /// Panics, naming the table, row and column, unless the cell shows `want`.
    pub fn check(&self, row: &[String], i: usize, want: &Want, key: &str) {
        let cell = self.text(row, i);
        let column = self.headers.get(i).map_or("?", String::as_str);
        let ok = match want {
            Want::Money(c) => self.money(&cell) == Some(*c),
            Want::OptMoney(Some(c)) => self.money(&cell) == Some(*c),
            Want::OptMoney(None) | Want::Ratio(None) => self.none(&cell),
            Want::Int(n) => self.int(&cell) == Some(*n),
            Want::Ratio(Some(d)) => self.ratio(&cell) == Some(*d),
            Want::Days(Some(d)) => cell
                .strip_suffix(" days")
                .and_then(two_decimals)
                .is_some_and(|v| v == *d),
            Want::Days(None) => cell.strip_suffix(" days").and_then(two_decimals).is_none(),
            Want::Text(t) => &cell == t,
        };
        assert!(
            ok,
            "{} ({:?}): row {key:?}, column {column:?}: shows {cell:?}, the reader expects {}",
            self.name,
            self.src,
            want.shown()
        );
    }

    fn money(&self, s: &str) -> Option<i128> {
        match self.src {
            Src::Html => grouped_money(s),
            Src::Csv => plain_money(s),
            Src::Xlsx => xlsx_cents(s),
        }
    }

    fn int(&self, s: &str) -> Option<i64> {
        match self.src {
            Src::Xlsx => {
                let f: f64 = s.parse().ok()?;
                (f.fract() == 0.0).then_some(f as i64)
            }
            _ => plain_int(s),
        }
    }

    /// A 2-decimal figure: "12.34" on the page; in the CSV the exact
    /// decimal ("12.34", or "100" for 100.00); in the workbook a number or
    /// that text.
    fn ratio(&self, s: &str) -> Option<Decimal> {
        match self.src {
            Src::Html => two_decimals(s),
            Src::Csv => plain_decimal(s),
            Src::Xlsx => two_decimals(s).or_else(|| {
                let f: f64 = s.parse().ok()?;
                let d = Decimal::from_str(&format!("{f:.2}")).ok()?;
                ((f - f64::try_from(d).ok()?).abs() < 1e-9).then_some(d)
            }),
        }
    }

    fn none(&self, s: &str) -> bool {
        match self.src {
            Src::Html => s == "—",
            _ => s.is_empty() || s == "—",
        }
    }
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A whole number without leading zeros ("0", "17", not "017" or "").
fn whole(s: &str) -> bool {
    digits(s) && (s == "0" || !s.starts_with('0'))
}

fn split_sign(s: &str) -> (bool, &str) {
    match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    }
}

/// "-1,234,567.89" → -123456789 cents: groups of exactly three digits
/// after the first, exactly two decimals.
pub fn grouped_money(s: &str) -> Option<i128> {
    let (neg, s) = split_sign(s);
    let (int, frac) = s.split_once('.')?;
    if frac.len() != 2 || !digits(frac) {
        return None;
    }
    let mut groups = int.split(',');
    let first = groups.next()?;
    if !whole(first) || first.len() > 3 {
        return None;
    }
    let rest: Vec<&str> = groups.collect();
    if rest.iter().any(|g| g.len() != 3 || !digits(g)) || (first == "0" && !rest.is_empty()) {
        return None;
    }
    let plain: String = int.chars().filter(|c| *c != ',').collect();
    let v: i128 = format!("{plain}{frac}").parse().ok()?;
    if neg && v == 0 {
        return None;
    }
    Some(if neg { -v } else { v })
}

/// "-1234.50" → -123450: no grouping, exactly two decimals.
pub fn plain_money(s: &str) -> Option<i128> {
    let (neg, rest) = split_sign(s);
    let (int, frac) = rest.split_once('.')?;
    if !whole(int) || frac.len() != 2 || !digits(frac) {
        return None;
    }
    let v: i128 = format!("{int}{frac}").parse().ok()?;
    Some(if neg { -v } else { v })
}

pub fn plain_int(s: &str) -> Option<i64> {
    let (neg, rest) = split_sign(s);
    if !whole(rest) || (neg && rest == "0") {
        return None;
    }
    s.parse().ok()
}

/// "12.34", "-0.29": exactly two decimals, no grouping.
pub fn two_decimals(s: &str) -> Option<Decimal> {
    let (_, rest) = split_sign(s);
    let (int, frac) = rest.split_once('.')?;
    (whole(int) && frac.len() == 2 && digits(frac)).then(|| Decimal::from_str(s).ok())?
}

/// An exact decimal as the CSV writes it ("12.5", "100", "-0.29").
pub fn plain_decimal(s: &str) -> Option<Decimal> {
    let (_, rest) = split_sign(s);
    let int = rest
        .split_once('.')
        .map_or(rest, |(i, f)| if digits(f) { i } else { "x" });
    whole(int).then(|| Decimal::from_str(s).ok())?
}

/// A workbook number (an f64) that is a whole number of cents.
fn xlsx_cents(s: &str) -> Option<i128> {
    let f: f64 = s.parse().ok()?;
    let c = (f * 100.0).round();
    ((f * 100.0 - c).abs() < 1e-4).then_some(c as i128)
}

/// The spreadsheet formula guard, written from its rule: a text starting
/// with `=`, `+`, `-`, `@`, TAB or CR gets a leading `'`.
fn neutralize(s: &str) -> String {
    if matches!(
        s.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    ) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn unneutralize(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if neutralize(rest) == s => rest,
        _ => s,
    }
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text_of(e: ElementRef) -> String {
    e.text().collect::<String>().trim().to_string()
}

fn cells(tr: ElementRef) -> Vec<String> {
    tr.select(&sel("th, td")).map(text_of).collect()
}

/// A report table of a page, with its CSV link.
struct HtmlTable {
    grid: Grid,
    csv: Option<String>,
}

fn html_tables(page: &Path, site_name: &str) -> Vec<HtmlTable> {
    let doc = Html::parse_document(&std::fs::read_to_string(page).unwrap());
    let mut out = Vec::new();
    for t in doc.select(&sel("table.report")) {
        let id = t.value().attr("id").unwrap_or_default().to_string();
        let caption = t.select(&sel("caption")).next().expect("a caption");
        let link = caption.select(&sel("a.download")).next();
        let mut cap = text_of(caption);
        if let Some(a) = link {
            cap = cap.strip_suffix(&text_of(a)).unwrap().trim().to_string();
        }
        let headers = t
            .select(&sel("thead tr"))
            .next()
            .map(cells)
            .unwrap_or_default();
        // An empty table shows one "None." row spanning every column.
        let placeholder = sel("td[colspan]");
        let rows: Vec<Vec<String>> = t
            .select(&sel("tbody tr"))
            .filter(|tr| tr.select(&placeholder).next().is_none())
            .map(cells)
            .collect();
        let footer = t.select(&sel("tfoot tr")).next().map(cells);
        for r in rows.iter().chain(footer.iter()) {
            assert_eq!(r.len(), headers.len(), "{site_name}#{id}: a row's width");
        }
        out.push(HtmlTable {
            grid: Grid {
                src: Src::Html,
                name: format!("{site_name}#{id}"),
                id,
                caption: cap,
                headers,
                rows,
                footer,
            },
            csv: link.map(|a| a.value().attr("href").unwrap().to_string()),
        });
    }
    out
}

fn parse_csv(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

/// A page's combined CSV: tables separated by an empty line, each after a
/// line holding its caption. Splits outside quoted fields only.
fn split_combined(text: &str) -> Vec<(String, String)> {
    let mut chunks = Vec::new();
    let (mut start, mut quoted) = (0, false);
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'"' {
            quoted = !quoted;
        } else if !quoted && b[i..].starts_with(b"\r\n\r\n") {
            chunks.push(&text[start..i + 2]);
            start = i + 4;
            i += 3;
        }
        i += 1;
    }
    chunks.push(&text[start..]);
    chunks
        .into_iter()
        .map(|c| {
            let (caption, rest) = c.split_once("\r\n").unwrap_or((c, ""));
            (caption.to_string(), rest.to_string())
        })
        .collect()
}

/// Splits the last row off as the total row when the HTML has one.
fn as_grid(html: &Grid, src: Src, name: String, mut all: Vec<Vec<String>>) -> Grid {
    assert!(!all.is_empty(), "{name}: no header row");
    let headers = all.remove(0);
    let footer = if html.footer.is_some() {
        all.pop()
    } else {
        None
    };
    Grid {
        src,
        id: html.id.clone(),
        name,
        caption: html.caption.clone(),
        headers,
        rows: all,
        footer,
    }
}

/// The same figure in two formats: `other` is the CSV's exact form (or
/// the workbook's cell, which must be the CSV's number as a double).
fn same_cell(html: &str, csv: &str) -> bool {
    if csv.is_empty() {
        return html.is_empty() || html == "—";
    }
    if let Some(exact) = plain_decimal(csv) {
        // Shown grouped (money) or plain (counts, ratios), never otherwise.
        let shown = if html.contains(',') {
            grouped_money(html).map(|c| Decimal::from_i128_with_scale(c, 2))
        } else {
            plain_decimal(html)
        };
        return shown == Some(exact) || html == unneutralize(csv);
    }
    html == unneutralize(csv)
}

fn same_rows(a: &Grid, b: &Grid, cell: impl Fn(&str, &str) -> bool) {
    assert_eq!(
        a.headers.len(),
        b.headers.len(),
        "{} vs {}: columns",
        a.name,
        b.name
    );
    for (x, y) in a.headers.iter().zip(&b.headers) {
        assert_eq!(x, unneutralize(y), "{} vs {}: header", a.name, b.name);
    }
    assert_eq!(
        a.rows.len(),
        b.rows.len(),
        "{} vs {}: the number of rows",
        a.name,
        b.name
    );
    assert_eq!(
        a.footer.is_some(),
        b.footer.is_some(),
        "{} vs {}: total row",
        a.name,
        b.name
    );
    for (r, (x, y)) in a
        .rows
        .iter()
        .chain(a.footer.iter())
        .zip(b.rows.iter().chain(b.footer.iter()))
        .enumerate()
    {
        assert_eq!(x.len(), y.len(), "{} vs {}: row {r} width", a.name, b.name);
        for (c, (u, v)) in x.iter().zip(y).enumerate() {
            assert!(
                cell(u, v),
                "{} vs {}: row {r} ({:?}), column {:?}: {u:?} vs {v:?}",
                a.name,
                b.name,
                x.first(),
                a.headers[c]
            );
        }
    }
}

/// The workbook's sheets as (name, cells as text) with row 1 the caption,
/// row 3 the headers.
fn sheets(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    use calamine::{Data, Reader};
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    let names = wb.sheet_names().to_vec();
    names
        .into_iter()
        .map(|name| {
            let range = wb.worksheet_range(&name).unwrap();
            let (rows, cols) = range.end().map_or((0, 0), |(r, c)| (r + 1, c + 1));
            let grid = (0..rows)
                .map(|r| {
                    (0..cols)
                        .map(|c| match range.get_value((r, c)) {
                            None | Some(Data::Empty) => String::new(),
                            Some(Data::String(s)) => s.clone(),
                            Some(Data::Float(f)) => format!("{f}"),
                            Some(Data::Int(i)) => i.to_string(),
                            Some(other) => panic!("{name}: unexpected cell {other:?}"),
                        })
                        .collect()
                })
                .collect();
            (name, grid)
        })
        .collect()
}

/// The pages whose tables go to the workbook, in its order.
const WORKBOOK_PAGES: [&str; 7] = [
    "index.html",
    "aging.html",
    "dso.html",
    "collectors/index.html",
    "worklist.html",
    "disputes.html",
    "bad-debt.html",
];

fn html_pages(dir: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for sub in ["", "collectors", "customers"] {
        for e in std::fs::read_dir(dir.join(sub)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "html") {
                v.push(p);
            }
        }
    }
    v.sort();
    v
}

/// Layer 1 for one snapshot folder: every report table equal in HTML, CSV
/// and workbook; every CSV file and every sheet accounted for. Returns
/// every table in every format, for the reader checks.
pub fn check_formats(dir: &Path) -> Vec<Grid> {
    let snap = dir.file_name().unwrap().to_str().unwrap().to_string();
    let mut out = Vec::new();
    let mut csv_used = BTreeSet::new();
    let mut per_page: BTreeMap<String, Vec<Grid>> = BTreeMap::new();
    for page in html_pages(dir) {
        let rel = page
            .strip_prefix(dir)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let depth = rel.matches('/').count();
        let tables = html_tables(&page, &format!("{snap}/{rel}"));
        let mut combined: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        let mut chunk_used: BTreeMap<String, usize> = BTreeMap::new();
        for t in tables {
            let g = &t.grid;
            let Some(href) = &t.csv else {
                assert!(
                    g.rows.is_empty(),
                    "{}: a table with rows has no CSV link",
                    g.name
                );
                out.push(t.grid);
                continue;
            };
            assert!(!g.rows.is_empty(), "{}: an empty table links a CSV", g.name);
            let file = href
                .strip_prefix(&"../".repeat(depth))
                .and_then(|h| h.strip_prefix("csv/"))
                .filter(|f| !f.contains('/'))
                .unwrap_or_else(|| panic!("{}: CSV link {href} outside csv/", g.name));
            csv_used.insert(file.to_string());
            let text = std::fs::read_to_string(dir.join("csv").join(file))
                .unwrap_or_else(|e| panic!("{}: {href}: {e}", g.name));
            let name = format!("{snap}/csv/{file}");
            let csv_grid = if rel.starts_with("customers/") && rel != "customers/index.html" {
                // One file per customer page: find this table's part.
                let parts = combined
                    .entry(file.to_string())
                    .or_insert_with(|| split_combined(&text));
                let n = chunk_used.entry(file.to_string()).or_default();
                let (caption, body) = parts
                    .get(*n)
                    .unwrap_or_else(|| panic!("{name}: no part for {}", g.name))
                    .clone();
                *n += 1;
                // The caption line is one CSV field.
                assert_eq!(
                    parse_csv(&caption),
                    [[neutralize(&g.caption)]],
                    "{name}: part {n} caption"
                );
                as_grid(g, Src::Csv, format!("{name} ({})", g.id), parse_csv(&body))
            } else {
                as_grid(g, Src::Csv, name, parse_csv(&text))
            };
            same_rows(g, &csv_grid, same_cell);
            if WORKBOOK_PAGES.contains(&rel.as_str()) {
                per_page
                    .entry(rel.clone())
                    .or_default()
                    .push(csv_grid.clone());
            }
            out.push(csv_grid);
            out.push(t.grid);
        }
        for (file, parts) in &combined {
            assert_eq!(
                parts.len(),
                chunk_used[file],
                "{snap}/csv/{file}: parts without a table"
            );
        }
    }
    let on_disk: BTreeSet<String> = std::fs::read_dir(dir.join("csv"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_str().unwrap().to_string())
        .collect();
    let unlinked: Vec<&String> = on_disk.difference(&csv_used).collect();
    assert!(
        unlinked.is_empty(),
        "{snap}: CSV files no table links: {unlinked:?}"
    );

    // The workbook: the tables of its pages, in page order, one sheet each.
    let expected: Vec<&Grid> = WORKBOOK_PAGES
        .iter()
        .flat_map(|p| per_page.get(*p).into_iter().flatten())
        .collect();
    let book = sheets(&dir.join(format!("{snap}.xlsx")));
    assert_eq!(
        book.iter().map(|s| s.0.clone()).collect::<Vec<_>>().len(),
        expected.len(),
        "{snap}.xlsx: one sheet per table of {WORKBOOK_PAGES:?}"
    );
    for ((sheet, cells), csv) in book.into_iter().zip(expected) {
        let name = format!("{snap}.xlsx[{sheet}]");
        assert!(
            sheet.starts_with(&csv.id.chars().take(28).collect::<String>()),
            "{name}: the sheet of table {}",
            csv.id
        );
        assert_eq!(
            cells.first().and_then(|r| r.first()),
            Some(&csv.caption),
            "{name}: caption"
        );
        let mut body: Vec<Vec<String>> = cells.into_iter().skip(2).collect();
        for r in &mut body {
            r.resize(csv.headers.len(), String::new());
        }
        let x = as_grid(csv, Src::Xlsx, name, body);
        same_rows(&x, csv, |x, c| {
            // A number must be the CSV's decimal as a double; text the
            // CSV's text (without its formula guard).
            x == unneutralize(c)
                || (!c.is_empty()
                    && plain_decimal(c).is_some()
                    && x.parse::<f64>().ok() == c.parse::<f64>().ok())
        });
        out.push(x);
    }
    out
}

/// The tiles of a page: (label, value, change line or "").
pub fn tiles(page: &Path) -> Vec<(String, String, String)> {
    let doc = Html::parse_document(&std::fs::read_to_string(page).unwrap());
    doc.select(&sel("dl.tiles div.tile"))
        .map(|t| {
            let label = t.select(&sel("dt")).next().map(text_of).unwrap_or_default();
            let value = t.select(&sel("dd")).next().map(text_of).unwrap_or_default();
            let change = t
                .select(&sel("dd.change"))
                .next()
                .map(text_of)
                .unwrap_or_default();
            (label, value, change)
        })
        .collect()
}

/// "1,234.56 EUR".
pub fn money_text(s: &str, cents: i128, suffix: &str, name: &str) {
    let v = s.strip_suffix(suffix).and_then(grouped_money);
    assert_eq!(v, Some(cents), "{name}: shows {s:?}");
}

/// "12.34 %", "— days"; none: "—" (with or without the unit).
pub fn ratio_text(s: &str, want: Option<Decimal>, suffix: &str, name: &str) {
    let ok = match want {
        Some(d) => s.strip_suffix(suffix).and_then(two_decimals) == Some(d),
        None => s == "—" || s == format!("—{suffix}"),
    };
    assert!(ok, "{name}: shows {s:?}, the reader expects {want:?}");
}

/// "+1,234.56 since the previous snapshot", "-0.29 days since …": a plus
/// sign exactly on increases; none: no change line.
pub fn change_text(s: &str, want: Option<Decimal>, money: bool, unit: &str, name: &str) {
    let Some(d) = want else {
        assert_eq!(s, "", "{name}: a change without both figures");
        return;
    };
    let body = s
        .strip_suffix(" since the previous snapshot")
        .and_then(|b| b.strip_suffix(unit));
    let value = body.and_then(|b| {
        let (plus, b) = match b.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, b),
        };
        let v = if money {
            grouped_money(b).map(|c| Decimal::from_i128_with_scale(c, 2))
        } else {
            two_decimals(b)
        }?;
        (plus == (v > Decimal::ZERO)).then_some(v)
    });
    assert_eq!(value, Some(d), "{name}: shows {s:?}");
}

/// Customer pages by customer id (the id in the page's heading "Name (ID)").
pub fn customer_pages(dir: &Path) -> BTreeMap<String, PathBuf> {
    let mut m = BTreeMap::new();
    for e in std::fs::read_dir(dir.join("customers")).unwrap() {
        let p = e.unwrap().path();
        if p.file_name().unwrap() == "index.html" {
            continue;
        }
        let doc = Html::parse_document(&std::fs::read_to_string(&p).unwrap());
        let h1 = doc.select(&sel("h1")).next().map(text_of).unwrap();
        let id = h1
            .rsplit_once(" (")
            .and_then(|(_, id)| id.strip_suffix(')'))
            .unwrap_or_else(|| panic!("{}: heading {h1:?}", p.display()))
            .to_string();
        assert!(m.insert(id, p).is_none(), "two pages for one customer");
    }
    m
}

/// The text of a page's lede paragraph.
pub fn lede(page: &Path) -> String {
    let doc = Html::parse_document(&std::fs::read_to_string(page).unwrap());
    doc.select(&sel("p.lede"))
        .next()
        .map(text_of)
        .unwrap_or_default()
}

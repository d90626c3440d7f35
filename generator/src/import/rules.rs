//! Row rules of an `[import.<input>]` mapping that real exports need
//! beyond a header per column (issue 14):
//!
//! * `invoice_key = ["Document Number", "Item"]`: the document id is the
//!   values of several columns joined with `/` (SAP repeats a document
//!   number once per instalment, each with its own item number).
//! * generated ids for rows without any document id (QuickBooks
//!   unapplied payments, Xero credit notes): see [`IdGenerator`].
//! * `[import.<input>.values.<column>]`: a value map per canonical column
//!   (`Yes` → `disputed`, `Promise to pay` → `promised`).
//! * `[[import.<input>.keep]]`: row filters (see [`Filter`]); a row a
//!   filter leaves out is counted per filter on the quality page.
//! * `file_date_format`, `as_of_from = "title"` and `as_of_from = { sheet,
//!   key }`: where a snapshot's date is written (see [`dates_in_name`],
//!   [`title_date`] and [`peek_cell_date`]).

use super::date::DateFormat;
use super::problem::{Kind, Problem};
use super::source::{with_records, Cell, Input, Record};
use super::spec::{Headers, InputSpec};
use arsite_core::Day;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;

/// The prefix of every generated document id: ids of this form were made
/// by arsite, not written in the export (see [`is_generated_id`]).
pub const GENERATED_PREFIX: &str = "~";

/// Whether `id` was generated for a row without a document id.
pub fn is_generated_id(id: &str) -> bool {
    id.starts_with(GENERATED_PREFIX)
}

/// `[[import.<input>.keep]]` as written: one column and one test.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFilter {
    pub column: Headers,
    pub equals: Option<String>,
    #[serde(rename = "in")]
    pub any_of: Option<Vec<String>>,
    pub empty: Option<bool>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub on_or_before: Option<String>,
    pub on_or_after: Option<String>,
    /// With a date comparison: an empty cell passes too (an unsettled
    /// document in an export of all documents).
    #[serde(default)]
    pub or_empty: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    Before,
    After,
    OnOrBefore,
    OnOrAfter,
}

/// The date a comparison is made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateRef {
    /// The snapshot's date.
    AsOf,
    Day(Day),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Test {
    /// Case-insensitive, trimmed.
    Equals(String),
    In(Vec<String>),
    Empty,
    NotEmpty,
    Date(Compare, DateRef, bool),
}

/// A row filter: rows whose `column` passes `test` are kept, the others
/// left out (counted, never dropped silently). Several filters must all
/// pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub column: Vec<String>,
    pub test: Test,
    /// How the quality page names the filter: `"Settled Date" after as_of`.
    pub text: String,
}

impl Filter {
    pub fn from_raw(raw: &RawFilter, key: &str) -> Result<Filter, String> {
        let column = raw.column.list();
        if column.is_empty() || column.iter().any(|h| h.trim().is_empty()) {
            return Err(format!("{key}.column: expected a header name"));
        }
        let mut tests = Vec::new();
        if let Some(v) = &raw.equals {
            tests.push((
                Test::Equals(v.trim().to_lowercase()),
                format!("equals {v:?}"),
            ));
        }
        if let Some(v) = &raw.any_of {
            if v.is_empty() {
                return Err(format!("{key}.in: expected at least one value"));
            }
            tests.push((
                Test::In(v.iter().map(|s| s.trim().to_lowercase()).collect()),
                format!("in {v:?}"),
            ));
        }
        if let Some(e) = raw.empty {
            tests.push(if e {
                (Test::Empty, "is empty".to_string())
            } else {
                (Test::NotEmpty, "is not empty".to_string())
            });
        }
        for (value, compare, word) in [
            (&raw.before, Compare::Before, "before"),
            (&raw.after, Compare::After, "after"),
            (&raw.on_or_before, Compare::OnOrBefore, "on_or_before"),
            (&raw.on_or_after, Compare::OnOrAfter, "on_or_after"),
        ] {
            let Some(v) = value else { continue };
            let date = match v.trim() {
                "as_of" => DateRef::AsOf,
                t => DateRef::Day(Day::parse_iso(t).ok_or_else(|| {
                    format!("{key}.{word}: expected \"as_of\" or a date YYYY-MM-DD, found {v:?}")
                })?),
            };
            let empty = if raw.or_empty { " or empty" } else { "" };
            tests.push((
                Test::Date(compare, date, raw.or_empty),
                format!("{word} {}{empty}", v.trim()),
            ));
        }
        if raw.or_empty && !matches!(tests.first(), Some((Test::Date(..), _))) {
            return Err(format!(
                "{key}.or_empty: only goes with before, after, on_or_before or on_or_after"
            ));
        }
        match tests.len() {
            1 => {}
            0 => {
                return Err(format!(
                    "{key}: expected one test: equals, in, empty, before, after, on_or_before or on_or_after"
                ))
            }
            _ => {
                return Err(format!(
                    "{key}: expected one test per filter (write another [[keep]] for the next)"
                ))
            }
        }
        let (test, word) = tests.remove(0);
        Ok(Filter {
            text: format!("{:?} {word}", column[0]),
            column,
            test,
        })
    }

    /// Whether a row passes. `date` reads the cell as a date (`None` for
    /// text that is not one); `Err` names what the cell should have held.
    pub fn passes(
        &self,
        text: &str,
        date: impl FnOnce(&str) -> Option<Day>,
        as_of: Option<Day>,
    ) -> Result<bool, String> {
        let t = text.trim();
        Ok(match &self.test {
            Test::Equals(v) => t.to_lowercase() == *v,
            Test::In(vs) => vs.contains(&t.to_lowercase()),
            Test::Empty => t.is_empty(),
            Test::NotEmpty => !t.is_empty(),
            Test::Date(_, _, or_empty) if t.is_empty() => *or_empty,
            Test::Date(compare, with, _) => {
                let Some(d) = date(t) else {
                    return Err(format!(
                        "filter {}: expected a date, found {t:?}",
                        self.text
                    ));
                };
                let with = match with {
                    DateRef::Day(d) => *d,
                    DateRef::AsOf => as_of.ok_or_else(|| {
                        format!(
                            "filter {}: as_of is a snapshot's date; ledgers have none",
                            self.text
                        )
                    })?,
                };
                match compare {
                    Compare::Before => d < with,
                    Compare::After => d > with,
                    Compare::OnOrBefore => d <= with,
                    Compare::OnOrAfter => d >= with,
                }
            }
        })
    }
}

/// The row rules of one input, resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rules {
    /// Headers of the key's columns after the first (which is the
    /// `invoice_id` mapping).
    pub key: Vec<String>,
    /// Canonical column → (value as exported, lower-cased; replacement).
    pub values: BTreeMap<String, Vec<(String, String)>>,
    pub keep: Vec<Filter>,
    /// `file_date_format`: the date in snapshot file names.
    pub file_date: Option<DateFormat>,
}

impl Rules {
    /// Resolves the rules of a section; `prefix` is `import.<input>`.
    pub fn from_raw(
        prefix: &str,
        invoice_key: Option<&[String]>,
        values: &BTreeMap<String, BTreeMap<String, String>>,
        keep: &[RawFilter],
        file_date_format: Option<&str>,
    ) -> Result<Rules, String> {
        let mut rules = Rules::default();
        if let Some(key) = invoice_key {
            if key.len() < 2 || key.iter().any(|h| h.trim().is_empty()) {
                return Err(format!(
                    "{prefix}.invoice_key: expected two or more header names, such as [\"Document Number\", \"Item\"]"
                ));
            }
            rules.key = key[1..].to_vec();
        }
        for (column, map) in values {
            if map.is_empty() {
                return Err(format!(
                    "{prefix}.values.{column}: expected at least one \"value\" = \"replacement\""
                ));
            }
            rules.values.insert(
                column.clone(),
                map.iter()
                    .map(|(from, to)| (from.trim().to_lowercase(), to.trim().to_string()))
                    .collect(),
            );
        }
        for (i, f) in keep.iter().enumerate() {
            rules
                .keep
                .push(Filter::from_raw(f, &format!("{prefix}.keep[{}]", i + 1))?);
        }
        if let Some(f) = file_date_format {
            rules.file_date =
                Some(DateFormat::new(f).map_err(|e| format!("{prefix}.file_date_format: {e}"))?);
        }
        Ok(rules)
    }

    /// The value `text` is translated to in `column`, if it has a map.
    pub fn translate<'a>(map: &'a [(String, String)], text: &str) -> Option<&'a str> {
        let t = text.trim().to_lowercase();
        map.iter()
            .find(|(from, _)| *from == t)
            .map(|(_, to)| to.as_str())
    }
}

/// Ids for rows without a document id, stable across rebuilds and unique
/// within a file:
///
/// ```text
/// ~<file stem>:<16 hex digits of the row's content hash>:<occurrence>
/// ```
///
/// The hash is [`super::snapshot_csv`]'s FxHash with a splitmix64 finish
/// over the row's fields as exported (each field's bytes followed by a
/// 0x1F separator); the occurrence counts rows with the same hash in the
/// file from 1, so two identical rows (two unapplied payments of the same
/// amount on the same day) get `…:1` and `…:2`. The id depends only on the
/// file's name and the rows' contents and order, so a rebuild gives the
/// same ids; the same row in next month's file (another name) gets another
/// id, so arsite cannot follow such a row from one snapshot to the next.
#[derive(Default)]
pub struct IdGenerator {
    stem: String,
    seen: HashMap<u64, u32>,
    buf: Vec<u8>,
}

impl IdGenerator {
    pub fn new(stem: &str) -> IdGenerator {
        IdGenerator {
            stem: stem.to_string(),
            ..IdGenerator::default()
        }
    }

    /// Writes the next id for a row with `fields` into `out`.
    pub fn id<'f>(&mut self, fields: impl Iterator<Item = &'f [u8]>, out: &mut String) {
        self.buf.clear();
        for f in fields {
            self.buf.extend_from_slice(f);
            self.buf.push(0x1f);
        }
        let hash = super::snapshot_csv::content_hash(&self.buf);
        let n = self.seen.entry(hash).or_insert(0);
        *n += 1;
        out.clear();
        use std::fmt::Write;
        let _ = write!(out, "{GENERATED_PREFIX}{}:{hash:016x}:{n}", self.stem);
    }
}

/// Every date in a file name written in `format` (`DD_MM_YYYY` for
/// `CISP_ABERTO_31_03_2026_.txt`), in order. A date must not continue a
/// run of digits on either side.
pub fn dates_in_name(stem: &str, format: &DateFormat) -> Vec<Day> {
    date_spans_in_name(stem, format)
        .into_iter()
        .map(|(_, d)| d)
        .collect()
}

/// [`dates_in_name`] with where each date is written in `stem` (byte
/// range), for `arsite init`, which rewrites it.
pub fn date_spans_in_name(stem: &str, format: &DateFormat) -> Vec<(Range<usize>, Day)> {
    let b = stem.as_bytes();
    let mut found = Vec::new();
    for start in 0..stem.len() {
        if !stem.is_char_boundary(start) || (start > 0 && b[start - 1].is_ascii_digit()) {
            continue;
        }
        if let Some((day, rest)) = format.parse_prefix(&stem[start..]) {
            if !rest.starts_with(|c: char| c.is_ascii_digit()) {
                found.push((start..stem.len() - rest.len(), day));
            }
        }
    }
    found
}

/// Words that introduce a report's date in its title rows.
const TITLE_WORDS: [&str; 5] = ["as of", "as at", "per", "stichtag", "date"];

/// The snapshot date in a title cell such as `As of Mar 31, 2026`,
/// `Per 31.03.2026` or `Aged as of 31/03/2026`: the text after one of
/// [`TITLE_WORDS`] (a whole word, any case), read as the input's
/// `date_format` when set, else as ISO, a month-name form (`Mar 31, 2026`,
/// `March 31, 2026`, `31 Mar 2026`) or day-first dotted `DD.MM.YYYY`. A
/// slashed date without `date_format` is read only when one reading is
/// possible (`31/03/2026`); `03/04/2026` is ambiguous and an error.
pub fn title_date(cell: &str, configured: Option<&DateFormat>) -> Option<Result<Day, String>> {
    let lower = cell.to_lowercase();
    for word in TITLE_WORDS {
        let mut from = 0;
        while let Some(at) = lower[from..].find(word).map(|i| i + from) {
            from = at + word.len();
            let before_ok = lower[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let after = &cell[at + word.len()..];
            if !before_ok || after.starts_with(|c: char| c.is_alphanumeric()) {
                continue;
            }
            let rest = after.trim_start_matches([' ', ':', '\t']).trim_end();
            if let Some(r) = date_at_start(rest, configured) {
                return Some(r);
            }
        }
    }
    None
}

fn date_at_start(rest: &str, configured: Option<&DateFormat>) -> Option<Result<Day, String>> {
    let fmt = |f: &str| DateFormat::new(f).expect("built-in format");
    let whole = |d: &DateFormat| {
        d.parse_prefix(rest)
            .filter(|(_, r)| !r.starts_with(|c: char| c.is_ascii_digit()))
            .map(|(d, _)| d)
    };
    if let Some(c) = configured {
        if let Some(d) = whole(c) {
            return Some(Ok(d));
        }
    }
    for f in [
        "YYYY-MM-DD",
        "MMM D, YYYY",
        "MMM D YYYY",
        "D MMM YYYY",
        "D. MMM YYYY",
        "D.M.YYYY",
    ] {
        if let Some(d) = whole(&fmt(f)) {
            return Some(Ok(d));
        }
    }
    let day_first = whole(&fmt("D/M/YYYY"));
    let month_first = whole(&fmt("M/D/YYYY"));
    match (day_first, month_first) {
        (Some(a), Some(b)) if a != b => Some(Err(format!(
            "the title's date {:?} reads as {a} or {b}: set date_format in [import.snapshots] to say which",
            rest.split_whitespace().next().unwrap_or_default()
        ))),
        (Some(a), _) | (_, Some(a)) => Some(Ok(a)),
        (None, None) => None,
    }
}

/// Title rows are looked for this far down.
const TITLE_SEARCH: usize = 30;

/// The snapshot date of a file read with `as_of_from = "title"`: the first
/// cell of its first rows holding a title date (see [`title_date`]).
pub fn peek_title_date(path: &Path, spec: &InputSpec) -> Result<Day, Problem> {
    let configured = spec.date_format_set.then_some(&spec.dates);
    with_records(path, Input::Path(path), &spec.source, |records, info| {
        let mut record = Record::default();
        for _ in 0..TITLE_SEARCH {
            match records.read(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(p) if p.kind == Kind::Row => continue,
                Err(p) => return Err(p),
            }
            // An unquoted title holding the delimiter ("As of Mar 31, 2026"
            // in a comma file) is split over cells: the joined row is read
            // too, after the cells.
            let cells: Vec<String> = record
                .fields
                .iter()
                .map(|f| String::from_utf8_lossy(f).trim().to_string())
                .collect();
            let delimiter = info.delimiter.map_or(',', char::from);
            let joined = cells
                .iter()
                .filter(|c| !c.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(&format!("{delimiter} "));
            let first = cells.iter().position(|c| !c.is_empty()).unwrap_or(0);
            let candidates = cells
                .iter()
                .enumerate()
                .map(|(i, c)| (i, c.as_str()))
                .chain(std::iter::once((first, joined.as_str())));
            for (i, text) in candidates {
                match title_date(text, configured) {
                    Some(Ok(day)) => return Ok(day),
                    Some(Err(message)) => {
                        let mut p = Problem::file(path, Kind::SnapshotDate, message);
                        p.line = record.line;
                        p.column = Some(i + 1);
                        return Err(p);
                    }
                    None => {}
                }
            }
        }
        Err(Problem::file(
            path,
            Kind::SnapshotDate,
            format!(
                "no title row in the first {TITLE_SEARCH} rows holds the snapshot date: expected a cell such as \"As of Mar 31, 2026\" or \"Per 31.03.2026\" (as_of_from = \"title\")"
            ),
        ))
    })?
}

/// Rows of the named sheet searched for the key: metadata sheets are short.
const CELL_SEARCH: usize = 1_000;

/// Whether a cell's text is `key`: trimmed, ignoring case and a trailing
/// colon ("Aged as of:" is key "Aged as of").
fn is_key(text: &str, key: &str) -> bool {
    let bare = |t: &str| t.trim().trim_end_matches(':').trim_end().to_lowercase();
    !text.trim().is_empty() && bare(text) == bare(key)
}

/// The snapshot date of a workbook read with `as_of_from = { sheet, key }`:
/// in `sheet`, the first cell (row by row, left to right) whose text is
/// `key` (see [`is_key`]); the date is the next non-empty cell to its right
/// in that row or, when the row holds nothing right of it, the cell just
/// below it. A date cell, or text in `date_format` (or ISO).
pub fn peek_cell_date(
    path: &Path,
    spec: &InputSpec,
    sheet: &str,
    key: &str,
) -> Result<Day, Problem> {
    let what = format!("as_of_from = {{ sheet = {sheet:?}, key = {key:?} }}");
    let mut source = spec.source.clone();
    source.sheet = Some(sheet.to_string());
    let located = |mut p: Problem, line: u64, column: Option<usize>| {
        p.sheet = Some(std::sync::Arc::from(sheet));
        p.line = line;
        p.column = column;
        p
    };
    let read = |record: &Record, i: usize| -> Result<Day, Problem> {
        let text = String::from_utf8_lossy(&record.fields[i])
            .trim()
            .to_string();
        let day = match record.cell(i) {
            Cell::Date(d) => Some(d),
            Cell::Text if spec.date_format_set => spec.dates.parse(&text),
            Cell::Text => Day::parse_iso(&text),
            Cell::Number | Cell::Error => None,
        };
        day.ok_or_else(|| {
            located(
                Problem::file(
                    path,
                    Kind::SnapshotDate,
                    format!(
                        "the cell beside {key:?} in sheet {sheet:?} holds {text:?}, not a date: expected the snapshot date there ({what})"
                    ),
                ),
                record.line,
                Some(i + 1),
            )
        })
    };
    let opened = with_records(path, Input::Path(path), &source, |records, _| {
        let mut record = Record::default();
        // The key's column when the date is to be below it.
        let mut below: Option<usize> = None;
        for _ in 0..CELL_SEARCH {
            match records.read(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(p) if p.kind == Kind::Row => continue,
                Err(p) => return Err(p),
            }
            if let Some(col) = below {
                return match record.fields.get(col) {
                    Some(f) if !f.iter().all(u8::is_ascii_whitespace) => read(&record, col),
                    _ => Err(located(
                        Problem::file(
                            path,
                            Kind::SnapshotDate,
                            format!(
                                "no date right of or below {key:?} in sheet {sheet:?}: expected the snapshot date in the next cell ({what})"
                            ),
                        ),
                        record.line,
                        Some(col + 1),
                    )),
                };
            }
            let n = record.fields.len();
            let Some(at) =
                (0..n).find(|&i| is_key(&String::from_utf8_lossy(&record.fields[i]), key))
            else {
                continue;
            };
            let right =
                (at + 1..n).find(|&i| !record.fields[i].iter().all(u8::is_ascii_whitespace));
            match right {
                Some(i) => return read(&record, i),
                None => below = Some(at),
            }
        }
        Err(Problem::file(
            path,
            Kind::SnapshotDate,
            match below {
                Some(_) => format!(
                    "no date right of or below {key:?} in sheet {sheet:?}: expected the snapshot date in the next cell ({what})"
                ),
                None => format!(
                    "sheet {sheet:?} has no cell reading {key:?}: expected the snapshot date beside it ({what}; or set as_of, or file_date_format for a date in the file name)"
                ),
            },
        ))
    });
    match opened {
        Ok(Ok(day)) => Ok(day),
        Ok(Err(p)) if p.sheet.is_some() || p.kind != Kind::SnapshotDate => Err(p),
        Ok(Err(p)) => Err(located(p, 0, None)),
        Err(p) if p.kind == Kind::Sheet => {
            let mut p = p;
            p.kind = Kind::SnapshotDate;
            p.message = format!("{} (the snapshot date: {what})", p.message);
            Err(p)
        }
        Err(p) => Err(p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        Day::parse_iso(s).unwrap()
    }

    #[test]
    fn file_name_dates_in_other_orders() {
        let dmy = DateFormat::new("DD_MM_YYYY").unwrap();
        assert_eq!(
            dates_in_name("CISP_ABERTO_31_03_2026_", &dmy),
            [day("2026-03-31")]
        );
        let mdy = DateFormat::new("MM-DD-YYYY").unwrap();
        assert_eq!(
            dates_in_name("Open Invoices 03-31-2026", &mdy),
            [day("2026-03-31")]
        );
        // 31-03-2026 is no MM-DD-YYYY date; digits continuing a run do not
        // start one.
        assert_eq!(dates_in_name("Open Invoices 31-03-2026", &mdy), []);
        assert_eq!(dates_in_name("x103-31-2026", &mdy), []);
        assert_eq!(dates_in_name("03-31-20261", &mdy), []);
    }

    #[test]
    fn title_rows_with_a_date() {
        let t = |s: &str| title_date(s, None).map(|r| r.map(|d| d.to_string()));
        assert_eq!(t("As of Mar 31, 2026"), Some(Ok("2026-03-31".into())));
        assert_eq!(t("Per 31.03.2026"), Some(Ok("2026-03-31".into())));
        assert_eq!(t("Aged as of 31/03/2026"), Some(Ok("2026-03-31".into())));
        assert_eq!(
            t("A/R Aging Detail as of March 31, 2026"),
            Some(Ok("2026-03-31".into()))
        );
        assert!(
            matches!(t("As of 03/04/2026"), Some(Err(m)) if m.contains("2026-04-03 or 2026-03-04"))
        );
        let mdy = DateFormat::new("MM/DD/YYYY").unwrap();
        assert_eq!(
            title_date("As of 03/04/2026", Some(&mdy)).unwrap().unwrap(),
            day("2026-03-04")
        );
        // "per" inside a word, and titles without a date.
        assert_eq!(t("Supper 31.03.2026"), None);
        assert_eq!(t("Customer aging"), None);
    }

    /// A workbook with a data sheet and an "Info" sheet of `info` rows.
    fn workbook_with_info(
        dir: &Path,
        info: &[&[crate::sample::exports::XCell<'_>]],
    ) -> std::path::PathBuf {
        use crate::sample::exports::{XCell, XlsxWriter};
        let path = dir.join("aging.xlsx");
        let mut x = XlsxWriter::create_sheets(&path, &[("Data", false), ("Info", true)]).unwrap();
        x.row(&[XCell::Text("No"), XCell::Text("Open")]).unwrap();
        x.next_sheet().unwrap();
        for row in info {
            x.row(row).unwrap();
        }
        x.finish().unwrap();
        path
    }

    fn cell_spec() -> InputSpec {
        let raw: super::super::spec::RawInput = toml::from_str(
            "format = \"xlsx\"\nsheet = \"Data\"\nas_of_from = { sheet = \"Info\", key = \"Aged As Of\" }\n[columns]\ninvoice_id = \"No\"\nopen_amount = \"Open\"\n",
        )
        .unwrap();
        InputSpec::from_raw(&raw, &crate::import::snapshot_csv::SCHEMA).unwrap()
    }

    #[test]
    fn the_date_beside_or_below_a_key_cell() {
        use crate::sample::exports::XCell;
        let tmp = tempfile::tempdir().unwrap();
        let spec = cell_spec();
        assert_eq!(
            spec.as_of,
            super::super::spec::AsOf::Cell {
                sheet: "Info".into(),
                key: "Aged As Of".into()
            }
        );
        let d = chrono::NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
        let other = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        // Right of the key (a blank cell between), past an earlier date.
        let right = workbook_with_info(
            tmp.path(),
            &[
                &[XCell::Text("Run on"), XCell::Date(other)],
                &[
                    XCell::Empty,
                    XCell::Text("aged as of:"),
                    XCell::Empty,
                    XCell::Date(d),
                ],
            ],
        );
        assert_eq!(
            peek_cell_date(&right, &spec, "Info", "Aged As Of"),
            Ok(day("2026-10-31"))
        );
        // Below it, when nothing is right of it; text in ISO reads too.
        let below = workbook_with_info(
            tmp.path(),
            &[&[XCell::Text("Aged As Of")], &[XCell::Text("2026-10-31")]],
        );
        assert_eq!(
            peek_cell_date(&below, &spec, "Info", "Aged As Of"),
            Ok(day("2026-10-31"))
        );
    }

    #[test]
    fn a_missing_key_sheet_or_date_is_an_error_naming_them() {
        use crate::sample::exports::XCell;
        let tmp = tempfile::tempdir().unwrap();
        let spec = cell_spec();
        let err = |path: &Path, sheet: &str| {
            peek_cell_date(path, &spec, sheet, "Aged As Of").unwrap_err()
        };
        // No cell reads the key (another key's date does not count).
        let path = workbook_with_info(
            tmp.path(),
            &[&[
                XCell::Text("Run on"),
                XCell::Date(chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap()),
            ]],
        );
        let p = err(&path, "Info");
        assert_eq!(p.kind, Kind::SnapshotDate);
        assert_eq!(&*p.path, path.as_path());
        assert_eq!(p.sheet.as_deref(), Some("Info"));
        assert!(
            p.message
                .contains("sheet \"Info\" has no cell reading \"Aged As Of\""),
            "{}",
            p.message
        );
        // No such sheet.
        let p = err(&path, "Metadata");
        assert_eq!(p.kind, Kind::SnapshotDate);
        assert!(p.message.contains("no sheet \"Metadata\""), "{}", p.message);
        assert!(p.message.contains("key = \"Aged As Of\""), "{}", p.message);
        // The key with no date beside or below it.
        let path = workbook_with_info(tmp.path(), &[&[XCell::Text("Aged As Of")]]);
        let p = err(&path, "Info");
        assert!(
            p.message
                .contains("no date right of or below \"Aged As Of\" in sheet \"Info\""),
            "{}",
            p.message
        );
        // Not a date: text, and a plain number.
        for cell in [XCell::Text("end of October"), XCell::Number("46326")] {
            let path = workbook_with_info(tmp.path(), &[&[XCell::Text("Aged As Of"), cell]]);
            let p = err(&path, "Info");
            assert_eq!(p.kind, Kind::SnapshotDate);
            assert_eq!((p.line, p.column), (1, Some(2)));
            assert!(p.message.contains("not a date"), "{}", p.message);
            assert!(p.message.contains("in sheet \"Info\""), "{}", p.message);
        }
    }

    #[test]
    fn identical_rows_get_distinct_stable_ids() {
        let rows: [&[&[u8]]; 3] = [
            &[b"", b"Payment", b"-50.00"],
            &[b"", b"Payment", b"-50.00"],
            &[b"", b"Payment", b"-60.00"],
        ];
        let ids = |rows: &[&[&[u8]]]| {
            let mut g = IdGenerator::new("aging");
            rows.iter()
                .map(|r| {
                    let mut s = String::new();
                    g.id(r.iter().copied(), &mut s);
                    s
                })
                .collect::<Vec<_>>()
        };
        let a = ids(&rows);
        assert_eq!(a, ids(&rows), "stable across runs");
        assert!(a[0].ends_with(":1") && a[1].ends_with(":2"), "{a:?}");
        assert_eq!(a[0][..a[0].len() - 2], a[1][..a[1].len() - 2]);
        assert_ne!(a[0], a[2]);
        assert!(a
            .iter()
            .all(|i| is_generated_id(i) && i.starts_with("~aging:")));
        // Fields are separated: "ab","c" is not "a","bc".
        let b = ids(&[&[b"ab", b"c"], &[b"a", b"bc"]]);
        assert!(b[0].ends_with(":1") && b[1].ends_with(":1") && b[0] != b[1]);
    }

    #[test]
    fn filters_pass_and_fail() {
        let f = |toml_text: &str| {
            let raw: RawFilter = toml::from_str(toml_text).unwrap();
            Filter::from_raw(&raw, "import.snapshots.keep[1]")
        };
        let as_of = Some(day("2026-03-31"));
        let settled = f("column = \"Settled\"\nafter = \"as_of\"\nor_empty = true").unwrap();
        let date = |t: &str| Day::parse_iso(t);
        assert_eq!(settled.passes("2026-04-02", date, as_of), Ok(true));
        assert_eq!(settled.passes("2026-03-31", date, as_of), Ok(false));
        assert_eq!(settled.passes("", date, as_of), Ok(true));
        assert!(settled
            .passes("soon", date, as_of)
            .unwrap_err()
            .contains("expected a date"));
        let kinds = f("column = \"Type\"\nin = [\"Invoice\", \"Credit Memo\"]").unwrap();
        assert_eq!(kinds.passes(" credit memo ", date, as_of), Ok(true));
        assert_eq!(kinds.passes("Journal", date, as_of), Ok(false));
        assert!(f("column = \"T\"")
            .unwrap_err()
            .contains("expected one test"));
        assert!(f("column = \"T\"\nequals = \"a\"\nempty = true")
            .unwrap_err()
            .contains("one test per filter"));
        assert!(f("column = \"T\"\nafter = \"tomorrow\"")
            .unwrap_err()
            .contains("keep[1].after"));
        assert!(f("column = \"T\"\nequals = \"a\"\nor_empty = true")
            .unwrap_err()
            .contains("or_empty"));
    }
}

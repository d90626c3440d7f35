//! The layout of a report, recognised row by row between reading a record
//! and mapping its columns: customer group headings (whose customer is
//! filled down into the rows below), `Total <customer>` subtotals, the
//! report's grand total (labelled or not) and header rows repeated inside
//! the data. ERPs print their open-item reports so (NetSuite A/R Aging
//! Detail, QuickBooks Desktop Open Invoices, Odoo Aged Partner Balance,
//! ERPNext Accounts Receivable).
//!
//! Nothing is dropped silently: every row recognised is counted in the
//! file's [`LayoutReport`], every printed total is checked against the
//! rows above it (a difference is a data-quality finding, with its line),
//! and a row that fits no shape goes on to be read as data, rejected with
//! its problems as before when it is not a valid invoice.

use super::number::{parse_amount, NumberFormat};
use super::source::{Cell, Record};
use super::spec::InputSpec;
use arsite_core::{Currency, Money};
use serde::Deserialize;

/// `[import.<input>.layout]` as written.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLayout {
    pub group_heading: Option<RawGroupHeading>,
    /// One pattern, or several tried in order (the first that fits wins).
    pub heading_pattern: Option<super::spec::Headers>,
    /// Labels (prefixes, any case) of a group's total besides "Total":
    /// Odoo's "Partner cumul aged balance".
    pub subtotal_labels: Option<Vec<String>>,
}

/// `group_heading = "single_cell"` or `group_heading = { column = "…" }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawGroupHeading {
    Shape(String),
    Column { column: String },
}

/// How a group-heading row is recognised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupHeading {
    /// A row with exactly one non-empty cell (that is no total label).
    SingleCell,
    /// A row with this column filled, no document id and every amount
    /// column empty.
    Column(String),
}

/// The resolved layout settings of one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutSpec {
    pub group_heading: Option<GroupHeading>,
    /// Tried in order on each heading; never empty.
    pub patterns: Vec<HeadingPattern>,
    /// Lower-cased, whitespace-collapsed label prefixes of subtotals.
    pub subtotal_labels: Vec<String>,
}

impl Default for LayoutSpec {
    fn default() -> Self {
        LayoutSpec {
            group_heading: None,
            patterns: vec![HeadingPattern::default()],
            subtotal_labels: Vec::new(),
        }
    }
}

impl LayoutSpec {
    pub fn from_raw(raw: &RawLayout, key: &str) -> Result<LayoutSpec, String> {
        let group_heading = match &raw.group_heading {
            None => None,
            Some(RawGroupHeading::Shape(s)) if s.trim() == "single_cell" => {
                Some(GroupHeading::SingleCell)
            }
            Some(RawGroupHeading::Shape(s)) => {
                return Err(format!(
                    "{key}.group_heading: expected \"single_cell\" or {{ column = \"<header>\" }}, found {s:?}"
                ))
            }
            Some(RawGroupHeading::Column { column }) if column.trim().is_empty() => {
                return Err(format!("{key}.group_heading.column: expected a header name"))
            }
            Some(RawGroupHeading::Column { column }) => {
                Some(GroupHeading::Column(column.trim().to_string()))
            }
        };
        let patterns = match &raw.heading_pattern {
            None => vec![HeadingPattern::default()],
            Some(p) => {
                let list = p.list();
                if list.is_empty() {
                    return Err(format!(
                        "{key}.heading_pattern: expected a pattern such as \"{{id}} {{name}}\", found an empty list"
                    ));
                }
                list.iter()
                    .map(|p| HeadingPattern::parse(p))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| format!("{key}.heading_pattern: {e}"))?
            }
        };
        if raw.heading_pattern.is_some() && group_heading.is_none() {
            return Err(format!(
                "{key}.heading_pattern: set group_heading too (which rows are headings?)"
            ));
        }
        let subtotal_labels: Vec<String> = raw
            .subtotal_labels
            .iter()
            .flatten()
            .map(|l| norm(l))
            .collect();
        if subtotal_labels.iter().any(String::is_empty) {
            return Err(format!(
                "{key}.subtotal_labels: an empty label would make every row a subtotal"
            ));
        }
        if !subtotal_labels.is_empty() && group_heading.is_none() {
            return Err(format!(
                "{key}.subtotal_labels: set group_heading too (subtotals close a group)"
            ));
        }
        Ok(LayoutSpec {
            group_heading,
            patterns,
            subtotal_labels,
        })
    }

    /// The canonical columns a group heading fills down.
    pub fn fills(&self, column: &str) -> bool {
        self.group_heading.is_some() && matches!(column, "customer_id" | "customer_name")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    /// `{id}`, or with `code` `{code}`: an id that is one word holding a
    /// digit ("10020", "C-0042"), so that `"{code} {name}"` does not take
    /// the first word of a plain name ("Fina Trading Ltd") for an id.
    Id {
        code: bool,
    },
    Name,
}

/// How a heading's text splits into customer id and name: literal text
/// and the placeholders `{id}`, `{code}` and `{name}`, e.g.
/// `"{name} ({id})"` or `"{code} {name}"`. Between two placeholders the
/// separator is looked for from the left after the id (ids rarely hold it)
/// and from the right after `{name}` (names may: "Acme (EU) (C-1)"). With
/// only `{name}` the name is the id too, and the reverse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingPattern {
    parts: Vec<Part>,
}

impl Default for HeadingPattern {
    fn default() -> Self {
        HeadingPattern {
            parts: vec![Part::Name],
        }
    }
}

impl HeadingPattern {
    pub fn parse(text: &str) -> Result<HeadingPattern, String> {
        let mut parts = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix("{id}") {
                parts.push(Part::Id { code: false });
                rest = after;
            } else if let Some(after) = rest.strip_prefix("{code}") {
                parts.push(Part::Id { code: true });
                rest = after;
            } else if let Some(after) = rest.strip_prefix("{name}") {
                parts.push(Part::Name);
                rest = after;
            } else {
                let end = rest[1..].find('{').map_or(rest.len(), |i| i + 1);
                if rest.starts_with('{') {
                    return Err(format!(
                        "expected the placeholders {{id}}, {{code}} and {{name}} only, found {:?}",
                        &rest[..rest.find('}').map_or(rest.len(), |i| i + 1)]
                    ));
                }
                parts.push(Part::Literal(rest[..end].to_string()));
                rest = &rest[end..];
            }
        }
        let ids = parts
            .iter()
            .filter(|q| matches!(q, Part::Id { .. }))
            .count();
        let names = parts.iter().filter(|q| **q == Part::Name).count();
        if ids > 1 || names > 1 || ids + names == 0 {
            return Err(format!(
                "expected {{name}} and/or one of {{id}}, {{code}} once each, such as \"{{name}} ({{id}})\", found {text:?}"
            ));
        }
        if parts
            .windows(2)
            .any(|w| !matches!(w[0], Part::Literal(_)) && !matches!(w[1], Part::Literal(_)))
        {
            return Err(format!(
                "expected text between {{id}} and {{name}} (where does one end?), found {text:?}"
            ));
        }
        Ok(HeadingPattern { parts })
    }

    /// The heading's customer id and name; `None` when it does not fit.
    pub fn split(&self, text: &str) -> Option<(String, String)> {
        let mut rest = text.trim();
        let (mut id, mut name) = (None, None);
        for (i, part) in self.parts.iter().enumerate() {
            match part {
                Part::Literal(l) => rest = rest.strip_prefix(l.as_str())?,
                placeholder => {
                    let (value, after) = match self.parts.get(i + 1) {
                        Some(Part::Literal(sep)) => {
                            let at = if matches!(placeholder, Part::Id { .. }) {
                                rest.find(sep.as_str())?
                            } else {
                                rest.rfind(sep.as_str())?
                            };
                            (&rest[..at], &rest[at..])
                        }
                        _ => (rest, ""),
                    };
                    let value = value.trim();
                    if value.is_empty() {
                        return None;
                    }
                    if let Part::Id { code } = placeholder {
                        let is_code = !value.contains(char::is_whitespace)
                            && value.contains(|c: char| c.is_ascii_digit());
                        if *code && !is_code {
                            return None;
                        }
                        id = Some(value.to_string());
                    } else {
                        name = Some(value.to_string());
                    }
                    rest = after;
                }
            }
        }
        if !rest.is_empty() {
            return None;
        }
        match (id, name) {
            (Some(i), Some(n)) => Some((i, n)),
            (Some(i), None) => Some((i.clone(), i)),
            (None, Some(n)) => Some((n.clone(), n)),
            (None, None) => None,
        }
    }
}

/// What kind of printed total a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotalKind {
    /// A customer's subtotal, checked against its group's rows.
    Subtotal,
    /// The report's total, checked against every row above it.
    ReportTotal,
}

/// A printed total that differs from the rows it sums.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub line: u64,
    pub kind: TotalKind,
    /// The row's label ("Total Acme"), empty for an unlabelled total.
    pub label: String,
    pub printed: Money,
    /// The sum of the rows it covers (used and rejected, with a readable
    /// amount).
    pub computed: Money,
}

/// What the layout pass recognised in one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LayoutReport {
    pub headings: u64,
    pub subtotals: u64,
    pub report_totals: u64,
    pub repeated_headers: u64,
    pub mismatches: Vec<Mismatch>,
    /// Headings that do not fit `heading_pattern` (line, text): the rows
    /// below get no customer and are rejected for it.
    pub unmatched_headings: Vec<(u64, String)>,
}

impl LayoutReport {
    pub fn is_empty(&self) -> bool {
        *self == LayoutReport::default()
    }

    /// Rows the layout consumed (not data).
    pub fn rows(&self) -> u64 {
        self.headings + self.subtotals + self.report_totals + self.repeated_headers
    }

    /// "2 group heading(s), 2 subtotal(s), …" for what was recognised.
    pub fn counts(&self) -> String {
        [
            (self.headings, "group heading(s)"),
            (self.subtotals, "subtotal(s)"),
            (self.report_totals, "report total(s)"),
            (self.repeated_headers, "repeated header row(s)"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect::<Vec<_>>()
        .join(", ")
    }

    /// One compiler-style warning per finding, `place` being the file (and
    /// sheet) as problems print it.
    pub fn warnings(&self, place: &str, currency: &Currency) -> Vec<String> {
        let mut out: Vec<(u64, String)> = self
            .mismatches
            .iter()
            .map(|m| {
                (
                    m.line,
                    format!("{place}:{}: warning: {}", m.line, m.describe(currency)),
                )
            })
            .collect();
        out.extend(self.unmatched_headings.iter().map(|(line, text)| {
            (
                *line,
                format!("{place}:{line}: warning: {}", unmatched(text)),
            )
        }));
        out.sort_by_key(|(line, _)| *line);
        out.into_iter().map(|(_, w)| w).collect()
    }
}

/// What an unmatched heading means for the rows below it.
pub fn unmatched(text: &str) -> String {
    format!("the group heading {text:?} does not fit heading_pattern: the rows below it get no customer and are rejected")
}

impl Mismatch {
    /// "the subtotal "Total Acme" prints 10.00 but its rows add up to 9.00".
    pub fn describe(&self, currency: &Currency) -> String {
        let what = match (self.kind, self.label.is_empty()) {
            (TotalKind::Subtotal, _) => format!("the subtotal {:?} prints", self.label),
            (TotalKind::ReportTotal, false) => format!("the report total {:?} prints", self.label),
            (TotalKind::ReportTotal, true) => "the unlabelled report total prints".to_string(),
        };
        let rows = match self.kind {
            TotalKind::Subtotal => "its rows add up to",
            TotalKind::ReportTotal => "the rows above it add up to",
        };
        format!(
            "{what} {} but {rows} {} {}: a data-quality finding in the export (the rows are used, the printed total is not)",
            currency.to_decimal(self.printed),
            currency.to_decimal(self.computed),
            currency.code
        )
    }
}

/// The fields the layout needs, resolved against the header.
pub struct Fields {
    /// The document id (the schema's first column).
    pub id: Option<usize>,
    /// The amount whose totals are checked (`open_amount` for snapshots).
    pub amount: Option<usize>,
    /// Every money field (a heading has none filled).
    pub amounts: Vec<usize>,
    /// Where a heading's customer id and name go.
    pub customer_id: Option<usize>,
    pub customer_name: Option<usize>,
}

struct Group {
    /// The heading's text and its name part.
    text: String,
    name: String,
    id: String,
    sum: i64,
    rows: u64,
    subtotalled: bool,
}

/// What to do with a record.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// A data row: read it (its customer filled down).
    Data,
    /// A layout row, counted in the report.
    Consumed,
}

/// The layout pass's state over one file.
pub struct Layout {
    spec: LayoutSpec,
    mapped: bool,
    header: Vec<String>,
    /// Fields up to the header's last non-empty one.
    header_width: usize,
    fields: Fields,
    group_field: Option<usize>,
    exponent: u32,
    number: NumberFormat,
    group: Option<Group>,
    /// Readable amounts of every data row so far, and how many rows.
    grand: i64,
    rows: u64,
    pub report: LayoutReport,
}

fn norm(s: &str) -> String {
    s.trim_start_matches('\u{feff}')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether `text` normalises ([`norm`]) to `normalized`, without allocating.
fn same_text(text: &str, normalized: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .split_whitespace()
        .enumerate()
        .flat_map(|(i, w)| {
            (i > 0)
                .then_some(' ')
                .into_iter()
                .chain(w.chars().flat_map(char::to_lowercase))
        })
        .eq(normalized.chars())
}

/// "Total", "TOTAL", "Grand Total", "Totals", "Total:": the whole report.
fn is_bare_total(label: &str) -> bool {
    let l = norm(label);
    let l = l.trim_end_matches(':').trim();
    matches!(l, "total" | "totals" | "grand total" | "report total")
}

/// "Total Acme", "Total for Acme", "Total - Acme": some group's total.
fn is_total_label(label: &str) -> bool {
    let l = norm(label);
    is_bare_total(&l) || l.starts_with("total ") || l.starts_with("total:")
}

impl Layout {
    pub fn new(spec: &InputSpec, header: &[String], fields: Fields, exponent: u32) -> Layout {
        let group_field = match &spec.layout.group_heading {
            Some(GroupHeading::Column(c)) => {
                let c = norm(c);
                header.iter().position(|h| norm(h) == c)
            }
            _ => None,
        };
        Layout {
            spec: spec.layout.clone(),
            mapped: spec.mapped,
            header: header.iter().map(|h| norm(h)).collect(),
            header_width: header
                .iter()
                .rposition(|h| !norm(h).is_empty())
                .map_or(0, |i| i + 1),
            fields,
            group_field,
            exponent,
            number: spec.number.clone(),
            group: None,
            grand: 0,
            rows: 0,
            report: LayoutReport::default(),
        }
    }

    /// The configured heading column, when it is not in the header.
    pub fn missing_group_column(&self) -> Option<&str> {
        match &self.spec.group_heading {
            Some(GroupHeading::Column(c)) if self.group_field.is_none() => Some(c),
            _ => None,
        }
    }

    fn text(record: &Record, field: usize) -> &str {
        record
            .fields
            .get(field)
            .and_then(|f| std::str::from_utf8(f).ok())
            .map_or("", str::trim)
    }

    fn amount(&self, record: &Record) -> Option<Money> {
        let f = self.fields.amount?;
        let t = Self::text(record, f);
        if t.is_empty() {
            return None;
        }
        let format = match record.cell(f) {
            Cell::Number => &NumberFormat::PLAIN,
            Cell::Text => &self.number,
            _ => return None,
        };
        parse_amount(t, format, self.exponent).ok().map(|a| a.value)
    }

    /// Decides what `record` is; a data row is then [`Layout::fill`]ed.
    pub fn classify(&mut self, record: &Record) -> Verdict {
        if !self.mapped {
            return Verdict::Data;
        }
        let blank = |f: usize| {
            record
                .fields
                .get(f)
                .is_none_or(|v| v.iter().all(u8::is_ascii_whitespace))
        };
        let id_empty = self.fields.id.is_some_and(blank);
        // Most rows are documents: an id unlike the header's and no
        // grouping settle it without allocating (a million-row file).
        let header_like = self
            .fields
            .id
            .is_none_or(|f| same_text(Self::text(record, f), self.header.get(f).map_or("", |h| h)));
        if header_like && self.is_header(record) {
            self.report.repeated_headers += 1;
            return Verdict::Consumed;
        }
        if !id_empty && self.spec.group_heading.is_none() {
            return Verdict::Data;
        }
        let filled: Vec<usize> = (0..record.fields.len()).filter(|&f| !blank(f)).collect();
        let amounts_empty = self.fields.amounts.iter().all(|&f| blank(f));
        // The first cell outside the money columns that is no number (a
        // grand total sums the aging buckets and day counts too): the
        // row's label.
        let label = filled
            .iter()
            .map(|&f| (f, Self::text(record, f)))
            .find(|(f, t)| {
                !self.fields.amounts.contains(f)
                    && parse_amount(t, &self.number, self.exponent + 6).is_err()
                    && parse_amount(t, &NumberFormat::PLAIN, self.exponent + 6).is_err()
            })
            .map(|(_, t)| t.to_string());

        let heading = match &self.spec.group_heading {
            Some(GroupHeading::SingleCell) => {
                filled.len() == 1 && label.as_deref().is_some_and(|l| !is_total_label(l))
            }
            Some(GroupHeading::Column(_)) => {
                self.group_field
                    .is_some_and(|g| !blank(g) && amounts_empty && id_empty)
                    && label.as_deref().is_some_and(|l| !is_total_label(l))
            }
            None => false,
        };
        if heading {
            let text = match (&self.spec.group_heading, self.group_field) {
                (Some(GroupHeading::Column(_)), Some(g)) => Self::text(record, g).to_string(),
                _ => label.unwrap_or_default(),
            };
            self.open_group(record.line, text);
            return Verdict::Consumed;
        }

        if id_empty {
            if let Some(printed) = self.amount(record) {
                if let Some(v) = self.total(record.line, label.as_deref(), printed) {
                    return v;
                }
            }
        }
        Verdict::Data
    }

    /// Whether the row repeats the header (case and spacing aside).
    fn is_header(&self, record: &Record) -> bool {
        let fields = record.fields.len();
        let last = (0..fields)
            .rev()
            .find(|&f| !Self::text(record, f).is_empty())
            .map_or(0, |f| f + 1);
        last > 0
            && last == self.header_width
            && (0..last).all(|f| same_text(Self::text(record, f), &self.header[f]))
    }

    fn open_group(&mut self, line: u64, text: String) {
        self.report.headings += 1;
        self.group = match self.spec.patterns.iter().find_map(|p| p.split(&text)) {
            Some((id, name)) => Some(Group {
                text,
                name,
                id,
                sum: 0,
                rows: 0,
                subtotalled: false,
            }),
            None => {
                self.report.unmatched_headings.push((line, text));
                None
            }
        };
    }

    /// The row just above the header (no blank line between), which the
    /// header search read: a single-cell heading there opens the first
    /// group (Odoo prints the partner, then the header, for every partner).
    pub fn above_header(&mut self, record_line: u64, cells: &[String]) {
        if self.spec.group_heading != Some(GroupHeading::SingleCell) {
            return;
        }
        let filled: Vec<&String> = cells.iter().filter(|c| !c.trim().is_empty()).collect();
        if let [text] = filled[..] {
            if !is_total_label(text) {
                self.open_group(record_line, text.trim().to_string());
            }
        }
    }

    /// A printed total (a row without document id whose amount reads), or
    /// `None` when the row is none.
    fn total(&mut self, line: u64, label: Option<&str>, printed: Money) -> Option<Verdict> {
        let grouped = self.spec.group_heading.is_some();
        let kind = match (label, &self.group) {
            (Some(l), Some(g)) if grouped && !is_bare_total(l) => {
                let n = norm(l);
                let labelled = self
                    .spec
                    .subtotal_labels
                    .iter()
                    .any(|p| n.starts_with(p.as_str()));
                (labelled || is_total_label(l) || n == norm(&g.text) || n == norm(&g.name))
                    .then_some(TotalKind::Subtotal)?
            }
            (Some(l), _) if is_bare_total(l) => TotalKind::ReportTotal,
            (Some(l), None) if grouped && is_total_label(l) => TotalKind::ReportTotal,
            (Some(_), _) => return None,
            // Unlabelled: it must equal the rows it would sum.
            (None, group) => {
                let after_groups = group.as_ref().is_none_or(|g| g.subtotalled);
                if self.rows > 0 && printed.0 == self.grand && after_groups {
                    TotalKind::ReportTotal
                } else if group
                    .as_ref()
                    .is_some_and(|g| g.rows > 0 && g.sum == printed.0)
                {
                    TotalKind::Subtotal
                } else if self.rows > 0 && printed.0 == self.grand {
                    TotalKind::ReportTotal
                } else {
                    return None;
                }
            }
        };
        let computed = match kind {
            TotalKind::Subtotal => {
                let g = self.group.as_mut()?;
                g.subtotalled = true;
                self.report.subtotals += 1;
                g.sum
            }
            TotalKind::ReportTotal => {
                self.report.report_totals += 1;
                self.grand
            }
        };
        if computed != printed.0 {
            self.report.mismatches.push(Mismatch {
                line,
                kind,
                label: label.unwrap_or_default().to_string(),
                printed,
                computed: Money(computed),
            });
        }
        Some(Verdict::Consumed)
    }

    /// Writes the current group's customer into the row's empty customer
    /// fields (appended past the header when the file has no such column).
    pub fn fill(&self, record: &mut Record) {
        let Some(g) = &self.group else { return };
        let targets = [
            (self.fields.customer_id, &g.id),
            (self.fields.customer_name, &g.name),
        ];
        if targets.iter().all(|(f, _)| {
            f.is_none_or(|f| {
                record
                    .fields
                    .get(f)
                    .is_some_and(|v| !v.iter().all(u8::is_ascii_whitespace))
            })
        }) {
            return;
        }
        let width = targets
            .iter()
            .filter_map(|(f, _)| f.map(|f| f + 1))
            .max()
            .unwrap_or(0)
            .max(record.fields.len());
        let mut out = csv::ByteRecord::with_capacity(record.fields.as_slice().len() + 32, width);
        for i in 0..width {
            let own = record.fields.get(i).unwrap_or_default();
            let value = targets
                .iter()
                .find(|(f, _)| *f == Some(i))
                .filter(|_| own.iter().all(u8::is_ascii_whitespace))
                .map_or(own, |(_, v)| v.as_bytes());
            out.push_field(value);
        }
        record.fields = out;
    }

    /// Books a data row's amount (used or rejected) into the running sums.
    pub fn add(&mut self, amount: Option<Money>) {
        self.rows += 1;
        if let Some(g) = &mut self.group {
            g.rows += 1;
        }
        if let Some(a) = amount {
            self.grand = self.grand.saturating_add(a.0);
            if let Some(g) = &mut self.group {
                g.sum = g.sum.saturating_add(a.0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::snapshot_csv::{read_with, Rates, SnapshotImport, SCHEMA};
    use super::super::source::Input;
    use super::*;
    use arsite_core::Day;
    use std::path::Path;

    fn read(toml_text: &str, text: &str) -> SnapshotImport {
        let raw: super::super::spec::RawInput = toml::from_str(toml_text).unwrap();
        let spec = InputSpec::from_raw(&raw, &SCHEMA).unwrap();
        read_with(
            Path::new("x.csv"),
            Input::Bytes(text.as_bytes()),
            Day::parse_iso("2026-10-31").unwrap(),
            &spec,
            &Currency::from_code("EUR"),
            &Rates::new(),
        )
        .unwrap()
    }

    const COLUMNS: &str = "[columns]\ninvoice_id = \"Doc\"\ncustomer_name = \"Customer\"\n\
        invoice_date = \"Date\"\ndue_date = \"Date\"\nopen_amount = \"Open\"\n";

    #[test]
    fn a_heading_column_with_a_name_id_pattern_fills_both() {
        // The heading's column is mapped to customer_name: documents leave
        // it empty, the heading fills it; customer_id is not in the file.
        let text = "Customer,Doc,Date,Open\n\
                    Acme (EU) (C-1),,,\n\
                    ,A1,2026-10-01,10.00\n\
                    ,A2,2026-10-02,2.50\n\
                    Total Acme (EU) (C-1),,,12.50\n\
                    Beta,,,\n\
                    ,B1,2026-10-03,1.00\n\
                    Gamma (G-7),,,\n\
                    ,G1,2026-10-04,4.00\n\
                    Total,,,17.50\n";
        let r = read(
            &format!("{COLUMNS}[layout]\ngroup_heading = {{ column = \"Customer\" }}\nheading_pattern = \"{{name}} ({{id}})\"\n"),
            text,
        );
        let s = &r.snapshot;
        let got: Vec<(&str, &str, &str, i64)> = s
            .invoices
            .iter()
            .map(|i| {
                let c = &s.customers[i.customer as usize];
                (
                    i.invoice_id.as_str(),
                    c.id.as_str(),
                    c.name.as_str(),
                    i.open.0,
                )
            })
            .collect();
        // "Beta" fits no "{name} ({id})": B1 gets no customer and is rejected.
        assert_eq!(
            got,
            vec![
                ("A1", "C-1", "Acme (EU)", 1000),
                ("A2", "C-1", "Acme (EU)", 250),
                ("G1", "G-7", "Gamma", 400)
            ]
        );
        let l = &r.quality.layout;
        assert_eq!((l.headings, l.subtotals, l.report_totals), (3, 1, 1));
        assert_eq!(l.unmatched_headings, vec![(6, "Beta".to_string())]);
        assert_eq!(r.quality.rejected.len(), 1);
        assert_eq!(r.quality.rejected[0].line, 7);
        // The filled-down column is not in the file: no field number.
        let p = &r.quality.rejected[0].problems[0];
        assert_eq!(
            (p.column, p.kind, p.message.as_str()),
            (
                None,
                super::super::Kind::MissingValue,
                "customer_id (from the group heading above): missing value; this column is required"
            )
        );
        // 10.00 + 2.50 + 1.00 (rejected, still in the report's sum) + 4.00 = 17.50.
        assert!(l.mismatches.is_empty(), "{:?}", l.mismatches);
    }

    #[test]
    fn a_report_total_that_differs_is_a_finding_and_rows_stay() {
        let text = "Customer,Doc,Date,Open\n\
                    Acme,A1,2026-10-01,10.00\n\
                    Customer,Doc,Date,Open\n\
                    Beta,B1,2026-10-03,1.00\n\
                    Grand Total,,,11.01\n";
        let r = read(
            &format!("{COLUMNS}[constants]\ncustomer_id = \"X\"\n"),
            text,
        );
        assert_eq!(r.snapshot.total_open(), Money(1100));
        let l = &r.quality.layout;
        assert_eq!((l.headings, l.report_totals, l.repeated_headers), (0, 1, 1));
        // Printed 11.01, rows 10.00 + 1.00 = 11.00.
        assert_eq!(
            l.mismatches,
            vec![Mismatch {
                line: 5,
                kind: TotalKind::ReportTotal,
                label: "Grand Total".into(),
                printed: Money(1101),
                computed: Money(1100),
            }]
        );
        assert_eq!(
            l.warnings("x.csv", &Currency::from_code("EUR")),
            vec!["x.csv:5: warning: the report total \"Grand Total\" prints 11.01 but the rows above it add up to 11.00 EUR: a data-quality finding in the export (the rows are used, the printed total is not)"]
        );
    }

    #[test]
    fn layout_settings_are_checked() {
        let err = |t: &str| {
            let raw: super::super::spec::RawInput = toml::from_str(t).unwrap();
            InputSpec::from_raw(&raw, &SCHEMA).unwrap_err()
        };
        assert!(err("[layout]\ngroup_heading = \"first_cell\"\n")
            .contains("import.snapshots.layout.group_heading: expected \"single_cell\""));
        assert!(err("[layout]\nheading_pattern = \"{name}\"\n").contains("set group_heading too"));
        assert!(err(
            "[layout]\ngroup_heading = \"single_cell\"\nheading_pattern = \"{id}{name}\"\n"
        )
        .contains("expected text between"));
    }

    #[test]
    fn heading_patterns_split_id_and_name() {
        let p = HeadingPattern::parse("{name} ({id})").unwrap();
        assert_eq!(
            p.split("Acme (EU) (C-1)"),
            Some(("C-1".into(), "Acme (EU)".into()))
        );
        assert_eq!(p.split("Acme"), None);
        let p = HeadingPattern::parse("{id} {name}").unwrap();
        assert_eq!(
            p.split("10020 Fina Trading Ltd"),
            Some(("10020".into(), "Fina Trading Ltd".into()))
        );
        let p = HeadingPattern::default();
        assert_eq!(p.split(" Acme "), Some(("Acme".into(), "Acme".into())));
        assert!(HeadingPattern::parse("{id}{name}").is_err());
        assert!(HeadingPattern::parse("{number} {name}").is_err());
        assert!(HeadingPattern::parse("Customer").is_err());
        assert!(HeadingPattern::parse("{id} {id}").is_err());
        assert!(HeadingPattern::parse("{id} {code}").is_err());
        // `{code}` takes a one-word id holding a digit, nothing else.
        let p = HeadingPattern::parse("{code} {name}").unwrap();
        assert_eq!(
            p.split("C-0042 Acme"),
            Some(("C-0042".into(), "Acme".into()))
        );
        assert_eq!(p.split("Fina Trading Ltd"), None);
        assert_eq!(p.split("Fina"), None);
    }

    #[test]
    fn heading_pattern_lists_take_the_first_that_fits() {
        let raw: super::super::spec::RawInput = toml::from_str(&format!(
            "{COLUMNS}[layout]\ngroup_heading = \"single_cell\"\nheading_pattern = [\"{{code}} {{name}}\", \"{{name}}\"]\n"
        ))
        .unwrap();
        let spec = InputSpec::from_raw(&raw, &SCHEMA).unwrap();
        let split = |t: &str| spec.layout.patterns.iter().find_map(|p| p.split(t));
        assert_eq!(
            split("10020 Fina Trading Ltd"),
            Some(("10020".into(), "Fina Trading Ltd".into()))
        );
        assert_eq!(
            split("Fina Trading Ltd"),
            Some(("Fina Trading Ltd".into(), "Fina Trading Ltd".into()))
        );
        let raw: super::super::spec::RawInput = toml::from_str(&format!(
            "{COLUMNS}[layout]\ngroup_heading = \"single_cell\"\nheading_pattern = []\n"
        ))
        .unwrap();
        assert!(InputSpec::from_raw(&raw, &SCHEMA)
            .unwrap_err()
            .contains("found an empty list"));
    }

    #[test]
    fn same_text_is_norm_without_allocating() {
        assert!(same_text("  Due   Date ", "due date"));
        assert!(same_text("\u{feff}Num", "num"));
        assert!(same_text("", ""));
        assert!(!same_text("Due Dates", "due date"));
        assert!(!same_text("INV-1", "num"));
    }

    #[test]
    fn total_labels() {
        assert!(is_bare_total("TOTAL"));
        assert!(is_bare_total("Grand Total:"));
        assert!(!is_bare_total("Total Acme"));
        assert!(is_total_label("Total Acme"));
        assert!(!is_total_label("Totally Fine Ltd"));
    }
}

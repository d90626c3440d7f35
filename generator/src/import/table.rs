//! Reading one table, whatever its source: finding the header row, mapping
//! canonical columns to the file's headers (or constants), skipping report
//! lines, typed field access with positioned problems, and the bookkeeping
//! of used and rejected rows. Each input (snapshots, sales, activity,
//! customers) describes its columns and turns rows into model values; the
//! mechanics live here once.

use super::date::excel_serial;
use super::layout::{self, Layout, Verdict};
use super::number::{parse_amount, AmountError, NumberFormat};
use super::problem::{Kind, Problem};
use super::quality::{FileQuality, RejectedRow};
use super::rules::{Filter, Rules};
use super::source::{Cell, Record, Records, SourceInfo};
use super::spec::InputSpec;
use arsite_core::{Currency, Day, Money};
use std::path::Path;
use std::sync::Arc;

/// One canonical column of an input.
pub struct ColumnDef {
    pub name: &'static str,
    /// Required in canonical files.
    pub required: bool,
    /// Required when the file is read through a mapping.
    pub mapped_required: bool,
    /// Looked for in canonical files (some columns exist only in mappings).
    pub canonical: bool,
}

impl ColumnDef {
    pub const fn required(name: &'static str) -> ColumnDef {
        ColumnDef {
            name,
            required: true,
            mapped_required: true,
            canonical: true,
        }
    }

    pub const fn optional(name: &'static str) -> ColumnDef {
        ColumnDef {
            name,
            required: false,
            mapped_required: false,
            canonical: true,
        }
    }

    /// Required in canonical files, optional in mappings.
    pub const fn canonical_only(name: &'static str) -> ColumnDef {
        ColumnDef {
            name,
            required: true,
            mapped_required: false,
            canonical: true,
        }
    }

    /// Only in mappings.
    pub const fn mapped(name: &'static str) -> ColumnDef {
        ColumnDef {
            name,
            required: false,
            mapped_required: false,
            canonical: false,
        }
    }
}

/// The columns of one input.
pub struct Schema {
    /// The input's name in `[import.<input>]`.
    pub input: &'static str,
    pub columns: &'static [ColumnDef],
}

impl Schema {
    pub fn index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    pub fn names(&self) -> Vec<&'static str> {
        self.columns.iter().map(|c| c.name).collect()
    }
}

/// Where a canonical column's values come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Slot {
    Field(usize),
    Constant(Box<str>),
    Absent,
}

/// The sources of a schema's columns in one file.
pub struct Columns {
    slots: Vec<Slot>,
    /// The file's header for each mapped column (for messages).
    labels: Vec<Option<String>>,
    /// Each column's value map (`[import.<input>.values.<column>]`).
    values: Vec<Vec<(String, String)>>,
    /// Fields in the header; fields past it are filled down from group
    /// headings and name no column of the file.
    width: usize,
}

impl Columns {
    pub fn slot(&self, col: usize) -> &Slot {
        &self.slots[col]
    }

    pub fn is_present(&self, col: usize) -> bool {
        self.slots[col] != Slot::Absent
    }
}

/// Normalises a header cell for matching: trimmed, case-folded, inner
/// whitespace collapsed.
pub(crate) fn normalize(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The largest amount accepted, in minor units (10^13 of a currency with
/// two decimals): anything larger is a misread column, and the bound keeps
/// sums of millions of rows far from overflowing.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000_000;

/// Header rows are looked for this far down when not configured.
pub const HEADER_SEARCH: usize = 50;

/// A table opened against a schema, read row by row into a reused record.
pub struct Table<'s> {
    records: &'s mut dyn Records,
    path: Arc<Path>,
    sheet: Option<Arc<str>>,
    schema: &'static Schema,
    spec: &'s InputSpec,
    pub columns: Columns,
    sign_field: Option<usize>,
    /// Fields in the header row: a row with a value beyond them has more
    /// fields than the header names (an unquoted delimiter, shifted data).
    header_width: usize,
    record: Record,
    row_problems: Vec<Problem>,
    row_amount: Option<Money>,
    in_row: bool,
    quality: FileQuality,
    /// Fields of the composite key's columns after the first.
    key_fields: Vec<usize>,
    /// Row filters and the field each reads.
    filters: Vec<(&'s Filter, usize)>,
    /// The snapshot date filters compare with (`None` for ledgers).
    pub filter_as_of: Option<Day>,
    /// Group headings, subtotals, totals and repeated headers.
    layout: Layout,
}

impl<'s> Table<'s> {
    pub fn open(
        records: &'s mut dyn Records,
        info: &SourceInfo,
        path: &Path,
        schema: &'static Schema,
        spec: &'s InputSpec,
        amount_column: &'static str,
        currency: &Currency,
    ) -> Result<Table<'s>, Problem> {
        let path: Arc<Path> = Arc::from(path);
        let sheet: Option<Arc<str>> = info.sheet.as_deref().map(Arc::from);
        let at = |line: u64, kind: Kind, message: String| Problem {
            path: path.clone(),
            sheet: sheet.clone(),
            line,
            column: None,
            kind,
            message,
        };
        let mut record = Record::default();
        let mut seen: Vec<(u64, Vec<String>)> = Vec::new();
        let header = loop {
            match records.read(&mut record) {
                Ok(true) => {}
                Ok(false) => break None,
                Err(p) => return Err(p),
            }
            let cells: Vec<String> = record
                .fields
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
            match spec.header_row {
                Some(n) if record.line < n => continue,
                Some(_) => break Some((record.line, cells)),
                None if !spec.mapped => break Some((record.line, cells)),
                None => {
                    if record.is_blank() {
                        continue;
                    }
                    if resolve(schema, spec, &cells).is_ok() {
                        break Some((record.line, cells));
                    }
                    seen.push((record.line, cells));
                    if seen.len() >= HEADER_SEARCH {
                        break None;
                    }
                }
            }
        };
        let described = describe_source(info);
        let Some((line, cells)) = header else {
            if seen.is_empty() && spec.header_row.is_none() {
                return Err(at(
                    1,
                    Kind::Empty,
                    "file is empty: expected a header row".into(),
                ));
            }
            // Explain against the row that came closest.
            let best = seen
                .iter()
                .map(|(line, cells)| {
                    let missing = resolve(schema, spec, cells).err().unwrap_or_default();
                    (missing.len(), *line, missing)
                })
                .min_by_key(|(n, line, _)| (*n, *line));
            let message = match (spec.header_row, best) {
                (Some(n), _) => {
                    format!("expected the header row at line {n}, but the file ends before it")
                }
                (None, Some((_, line, missing))) => {
                    return Err(at(
                        line,
                        Kind::Header,
                        format!(
                            "no header row with {} in the first {} rows{described}; the closest (line {line}) lacks {}",
                            expected_headers(schema, spec),
                            seen.len(),
                            missing.join(", ")
                        ),
                    ));
                }
                (None, None) => "file is empty: expected a header row".to_string(),
            };
            return Err(at(1, Kind::Header, message));
        };
        if cells.iter().all(|c| c.trim().is_empty()) {
            return Err(at(
                line,
                Kind::Empty,
                format!(
                    "header row is empty: expected a header row with {}",
                    expected_headers(schema, spec)
                ),
            ));
        }
        let (columns, sign_field) = match resolve(schema, spec, &cells) {
            Ok(c) => c,
            Err(missing) => {
                let message = if spec.mapped {
                    format!(
                        "header lacks {}: expected a header row with {}{described}; found {}",
                        missing.join(", "),
                        expected_headers(schema, spec),
                        found_headers(&cells)
                    )
                } else {
                    let required: Vec<&str> = schema
                        .columns
                        .iter()
                        .filter(|c| c.required)
                        .map(|c| c.name)
                        .collect();
                    let optional: Vec<&str> = schema
                        .columns
                        .iter()
                        .filter(|c| !c.required && c.canonical)
                        .map(|c| c.name)
                        .collect();
                    format!(
                        "header is missing the column(s) {}; expected a header row with {} (optional: {}){described}",
                        missing.join(", "),
                        required.join(", "),
                        if optional.is_empty() { "none".to_string() } else { optional.join(", ") }
                    )
                };
                return Err(at(line, Kind::Header, message));
            }
        };
        if let Some((name, first, second)) = duplicate_header(&columns, sign_field, &cells) {
            let mut p = at(
                line,
                Kind::Header,
                format!(
                    "header names the column {name:?} twice (fields {first} and {second}): \
                     expected each column once (which one holds the values?)"
                ),
            );
            p.column = Some(second);
            return Err(p);
        }
        // The composite key's and the filters' columns must be there too.
        let header_field = |names: &[String], what: &str| -> Result<usize, Problem> {
            let wanted: Vec<String> = names.iter().map(|n| normalize(n)).collect();
            cells
                .iter()
                .position(|c| wanted.contains(&normalize(c)))
                .ok_or_else(|| {
                    at(
                        line,
                        Kind::Header,
                        format!(
                            "header lacks {} ({what}){described}; found {}",
                            names
                                .iter()
                                .map(|h| format!("{h:?}"))
                                .collect::<Vec<_>>()
                                .join(" or "),
                            found_headers(&cells)
                        ),
                    )
                })
        };
        let key_fields = spec
            .rules
            .key
            .iter()
            .map(|h| header_field(std::slice::from_ref(h), "a column of invoice_key"))
            .collect::<Result<Vec<_>, _>>()?;
        let filters = spec
            .rules
            .keep
            .iter()
            .map(|f| Ok((f, header_field(&f.column, &format!("filter {}", f.text))?)))
            .collect::<Result<Vec<_>, Problem>>()?;
        let header_width = cells.len();
        let field_of = |name: &str| match schema.index(name).map(|i| columns.slot(i)) {
            Some(Slot::Field(f)) => Some(*f),
            _ => None,
        };
        let fields = layout::Fields {
            id: match columns.slot(0) {
                Slot::Field(f) => Some(*f),
                _ => None,
            },
            amount: field_of(amount_column),
            amounts: schema
                .columns
                .iter()
                .filter(|c| c.name.ends_with("amount"))
                .filter_map(|c| field_of(c.name))
                .collect(),
            customer_id: field_of("customer_id"),
            customer_name: field_of("customer_name"),
        };
        let mut layout = Layout::new(spec, &cells, fields, currency.exponent);
        if let Some((above, above_cells)) = seen.last() {
            if *above + 1 == line {
                layout.above_header(*above, above_cells);
            }
        }
        if let Some(c) = layout.missing_group_column() {
            return Err(at(
                line,
                Kind::Header,
                format!(
                    "header lacks {c:?}, the column of group headings ([import.{}.layout] group_heading); found {}",
                    schema.input,
                    found_headers(&cells)
                ),
            ));
        }
        let mut quality = FileQuality::new(path.to_path_buf(), currency.clone(), amount_column);
        quality.filtered = filters.iter().map(|(f, _)| (f.text.clone(), 0)).collect();
        quality.sheet = info.sheet.clone();
        quality.header = cells;
        Ok(Table {
            records,
            path,
            sheet,
            schema,
            spec,
            columns,
            sign_field,
            header_width,
            record,
            row_problems: Vec::new(),
            row_amount: None,
            in_row: false,
            quality,
            key_fields,
            filters,
            filter_as_of: None,
            layout,
        })
    }

    /// The next data row, or `None` at the end. Blank lines, report lines
    /// (`skip_rows`) and, in mappings, rows with nothing in any mapped
    /// column (group headings, footers) are skipped. Rows the source cannot
    /// split are rejected here.
    pub fn next_row(&mut self) -> Option<Row<'_, 's>> {
        self.finish_row();
        loop {
            match self.records.read(&mut self.record) {
                Ok(false) => return None,
                Ok(true) => {}
                Err(p) => {
                    if p.kind == Kind::Row {
                        let line = p.line;
                        self.quality.reject(RejectedRow {
                            line,
                            fields: Vec::new(),
                            amount: None,
                            problems: vec![p],
                        });
                    } else {
                        self.quality.file_problems.push(p);
                    }
                    continue;
                }
            }
            if self.record.is_blank() {
                continue;
            }
            if self.spec.mapped && is_ruling(&self.record) {
                self.quality.skipped += 1;
                continue;
            }
            if self.layout.classify(&self.record) == Verdict::Consumed {
                continue;
            }
            if self.is_report_line() {
                self.quality.skipped += 1;
                continue;
            }
            match self.filtered_out() {
                Ok(Some(i)) => {
                    self.quality.filtered[i].1 += 1;
                    continue;
                }
                Ok(None) => {}
                Err(p) => self.row_problems.push(p),
            }
            break;
        }
        self.in_row = true;
        self.check_width();
        // After the width check: filled-down fields may lie past the header.
        self.layout.fill(&mut self.record);
        Some(Row {
            record: &self.record,
            columns: &self.columns,
            schema: self.schema,
            spec: self.spec,
            path: &self.path,
            sheet: &self.sheet,
            problems: &mut self.row_problems,
            amount: &mut self.row_amount,
            sign_field: self.sign_field,
            sign: None,
            key_fields: &self.key_fields,
        })
    }

    /// The first filter (`[[import.<input>.keep]]`) the record fails, if
    /// any; `Err` when a filter's cell cannot be read as its test needs (the
    /// row is then rejected with that problem, not left out).
    fn filtered_out(&self) -> Result<Option<usize>, Problem> {
        for (i, (filter, field)) in self.filters.iter().enumerate() {
            let bytes = self.record.fields.get(*field).unwrap_or_default();
            let text = String::from_utf8_lossy(bytes);
            let cell = self.record.cell(*field);
            let date = |t: &str| match cell {
                Cell::Date(d) => Some(d),
                Cell::Number => t
                    .split('.')
                    .next()
                    .and_then(|w| w.parse::<i64>().ok())
                    .and_then(excel_serial),
                _ => self.spec.dates.parse(t),
            };
            match filter.passes(&text, date, self.filter_as_of) {
                Ok(true) => {}
                Ok(false) => return Ok(Some(i)),
                Err(message) => {
                    return Err(Problem {
                        path: self.path.clone(),
                        sheet: self.sheet.clone(),
                        line: self.record.line,
                        column: Some(field + 1),
                        kind: Kind::Date,
                        message,
                    })
                }
            }
        }
        Ok(None)
    }

    fn is_report_line(&self) -> bool {
        if !self.spec.skip_rows.is_empty() {
            let first = self
                .record
                .fields
                .iter()
                .position(|f| f.iter().any(|b| !b.is_ascii_whitespace()));
            if let Some(at) = first {
                let text = String::from_utf8_lossy(&self.record.fields[at]);
                let text = text.trim().to_lowercase();
                // A row with a value in the first column (invoice id,
                // period…) besides the marker is data even when it starts
                // like a subtotal: a customer called "Total Fina" must not
                // vanish. The marker may sit in that column itself.
                let key = match self.columns.slot(0) {
                    Slot::Field(f) => Some(*f),
                    _ => None,
                };
                let key_empty = key.is_none_or(|f| {
                    f == at
                        || self
                            .record
                            .fields
                            .get(f)
                            .is_none_or(|v| v.iter().all(|b| b.is_ascii_whitespace()))
                });
                if key_empty && self.spec.skip_rows.iter().any(|p| text.starts_with(p)) {
                    return true;
                }
            }
        }
        self.spec.mapped
            && self.columns.slots.iter().all(|s| match s {
                Slot::Field(f) => self
                    .record
                    .fields
                    .get(*f)
                    .is_none_or(|v| v.iter().all(|b| b.is_ascii_whitespace())),
                _ => true,
            })
    }

    /// A value in a field the header does not name is a problem of the
    /// row, at the first such field. Empty fields beyond the header (a
    /// trailing delimiter, an export padding its rows) hold nothing and
    /// pass.
    fn check_width(&mut self) {
        let fields = &self.record.fields;
        let Some(extra) = (self.header_width..fields.len())
            .find(|&f| fields[f].iter().any(|b| !b.is_ascii_whitespace()))
        else {
            return;
        };
        self.row_problems.push(Problem {
            path: self.path.clone(),
            sheet: self.sheet.clone(),
            line: self.record.line,
            column: Some(extra + 1),
            kind: Kind::Row,
            message: format!(
                "the row has {} fields and a value in field {}, but the header names {}: \
                 expected at most {} fields (is a value holding the delimiter not quoted?)",
                fields.len(),
                extra + 1,
                self.header_width,
                self.header_width
            ),
        });
    }

    /// Books the row just read as used or rejected.
    fn finish_row(&mut self) {
        if !self.in_row {
            return;
        }
        self.in_row = false;
        let amount = self.row_amount.take();
        self.layout.add(amount);
        if self.row_problems.is_empty() {
            self.quality.accept(amount.unwrap_or(Money::ZERO));
        } else {
            let fields = self
                .record
                .fields
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
            let mut problems = std::mem::take(&mut self.row_problems);
            problems.sort_by_key(|p| p.column.unwrap_or(usize::MAX));
            self.quality.reject(RejectedRow {
                line: self.record.line,
                fields,
                amount,
                problems,
            });
        }
    }

    /// The result: every row booked, problems in file order.
    pub fn finish(mut self) -> FileQuality {
        self.finish_row();
        self.quality.layout = std::mem::take(&mut self.layout.report);
        self.quality
    }
}

/// Whether the row is a ruling of a printed list: its non-empty cells hold
/// nothing but dashes, one run at least three long. SAP's unconverted list
/// output draws `-----` above and below the table and `|-----|` under the
/// header; such a line is skipped as a report line (and counted so), not
/// rejected as a row without an id. A lone `-` (an empty amount in some
/// exports) does not make a ruling.
fn is_ruling(record: &Record) -> bool {
    let mut long_run = false;
    for field in record.fields.iter() {
        let text = field.trim_ascii();
        if text.is_empty() {
            continue;
        }
        if !text.iter().all(|b| *b == b'-') {
            return false;
        }
        long_run |= text.len() >= 3;
    }
    long_run
}

fn describe_source(info: &SourceInfo) -> String {
    match (info.delimiter, &info.sheet) {
        (_, Some(sheet)) => format!(" (sheet {sheet:?})"),
        (Some(d), None) if info.sniffed => format!(
            " (fields split at {}, which looked like the delimiter; set delimiter in arsite.toml if it is not)",
            delimiter_name(d)
        ),
        _ => String::new(),
    }
}

pub fn delimiter_name(d: u8) -> String {
    match d {
        b'\t' => "TAB".to_string(),
        b',' => "\",\"".to_string(),
        _ => format!("{:?}", d as char),
    }
}

fn expected_headers(schema: &Schema, spec: &InputSpec) -> String {
    let mut names: Vec<String> = Vec::new();
    for c in schema.columns {
        if spec.constants.contains_key(c.name) {
            continue;
        }
        let required = if spec.mapped {
            c.mapped_required
        } else {
            c.required
        };
        if !required {
            continue;
        }
        names.push(header_alternatives(spec, c.name));
    }
    if let Some(sign) = &spec.sign {
        names.push(
            sign.column
                .iter()
                .map(|h| format!("{h:?}"))
                .collect::<Vec<_>>()
                .join(" or "),
        );
    }
    names.join(", ")
}

fn header_alternatives(spec: &InputSpec, name: &str) -> String {
    match spec.columns.get(name) {
        Some(m) => m
            .headers
            .iter()
            .map(|h| format!("{h:?}"))
            .collect::<Vec<_>>()
            .join(" or "),
        None => format!("{name:?}"),
    }
}

fn found_headers(cells: &[String]) -> String {
    let shown: Vec<String> = cells
        .iter()
        .filter(|c| !c.trim().is_empty())
        .take(12)
        .map(|c| format!("{:?}", c.trim()))
        .collect();
    if shown.is_empty() {
        "an empty row".into()
    } else {
        shown.join(", ")
    }
}

/// A header cell that a read column was found under, named again in
/// another cell (case and spacing aside: `amount` and `AMOUNT`): its name
/// and both field numbers (1-based). Repeated names of columns that are not
/// read do not matter.
fn duplicate_header(
    columns: &Columns,
    sign_field: Option<usize>,
    cells: &[String],
) -> Option<(String, usize, usize)> {
    let mut read: Vec<usize> = columns
        .slots
        .iter()
        .filter_map(|s| match s {
            Slot::Field(f) => Some(*f),
            _ => None,
        })
        .chain(sign_field)
        .collect();
    // Filled-down fields lie past the header's cells.
    read.retain(|&f| f < cells.len());
    read.sort_unstable();
    read.dedup();
    read.into_iter().find_map(|f| {
        let name = normalize(&cells[f]);
        let again = (0..cells.len()).find(|&g| g != f && normalize(&cells[g]) == name)?;
        Some((
            cells[f].trim().to_string(),
            f.min(again) + 1,
            f.max(again) + 1,
        ))
    })
}

/// Maps the schema onto a header row; `Err` lists what is missing.
fn resolve(
    schema: &Schema,
    spec: &InputSpec,
    cells: &[String],
) -> Result<(Columns, Option<usize>), Vec<String>> {
    let names: Vec<String> = cells.iter().map(|c| normalize(c)).collect();
    let find = |alternatives: &[String]| {
        alternatives.iter().find_map(|a| {
            let a = normalize(a);
            names.iter().position(|n| *n == a)
        })
    };
    let mut slots = Vec::with_capacity(schema.columns.len());
    let mut labels = Vec::with_capacity(schema.columns.len());
    let mut missing = Vec::new();
    for c in schema.columns {
        if let Some(value) = spec.constants.get(c.name) {
            slots.push(Slot::Constant(value.as_str().into()));
            labels.push(None);
            continue;
        }
        let (alternatives, required) = if spec.mapped {
            match spec.columns.get(c.name) {
                Some(m) => (m.headers.clone(), c.mapped_required || m.explicit),
                None => (vec![c.name.to_string()], c.mapped_required),
            }
        } else if c.canonical {
            (vec![c.name.to_string()], c.required)
        } else {
            (Vec::new(), false)
        };
        match find(&alternatives) {
            Some(f) => {
                slots.push(Slot::Field(f));
                let label = cells[f].trim();
                labels.push((spec.mapped && normalize(label) != c.name).then(|| label.to_string()));
            }
            // A customer named only in group headings: its value is put
            // past the header's fields by the layout pass.
            None if spec.layout.fills(c.name) => {
                let k = usize::from(c.name == "customer_name");
                slots.push(Slot::Field(cells.len() + k));
                labels.push(None);
            }
            None => {
                if required {
                    missing.push(if spec.mapped {
                        format!("{} ({})", header_alternatives(spec, c.name), c.name)
                    } else {
                        c.name.to_string()
                    });
                }
                slots.push(Slot::Absent);
                labels.push(None);
            }
        }
    }
    let sign_field = match &spec.sign {
        Some(rule) => match find(&rule.column) {
            Some(f) => Some(f),
            None => {
                missing.push(format!(
                    "{} (the sign rule's column)",
                    rule.column
                        .iter()
                        .map(|h| format!("{h:?}"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ));
                None
            }
        },
        None => None,
    };
    let values = schema
        .columns
        .iter()
        .map(|c| spec.rules.values.get(c.name).cloned().unwrap_or_default())
        .collect();
    if missing.is_empty() {
        Ok((
            Columns {
                slots,
                labels,
                values,
                width: cells.len(),
            },
            sign_field,
        ))
    } else {
        Err(missing)
    }
}

/// One row: typed access to its fields, each failure recorded with line and
/// column.
pub struct Row<'t, 's> {
    record: &'t Record,
    columns: &'t Columns,
    schema: &'static Schema,
    spec: &'s InputSpec,
    path: &'t Arc<Path>,
    sheet: &'t Option<Arc<str>>,
    problems: &'t mut Vec<Problem>,
    amount: &'t mut Option<Money>,
    sign_field: Option<usize>,
    /// The sign rule's verdict, once asked: negative or not.
    sign: Option<Option<bool>>,
    key_fields: &'t [usize],
}

impl<'t> Row<'t, '_> {
    pub fn line(&self) -> u64 {
        self.record.line
    }

    pub fn is_present(&self, col: usize) -> bool {
        self.columns.is_present(col)
    }

    /// The trimmed values of the composite key's columns after the first
    /// (`invoice_key`); invalid UTF-8 shows lossily (a key is compared,
    /// never shown as a figure).
    pub fn key_parts(&self) -> impl Iterator<Item = std::borrow::Cow<'t, str>> + '_ {
        let record: &'t Record = self.record;
        self.key_fields.iter().map(move |f| {
            match String::from_utf8_lossy(record.fields.get(*f).unwrap_or_default()) {
                std::borrow::Cow::Borrowed(s) => std::borrow::Cow::Borrowed(s.trim()),
                std::borrow::Cow::Owned(s) => std::borrow::Cow::Owned(s.trim().to_string()),
            }
        })
    }

    /// The row's fields as exported (for generated ids).
    pub fn raw_fields(&self) -> impl Iterator<Item = &'t [u8]> {
        let record: &'t Record = self.record;
        record.fields.iter()
    }

    /// The row's amount for the input/used/rejected totals.
    pub fn set_amount(&mut self, amount: Money) {
        *self.amount = Some(amount);
    }

    fn label(&self, col: usize) -> String {
        let name = self.schema.columns[col].name;
        match (&self.columns.labels[col], self.columns.slot(col)) {
            (_, Slot::Constant(_)) => format!("{name} (constant in arsite.toml)"),
            (_, Slot::Field(f)) if *f >= self.columns.width => {
                format!("{name} (from the group heading above)")
            }
            (Some(label), _) => format!("{name} ({label:?})"),
            (None, _) => name.to_string(),
        }
    }

    fn field_number(&self, col: usize) -> Option<usize> {
        match self.columns.slot(col) {
            Slot::Field(f) if *f < self.columns.width => Some(f + 1),
            _ => None,
        }
    }

    pub fn problem(&mut self, col: usize, kind: Kind, message: String) {
        let label = self.label(col);
        let column = self.field_number(col);
        self.push(column, kind, format!("{label}: {message}"));
    }

    fn push(&mut self, column: Option<usize>, kind: Kind, message: String) {
        self.problems.push(Problem {
            path: self.path.clone(),
            sheet: self.sheet.clone(),
            line: self.record.line,
            column,
            kind,
            message,
        });
    }

    /// Whether any field of this row had a problem.
    pub fn has_problems(&self) -> bool {
        !self.problems.is_empty()
    }

    /// The value as trimmed text (empty when the column is absent); invalid
    /// UTF-8 is a problem, not a replacement character.
    pub fn text(&mut self, col: usize) -> Option<&'t str> {
        let field = match self.columns.slot(col) {
            Slot::Field(f) => *f,
            Slot::Constant(c) => return Some(c),
            Slot::Absent => return Some(""),
        };
        let bytes = self.record.fields.get(field).unwrap_or_default();
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                let map = &self.columns.values[col];
                Some(Rules::translate(map, s).unwrap_or(s.trim()))
            }
            Err(_) => {
                self.problem(
                    col,
                    Kind::Encoding,
                    "expected UTF-8 text (is the file in another encoding? set encoding = \"windows-1252\" or \"utf-16le\" in [import])".into(),
                );
                None
            }
        }
    }

    pub fn required_text(&mut self, col: usize) -> Option<&'t str> {
        let t = self.text(col)?;
        if t.is_empty() {
            self.problem(
                col,
                Kind::MissingValue,
                "missing value; this column is required".into(),
            );
            return None;
        }
        Some(t)
    }

    fn cell(&self, col: usize) -> Cell {
        match self.columns.slot(col) {
            Slot::Field(f) => self.record.cell(*f),
            _ => Cell::Text,
        }
    }

    pub fn date(&mut self, col: usize) -> Option<Day> {
        let cell = self.cell(col);
        let t = self.required_text(col)?;
        self.parse_date(col, cell, t)
    }

    /// An optional date: `Some(None)` when absent or empty.
    pub fn optional_date(&mut self, col: usize) -> Option<Option<Day>> {
        let cell = self.cell(col);
        let t = self.text(col)?;
        if t.is_empty() {
            return Some(None);
        }
        self.parse_date(col, cell, t).map(Some)
    }

    fn parse_date(&mut self, col: usize, cell: Cell, t: &str) -> Option<Day> {
        let day = match cell {
            Cell::Date(d) => Some(d),
            Cell::Number => t
                .split('.')
                .next()
                .and_then(|w| w.parse::<i64>().ok())
                .and_then(excel_serial),
            Cell::Error => {
                self.problem(
                    col,
                    Kind::Date,
                    format!("expected a date, found the error value {t}"),
                );
                return None;
            }
            Cell::Text => self.spec.dates.parse(t),
        };
        if let Some(message) = day.and_then(super::date::outside_window) {
            self.problem(col, Kind::Date, format!("{message}, found {t:?}"));
            return None;
        }
        if day.is_none() {
            let fmt = self.spec.dates.as_str();
            let message = if self.spec.mapped && !self.spec.date_format_set {
                format!("expected a date {fmt} (set date_format in [import.{}] for other forms), found {t:?}", self.schema.input)
            } else {
                format!("expected a date {fmt}, found {t:?}")
            };
            self.problem(col, Kind::Date, message);
        }
        day
    }

    /// A required amount in minor units of a currency with `exponent`
    /// digits, with the sign rule applied.
    pub fn amount(&mut self, col: usize, exponent: u32) -> Option<(Money, Option<[u8; 3]>)> {
        let cell = self.cell(col);
        let t = self.required_text(col)?;
        self.parse_amount(col, cell, t, exponent)
    }

    /// An optional amount: `Some(None)` when absent or empty.
    pub fn optional_amount(
        &mut self,
        col: usize,
        exponent: u32,
    ) -> Option<Option<(Money, Option<[u8; 3]>)>> {
        let cell = self.cell(col);
        let t = self.text(col)?;
        if t.is_empty() {
            return Some(None);
        }
        self.parse_amount(col, cell, t, exponent).map(Some)
    }

    fn parse_amount(
        &mut self,
        col: usize,
        cell: Cell,
        t: &str,
        exponent: u32,
    ) -> Option<(Money, Option<[u8; 3]>)> {
        let format = &self.spec.number;
        let parsed = match cell {
            // A number cell's text is a plain decimal whatever the locale.
            Cell::Number => parse_amount(t, &NumberFormat::PLAIN, exponent),
            Cell::Date(_) => {
                self.problem(
                    col,
                    Kind::Amount,
                    format!("expected an amount, found a date cell ({t})"),
                );
                return None;
            }
            Cell::Error => {
                self.problem(
                    col,
                    Kind::Amount,
                    format!("expected an amount, found the error value {t}"),
                );
                return None;
            }
            Cell::Text => parse_amount(t, format, exponent),
        };
        match parsed {
            Ok(a) if a.value.0.unsigned_abs() > MAX_AMOUNT as u64 => {
                self.problem(
                    col,
                    Kind::Amount,
                    format!("amount is too large (expected at most {MAX_AMOUNT} minor units), found {t:?}"),
                );
                None
            }
            Ok(a) => {
                let negative = self.negative()?;
                let value = if negative {
                    Money(-a.value.0.abs())
                } else {
                    a.value
                };
                Some((value, a.code))
            }
            Err(e) => {
                let message = match (&e, cell) {
                    (AmountError::TooManyDecimals { .. }, Cell::Number) => {
                        format!(
                            "{} (a number cell holding {t}; round it in the workbook)",
                            e.message(format)
                        )
                    }
                    _ => format!("{}, found {t:?}", e.message(format)),
                };
                self.problem(col, Kind::Amount, message);
                None
            }
        }
    }

    /// The sign rule's verdict for this row; `None` after a problem.
    fn negative(&mut self) -> Option<bool> {
        if let Some(s) = self.sign {
            return s;
        }
        let verdict = self.sign_verdict();
        self.sign = Some(verdict);
        verdict
    }

    fn sign_verdict(&mut self) -> Option<bool> {
        let (Some(rule), Some(field)) = (&self.spec.sign, self.sign_field) else {
            return Some(false);
        };
        let bytes = self.record.fields.get(field).unwrap_or_default();
        let value = String::from_utf8_lossy(bytes).trim().to_lowercase();
        let listed = |values: &[String]| values.iter().any(|v| v.to_lowercase() == value);
        if listed(&rule.negative) {
            return Some(true);
        }
        if rule.positive.is_empty() || listed(&rule.positive) {
            return Some(false);
        }
        let mut listed: Vec<String> = rule.positive.clone();
        listed.extend(rule.negative.iter().cloned());
        let header = rule.column.first().cloned().unwrap_or_default();
        self.push(
            Some(field + 1),
            Kind::Value,
            format!(
                "{header:?} (sign rule): expected one of {}, found {:?}",
                listed.join(", "),
                String::from_utf8_lossy(bytes).trim()
            ),
        );
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(fields: &[&str]) -> Record {
        Record {
            fields: csv::ByteRecord::from(fields.to_vec()),
            cells: Vec::new(),
            line: 1,
        }
    }

    #[test]
    fn rulings_are_lines_of_dashes_only() {
        // SAP's unconverted list: a bare ruling, and one between pipes
        // (empty first and last fields).
        assert!(is_ruling(&record(&["------------"])));
        assert!(is_ruling(&record(&["", "------------", ""])));
        assert!(is_ruling(&record(&[" ---", "", "--- "])));
        // A lone dash is an empty amount in some exports, not a ruling;
        // anything besides dashes makes the row data.
        assert!(!is_ruling(&record(&["", "-", ""])));
        assert!(!is_ruling(&record(&["-----", "1800000101"])));
        assert!(!is_ruling(&record(&["--- Total ---"])));
        assert!(!is_ruling(&record(&["", ""])));
    }
}

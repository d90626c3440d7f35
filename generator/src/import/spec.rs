//! The `[import.<input>]` settings of `arsite.toml` (snapshots, sales,
//! activity, customers) and the built-in presets for ERP exports, resolved
//! into one [`InputSpec`] per input. An input without a section is read as
//! arsite's canonical format, exactly as before mappings existed.

use super::date::DateFormat;
use super::number::NumberFormat;
use super::preset::Preset;
use super::source::{Encoding, Format, SourceSpec};
use super::table::Schema;
use arsite_core::Day;
use serde::Deserialize;
use std::collections::BTreeMap;

/// `[import]` as written.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawImport {
    pub snapshots: Option<RawInput>,
    pub sales: Option<RawInput>,
    pub activity: Option<RawInput>,
    pub customers: Option<RawInput>,
    /// The share of a snapshot's data rows that may be rejected, in percent,
    /// before the snapshot fails (see [`super::rejection`]); canonical
    /// files too, so it is not a section of its own.
    pub max_rejected_percent: Option<u8>,
}

/// One `[import.<input>]` section as written.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInput {
    pub preset: Option<String>,
    pub format: Option<String>,
    pub file: Option<String>,
    pub sheet: Option<String>,
    pub delimiter: Option<String>,
    pub encoding: Option<String>,
    pub decimal: Option<String>,
    pub thousands: Option<String>,
    pub date_format: Option<String>,
    pub header_row: Option<u64>,
    pub skip_rows: Option<Vec<String>>,
    pub as_of: Option<String>,
    #[serde(default)]
    pub columns: BTreeMap<String, Headers>,
    #[serde(default)]
    pub constants: BTreeMap<String, String>,
    pub sign: Option<RawSign>,
    /// Several columns making the document id (see [`super::rules`]).
    pub invoice_key: Option<Vec<String>>,
    /// Canonical column → value as exported → value arsite reads.
    #[serde(default)]
    pub values: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(default)]
    pub keep: Vec<super::rules::RawFilter>,
    pub file_date_format: Option<String>,
    /// `"title"`, `"file_name"`, or `{ sheet = "…", key = "…" }`.
    pub as_of_from: Option<RawAsOfFrom>,
    /// `[import.<input>.layout]`: group headings, subtotals (see [`super::layout`]).
    pub layout: Option<super::layout::RawLayout>,
}

/// `as_of_from` as written: a word (`"title"`, `"file_name"`) or the cell
/// of a workbook that holds the date (`{ sheet = "Info", key = "As of" }`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum RawAsOfFrom {
    Word(String),
    Cell(RawDateCell),
}

impl From<&str> for RawAsOfFrom {
    fn from(word: &str) -> Self {
        RawAsOfFrom::Word(word.to_string())
    }
}

/// `as_of_from = { sheet, key }`: the worksheet, and the text of the cell
/// beside (or above) the date.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDateCell {
    pub sheet: String,
    pub key: String,
}

/// A column's header in the export, or several spellings of it.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Headers {
    One(String),
    Many(Vec<String>),
}

impl Headers {
    pub(crate) fn list(&self) -> Vec<String> {
        match self {
            Headers::One(h) => vec![h.clone()],
            Headers::Many(v) => v.clone(),
        }
    }
}

/// `[import.<input>.sign]`: amounts of rows whose `column` holds one of
/// `negative` are made negative (whatever sign the export gave them);
/// with `positive` given, any value in neither list is a problem.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSign {
    pub column: Headers,
    pub negative: Vec<String>,
    #[serde(default)]
    pub positive: Vec<String>,
}

/// Headers for one canonical column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    /// Spellings of the header, any of which matches (case-insensitively).
    pub headers: Vec<String>,
    /// Written in `arsite.toml` (rather than coming from a preset): the
    /// column must then be in the file.
    pub explicit: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignRule {
    pub column: Vec<String>,
    pub negative: Vec<String>,
    pub positive: Vec<String>,
}

/// Where a snapshot's date comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AsOf {
    /// From the file name (`YYYY-MM-DD`, or in mappings also `YYYYMMDD`,
    /// anywhere in the name).
    FileName,
    /// The `as_of` column (all rows of a file must agree).
    Column,
    /// `as_of = "YYYY-MM-DD"` in the settings.
    Value(Day),
    /// `as_of_from = "title"`: from a title row above the header ("As of
    /// Mar 31, 2026"; see [`super::rules::title_date`]).
    Title,
    /// `as_of_from = { sheet, key }`: from the workbook cell right of (or
    /// below) the one reading `key` in `sheet` (see
    /// [`super::rules::peek_cell_date`]).
    Cell { sheet: String, key: String },
}

/// How to read one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputSpec {
    /// `false` for arsite's canonical format.
    pub mapped: bool,
    pub preset: Option<&'static str>,
    pub source: SourceSpec,
    /// The file, relative to the data folder (ledgers only).
    pub file: Option<String>,
    pub number: NumberFormat,
    pub dates: DateFormat,
    /// Whether `date_format` was set (else only ISO dates and serials read).
    pub date_format_set: bool,
    /// 1-based line of the header; `None`: line 1 for canonical files, else
    /// the first row holding the mapped headers.
    pub header_row: Option<u64>,
    /// Lower-cased prefixes of report lines to skip (by first non-empty cell).
    pub skip_rows: Vec<String>,
    pub as_of: AsOf,
    pub columns: BTreeMap<String, Mapping>,
    pub constants: BTreeMap<String, String>,
    pub sign: Option<SignRule>,
    /// Composite keys, value maps, row filters, file-name date format.
    pub rules: super::rules::Rules,
    pub layout: super::layout::LayoutSpec,
    /// From `[import] max_rejected_percent` (snapshots only).
    pub max_rejected_percent: u8,
}

/// The share of rejected rows (percent) past which a snapshot fails.
pub const DEFAULT_MAX_REJECTED_PERCENT: u8 = 50;

impl InputSpec {
    pub fn canonical() -> InputSpec {
        InputSpec {
            mapped: false,
            preset: None,
            source: SourceSpec::canonical(),
            file: None,
            number: NumberFormat::PLAIN,
            dates: DateFormat::iso_only(),
            date_format_set: false,
            header_row: None,
            skip_rows: Vec::new(),
            as_of: AsOf::FileName,
            columns: BTreeMap::new(),
            constants: BTreeMap::new(),
            sign: None,
            rules: super::rules::Rules::default(),
            layout: super::layout::LayoutSpec::default(),
            max_rejected_percent: DEFAULT_MAX_REJECTED_PERCENT,
        }
    }

    /// File extensions this input's files may have.
    pub fn extensions(&self) -> &'static [&'static str] {
        // Without `format`, a file's extension says how to read it, so any
        // known one is taken; the preset's format's come first (a ledger's
        // default file name is `<name>.<first>`).
        match (self.mapped, self.source.format_set, self.source.format) {
            (false, _, _) => &["csv"],
            (true, true, Format::Csv) => &["csv", "txt", "tsv"],
            (true, true, Format::Xlsx) => &["xlsx", "xlsm"],
            (true, true, Format::Xls) => &["xls"],
            (true, true, Format::Ods) => &["ods"],
            (true, false, Format::Xlsx) => &["xlsx", "xlsm", "xls", "ods", "csv", "txt", "tsv"],
            (true, false, Format::Xls) => &["xls", "xlsx", "xlsm", "ods", "csv", "txt", "tsv"],
            (true, false, Format::Ods) => &["ods", "xlsx", "xlsm", "xls", "csv", "txt", "tsv"],
            (true, false, Format::Csv) => &["csv", "txt", "tsv", "xlsx", "xlsm", "xls", "ods"],
        }
    }

    /// Resolves a section (with its preset) against the input's columns.
    pub fn from_raw(raw: &RawInput, schema: &Schema) -> Result<InputSpec, String> {
        let key = |k: &str| format!("import.{}.{k}", schema.input);
        let preset = match &raw.preset {
            Some(name) => {
                let p = Preset::find(name).ok_or_else(|| {
                    format!(
                        "{}: expected one of {}, found {name:?}",
                        key("preset"),
                        Preset::ALL
                            .iter()
                            .map(|p| p.name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })?;
                if schema.input != "snapshots" {
                    return Err(format!(
                        "{}: presets describe open-item exports and belong in [import.snapshots]",
                        key("preset")
                    ));
                }
                Some(p)
            }
            None => None,
        };
        InputSpec::with_preset(raw, preset, schema)
    }

    /// [`InputSpec::from_raw`] with the preset given rather than named
    /// (`arsite init` scores presets, tests too, that need not be in
    /// [`Preset::ALL`]); `raw.preset` is not looked at.
    pub fn with_preset(
        raw: &RawInput,
        preset: Option<&'static Preset>,
        schema: &Schema,
    ) -> Result<InputSpec, String> {
        let key = |k: &str| format!("import.{}.{k}", schema.input);
        let base = preset.map(Preset::settings).unwrap_or_default();
        let pick = |own: &Option<String>, base: &Option<String>| own.clone().or(base.clone());

        let format = match pick(&raw.format, &base.format).as_deref().map(str::trim) {
            None | Some("csv") => Format::Csv,
            Some("xlsx") => Format::Xlsx,
            Some("xls") => Format::Xls,
            Some("ods") => Format::Ods,
            Some(other) => {
                return Err(format!(
                    "{}: expected \"csv\", \"xlsx\", \"xls\" or \"ods\", found {other:?}",
                    key("format")
                ))
            }
        };
        let encoding = match pick(&raw.encoding, &base.encoding) {
            None => Encoding::Utf8,
            Some(e) => Encoding::parse(&e).ok_or_else(|| {
                format!(
                    "{}: expected \"utf-8\", \"utf-16le\" or \"windows-1252\", found {e:?}",
                    key("encoding")
                )
            })?,
        };
        let delimiter = match pick(&raw.delimiter, &base.delimiter) {
            None => None,
            Some(d) => Some(parse_delimiter(&d).ok_or_else(|| {
                format!(
                    "{}: expected one character such as \",\", \";\", \"\\t\" (or \"tab\") or \"|\", found {d:?}",
                    key("delimiter")
                )
            })?),
        };
        let decimal = match pick(&raw.decimal, &base.decimal) {
            None => '.',
            Some(d) => {
                let mut chars = d.chars();
                match (chars.next(), chars.next()) {
                    (Some(c @ ('.' | ',')), None) => c,
                    _ => {
                        return Err(format!(
                            "{}: expected \".\" or \",\", found {d:?}",
                            key("decimal")
                        ))
                    }
                }
            }
        };
        let thousands = pick(&raw.thousands, &base.thousands);
        let number = NumberFormat::regional(decimal, thousands.as_deref())
            .map_err(|e| format!("import.{}.{e}", schema.input))?;
        let date_format_set = raw.date_format.is_some() || base.date_format.is_some();
        let dates = match pick(&raw.date_format, &base.date_format) {
            None => DateFormat::new("YYYY-MM-DD").expect("valid format"),
            Some(f) => DateFormat::new(&f).map_err(|e| format!("{}: {e}", key("date_format")))?,
        };
        let header_row = raw.header_row.or(base.header_row);
        if header_row == Some(0) {
            return Err(format!(
                "{}: expected a line number from 1",
                key("header_row")
            ));
        }
        let skip_rows = raw
            .skip_rows
            .clone()
            .or(base.skip_rows.clone())
            .unwrap_or_default();
        if skip_rows.iter().any(|s| s.trim().is_empty()) {
            return Err(format!(
                "{}: an empty prefix would skip every row",
                key("skip_rows")
            ));
        }
        let skip_rows = skip_rows.iter().map(|s| s.trim().to_lowercase()).collect();

        let mut columns: BTreeMap<String, Mapping> = BTreeMap::new();
        for (source, explicit) in [(&base.columns, false), (&raw.columns, true)] {
            for (name, headers) in source {
                let headers = headers.list();
                if headers.is_empty() || headers.iter().any(|h| h.trim().is_empty()) {
                    return Err(format!(
                        "{}: expected a header name",
                        key(&format!("columns.{name}"))
                    ));
                }
                columns.insert(name.clone(), Mapping { headers, explicit });
            }
        }
        // Keys a preset may set too; the user's win. A user's own
        // columns.invoice_id replaces the preset's composite key.
        let invoice_key = raw.invoice_key.clone().or_else(|| {
            (!raw.columns.contains_key("invoice_id"))
                .then(|| base.invoice_key.clone())
                .flatten()
        });
        let mut values = base.values.clone();
        for (column, map) in &raw.values {
            values
                .entry(column.clone())
                .or_default()
                .extend(map.clone());
        }
        let keep: Vec<_> = base.keep.iter().chain(&raw.keep).cloned().collect();
        let file_date_format = raw.file_date_format.clone().or_else(|| {
            (raw.as_of.is_none() && raw.as_of_from.is_none())
                .then(|| base.file_date_format.clone())
                .flatten()
        });
        // A preset reading the date from the title yields to a user's as_of
        // or file_date_format.
        let as_of_from = raw.as_of_from.clone().or_else(|| {
            (raw.as_of.is_none() && raw.file_date_format.is_none())
                .then(|| base.as_of_from.clone())
                .flatten()
        });
        // A composite key: its first column is the invoice_id column.
        if let Some(first) = invoice_key.as_ref().and_then(|k| k.first()) {
            if raw.invoice_key.is_some() && raw.columns.contains_key("invoice_id") {
                return Err(format!(
                    "{}: the document id comes either from columns.invoice_id or from invoice_key, not both",
                    key("invoice_key")
                ));
            }
            columns.insert(
                "invoice_id".into(),
                Mapping {
                    headers: vec![first.clone()],
                    explicit: true,
                },
            );
        }
        let rules = super::rules::Rules::from_raw(
            &format!("import.{}", schema.input),
            invoice_key.as_deref(),
            &values,
            &keep,
            file_date_format.as_deref(),
        )?;
        if invoice_key.is_some() && schema.input != "snapshots" {
            return Err(format!(
                "{}: only snapshots have document ids",
                key("invoice_key")
            ));
        }
        if schema.input != "snapshots"
            && rules.keep.iter().any(|f| {
                matches!(
                    f.test,
                    super::rules::Test::Date(_, super::rules::DateRef::AsOf, _)
                )
            })
        {
            return Err(format!(
                "{}: \"as_of\" is a snapshot's date; a ledger's filter compares with a date YYYY-MM-DD",
                key("keep")
            ));
        }
        for name in rules.values.keys() {
            if schema.index(name).is_none() {
                return Err(format!(
                    "import.{}.values: unknown column {name:?}; expected one of {}",
                    schema.input,
                    schema.names().join(", ")
                ));
            }
        }
        let mut constants = base.constants.clone();
        constants.extend(raw.constants.clone());
        for name in columns.keys().chain(constants.keys()) {
            if schema.index(name).is_none() {
                return Err(format!(
                    "import.{}: unknown column {name:?}; expected one of {}",
                    schema.input,
                    schema.names().join(", ")
                ));
            }
        }
        for name in raw.constants.keys() {
            if raw.columns.contains_key(name) {
                return Err(format!(
                    "import.{}: {name:?} is both a column and a constant; keep one",
                    schema.input
                ));
            }
            // A constant replaces the preset's column.
            columns.remove(name);
        }
        let sign = match raw.sign.as_ref().or(base.sign.as_ref()) {
            None => None,
            Some(s) => {
                let column = s.column.list();
                if column.is_empty() || s.negative.is_empty() {
                    return Err(format!(
                        "{}: expected a column and at least one negative value",
                        key("sign")
                    ));
                }
                Some(SignRule {
                    column,
                    negative: s.negative.iter().map(|v| v.trim().to_string()).collect(),
                    positive: s.positive.iter().map(|v| v.trim().to_string()).collect(),
                })
            }
        };
        let as_of_setting = pick(&raw.as_of, &base.as_of);
        enum From {
            FileName,
            Title,
            Cell(String, String),
        }
        let from = match &as_of_from {
            None => From::FileName,
            Some(RawAsOfFrom::Word(w)) => match w.trim() {
                "file_name" => From::FileName,
                "title" => From::Title,
                other => {
                    return Err(format!(
                        "{}: expected \"title\", \"file_name\" or {{ sheet = \"…\", key = \"…\" }}, found {other:?}",
                        key("as_of_from")
                    ))
                }
            },
            Some(RawAsOfFrom::Cell(c)) => {
                if c.sheet.trim().is_empty() || c.key.trim().is_empty() {
                    return Err(format!(
                        "{}: expected a sheet name and the key text of the cell beside the date",
                        key("as_of_from")
                    ));
                }
                if format == Format::Csv {
                    return Err(format!(
                        "{}: a sheet and key need a workbook (format = \"xlsx\", \"xls\" or \"ods\")",
                        key("as_of_from")
                    ));
                }
                From::Cell(c.sheet.trim().to_string(), c.key.trim().to_string())
            }
        };
        let title = !matches!(from, From::FileName);
        if title && (as_of_setting.is_some() || rules.file_date.is_some()) {
            return Err(format!(
                "{}: the snapshot date comes from the {}, so as_of and file_date_format do not apply",
                key("as_of_from"),
                if matches!(from, From::Title) { "title" } else { "workbook cell" }
            ));
        }
        let as_of = match (
            as_of_setting,
            columns.contains_key("as_of") || constants.contains_key("as_of"),
        ) {
            (Some(_), true) => {
                return Err(format!(
                "{}: the snapshot date comes either from as_of or from the as_of column, not both",
                key("as_of")
            ))
            }
            (Some(v), false) => {
                let day = Day::parse_iso(&v).ok_or_else(|| {
                    format!("{}: expected a date YYYY-MM-DD, found {v:?}", key("as_of"))
                })?;
                if let Some(m) = super::date::outside_window(day) {
                    return Err(format!("{}: {m}", key("as_of")));
                }
                AsOf::Value(day)
            }
            (None, true) => AsOf::Column,
            (None, false) => match from {
                From::FileName => AsOf::FileName,
                From::Title => AsOf::Title,
                From::Cell(sheet, key) => AsOf::Cell { sheet, key },
            },
        };
        if rules.file_date.is_some() && as_of != AsOf::FileName {
            return Err(format!(
                "{}: the snapshot date does not come from the file name here (as_of or an as_of column is set)",
                key("file_date_format")
            ));
        }
        if as_of != AsOf::FileName && schema.input != "snapshots" {
            return Err(format!("{}: only snapshots have a date", key("as_of")));
        }
        let file = pick(&raw.file, &base.file);
        if file.is_some() && schema.input == "snapshots" {
            return Err(format!(
                "{}: snapshots are the files in the snapshots folder",
                key("file")
            ));
        }
        let layout = match raw.layout.as_ref().or(base.layout.as_ref()) {
            None => super::layout::LayoutSpec::default(),
            Some(l) => super::layout::LayoutSpec::from_raw(l, &key("layout"))?,
        };
        Ok(InputSpec {
            mapped: true,
            preset: preset.map(|p| p.name),
            source: SourceSpec {
                format,
                encoding,
                delimiter,
                sheet: pick(&raw.sheet, &base.sheet),
                format_set: raw.format.is_some(),
            },
            file,
            number,
            dates,
            date_format_set,
            header_row,
            skip_rows,
            as_of,
            columns,
            constants,
            sign,
            rules,
            layout,
            max_rejected_percent: DEFAULT_MAX_REJECTED_PERCENT,
        })
    }
}

/// The resolved `[import]` settings: one spec per input, canonical where
/// there is no section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSettings {
    pub snapshots: InputSpec,
    pub sales: InputSpec,
    pub activity: InputSpec,
    pub customers: InputSpec,
}

impl Default for ImportSettings {
    fn default() -> Self {
        ImportSettings {
            snapshots: InputSpec::canonical(),
            sales: InputSpec::canonical(),
            activity: InputSpec::canonical(),
            customers: InputSpec::canonical(),
        }
    }
}

impl ImportSettings {
    pub fn from_raw(raw: &RawImport) -> Result<ImportSettings, String> {
        use super::ledger_csv::{ACTIVITY, CUSTOMERS, SALES};
        use super::snapshot_csv::SCHEMA;
        let one = |r: &Option<RawInput>, schema: &Schema| match r {
            Some(r) => InputSpec::from_raw(r, schema),
            None => Ok(InputSpec::canonical()),
        };
        let mut snapshots = one(&raw.snapshots, &SCHEMA)?;
        if let Some(max) = raw.max_rejected_percent {
            if max > 100 {
                return Err(format!(
                    "import.max_rejected_percent: expected a percentage from 0 to 100, found {max}"
                ));
            }
            snapshots.max_rejected_percent = max;
        }
        Ok(ImportSettings {
            snapshots,
            sales: one(&raw.sales, &SALES)?,
            activity: one(&raw.activity, &ACTIVITY)?,
            customers: one(&raw.customers, &CUSTOMERS)?,
        })
    }
}

fn parse_delimiter(d: &str) -> Option<u8> {
    match d {
        "\t" | "tab" | "TAB" | "\\t" => return Some(b'\t'),
        _ => {}
    }
    let b = d.as_bytes();
    (b.len() == 1
        && b[0].is_ascii()
        && !b[0].is_ascii_alphanumeric()
        && b[0] != b'"'
        && b[0] != b'\n'
        && b[0] != b'\r')
        .then(|| b[0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::snapshot_csv::SCHEMA;

    fn spec(toml_text: &str) -> Result<InputSpec, String> {
        let raw: RawInput = toml::from_str(toml_text).map_err(|e| e.to_string())?;
        InputSpec::from_raw(&raw, &SCHEMA)
    }

    #[test]
    fn presets_resolve_and_user_keys_override_them() {
        let s = spec("preset = \"sap\"\n").unwrap();
        assert_eq!(s.preset, Some("sap-fbl5n"));
        assert_eq!(s.source.encoding, Encoding::Windows1252);
        // FBL5N files come TAB-, `|`- or `;`-separated: the sniffer decides.
        assert_eq!(s.source.delimiter, None);
        assert_eq!(s.skip_rows, vec!["*".to_string()]);
        let s = spec(
            "preset = \"sap-fbl5n\"\nencoding = \"utf-8\"\n[columns]\ndivision = \"Profit Center\"\n[constants]\ncollector = \"Team A\"\n",
        )
        .unwrap();
        assert_eq!(s.source.encoding, Encoding::Utf8);
        assert_eq!(s.columns["division"].headers, vec!["Profit Center"]);
        assert!(s.columns["division"].explicit);
        assert!(!s.columns["invoice_id"].explicit);
        assert!(!s.columns.contains_key("collector"));
        for p in Preset::ALL {
            assert!(
                spec(&format!("preset = {:?}", p.name)).is_ok(),
                "{}",
                p.name
            );
        }
    }

    #[test]
    fn settings_errors_name_the_key() {
        let err = |t: &str| spec(t).unwrap_err();
        assert!(
            err("preset = \"sage\"").contains("import.snapshots.preset: expected one of sap-fbl5n")
        );
        assert!(err("format = \"numbers\"").contains("import.snapshots.format"));
        assert!(err("encoding = \"ebcdic\"").contains("import.snapshots.encoding"));
        assert!(err("delimiter = \"ab\"").contains("import.snapshots.delimiter"));
        assert!(err("decimal = \";\"").contains("import.snapshots.decimal"));
        assert!(err("decimal = \",\"\nthousands = \",\"").contains("import.snapshots.thousands"));
        assert!(err("date_format = \"DD.MM\"").contains("import.snapshots.date_format"));
        assert!(err("header_row = 0").contains("import.snapshots.header_row"));
        assert!(err("skip_rows = [\"\"]").contains("import.snapshots.skip_rows"));
        assert!(err("[columns]\ninvoice = \"Doc\"").contains("unknown column \"invoice\""));
        assert!(err("as_of = \"31.10.2026\"").contains("import.snapshots.as_of"));
        assert!(err("bogus = 1").contains("unknown field"));
        assert!(err("invoice_key = [\"Doc\"]")
            .contains("import.snapshots.invoice_key: expected two or more"));
        assert!(err("[values.state]\nYes = \"disputed\"")
            .contains("import.snapshots.values: unknown column \"state\""));
        assert!(err("file_date_format = \"DD_MM\"").contains("import.snapshots.file_date_format"));
        assert!(err("as_of_from = \"sheet\"").contains("import.snapshots.as_of_from"));
        assert!(err("as_of_from = \"title\"\nas_of = \"2026-10-31\"")
            .contains("import.snapshots.as_of_from"));
        // A workbook cell: a sheet and key, in a workbook, and no as_of.
        let cell = "as_of_from = { sheet = \"Info\", key = \"As of\" }";
        assert!(err(cell).contains("import.snapshots.as_of_from: a sheet and key need a workbook"));
        assert!(err(&format!(
            "format = \"xlsx\"\n{cell}\nas_of = \"2026-10-31\""
        ))
        .contains("comes from the workbook cell"));
        assert!(
            err("format = \"xlsx\"\nas_of_from = { sheet = \"Info\", key = \" \" }")
                .contains("import.snapshots.as_of_from: expected a sheet name")
        );
        assert!(err("format = \"xlsx\"\nas_of_from = { sheet = \"Info\" }").contains("as_of_from"));
        assert_eq!(
            spec(&format!("format = \"ods\"\n{cell}")).unwrap().as_of,
            AsOf::Cell {
                sheet: "Info".into(),
                key: "As of".into()
            }
        );
        assert!(
            err("[[keep]]\ncolumn = \"T\"").contains("import.snapshots.keep[1]: expected one test")
        );
        let raw: RawInput =
            toml::from_str("[[keep]]\ncolumn = \"Paid\"\nafter = \"as_of\"").unwrap();
        assert!(InputSpec::from_raw(&raw, &crate::import::ledger_csv::SALES)
            .unwrap_err()
            .contains("import.sales.keep: \"as_of\" is a snapshot's date"));
        assert_eq!(
            spec("delimiter = \"tab\"").unwrap().source.delimiter,
            Some(b'\t')
        );
        assert_eq!(
            spec("[columns]\nas_of = \"Key date\"").unwrap().as_of,
            AsOf::Column
        );
    }
}

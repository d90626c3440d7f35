//! Which built-in preset an export is (`arsite init --from FILE`). The
//! file's first rows are read the way each preset reads them (its
//! encoding, delimiter and sheet, through [`super::source`], the importer's
//! own readers: BOMs, delimiter sniffing, xlsx/xls/ods sheets), and each
//! preset is scored by how its headers fit the best header row among them:
//!
//! - the share of the preset's columns whose header (any spelling) is in
//!   that row, and whether a column the import requires is missing;
//! - the share of the row's recognisable headers (those some preset reads)
//!   that this preset reads: headers specific to another preset count
//!   against it, so QuickBooks Online's `Customer` and `Amount` tell its
//!   export from QuickBooks Desktop's, whose columns are a subset;
//! - layout cues: a sheet the preset names that the workbook lacks, and
//!   the optional `[init]` cues of its definition (titles, sheet names,
//!   other headers; see [`InitHints`]).
//!
//! Nothing here names a preset: a preset added to [`Preset::ALL`] is
//! recognised by its own definition.

use super::layout::GroupHeading;
use super::preset::{InitHints, Preset};
use super::problem::{Kind, Problem};
use super::snapshot_csv::SCHEMA;
use super::source::{with_records, Input, Record, SourceInfo, SourceSpec};
use super::spec::{InputSpec, RawInput};
use super::table::{normalize, HEADER_SEARCH};
use std::collections::BTreeSet;
use std::path::Path;
use std::rc::Rc;

/// Rows read in all: the header search, then data rows (for the currency).
const READ_ROWS: usize = 200;

/// The least lead in score over the runner-up that makes a preset the
/// clear fit when both could read the file (scores run from 0 to about 2:
/// the two shares, plus 0.1 per matching cue).
pub const MARGIN: f64 = 0.25;

/// A matching `[init]` cue (title, sheet name) adds this much.
const CUE: f64 = 0.1;

/// The first rows of a file as one preset's source settings read them.
#[derive(Debug)]
pub struct Rows {
    /// (line, trimmed cells) of each row read.
    pub rows: Vec<(u64, Vec<String>)>,
    pub info: SourceInfo,
}

/// One column a preset reads, and the header the export has for it.
#[derive(Debug, Clone)]
pub struct ColumnFit {
    /// The canonical column (`invoice_id`), or what a rule reads the
    /// column for (`the sign rule`).
    pub name: String,
    pub spellings: Vec<String>,
    /// The import fails without it.
    pub required: bool,
    /// The header cell as the export writes it, when found.
    pub found: Option<String>,
}

/// How one preset fits the export.
pub struct Fit {
    pub preset: &'static Preset,
    pub spec: InputSpec,
    /// The line of the header row chosen (the best-fitting of the first
    /// rows), when any row holds one of the preset's headers.
    pub header_line: Option<u64>,
    pub columns: Vec<ColumnFit>,
    /// Layout cues, for messages ("the workbook has no sheet …").
    pub cues: Vec<String>,
    /// The preset's settings can read the file as it is (no required
    /// column missing, the sheet there).
    pub readable: bool,
    pub score: f64,
    /// The header cells (normalised) this preset reads.
    pub read_cells: BTreeSet<String>,
    /// Rows below the header hold a single cell that is no total: group
    /// headings, which may name the customer the header has no column for.
    pub headings_below: bool,
    /// The rows as this preset's settings read them; `Err` when they
    /// cannot read the file at all.
    pub rows: Result<Rc<Rows>, Problem>,
}

impl Fit {
    pub fn found(&self) -> usize {
        self.columns.iter().filter(|c| c.found.is_some()).count()
    }

    pub fn missing(&self, required: bool) -> Vec<&ColumnFit> {
        self.columns
            .iter()
            .filter(|c| c.found.is_none() && c.required == required)
            .collect()
    }

    /// `netsuite-ar-aging-detail: 7 of 9 columns found in the header at
    /// line 5 (missing: Class, Sales Rep — optional)`.
    pub fn summary(&self) -> String {
        let mut s = match self.found() {
            0 => format!(
                "{}: none of its {} columns found",
                self.preset.name,
                self.columns.len()
            ),
            n => format!(
                "{}: {n} of {} columns found",
                self.preset.name,
                self.columns.len()
            ),
        };
        if let Some(line) = self.header_line {
            s.push_str(&format!(" in the header at line {line}"));
        }
        if let Some(sheet) = self.rows.as_ref().ok().and_then(|r| r.info.sheet.as_ref()) {
            s.push_str(&format!(" of sheet {sheet:?}"));
        }
        let name = |c: &&ColumnFit| c.spellings.first().cloned().unwrap_or_default();
        let mut missing = Vec::new();
        // customer_id and customer_name often share a header: named once.
        let mut named = BTreeSet::new();
        for (required, word) in [(true, "required"), (false, "optional")] {
            let names: Vec<String> = self
                .missing(required)
                .iter()
                .map(name)
                .filter(|n| named.insert(n.clone()))
                .collect();
            if !names.is_empty() {
                missing.push(format!("{} — {word}", names.join(", ")));
            }
        }
        if !missing.is_empty() {
            s.push_str(&format!(" (missing: {})", missing.join("; ")));
        }
        if let Err(p) = &self.rows {
            s.push_str(&format!(
                " (its settings cannot read the file: {})",
                p.message
            ));
        }
        for cue in &self.cues {
            s.push_str(&format!("; {cue}"));
        }
        s
    }
}

/// What the scores say.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// `fits[0]` fits clearly better than any other.
    Clear,
    /// No preset is clearly best; `fits[0]` and `fits[1]` are the closest.
    Unclear,
}

/// Every preset of `presets` scored against the export at `path`, best
/// first. `Err` when no preset's settings can read the file at all (a
/// PDF, an empty file): the first such problem.
pub fn fits(path: &Path, presets: &[&'static Preset]) -> Result<Vec<Fit>, Problem> {
    let mut cache: Vec<(SourceSpec, Result<Rc<Rows>, Problem>)> = Vec::new();
    let all_spellings: BTreeSet<String> = presets
        .iter()
        .flat_map(|p| {
            let spec = spec_of(p);
            let hints = p.init_hints();
            columns_of(&spec)
                .into_iter()
                .flat_map(|c| c.spellings)
                .chain(hints.headers)
                .map(|h| normalize(&h))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut fits: Vec<Fit> = presets
        .iter()
        .map(|p| {
            let spec = spec_of(p);
            let (rows, sheet_cue) = read_as(path, &spec.source, &mut cache);
            fit(p, spec, rows, sheet_cue, &all_spellings)
        })
        .collect();
    if fits.iter().all(|f| f.rows.is_err()) {
        if let Some(Err(p)) = fits.first().map(|f| f.rows.clone()) {
            return Err(p);
        }
    }
    // Stable: equal fits keep the order of Preset::ALL.
    fits.sort_by(|a, b| {
        (b.readable, b.score)
            .partial_cmp(&(a.readable, a.score))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    Ok(fits)
}

/// Whether the best fit is clearly the best: it has a header row, and
/// either it can read the file and the runner-up cannot or leads by
/// [`MARGIN`]; or it leads by [`MARGIN`] and misses only the customer
/// column while rows below the header look like group headings (NetSuite's
/// A/R Aging Detail saved as Excel names each customer in a heading row:
/// the user then sets `group_heading`, which the written settings suggest).
pub fn verdict(fits: &[Fit]) -> Verdict {
    let Some(best) = fits.first() else {
        return Verdict::Unclear;
    };
    if best.header_line.is_none() || best.rows.is_err() {
        return Verdict::Unclear;
    }
    let Some(second) = fits.get(1) else {
        return Verdict::Clear;
    };
    let lead = best.score - second.score;
    let clear = if best.readable {
        !second.readable || lead >= MARGIN
    } else {
        let only_customer = best
            .missing(true)
            .iter()
            .all(|c| c.name == "customer_id" || c.name == "customer_name");
        only_customer && best.headings_below && lead >= MARGIN
    };
    if clear {
        Verdict::Clear
    } else {
        Verdict::Unclear
    }
}

/// What tells two fits apart: the headers of the file each reads and the
/// other does not, and the required columns each misses.
pub fn differences(a: &Fit, b: &Fit) -> Vec<String> {
    let mut out = Vec::new();
    let only = |x: &Fit, y: &Fit| -> Vec<String> {
        x.columns
            .iter()
            .filter_map(|c| c.found.clone())
            .filter(|h| !y.read_cells.contains(&normalize(h)))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(|h| format!("{h:?}"))
            .collect()
    };
    for (x, y) in [(a, b), (b, a)] {
        let own = only(x, y);
        if !own.is_empty() {
            out.push(format!(
                "{} reads {}, which {} does not",
                x.preset.name,
                own.join(", "),
                y.preset.name
            ));
        }
        let missing: Vec<String> = x
            .missing(true)
            .iter()
            .map(|c| {
                format!(
                    "{} ({})",
                    c.spellings
                        .iter()
                        .map(|s| format!("{s:?}"))
                        .collect::<Vec<_>>()
                        .join(" or "),
                    c.name
                )
            })
            .collect();
        if !missing.is_empty() {
            out.push(format!(
                "{} needs {}, not in the file",
                x.preset.name,
                missing.join(", ")
            ));
        }
    }
    if out.is_empty() {
        out.push(format!(
            "both read the same headers of this file (scores {:.2} and {:.2})",
            a.score, b.score
        ));
    }
    out
}

/// The preset's settings, resolved as `preset = "<name>"` alone would be.
pub fn spec_of(preset: &'static Preset) -> InputSpec {
    InputSpec::with_preset(&RawInput::default(), Some(preset), &SCHEMA)
        .unwrap_or_else(|e| panic!("preset {} does not resolve: {e}", preset.name))
}

/// The columns a spec reads from the header: the canonical ones it maps
/// (or requires), then those its rules read (sign, composite key, filters,
/// group-heading column).
pub fn columns_of(spec: &InputSpec) -> Vec<ColumnFit> {
    let mut out = Vec::new();
    let column = |name: String, spellings: Vec<String>, required: bool| ColumnFit {
        name,
        spellings,
        required,
        found: None,
    };
    for c in SCHEMA.columns {
        if spec.constants.contains_key(c.name) {
            continue;
        }
        // A customer named in group headings needs no column.
        let filled = spec.layout.fills(c.name);
        match spec.columns.get(c.name) {
            Some(m) => out.push(column(
                c.name.into(),
                m.headers.clone(),
                (c.mapped_required || m.explicit) && !filled,
            )),
            None if c.mapped_required && !filled => {
                out.push(column(c.name.into(), vec![c.name.into()], true))
            }
            None => {}
        }
    }
    if let Some(sign) = &spec.sign {
        out.push(column("the sign rule".into(), sign.column.clone(), true));
    }
    for h in &spec.rules.key {
        out.push(column("invoice_key".into(), vec![h.clone()], true));
    }
    for f in &spec.rules.keep {
        out.push(column(
            format!("the filter {}", f.text),
            f.column.clone(),
            true,
        ));
    }
    if let Some(GroupHeading::Column(h)) = &spec.layout.group_heading {
        out.push(column("group headings".into(), vec![h.clone()], true));
    }
    out
}

/// The file's first rows as `source` reads them (once per distinct
/// setting), and a cue when the sheet it names is missing (the first
/// sheet is then scored, so the message can say how close it came).
fn read_as(
    path: &Path,
    source: &SourceSpec,
    cache: &mut Vec<(SourceSpec, Result<Rc<Rows>, Problem>)>,
) -> (Result<Rc<Rows>, Problem>, Option<String>) {
    let mut once = |spec: &SourceSpec| {
        if let Some((_, r)) = cache.iter().find(|(s, _)| s == spec) {
            return r.clone();
        }
        let r = first_rows(path, spec).map(Rc::new);
        cache.push((spec.clone(), r.clone()));
        r
    };
    match once(source) {
        Err(p) if p.kind == Kind::Sheet && source.sheet.is_some() => {
            let first = SourceSpec {
                sheet: None,
                ..source.clone()
            };
            let cue = format!(
                "the preset reads the sheet {:?}, which this workbook lacks",
                source.sheet.as_deref().unwrap_or_default()
            );
            (once(&first), Some(cue))
        }
        r => (r, None),
    }
}

fn first_rows(path: &Path, spec: &SourceSpec) -> Result<Rows, Problem> {
    with_records(path, Input::Path(path), spec, |records, info| {
        let mut record = Record::default();
        let mut rows = Vec::new();
        while rows.len() < READ_ROWS {
            match records.read(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                // A row the source cannot split is not a header either.
                Err(p) if p.kind == Kind::Row => continue,
                Err(p) => return Err(p),
            }
            let cells = record
                .fields
                .iter()
                .map(|f| String::from_utf8_lossy(f).trim().to_string())
                .collect();
            rows.push((record.line, cells));
        }
        Ok(Rows {
            rows,
            info: info.clone(),
        })
    })?
}

fn fit(
    preset: &'static Preset,
    spec: InputSpec,
    rows: Result<Rc<Rows>, Problem>,
    sheet_cue: Option<String>,
    all_spellings: &BTreeSet<String>,
) -> Fit {
    let hints = preset.init_hints();
    let mut columns = columns_of(&spec);
    let mut cues: Vec<String> = sheet_cue.iter().cloned().collect();
    let mut header_line = None;
    let mut read_cells = BTreeSet::new();
    let mut score = 0.0;
    let mut headings_below = false;
    if let Ok(r) = &rows {
        let candidates = r
            .rows
            .iter()
            .take(HEADER_SEARCH)
            .filter(|(line, _)| spec.header_row.is_none_or(|h| h == *line));
        // The row with the fewest required columns missing, then the most
        // columns found; the first of equals.
        let best = candidates
            .map(|(line, cells)| (line, cells, matched(&columns, cells)))
            .filter(|(_, _, m)| m.iter().any(Option::is_some))
            .min_by_key(|(line, _, m)| {
                let missing_required = columns
                    .iter()
                    .zip(m)
                    .filter(|(c, f)| c.required && f.is_none())
                    .count();
                let found = m.iter().filter(|f| f.is_some()).count();
                (missing_required, usize::MAX - found, **line)
            });
        if let Some((line, cells, m)) = best {
            header_line = Some(*line);
            for (c, f) in columns.iter_mut().zip(m) {
                c.found = f;
            }
            let own: BTreeSet<String> = columns
                .iter()
                .flat_map(|c| c.spellings.iter())
                .chain(&hints.headers)
                .map(|h| normalize(h))
                .collect();
            let cells: BTreeSet<String> = cells
                .iter()
                .map(|c| normalize(c))
                .filter(|c| !c.is_empty())
                .collect();
            let known = cells.iter().filter(|c| all_spellings.contains(*c)).count();
            read_cells = cells.iter().filter(|c| own.contains(*c)).cloned().collect();
            let found = columns.iter().filter(|c| c.found.is_some()).count();
            score = found as f64 / columns.len().max(1) as f64
                + read_cells.len() as f64 / known.max(1) as f64;
            score += cue_score(&hints, &r.rows, *line, r.info.sheet.as_deref(), &mut cues);
            headings_below = r.rows.iter().any(|(l, cells)| {
                let mut filled = cells.iter().filter(|c| !c.is_empty());
                *l > *line
                    && matches!((filled.next(), filled.next()), (Some(c), None)
                        if !c.to_lowercase().starts_with("total"))
            });
        }
    }
    let readable = rows.is_ok()
        && sheet_cue.is_none()
        && header_line.is_some()
        && columns.iter().all(|c| !c.required || c.found.is_some());
    Fit {
        preset,
        spec,
        header_line,
        columns,
        cues,
        readable,
        score,
        read_cells,
        headings_below,
        rows,
    }
}

/// For each column, the header cell (as written) of the first spelling
/// found in `cells`.
fn matched(columns: &[ColumnFit], cells: &[String]) -> Vec<Option<String>> {
    let names: Vec<String> = cells.iter().map(|c| normalize(c)).collect();
    columns
        .iter()
        .map(|c| {
            c.spellings.iter().find_map(|s| {
                let s = normalize(s);
                names.iter().position(|n| *n == s).map(|i| cells[i].clone())
            })
        })
        .collect()
}

/// The `[init]` cues that match: a title above the header, the sheet's
/// name.
fn cue_score(
    hints: &InitHints,
    rows: &[(u64, Vec<String>)],
    header_line: u64,
    sheet: Option<&str>,
    cues: &mut Vec<String>,
) -> f64 {
    let mut score = 0.0;
    let title = hints.titles.iter().find(|t| {
        let t = normalize(t);
        rows.iter()
            .take_while(|(line, _)| *line < header_line)
            .flat_map(|(_, cells)| cells)
            .any(|c| normalize(c).contains(&t))
    });
    if let Some(t) = title {
        cues.push(format!("the title rows say {t:?}"));
        score += CUE;
    }
    if let Some(s) = sheet.filter(|s| hints.sheets.iter().any(|h| h.eq_ignore_ascii_case(s))) {
        cues.push(format!("the sheet is called {s:?}"));
        score += CUE;
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preset(name: &'static str, toml: &'static str) -> &'static Preset {
        Box::leak(Box::new(Preset {
            name,
            aliases: &[],
            title: name,
            toml,
        }))
    }

    fn file(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export 2026-10-31.csv");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    // Two presets whose columns share most headers, as QuickBooks Online's
    // A/R Aging Detail and QuickBooks Desktop's Open Invoices do: the
    // smaller one finds all of its four columns in either export, so the
    // share of the row's headers each reads decides.
    const ONLINE: &str = "[columns]\ninvoice_id = \"Num\"\ncustomer_id = \"Customer\"\n\
        invoice_date = \"Date\"\ndue_date = \"Due Date\"\namount = \"Amount\"\nopen_amount = \"Open Balance\"\n";
    const DESKTOP: &str = "[columns]\ninvoice_id = \"Num\"\ninvoice_date = \"Date\"\n\
        due_date = \"Due Date\"\nopen_amount = \"Open Balance\"\n\
        [layout]\ngroup_heading = \"single_cell\"\n";

    #[test]
    fn shared_headers_are_told_apart_by_the_headers_specific_to_one_preset() {
        let online = preset("online", ONLINE);
        let desktop = preset("desktop", DESKTOP);
        let presets = [desktop, online];
        // Online's export: Customer and Amount only Online reads.
        // Online: 6/6 columns + 6/6 known headers = 2.0; Desktop: 4/4 +
        // 4/6 = 1.67; both readable, lead 0.33 ≥ 0.25.
        let (_d, path) = file("Title\n\nDate,Num,Customer,Due Date,Amount,Open Balance\n");
        let fits = super::fits(&path, &presets).unwrap();
        assert_eq!(fits[0].preset.name, "online");
        assert!((fits[0].score - 2.0).abs() < 1e-9);
        assert!((fits[1].score - (1.0 + 4.0 / 6.0)).abs() < 1e-9);
        assert!(matches!(verdict(&fits), Verdict::Clear));
        assert_eq!(fits[0].header_line, Some(3));
        // Desktop's export: no Customer column, so Online cannot read it.
        let (_d, path) = file(",Type,Date,Num,Terms,Due Date,Aging,Open Balance\nAcme,,,,,,,\n");
        let fits = super::fits(&path, &presets).unwrap();
        assert_eq!(fits[0].preset.name, "desktop");
        assert!(!fits[1].readable);
        assert!(matches!(verdict(&fits), Verdict::Clear));
        assert_eq!(
            fits[1].summary(),
            "online: 4 of 6 columns found in the header at line 1 (missing: Customer — required; Amount — optional)"
        );
    }

    #[test]
    fn an_export_neither_fits_clearly_names_what_differs() {
        let online = preset("online", ONLINE);
        let desktop = preset("desktop", DESKTOP);
        // Only the four shared headers, and no customer column: Desktop
        // reads it (4/4 + 4/4 = 2.0), Online misses Customer (4/6 + 1).
        // Desktop can read it and Online cannot: clear. Without the
        // layout rule Desktop would miss the customer too.
        let (_d, path) = file("Date,Num,Due Date,Open Balance\n");
        let fits_ = fits(&path, &[online, desktop]).unwrap();
        assert_eq!(fits_[0].preset.name, "desktop");
        let plain = preset(
            "plain",
            "[columns]\ninvoice_id = \"Num\"\ncustomer_id = \"Client\"\ninvoice_date = \"Date\"\n\
             due_date = \"Due Date\"\nopen_amount = \"Open Balance\"\n",
        );
        let fits_ = fits(&path, &[online, plain]).unwrap();
        // online: 4/6 + 4/4 = 1.67; plain: 4/5 + 1 = 1.8; neither readable
        // and the lead (0.13) is under the margin.
        assert!(matches!(verdict(&fits_), Verdict::Unclear));
        assert_eq!(
            differences(&fits_[0], &fits_[1]),
            vec![
                "plain needs \"Client\" (customer_id), not in the file".to_string(),
                "online needs \"Customer\" (customer_id), not in the file".to_string(),
            ]
        );
    }

    #[test]
    fn init_cues_break_a_tie_and_a_named_sheet_must_exist() {
        let a = preset("a", "[columns]\ninvoice_id = \"No\"\ncustomer_id = \"Cust\"\ninvoice_date = \"Date\"\ndue_date = \"Due\"\nopen_amount = \"Open\"\n");
        let b = preset("b", "[columns]\ninvoice_id = \"No\"\ncustomer_id = \"Cust\"\ninvoice_date = \"Date\"\ndue_date = \"Due\"\nopen_amount = \"Open\"\n[init]\ntitles = [\"Aged Receivables\"]\nheaders = [\"Days\"]\n");
        let (_d, path) = file("Aged Receivables Detail\nNo,Cust,Date,Due,Open,Days\n");
        let fits_ = fits(&path, &[a, b]).unwrap();
        // a: 5/5 + 5/6 = 1.83; b: 5/5 + 6/6 + 0.1 (title) = 2.1.
        assert_eq!(fits_[0].preset.name, "b");
        assert!((fits_[0].score - 2.1).abs() < 1e-9);
        assert!(fits_[0]
            .summary()
            .contains("the title rows say \"Aged Receivables\""));
        assert!(matches!(verdict(&fits_), Verdict::Clear));

        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("Data").unwrap();
        for (c, h) in ["No", "Cust", "Date", "Due", "Open"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x 2026-10-31.xlsx");
        wb.save(&path).unwrap();
        let sheet = preset("sheet", "sheet = \"Open items\"\n[columns]\ninvoice_id = \"No\"\ncustomer_id = \"Cust\"\ninvoice_date = \"Date\"\ndue_date = \"Due\"\nopen_amount = \"Open\"\n");
        let fits_ = fits(&path, &[sheet, a]).unwrap();
        assert_eq!(fits_[0].preset.name, "a");
        assert!(!fits_[1].readable);
        assert!(fits_[1]
            .summary()
            .contains("the preset reads the sheet \"Open items\", which this workbook lacks"));
    }

    #[test]
    fn a_file_no_preset_can_read_is_an_error() {
        let (_d, path) = file("");
        let Err(e) = fits(&path, Preset::ALL) else {
            panic!("an empty file is read by no preset");
        };
        assert_eq!(e.kind, Kind::Empty);
    }
}

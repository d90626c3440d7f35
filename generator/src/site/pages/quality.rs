//! Data quality: what was read, used and rejected, per input file, with the
//! rejected rows and their amounts, so that input = used + rejected can be
//! checked on the page.

use crate::import::quality::FileQuality;
use crate::site::page::{Page, Section};
use crate::site::table::{Cell, DataTable};

fn file_table(id: &str, files: &[&FileQuality]) -> DataTable {
    let mut t = DataTable::new(
        id,
        "Rows and amounts per input file: input total = used total + rejected total",
        &[
            "File",
            "#Rows",
            "#Used",
            "#Skipped",
            "#Rejected",
            "#Input total",
            "#Used total",
            "#Rejected total",
        ],
    );
    for q in files {
        let exp = q.currency.exponent;
        t.push(vec![
            Cell::text(
                q.path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            ),
            Cell::int(q.rows as i64),
            Cell::int(q.used as i64),
            Cell::int(q.skipped as i64),
            Cell::int(q.rejected.len() as i64),
            Cell::money(q.input_total, exp),
            Cell::money(q.used_total, exp),
            Cell::money(q.rejected_total, exp),
        ]);
    }
    t
}

pub fn page(as_of: &str, snapshot: &FileQuality, ledgers: &[FileQuality]) -> Page {
    let mut files = vec![snapshot];
    files.extend(ledgers.iter());
    let mut kinds = DataTable::new(
        "problem-kinds",
        format!("Problems by kind in the snapshot file of {as_of}"),
        &["Kind", "#Count"],
    );
    for (kind, count) in &snapshot.summary().0 {
        kinds.push(vec![Cell::text(kind.as_str()), Cell::int(*count as i64)]);
    }
    let exp = snapshot.currency.exponent;
    let mut rejected = DataTable::new(
        "rejected-rows",
        format!("Rows of the {as_of} snapshot file that were not used (also in rejected.csv)"),
        &["#Line", "#Amount", "Problems", "Row as exported"],
    );
    for r in &snapshot.rejected {
        rejected.push(vec![
            Cell::int(r.line as i64),
            r.amount
                .map_or_else(Cell::empty_num, |m| Cell::money(m, exp)),
            Cell::text(
                r.problems
                    .iter()
                    .map(|p| p.message.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            Cell::text(r.fields.join(" | ")),
        ]);
    }
    // Rows read with a stand-in value or left out by a filter: counted, so
    // that none is used or dropped unseen (issue 14).
    let mut adjusted = DataTable::new(
        "adjusted-rows",
        format!(
            "Rows of the {as_of} snapshot file read with a stand-in value or left out by a filter"
        ),
        &["What", "#Rows"],
    );
    if snapshot.generated_ids > 0 {
        adjusted.push(vec![
            Cell::text("used without a document id: arsite gave each an id of the form ~<file>:<content hash>:<n>"),
            Cell::int(snapshot.generated_ids as i64),
        ]);
    }
    for (field, count) in &snapshot.defaulted {
        let what = match *field {
            "due_date" => "used without a due date: a credit, due on its document date".to_string(),
            other => format!("used with {other} defaulted"),
        };
        adjusted.push(vec![Cell::text(what), Cell::int(*count as i64)]);
    }
    for (filter, count) in &snapshot.filtered {
        adjusted.push(vec![
            Cell::text(format!("left out by the filter: keep rows whose {filter}")),
            Cell::int(*count as i64),
        ]);
    }
    let mut sections = vec![
        Section::new("files", "Input files").table(file_table("input-files", &files)),
        Section::new("kinds", "Problems by kind").table(kinds),
        Section::new("rejected", "Rejected rows").table(rejected),
    ];
    // Only when there is something to show: a clean file's page is as it was.
    if !adjusted.rows.is_empty() {
        sections.push(
            Section::new(
                "adjusted",
                "Defaulted values, generated ids and filtered rows",
            )
            .table(adjusted),
        );
    }
    if !snapshot.layout.is_empty() {
        sections.push(layout_section(as_of, snapshot));
    }
    Page {
        key: "quality",
        title: format!("Data quality of {as_of}"),
        lede: Some(
            "Rows that could not be used are never dropped silently: they are listed here with their amounts \
             and written to rejected.csv. The used rows are what every other page shows."
                .into(),
        ),
        notes: Vec::new(),
        sections,
    }
}

/// The report-layout rows recognised in the snapshot file (group headings,
/// subtotals, report totals, repeated headers: not invoices) and every
/// printed total that differs from the rows it sums, as the import found
/// them.
fn layout_section(as_of: &str, snapshot: &FileQuality) -> Section {
    let l = &snapshot.layout;
    let exp = snapshot.currency.exponent;
    let mut counts = DataTable::new(
        "layout-rows",
        format!(
            "Report layout rows of the {as_of} snapshot file, read as layout and not as invoices"
        ),
        &["Row", "#Count"],
    );
    for (what, n) in [
        ("group headings (customer filled down)", l.headings),
        ("subtotals (checked against their group)", l.subtotals),
        (
            "report totals (checked against the rows above)",
            l.report_totals,
        ),
        ("repeated header rows", l.repeated_headers),
    ] {
        counts.push(vec![Cell::text(what), Cell::int(n as i64)]);
    }
    let mut findings = DataTable::new(
        "layout-findings",
        "Printed totals that differ from their rows, and headings that fit no pattern",
        &["#Line", "Row", "#Printed", "#Rows add up to"],
    );
    for m in &l.mismatches {
        findings.push(vec![
            Cell::int(m.line as i64),
            Cell::text(if m.label.is_empty() {
                "(unlabelled total)".to_string()
            } else {
                m.label.clone()
            }),
            Cell::money(m.printed, exp),
            Cell::money(m.computed, exp),
        ]);
    }
    for (line, text) in &l.unmatched_headings {
        findings.push(vec![
            Cell::int(*line as i64),
            Cell::text(crate::import::layout::unmatched(text)),
            Cell::empty_num(),
            Cell::empty_num(),
        ]);
    }
    Section::new("layout", "Report layout")
        .table(counts)
        .table(findings)
}

//! Bad debt and allowance: write-offs by period, division and collector;
//! the allowance by bucket; agency placements, recoveries and liquidation;
//! write-off candidates with a CSV of supporting documents each.

use super::customers::Prepared;
use super::{slug, Inputs};
use crate::site::chart::{line_chart, stacked_bars, Series};
use crate::site::page::{Page, Section};
use crate::site::table::{neutralize, Cell, DataTable};
use arsite_core::ledger::ActivityKind;
use arsite_core::metrics::write_off_candidates::WriteOffLine;
use arsite_core::metrics::NamedAmount;

/// A file written beside the page (relative to the snapshot folder).
pub struct Extra {
    pub path: String,
    pub content: String,
}

fn named(id: &str, caption: String, first: &str, lines: &[NamedAmount]) -> DataTable {
    let mut t = DataTable::new(id, caption, &[first, "#Amount"]);
    for l in lines {
        t.push(vec![
            Cell::text(arsite_core::Snapshot::label(&l.name).to_string()),
            Cell::amount(&l.amount),
        ]);
    }
    t
}

pub fn page(inp: &Inputs, prepared: &Prepared) -> (Page, Vec<Extra>) {
    let k = inp.kpis;
    let b = &k.bad_debt;
    let s = inp.snapshot;
    let as_of = s.as_of;
    let exp = inp.exp();
    let h = inp.history;

    let mut periods = DataTable::new(
        "write-offs-by-period",
        format!("Write-offs and bad-debt ratio per period up to {as_of}"),
        &["Period ending", "#Write-offs", "#Bad-debt ratio %"],
    );
    for p in h.points.iter().rev() {
        periods.push(vec![
            Cell::link(p.as_of.clone(), format!("../{}/bad-debt.html", p.as_of)),
            Cell::money(p.write_offs, exp),
            Cell::dec(p.bad_debt_ratio),
        ]);
    }
    let labels = h.labels();
    let wo_chart = stacked_bars(
        "Write-offs per period",
        inp.code(),
        &labels,
        &[Series {
            name: "Write-offs".into(),
            values: h
                .points
                .iter()
                .map(|p| Some(p.write_offs.to_decimal(exp)))
                .collect(),
        }],
    );
    let ratio_chart = line_chart(
        "Bad-debt ratio per period (write-offs / credit sales)",
        "%",
        &labels,
        &[Series {
            name: "Bad-debt ratio".into(),
            values: h.points.iter().map(|p| p.bad_debt_ratio).collect(),
        }],
        None,
    );

    let mut allowance = DataTable::new(
        "allowance",
        format!("Allowance for doubtful accounts on {as_of} (aging method: Σ bucket × reserve %)"),
        &["Bucket", "#Open", "#Reserve %", "#Reserve"],
    );
    for l in &k.allowance.buckets {
        allowance.push(vec![
            Cell::text(l.bucket.clone()),
            Cell::amount(&l.open),
            Cell::dec(Some(l.percent)),
            Cell::amount(&l.reserve),
        ]);
    }
    allowance.footer = Some(vec![
        Cell::text("Total"),
        Cell::amount(&k.allowance.open),
        Cell::dec(k.allowance.coverage_percent),
        Cell::amount(&k.allowance.total),
    ]);

    let mut agency = DataTable::new(
        "agency",
        format!("Agency placements and recoveries up to {as_of}"),
        &["Figure", "Value"],
    );
    let mut fig = |name: &str, value: String| {
        agency.push(vec![Cell::text(name), Cell::text(value).with_class("num")])
    };
    fig(
        "Placed in period",
        format!(
            "{} ({} items)",
            inp.money(b.placements.money),
            b.placements_count
        ),
    );
    fig("Placed to date", inp.money(b.placed_to_date.money));
    fig(
        "Collected after placement",
        inp.money(b.collected_after_placement.money),
    );
    fig(
        "Liquidation rate (collected / placed)",
        b.liquidation_rate
            .map_or("—".into(), |r| format!("{r:.2} %")),
    );
    fig("Recoveries in period", inp.money(b.recoveries.money));
    fig(
        "Written off to date",
        inp.money(b.written_off_to_date.money),
    );
    fig("Recovered to date", inp.money(b.recovered_to_date.money));
    fig(
        "Recovery rate",
        b.recovery_rate.map_or("—".into(), |r| format!("{r:.2} %")),
    );
    fig(
        "Bad-debt ratio of the period",
        b.bad_debt_ratio.map_or("—".into(), |r| format!("{r:.2} %")),
    );

    // Write-off candidates and the watch list: core's lists, laid out.
    let w = &k.write_off_candidates;
    let days = w.rule.candidate_days;
    let window = w.rule.broken_promise_window_days;
    let mut extras = Vec::new();
    let mut candidates = DataTable::new(
        "write-off-candidates",
        format!(
            "Write-off candidates on {as_of}: amount more than {days} days past due, largest first"
        ),
        &[
            "Customer",
            "#Open",
            "#Past due",
            &format!("#At risk (over {days} days)"),
            &format!("#Broken promises ({window} days)"),
            "Placed",
            "Documentation",
        ],
    );
    for l in &w.candidates {
        let file = format!("bad-debt/{}.csv", slug(&l.customer_id));
        extras.push(Extra {
            path: file.clone(),
            content: documentation_csv(inp, prepared, l.customer),
        });
        candidates.push(write_off_row(inp, l, Some(file)));
    }
    candidates.footer = Some(vec![
        Cell::text(format!("Total ({} accounts)", w.candidate_count)),
        Cell::text(""),
        Cell::text(""),
        Cell::amount(&w.at_risk_total),
        Cell::text(""),
        Cell::text(""),
        Cell::text(""),
    ]);
    let mut watch = DataTable::new(
        "write-off-watch",
        format!(
            "Watch list on {as_of}: past due, nothing over {days} days, but {} or more broken promises in {window} days or placed with an agency",
            w.rule.broken_promise_count
        ),
        &[
            "Customer",
            "#Open",
            "#Past due",
            &format!("#At risk (over {days} days)"),
            &format!("#Broken promises ({window} days)"),
            "Placed",
        ],
    );
    for l in &w.watch {
        watch.push(write_off_row(inp, l, None));
    }
    let candidate_note = format!(
        "Write-off candidates: accounts with an amount more than {days} days past due (open items over the \
         threshold, credits that old netted), sorted by that amount at risk; the whole balance is shown beside it. \
         Broken promises count when due in the last {window} days (promised date + grace). Accounts with \
         nothing over {days} days go on the watch list instead: something past due and {} or more broken \
         promises in the window, or an open item with the agency. Set in arsite.toml [bad_debt].",
        w.rule.broken_promise_count
    );
    let page = Page {
        key: "bad-debt",
        title: format!("Bad debt and allowance on {as_of}"),
        lede: Some(format!("Write-offs of the period {} to {}; bad-debt ratio = write-offs / credit sales of the period.", k.period_start, k.period_end)),
        notes: inp.sales_note().into_iter().chain([candidate_note]).collect(),
        sections: vec![
            Section::new("write-offs", "Write-offs")
                .chart(wo_chart)
                .table(periods)
                .table(named("write-offs-by-division", "Write-offs of the period by division".to_string(), "Division", &b.write_offs_by_division))
                .table(named("write-offs-by-collector", "Write-offs of the period by collector".to_string(), "Collector", &b.write_offs_by_collector)),
            Section::new("ratio", "Bad-debt ratio trend").chart(ratio_chart),
            Section::new("allowance", "Allowance").table(allowance),
            Section::new("agency", "Agency placements and recoveries").table(agency),
            Section::new("candidates", "Write-off candidates")
                .table(candidates)
                .table(watch),
        ],
    };
    (page, extras)
}

/// One line of the candidate or watch list; `file` links its documentation.
fn write_off_row(inp: &Inputs, l: &WriteOffLine, file: Option<String>) -> Vec<Cell> {
    let c = &inp.snapshot.customers[l.customer];
    let mut row = vec![
        Cell::link(
            format!("{} ({})", c.name, c.id),
            format!("customers/{}.html", slug(&c.id)),
        ),
        Cell::amount(&l.balance),
        Cell::amount(&l.past_due),
        Cell::amount(&l.at_risk),
        Cell::int(i64::from(l.broken_promises)),
        Cell::text(if l.placed { "yes" } else { "no" }),
    ];
    if let Some(f) = file {
        row.push(Cell::link("CSV", f));
    }
    row
}

/// Supporting documentation for an agency: open invoices, then contacts,
/// promises and disputes, one CSV with a record-type column.
fn documentation_csv(inp: &Inputs, prepared: &Prepared, ci: usize) -> String {
    let s = inp.snapshot;
    let exp = inp.exp();
    let c = &s.customers[ci];
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Field 5 is the amount: a number, never neutralized (a leading minus is its sign).
    let mut row = |fields: [String; 8]| {
        w.write_record(fields.iter().enumerate().map(|(i, f)| {
            if i == 5 {
                f.clone()
            } else {
                neutralize(f)
            }
        }))
        .expect("writing to memory")
    };
    row([
        "record",
        "date",
        "customer_id",
        "customer_name",
        "document",
        "amount",
        "detail",
        "note",
    ]
    .map(String::from));
    for &i in &prepared.invoices[ci] {
        let inv = &s.invoices[i];
        row([
            "open_invoice".into(),
            inv.invoice_date.to_string(),
            c.id.clone(),
            c.name.clone(),
            inv.invoice_id.clone(),
            inv.open.to_decimal(exp).to_string(),
            format!(
                "due {}, {} days past due, status {}",
                inv.due_date,
                inv.days_past_due(s.as_of),
                inv.status.as_str()
            ),
            String::new(),
        ]);
    }
    for a in inp.customer_activity(&c.id) {
        let record = match a.kind() {
            ActivityKind::Contact => "contact",
            ActivityKind::Promise => "promise",
            ActivityKind::DisputeOpened => "dispute_opened",
            ActivityKind::DisputeResolved => "dispute_resolved",
            ActivityKind::Placement => "placement",
            _ => continue,
        };
        row([
            record.into(),
            a.date().to_string(),
            c.id.clone(),
            c.name.clone(),
            a.invoice_id().to_string(),
            a.amount().to_decimal(exp).to_string(),
            a.reference().to_string(),
            a.note().to_string(),
        ]);
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("UTF-8")
}

//! Bad debt and allowance: write-offs by period, division and collector;
//! the allowance by bucket; agency placements, recoveries and liquidation;
//! write-off candidates with a CSV of supporting documents each.

use super::customers::Prepared;
use super::{slug, Inputs};
use crate::site::chart::{line_chart, stacked_bars, Palette, Series};
use crate::site::page::{Page, Section};
use crate::site::table::{neutralize, Cell, DataTable};
use arsite_core::ledger::ActivityKind;
use arsite_core::metrics::write_off_candidates::WriteOffLine;
use arsite_core::metrics::NamedAmount;
use rust_decimal::Decimal;

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
        &[
            "Period ending",
            "#Write-offs",
            "#Bad-debt ratio %",
            "#Bad-debt ratio (bp)",
        ],
    );
    for p in h.points.iter().rev() {
        periods.push(vec![
            Cell::link(p.as_of.clone(), format!("../{}/bad-debt.html", p.as_of)),
            Cell::money(p.write_offs, exp),
            Cell::dec(p.bad_debt_ratio),
            Cell::dec(p.bad_debt_ratio_bp),
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
        Palette::Categorical,
    );
    // In basis points: write-offs are usually a small fraction of sales.
    let ratio_chart = line_chart(
        "Bad-debt ratio per period (write-offs / credit sales), basis points",
        "bp",
        &labels,
        &[Series {
            name: "Bad-debt ratio".into(),
            values: h.points.iter().map(|p| p.bad_debt_ratio_bp).collect(),
        }],
        None,
    );

    let al = &k.allowance;
    let mut allowance = DataTable::new(
        "allowance",
        format!(
            "Allowance for doubtful accounts on {as_of} (aging method: Σ debit balances of the bucket × reserve %)"
        ),
        &[
            "Bucket",
            "#Open (net)",
            "#Debit balances",
            "#Reserve %",
            "#Reserve",
        ],
    );
    for l in &al.buckets {
        allowance.push(vec![
            Cell::text(l.bucket.clone()),
            Cell::amount(&l.open),
            Cell::amount(&l.debit_balances),
            Cell::dec(Some(l.percent)),
            Cell::amount(&l.reserve),
        ]);
    }
    // The footer's percentage is the coverage: allowance / debit balances.
    allowance.footer = Some(vec![
        Cell::text("Total (coverage %)"),
        Cell::amount(&al.open),
        Cell::amount(&al.debit_balances),
        Cell::dec(al.coverage_percent),
        Cell::amount(&al.total),
    ]);
    let mut allowance_divisions = named(
        "allowance-by-division",
        format!("Allowance by division on {as_of} (adds up to the total)"),
        "Division",
        &al.by_division,
    );
    allowance_divisions.footer = Some(vec![Cell::text("Total"), Cell::amount(&al.total)]);

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
        ratio_text(b.bad_debt_ratio, b.bad_debt_ratio_bp),
    );
    let t = &b.trailing_12_months;
    fig(
        &format!(
            "Bad-debt ratio net of recoveries, 12 months {} to {}",
            t.start, t.end
        ),
        match &t.insufficient_history {
            Some(why) => format!("insufficient history ({why})"),
            None => ratio_text(t.net_ratio, t.net_ratio_bp),
        },
    );
    fig(
        "Written off in the 12 months",
        inp.money(t.write_offs.money),
    );
    fig("Recovered in the 12 months", inp.money(t.recoveries.money));
    fig(
        "Credit sales of the 12 months",
        t.sales.map_or("not covered".into(), |s| inp.money(s.money)),
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
        notes: inp.sales_note().into_iter().chain(notes()).chain([candidate_note]).collect(),
        sections: vec![
            Section::new("write-offs", "Write-offs")
                .chart(wo_chart)
                .table(periods)
                .table(named("write-offs-by-division", "Write-offs of the period by division".to_string(), "Division", &b.write_offs_by_division))
                .table(named("write-offs-by-collector", "Write-offs of the period by collector".to_string(), "Collector", &b.write_offs_by_collector)),
            Section::new("ratio", "Bad-debt ratio trend").chart(ratio_chart),
            Section::new("allowance", "Allowance").table(allowance).table(allowance_divisions),
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

/// A ratio as a controller reads it: percent, or basis points (1 bp =
/// 0.01 %) when below 0.1 % so that a small ratio does not print as 0.00 %.
fn ratio_text(percent: Option<Decimal>, bp: Option<Decimal>) -> String {
    match (percent, bp) {
        (_, Some(bp)) if bp.abs() < Decimal::TEN => {
            format!("{bp:.2} bp ({:.4} %)", bp / Decimal::ONE_HUNDRED)
        }
        (Some(p), _) => format!("{p:.2} %"),
        _ => "—".into(),
    }
}

/// How the allowance and the ratios on this page are defined.
fn notes() -> [String; 3] {
    [
        "Allowance: each bucket reserves on its debit balances, the positive net amount of each customer in the bucket. \
         A customer's credit balance (credit memos, unapplied cash) is a liability to that customer: it reserves nothing and \
         does not offset another customer's debt, so the allowance is never negative. Coverage = allowance / debit balances."
            .into(),
        "Allowance by division: each bucket's reserve is split among the divisions in proportion to their debit balances \
         in it, rounding by largest remainder, so the divisions add up to the total to the cent."
            .into(),
        "Bad-debt ratios are shown in basis points below 0.1 % (1 bp = 0.01 %). The 12-month ratio is net of recoveries: \
         (write-offs − recoveries of the 12 months ending on the snapshot date) / credit sales of the same 12 months; \
         it needs sales for all 12 months and an activity log reaching back to their first month (\"insufficient history\" otherwise)."
            .into(),
    ]
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

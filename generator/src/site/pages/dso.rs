//! DSO trend: countback DSO (or the configured method), BPDSO and ADD for
//! every snapshot up to this one, with the target, and per division; then
//! this snapshot's CEI (period and rolling) and payment timing. Every
//! figure comes from core; this module only lays them out and says what
//! each rests on.

use super::{dso_text, Inputs};
use crate::site::chart::{line_chart, Series};
use crate::site::page::{Page, Section};
use crate::site::table::{Cell, DataTable};
use arsite_core::metrics::cei::RollingStatus;
use arsite_core::metrics::days_to_pay::TimingStatus;
use std::collections::BTreeSet;

pub fn page(inp: &Inputs) -> Page {
    let k = inp.kpis;
    let h = inp.history;
    let as_of = inp.snapshot.as_of.to_string();
    let method = k.dso.method.as_str();
    let labels = h.labels();
    let chart = line_chart(
        &format!("DSO ({method}), BPDSO and ADD by snapshot"),
        "days",
        &labels,
        &[
            Series {
                name: "DSO".into(),
                values: h.points.iter().map(|p| p.dso).collect(),
            },
            Series {
                name: "BPDSO".into(),
                values: h.points.iter().map(|p| p.bpdso).collect(),
            },
            Series {
                name: "ADD".into(),
                values: h.points.iter().map(|p| p.add).collect(),
            },
        ],
        k.dso.target,
    );
    let mut trend = DataTable::new(
        "dso-trend",
        format!("DSO ({method}), BPDSO and ADD in days for every snapshot up to {as_of}"),
        &["Snapshot", "#DSO", "#BPDSO", "#ADD", "#Target"],
    );
    for p in h.points.iter().rev() {
        trend.push(vec![
            Cell::link(p.as_of.clone(), format!("../{}/dso.html", p.as_of)),
            Cell::dec(p.dso),
            Cell::dec(p.bpdso),
            Cell::dec(p.add),
            Cell::dec(k.dso.target),
        ]);
    }
    let mut methods = DataTable::new(
        "dso-methods",
        format!("Every DSO method on {as_of}"),
        &["Method", "Days"],
    );
    for (name, v) in [
        ("Countback", &k.dso.countback),
        ("Standard", &k.dso.standard),
        ("True", &k.dso.true_dso),
    ] {
        methods.push(vec![Cell::text(name), Cell::text(dso_text(v))]);
    }
    let mut months = DataTable::new(
        "dso-months",
        "Credit sales used by the DSO methods, newest month first",
        &["Month", "#Days counted", "#Credit sales"],
    );
    for m in &k.dso.months {
        months.push(vec![
            Cell::text(m.month.clone()),
            Cell::int(i64::from(m.days)),
            Cell::amount(&m.sales),
        ]);
    }
    let divisions: BTreeSet<&String> = h
        .points
        .iter()
        .flat_map(|p| p.division_dso.keys())
        .collect();
    let division_chart = line_chart(
        &format!("DSO ({method}) by division"),
        "days",
        &labels,
        &divisions
            .iter()
            .map(|d| Series {
                name: (*d).clone(),
                values: h
                    .points
                    .iter()
                    .map(|p| p.division_dso.get(*d).copied().flatten())
                    .collect(),
            })
            .collect::<Vec<_>>(),
        k.dso.target,
    );
    let mut by_division = DataTable::new(
        "dso-by-division",
        format!(
            "DSO ({method}) by division on {as_of}: each division's AR over its own credit sales"
        ),
        &["Division", "DSO", "BPDSO", "#ADD"],
    );
    for d in &k.dso.by_division {
        by_division.push(vec![
            Cell::text(d.division.clone()),
            Cell::text(dso_text(&d.dso)),
            Cell::text(dso_text(&d.bpdso)),
            Cell::dec(d.add),
        ]);
    }
    Page {
        key: "dso",
        title: format!("DSO trend up to {as_of}"),
        lede: Some(format!(
            "DSO by the {method} method (see the metrics documentation). BPDSO applies the same method to current (not yet due) AR only; \
             ADD = DSO − BPDSO, the days attributable to late payment. Below: the collection effectiveness \
             index and the period's payment timing.{}",
            k.dso.target.map_or(String::new(), |t| format!(" The dashed line is the target of {t:.2} days."))
        )),
        notes: inp.sales_note().into_iter().chain(derived_sales_note(inp)).collect(),
        sections: vec![
            Section::new("trend", "Trend").chart(chart).table(trend),
            Section::new("methods", "This snapshot by method")
                .table(methods)
                .table(months)
                .text(
                    "Countback: a month with zero credit sales is passed over whole; a month with \
                     negative net sales stops the walk (Oracle HFM's rule) and the DSO is then not \
                     given.",
                ),
            Section::new("by-division", "By division")
                .chart(division_chart)
                .table(by_division)
                .text(
                    "A division's month without a row in sales.csv is missing, not zero: the \
                     division's DSO then says how many months of its sales are known.",
                ),
            cei_section(inp),
            timing_section(inp),
        ],
    }
}

/// With derived sales: what the period's activity added to them and what
/// it kept out.
fn derived_sales_note(inp: &Inputs) -> Option<String> {
    let d = &inp.kpis.sales_detail;
    inp.kpis.sales_derived.then(|| {
        format!(
            "Of the period's derived credit sales, {} ({} document(s)) are an estimate: payments on \
             documents no snapshot shows, taken as invoices issued and paid inside the period. \
             Credit memos of {} are deductions, not sales; unapplied cash of {} is no sale.",
            inp.money(d.estimated.money),
            d.estimated_documents,
            inp.money(d.credit_memo_deductions.money),
            inp.money(d.unapplied_cash.money),
        )
    })
}

fn cei_section(inp: &Inputs) -> Section {
    let c = &inp.kpis.cei;
    let mut table = DataTable::new(
        "cei",
        format!("Collection effectiveness index on {}", inp.snapshot.as_of),
        &[
            "CEI",
            "Beginning AR as of",
            "#Beginning AR",
            "#Credit sales",
            "#Ending AR",
            "#Ending current AR",
            "#CEI %",
        ],
    );
    if let (Some(p), Some(prev)) = (&c.period, &inp.kpis.previous_as_of) {
        table.push(vec![
            Cell::text("Period (since the previous snapshot)"),
            Cell::text(prev.clone()),
            Cell::amount(&p.beginning),
            Cell::amount(&p.sales),
            Cell::amount(&p.ending),
            Cell::amount(&p.ending_current),
            Cell::dec(p.cei),
        ]);
    }
    if let Some(r) = &c.rolling {
        table.push(vec![
            Cell::text(format!(
                "Rolling {} months ({} to {})",
                r.window_months, r.window_start, inp.snapshot.as_of
            )),
            Cell::text(r.beginning_as_of.clone()),
            Cell::amount(&r.beginning),
            Cell::amount(&r.sales),
            Cell::amount(&r.ending),
            Cell::amount(&r.ending_current),
            Cell::dec(r.cei),
        ]);
    }
    let n = c.rolling_window_months;
    let status = match &c.rolling_status {
        RollingStatus::Computed => String::new(),
        RollingStatus::InsufficientHistory { needs_snapshot } => format!(
            " Rolling CEI: insufficient history — its window begins with the AR of a snapshot \
             dated {needs_snapshot}, and there is none."
        ),
        RollingStatus::SalesNotCovered { window_start } => format!(
            " Rolling CEI: not available — credit sales do not cover {window_start} to {}.",
            inp.snapshot.as_of
        ),
    };
    Section::new("cei", "Collection effectiveness (CEI)")
        .table(table)
        .text(format!(
            "CEI = (beginning AR + credit sales − ending AR) / (beginning AR + credit sales − \
             ending current AR) × 100. The rolling CEI averages the sales of {n} months (sales / \
             {n}) and begins with the AR at the start of that window — the snapshot dated {n} \
             month(s) before this one — not the previous snapshot's.{status}"
        ))
}

fn timing_section(inp: &Inputs) -> Section {
    let t = &inp.kpis.days_to_pay;
    let mut table = DataTable::new(
        "days-to-pay",
        format!(
            "Payment timing from {} to {}, weighted by amount paid",
            inp.kpis.period_start, inp.kpis.period_end
        ),
        &["Figure", "#Days"],
    );
    table.push(vec![
        Cell::text("Weighted days to pay"),
        Cell::dec(t.weighted_days_to_pay),
    ]);
    table.push(vec![
        Cell::text("Weighted days late"),
        Cell::dec(t.weighted_days_late),
    ]);
    let coverage = t
        .coverage_percent
        .map_or("—".to_string(), |c| format!("{c:.2} %"));
    let basis = match t.status {
        TimingStatus::Computed => format!("Based on {coverage} of the period's cash"),
        TimingStatus::InsufficientData => format!(
            "Insufficient data: the invoice date is known for only {coverage} of the period's \
             cash, below the {} % these figures need",
            t.min_coverage_percent
        ),
        TimingStatus::NoPayments => "No payments in the period".to_string(),
    };
    Section::new("days-to-pay", "Payment timing")
        .table(table)
        .text(format!(
        "{basis} ({} of {}). Payments whose invoice no snapshot shows — mostly invoices issued and \
         paid inside the period, which pay quickly — have no known invoice date ({} of cash) and \
         are left out, so the average leans long; unapplied cash ({}) pays no invoice.",
        inp.money(t.amount_matched.money),
        inp.money(t.period_cash.money),
        inp.money(t.amount_unmatched.money),
        inp.money(t.amount_unapplied.money),
    ))
}

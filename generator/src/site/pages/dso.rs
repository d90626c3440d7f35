//! DSO trend: countback DSO (or the configured method), BPDSO and ADD for
//! every snapshot up to this one, with the target, and per division.

use super::{dso_text, Inputs};
use crate::site::chart::{line_chart, Series};
use crate::site::page::{Page, Section};
use crate::site::table::{Cell, DataTable};
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
             ADD = DSO − BPDSO, the days attributable to late payment.{}",
            k.dso.target.map_or(String::new(), |t| format!(" The dashed line is the target of {t:.2} days."))
        )),
        notes: inp.sales_note().into_iter().collect(),
        sections: vec![
            Section::new("trend", "Trend").chart(chart).table(trend),
            Section::new("methods", "This snapshot by method").table(methods).table(months),
            Section::new("by-division", "By division").chart(division_chart).table(by_division),
        ],
    }
}

//! The collector scorecard of the selection: one line per collector with
//! selected items, sortable by any column, with the supervisor's limits
//! flagged in words (and in colour). Every figure is `core::portfolio`'s.
//! Choosing a collector lists their customers (see `actions`).

use crate::data::Data;
use crate::html::{esc, head_cell, Head, Row};
use crate::state::Ctx;
use arsite_core::portfolio::{self, Breach, Kpi, Kpis, Thresholds};
use arsite_core::Snapshot;
use leptos::prelude::*;
use rust_decimal::Decimal;
use std::fmt::Write;

fn ratio(v: Option<Decimal>) -> String {
    v.map_or_else(|| "—".to_string(), |d| d.to_string())
}

fn cell_text(d: &Data, kpi: Kpi, k: &Kpis) -> String {
    match kpi {
        Kpi::Collector => String::new(),
        Kpi::OpenAr => d.money(k.open_ar),
        Kpi::Invoices => k.invoices.to_string(),
        Kpi::Customers => k.customers.to_string(),
        Kpi::CurrentPercent => ratio(k.current_percent),
        Kpi::Over90Percent => ratio(k.over_90_percent),
        Kpi::PastDue => d.money(k.past_due),
        Kpi::WeightedDpd => ratio(k.weighted_dpd),
    }
}

fn flag(b: Breach) -> String {
    match b {
        Breach::Below(min) => format!("below {min}"),
        Breach::Above(max) => format!("above {max}"),
    }
}

/// One line's figures (every column after the name).
fn kpi_cells<'a>(row: Row<'a>, d: &Data, t: &Thresholds, k: &Kpis) -> Row<'a> {
    Kpi::ALL[1..]
        .iter()
        .fold(row, |row, &kpi| match t.breach(kpi, k) {
            None => row.num(
                &cell_text(d, kpi, k),
                &format!(" data-kpi=\"{}\"", kpi.key()),
            ),
            Some(b) => row.raw(&format!(
                "<td class=\"num breach\" data-kpi=\"{}\">{}<span class=\"flag\"> ⚠ {}</span></td>",
                kpi.key(),
                esc(&cell_text(d, kpi, k)),
                flag(b)
            )),
        })
}

/// The limits in words.
fn legend(t: &Thresholds) -> String {
    let mut out = String::new();
    for kpi in Kpi::ALL {
        if let Some((v, min)) = t.limit(kpi) {
            let how = if min { "at least" } else { "at most" };
            out.push_str(if out.is_empty() { "Limits: " } else { "; " });
            let _ = write!(out, "{} {how} {v}", kpi.label());
        }
    }
    if out.is_empty() {
        "No limits are set.".to_string()
    } else {
        out + "."
    }
}

pub fn html(ctx: Ctx) -> String {
    let d = ctx.data;
    let t = &d.settings.thresholds;
    let sort = ctx.state.read().scorecard_sort;
    {
        let sel = ctx.selection.read();
        let mut lines = portfolio::lines(&sel.by_collector, &d.table.collectors);
        portfolio::sort(&mut lines, sort.key, sort.descending);
        let outside = lines.iter().filter(|l| t.breaches(&l.kpis) > 0).count();
        let mut out = String::new();
        let _ = write!(
            out,
            "<p id=\"scorecard-limits\">{} <span id=\"scorecard-outside\">{outside} of {} collectors outside a limit.</span></p>\
             <div class=\"table-wrap\"><table class=\"list\" id=\"scorecard-table\"><caption>Collectors in the selection: \
             open items only (collections, CEI and score are on the static scorecard). Choose a collector to see their \
             customers.</caption><thead><tr>",
            esc(&legend(t)),
            lines.len()
        );
        for kpi in Kpi::ALL {
            head_cell(
                &mut out,
                &Head {
                    label: kpi.label(),
                    numeric: kpi != Kpi::Collector,
                    sort: Some(("scorecard", kpi.key())),
                    active: (sort.key == kpi).then_some(sort.descending),
                },
            );
        }
        out.push_str("</tr></thead><tbody>");
        for line in &lines {
            let class = if t.breaches(&line.kpis) > 0 {
                "collector-row outside"
            } else {
                "collector-row"
            };
            let row = Row::open(&mut out, class, "").link(
                "collector-link",
                "collector",
                &line.name,
                Snapshot::label(&line.name),
            );
            kpi_cells(row, d, t, &line.kpis).close();
        }
        out.push_str("</tbody><tfoot>");
        let row = Row::open(&mut out, "", " id=\"scorecard-total\"").th("Selection");
        kpi_cells(row, d, t, &sel.total.kpis()).close();
        out.push_str("</tfoot></table></div>");
        out
    }
}

//! The aging of the selection (always shown) and the divisions, the top of
//! the drill-down. Choosing a bucket filters on it and lists its customers;
//! choosing a division lists its collectors (see `actions`).

use crate::data::percent;
use crate::html::Row;
use crate::state::Ctx;
use arsite_core::select::sort_indices;
use arsite_core::Snapshot;
use leptos::prelude::*;
use std::fmt::Write;

pub fn buckets(ctx: Ctx) -> String {
    let d = ctx.data;
    let chosen = ctx.state.read().query.buckets.clone();
    {
        let sel = ctx.selection.read();
        let t = &sel.total.aging;
        let mut out = String::new();
        let _ = write!(
            out,
            "<table class=\"buckets\" id=\"bucket-table\"><caption>Aging of the selection ({}, by days past due). \
             Choose a bucket to list its customers.</caption><thead><tr><th scope=\"col\">Bucket</th>\
             <th scope=\"col\" class=\"num\">Open amount</th><th scope=\"col\" class=\"num\">Items</th>\
             <th scope=\"col\" class=\"num\">Share %</th></tr></thead><tbody>",
            d.code()
        );
        for (b, label) in d.labels.iter().enumerate() {
            let class = if chosen.contains(&(b as u8)) {
                "selected"
            } else {
                ""
            };
            Row::open(&mut out, class, "")
                .link("bucket-link", "bucket", &b.to_string(), label)
                .num(
                    &d.money(t.amounts[b]),
                    &format!(" data-bucket-amount=\"{b}\""),
                )
                .num(
                    &t.counts[b].to_string(),
                    &format!(" data-bucket-count=\"{b}\""),
                )
                .num(&percent(t.amounts[b], t.total()), "")
                .close();
        }
        let _ = write!(
            out,
            "</tbody><tfoot><tr><th scope=\"row\">Total</th><td class=\"num\" id=\"total-open\">{}</td>\
             <td class=\"num\" id=\"total-count\">{}</td><td class=\"num\">{}</td></tr></tfoot></table>",
            d.money(t.total()),
            t.count(),
            if t.count() == 0 { "—" } else { "100.00" }
        );
        out
    }
}

/// Divisions of the selection, largest open amount first.
pub fn divisions(ctx: Ctx) -> String {
    let d = ctx.data;
    let names = &d.table.divisions;
    {
        let sel = ctx.selection.read();
        let mut list: Vec<u32> = (0..names.len() as u32)
            .filter(|&i| sel.by_division[i as usize].count() > 0)
            .collect();
        let total = |i: u32| sel.by_division[i as usize].total();
        sort_indices(&mut list, &|a, b| total(b).cmp(&total(a)));
        let whole = sel.total.aging.total();
        let mut out = String::from(
            "<table class=\"list\" id=\"division-table\"><caption>Divisions in the selection, largest first. \
             Choose one to see its collectors.</caption><thead><tr><th scope=\"col\">Division</th>\
             <th scope=\"col\" class=\"num\">Open amount</th><th scope=\"col\" class=\"num\">Past due</th>\
             <th scope=\"col\" class=\"num\">Items</th><th scope=\"col\" class=\"num\">Share %</th></tr></thead><tbody>",
        );
        for i in list {
            let i = i as usize;
            let t = &sel.by_division[i];
            Row::open(&mut out, "division-row", "")
                .link(
                    "division-link",
                    "division",
                    &names[i],
                    Snapshot::label(&names[i]),
                )
                .num(&d.money(t.total()), "")
                .num(&d.money(t.past_due()), "")
                .num(&t.count().to_string(), "")
                .num(&percent(t.total(), whole), "")
                .close();
        }
        out.push_str("</tbody></table>");
        out
    }
}

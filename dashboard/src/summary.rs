//! The selection's headline in words, announced politely to screen readers
//! after each change: totals are never conveyed by colour or layout alone.

use crate::data::percent;
use crate::state::Ctx;
use leptos::prelude::*;

pub fn text(ctx: Ctx) -> String {
    let d = ctx.data;
    {
        let sel = ctx.selection.read();
        let t = &sel.total;
        format!(
            "Selection: {} open items of {} customers, total {} {code}, past due {} {code} ({} %).",
            t.aging.count(),
            t.customers,
            d.money(t.aging.total()),
            d.money(t.aging.past_due()),
            percent(t.aging.past_due(), t.aging.total()),
            code = d.code(),
        )
    }
}

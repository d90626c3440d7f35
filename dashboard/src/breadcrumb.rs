//! Where the drill-down stands: all → division → collector → customer.
//! Each level is a filter of the query (divisions, collectors, one
//! customer); a crumb goes back up by dropping the levels below it.

use crate::html::esc;
use crate::state::Ctx;
use arsite_core::viewstate::{View, ViewState};
use arsite_core::Snapshot;
use leptos::prelude::*;
use std::fmt::Write;

pub fn html(ctx: Ctx) -> String {
    let s = ctx.data.table;
    {
        let st = ctx.state.read();
        let q = &st.query;
        let names = |list: &[String], what: &str| match list {
            [one] => Snapshot::label(one).to_string(),
            many => format!("{} {what}", many.len()),
        };
        let mut out = String::from(
            "<button type=\"button\" id=\"crumb-all\" data-crumb=\"0\">All divisions</button>",
        );
        if !q.divisions.is_empty() {
            let _ = write!(
                out,
                " › <button type=\"button\" id=\"crumb-division\" data-crumb=\"1\">{}</button>",
                esc(&names(&q.divisions, "divisions"))
            );
        }
        if !q.collectors.is_empty() {
            let _ = write!(
                out,
                " › <button type=\"button\" id=\"crumb-collector\" data-crumb=\"2\">{}</button>",
                esc(&names(&q.collectors, "collectors"))
            );
        }
        if let Some(id) = &q.customer {
            let name = s
                .customers
                .iter()
                .find(|c| &c.id == id)
                .map_or(id.clone(), |c| format!("{} ({})", c.name, c.id));
            let _ = write!(
                out,
                " › <span id=\"crumb-customer\" aria-current=\"location\">{}</span>",
                esc(&name)
            );
        }
        out
    }
}

/// Going up to `level` (0 = all, 1 = the division, 2 = the collector).
pub fn up(st: &mut ViewState, level: usize) {
    let q = &mut st.query;
    q.customer = None;
    if level < 2 {
        q.collectors.clear();
    }
    if level < 1 {
        q.divisions.clear();
    }
    st.view = [View::Overview, View::Scorecard, View::Customers][level.min(2)];
}

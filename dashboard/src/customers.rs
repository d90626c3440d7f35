//! The customers of the selection with their totals, sortable, virtualized,
//! exportable (see `actions`). Choosing a customer lists their invoices.

use crate::html::{head_cell, Head, Row};
use crate::state::Ctx;
use crate::vlist::{virtual_table, Spec};
use arsite_core::select::CustomerOrder;
use leptos::prelude::*;
use std::sync::Arc;

const COLUMNS: [(CustomerOrder, &str, bool); 6] = [
    (CustomerOrder::Name, "Customer", false),
    (CustomerOrder::Id, "Id", false),
    (CustomerOrder::Open, "Open amount", true),
    (CustomerOrder::PastDue, "Past due", true),
    (CustomerOrder::Items, "Items", true),
    (CustomerOrder::MaxDpd, "Oldest (days past due)", true),
];

/// The selected customers in the chosen order (also what is exported).
pub fn ordered(ctx: Ctx) -> Vec<u32> {
    let sort = ctx.state.read().customer_sort;
    ctx.data
        .index
        .customers(&ctx.selection.read(), sort.key, sort.descending)
}

pub fn view(ctx: Ctx) -> AnyView {
    let d = ctx.data;
    let s = d.table;
    let list = Memo::new(move |_| ordered(ctx));
    let head = Arc::new(move || {
        let sort = ctx.state.read().customer_sort;
        let mut out = String::new();
        for (key, label, numeric) in COLUMNS {
            head_cell(
                &mut out,
                &Head {
                    label,
                    numeric,
                    sort: Some(("customers", key.key())),
                    active: (sort.key == key).then_some(sort.descending),
                },
            );
        }
        out
    });
    let rows = Arc::new(move |first: usize, last: usize| {
        let (l, sel) = (list.read(), ctx.selection.read());
        {
            let mut out = String::new();
            for (i, &c) in l[first..last].iter().enumerate() {
                let cust = &s.customers[c as usize];
                let t = &sel.by_customer[c as usize];
                Row::open(
                    &mut out,
                    "customer-row",
                    &format!(" aria-rowindex=\"{}\"", first + i + 2),
                )
                .link("customer-link", "customer", &cust.id, &cust.name)
                .td(&cust.id)
                .num(&d.money(t.open), "")
                .num(&d.money(t.past_due), "")
                .num(&t.count.to_string(), "")
                .num(&t.max_dpd.to_string(), "")
                .close();
            }
            out
        }
    });
    view! {
        <div class="list-tools">
            <p id="customer-count">{move || format!("{} customers.", list.read().len())}</p>
            <button type="button" id="export-customers" data-export="customers">"Export customers as CSV"</button>
        </div>
        {virtual_table(Spec {
            table_id: "customer-table",
            label: "Customers (scrollable list)",
            caption: "Customers in the selection. Choose one to see their invoices.",
            columns: COLUMNS.len(),
            list,
            head,
            rows,
        })}
    }
    .into_any()
}

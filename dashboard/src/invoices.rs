//! The invoices of the selection, sortable, virtualized, exportable (see
//! `actions`). Sorting by anything but the grouping reads the selection off
//! a permutation of all rows computed once per order (see `data`).

use crate::html::{head_cell, Head, Row};
use crate::state::Ctx;
use crate::vlist::{virtual_table, Spec};
use arsite_core::select::{self, InvoiceOrder};
use arsite_core::viewstate::iso_date;
use arsite_core::Snapshot;
use leptos::prelude::*;
use std::sync::Arc;

/// (order, label, numeric); `None` = a column that does not sort.
const COLUMNS: [(Option<InvoiceOrder>, &str, bool); 10] = [
    (Some(InvoiceOrder::InvoiceId), "Invoice", false),
    (Some(InvoiceOrder::Grouped), "Customer", false),
    (None, "Collector", false),
    (None, "Division", false),
    (None, "Due date", false),
    (Some(InvoiceOrder::DaysPastDue), "Days past due", true),
    (Some(InvoiceOrder::Amount), "Amount", true),
    (Some(InvoiceOrder::Open), "Open", true),
    (None, "Status", false),
    (None, "Bucket", false),
];

/// The selected rows in the chosen order (also what is exported).
pub fn ordered(ctx: Ctx) -> Vec<u32> {
    let sort = ctx.state.read().invoice_sort;
    let rows = ctx.data.index.rows(&ctx.selection.read().prepared);
    if sort.key == InvoiceOrder::Grouped && !sort.descending {
        rows
    } else {
        select::ordered(&rows, ctx.data.permutation(sort.key), sort.descending)
    }
}

pub fn view(ctx: Ctx) -> AnyView {
    let d = ctx.data;
    let s = d.table;
    // Always "changed": comparing two lists of a million rows costs as
    // much as building one.
    let list = Memo::new_with_compare(move |_| ordered(ctx), |_, _| true);
    let head = Arc::new(move || {
        let sort = ctx.state.read().invoice_sort;
        let mut out = String::new();
        for (order, label, numeric) in COLUMNS {
            head_cell(
                &mut out,
                &Head {
                    label,
                    numeric,
                    sort: order.map(|o| ("invoices", o.key())),
                    active: order.filter(|&o| o == sort.key).map(|_| sort.descending),
                },
            );
        }
        out
    });
    let rows = Arc::new(move |first: usize, last: usize| {
        let l = list.read();
        let mut out = String::new();
        for (k, &r) in l[first..last].iter().enumerate() {
            let i = d.index.invoice_index(r);
            let cust = &s.customers[s.customer[i] as usize];
            Row::open(
                &mut out,
                "invoice-row",
                &format!(" aria-rowindex=\"{}\"", first + k + 2),
            )
            .th(s.id(i))
            .td(&format!("{} ({})", cust.name, cust.id))
            .td(Snapshot::label(&s.collectors[s.collector[i] as usize]))
            .td(Snapshot::label(&s.divisions[s.division[i] as usize]))
            .td(&iso_date(s.due_date[i]))
            .num(&d.index.dpd_of_row(r).to_string(), "")
            .num(&d.money(s.amount[i]), "")
            .num(&d.money(s.open[i]), "")
            .td(s.status[i].as_str())
            .td(&d.labels[d.index.bucket_of_row(r)])
            .close();
        }
        out
    });
    view! {
        <div class="list-tools">
            <p id="invoice-count">{move || format!("{} invoices.", list.read().len())}</p>
            <button type="button" id="export-invoices" data-export="invoices">"Export invoices as CSV"</button>
        </div>
        {virtual_table(Spec {
            table_id: "invoice-table",
            label: "Invoices (scrollable list)",
            caption: "Open items in the selection.",
            columns: COLUMNS.len(),
            list,
            head,
            rows,
        })}
    }
    .into_any()
}

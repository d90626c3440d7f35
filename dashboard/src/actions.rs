//! What clicks do, caught once for the whole dashboard (event delegation):
//! each clickable element says what it is with a `data-` attribute or an id.
//!
//! - `data-bucket` → filter on that bucket, list its customers
//! - `data-division` → that division's collectors (drill-down)
//! - `data-collector` → that collector's customers (drill-down)
//! - `data-customer` → that customer's invoices (drill-down)
//! - `data-crumb` → back up the drill-down
//! - `data-view` → another view; `data-list` + `data-sort` → sort a list
//! - `data-export` → CSV of the list; `#f-clear`, `#copy-link`

use crate::html::{by_id, closest_data, target};
use crate::state::Ctx;
use crate::url::{self, Nav};
use crate::{breadcrumb, customers, download, invoices};
use arsite_core::export;
use arsite_core::portfolio::Kpi;
use arsite_core::select::{CustomerOrder, InvoiceOrder, Query};
use arsite_core::viewstate::{Sort, View};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

pub fn click(ctx: Ctx, ev: &web_sys::Event) {
    if let Some(el) = target(ev) {
        match el
            .closest("button")
            .ok()
            .flatten()
            .map(|b| b.id())
            .as_deref()
        {
            Some("f-clear") => return ctx.update(Nav::Push, |s| s.query = Query::default()),
            Some("copy-link") => return copy_link(),
            _ => {}
        }
    }
    let data = |attr: &str| closest_data(ev, attr).map(|(_, v)| v);
    if let Some(b) = data("bucket").and_then(|b| b.parse::<u8>().ok()) {
        ctx.update(Nav::Push, |s| {
            s.query.buckets = vec![b];
            s.view = View::Customers;
        });
    } else if let Some(name) = data("division") {
        ctx.update(Nav::Push, |s| {
            s.query.divisions = vec![name];
            s.view = View::Scorecard;
        });
    } else if let Some(name) = data("collector") {
        ctx.update(Nav::Push, |s| {
            s.query.collectors = vec![name];
            s.view = View::Customers;
        });
    } else if let Some(id) = data("customer") {
        ctx.update(Nav::Push, |s| {
            s.query.customer = Some(id);
            s.view = View::Invoices;
        });
    } else if let Some(level) = data("crumb").and_then(|l| l.parse().ok()) {
        ctx.update(Nav::Push, |s| breadcrumb::up(s, level));
    } else if let Some(v) = data("view").and_then(|v| View::from_key(&v)) {
        ctx.update(Nav::Push, |s| s.view = v);
    } else if let Some((el, key)) = closest_data(ev, "sort") {
        sort(ctx, el.get_attribute("data-list").as_deref(), &key);
    } else if let Some(list) = data("export") {
        export_list(ctx, &list);
    }
}

/// The same column flips direction; another column starts largest first
/// for numbers, A–Z for text.
fn next<K: PartialEq + Copy>(current: Sort<K>, key: K, numeric: bool) -> Sort<K> {
    Sort {
        key,
        descending: if current.key == key {
            !current.descending
        } else {
            numeric
        },
    }
}

fn sort(ctx: Ctx, list: Option<&str>, key: &str) {
    match list {
        Some("scorecard") => {
            if let Some(k) = Kpi::from_key(key) {
                ctx.update(Nav::Push, |s| {
                    s.scorecard_sort = next(s.scorecard_sort, k, k != Kpi::Collector)
                });
            }
        }
        Some("customers") => {
            if let Some(k) = CustomerOrder::from_key(key) {
                let numeric = !matches!(k, CustomerOrder::Name | CustomerOrder::Id);
                ctx.update(Nav::Push, |s| {
                    s.customer_sort = next(s.customer_sort, k, numeric)
                });
            }
        }
        Some("invoices") => {
            if let Some(k) = InvoiceOrder::from_key(key) {
                let numeric = !matches!(k, InvoiceOrder::Grouped | InvoiceOrder::InvoiceId);
                ctx.update(Nav::Push, |s| {
                    s.invoice_sort = next(s.invoice_sort, k, numeric)
                });
            }
        }
        _ => {}
    }
}

fn export_list(ctx: Ctx, list: &str) {
    let d = ctx.data;
    let text = match list {
        "customers" => {
            let order = customers::ordered(ctx);
            export::customers(d.table, &ctx.selection.read_untracked().by_customer, &order)
        }
        "invoices" => export::invoices(&d.index, &invoices::ordered(ctx)),
        _ => return,
    };
    let name = download::file_name(d, list, &ctx.state.read_untracked());
    download::save(&name, &text);
}

/// "Copy link": the address of exactly this view. The clipboard API needs
/// a secure context (HTTPS, localhost, files); where it is refused, the
/// link is shown selected in a text field, to copy by hand.
fn copy_link() {
    let href = url::href();
    let promise = window().navigator().clipboard().write_text(&href);
    let shown = href.clone();
    let ok = Closure::<dyn FnMut(JsValue)>::new(move |_| show_copied(true, &href));
    let failed = Closure::<dyn FnMut(JsValue)>::new(move |_| show_copied(false, &shown));
    let _ = promise.then2(&ok, &failed);
    // Called once, later: the two small closures live on (one per click).
    ok.forget();
    failed.forget();
}

/// Says whether the link was copied; if not, shows it selected in a text
/// field (written only then: a label styled as a flex box would ignore a
/// `hidden` attribute).
fn show_copied(copied: bool, href: &str) {
    if let Some(status) = by_id::<web_sys::Element>("copy-status") {
        status.set_text_content(Some(if copied {
            "Link copied."
        } else {
            "Copy the link below."
        }));
    }
    let Some(slot) = by_id::<web_sys::Element>("copy-fallback-slot") else {
        return;
    };
    if copied {
        slot.set_inner_html("");
        return;
    }
    slot.set_inner_html(
        "<label>Link to this view <input id=\"copy-fallback\" type=\"text\" readonly></label>",
    );
    if let Some(input) = by_id::<web_sys::HtmlInputElement>("copy-fallback") {
        input.set_value(href);
        let _ = input.focus();
        input.select();
    }
}

//! arsite's dashboard: a leptos CSR app mounted into a static page, and the
//! filter bar that static report tables get.
//!
//! The page's scripts hand over the snapshot's data (see `site/static/boot.js`);
//! everything shown is computed by `arsite-core`, the same code that wrote the
//! static pages, so a figure here and on `aging.html` cannot differ.
//!
//! Modules, one job each:
//! - `data`: decoding a snapshot and its index, kept for the page's life
//! - `state`: the view state (one signal), the selection it implies, the page
//! - `url`: reading and writing the address bar (push vs replace, popstate)
//! - `filters`, `breadcrumb`, `tabs`, `summary`: the controls above the views
//! - `overview`, `scorecard`, `customers`, `invoices`, `compare`: the views
//! - `vlist`: the virtualized table both long lists use
//! - `html`: markup as text (and why); `actions`: what clicks do
//! - `download`: the CSV export
//! - `static_bar`: the filter bar mounted onto static tables
//! - `bench`: timings the benchmark reads (only with `#bench` in the URL)

mod actions;
mod bench;
mod breadcrumb;
mod compare;
mod customers;
mod data;
mod download;
mod filters;
mod html;
mod invoices;
mod overview;
mod scorecard;
mod state;
mod static_bar;
mod summary;
mod tabs;
mod url;
mod vlist;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

const ROOT_ID: &str = "arsite-dashboard";

/// Decodes one snapshot (the base64 text of its data script) and mounts
/// the dashboard into `#arsite-dashboard`.
#[wasm_bindgen]
pub fn mount_dashboard(base64: js_sys::JsString) -> Result<(), JsValue> {
    bench::record("t_wasm_entered", bench::now());
    let root = document()
        .get_element_by_id(ROOT_ID)
        .ok_or_else(|| JsValue::from_str("the page has no #arsite-dashboard element"))?;
    let data = match data::Data::load(&base64) {
        Ok(d) => d,
        Err(message) => {
            let message = format!("This dashboard cannot show the data: {message}.");
            root.set_text_content(Some(&message));
            return Err(JsValue::from_str(&message));
        }
    };
    root.set_inner_html("");
    let started = bench::now();
    leptos::mount::mount_to(root.unchecked_into(), move || state::app(data)).forget();
    // The controls are written once and then set from the state (which
    // changes only through `state::Ctx`, which sets them again).
    state::after_mount(data);
    bench::record("render_ms", bench::now() - started);
    bench::record("t_mounted", bench::now());
    Ok(())
}

/// Mounts a filter bar onto every `<table data-arsite-filter>` of the page
/// (see `static_bar` for the markup contract). Returns how many.
#[wasm_bindgen]
pub fn mount_filter_bars() -> u32 {
    static_bar::mount_all()
}

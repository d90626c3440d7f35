//! arsite's dashboard: a leptos CSR app mounted into a static page.
//!
//! The page's scripts hand over the snapshot's bytes (see `site/static/boot.js`);
//! everything shown is computed by `arsite-core`, the same code that wrote the
//! static pages, so a figure here and on `aging.html` cannot differ.

mod app;

use arsite_core::{wire, Snapshot};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

const ROOT_ID: &str = "arsite-dashboard";

/// Decodes one snapshot and mounts the dashboard into `#arsite-dashboard`.
#[wasm_bindgen]
pub fn mount_dashboard(data: &[u8]) -> Result<(), JsValue> {
    let root = document()
        .get_element_by_id(ROOT_ID)
        .ok_or_else(|| JsValue::from_str("the page has no #arsite-dashboard element"))?;
    let snapshot = match wire::decode(data) {
        Ok(s) => s,
        Err(e) => {
            let message = format!("This dashboard cannot show the data: {e}.");
            root.set_text_content(Some(&message));
            return Err(JsValue::from_str(&message));
        }
    };
    // The dashboard lives as long as the page: leaking gives every view a
    // `&'static` snapshot instead of reference-counting a million rows.
    let snapshot: &'static Snapshot = Box::leak(Box::new(snapshot));
    root.set_inner_html("");
    leptos::mount::mount_to(
        root.unchecked_into(),
        move || view! { <app::App snapshot=snapshot/> },
    )
    .forget();
    Ok(())
}

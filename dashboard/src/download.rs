//! Saving a CSV the browser way (a Blob and a temporary download link),
//! which works from `file://` and over HTTP alike. The file starts with a
//! byte-order mark so spreadsheet programs read it as UTF-8.

use crate::data::Data;
use arsite_core::viewstate::ViewState;
use arsite_core::{export, Snapshot};
use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};

/// The export's name, from the snapshot and the filter (see `core::export`).
pub fn file_name(d: &Data, list: &str, st: &ViewState) -> String {
    let q = &st.query;
    let mut parts: Vec<(&str, String)> = Vec::new();
    parts.extend(
        q.divisions
            .iter()
            .map(|v| ("division", Snapshot::label(v).to_string())),
    );
    parts.extend(
        q.collectors
            .iter()
            .map(|v| ("collector", Snapshot::label(v).to_string())),
    );
    if let Some(c) = &q.customer {
        parts.push(("customer", c.clone()));
    }
    parts.push(("search", q.search.clone()));
    parts.extend(
        q.buckets
            .iter()
            .filter_map(|&b| d.labels.get(usize::from(b)))
            .map(|l| ("bucket", l.clone())),
    );
    parts.extend(
        q.statuses
            .iter()
            .map(|s| ("status", s.as_str().to_string())),
    );
    let money = |m: Option<arsite_core::Money>| {
        m.map(|m| m.to_decimal(d.exp()).to_string())
            .unwrap_or_default()
    };
    parts.push(("min", money(q.open_min)));
    parts.push(("max", money(q.open_max)));
    parts.push((
        "dpdmin",
        q.dpd_min.map(|v| v.to_string()).unwrap_or_default(),
    ));
    parts.push((
        "dpdmax",
        q.dpd_max.map(|v| v.to_string()).unwrap_or_default(),
    ));
    export::file_name(d.table.as_of, list, &parts)
}

pub fn save(name: &str, text: &str) {
    if let Err(e) = try_save(name, text) {
        web_sys::console::error_1(&e);
    }
}

fn try_save(name: &str, text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(&format!("\u{feff}{text}")));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let link: web_sys::HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.set_hidden(true);
    document().body().ok_or("no body")?.append_child(&link)?;
    link.click();
    link.remove();
    // Revoked a little later: the download reads the Blob after the click.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        Duration::from_secs(60),
    );
    Ok(())
}

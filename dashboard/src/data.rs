//! One snapshot's data as the dashboard holds it: decoded once (into
//! columns, `core::table`), indexed once, and kept for the life of the page.
//!
//! Everything is leaked on purpose: views then share `&'static` references
//! (cheap to copy into closures, `Send + Sync` as leptos' signals require)
//! instead of reference-counting a million rows. A page holds at most a
//! handful of snapshots (its own and those it was compared with), each
//! loaded once (see `compare`).

use crate::bench;
use arsite_core::metrics::amount::percent_money;
use arsite_core::select::{Index, InvoiceOrder};
use arsite_core::table::Table;
use arsite_core::wire::{self, Settings};
use arsite_core::{format, Money};
use std::sync::OnceLock;
use wasm_bindgen::{JsCast, JsValue};

pub struct Data {
    pub table: &'static Table,
    pub settings: &'static Settings,
    pub index: Index<'static>,
    pub labels: Vec<String>,
    /// Rows sorted by each invoice order, computed on first use: sorting a
    /// million rows takes a noticeable moment, once, not per keystroke.
    permutations: [OnceLock<Vec<u32>>; InvoiceOrder::ALL.len()],
}

/// The bytes of a base64 JavaScript string, decoded straight into the
/// wasm memory by the browser (`Uint8Array.prototype.setFromBase64`, native
/// code) where it has it; otherwise copied in by `TextEncoder.encodeInto`
/// (one native call) and decoded by `core`. (Passing the text as a Rust
/// `&str` makes the generated glue copy it character by character in
/// JavaScript: half a second for a 25 MB text.)
pub fn base64_bytes(text: &js_sys::JsString) -> Result<Vec<u8>, String> {
    let n = text.length() as usize;
    let method = |target: &JsValue, name: &str| -> Option<js_sys::Function> {
        js_sys::Reflect::get(target, &JsValue::from_str(name))
            .ok()
            .and_then(|f| f.dyn_into().ok())
    };
    let written = |result: JsValue| -> usize {
        js_sys::Reflect::get(&result, &JsValue::from_str("written"))
            .ok()
            .and_then(|w| w.as_f64())
            .unwrap_or(0.0) as usize
    };
    let mut bytes = vec![0u8; n / 4 * 3 + 3];
    // Views of `bytes` inside the wasm memory; nothing allocates between
    // creating one and using it, so they stay valid.
    let view = unsafe { js_sys::Uint8Array::view_mut_raw(bytes.as_mut_ptr(), bytes.len()) };
    if let Some(set_from_base64) = method(&view, "setFromBase64") {
        let result = set_from_base64
            .call1(&view, text)
            .map_err(|_| "the data text is not base64".to_string())?;
        let len = written(result);
        bytes.truncate(len);
        return Ok(bytes);
    }
    drop(bytes);
    let mut ascii = vec![0u8; n];
    let encoder = web_sys::TextEncoder::new().map_err(|_| "no TextEncoder".to_string())?;
    let encode_into = method(&encoder, "encodeInto").ok_or("no TextEncoder.encodeInto")?;
    let view = unsafe { js_sys::Uint8Array::view_mut_raw(ascii.as_mut_ptr(), n) };
    let result = encode_into
        .call2(&encoder, text, &view)
        .map_err(|_| "the data text could not be read".to_string())?;
    if written(result) != n {
        return Err("the data text is not base64".to_string());
    }
    wire::from_base64(&ascii).map_err(|e| e.to_string())
}

impl Data {
    /// Decodes the base64 text of a data script.
    pub fn load(text: &js_sys::JsString) -> Result<&'static Data, String> {
        let started = bench::now();
        let bytes = base64_bytes(text)?;
        bench::record("base64_ms", bench::now() - started);
        let (table, settings) = wire::decode_table(&bytes).map_err(|e| e.to_string())?;
        drop(bytes);
        let decoded = bench::now();
        let table: &'static Table = Box::leak(Box::new(table));
        let settings: &'static Settings = Box::leak(Box::new(settings));
        let index = Index::new(table, &settings.scheme);
        let data = Box::leak(Box::new(Data {
            table,
            settings,
            index,
            labels: settings.scheme.labels(),
            permutations: Default::default(),
        }));
        bench::record("decode_ms", decoded - started);
        bench::record("index_ms", bench::now() - decoded);
        Ok(data)
    }

    pub fn permutation(&self, order: InvoiceOrder) -> &[u32] {
        let slot = InvoiceOrder::ALL
            .iter()
            .position(|&o| o == order)
            .expect("every order has a slot");
        self.permutations[slot].get_or_init(|| self.index.permutation(order))
    }

    pub fn exp(&self) -> u32 {
        self.table.currency.exponent
    }

    pub fn code(&self) -> &'static str {
        &self.table.currency.code
    }

    /// An amount as every page prints it (`12,345.67`).
    pub fn money(&self, m: Money) -> String {
        format::money(m, self.exp())
    }
}

/// A share in percent with two decimals ("12.50"), "—" when the whole is
/// zero: `core`'s exact integer rounding (half away from zero), the same
/// figure `format::percent` prints on the static pages, without linking
/// decimal division into the wasm.
pub fn percent(part: Money, whole: Money) -> String {
    percent_money(part, whole).map_or_else(|| "—".to_string(), |d| d.to_string())
}

//! Timings for `cargo xtask dashboard-bench`, recorded only when the page's
//! boot script created `window.ARSITE_BENCH` (URL fragment `#bench`).
//!
//! A view change is timed from the state update until every reactive
//! update has run (leptos applies them in microtasks), plus a forced style
//! and layout pass: computing the selection, updating the DOM and laying
//! it out — everything but paint.

use std::cell::Cell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    static SINK: Option<js_sys::Object> = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("ARSITE_BENCH")).ok())
        .and_then(|v| v.dyn_into::<js_sys::Object>().ok());
    static STARTED: Cell<Option<f64>> = const { Cell::new(None) };
}

fn sink() -> Option<js_sys::Object> {
    SINK.with(Clone::clone)
}

pub fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Sets `ARSITE_BENCH[key] = value`.
pub fn record(key: &str, value: f64) {
    if let Some(o) = sink() {
        let _ = js_sys::Reflect::set(&o, &JsValue::from_str(key), &JsValue::from_f64(value));
    }
}

/// Appends `value` to the list `ARSITE_BENCH[key]`.
pub fn push(key: &str, value: f64) {
    if let Some(o) = sink() {
        let key = JsValue::from_str(key);
        let list = js_sys::Reflect::get(&o, &key)
            .ok()
            .and_then(|v| v.dyn_into::<js_sys::Array>().ok())
            .unwrap_or_else(|| {
                let a = js_sys::Array::new();
                let _ = js_sys::Reflect::set(&o, &key, &a);
                a
            });
        list.push(&JsValue::from_f64(value));
    }
}

/// Marks the start of a view change; the end is measured once the updates
/// have run. Changes that arrive before then are timed as one.
///
/// The end comes a few microtasks later: leptos runs its updates as
/// microtasks (and those they spawn in turn), and the browser never draws a
/// frame between microtasks, so the figure is the work alone — not the
/// wait for the next frame, which a task-based timer would include.
pub fn change_started() {
    if sink().is_none() || STARTED.get().is_some() {
        return;
    }
    STARTED.set(Some(now()));
    after_microtasks(MICROTASK_HOPS);
}

/// Microtask hops before the end is taken (updates that spawn updates).
const MICROTASK_HOPS: u32 = 32;

fn after_microtasks(hops: u32) {
    leptos::prelude::queue_microtask(move || {
        if hops == 0 {
            finish();
        } else {
            after_microtasks(hops - 1);
        }
    });
}

fn finish() {
    let Some(started) = STARTED.take() else {
        return;
    };
    let scripted = now();
    // Reading a layout property forces style and layout now.
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = body.offset_height();
    }
    let end = now();
    push("changes", end - started);
    push("layout", end - scripted);
}

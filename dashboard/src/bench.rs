//! Timings for `cargo xtask dashboard-bench`, recorded only when the page's
//! boot script created `window.ARSITE_BENCH` (URL fragment `#bench`).
//!
//! A view change is timed from the state update to the first task after
//! every reactive update has run (leptos applies them in microtasks), with
//! a forced style and layout pass, so the figure covers computing the
//! selection, updating the DOM and laying it out — everything but paint.

use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The port that wakes `finish`, and the callback it must keep alive.
type Channel = (web_sys::MessagePort, Closure<dyn FnMut()>);

thread_local! {
    static SINK: Option<js_sys::Object> = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("ARSITE_BENCH")).ok())
        .and_then(|v| v.dyn_into::<js_sys::Object>().ok());
    static STARTED: Cell<Option<f64>> = const { Cell::new(None) };
    static CHANNEL: RefCell<Option<Channel>> = const { RefCell::new(None) };
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

/// Adds the time until the guard drops to `ARSITE_BENCH.spans[name]`
/// (where the time of a view change goes).
pub struct Span(&'static str, f64);

pub fn span(name: &'static str) -> Option<Span> {
    sink().map(|_| Span(name, now()))
}

impl Drop for Span {
    fn drop(&mut self) {
        let Some(o) = sink() else { return };
        let spans = js_sys::Reflect::get(&o, &JsValue::from_str("spans"))
            .ok()
            .and_then(|v| v.dyn_into::<js_sys::Object>().ok())
            .unwrap_or_else(|| {
                let s = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&o, &JsValue::from_str("spans"), &s);
                s
            });
        let key = JsValue::from_str(self.0);
        let before = js_sys::Reflect::get(&spans, &key)
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0);
        let _ = js_sys::Reflect::set(&spans, &key, &JsValue::from_f64(before + now() - self.1));
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
pub fn change_started() {
    if sink().is_none() || STARTED.get().is_some() {
        return;
    }
    STARTED.set(Some(now()));
    CHANNEL.with(|c| {
        let mut c = c.borrow_mut();
        if c.is_none() {
            let Ok(channel) = web_sys::MessageChannel::new() else {
                return;
            };
            let done = Closure::<dyn FnMut()>::new(finish);
            channel
                .port1()
                .set_onmessage(Some(done.as_ref().unchecked_ref()));
            *c = Some((channel.port2(), done));
        }
        if let Some((port, _)) = c.as_ref() {
            let _ = port.post_message(&JsValue::NULL);
        }
    });
}

fn finish() {
    let Some(started) = STARTED.take() else {
        return;
    };
    // Reading a layout property forces style and layout now.
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = body.offset_height();
    }
    push("changes", now() - started);
}

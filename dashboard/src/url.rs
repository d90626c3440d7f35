//! The address bar: the view state's query string is written after every
//! change, so reload, back/forward and a pasted link restore the view.
//!
//! Discrete changes (a drill-down, a view, a sort, a checkbox) push a
//! history entry. Typing pushes once when it starts in a field — so Back
//! undoes the whole edit — and then only replaces that entry, and only
//! after a short pause: browsers throttle history calls, and one entry per
//! keystroke would make Back useless.

use leptos::leptos_dom::helpers::TimeoutHandle;
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::time::Duration;
use wasm_bindgen::JsValue;

/// How a change reaches the history.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Nav {
    Push,
    /// Typing in the named field.
    Typing(&'static str),
}

const TYPING_PAUSE: Duration = Duration::from_millis(300);

thread_local! {
    static TYPING_IN: Cell<Option<&'static str>> = const { Cell::new(None) };
    static PENDING: RefCell<Option<(String, TimeoutHandle)>> = const { RefCell::new(None) };
}

fn location() -> web_sys::Location {
    window().location()
}

/// The current query string without `?`.
pub fn search() -> String {
    let s = location().search().unwrap_or_default();
    s.strip_prefix('?').unwrap_or(&s).to_string()
}

/// This page's address with `query` (path relative, hash kept).
fn url_for(query: &str) -> String {
    let loc = location();
    let path = loc.pathname().unwrap_or_default();
    let hash = loc.hash().unwrap_or_default();
    if query.is_empty() {
        format!("{path}{hash}")
    } else {
        format!("{path}?{query}{hash}")
    }
}

fn current() -> String {
    let loc = location();
    format!(
        "{}{}{}",
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default(),
        loc.hash().unwrap_or_default()
    )
}

fn push(url: &str) {
    if url != current() {
        let _ = window()
            .history()
            .and_then(|h| h.push_state_with_url(&JsValue::NULL, "", Some(url)));
    }
}

fn replace(url: &str) {
    if url != current() {
        let _ = window()
            .history()
            .and_then(|h| h.replace_state_with_url(&JsValue::NULL, "", Some(url)));
    }
}

/// `data-url-pending` on the dashboard's root while a typing pause is
/// awaited: the address bar is final once it is gone (what tests wait for,
/// instead of guessing how long the pause lasts on a busy machine).
fn mark_pending(pending: bool) {
    if let Some(root) = document().get_element_by_id(crate::ROOT_ID) {
        let _ = if pending {
            root.set_attribute("data-url-pending", "")
        } else {
            root.remove_attribute("data-url-pending")
        };
    }
}

fn cancel_pending() -> Option<String> {
    mark_pending(false);
    PENDING.take().map(|(url, handle)| {
        handle.clear();
        url
    })
}

/// Writes the state's query to the address bar.
pub fn write(query: &str, nav: Nav) {
    let url = url_for(query);
    match nav {
        Nav::Push => {
            TYPING_IN.set(None);
            cancel_pending();
            push(&url);
        }
        Nav::Typing(field) if TYPING_IN.get() != Some(field) => {
            TYPING_IN.set(Some(field));
            cancel_pending();
            push(&url);
        }
        Nav::Typing(_) => {
            cancel_pending();
            let later = url.clone();
            let handle = set_timeout_with_handle(
                move || {
                    PENDING.take();
                    replace(&later);
                    mark_pending(false);
                },
                TYPING_PAUSE,
            );
            if let Ok(handle) = handle {
                PENDING.set(Some((url, handle)));
                mark_pending(true);
            }
        }
    }
}

/// Writes a pending replace now (before the link is copied or the page left).
pub fn flush() {
    if let Some(url) = cancel_pending() {
        replace(&url);
    }
}

/// Calls `f` with the query string whenever back/forward changes it.
pub fn on_history(f: impl Fn(String) + 'static) {
    window_event_listener(leptos::ev::popstate, move |_| {
        TYPING_IN.set(None);
        cancel_pending();
        f(search());
    })
    .forget_listener();
}

trait Forget {
    fn forget_listener(self);
}

impl Forget for leptos::leptos_dom::helpers::WindowListenerHandle {
    /// The dashboard lives as long as the page: its listeners too.
    fn forget_listener(self) {
        std::mem::forget(self);
    }
}

/// The full address of this view (for "copy link").
pub fn href() -> String {
    flush();
    location().href().unwrap_or_default()
}

/// Opens another snapshot's dashboard with the same view state.
pub fn open_snapshot(date: &str, query: &str) {
    flush();
    let hash = location().hash().unwrap_or_default();
    let q = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    let _ = location().set_href(&format!("../{date}/dashboard.html{q}{hash}"));
}

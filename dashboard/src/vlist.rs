//! A virtualized table: however long the list, only the rows in view (plus
//! a margin) are in the DOM; spacer bodies above and below keep the scroll
//! bar true to the whole list. Rows are single lines (no wrapping), so they
//! share one height, measured from the rows drawn; the rows in view then
//! follow from the scroll offset by arithmetic (`arsite_core::vlist`, where
//! its tests run natively; past a few million pixels the scroll bar stands
//! for the list in proportion).
//!
//! The scroll box is focusable, so the keyboard scrolls it (arrows, Page
//! Up/Down); the table announces its full size with `aria-rowcount` and
//! each row its place with `aria-rowindex`. Clicks are handled by
//! `actions` (delegation), like everywhere in the dashboard.

use arsite_core::vlist::window;
use leptos::html;
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;

const VIEW_HEIGHT: &str = "min(70vh, 1000px)";

type Html = Arc<dyn Fn() -> String + Send + Sync>;
type Rows = Arc<dyn Fn(usize, usize) -> String + Send + Sync>;

pub struct Spec {
    pub table_id: &'static str,
    pub label: &'static str,
    pub caption: &'static str,
    pub columns: usize,
    /// The list (its length is all this module reads).
    pub list: Memo<Vec<u32>>,
    /// The header row's cells.
    pub head: Html,
    /// Rows `first..last` (each `<tr>` with `aria-rowindex`).
    pub rows: Rows,
}

pub fn virtual_table(spec: Spec) -> AnyView {
    let Spec {
        table_id,
        label,
        caption,
        columns,
        list,
        head,
        rows,
    } = spec;
    let len = move || list.read().len();
    // (scroll offset, box height, row height) in pixels, as last seen.
    let geometry = RwSignal::new((0i64, 600i64, 34i64));
    let scroller = NodeRef::<html::Div>::new();
    let body = NodeRef::<html::Tbody>::new();
    let at = move || {
        let (scroll, view, row) = geometry.get();
        window(len(), row, view, scroll)
    };
    // A new list starts at its top. (Checked where the rows are drawn: a
    // separate effect would cost more wasm than this comparison.)
    let shown: Arc<std::sync::Mutex<(usize, usize)>> = Default::default();
    let rows_html = move || {
        let identity = {
            let l = list.read();
            (l.as_ptr() as usize, l.len())
        };
        let changed = {
            let mut last = shown.lock().unwrap_or_else(|e| e.into_inner());
            std::mem::replace(&mut *last, identity) != identity
        };
        if changed && geometry.get_untracked().0 != 0 {
            if let Some(el) = scroller.get_untracked() {
                el.set_scroll_top(0);
            }
            geometry.update(|g| g.0 = 0);
        }
        let w = at();
        rows(w.start, w.end)
    };
    let on_scroll = move |ev: web_sys::Event| {
        let el: web_sys::HtmlElement = event_target(&ev);
        // The real row height (fonts and zoom decide it; every row has the
        // same, being one line).
        let row = body
            .get_untracked()
            .and_then(|b| b.first_element_child())
            .and_then(|r| r.dyn_into::<web_sys::HtmlElement>().ok())
            .map(|r| i64::from(r.offset_height()))
            .filter(|&h| h > 0)
            .unwrap_or(geometry.get_untracked().2);
        crate::bench::change_started();
        geometry.set((
            i64::from(el.scroll_top()),
            i64::from(el.client_height()),
            row,
        ));
    };
    let px = |v: i64| format!("{v}px");
    view! {
        <div class="vlist" tabindex="0" role="region" aria-label=label node_ref=scroller
            style:height=VIEW_HEIGHT style:overflow-y="auto"
            on:scroll=on_scroll>
            <table class="list" id=table_id aria-rowcount=move || len() + 1 style:white-space="nowrap">
                <caption>{caption}</caption>
                <thead><tr aria-rowindex="1" inner_html=move || head()></tr></thead>
                <tbody class="spacer" aria-hidden="true"><tr>
                    <td colspan=columns style:height=move || px(at().above) style:padding="0" style:border="0"></td>
                </tr></tbody>
                <tbody class="rows" node_ref=body inner_html=rows_html></tbody>
                <tbody class="spacer" aria-hidden="true"><tr>
                    <td colspan=columns style:height=move || px(at().below) style:padding="0" style:border="0"></td>
                </tr></tbody>
            </table>
        </div>
    }
    .into_any()
}

//! Comparing this snapshot with another: the roll-rate matrix, new past-due
//! and cleared amounts, all from `core::rollrate`, for the current filters
//! (applied to each snapshot's own invoices).
//!
//! The other snapshot's data is its own classic script (`../DATE/data.js`),
//! inserted on demand — scripts load from `file://` where `fetch` does not.
//! Each is decoded once per page and kept (see `data`).

use crate::data::Data;
use crate::html::{by_id, esc, options, target, Row};
use crate::state::Ctx;
use crate::url::Nav;
use arsite_core::rollrate::{self, Pairing};
use arsite_core::viewstate::iso_date;
use arsite_core::{Day, Money};
use leptos::prelude::*;
use rust_decimal::Decimal;
use std::cell::RefCell;
use std::fmt::Write;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Another snapshot, paired with this page's by invoice id.
pub struct Other {
    pub data: &'static Data,
    pub pairing: Pairing,
    /// Whether the other snapshot is the earlier of the two.
    pub is_earlier: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Load {
    Idle,
    Loading(Day),
    Ready(Day, &'static Other),
    Failed(Day, &'static str),
}

impl PartialEq for Other {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

thread_local! {
    static LOADED: RefCell<Vec<(Day, &'static Other)>> = const { RefCell::new(Vec::new()) };
}

/// The base64 text of a loaded data script: in a comment inside a function
/// (see `data_script` in the generator), or a plain string (older sites).
/// Kept a JavaScript string: it goes to the wasm in one native copy.
fn data_text(key: &str) -> Option<js_sys::JsString> {
    let all = js_sys::Reflect::get(&window(), &JsValue::from_str("ARSITE_DATA")).ok()?;
    let value = js_sys::Reflect::get(&all, &JsValue::from_str(key)).ok()?;
    if let Some(f) = value.dyn_ref::<js_sys::Function>() {
        let source = f.to_string();
        let start = source.index_of("/*", 0);
        let end = source.last_index_of("*/", source.length() as i32);
        if start < 0 || end < start + 2 {
            return None;
        }
        return Some(source.slice(start as u32 + 2, end as u32));
    }
    value.dyn_into::<js_sys::JsString>().ok()
}

/// Frees the script's 25 MB string once decoded.
fn forget_text(key: &str) {
    if let Ok(all) = js_sys::Reflect::get(&window(), &JsValue::from_str("ARSITE_DATA")) {
        if let Ok(all) = all.dyn_into::<js_sys::Object>() {
            let _ = js_sys::Reflect::delete_property(&all, &JsValue::from_str(key));
        }
    }
}

/// Loads `../DATE/data.js` (once) and calls `done` with its text.
fn load_script(key: String, done: impl FnOnce(Result<js_sys::JsString, &'static str>) + 'static) {
    if let Some(text) = data_text(&key) {
        done(Ok(text));
        return;
    }
    let done = Rc::new(RefCell::new(Some(done)));
    let script: web_sys::HtmlScriptElement = match document().create_element("script") {
        Ok(e) => e.unchecked_into(),
        Err(_) => return,
    };
    let (ok_done, ok_key) = (done.clone(), key.clone());
    let on_load = Closure::once_into_js(move || {
        if let Some(f) = ok_done.borrow_mut().take() {
            f(data_text(&ok_key).ok_or("the data file did not define this snapshot"));
        }
    });
    let on_error = Closure::once_into_js(move || {
        if let Some(f) = done.borrow_mut().take() {
            f(Err("its data file did not load"));
        }
    });
    script.set_onload(Some(on_load.unchecked_ref()));
    script.set_onerror(Some(on_error.unchecked_ref()));
    script.set_src(&format!("../{key}/data.js"));
    if let Some(head) = document().head() {
        let _ = head.append_child(&script);
    }
}

fn open_other(
    here: &'static Data,
    day: Day,
    text: &js_sys::JsString,
) -> Result<&'static Other, &'static str> {
    let data = Data::load(text).map_err(|e| -> &'static str { Box::leak(e.into_boxed_str()) })?;
    let is_earlier = data.table.as_of < here.table.as_of;
    let pairing = if is_earlier {
        Pairing::new(data.table, here.table)
    } else {
        Pairing::new(here.table, data.table)
    };
    let other: &'static Other = Box::leak(Box::new(Other {
        data,
        pairing,
        is_earlier,
    }));
    LOADED.with(|l| l.borrow_mut().push((day, other)));
    Ok(other)
}

fn pct(v: Option<Decimal>) -> String {
    v.map_or_else(|| "—".to_string(), |d| d.to_string())
}

/// The compare view: a picker (written once, set from the state) and the
/// matrix of the chosen snapshot, loaded on demand.
pub fn view(ctx: Ctx) -> AnyView {
    let here = ctx.data;
    let current = here.table.as_of;
    let others: Vec<String> = here
        .settings
        .snapshots
        .iter()
        .copied()
        .filter(|&d| d != current)
        .rev()
        .map(iso_date)
        .collect();
    let chosen = move || ctx.state.read().compare;
    let load = RwSignal::new(Load::Idle);
    let set = move |l: Load| {
        if load.get_untracked() != l {
            load.set(l);
        }
    };
    // Called from the view's render closure on every state change: cheap
    // unless the chosen date changed (then it starts loading, once).
    let ensure = move || {
        let Some(day) = chosen() else {
            set(Load::Idle);
            return;
        };
        if matches!(load.get_untracked(), Load::Ready(d, _) | Load::Loading(d) | Load::Failed(d, _) if d == day)
        {
            return;
        }
        if let Some(sel) = by_id::<web_sys::HtmlSelectElement>("f-compare") {
            sel.set_value(&iso_date(day));
        }
        let cached = LOADED.with(|l| l.borrow().iter().find(|(d, _)| *d == day).map(|(_, o)| *o));
        if let Some(other) = cached {
            set(Load::Ready(day, other));
            return;
        }
        set(Load::Loading(day));
        let key = iso_date(day);
        load_script(key.clone(), move |result| {
            let outcome = result.and_then(|text| open_other(here, day, &text));
            forget_text(&key);
            // The user may have picked another date meanwhile.
            if ctx.state.read_untracked().compare == Some(day) {
                load.set(match outcome {
                    Ok(other) => Load::Ready(day, other),
                    Err(e) => Load::Failed(day, e),
                });
            }
        });
    };
    let body = move || {
        untrack(ensure);
        ctx.state.track();
        body(ctx, load.get())
    };
    let picker = if others.is_empty() {
        "<p id=\"compare-none\">This site has no earlier snapshot to compare with.</p>".to_string()
    } else {
        let chosen = ctx
            .state
            .read_untracked()
            .compare
            .map(iso_date)
            .unwrap_or_default();
        let mut out = String::from("<label>Compare with snapshot <select id=\"f-compare\"><option value=\"\">choose…</option>");
        options(
            &mut out,
            others.iter().map(|d| (d.as_str(), d.as_str())),
            |v| v == chosen,
        );
        out.push_str("</select></label>");
        out
    };
    let on_change = move |ev: web_sys::Event| {
        if let Some(sel) = target(&ev).and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        {
            let day = Day::parse_iso(&sel.value());
            ctx.update(Nav::Push, |s| s.compare = day);
        }
    };
    view! {
        <div class="compare">
            <div inner_html=picker on:change=on_change></div>
            <div inner_html=body></div>
        </div>
    }
    .into_any()
}

/// What the compare view shows below the picker.
fn body(ctx: Ctx, load: Load) -> String {
    match load {
        Load::Idle => {
            "<p>Choose a snapshot to see how the buckets rolled between the two dates.</p>"
                .to_string()
        }
        Load::Loading(d) => format!(
            "<p id=\"compare-loading\" role=\"status\">Loading snapshot {}…</p>",
            iso_date(d)
        ),
        Load::Failed(d, e) => format!(
            "<p id=\"compare-error\" role=\"alert\">Snapshot {} cannot be compared: {}.</p>",
            iso_date(d),
            esc(e)
        ),
        Load::Ready(d, other) => matrix(ctx, other, d),
    }
}

/// The matrix for the current filters, applied to each snapshot's own invoices.
fn matrix(ctx: Ctx, other: &'static Other, day: Day) -> String {
    let here = ctx.data;
    let theirs = other
        .data
        .index
        .rows(&other.data.index.prepare(&ctx.query.read()));
    let their_rows = theirs
        .iter()
        .map(|&r| other.data.index.invoice_index(r) as u32);
    let r = {
        let mine = here.index.rows(&ctx.selection.read().prepared);
        let my_rows = mine.iter().map(|&r| here.index.invoice_index(r) as u32);
        let scheme = &here.settings.scheme;
        if other.is_earlier {
            rollrate::compute(
                other.data.table,
                here.table,
                scheme,
                &other.pairing,
                their_rows,
                my_rows,
            )
        } else {
            rollrate::compute(
                here.table,
                other.data.table,
                scheme,
                &other.pairing,
                my_rows,
                their_rows,
            )
        }
    };
    let (from, to) = if other.is_earlier {
        (iso_date(day), iso_date(here.table.as_of))
    } else {
        (iso_date(here.table.as_of), iso_date(day))
    };
    let d = here;
    let labels = &d.labels;
    let code = esc(d.code());
    let mut out = String::new();
    let _ = write!(
        out,
        "<p id=\"compare-facts\">Cleared between {from} and {to}: <span id=\"cleared\">{}</span> {code} \
         (of which <span id=\"closed\">{}</span> {code} in {} items no longer open). \
         Newly past due on {to}: <span id=\"new-past-due\">{}</span> {code} in {} items (current or not yet open on {from}).</p>",
        d.money(r.cleared),
        d.money(r.closed),
        r.closed_count,
        d.money(r.new_past_due),
        r.new_past_due_count,
    );
    let _ = write!(
        out,
        "<div class=\"table-wrap\"><table class=\"list\" id=\"rollrate-table\"><caption>Roll rates: where each bucket's \
         open amount on {from} is on {to}. Roll rate = share found one bucket older.</caption><thead><tr>\
         <th scope=\"col\">Bucket on {from}</th><th scope=\"col\" class=\"num\">Open then</th>\
         <th scope=\"col\" class=\"num\">Cleared</th><th scope=\"col\" class=\"num\">Cleared %</th>"
    );
    for l in labels {
        let _ = write!(
            out,
            "<th scope=\"col\" class=\"num\">{} on {to}</th>",
            esc(l)
        );
    }
    out.push_str("<th scope=\"col\" class=\"num\">Roll rate %</th></tr></thead><tbody>");
    for (b, label) in labels.iter().enumerate() {
        let row = &r.rows[b];
        let mut html = Row::open(&mut out, "", &format!(" data-from=\"{b}\""))
            .th(label)
            .num(&d.money(row.start), " data-start=\"\"")
            .num(&d.money(row.cleared), " data-cleared=\"\"")
            .num(&pct(r.cleared_rate(b)), "");
        for (c, amount) in row.to[..labels.len()].iter().enumerate() {
            html = html.num(&d.money(*amount), &format!(" data-to=\"{c}\""));
        }
        html.num(&pct(r.roll_rate(b)), " data-roll=\"\"").close();
    }
    out.push_str("</tbody></table></div>");
    let grown: Money = r.rows.iter().map(|row| row.grown).sum();
    if grown.0 != 0 {
        let _ = write!(
            out,
            "<p id=\"compare-grown\">Balances that grew in between: {} {code} (so a row's cells plus cleared exceed its start by that much).</p>",
            d.money(grown)
        );
    }
    out
}

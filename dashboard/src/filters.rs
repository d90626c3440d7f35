//! The filter bar: snapshot, division, collector, customer search, bucket,
//! status, amount and days-past-due ranges, "clear" and "copy link".
//!
//! Every control is a native, labelled form control (keyboard operable as
//! browsers make them). The markup is written once; [`sync`] then sets
//! the controls from the view state after every change — so back/forward
//! and pasted links set them too — and [`on_input`] / [`on_change`] turn
//! what the user does into state changes.

use crate::data::Data;
use crate::html::{by_id, esc, options, target};
use crate::state::Ctx;
use crate::url::{self, Nav};
use arsite_core::select::{sort_indices, Query};
use arsite_core::viewstate::{iso_date, ViewState};
use arsite_core::{Money, Snapshot, Status};
use leptos::prelude::*;
use std::fmt::Write;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlOptionElement, HtmlSelectElement};

const DIVISION: &str = "f-division";
const COLLECTOR: &str = "f-collector";

/// The form, written once when the dashboard mounts.
pub fn markup(d: &Data) -> String {
    let s = d.table;
    let mut out = String::from(
        "<form class=\"filters\" role=\"search\" aria-label=\"Filters\" id=\"filter-form\">",
    );
    // Snapshot: this one and the earlier ones the data file names.
    let mut dates = d.settings.snapshots.clone();
    if !dates.contains(&s.as_of) {
        dates.push(s.as_of);
    }
    dates.sort_unstable_by(|a, b| b.cmp(a));
    let dates: Vec<String> = dates.into_iter().map(iso_date).collect();
    let current = iso_date(s.as_of);
    out.push_str("<label>Snapshot <select id=\"f-snapshot\">");
    options(
        &mut out,
        dates.iter().map(|d| (d.as_str(), d.as_str())),
        |v| v == current,
    );
    out.push_str("</select></label>");
    for (id, label, names) in [
        (DIVISION, "Division", &s.divisions),
        (COLLECTOR, "Collector", &s.collectors),
    ] {
        let sorted = by_name(names);
        let _ = write!(
            out,
            "<label class=\"multi\">{label} <select id=\"{id}\" multiple size=\"5\" aria-describedby=\"{id}-hint\">"
        );
        options(
            &mut out,
            sorted.iter().map(|&i| {
                (
                    names[i as usize].as_str(),
                    Snapshot::label(&names[i as usize]),
                )
            }),
            |_| false,
        );
        let _ = write!(
            out,
            "</select><span class=\"hint\" id=\"{id}-hint\"></span></label>"
        );
    }
    out.push_str(
        "<label>Customer <input id=\"f-customer\" type=\"search\" placeholder=\"name or id\" autocomplete=\"off\"></label>",
    );
    out.push_str("<fieldset class=\"checks\"><legend>Bucket</legend>");
    for (b, label) in d.labels.iter().enumerate() {
        let _ = write!(
            out,
            "<label class=\"check\"><input type=\"checkbox\" id=\"f-bucket-{b}\" name=\"bucket\" value=\"{b}\"> {}</label>",
            esc(label)
        );
    }
    out.push_str("</fieldset><fieldset class=\"checks\"><legend>Status</legend>");
    for st in Status::ALL {
        let n = st.as_str();
        let _ = write!(
            out,
            "<label class=\"check\"><input type=\"checkbox\" id=\"f-status-{n}\" name=\"status\" value=\"{n}\"> {n}</label>"
        );
    }
    out.push_str("</fieldset>");
    for (legend, bounds) in [
        (
            format!("Open amount ({})", esc(d.code())),
            [Bound::OpenMin, Bound::OpenMax],
        ),
        ("Days past due".to_string(), [Bound::DpdMin, Bound::DpdMax]),
    ] {
        let _ = write!(out, "<fieldset class=\"range\"><legend>{legend}</legend>");
        for (b, label) in bounds.into_iter().zip(["from", "to"]) {
            let id = b.id();
            let _ = write!(
                out,
                "<label class=\"bound\">{label} <input id=\"{id}\" type=\"text\" inputmode=\"decimal\" size=\"9\" autocomplete=\"off\" aria-describedby=\"{id}-error\"><span class=\"error\" id=\"{id}-error\"></span></label>"
            );
        }
        out.push_str("</fieldset>");
    }
    out.push_str(
        "<div class=\"filter-actions\"><button type=\"button\" id=\"f-clear\">Clear filters</button>\
         <button type=\"button\" id=\"copy-link\">Copy link</button>\
         <span id=\"copy-status\" role=\"status\"></span>\
         <span id=\"copy-fallback-slot\"></span>\
         </div></form>",
    );
    out
}

/// Indices of `names` in display order: A–Z, unassigned last (equal names
/// adjacent, so they can be deduplicated).
pub fn by_name(names: &[String]) -> Vec<u32> {
    let lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    let mut order: Vec<u32> = (0..names.len() as u32).collect();
    sort_indices(&mut order, &|a, b| {
        let (a, b) = (a as usize, b as usize);
        (names[a].is_empty(), &lower[a], &names[a]).cmp(&(
            names[b].is_empty(),
            &lower[b],
            &names[b],
        ))
    });
    order
}

fn pick<'a>(q: &'a Query, id: &str) -> Option<&'a Vec<String>> {
    match id {
        DIVISION => Some(&q.divisions),
        COLLECTOR => Some(&q.collectors),
        _ => None,
    }
}

/// Sets every control from the state (run after each change).
pub fn sync(d: &Data, s: &ViewState) {
    let q = &s.query;
    for id in [DIVISION, COLLECTOR] {
        let chosen = pick(q, id).expect("a name list");
        if let Some(select) = by_id::<HtmlSelectElement>(id) {
            let opts = select.options();
            for i in 0..opts.length() {
                if let Some(o) = opts
                    .item(i)
                    .and_then(|o| o.dyn_into::<HtmlOptionElement>().ok())
                {
                    o.set_selected(chosen.contains(&o.value()));
                }
            }
        }
        if let Some(hint) = by_id::<web_sys::Element>(&format!("{id}-hint")) {
            hint.set_text_content(Some(&match chosen.len() {
                0 => "All. Ctrl/⌘-click for several.".to_string(),
                n => format!("{n} chosen."),
            }));
        }
    }
    if let Some(input) = by_id::<HtmlInputElement>("f-customer") {
        if input.value() != q.search {
            input.set_value(&q.search);
        }
    }
    for (b, _) in d.labels.iter().enumerate() {
        if let Some(input) = by_id::<HtmlInputElement>(&format!("f-bucket-{b}")) {
            input.set_checked(q.buckets.contains(&(b as u8)));
        }
    }
    for st in Status::ALL {
        if let Some(input) = by_id::<HtmlInputElement>(&format!("f-status-{}", st.as_str())) {
            input.set_checked(q.statuses.contains(&st));
        }
    }
    // A range box keeps what the user typed ("10." is on its way to
    // "10.50") unless it means something else than the state.
    for b in Bound::ALL {
        let Some(input) = by_id::<HtmlInputElement>(b.id()) else {
            continue;
        };
        let want = b.text(q, d.exp());
        let mut typed = Query::default();
        let same =
            b.set(&mut typed, &input.value(), d.exp()).is_ok() && b.text(&typed, d.exp()) == want;
        if !same {
            input.set_value(&want);
            set_error(b, false);
        }
    }
}

fn set_error(b: Bound, bad: bool) {
    if let Some(input) = by_id::<HtmlInputElement>(b.id()) {
        let _ = input.set_attribute("aria-invalid", if bad { "true" } else { "false" });
    }
    if let Some(msg) = by_id::<web_sys::Element>(&format!("{}-error", b.id())) {
        msg.set_text_content(Some(if bad { "Not a number." } else { "" }));
    }
}

/// Typing in the search box or a range box.
pub fn on_input(ctx: Ctx, ev: &web_sys::Event) {
    let Some(input) = target(ev).and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else {
        return;
    };
    let id = input.id();
    let text = input.value();
    if id == "f-customer" {
        ctx.update(Nav::Typing("q"), |s| s.query.search = text);
        return;
    }
    let Some(b) = Bound::ALL.into_iter().find(|b| b.id() == id) else {
        return;
    };
    let mut next = ctx.state.get_untracked().query;
    let ok = b.set(&mut next, &text, ctx.data.exp()).is_ok();
    set_error(b, !ok);
    if ok {
        ctx.update(Nav::Typing(b.id()), |s| s.query = next);
    }
}

/// Choices in the lists, check boxes and the snapshot picker.
pub fn on_change(ctx: Ctx, ev: &web_sys::Event) {
    let Some(el) = target(ev) else { return };
    let id = el.id();
    if let Ok(select) = el.clone().dyn_into::<HtmlSelectElement>() {
        if id == "f-snapshot" {
            let date = select.value();
            let query = {
                let mut s = ctx.state.get_untracked();
                if s.compare.map(iso_date).as_deref() == Some(date.as_str()) {
                    s.compare = None;
                }
                s.to_query(ctx.data.exp())
            };
            url::open_snapshot(&date, &query);
            return;
        }
        if id == DIVISION || id == COLLECTOR {
            let picked = select.selected_options();
            let values: Vec<String> = (0..picked.length())
                .filter_map(|i| picked.item(i))
                .filter_map(|o| o.dyn_into::<HtmlOptionElement>().ok())
                .map(|o| o.value())
                .collect();
            ctx.update(Nav::Push, |s| {
                if id == DIVISION {
                    s.query.divisions = values;
                } else {
                    s.query.collectors = values;
                }
            });
        }
        return;
    }
    let Ok(input) = el.dyn_into::<HtmlInputElement>() else {
        return;
    };
    let on = input.checked();
    let value = input.value();
    match input.name().as_str() {
        "bucket" => {
            if let Ok(b) = value.parse::<u8>() {
                ctx.update(Nav::Push, |s| toggle(&mut s.query.buckets, b, on));
            }
        }
        "status" => {
            if let Some(st) = Status::ALL.into_iter().find(|st| st.as_str() == value) {
                ctx.update(Nav::Push, |s| toggle(&mut s.query.statuses, st, on));
            }
        }
        _ => {}
    }
}

fn toggle<T: PartialEq>(list: &mut Vec<T>, item: T, on: bool) {
    list.retain(|x| *x != item);
    if on {
        list.push(item);
    }
}

#[derive(Copy, Clone, PartialEq, Eq)]
enum Bound {
    OpenMin,
    OpenMax,
    DpdMin,
    DpdMax,
}

impl Bound {
    const ALL: [Bound; 4] = [Bound::OpenMin, Bound::OpenMax, Bound::DpdMin, Bound::DpdMax];

    fn id(self) -> &'static str {
        match self {
            Bound::OpenMin => "f-min",
            Bound::OpenMax => "f-max",
            Bound::DpdMin => "f-dpd-min",
            Bound::DpdMax => "f-dpd-max",
        }
    }

    /// The bound as text, in the form the user types it.
    fn text(self, q: &Query, exp: u32) -> String {
        let money = |m: Option<Money>| m.map(|m| m.to_decimal(exp).to_string());
        match self {
            Bound::OpenMin => money(q.open_min),
            Bound::OpenMax => money(q.open_max),
            Bound::DpdMin => q.dpd_min.map(|d| d.to_string()),
            Bound::DpdMax => q.dpd_max.map(|d| d.to_string()),
        }
        .unwrap_or_default()
    }

    /// Reads typed text into the query; `Err` when it is not a value.
    fn set(self, q: &mut Query, text: &str, exp: u32) -> Result<(), ()> {
        let text = text.trim();
        let money = || -> Result<Option<Money>, ()> {
            if text.is_empty() {
                return Ok(None);
            }
            Money::parse_plain(text, exp).map(Some).map_err(|_| ())
        };
        let days = || -> Result<Option<i32>, ()> {
            if text.is_empty() {
                return Ok(None);
            }
            text.parse().map(Some).map_err(|_| ())
        };
        match self {
            Bound::OpenMin => q.open_min = money()?,
            Bound::OpenMax => q.open_max = money()?,
            Bound::DpdMin => q.dpd_min = days()?,
            Bound::DpdMax => q.dpd_max = days()?,
        }
        Ok(())
    }
}

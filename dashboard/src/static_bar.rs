//! The filter bar of static report tables.
//!
//! Markup contract (the generator writes it; without JavaScript the table
//! simply stays as it is):
//!
//! ```html
//! <div data-arsite-filter-bar="scorecard"></div>   <!-- optional: where the bar goes;
//!                                                       default: just before the table
//!                                                       (or its .table-wrap) -->
//! <table data-arsite-filter="scorecard" data-dashboard="../dashboard.html">
//!   <thead><tr>
//!     <th scope="col" data-sort="text">Collector</th>
//!     <th scope="col" class="num" data-sort="num">Open AR</th> …
//!   </tr></thead>
//!   <tbody>
//!     <tr data-collector="Ann Smith" data-division="North" data-search="Ann Smith">
//!       <th scope="row">Ann Smith</th>
//!       <td class="num" data-value="12345.67">12,345.67</td> …
//!     </tr>
//!   </tbody>
//!   <tfoot>…</tfoot>                                  <!-- left alone: totals of all rows -->
//! </table>
//! ```
//!
//! - `data-collector`: the row's collector, exact name ("" = unassigned).
//!   Present on any row → a collector choice (several at once).
//! - `data-division`: the row's division(s), several separated by a newline
//!   (`&#10;`). Present on any row → a division choice.
//! - `data-search`: what the search box matches (case-insensitive
//!   substring); default: the text of the row's first cell.
//! - `data-sort="num"` or `"text"` on a header cell makes that column
//!   sortable; a cell's `data-value` (plain decimal for numbers, empty =
//!   no value) is its sort key, default its text.
//! - `data-dashboard`: relative address of the snapshot's dashboard; the
//!   bar then links to it with the same filters.
//!
//! Rows that do not match are hidden (`hidden`), never removed, and
//! nothing is recomputed: the totals row keeps counting every row and the
//! bar says so. The filters travel in the query string with the
//! dashboard's names (`col`, `div`, `q`), plus `sort.NAME` for the order,
//! replacing the history entry so Back leaves the page as before.

use crate::filters::by_name;
use crate::html::{esc, options, target};
use arsite_core::select::sort_indices;
use arsite_core::viewstate::{self, ViewState};
use arsite_core::Money;
use arsite_core::Snapshot;
use leptos::prelude::{document, window};
use std::cell::RefCell;
use std::cmp::Ordering;
use std::fmt::Write;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement};

struct Row {
    el: HtmlElement,
    collector: Option<String>,
    divisions: Vec<String>,
    search: String,
    /// One sort key per column.
    keys: Vec<Key>,
}

#[derive(Clone, PartialEq)]
enum Key {
    /// Millionths: exact for every figure the pages print.
    Num(i64),
    Text(String),
    None,
}

fn cmp_keys(a: &Key, b: &Key) -> Ordering {
    match (a, b) {
        (Key::Num(x), Key::Num(y)) => x.cmp(y),
        (Key::Text(x), Key::Text(y)) => x.cmp(y),
        (Key::None, Key::None) => Ordering::Equal,
        (Key::None, _) => Ordering::Greater,
        (_, Key::None) => Ordering::Less,
        (Key::Num(_), _) => Ordering::Less,
        (_, Key::Num(_)) => Ordering::Greater,
    }
}

struct Column {
    label: String,
    numeric: bool,
    sortable: bool,
}

struct Table {
    name: String,
    body: Element,
    rows: Vec<Row>,
    columns: Vec<Column>,
    dashboard: Option<String>,
}

fn elements(list: web_sys::NodeList) -> Vec<Element> {
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

fn read(table: &Element) -> Option<Table> {
    let name = table.get_attribute("data-arsite-filter")?;
    let body = table.query_selector("tbody").ok()??;
    let columns: Vec<Column> = table
        .query_selector_all("thead tr:last-child > th, thead tr:last-child > td")
        .map(elements)
        .unwrap_or_default()
        .into_iter()
        .map(|th| {
            let sort = th.get_attribute("data-sort");
            Column {
                label: th.text_content().unwrap_or_default().trim().to_string(),
                numeric: sort.as_deref() == Some("num"),
                sortable: sort.is_some(),
            }
        })
        .collect();
    let rows = body
        .query_selector_all(":scope > tr")
        .map(elements)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|tr| {
            let cells = tr
                .query_selector_all(":scope > th, :scope > td")
                .map(elements)
                .unwrap_or_default();
            let text = |c: &Element| c.text_content().unwrap_or_default().trim().to_string();
            let keys = cells
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let raw = c.get_attribute("data-value").unwrap_or_else(|| text(c));
                    let numeric = columns.get(i).is_some_and(|col| col.numeric);
                    if raw.trim().is_empty() {
                        Key::None
                    } else if numeric {
                        Money::parse_plain(&raw.replace(',', ""), 6)
                            .map_or(Key::None, |m| Key::Num(m.0))
                    } else {
                        Key::Text(raw.to_lowercase())
                    }
                })
                .collect();
            Some(Row {
                collector: tr.get_attribute("data-collector"),
                divisions: tr
                    .get_attribute("data-division")
                    .map(|d| d.split('\n').map(str::to_string).collect())
                    .unwrap_or_default(),
                search: tr
                    .get_attribute("data-search")
                    .or_else(|| cells.first().map(text))
                    .unwrap_or_default()
                    .to_lowercase(),
                keys,
                el: tr.dyn_into::<HtmlElement>().ok()?,
            })
        })
        .collect();
    Some(Table {
        dashboard: table.get_attribute("data-dashboard"),
        name,
        body,
        rows,
        columns,
    })
}

/// Mounts a bar onto every `<table data-arsite-filter>`; returns how many.
pub fn mount_all() -> u32 {
    let Ok(list) = document().query_selector_all("table[data-arsite-filter]") else {
        return 0;
    };
    let mut n = 0;
    for table in elements(list) {
        let Some(info) = read(&table) else { continue };
        let host = document()
            .query_selector(&format!(
                "[data-arsite-filter-bar=\"{}\"]",
                info.name.replace('"', "")
            ))
            .ok()
            .flatten()
            .or_else(|| {
                let before = table
                    .parent_element()
                    .filter(|p| p.class_list().contains("table-wrap"))
                    .unwrap_or_else(|| table.clone());
                let div = document().create_element("div").ok()?;
                before.before_with_node_1(&div).ok()?;
                Some(div)
            });
        let Some(host) = host else { continue };
        mount(&host, Rc::new(info));
        n += 1;
    }
    n
}

/// Distinct names, A–Z, unassigned last.
fn distinct(values: impl Iterator<Item = String>) -> Vec<String> {
    let v: Vec<String> = values.collect();
    let mut out: Vec<String> = by_name(&v)
        .into_iter()
        .map(|i| v[i as usize].clone())
        .collect();
    out.dedup();
    out
}

fn sort_param(name: &str) -> String {
    format!("sort.{name}")
}

/// (column, descending) from `3` / `-3`.
fn parse_order(v: &str) -> Option<(usize, bool)> {
    match v.strip_prefix('-') {
        Some(n) => n.parse().ok().map(|n| (n, true)),
        None => v.parse().ok().map(|n| (n, false)),
    }
}

#[derive(Clone, Default, PartialEq)]
struct Choice {
    collectors: Vec<String>,
    divisions: Vec<String>,
    search: String,
    order: Option<(usize, bool)>,
}

fn markup(t: &Table, c: &Choice, collectors: &[String], divisions: &[String]) -> String {
    let id = |what: &str| format!("{}-{what}", esc(&t.name));
    let mut out = format!(
        "<form class=\"filters static-filters\" role=\"search\" aria-label=\"Filter this table\" data-filter-for=\"{}\">",
        esc(&t.name)
    );
    for (label, what, names, chosen) in [
        ("Division", "division", divisions, &c.divisions),
        ("Collector", "collector", collectors, &c.collectors),
    ] {
        if names.is_empty() {
            continue;
        }
        let _ = write!(out, "<label class=\"multi\">{label} <select id=\"{}\" data-choice=\"{what}\" multiple size=\"5\">", id(what));
        options(
            &mut out,
            names.iter().map(|n| (n.as_str(), Snapshot::label(n))),
            |v| chosen.iter().any(|c| c == v),
        );
        out.push_str("</select></label>");
    }
    let _ = write!(
        out,
        "<label>Search <input type=\"search\" id=\"{}\" data-choice=\"search\" autocomplete=\"off\" value=\"{}\"></label>",
        id("search"),
        esc(&c.search)
    );
    let _ = write!(out, "<label>Order <select id=\"{}\" data-choice=\"order\"><option value=\"\">as published</option>", id("sort"));
    let mut orders: Vec<(String, String)> = Vec::new();
    for (i, col) in t.columns.iter().enumerate().filter(|(_, col)| col.sortable) {
        let (asc, desc) = if col.numeric {
            ("smallest first", "largest first")
        } else {
            ("A–Z", "Z–A")
        };
        orders.push((i.to_string(), format!("{} ({asc})", col.label)));
        orders.push((format!("-{i}"), format!("{} ({desc})", col.label)));
    }
    let current = c
        .order
        .map(|(i, d)| if d { format!("-{i}") } else { i.to_string() })
        .unwrap_or_default();
    options(
        &mut out,
        orders.iter().map(|(v, l)| (v.as_str(), l.as_str())),
        |v| v == current,
    );
    let _ = write!(
        out,
        "</select></label><button type=\"button\" id=\"{}\" data-choice=\"clear\">Clear</button>",
        id("clear")
    );
    if t.dashboard.is_some() {
        let _ = write!(
            out,
            "<a class=\"to-dashboard\" id=\"{}\" href=\"\">Open in the dashboard</a>",
            id("dashboard")
        );
    }
    let _ = write!(
        out,
        "<p class=\"summary\" id=\"{}\" role=\"status\"></p></form>",
        id("shown")
    );
    out
}

/// Writes the bar into `host` and wires it. Plain DOM, no reactive graph:
/// the bar has one piece of state and one thing to do when it changes.
fn mount(host: &Element, t: Rc<Table>) {
    let query = window().location().search().unwrap_or_default();
    let query = query.strip_prefix('?').unwrap_or(&query).to_string();
    // Parsed with the dashboard's reader; amounts do not occur here.
    let initial = ViewState::from_query(&query, 2).query;
    let key = sort_param(&t.name);
    let order = viewstate::pairs(&query)
        .find(|(k, _)| *k == key)
        .and_then(|(_, v)| parse_order(&v))
        .filter(|(c, _)| t.columns.get(*c).is_some_and(|c| c.sortable));
    let choice = Choice {
        collectors: initial.collectors,
        divisions: initial.divisions,
        search: initial.search,
        order,
    };
    let collectors = distinct(t.rows.iter().filter_map(|r| r.collector.clone()));
    let divisions = distinct(t.rows.iter().flat_map(|r| r.divisions.clone()));
    host.set_inner_html(&markup(&t, &choice, &collectors, &divisions));
    apply(&t, &choice);
    let choice = Rc::new(RefCell::new(choice));
    let handler = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
        if ev.type_() == "submit" {
            ev.prevent_default();
            return;
        }
        if on_event(&ev, &mut choice.borrow_mut()) {
            apply(&t, &choice.borrow());
        }
    });
    for kind in ["change", "input", "click", "submit"] {
        let _ = host.add_event_listener_with_callback(kind, handler.as_ref().unchecked_ref());
    }
    // The bar lives as long as the page.
    handler.forget();
}

/// Updates the choice from a control's event; true when it changed.
fn on_event(ev: &web_sys::Event, c: &mut Choice) -> bool {
    let Some(el) = target(ev) else { return false };
    let what = el.get_attribute("data-choice").unwrap_or_default();
    let before = c.clone();
    match (ev.type_().as_str(), what.as_str()) {
        ("change", "division" | "collector" | "order") => {
            let Ok(select) = el.dyn_into::<web_sys::HtmlSelectElement>() else {
                return false;
            };
            let picked = select.selected_options();
            let values: Vec<String> = (0..picked.length())
                .filter_map(|i| picked.item(i))
                .filter_map(|o| o.dyn_into::<web_sys::HtmlOptionElement>().ok())
                .map(|o| o.value())
                .collect();
            match what.as_str() {
                "division" => c.divisions = values,
                "collector" => c.collectors = values,
                _ => c.order = values.first().and_then(|v| parse_order(v)),
            }
        }
        ("input", "search") => {
            if let Ok(input) = el.dyn_into::<web_sys::HtmlInputElement>() {
                c.search = input.value();
            }
        }
        ("click", "clear") => {
            *c = Choice::default();
            // The controls were written once; reset them by hand.
            if let Some(form) = el.closest("form").ok().flatten() {
                for sel in form
                    .query_selector_all("option")
                    .map(elements)
                    .unwrap_or_default()
                {
                    if let Ok(o) = sel.dyn_into::<web_sys::HtmlOptionElement>() {
                        o.set_selected(o.value().is_empty());
                    }
                }
                if let Ok(Some(input)) = form.query_selector("input[type=search]") {
                    if let Ok(input) = input.dyn_into::<web_sys::HtmlInputElement>() {
                        input.set_value("");
                    }
                }
            }
        }
        _ => {}
    }
    *c != before
}

/// Hides, orders, counts, and writes the URL.
fn apply(table: &Table, c: &Choice) {
    let needle = c.search.trim().to_lowercase();
    let mut visible = 0;
    for r in &table.rows {
        let keep = (c.collectors.is_empty()
            || r.collector
                .as_ref()
                .is_some_and(|k| c.collectors.contains(k)))
            && (c.divisions.is_empty() || r.divisions.iter().any(|d| c.divisions.contains(d)))
            && (needle.is_empty() || r.search.contains(&needle));
        r.el.set_hidden(!keep);
        visible += usize::from(keep);
    }
    // Published order when no order is chosen.
    let mut idx: Vec<u32> = (0..table.rows.len() as u32).collect();
    if let Some((col, desc)) = c.order {
        let key = |i: u32| table.rows[i as usize].keys.get(col).unwrap_or(&Key::None);
        sort_indices(&mut idx, &|a, b| {
            let (ka, kb) = (key(a), key(b));
            match (ka, kb) {
                (Key::None, _) | (_, Key::None) => cmp_keys(ka, kb),
                _ if desc => cmp_keys(kb, ka),
                _ => cmp_keys(ka, kb),
            }
        });
    }
    for i in idx {
        let _ = table.body.append_child(&table.rows[i as usize].el);
    }
    let total = table.rows.len();
    let id = |what: &str| format!("{}-{what}", table.name);
    if let Some(p) = document().get_element_by_id(&id("shown")) {
        p.set_text_content(Some(&if visible == total {
            format!("Showing all {total} rows.")
        } else {
            format!("Showing {visible} of {total} rows; the totals row still counts all {total}.")
        }));
    }
    let mut st = ViewState::default();
    st.query.collectors = c.collectors.clone();
    st.query.divisions = c.divisions.clone();
    st.query.search = c.search.clone();
    st.normalize();
    if let (Some(href), Some(a)) = (
        &table.dashboard,
        document().get_element_by_id(&id("dashboard")),
    ) {
        let q = st.to_query(2);
        let _ = a.set_attribute(
            "href",
            &if q.is_empty() {
                href.clone()
            } else {
                format!("{href}?{q}")
            },
        );
    }
    write_url(&table.name, c);
}

fn write_url(name: &str, c: &Choice) {
    let loc = window().location();
    let old = loc.search().unwrap_or_default();
    let old = old.strip_prefix('?').unwrap_or(&old);
    let ours = ["col", "div", "q"];
    let key = sort_param(name);
    // Keep parameters that belong to others (another table's order).
    let mut parts: Vec<String> = viewstate::pairs(old)
        .filter(|(k, _)| !ours.contains(&k.as_str()) && *k != key)
        .map(|(k, v)| format!("{}={}", viewstate::encode(&k), viewstate::encode(&v)))
        .collect();
    parts.extend(
        c.divisions
            .iter()
            .map(|d| format!("div={}", viewstate::encode(d))),
    );
    parts.extend(
        c.collectors
            .iter()
            .map(|k| format!("col={}", viewstate::encode(k))),
    );
    if !c.search.is_empty() {
        parts.push(format!("q={}", viewstate::encode(&c.search)));
    }
    if let Some((col, d)) = c.order {
        parts.push(format!(
            "{}={}{col}",
            viewstate::encode(&key),
            if d { "-" } else { "" }
        ));
    }
    let path = loc.pathname().unwrap_or_default();
    let hash = loc.hash().unwrap_or_default();
    let mut url = path.clone();
    for (i, p) in parts.iter().enumerate() {
        url.push(if i == 0 { '?' } else { '&' });
        url.push_str(p);
    }
    url.push_str(&hash);
    if url != format!("{path}{}{hash}", loc.search().unwrap_or_default()) {
        let _ = window()
            .history()
            .and_then(|h| h.replace_state_with_url(&JsValue::NULL, "", Some(&url)));
    }
}

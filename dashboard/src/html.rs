//! The dashboard's markup as HTML text.
//!
//! Sections are written as strings and set with `innerHTML`; clicks,
//! inputs and changes are caught once, high up (event delegation, see
//! `actions`). Why not leptos' typed views everywhere: each view and each
//! reactive closure is its own generic type, and at the size of this
//! dashboard that tripled the wasm (≈ 600 KB instead of ≈ 250 KB). A string
//! is also the fastest way to replace a window of rows.
//! Every text that comes from the data goes through [`esc`].

use std::fmt::Write;
use wasm_bindgen::JsCast;

/// Escapes text for element content and quoted attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A row being written: `<tr …>` … `</tr>`.
pub struct Row<'a>(&'a mut String);

impl<'a> Row<'a> {
    /// Opens `<tr class="…" extra>`; `extra` is trusted markup (attributes).
    pub fn open(out: &'a mut String, class: &str, extra: &str) -> Row<'a> {
        let _ = write!(out, "<tr class=\"{class}\"{extra}>");
        Row(out)
    }

    /// A header cell holding a button that carries `data-ATTR="value"`.
    pub fn link(self, button_class: &str, attr: &str, value: &str, text: &str) -> Self {
        let _ = write!(
            self.0,
            "<th scope=\"row\"><button type=\"button\" class=\"{button_class}\" data-{attr}=\"{}\">{}</button></th>",
            esc(value),
            esc(text)
        );
        self
    }

    pub fn th(self, text: &str) -> Self {
        let _ = write!(self.0, "<th scope=\"row\">{}</th>", esc(text));
        self
    }

    pub fn td(self, text: &str) -> Self {
        let _ = write!(self.0, "<td>{}</td>", esc(text));
        self
    }

    /// A right-aligned figure; `extra` is trusted markup (attributes).
    pub fn num(self, text: &str, extra: &str) -> Self {
        let _ = write!(self.0, "<td class=\"num\"{extra}>{}</td>", esc(text));
        self
    }

    /// Trusted markup, written as is.
    pub fn raw(self, markup: &str) -> Self {
        self.0.push_str(markup);
        self
    }

    pub fn close(self) {
        self.0.push_str("</tr>");
    }
}

/// A column header; sortable ones hold a button with `data-sort` (the key)
/// and `data-list` (which list), and say their order in `aria-sort`.
pub struct Head<'a> {
    pub label: &'a str,
    pub numeric: bool,
    /// (list, key) when the column sorts.
    pub sort: Option<(&'a str, &'a str)>,
    /// `Some(descending)` when the list is sorted by this column.
    pub active: Option<bool>,
}

pub fn head_cell(out: &mut String, h: &Head<'_>) {
    let class = if h.numeric { " class=\"num\"" } else { "" };
    let Some((list, key)) = h.sort else {
        let _ = write!(out, "<th scope=\"col\"{class}>{}</th>", esc(h.label));
        return;
    };
    let (aria, arrow) = match h.active {
        Some(true) => ("descending", " ▼"),
        Some(false) => ("ascending", " ▲"),
        None => ("none", ""),
    };
    let _ = write!(
        out,
        "<th scope=\"col\"{class} aria-sort=\"{aria}\"><button type=\"button\" class=\"sort\" data-list=\"{list}\" data-sort=\"{key}\">{}<span aria-hidden=\"true\">{arrow}</span></button></th>",
        esc(h.label)
    );
}

/// `<option>`s; `selected` decides which carry the attribute.
pub fn options<'a>(
    out: &mut String,
    items: impl Iterator<Item = (&'a str, &'a str)>,
    selected: impl Fn(&str) -> bool,
) {
    for (value, text) in items {
        let sel = if selected(value) { " selected" } else { "" };
        let _ = write!(
            out,
            "<option value=\"{}\"{sel}>{}</option>",
            esc(value),
            esc(text)
        );
    }
}

/// The element an event started on, as an `Element`.
pub fn target(ev: &web_sys::Event) -> Option<web_sys::Element> {
    ev.target()?.dyn_into().ok()
}

/// The nearest element (from the event's target up) carrying `data-ATTR`,
/// and that attribute's value.
pub fn closest_data(ev: &web_sys::Event, attr: &str) -> Option<(web_sys::Element, String)> {
    let name = format!("data-{attr}");
    let el = target(ev)?.closest(&format!("[{name}]")).ok()??;
    let value = el.get_attribute(&name)?;
    Some((el, value))
}

/// An element of the page by id, as the type asked for.
pub fn by_id<T: JsCast>(id: &str) -> Option<T> {
    web_sys::window()?
        .document()?
        .get_element_by_id(id)?
        .dyn_into()
        .ok()
}

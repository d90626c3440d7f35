//! The view switcher. Buttons rather than links: every view lives on this
//! page; the URL changes through the state like every other choice.

use arsite_core::viewstate::View;
use std::fmt::Write;

pub fn html(current: View) -> String {
    let mut out = String::new();
    for v in View::ALL {
        let aria = if v == current {
            " aria-current=\"page\""
        } else {
            ""
        };
        let _ = write!(
            out,
            "<button type=\"button\" id=\"tab-{key}\" data-view=\"{key}\"{aria}>{}</button>",
            v.label(),
            key = v.key()
        );
    }
    out
}

//! The snapshot's workbook: its main tables, one sheet each (rust_xlsxwriter).
//! The document date is the snapshot date, not the build time, so two builds
//! of the same input give the same bytes.
//!
//! Excel holds at most 32,767 characters (UTF-16 code units) in a cell; a
//! longer text (a pasted e-mail thread as a dispute note) is cut there with
//! a visible marker. The page and its CSV keep the full text.

use super::table::{DataTable, Raw};
use anyhow::Result;
use chrono::Datelike;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
use std::borrow::Cow;
use std::collections::HashSet;

/// Excel's limit on the text of one cell, in UTF-16 code units.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Ends a text cut to [`MAX_CELL_CHARS`].
pub const TRUNCATED: &str = " … [truncated: full text in the HTML and CSV]";

pub fn workbook(as_of: chrono::NaiveDate, title: &str, tables: &[&DataTable]) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let date =
        ExcelDateTime::from_ymd(as_of.year() as u16, as_of.month() as u8, as_of.day() as u8)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_creation_datetime(&date),
    );
    let bold = Format::new().set_bold();
    let number = Format::new().set_num_format("#,##0.00");
    let mut used = HashSet::new();
    for t in tables {
        let sheet = wb.add_worksheet();
        sheet.set_name(sheet_name(&t.id, &mut used))?;
        sheet.write_string_with_format(0, 0, cell_text(&t.caption), &bold)?;
        for (c, h) in t.headers.iter().enumerate() {
            sheet.write_string_with_format(2, c as u16, cell_text(&h.label), &bold)?;
        }
        for (r, row) in t.rows.iter().chain(t.footer.iter()).enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 3, c as u16);
                match &cell.raw {
                    // Spreadsheets hold numbers as doubles; the exact
                    // decimal stays in the CSV and metrics.json.
                    Raw::Number(n) => {
                        sheet.write_number_with_format(
                            r,
                            c,
                            n.parse::<f64>().unwrap_or(0.0),
                            &number,
                        )?;
                    }
                    // Strings are written as text cells: never evaluated as formulas.
                    Raw::Text(s) => {
                        sheet.write_string(r, c, cell_text(s))?;
                    }
                    Raw::Empty => {}
                }
            }
        }
        sheet.set_column_width(0, 36)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// `text` as a cell can hold it: unchanged when it fits, else its longest
/// prefix (whole characters) that fits with [`TRUNCATED`] after it.
pub fn cell_text(text: &str) -> Cow<'_, str> {
    let units = |s: &str| s.encode_utf16().count();
    if units(text) <= MAX_CELL_CHARS {
        return Cow::Borrowed(text);
    }
    let budget = MAX_CELL_CHARS - units(TRUNCATED);
    let mut used = 0;
    let end = text
        .char_indices()
        .find(|(_, c)| {
            used += c.len_utf16();
            used > budget
        })
        .map_or(text.len(), |(i, _)| i);
    Cow::Owned(format!("{}{TRUNCATED}", &text[..end]))
}

/// Sheet names: at most 31 characters, unique, none of `[]:*?/\`.
fn sheet_name(id: &str, used: &mut HashSet<String>) -> String {
    let base: String = id
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(28)
        .collect();
    let mut name = base.clone();
    let mut n = 2;
    while !used.insert(name.to_lowercase()) {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_cut_to_the_cell_limit_with_a_marker() {
        assert_eq!(cell_text("short"), "short");
        let exact = "x".repeat(MAX_CELL_CHARS);
        assert_eq!(cell_text(&exact), exact.as_str());
        // 40,000 ASCII characters: 32,767 − 45 (the marker's length) = 32,722
        // of them are kept, then the marker: 32,767 in all.
        let cut = cell_text(&"y".repeat(40_000)).into_owned();
        assert_eq!(TRUNCATED.encode_utf16().count(), 45);
        assert_eq!(cut.encode_utf16().count(), MAX_CELL_CHARS);
        assert!(cut.starts_with(&"y".repeat(32_722)) && cut.ends_with(TRUNCATED));
        // 😀 is two UTF-16 units: 20,000 of them (40,000 units) keep
        // ⌊32,722 / 2⌋ = 16,361 whole ones, never half a pair.
        let cut = cell_text(&"😀".repeat(20_000)).into_owned();
        assert_eq!(cut.strip_suffix(TRUNCATED).unwrap().chars().count(), 16_361);
        assert_eq!(cut.encode_utf16().count(), 16_361 * 2 + 45);
    }
}

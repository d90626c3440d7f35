//! The snapshot's workbook: its main tables, one sheet each (rust_xlsxwriter).
//! The document date is the snapshot date, not the build time, so two builds
//! of the same input give the same bytes.

use super::table::{DataTable, Raw};
use anyhow::Result;
use chrono::Datelike;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
use std::collections::HashSet;

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
        sheet.write_string_with_format(0, 0, &t.caption, &bold)?;
        for (c, h) in t.headers.iter().enumerate() {
            sheet.write_string_with_format(2, c as u16, &h.label, &bold)?;
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
                        sheet.write_string(r, c, s)?;
                    }
                    Raw::Empty => {}
                }
            }
        }
        sheet.set_column_width(0, 36)?;
    }
    Ok(wb.save_to_buffer()?)
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

//! One table model for every output format: the HTML table of a page, its
//! CSV download and its sheet in the snapshot's workbook all come from the
//! same `DataTable`, so they cannot disagree.

use arsite_core::metrics::Amount;
use arsite_core::Money;
use rust_decimal::Decimal;
use serde::Serialize;

/// What a cell holds for machines (CSV, xlsx); `text` is what people see.
#[derive(Clone, Debug, PartialEq)]
pub enum Raw {
    Text(String),
    /// An exact decimal written without grouping (`-1234.50`).
    Number(String),
    Empty,
}

#[derive(Clone, Debug, Serialize)]
pub struct Cell {
    pub text: String,
    /// Serialised as none when absent (templates render in strict mode,
    /// where an absent field cannot even be tested).
    pub href: Option<String>,
    /// CSS class: "num" for right-aligned figures.
    pub class: &'static str,
    /// Serialised as `value`: the plain decimal of a figure ("" for an
    /// empty figure, none for text), the sort key of a filterable table.
    #[serde(rename = "value", serialize_with = "sort_value")]
    pub raw: Raw,
}

fn sort_value<S: serde::Serializer>(raw: &Raw, s: S) -> Result<S::Ok, S::Error> {
    match raw {
        Raw::Number(n) => s.serialize_some(n),
        Raw::Empty => s.serialize_some(""),
        Raw::Text(_) => s.serialize_none(),
    }
}

const DASH: &str = "—";

impl Cell {
    pub fn text(t: impl Into<String>) -> Cell {
        let t = t.into();
        Cell {
            raw: Raw::Text(t.clone()),
            text: t,
            href: None,
            class: "",
        }
    }

    pub fn link(t: impl Into<String>, href: impl Into<String>) -> Cell {
        Cell {
            href: Some(href.into()),
            ..Cell::text(t)
        }
    }

    pub fn money(m: Money, exponent: u32) -> Cell {
        Cell {
            text: arsite_core::format::money(m, exponent),
            href: None,
            class: "num",
            raw: Raw::Number(m.to_decimal(exponent).to_string()),
        }
    }

    pub fn amount(a: &Amount) -> Cell {
        Cell::money(a.money, a.exponent)
    }

    pub fn opt_amount(a: Option<&Amount>) -> Cell {
        a.map_or_else(Cell::empty_num, Cell::amount)
    }

    pub fn int(n: impl Into<i64>) -> Cell {
        let n = n.into();
        Cell {
            text: n.to_string(),
            href: None,
            class: "num",
            raw: Raw::Number(n.to_string()),
        }
    }

    /// A ratio or day figure already rounded by core; "—" when there is none.
    pub fn dec(d: Option<Decimal>) -> Cell {
        match d {
            Some(d) => Cell {
                text: format!("{d:.2}"),
                href: None,
                class: "num",
                raw: Raw::Number(d.to_string()),
            },
            None => Cell::empty_num(),
        }
    }

    pub fn empty_num() -> Cell {
        Cell {
            text: DASH.to_string(),
            href: None,
            class: "num",
            raw: Raw::Empty,
        }
    }

    pub fn with_class(mut self, class: &'static str) -> Cell {
        self.class = class;
        self
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Header {
    pub label: String,
    pub numeric: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct DataTable {
    /// Unique within the page; also the CSV file's name.
    pub id: String,
    pub caption: String,
    pub headers: Vec<Header>,
    pub rows: Vec<Vec<Cell>>,
    pub footer: Option<Vec<Cell>>,
    /// Relative link to the CSV download, set when the table is written.
    pub csv_href: Option<String>,
    /// Set on tables that get the dashboard's filter bar in the browser
    /// (the markup contract of `dashboard/src/static_bar.rs`); none
    /// otherwise (always serialised: templates are strict).
    pub filter: Option<Filter>,
    /// One per row when `filter` is set: what the bar filters rows by.
    pub row_keys: Vec<RowKeys>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Filter {
    /// The bar's name (`data-arsite-filter`).
    pub name: &'static str,
    /// Relative address of the snapshot's dashboard.
    pub dashboard: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct RowKeys {
    /// Exact collector name ("" = unassigned).
    pub collector: String,
    /// Division names, one per line.
    pub division: String,
    pub search: String,
}

impl DataTable {
    /// Headers prefixed with `#` are numeric (right-aligned).
    pub fn new(id: &str, caption: impl Into<String>, headers: &[&str]) -> DataTable {
        DataTable {
            id: id.to_string(),
            caption: caption.into(),
            headers: headers
                .iter()
                .map(|h| match h.strip_prefix('#') {
                    Some(label) => Header {
                        label: label.to_string(),
                        numeric: true,
                    },
                    None => Header {
                        label: h.to_string(),
                        numeric: false,
                    },
                })
                .collect(),
            rows: Vec::new(),
            footer: None,
            csv_href: None,
            filter: None,
            row_keys: Vec::new(),
        }
    }

    /// Marks the table for the filter bar; `row_keys` must hold one entry
    /// per row.
    pub fn with_filter(mut self, filter: Filter) -> DataTable {
        assert_eq!(self.row_keys.len(), self.rows.len(), "table {}", self.id);
        self.filter = Some(filter);
        self
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.headers.len(), "table {}", self.id);
        self.rows.push(row);
    }

    /// CSV with a header row; footer included as a last row. Text that a
    /// spreadsheet would run as a formula is neutralized.
    pub fn to_csv(&self) -> String {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        w.write_record(self.headers.iter().map(|h| neutralize(&h.label)))
            .expect("writing to memory");
        for row in self.rows.iter().chain(self.footer.iter()) {
            w.write_record(row.iter().map(|c| match &c.raw {
                Raw::Text(t) => neutralize(t),
                Raw::Number(n) => n.clone(),
                Raw::Empty => String::new(),
            }))
            .expect("writing to memory");
        }
        String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 text")
    }
}

pub use arsite_core::format::neutralize;

/// One line of CSV holding `text` as its only field, neutralised and quoted
/// as a field needs (a caption above a table in a combined file: a name
/// with a comma or a quote must not split it into fields, one of which a
/// spreadsheet would run as a formula).
pub fn csv_line(text: &str) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record([neutralize(text)])
        .expect("writing to memory");
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 text")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_keeps_numbers_exact_and_neutralizes_formulas() {
        let mut t = DataTable::new("t", "caption", &["Customer", "#Open"]);
        t.push(vec![
            Cell::text("=HYPERLINK(\"http://x\")"),
            Cell::money(Money(-123450), 2),
        ]);
        t.push(vec![Cell::text("@SUM(A1)"), Cell::money(Money(100), 2)]);
        t.push(vec![
            Cell::text("Smith, \"Best\" & Sons"),
            Cell::empty_num(),
        ]);
        t.push(vec![Cell::text("-2+3"), Cell::int(7)]);
        t.footer = Some(vec![Cell::text("Total"), Cell::money(Money(-123350), 2)]);
        assert_eq!(
            t.to_csv(),
            "Customer,Open\r\n\
             \"'=HYPERLINK(\"\"http://x\"\")\",-1234.50\r\n\
             '@SUM(A1),1.00\r\n\
             \"Smith, \"\"Best\"\" & Sons\",\r\n\
             '-2+3,7\r\n\
             Total,-1233.50\r\n"
        );
    }

    #[test]
    fn a_caption_line_is_one_quoted_field() {
        // A comma would split the line; the second field would start with `=`.
        assert_eq!(
            csv_line("Open items of A,=1+2"),
            "\"Open items of A,=1+2\"\r\n"
        );
        assert_eq!(csv_line("=x \"y\""), "\"'=x \"\"y\"\"\"\r\n");
        assert_eq!(csv_line("Plain"), "Plain\r\n");
        // A name with a comma and bare quotes: quoted, inner quotes doubled.
        assert_eq!(
            csv_line("Open items of Smith, \"Best\" & Sons (C1)"),
            "\"Open items of Smith, \"\"Best\"\" & Sons (C1)\"\r\n"
        );
    }

    #[test]
    fn display_text_groups_thousands() {
        let c = Cell::money(Money(123456789), 2);
        assert_eq!(c.text, "1,234,567.89");
        assert_eq!(c.raw, Raw::Number("1234567.89".into()));
        assert_eq!(Cell::dec(None).text, "—");
    }
}

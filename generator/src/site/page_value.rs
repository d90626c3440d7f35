//! A page handed to the templates without copying it. `Value::from_serialize`
//! would rebuild every cell as a map of freshly allocated strings (about a
//! quarter of a customer page's rendering time, the same again to free it);
//! here the page is moved into the template's value and its tables are read
//! in place. Templates see the same names and values as the serialised
//! `Page` would give them (`None` is none, and no field is absent: the
//! templates render in strict mode), so templates written against the
//! serialised form keep working.

use super::page::{Block, Page, Section};
use super::table::{Cell, DataTable, Raw};
use minijinja::value::{Enumerator, Object, ObjectRepr, Value};
use std::sync::Arc;

/// Consumes the page (its tables have been written as CSV by now).
pub fn page_value(page: Page) -> Value {
    let Page {
        key,
        title,
        lede,
        notes,
        sections,
    } = page;
    Fields::value(vec![
        ("key", Value::from(key)),
        ("title", Value::from(title)),
        ("lede", Value::from_serialize(&lede)),
        ("notes", Value::from_serialize(&notes)),
        (
            "sections",
            sections.into_iter().map(section_value).collect::<Value>(),
        ),
    ])
}

fn section_value(section: Section) -> Value {
    let Section { id, title, blocks } = section;
    Fields::value(vec![
        ("id", Value::from(id)),
        ("title", Value::from(title)),
        (
            "blocks",
            blocks
                .into_iter()
                .map(|b| match b {
                    Block::Table { table } => Fields::value(vec![
                        ("kind", Value::from("table")),
                        ("table", Value::from_object(Table(table))),
                    ]),
                    other => Value::from_serialize(&other),
                })
                .collect::<Value>(),
        ),
    ])
}

/// A struct as minijinja's serializer presents it: fields in declaration
/// order, looked up by name.
#[derive(Debug)]
struct Fields(Vec<(&'static str, Value)>);

impl Fields {
    fn value(fields: Vec<(&'static str, Value)>) -> Value {
        Value::from_object(Fields(fields))
    }
}

impl Object for Fields {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        self.0
            .iter()
            .find_map(|(name, value)| (*name == key).then(|| value.clone()))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(self.0.iter().map(|(name, _)| Value::from(*name)).collect())
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(self.0.len())
    }
}

#[derive(Debug)]
struct Table(DataTable);

impl Table {
    /// The fields `DataTable` serialises, in its order (every one, `filter`
    /// as none when unset: templates render in strict mode).
    const KEYS: [&'static str; 8] = [
        "id", "caption", "headers", "rows", "footer", "csv_href", "filter", "row_keys",
    ];
}

impl Object for Table {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        let t = &self.0;
        Some(match key {
            "id" => Value::from(t.id.as_str()),
            "caption" => Value::from(t.caption.as_str()),
            "headers" => Value::from_serialize(&t.headers),
            "rows" => Value::from_object(Rows(self.clone())),
            "footer" => match t.footer {
                Some(_) => Value::from_object(Cells {
                    table: self.clone(),
                    row: FOOTER,
                }),
                None => Value::from(()),
            },
            "csv_href" => Value::from_serialize(&t.csv_href),
            "filter" => Value::from_serialize(t.filter.as_ref()),
            "row_keys" => Value::from_object(RowKeys(self.clone())),
            _ => return None,
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(&Table::KEYS)
    }
}

/// `row` of a [`Cells`] that stands for the footer.
const FOOTER: usize = usize::MAX;

#[derive(Debug)]
struct Rows(Arc<Table>);

impl Object for Rows {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let row = key.as_usize()?;
        (row < self.0 .0.rows.len()).then(|| {
            Value::from_object(Cells {
                table: self.0.clone(),
                row,
            })
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.0 .0.rows.len())
    }
}

#[derive(Debug)]
struct Cells {
    table: Arc<Table>,
    row: usize,
}

impl Cells {
    fn cells(&self) -> &[Cell] {
        let t = &self.table.0;
        match self.row {
            FOOTER => t.footer.as_deref().unwrap_or_default(),
            row => &t.rows[row],
        }
    }
}

impl Object for Cells {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let col = key.as_usize()?;
        (col < self.cells().len()).then(|| Value::from_object(CellRef(self.clone(), col)))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.cells().len())
    }
}

#[derive(Debug)]
struct CellRef(Arc<Cells>, usize);

impl CellRef {
    fn cell(&self) -> &Cell {
        &self.0.cells()[self.1]
    }
}

impl Object for CellRef {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        let c = self.cell();
        Some(match key {
            "text" => Value::from(c.text.as_str()),
            "href" => Value::from(c.href.as_deref()),
            "class" => Value::from(c.class),
            // As `Cell` serialises it: the plain decimal of a figure, ""
            // for an empty figure, none for text.
            "value" => match &c.raw {
                Raw::Number(n) => Value::from(n.as_str()),
                Raw::Empty => Value::from(""),
                Raw::Text(_) => Value::from(()),
            },
            _ => return None,
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(&["text", "href", "class", "value"])
    }
}

#[derive(Debug)]
struct RowKeys(Arc<Table>);

impl Object for RowKeys {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.0
             .0
            .row_keys
            .get(key.as_usize()?)
            .map(Value::from_serialize)
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.0 .0.row_keys.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::page::{Link, Tile};
    use crate::site::render::Renderer;
    use crate::site::table::{Filter, RowKeys};
    use arsite_core::Money;
    use minijinja::context;

    fn sample() -> Page {
        let mut filtered = DataTable::new("f", "Filtered <table>", &["Customer", "#Open", "Note"]);
        for i in 0..3 {
            filtered.push(vec![
                Cell::link(format!("C{i} & Co"), format!("customers/C{i}.html")),
                Cell::money(Money(-12345 * i), 2),
                Cell::text(if i == 1 { "=cmd" } else { "" }),
            ]);
            filtered.row_keys.push(RowKeys {
                collector: format!("Coll'{i}"),
                division: "North\nSouth".into(),
                search: format!("c{i} & co"),
            });
        }
        filtered.footer = Some(vec![Cell::text("Total"), Cell::empty_num(), Cell::text("")]);
        filtered.csv_href = Some("../csv/x--f.csv".into());
        let filtered = filtered.with_filter(Filter {
            name: "worklist",
            dashboard: "../dashboard.html".into(),
        });
        let mut plain = DataTable::new("p", "Plain", &["Date", "#Days"]);
        plain.push(vec![
            Cell::text("2026-10-31").with_class("x"),
            Cell::int(-3),
        ]);
        plain.push(vec![Cell::dec(None), Cell::link("a", "b")]);
        let empty = DataTable::new("e", "Empty", &["A", "#B"]);
        Page {
            key: "customers",
            title: "T \"quoted\"".into(),
            lede: Some("Lede".into()),
            notes: vec!["Note <1>".into(), "Note 2".into()],
            sections: vec![
                Section::new("a", "A").with(Block::Tiles {
                    tiles: vec![
                        Tile {
                            label: "L".into(),
                            value: "1".into(),
                            change: Some("+1".into()),
                            target: Some("t".into()),
                            tone: "bad",
                            href: None,
                        },
                        Tile {
                            label: "M".into(),
                            value: "2".into(),
                            change: None,
                            target: None,
                            tone: "good",
                            href: None,
                        },
                    ],
                }),
                Section::new("b", "B")
                    .table(filtered)
                    .chart("<svg></svg>".into())
                    .table(plain),
                Section::new("c", "C")
                    .text("Some text")
                    .table(empty)
                    .with(Block::Links {
                        links: vec![Link {
                            text: "x".into(),
                            href: "y/z.html".into(),
                        }],
                    }),
            ],
        }
    }

    fn render(r: &Renderer, p: Value) -> String {
        r.render(
            "page.html",
            context! {
                p, filter_bar => true, root => "../", snap => "", as_of => "2026-10-31", page => "customers",
                site_title => "T", previous => (), nav => Vec::<()>::new(), freshness => "", currency => "EUR",
                page_path => "2026-10-31/customers/x.html",
            },
        )
        .unwrap()
    }

    #[test]
    fn templates_see_the_page_as_if_serialised() {
        let r = Renderer::new(None).unwrap();
        let serialised = render(&r, Value::from_serialize(sample()));
        assert!(
            serialised.contains("data-value=\"-123.45\""),
            "{serialised}"
        );
        assert!(serialised.contains("None."), "{serialised}");
        assert_eq!(render(&r, page_value(sample())), serialised);

        let env = minijinja::Environment::new();
        let probe = "{% for s in p.sections %}{% for b in s.blocks %}{% if b.table %}\
            {{ b.table|list }}|{{ b.table.footer is none }}|{{ b.table.filter is none }}|\
            {% if b.table.row_keys %}{{ b.table.row_keys|length }}{{ b.table.row_keys[1].division }}{% endif %}|{% for r in b.table.rows %}{{ r|length }}\
            {% for c in r %}[{{ c|list }}:{{ c.href is none }}:{{ c.value is none }}]{% endfor %}\
            {% endfor %}{% if b.table.rows %}{{ b.table.rows[-1]|length }}{% endif %}{{ b.table.headers[1].numeric }}\n{% endif %}{% endfor %}{% endfor %}";
        let probe = |p: Value| env.render_str(probe, context! { p }).unwrap();
        assert_eq!(
            probe(page_value(sample())),
            probe(Value::from_serialize(sample()))
        );
    }
}

//! The page model shared by every report page: sections of tiles, charts,
//! tables and text. One template (`page.html`) renders them all, so every
//! page gets the same semantics (captions, header cells, CSV links) and the
//! same print behaviour.

use super::table::DataTable;
use serde::Serialize;

#[derive(Serialize, Default)]
pub struct Page {
    /// Key of the page in the navigation ("overview", "aging", …).
    pub key: &'static str,
    pub title: String,
    pub lede: Option<String>,
    /// Caveats the reader must see (derived sales, data problems).
    pub notes: Vec<String>,
    pub sections: Vec<Section>,
}

#[derive(Serialize)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub blocks: Vec<Block>,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    Tiles {
        tiles: Vec<Tile>,
    },
    Table {
        table: DataTable,
    },
    /// Trusted SVG produced by `chart` (all text in it is escaped there).
    Chart {
        svg: String,
    },
    Text {
        text: String,
    },
    Links {
        links: Vec<Link>,
    },
}

#[derive(Serialize, Clone)]
pub struct Tile {
    pub label: String,
    pub value: String,
    /// Change since the previous snapshot, already signed ("+1.20 days").
    pub change: Option<String>,
    /// Position against a configured target ("target 45.00: 2.75 above").
    pub target: Option<String>,
    /// "good", "bad" or "" — conveyed in words too, never by colour alone.
    pub tone: &'static str,
    /// Where the value links to (a list behind a count), relative to the page.
    pub href: Option<String>,
}

#[derive(Serialize, Clone)]
pub struct Link {
    pub text: String,
    pub href: String,
}

impl Section {
    pub fn new(id: &str, title: impl Into<String>) -> Section {
        Section {
            id: id.to_string(),
            title: title.into(),
            blocks: Vec::new(),
        }
    }

    pub fn with(mut self, block: Block) -> Section {
        self.blocks.push(block);
        self
    }

    pub fn table(self, table: DataTable) -> Section {
        self.with(Block::Table { table })
    }

    pub fn text(self, text: impl Into<String>) -> Section {
        self.with(Block::Text { text: text.into() })
    }

    pub fn chart(self, svg: String) -> Section {
        self.with(Block::Chart { svg })
    }
}

impl Page {
    pub fn tables(&self) -> impl Iterator<Item = &DataTable> {
        self.sections.iter().flat_map(|s| {
            s.blocks.iter().filter_map(|b| match b {
                Block::Table { table } => Some(table),
                _ => None,
            })
        })
    }

    /// Every table of the page, for CSV files and the workbook.
    pub fn tables_mut(&mut self) -> impl Iterator<Item = &mut DataTable> {
        self.sections.iter_mut().flat_map(|s| {
            s.blocks.iter_mut().filter_map(|b| match b {
                Block::Table { table } => Some(table),
                _ => None,
            })
        })
    }
}

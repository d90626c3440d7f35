//! The built-in presets: how each supported ERP writes its open-item
//! report, as an `[import.snapshots]` section in TOML (`presets/*.toml`,
//! compiled in). A preset is read exactly like a section a user writes, so
//! anything a user can configure a preset can say too (layout rules, value
//! maps, filters, the sheet); every key the user writes overrides the
//! preset's (see [`super::spec::InputSpec::from_raw`]).

use super::spec::RawInput;
use serde::Deserialize;

/// A built-in description of an ERP's open-item export.
pub struct Preset {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub title: &'static str,
    /// The `[import.snapshots]` section this preset stands for.
    pub toml: &'static str,
}

impl Preset {
    pub const ALL: &'static [&'static Preset] = &[
        &SAP_FBL5N,
        &NETSUITE,
        &QUICKBOOKS,
        &DYNAMICS,
        &QUICKBOOKS_DESKTOP,
        &XERO,
        &ODOO,
        &ERPNEXT,
        &BUSINESS_CENTRAL,
    ];

    pub fn find(name: &str) -> Option<&'static Preset> {
        let n = name.trim().to_ascii_lowercase();
        Preset::ALL
            .iter()
            .copied()
            .find(|p| p.name == n || p.aliases.contains(&n.as_str()))
    }

    /// The preset's settings, as if written in `arsite.toml`.
    pub fn settings(&self) -> RawInput {
        let mut table = self.table();
        // `[init]` is for `arsite init` only; a user's section has none.
        table.remove(INIT_TABLE);
        toml::Value::Table(table)
            .try_into()
            .unwrap_or_else(|e| panic!("preset {} does not parse: {e}", self.name))
    }

    /// The preset's optional `[init]` table (see [`InitHints`]); empty
    /// when it has none.
    pub fn init_hints(&self) -> InitHints {
        match self.table().remove(INIT_TABLE) {
            None => InitHints::default(),
            Some(value) => value
                .try_into()
                .unwrap_or_else(|e| panic!("preset {}: [init] does not parse: {e}", self.name)),
        }
    }

    fn table(&self) -> toml::Table {
        // The texts are compiled in and parsed by a unit test below.
        toml::from_str(self.toml)
            .unwrap_or_else(|e| panic!("preset {} does not parse: {e}", self.name))
    }
}

const INIT_TABLE: &str = "init";

/// `[init]` in a preset's TOML: optional cues with which `arsite init`
/// tells this preset's exports from others', and lines it adds to the
/// `arsite.toml` it writes. Every key may be left out (the default: the
/// preset is recognised by the headers its columns read, and the hints are
/// the ones `arsite init` derives from the columns). Needed only when two
/// presets' columns read the same headers.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InitHints {
    /// Other headers the report has, which no column reads (QuickBooks'
    /// "Past Due", NetSuite's "Age"): counted as this preset's headers when
    /// telling it from others.
    #[serde(default)]
    pub headers: Vec<String>,
    /// Text in the report's title rows above the header ("Aged Partner
    /// Balance"), matched case-insensitively inside a cell.
    #[serde(default)]
    pub titles: Vec<String>,
    /// Names of the worksheet the ERP writes ("Customer aging").
    #[serde(default)]
    pub sheets: Vec<String>,
    /// Commented lines for the `[import.snapshots]` section `arsite init`
    /// writes: keys users of this ERP typically still set, each with its
    /// comment (`# invoice_key = ["Document Number", "Item"]  # instalments`).
    #[serde(default)]
    pub hints: Vec<String>,
}

pub static SAP_FBL5N: Preset = Preset {
    name: "sap-fbl5n",
    aliases: &["sap", "fbl5n"],
    title: "SAP FBL5N open items",
    toml: include_str!("presets/sap-fbl5n.toml"),
};

pub static NETSUITE: Preset = Preset {
    name: "netsuite-ar-aging-detail",
    aliases: &["netsuite"],
    title: "NetSuite A/R Aging Detail",
    toml: include_str!("presets/netsuite-ar-aging-detail.toml"),
};

pub static QUICKBOOKS: Preset = Preset {
    name: "quickbooks-ar-aging-detail",
    aliases: &["quickbooks", "qbo"],
    title: "QuickBooks A/R Aging Detail",
    toml: include_str!("presets/quickbooks-ar-aging-detail.toml"),
};

pub static DYNAMICS: Preset = Preset {
    name: "dynamics365-customer-aging",
    aliases: &["dynamics", "dynamics365", "d365"],
    title: "Dynamics 365 customer aging",
    toml: include_str!("presets/dynamics365-customer-aging.toml"),
};

pub static QUICKBOOKS_DESKTOP: Preset = Preset {
    name: "quickbooks-desktop-open-invoices",
    aliases: &["qbd", "quickbooks-desktop"],
    title: "QuickBooks Desktop Open Invoices",
    toml: include_str!("presets/quickbooks-desktop-open-invoices.toml"),
};

pub static XERO: Preset = Preset {
    name: "xero-aged-receivables-detail",
    aliases: &["xero"],
    title: "Xero Aged Receivables Detail",
    toml: include_str!("presets/xero-aged-receivables-detail.toml"),
};

pub static ODOO: Preset = Preset {
    name: "odoo-aged-partner-balance",
    aliases: &["odoo"],
    title: "Odoo Aged Partner Balance",
    toml: include_str!("presets/odoo-aged-partner-balance.toml"),
};

pub static ERPNEXT: Preset = Preset {
    name: "erpnext-accounts-receivable",
    aliases: &["erpnext", "frappe"],
    title: "ERPNext Accounts Receivable",
    toml: include_str!("presets/erpnext-accounts-receivable.toml"),
};

pub static BUSINESS_CENTRAL: Preset = Preset {
    name: "business-central-aged-receivables",
    aliases: &["business-central", "bc"],
    title: "Business Central Aged Accounts Receivable (Excel)",
    toml: include_str!("presets/business-central-aged-receivables.toml"),
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::snapshot_csv::SCHEMA;
    use crate::import::spec::InputSpec;

    #[test]
    fn the_init_table_is_read_apart_from_the_settings() {
        let p = Preset {
            name: "t",
            aliases: &[],
            title: "T",
            toml: "format = \"csv\"\n[columns]\ninvoice_id = \"No\"\n\
                   [init]\nheaders = [\"Aging\"]\nsheets = [\"Open\"]\nhints = [\"# x = 1\"]\n",
        };
        assert_eq!(p.settings().format.as_deref(), Some("csv"));
        let h = p.init_hints();
        assert_eq!(
            (h.headers, h.titles, h.sheets, h.hints),
            (
                vec!["Aging".to_string()],
                vec![],
                vec!["Open".to_string()],
                vec!["# x = 1".to_string()]
            )
        );
    }

    #[test]
    fn every_preset_parses_resolves_and_has_a_unique_name() {
        let mut names = std::collections::BTreeSet::new();
        for p in Preset::ALL {
            assert!(
                p.settings().preset.is_none(),
                "{}: a preset names no preset",
                p.name
            );
            let hints = p.init_hints();
            assert!(
                hints.hints.iter().all(|h| h.trim_start().starts_with('#')),
                "{}: [init] hints are comment lines",
                p.name
            );
            let raw = RawInput {
                preset: Some(p.name.into()),
                ..RawInput::default()
            };
            let spec =
                InputSpec::from_raw(&raw, &SCHEMA).unwrap_or_else(|e| panic!("{}: {e}", p.name));
            assert_eq!(spec.preset, Some(p.name));
            for n in std::iter::once(&p.name).chain(p.aliases) {
                assert!(names.insert(*n), "{n} names two presets");
                assert_eq!(
                    Preset::find(&n.to_uppercase()).map(|f| f.name),
                    Some(p.name)
                );
            }
        }
    }
}

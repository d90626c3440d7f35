//! The built-in presets: how each supported ERP writes its open-item
//! report, as an `[import.snapshots]` section in TOML (`presets/*.toml`,
//! compiled in). A preset is read exactly like a section a user writes, so
//! anything a user can configure a preset can say too (layout rules, value
//! maps, filters, the sheet); every key the user writes overrides the
//! preset's (see [`super::spec::InputSpec::from_raw`]).

use super::spec::RawInput;

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
        // The texts are compiled in and parsed by a unit test below.
        toml::from_str(self.toml)
            .unwrap_or_else(|e| panic!("preset {} does not parse: {e}", self.name))
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::snapshot_csv::SCHEMA;
    use crate::import::spec::InputSpec;

    #[test]
    fn every_preset_parses_resolves_and_has_a_unique_name() {
        let mut names = std::collections::BTreeSet::new();
        for p in Preset::ALL {
            assert!(
                p.settings().preset.is_none(),
                "{}: a preset names no preset",
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

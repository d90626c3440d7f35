//! Entry points of the fuzz targets (fuzz/): the whole import of one
//! snapshot file from arbitrary bytes, CSV or xlsx, under several settings.
//! The same functions run under libFuzzer (`cargo fuzz`, nightly) and in
//! the stable replay test (generator/tests/fuzz_replay.rs), which feeds
//! them the committed seeds (fuzz/seeds/) and mutations of them.
//!
//! Each panics when a property fails: the import must not panic, and what
//! it accepts must balance (input total = used + rejected, used = the
//! snapshot's open total).

use super::snapshot_csv::{read_with, Rates, SCHEMA};
use super::source::Input;
use super::spec::{InputSpec, RawInput};
use arsite_core::{Currency, Day};
use std::path::Path;
use std::sync::OnceLock;

fn mapped(toml_text: &str) -> InputSpec {
    let raw: RawInput = toml::from_str(toml_text).expect("fuzz settings parse");
    InputSpec::from_raw(&raw, &SCHEMA).expect("fuzz settings are valid")
}

fn csv_specs() -> &'static [InputSpec] {
    static SPECS: OnceLock<Vec<InputSpec>> = OnceLock::new();
    SPECS.get_or_init(|| {
        vec![
            InputSpec::canonical(),
            mapped(""),
            mapped("preset = \"sap\""),
            mapped("preset = \"netsuite\""),
            mapped("preset = \"quickbooks\"\nencoding = \"utf-16le\""),
            mapped("decimal = \",\"\ndate_format = \"D/M/YY\"\n[columns]\nas_of = \"as_of\"\n[constants]\ncurrency = \"USD\"\n"),
        ]
    })
}

fn xlsx_specs() -> &'static [InputSpec] {
    static SPECS: OnceLock<Vec<InputSpec>> = OnceLock::new();
    SPECS.get_or_init(|| {
        vec![
            mapped("format = \"xlsx\""),
            mapped("preset = \"dynamics365-customer-aging\""),
            mapped("format = \"xlsx\"\nsheet = \"Data\"\nheader_row = 3\n"),
        ]
    })
}

fn import(data: &[u8], specs: &[InputSpec], name: &str) {
    let mut rates = Rates::new();
    rates.insert("USD".into(), rust_decimal::Decimal::new(92, 2));
    for spec in specs {
        if let Ok(import) = read_with(
            Path::new(name),
            Input::Bytes(data),
            Day::parse_iso("2026-10-31").expect("a date"),
            spec,
            &Currency::from_code("EUR"),
            &rates,
        ) {
            let q = &import.quality;
            assert_eq!(q.used_total, import.snapshot.total_open(), "used total");
            assert_eq!(
                q.input_total.0,
                q.used_total.0.saturating_add(q.rejected_total.0),
                "input = used + rejected"
            );
            let _ = q.rejected_csv();
        }
    }
}

/// A snapshot CSV file's bytes through the whole import.
pub fn snapshot_csv(data: &[u8]) {
    import(data, csv_specs(), "fuzz.csv");
}

/// A snapshot workbook's bytes through the whole import.
pub fn snapshot_xlsx(data: &[u8]) {
    import(data, xlsx_specs(), "fuzz.xlsx");
}

//! Whole snapshot files from arbitrary bytes (decoding, delimiter sniffing,
//! header search, row parsing, bookkeeping) under several settings: no
//! panic, and the books balance.
#![no_main]

use arsite::import::snapshot_csv::{read_with, Rates, SCHEMA};
use arsite::import::source::Input;
use arsite::import::spec::{InputSpec, RawInput};
use arsite_core::{Currency, Day};
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

fn specs() -> &'static [InputSpec] {
    static SPECS: OnceLock<Vec<InputSpec>> = OnceLock::new();
    SPECS.get_or_init(|| {
        let mapped = |t: &str| {
            let raw: RawInput = toml::from_str(t).unwrap();
            InputSpec::from_raw(&raw, &SCHEMA).unwrap()
        };
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

fuzz_target!(|data: &[u8]| {
    let mut rates = Rates::new();
    rates.insert("USD".into(), rust_decimal::Decimal::new(92, 2));
    for spec in specs() {
        if let Ok(import) = read_with(
            Path::new("fuzz.csv"),
            Input::Bytes(data),
            Day::parse_iso("2026-10-31").unwrap(),
            spec,
            &Currency::from_code("EUR"),
            &rates,
        ) {
            let q = &import.quality;
            assert_eq!(q.used_total, import.snapshot.total_open());
            assert_eq!(
                q.input_total.0,
                q.used_total.0.saturating_add(q.rejected_total.0)
            );
            let _ = q.rejected_csv();
        }
    }
});

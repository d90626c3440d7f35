//! Entry points of the fuzz targets (fuzz/, one function per target): the
//! whole import of one snapshot file from arbitrary bytes, CSV or xlsx,
//! under several settings; the ledger files' readers; the amount and date
//! parsers. The same functions run under libFuzzer (`cargo xtask test`
//! builds fuzz/ and runs each target for a bounded time) and in the stable
//! replay test (generator/tests/fuzz_replay.rs), which feeds them the
//! committed seeds (fuzz/seeds/<target>/) and mutations of them.
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
            // The report layouts: group headings, subtotals, unlabelled and
            // repeated rows.
            mapped("preset = \"quickbooks-desktop-open-invoices\""),
            mapped("preset = \"erpnext\""),
            mapped("preset = \"odoo\"\nformat = \"csv\""),
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
            mapped("preset = \"xero\""),
            mapped("preset = \"odoo\""),
            mapped("preset = \"business-central\""),
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

/// The ledger files' readers (sales, activity, customers) on arbitrary
/// bytes: no panic, and the books balance (input = used + rejected).
pub fn csv_rows(data: &[u8]) {
    use super::ledger_csv::{read_activity_with, read_customers_with, read_sales_with};
    let spec = InputSpec::canonical();
    let eur = Currency::from_code("EUR");
    let path = Path::new("fuzz.csv");
    let balanced = |q: &super::quality::FileQuality, what: &str| {
        assert_eq!(
            q.input_total.0,
            q.used_total.0.saturating_add(q.rejected_total.0),
            "{what}: input = used + rejected"
        );
        let _ = q.rejected_csv();
    };
    if let Ok(i) = read_sales_with(path, Input::Bytes(data), &spec, &eur) {
        balanced(&i.quality, "sales");
    }
    if let Ok(i) = read_activity_with(path, Input::Bytes(data), &spec, &eur) {
        balanced(&i.quality, "activity");
    }
    if let Ok(i) = read_customers_with(path, Input::Bytes(data), &spec, &eur) {
        balanced(&i.quality, "customers");
    }
}

/// The amount parser on arbitrary text, in every number format and minor
/// unit exponent: no panic, and what it accepts is never `i64::MIN` (whose
/// negation overflows in the sums).
pub fn amount(data: &[u8]) {
    use super::number::{parse_amount, NumberFormat};
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let formats = [
        NumberFormat::PLAIN,
        NumberFormat::regional('.', None).expect("a format"),
        NumberFormat::regional(',', None).expect("a format"),
        NumberFormat::regional(',', Some(".")).expect("a format"),
        NumberFormat::regional('.', Some("'")).expect("a format"),
        NumberFormat::regional(',', Some(" ")).expect("a format"),
    ];
    for f in &formats {
        for exponent in 0..4 {
            if let Ok(a) = parse_amount(text, f, exponent) {
                assert!(a.value.0 != i64::MIN, "{text:?} parsed to i64::MIN");
            }
        }
    }
}

/// The date parser on arbitrary text in several formats, and arbitrary
/// text as the format itself (it comes from the user's settings): no panic.
pub fn date(data: &[u8]) {
    use super::date::DateFormat;
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for f in [
        "YYYY-MM-DD",
        "DD.MM.YYYY",
        "MM/DD/YYYY",
        "D/M/YY",
        "DD-MMM-YYYY",
        "YYYYMMDD",
    ] {
        let _ = DateFormat::new(f).expect("a format").parse(text);
    }
    let _ = DateFormat::iso_only().parse(text);
    if let Ok(f) = DateFormat::new(text) {
        let _ = f.parse("2026-10-31");
        let _ = f.parse(text);
    }
}

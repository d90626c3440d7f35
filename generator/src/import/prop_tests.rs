//! Property tests over arbitrary input: the amount parser, the date parser
//! and whole-file import never panic, round-trip what they should, and the
//! bookkeeping identity (input = used + rejected) holds on any bytes. They
//! run in the normal test suite; `fuzz/` holds the cargo-fuzz targets for
//! longer runs.

use super::date::DateFormat;
use super::number::{parse_amount, NumberFormat};
use super::snapshot_csv::{read_with, Rates, SCHEMA};
use super::source::Input;
use super::spec::{InputSpec, RawInput};
use arsite_core::{Currency, Day, Money};
use proptest::prelude::*;
use std::path::Path;

fn formats() -> Vec<NumberFormat> {
    vec![
        NumberFormat::PLAIN,
        NumberFormat::regional('.', None).unwrap(),
        NumberFormat::regional(',', None).unwrap(),
        NumberFormat::regional(',', Some(".")).unwrap(),
        NumberFormat::regional('.', Some("'")).unwrap(),
        NumberFormat::regional(',', Some(" ")).unwrap(),
        NumberFormat::regional('.', Some("")).unwrap(),
    ]
}

fn date_formats() -> Vec<DateFormat> {
    vec![
        DateFormat::iso_only(),
        DateFormat::new("YYYY-MM-DD").unwrap(),
        DateFormat::new("DD.MM.YYYY").unwrap(),
        DateFormat::new("MM/DD/YYYY").unwrap(),
        DateFormat::new("D/M/YY").unwrap(),
        DateFormat::new("DD-MMM-YYYY").unwrap(),
        DateFormat::new("YYYYMMDD").unwrap(),
    ]
}

/// Text that looks like amounts often enough to reach deep into the parser.
fn amountish() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("-"),
            Just("+"),
            Just("("),
            Just(")"),
            Just("."),
            Just(","),
            Just("'"),
            Just(" "),
            Just("\u{a0}"),
            Just("€"),
            Just("$"),
            Just("CR"),
            Just("DR"),
            Just("EUR"),
            Just("usd"),
            Just("0"),
            Just("1"),
            Just("234"),
            Just("99999999999"),
            Just("ß"),
            Just("\u{2212}"),
        ],
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

/// Formats cents the way `style` says, for the round trip.
fn write_amount(cents: i64, style: u8) -> (String, NumberFormat) {
    let abs = cents.unsigned_abs();
    let (decimal, thousands) = match style % 4 {
        0 => ('.', ','),
        1 => (',', '.'),
        2 => ('.', '\''),
        _ => (',', ' '),
    };
    let whole = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) && style & 4 != 0 {
            grouped.push(thousands);
        }
        grouped.push(ch);
    }
    let number = format!("{grouped}{decimal}{:02}", abs % 100);
    let text = match (cents < 0, (style >> 3) % 5) {
        (false, 4) => format!("€{number}"),
        (false, _) => number,
        (true, 0) => format!("-{number}"),
        (true, 1) => format!("{number}-"),
        (true, 2) => format!("({number})"),
        (true, 3) => format!("{number} CR"),
        (true, _) => format!("EUR -{number}"),
    };
    (
        text,
        NumberFormat::regional(decimal, Some(&thousands.to_string())).unwrap(),
    )
}

fn mapped_spec(toml_text: &str) -> InputSpec {
    let raw: RawInput = toml::from_str(toml_text).unwrap();
    InputSpec::from_raw(&raw, &SCHEMA).unwrap()
}

fn specs() -> Vec<InputSpec> {
    vec![
        InputSpec::canonical(),
        mapped_spec(""),
        mapped_spec("decimal = \",\"\ndate_format = \"DD.MM.YYYY\"\nencoding = \"windows-1252\"\nskip_rows = [\"*\", \"Total\"]\n[sign]\ncolumn = \"t\"\nnegative = [\"DG\"]\n"),
        mapped_spec("encoding = \"utf-16le\"\nheader_row = 2\n[constants]\ncurrency = \"USD\"\n"),
        mapped_spec("delimiter = \";\"\n[columns]\nas_of = \"as_of\"\namount = \"amount\"\n"),
    ]
}

/// Imports `bytes` with `spec`; on success the totals must add up.
fn import_holds(bytes: &[u8], spec: &InputSpec) {
    let mut rates = Rates::new();
    rates.insert("USD".into(), rust_decimal::Decimal::new(9, 1));
    let result = read_with(
        Path::new("fuzz.csv"),
        Input::Bytes(bytes),
        Day::parse_iso("2026-10-31").unwrap(),
        spec,
        &Currency::from_code("EUR"),
        &rates,
    );
    if let Ok(import) = result {
        let q = &import.quality;
        assert_eq!(q.used_total, import.snapshot.total_open());
        assert_eq!(
            q.input_total.0,
            q.used_total.0.saturating_add(q.rejected_total.0)
        );
        assert_eq!(q.rows, q.used + q.rejected.len() as u64);
        assert_eq!(q.used as usize, import.snapshot.invoices.len());
        let _ = q.rejected_csv();
    }
}

/// CSV-looking bytes: a plausible header, then rows of plausible fields.
fn csvish() -> impl Strategy<Value = Vec<u8>> {
    let field = prop_oneof![
        Just("I1".to_string()),
        Just("C1".to_string()),
        Just("2026-09-01".to_string()),
        Just("01.10.2026".to_string()),
        Just("46326".to_string()),
        Just("1.234,56-".to_string()),
        Just("100.00".to_string()),
        Just("-5".to_string()),
        Just("USD".to_string()),
        Just("DG".to_string()),
        Just("\"a,\"\"b\"".to_string()),
        Just("\"unterminated".to_string()),
        Just("Total".to_string()),
        Just(String::new()),
        "[ -~]{0,6}",
    ];
    let row = proptest::collection::vec(field, 0..12).prop_map(|f| f.join(","));
    (
        prop_oneof![
            Just("invoice_id,customer_id,customer_name,invoice_date,due_date,amount,open_amount,currency,status,t,as_of"),
            Just("title line"),
            Just(""),
        ],
        proptest::collection::vec(row, 0..8),
        any::<bool>(),
    )
        .prop_map(|(header, rows, crlf)| {
            let eol = if crlf { "\r\n" } else { "\n" };
            let mut text = header.to_string();
            for r in rows {
                text.push_str(eol);
                text.push_str(&r);
            }
            text.into_bytes()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn amount_parser_never_panics(text in any::<String>(), exp in 0u32..4) {
        for f in formats() {
            let _ = parse_amount(&text, &f, exp);
        }
    }

    #[test]
    fn amount_parser_on_amount_like_text(text in amountish(), exp in 0u32..4) {
        for f in formats() {
            if let Ok(a) = parse_amount(&text, &f, exp) {
                prop_assert!(a.value.0 != i64::MIN);
            }
        }
    }

    #[test]
    fn regional_amounts_round_trip(cents in -1_000_000_000_000_000i64..1_000_000_000_000_000, style in any::<u8>()) {
        let (text, format) = write_amount(cents, style);
        let parsed = parse_amount(&text, &format, 2).map(|a| a.value);
        prop_assert_eq!(parsed, Ok(Money(cents)), "{}", text);
    }

    #[test]
    fn date_parser_never_panics(text in any::<String>()) {
        for f in date_formats() {
            let _ = f.parse(&text);
        }
    }

    #[test]
    fn dates_round_trip(days in -25_000i32..2_900_000, which in 0usize..4) {
        let day = Day(days);
        let d = day.date();
        use chrono::Datelike;
        let (format, text) = match which {
            0 => ("DD.MM.YYYY", format!("{:02}.{:02}.{:04}", d.day(), d.month(), d.year())),
            1 => ("MM/DD/YYYY", format!("{:02}/{:02}/{:04}", d.month(), d.day(), d.year())),
            2 => ("D/M/YYYY", format!("{}/{}/{:04}", d.day(), d.month(), d.year())),
            _ => ("YYYY-MM-DD", day.to_string()),
        };
        prop_assume!((1000..=9999).contains(&d.year()));
        prop_assert_eq!(DateFormat::new(format).unwrap().parse(&text), Some(day), "{}", text);
    }

    #[test]
    fn import_of_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        for spec in specs() {
            import_holds(&bytes, &spec);
        }
    }

    #[test]
    fn import_of_csv_like_bytes_keeps_the_books(bytes in csvish()) {
        for spec in specs() {
            import_holds(&bytes, &spec);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn damaged_workbooks_are_problems_not_panics(tail in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend(tail);
        let spec = mapped_spec("format = \"xlsx\"");
        import_holds(&bytes, &spec);
    }
}

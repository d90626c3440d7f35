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

/// The decimal mark of each of [`formats`], in order.
const DECIMALS: [char; 7] = ['.', '.', ',', ',', '.', ',', '.'];

/// What an accepted amount must be, read from the text alone: its ASCII
/// digits before and after the decimal mark (everything else is a sign,
/// a separator, a symbol or a code), negative when the text holds a minus,
/// an opening parenthesis or `CR`. `None` when the digits cannot be an
/// amount of `exp` decimals (two marks, a non-zero digit beyond `exp`).
fn amount_oracle(text: &str, decimal: char, exp: u32) -> Option<i128> {
    let mut parts = text.split(decimal);
    let whole = parts.next()?;
    let fraction = parts.next().unwrap_or("");
    if parts.next().is_some() {
        return None;
    }
    let digits = |s: &str| -> Vec<u32> {
        s.chars()
            .filter(char::is_ascii_digit)
            .map(|c| c.to_digit(10).unwrap())
            .collect()
    };
    let (w, f) = (digits(whole), digits(fraction));
    if f.iter().skip(exp as usize).any(|&d| d != 0) {
        return None;
    }
    let mut minor: i128 = 0;
    for d in w {
        minor = minor * 10 + i128::from(d);
    }
    for i in 0..exp as usize {
        minor = minor * 10 + i128::from(f.get(i).copied().unwrap_or(0));
    }
    let negative =
        text.contains(['-', '\u{2212}', '(']) || text.to_ascii_uppercase().contains("CR");
    Some(if negative { -minor } else { minor })
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
        // The rejected side from the rejected rows themselves, not from
        // the accumulator that also fed the input total.
        let rejected: i128 = q
            .rejected
            .iter()
            .filter_map(|r| r.amount)
            .map(|m| i128::from(m.0))
            .sum();
        assert_eq!(i128::from(q.rejected_total.0), rejected);
        assert_eq!(
            q.unvalued,
            q.rejected.iter().filter(|r| r.amount.is_none()).count() as u64
        );
        let used: i128 = import
            .snapshot
            .invoices
            .iter()
            .map(|i| i128::from(i.open.0))
            .sum();
        assert_eq!(i128::from(q.input_total.0), used + rejected);
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

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// How one part of a date is written.
#[derive(Clone, Copy, Debug)]
enum Part {
    Day { padded: bool },
    Month { style: u8 },
    Year { four: bool },
}

/// A date format, a date written in it and the day the parser must read:
/// (format, text, expected day). `YY` reads 00–69 as 20xx and 70–99 as
/// 19xx, so the expected day is the written day in that century (`None`
/// when that day does not exist, 29 February of a non-leap year).
fn written_date() -> impl Strategy<Value = (String, String, Option<Day>)> {
    let order = prop::sample::select(vec![
        [0usize, 1, 2],
        [1, 0, 2],
        [2, 1, 0],
        [2, 0, 1],
        [0, 2, 1],
        [1, 2, 0],
    ]);
    let year = prop_oneof![
        1900i32..=2199,
        1967i32..=1972,
        2066i32..=2071,
        1999i32..=2001
    ];
    let separator = prop::sample::select(vec![".", "/", "-", " ", "", ", ", "'"]);
    (
        (order, year, 1u32..=12, 1u32..=31),
        (any::<bool>(), 0u8..6, any::<bool>()),
        (separator.clone(), separator),
        (any::<bool>(), 0u8..3),
    )
        .prop_map(
            |(
                (order, year, month, day),
                (day_padded, month_style, four),
                (sep1, sep2),
                (lower, time),
            )| {
                // The day clamped to its month: the written date exists.
                let day = (1..=day)
                    .rev()
                    .find(|&d| Day::from_ymd(year, month, d).is_some())
                    .unwrap();
                let mut parts = [
                    Part::Day { padded: day_padded },
                    Part::Month { style: month_style },
                    Part::Year { four },
                ];
                parts = [parts[order[0]], parts[order[1]], parts[order[2]]];
                // Without a separator every number has a fixed width.
                let fixed = |p: Part| match p {
                    Part::Day { .. } => Part::Day { padded: true },
                    Part::Month { style } if style < 2 => Part::Month { style: 1 },
                    p => p,
                };
                let seps = [sep1, sep2];
                for i in 0..2 {
                    if seps[i].is_empty() {
                        parts[i] = fixed(parts[i]);
                        parts[i + 1] = fixed(parts[i + 1]);
                    }
                }
                let (mut format, mut text) = (String::new(), String::new());
                for (i, p) in parts.iter().enumerate() {
                    let (f, t) = match *p {
                        Part::Day { padded: false } => ("D".to_string(), day.to_string()),
                        Part::Day { padded: true } => ("DD".to_string(), format!("{day:02}")),
                        Part::Month { style: 0 } => ("M".to_string(), month.to_string()),
                        Part::Month { style: 1 } => ("MM".to_string(), format!("{month:02}")),
                        Part::Month { style } => {
                            let name = MONTH_NAMES[month as usize - 1];
                            let name = if style % 2 == 0 {
                                name[..3].to_string()
                            } else {
                                name.to_string()
                            };
                            let name = match style {
                                2 | 3 => name,
                                4 => name.to_uppercase(),
                                _ => name.to_lowercase(),
                            };
                            ("MMM".to_string(), name)
                        }
                        Part::Year { four: true } => ("YYYY".to_string(), format!("{year:04}")),
                        Part::Year { four: false } => {
                            ("YY".to_string(), format!("{:02}", year % 100))
                        }
                    };
                    format.push_str(&if lower { f.to_lowercase() } else { f });
                    text.push_str(&t);
                    if i < 2 {
                        format.push_str(seps[i]);
                        text.push_str(seps[i]);
                    }
                }
                text.push_str(["", " 12:00:00 AM", " 23:59"][time as usize]);
                let year = if four {
                    year
                } else if year % 100 < 70 {
                    2000 + year % 100
                } else {
                    1900 + year % 100
                };
                (format, text, Day::from_ymd(year, month, day))
            },
        )
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
        for (f, decimal) in formats().into_iter().zip(DECIMALS) {
            if let Ok(a) = parse_amount(&text, &f, exp) {
                prop_assert_eq!(Some(i128::from(a.value.0)), amount_oracle(&text, decimal, exp), "{:?} in {:?}", text, f);
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

    /// Every format the parser accepts: any order of day, month and year,
    /// `D`/`DD`, `M`/`MM`/`MMM` (abbreviated or full names, any case),
    /// `YYYY`/`YY`, any separators or none (`YYYYMMDD`), letters of the
    /// format in any case, a time of day after the date or not.
    #[test]
    fn dates_round_trip_in_every_format(date in written_date()) {
        let (format, text, expected) = date;
        let parsed = DateFormat::new(&format).map(|f| f.parse(&text));
        prop_assert_eq!(parsed, Ok(expected), "{:?} in {:?}", text, format);
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

/// A canonical snapshot file: header, then data rows of seven fields,
/// each field good or damaged in one of the ways a row gets rejected
/// (impossible dates, due before invoice, duplicate ids, unreadable or
/// over-precise amounts). No quotes and no commas inside fields, so the
/// test's own reader can split it.
fn canonical_csv() -> impl Strategy<Value = String> {
    let date = prop_oneof![
        6 => (2020i32..2027, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        1 => prop::sample::select(vec!["2026-02-30", "", "31.10.2026", "2026-13-01", "1850-01-01", "2026-11-15"]).prop_map(String::from),
    ];
    let amount = prop_oneof![
        6 => (-5_000_000_000i64..5_000_000_000).prop_map(|c| rust_decimal::Decimal::new(c, 2).to_string()),
        1 => (-5_000_000i64..5_000_000).prop_map(|u| u.to_string()),
        1 => prop::sample::select(vec!["", "12x", "1.234", "1.230", "--5", "1,5", " 7.00 ", "+3.10", ".5", "99999999999999999999"]).prop_map(String::from),
    ];
    let row = (0u8..40, 0u8..6, date.clone(), date, amount.clone(), amount);
    (prop::collection::vec(row, 0..60), any::<bool>()).prop_map(|(rows, crlf)| {
        let eol = if crlf { "\r\n" } else { "\n" };
        let mut text = String::from(
            "invoice_id,customer_id,customer_name,invoice_date,due_date,amount,open_amount",
        );
        for (id, customer, invoice, due, amount, open) in rows {
            text.push_str(eol);
            text.push_str(&format!(
                "I{id},C{customer},Name {customer},{invoice},{due},{amount},{open}"
            ));
        }
        text
    })
}

/// Minor units (2 decimals) of a canonical amount, by the test's own rule:
/// optional sign, digits, optionally a point and up to two digits,
/// surrounding spaces ignored.
fn cents(text: &str) -> Option<i128> {
    let t = text.trim();
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (whole, fraction) = t.split_once('.').unwrap_or((t, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.len() + fraction.len() == 0 || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    // More decimals than the currency has are refused, zeros too.
    if fraction.len() > 2 {
        return None;
    }
    let mut minor: i128 = 0;
    for b in whole
        .bytes()
        .chain(fraction.bytes().chain(std::iter::repeat(b'0')).take(2))
    {
        minor = minor * 10 + i128::from(b - b'0');
    }
    // Beyond i64 the amount cannot be read.
    i64::try_from(minor).ok()?;
    Some(if negative { -minor } else { minor })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// input = used + rejected, with the input total read here from the
    /// file's text: Σ open_amount of every data row whose amount reads,
    /// the rows whose amount does not read counted apart.
    #[test]
    fn input_total_is_the_files_own_sum(text in canonical_csv()) {
        let mut rates = Rates::new();
        rates.insert("USD".into(), rust_decimal::Decimal::new(9, 1));
        let result = read_with(
            Path::new("prop.csv"),
            Input::Bytes(text.as_bytes()),
            Day::parse_iso("2026-10-31").unwrap(),
            &InputSpec::canonical(),
            &Currency::from_code("EUR"),
            &rates,
        );
        prop_assert!(result.is_ok(), "{:?}", result.err());
        let import = result.unwrap();
        let q = &import.quality;
        let lines: Vec<&str> = text.lines().skip(1).collect();
        let (mut total, mut unreadable) = (0i128, 0u64);
        for line in &lines {
            match line.split(',').nth(6).and_then(cents) {
                Some(c) => total += c,
                None => unreadable += 1,
            }
        }
        prop_assert_eq!(q.rows, lines.len() as u64);
        prop_assert_eq!(i128::from(q.input_total.0), total);
        prop_assert_eq!(q.unvalued, unreadable);
        prop_assert_eq!(i128::from(q.used_total.0) + i128::from(q.rejected_total.0), total);
        prop_assert_eq!(q.used_total, import.snapshot.total_open());
        prop_assert_eq!(q.used as usize, import.snapshot.invoices.len());
        prop_assert_eq!(q.rows, q.used + q.rejected.len() as u64);
        // Each rejected row's amount is its own line's.
        for r in &q.rejected {
            prop_assert!(r.line >= 2, "line {} of {:?}", r.line, r);
            let own = lines[r.line as usize - 2].split(',').nth(6).and_then(cents);
            prop_assert_eq!(r.amount.map(|m| i128::from(m.0)), own, "line {}", r.line);
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

//! The amount parser on arbitrary text, in every number format: no panic,
//! and what it accepts fits the bounds the rest of arsite relies on.
#![no_main]

use arsite::import::number::{parse_amount, NumberFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let formats = [
        NumberFormat::PLAIN,
        NumberFormat::regional('.', None).unwrap(),
        NumberFormat::regional(',', None).unwrap(),
        NumberFormat::regional(',', Some(".")).unwrap(),
        NumberFormat::regional('.', Some("'")).unwrap(),
        NumberFormat::regional(',', Some(" ")).unwrap(),
    ];
    for f in &formats {
        for exponent in 0..4 {
            if let Ok(a) = parse_amount(text, f, exponent) {
                assert!(a.value.0 != i64::MIN);
            }
        }
    }
});

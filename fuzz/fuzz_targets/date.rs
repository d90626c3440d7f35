//! The date parser on arbitrary text, in several configured formats.
#![no_main]

use arsite::import::date::DateFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
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
        let _ = DateFormat::new(f).unwrap().parse(text);
    }
    let _ = DateFormat::iso_only().parse(text);
    // The format itself comes from the user's settings.
    if let Ok(f) = DateFormat::new(text) {
        let _ = f.parse("2026-10-31");
        let _ = f.parse(text);
    }
});

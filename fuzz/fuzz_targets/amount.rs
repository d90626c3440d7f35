//! arsite::import::fuzzing::amount on arbitrary bytes (it panics on a failed
//! property). Seeds: fuzz/seeds/amount/. The same function runs on stable in
//! generator/tests/fuzz_replay.rs.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    arsite::import::fuzzing::amount(data);
});

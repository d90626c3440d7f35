//! The whole import of one snapshot file from arbitrary bytes
//! (arsite::import::fuzzing::snapshot_csv, which panics on a failed property).
//! Seeds: fuzz/seeds/snapshot_csv/. The
//! same function runs on stable in generator/tests/fuzz_replay.rs.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    arsite::import::fuzzing::snapshot_csv(data);
});

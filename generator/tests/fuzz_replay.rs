//! The fuzz targets' entry functions (arsite::import::fuzzing, which
//! `cargo xtask test` also runs under libFuzzer, fuzz/) in plain
//! `cargo test`: every committed seed (fuzz/seeds/<target>/) of all five
//! targets and then deterministic random mutations of the seeds for a
//! bounded time (ARSITE_FUZZ_SECONDS per target, 2 s by default), so a
//! seed that crashes fails the ordinary test run too. Workbooks are also mutated
//! inside: one XML part changed and the archive rebuilt, so the mutations
//! reach the sheet reader rather than stopping at the zip checksum.
//!
//! An input that makes an entry function panic is written to
//! target/fuzz-failures/ and the test fails naming it; replay it with
//! ARSITE_FUZZ_REPLAY=<file>.

use arsite::import::fuzzing::{amount, csv_rows, date, snapshot_csv, snapshot_xlsx};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn seeds(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/seeds")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let seeds: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    assert!(!seeds.is_empty(), "no seeds in {}", dir.display());
    seeds
}

fn budget() -> Duration {
    let secs = std::env::var("ARSITE_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(2);
    Duration::from_secs(secs)
}

/// Bytes that matter to the parsers: delimiters, quotes, line ends, signs,
/// digits, separators, a BOM's first byte, NUL, XML's markup.
const INTERESTING: &[u8] = b",;\t|\"\r\n-+.0123456789 '\xEF\xFF\x00<>/=&eE";

fn mutate_bytes(rng: &mut ChaCha8Rng, data: &mut Vec<u8>, others: &[Vec<u8>]) {
    for _ in 0..rng.random_range(1..=4) {
        let len = data.len();
        match rng.random_range(0..7) {
            0 if len > 0 => {
                let i = rng.random_range(0..len);
                data[i] ^= 1 << rng.random_range(0..8);
            }
            1 => {
                let i = rng.random_range(0..=len);
                let b = INTERESTING[rng.random_range(0..INTERESTING.len())];
                data.insert(i, b);
            }
            2 if len > 0 => {
                let i = rng.random_range(0..len);
                let n = rng.random_range(1..=(len - i).min(64));
                data.drain(i..i + n);
            }
            3 if len > 0 => {
                // Repeat a slice (long fields, many rows).
                let i = rng.random_range(0..len);
                let n = rng.random_range(1..=(len - i).min(256));
                let piece = data[i..i + n].to_vec();
                for _ in 0..rng.random_range(1..=8) {
                    data.splice(i..i, piece.iter().copied());
                }
            }
            4 if len > 0 => data.truncate(rng.random_range(0..len)),
            5 if !others.is_empty() => {
                // Splice: this input's start, another's end.
                let other = &others[rng.random_range(0..others.len())];
                let cut = rng.random_range(0..=data.len());
                let from = rng.random_range(0..=other.len());
                data.truncate(cut);
                data.extend_from_slice(&other[from..]);
            }
            _ if len > 0 => {
                let i = rng.random_range(0..len);
                data[i] = INTERESTING[rng.random_range(0..INTERESTING.len())];
            }
            _ => data.push(b'x'),
        }
    }
}

/// One XML part of a workbook mutated, the archive rebuilt.
fn mutate_workbook(rng: &mut ChaCha8Rng, workbook: &[u8]) -> Option<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(workbook)).ok()?;
    let mut parts = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).ok()?;
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).ok()?;
        parts.push((f.name().ok()?.into_owned(), bytes));
    }
    let xml: Vec<usize> = (0..parts.len())
        .filter(|&i| parts[i].0.ends_with(".xml"))
        .collect();
    let pick = xml[rng.random_range(0..xml.len())];
    mutate_bytes(rng, &mut parts[pick].1, &[]);
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in &parts {
        out.start_file(name.as_str(), options).ok()?;
        out.write_all(bytes).ok()?;
    }
    Some(out.finish().ok()?.into_inner())
}

thread_local! {
    /// The last panic's message on this thread: the import catches the
    /// workbook reader's panics by design, so the hook keeps quiet and
    /// the message is shown only when the entry function itself fails.
    static LAST_PANIC: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

fn quiet_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            LAST_PANIC.with(|l| *l.borrow_mut() = info.to_string());
        }))
    });
}

fn fail(target: &str, input: &[u8], why: &str) -> ! {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/fuzz-failures");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{target}-{:016x}", xxhash(input)));
    std::fs::write(&file, input).unwrap();
    let message = format!(
        "{target}: {why} ({}); input written to {}",
        LAST_PANIC.with(|l| l.borrow().clone()),
        file.display()
    );
    eprintln!("{message}");
    panic!("{message}");
}

fn xxhash(data: &[u8]) -> u64 {
    // FNV-1a: a name for the failing input, nothing more.
    data.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })
}

fn run(target: &str, entry: fn(&[u8]), workbook: bool) {
    if let Ok(file) = std::env::var("ARSITE_FUZZ_REPLAY") {
        entry(&std::fs::read(file).unwrap());
        return;
    }
    let seeds = seeds(target);
    quiet_panics();
    let once = |input: &[u8]| {
        // The entry's own assertion message is printed by the panic hook.
        if std::panic::catch_unwind(|| entry(input)).is_err() {
            fail(target, input, "the entry function panicked");
        }
    };
    for s in &seeds {
        once(s);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(13);
    let started = Instant::now();
    let mut runs = 0u64;
    while started.elapsed() < budget() {
        let base = &seeds[rng.random_range(0..seeds.len())];
        let input = if workbook && rng.random_bool(0.8) {
            match mutate_workbook(&mut rng, base) {
                Some(w) => w,
                None => continue,
            }
        } else {
            let mut d = base.clone();
            mutate_bytes(&mut rng, &mut d, &seeds);
            d
        };
        once(&input);
        runs += 1;
    }
    eprintln!(
        "{target}: {} seeds, {runs} mutations in {:?}",
        seeds.len(),
        started.elapsed()
    );
    assert!(runs > 0, "no mutation ran within the time budget");
}

#[test]
fn snapshot_csv_seeds_and_mutations() {
    run("snapshot_csv", snapshot_csv, false);
}

#[test]
fn snapshot_xlsx_seeds_and_mutations() {
    run("snapshot_xlsx", snapshot_xlsx, true);
}

#[test]
fn csv_rows_seeds_and_mutations() {
    run("csv_rows", csv_rows, false);
}

#[test]
fn amount_seeds_and_mutations() {
    run("amount", amount, false);
}

#[test]
fn date_seeds_and_mutations() {
    run("date", date, false);
}

/// Each target named in fuzz/Cargo.toml has seeds and a test here.
#[test]
fn every_fuzz_target_is_replayed() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/Cargo.toml"))
            .unwrap();
    let mut bins: Vec<&str> = manifest
        .split("[[bin]]")
        .skip(1)
        .filter_map(|b| b.lines().find_map(|l| l.trim().strip_prefix("name = ")))
        .map(|n| n.trim_matches('"'))
        .collect();
    bins.sort_unstable();
    let this = include_str!("fuzz_replay.rs");
    for b in &bins {
        assert!(!seeds(b).is_empty());
        assert!(
            this.contains(&format!("run(\"{b}\", {b},")),
            "fuzz target {b} has no replay test here"
        );
    }
    assert_eq!(bins.len(), 5, "{bins:?}");
}

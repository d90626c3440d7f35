//! `cargo xtask mutants`: mutation testing of the figures' code with
//! cargo-mutants. Each mutant (an operator flipped, a function body replaced
//! by a constant) must make a test fail; a mutant that survives is a
//! behaviour no test pins down. Too slow for `cargo xtask test` (a quarter
//! of an hour for the metrics alone on two cores), so it runs on its own.
//!
//! Equivalent mutants (no observable change) are excluded in
//! `.cargo/mutants.toml`, each with the reason.

use crate::run;
use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// Pinned like the project's other tools: a newer cargo-mutants may invent
/// new mutations, and the score must only move when the code does.
const CARGO_MUTANTS_VERSION: &str = "27.0.0";

/// The metrics must keep at least this share of viable mutants caught.
const METRICS_MIN_PERCENT: u64 = 98;

struct Area {
    name: &'static str,
    package: &'static str,
    files: &'static [&'static str],
    /// Extra `cargo test` arguments: the generator's unit tests only (its
    /// integration tests build sites and take minutes per mutant).
    test_args: &'static [&'static str],
    min_percent: Option<u64>,
}

const AREAS: [Area; 3] = [
    Area {
        name: "metrics",
        package: "arsite-core",
        files: &["core/src/metrics/*.rs"],
        test_args: &[],
        min_percent: Some(METRICS_MIN_PERCENT),
    },
    Area {
        name: "select",
        package: "arsite-core",
        files: &["core/src/select.rs"],
        test_args: &[],
        min_percent: None,
    },
    Area {
        name: "import-parsers",
        package: "arsite",
        files: &[
            "generator/src/import/number.rs",
            "generator/src/import/date.rs",
        ],
        test_args: &["--lib"],
        min_percent: None,
    },
];

/// `cargo xtask mutants [--area metrics|select|import-parsers]… [-j N]`.
pub fn run(args: &[String]) -> Result<()> {
    let mut areas: Vec<&Area> = Vec::new();
    let mut jobs = "1".to_string();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--area" => {
                let name = it.next().context("--area needs a name")?;
                let area = AREAS
                    .iter()
                    .find(|x| x.name == name)
                    .with_context(|| format!("no area {name}: metrics, select, import-parsers"))?;
                areas.push(area);
            }
            "-j" | "--jobs" => jobs = it.next().context("-j needs a number")?.clone(),
            other => bail!("unknown argument {other}"),
        }
    }
    if areas.is_empty() {
        areas = AREAS.iter().collect();
    }
    ensure_cargo_mutants()?;
    let out_root = crate::root().join("target/mutants");
    let mut failed = Vec::new();
    let mut lines = Vec::new();
    for area in areas {
        let out = out_root.join(area.name);
        let mut cmd = Command::new(cargo());
        cmd.args(["mutants", "--no-shuffle", "-j", &jobs, "-p", area.package]);
        for f in area.files {
            cmd.args(["-f", f]);
        }
        cmd.arg("--output").arg(&out);
        if !area.test_args.is_empty() {
            cmd.arg("--").args(area.test_args);
        }
        cmd.current_dir(crate::root());
        eprintln!("xtask: $ {}", run::describe(&cmd));
        // Exit 2 (mutants missed) and 3 (timeouts) still leave a full report;
        // the score decides. Anything else is a failed run.
        let status = cmd.status().context("could not start cargo mutants")?;
        if !matches!(status.code(), Some(0 | 2 | 3)) {
            bail!("cargo mutants failed for {} ({status})", area.name);
        }
        let score = Score::read(&out.join("mutants.out"))?;
        for (file, s) in &score.by_file {
            lines.push(format!("  {file}: {}", s.describe()));
        }
        let total = score.total();
        lines.push(format!("{}: {}", area.name, total.describe()));
        if let Some(min) = area.min_percent {
            if total.detected() * 100 < min * total.viable() {
                failed.push(format!(
                    "{} is below {min} % ({})",
                    area.name,
                    total.describe()
                ));
            }
        }
    }
    println!("mutation score (caught / viable; unviable mutants do not build):");
    for l in &lines {
        println!("{l}");
    }
    if !failed.is_empty() {
        bail!(
            "{}; the survivors are in target/mutants/<area>/mutants.out/missed.txt",
            failed.join("; ")
        );
    }
    Ok(())
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

fn ensure_cargo_mutants() -> Result<()> {
    let version = run::output(Command::new(cargo()).args(["mutants", "--version"]));
    if version.is_some_and(|v| v.trim() == format!("cargo-mutants {CARGO_MUTANTS_VERSION}")) {
        return Ok(());
    }
    eprintln!("xtask: installing cargo-mutants {CARGO_MUTANTS_VERSION}");
    run::status(Command::new(cargo()).args([
        "install",
        "cargo-mutants",
        "--locked",
        "--version",
        CARGO_MUTANTS_VERSION,
    ]))
}

#[derive(Default, Clone, Copy)]
struct Counts {
    caught: u64,
    missed: u64,
    timeout: u64,
    unviable: u64,
}

impl Counts {
    /// A timeout is a mutant the tests noticed (it hung them), so it counts
    /// as caught, and is shown apart.
    fn detected(&self) -> u64 {
        self.caught + self.timeout
    }

    fn viable(&self) -> u64 {
        self.caught + self.missed + self.timeout
    }

    fn describe(&self) -> String {
        let viable = self.viable();
        // Tenths of a percent, in integers like every other figure here.
        let permille = (self.detected() * 1000).checked_div(viable).unwrap_or(1000);
        format!(
            "{} / {} caught ({}.{} %), {} missed, {} timeouts, {} unviable",
            self.detected(),
            viable,
            permille / 10,
            permille % 10,
            self.missed,
            self.timeout,
            self.unviable
        )
    }
}

struct Score {
    by_file: BTreeMap<String, Counts>,
}

impl Score {
    /// cargo-mutants lists each outcome's mutants one a line, starting
    /// `path:line:column:`, in caught.txt, missed.txt, timeout.txt and
    /// unviable.txt.
    fn read(dir: &Path) -> Result<Score> {
        let mut by_file: BTreeMap<String, Counts> = BTreeMap::new();
        for (name, field) in [
            ("caught.txt", 0usize),
            ("missed.txt", 1),
            ("timeout.txt", 2),
            ("unviable.txt", 3),
        ] {
            let path = dir.join(name);
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let file = line.split(':').next().unwrap_or(line).to_string();
                let c = by_file.entry(file).or_default();
                match field {
                    0 => c.caught += 1,
                    1 => c.missed += 1,
                    2 => c.timeout += 1,
                    _ => c.unviable += 1,
                }
            }
        }
        Ok(Score { by_file })
    }

    fn total(&self) -> Counts {
        self.by_file
            .values()
            .fold(Counts::default(), |a, c| Counts {
                caught: a.caught + c.caught,
                missed: a.missed + c.missed,
                timeout: a.timeout + c.timeout,
                unviable: a.unviable + c.unviable,
            })
    }
}

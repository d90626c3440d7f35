//! `cargo xtask bench`: the build benchmark of issue 7, printed and written
//! to `target/bench/report.{json,md}` (not asserted: a benchmark, not a
//! timed test that would fail on a busy machine; the table says which
//! targets were met).
//!
//! Steps:
//! 1. Build `arsite` in release.
//! 2. Data, generated once and cached in `.bench/large/` (other sizes in
//!    `.bench/<size>/`): `arsite sample` writes snapshots + 1 month-ends into
//!    `all/`; `data/` hard-links everything of it but the newest snapshot
//!    (its activity and sales files run one month past `data/`'s last
//!    snapshot, which arsite ignores for that snapshot's pages). A stamp
//!    file keys the cache by the generator's parameters, the arsite version
//!    and a hash of `generator/src/sample/`; any change regenerates.
//! 3. arsite, `--runs N` times (default 3), each run a child process timed
//!    from spawn to exit, its peak resident memory from `wait4` on its pid:
//!    a full build into a deleted out dir; a rebuild with nothing changed;
//!    an incremental build after hard-linking the extra snapshot into
//!    `data/snapshots/` (removed again right after; the next run starts from
//!    a deleted out dir, so no rebuild back to N snapshots is needed). When
//!    `arsite build` has `--timings FILE`, its JSON gives the per-stage
//!    breakdown; otherwise the breakdown is n/a.
//! 4. DuckDB (PyPI `duckdb`, installed once into
//!    `target/tools/duckdb-venv`) computes only the aging buckets per
//!    snapshot and collector over the same snapshot files, 2 threads, one
//!    warm-up then N timed runs (`xtask/bench/duckdb_aging.py`). Its result
//!    is checked against each snapshot's `metrics.json` (total and every
//!    collector's buckets, to the cent): the comparison is only fair when
//!    both computed the same answer.
//! 5. The table: figure, median, min, max, target, met.
//!
//! Options: `--runs N`, `--snapshots N` (36), `--invoices N` per snapshot
//! (250000), `--customers N` (20000), `--collectors N` (50), `--seed N`,
//! `--fresh` (generate the data again), `--no-duckdb`, `--arsite PATH` (bench
//! a prebuilt binary, e.g. another branch's, instead of building this one).

use crate::{root, run};
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// Bumped when the layout of the cached data changes.
const CACHE_FORMAT: u32 = 1;
const GB: f64 = 1e9;
const MB: f64 = 1e6;
/// Site bytes per input byte, roughly (measured: 21.4 GB from 1.76 GB).
const SITE_PER_INPUT_BYTE: u64 = 12;

#[derive(Clone, Debug, PartialEq)]
struct Options {
    runs: usize,
    snapshots: u32,
    invoices: usize,
    customers: usize,
    collectors: usize,
    seed: u64,
    fresh: bool,
    duckdb: bool,
    /// A prebuilt arsite to bench instead of building this checkout's.
    arsite: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            runs: 3,
            snapshots: 36,
            invoices: 250_000,
            customers: 20_000,
            collectors: 50,
            seed: 7,
            fresh: false,
            duckdb: true,
            arsite: None,
        }
    }
}

impl Options {
    fn parse(args: &[String]) -> Result<Options> {
        let mut o = Options::default();
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let mut value = |name: &str| -> Result<&String> {
                it.next().with_context(|| format!("{name} needs a value"))
            };
            match arg.as_str() {
                "--runs" => o.runs = value(arg)?.parse().context("--runs")?,
                "--snapshots" => o.snapshots = value(arg)?.parse().context("--snapshots")?,
                "--invoices" => o.invoices = value(arg)?.parse().context("--invoices")?,
                "--customers" => o.customers = value(arg)?.parse().context("--customers")?,
                "--collectors" => o.collectors = value(arg)?.parse().context("--collectors")?,
                "--seed" => o.seed = value(arg)?.parse().context("--seed")?,
                "--fresh" => o.fresh = true,
                "--no-duckdb" => o.duckdb = false,
                "--arsite" => o.arsite = Some(root().join(value(arg)?)),
                other => bail!(
                    "bench: unknown option {other}; options: --runs N, --snapshots N, --invoices N, \
                     --customers N, --collectors N, --seed N, --fresh, --no-duckdb, --arsite PATH"
                ),
            }
        }
        if o.runs == 0 || o.snapshots == 0 || o.invoices == 0 {
            bail!("bench: --runs, --snapshots and --invoices must be at least 1");
        }
        Ok(o)
    }

    /// `.bench/large` for the issue's size, a folder named by the size otherwise.
    fn work_dir(&self) -> PathBuf {
        let d = Options::default();
        let name = if (
            self.snapshots,
            self.invoices,
            self.customers,
            self.collectors,
            self.seed,
        ) == (d.snapshots, d.invoices, d.customers, d.collectors, d.seed)
        {
            "large".to_string()
        } else {
            format!(
                "s{}-i{}-c{}-k{}-seed{}",
                self.snapshots, self.invoices, self.customers, self.collectors, self.seed
            )
        };
        root().join(".bench").join(name)
    }
}

/// Where cargo puts binaries: `$CARGO_TARGET_DIR` or `target/`.
fn cargo_target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if !d.is_empty() => root().join(PathBuf::from(d)),
        _ => root().join("target"),
    }
}

fn text(p: &Path) -> Result<&str> {
    p.to_str()
        .with_context(|| format!("{}: path is not UTF-8", p.display()))
}

// ---------------------------------------------------------------- data

struct Dataset {
    /// The benchmark's data folder: N snapshots.
    data: PathBuf,
    /// The N+1st snapshot, hard-linked in for the incremental build.
    extra: PathBuf,
    extra_name: String,
    /// Snapshot files of `data`, oldest first.
    snapshots: Vec<PathBuf>,
    /// Bytes arsite reads for a full build: the snapshots plus the ledgers.
    input_bytes: u64,
    /// Invoice rows over the N snapshots.
    rows: u64,
    generated_in: Option<f64>,
    disk_bytes: u64,
}

/// FNV-1a over the sample generator's sources, so a change to the
/// simulation regenerates the data even within one arsite version.
fn generator_hash() -> Result<String> {
    let dir = root().join("generator/src/sample");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .with_context(|| format!("{}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for f in files {
        for &b in f.file_name().unwrap_or_default().as_encoded_bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
        for b in fs::read(&f)? {
            h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    Ok(format!("{h:016x}"))
}

fn stamp(o: &Options, arsite: &Path) -> Result<String> {
    let version = run::output(Command::new(arsite).arg("--version"))
        .with_context(|| format!("{} --version failed", arsite.display()))?;
    Ok(format!(
        "arsite bench data, format {CACHE_FORMAT}\n{}\ngenerator sources {}\n\
         sample --customers {} --collectors {} --months {} --invoices-per-snapshot {} --seed {}\n",
        version.trim(),
        generator_hash()?,
        o.customers,
        o.collectors,
        o.snapshots + 1,
        o.invoices,
        o.seed
    ))
}

fn dataset(o: &Options, arsite: &Path) -> Result<Dataset> {
    let work = o.work_dir();
    let all = work.join("all");
    let data = work.join("data");
    let stamp_file = work.join("stamp");
    let want = stamp(o, arsite)?;
    let have = fs::read_to_string(&stamp_file).unwrap_or_default();
    let mut generated_in = None;
    if o.fresh || have != want {
        if work.exists() {
            eprintln!(
                "xtask: bench data in {} is missing or stale; generating it again",
                work.display()
            );
            fs::remove_dir_all(&work).with_context(|| format!("removing {}", work.display()))?;
        }
        fs::create_dir_all(&work)?;
        let started = Instant::now();
        run::command(
            arsite,
            &[
                "sample",
                "--out",
                text(&all)?,
                "--force",
                "--customers",
                &o.customers.to_string(),
                "--collectors",
                &o.collectors.to_string(),
                "--months",
                &(o.snapshots + 1).to_string(),
                "--invoices-per-snapshot",
                &o.invoices.to_string(),
                "--seed",
                &o.seed.to_string(),
            ],
        )?;
        let seconds = started.elapsed().as_secs_f64();
        eprintln!("xtask: generated the bench data in {seconds:.1} s");
        generated_in = Some(seconds);
        link_data(&all, &data, o.snapshots as usize)?;
        fs::write(&stamp_file, &want)?;
    }

    let snapshots = snapshot_files(&data.join("snapshots"))?;
    let all_snapshots = snapshot_files(&all.join("snapshots"))?;
    if snapshots.len() != o.snapshots as usize || all_snapshots.len() != snapshots.len() + 1 {
        bail!(
            "{}: expected {} snapshots (and one more in {}); run with --fresh",
            data.display(),
            o.snapshots,
            all.display()
        );
    }
    let extra = all_snapshots.last().expect("checked above").clone();
    let extra_name = extra
        .file_name()
        .and_then(|n| n.to_str())
        .context("snapshot file name")?
        .to_string();
    // A run that stopped half-way may have left the extra snapshot linked in.
    let _ = fs::remove_file(data.join("snapshots").join(&extra_name));

    let mut input_bytes = 0;
    for name in ["activity.csv", "sales.csv", "customers.csv"] {
        input_bytes += fs::metadata(data.join(name)).map_or(0, |m| m.len());
    }
    let mut rows = 0;
    for s in &snapshots {
        let (bytes, lines) = count_lines(s)?;
        input_bytes += bytes;
        rows += lines.saturating_sub(1);
    }
    Ok(Dataset {
        data,
        extra,
        extra_name,
        snapshots,
        input_bytes,
        rows,
        generated_in,
        disk_bytes: tree_size(&all)?.bytes,
    })
}

/// `data/`: hard links to everything in `all/` except the newest snapshot.
fn link_data(all: &Path, data: &Path, n: usize) -> Result<()> {
    if data.exists() {
        fs::remove_dir_all(data)?;
    }
    fs::create_dir_all(data.join("snapshots"))?;
    for entry in fs::read_dir(all)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            fs::hard_link(entry.path(), data.join(entry.file_name()))?;
        }
    }
    for s in snapshot_files(&all.join("snapshots"))?.iter().take(n) {
        fs::hard_link(
            s,
            data.join("snapshots").join(s.file_name().expect("a file")),
        )?;
    }
    Ok(())
}

fn snapshot_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("{}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    Ok(files)
}

/// Size and line count of a file (reading it also warms the page cache,
/// for arsite and DuckDB alike).
fn count_lines(path: &Path) -> Result<(u64, u64)> {
    let mut f = fs::File::open(path).with_context(|| format!("{}", path.display()))?;
    let mut buf = vec![0u8; 1 << 20];
    let (mut bytes, mut lines) = (0u64, 0u64);
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        bytes += n as u64;
        lines += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
    }
    Ok((bytes, lines))
}

#[derive(Default, Clone, Copy)]
struct TreeSize {
    files: u64,
    bytes: u64,
}

fn tree_size(dir: &Path) -> Result<TreeSize> {
    let mut total = TreeSize::default();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).with_context(|| format!("{}", d.display()))? {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(entry.path());
            } else if kind.is_file() {
                total.files += 1;
                total.bytes += entry.metadata()?.len();
            }
        }
    }
    Ok(total)
}

/// Bytes available to this user on the file system holding `path`.
fn free_bytes(path: &Path) -> Result<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes())?;
    // SAFETY: statvfs is plain old data; the call only writes into it.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
        bail!(
            "statvfs {}: {}",
            path.display(),
            std::io::Error::last_os_error()
        );
    }
    Ok(st.f_bavail as u64 * st.f_frsize as u64)
}

// ---------------------------------------------------------------- child processes

/// What one child process used.
#[derive(Clone, Copy, Debug, Default)]
struct Usage {
    wall_s: f64,
    cpu_s: f64,
    peak_rss: u64,
}

/// Runs `cmd` to its end and returns its stdout (when piped) and its own
/// resource use: `wait4` on its pid reports that one process (and its
/// waited-for children), not the maximum over every child so far as
/// `getrusage(RUSAGE_CHILDREN)` would.
fn measure(cmd: &mut Command) -> Result<(String, Usage)> {
    eprintln!("xtask: $ {}", run::describe(cmd));
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .with_context(|| format!("could not start {}", run::describe(cmd)))?;
    let mut stdout = String::new();
    if let Some(mut out) = child.stdout.take() {
        out.read_to_string(&mut stdout)?;
    }
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain old data, zeroes are a valid value, and wait4
    // only writes into the two out-pointers, which live across the call.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = loop {
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == -1 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
            continue;
        }
        break r;
    };
    let wall_s = started.elapsed().as_secs_f64();
    if waited != pid {
        bail!(
            "wait4 on {}: {}",
            run::describe(cmd),
            std::io::Error::last_os_error()
        );
    }
    // The child is reaped: `child` must not be waited for again (dropping a
    // Child neither waits nor kills).
    drop(child);
    let exited = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    if !exited {
        bail!("{} failed (wait status {status:#x})", run::describe(cmd));
    }
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Ok((
        stdout,
        Usage {
            wall_s,
            cpu_s: tv(usage.ru_utime) + tv(usage.ru_stime),
            // ru_maxrss is in KiB on Linux.
            peak_rss: usage.ru_maxrss as u64 * 1024,
        },
    ))
}

// ---------------------------------------------------------------- arsite runs

/// `arsite build --timings FILE`; every field optional so older and newer
/// arsites both parse.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct Timings {
    snapshots: u64,
    snapshots_built: u64,
    snapshots_reused: u64,
    invoices: u64,
    input_bytes: u64,
    files: u64,
    bytes: u64,
    /// Stage name (e.g. `read_s`) → seconds, in the order arsite wrote them.
    stages: serde_json::Map<String, Value>,
    wall_s: f64,
}

#[derive(Clone, Debug, Default)]
struct Build {
    usage: Usage,
    timings: Option<Timings>,
}

struct Arsite {
    bin: PathBuf,
    has_timings: bool,
    timings_file: PathBuf,
}

impl Arsite {
    fn build(&self, data: &Path, out: &Path) -> Result<Build> {
        let mut cmd = Command::new(&self.bin);
        cmd.arg("build")
            .arg(data)
            .arg("--out")
            .arg(out)
            .arg("--quiet")
            .stdout(Stdio::null())
            .current_dir(root());
        if self.has_timings {
            let _ = fs::remove_file(&self.timings_file);
            cmd.arg("--timings").arg(&self.timings_file);
        }
        let (_, usage) = measure(&mut cmd)?;
        let timings = if self.has_timings {
            let text = fs::read_to_string(&self.timings_file).with_context(|| {
                format!(
                    "arsite build --timings wrote no {}",
                    self.timings_file.display()
                )
            })?;
            Some(serde_json::from_str(&text).with_context(|| {
                format!("{}: not the expected JSON", self.timings_file.display())
            })?)
        } else {
            None
        };
        eprintln!(
            "xtask:   {:.2} s wall, {:.2} s CPU, peak {:.0} MB",
            usage.wall_s,
            usage.cpu_s,
            usage.peak_rss as f64 / MB
        );
        Ok(Build { usage, timings })
    }
}

#[derive(Default)]
struct Runs {
    full: Vec<Build>,
    no_change: Vec<Build>,
    incremental: Vec<Build>,
    site: TreeSize,
}

fn arsite_runs(o: &Options, arsite: &Arsite, ds: &Dataset, out: &Path) -> Result<Runs> {
    let mut runs = Runs::default();
    let linked = ds.data.join("snapshots").join(&ds.extra_name);
    for i in 1..=o.runs {
        eprintln!("xtask: run {i}/{}: full build", o.runs);
        if out.exists() {
            fs::remove_dir_all(out).with_context(|| format!("removing {}", out.display()))?;
        }
        runs.full.push(arsite.build(&ds.data, out)?);
        if i == 1 {
            runs.site = tree_size(out)?;
            // Rebuilds are incremental: unchanged snapshot folders are
            // moved over, so a rebuild needs room for the snapshots it
            // writes (one added here), not for a second copy of the site.
            let per_snapshot = runs.site.bytes / u64::from(o.snapshots.max(1));
            let need = 3 * per_snapshot;
            let free = free_bytes(out)?;
            if free < need {
                bail!(
                    "{}: {:.1} GB free, but an incremental build needs about {:.1} GB; free some \
                     disk or bench a smaller size (--invoices, --customers, --snapshots)",
                    out.display(),
                    free as f64 / GB,
                    need as f64 / GB
                );
            }
        }
        eprintln!("xtask: run {i}/{}: rebuild, nothing changed", o.runs);
        runs.no_change.push(arsite.build(&ds.data, out)?);
        eprintln!(
            "xtask: run {i}/{}: incremental build, {} added",
            o.runs, ds.extra_name
        );
        fs::hard_link(&ds.extra, &linked)?;
        let built = arsite.build(&ds.data, out);
        fs::remove_file(&linked)?;
        runs.incremental.push(built?);
    }
    Ok(runs)
}

// ---------------------------------------------------------------- DuckDB

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DuckOutput {
    duckdb_version: String,
    threads: u32,
    times_s: Vec<f64>,
    peak_rss_bytes: u64,
    result_rows: u64,
    bucket_labels: Vec<String>,
    snapshots: BTreeMap<String, DuckSnapshot>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DuckSnapshot {
    total_cents: i64,
    by_collector: BTreeMap<String, Vec<i64>>,
}

fn duckdb_python() -> Result<PathBuf> {
    let venv = root().join("target/tools/duckdb-venv");
    let python = venv.join("bin/python");
    let works = |p: &Path| {
        Command::new(p)
            .args(["-c", "import duckdb"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if works(&python) {
        return Ok(python);
    }
    let make_venv = || {
        run::status(Command::new("python3").arg("-m").arg("venv").arg(&venv)).is_ok()
            && python.exists()
    };
    if venv.exists() {
        fs::remove_dir_all(&venv)?;
    }
    if !make_venv() {
        // Debian's python3 has no venv (nor ensurepip) without python3-venv.
        let _ = fs::remove_dir_all(&venv);
        run::apt_install(&["python3", "python3-venv"], "the DuckDB baseline")?;
        if !make_venv() {
            bail!("python3 -m venv {} failed", venv.display());
        }
    }
    run::status(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .arg("duckdb"),
    )?;
    if !works(&python) {
        bail!(
            "{}: duckdb does not import after pip install",
            python.display()
        );
    }
    Ok(python)
}

fn duckdb_runs(o: &Options, ds: &Dataset) -> Result<(DuckOutput, Usage)> {
    let python = duckdb_python()?;
    let mut cmd = Command::new(python);
    cmd.arg(root().join("xtask/bench/duckdb_aging.py"))
        .arg("--runs")
        .arg(o.runs.to_string())
        .args(&ds.snapshots)
        .stdout(Stdio::piped())
        .current_dir(root());
    let (stdout, usage) = measure(&mut cmd)?;
    let out: DuckOutput =
        serde_json::from_str(stdout.trim()).context("duckdb_aging.py printed no JSON")?;
    if out.times_s.is_empty() {
        bail!("duckdb_aging.py reported no timed run");
    }
    Ok((out, usage))
}

/// "1234.5" → 123450 cents; None for anything else.
fn cents(s: &str) -> Option<i64> {
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    let v = int.parse::<i64>().ok()? * 100 + frac;
    Some(if neg { -v } else { v })
}

fn money(v: &Value) -> Option<i64> {
    match v {
        Value::String(s) => cents(s),
        Value::Number(n) => n.as_f64().map(|f| (f * 100.0).round() as i64),
        _ => None,
    }
}

/// DuckDB's buckets against the site's metrics.json: total and every
/// collector's buckets, to the cent. Returns (agreeing, checked, first problems).
fn cross_check(duck: &DuckOutput, ds: &Dataset, out: &Path) -> Result<(usize, usize, Vec<String>)> {
    let mut problems = Vec::new();
    let mut agree = 0;
    let dates: Vec<String> = ds
        .snapshots
        .iter()
        .filter_map(|p| p.file_stem()?.to_str().map(str::to_string))
        .collect();
    for date in &dates {
        let path = out.join(date).join("metrics.json");
        let metrics: Value = serde_json::from_str(
            &fs::read_to_string(&path).with_context(|| format!("{}", path.display()))?,
        )
        .with_context(|| format!("{}", path.display()))?;
        let Some(d) = duck.snapshots.get(date) else {
            problems.push(format!("{date}: not in DuckDB's result"));
            continue;
        };
        let mut ok = true;
        let site_total = metrics.get("total_open").and_then(money);
        if site_total != Some(d.total_cents) {
            ok = false;
            problems.push(format!(
                "{date}: total {} in metrics.json, {} from DuckDB",
                site_total.map_or("missing".into(), show_cents),
                show_cents(d.total_cents)
            ));
        }
        let by = metrics.get("by_collector").and_then(Value::as_object);
        for (collector, amounts) in &d.by_collector {
            let name = if collector.is_empty() {
                "(unassigned)"
            } else {
                collector
            };
            let buckets = by
                .and_then(|b| b.get(name))
                .and_then(|g| g.get("buckets"))
                .and_then(Value::as_object);
            for (label, &want) in duck.bucket_labels.iter().zip(amounts) {
                let have = buckets.and_then(|b| b.get(label)).and_then(money);
                // A bucket the site leaves out is an empty one.
                if have.unwrap_or(0) != want {
                    ok = false;
                    if problems.len() < 10 {
                        problems.push(format!(
                            "{date} {name} {label}: {} in metrics.json, {} from DuckDB",
                            have.map_or("missing".into(), show_cents),
                            show_cents(want)
                        ));
                    }
                }
            }
        }
        if ok {
            agree += 1;
        }
    }
    Ok((agree, dates.len(), problems))
}

fn show_cents(c: i64) -> String {
    let sign = if c < 0 { "-" } else { "" };
    format!(
        "{sign}{}.{:02}",
        c.unsigned_abs() / 100,
        c.unsigned_abs() % 100
    )
}

// ---------------------------------------------------------------- statistics and report

#[derive(Clone, Copy, Debug, Serialize)]
struct Stat {
    median: f64,
    min: f64,
    max: f64,
}

fn stat(values: &[f64]) -> Option<Stat> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let median = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    };
    Some(Stat {
        median,
        min: v[0],
        max: v[n - 1],
    })
}

#[derive(Serialize)]
struct Row {
    figure: String,
    unit: String,
    median: Option<f64>,
    min: Option<f64>,
    max: Option<f64>,
    target: String,
    met: Option<bool>,
}

fn row(figure: &str, unit: &str, s: Option<Stat>, target: &str, met: Option<bool>) -> Row {
    Row {
        figure: figure.to_string(),
        unit: unit.to_string(),
        median: s.map(|s| s.median),
        min: s.map(|s| s.min),
        max: s.map(|s| s.max),
        target: target.to_string(),
        met,
    }
}

fn fmt_num(v: Option<f64>) -> String {
    match v {
        None => "–".to_string(),
        Some(v) if v.abs() >= 1000.0 => format!("{v:.0}"),
        Some(v) if v.abs() >= 10.0 => format!("{v:.1}"),
        Some(v) => format!("{v:.3}"),
    }
}

fn fmt_met(m: Option<bool>) -> &'static str {
    match m {
        Some(true) => "yes",
        Some(false) => "NO",
        None => "",
    }
}

fn machine() -> Value {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map_or("unknown".to_string(), |m| m.trim().to_string());
    let mem = fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .map_or("unknown".to_string(), |l| {
            l.trim_start_matches("MemTotal:").trim().to_string()
        });
    json!({
        "nproc": std::thread::available_parallelism().map_or(0, |n| n.get()),
        "cpu": model,
        "mem_total": mem,
    })
}

fn loadavg() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_string())
}

/// Median of one stage over builds that reported it.
fn stage(builds: &[Build], name: &str) -> Option<Stat> {
    let v: Vec<f64> = builds
        .iter()
        .filter_map(|b| b.timings.as_ref()?.stages.get(name)?.as_f64())
        .collect();
    stat(&v)
}

fn stage_names(builds: &[Build]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for b in builds {
        for k in b.timings.iter().flat_map(|t| t.stages.keys()) {
            if !names.contains(k) {
                names.push(k.clone());
            }
        }
    }
    names
}

pub fn run(args: &[String]) -> Result<()> {
    let o = Options::parse(args)?;
    let load_start = loadavg();
    let bin = match &o.arsite {
        Some(bin) => bin.clone(),
        None => {
            run::cargo(&["build", "--release", "-p", "arsite", "--bin", "arsite"])?;
            cargo_target_dir().join("release/arsite")
        }
    };
    let help = run::output(Command::new(&bin).args(["build", "--help"])).unwrap_or_default();
    let has_timings = help.contains("--timings");
    let ds = dataset(&o, &bin)?;
    let work = o.work_dir();
    let arsite = Arsite {
        bin,
        has_timings,
        timings_file: work.join("timings.json"),
    };
    let out = work.join("site");
    eprintln!(
        "xtask: bench data {}: {} snapshots, {} invoice rows, {:.1} MB read per full build",
        ds.data.display(),
        ds.snapshots.len(),
        ds.rows,
        ds.input_bytes as f64 / MB
    );

    // Before the first build, from the ratio measured at full size with the
    // sequential build (21.4 GB of site from 1.76 GB of CSV); the exact
    // check follows the first build.
    let guess = ds.input_bytes.saturating_mul(SITE_PER_INPUT_BYTE);
    // A site of an earlier run is deleted before the first build: its room
    // counts as free.
    if out.exists() {
        eprintln!("xtask: removing the previous bench site {}", out.display());
        fs::remove_dir_all(&out).with_context(|| format!("removing {}", out.display()))?;
    }
    let free = free_bytes(&work)?;
    if free < guess {
        bail!(
            "{}: {:.1} GB free, but the site may need about {:.1} GB; free some disk or bench \
             a smaller size (--invoices, --customers, --snapshots)",
            work.display(),
            free as f64 / GB,
            guess as f64 / GB
        );
    }
    let runs = arsite_runs(&o, &arsite, &ds, &out)?;
    let duck = if o.duckdb {
        Some(duckdb_runs(&o, &ds)?)
    } else {
        None
    };
    let check = match &duck {
        Some((d, _)) => Some(cross_check(d, &ds, &out)?),
        None => None,
    };
    let load_end = loadavg();

    // ---- figures
    let wall = |b: &[Build]| stat(&b.iter().map(|b| b.usage.wall_s).collect::<Vec<_>>());
    let cpu = |b: &[Build]| stat(&b.iter().map(|b| b.usage.cpu_s).collect::<Vec<_>>());
    let rss = |b: &[Build]| {
        stat(
            &b.iter()
                .map(|b| b.usage.peak_rss as f64 / MB)
                .collect::<Vec<_>>(),
        )
    };
    let full = wall(&runs.full).expect("at least one run");
    let per_full = |b: &[Build]| {
        stat(
            &b.iter()
                .map(|b| b.usage.wall_s / full.median * 100.0)
                .collect::<Vec<_>>(),
        )
    };
    let input_mb = ds.input_bytes as f64 / MB;
    let through = |per: f64| {
        stat(
            &runs
                .full
                .iter()
                .map(|b| per / b.usage.wall_s)
                .collect::<Vec<_>>(),
        )
    };
    let peak_all = runs
        .full
        .iter()
        .chain(&runs.no_change)
        .chain(&runs.incremental)
        .map(|b| b.usage.peak_rss)
        .max()
        .unwrap_or(0) as f64;

    let mut rows = vec![
        row("arsite full build", "s", Some(full), "", None),
        row("  CPU time (user+sys)", "s", cpu(&runs.full), "", None),
        row("  input throughput", "MB/s", through(input_mb), "", None),
        row(
            "  invoice rows per second",
            "rows/s",
            through(ds.rows as f64),
            "",
            None,
        ),
    ];
    let names = stage_names(&runs.full);
    for name in &names {
        let label = format!("  stage {}", name.trim_end_matches("_s"));
        rows.push(row(&label, "s", stage(&runs.full, name), "", None));
    }
    let rss_full = rss(&runs.full);
    rows.push(row(
        "  peak resident memory",
        "MB",
        rss_full,
        "≤ 1000 MB",
        rss_full.map(|s| s.max <= GB / MB),
    ));
    let no_change = per_full(&runs.no_change);
    rows.push(row(
        "no-change rebuild",
        "s",
        wall(&runs.no_change),
        "",
        None,
    ));
    rows.push(row(
        "  no-change / full",
        "%",
        no_change,
        "≤ 2 %",
        no_change.map(|s| s.median <= 2.0),
    ));
    let incremental = per_full(&runs.incremental);
    rows.push(row(
        &format!(
            "incremental build (+{})",
            ds.extra_name.trim_end_matches(".csv")
        ),
        "s",
        wall(&runs.incremental),
        "",
        None,
    ));
    rows.push(row(
        "  incremental / full",
        "%",
        incremental,
        "≤ 5 %",
        incremental.map(|s| s.median <= 5.0),
    ));
    rows.push(row(
        "peak resident memory, any build",
        "MB",
        stat(&[peak_all / MB]),
        "≤ 1000 MB",
        Some(peak_all <= GB),
    ));
    let mut duck_json = Value::Null;
    if let Some((d, usage)) = &duck {
        let dt = stat(&d.times_s).expect("checked non-empty");
        rows.push(row(
            &format!(
                "DuckDB {} aging query ({} threads)",
                d.duckdb_version, d.threads
            ),
            "s",
            Some(dt),
            "",
            None,
        ));
        rows.push(row(
            "  DuckDB peak resident memory",
            "MB",
            stat(&[d.peak_rss_bytes.max(usage.peak_rss) as f64 / MB]),
            "",
            None,
        ));
        let ratio = full.median / dt.median;
        rows.push(row(
            "arsite full build / DuckDB aging",
            "×",
            stat(&[ratio]),
            "≤ 1.5 (aim 1.0)",
            Some(ratio <= 1.5),
        ));
        duck_json = json!({
            "version": d.duckdb_version,
            "threads": d.threads,
            "times_s": d.times_s,
            "peak_rss_bytes": d.peak_rss_bytes.max(usage.peak_rss),
            "result_rows": d.result_rows,
        });
    }

    // ---- print
    let m = machine();
    let machine_line = format!(
        "Machine: {} CPUs ({}), {} RAM; load average {} at start, {} at end",
        m["nproc"],
        m["cpu"].as_str().unwrap_or(""),
        m["mem_total"].as_str().unwrap_or(""),
        load_start,
        load_end
    );
    let title = format!(
        "arsite build benchmark: {} snapshots × ~{} open invoices ({} rows, {:.0} MB of CSV read), \
         {} customers, {} collectors; {} runs",
        ds.snapshots.len(),
        o.invoices,
        ds.rows,
        input_mb,
        o.customers,
        o.collectors,
        o.runs
    );
    let mut notes = vec![format!(
        "Site: {} files, {:.1} MB (first full build)",
        runs.site.files,
        runs.site.bytes as f64 / MB
    )];
    match ds.generated_in {
        Some(s) => notes.push(format!(
            "Data generated in this run in {s:.1} s: {:.0} MB on disk in {}",
            ds.disk_bytes as f64 / MB,
            o.work_dir().join("all").display()
        )),
        None => notes.push(format!(
            "Data cached: {:.0} MB on disk in {}",
            ds.disk_bytes as f64 / MB,
            o.work_dir().join("all").display()
        )),
    }
    if !has_timings {
        notes.push("stage breakdown: n/a (arsite has no --timings)".to_string());
    }
    let reused: Vec<u64> = runs
        .full
        .iter()
        .filter_map(|b| b.timings.as_ref().map(|t| t.snapshots_reused))
        .collect();
    for (what, builds) in [
        ("full", &runs.full),
        ("no-change", &runs.no_change),
        ("incremental", &runs.incremental),
    ] {
        let counts: Vec<String> = builds
            .iter()
            .filter_map(|b| b.timings.as_ref())
            .map(|t| format!("{}/{}", t.snapshots_built, t.snapshots_reused))
            .collect();
        if !counts.is_empty() {
            notes.push(format!(
                "Snapshots built/reused per {what} build: {}",
                counts.join(", ")
            ));
        }
    }
    if reused.iter().any(|&r| r > 0) {
        notes.push(format!(
            "WARNING: the 'full' builds reused snapshots ({reused:?}): a cache outside the out dir"
        ));
    }
    if let Some((agree, total, problems)) = &check {
        if agree == total {
            notes.push(format!(
                "Cross-check: totals agree on {agree}/{total} snapshots (total and every collector's buckets, to the cent)"
            ));
        } else {
            notes.push(format!(
                "Cross-check FAILED: totals agree on {agree}/{total} snapshots"
            ));
            notes.extend(problems.iter().map(|p| format!("  {p}")));
        }
    }

    let mut table = String::new();
    let _ = writeln!(
        table,
        "| figure | unit | median | min | max | target | met? |\n|---|---|---:|---:|---:|---|---|"
    );
    for r in &rows {
        let _ = writeln!(
            table,
            "| {} | {} | {} | {} | {} | {} | {} |",
            r.figure.trim_start(),
            r.unit,
            fmt_num(r.median),
            fmt_num(r.min),
            fmt_num(r.max),
            r.target,
            fmt_met(r.met)
        );
    }

    println!();
    println!("{title}");
    println!("{machine_line}");
    println!();
    println!(
        "{:<44} {:>7} {:>10} {:>10} {:>10}  {:<16} met?",
        "figure", "unit", "median", "min", "max", "target"
    );
    for r in &rows {
        println!(
            "{:<44} {:>7} {:>10} {:>10} {:>10}  {:<16} {}",
            r.figure,
            r.unit,
            fmt_num(r.median),
            fmt_num(r.min),
            fmt_num(r.max),
            r.target,
            fmt_met(r.met)
        );
    }
    println!();
    for n in &notes {
        println!("{n}");
    }

    // ---- write
    let dir = root().join("target/bench");
    fs::create_dir_all(&dir)?;
    let build_json = |b: &[Build]| -> Vec<Value> {
        b.iter()
            .map(|b| {
                json!({
                    "wall_s": b.usage.wall_s,
                    "cpu_s": b.usage.cpu_s,
                    "peak_rss_bytes": b.usage.peak_rss,
                    "timings": b.timings,
                })
            })
            .collect()
    };
    let report = json!({
        "title": title,
        "machine": m,
        "load_average": {"start": load_start, "end": load_end},
        "options": {
            "runs": o.runs, "snapshots": o.snapshots, "invoices_per_snapshot": o.invoices,
            "customers": o.customers, "collectors": o.collectors, "seed": o.seed,
        },
        "data": {
            "dir": ds.data,
            "snapshots": ds.snapshots.len(),
            "rows": ds.rows,
            "input_bytes": ds.input_bytes,
            "disk_bytes": ds.disk_bytes,
            "generated_in_s": ds.generated_in,
        },
        "site": {"files": runs.site.files, "bytes": runs.site.bytes},
        "rows": rows,
        "runs": {
            "full": build_json(&runs.full),
            "no_change": build_json(&runs.no_change),
            "incremental": build_json(&runs.incremental),
        },
        "duckdb": duck_json,
        "cross_check": check.as_ref().map(|(a, t, p)| json!({"agree": a, "snapshots": t, "problems": p})),
        "notes": notes,
    });
    fs::write(
        dir.join("report.json"),
        serde_json::to_string_pretty(&report)? + "\n",
    )?;
    let mut md = format!("### {title}\n\n{machine_line}\n\n{table}\n");
    for n in &notes {
        let _ = writeln!(md, "- {}", n.trim_start());
    }
    fs::write(dir.join("report.md"), md)?;
    println!();
    println!(
        "Report: {} and report.md",
        dir.join("report.json").display()
    );

    if let Some((agree, total, _)) = check {
        if agree != total {
            bail!(
                "the DuckDB cross-check failed on {} of {total} snapshots",
                total - agree
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cents_parse_decimal_strings() {
        assert_eq!(cents("1234.5"), Some(123450));
        assert_eq!(cents("-0.07"), Some(-7));
        assert_eq!(cents("12"), Some(1200));
        assert_eq!(cents("1.230"), Some(123));
        assert_eq!(cents("1.234"), None);
        assert_eq!(cents("x"), None);
        assert_eq!(show_cents(-7), "-0.07");
    }

    #[test]
    fn medians() {
        let s = stat(&[3.0, 1.0, 2.0]).unwrap();
        assert_eq!((s.median, s.min, s.max), (2.0, 1.0, 3.0));
        assert_eq!(stat(&[1.0, 4.0]).unwrap().median, 2.5);
        assert!(stat(&[]).is_none());
    }

    #[test]
    fn timings_tolerate_extra_and_missing_fields() {
        let t: Timings =
            serde_json::from_str(r#"{"snapshots":36,"stages":{"read_s":1.5},"new_field":true}"#)
                .unwrap();
        assert_eq!(t.snapshots, 36);
        assert_eq!(t.stages["read_s"].as_f64(), Some(1.5));
        assert_eq!(t.wall_s, 0.0);
    }
}

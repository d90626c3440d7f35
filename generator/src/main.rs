//! The `arsite` command line.

use anyhow::Result;
use arsite::site::{self, BuildOptions};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

// mimalloc rather than glibc's malloc: a build allocates and frees millions
// of small strings on two threads, and glibc kept freed memory in per-thread
// arenas (the peak grew with every snapshot) and spent ~8 % of the time in
// malloc/free.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "arsite",
    version,
    about = "Accounts-receivable snapshots in, static reporting site out"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site from a data folder.
    Build {
        /// Folder with arsite.toml and snapshots/YYYY-MM-DD.csv.
        data_dir: PathBuf,
        /// Output folder; replaced atomically when the build succeeds.
        #[arg(long, default_value = "public")]
        out: PathBuf,
        /// Print nothing but errors (no progress bar, no summary line).
        #[arg(long)]
        quiet: bool,
        /// Fail (exit code 65, nothing written) on any data problem instead
        /// of leaving unusable rows out of the site.
        #[arg(long)]
        strict: bool,
        /// Also write the build's figures (counts, bytes, seconds per stage)
        /// as JSON to this file, for benchmarks and scripts.
        #[arg(long, value_name = "FILE")]
        timings: Option<PathBuf>,
    },
    /// Validate a data folder without writing a site: every problem, and
    /// what would become of every row. Exit codes: 0 clean, 65 data errors
    /// (any problem with --strict), 66 missing input, 78 bad configuration.
    Check {
        /// Folder with arsite.toml and snapshots/.
        data_dir: PathBuf,
        /// Treat any problem as an error (as `build --strict` would).
        #[arg(long)]
        strict: bool,
    },
    /// Serve a built site on http://127.0.0.1:PORT/; with --watch, build it
    /// from a data folder first, rebuild on every change and reload open
    /// pages.
    Serve {
        #[arg(default_value = "public")]
        site: PathBuf,
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Data folder to build SITE from and to watch for changes.
        #[arg(long, value_name = "DATA_DIR")]
        watch: Option<PathBuf>,
        /// Read templates from DIR/templates and assets from DIR/static
        /// (e.g. `site`) instead of the built-in copies, and watch them too.
        #[arg(long, value_name = "DIR", requires = "watch")]
        templates: Option<PathBuf>,
    },
    /// Start a data folder: from an ERP export, recognise its preset, copy
    /// it into DIR/snapshots/, write a commented arsite.toml and check the
    /// folder; without --from, write a commented template. Exit codes: 0,
    /// 2 a needed option missing, 65 no preset clearly fits (or the check
    /// finds errors), 66 missing export, 78 folder refused.
    Init {
        /// The new data folder (created; an existing one must be empty
        /// unless --force).
        dir: PathBuf,
        /// The ERP export to start from (CSV, xlsx, xls, ods).
        #[arg(long, value_name = "EXPORT_FILE")]
        from: Option<PathBuf>,
        /// Read the export with this preset instead of the recognised one.
        #[arg(long, value_name = "NAME", requires = "from")]
        preset: Option<String>,
        /// The snapshot date, when the export's name (or title) holds none.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day, requires = "from")]
        as_of: Option<arsite_core::Day>,
        /// The site's title (default: the folder's name).
        #[arg(long)]
        title: Option<String>,
        /// The reporting currency (default: the export's currency column).
        #[arg(long, value_name = "CODE")]
        currency: Option<String>,
        /// Write into a non-empty folder or an arsite folder: adds the
        /// export, replaces arsite.toml (keeping arsite.toml.bak), deletes
        /// nothing.
        #[arg(long)]
        force: bool,
    },
    /// Write a deterministic synthetic company (sample data).
    Sample {
        #[arg(long, default_value = "data")]
        out: PathBuf,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[arg(long, default_value_t = 150)]
        customers: usize,
        #[arg(long, default_value_t = 12)]
        months: u32,
        #[arg(long, default_value_t = 3)]
        divisions: usize,
        #[arg(long, default_value_t = 6)]
        collectors: usize,
        /// Approximate number of open items per snapshot (default: natural).
        #[arg(long)]
        invoices_per_snapshot: Option<usize>,
        /// Replace the snapshot files of an existing sample folder.
        #[arg(long)]
        force: bool,
        /// Shape of the snapshot files: canonical, or an ERP export read
        /// through an import preset (sap, netsuite, quickbooks, dynamics,
        /// quickbooks-desktop, xero, odoo, erpnext, business-central).
        #[arg(long, default_value = "canonical")]
        format: arsite::sample::ExportFormat,
    },
}

fn parse_day(text: &str) -> Result<arsite_core::Day, String> {
    arsite_core::Day::parse_iso(text)
        .ok_or_else(|| format!("expected a date YYYY-MM-DD, found {text:?}"))
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("arsite: {e:#}");
            ExitCode::from(arsite::import::exit_code(&e))
        }
    }
}

/// A sample folder is written from scratch: stale snapshot files from an
/// earlier, longer run would otherwise join the next site build. Refuses to
/// touch a non-empty folder unless asked.
fn prepare_sample_dir(out: &std::path::Path, force: bool) -> Result<()> {
    let non_empty = out.is_dir() && std::fs::read_dir(out)?.next().is_some();
    if non_empty && !force {
        anyhow::bail!(
            "{}: folder is not empty; pass --force to replace its sample files",
            out.display()
        );
    }
    let snapshots = out.join("snapshots");
    if force && snapshots.is_dir() {
        for entry in std::fs::read_dir(&snapshots)? {
            let path = entry?.path();
            if path
                .extension()
                .is_some_and(|e| e == "csv" || e == "xlsx" || e == "txt")
            {
                std::fs::remove_file(&path)?;
            }
        }
    }
    Ok(())
}

fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Build {
            data_dir,
            out,
            quiet,
            strict,
            timings,
        } => {
            if strict {
                // Everything is read once before anything is written, so a
                // strict build leaves no trace when it fails.
                let report = arsite::check::check(&data_dir)?;
                if !report.is_clean() {
                    eprintln!("{}", report.render(true));
                    return Ok(65);
                }
            }
            let summary = site::build(&BuildOptions {
                progress: !quiet,
                ..BuildOptions::new(data_dir, out.clone())
            })?;
            if !summary.dashboard {
                eprintln!("arsite: warning: this binary carries no dashboard bundle (run `cargo xtask dashboard`, then rebuild arsite); dashboard pages say so");
            }
            if let Some(path) = timings {
                let json = serde_json::to_string_pretty(&summary)?;
                std::fs::write(&path, json + "\n")
                    .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", path.display()))?;
            }
            if !quiet {
                println!("arsite: {}", summary.line(&out));
            }
            Ok(0)
        }
        Command::Check { data_dir, strict } => {
            let report = arsite::check::check(&data_dir)?;
            let code = report.exit_code(strict);
            if code == 0 {
                println!("{}", report.render(strict));
            } else {
                eprintln!("{}", report.render(strict));
            }
            Ok(code)
        }
        Command::Init {
            dir,
            from,
            preset,
            as_of,
            title,
            currency,
            force,
        } => {
            let opts = arsite::init::InitOptions {
                dir,
                from,
                preset,
                as_of,
                title,
                currency,
                force,
            };
            match arsite::init::init(&opts, &mut std::io::stdout(), &mut std::io::stderr()) {
                Ok(code) => Ok(code),
                Err(e) => {
                    eprintln!("arsite: {e:#}");
                    Ok(arsite::init::exit_code(&e))
                }
            }
        }
        Command::Serve {
            site,
            port,
            watch,
            templates,
        } => {
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(async {
                let (live, _watching) = match watch {
                    Some(data_dir) => {
                        // Refused before serving: a watch loop would otherwise
                        // report the same refusal on every change.
                        site::paths::check_inputs_outside(&data_dir, templates.as_deref(), &site)?;
                        let live = arsite::serve::live::LiveReload::new();
                        let opts = BuildOptions {
                            templates_dir: templates,
                            ..BuildOptions::new(data_dir, site.clone())
                        };
                        // Builds are blocking work; keep them off the runtime.
                        let l = live.clone();
                        let watching = tokio::task::spawn_blocking(move || {
                            arsite::serve::watch::start(opts, l)
                        })
                        .await??;
                        (Some(live), Some(watching))
                    }
                    None => (None, None),
                };
                let (addr, server) = arsite::serve::bind_with(&site, port, live).await?;
                println!(
                    "arsite: serving {} on http://{addr}/ (Ctrl-C to stop)",
                    site.display()
                );
                tokio::select! {
                    r = server => r,
                    _ = tokio::signal::ctrl_c() => Ok(()),
                }
            })?;
            Ok(0)
        }
        Command::Sample {
            out,
            seed,
            customers,
            months,
            divisions,
            collectors,
            invoices_per_snapshot,
            force,
            format,
        } => {
            prepare_sample_dir(&out, force)?;
            let opts = arsite::sample::SampleOptions {
                seed,
                customers,
                months,
                divisions,
                collectors,
                invoices_per_snapshot,
                ..Default::default()
            };
            let summary = arsite::sample::write_sample_as(&opts, format, &out)?;
            println!(
                "arsite: wrote {} snapshots, {} invoice rows, {} activity rows ({:.1} MB) to {}",
                summary.snapshots,
                summary.invoice_rows,
                summary.activity_rows,
                summary.bytes_written as f64 / 1e6,
                out.display()
            );
            Ok(0)
        }
    }
}

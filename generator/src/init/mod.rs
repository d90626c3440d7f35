//! `arsite init DIR [--from EXPORT]`: a new data folder. With an export,
//! the preset that reads it is recognised ([`crate::import::recognise`]),
//! the file is copied byte for byte into `DIR/snapshots/` under a name
//! holding its snapshot date, a commented `arsite.toml` naming the preset
//! is written, and the folder is checked as `arsite check` would. Without
//! one, a commented template and an empty `snapshots/`.
//!
//! The folder: created when missing; an empty one is used. A folder with
//! files in it (an arsite folder with its `arsite.toml`, or any other) is
//! refused unless `--force`, which only adds the copy and replaces
//! `arsite.toml` (the old one kept as `arsite.toml.bak`): init never
//! deletes a file, never replaces a snapshot with other contents, and
//! writes nothing outside `DIR`. `arsite.toml` is written last, through a
//! temporary file renamed into place; on a failure before that, what init
//! created is removed again.
//!
//! Exit codes: 0 (and, with an export, the check's code: 65 when a build
//! would fail, the folder being kept for the user to finish its
//! settings), 2 a needed option is missing (`--as-of`, `--currency`), 65
//! no preset clearly fits the export, 66 the export is missing, 78 the
//! folder is refused or `--preset` names no preset.

mod naming;
mod settings_file;

use crate::config::FILE_NAME;
use crate::import::preset::Preset;
use crate::import::recognise::{self, Fit, Verdict};
use crate::import::spec::{AsOf, InputSpec, RawInput};
use crate::import::{InputError, Kind, Problem, Problems};
use anyhow::{Context, Result};
use arsite_core::{Currency, Day};
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A needed command-line option is missing or contradicts the export
/// (exit code 2, as for any usage error).
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// The exit code of an init error: 2 for [`UsageError`], else as
/// [`crate::import::exit_code`].
pub fn exit_code(error: &anyhow::Error) -> u8 {
    if error
        .chain()
        .any(|c| c.downcast_ref::<UsageError>().is_some())
    {
        2
    } else {
        crate::import::exit_code(error)
    }
}

#[derive(Debug, Clone, Default)]
pub struct InitOptions {
    pub dir: PathBuf,
    pub from: Option<PathBuf>,
    /// Use this preset rather than the recognised one.
    pub preset: Option<String>,
    pub as_of: Option<Day>,
    pub title: Option<String>,
    pub currency: Option<String>,
    pub force: bool,
}

/// Runs `arsite init`; progress and the check's summary go to `out`, the
/// check's problems to `err`. The result is the exit code.
pub fn init(opts: &InitOptions, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8> {
    let currency = match &opts.currency {
        Some(c) => Some(
            Currency::parse(c)
                .map_err(|e| UsageError(format!("--currency: {e}")))?
                .code,
        ),
        None => None,
    };
    let existing = check_folder(&opts.dir, opts.force)?;
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| default_title(&opts.dir));
    let Some(from) = &opts.from else {
        let text = settings_file::text(&settings_file::Settings {
            title: &title,
            currency: currency.as_deref(),
            import: None,
        });
        let mut created = Created::default();
        let written = (|| -> Result<()> {
            created.dir(&opts.dir)?;
            created.dir(&opts.dir.join("snapshots"))?;
            write_settings(&opts.dir, &text, existing.settings)
        })();
        if let Err(e) = written {
            created.undo();
            return Err(e);
        }
        let dir = opts.dir.display();
        writeln!(
            out,
            "arsite: wrote {dir}/{FILE_NAME} (a commented template) and an empty {dir}/snapshots/"
        )?;
        if currency.is_none() {
            writeln!(out, "next: set currency in {dir}/{FILE_NAME};")?;
        }
        writeln!(
            out,
            "next: put an export in {dir}/snapshots/ and name its preset in [import.snapshots] (or run `arsite init {dir} --from EXPORT --force` to have it recognised), then `arsite check {dir}`"
        )?;
        return Ok(0);
    };
    if !from.is_file() {
        return Err(InputError::Missing(format!(
            "{}: missing: expected the ERP export to start the folder with (--from)",
            from.display()
        ))
        .into());
    }
    let fits = recognise::fits(from, Preset::ALL).map_err(|p| Problems(vec![p]))?;
    let fit = choose(from, &fits, opts.preset.as_deref(), out)?;
    let date = naming::snapshot_date(from, &fit.spec, opts.as_of)?;
    let spec = if date.from_file_name_not_title {
        with_file_name_dates(fit)
    } else {
        fit.spec.clone()
    };
    let currency = match currency {
        Some(c) => c,
        None => currency_of(from, fit)?,
    };
    let name = naming::snapshot_name(from, &spec, date.day).map_err(InputError::Config)?;
    let export_name = from
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = settings_file::text(&settings_file::Settings {
        title: &title,
        currency: Some(&currency),
        import: Some(settings_file::ImportPart {
            fit,
            export_name: &export_name,
            as_of_from_file_name: date.from_file_name_not_title,
        }),
    });
    // What init writes must load: a failure here is arsite's, not the user's.
    crate::config::Config::parse(&text).context("arsite init wrote settings that do not load")?;
    let target = opts.dir.join("snapshots").join(&name);
    let mut created = Created::default();
    let written = (|| -> Result<bool> {
        created.dir(&opts.dir)?;
        created.dir(&opts.dir.join("snapshots"))?;
        let copied = copy_export(from, &target, &mut created)?;
        write_settings(&opts.dir, &text, existing.settings)?;
        Ok(copied)
    })();
    let copied = match written {
        Ok(c) => c,
        Err(e) => {
            created.undo();
            return Err(e);
        }
    };
    let source = match date.source {
        naming::DateSource::Option => "--as-of".to_string(),
        naming::DateSource::FileName => "the file name".to_string(),
        naming::DateSource::Title => match &spec.as_of {
            AsOf::Cell { sheet, key } => {
                format!("the cell beside {key:?} in sheet {sheet:?}")
            }
            _ => "the report's title".to_string(),
        },
    };
    writeln!(
        out,
        "arsite: snapshot date {} (from {source}); currency {currency}",
        date.day
    )?;
    writeln!(
        out,
        "arsite: {} {}, wrote {}",
        if copied {
            "copied the export to"
        } else {
            "the export is already"
        },
        target.display(),
        opts.dir.join(FILE_NAME).display()
    )?;
    if existing.settings {
        writeln!(
            out,
            "arsite: the previous settings are in {}",
            opts.dir.join(format!("{FILE_NAME}.bak")).display()
        )?;
    }
    check_and_advise(&opts.dir, out, err)
}

/// The recognised preset (or the one asked for), said with how sure.
fn choose<'f>(
    from: &Path,
    fits: &'f [Fit],
    wanted: Option<&str>,
    out: &mut dyn Write,
) -> Result<&'f Fit> {
    let name = from.display();
    if let Some(w) = wanted {
        let preset = Preset::find(w).ok_or_else(|| {
            InputError::Config(format!(
                "--preset: expected one of {}, found {w:?}",
                Preset::ALL
                    .iter()
                    .map(|p| p.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        let fit = fits
            .iter()
            .find(|f| f.preset.name == preset.name)
            .expect("every preset is scored");
        writeln!(out, "arsite: {name}: read as {} (--preset)", preset.title)?;
        writeln!(out, "  {}", fit.summary())?;
        return Ok(fit);
    }
    match recognise::verdict(fits) {
        Verdict::Clear => {
            let best = &fits[0];
            writeln!(out, "arsite: {name} is a {} export", best.preset.title)?;
            writeln!(out, "  {}", best.summary())?;
            if let Some(next) = fits.get(1) {
                writeln!(out, "  next closest: {}", next.summary())?;
            }
            Ok(best)
        }
        Verdict::Unclear => {
            let mut message = String::from("no preset clearly fits this export; the two closest:");
            for f in fits.iter().take(2) {
                message.push_str(&format!("\n  {} ({})", f.summary(), f.preset.title));
            }
            if let [a, b, ..] = fits {
                message.push_str("\n  what differs:");
                for d in recognise::differences(a, b) {
                    message.push_str(&format!("\n  - {d}"));
                }
            }
            message.push_str(
                "\n  pass --preset NAME to start from one of them anyway (then map what it lacks in arsite.toml), or describe the export in [import.snapshots] (README, \"Importing ERP exports\")",
            );
            Err(Problems(vec![Problem::file(from, Kind::Header, message)]).into())
        }
    }
}

/// The preset's settings with `as_of_from = "file_name"`.
fn with_file_name_dates(fit: &Fit) -> InputSpec {
    let raw = RawInput {
        as_of_from: Some("file_name".into()),
        ..RawInput::default()
    };
    let spec = InputSpec::with_preset(&raw, Some(fit.preset), &crate::import::snapshot_csv::SCHEMA)
        .expect("a preset with as_of_from = \"file_name\" resolves");
    debug_assert_eq!(spec.as_of, AsOf::FileName);
    spec
}

/// The reporting currency from the export: the preset's constant, or the
/// one code in its currency column among the first rows.
fn currency_of(from: &Path, fit: &Fit) -> Result<String> {
    let ask = |why: String| {
        UsageError(format!(
            "{}: {why}: pass --currency CODE, the reporting currency (ISO 4217, e.g. EUR)",
            from.display()
        ))
    };
    if let Some(c) = fit.spec.constants.get("currency") {
        return Ok(c.clone());
    }
    let column = fit.columns.iter().find(|c| c.name == "currency");
    let (Some(header), Ok(rows), Some(line)) = (
        column.and_then(|c| c.found.as_ref()),
        fit.rows.as_ref(),
        fit.header_line,
    ) else {
        return Err(ask("the export has no currency column".into()).into());
    };
    let header_cells = &rows
        .rows
        .iter()
        .find(|(l, _)| *l == line)
        .expect("the header is among the rows")
        .1;
    let at = header_cells
        .iter()
        .position(|c| c == header)
        .expect("the header holds its column");
    let codes: std::collections::BTreeSet<String> = rows
        .rows
        .iter()
        .filter(|(l, _)| *l > line)
        .filter_map(|(_, cells)| cells.get(at))
        .filter_map(|v| Currency::parse(v).ok().map(|c| c.code))
        .collect();
    match codes.len() {
        1 => Ok(codes.into_iter().next().expect("one")),
        0 => Err(ask(format!(
            "its {header:?} column holds no currency code in the first rows"
        ))
        .into()),
        _ => Err(ask(format!(
            "its {header:?} column holds several currencies ({})",
            codes.into_iter().collect::<Vec<_>>().join(", ")
        ))
        .into()),
    }
}

/// Runs the check on the new folder and says what to do next; the check's
/// exit code.
fn check_and_advise(dir: &Path, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8> {
    let d = dir.display();
    let code = match crate::check::check(dir) {
        Ok(report) => {
            let code = report.exit_code(false);
            if code == 0 {
                writeln!(out, "{}", report.render(false))?;
            } else {
                writeln!(err, "{}", report.render(false))?;
            }
            code
        }
        Err(e) => {
            writeln!(err, "arsite: {e:#}")?;
            crate::import::exit_code(&e)
        }
    };
    if code == 0 {
        writeln!(
            out,
            "next: arsite build {d} --out public   (then: arsite serve public)"
        )?;
    } else {
        writeln!(
            out,
            "next: fix the settings in {d}/{FILE_NAME} ([import.snapshots]; its comments list the columns the export lacks), then `arsite check {d}`"
        )?;
    }
    Ok(code)
}

/// What is in the folder already.
struct Existing {
    settings: bool,
}

fn check_folder(dir: &Path, force: bool) -> Result<Existing> {
    let refuse = |why: String| -> anyhow::Error { InputError::Config(why).into() };
    if dir.exists() && !dir.is_dir() {
        return Err(refuse(format!(
            "{}: is a file: expected a folder to create (or an empty one)",
            dir.display()
        )));
    }
    let settings = dir.join(FILE_NAME).exists();
    let non_empty = dir.is_dir()
        && std::fs::read_dir(dir)
            .with_context(|| format!("{}: cannot read the folder", dir.display()))?
            .next()
            .is_some();
    if settings && !force {
        return Err(refuse(format!(
            "{}: is an arsite folder already ({FILE_NAME} is there): pass --force to add the export and replace {FILE_NAME} (the old one is kept as {FILE_NAME}.bak)",
            dir.display()
        )));
    }
    if non_empty && !force {
        return Err(refuse(format!(
            "{}: folder is not empty and holds no {FILE_NAME}: expected a new or empty folder (pass --force to add arsite's files to it anyway; nothing in it is deleted)",
            dir.display()
        )));
    }
    if dir.join("snapshots").exists() && !dir.join("snapshots").is_dir() {
        return Err(refuse(format!(
            "{}: is a file: expected the snapshots folder",
            dir.join("snapshots").display()
        )));
    }
    Ok(Existing { settings })
}

/// The folder's own name, as the site's title until the user sets one.
fn default_title(dir: &Path) -> String {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    absolute
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "Accounts receivable".into())
}

/// Copies the export to `target` through a hidden temporary name (which
/// the snapshot folder's discovery ignores) renamed into place. `false`
/// when an identical file is there already; a different one is refused.
fn copy_export(from: &Path, target: &Path, created: &mut Created) -> Result<bool> {
    if target.exists() {
        let same = std::fs::read(from)? == std::fs::read(target)?;
        if same {
            return Ok(false);
        }
        return Err(InputError::Config(format!(
            "{}: exists with other contents: expected no file of that name (rename the export, or remove the old file)",
            target.display()
        ))
        .into());
    }
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = target.with_file_name(format!(".{name}.arsite-init"));
    std::fs::copy(from, &temp)
        .with_context(|| format!("{}: cannot copy to {}", from.display(), temp.display()))?;
    if let Err(e) = std::fs::rename(&temp, target) {
        let _ = std::fs::remove_file(&temp);
        return Err(anyhow::anyhow!("{}: cannot write: {e}", target.display()));
    }
    created.files.push(target.to_path_buf());
    Ok(true)
}

/// Writes `arsite.toml` through a temporary file renamed into place, the
/// old one (with `--force`) renamed to `arsite.toml.bak` first.
fn write_settings(dir: &Path, text: &str, replace: bool) -> Result<()> {
    let path = dir.join(FILE_NAME);
    let temp = dir.join(format!(".{FILE_NAME}.arsite-init"));
    std::fs::write(&temp, text).with_context(|| format!("{}: cannot write", temp.display()))?;
    if replace {
        let backup = dir.join(format!("{FILE_NAME}.bak"));
        if let Err(e) = std::fs::rename(&path, &backup) {
            let _ = std::fs::remove_file(&temp);
            return Err(anyhow::anyhow!(
                "{}: cannot keep the old settings: {e}",
                backup.display()
            ));
        }
    }
    if let Err(e) = std::fs::rename(&temp, &path) {
        let _ = std::fs::remove_file(&temp);
        return Err(anyhow::anyhow!("{}: cannot write: {e}", path.display()));
    }
    Ok(())
}

/// What init created, removed again when it fails before the end.
#[derive(Default)]
struct Created {
    dirs: Vec<PathBuf>,
    files: Vec<PathBuf>,
}

impl Created {
    fn dir(&mut self, dir: &Path) -> Result<()> {
        if !dir.exists() {
            // Not create_dir_all: nothing is made outside DIR, its parent
            // included.
            std::fs::create_dir(dir)
                .with_context(|| format!("{}: cannot create the folder", dir.display()))?;
            self.dirs.push(dir.to_path_buf());
        }
        Ok(())
    }

    fn undo(self) {
        for f in self.files.iter().rev() {
            let _ = std::fs::remove_file(f);
        }
        for d in self.dirs.iter().rev() {
            // Only folders init made, and only while empty.
            let _ = std::fs::remove_dir(d);
        }
    }
}

//! `arsite serve --watch`: rebuilds the site when the data folder (or, with
//! `--templates`, the templates folder) changes. One thread runs every
//! build, so builds never overlap; changes made during a build lead to one
//! more build after it. A failed build leaves the previous site in place
//! (the build is atomic) and is reported on stderr and to open pages.

use super::live::LiveReload;
use crate::site::{self, BuildOptions};
use anyhow::{anyhow, Context, Result};
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long a file must be quiet before its change is reported.
const DEBOUNCE: Duration = Duration::from_millis(200);
/// Copying a set of snapshot files spans several debounced batches; wait
/// this long after each for another before building...
const SETTLE: Duration = Duration::from_millis(250);
/// ...but no longer than this after the first, so a steady trickle of
/// writes cannot hold the build back for ever.
const MAX_WAIT: Duration = Duration::from_secs(2);

/// Watching stops when this is dropped.
pub struct Watching {
    _debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
}

/// Builds the site once, then keeps rebuilding it on changes until the
/// returned guard is dropped. The first build may fail (its error is
/// reported like any other); watching starts anyway, so fixing the data is
/// enough.
pub fn start(opts: BuildOptions, live: LiveReload) -> Result<Watching> {
    // Refused before the first build: its failure would be reported as a
    // build error, and then the folder served anyway.
    super::check_site(&opts.out_dir, true)?;
    build(&opts, None, &live);
    let filter = Filter::new(&opts)?;
    let (tx, rx) = std::sync::mpsc::channel();
    let mut debouncer = new_debouncer(DEBOUNCE, None, tx).context("cannot watch files")?;
    for root in &filter.roots {
        debouncer
            .watch(root, RecursiveMode::Recursive)
            .with_context(|| format!("{}: cannot watch", root.display()))?;
    }
    std::thread::Builder::new()
        .name("arsite-rebuild".into())
        .spawn(move || rebuild_loop(&opts, &filter, &rx, &live))?;
    Ok(Watching {
        _debouncer: debouncer,
    })
}

fn rebuild_loop(
    opts: &BuildOptions,
    filter: &Filter,
    rx: &Receiver<DebounceEventResult>,
    live: &LiveReload,
) {
    // Ends when the debouncer (and with it the sender) is dropped.
    while let Ok(batch) = rx.recv() {
        let mut changed = BTreeSet::new();
        filter.collect(batch, &mut changed);
        if changed.is_empty() {
            continue;
        }
        let deadline = Instant::now() + MAX_WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(SETTLE.min(left)) {
                Ok(batch) => filter.collect(batch, &mut changed),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
            if left.is_zero() {
                break;
            }
        }
        build(opts, Some(changed.len()), live);
    }
}

/// Runs one build and reports it; `changed` is `None` for the first.
fn build(opts: &BuildOptions, changed: Option<usize>, live: &LiveReload) {
    let started = Instant::now();
    // A bug that panics in the builder must not end watching: the next
    // change may well avoid it.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| site::build(opts)))
        .unwrap_or_else(|_| Err(anyhow!("the build panicked (a bug in arsite)")));
    let seconds = started.elapsed().as_secs_f64();
    match result {
        Ok(summary) => {
            match changed {
                Some(n) => println!(
                    "arsite: rebuilt in {seconds:.2} s ({n} file{} changed)",
                    if n == 1 { "" } else { "s" }
                ),
                None => println!(
                    "arsite: built {} snapshot(s) → {} in {seconds:.2} s",
                    summary.snapshots,
                    opts.out_dir.display()
                ),
            }
            live.built(changed);
        }
        Err(e) => {
            let message = format!("{e:#}");
            eprintln!("arsite: build failed; still serving the previous site:\n{message}");
            live.failed(changed, message);
        }
    }
}

/// Which changed paths call for a build.
struct Filter {
    /// The watched folders, absolute.
    roots: Vec<PathBuf>,
    /// The output folder, absolute: its own writes are not changes when it
    /// lies inside a watched folder.
    output: PathBuf,
}

impl Filter {
    fn new(opts: &BuildOptions) -> Result<Filter> {
        let mut roots = vec![canonical(&opts.data_dir)?];
        if let Some(dir) = &opts.templates_dir {
            roots.push(canonical(dir)?);
        }
        Ok(Filter {
            roots,
            output: absolute(&opts.out_dir)?,
        })
    }

    fn collect(&self, batch: DebounceEventResult, changed: &mut BTreeSet<PathBuf>) {
        match batch {
            Ok(events) => {
                for event in events {
                    // Reads (the build's own among them) are not changes.
                    if matches!(event.kind, EventKind::Access(_)) {
                        continue;
                    }
                    if event.need_rescan() {
                        // Events were lost: something changed, not known what.
                        changed.extend(self.roots.iter().cloned());
                    }
                    changed.extend(event.paths.iter().filter(|p| self.matters(p)).cloned());
                }
            }
            Err(errors) => {
                for e in errors {
                    eprintln!("arsite: watching: {e}");
                }
            }
        }
    }

    fn matters(&self, path: &Path) -> bool {
        if path.starts_with(&self.output) {
            return false;
        }
        // Paths outside the watched folders cannot be input; counting them
        // would risk a build that triggers itself.
        let Some(relative) = self.roots.iter().find_map(|r| path.strip_prefix(r).ok()) else {
            return false;
        };
        let mut names = relative.components().filter_map(|c| match c {
            Component::Normal(n) => Some(n.to_string_lossy()),
            _ => None,
        });
        // Hidden files and folders: .git, editors' swap and lock files, and
        // the build's own staging folders beside the output.
        if names.any(|n| n.starts_with('.')) {
            return false;
        }
        !path
            .file_name()
            .is_some_and(|n| crate::import::is_editor_temp(&n.to_string_lossy()))
    }
}

fn canonical(dir: &Path) -> Result<PathBuf> {
    dir.canonicalize()
        .with_context(|| format!("{}: cannot watch", dir.display()))
}

/// `path` made absolute, in the same (canonical) form as the watched
/// folders where possible: through its parent when it does not exist yet
/// (an output folder before its first successful build).
fn absolute(path: &Path) -> Result<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Ok(p);
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if let (Ok(parent), Some(name)) = (parent.canonicalize(), path.file_name()) {
        return Ok(parent.join(name));
    }
    std::path::absolute(path).with_context(|| format!("{}: bad output folder", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_input_changes_count() {
        let f = Filter {
            roots: vec![PathBuf::from("/w/data"), PathBuf::from("/w/site")],
            output: PathBuf::from("/w/data/public"),
        };
        for yes in [
            "/w/data/snapshots/2026-01-31.csv",
            "/w/data/arsite.toml",
            "/w/data/snapshots",
            "/w/site/templates/base.html",
            "/w/data/publication.csv",
        ] {
            assert!(f.matters(Path::new(yes)), "{yes}");
        }
        for no in [
            "/w/data/public/index.html",
            "/w/data/public",
            "/w/data/.public.building-123/index.html",
            "/w/data/.git/index",
            "/w/data/snapshots/.2026-01-31.csv.swp",
            "/w/data/snapshots/2026-01-31.csv~",
            "/w/data/snapshots/#2026-01-31.csv#",
            "/w/data/snapshots/.#2026-01-31.csv",
            "/w/data/snapshots/4913",
            "/w/site/templates/base.html.tmp",
            "/elsewhere/x.csv",
        ] {
            assert!(!f.matters(Path::new(no)), "{no}");
        }
    }

    #[test]
    fn a_hidden_folder_above_the_watched_one_does_not_hide_it() {
        // Temporary folders are often hidden (`/tmp/.tmpXXXX`).
        let f = Filter {
            roots: vec![PathBuf::from("/tmp/.tmpAbc/data")],
            output: PathBuf::from("/tmp/.tmpAbc/site"),
        };
        assert!(f.matters(Path::new("/tmp/.tmpAbc/data/snapshots/2026-01-31.csv")));
    }
}

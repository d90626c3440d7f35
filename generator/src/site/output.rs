//! Atomic output: the new site is written into a staging folder beside the
//! target and swapped in only once complete, so a failed or interrupted
//! build leaves the previous site untouched.
//!
//! Incremental builds carry unchanged snapshot folders over from the
//! previous site instead of writing them again. They are moved (renamed)
//! into the staging folder only after it is complete and marked so
//! ([`COMPLETE`], listing what is carried over): from that point the build
//! counts as done, and a build killed during the few renames that follow is
//! finished by the next run ([`Staging::new`] rolls it forward) instead of
//! being thrown away.
//!
//! One build at a time writes an output folder: [`BuildLock`] holds an
//! exclusive lock on a file beside it for the whole build (two builds
//! interleaving their carry-over and swaps would mix their sites). The
//! plan of what to carry over is checked again at commit: a folder of the
//! previous site that is no longer the one planned with fails the build
//! rather than being carried into the new site.

use anyhow::{bail, Context, Result};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Marks a folder as an arsite site, so that `--out` never replaces (and
/// deletes) a folder that arsite did not write.
pub const MARKER: &str = ".arsite-site";

/// Written into a staging folder once every file is in it; lists the
/// folders to carry over from the previous site, one per line.
pub const COMPLETE: &str = ".arsite-complete";

pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    files: AtomicU64,
    bytes: AtomicU64,
    /// Files are written by one thread of their own, in the order given:
    /// pages render on every core, but threads creating files in the same
    /// folder mostly wait for each other on the folder's lock.
    writer: Option<Writer>,
    /// Folders carried over from the previous site, with the key of the
    /// record they were planned with.
    carried: Vec<(String, String)>,
}

struct Writer {
    queue: SyncSender<(PathBuf, Vec<u8>)>,
    thread: JoinHandle<Result<Duration>>,
    /// The writer's error once it stopped, for the writes refused after it
    /// (a full disk must be named, not just "the writer stopped").
    failure: Arc<Mutex<Option<String>>>,
}

impl Writer {
    fn start() -> Writer {
        // Enough to keep the disk busy while renderers wait, small enough
        // to bound memory (pages are tens of kilobytes).
        let (queue, files) = sync_channel::<(PathBuf, Vec<u8>)>(512);
        let failure = Arc::new(Mutex::new(None));
        let failed = Arc::clone(&failure);
        let thread = std::thread::spawn(move || {
            let mut busy = Duration::ZERO;
            for (path, bytes) in files {
                let started = Instant::now();
                if let Err(e) = write_file(&path, &bytes) {
                    let message = format!("{}: cannot write: {e}", path.display());
                    *failed.lock().unwrap_or_else(|p| p.into_inner()) = Some(message.clone());
                    bail!(message);
                }
                busy += started.elapsed();
            }
            Ok(busy)
        });
        Writer {
            queue,
            thread,
            failure,
        }
    }

    /// Waits until every file queued is written; the time spent writing.
    fn finish(self) -> Result<Duration> {
        drop(self.queue);
        self.thread
            .join()
            .map_err(|_| anyhow::anyhow!("the file writer panicked"))?
    }
}

/// Writes a file of the staging folder, which starts empty: each path is
/// created new, so two pages that got the same file name fail the build
/// instead of one silently replacing the other.
fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    create_new(path, bytes).or_else(|e| match path.parent() {
        // Creating the folder only when the write says it is missing
        // saves a system call per file on the common path.
        Some(parent) if e.kind() == std::io::ErrorKind::NotFound => {
            fs::create_dir_all(parent)?;
            create_new(path, bytes)
        }
        _ => Err(e),
    })
}

fn create_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                std::io::Error::new(
                    e.kind(),
                    "this build already wrote a file of that name (two pages would share it)",
                )
            } else {
                e
            }
        })?;
    file.write_all(bytes)
}

impl Staging {
    pub fn new(target: &Path) -> Result<Staging> {
        if target.exists() && !is_replaceable(target)? {
            bail!(
                "{}: refusing to replace a folder that is not an arsite site (no {MARKER} in it); \
                 choose an empty or new --out folder",
                target.display()
            );
        }
        let parent = parent_of(target);
        fs::create_dir_all(&parent)
            .with_context(|| format!("{}: cannot create", parent.display()))?;
        let name = file_name(target)?;
        remove_abandoned(&parent, &name, target)?;
        let dir = parent.join(format!(".{name}.building-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir).with_context(|| format!("{}: cannot create", dir.display()))?;
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            files: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            writer: Some(Writer::start()),
            carried: Vec::new(),
        })
    }

    /// The site this build replaces (it may not exist).
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Queues `relative` (a `/`-separated path inside the site) for writing.
    /// Safe to call from several threads at once. An error of an earlier
    /// write may show here or only at [`Staging::finish_writes`].
    /// Takes the bytes by value: the writer thread owns them, and pages
    /// handed over as `String`s are not copied again on the way.
    pub fn write(&self, relative: &str, bytes: impl Into<Vec<u8>>) -> Result<()> {
        let bytes = bytes.into();
        let len = bytes.len() as u64;
        let writer = self.writer.as_ref().expect("writes end with finish_writes");
        if writer.queue.send((self.dir.join(relative), bytes)).is_err() {
            let failure = writer.failure.lock().unwrap_or_else(|p| p.into_inner());
            bail!(
                "{}",
                failure
                    .clone()
                    .unwrap_or_else(|| format!("{}: the file writer stopped", self.dir.display()))
            );
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(len, Ordering::Relaxed);
        Ok(())
    }

    /// Waits for every queued file; returns the time the writer spent
    /// writing, or the first write error.
    pub fn finish_writes(&mut self) -> Result<Duration> {
        match self.writer.take() {
            Some(w) => w.finish(),
            None => Ok(Duration::ZERO),
        }
    }

    /// Keeps the previous site's folder `name` (a snapshot that did not
    /// change) instead of writing it again. Its `files` and `bytes` are
    /// counted as if written; `key` is its record's key, checked again at
    /// [`Staging::commit`].
    pub fn carry_over(&mut self, name: &str, key: &str, files: u64, bytes: u64) {
        self.carried.push((name.to_string(), key.to_string()));
        self.files.fetch_add(files, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
    }

    pub fn files(&self) -> u64 {
        self.files.load(Ordering::Relaxed)
    }

    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// Swaps the staged site in. The old site is moved aside first and
    /// deleted only after the new one is in place.
    pub fn commit(mut self) -> Result<()> {
        self.finish_writes()?;
        // The plan was made from the previous site's records: a folder
        // changed since (by a writer that did not take the lock) would put
        // another build's pages into this site.
        for (name, key) in &self.carried {
            let now = super::cache::record_key(&self.target, name);
            if now.as_deref() != Some(key.as_str()) {
                bail!(
                    "{}: the previous site's folder changed while this build ran (another \
                     program wrote {}); nothing was replaced, build again",
                    self.target.join(name).display(),
                    self.target.display()
                );
            }
        }
        write_file(
            &self.dir.join(MARKER),
            b"This folder was written by arsite and is replaced on every build.\n",
        )?;
        let mut list = String::new();
        for (name, _) in &self.carried {
            list.push_str(name);
            list.push('\n');
        }
        // Written last, once everything else is on disk.
        write_file(&self.dir.join(COMPLETE), list.as_bytes())?;
        let dir = std::mem::take(&mut self.dir);
        finish_commit(&dir, &self.target)
    }
}

/// Moves the carried-over folders into the completed staging folder `dir`,
/// then swaps it in for `target`. Safe to run again after an interruption
/// at any point: what was already moved is skipped.
fn finish_commit(dir: &Path, target: &Path) -> Result<()> {
    let list = fs::read_to_string(dir.join(COMPLETE))
        .with_context(|| format!("{}: cannot read", dir.join(COMPLETE).display()))?;
    for name in list.lines().filter(|l| !l.is_empty()) {
        let (from, to) = (target.join(name), dir.join(name));
        if !to.exists() {
            fs::rename(&from, &to).with_context(|| {
                format!(
                    "{}: cannot carry over the unchanged snapshot folder",
                    from.display()
                )
            })?;
        }
    }
    super::test_pause("carried");
    let parent = parent_of(target);
    let name = file_name(target)?;
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let had_old = target.exists();
    if had_old {
        fs::rename(target, &old).with_context(|| {
            format!("{}: cannot move the previous site aside", target.display())
        })?;
    }
    super::test_pause("aside");
    if let Err(e) = fs::rename(dir, target) {
        if had_old {
            let _ = fs::rename(&old, target);
        }
        return Err(e)
            .with_context(|| format!("{}: cannot put the new site in place", target.display()));
    }
    // Only now: a staging folder without it would be deleted, not finished.
    fs::remove_file(target.join(COMPLETE))?;
    if had_old {
        fs::remove_dir_all(&old)
            .with_context(|| format!("{}: cannot remove the previous site", old.display()))?;
    }
    Ok(())
}

impl Drop for Staging {
    fn drop(&mut self) {
        // The writer must stop before its folder is removed.
        let _ = self.finish_writes();
        if !self.dir.as_os_str().is_empty() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Staging (and set-aside) folders of builds that were killed: their
/// process no longer exists. Folders of a build still running are left. A
/// killed build whose staging folder was complete is finished, not deleted
/// (see the module comment).
/// Finishes or removes what killed builds into `target` left beside it
/// (staging folders, a previous site moved aside). Run at the start of
/// every build, also one that then finds nothing to do.
pub fn recover(target: &Path) -> Result<()> {
    let name = file_name(target)?;
    remove_abandoned(&parent_of(target), &name, target)
}

fn remove_abandoned(parent: &Path, name: &str, target: &Path) -> Result<()> {
    // Liveness is read from /proc; without it, leave everything alone.
    if !Path::new("/proc/self").exists() {
        return Ok(());
    }
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(());
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let Some(file) = path.file_name().and_then(|f| f.to_str()) else {
            continue;
        };
        let building = file.strip_prefix(&format!(".{name}.building-"));
        let pid = building.or_else(|| file.strip_prefix(&format!(".{name}.old-")));
        let Some(pid) = pid.and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists() {
            continue;
        }
        if building.is_some() && path.join(COMPLETE).exists() {
            // Killed between moving the old site aside and swapping the new
            // one in: put the old one back, then finish as usual.
            let aside = parent.join(format!(".{name}.old-{pid}"));
            if aside.exists() && !target.exists() {
                fs::rename(&aside, target)?;
            }
            finish_commit(&path, target).with_context(|| {
                format!("{}: cannot finish an interrupted build", path.display())
            })?;
        } else {
            let _ = fs::remove_dir_all(&path);
        }
    }
    Ok(())
}

/// The exclusive right to write one output folder, for the whole build.
/// The lock is on `.<name>.lock` beside the folder (the folder itself is
/// replaced by every build), which holds the owner's process id for the
/// message of a build that finds it taken. The file is removed when the
/// lock is let go; a build that locked a file removed meanwhile tries
/// again. The lock goes with the process, so a killed build leaves no lock.
pub struct BuildLock {
    path: PathBuf,
    file: Option<fs::File>,
}

impl BuildLock {
    /// Takes the lock, or fails at once (exit 75) naming the build that
    /// holds it: waiting could hang a script for as long as that build
    /// takes, and the other build's result may make this one unnecessary.
    pub fn acquire(target: &Path) -> Result<BuildLock> {
        let parent = parent_of(target);
        fs::create_dir_all(&parent)
            .with_context(|| format!("{}: cannot create", parent.display()))?;
        let path = parent.join(format!(".{}.lock", file_name(target)?));
        loop {
            let mut file = fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .with_context(|| format!("{}: cannot open the build lock", path.display()))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    let pid = fs::read_to_string(&path)
                        .ok()
                        .and_then(|t| t.trim().parse::<u32>().ok())
                        .map_or_else(String::new, |p| format!(" (pid {p})"));
                    return Err(crate::import::InputError::Busy(format!(
                        "{}: another arsite build{pid} is writing this folder; \
                         wait for it to finish, then build again",
                        target.display()
                    ))
                    .into());
                }
                // A file system without locks (some network mounts): say
                // so and build as before, rather than not at all.
                Err(fs::TryLockError::Error(e))
                    if e.kind() == std::io::ErrorKind::Unsupported
                        || e.raw_os_error() == Some(ENOLCK) =>
                {
                    eprintln!(
                        "arsite: warning: {}: cannot lock ({e}); nothing keeps another build \
                         from writing {} at the same time",
                        path.display(),
                        target.display()
                    );
                    return Ok(BuildLock {
                        path,
                        file: Some(file),
                    });
                }
                Err(fs::TryLockError::Error(e)) => {
                    return Err(e).with_context(|| format!("{}: cannot lock", path.display()));
                }
            }
            if !is_same_file(&file, &path) {
                continue;
            }
            use std::io::Write;
            file.set_len(0)?;
            write!(file, "{}", std::process::id())?;
            return Ok(BuildLock {
                path,
                file: Some(file),
            });
        }
    }
}

impl Drop for BuildLock {
    fn drop(&mut self) {
        // Removed while still locked: a build waiting on this file finds
        // it gone and starts over on a new one.
        let _ = fs::remove_file(&self.path);
        drop(self.file.take());
    }
}

/// `ENOLCK`, "no locks available": 37 on Linux, 77 on macOS and the BSDs.
#[cfg(target_os = "linux")]
const ENOLCK: i32 = 37;
#[cfg(not(target_os = "linux"))]
const ENOLCK: i32 = 77;

/// Whether the open `file` is still the one at `path` (not removed, or
/// removed and created again, by the build that held the lock).
#[cfg(unix)]
fn is_same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_same_file(_: &fs::File, path: &Path) -> bool {
    path.exists()
}

fn is_replaceable(target: &Path) -> Result<bool> {
    if !target.is_dir() {
        return Ok(false);
    }
    if target.join(MARKER).exists() {
        return Ok(true);
    }
    Ok(fs::read_dir(target)?.next().is_none())
}

fn parent_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn file_name(target: &Path) -> Result<String> {
    target
        .file_name()
        .and_then(|n| n.to_str())
        .map(str::to_owned)
        .with_context(|| format!("{}: expected a folder name for --out", target.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_a_previous_site_and_drop_discards_a_failed_one() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let s = Staging::new(&out).unwrap();
        s.write("index.html", b"one").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"one");

        let s = Staging::new(&out).unwrap();
        s.write("index.html", b"two").unwrap();
        drop(s); // a build that failed half-way
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"one");

        let s = Staging::new(&out).unwrap();
        s.write("other.html", b"three").unwrap();
        s.commit().unwrap();
        assert!(!out.join("index.html").exists());
        let leftovers: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folders are cleaned up");
    }

    #[test]
    fn unchanged_folders_are_carried_over() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let s = Staging::new(&out).unwrap();
        s.write("2026-01-31/index.html", b"january").unwrap();
        s.write("2026-01-31/.arsite-snapshot.json", br#"{"key":"k1"}"#)
            .unwrap();
        s.write("2026-02-28/index.html", b"february").unwrap();
        s.commit().unwrap();

        let mut s = Staging::new(&out).unwrap();
        s.carry_over("2026-01-31", "k1", 2, 19);
        s.write("2026-02-28/index.html", b"february, corrected")
            .unwrap();
        assert_eq!((s.files(), s.bytes()), (3, 38));
        s.commit().unwrap();
        assert_eq!(
            fs::read(out.join("2026-01-31/index.html")).unwrap(),
            b"january"
        );
        assert_eq!(
            fs::read(out.join("2026-02-28/index.html")).unwrap(),
            b"february, corrected"
        );
        assert!(!out.join(COMPLETE).exists());
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_carried_folder_changed_since_the_plan_fails_the_commit() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let s = Staging::new(&out).unwrap();
        s.write("2026-01-31/index.html", b"january").unwrap();
        s.write("2026-01-31/.arsite-snapshot.json", br#"{"key":"k1"}"#)
            .unwrap();
        s.commit().unwrap();
        let mut s = Staging::new(&out).unwrap();
        s.carry_over("2026-01-31", "k1", 2, 19);
        s.write("index.html", b"new index").unwrap();
        // Another writer replaces the folder after the plan was made.
        fs::write(
            out.join("2026-01-31/.arsite-snapshot.json"),
            br#"{"key":"k2"}"#,
        )
        .unwrap();
        fs::write(out.join("2026-01-31/index.html"), b"someone else's").unwrap();
        let e = s.commit().unwrap_err().to_string();
        assert!(e.contains("changed while this build ran"), "{e}");
        assert!(!out.join("index.html").exists(), "nothing was replaced");
    }

    #[test]
    fn a_second_build_lock_is_refused_with_the_holder_named() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let held = BuildLock::acquire(&out).unwrap();
        let lock = tmp.path().join(".site.lock");
        assert_eq!(
            fs::read_to_string(&lock).unwrap(),
            std::process::id().to_string()
        );
        let e = BuildLock::acquire(&out).err().unwrap();
        assert_eq!(crate::import::exit_code(&e), 75);
        assert!(
            e.to_string().contains(&format!(
                "another arsite build (pid {}) is writing this folder",
                std::process::id()
            )),
            "{e}"
        );
        drop(held);
        assert!(!lock.exists(), "the lock file goes with the lock");
        drop(BuildLock::acquire(&out).unwrap());
    }

    #[test]
    fn a_complete_build_killed_while_swapping_is_finished_by_the_next() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let s = Staging::new(&out).unwrap();
        s.write("2026-01-31/index.html", b"january").unwrap();
        s.write("index.html", b"old index").unwrap();
        s.commit().unwrap();
        // What a killed build leaves when it had marked its staging folder
        // complete (no such process id exists: ids stay below 2^22).
        let dead = tmp.path().join(".site.building-4000000000");
        fs::create_dir_all(dead.join("2026-02-28")).unwrap();
        fs::write(dead.join("2026-02-28/index.html"), b"february").unwrap();
        fs::write(dead.join("index.html"), b"new index").unwrap();
        fs::write(dead.join(MARKER), b"").unwrap();
        fs::write(dead.join(COMPLETE), b"2026-01-31\n").unwrap();

        let s = Staging::new(&out).unwrap();
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"new index");
        assert_eq!(
            fs::read(out.join("2026-01-31/index.html")).unwrap(),
            b"january"
        );
        assert_eq!(
            fs::read(out.join("2026-02-28/index.html")).unwrap(),
            b"february"
        );
        assert!(!dead.exists());
        drop(s);

        // An incomplete one is discarded.
        let dead = tmp.path().join(".site.building-4000000001");
        fs::create_dir_all(&dead).unwrap();
        fs::write(dead.join("index.html"), b"half").unwrap();
        drop(Staging::new(&out).unwrap());
        assert!(!dead.exists());
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"new index");
    }

    #[test]
    fn a_failed_write_is_reported_with_its_cause() {
        let tmp = tempfile::tempdir().unwrap();
        let mut s = Staging::new(&tmp.path().join("site")).unwrap();
        // A file where a folder is needed: the second write fails.
        s.write("page", b"x").unwrap();
        let _ = s.write("page/inner.html", b"y");
        let e = s.finish_writes().unwrap_err().to_string();
        assert!(e.contains("page/inner.html: cannot write"), "{e}");
    }

    #[test]
    fn a_second_file_of_one_name_fails_the_build() {
        let tmp = tempfile::tempdir().unwrap();
        let mut s = Staging::new(&tmp.path().join("site")).unwrap();
        s.write("customers/index.html", b"the list").unwrap();
        s.write("customers/index.html", b"a customer").unwrap();
        let e = s.finish_writes().unwrap_err().to_string();
        assert!(
            e.contains("customers/index.html: cannot write: this build already wrote"),
            "{e}"
        );
    }

    #[test]
    fn refuses_to_replace_a_folder_it_did_not_write() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("precious.txt"), b"x").unwrap();
        let e = Staging::new(tmp.path()).err().unwrap();
        assert!(e.to_string().contains("refusing to replace"), "{e}");
    }
}

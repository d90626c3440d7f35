//! Atomic output: the new site is written into a staging folder beside the
//! target and swapped in only once complete, so a failed or interrupted
//! build leaves the previous site untouched.

use anyhow::{bail, Context, Result};
use std::fs;
use std::path::{Path, PathBuf};

/// Marks a folder as an arsite site, so that `--out` never replaces (and
/// deletes) a folder that arsite did not write.
pub const MARKER: &str = ".arsite-site";

pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    files: u64,
    bytes: u64,
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
        remove_abandoned(&parent, &name);
        let dir = parent.join(format!(".{name}.building-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir).with_context(|| format!("{}: cannot create", dir.display()))?;
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            files: 0,
            bytes: 0,
        })
    }

    /// Writes `relative` (a `/`-separated path inside the site).
    pub fn write(&mut self, relative: &str, bytes: &[u8]) -> Result<()> {
        let path = self.dir.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, bytes).with_context(|| format!("{}: cannot write", path.display()))?;
        self.files += 1;
        self.bytes += bytes.len() as u64;
        Ok(())
    }

    pub fn files(&self) -> u64 {
        self.files
    }

    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Swaps the staged site in. The old site is moved aside first and
    /// deleted only after the new one is in place.
    pub fn commit(mut self) -> Result<()> {
        self.write(
            MARKER,
            b"This folder was written by arsite and is replaced on every build.\n",
        )?;
        let parent = parent_of(&self.target);
        let name = file_name(&self.target)?;
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        let had_old = self.target.exists();
        if had_old {
            fs::rename(&self.target, &old).with_context(|| {
                format!(
                    "{}: cannot move the previous site aside",
                    self.target.display()
                )
            })?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(e).with_context(|| {
                format!(
                    "{}: cannot put the new site in place",
                    self.target.display()
                )
            });
        }
        if had_old {
            fs::remove_dir_all(&old)
                .with_context(|| format!("{}: cannot remove the previous site", old.display()))?;
        }
        // Nothing left to clean up in Drop.
        self.dir = PathBuf::new();
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.dir.as_os_str().is_empty() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Staging (and set-aside) folders of builds that were killed: their
/// process no longer exists. Folders of a build still running are left.
fn remove_abandoned(parent: &Path, name: &str) {
    // Liveness is read from /proc; without it, leave everything alone.
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(file) = file.to_str() else { continue };
        let pid = file
            .strip_prefix(&format!(".{name}.building-"))
            .or_else(|| file.strip_prefix(&format!(".{name}.old-")));
        if let Some(pid) = pid.and_then(|p| p.parse::<u32>().ok()) {
            if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
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
        let mut s = Staging::new(&out).unwrap();
        s.write("index.html", b"one").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"one");

        let mut s = Staging::new(&out).unwrap();
        s.write("index.html", b"two").unwrap();
        drop(s); // a build that failed half-way
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"one");

        let mut s = Staging::new(&out).unwrap();
        s.write("other.html", b"three").unwrap();
        s.commit().unwrap();
        assert!(!out.join("index.html").exists());
        let leftovers: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folders are cleaned up");
    }

    #[test]
    fn refuses_to_replace_a_folder_it_did_not_write() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("precious.txt"), b"x").unwrap();
        let e = Staging::new(tmp.path()).err().unwrap();
        assert!(e.to_string().contains("refusing to replace"), "{e}");
    }
}

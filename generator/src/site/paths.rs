//! The output folder is replaced wholesale by every build, so nothing the
//! build reads may live inside it: a data folder (or one of its files,
//! through a symbolic link) or a templates folder there would be deleted
//! with the previous site. Checked before anything is read or written.

use crate::import::InputError;
use anyhow::Result;
use std::path::{Path, PathBuf};

/// Refuses (exit 78), before anything is read, an `--out` that a build
/// could not replace: a symbolic link (the swap renames the new site into
/// place, which would put a folder where the link was and leave the folder
/// it points to stale; a dangling one would fail only after the whole
/// build), or a file. The folder a link points to is named, to be given
/// instead.
pub fn check_output(out: &Path) -> Result<()> {
    let Ok(meta) = std::fs::symlink_metadata(out) else {
        return Ok(());
    };
    if meta.file_type().is_symlink() {
        let to = std::fs::read_link(out).unwrap_or_default();
        let message = if out.exists() {
            format!(
                "{}: --out is a symbolic link to {}; a build replaces its output folder as a \
                 whole, which would replace the link: give the folder itself (--out {})",
                out.display(),
                to.display(),
                resolve(out).display()
            )
        } else {
            format!(
                "{}: --out is a symbolic link to {}, which does not exist: give a folder instead",
                out.display(),
                to.display()
            )
        };
        return Err(InputError::Config(message).into());
    }
    if !meta.is_dir() {
        return Err(InputError::Config(format!(
            "{}: --out is a file, not a folder: expected a new or an arsite site folder",
            out.display()
        ))
        .into());
    }
    Ok(())
}

/// Refuses (exit 78) a build whose inputs lie inside `out`.
pub fn check_inputs_outside(data: &Path, templates: Option<&Path>, out: &Path) -> Result<()> {
    let out_abs = resolve(out);
    let inside = |input: &Path| resolve(input).starts_with(&out_abs);
    let refuse = |what: &str, path: &Path| -> Result<()> {
        Err(InputError::Config(format!(
            "{}: the {what} lies inside the output folder {}, which every build replaces; \
             choose an --out folder outside it",
            path.display(),
            out.display()
        ))
        .into())
    };
    if inside(data) {
        return refuse("data folder", data);
    }
    if let Some(t) = templates {
        if inside(t) {
            return refuse("templates folder", t);
        }
    }
    // A data folder's files may be links into the output folder.
    for file in input_files(data) {
        if inside(&file) {
            return refuse("input file", &file);
        }
    }
    Ok(())
}

/// What a build reads from a data folder: its own files (settings,
/// ledgers) and the files of `snapshots/`. Other folders in it are not
/// read: the output folder may itself lie inside the data folder.
fn input_files(data: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    if let Ok(entries) = std::fs::read_dir(data) {
        files.extend(entries.flatten().map(|e| e.path()).filter(|p| p.is_file()));
    }
    if let Ok(entries) = std::fs::read_dir(data.join("snapshots")) {
        files.extend(entries.flatten().map(|e| e.path()));
    }
    files
}

/// The absolute path with symbolic links resolved; for a path that does not
/// exist yet, its nearest existing ancestor resolved and the rest appended.
fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for part in rest.iter().rev() {
                if part == ".." {
                    out.pop();
                } else if part != "." {
                    out.push(part);
                }
            }
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_inside_the_output_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir_all(site.join("data")).unwrap();
        let err = check_inputs_outside(&site.join("data"), None, &site).unwrap_err();
        assert!(err
            .to_string()
            .contains("data folder lies inside the output folder"));
        assert_eq!(crate::import::exit_code(&err), 78);
        // The same folder spelled with `..` and a trailing `.`.
        std::fs::create_dir_all(tmp.path().join("x")).unwrap();
        let odd = tmp.path().join("x/../site/./data");
        assert!(check_inputs_outside(&odd, None, &site).is_err());
        // The output folder itself as the data folder.
        assert!(check_inputs_outside(&site, None, &site).is_err());
        // Templates inside the output.
        let data = tmp.path().join("data");
        std::fs::create_dir_all(data.join("snapshots")).unwrap();
        assert!(check_inputs_outside(&data, Some(&site.join("t")), &site).is_err());
        // Beside each other is fine, and so is an output inside the data folder.
        check_inputs_outside(&data, Some(&tmp.path().join("tpl")), &site).unwrap();
        check_inputs_outside(&data, None, &data.join("public")).unwrap();
        // Also once that output holds files (serve --watch's usual layout).
        std::fs::create_dir_all(data.join("public/2026-01-31")).unwrap();
        std::fs::write(data.join("public/.arsite-inputs.json"), "{}").unwrap();
        std::fs::write(data.join("public/2026-01-31/x.csv"), "x").unwrap();
        check_inputs_outside(&data, None, &data.join("public")).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_input_file_inside_the_output_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir_all(&site).unwrap();
        std::fs::write(site.join("2026-01-31.csv"), "x").unwrap();
        let data = tmp.path().join("data");
        std::fs::create_dir_all(data.join("snapshots")).unwrap();
        std::os::unix::fs::symlink(
            site.join("2026-01-31.csv"),
            data.join("snapshots/2026-01-31.csv"),
        )
        .unwrap();
        let err = check_inputs_outside(&data, None, &site).unwrap_err();
        assert!(err.to_string().contains("input file"), "{err}");
        // A link to the output folder itself as --out: resolved first.
        let link = tmp.path().join("out-link");
        std::os::unix::fs::symlink(&data, &link).unwrap();
        assert!(check_inputs_outside(&data, None, &link).is_err());
    }
}

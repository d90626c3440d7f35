//! Static assets compiled into the binary: the stylesheet, the dashboard's
//! boot script and the dashboard bundle built by `cargo xtask dashboard`.
//! The stylesheet and boot script can be read from a `static` folder at run
//! time instead (`arsite serve --watch --templates site`); the dashboard
//! bundle always comes from the binary.

use super::output::Staging;
use anyhow::{Context, Result};
use std::path::Path;

/// (path in the site, file name in `site/static`, compiled-in bytes)
const STATIC: [(&str, &str, &[u8]); 2] = [
    (
        "assets/style.css",
        "style.css",
        include_bytes!("../../../site/static/style.css"),
    ),
    (
        "assets/boot.js",
        "boot.js",
        include_bytes!("../../../site/static/boot.js"),
    ),
];

include!(concat!(env!("OUT_DIR"), "/dashboard_bundle.rs"));

/// Whether this binary carries the dashboard (see build.rs).
pub fn has_dashboard() -> bool {
    DASHBOARD_BUNDLE.is_some()
}

/// Writes the assets; with `dir`, the stylesheet and boot script are the
/// files of the same names in `dir`.
pub fn write(staging: &mut Staging, dir: Option<&Path>) -> Result<()> {
    for (path, file, compiled) in STATIC {
        match dir {
            None => staging.write(path, compiled)?,
            Some(dir) => {
                let source = dir.join(file);
                let bytes = std::fs::read(&source)
                    .with_context(|| format!("{}: cannot read", source.display()))?;
                staging.write(path, bytes)?;
            }
        }
    }
    if let Some(files) = DASHBOARD_BUNDLE {
        for (name, bytes) in files {
            staging.write(&format!("assets/{name}"), bytes)?;
        }
    }
    Ok(())
}

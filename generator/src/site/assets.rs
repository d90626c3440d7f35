//! Static assets compiled into the binary: the stylesheet, the dashboard's
//! boot script and the dashboard bundle built by `cargo xtask dashboard`.

use super::output::Staging;
use anyhow::Result;

const STATIC: [(&str, &[u8]); 2] = [
    (
        "assets/style.css",
        include_bytes!("../../../site/static/style.css"),
    ),
    (
        "assets/boot.js",
        include_bytes!("../../../site/static/boot.js"),
    ),
];

include!(concat!(env!("OUT_DIR"), "/dashboard_bundle.rs"));

/// Whether this binary carries the dashboard (see build.rs).
pub fn has_dashboard() -> bool {
    DASHBOARD_BUNDLE.is_some()
}

pub fn write(staging: &mut Staging) -> Result<()> {
    for (path, bytes) in STATIC {
        staging.write(path, bytes)?;
    }
    if let Some(files) = DASHBOARD_BUNDLE {
        for (name, bytes) in files {
            staging.write(&format!("assets/{name}"), bytes)?;
        }
    }
    Ok(())
}

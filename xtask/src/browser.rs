//! Chromium and chromedriver for the browser tests (Debian's packages).

use anyhow::Result;
use std::path::Path;

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub fn ensure_chromium() -> Result<()> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    crate::run::apt_install(&["chromium", "chromium-driver"], "the browser tests")
}

//! Embeds the dashboard bundle (written by `cargo xtask dashboard` into
//! `generator/dashboard-bundle/`) so that `arsite` is one self-contained
//! binary. Without a bundle the binary still builds (unit tests, clippy) and
//! says at run time that it carries no dashboard.

use std::path::Path;

const FILES: [&str; 2] = ["dashboard.js", "dashboard-wasm.js"];

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("dashboard-bundle");
    println!("cargo:rerun-if-changed={}", dir.display());
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("dashboard_bundle.rs");
    let complete = FILES.iter().all(|f| dir.join(f).is_file());
    let code = if complete {
        let entries: Vec<String> = FILES
            .iter()
            .map(|f| {
                format!(
                    "({f:?}, include_bytes!({:?}) as &[u8])",
                    dir.join(f).display().to_string()
                )
            })
            .collect();
        format!(
            "pub const DASHBOARD_BUNDLE: Option<[(&str, &[u8]); {}]> = Some([{}]);\n",
            FILES.len(),
            entries.join(", ")
        )
    } else {
        format!(
            "pub const DASHBOARD_BUNDLE: Option<[(&str, &[u8]); {}]> = None;\n",
            FILES.len()
        )
    };
    std::fs::write(out, code).unwrap();
}

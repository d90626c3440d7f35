//! `arsite serve`: a static file server for a built site, on loopback only;
//! with `--watch`, it also rebuilds the site on changes (`watch`) and makes
//! open pages reload (`live`). Only requests naming this server's own
//! loopback address get content, and only files of the site, never hidden
//! ones (`guard`); timeouts and a connection cap keep idle clients from
//! locking real ones out (`conn`).

pub mod conn;
pub mod guard;
pub mod live;
pub mod watch;

use crate::import::InputError;
use crate::site::output::MARKER;
use anyhow::{Context, Result};
use std::net::SocketAddr;
use std::path::Path;
use tower_http::services::ServeDir;

/// Binds `127.0.0.1:port` (0 picks a free port) and serves `site` until the
/// returned future is dropped. Returns the bound address first, so callers
/// (tests) can use port 0.
pub async fn bind(
    site: &Path,
    port: u16,
) -> Result<(SocketAddr, impl std::future::Future<Output = Result<()>>)> {
    bind_with(site, port, None).await
}

/// As [`bind`]; with `live`, pages are served with the reload script and
/// the reload events are served too.
pub async fn bind_with(
    site: &Path,
    port: u16,
    live: Option<live::LiveReload>,
) -> Result<(SocketAddr, impl std::future::Future<Output = Result<()>>)> {
    check_site(site, live.is_some())?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .with_context(|| format!("cannot listen on 127.0.0.1:{port}"))?;
    let addr = listener.local_addr()?;
    // ServeDir resolves paths per request, so it follows the folder that
    // each rebuild swaps in.
    let files = ServeDir::new(site).append_index_html_on_directories(true);
    let app = match live {
        None => axum::Router::new().fallback_service(files),
        Some(live) => live
            .routes()
            .fallback_service(files)
            .layer(axum::middleware::from_fn(live::inject_into_html)),
    };
    // The last layer runs first: the Host is checked before anything else.
    let guard = guard::Guard::new(site, addr.port());
    let app = app
        .layer(axum::middleware::from_fn_with_state(
            guard.clone(),
            guard::only_site_files,
        ))
        .layer(axum::middleware::from_fn_with_state(
            guard,
            guard::only_own_host,
        ));
    Ok((addr, conn::run(listener, app)))
}

/// Refuses a folder that arsite did not build: serving a home folder or `/`
/// by mistake would publish it. `watching`: the folder is built by the
/// watch, so it may also not exist yet or be empty (the build writes into
/// an empty folder) when the first build failed.
pub fn check_site(site: &Path, watching: bool) -> Result<()> {
    let shown = site.display();
    let refuse = |message: String| Err(InputError::Config(message).into());
    match std::fs::metadata(site) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if watching {
                return Ok(());
            }
            Err(InputError::Missing(format!(
                "{shown}: no such folder; build a site into it first (arsite build DATA_DIR --out {shown})"
            ))
            .into())
        }
        Err(e) => refuse(format!("{shown}: cannot read: {e}")),
        Ok(meta) if !meta.is_dir() => refuse(format!("{shown}: not a folder")),
        Ok(_) if site.join(MARKER).is_file() => Ok(()),
        Ok(_) if watching && is_empty(site) => Ok(()),
        Ok(_) => refuse(format!(
            "{shown}: not an arsite site (no {MARKER} in it); refusing to serve it"
        )),
    }
}

fn is_empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

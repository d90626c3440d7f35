//! `arsite serve`: a static file server for a built site, on loopback only;
//! with `--watch`, it also rebuilds the site on changes (`watch`) and makes
//! open pages reload (`live`).

pub mod live;
pub mod watch;

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
    let server = async move {
        axum::serve(listener, app)
            .await
            .context("HTTP server failed")
    };
    Ok((addr, server))
}

//! `arsite serve`: a static file server for a built site, on loopback only.

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
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .with_context(|| format!("cannot listen on 127.0.0.1:{port}"))?;
    let addr = listener.local_addr()?;
    let app = axum::Router::new()
        .fallback_service(ServeDir::new(site).append_index_html_on_directories(true));
    let server = async move {
        axum::serve(listener, app)
            .await
            .context("HTTP server failed")
    };
    Ok((addr, server))
}

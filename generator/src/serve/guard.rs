//! What `arsite serve` refuses before a request reaches the files:
//!
//! - a `Host` (or absolute request URI) other than the loopback names with
//!   the bound port: 421 and no content. The server listens on 127.0.0.1
//!   only, but a web page whose name an attacker re-points at 127.0.0.1
//!   (DNS rebinding) would otherwise read the site as its own origin;
//! - a path with a segment starting with `.`: 404. The build's records
//!   (`.arsite-site`, `.arsite-inputs.json`, `.arsite-snapshot.json`) and
//!   anything hidden a user put in the folder stay private;
//! - a path that, with symbolic links resolved, leaves the site folder or
//!   lands on a hidden file: 404.
//!
//! The folder is resolved again on every request: each rebuild swaps in a
//! new one, and the site may itself be a link (to the current release).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// What the guards need to know; shared by every request.
#[derive(Debug)]
pub struct Guard {
    site: PathBuf,
    port: u16,
}

impl Guard {
    pub fn new(site: &Path, port: u16) -> Arc<Guard> {
        Arc::new(Guard {
            site: site.to_path_buf(),
            port,
        })
    }

    /// `host` (a `Host` header or a URI's authority) names this server:
    /// `127.0.0.1`, `localhost` or `[::1]` with the bound port. Without a
    /// port a Host means port 80, so it is accepted only when bound there.
    pub fn is_own_host(&self, host: &str) -> bool {
        let (name, port) = match host.rsplit_once(':') {
            // `[::1]` alone has colons but no port after its bracket.
            Some((name, port)) if !port.ends_with(']') => {
                // Digits only: `parse` would also take `+8000`.
                let digits = !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit());
                (name, port.parse::<u16>().ok().filter(|_| digits))
            }
            _ => (host, Some(80)),
        };
        port == Some(self.port)
            && ["127.0.0.1", "localhost", "[::1]"]
                .iter()
                .any(|n| name.eq_ignore_ascii_case(n))
    }

    fn request_is_for_us(&self, request: &Request) -> bool {
        let mut hosts = request.headers().get_all(header::HOST).iter();
        let host_ok = match (hosts.next(), hosts.next()) {
            (Some(host), None) => host.to_str().is_ok_and(|h| self.is_own_host(h)),
            // None (HTTP/1.0 without Host), or two of them.
            _ => false,
        };
        // An absolute-form URI (`GET http://name/…`) names the host too.
        let authority_ok = request
            .uri()
            .authority()
            .is_none_or(|a| self.is_own_host(a.as_str()));
        host_ok && authority_ok
    }
}

/// Middleware: refuses requests for another host (see the module comment).
pub async fn only_own_host(
    State(guard): State<Arc<Guard>>,
    request: Request,
    next: Next,
) -> Response {
    if !guard.request_is_for_us(&request) {
        let port = guard.port;
        return (
            StatusCode::MISDIRECTED_REQUEST,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!(
                "arsite serves only http://127.0.0.1:{port}/ and http://localhost:{port}/ \
                 (this request names another host)\n"
            ),
        )
            .into_response();
    }
    next.run(request).await
}

/// Middleware: 404 for hidden paths and for links out of the site.
pub async fn only_site_files(
    State(guard): State<Arc<Guard>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(segments) = segments(request.uri()) else {
        return not_found();
    };
    let site = guard.site.clone();
    // A few file-system calls; kept off the async threads all the same.
    let allowed = tokio::task::spawn_blocking(move || stays_inside(&site, &segments))
        .await
        .unwrap_or(false);
    if !allowed {
        return not_found();
    }
    next.run(request).await
}

/// The request path's segments, decoded as the file service decodes them;
/// `None` when one is hidden (`.x`, and so also `.` and `..`) or the path
/// is not UTF-8 (which the file service would refuse as well).
fn segments(uri: &Uri) -> Option<Vec<String>> {
    let decoded = percent_decode_str(uri.path()).decode_utf8().ok()?;
    let segments: Vec<String> = decoded
        .split(['/', '\\'])
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if segments.iter().any(|s| s.starts_with('.')) {
        return None;
    }
    Some(segments)
}

/// Whether `site/segments…`, with every link resolved, is still inside the
/// (resolved) site folder and not hidden. A path that does not exist is
/// allowed: the file service answers it with 404 (and the live-reload
/// routes live there).
fn stays_inside(site: &Path, segments: &[String]) -> bool {
    let Ok(root) = site.canonicalize() else {
        return true;
    };
    let path = segments.iter().fold(site.to_path_buf(), |p, s| p.join(s));
    let Ok(target) = path.canonicalize() else {
        return true;
    };
    if !is_visible_below(&root, &target) {
        return false;
    }
    // A folder is answered with its index.html, which may be a link too.
    if target.is_dir() {
        if let Ok(index) = target.join("index.html").canonicalize() {
            return is_visible_below(&root, &index);
        }
    }
    true
}

fn is_visible_below(root: &Path, path: &Path) -> bool {
    match path.strip_prefix(root) {
        Ok(relative) => relative.components().all(|c| match c {
            Component::Normal(name) => !name.to_string_lossy().starts_with('.'),
            _ => false,
        }),
        Err(_) => false,
    }
}

fn not_found() -> Response {
    Response::builder()
        .status(StatusCode::NOT_FOUND)
        .body(Body::empty())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_host_names_need_the_bound_port() {
        let g = Guard::new(Path::new("."), 8000);
        for yes in [
            "127.0.0.1:8000",
            "localhost:8000",
            "LOCALHOST:8000",
            "[::1]:8000",
        ] {
            assert!(g.is_own_host(yes), "{yes}");
        }
        for no in [
            "127.0.0.1",
            "localhost",
            "[::1]",
            "127.0.0.1:8001",
            "127.0.0.1:80",
            "evil.test:8000",
            "localhost.evil.test:8000",
            "127.0.0.2:8000",
            "0.0.0.0:8000",
            "[::1]:8000:8000",
            "127.0.0.1:+8000",
            "",
            ":8000",
        ] {
            assert!(!g.is_own_host(no), "{no}");
        }
        // Port 80: a Host without a port means exactly that.
        let g80 = Guard::new(Path::new("."), 80);
        for yes in ["127.0.0.1", "localhost", "[::1]", "localhost:80"] {
            assert!(g80.is_own_host(yes), "{yes}");
        }
        assert!(!g80.is_own_host("evil.test"));
    }

    #[test]
    fn hidden_segments_are_refused_however_they_are_spelled() {
        let s = |p: &str| segments(&p.parse::<Uri>().unwrap());
        assert_eq!(
            s("/2026-01-31/customers/x.html"),
            Some(vec![
                "2026-01-31".into(),
                "customers".into(),
                "x.html".into()
            ])
        );
        assert_eq!(s("/"), Some(vec![]));
        for hidden in [
            "/.arsite-site",
            "/%2Earsite-site",
            "/a/%2e%2e/b",
            "/2026-01-31/.arsite-snapshot.json",
            "/./x",
            "/a%2F.git%2Fconfig",
            "/a%5C.git",
            "/%FF",
        ] {
            assert_eq!(s(hidden), None, "{hidden}");
        }
    }
}

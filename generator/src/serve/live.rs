//! Live reload for `arsite serve --watch`. The pages on disk stay exactly
//! what `arsite build` writes; only the HTML the server sends carries the
//! reload script, and the page's Content-Security-Policy is widened in the
//! response so that the script may load and open its event stream.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::stream::{self, Stream, StreamExt};
use std::convert::Infallible;
use std::sync::Arc;
use tokio::sync::watch;

pub const SCRIPT_PATH: &str = "/__arsite/reload.js";
pub const EVENTS_PATH: &str = "/__arsite/events";
/// The latest build's number and outcome as JSON, for tests and scripts
/// that need to know exactly how many builds ran (not how long to wait).
pub const STATUS_PATH: &str = "/__arsite/status";
const SCRIPT: &str = include_str!("reload.js");
const SCRIPT_TAG: &str = "<script src=\"/__arsite/reload.js\"></script>";
const CSP_META: &str = "<meta http-equiv=\"Content-Security-Policy\" content=\"";
/// Pages are a few hundred kB; the cap only guards against a stray huge
/// file named `.html` being held in memory.
const MAX_HTML: usize = 256 << 20;

/// The outcome of the latest build, shared with every open page.
#[derive(Clone, Debug, Default)]
struct Latest {
    /// Counts builds, so that two successes in a row are still a change.
    /// Also each event's `id:` and the status's `build`.
    generation: u64,
    /// How many changed files the latest build was for (`None`: the first).
    changed: Option<usize>,
    error: Option<String>,
}

/// Tells open pages about rebuilds. Cheap to clone.
#[derive(Clone)]
pub struct LiveReload {
    latest: Arc<watch::Sender<Latest>>,
}

impl Default for LiveReload {
    fn default() -> Self {
        LiveReload {
            latest: Arc::new(watch::Sender::new(Latest::default())),
        }
    }
}

impl LiveReload {
    pub fn new() -> LiveReload {
        LiveReload::default()
    }

    /// A build (for `changed` files; `None`: the first) succeeded: open
    /// pages reload.
    pub fn built(&self, changed: Option<usize>) {
        self.latest.send_modify(|l| {
            l.generation += 1;
            l.changed = changed;
            l.error = None;
        });
    }

    /// A build failed: open pages show `message` and keep what they show.
    pub fn failed(&self, changed: Option<usize>, message: String) {
        self.latest.send_modify(|l| {
            l.generation += 1;
            l.changed = changed;
            l.error = Some(message);
        });
    }

    /// The script and event-stream routes.
    pub fn routes(&self) -> Router {
        let live = self.clone();
        let status_live = self.clone();
        Router::new()
            .route(
                SCRIPT_PATH,
                get(|| async {
                    (
                        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                        SCRIPT,
                    )
                }),
            )
            .route(EVENTS_PATH, get(move || events(live.clone())))
            .route(STATUS_PATH, get(move || status(status_live.clone())))
    }
}

async fn events(live: LiveReload) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Subscribing here, before the response's headers go out, means that a
    // client that has read the headers will see every later build.
    let mut rx = live.latest.subscribe();
    // A page opened while the latest build is failing shows why at once.
    let current = {
        let l = rx.borrow_and_update();
        l.error
            .clone()
            .map(|e| error_event(e).id(l.generation.to_string()))
    };
    let later = stream::unfold(rx, |mut rx| async move {
        rx.changed().await.ok()?;
        let l = rx.borrow_and_update();
        let event = match &l.error {
            Some(message) => error_event(message.clone()),
            None => Event::default().event("reload").data("reload"),
        };
        // Builds can follow each other faster than a client reads: the id
        // (the build number) shows when one was folded into the next.
        let event = event.id(l.generation.to_string());
        drop(l);
        Some((event, rx))
    });
    Sse::new(stream::iter(current).chain(later).map(Ok)).keep_alive(KeepAlive::default())
}

/// `{"build": N, "changed": C, "ok": true}`: the latest build's number
/// (1 is the first), how many changed files it was for (`null` for the
/// first) and whether it succeeded.
async fn status(live: LiveReload) -> impl IntoResponse {
    let l = live.latest.borrow().clone();
    let body = serde_json::json!({
        "build": l.generation,
        "changed": l.changed,
        "ok": l.error.is_none(),
    });
    (
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
}

fn error_event(message: String) -> Event {
    Event::default().event("error").data(message)
}

/// Middleware for watch mode: no caching (a rebuild may land within the
/// second of a `Last-Modified` date, and a 304 would show a stale page), and
/// the reload script in every HTML page.
pub async fn inject_into_html(mut request: Request, next: Next) -> Response {
    let headers = request.headers_mut();
    headers.remove(header::IF_MODIFIED_SINCE);
    headers.remove(header::IF_UNMODIFIED_SINCE);
    headers.remove(header::IF_NONE_MATCH);
    // A HEAD response has no body to add to.
    let is_get = request.method() == axum::http::Method::GET;
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    // Range responses (206) are left alone: a slice of a page cannot be edited.
    if !is_get || response.status() != StatusCode::OK || !is_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_HTML).await {
        Ok(b) => b,
        Err(e) => {
            return (StatusCode::INTERNAL_SERVER_ERROR, format!("arsite: {e}")).into_response()
        }
    };
    let body = match std::str::from_utf8(&bytes) {
        Ok(html) => Body::from(inject(html)),
        Err(_) => Body::from(bytes),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    // Byte ranges would be counted in the file on disk, not in this body.
    parts.headers.remove(header::ACCEPT_RANGES);
    Response::from_parts(parts, body)
}

/// The page with the reload script before `</body>` and its CSP meta tag(s)
/// widened to let that script run and connect.
pub fn inject(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + SCRIPT_TAG.len() + 64);
    let mut rest = html;
    while let Some(at) = rest.find(CSP_META) {
        let start = at + CSP_META.len();
        let Some(len) = rest[start..].find('"') else {
            break;
        };
        out.push_str(&rest[..start]);
        out.push_str(&widen_csp(&rest[start..start + len]));
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    match out.rfind("</body>") {
        Some(at) => out.insert_str(at, SCRIPT_TAG),
        None => out.push_str(SCRIPT_TAG),
    }
    out
}

/// `policy` with `'self'` allowed for scripts and connections and nothing
/// else changed. A directive that is missing falls back to `default-src`
/// in the browser, so it is added as `default-src`'s sources plus `'self'`,
/// which loosens nothing beyond `'self'`.
fn widen_csp(policy: &str) -> String {
    let mut directives: Vec<(String, Vec<String>)> = policy
        .split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            let mut words = d.split_ascii_whitespace().map(str::to_owned);
            let name = words.next().unwrap_or_default();
            (name, words.collect())
        })
        .collect();
    let default_sources = directives
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("default-src"))
        .map(|(_, s)| s.clone());
    for wanted in ["script-src", "connect-src"] {
        let at = match directives
            .iter()
            .position(|(n, _)| n.eq_ignore_ascii_case(wanted))
        {
            Some(at) => at,
            None => {
                let Some(sources) = default_sources.clone() else {
                    // No default-src: scripts and connections are not restricted.
                    continue;
                };
                directives.push((wanted.to_owned(), sources));
                directives.len() - 1
            }
        };
        let sources = &mut directives[at].1;
        if !sources.iter().any(|s| s == "'self'") {
            // 'none' only means something alone.
            sources.retain(|s| !s.eq_ignore_ascii_case("'none'"));
            sources.push("'self'".to_owned());
        }
    }
    directives
        .iter()
        .map(|(n, s)| {
            std::iter::once(n.as_str())
                .chain(s.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::render::Renderer;

    const BASE: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'";

    #[test]
    fn a_policy_that_already_allows_self_is_kept_as_it_is() {
        assert_eq!(widen_csp(BASE), BASE);
    }

    #[test]
    fn missing_directives_get_self_and_none_gives_way() {
        assert_eq!(
            widen_csp("default-src 'none'; base-uri 'none'"),
            "default-src 'none'; base-uri 'none'; script-src 'self'; connect-src 'self'"
        );
        assert_eq!(
            widen_csp("default-src 'none'; script-src 'none'; connect-src https://x.test"),
            "default-src 'none'; script-src 'self'; connect-src https://x.test 'self'"
        );
        // Inheriting from default-src keeps what it allowed.
        assert_eq!(
            widen_csp("default-src https://cdn.test"),
            "default-src https://cdn.test; script-src https://cdn.test 'self'; connect-src https://cdn.test 'self'"
        );
        assert_eq!(widen_csp("img-src 'self'"), "img-src 'self'");
    }

    #[test]
    fn the_script_goes_before_the_last_body_end_tag() {
        let html = "<html><body><pre>&lt;/body&gt;</pre></body>\n</html>\n";
        assert_eq!(
            inject(html),
            "<html><body><pre>&lt;/body&gt;</pre><script src=\"/__arsite/reload.js\"></script></body>\n</html>\n"
        );
        assert_eq!(inject("<p>x"), format!("<p>x{SCRIPT_TAG}"));
    }

    /// The rewrite runs on the real templates' output, so a change to their
    /// CSP meta tag that the precise match would miss fails here.
    #[test]
    fn every_template_s_policy_ends_up_allowing_the_script_and_its_events() {
        let r = Renderer::new(None).unwrap();
        let ctx = minijinja::context! {
            site_title => "T", root => "", currency => "EUR", as_of => "2026-01-31",
            target => "../2026-01-31/index.html",
            // The rest of what the three templates read (they are strict).
            snapshots => Vec::<()>::new(), latest => (), nav => Vec::<()>::new(), snap => "",
            page => "", previous => (), freshness => "", page_path => (),
            tiles => Vec::<()>::new(), tables => Vec::<()>::new(), notes => Vec::<()>::new(), link_base => (),
        };
        for template in ["index.html", "redirect.html", "email.html"] {
            let page = r.render(template, &ctx).unwrap();
            assert_eq!(page.matches(CSP_META).count(), 1, "{template}");
            let served = inject(&page);
            let policy = served
                .split(CSP_META)
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap();
            for d in ["script-src", "connect-src"] {
                let sources = policy
                    .split(';')
                    .map(str::trim)
                    .find_map(|x| x.strip_prefix(d))
                    .unwrap_or_else(|| panic!("{template}: no {d} in {policy}"));
                assert!(sources.contains("'self'"), "{template}: {policy}");
                assert!(!sources.contains("'none'"), "{template}: {policy}");
            }
            assert!(
                served.contains(&format!("{SCRIPT_TAG}</body>")),
                "{template}"
            );
            assert_eq!(served.matches(SCRIPT_TAG).count(), 1);
            // Only the CSP value and the script tag differ.
            let original_policy = page
                .split(CSP_META)
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            assert_eq!(
                served
                    .replace(SCRIPT_TAG, "")
                    .replace(policy, original_policy),
                page,
                "{template}"
            );
        }
    }
}

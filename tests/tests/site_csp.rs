//! Every page of the site carries the Content-Security-Policy meant for its
//! kind, exactly: the directive set is compared whole, so a page that
//! gains `'unsafe-inline'`, loses `default-src 'none'` or gets any source
//! it was not meant to have fails here. The policy's `<meta>` sits in
//! `<head>` before every script and before every element that loads
//! anything (a policy set by `<meta>` only governs what comes after it).

use arsite_e2e::sample_site;
use scraper::{node::Node, Html};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

type Policy = BTreeMap<String, BTreeSet<String>>;

fn policy(directives: &[(&str, &[&str])]) -> Policy {
    directives
        .iter()
        .map(|(name, sources)| {
            (
                name.to_string(),
                sources.iter().map(|s| s.to_string()).collect(),
            )
        })
        .collect()
}

/// Report pages, the archive and the dashboard (all from `base.html`):
/// nothing by default; the site's own scripts (the filter bar and the
/// dashboard are wasm, compiled in the page: `'wasm-unsafe-eval'`, never
/// `'unsafe-eval'`), stylesheet and fonts; images from the site or inline
/// `data:` (the stylesheet's icons); no `<base>`, no form submission. No
/// `'unsafe-inline'` anywhere: no inline script, handler or style runs.
fn site_page() -> Policy {
    policy(&[
        ("default-src", &["'none'"]),
        ("script-src", &["'self'", "'wasm-unsafe-eval'"]),
        ("style-src", &["'self'"]),
        ("img-src", &["'self'", "data:"]),
        ("font-src", &["'self'"]),
        ("connect-src", &["'self'"]),
        ("base-uri", &["'none'"]),
        ("form-action", &["'none'"]),
    ])
}

/// The e-mail summary is pasted into a mail, so it is self-contained:
/// inline styles only, no script, nothing loaded.
fn email_page() -> Policy {
    policy(&[
        ("default-src", &["'none'"]),
        ("style-src", &["'unsafe-inline'"]),
        ("base-uri", &["'none'"]),
        ("form-action", &["'none'"]),
    ])
}

/// `latest/index.html` only redirects: it loads nothing at all.
fn redirect_page() -> Policy {
    policy(&[("default-src", &["'none'"]), ("base-uri", &["'none'"])])
}

/// The kind of page at `rel` (path in the site) and its policy.
fn expected(rel: &str) -> (&'static str, Policy) {
    let parts: Vec<&str> = rel.split('/').collect();
    match parts.as_slice() {
        ["latest", "index.html"] => ("redirect", redirect_page()),
        [_, "email.html"] => ("email summary", email_page()),
        [_, "dashboard.html"] => ("dashboard", site_page()),
        ["index.html"] => ("archive", site_page()),
        _ => ("report page", site_page()),
    }
}

/// Parses a policy the way browsers split it: directives by `;`, names
/// case-insensitively, sources by whitespace. A repeated directive is an
/// error (browsers ignore all but the first, silently).
fn parse(text: &str) -> Result<Policy, String> {
    let mut out = Policy::new();
    for directive in text.split(';') {
        let mut words = directive.split_ascii_whitespace();
        let Some(name) = words.next() else { continue };
        let name = name.to_ascii_lowercase();
        if out.contains_key(&name) {
            return Err(format!("{name} given twice"));
        }
        out.insert(name, words.map(str::to_string).collect());
    }
    Ok(out)
}

/// Elements that make the browser fetch (or run) something.
fn loads(name: &str, el: &scraper::node::Element) -> bool {
    match name {
        "script" | "img" | "iframe" | "object" | "embed" | "audio" | "video" | "source"
        | "track" | "style" | "frame" | "image" => true,
        "link" => el.attr("href").is_some(),
        "input" => el
            .attr("type")
            .is_some_and(|t| t.eq_ignore_ascii_case("image")),
        _ => false,
    }
}

/// Checks one page: one policy `<meta>` in `<head>` before anything that
/// loads; returns its policy.
fn page_policy(html: &str) -> Result<Policy, String> {
    let doc = Html::parse_document(html);
    let mut found: Option<Policy> = None;
    for node in doc.tree.root().descendants() {
        let Node::Element(el) = node.value() else {
            continue;
        };
        let name = el.name();
        let is_csp = name == "meta"
            && el
                .attr("http-equiv")
                .is_some_and(|h| h.eq_ignore_ascii_case("content-security-policy"));
        if is_csp {
            if found.is_some() {
                return Err("a second policy <meta>".into());
            }
            let in_head = node
                .parent()
                .and_then(|p| p.value().as_element().map(|e| e.name() == "head"))
                .unwrap_or(false);
            if !in_head {
                return Err("the policy <meta> is not in <head>, where browsers read it".into());
            }
            let content = el
                .attr("content")
                .ok_or("a policy <meta> without content")?;
            found = Some(parse(content)?);
        } else if found.is_none() && loads(name, el) {
            return Err(format!("<{name}> comes before the policy <meta>: {el:?}"));
        }
    }
    found.ok_or_else(|| "no policy <meta>".into())
}

fn html_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "html") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_page_carries_exactly_the_policy_of_its_kind_before_anything_loads() {
    let site = sample_site();
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for page in html_files(site) {
        let rel = page
            .strip_prefix(site)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let html = fs::read_to_string(&page).unwrap();
        let (kind, want) = expected(&rel);
        let got = page_policy(&html).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(got, want, "{rel} ({kind}): the Content-Security-Policy");
        *kinds.entry(kind).or_default() += 1;
    }
    // Every kind was seen (the sample has twelve snapshots).
    assert_eq!(kinds.get("archive"), Some(&1), "{kinds:?}");
    assert_eq!(kinds.get("redirect"), Some(&1), "{kinds:?}");
    assert_eq!(kinds.get("dashboard"), Some(&12), "{kinds:?}");
    assert_eq!(kinds.get("email summary"), Some(&12), "{kinds:?}");
    assert!(
        kinds.get("report page").is_some_and(|&n| n > 12 * 9),
        "{kinds:?}"
    );
}

/// The checker itself: the two mistakes the issue names, a duplicated
/// directive, and a policy placed after what it should govern.
#[test]
fn the_policy_check_catches_a_weakened_or_late_policy() {
    let page = |csp: &str, before: &str| {
        format!(
            "<!doctype html><html><head><meta charset=\"utf-8\">{before}<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\"><title>t</title></head><body><script src=\"a.js\"></script></body></html>"
        )
    };
    let good = "default-src 'none'; base-uri 'none'";
    assert_eq!(page_policy(&page(good, "")).unwrap(), redirect_page());
    let unsafe_inline = "default-src 'none'; base-uri 'none'; script-src 'unsafe-inline'";
    assert_ne!(
        page_policy(&page(unsafe_inline, "")).unwrap(),
        redirect_page()
    );
    assert_ne!(
        page_policy(&page("base-uri 'none'", "")).unwrap(),
        redirect_page()
    );
    assert_eq!(
        page_policy(&page("default-src 'none'; default-src *", "")),
        Err("default-src given twice".into())
    );
    assert!(
        page_policy(&page(good, "<link rel=\"stylesheet\" href=\"s.css\">"))
            .unwrap_err()
            .starts_with("<link> comes before the policy")
    );
    assert!(page_policy(&page(good, "<script src=\"x.js\"></script>"))
        .unwrap_err()
        .starts_with("<script> comes before the policy"));
    // Case and spacing do not matter to browsers, nor here.
    assert_eq!(
        page_policy(&page("  DEFAULT-SRC   'none' ;base-uri 'none';", "")).unwrap(),
        redirect_page()
    );
}

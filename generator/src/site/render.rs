//! HTML rendering with minijinja. Templates are compiled into the binary
//! (from `site/templates`) and parsed once per build; auto-escaping is on for
//! every `.html` template, so untrusted text (customer names, notes) is
//! escaped wherever it lands. `arsite serve --watch --templates site` reads
//! the same templates from disk instead, so a designer sees an edit without
//! rebuilding arsite.

use anyhow::{anyhow, Context, Result};
use minijinja::Environment;
use serde::Serialize;
use std::path::{Path, PathBuf};

const TEMPLATES: [(&str, &str); 6] = [
    (
        "base.html",
        include_str!("../../../site/templates/base.html"),
    ),
    (
        "index.html",
        include_str!("../../../site/templates/index.html"),
    ),
    (
        "page.html",
        include_str!("../../../site/templates/page.html"),
    ),
    (
        "email.html",
        include_str!("../../../site/templates/email.html"),
    ),
    (
        "dashboard.html",
        include_str!("../../../site/templates/dashboard.html"),
    ),
    (
        "redirect.html",
        include_str!("../../../site/templates/redirect.html"),
    ),
];

pub struct Renderer {
    env: Environment<'static>,
    /// Where the templates were read from at run time, for error positions.
    dir: Option<PathBuf>,
}

impl Renderer {
    /// The compiled-in templates, or (with `dir`) the files of the same
    /// names in `dir`; a template missing there is an error rather than a
    /// silent fall-back, so what is shown is what is on disk.
    pub fn new(dir: Option<&Path>) -> Result<Renderer> {
        let mut env = Environment::new();
        // Strict: printing, iterating, testing (`{% if x %}`) or looking into
        // a variable the context does not have is an error, so a misspelt
        // name or a context that forgot a field fails the build instead of
        // rendering as nothing. Contexts therefore pass every name their
        // template reads, absent values as none.
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        for (name, compiled) in TEMPLATES {
            match dir {
                None => env
                    .add_template(name, compiled)
                    .with_context(|| format!("template {name}"))?,
                Some(dir) => {
                    let path = dir.join(name);
                    let source = std::fs::read_to_string(&path)
                        .with_context(|| format!("{}: cannot read template", path.display()))?;
                    if let Err(e) = env.add_template_owned(name, source.clone()) {
                        return Err(located(&e, &path, Some(&source)));
                    }
                }
            }
        }
        Ok(Renderer {
            env,
            dir: dir.map(Path::to_path_buf),
        })
    }

    pub fn render<C: Serialize>(&self, template: &str, context: C) -> Result<String> {
        let rendered = self.env.get_template(template)?.render(context);
        match (&self.dir, rendered) {
            (_, Ok(html)) => Ok(html),
            (Some(dir), Err(e)) => {
                let file = dir.join(e.name().unwrap_or(template));
                Err(located(&e, &file, e.template_source()))
                    .with_context(|| format!("rendering {template}"))
            }
            (None, Err(e)) => match (undefined_name(&e, e.template_source()), e.line()) {
                (Some(name), Some(line)) => Err(anyhow!(
                    "{}: {name} (in {}:{line})",
                    e.kind(),
                    e.name().unwrap_or(template)
                )),
                _ => Err(e.into()),
            }
            .with_context(|| format!("rendering {template}")),
        }
    }
}

/// What was undefined, from the expression's span: minijinja's own message
/// ("undefined value") does not say which of a line's names it was.
fn undefined_name(e: &minijinja::Error, source: Option<&str>) -> Option<String> {
    if e.kind() != minijinja::ErrorKind::UndefinedError || e.detail().is_some() {
        return None;
    }
    let expr = source?.get(e.range()?)?.trim();
    (!expr.is_empty()).then(|| format!("`{expr}` is not defined"))
}

/// A template error as `file:line:col: error: …`, the form data problems
/// take, so that editors and terminals can jump to it.
fn located(e: &minijinja::Error, file: &Path, source: Option<&str>) -> anyhow::Error {
    let mut at = file.display().to_string();
    if let Some(line) = e.line() {
        at.push_str(&format!(":{line}"));
        let start = e.range().map(|r| r.start);
        if let (Some(source), Some(start)) = (source, start) {
            if let Some(before) = source.get(..start) {
                let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                at.push_str(&format!(":{}", before[line_start..].chars().count() + 1));
            }
        }
    }
    match (e.detail(), undefined_name(e, source)) {
        (Some(detail), _) => anyhow!("{at}: error: {}: {detail}", e.kind()),
        (None, Some(name)) => anyhow!("{at}: error: {}: {name}", e.kind()),
        (None, None) => anyhow!("{at}: error: {}", e.kind()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Everything the archive page (`index.html`) reads.
    fn archive(site_title: &str) -> minijinja::Value {
        minijinja::context! {
            site_title, root => "", currency => "EUR", as_of => (), page_path => (),
            latest => (), snapshots => Vec::<String>::new(),
        }
    }

    #[test]
    fn untrusted_text_is_escaped() {
        let r = Renderer::new(None).unwrap();
        let html = r
            .render("index.html", archive("<script>alert(1)</script>"))
            .unwrap();
        assert!(!html.contains("<script>alert(1)"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
    }

    #[test]
    fn templates_read_at_run_time_report_syntax_errors_with_their_position() {
        let tmp = tempfile::tempdir().unwrap();
        for (name, source) in TEMPLATES {
            std::fs::write(tmp.path().join(name), source).unwrap();
        }
        let r = Renderer::new(Some(tmp.path())).unwrap();
        let html = r.render("index.html", archive("T")).unwrap();
        assert!(html.contains("<title>"), "{html}");

        std::fs::write(
            tmp.path().join("page.html"),
            "<p>ok</p>\n  <p>{% if %}</p>\n",
        )
        .unwrap();
        let e = Renderer::new(Some(tmp.path())).err().unwrap().to_string();
        let at = format!("{}:2:", tmp.path().join("page.html").display());
        assert!(e.starts_with(&at), "{e}");
        assert!(e.contains(": error: syntax error"), "{e}");
    }

    /// A name the context lacks fails the render and the message says
    /// which name and where, for compiled-in templates and for templates
    /// read at run time (`serve --watch --templates`).
    #[test]
    fn an_undefined_variable_fails_to_render_naming_it_and_its_line() {
        let r = Renderer::new(None).unwrap();
        // The archive without `currency`, which base.html prints in its
        // footer (line 31).
        let ctx = minijinja::context! {
            site_title => "T", root => "", as_of => (), page_path => (),
            latest => (), snapshots => Vec::<String>::new(),
        };
        let e = format!("{:#}", r.render("index.html", &ctx).unwrap_err());
        assert_eq!(
            e,
            "rendering index.html: undefined value: `currency` is not defined (in base.html:31)"
        );

        let tmp = tempfile::tempdir().unwrap();
        for (name, source) in TEMPLATES {
            std::fs::write(tmp.path().join(name), source).unwrap();
        }
        // A misspelt name in a test (`{% if %}`) fails too: strict mode
        // does not read an undefined value as false.
        std::fs::write(
            tmp.path().join("redirect.html"),
            "<p>{{ as_of }}</p>\n<p>{% if taget %}x{% endif %}</p>\n",
        )
        .unwrap();
        let r = Renderer::new(Some(tmp.path())).unwrap();
        let e = format!(
            "{:#}",
            r.render(
                "redirect.html",
                minijinja::context! { as_of => "2026-01-31" }
            )
            .unwrap_err()
        );
        let file = tmp.path().join("redirect.html");
        assert_eq!(
            e,
            format!(
                "rendering redirect.html: {}:2:10: error: undefined value: `taget` is not defined",
                file.display()
            )
        );
    }
}

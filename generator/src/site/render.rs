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
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
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
            (None, Err(e)) => Err(e).with_context(|| format!("rendering {template}")),
        }
    }
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
    match e.detail() {
        Some(detail) => anyhow!("{at}: error: {}: {detail}", e.kind()),
        None => anyhow!("{at}: error: {}", e.kind()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untrusted_text_is_escaped() {
        let r = Renderer::new(None).unwrap();
        let html = r
            .render(
                "index.html",
                minijinja::context! {
                    site_title => "<script>alert(1)</script>",
                    root => "",
                    snapshots => Vec::<String>::new(),
                    currency => "EUR",
                },
            )
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
        let html = r
            .render(
                "index.html",
                minijinja::context! { site_title => "T", root => "", currency => "EUR" },
            )
            .unwrap();
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
}

//! HTML rendering with minijinja. Templates are compiled into the binary
//! (from `site/templates`) and parsed once per build; auto-escaping is on for
//! every `.html` template, so untrusted text (customer names, notes) is
//! escaped wherever it lands.

use anyhow::{Context, Result};
use minijinja::Environment;
use serde::Serialize;

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
}

impl Renderer {
    pub fn new() -> Result<Renderer> {
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .with_context(|| format!("template {name}"))?;
        }
        Ok(Renderer { env })
    }

    pub fn render<C: Serialize>(&self, template: &str, context: C) -> Result<String> {
        self.env
            .get_template(template)?
            .render(context)
            .with_context(|| format!("rendering {template}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untrusted_text_is_escaped() {
        let r = Renderer::new().unwrap();
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
}

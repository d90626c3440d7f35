//! `arsite.toml`: the site's settings.

use anyhow::{bail, Context, Result};
use arsite_core::{AgingScheme, Currency};
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    currency: String,
    #[serde(default)]
    aging: RawAging,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAging {
    /// Inclusive upper bounds of the past-due buckets in days.
    edges: Option<Vec<i32>>,
}

/// Validated settings.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub currency: Currency,
    pub aging: AgingScheme,
}

pub const FILE_NAME: &str = "arsite.toml";

impl Config {
    pub fn load(data_dir: &Path) -> Result<Config> {
        let path = data_dir.join(FILE_NAME);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("{}: cannot read the site settings", path.display()))?;
        Config::parse(&text).with_context(|| format!("{}: invalid settings", path.display()))
    }

    pub fn parse(text: &str) -> Result<Config> {
        let raw: RawConfig = toml::from_str(text)?;
        let code = raw.currency.trim();
        if code.len() != 3 || !code.chars().all(|c| c.is_ascii_alphabetic()) {
            bail!("currency: expected a three-letter ISO 4217 code such as EUR, found {code:?}");
        }
        let aging = match raw.aging.edges {
            Some(edges) => AgingScheme::new(edges).map_err(|e| anyhow::anyhow!("aging.edges: {e}"))?,
            None => AgingScheme::default(),
        };
        Ok(Config {
            title: raw.title,
            currency: Currency::from_code(code),
            aging,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_config() {
        let c = Config::parse("title = \"T\"\ncurrency = \"usd\"\n").unwrap();
        assert_eq!(c.currency.code, "USD");
        assert_eq!(c.aging, AgingScheme::default());
    }

    #[test]
    fn errors_name_the_setting() {
        let e = Config::parse("title = \"T\"\ncurrency = \"euro\"\n").unwrap_err();
        assert!(e.to_string().contains("currency: expected a three-letter"), "{e}");
        let e = Config::parse("title = \"T\"\ncurrency = \"EUR\"\n[aging]\nedges = [60, 30]\n").unwrap_err();
        assert!(e.to_string().contains("aging.edges: expected strictly increasing"), "{e}");
        let e = Config::parse("title = \"T\"\ncurrency = \"EUR\"\ncolour = 1\n").unwrap_err();
        assert!(format!("{e:#}").contains("unknown field `colour`"), "{e:#}");
    }
}

//! `arsite.toml`: the site's settings. Unknown keys are errors, so a typo
//! never silently falls back to a default.

use crate::import::snapshot_csv::Rates;
use crate::import::spec::{ImportSettings, RawImport};
use crate::import::table::MAX_AMOUNT;
use anyhow::{bail, Context, Result};
use arsite_core::ledger::{DsoMethod, MetricsConfig};
use arsite_core::portfolio::Thresholds;
use arsite_core::{AgingScheme, Currency, Money};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    currency: String,
    #[serde(default)]
    aging: RawAging,
    #[serde(default)]
    dso: RawDso,
    #[serde(default)]
    cei: RawCei,
    #[serde(default)]
    collectors: RawCollectors,
    #[serde(default)]
    promises: RawPromises,
    #[serde(default)]
    bad_debt: RawBadDebt,
    #[serde(default)]
    disputes: RawDisputes,
    #[serde(default)]
    policy: RawPolicy,
    /// Where the site is published (`https://intranet/ar/`), for absolute
    /// links in the email summary and printed page footers.
    base_url: Option<String>,
    /// How to read ERP exports; see [`crate::import::spec`].
    #[serde(default)]
    import: RawImport,
    /// Exchange rates into the reporting currency: `USD = 0.92` means one
    /// US dollar is 0.92 units of the site's currency.
    #[serde(default)]
    rates: BTreeMap<String, Number>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAging {
    /// Inclusive upper bounds of the past-due buckets in days.
    edges: Option<Vec<i32>>,
    /// Allowance reserve per bucket, in percent, Current first.
    reserve_percent: Option<Vec<Number>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDso {
    method: Option<String>,
    window_months: Option<u32>,
    target: Option<Number>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCei {
    window_months: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPromises {
    /// Days after the promised date a payment still keeps a promise.
    grace_days: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDisputes {
    /// Days a dispute may stay open before the lists page shows it as over
    /// its SLA (default 30).
    sla_days: Option<u32>,
}

/// The write-off candidate rule (`metrics::write_off_candidates`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBadDebt {
    candidate_days: Option<u32>,
    broken_promise_window_days: Option<u32>,
    broken_promise_count: Option<u32>,
}

/// The worklist's next-action policy (`metrics::worklist::ActionPolicy`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    reminder_until_days: Option<u32>,
    call_until_days: Option<u32>,
    final_notice_until_days: Option<u32>,
    agency_after_broken_promises: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCollectors {
    /// Monthly collection target per collector name.
    #[serde(default)]
    targets: BTreeMap<String, Number>,
    /// The supervisor's limits, highlighted in the dashboard's scorecard.
    #[serde(default)]
    thresholds: RawThresholds,
}

/// A limit left out keeps its default; `false` switches it off.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThresholds {
    min_current_percent: Option<Limit>,
    max_over_90_percent: Option<Limit>,
    max_weighted_dpd: Option<Limit>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Limit {
    Off(bool),
    Value(Number),
}

impl Limit {
    fn resolve(
        limit: Option<&Limit>,
        default: Option<Decimal>,
        key: &str,
    ) -> Result<Option<Decimal>> {
        match limit {
            None => Ok(default),
            Some(Limit::Off(false)) => Ok(None),
            Some(Limit::Off(true)) => bail!("{key}: expected a number, or false for no limit"),
            Some(Limit::Value(n)) => {
                let v = n.decimal(key)?;
                if v < Decimal::ZERO {
                    bail!("{key}: expected a limit of at least 0, found {v}");
                }
                Ok(Some(v))
            }
        }
    }
}

/// A number written in TOML as an integer, a float or a string ("2.5"):
/// kept as the decimal text the user wrote, never as a binary float.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Number {
    Int(i64),
    Float(f64),
    Text(String),
}

impl Number {
    fn decimal(&self, key: &str) -> Result<Decimal> {
        match self {
            Number::Int(i) => Ok(Decimal::from(*i)),
            // Rust prints the shortest text that reads back as the same
            // float, i.e. what the user typed (2.5, 0.1).
            Number::Float(f) => Decimal::from_str(&f.to_string())
                .with_context(|| format!("{key}: expected a decimal number, found {f}")),
            Number::Text(t) => Decimal::from_str(t.trim())
                .with_context(|| format!("{key}: expected a decimal number, found {t:?}")),
        }
    }
}

/// Validated settings.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub currency: Currency,
    pub aging: AgingScheme,
    pub metrics: MetricsConfig,
    /// With a trailing slash.
    pub base_url: Option<String>,
    /// One reading spec per input (canonical where `[import]` has none).
    pub import: ImportSettings,
    pub rates: Rates,
    /// The supervisor's scorecard limits (dashboard highlighting).
    pub thresholds: Thresholds,
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
        let currency =
            Currency::parse(&raw.currency).map_err(|e| anyhow::anyhow!("currency: {e}"))?;
        let aging = match raw.aging.edges {
            Some(edges) => {
                AgingScheme::new(edges).map_err(|e| anyhow::anyhow!("aging.edges: {e}"))?
            }
            None => AgingScheme::default(),
        };
        let mut metrics = MetricsConfig {
            aging: aging.clone(),
            ..MetricsConfig::default()
        };
        if let Some(p) = raw.aging.reserve_percent {
            metrics.reserve_percent = p
                .iter()
                .map(|n| n.decimal("aging.reserve_percent"))
                .collect::<Result<_>>()?;
        } else if metrics.reserve_percent.len() != aging.bucket_count() {
            bail!(
                "aging.reserve_percent: custom bucket edges need their own reserve percentages ({} values, Current first)",
                aging.bucket_count()
            );
        }
        if let Some(m) = raw.dso.method {
            metrics.dso_method = DsoMethod::parse(&m).with_context(|| {
                format!("dso.method: expected countback, standard or true, found {m:?}")
            })?;
        }
        if let Some(w) = raw.dso.window_months {
            metrics.dso_window_months = w;
        }
        if let Some(t) = raw.dso.target {
            metrics.dso_target = Some(t.decimal("dso.target")?);
        }
        if let Some(w) = raw.cei.window_months {
            metrics.cei_window_months = w;
        }
        if let Some(g) = raw.promises.grace_days {
            metrics.promise_grace_days = g;
        }
        if let Some(d) = raw.disputes.sla_days {
            metrics.dispute_sla_days = d;
        }
        let (b, rule) = (&raw.bad_debt, &mut metrics.write_off);
        if let Some(d) = b.candidate_days {
            rule.candidate_days = d;
        }
        if let Some(w) = b.broken_promise_window_days {
            rule.broken_promise_window_days = w;
        }
        if let Some(n) = b.broken_promise_count {
            if n == 0 {
                bail!("bad_debt.broken_promise_count: expected at least 1, found 0");
            }
            rule.broken_promise_count = n;
        }
        let (p, policy) = (&raw.policy, &mut metrics.worklist_policy);
        if let Some(d) = p.reminder_until_days {
            policy.reminder_until_days = d;
        }
        if let Some(d) = p.call_until_days {
            policy.call_until_days = d;
        }
        if let Some(d) = p.final_notice_until_days {
            policy.final_notice_until_days = d;
        }
        if let Some(n) = p.agency_after_broken_promises {
            if n == 0 {
                bail!("policy.agency_after_broken_promises: expected at least 1, found 0");
            }
            policy.agency_after_broken_promises = n;
        }
        if !(1 <= policy.reminder_until_days
            && policy.reminder_until_days <= policy.call_until_days
            && policy.call_until_days <= policy.final_notice_until_days)
        {
            bail!(
                "policy: expected 1 <= reminder_until_days <= call_until_days <= final_notice_until_days, found {}, {}, {}",
                policy.reminder_until_days,
                policy.call_until_days,
                policy.final_notice_until_days
            );
        }
        for (name, target) in &raw.collectors.targets {
            let key = format!("collectors.targets.{name:?}");
            let value = target.decimal(&key)?;
            let money = Money::from_decimal(value, currency.exponent)
                .map_err(|e| anyhow::anyhow!("{key}: {e}"))?;
            // The bound of any amount in a file: prorated over the longest
            // period the date window allows (300 years, 3,600 months) a
            // target stays below 3.7 × 10^18 minor units, inside i64.
            if money.0.unsigned_abs() > MAX_AMOUNT as u64 {
                bail!(
                    "{key}: expected a target of at most {MAX_AMOUNT} minor units, found {value}"
                );
            }
            // Collector names in the files are read trimmed; a target key
            // is trimmed the same way, or " Ann" would be a second collector
            // with a target and no items beside the real Ann.
            let trimmed = name.trim();
            if trimmed.is_empty() {
                bail!("{key}: expected a collector name, found an empty one");
            }
            if metrics
                .collector_targets
                .insert(trimmed.to_string(), money)
                .is_some()
            {
                bail!("{key}: names the collector {trimmed:?} a second time (names are compared without surrounding spaces)");
            }
        }
        metrics.validate().map_err(|e| anyhow::anyhow!("{e}"))?;
        let (limits, default) = (&raw.collectors.thresholds, Thresholds::default());
        let thresholds = Thresholds {
            min_current_percent: Limit::resolve(
                limits.min_current_percent.as_ref(),
                default.min_current_percent,
                "collectors.thresholds.min_current_percent",
            )?,
            max_over_90_percent: Limit::resolve(
                limits.max_over_90_percent.as_ref(),
                default.max_over_90_percent,
                "collectors.thresholds.max_over_90_percent",
            )?,
            max_weighted_dpd: Limit::resolve(
                limits.max_weighted_dpd.as_ref(),
                default.max_weighted_dpd,
                "collectors.thresholds.max_weighted_dpd",
            )?,
        };
        let base_url = match raw.base_url {
            Some(u) if u.starts_with("https://") || u.starts_with("http://") => {
                Some(if u.ends_with('/') { u } else { format!("{u}/") })
            }
            Some(u) => bail!("base_url: expected an http:// or https:// address, found {u:?}"),
            None => None,
        };
        let import = ImportSettings::from_raw(&raw.import).map_err(|e| anyhow::anyhow!("{e}"))?;
        let mut rates = Rates::new();
        for (code, rate) in &raw.rates {
            let key = format!("rates.{code}");
            // A rate for a code ISO 4217 does not list would never match a row.
            Currency::parse(code).map_err(|e| anyhow::anyhow!("{key}: {e}"))?;
            let value = rate.decimal(&key)?;
            if value <= Decimal::ZERO {
                bail!(
                    "{key}: expected a positive rate (units of {} per {code}), found {value}",
                    currency.code
                );
            }
            rates.insert(code.to_ascii_uppercase(), value);
        }
        Ok(Config {
            import,
            rates,
            thresholds,
            base_url,
            title: raw.title,
            currency,
            aging,
            metrics,
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
        assert_eq!(c.currency.exponent, 2);
        // Minor units from ISO 4217: CFP franc 0, Unidad de Fomento 4.
        let xpf = Config::parse("title = \"T\"\ncurrency = \"XPF\"\n").unwrap();
        assert_eq!(xpf.currency.exponent, 0);
        let clf = Config::parse("title = \"T\"\ncurrency = \"clf\"\n").unwrap();
        assert_eq!(clf.currency.exponent, 4);
        assert_eq!(c.aging, AgingScheme::default());
        assert_eq!(c.metrics, MetricsConfig::default());
        assert_eq!(c.import, ImportSettings::default());
    }

    #[test]
    fn scorecard_thresholds_default_override_and_switch_off() {
        let c = Config::parse("title = \"T\"\ncurrency = \"EUR\"\n").unwrap();
        assert_eq!(c.thresholds, Thresholds::default());
        let c = Config::parse(
            "title = \"T\"\ncurrency = \"EUR\"\n\
             [collectors.thresholds]\nmin_current_percent = 60\nmax_over_90_percent = \"7.5\"\nmax_weighted_dpd = false\n",
        )
        .unwrap();
        assert_eq!(c.thresholds.min_current_percent, Some(Decimal::from(60)));
        assert_eq!(
            c.thresholds.max_over_90_percent,
            Some(Decimal::from_str("7.5").unwrap())
        );
        assert_eq!(c.thresholds.max_weighted_dpd, None);
    }

    #[test]
    fn import_settings_and_rates() {
        let c = Config::parse(
            "title = \"T\"\ncurrency = \"EUR\"\n\
             [rates]\nUSD = 0.92\nchf = \"1.05\"\n\
             [import.snapshots]\npreset = \"quickbooks\"\n\
             [import.activity]\ndate_format = \"DD.MM.YYYY\"\n",
        )
        .unwrap();
        assert_eq!(c.rates["USD"], Decimal::from_str("0.92").unwrap());
        assert_eq!(c.rates["CHF"], Decimal::from_str("1.05").unwrap());
        assert_eq!(
            c.import.snapshots.preset,
            Some("quickbooks-ar-aging-detail")
        );
        assert!(c.import.activity.mapped);
        assert!(!c.import.sales.mapped);
    }

    #[test]
    fn metrics_settings() {
        let c = Config::parse(
            "title = \"T\"\ncurrency = \"EUR\"\n\
             [aging]\nreserve_percent = [0.5, 1, \"2.5\", 5, 10, 40]\n\
             [dso]\nmethod = \"standard\"\nwindow_months = 6\ntarget = 45\n\
             [cei]\nwindow_months = 1\n\
             [collectors.targets]\n\"Ann Smith\" = 120000.50\n",
        )
        .unwrap();
        let m = &c.metrics;
        assert_eq!(m.reserve_percent[0], Decimal::from_str("0.5").unwrap());
        assert_eq!(m.reserve_percent[2], Decimal::from_str("2.5").unwrap());
        assert_eq!(m.dso_method, DsoMethod::Standard);
        assert_eq!(m.dso_window_months, 6);
        assert_eq!(m.dso_target, Some(Decimal::from(45)));
        assert_eq!(m.cei_window_months, 1);
        assert_eq!(m.collector_targets["Ann Smith"], Money(12_000_050));
        assert_eq!(m.promise_grace_days, 0);
        assert_eq!(m.write_off.candidate_days, 120);
        assert_eq!(m.dispute_sla_days, 30);
        let c = Config::parse(
            "title = \"T\"\ncurrency = \"EUR\"\n[promises]\ngrace_days = 3\n[disputes]\nsla_days = 45\n\
             [bad_debt]\ncandidate_days = 90\nbroken_promise_window_days = 60\nbroken_promise_count = 1\n",
        )
        .unwrap();
        assert_eq!(c.metrics.promise_grace_days, 3);
        assert_eq!(c.metrics.dispute_sla_days, 45);
        assert_eq!(
            (
                c.metrics.write_off.candidate_days,
                c.metrics.write_off.broken_promise_window_days,
                c.metrics.write_off.broken_promise_count
            ),
            (90, 60, 1)
        );
        assert_eq!(
            c.metrics.worklist_policy,
            arsite_core::metrics::worklist::ActionPolicy::default()
        );
        let c = Config::parse(
            "title = \"T\"\ncurrency = \"EUR\"\n[policy]\nreminder_until_days = 10\n\
             call_until_days = 30\nfinal_notice_until_days = 60\nagency_after_broken_promises = 3\n",
        )
        .unwrap();
        let p = &c.metrics.worklist_policy;
        assert_eq!(
            (
                p.reminder_until_days,
                p.call_until_days,
                p.final_notice_until_days,
                p.agency_after_broken_promises
            ),
            (10, 30, 60, 3)
        );
    }

    #[test]
    fn errors_name_the_setting() {
        let err = |text: &str| {
            format!(
                "{:#}",
                Config::parse(&format!("title = \"T\"\ncurrency = \"EUR\"\n{text}")).unwrap_err()
            )
        };
        let e = format!(
            "{:#}",
            Config::parse("title = \"T\"\ncurrency = \"euro\"\n").unwrap_err()
        );
        assert!(e.contains("currency: expected a three-letter"), "{e}");
        // Three letters are not a currency unless ISO 4217 lists them.
        let e = format!(
            "{:#}",
            Config::parse("title = \"T\"\ncurrency = \"ABC\"\n").unwrap_err()
        );
        assert!(
            e.contains("currency: \"ABC\" is not an ISO 4217 currency code"),
            "{e}"
        );
        let e = err("[rates]\nABC = 1.5\n");
        assert!(e.contains("rates.ABC: \"ABC\" is not an ISO 4217"), "{e}");
        let e = err("[aging]\nedges = [60, 30]\n");
        assert!(
            e.contains("aging.edges: expected strictly increasing"),
            "{e}"
        );
        let e = err("colour = 1\n");
        assert!(e.contains("unknown field `colour`"), "{e}");
        let e = err("[aging]\nedges = [30, 60]\n");
        assert!(
            e.contains("aging.reserve_percent: custom bucket edges need"),
            "{e}"
        );
        let e = err("[dso]\nmethod = \"fast\"\n");
        assert!(
            e.contains("dso.method: expected countback, standard or true"),
            "{e}"
        );
        let e = err("[rates]\nUSD = -1\n");
        assert!(e.contains("rates.USD: expected a positive rate"), "{e}");
        let e = err("[import.snapshots]\npreset = \"sage\"\n");
        assert!(
            e.contains("import.snapshots.preset: expected one of"),
            "{e}"
        );
        let e = err("[import.ledger]\n");
        assert!(e.contains("unknown field `ledger`"), "{e}");
        let e = err("[collectors.thresholds]\nmax_weighted_dpd = -1\n");
        assert!(
            e.contains("collectors.thresholds.max_weighted_dpd: expected a limit of at least 0"),
            "{e}"
        );
        let e = err("[policy]\ncall_until_days = 10\n");
        assert!(
            e.contains("policy: expected 1 <= reminder_until_days <= call_until_days"),
            "{e}"
        );
        let e = err("[policy]\nagency_after_broken_promises = 0\n");
        assert!(e.contains("agency_after_broken_promises"), "{e}");
        let e = err("[policy]\nreminder_days = 10\n");
        assert!(e.contains("unknown field `reminder_days`"), "{e}");
        let e = err("[bad_debt]\nbroken_promise_count = 0\n");
        assert!(e.contains("broken_promise_count"), "{e}");
        let e = err("[disputes]\nsla_day = 10\n");
        assert!(e.contains("sla_day"), "{e}");
        let e = err("[promises]\ngrace_days = -1\n");
        assert!(e.contains("grace_days"), "{e}");
        let e = err("[collectors.thresholds]\nmax_over_90 = 5\n");
        assert!(e.contains("max_over_90"), "{e}");
        let spaced = Config::parse(
            "title = \"T\"\ncurrency = \"EUR\"\n[collectors.targets]\n\" Ann \" = 10\n",
        )
        .unwrap();
        assert_eq!(
            spaced.metrics.collector_targets.keys().collect::<Vec<_>>(),
            ["Ann"],
            "a target key is trimmed like the collector names in the files"
        );
        let twice = err("[collectors.targets]\nAnn = 10\n\"Ann \" = 20\n");
        assert!(
            twice.contains("names the collector \"Ann\" a second time"),
            "{twice}"
        );
        let e = err("[collectors.targets]\nAnn = 1.234\n");
        assert!(
            e.contains("collectors.targets.\"Ann\": expected at most 2 decimal places"),
            "{e}"
        );
    }
}

//! `metrics.json`: the machine-readable twin of a snapshot's pages.
//!
//! Compatibility promise: fields are only ever added. Money is a decimal
//! string in the site currency (exact, no float rounding in consumers).

use arsite_core::aging::{AgingReport, AgingScheme, BucketTotals};
use arsite_core::metrics::SnapshotMetrics;
use arsite_core::Snapshot;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Group {
    total_open: String,
    past_due: String,
    invoices: u32,
    buckets: Map<String, Value>,
}

#[derive(Serialize)]
struct MetricsFile<'a> {
    format: &'static str,
    version: u32,
    as_of: String,
    currency: &'a str,
    total_open: String,
    past_due: String,
    current: String,
    invoices: u32,
    customers: usize,
    bucket_labels: Vec<String>,
    buckets: Map<String, Value>,
    by_collector: BTreeMap<String, Group>,
    by_division: BTreeMap<String, Group>,
}

/// The aging figures (v1 fields) followed by every figure of the metrics
/// engine; v1 keys keep their meaning and are never overwritten.
pub fn render(
    s: &Snapshot,
    scheme: &AgingScheme,
    report: &AgingReport,
    kpis: &SnapshotMetrics,
) -> String {
    let labels = scheme.labels();
    let dec = |m: arsite_core::Money| s.currency.to_decimal(m).to_string();
    let buckets = |t: &BucketTotals| -> Map<String, Value> {
        labels
            .iter()
            .zip(t.amounts_for(scheme))
            .map(|(l, &m)| (l.clone(), Value::String(dec(m))))
            .collect()
    };
    let group = |t: &BucketTotals| Group {
        total_open: dec(t.total()),
        past_due: dec(t.past_due()),
        invoices: t.count(),
        buckets: buckets(t),
    };
    let groups = |names: &[String], totals: &[BucketTotals]| -> BTreeMap<String, Group> {
        names
            .iter()
            .zip(totals)
            .filter(|(_, t)| t.count() > 0)
            .map(|(n, t)| (Snapshot::label(n).to_string(), group(t)))
            .collect()
    };
    let file = MetricsFile {
        format: "arsite-metrics",
        version: FORMAT_VERSION,
        as_of: s.as_of.to_string(),
        currency: &s.currency.code,
        total_open: dec(report.total.total()),
        past_due: dec(report.total.past_due()),
        current: dec(report.total.current()),
        invoices: report.total.count(),
        customers: report.by_customer.iter().filter(|c| c.count() > 0).count(),
        bucket_labels: labels.clone(),
        buckets: buckets(&report.total),
        by_collector: groups(&s.collectors, &report.by_collector),
        by_division: groups(&s.divisions, &report.by_division),
    };
    let mut value = serde_json::to_value(&file).expect("metrics serialize");
    let object = value.as_object_mut().expect("an object");
    if let Value::Object(extra) = serde_json::to_value(kpis).expect("metrics serialize") {
        for (k, v) in extra {
            object.entry(k).or_insert(v);
        }
    }
    let mut text = serde_json::to_string_pretty(&value).expect("metrics serialize");
    text.push('\n');
    text
}

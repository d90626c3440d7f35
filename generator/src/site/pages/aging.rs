//! Aging: the buckets in total, by division, collector and customer, and
//! the bucket trend across snapshots.

use super::{slug, Inputs};
use crate::site::chart::{stacked_bars, Palette, Series};
use crate::site::page::{Page, Section};
use crate::site::table::{Cell, DataTable};
use arsite_core::aging::BucketTotals;
use arsite_core::format::percent;
use arsite_core::Snapshot;
use rust_decimal::Decimal;

/// A breakdown table: one row per group, bucket columns, total, past due,
/// items; rows by past-due amount, largest first; a total row that equals
/// the column sums.
pub fn breakdown(
    inp: &Inputs,
    id: &str,
    caption: String,
    first: &str,
    rows: Vec<(Cell, &BucketTotals)>,
) -> DataTable {
    let labels = inp.config.aging.labels();
    let mut headers: Vec<String> = vec![first.to_string()];
    headers.extend(labels.iter().map(|l| format!("#{l}")));
    headers.extend([
        "#Total".to_string(),
        "#Past due".to_string(),
        "#Items".to_string(),
    ]);
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut t = DataTable::new(id, caption, &header_refs);
    let exp = inp.exp();
    let scheme = &inp.config.aging;
    let line = |name: Cell, b: &BucketTotals| {
        let mut row = vec![name];
        row.extend(b.amounts_for(scheme).iter().map(|&m| Cell::money(m, exp)));
        row.push(Cell::money(b.total(), exp));
        row.push(Cell::money(b.past_due(), exp));
        row.push(Cell::int(b.count()));
        row
    };
    let mut rows = rows;
    rows.sort_by(|a, b| {
        b.1.past_due()
            .cmp(&a.1.past_due())
            .then_with(|| a.0.text.cmp(&b.0.text))
    });
    let mut sum = BucketTotals::default();
    for (name, b) in rows {
        sum.merge(b);
        t.push(line(name, b));
    }
    t.footer = Some(line(Cell::text("Total"), &sum));
    t
}

pub fn page(inp: &Inputs) -> Page {
    let s = inp.snapshot;
    let report = &inp.ctx.aging;
    let exp = inp.exp();
    let scheme = &inp.config.aging;
    let labels = scheme.labels();
    let as_of = s.as_of.to_string();

    let mut total = DataTable::new(
        "aging-total",
        format!("Open amount by aging bucket on {as_of} ({})", inp.code()),
        &["Bucket", "#Open amount", "#Share %", "#Items"],
    );
    for (i, label) in labels.iter().enumerate() {
        total.push(vec![
            Cell::text(label.clone()),
            Cell::money(report.total.amounts[i], exp),
            Cell::text(percent(report.total.amounts[i], report.total.total())).with_class("num"),
            Cell::int(report.total.counts[i]),
        ]);
    }
    total.footer = Some(vec![
        Cell::text("Total"),
        Cell::money(report.total.total(), exp),
        Cell::text("100.00").with_class("num"),
        Cell::int(report.total.count()),
    ]);
    let bucket_series = |values: Vec<Vec<arsite_core::Money>>| -> Vec<Series> {
        labels
            .iter()
            .enumerate()
            .map(|(b, l)| Series {
                name: l.clone(),
                values: values.iter().map(|v| Some(v[b].to_decimal(exp))).collect(),
            })
            .collect()
    };
    // One bar per bucket (not one stacked bar) so each bucket's height reads
    // against the axis; colours are the aging scale's.
    let buckets = labels.len();
    let now_amounts = report.total.amounts_for(scheme);
    let now_chart = stacked_bars(
        &format!("Open amount by bucket on {as_of}"),
        inp.code(),
        &labels,
        &labels
            .iter()
            .enumerate()
            .map(|(b, l)| Series {
                name: l.clone(),
                values: (0..buckets)
                    .map(|i| (i == b).then(|| now_amounts[b].to_decimal(exp)))
                    .collect(),
            })
            .collect::<Vec<_>>(),
        Palette::Aging { first: 0, buckets },
    );
    let history = inp.history;
    // The trend shows the past-due buckets only: Current is most of the
    // book, and stacked under it the buckets that need work were slivers.
    // The table beneath keeps every bucket.
    let mut past_due = bucket_series(history.points.iter().map(|p| p.buckets.clone()).collect());
    past_due.remove(0);
    let trend_chart = stacked_bars(
        "Past-due amount by bucket, per snapshot",
        inp.code(),
        &history.labels(),
        &past_due,
        Palette::Aging { first: 1, buckets },
    );
    let mut trend = DataTable::new(
        "aging-trend",
        format!("Open amount by bucket for every snapshot up to {as_of}"),
        &std::iter::once("Snapshot".to_string())
            .chain(labels.iter().map(|l| format!("#{l}")))
            .chain(["#Total".to_string(), "#Past due %".to_string()])
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    for p in history.points.iter().rev() {
        let mut row = vec![Cell::link(
            p.as_of.clone(),
            format!("../{}/aging.html", p.as_of),
        )];
        row.extend(p.buckets.iter().map(|&m| Cell::money(m, exp)));
        row.push(Cell::money(p.total, exp));
        row.push(Cell::text(percent(p.past_due, p.total)).with_class("num"));
        trend.push(row);
    }

    fn named<'t>(
        names: &[String],
        totals: &'t [BucketTotals],
        link: bool,
    ) -> Vec<(Cell, &'t BucketTotals)> {
        names
            .iter()
            .zip(totals)
            .filter(|(_, t)| t.count() > 0)
            .map(|(n, t)| {
                let label = Snapshot::label(n).to_string();
                let cell = if link {
                    Cell::link(label, format!("collectors/{}.html", slug(n)))
                } else {
                    Cell::text(label)
                };
                (cell, t)
            })
            .collect()
    }
    let by_division = breakdown(
        inp,
        "aging-by-division",
        format!("Aging by division on {as_of}, largest past-due amount first"),
        "Division",
        named(&s.divisions, &report.by_division, false),
    );
    let by_collector = breakdown(
        inp,
        "aging-by-collector",
        format!("Aging by collector on {as_of}, largest past-due amount first"),
        "Collector",
        named(&s.collectors, &report.by_collector, true),
    );
    let customers: Vec<(Cell, &BucketTotals)> = s
        .customers
        .iter()
        .zip(&report.by_customer)
        .filter(|(_, t)| t.count() > 0)
        .map(|(c, t)| {
            (
                Cell::link(
                    format!("{} ({})", c.name, c.id),
                    format!("customers/{}.html", slug(&c.id)),
                ),
                t,
            )
        })
        .collect();
    let by_customer = breakdown(
        inp,
        "aging-by-customer",
        format!("Aging by customer on {as_of}, largest past-due amount first"),
        "Customer",
        customers,
    );
    let days = |d: Option<Decimal>| d.map_or_else(|| "—".to_string(), |d| format!("{d:.2}"));
    let ar = &inp.kpis.ar;
    let (per_ar, per_past_due) = (
        days(ar.weighted_days_past_due),
        days(ar.weighted_days_past_due_per_past_due_unit),
    );
    Page {
        key: "aging",
        title: format!("AR aging on {as_of}"),
        lede: Some(format!(
            "Days past due = snapshot date − due date. Current: not yet due (0 days or fewer); then {}. \
             Credit items age by their own due date and stay in their bucket, so the buckets always add up \
             to the total open amount. Amount-weighted days past due, over debit items only (a credit balance is \
             a liability, not a negative age): {per_ar} per unit of AR (Σ open × max(0, days past due) / Σ open; \
             current items count 0 days) and {per_past_due} per past-due unit (the same sum / Σ past-due open: \
             how late the late money is). Both are ages of open items, not ADD (DSO − BPDSO, in days of sales).",
            labels[1..].join(", ")
        )),
        notes: Vec::new(),
        sections: vec![
            Section::new("total", "All customers").table(total).chart(now_chart),
            Section::new("trend", "Aging trend").chart(trend_chart).table(trend),
            Section::new("by-division", "By division").table(by_division),
            Section::new("by-collector", "By collector").table(by_collector),
            Section::new("by-customer", "By customer").table(by_customer),
        ],
    }
}

//! Collector scorecard (all collectors) and one page per collector.

use super::aging::breakdown;
use super::{signed, slug, Inputs};
use crate::site::chart::{line_chart, Series};
use crate::site::page::{Page, Section};
use crate::site::table::{Cell, DataTable, Filter, RowKeys};
use arsite_core::metrics::disputes::DisputeLine;
use arsite_core::metrics::promises::CollectorPromises;
use arsite_core::metrics::promises::PromiseCounts;
use arsite_core::metrics::scorecard::CollectorScore;
use arsite_core::metrics::worklist::WorklistEntry;
use arsite_core::portfolio::CustomerAging;
use arsite_core::Snapshot;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Scorecard rows laid out since the program started: a build lays out
/// each collector's row a fixed number of times, whatever the number of
/// collectors (a test holds it to that; per-collector pages once laid out
/// the whole scorecard each, quadratic in collectors).
#[doc(hidden)]
pub static SCORECARD_ROWS_BUILT: AtomicUsize = AtomicUsize::new(0);

pub fn scorecard_table(inp: &Inputs, id: &str, link_prefix: &str) -> DataTable {
    let k = inp.kpis;
    let as_of = inp.snapshot.as_of.to_string();
    let mut t = DataTable::new(
        id,
        format!("Collector scorecard on {as_of}, by rank (composite score: see the metrics documentation)"),
        &[
            "#Rank", "Collector", "#Score", "#Rank change", "#Open AR", "#Items", "#Customers", "#% current", "#% over 90",
            "#Past due", "#Past-due change", "#Collected", "#Target (period)", "#% of target", "#CEI %", "#Weighted dpd (per unit of debit AR)",
            "#Promises kept %", "#Open disputes", "#Contacts",
        ],
    );
    let previous_rank = |name: &str| inp.previous.and_then(|p| p.rank_of(name));
    let mut rows: Vec<&CollectorScore> = k.scorecard.iter().collect();
    rows.sort_by_key(|c| (c.rank.unwrap_or(u32::MAX), c.collector.clone()));
    let divisions = divisions_by_collector(inp.snapshot);
    for c in rows {
        SCORECARD_ROWS_BUILT.fetch_add(1, Ordering::Relaxed);
        t.row_keys.push(RowKeys {
            collector: c.collector.clone(),
            division: divisions
                .get(c.collector.as_str())
                .map_or_else(String::new, |d| {
                    d.iter().copied().collect::<Vec<_>>().join("\n")
                }),
            search: Snapshot::label(&c.collector).to_string(),
        });
        let rank_change = match (c.rank, previous_rank(&c.collector)) {
            // Up the table is positive: rank 5 → 3 is +2.
            (Some(now), Some(before)) => {
                Cell::text(signed((i64::from(before) - i64::from(now)).into()).replace(".00", ""))
                    .with_class("num")
            }
            _ => Cell::empty_num(),
        };
        t.push(vec![
            c.rank
                .map_or_else(Cell::empty_num, |r| Cell::int(i64::from(r))),
            Cell::link(
                Snapshot::label(&c.collector).to_string(),
                format!("{link_prefix}{}.html", slug(&c.collector)),
            ),
            Cell::dec(c.score),
            rank_change,
            Cell::amount(&c.open_ar),
            Cell::int(i64::from(c.invoice_count)),
            Cell::int(i64::from(c.customer_count)),
            Cell::dec(c.current_percent),
            Cell::dec(c.over_90_percent),
            Cell::amount(&c.past_due),
            Cell::opt_amount(c.past_due_change.as_ref()),
            Cell::amount(&c.collected),
            Cell::opt_amount(c.target.as_ref()),
            Cell::dec(c.target_percent),
            Cell::dec(c.cei),
            Cell::dec(c.weighted_days_past_due),
            Cell::dec(c.promises_kept_rate),
            Cell::int(i64::from(c.open_disputes)),
            Cell::int(i64::from(c.contacts)),
        ]);
    }
    t
}

pub fn scorecard_page(inp: &Inputs) -> Page {
    let as_of = inp.snapshot.as_of.to_string();
    Page {
        key: "collectors",
        title: format!("Collector scorecard on {as_of}"),
        lede: Some(
            "Every KPI per collector for the period since the previous snapshot. Rank follows the composite score \
             (CEI 40 %, collected vs target 30 %, % current 20 %, promises kept 10 %; missing parts are left out and \
             the weights renormalised). Rank change: positive means the collector moved up."
                .into(),
        ),
        notes: inp
            .sales_note()
            .into_iter()
            .chain(scorecard_notes())
            .collect(),
        sections: vec![
            Section::new("scorecard", "Scorecard").table(
                scorecard_table(inp, "scorecard", "").with_filter(Filter {
                    name: "scorecard",
                    dashboard: "../dashboard.html".into(),
                }),
            ),
            Section::new("promises", "Promises to pay").table(promises_table(
                "promises-all-collectors",
                format!(
                    "All collectors' promises to pay: all made up to {as_of}, and those that fell due in the period"
                ),
                Some((&inp.kpis.promises.counts, &inp.kpis.promises.fell_due_in_period)),
            )),
        ],
    }
}

/// Promises to pay: every promise made to date beside those that fell due
/// in the period, with the kept rates core computed for each.
fn promises_table(
    id: &str,
    caption: String,
    counts: Option<(&PromiseCounts, &PromiseCounts)>,
) -> DataTable {
    let mut t = DataTable::new(
        id,
        caption,
        &[
            "Promises",
            "#Count to date",
            "#Amount to date",
            "#Count fell due in period",
            "#Amount fell due in period",
        ],
    );
    let Some((c, f)) = counts else {
        return t;
    };
    for (what, n, a, pn, pa) in [
        ("Kept", c.kept, &c.kept_amount, f.kept, &f.kept_amount),
        (
            "Broken",
            c.broken,
            &c.broken_amount,
            f.broken,
            &f.broken_amount,
        ),
        (
            "Pending",
            c.pending,
            &c.pending_amount,
            f.pending,
            &f.pending_amount,
        ),
    ] {
        t.push(vec![
            Cell::text(what),
            Cell::int(i64::from(n)),
            Cell::amount(a),
            Cell::int(i64::from(pn)),
            Cell::amount(pa),
        ]);
    }
    t.push(vec![
        Cell::text("Kept rate % (of kept + broken)"),
        Cell::dec(c.kept_rate_count),
        Cell::dec(c.kept_rate_amount),
        Cell::dec(f.kept_rate_count),
        Cell::dec(f.kept_rate_amount),
    ]);
    t
}

/// How the period's per-collector figures are attributed and scaled.
fn scorecard_notes() -> [String; 3] {
    [
        "Portfolio transfers: the period is restated to the current portfolio. A customer moved to another \
         collector counts for the new collector at the start of the period too (beginning AR, past due before, \
         the period's collections), so CEI and past-due change compare the same customers at both ends; each \
         collector's page says how many customers moved in and out."
            .into(),
        "Target (period): the monthly target prorated to the period's days, month by month (target × days of \
         the period in the month / days of the month, summed, rounded once); % of target = collected / that."
            .into(),
        "Weighted dpd: Σ(open × days past due) / Σ open over the debit items only (credit balances are \
         liabilities, not negative ages); current items count 0 days, so it falls when more of the portfolio is \
         current. It is an age of open items, not ADD (DSO − BPDSO, in days of sales)."
            .into(),
    ]
}

fn customers(n: u32) -> String {
    if n == 1 {
        "1 customer".into()
    } else {
        format!("{n} customers")
    }
}

/// The divisions each collector has open items in, by collector name.
fn divisions_by_collector(s: &Snapshot) -> HashMap<&str, BTreeSet<&str>> {
    let mut seen = HashSet::new();
    for i in &s.invoices {
        seen.insert((i.collector, i.division));
    }
    let mut out: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for (c, d) in seen {
        out.entry(s.collectors[c as usize].as_str())
            .or_default()
            .insert(s.divisions[d as usize].as_str());
    }
    out
}

/// What the collector pages of one snapshot look up, gathered once so each
/// page costs what it shows rather than a pass over every collector,
/// invoice and worklist line.
pub struct PageIndex<'a> {
    /// The scorecard without rows, and each collector's row with its keys.
    score_template: DataTable,
    score_rows: HashMap<String, (Vec<Cell>, RowKeys)>,
    scores: HashMap<&'a str, &'a CollectorScore>,
    own: Vec<Vec<(u32, CustomerAging)>>,
    worklist: HashMap<&'a str, Vec<&'a WorklistEntry>>,
    promises: HashMap<&'a str, &'a CollectorPromises>,
    /// Position of the first line with each name (pages look a collector
    /// up by name or label, the earlier line winning).
    disputes: HashMap<&'a str, usize>,
}

impl<'a> PageIndex<'a> {
    pub fn new(inp: &Inputs<'a>) -> PageIndex<'a> {
        let k = inp.kpis;
        let mut score_template = scorecard_table(inp, "collector-score", "");
        let rows = std::mem::take(&mut score_template.rows);
        let keys = std::mem::take(&mut score_template.row_keys);
        // The scorecard lists each collector once; its row is found by
        // name (rows and keys come in the same order).
        let mut score_rows = HashMap::new();
        for (row, key) in rows.into_iter().zip(keys) {
            score_rows
                .entry(key.collector.clone())
                .or_insert((row, key));
        }
        let mut scores = HashMap::new();
        for c in &k.scorecard {
            scores.entry(c.collector.as_str()).or_insert(c);
        }
        let mut worklist: HashMap<&str, Vec<&WorklistEntry>> = HashMap::new();
        for w in &k.worklist {
            worklist.entry(w.collector.as_str()).or_default().push(w);
        }
        let mut promises = HashMap::new();
        for p in &k.promises.by_collector {
            promises.entry(p.collector.as_str()).or_insert(p);
        }
        let mut disputes = HashMap::new();
        for (i, d) in k.disputes.open_by_collector.iter().enumerate() {
            disputes.entry(d.name.as_str()).or_insert(i);
        }
        PageIndex {
            score_template,
            score_rows,
            scores,
            own: arsite_core::portfolio::customer_aging_by_collector(
                inp.snapshot,
                &inp.config.aging,
            ),
            worklist,
            promises,
            disputes,
        }
    }

    fn dispute(&self, inp: &Inputs<'a>, name: &str, label: &str) -> Option<&'a DisputeLine> {
        let at = [self.disputes.get(name), self.disputes.get(label)]
            .into_iter()
            .flatten()
            .min()?;
        inp.kpis.disputes.open_by_collector.get(*at)
    }
}

/// The page of one collector (by index into the snapshot's collectors).
pub fn collector_page(inp: &Inputs, idx: &PageIndex, index: usize) -> Page {
    let s = inp.snapshot;
    let name = &s.collectors[index];
    let label = Snapshot::label(name).to_string();
    let as_of = s.as_of.to_string();
    let h = inp.history;
    let exp = inp.exp();
    let point = |f: &dyn Fn(&crate::site::history::CollectorPoint) -> rust_decimal::Decimal| -> Vec<Option<rust_decimal::Decimal>> {
        h.points.iter().map(|p| p.collectors.get(name).map(f)).collect()
    };
    let trend_chart = line_chart(
        &format!("Open AR and past due of {label}"),
        inp.code(),
        &h.labels(),
        &[
            Series {
                name: "Open AR".into(),
                values: point(&|c| c.open.to_decimal(exp)),
            },
            Series {
                name: "Past due".into(),
                values: point(&|c| c.past_due.to_decimal(exp)),
            },
        ],
        None,
    );
    let mut trend = DataTable::new(
        "collector-trend",
        format!("{label}: portfolio by snapshot up to {as_of}"),
        &["Snapshot", "#Open AR", "#Past due", "#Collected", "#CEI %"],
    );
    for p in h.points.iter().rev() {
        if let Some(c) = p.collectors.get(name) {
            trend.push(vec![
                Cell::link(
                    p.as_of.clone(),
                    format!("../../{}/collectors/{}.html", p.as_of, slug(name)),
                ),
                Cell::money(c.open, exp),
                Cell::money(c.past_due, exp),
                Cell::money(c.collected, exp),
                Cell::dec(c.cei),
            ]);
        }
    }
    // A customer belongs to the collector of its items; a customer split
    // across collectors shows only this collector's share here.
    let rows: Vec<(Cell, &arsite_core::BucketTotals)> = idx.own[index]
        .iter()
        .map(|(c, t)| {
            let c = &s.customers[*c as usize];
            (
                Cell::link(
                    format!("{} ({})", c.name, c.id),
                    format!("../customers/{}.html", slug(&c.id)),
                ),
                &t.aging,
            )
        })
        .collect();
    let portfolio = breakdown(
        inp,
        "collector-customers",
        format!("Aging of {label}'s customers on {as_of}"),
        "Customer",
        rows,
    );
    let mut worklist = DataTable::new(
        "collector-worklist",
        format!("{label}'s worklist on {as_of}, highest priority first"),
        &[
            "#Priority",
            "Customer",
            "Next action",
            "#Past due",
            "#Oldest dpd",
            "Why",
        ],
    );
    for w in idx.worklist.get(name.as_str()).into_iter().flatten() {
        worklist.push(vec![
            Cell::dec(Some(w.score)),
            Cell::link(
                format!("{} ({})", w.name, w.customer_id),
                format!("../customers/{}.html", slug(&w.customer_id)),
            ),
            Cell::text(&w.next_action),
            Cell::amount(&w.past_due),
            Cell::int(i64::from(w.oldest_days_past_due)),
            Cell::text(w.reasons.join("; ")),
        ]);
    }
    let promises = idx
        .promises
        .get(name.as_str())
        .map(|p| (&p.counts, &p.fell_due_in_period));
    let promises = promises_table(
        "collector-promises",
        format!("{label}'s promises to pay: all made up to {as_of}, and those that fell due in the period"),
        promises,
    );
    let mut disputes = DataTable::new(
        "collector-disputes",
        format!("Open disputes of {label} on {as_of}"),
        &["Disputes", "#Count", "#Amount"],
    );
    if let Some(d) = idx.dispute(inp, name, &label) {
        disputes.push(vec![
            Cell::text("Open"),
            Cell::int(i64::from(d.count)),
            Cell::amount(&d.amount),
        ]);
    }
    // This collector's line of the scorecard, laid out once for all pages.
    let mut mine_only = idx.score_template.clone();
    if let Some((row, key)) = idx.score_rows.get(name.as_str()) {
        mine_only.rows.push(row.clone());
        mine_only.row_keys.push(key.clone());
    }
    mine_only.caption = format!("{label} on the scorecard of {as_of}");
    let moved = idx
        .scores
        .get(name.as_str())
        .copied()
        .and_then(|c| Some((c, c.portfolio_change.as_ref()?)))
        .map(|(c, p)| {
            let restated = c.beginning_ar.as_ref().map_or(String::new(), |b| {
                format!(
                    "; beginning AR {} as the previous snapshot assigned it, {} restated to the current portfolio",
                    inp.money(p.beginning_ar_as_reported.money),
                    inp.money(b.money)
                )
            });
            if p.customers_in == 0 && p.customers_out == 0 {
                format!("Portfolio unchanged since the previous snapshot: no customer moved in or out{restated}.")
            } else {
                format!(
                    "Portfolio changed since the previous snapshot: {} moved in, {} out{restated}. \
                     CEI, collected and past-due change count the current portfolio at both ends of the period.",
                    customers(p.customers_in),
                    p.customers_out
                )
            }
        });
    Page {
        key: "collectors",
        title: format!("Collector {label} on {as_of}"),
        lede: moved,
        notes: scorecard_notes().into(),
        sections: vec![
            Section::new("score", "Scorecard line").table(mine_only),
            Section::new("trend", "Trend")
                .chart(trend_chart)
                .table(trend),
            Section::new("portfolio", "Portfolio aging").table(portfolio),
            Section::new("worklist", "Worklist").table(worklist),
            Section::new("promises", "Promises to pay").table(promises),
            Section::new("disputes", "Disputes").table(disputes),
        ],
    }
}

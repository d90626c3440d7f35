//! Overview: headline tiles with their change since the previous snapshot
//! and their position against targets, the top past-due customers, and the
//! data-quality badge.

use super::{dso_text, opt_days, signed, slug, Inputs};
use crate::site::page::{Block, Page, Section, Tile};
use crate::site::table::{Cell, DataTable};
use arsite_core::format::{money, percent};
use arsite_core::metrics::amount::percent_money;
use arsite_core::Money;
use rust_decimal::Decimal;

/// What the build knows about the input's quality for this snapshot.
pub struct Quality {
    pub rejected_rows: u64,
}

fn tile(label: &str, value: String) -> Tile {
    Tile {
        label: label.to_string(),
        value,
        change: None,
        target: None,
        tone: "",
        href: None,
    }
}

/// Change of a day or percent figure; `lower_is_better` sets the tone.
fn change(
    now: Option<Decimal>,
    before: Option<Decimal>,
    unit: &str,
    lower_is_better: bool,
) -> (Option<String>, &'static str) {
    match (now, before) {
        (Some(n), Some(b)) => {
            let d = n - b;
            let tone = if d.is_zero() {
                ""
            } else if (d < Decimal::ZERO) == lower_is_better {
                "good"
            } else {
                "bad"
            };
            (
                Some(format!("{} {unit} since the previous snapshot", signed(d))),
                tone,
            )
        }
        _ => (None, ""),
    }
}

/// The rolling CEI, with the snapshot its beginning AR comes from, or why
/// there is none.
fn rolling_cei_tile(c: &arsite_core::metrics::cei::CeiMetrics) -> Tile {
    use arsite_core::metrics::cei::RollingStatus;
    let n = c.rolling_window_months;
    let mut t = tile(&format!("CEI (rolling {n} months)"), "—".into());
    match (&c.rolling, &c.rolling_status) {
        (Some(r), _) => {
            t.value = r.cei.map_or("—".into(), |v| format!("{v:.2} %"));
            t.target = Some(format!(
                "begins with the AR of {} (the window's start); sales since {} ÷ {n}",
                r.beginning_as_of, r.window_start
            ));
        }
        (None, RollingStatus::InsufficientHistory { needs_snapshot }) => {
            t.value = "insufficient history".into();
            t.target = Some(format!("needs the snapshot of {needs_snapshot}"));
        }
        (None, _) => {
            t.value = "not available".into();
            t.target = Some("credit sales do not cover the window".into());
        }
    }
    t
}

fn money_change(inp: &Inputs, now: Money, before: Option<Money>) -> Option<String> {
    before.map(|b| {
        let d = now - b;
        let sign = if d.0 > 0 { "+" } else { "" };
        format!("{sign}{} since the previous snapshot", money(d, inp.exp()))
    })
}

pub fn page(inp: &Inputs, quality: &Quality) -> Page {
    let k = inp.kpis;
    let prev = inp.previous;
    let exp = inp.exp();
    let as_of = inp.snapshot.as_of.to_string();
    let mut tiles = Vec::new();

    let mut t = tile("Total AR", inp.money(k.ar.total.money));
    t.change = money_change(inp, k.ar.total.money, prev.map(|p| p.ar_total));
    tiles.push(t);

    let past_due_pct = k.ar.past_due_percent;
    let mut t = tile(
        "% past due",
        past_due_pct.map_or("—".into(), |p| format!("{p:.2} %")),
    );
    (t.change, t.tone) = change(
        past_due_pct,
        // The previous snapshot's figure by the same core rule.
        prev.and_then(|p| percent_money(p.ar_past_due, p.ar_total)),
        "points",
        true,
    );
    tiles.push(t);

    let method = k.dso.method.as_str();
    let mut t = tile(
        &format!("DSO ({method})"),
        format!("{} days", opt_days(k.dso.dso.days())),
    );
    (t.change, t.tone) = change(k.dso.dso.days(), prev.and_then(|p| p.dso), "days", true);
    if let (Some(target), Some(v)) = (k.dso.target, k.dso.versus_target) {
        let side = if v > Decimal::ZERO {
            "above"
        } else if v < Decimal::ZERO {
            "below"
        } else {
            "on"
        };
        t.target = Some(format!("target {target:.2} days: {:.2} {side}", v.abs()));
        t.tone = if v > Decimal::ZERO { "bad" } else { "good" };
    }
    if k.dso.dso.days().is_none() {
        t.value = dso_text(&k.dso.dso);
    }
    tiles.push(t);

    let mut t = tile("BPDSO", format!("{} days", opt_days(k.dso.bpdso.days())));
    (t.change, _) = change(k.dso.bpdso.days(), prev.and_then(|p| p.bpdso), "days", true);
    tiles.push(t);

    let mut t = tile("ADD (DSO − BPDSO)", format!("{} days", opt_days(k.dso.add)));
    (t.change, t.tone) = change(k.dso.add, prev.and_then(|p| p.add), "days", true);
    tiles.push(t);

    let cei = k.cei.period.as_ref().and_then(|c| c.cei);
    let mut t = tile(
        "CEI (period)",
        cei.map_or("—".into(), |c| format!("{c:.2} %")),
    );
    (t.change, t.tone) = change(cei, prev.and_then(|p| p.cei), "points", false);
    tiles.push(t);
    tiles.push(rolling_cei_tile(&k.cei));

    let mut t = tile(
        "Allowance (aging method)",
        inp.money(k.allowance.total.money),
    );
    t.change = money_change(inp, k.allowance.total.money, prev.map(|p| p.allowance));
    tiles.push(t);

    let mut t = tile(
        "Write-offs in period",
        inp.money(k.bad_debt.write_offs.money),
    );
    t.change = money_change(inp, k.bad_debt.write_offs.money, prev.map(|p| p.write_offs));
    tiles.push(t);

    let mut t = tile(
        &format!("Collections in period ({})", k.collections.label),
        inp.money(k.collections.collected.money),
    );
    t.change = money_change(
        inp,
        k.collections.collected.money,
        prev.map(|p| p.collected),
    );
    tiles.push(t);

    // Top 10 past-due customers.
    let s = inp.snapshot;
    let report = &inp.ctx.aging;
    let mut order: Vec<usize> = (0..s.customers.len())
        .filter(|&i| report.by_customer[i].past_due().0 > 0)
        .collect();
    order.sort_by(|&a, &b| {
        report.by_customer[b]
            .past_due()
            .cmp(&report.by_customer[a].past_due())
            .then_with(|| s.customers[a].id.cmp(&s.customers[b].id))
    });
    let mut top = DataTable::new(
        "top-past-due",
        format!("The 10 customers with the largest past-due amounts on {as_of}"),
        &[
            "Customer",
            "Id",
            "#Past due",
            "#Total open",
            "#Share of past due %",
        ],
    );
    for &i in order.iter().take(10) {
        let c = &s.customers[i];
        let b = &report.by_customer[i];
        top.push(vec![
            Cell::link(c.name.clone(), format!("customers/{}.html", slug(&c.id))),
            Cell::text(c.id.clone()),
            Cell::money(b.past_due(), exp),
            Cell::money(b.total(), exp),
            Cell::text(percent(b.past_due(), report.total.past_due())).with_class("num"),
        ]);
    }

    let mut quality_tiles = Vec::new();
    let mut t = tile("Rows rejected", quality.rejected_rows.to_string());
    t.tone = if quality.rejected_rows == 0 {
        "good"
    } else {
        "bad"
    };
    quality_tiles.push(t);
    let residual = match &k.roll_forward {
        Some(rf) => {
            let mut t = tile("Roll-forward residual", inp.money(rf.residual.money));
            t.tone = if rf.residual.money.0 == 0 {
                "good"
            } else {
                "bad"
            };
            t.target = Some(format!(
                "beginning {} + sales {} − collections {} − credits {} − write-offs {} = {}; the snapshot shows {}",
                money(rf.beginning.money, exp),
                money(rf.sales.money, exp),
                money(rf.collected.money, exp),
                money(rf.credit_memos.money, exp),
                money(rf.write_offs.money, exp),
                money(rf.expected_ending.money, exp),
                money(rf.ending.money, exp)
            ));
            t
        }
        None => {
            let mut t = tile("Roll-forward residual", "not available".into());
            t.target = Some("needs a previous snapshot and credit sales".into());
            t
        }
    };
    quality_tiles.push(residual);

    let mut notes: Vec<String> = inp.sales_note().into_iter().collect();
    notes.extend(k.warnings.iter().cloned());
    Page {
        key: "overview",
        title: format!("Accounts receivable on {as_of}"),
        lede: Some(format!(
            "Period {} to {}. Changes compare with the previous snapshot{}.",
            k.period_start,
            k.period_end,
            k.previous_as_of
                .as_ref()
                .map_or(" (none: this is the first)".to_string(), |p| format!(
                    " of {p}"
                ))
        )),
        notes,
        sections: vec![
            Section::new("headline", "Headline figures").with(Block::Tiles { tiles }),
            Section::new("lists", "Lists")
                .with(Block::Tiles {
                    tiles: super::lists::tiles(inp),
                })
                .with(Block::Links {
                    links: vec![crate::site::page::Link {
                        text: "All lists with their rows and totals".into(),
                        href: super::lists::PATH.into(),
                    }],
                }),
            Section::new("top-past-due", "Top 10 past-due customers").table(top),
            Section::new("data-quality", "Data quality").with(Block::Tiles {
                tiles: quality_tiles,
            }),
        ],
    }
}

//! Days sales outstanding by three methods, best-possible DSO (the same
//! method on current AR only) and average days delinquent (ADD).
//!
//! Every method returns an explicit [`DsoValue`]: a number of days, or why
//! there is none (sales history too short, or no sales to divide by).
//! AR ≤ 0 is 0 days under every method, checked first.

use super::amount::{div_round, round2, Amount};
use super::context::Context;
use super::sales::MonthSales;
use crate::ledger::{format_period, period_of, DsoMethod, Period};
use crate::{Day, Invoice, Money};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum DsoValue {
    Days {
        days: Decimal,
    },
    /// The sales history ran out (or a needed month is missing) before the
    /// method could finish; `months_available` months were usable.
    InsufficientHistory {
        months_available: usize,
    },
    /// The sales the method divides by are zero or negative.
    NoSales,
    /// Countback only: the walk reached a month with negative net sales
    /// while AR remained, and stops there (Oracle HFM's rule) instead of
    /// adding that month's days. `days_before` is what was counted up to
    /// it (HFM's figure; a lower bound, so not shown as the DSO).
    NegativeSales {
        month: String,
        days_before: Decimal,
    },
}

impl DsoValue {
    pub fn days(&self) -> Option<Decimal> {
        match self {
            DsoValue::Days { days } => Some(*days),
            _ => None,
        }
    }

    fn whole(days: i128) -> DsoValue {
        DsoValue::Days {
            days: div_round(days, 1, 2).unwrap_or_default(),
        }
    }
}

/// Countback DSO. `months` newest first (the snapshot's month first). While
/// the remaining AR is ≥ the month's sales, add the month's days and
/// subtract its sales; then add remaining / sales × days of the month that
/// is not covered in full. Stops as soon as nothing remains. AR ≤ 0 → 0.
/// A month with negative sales reached while AR remains ends the walk:
/// [`DsoValue::NegativeSales`]. (A month of zero sales is passed over whole.)
pub fn countback(ar: Money, months: &[MonthSales]) -> DsoValue {
    countback_detail(ar, months).0
}

/// [`countback`] and the number of months it looked at.
fn countback_detail(ar: Money, months: &[MonthSales]) -> (DsoValue, usize) {
    if ar.0 <= 0 {
        return (DsoValue::whole(0), 0);
    }
    let mut remaining = i128::from(ar.0);
    let mut whole_days: i128 = 0;
    for (n, m) in months.iter().enumerate() {
        if remaining <= 0 {
            return (DsoValue::whole(whole_days), n);
        }
        let sales = i128::from(m.sales.0);
        let days = i128::from(m.days);
        if sales < 0 {
            let days_before = div_round(whole_days, 1, 2).unwrap_or_default();
            return (
                DsoValue::NegativeSales {
                    month: format_period(m.period),
                    days_before,
                },
                n + 1,
            );
        }
        if remaining >= sales {
            whole_days += days;
            remaining -= sales;
        } else {
            // 0 < remaining < sales: whole_days + remaining × days / sales,
            // as one exact fraction.
            let days = div_round(whole_days * sales + remaining * days, sales, 2);
            return (
                DsoValue::Days {
                    days: days.unwrap_or_default(),
                },
                n + 1,
            );
        }
    }
    if remaining <= 0 {
        (DsoValue::whole(whole_days), months.len())
    } else {
        (
            DsoValue::InsufficientHistory {
                months_available: months.len(),
            },
            months.len(),
        )
    }
}

/// Standard DSO: AR / sales of the trailing `window` months × their days
/// (the snapshot's month to date is the first of them).
pub fn standard(ar: Money, months: &[MonthSales], window: usize) -> DsoValue {
    if ar.0 <= 0 {
        return DsoValue::whole(0);
    }
    let window = window.max(1);
    if months.len() < window {
        return DsoValue::InsufficientHistory {
            months_available: months.len(),
        };
    }
    let sales: i128 = months[..window].iter().map(|m| i128::from(m.sales.0)).sum();
    let days: i128 = months[..window].iter().map(|m| i128::from(m.days)).sum();
    if sales <= 0 {
        return DsoValue::NoSales;
    }
    DsoValue::Days {
        days: div_round(i128::from(ar.0) * days, sales, 2).unwrap_or_default(),
    }
}

/// True DSO: Σ over open items of (snapshot date − invoice date) × open /
/// sales of the invoice's month (as in `months`, so the snapshot's own month
/// counts its sales to date). Items with open 0 are skipped. AR ≤ 0 → 0.
pub fn true_dso<'a>(
    as_of: Day,
    invoices: impl Iterator<Item = &'a Invoice>,
    months: &[MonthSales],
) -> DsoValue {
    true_dso_detail(as_of, invoices, months).0
}

/// [`true_dso`] and the oldest month it needed.
fn true_dso_detail<'a>(
    as_of: Day,
    invoices: impl Iterator<Item = &'a Invoice>,
    months: &[MonthSales],
) -> (DsoValue, Option<Period>) {
    let mut total: i128 = 0;
    let mut by_month: BTreeMap<Period, i128> = BTreeMap::new();
    for inv in invoices.filter(|i| i.open.0 != 0) {
        total += i128::from(inv.open.0);
        let age = i128::from(as_of.days_since(inv.invoice_date));
        *by_month.entry(period_of(inv.invoice_date)).or_default() += age * i128::from(inv.open.0);
    }
    let oldest = by_month.keys().next().copied();
    if total <= 0 {
        return (DsoValue::whole(0), oldest);
    }
    let mut days = Decimal::ZERO;
    for (p, weighted) in by_month {
        let Some(m) = months.iter().find(|m| m.period == p) else {
            return (
                DsoValue::InsufficientHistory {
                    months_available: months.len(),
                },
                oldest,
            );
        };
        if weighted == 0 {
            continue;
        }
        if m.sales.0 <= 0 {
            return (DsoValue::NoSales, oldest);
        }
        days += fraction(weighted, i128::from(m.sales.0));
    }
    (DsoValue::Days { days: round2(days) }, oldest)
}

/// `num / den` as a decimal (28 significant digits), without overflowing
/// on large numerators.
fn fraction(num: i128, den: i128) -> Decimal {
    let q = Decimal::try_from_i128_with_scale(num / den, 0).unwrap_or(Decimal::MAX);
    let r = Decimal::try_from_i128_with_scale(num % den, 0).unwrap_or_default();
    let d = Decimal::try_from_i128_with_scale(den, 0).unwrap_or(Decimal::MAX);
    q + r / d
}

/// ADD = DSO − BPDSO, from the two rounded figures (so the three figures on
/// a page always reconcile). `None` unless both are numbers.
pub fn add(dso: &DsoValue, bpdso: &DsoValue) -> Option<Decimal> {
    Some(dso.days()? - bpdso.days()?)
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MonthLine {
    pub month: String,
    pub days: u32,
    pub sales: Amount,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DsoMetrics {
    pub method: DsoMethod,
    pub window_months: u32,
    pub ar: Amount,
    pub current_ar: Amount,
    /// Headline DSO by the configured method.
    pub dso: DsoValue,
    /// The configured method applied to current (not yet due) AR.
    pub bpdso: DsoValue,
    /// DSO − BPDSO.
    pub add: Option<Decimal>,
    pub target: Option<Decimal>,
    /// DSO − target (positive: above target).
    pub versus_target: Option<Decimal>,
    pub countback: DsoValue,
    pub standard: DsoValue,
    #[serde(rename = "true")]
    pub true_dso: DsoValue,
    /// The monthly sales the methods used, newest first.
    pub months: Vec<MonthLine>,
    /// The configured method per division: the division's AR over the
    /// division's own credit sales.
    pub by_division: Vec<DivisionDso>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DivisionDso {
    pub division: String,
    pub dso: DsoValue,
    pub bpdso: DsoValue,
    pub add: Option<Decimal>,
}

/// The configured DSO method over one set of invoices and monthly sales;
/// returns (DSO, BPDSO).
fn method_pair<'a>(
    method: DsoMethod,
    as_of: Day,
    invoices: impl Iterator<Item = &'a Invoice> + Clone,
    months: &[MonthSales],
    window: usize,
) -> (DsoValue, DsoValue) {
    let ar: Money = invoices.clone().map(|i| i.open).sum();
    let current = invoices.clone().filter(|i| i.days_past_due(as_of) <= 0);
    let current_ar: Money = current.clone().map(|i| i.open).sum();
    match method {
        DsoMethod::Countback => (countback(ar, months), countback(current_ar, months)),
        DsoMethod::Standard => (
            standard(ar, months, window),
            standard(current_ar, months, window),
        ),
        DsoMethod::True => (
            true_dso(as_of, invoices, months),
            true_dso(as_of, current, months),
        ),
    }
}

fn by_division(ctx: &Context<'_>, window: usize) -> Vec<DivisionDso> {
    let s = ctx.current;
    let mut out: Vec<DivisionDso> = s
        .divisions
        .iter()
        .enumerate()
        .filter(|(i, _)| ctx.aging.by_division[*i].count() > 0)
        .map(|(i, name)| {
            let months = ctx.sales.months_back_for(Some(name.as_str()));
            let invoices = s
                .invoices
                .iter()
                .filter(move |inv| inv.division as usize == i);
            let (dso, bpdso) =
                method_pair(ctx.config.dso_method, s.as_of, invoices, &months, window);
            DivisionDso {
                division: crate::Snapshot::label(name).to_string(),
                add: add(&dso, &bpdso),
                dso,
                bpdso,
            }
        })
        .collect();
    out.sort_by(|a, b| a.division.cmp(&b.division));
    out
}

pub fn compute(ctx: &Context<'_>) -> DsoMetrics {
    let as_of = ctx.as_of();
    let months = ctx.sales.months_back();
    let window = ctx.config.dso_window();
    let ar = ctx.aging.total.total();
    let current_ar = ctx.aging.total.current();
    let invoices = &ctx.current.invoices;
    let (cb, cb_used) = countback_detail(ar, &months);
    let st = standard(ar, &months, window as usize);
    let (tr, oldest) = true_dso_detail(as_of, invoices.iter(), &months);
    let not_due = || invoices.iter().filter(|i| i.days_past_due(as_of) <= 0);
    let (dso, bpdso) = match ctx.config.dso_method {
        DsoMethod::Countback => (cb.clone(), countback(current_ar, &months)),
        DsoMethod::Standard => (st.clone(), standard(current_ar, &months, window as usize)),
        DsoMethod::True => (tr.clone(), true_dso(as_of, not_due(), &months)),
    };
    let true_used = oldest
        .and_then(|o| months.iter().position(|m| m.period == o))
        .map_or(0, |i| i + 1);
    let shown = cb_used
        .max(window as usize)
        .max(true_used)
        .min(months.len());
    DsoMetrics {
        by_division: by_division(ctx, window as usize),
        method: ctx.config.dso_method,
        window_months: window,
        ar: ctx.amount(ar),
        current_ar: ctx.amount(current_ar),
        add: add(&dso, &bpdso),
        versus_target: dso.days().zip(ctx.config.dso_target).map(|(d, t)| d - t),
        target: ctx.config.dso_target,
        dso,
        bpdso,
        countback: cb,
        standard: st,
        true_dso: tr,
        months: months[..shown]
            .iter()
            .map(|m| MonthLine {
                month: format_period(m.period),
                days: m.days,
                sales: ctx.amount(m.sales),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use crate::activity::ActivityLog;
    use crate::ledger::{MetricsConfig, SalesEntry, SalesLedger};
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn days(s: &str) -> DsoValue {
        DsoValue::Days { days: d(s) }
    }

    fn months(list: &[(u32, i64)]) -> Vec<MonthSales> {
        list.iter()
            .enumerate()
            .map(|(n, &(days, sales))| MonthSales {
                period: (2000, 12 - n as u32),
                days,
                sales: Money(sales),
            })
            .collect()
    }

    #[test]
    fn countback_worked_example() {
        // 30 + 30 + 32,000 / 70,000 × 30 = 73.714… → 73.71
        let m = months(&[(30, 100_000), (30, 80_000), (30, 70_000)]);
        assert_eq!(countback(Money(212_000), &m), days("73.71"));
    }

    #[test]
    fn standard_bpdso_add_worked_example() {
        // DSO 15,000 / 10,000 × 30 = 45; BPDSO 4,000 / 10,000 × 30 = 12; ADD 33.
        let m = months(&[(30, 10_000)]);
        let dso = standard(Money(15_000), &m, 1);
        let bpdso = standard(Money(4_000), &m, 1);
        assert_eq!(dso, days("45.00"));
        assert_eq!(bpdso, days("12.00"));
        assert_eq!(add(&dso, &bpdso), Some(d("33.00")));
    }

    #[test]
    fn countback_edges() {
        let m = months(&[(31, 100_000), (28, 0), (31, 50_000)]);
        // AR ≤ 0 → 0, even without history.
        assert_eq!(countback(Money(0), &[]), days("0.00"));
        assert_eq!(countback(Money(-5), &m), days("0.00"));
        // AR exactly the first month's sales: 31 whole days, nothing remains.
        assert_eq!(countback(Money(100_000), &m), days("31.00"));
        // One cent more walks through the zero-sales month in full:
        // 31 + 28 + 1 / 50,000 × 31 = 59.00062 → 59.00
        assert_eq!(countback(Money(100_001), &m), days("59.00"));
        // 125,000: 31 + 28 + 25,000 / 50,000 × 31 = 74.5
        assert_eq!(countback(Money(125_000), &m), days("74.50"));
        // More AR than all the sales on record: no number.
        assert_eq!(
            countback(Money(150_001), &m),
            DsoValue::InsufficientHistory {
                months_available: 3
            }
        );
        assert_eq!(
            countback(Money(1), &[]),
            DsoValue::InsufficientHistory {
                months_available: 0
            }
        );
    }

    #[test]
    fn countback_stops_at_a_month_of_negative_sales() {
        // Months back: 31 days 100,000; 28 days −5,000 (returns exceeded
        // sales); 31 days 50,000. AR 125,000: after the first month 25,000
        // remains, then the negative month stops the walk with 31 days
        // counted. Before this rule: 31 + 28 + (25,000 + 5,000) / 50,000 × 31
        // = 77.60 days.
        let m = months(&[(31, 100_000), (28, -5_000), (31, 50_000)]);
        assert_eq!(
            countback(Money(125_000), &m),
            DsoValue::NegativeSales {
                month: "2000-11".into(),
                days_before: d("31.00")
            }
        );
        // AR used up before the negative month: it is never reached.
        // 60,000 / 100,000 × 31 = 18.60
        assert_eq!(countback(Money(60_000), &m), days("18.60"));
        assert_eq!(countback(Money(100_000), &m), days("31.00"));
    }

    #[test]
    fn division_without_a_ledger_row_has_insufficient_history() {
        // Ledger: North March 3,100, February 2,800 and January 3,100;
        // South March 3,100 and January 3,100, no February row.
        // South AR 4,650 (Feb invoice): countback 3,100 ≥ 3,100 → 31 days,
        // 1,550 remain, and February is missing for South: insufficient
        // history after 1 month. Read as zero, February would have been
        // passed over whole: 31 + 28 + 1,550 / 3,100 × 31 = 74.50.
        // North AR 4,500: 31 + 1,400 / 2,800 × 28 = 45.00.
        let cur = snap(
            "2026-03-31",
            &[
                row(
                    "N1",
                    "C1",
                    "North",
                    "",
                    "2026-02-10",
                    "2026-04-10",
                    4_500,
                    4_500,
                ),
                row(
                    "S1",
                    "C2",
                    "South",
                    "",
                    "2026-02-10",
                    "2026-04-10",
                    4_650,
                    4_650,
                ),
            ],
        );
        let entry = |period, division: &str, amount| SalesEntry {
            period,
            division: Some(division.into()),
            amount: Money(amount),
        };
        let l = SalesLedger::new(vec![
            entry((2026, 1), "North", 3_100),
            entry((2026, 2), "North", 2_800),
            entry((2026, 3), "North", 3_100),
            entry((2026, 1), "South", 3_100),
            entry((2026, 3), "South", 3_100),
        ]);
        let cfg = MetricsConfig::default();
        let ctx = Context::new(&cur, None, &l, ActivityLog::empty(), &[], &cfg);
        let r = compute(&ctx);
        assert_eq!(r.by_division[0].division, "North");
        assert_eq!(r.by_division[0].dso, days("45.00"));
        assert_eq!(r.by_division[1].division, "South");
        assert_eq!(
            r.by_division[1].dso,
            DsoValue::InsufficientHistory {
                months_available: 1
            }
        );
    }

    #[test]
    fn standard_edges() {
        let m = months(&[(31, 0), (30, 0), (31, 0)]);
        assert_eq!(standard(Money(10), &m, 3), DsoValue::NoSales);
        assert_eq!(standard(Money(0), &m, 3), days("0.00"));
        assert_eq!(
            standard(Money(10), &m[..2], 3),
            DsoValue::InsufficientHistory {
                months_available: 2
            }
        );
        // 1,000 × (31 + 30 + 31) / 3,000 = 30.666… → 30.67
        let m = months(&[(31, 1_000), (30, 1_000), (31, 1_000)]);
        assert_eq!(standard(Money(1_000), &m, 3), days("30.67"));
    }

    fn ledger(entries: &[((i32, u32), i64)]) -> SalesLedger {
        SalesLedger::new(
            entries
                .iter()
                .map(|&(period, a)| SalesEntry {
                    period,
                    division: None,
                    amount: Money(a),
                })
                .collect(),
        )
    }

    #[test]
    fn dso_by_division_uses_each_divisions_own_sales() {
        // Snapshot 2026-03-31 (31 days). Ledger March: North 3,100, South 3,100.
        // North AR 3,100 (due Apr 10, current) → countback 3,100 ≥ 3,100:
        //   31 days, nothing left → 31.00; BPDSO the same; ADD 0.00.
        // South AR 1,550, of which 1,000 past due → 1,550 / 3,100 × 31 = 15.50;
        //   BPDSO on 550 current: 550 / 3,100 × 31 = 5.50; ADD 10.00.
        let cur = snap(
            "2026-03-31",
            &[
                row(
                    "N1",
                    "C1",
                    "North",
                    "",
                    "2026-03-11",
                    "2026-04-10",
                    3_100,
                    3_100,
                ),
                row(
                    "S1",
                    "C2",
                    "South",
                    "",
                    "2026-02-01",
                    "2026-03-03",
                    1_000,
                    1_000,
                ),
                row(
                    "S2",
                    "C2",
                    "South",
                    "",
                    "2026-03-20",
                    "2026-04-19",
                    550,
                    550,
                ),
            ],
        );
        let l = SalesLedger::new(vec![
            SalesEntry {
                period: (2026, 3),
                division: Some("North".into()),
                amount: Money(3_100),
            },
            SalesEntry {
                period: (2026, 3),
                division: Some("South".into()),
                amount: Money(3_100),
            },
        ]);
        let cfg = MetricsConfig::default();
        let ctx = Context::new(&cur, None, &l, ActivityLog::empty(), &[], &cfg);
        let r = compute(&ctx);
        let north = &r.by_division[0];
        assert_eq!(
            (north.division.as_str(), &north.dso, north.add),
            ("North", &days("31.00"), Some(d("0.00")))
        );
        let south = &r.by_division[1];
        assert_eq!(south.division, "South");
        assert_eq!(south.dso, days("15.50"));
        assert_eq!(south.bpdso, days("5.50"));
        assert_eq!(south.add, Some(d("10.00")));
    }

    #[test]
    fn all_methods_on_a_snapshot() {
        // Snapshot 2026-03-31; ledger Jan 9,000, Feb 8,000, Mar 10,000.
        // A: dated Mar 16, due Apr 15 (current), open 1,000, age 15.
        // B: dated Feb 14, due Mar 16 (15 days past due), open 2,000, age 45.
        let cur = snap(
            "2026-03-31",
            &[
                row("A", "C1", "", "", "2026-03-16", "2026-04-15", 1_000, 1_000),
                row("B", "C1", "", "", "2026-02-14", "2026-03-16", 2_000, 2_000),
            ],
        );
        let l = ledger(&[((2026, 1), 9_000), ((2026, 2), 8_000), ((2026, 3), 10_000)]);
        let cfg = MetricsConfig::default();
        let ctx = Context::new(&cur, None, &l, ActivityLog::empty(), &[], &cfg);
        let r = compute(&ctx);
        // Countback: 3,000 < 10,000 → 3,000 / 10,000 × 31 = 9.30
        assert_eq!(r.countback, days("9.30"));
        // Standard (3 months): 3,000 × (31 + 28 + 31) / 27,000 = 10.00
        assert_eq!(r.standard, days("10.00"));
        // True: 15 × 1,000 / 10,000 + 45 × 2,000 / 8,000 = 1.5 + 11.25 = 12.75
        assert_eq!(r.true_dso, days("12.75"));
        // BPDSO (countback on current AR 1,000): 1,000 / 10,000 × 31 = 3.10
        assert_eq!(r.dso, days("9.30"));
        assert_eq!(r.bpdso, days("3.10"));
        assert_eq!(r.add, Some(d("6.20")));
        assert_eq!(r.months.len(), 3);

        let cfg = MetricsConfig {
            dso_method: DsoMethod::True,
            dso_target: Some(d("10")),
            ..MetricsConfig::default()
        };
        let ctx = Context::new(&cur, None, &l, ActivityLog::empty(), &[], &cfg);
        let r = compute(&ctx);
        // BPDSO (true, current items only): 1.5
        assert_eq!(r.bpdso, days("1.50"));
        assert_eq!(r.add, Some(d("11.25")));
        assert_eq!(r.versus_target, Some(d("2.75")));
    }

    #[test]
    fn true_dso_needs_the_invoice_month() {
        // B is dated in February, the ledger starts in March.
        let cur = snap(
            "2026-03-31",
            &[row(
                "B",
                "C1",
                "",
                "",
                "2026-02-14",
                "2026-03-16",
                2_000,
                2_000,
            )],
        );
        let l = ledger(&[((2026, 3), 10_000)]);
        let cfg = MetricsConfig::default();
        let ctx = Context::new(&cur, None, &l, ActivityLog::empty(), &[], &cfg);
        let r = compute(&ctx);
        assert_eq!(
            r.true_dso,
            DsoValue::InsufficientHistory {
                months_available: 1
            }
        );
        // Countback still works: 2,000 / 10,000 × 31 = 6.20
        assert_eq!(r.countback, days("6.20"));
        assert_eq!(
            r.standard,
            DsoValue::InsufficientHistory {
                months_available: 1
            }
        );
    }

    #[test]
    fn mid_month_snapshot_counts_the_month_to_date() {
        // 2026-03-15: March counts 15 days and 31,000 × 15 / 31 = 15,000 of
        // sales; February 28 days and 28,000. AR 20,000:
        // 15 + 5,000 / 28,000 × 28 = 20.00
        let cur = snap(
            "2026-03-15",
            &[row(
                "A",
                "C1",
                "",
                "",
                "2026-02-20",
                "2026-03-20",
                20_000,
                20_000,
            )],
        );
        let l = ledger(&[((2026, 2), 28_000), ((2026, 3), 31_000)]);
        let cfg = MetricsConfig::default();
        let ctx = Context::new(&cur, None, &l, ActivityLog::empty(), &[], &cfg);
        assert_eq!(compute(&ctx).countback, days("20.00"));
    }

    #[test]
    fn later_ledger_months_do_not_change_the_figure() {
        let cur = snap(
            "2026-02-28",
            &[row(
                "A",
                "C1",
                "",
                "",
                "2026-02-01",
                "2026-03-01",
                5_000,
                5_000,
            )],
        );
        let cfg = MetricsConfig::default();
        let before = ledger(&[((2026, 1), 9_000), ((2026, 2), 8_000)]);
        let after = ledger(&[((2026, 1), 9_000), ((2026, 2), 8_000), ((2026, 3), 1)]);
        let a = compute(&Context::new(
            &cur,
            None,
            &before,
            ActivityLog::empty(),
            &[],
            &cfg,
        ));
        let b = compute(&Context::new(
            &cur,
            None,
            &after,
            ActivityLog::empty(),
            &[],
            &cfg,
        ));
        assert_eq!(a, b);
    }

    /// Oracle: `num / den` (den > 0) rounded to 2 decimals half away from
    /// zero, by integer arithmetic written out here (not `div_round`).
    fn oracle_days(num: i128, den: i128) -> Decimal {
        assert!(den > 0);
        let hundredths = (2 * num.abs() * 100 + den) / (2 * den);
        Decimal::from_i128_with_scale(num.signum() * hundredths, 2)
    }

    /// Countback by its definition rather than its walk: with P the months
    /// before the first negative one, the figure exists iff AR ≤ 0 or
    /// AR ≤ Σ P; then k is the first month whose cumulative sales reach AR
    /// and the days are D(k−1) + (AR − S(k−1)) × d(k) / s(k).
    fn countback_oracle(ar: i64, m: &[MonthSales]) -> Option<Decimal> {
        if ar <= 0 {
            return Some(oracle_days(0, 1));
        }
        let ar = i128::from(ar);
        let (mut s, mut d) = (0i128, 0i128);
        for month in m.iter().take_while(|x| x.sales.0 >= 0) {
            let (sk, dk) = (i128::from(month.sales.0), i128::from(month.days));
            if s + sk >= ar {
                return Some(oracle_days(d * sk + (ar - s) * dk, sk));
            }
            s += sk;
            d += dk;
        }
        None
    }

    fn months_of(sales: &[i64]) -> Vec<MonthSales> {
        sales
            .iter()
            .enumerate()
            .map(|(n, &s)| MonthSales {
                period: (2000, 1 + n as u32),
                days: 28 + (n as u32 % 4),
                sales: Money(s),
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]
        #[test]
        fn countback_is_monotone_in_ar(
            sales in prop::collection::vec(-1_000i64..200_000, 0..8),
            a in -10_000i64..1_500_000,
            b in -10_000i64..1_500_000,
        ) {
            let m = months_of(&sales);
            let (lo, hi) = (a.min(b), a.max(b));
            let (x, y) = (countback(Money(lo), &m), countback(Money(hi), &m));
            match (x.days(), y.days()) {
                (Some(x), Some(y)) => prop_assert!(x <= y, "{lo} → {x}, {hi} → {y}"),
                // More AR can only run out of history sooner, never later.
                (None, None) | (Some(_), None) => {}
                (None, Some(_)) => prop_assert!(false, "{lo} has no figure but {hi} has"),
            }
        }

        /// Sales never negative and AR covered by them: countback must give
        /// a figure, the oracle's.
        #[test]
        fn countback_exists_when_sales_cover_the_ar(
            sales in prop::collection::vec(prop_oneof![1 => Just(0i64), 6 => 1i64..2_000_000], 1..14),
            pick in 0i64..i64::MAX,
            end in 0u8..4,
            negative_ar in -1_000_000i64..=0,
        ) {
            let m = months_of(&sales);
            let total: i64 = sales.iter().sum();
            prop_assume!(total > 0);
            // Any AR from 1 to Σ sales, the ends often.
            let ar = match end {
                0 => total,
                1 => 1,
                _ => 1 + pick % total,
            };
            let got = countback(Money(ar), &m).days();
            prop_assert!(got.is_some(), "AR {ar} ≤ Σ sales {total} has no figure: {:?}", countback(Money(ar), &m));
            prop_assert_eq!(got, countback_oracle(ar, &m));
            prop_assert_eq!(countback(Money(negative_ar), &m), DsoValue::Days { days: Decimal::new(0, 2) });
        }

        /// Any sales, any AR: the figure is the oracle's, and there is none
        /// exactly where the oracle has none (history too short, or a
        /// negative month reached while AR remains), with the right reason.
        #[test]
        fn countback_is_none_exactly_where_it_must_be(
            sales in prop::collection::vec(prop_oneof![1 => -50_000i64..0, 1 => Just(0i64), 6 => 1i64..200_000], 0..10),
            ar in -10_000i64..2_000_000,
        ) {
            let m = months_of(&sales);
            let got = countback(Money(ar), &m);
            prop_assert_eq!(got.days(), countback_oracle(ar, &m), "{:?}", got);
            if got.days().is_none() {
                let negative = m.iter().position(|x| x.sales.0 < 0);
                match (&got, negative) {
                    (DsoValue::NegativeSales { month, .. }, Some(i)) => prop_assert_eq!(month, &format_period(m[i].period)),
                    (DsoValue::InsufficientHistory { months_available }, None) => prop_assert_eq!(*months_available, m.len()),
                    _ => prop_assert!(false, "wrong reason {:?}", got),
                }
            }
        }

        /// Standard DSO: a figure iff AR ≤ 0, or the window is there and its
        /// sales are positive; then AR × days / sales.
        #[test]
        fn standard_dso_matches_its_oracle(
            sales in prop::collection::vec(-50_000i64..2_000_000, 0..14),
            ar in -10_000i64..50_000_000,
            window in 1usize..13,
        ) {
            let m = months_of(&sales);
            let got = standard(Money(ar), &m, window);
            let expected = if ar <= 0 {
                Some(oracle_days(0, 1))
            } else if m.len() < window {
                None
            } else {
                let s: i128 = m[..window].iter().map(|x| i128::from(x.sales.0)).sum();
                let d: i128 = m[..window].iter().map(|x| i128::from(x.days)).sum();
                (s > 0).then(|| oracle_days(i128::from(ar) * d, s))
            };
            prop_assert_eq!(got.days(), expected, "{:?}", got);
            if expected.is_none() {
                let reason_ok = match got {
                    DsoValue::InsufficientHistory { months_available } => m.len() < window && months_available == m.len(),
                    DsoValue::NoSales => m.len() >= window,
                    _ => false,
                };
                prop_assert!(reason_ok, "{:?}", got);
            }
        }
    }
}

/// Unit tests aimed at mutants cargo-mutants found surviving (issue 21).
#[cfg(test)]
mod mutation_tests {
    use super::super::testutil::*;
    use super::*;
    use crate::activity::ActivityLog;
    use crate::ledger::{MetricsConfig, SalesEntry, SalesLedger};

    /// Ledger Oct 2025 – Mar 2026, `sales[i]` for the i-th month from October.
    fn six_months(sales: [i64; 6]) -> SalesLedger {
        let periods = [
            (2025, 10),
            (2025, 11),
            (2025, 12),
            (2026, 1),
            (2026, 2),
            (2026, 3),
        ];
        SalesLedger::new(
            periods
                .iter()
                .zip(sales)
                .map(|(&period, a)| SalesEntry {
                    period,
                    division: None,
                    amount: Money(a),
                })
                .collect(),
        )
    }

    fn shown(rows: &[Row], ledger: &SalesLedger) -> DsoMetrics {
        let cur = snap("2026-03-31", rows);
        let cfg = MetricsConfig::default();
        let ctx = Context::new(&cur, None, ledger, ActivityLog::empty(), &[], &cfg);
        compute(&ctx)
    }

    #[test]
    fn the_months_shown_reach_back_to_the_oldest_invoice_month_true_dso_needs() {
        // One item of 100 dated 2025-10-15: countback needs March only
        // (100 < 1,000), the window 3 months, true DSO October, the 6th
        // month back → 6 months shown (Mar, Feb, Jan, Dec, Nov, Oct).
        let l = six_months([1_000; 6]);
        let r = shown(
            &[row("A", "C1", "", "", "2025-10-15", "2025-11-14", 100, 100)],
            &l,
        );
        assert_eq!(r.months.len(), 6);
        assert_eq!(r.months[5].month, "2025-10");
    }

    #[test]
    fn the_months_shown_reach_back_as_far_as_countback_walked() {
        // AR 4,500 dated March (true DSO needs March only), 1,000 a month:
        // March 31 days (3,500 left), Feb 28 (2,500), Jan 31 (1,500), Dec 31
        // (500), then November covers 500 / 1,000 of its 30 days = 15 →
        // 31 + 28 + 31 + 31 + 15 = 136.00 over 5 months → 5 shown.
        let l = six_months([1_000; 6]);
        let r = shown(
            &[row(
                "A",
                "C1",
                "",
                "",
                "2026-03-10",
                "2026-04-09",
                4_500,
                4_500,
            )],
            &l,
        );
        assert_eq!(
            r.countback,
            DsoValue::Days {
                days: Decimal::new(13600, 2)
            }
        );
        assert_eq!(r.months.len(), 5);
    }

    #[test]
    fn the_months_shown_include_the_negative_month_that_stopped_countback() {
        // December's sales are −100: AR 3,500 walks March 31 (2,500 left),
        // Feb 28 (1,500), Jan 31 (500), then stops at December, the 4th
        // month, with 90 days before it → 4 months shown (window is 3).
        let l = six_months([1_000, 1_000, -100, 1_000, 1_000, 1_000]);
        let r = shown(
            &[row(
                "A",
                "C1",
                "",
                "",
                "2026-03-10",
                "2026-04-09",
                3_500,
                3_500,
            )],
            &l,
        );
        assert_eq!(
            r.countback,
            DsoValue::NegativeSales {
                month: "2025-12".to_string(),
                days_before: Decimal::new(9000, 2),
            }
        );
        assert_eq!(r.months.len(), 4);
    }
}

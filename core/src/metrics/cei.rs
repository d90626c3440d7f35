//! Collection effectiveness index.
//!
//! CEI = (beginning AR + sales − ending AR) / (beginning AR + sales − ending
//! current AR) × 100. The rolling form divides the sales of the trailing N
//! months by N (average monthly sales); both are computed as one exact
//! fraction (numerator and denominator multiplied by N) and rounded once.
//!
//! Beginning AR: for the period CEI, the previous snapshot's; for the
//! rolling CEI, the AR at the start of its N-month window — the snapshot
//! dated exactly N months before this one ([`window_anchor`]), taken from
//! the previous snapshot or from the earlier snapshots' AR the context
//! carries. Without that snapshot the rolling CEI is "insufficient
//! history", never a shorter window.
//!
//! CEI ≤ 100 exactly when the denominator is positive and ending AR ≥ ending
//! current AR, i.e. the past-due part of ending AR is not negative (which
//! holds when no credit balance is past due: no unapplied cash or credit
//! memo aged beyond its due date).

use super::amount::{percent, Amount};
use super::context::Context;
use crate::ledger::{period_last_day, period_of, previous_period};
use crate::{Day, Money};
use chrono::Datelike;
use rust_decimal::Decimal;
use serde::Serialize;

/// CEI of one period. `None` when the denominator is ≤ 0 (nothing was
/// collectible, the index is meaningless).
pub fn cei(
    beginning: Money,
    sales: Money,
    ending: Money,
    ending_current: Money,
) -> Option<Decimal> {
    rolling_cei(beginning, sales, 1, ending, ending_current)
}

/// Rolling CEI: `sales` are the sales of `n` months, averaged as sales / n.
/// Computed as (n·B + S − n·E) / (n·B + S − n·Ec) × 100.
pub fn rolling_cei(
    beginning: Money,
    sales: Money,
    n: u32,
    ending: Money,
    ending_current: Money,
) -> Option<Decimal> {
    let n = i128::from(n.max(1));
    let (b, s) = (i128::from(beginning.0), i128::from(sales.0));
    let num = n * b + s - n * i128::from(ending.0);
    let den = n * b + s - n * i128::from(ending_current.0);
    if den <= 0 {
        return None;
    }
    percent(num, den)
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CeiLine {
    pub beginning: Amount,
    pub sales: Amount,
    pub ending: Amount,
    pub ending_current: Amount,
    pub cei: Option<Decimal>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RollingCeiLine {
    pub window_months: u32,
    /// The window: the day after `beginning_as_of` through the snapshot date.
    pub window_start: String,
    /// Date of the snapshot whose AR is the beginning AR.
    pub beginning_as_of: String,
    pub beginning: Amount,
    /// Sales of the whole window (divided by `window_months` in the formula).
    pub sales: Amount,
    pub ending: Amount,
    pub ending_current: Amount,
    pub cei: Option<Decimal>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CeiMetrics {
    /// Between the previous and this snapshot; `None` without a previous
    /// snapshot or without sales for the period.
    pub period: Option<CeiLine>,
    /// Beginning AR at the start of the N-month window, sales of the window
    /// / N; `None` unless `rolling_status` is `computed`.
    pub rolling: Option<RollingCeiLine>,
    pub rolling_status: RollingStatus,
    /// N of the rolling CEI (`cei_window_months`, at least 1).
    pub rolling_window_months: u32,
}

/// Whether the rolling CEI could be computed, and if not, what is missing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum RollingStatus {
    /// `rolling` holds the figures (its `cei` is `None` when nothing was
    /// collectible).
    Computed,
    /// No snapshot is dated at the window's start (`needs_snapshot`).
    InsufficientHistory { needs_snapshot: String },
    /// Credit sales do not cover the window.
    SalesNotCovered { window_start: String },
}

/// The date whose AR begins the N-month window ending on `as_of`: N
/// calendar months before it. A month-end maps to the month-end N months
/// back (2026-04-30 → 2026-01-31 for N = 3); another day to the same day of
/// that month, or its last day when the month is shorter (2026-05-30 →
/// 2026-02-28). The window is the day after the anchor through `as_of`, so
/// for month-end snapshots it is exactly the N calendar months ending with
/// the snapshot's month, and for a mid-month snapshot (the 15th) it runs
/// from the 16th N months back.
pub fn window_anchor(as_of: Day, n: u32) -> Day {
    let own = period_of(as_of);
    let mut p = own;
    for _ in 0..n.max(1) {
        p = previous_period(p);
    }
    let last = period_last_day(p);
    if as_of == period_last_day(own) {
        return last;
    }
    Day::from_ymd(p.0, p.1, as_of.date().day()).map_or(last, |d| d.min(last))
}

pub fn compute(ctx: &Context<'_>) -> CeiMetrics {
    let ending = ctx.aging.total.total();
    let ending_current = ctx.aging.total.current();
    let beginning = ctx.previous_aging.as_ref().map(|p| p.total.total());
    let period = beginning.and_then(|beginning| {
        let sales = ctx.sales.period_total(ctx.period)?;
        Some(CeiLine {
            beginning: ctx.amount(beginning),
            sales: ctx.amount(sales),
            ending: ctx.amount(ending),
            ending_current: ctx.amount(ending_current),
            cei: cei(beginning, sales, ending, ending_current),
        })
    });
    let (rolling, rolling_status) = rolling(ctx, ending, ending_current);
    CeiMetrics {
        period,
        rolling,
        rolling_status,
        rolling_window_months: ctx.config.cei_window(),
    }
}

fn rolling(
    ctx: &Context<'_>,
    ending: Money,
    ending_current: Money,
) -> (Option<RollingCeiLine>, RollingStatus) {
    let n = ctx.config.cei_window();
    let anchor = window_anchor(ctx.as_of(), n);
    let start = Day(anchor.0 + 1);
    let Some(beginning) = ctx.ar_at(anchor).map(|ar| ar.total) else {
        let needs_snapshot = anchor.to_string();
        return (None, RollingStatus::InsufficientHistory { needs_snapshot });
    };
    let Some(sales) = ctx.sales.between(start, ctx.as_of(), None) else {
        let window_start = start.to_string();
        return (None, RollingStatus::SalesNotCovered { window_start });
    };
    let line = RollingCeiLine {
        window_months: n,
        window_start: start.to_string(),
        beginning_as_of: anchor.to_string(),
        beginning: ctx.amount(beginning),
        sales: ctx.amount(sales),
        ending: ctx.amount(ending),
        ending_current: ctx.amount(ending_current),
        cei: rolling_cei(beginning, sales, n, ending, ending_current),
    };
    (Some(line), RollingStatus::Computed)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use crate::activity::ActivityLog;
    use crate::ledger::{MetricsConfig, SalesEntry, SalesLedger};
    use crate::metrics::EarlierAr;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn rolling_cei_worked_example() {
        // sales / 3 = 3,630; (6,200 + 3,630 − 6,340) / (6,200 + 3,630 − 3,590)
        // = 3,490 / 6,240 = 55.929… % → 55.93
        assert_eq!(
            rolling_cei(Money(6_200), Money(10_890), 3, Money(6_340), Money(3_590)),
            Some(d("55.93"))
        );
    }

    #[test]
    fn period_cei_by_hand_and_edges() {
        // (100 + 50 − 60) / (100 + 50 − 40) = 90 / 110 = 81.818… → 81.82
        assert_eq!(
            cei(Money(100), Money(50), Money(60), Money(40)),
            Some(d("81.82"))
        );
        // Everything collected: (100 + 50 − 0) / (100 + 50 − 0) = 100
        assert_eq!(
            cei(Money(100), Money(50), Money(0), Money(0)),
            Some(d("100.00"))
        );
        // Denominator 0: nothing was collectible.
        assert_eq!(cei(Money(0), Money(0), Money(0), Money(0)), None);
        assert_eq!(cei(Money(0), Money(10), Money(10), Money(10)), None);
        // A past-due credit (ending < ending current) pushes CEI over 100:
        // (100 + 0 − 30) / (100 + 0 − 40) = 70 / 60 = 116.67
        assert_eq!(
            cei(Money(100), Money(0), Money(30), Money(40)),
            Some(d("116.67"))
        );
    }

    #[test]
    fn cei_on_snapshots() {
        // Beginning 10,000 (P1); ending P1 3,000 past due + N1 5,000 current.
        // Ledger Jan 3,000, Feb 3,000, Mar 6,000.
        // Period: (10,000 + 6,000 − 8,000) / (10,000 + 6,000 − 5,000) = 8,000 / 11,000 = 72.73
        // Rolling (3): sales 12,000 / 3 = 4,000:
        // (10,000 + 4,000 − 8,000) / (10,000 + 4,000 − 5,000) = 6,000 / 9,000 = 66.67
        let prev = snap(
            "2026-02-28",
            &[row(
                "P1",
                "C1",
                "",
                "",
                "2026-02-01",
                "2026-03-03",
                10_000,
                10_000,
            )],
        );
        let cur = snap(
            "2026-03-31",
            &[
                row(
                    "P1",
                    "C1",
                    "",
                    "",
                    "2026-02-01",
                    "2026-03-03",
                    10_000,
                    3_000,
                ),
                row("N1", "C1", "", "", "2026-03-10", "2026-04-09", 5_000, 5_000),
            ],
        );
        let l = SalesLedger::new(
            [((2026, 1), 3_000), ((2026, 2), 3_000), ((2026, 3), 6_000)]
                .into_iter()
                .map(|(period, a)| SalesEntry {
                    period,
                    division: None,
                    amount: Money(a),
                })
                .collect(),
        );
        let cfg = MetricsConfig::default();
        let r = compute(&Context::new(
            &cur,
            Some(&prev),
            &l,
            ActivityLog::empty(),
            &[],
            &cfg,
        ));
        let p = r.period.unwrap();
        assert_eq!(p.sales.money, Money(6_000));
        assert_eq!(p.cei, Some(d("72.73")));
        // Rolling (3 months): the window is Jan 1 – Mar 31, so it begins with
        // the AR of a snapshot dated 2025-12-31, which the context lacks.
        assert_eq!(r.rolling, None);
        assert_eq!(
            r.rolling_status,
            RollingStatus::InsufficientHistory {
                needs_snapshot: "2025-12-31".into()
            }
        );
        // Given that snapshot's AR, 10,000: sales 12,000 / 3 = 4,000:
        // (10,000 + 4,000 − 8,000) / (10,000 + 4,000 − 5,000) = 6,000 / 9,000 = 66.67
        let earlier = [EarlierAr {
            as_of: day("2025-12-31"),
            total: Money(10_000),
            current: Money(10_000),
        }];
        let log = ActivityLog::empty();
        let ctx = Context::new(&cur, Some(&prev), &l, log, &[], &cfg).with_earlier(&earlier);
        let r = compute(&ctx);
        assert_eq!(r.rolling_status, RollingStatus::Computed);
        let roll = r.rolling.unwrap();
        assert_eq!(roll.sales.money, Money(12_000));
        assert_eq!(roll.beginning_as_of, "2025-12-31");
        assert_eq!(roll.window_start, "2026-01-01");
        assert_eq!(roll.cei, Some(d("66.67")));
        // No previous snapshot: no beginning AR, no period CEI.
        let r = compute(&Context::new(
            &cur,
            None,
            &l,
            ActivityLog::empty(),
            &[],
            &cfg,
        ));
        assert_eq!(r.period, None);
        assert_eq!(r.rolling, None);
    }

    #[test]
    fn window_anchor_is_n_months_back() {
        let at = |s: &str, n| window_anchor(day(s), n).to_string();
        // Month-ends map to month-ends.
        assert_eq!(at("2026-04-30", 3), "2026-01-31");
        assert_eq!(at("2026-02-28", 3), "2025-11-30");
        assert_eq!(at("2026-03-31", 1), "2026-02-28");
        // Mid-month: the same day, or the month's last day when shorter.
        assert_eq!(at("2026-03-15", 3), "2025-12-15");
        assert_eq!(at("2026-05-30", 3), "2026-02-28");
    }

    #[test]
    fn rolling_cei_begins_at_the_window_start() {
        // Snapshots 2026-01-31 (AR 6,200, given as an earlier AR),
        // 2026-03-31 (previous, AR 6,000) and 2026-04-30 (AR 6,340, of
        // which 3,590 current). Ledger Feb 3,500 + Mar 3,600 + Apr 3,790 =
        // 10,890. Window (N = 3): Feb 1 – Apr 30, beginning AR 6,200:
        // (6,200 + 3,630 − 6,340) / (6,200 + 3,630 − 3,590) = 3,490 / 6,240
        // = 55.93 %. The previous snapshot's 6,000 would give 3,290 / 6,040
        // = 54.47 %.
        let prev = snap(
            "2026-03-31",
            &[row(
                "P",
                "C1",
                "",
                "",
                "2026-03-01",
                "2026-03-31",
                6_000,
                6_000,
            )],
        );
        let cur = snap(
            "2026-04-30",
            &[
                row("P", "C1", "", "", "2026-03-01", "2026-03-31", 6_000, 2_750),
                row("Q", "C1", "", "", "2026-04-20", "2026-05-20", 3_590, 3_590),
            ],
        );
        let l = SalesLedger::new(
            [((2026, 2), 3_500), ((2026, 3), 3_600), ((2026, 4), 3_790)]
                .into_iter()
                .map(|(period, a)| SalesEntry {
                    period,
                    division: None,
                    amount: Money(a),
                })
                .collect(),
        );
        let earlier = [
            EarlierAr {
                as_of: day("2026-01-31"),
                total: Money(6_200),
                current: Money(1),
            },
            EarlierAr {
                as_of: day("2026-02-28"),
                total: Money(9_999),
                current: Money(1),
            },
        ];
        let cfg = MetricsConfig::default();
        let log = ActivityLog::empty();
        let ctx = Context::new(&cur, Some(&prev), &l, log, &[], &cfg).with_earlier(&earlier);
        let r = compute(&ctx);
        let roll = r.rolling.unwrap();
        assert_eq!(roll.beginning.money, Money(6_200));
        assert_eq!(roll.sales.money, Money(10_890));
        assert_eq!(roll.cei, Some(d("55.93")));
        assert_eq!(
            rolling_cei(Money(6_000), Money(10_890), 3, Money(6_340), Money(3_590)),
            Some(d("54.47"))
        );
        // With N = 1 the window starts after the previous snapshot (Mar 31):
        // (6,000 + 3,790 − 6,340) / (6,000 + 3,790 − 3,590) = 3,450 / 6,200 = 55.65
        let cfg = MetricsConfig {
            cei_window_months: 1,
            ..MetricsConfig::default()
        };
        let ctx = Context::new(&cur, Some(&prev), &l, log, &[], &cfg).with_earlier(&earlier);
        assert_eq!(compute(&ctx).rolling.unwrap().cei, Some(d("55.65")));
    }

    /// Oracle: `100 × num / den` rounded to 2 decimals half away from zero,
    /// by integer arithmetic written out here (not `amount::percent`).
    fn oracle_percent(num: i128, den: i128) -> Decimal {
        assert!(den > 0);
        let twice = 2 * num.abs() * 100 * 100;
        let hundredths = (twice + den) / (2 * den);
        Decimal::from_i128_with_scale(num.signum() * hundredths, 2)
    }

    proptest! {
        #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]
        /// Denominator > 0 (chosen so by construction: ending current AR
        /// below (n·B + S) / n) and ending AR ≥ ending current AR: a figure
        /// must exist, it equals the oracle, and (numerator = denominator −
        /// n × past due ≤ denominator) it is at most 100.
        #[test]
        fn cei_exists_and_is_at_most_100_when_past_due_is_not_negative(
            b in -1_000_000i64..1_000_000_000,
            s in -1_000_000i64..1_000_000_000,
            below in prop_oneof![1i64..4, 1i64..1_000_000_000],
            past_due in 0i64..1_000_000_000,
            n in 1u32..13,
        ) {
            let n128 = i128::from(n);
            let top = n128 * i128::from(b) + i128::from(s);
            // The largest ec with n·ec < top, minus `below − 1`.
            let ec = i64::try_from((top - 1).div_euclid(n128)).unwrap() - (below - 1);
            let e = ec + past_due;
            let num = top - n128 * i128::from(e);
            let den = top - n128 * i128::from(ec);
            prop_assert!(den > 0);
            let c = rolling_cei(Money(b), Money(s), n, Money(e), Money(ec));
            prop_assert_eq!(c, Some(oracle_percent(num, den)));
            prop_assert!(c.unwrap() <= Decimal::ONE_HUNDRED, "{:?}", c);
            if n == 1 {
                prop_assert_eq!(cei(Money(b), Money(s), Money(e), Money(ec)), c);
            }
        }

        /// No figure exactly when nothing was collectible: denominator ≤ 0.
        #[test]
        fn cei_is_none_exactly_when_the_denominator_is_not_positive(
            b in -1_000_000i64..1_000_000_000,
            s in -1_000_000i64..1_000_000_000,
            over in 0i64..1_000_000,
            e in -1_000_000i64..1_000_000_000,
            n in 1u32..13,
        ) {
            let n128 = i128::from(n);
            let top = n128 * i128::from(b) + i128::from(s);
            // The smallest ec with n·ec ≥ top, plus `over`: den ≤ 0.
            let ec = i64::try_from(-(-top).div_euclid(n128)).unwrap() + over;
            prop_assert!(top - n128 * i128::from(ec) <= 0);
            prop_assert_eq!(rolling_cei(Money(b), Money(s), n, Money(e), Money(ec)), None);
            // One unit of current AR below the threshold gives a figure.
            let den = top - n128 * i128::from(ec - over - 1);
            prop_assert!(den > 0);
            let num = top - n128 * i128::from(e);
            prop_assert_eq!(
                rolling_cei(Money(b), Money(s), n, Money(e), Money(ec - over - 1)),
                Some(oracle_percent(num, den))
            );
        }
    }
}

//! Collection effectiveness index.
//!
//! CEI = (beginning AR + sales − ending AR) / (beginning AR + sales − ending
//! current AR) × 100. The rolling form divides the sales of the trailing N
//! months by N (average monthly sales); both are computed as one exact
//! fraction (numerator and denominator multiplied by N) and rounded once.
//!
//! CEI ≤ 100 exactly when the denominator is positive and ending AR ≥ ending
//! current AR, i.e. the past-due part of ending AR is not negative (which
//! holds when no credit balance is past due: no unapplied cash or credit
//! memo aged beyond its due date).

use super::amount::{percent, Amount};
use super::context::Context;
use crate::Money;
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
    /// Beginning AR of the previous snapshot, sales of the trailing N months
    /// / N; `None` without a previous snapshot or enough sales history.
    pub rolling: Option<RollingCeiLine>,
}

pub fn compute(ctx: &Context<'_>) -> CeiMetrics {
    let Some(prev) = ctx.previous_aging.as_ref() else {
        return CeiMetrics {
            period: None,
            rolling: None,
        };
    };
    let beginning = prev.total.total();
    let ending = ctx.aging.total.total();
    let ending_current = ctx.aging.total.current();
    let period = ctx.sales.period_total(ctx.period).map(|sales| CeiLine {
        beginning: ctx.amount(beginning),
        sales: ctx.amount(sales),
        ending: ctx.amount(ending),
        ending_current: ctx.amount(ending_current),
        cei: cei(beginning, sales, ending, ending_current),
    });
    let n = ctx.config.cei_window();
    let rolling = ctx
        .sales
        .between(ctx.sales.window_start(n), ctx.as_of(), None)
        .map(|sales| RollingCeiLine {
            window_months: n,
            beginning: ctx.amount(beginning),
            sales: ctx.amount(sales),
            ending: ctx.amount(ending),
            ending_current: ctx.amount(ending_current),
            cei: rolling_cei(beginning, sales, n, ending, ending_current),
        });
    CeiMetrics { period, rolling }
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
        let roll = r.rolling.unwrap();
        assert_eq!(roll.sales.money, Money(12_000));
        assert_eq!(roll.cei, Some(d("66.67")));
        // No previous snapshot: no beginning AR, no CEI.
        let r = compute(&Context::new(
            &cur,
            None,
            &l,
            ActivityLog::empty(),
            &[],
            &cfg,
        ));
        assert_eq!(
            r,
            CeiMetrics {
                period: None,
                rolling: None
            }
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]
        /// Precondition: denominator > 0 and ending AR ≥ ending current AR
        /// (past-due part of ending AR ≥ 0). Then numerator = denominator −
        /// n × past due ≤ denominator, so CEI ≤ 100.
        #[test]
        fn cei_at_most_100_when_past_due_is_not_negative(
            b in -1_000_000i64..1_000_000_000,
            s in -1_000_000i64..1_000_000_000,
            ec in -1_000_000i64..1_000_000_000,
            past_due in 0i64..1_000_000_000,
            n in 1u32..13,
        ) {
            let e = ec + past_due;
            if let Some(c) = rolling_cei(Money(b), Money(s), n, Money(e), Money(ec)) {
                prop_assert!(c <= Decimal::ONE_HUNDRED, "{c}");
            }
        }
    }
}

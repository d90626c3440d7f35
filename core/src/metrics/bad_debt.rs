//! Write-offs, recoveries and agency placements.
//!
//! Period figures count activity dated in the period; "to date" figures
//! count all activity dated on or before the snapshot date.
//! - bad-debt ratio = write-offs of the period / credit sales of the period
//!   × 100, also in basis points (× 10,000, 2 dp) so that a small ratio
//!   (60.81 / 7.83 M) does not print as 0.00 %
//! - trailing-12-month net bad-debt ratio = (write-offs − recoveries dated in
//!   the 12 months ending on the snapshot date) / credit sales of the same
//!   days × 100; none ("insufficient history") unless credit sales cover
//!   those months and the activity log reaches back to their first month
//! - recovery rate = recoveries to date on invoices written off to date /
//!   write-offs to date × 100
//! - liquidation rate = collected after placement / placed to date × 100,
//!   where collected = payments + recoveries on a placed invoice dated
//!   strictly after its first placement (and on or before the snapshot date)

use super::amount::{div_round, percent_money, Amount, NamedAmount};
use super::collections::named;
use super::context::Context;
use crate::activity::ActivityRef;
use crate::ledger::{period_of, ActivityKind};
use crate::{Day, Money};
use hashbrown::{HashMap, HashSet};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// (placed, collected after placement) over activity rows (any order).
pub fn liquidation<'a>(rows: impl Iterator<Item = ActivityRef<'a>> + Clone) -> (Money, Money) {
    let mut first: HashMap<&str, Day> = HashMap::new();
    let mut placed = Money::ZERO;
    for a in rows.clone().filter(|a| a.kind() == ActivityKind::Placement) {
        placed += a.amount();
        if a.invoice_id().is_empty() {
            continue;
        }
        let d = first.entry(a.invoice_id()).or_insert(a.date());
        *d = (*d).min(a.date());
    }
    let collected = rows
        .filter(|a| matches!(a.kind(), ActivityKind::Payment | ActivityKind::Recovery))
        .filter(|a| first.get(a.invoice_id()).is_some_and(|&p| a.date() > p))
        .map(|a| a.amount())
        .sum();
    (placed, collected)
}

/// (written off to date, recovered on those invoices to date).
pub fn recovery<'a>(rows: impl Iterator<Item = ActivityRef<'a>> + Clone) -> (Money, Money) {
    let written: HashSet<&str> = rows
        .clone()
        .filter(|a| a.kind() == ActivityKind::WriteOff && !a.invoice_id().is_empty())
        .map(|a| a.invoice_id())
        .collect();
    let written_off = rows
        .clone()
        .filter(|a| a.kind() == ActivityKind::WriteOff)
        .map(|a| a.amount())
        .sum();
    let recovered = rows
        .filter(|a| a.kind() == ActivityKind::Recovery && written.contains(a.invoice_id()))
        .map(|a| a.amount())
        .sum();
    (written_off, recovered)
}

/// `part / whole` in basis points (× 10,000), 2 dp: 1 bp = 0.01 %.
pub fn basis_points(part: Money, whole: Money) -> Option<Decimal> {
    div_round(i128::from(part.0) * 10_000, i128::from(whole.0), 2)
}

/// The first day of the 12 months ending on `as_of`: the day after the same
/// date a year earlier (2026-10-31 → 2025-11-01; 2024-02-29 → 2023-03-01).
pub fn twelve_months_from(as_of: Day) -> Day {
    let year_before = as_of
        .date()
        .checked_sub_months(chrono::Months::new(12))
        .map_or(Day(as_of.0 - 365), Day::from_date);
    Day(year_before.0 + 1)
}

/// The trailing-12-month bad-debt ratio net of recoveries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TrailingBadDebt {
    /// First and last day of the 12 months (both included).
    pub start: String,
    pub end: String,
    pub write_offs: Amount,
    pub recoveries: Amount,
    /// Credit sales of the 12 months (`None` when not covered).
    pub sales: Option<Amount>,
    /// (write-offs − recoveries) / sales × 100, 2 dp; may be negative when
    /// recoveries exceed write-offs. `None`: see `insufficient_history`.
    pub net_ratio: Option<Decimal>,
    /// The same in basis points, 2 dp.
    pub net_ratio_bp: Option<Decimal>,
    /// Why there is no ratio, when there is none.
    pub insufficient_history: Option<String>,
}

/// The trailing-12-month figures over activity rows `(date, kind, amount)`
/// (any order, any dates: those outside the 12 months are skipped).
/// `first_activity` is the date of the log's first row: the log is taken as
/// complete from that row's month on, and write-offs before it are unknown,
/// not zero. `sales` = credit sales of the 12 months (`None`: not covered).
pub fn trailing(
    rows: impl Iterator<Item = (Day, ActivityKind, Money)>,
    first_activity: Option<Day>,
    as_of: Day,
    sales: Option<Money>,
    exponent: u32,
) -> TrailingBadDebt {
    let start = twelve_months_from(as_of);
    let (mut written, mut recovered) = (Money::ZERO, Money::ZERO);
    for (date, kind, amount) in rows {
        if date < start || date > as_of {
            continue;
        }
        match kind {
            ActivityKind::WriteOff => written += amount,
            ActivityKind::Recovery => recovered += amount,
            _ => {}
        }
    }
    let missing = match (sales, first_activity) {
        (None, _) => Some(format!(
            "credit sales do not cover the 12 months {start} to {as_of}"
        )),
        (_, None) => Some("no activity log: write-offs and recoveries are unknown".to_string()),
        (_, Some(f)) if period_of(f) > period_of(start) => Some(format!(
            "the activity log starts on {f}, after the first month of the 12 months {start} to {as_of}"
        )),
        _ => None,
    };
    let net = written - recovered;
    let ratio = |f: fn(Money, Money) -> Option<Decimal>| match (&missing, sales) {
        (None, Some(s)) => f(net, s),
        _ => None,
    };
    let amount = |m: Money| Amount::new(m, exponent);
    TrailingBadDebt {
        start: start.to_string(),
        end: as_of.to_string(),
        write_offs: amount(written),
        recoveries: amount(recovered),
        sales: sales.map(amount),
        net_ratio: ratio(percent_money),
        net_ratio_bp: ratio(basis_points),
        insufficient_history: missing,
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BadDebt {
    pub write_offs: Amount,
    pub write_offs_by_division: Vec<NamedAmount>,
    pub write_offs_by_collector: Vec<NamedAmount>,
    pub period_sales: Option<Amount>,
    /// Percent, 2 dp.
    pub bad_debt_ratio: Option<Decimal>,
    /// The same in basis points, 2 dp (pages show it below 0.1 % = 10 bp).
    pub bad_debt_ratio_bp: Option<Decimal>,
    pub trailing_12_months: TrailingBadDebt,
    pub recoveries: Amount,
    pub written_off_to_date: Amount,
    pub recovered_to_date: Amount,
    pub recovery_rate: Option<Decimal>,
    pub placements: Amount,
    pub placements_count: u32,
    pub placed_to_date: Amount,
    pub collected_after_placement: Amount,
    pub liquidation_rate: Option<Decimal>,
}

pub fn compute(ctx: &Context<'_>) -> BadDebt {
    let mut write_offs = Money::ZERO;
    let mut by_division: BTreeMap<String, Money> = BTreeMap::new();
    let mut by_collector: BTreeMap<String, Money> = BTreeMap::new();
    let (mut recoveries, mut placements, mut placements_count) = (Money::ZERO, Money::ZERO, 0);
    for a in ctx.period_activity() {
        match a.kind() {
            ActivityKind::WriteOff => {
                write_offs += a.amount();
                *by_division
                    .entry(ctx.division_of(a).to_string())
                    .or_default() += a.amount();
                *by_collector
                    .entry(ctx.flow_collector(a).to_string())
                    .or_default() += a.amount();
            }
            ActivityKind::Recovery => recoveries += a.amount(),
            ActivityKind::Placement => {
                placements += a.amount();
                placements_count += 1;
            }
            _ => {}
        }
    }
    let sales = ctx.sales.period_total(ctx.period);
    let all = ctx.activity();
    let (written_off, recovered) = recovery(all.clone());
    let (placed, collected) = liquidation(all.clone());
    let as_of = ctx.as_of();
    let trailing_12_months = trailing(
        ctx.activity().map(|a| (a.date(), a.kind(), a.amount())),
        ctx.activity().next().map(|a| a.date()),
        as_of,
        ctx.sales.between(twelve_months_from(as_of), as_of, None),
        ctx.exponent(),
    );
    BadDebt {
        write_offs: ctx.amount(write_offs),
        write_offs_by_division: named(ctx, &by_division),
        write_offs_by_collector: named(ctx, &by_collector),
        period_sales: sales.map(|s| ctx.amount(s)),
        bad_debt_ratio: sales.and_then(|s| percent_money(write_offs, s)),
        bad_debt_ratio_bp: sales.and_then(|s| basis_points(write_offs, s)),
        trailing_12_months,
        recoveries: ctx.amount(recoveries),
        written_off_to_date: ctx.amount(written_off),
        recovered_to_date: ctx.amount(recovered),
        recovery_rate: percent_money(recovered, written_off),
        placements: ctx.amount(placements),
        placements_count,
        placed_to_date: ctx.amount(placed),
        collected_after_placement: ctx.amount(collected),
        liquidation_rate: percent_money(collected, placed),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use crate::activity::ActivityLog;
    use crate::ledger::{Activity, MetricsConfig, SalesEntry, SalesLedger};
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn bad_debt_by_hand() {
        // Period March 2026 (previous snapshot 2026-02-28), March sales 10,000.
        let prev = snap(
            "2026-02-28",
            &[row(
                "W2",
                "C1",
                "North",
                "ann",
                "2025-10-01",
                "2025-10-31",
                500,
                500,
            )],
        );
        let cur = snap(
            "2026-03-31",
            &[row(
                "P",
                "C2",
                "South",
                "bob",
                "2025-09-01",
                "2025-10-01",
                2_000,
                1_600,
            )],
        );
        let act = vec![
            activity("2026-02-10", ActivityKind::WriteOff, "C9", "W1", 1_000), // before the period
            activity("2026-03-05", ActivityKind::WriteOff, "C1", "W2", 500),
            activity("2026-03-20", ActivityKind::Recovery, "C9", "W1", 200),
            activity("2026-03-21", ActivityKind::Recovery, "C8", "R9", 50), // never written off
            activity("2026-03-01", ActivityKind::Placement, "C2", "P", 2_000),
            activity("2026-03-01", ActivityKind::Payment, "C2", "P", 300), // same day: before placement
            activity("2026-03-10", ActivityKind::Payment, "C2", "P", 400),
            activity("2026-03-15", ActivityKind::Recovery, "C2", "P", 100),
            activity("2026-04-03", ActivityKind::WriteOff, "C2", "P", 1_100), // after the snapshot
        ];
        let l = SalesLedger::new(vec![SalesEntry {
            period: (2026, 3),
            division: None,
            amount: Money(10_000),
        }]);
        let cfg = MetricsConfig::default();
        let log = ActivityLog::from_rows(&act);
        let b = compute(&Context::new(&cur, Some(&prev), &l, &log, &[], &cfg));
        // Write-offs of March: 500 (W2, North, ann); ratio 500 / 10,000 = 5.00 %
        assert_eq!(b.write_offs.money, Money(500));
        assert_eq!(b.write_offs_by_division[0].name, "North");
        assert_eq!(b.write_offs_by_collector[0].name, "ann");
        assert_eq!(b.bad_debt_ratio, Some(d("5.00")));
        assert_eq!(b.bad_debt_ratio_bp, Some(d("500.00"))); // 5 % = 500 bp
                                                            // Recoveries of March: 200 + 50 + 100 = 350
        assert_eq!(b.recoveries.money, Money(350));
        // To date: written off 1,000 + 500 = 1,500; recovered on those: 200 → 13.33 %
        assert_eq!(b.written_off_to_date.money, Money(1_500));
        assert_eq!(b.recovered_to_date.money, Money(200));
        assert_eq!(b.recovery_rate, Some(d("13.33")));
        // Placed 2,000; collected after: 400 + 100 = 500 → 25.00 %
        assert_eq!(b.placements_count, 1);
        assert_eq!(b.collected_after_placement.money, Money(500));
        assert_eq!(b.liquidation_rate, Some(d("25.00")));
    }

    #[test]
    fn a_small_ratio_keeps_its_digits_in_basis_points() {
        // March write-offs 60.81 on March sales 7,830,000.00:
        // 6,081 / 783,000,000 × 100 = 0.000777 % → 0.00 %;
        // × 10,000 = 0.0777 bp → 0.08 bp.
        let cur = snap("2026-03-31", &[]);
        let prev = snap("2026-02-28", &[]);
        let act = vec![activity(
            "2026-03-12",
            ActivityKind::WriteOff,
            "C1",
            "W",
            6_081,
        )];
        let l = SalesLedger::new(vec![SalesEntry {
            period: (2026, 3),
            division: None,
            amount: Money(783_000_000),
        }]);
        let cfg = MetricsConfig::default();
        let log = ActivityLog::from_rows(&act);
        let b = compute(&Context::new(&cur, Some(&prev), &l, &log, &[], &cfg));
        assert_eq!(b.bad_debt_ratio, Some(d("0.00")));
        assert_eq!(b.bad_debt_ratio_bp, Some(d("0.08")));
        assert_eq!(basis_points(Money(1), Money(3)), Some(d("3333.33")));
    }

    #[test]
    fn twelve_months_end_on_the_snapshot_date() {
        let from = |s: &str| twelve_months_from(day(s)).to_string();
        assert_eq!(from("2026-10-31"), "2025-11-01");
        assert_eq!(from("2026-03-15"), "2025-03-16");
        // 2023-02-29 does not exist: the year before is 2023-02-28.
        assert_eq!(from("2024-02-29"), "2023-03-01");
    }

    fn months(first: (i32, u32), n: u32, each: i64) -> SalesLedger {
        let mut p = first;
        let mut v = Vec::new();
        for _ in 0..n {
            v.push(SalesEntry {
                period: p,
                division: None,
                amount: Money(each),
            });
            p = crate::ledger::next_period(p);
        }
        SalesLedger::new(v)
    }

    fn trailing_of(act: &[Activity], ledger: &SalesLedger) -> TrailingBadDebt {
        let cur = snap("2026-03-31", &[]);
        let cfg = MetricsConfig::default();
        let log = ActivityLog::from_rows(act);
        let ctx = Context::new(&cur, None, ledger, &log, &[], &cfg);
        compute(&ctx).trailing_12_months
    }

    #[test]
    fn trailing_twelve_months_net_of_recoveries_by_hand() {
        // As of 2026-03-31: the 12 months 2025-04-01 to 2026-03-31.
        // Sales 100,000.00 a month, April 2025 to March 2026 = 1,200,000.00.
        // Write-offs in the window: 1,000.00 (first day) + 534.56 (last day);
        // 999.00 on 2025-03-31 is the day before. Recovery 300.00 in December.
        // Net 1,000.00 + 534.56 − 300.00 = 1,234.56;
        // 123,456 / 120,000,000 × 100 = 0.10288 % → 0.10 %; 10.288 bp → 10.29 bp.
        let act = vec![
            activity("2025-03-31", ActivityKind::WriteOff, "C1", "A", 99_900),
            activity("2025-04-01", ActivityKind::WriteOff, "C1", "B", 100_000),
            activity("2025-12-15", ActivityKind::Recovery, "C1", "A", 30_000),
            activity("2026-03-31", ActivityKind::WriteOff, "C2", "C", 53_456),
            activity("2026-04-01", ActivityKind::WriteOff, "C2", "D", 1), // after
        ];
        let t = trailing_of(&act, &months((2025, 4), 12, 10_000_000));
        assert_eq!(
            (t.start.as_str(), t.end.as_str()),
            ("2025-04-01", "2026-03-31")
        );
        assert_eq!(t.write_offs.money, Money(153_456));
        assert_eq!(t.recoveries.money, Money(30_000));
        assert_eq!(t.sales.map(|s| s.money), Some(Money(120_000_000)));
        assert_eq!(t.net_ratio, Some(d("0.10")));
        assert_eq!(t.net_ratio_bp, Some(d("10.29")));
        assert_eq!(t.insufficient_history, None);
    }

    #[test]
    fn trailing_twelve_months_need_the_history() {
        let act = vec![activity(
            "2025-04-20",
            ActivityKind::WriteOff,
            "C1",
            "B",
            100_000,
        )];
        // Sales from May 2025 only: April 2025 is not covered.
        let t = trailing_of(&act, &months((2025, 5), 11, 10_000_000));
        assert_eq!(t.sales, None);
        assert_eq!(t.net_ratio, None);
        assert_eq!(
            t.insufficient_history.as_deref(),
            Some("credit sales do not cover the 12 months 2025-04-01 to 2026-03-31")
        );
        // Full sales, but the log starts in May 2025: April's write-offs are unknown.
        let late = vec![activity(
            "2025-05-02",
            ActivityKind::WriteOff,
            "C1",
            "B",
            100_000,
        )];
        let t = trailing_of(&late, &months((2025, 4), 12, 10_000_000));
        assert_eq!(t.net_ratio_bp, None);
        assert!(t
            .insufficient_history
            .unwrap()
            .starts_with("the activity log starts on 2025-05-02"));
        // A log whose first row is in the window's first month (not its first day) covers it.
        let t = trailing_of(&act, &months((2025, 4), 12, 10_000_000));
        // 1,000.00 / 1,200,000.00: 100,000 / 120,000,000 × 100 = 0.0833 % → 0.08 %; 8.33 bp
        assert_eq!(t.net_ratio, Some(d("0.08")));
        assert_eq!(t.net_ratio_bp, Some(d("8.33")));
        let t = trailing_of(&[], &months((2025, 4), 12, 10_000_000));
        assert!(t
            .insufficient_history
            .unwrap()
            .starts_with("no activity log"));
    }

    #[test]
    fn nothing_to_divide_by() {
        let cur = snap("2026-03-31", &[]);
        let cfg = MetricsConfig::default();
        let l = SalesLedger::new(vec![SalesEntry {
            period: (2026, 3),
            division: None,
            amount: Money(0),
        }]);
        let b = compute(&Context::new(
            &cur,
            None,
            &l,
            ActivityLog::empty(),
            &[],
            &cfg,
        ));
        assert_eq!(b.bad_debt_ratio, None);
        assert_eq!(b.recovery_rate, None);
        assert_eq!(b.liquidation_rate, None);
        assert_eq!(b.period_sales.map(|a| a.money), Some(Money(0)));
    }
}

/// Unit tests aimed at mutants cargo-mutants found surviving (issue 21).
#[cfg(test)]
mod mutation_tests {
    use super::super::testutil::*;
    use super::*;
    use crate::activity::ActivityLog;
    use crate::ledger::{MetricsConfig, SalesLedger};

    #[test]
    fn twelve_months_before_the_first_representable_year_fall_back_to_365_days() {
        // Ten days after chrono's first date there is no "a year earlier":
        // the start is 365 days back, plus one (the day after), = 10 − 364.
        let min = Day::from_date(chrono::NaiveDate::MIN);
        assert_eq!(twelve_months_from(Day(min.0 + 10)), Day(min.0 - 354));
    }

    #[test]
    fn placements_of_the_period_are_counted_and_summed() {
        // Period: after 2026-02-28 through 2026-03-31. Placements on Mar 5
        // (300) and Mar 20 (200) count: 2, 500; the Feb 20 one (1,000) is
        // before the period (but placed to date: 1,500).
        let prev = snap("2026-02-28", &[]);
        let cur = snap("2026-03-31", &[]);
        let act = vec![
            activity("2026-02-20", ActivityKind::Placement, "C1", "I1", 1_000),
            activity("2026-03-05", ActivityKind::Placement, "C2", "I2", 300),
            activity("2026-03-20", ActivityKind::Placement, "C3", "I3", 200),
        ];
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let log = ActivityLog::from_rows(&act);
        let b = compute(&Context::new(&cur, Some(&prev), &l, &log, &[], &cfg));
        assert_eq!(b.placements_count, 2);
        assert_eq!(b.placements.money, Money(500));
        assert_eq!(b.placed_to_date.money, Money(1_500));
    }
}

//! Credit sales as the metrics see them: from the sales ledger when one is
//! given, else derived from the invoices the snapshots and the activity show.
//!
//! Ledger months are assumed to accrue evenly over their days: part of a
//! month (the snapshot's own month to date, or a period that does not start
//! on the 1st) counts `month sales × days covered / days in month`, rounded
//! to minor units half away from zero, month by month.
//!
//! Derived sales (ledger empty) are the original amounts (> 0) of the
//! invoices seen, each invoice id once, dated by their invoice date:
//! every invoice of the current snapshot, every invoice of the previous
//! snapshot not in the current one, and every invoice named only by
//! payments, credit memos or write-offs dated in the period (amount = the sum
//! of those rows, dated by the earliest of them).

use super::amount::prorate;
use super::context::{Context, PeriodRange};
use crate::activity::ActivityRef;
use crate::ledger::{
    next_period, period_days, period_first_day, period_last_day, period_of, previous_period,
    Period, SalesLedger,
};
use crate::{Day, Money};
use std::collections::{BTreeMap, HashSet};

/// Credit sales of one month as used by the DSO methods, newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthSales {
    pub period: Period,
    /// Days counted: the whole month, or the snapshot's month up to and
    /// including the snapshot date.
    pub days: u32,
    pub sales: Money,
}

#[derive(Clone, Debug, Default)]
pub struct CreditSales {
    /// True when the sales ledger is empty and sales are derived.
    pub derived: bool,
    as_of: Day,
    ledger: SalesLedger,
    by_day: BTreeMap<Day, Money>,
    by_division_day: BTreeMap<String, BTreeMap<Day, Money>>,
    first_month: Option<Period>,
    /// Derived sales of the context period per collector. Always derived,
    /// even with a ledger: the ledger has no collector dimension.
    pub period_by_collector: BTreeMap<String, Money>,
    /// Σ of `period_by_collector`.
    pub period_derived_total: Money,
}

impl CreditSales {
    pub fn build(ledger: &SalesLedger, ctx: &Context<'_>) -> CreditSales {
        let as_of = ctx.as_of();
        let month = period_of(as_of);
        let kept = ledger
            .entries()
            .iter()
            .filter(|e| e.period <= month)
            .cloned()
            .collect();
        let mut s = CreditSales {
            derived: ledger.is_empty(),
            as_of,
            ledger: SalesLedger::new(kept),
            ..CreditSales::default()
        };
        let mut seen: HashSet<&str> = HashSet::new();
        for snap in std::iter::once(ctx.current).chain(ctx.previous) {
            for inv in &snap.invoices {
                if !seen.insert(inv.invoice_id.as_str()) {
                    continue;
                }
                if inv.amount.0 > 0 && inv.invoice_date <= as_of {
                    s.add(
                        ctx.period,
                        inv.invoice_date,
                        inv.amount,
                        &snap.divisions[inv.division as usize],
                        &snap.collectors[inv.collector as usize],
                    );
                }
            }
        }
        let mut only: BTreeMap<&str, (Day, Money, ActivityRef<'_>)> = BTreeMap::new();
        for a in ctx.period_activity() {
            if a.kind().settles()
                && !a.invoice_id().is_empty()
                && !ctx.in_either_snapshot(a.invoice_id())
            {
                // Rows come sorted by date: the first one seen is the earliest.
                only.entry(a.invoice_id())
                    .or_insert((a.date(), Money::ZERO, a))
                    .1 += a.amount();
            }
        }
        for (date, amount, a) in only.into_values() {
            if amount.0 > 0 {
                s.add(
                    ctx.period,
                    date,
                    amount,
                    ctx.division_of(a),
                    ctx.collector_of(a),
                );
            }
        }
        s
    }

    fn add(
        &mut self,
        period: PeriodRange,
        date: Day,
        amount: Money,
        division: &str,
        collector: &str,
    ) {
        *self.by_day.entry(date).or_default() += amount;
        if !self.by_division_day.contains_key(division) {
            self.by_division_day
                .insert(division.to_string(), BTreeMap::new());
        }
        if let Some(days) = self.by_division_day.get_mut(division) {
            *days.entry(date).or_default() += amount;
        }
        let m = period_of(date);
        if self.first_month.is_none_or(|f| m < f) {
            self.first_month = Some(m);
        }
        if period.contains(date) {
            match self.period_by_collector.get_mut(collector) {
                Some(m) => *m += amount,
                None => {
                    self.period_by_collector
                        .insert(collector.to_string(), amount);
                }
            }
            self.period_derived_total += amount;
        }
    }

    /// Whether sales of the month are known: a ledger month with at least one
    /// row, or (derived) any month from the earliest invoice seen on; never a
    /// month after the snapshot's.
    pub fn covers(&self, p: Period) -> bool {
        if p > period_of(self.as_of) {
            return false;
        }
        if self.derived {
            self.first_month.is_some_and(|f| p >= f)
        } else {
            self.ledger.covers(p)
        }
    }

    /// Credit sales from `start` through `end` (both included), in total
    /// (`division` `None`) or for one division. `None` when a month of the
    /// range is not covered or the range ends after the snapshot date.
    pub fn between(&self, start: Day, end: Day, division: Option<&str>) -> Option<Money> {
        if end < start {
            return Some(Money::ZERO);
        }
        if end > self.as_of {
            return None;
        }
        let mut total = Money::ZERO;
        let mut p = period_of(start);
        let last = period_of(end);
        while p <= last {
            if !self.covers(p) {
                return None;
            }
            let from = start.max(period_first_day(p));
            let to = end.min(period_last_day(p));
            total += if self.derived {
                match division {
                    None => self.by_day.range(from..=to).map(|(_, m)| *m).sum(),
                    Some(d) => self
                        .by_division_day
                        .get(d)
                        .map(|days| days.range(from..=to).map(|(_, m)| *m).sum())
                        .unwrap_or_default(),
                }
            } else {
                let full = self.ledger.month_sales(p, division)?;
                let days = i64::from(period_days(p));
                let covered = i64::from(to.0 - from.0 + 1);
                if covered >= days {
                    full
                } else {
                    prorate(full, covered, days)
                }
            };
            p = next_period(p);
        }
        Some(total)
    }

    /// Sales of the period (`None` when not covered).
    pub fn period_total(&self, period: PeriodRange) -> Option<Money> {
        self.between(period.start, period.end, None)
    }

    /// Covered months from the snapshot's month back to the first month not
    /// covered, newest first. The snapshot's month counts its days up to
    /// and including the snapshot date, and the sales of those days.
    pub fn months_back(&self) -> Vec<MonthSales> {
        self.months_back_for(None)
    }

    /// [`Self::months_back`] for one division's sales (`None`: the whole business).
    pub fn months_back_for(&self, division: Option<&str>) -> Vec<MonthSales> {
        let own = period_of(self.as_of);
        let mut out = Vec::new();
        let mut p = own;
        while self.covers(p) {
            let days = if p == own {
                self.as_of.days_since(period_first_day(p)) as u32 + 1
            } else {
                period_days(p)
            };
            let sales = self
                .between(
                    period_first_day(p),
                    period_last_day(p).min(self.as_of),
                    division,
                )
                .unwrap_or_default();
            out.push(MonthSales {
                period: p,
                days,
                sales,
            });
            p = previous_period(p);
        }
        out
    }

    /// The first day of the trailing `n` months (the snapshot's month counts
    /// as the first of them).
    pub fn window_start(&self, n: u32) -> Day {
        let mut p = period_of(self.as_of);
        for _ in 1..n.max(1) {
            p = previous_period(p);
        }
        period_first_day(p)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use crate::activity::ActivityLog;
    use crate::ledger::{ActivityKind, MetricsConfig, SalesEntry};

    #[test]
    fn ledger_months_prorate_the_snapshot_month() {
        // Snapshot 2026-03-15: March (31 days, 31,000) counts 15 days →
        // 31,000 × 15 / 31 = 15,000; February is whole (28,000).
        let cur = snap("2026-03-15", &[]);
        let ledger = SalesLedger::new(vec![
            SalesEntry {
                period: (2026, 2),
                division: None,
                amount: Money(28_000),
            },
            SalesEntry {
                period: (2026, 3),
                division: None,
                amount: Money(31_000),
            },
            SalesEntry {
                period: (2026, 4),
                division: None,
                amount: Money(99_999),
            },
        ]);
        let cfg = MetricsConfig::default();
        let ctx = Context::new(&cur, None, &ledger, ActivityLog::empty(), &[], &cfg);
        let m = ctx.sales.months_back();
        assert!(!ctx.sales.derived);
        assert_eq!(
            m,
            vec![
                MonthSales {
                    period: (2026, 3),
                    days: 15,
                    sales: Money(15_000)
                },
                MonthSales {
                    period: (2026, 2),
                    days: 28,
                    sales: Money(28_000)
                },
            ]
        );
        // April is later than the snapshot: never used.
        assert!(!ctx.sales.covers((2026, 4)));
        assert_eq!(
            ctx.sales
                .between(day("2026-02-15"), day("2026-03-15"), None),
            Some(Money(29_000))
        );
    }

    #[test]
    fn derived_sales_count_each_invoice_once_and_activity_only_invoices() {
        // previous 2026-02-28: P1 (Feb 10, 500) and X (Jan 5, 300, still open later);
        // current 2026-03-31: X again (must not count twice), N1 (Mar 3, 1,000),
        // a credit memo line (−200, not a sale); activity: payment of Z
        // (not in any snapshot) 250 on Mar 20 + write-off 50 on Mar 25 → sale of 300 dated Mar 20.
        let prev = snap(
            "2026-02-28",
            &[
                row("P1", "C1", "N", "ann", "2026-02-10", "2026-03-12", 500, 500),
                row("X", "C1", "N", "ann", "2026-01-05", "2026-02-04", 300, 300),
            ],
        );
        let cur = snap(
            "2026-03-31",
            &[
                row("X", "C1", "N", "ann", "2026-01-05", "2026-02-04", 300, 300),
                row(
                    "N1",
                    "C2",
                    "S",
                    "bob",
                    "2026-03-03",
                    "2026-04-02",
                    1_000,
                    1_000,
                ),
                row(
                    "CM",
                    "C2",
                    "S",
                    "bob",
                    "2026-03-04",
                    "2026-03-04",
                    -200,
                    -200,
                ),
            ],
        );
        let act = vec![
            activity("2026-03-20", ActivityKind::Payment, "C3", "Z", 250),
            activity("2026-03-25", ActivityKind::WriteOff, "C3", "Z", 50),
            activity("2026-04-02", ActivityKind::Payment, "C3", "Y", 999),
        ];
        let cfg = MetricsConfig::default();
        let ledger = SalesLedger::default();
        let log = ActivityLog::from_rows(&act);
        let ctx = Context::new(&cur, Some(&prev), &ledger, &log, &[], &cfg);
        let s = &ctx.sales;
        assert!(s.derived);
        let m = s.months_back();
        // March: 1,000 + 300 = 1,300; February: 500; January: 300.
        assert_eq!(
            m.iter()
                .map(|x| (x.period, x.days, x.sales.0))
                .collect::<Vec<_>>(),
            vec![
                ((2026, 3), 31, 1_300),
                ((2026, 2), 28, 500),
                ((2026, 1), 31, 300)
            ]
        );
        assert_eq!(s.period_total(ctx.period), Some(Money(1_300)));
        assert_eq!(s.period_by_collector.get("bob"), Some(&Money(1_000)));
        assert_eq!(s.period_by_collector.get(""), Some(&Money(300)));
        assert_eq!(s.period_derived_total, Money(1_300));
        assert_eq!(
            s.between(day("2026-01-01"), day("2026-03-31"), Some("N")),
            Some(Money(800))
        );
        assert!(!s.covers((2025, 12)));
    }
}

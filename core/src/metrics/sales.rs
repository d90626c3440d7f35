//! Credit sales as the metrics see them: from the sales ledger when one is
//! given, else derived from the invoices the snapshots and the activity show.
//!
//! Ledger months are assumed to accrue evenly over their days: part of a
//! month (the snapshot's own month to date, or a period that does not start
//! on the 1st) counts `month sales × days covered / days in month`, rounded
//! to minor units half away from zero, month by month. A division's month is
//! covered only by a ledger row of that division: no row is missing, not 0.
//!
//! Derived sales (ledger empty) are the original amounts (> 0) of the
//! invoices seen, each invoice id once, dated by their invoice date:
//! every invoice of the current snapshot, every invoice of the previous
//! snapshot not in the current one, and, as an *estimate*, every document
//! no snapshot shows that is paid in the period (amount = its payments and
//! write-offs of the period, dated by the earliest payment). Credit memos
//! are never sales (they are reported as deductions), and unapplied cash
//! ([`is_unapplied_cash`]) names no invoice, so it is no sale either.

use super::amount::{prorate, Amount};
use super::context::{Context, PeriodRange};
use crate::activity::ActivityRef;
use crate::ledger::{
    next_period, period_days, period_first_day, period_last_day, period_of, previous_period,
    ActivityKind, Period, SalesEntry, SalesLedger,
};
use crate::{Day, Money};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};

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
    /// What the period's activity adds to, or keeps out of, derived sales.
    pub period_detail: PeriodDetail,
    /// (month, division) pairs the ledger has a row for.
    ledger_divisions: BTreeSet<(Period, String)>,
}

/// The period's activity as derived sales treat it (money in minor units).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct PeriodDetail {
    /// Estimated sales: payments (and write-offs) of the period on documents
    /// no snapshot shows, counted as invoices issued and settled inside the
    /// period. Part of the derived sales (and of sales per collector).
    pub estimated: Money,
    pub estimated_documents: u32,
    /// Credit memos dated in the period: never sales, reported as deductions.
    pub credit_memos: Money,
    /// Unapplied cash received in the period: no sale either.
    pub unapplied_cash: Money,
}

/// [`PeriodDetail`] as serialised into the snapshot's metrics.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SalesDetail {
    /// Included in derived sales, as an estimate.
    pub estimated: Amount,
    pub estimated_documents: u32,
    /// Credit memos of the period (deductions; not subtracted from sales).
    pub credit_memo_deductions: Amount,
    /// Unapplied cash of the period (excluded).
    pub unapplied_cash: Amount,
}

impl SalesDetail {
    pub fn new(d: &PeriodDetail, exponent: u32) -> SalesDetail {
        SalesDetail {
            estimated: Amount::new(d.estimated, exponent),
            estimated_documents: d.estimated_documents,
            credit_memo_deductions: Amount::new(d.credit_memos, exponent),
            unapplied_cash: Amount::new(d.unapplied_cash, exponent),
        }
    }
}

/// Whether a payment row is unapplied cash (cash not applied to an invoice):
/// its invoice id is empty, or its reference or note says so — contains,
/// ignoring case, "unapplied", "on account", "on-account" or "no remittance".
/// Such cash pays no invoice: it is no sale and has no days to pay.
pub fn is_unapplied_cash(a: ActivityRef<'_>) -> bool {
    const MARKS: [&str; 4] = ["unapplied", "on account", "on-account", "no remittance"];
    let says = |text: &str| {
        let t = text.to_lowercase();
        MARKS.iter().any(|m| t.contains(m))
    };
    a.kind() == ActivityKind::Payment
        && (a.invoice_id().trim().is_empty() || says(a.reference()) || says(a.note()))
}

impl CreditSales {
    pub fn build(ledger: &SalesLedger, ctx: &Context<'_>) -> CreditSales {
        let as_of = ctx.as_of();
        let month = period_of(as_of);
        let kept: Vec<SalesEntry> = ledger
            .entries()
            .iter()
            .filter(|e| e.period <= month)
            .cloned()
            .collect();
        let ledger_divisions = kept
            .iter()
            .filter_map(|e| Some((e.period, e.division.clone()?)))
            .collect();
        let mut s = CreditSales {
            derived: ledger.is_empty(),
            as_of,
            ledger: SalesLedger::new(kept),
            ledger_divisions,
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
                        // Restated to the current portfolio, like every
                        // per-collector flow (see `attribution`).
                        ctx.restated_collector(inv),
                    );
                }
            }
        }
        s.add_estimates(ctx);
        s
    }

    /// Rule 3 of derived sales: documents no snapshot shows that are paid
    /// in the period. Credit memos and unapplied cash are only reported.
    /// Only with a previous snapshot: without one, a document the current
    /// snapshot does not show may have been issued long before the period.
    fn add_estimates(&mut self, ctx: &Context<'_>) {
        let estimate = ctx.previous.is_some();
        struct Doc<'a> {
            /// The earliest payment (rows come sorted by date).
            first: Option<ActivityRef<'a>>,
            amount: Money,
        }
        let mut docs: BTreeMap<&str, Doc<'_>> = BTreeMap::new();
        let mut detail = PeriodDetail::default();
        for a in ctx.period_activity() {
            match a.kind() {
                ActivityKind::CreditMemo => detail.credit_memos += a.amount(),
                ActivityKind::Payment if is_unapplied_cash(a) => {
                    detail.unapplied_cash += a.amount()
                }
                ActivityKind::Payment | ActivityKind::WriteOff
                    if estimate && !ctx.in_either_snapshot(a.invoice_id()) =>
                {
                    let doc = docs.entry(a.invoice_id()).or_insert(Doc {
                        first: None,
                        amount: Money::ZERO,
                    });
                    doc.amount += a.amount();
                    if a.kind() == ActivityKind::Payment && doc.first.is_none() {
                        doc.first = Some(a);
                    }
                }
                _ => {}
            }
        }
        for doc in docs.into_values() {
            // A write-off alone is no evidence of a sale; nor are reversals
            // that net to nothing.
            let Some(a) = doc.first else { continue };
            if doc.amount.0 > 0 {
                detail.estimated += doc.amount;
                detail.estimated_documents += 1;
                self.add(
                    ctx.period,
                    a.date(),
                    doc.amount,
                    ctx.division_of(a),
                    ctx.flow_collector(a),
                );
            }
        }
        self.period_detail = detail;
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

    /// [`Self::covers`] for one division (`None`: the whole business). A
    /// ledger month covers a division only with a row of that division: a
    /// division without a row that month is missing, not zero. Derived sales
    /// cover every division over the same months.
    pub fn covers_for(&self, p: Period, division: Option<&str>) -> bool {
        match division {
            Some(d) if !self.derived => {
                self.covers(p) && self.ledger_divisions.contains(&(p, d.to_string()))
            }
            _ => self.covers(p),
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
            if !self.covers_for(p, division) {
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
        while self.covers_for(p, division) {
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

    #[test]
    fn credit_memos_and_unapplied_cash_are_no_sales() {
        // P1 (dated Feb 10) is the only invoice seen, so March is covered and
        // has no invoice. March activity on documents no snapshot shows:
        // a 5.00 credit memo on X1 and 7.00 of unapplied cash on UC-7
        // (reference "unapplied"). Before: 5.00 + 7.00 = 12.00 of sales.
        // Now: sales 0; the 5.00 is a deduction, the 7.00 unapplied cash.
        let prev = snap(
            "2026-02-28",
            &[row(
                "P1",
                "C1",
                "N",
                "ann",
                "2026-02-10",
                "2026-03-12",
                500,
                500,
            )],
        );
        let cur = snap(
            "2026-03-31",
            &[row(
                "P1",
                "C1",
                "N",
                "ann",
                "2026-02-10",
                "2026-03-12",
                500,
                500,
            )],
        );
        let mut cash = activity("2026-03-09", ActivityKind::Payment, "C1", "UC-7", 700);
        cash.reference = "Unapplied".into();
        let mut act = vec![
            activity("2026-03-05", ActivityKind::CreditMemo, "C1", "X1", 500),
            cash,
        ];
        let cfg = MetricsConfig::default();
        let ledger = SalesLedger::default();
        let log = ActivityLog::from_rows(&act);
        let ctx = Context::new(&cur, Some(&prev), &ledger, &log, &[], &cfg);
        assert_eq!(ctx.sales.period_total(ctx.period), Some(Money(0)));
        assert_eq!(ctx.sales.period_derived_total, Money(0));
        let d = ctx.sales.period_detail;
        assert_eq!((d.credit_memos, d.unapplied_cash), (Money(500), Money(700)));
        assert_eq!((d.estimated, d.estimated_documents), (Money(0), 0));

        // Cash without an invoice id, or whose note says "no remittance
        // advice", is unapplied too; a write-off alone is no sale. A payment
        // of 3.00 on Z, which no snapshot shows, is an estimated sale of 3.00.
        let mut noted = activity("2026-03-10", ActivityKind::Payment, "C1", "UC-8", 200);
        noted.note = "no remittance advice".into();
        act.extend([
            activity("2026-03-11", ActivityKind::Payment, "C1", "", 100),
            noted,
            activity("2026-03-12", ActivityKind::WriteOff, "C1", "W1", 40),
            activity("2026-03-13", ActivityKind::Payment, "C1", "Z", 300),
        ]);
        let log = ActivityLog::from_rows(&act);
        let ctx = Context::new(&cur, Some(&prev), &ledger, &log, &[], &cfg);
        assert_eq!(ctx.sales.period_total(ctx.period), Some(Money(300)));
        let d = ctx.sales.period_detail;
        // Unapplied: 700 + 100 + 200 = 1,000.
        assert_eq!(d.unapplied_cash, Money(1_000));
        assert_eq!((d.estimated, d.estimated_documents), (Money(300), 1));
        // Without a previous snapshot Z may be older than the period: no estimate.
        let ctx = Context::new(&cur, None, &ledger, &log, &[], &cfg);
        assert_eq!(ctx.sales.period_total(ctx.period), Some(Money(0)));
        assert_eq!(ctx.sales.period_detail.estimated, Money(0));
    }

    #[test]
    fn a_division_without_a_ledger_row_is_missing_not_zero() {
        // Ledger: March North 3,100 and South 1,000; February North only.
        // South's February has no row: South's months back stop after March,
        // and its sales over Feb–Mar are unknown; North's are 2,800 + 3,100.
        let cur = snap("2026-03-31", &[]);
        let entry = |period, division: &str, amount| SalesEntry {
            period,
            division: Some(division.into()),
            amount: Money(amount),
        };
        let ledger = SalesLedger::new(vec![
            entry((2026, 2), "North", 2_800),
            entry((2026, 3), "North", 3_100),
            entry((2026, 3), "South", 1_000),
        ]);
        let cfg = MetricsConfig::default();
        let ctx = Context::new(&cur, None, &ledger, ActivityLog::empty(), &[], &cfg);
        let s = &ctx.sales;
        assert_eq!(s.months_back_for(Some("South")).len(), 1);
        assert_eq!(s.months_back_for(Some("North")).len(), 2);
        assert_eq!(s.months_back().len(), 2);
        let (feb, mar) = (day("2026-02-01"), day("2026-03-31"));
        assert_eq!(s.between(feb, mar, Some("South")), None);
        assert_eq!(s.between(feb, mar, Some("North")), Some(Money(5_900)));
        assert_eq!(s.between(feb, mar, None), Some(Money(6_900)));
    }
}

/// Unit tests aimed at mutants cargo-mutants found surviving (issue 21).
#[cfg(test)]
mod mutation_tests {
    use super::super::testutil::*;
    use super::*;
    use crate::activity::ActivityLog;
    use crate::ledger::MetricsConfig;

    #[test]
    fn an_invoice_of_zero_is_no_sale() {
        // Derived sales (no ledger), period March 2026 to date: ann's invoice
        // of 300 on Mar 5 is a sale; zed's invoice of 0 on Mar 6 is none, so
        // zed has no sales line (not even one of 0) and the first month of
        // sales stays March, not zed's other 0 invoice of 2025-06-01.
        let cur = snap(
            "2026-03-31",
            &[
                row("A", "C1", "", "ann", "2026-03-05", "2026-04-04", 300, 300),
                row("Z", "C2", "", "zed", "2026-03-06", "2026-04-05", 0, 0),
                row("Y", "C2", "", "zed", "2025-06-01", "2025-07-01", 0, 0),
            ],
        );
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let ctx = Context::new(&cur, None, &l, ActivityLog::empty(), &[], &cfg);
        let by: Vec<_> = ctx
            .sales
            .period_by_collector
            .iter()
            .map(|(k, v)| (k.as_str(), v.0))
            .collect();
        assert_eq!(by, vec![("ann", 300)]);
        assert_eq!(ctx.sales.period_derived_total, Money(300));
        assert_eq!(ctx.sales.first_month, Some((2026, 3)));
    }

    #[test]
    fn payments_that_net_to_nothing_estimate_no_sale() {
        // With a previous snapshot, X is in neither snapshot: paid 100 on
        // Mar 5 and reversed (−100) on Mar 6 → nets to 0: no estimated
        // document. Y, paid 70 on Mar 7, is one (70).
        let prev = snap("2026-02-28", &[]);
        let cur = snap("2026-03-31", &[]);
        let act = vec![
            activity("2026-03-05", ActivityKind::Payment, "C1", "X", 100),
            activity("2026-03-06", ActivityKind::Payment, "C1", "X", -100),
            activity("2026-03-07", ActivityKind::Payment, "C1", "Y", 70),
        ];
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let log = ActivityLog::from_rows(&act);
        let ctx = Context::new(&cur, Some(&prev), &l, &log, &[], &cfg);
        let d = &ctx.sales.period_detail;
        assert_eq!((d.estimated_documents, d.estimated), (1, Money(70)));
    }

    #[test]
    fn the_first_month_of_sales_is_the_earliest_whatever_the_order() {
        // Derived sales from the current snapshot, met in row order: March
        // (Mar 5) first, then January (Jan 10): the first month is January.
        let cur = snap(
            "2026-03-31",
            &[
                row("A", "C1", "", "ann", "2026-03-05", "2026-04-04", 300, 300),
                row("B", "C1", "", "ann", "2026-01-10", "2026-02-09", 200, 200),
            ],
        );
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let ctx = Context::new(&cur, None, &l, ActivityLog::empty(), &[], &cfg);
        assert_eq!(ctx.sales.first_month, Some((2026, 1)));
    }

    #[test]
    fn sales_between_a_day_and_itself_are_that_days() {
        // Derived: ann's invoice of 300 on Mar 5. Mar 5 through Mar 5 (one
        // day, both ends included) → 300; Mar 6 through Mar 5 (empty) → 0.
        let cur = snap(
            "2026-03-31",
            &[row(
                "A",
                "C1",
                "",
                "ann",
                "2026-03-05",
                "2026-04-04",
                300,
                300,
            )],
        );
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let ctx = Context::new(&cur, None, &l, ActivityLog::empty(), &[], &cfg);
        let s = &ctx.sales;
        assert_eq!(
            s.between(day("2026-03-05"), day("2026-03-05"), None),
            Some(Money(300))
        );
        assert_eq!(
            s.between(day("2026-03-06"), day("2026-03-05"), None),
            Some(Money(0))
        );
    }
}

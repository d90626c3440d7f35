//! Everything one snapshot's metrics are computed from, indexed once: the
//! current and previous snapshot, the AR totals of earlier snapshots, the
//! activity dated on or before the snapshot date, the customer master, the
//! settings and the credit sales.
//!
//! Nothing later than the snapshot date gets in: activity rows dated after
//! it are dropped here, ledger months after its month are dropped by
//! [`CreditSales`], so adding next month's data never changes this month.

use super::amount::Amount;
use super::attribution::Holders;
use super::sales::CreditSales;
use crate::activity::{ActivityLog, ActivityRef, ActivitySlice};
use crate::aging::AgingReport;
use crate::ledger::{period_first_day, period_of, CustomerInfo, MetricsConfig, SalesLedger};
use crate::{Day, Invoice, Money, Snapshot};
// foldhash (hashbrown's default) rather than SipHash: these maps are
// rebuilt for every snapshot from hundreds of thousands of invoice ids, and
// their keys come from the company's own files, not from an attacker.
use hashbrown::HashMap;

/// The days a period's flows are counted over, both ends included.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct PeriodRange {
    pub start: Day,
    pub end: Day,
}

impl PeriodRange {
    /// After the previous snapshot date through the current one; without a
    /// previous snapshot, the current snapshot's month to date.
    pub fn between(previous: Option<Day>, current: Day) -> PeriodRange {
        let start = match previous {
            Some(p) => Day(p.0 + 1),
            None => period_first_day(period_of(current)),
        };
        PeriodRange {
            start,
            end: current,
        }
    }

    pub fn contains(&self, day: Day) -> bool {
        self.start <= day && day <= self.end
    }

    pub fn days(&self) -> i32 {
        self.end.0 - self.start.0 + 1
    }
}

/// AR of an earlier snapshot: all the rolling CEI needs of it (its
/// beginning AR), so that a build holds totals, not invoices, of the history.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct EarlierAr {
    pub as_of: Day,
    pub total: Money,
    pub current: Money,
}

pub struct Context<'a> {
    pub current: &'a Snapshot,
    /// `None` when there is none or it is not earlier than `current`.
    pub previous: Option<&'a Snapshot>,
    /// Activity rows dated on or before the snapshot date, by date (stable).
    pub activity: ActivitySlice<'a>,
    pub customers: HashMap<&'a str, &'a CustomerInfo>,
    pub config: &'a MetricsConfig,
    pub period: PeriodRange,
    pub sales: CreditSales,
    pub aging: AgingReport,
    pub previous_aging: Option<AgingReport>,
    /// AR of snapshots before the current one, oldest first (may be empty;
    /// see [`Context::with_earlier`]). Entries not earlier than the current
    /// snapshot are never used.
    pub earlier: &'a [EarlierAr],
    /// Customers' collectors in both snapshots (see `attribution`).
    pub holders: Holders<'a>,
    pub warnings: Vec<String>,
    current_ix: HashMap<&'a str, usize>,
    previous_ix: HashMap<&'a str, usize>,
}

impl<'a> Context<'a> {
    pub fn new(
        current: &'a Snapshot,
        previous: Option<&'a Snapshot>,
        ledger: &SalesLedger,
        activity: &'a ActivityLog,
        customers: &'a [CustomerInfo],
        config: &'a MetricsConfig,
    ) -> Context<'a> {
        let mut warnings = Vec::new();
        let previous = match previous {
            Some(p) if p.as_of >= current.as_of => {
                warnings.push(format!(
                    "previous snapshot {} is not earlier than {}: ignored",
                    p.as_of, current.as_of
                ));
                None
            }
            other => other,
        };
        if let Some(p) = previous {
            if p.currency != current.currency {
                warnings.push(format!(
                    "previous snapshot reports in {}, this one in {}",
                    p.currency.code, current.currency.code
                ));
            }
        }
        if let Err(e) = config.validate() {
            warnings.push(format!("settings: {e}"));
        }
        let mut customer_map = HashMap::with_capacity(customers.len());
        for c in customers {
            customer_map.entry(c.customer_id.as_str()).or_insert(c);
        }
        let index = |s: &'a Snapshot| {
            let mut ix = HashMap::with_capacity(s.invoices.len());
            for (n, inv) in s.invoices.iter().enumerate() {
                ix.entry(inv.invoice_id.as_str()).or_insert(n);
            }
            ix
        };
        let mut ctx = Context {
            current,
            previous,
            activity: activity.through(current.as_of),
            customers: customer_map,
            config,
            period: PeriodRange::between(previous.map(|p| p.as_of), current.as_of),
            sales: CreditSales::default(),
            aging: AgingReport::compute(current, &config.aging),
            previous_aging: previous.map(|p| AgingReport::compute(p, &config.aging)),
            earlier: &[],
            holders: Holders::new(current, previous),
            warnings,
            current_ix: index(current),
            previous_ix: previous.map(index).unwrap_or_default(),
        };
        ctx.sales = CreditSales::build(ledger, &ctx);
        ctx
    }

    /// The AR of earlier snapshots (oldest first), for figures that reach
    /// further back than the previous snapshot (the rolling CEI).
    pub fn with_earlier(mut self, earlier: &'a [EarlierAr]) -> Context<'a> {
        self.earlier = earlier;
        self
    }

    pub fn as_of(&self) -> Day {
        self.current.as_of
    }

    /// AR of the snapshot dated exactly `day` (before the current one): the
    /// previous snapshot's, else an earlier snapshot's; `None` if there is none.
    pub fn ar_at(&self, day: Day) -> Option<EarlierAr> {
        if day >= self.as_of() {
            return None;
        }
        if let (Some(p), Some(a)) = (self.previous, &self.previous_aging) {
            if p.as_of == day {
                return Some(EarlierAr {
                    as_of: day,
                    total: a.total.total(),
                    current: a.total.current(),
                });
            }
        }
        self.earlier.iter().rev().find(|e| e.as_of == day).copied()
    }

    pub fn exponent(&self) -> u32 {
        self.current.currency.exponent
    }

    pub fn amount(&self, m: Money) -> Amount {
        Amount::new(m, self.exponent())
    }

    /// Whether any activity is dated on or before the snapshot date: the
    /// switch between activity-based and snapshot-derived collections.
    pub fn has_activity(&self) -> bool {
        !self.activity.is_empty()
    }

    /// Activity rows dated inside the period.
    pub fn period_activity(&self) -> impl Iterator<Item = ActivityRef<'a>> + Clone + 'a {
        self.activity.since(self.period.start).iter()
    }

    /// Activity rows dated on or before the snapshot date.
    pub fn activity(&self) -> impl DoubleEndedIterator<Item = ActivityRef<'a>> + Clone + 'a {
        self.activity.iter()
    }

    pub fn current_invoice(&self, id: &str) -> Option<&'a Invoice> {
        self.current_ix.get(id).map(|&n| &self.current.invoices[n])
    }

    pub fn previous_invoice(&self, id: &str) -> Option<&'a Invoice> {
        let p = self.previous?;
        self.previous_ix.get(id).map(|&n| &p.invoices[n])
    }

    pub fn in_either_snapshot(&self, id: &str) -> bool {
        self.current_ix.contains_key(id) || self.previous_ix.contains_key(id)
    }

    /// The invoice's first row in the current snapshot, else in the previous
    /// one, with the snapshot it comes from.
    pub fn find_invoice(&self, id: &str) -> Option<(&'a Snapshot, &'a Invoice)> {
        if id.is_empty() {
            return None;
        }
        if let Some(inv) = self.current_invoice(id) {
            return Some((self.current, inv));
        }
        let p = self.previous?;
        self.previous_invoice(id).map(|inv| (p, inv))
    }

    /// Collector an activity row is credited to: the row's own collector,
    /// else the invoice's collector (current snapshot, then previous), else
    /// the customer master's collector, else "" (unassigned).
    pub fn collector_of(&self, a: ActivityRef<'a>) -> &'a str {
        if let Some(c) = a.collector_name() {
            return c;
        }
        if let Some((s, inv)) = self.find_invoice(a.invoice_id()) {
            return s.collectors[inv.collector as usize].as_str();
        }
        self.master_collector(a.customer_id())
    }

    /// The customer master's collector of customer `id`, trimmed; "" when
    /// the master has none.
    pub fn master_collector(&self, id: &str) -> &'a str {
        self.customers
            .get(id)
            .and_then(|c| c.collector.as_deref())
            .map(str::trim)
            .unwrap_or("")
    }

    /// Division of an activity row: the invoice's division (current
    /// snapshot, then previous), else the customer master's, else "".
    pub fn division_of(&self, a: ActivityRef<'a>) -> &'a str {
        if let Some((s, inv)) = self.find_invoice(a.invoice_id()) {
            return s.divisions[inv.division as usize].as_str();
        }
        self.customers
            .get(a.customer_id())
            .and_then(|c| c.division.as_deref())
            .map(str::trim)
            .unwrap_or("")
    }

    /// Collector name of a current-snapshot invoice.
    pub fn collector_name(&self, s: &'a Snapshot, inv: &Invoice) -> &'a str {
        s.collectors[inv.collector as usize].as_str()
    }
}

/// Unit tests aimed at mutants cargo-mutants found surviving (issue 21).
#[cfg(test)]
mod mutation_tests {
    use super::super::testutil::*;
    use super::*;
    use crate::ledger::MetricsConfig;

    #[test]
    fn a_period_counts_its_days_with_both_ends() {
        // After 2024-01-31 through 2024-02-29 (a leap year): Feb 1..29 = 29 days.
        let r = PeriodRange::between(Some(day("2024-01-31")), day("2024-02-29"));
        assert_eq!((r.start, r.end), (day("2024-02-01"), day("2024-02-29")));
        assert_eq!(r.days(), 29);
        // No previous snapshot: the month to date, Mar 1..10 = 10 days.
        assert_eq!(PeriodRange::between(None, day("2024-03-10")).days(), 10);
        // A previous snapshot the day before: one day.
        assert_eq!(
            PeriodRange::between(Some(day("2024-03-09")), day("2024-03-10")).days(),
            1
        );
    }

    #[test]
    fn an_invoice_in_only_one_snapshot_is_in_either() {
        let prev = snap(
            "2026-02-28",
            &[row(
                "OLD",
                "C1",
                "N",
                "ann",
                "2026-02-01",
                "2026-03-01",
                100,
                100,
            )],
        );
        let cur = snap(
            "2026-03-31",
            &[row(
                "NEW",
                "C1",
                "N",
                "ann",
                "2026-03-01",
                "2026-03-31",
                100,
                100,
            )],
        );
        let cfg = MetricsConfig::default();
        let ledger = SalesLedger::default();
        let ctx = Context::new(&cur, Some(&prev), &ledger, ActivityLog::empty(), &[], &cfg);
        assert!(ctx.in_either_snapshot("NEW"), "current only");
        assert!(ctx.in_either_snapshot("OLD"), "previous only");
        assert!(!ctx.in_either_snapshot("NONE"));
    }
}

//! What later pages need to know about earlier snapshots: one small point
//! per snapshot (trend charts) and each customer's balance history. Kept
//! instead of the snapshots themselves, so memory does not grow with the
//! number of invoices in the history.

use arsite_core::aging::AgingReport;
use arsite_core::metrics::SnapshotMetrics;
use arsite_core::{Money, Snapshot};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

pub struct Point {
    pub as_of: String,
    pub buckets: Vec<Money>,
    pub total: Money,
    pub past_due: Money,
    pub dso: Option<Decimal>,
    pub bpdso: Option<Decimal>,
    pub add: Option<Decimal>,
    pub cei: Option<Decimal>,
    pub write_offs: Money,
    pub bad_debt_ratio: Option<Decimal>,
    pub division_dso: BTreeMap<String, Option<Decimal>>,
    pub collectors: BTreeMap<String, CollectorPoint>,
}

pub struct CollectorPoint {
    pub open: Money,
    pub past_due: Money,
    pub cei: Option<Decimal>,
    pub collected: Money,
}

/// One customer at one snapshot.
#[derive(Clone, Copy)]
pub struct CustomerPoint {
    pub snapshot: usize,
    pub balance: Money,
    pub past_due: Money,
    pub max_dpd: i32,
}

#[derive(Default)]
pub struct History {
    pub points: Vec<Point>,
    pub customers: HashMap<String, Vec<CustomerPoint>>,
}

impl History {
    pub fn push(
        &mut self,
        s: &Snapshot,
        report: &AgingReport,
        k: &SnapshotMetrics,
        bucket_count: usize,
    ) {
        let index = self.points.len();
        let mut max_dpd = vec![i32::MIN; s.customers.len()];
        for inv in &s.invoices {
            let d = &mut max_dpd[inv.customer as usize];
            *d = (*d).max(inv.days_past_due(s.as_of));
        }
        for (i, (c, totals)) in s.customers.iter().zip(&report.by_customer).enumerate() {
            if totals.count() == 0 {
                continue;
            }
            self.customers
                .entry(c.id.clone())
                .or_default()
                .push(CustomerPoint {
                    snapshot: index,
                    balance: totals.total(),
                    past_due: totals.past_due(),
                    max_dpd: max_dpd[i],
                });
        }
        self.points.push(Point {
            as_of: s.as_of.to_string(),
            buckets: report.total.amounts[..bucket_count].to_vec(),
            total: report.total.total(),
            past_due: report.total.past_due(),
            dso: k.dso.dso.days(),
            bpdso: k.dso.bpdso.days(),
            add: k.dso.add,
            cei: k.cei.period.as_ref().and_then(|c| c.cei),
            write_offs: k.bad_debt.write_offs.money,
            bad_debt_ratio: k.bad_debt.bad_debt_ratio,
            division_dso: k
                .dso
                .by_division
                .iter()
                .map(|d| (d.division.clone(), d.dso.days()))
                .collect(),
            collectors: k
                .scorecard
                .iter()
                .map(|c| {
                    (
                        c.collector.clone(),
                        CollectorPoint {
                            open: c.open_ar.money,
                            past_due: c.past_due.money,
                            cei: c.cei,
                            collected: c.collected.money,
                        },
                    )
                })
                .collect(),
        });
    }

    pub fn labels(&self) -> Vec<String> {
        self.points.iter().map(|p| p.as_of.clone()).collect()
    }
}

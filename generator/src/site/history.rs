//! What later pages need to know about earlier snapshots: one small point
//! per snapshot (trend charts) and each customer's balance history. Kept
//! instead of the snapshots themselves, so memory does not grow with the
//! number of invoices in the history.

use arsite_core::aging::AgingReport;
use arsite_core::metrics::SnapshotMetrics;
use arsite_core::{Money, Snapshot};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Serialisable so that an incremental build can restore the history of
/// the snapshots it does not rebuild (see `cache`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    /// The same in basis points (small ratios keep their digits).
    pub bad_debt_ratio_bp: Option<Decimal>,
    pub division_dso: BTreeMap<String, Option<Decimal>>,
    pub collectors: BTreeMap<String, CollectorPoint>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CollectorPoint {
    pub open: Money,
    pub past_due: Money,
    pub cei: Option<Decimal>,
    pub collected: Money,
}

/// One customer at one snapshot.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
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

/// What one snapshot adds to the history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub point: Point,
    /// Customers with open items, by id (`snapshot` is the entry's index).
    pub customers: Vec<(String, CustomerPoint)>,
}

impl Entry {
    /// `index` is the snapshot's position in the history.
    pub fn new(
        index: usize,
        s: &Snapshot,
        report: &AgingReport,
        k: &SnapshotMetrics,
        bucket_count: usize,
    ) -> Entry {
        let oldest = arsite_core::portfolio::oldest_dpd_by_customer(s);
        let customers = s
            .customers
            .iter()
            .zip(&report.by_customer)
            .enumerate()
            .filter(|(_, (_, totals))| totals.count() > 0)
            .map(|(i, (c, totals))| {
                (
                    c.id.clone(),
                    CustomerPoint {
                        snapshot: index,
                        balance: totals.total(),
                        past_due: totals.past_due(),
                        max_dpd: oldest[i].unwrap_or(i32::MIN),
                    },
                )
            })
            .collect();
        let point = Point {
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
            bad_debt_ratio_bp: k.bad_debt.bad_debt_ratio_bp,
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
        };
        Entry { point, customers }
    }
}

impl History {
    pub fn push(&mut self, entry: Entry) {
        for (id, p) in entry.customers {
            self.customers.entry(id).or_default().push(p);
        }
        self.points.push(entry.point);
    }

    pub fn labels(&self) -> Vec<String> {
        self.points.iter().map(|p| p.as_of.clone()).collect()
    }
}

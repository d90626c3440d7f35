//! Who a period's per-collector figures belong to when customers change
//! hands between two snapshots.
//!
//! Rule (docs/metrics.md, "Portfolio transfers"): every per-collector flow
//! and balance of a period is **restated to the current portfolio**, as
//! Upflow and HighRadius do for portfolio transfers. A customer moved from
//! A to B takes its beginning AR and the period's collections with it to B,
//! so neither A nor B is judged on a beginning balance whose end it no
//! longer (or not yet) saw.
//!
//! - The **holder** of a customer in a snapshot is the collector with the
//!   largest Σ open of the customer's items there (ties: more items, then
//!   the name first in order). Per invoice the invoice's own collector wins:
//!   a customer split across collectors stays split.
//! - A **previous-snapshot item** counts for: the collector of the same
//!   invoice id in the current snapshot; else the current holder of its
//!   customer; else (customer gone from the current snapshot) its own
//!   collector in the previous snapshot.
//! - A **flow** (an activity row: payment; a derived clearing is a previous
//!   item) counts for: the collector of its invoice in the current
//!   snapshot; else the current holder of its customer; else the collector
//!   of its invoice in the previous snapshot; else [`Context::collector_of`]
//!   (the row's own collector, the customer master's, unassigned).
//! - Current-snapshot items belong to their own collector (nothing to restate).
//!
//! Every item and every row goes to exactly one collector, so per-collector
//! figures still add up to the company's.
//!
//! A customer **moved** when it has items in both snapshots and its holder
//! differs: one "moved out" for the previous holder, one "moved in" for the
//! current one.

use super::context::Context;
use crate::activity::ActivityRef;
use crate::{Invoice, Money, Snapshot};
use hashbrown::HashMap;
use std::cmp::Reverse;
use std::collections::BTreeMap;

/// Each customer's holder (by customer id) in the current and previous snapshot.
#[derive(Default)]
pub struct Holders<'a> {
    now: HashMap<&'a str, &'a str>,
    before: HashMap<&'a str, &'a str>,
}

/// Customer id → holder in `s`.
fn holders(s: &Snapshot) -> HashMap<&str, &str> {
    let mut sums: HashMap<(u32, u32), (Money, u32)> = HashMap::new();
    for inv in &s.invoices {
        let e = sums.entry((inv.customer, inv.collector)).or_default();
        e.0 += inv.open;
        e.1 += 1;
    }
    let mut best: HashMap<u32, (Money, u32, Reverse<&str>)> = HashMap::new();
    for ((customer, collector), (open, count)) in sums {
        let key = (
            open,
            count,
            Reverse(s.collectors[collector as usize].as_str()),
        );
        match best.get_mut(&customer) {
            Some(b) if *b >= key => {}
            Some(b) => *b = key,
            None => {
                best.insert(customer, key);
            }
        }
    }
    best.into_iter()
        .map(|(c, (_, _, Reverse(name)))| (s.customers[c as usize].id.as_str(), name))
        .collect()
}

impl<'a> Holders<'a> {
    pub fn new(current: &'a Snapshot, previous: Option<&'a Snapshot>) -> Holders<'a> {
        Holders {
            now: holders(current),
            before: previous.map(holders).unwrap_or_default(),
        }
    }

    /// The collector holding `customer_id` in the current snapshot.
    pub fn current(&self, customer_id: &str) -> Option<&'a str> {
        self.now.get(customer_id).copied()
    }

    /// Per collector: (customers moved in, customers moved out) since the
    /// previous snapshot. Collectors without a move are absent.
    pub fn moves(&self) -> BTreeMap<&'a str, (u32, u32)> {
        let mut out: BTreeMap<&'a str, (u32, u32)> = BTreeMap::new();
        for (customer, &was) in &self.before {
            if let Some(&now) = self.now.get(customer) {
                if now != was {
                    out.entry(now).or_default().0 += 1;
                    out.entry(was).or_default().1 += 1;
                }
            }
        }
        out
    }
}

impl<'a> Context<'a> {
    /// The collector a previous-snapshot item counts for in this period's
    /// per-collector figures (beginning AR, past due before, cleared amounts).
    pub fn restated_collector(&self, inv: &Invoice) -> &'a str {
        if let Some(now) = self.current_invoice(&inv.invoice_id) {
            return self.collector_name(self.current, now);
        }
        let Some(p) = self.previous else {
            return "";
        };
        if let Some(h) = self.holders.current(&p.customers[inv.customer as usize].id) {
            return h;
        }
        self.collector_name(p, inv)
    }

    /// Collector of a customer as a whole: its holder in the current
    /// snapshot (largest open amount), else the customer master's, else "".
    pub fn customer_collector(&self, id: &str) -> &'a str {
        self.holders
            .current(id)
            .unwrap_or_else(|| self.master_collector(id))
    }

    /// The collector an activity row (a flow of the period) counts for.
    pub fn flow_collector(&self, a: ActivityRef<'a>) -> &'a str {
        let id = a.invoice_id();
        if !id.is_empty() {
            if let Some(now) = self.current_invoice(id) {
                return self.collector_name(self.current, now);
            }
        }
        if let Some(h) = self.holders.current(a.customer_id()) {
            return h;
        }
        if let (Some(p), false) = (self.previous, id.is_empty()) {
            if let Some(inv) = self.previous_invoice(id) {
                return self.collector_name(p, inv);
            }
        }
        self.collector_of(a)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;

    #[test]
    fn holder_is_the_collector_with_the_largest_open_amount() {
        // C1: ann 3,000 + 1,000 = 4,000, bob 5,000 → bob. C2: ann 2,000, cy 2,000
        // (tie on amount and count) → ann (first name). C3: bob only.
        let s = snap(
            "2026-03-31",
            &[
                row(
                    "A",
                    "C1",
                    "",
                    "ann",
                    "2026-03-01",
                    "2026-03-31",
                    3_000,
                    3_000,
                ),
                row(
                    "B",
                    "C1",
                    "",
                    "ann",
                    "2026-03-01",
                    "2026-03-31",
                    1_000,
                    1_000,
                ),
                row(
                    "C",
                    "C1",
                    "",
                    "bob",
                    "2026-03-01",
                    "2026-03-31",
                    5_000,
                    5_000,
                ),
                row(
                    "D",
                    "C2",
                    "",
                    "cy",
                    "2026-03-01",
                    "2026-03-31",
                    2_000,
                    2_000,
                ),
                row(
                    "E",
                    "C2",
                    "",
                    "ann",
                    "2026-03-01",
                    "2026-03-31",
                    2_000,
                    2_000,
                ),
                row("F", "C3", "", "bob", "2026-03-01", "2026-03-31", 10, 10),
            ],
        );
        let h = Holders::new(&s, None);
        assert_eq!(h.current("C1"), Some("bob"));
        assert_eq!(h.current("C2"), Some("ann"));
        assert_eq!(h.current("C3"), Some("bob"));
        assert_eq!(h.current("C9"), None);
        assert!(h.moves().is_empty());
    }
}

/// Unit tests aimed at mutants cargo-mutants found surviving (issue 21).
#[cfg(test)]
mod mutation_tests {
    use super::super::testutil::*;
    use super::*;

    fn leak(s: String) -> &'static str {
        Box::leak(s.into_boxed_str())
    }

    #[test]
    fn on_equal_amounts_more_items_hold_the_customer() {
        // C1: ann one item of 100; bob two of 50 (Σ 100, equal) → bob, by
        // count 2 > 1 (the name order would pick ann).
        let s = snap(
            "2026-03-31",
            &[
                row("A", "C1", "", "ann", "2026-03-01", "2026-03-31", 100, 100),
                row("B", "C1", "", "bob", "2026-03-01", "2026-03-31", 50, 50),
                row("C", "C1", "", "bob", "2026-03-01", "2026-03-31", 50, 50),
            ],
        );
        assert_eq!(Holders::new(&s, None).current("C1"), Some("bob"));
    }

    #[test]
    fn the_largest_amount_holds_whatever_the_order_they_are_met_in() {
        // Twelve customers, four collectors each with 100, 200, 300, 400 open;
        // customer n's 400 goes to collector k(n mod 4): that one holds it.
        // (The sums are visited in hash order: a rule that kept the last
        // one met would pick the right one for all twelve with odds 4^-12.)
        let collectors = ["k0", "k1", "k2", "k3"];
        let mut rows = Vec::new();
        for n in 0..12 {
            let customer = leak(format!("C{n}"));
            for j in 0..4 {
                // Collector (n + j) mod 4 gets 100 × (j + 1): j = 3 → 400.
                let holder = collectors[(n + j) % 4];
                let amount = 100 * (j as i64 + 1);
                rows.push(row(
                    leak(format!("I{n}-{j}")),
                    customer,
                    "",
                    holder,
                    "2026-03-01",
                    "2026-03-31",
                    amount,
                    amount,
                ));
            }
        }
        let s = snap("2026-03-31", &rows);
        let h = Holders::new(&s, None);
        for n in 0..12 {
            let want = collectors[(n + 3) % 4];
            assert_eq!(h.current(&format!("C{n}")), Some(want), "customer C{n}");
        }
    }

    #[test]
    fn a_flow_on_a_current_item_goes_to_that_items_collector() {
        // C1's holder is ann (1,000 against bob's 100), but a payment on
        // bob's own item B (still open) counts for bob: the invoice's own
        // collector comes before the customer's holder.
        let cur = snap(
            "2026-03-31",
            &[
                row(
                    "A",
                    "C1",
                    "",
                    "ann",
                    "2026-03-01",
                    "2026-03-31",
                    1_000,
                    1_000,
                ),
                row("B", "C1", "", "bob", "2026-03-01", "2026-03-31", 200, 100),
            ],
        );
        let act = vec![
            activity(
                "2026-03-10",
                crate::ledger::ActivityKind::Payment,
                "C1",
                "B",
                100,
            ),
            activity(
                "2026-03-11",
                crate::ledger::ActivityKind::Payment,
                "C1",
                "",
                5,
            ),
        ];
        let cfg = crate::ledger::MetricsConfig::default();
        let l = crate::ledger::SalesLedger::default();
        let log = crate::activity::ActivityLog::from_rows(&act);
        let ctx = Context::new(&cur, None, &l, &log, &[], &cfg);
        let got: Vec<_> = ctx.activity().map(|a| ctx.flow_collector(a)).collect();
        // The row without an invoice goes to the holder, ann.
        assert_eq!(got, vec!["bob", "ann"]);
    }
}

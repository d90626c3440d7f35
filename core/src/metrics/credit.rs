//! Credit-limit utilisation per customer of the customer master.
//!
//! utilisation = open AR (current snapshot, all items of the customer id) /
//! credit limit × 100; none when the limit is ≤ 0. Over limit: open AR >
//! limit (so any open AR over a limit of 0 is over). Customers without a
//! limit are left out; customers with a limit but nothing open have 0.

use super::amount::{percent_money, Amount};
use super::context::Context;
use crate::Money;
use hashbrown::HashMap;
use rust_decimal::Decimal;
use serde::Serialize;

/// open / limit × 100, 2 dp; `None` when the limit is ≤ 0.
pub fn utilization(open: Money, limit: Money) -> Option<Decimal> {
    if limit.0 <= 0 {
        return None;
    }
    percent_money(open, limit)
}

/// Open AR of every customer id of the current snapshot.
pub fn open_by_customer<'a>(ctx: &Context<'a>) -> HashMap<&'a str, Money> {
    ctx.current
        .customers
        .iter()
        .zip(&ctx.aging.by_customer)
        .map(|(c, t)| (c.id.as_str(), t.total()))
        .collect()
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CreditLine {
    pub customer_id: String,
    pub name: String,
    pub open: Amount,
    pub credit_limit: Amount,
    pub utilization_percent: Option<Decimal>,
    /// open − limit when over the limit, else 0.
    pub over_limit_by: Amount,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CreditSummary {
    pub customers_with_limit: u32,
    pub customers_over_limit: u32,
    /// Every customer with a limit, by customer id.
    pub lines: Vec<CreditLine>,
    /// Those over their limit, largest excess first (then by id).
    pub over_limit: Vec<CreditLine>,
}

pub fn compute(ctx: &Context<'_>) -> CreditSummary {
    let open = open_by_customer(ctx);
    let names: HashMap<&str, &str> = ctx
        .current
        .customers
        .iter()
        .map(|c| (c.id.as_str(), c.name.as_str()))
        .collect();
    let mut lines: Vec<CreditLine> = ctx
        .customers
        .values()
        .filter_map(|c| {
            let limit = c.credit_limit?;
            let id = c.customer_id.as_str();
            let o = open.get(id).copied().unwrap_or_default();
            let name = if c.name.trim().is_empty() {
                names.get(id).copied().unwrap_or("")
            } else {
                c.name.as_str()
            };
            Some(CreditLine {
                customer_id: id.to_string(),
                name: name.to_string(),
                open: ctx.amount(o),
                credit_limit: ctx.amount(limit),
                utilization_percent: utilization(o, limit),
                over_limit_by: ctx.amount(if o > limit { o - limit } else { Money::ZERO }),
            })
        })
        .collect();
    lines.sort_by(|a, b| a.customer_id.cmp(&b.customer_id));
    let mut over: Vec<CreditLine> = lines
        .iter()
        .filter(|l| l.over_limit_by.money.0 > 0)
        .cloned()
        .collect();
    over.sort_by(|a, b| {
        b.over_limit_by
            .money
            .cmp(&a.over_limit_by.money)
            .then_with(|| a.customer_id.cmp(&b.customer_id))
    });
    CreditSummary {
        customers_with_limit: lines.len() as u32,
        customers_over_limit: over.len() as u32,
        lines,
        over_limit: over,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use crate::activity::ActivityLog;
    use crate::ledger::{MetricsConfig, SalesLedger};
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn utilization_and_over_limit_by_hand() {
        // C1: 8,000 of 10,000 → 80 %; C2: 6,500 of 5,000 → 130 %, over by 1,500;
        // C3: 100 on a limit of 0 → no %, over by 100; C4: no limit, left out;
        // C5: limit 1,000, nothing open → 0 %.
        let cur = snap(
            "2026-03-31",
            &[
                row("1", "C1", "", "", "2026-03-01", "2026-03-31", 8_000, 8_000),
                row("2", "C2", "", "", "2026-03-01", "2026-03-31", 5_000, 5_000),
                row("3", "C2", "", "", "2026-03-01", "2026-03-31", 1_500, 1_500),
                row("4", "C3", "", "", "2026-03-01", "2026-03-31", 100, 100),
                row("5", "C4", "", "", "2026-03-01", "2026-03-31", 100, 100),
            ],
        );
        let master = vec![
            customer("C1", Some(10_000)),
            customer("C2", Some(5_000)),
            customer("C3", Some(0)),
            customer("C4", None),
            customer("C5", Some(1_000)),
        ];
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let s = compute(&Context::new(
            &cur,
            None,
            &l,
            ActivityLog::empty(),
            &master,
            &cfg,
        ));
        assert_eq!(s.customers_with_limit, 4);
        let util: Vec<_> = s
            .lines
            .iter()
            .map(|l| (l.customer_id.as_str(), l.utilization_percent))
            .collect();
        assert_eq!(
            util,
            vec![
                ("C1", Some(d("80.00"))),
                ("C2", Some(d("130.00"))),
                ("C3", None),
                ("C5", Some(d("0.00")))
            ]
        );
        let over: Vec<_> = s
            .over_limit
            .iter()
            .map(|l| (l.customer_id.as_str(), l.over_limit_by.money.0))
            .collect();
        assert_eq!(over, vec![("C2", 1_500), ("C3", 100)]);
        assert_eq!(s.customers_over_limit, 2);
    }
}

/// Unit tests aimed at mutants cargo-mutants found surviving (issue 21).
#[cfg(test)]
mod mutation_tests {
    use super::super::testutil::*;
    use super::*;
    use crate::activity::ActivityLog;
    use crate::ledger::{MetricsConfig, SalesLedger};
    use std::str::FromStr;

    #[test]
    fn open_ar_exactly_at_the_limit_is_not_over_it() {
        // C1: 5,000 open on a limit of 5,000 → 100.00 %, over by 0, not listed
        // as over; C2: 5,001 on 5,000 → 100.02 % (5,001 / 5,000 = 1.0002), over by 1.
        let cur = snap(
            "2026-03-31",
            &[
                row("1", "C1", "", "", "2026-03-01", "2026-03-31", 5_000, 5_000),
                row("2", "C2", "", "", "2026-03-01", "2026-03-31", 5_001, 5_001),
            ],
        );
        let master = vec![customer("C1", Some(5_000)), customer("C2", Some(5_000))];
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let s = compute(&Context::new(
            &cur,
            None,
            &l,
            ActivityLog::empty(),
            &master,
            &cfg,
        ));
        let lines: Vec<_> = s
            .lines
            .iter()
            .map(|l| {
                (
                    l.customer_id.as_str(),
                    l.utilization_percent,
                    l.over_limit_by.money.0,
                )
            })
            .collect();
        let d = |s: &str| Some(Decimal::from_str(s).unwrap());
        assert_eq!(lines, vec![("C1", d("100.00"), 0), ("C2", d("100.02"), 1)]);
        assert_eq!(s.customers_over_limit, 1);
        assert_eq!(s.over_limit[0].customer_id, "C2");
    }
}

//! The figures of one snapshot that the next snapshot's pages compare with:
//! the overview's "since the previous snapshot" changes and the scorecard's
//! rank changes. Kept in each snapshot's build record, so that rebuilding a
//! snapshot reads the one before it (its invoices feed the period's flows)
//! but never recomputes that one's metrics, nor reads the one before that.

use arsite_core::metrics::SnapshotMetrics;
use arsite_core::Money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub ar_total: Money,
    pub ar_past_due: Money,
    pub dso: Option<Decimal>,
    pub bpdso: Option<Decimal>,
    pub add: Option<Decimal>,
    pub cei: Option<Decimal>,
    pub allowance: Money,
    pub write_offs: Money,
    pub collected: Money,
    /// Scorecard rank per collector name ("" is unassigned).
    pub ranks: Vec<(String, Option<u32>)>,
}

impl Comparison {
    pub fn new(k: &SnapshotMetrics) -> Comparison {
        Comparison {
            ar_total: k.ar.total.money,
            ar_past_due: k.ar.past_due.money,
            dso: k.dso.dso.days(),
            bpdso: k.dso.bpdso.days(),
            add: k.dso.add,
            cei: k.cei.period.as_ref().and_then(|c| c.cei),
            allowance: k.allowance.total.money,
            write_offs: k.bad_debt.write_offs.money,
            collected: k.collections.collected.money,
            ranks: k
                .scorecard
                .iter()
                .map(|c| (c.collector.clone(), c.rank))
                .collect(),
        }
    }

    pub fn rank_of(&self, collector: &str) -> Option<u32> {
        self.ranks
            .iter()
            .find(|(name, _)| name == collector)
            .and_then(|(_, rank)| *rank)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn survives_the_build_record_exactly() {
        let c = Comparison {
            ar_total: Money(123_456_789_012),
            ar_past_due: Money(-5),
            dso: Some(Decimal::from_str("41.3333333333333333333333").unwrap()),
            bpdso: None,
            add: Some(Decimal::from_str("-0.10").unwrap()),
            cei: Some(Decimal::from_str("87.50").unwrap()),
            allowance: Money(0),
            write_offs: Money(99),
            collected: Money(i64::MAX),
            ranks: vec![("".into(), None), ("Ann <b>".into(), Some(3))],
        };
        let back: Comparison = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        assert_eq!(back, c);
        assert_eq!(back.dso.unwrap().to_string(), "41.3333333333333333333333");
        assert_eq!(back.rank_of("Ann <b>"), Some(3));
        assert_eq!(back.rank_of(""), None);
        assert_eq!(back.rank_of("Bob"), None);
    }
}

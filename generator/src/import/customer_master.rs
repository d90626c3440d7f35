//! The customer master (`customers.csv`) applied to a snapshot: where the
//! snapshot says nothing about a customer's name, division or collector,
//! the master does.
//!
//! The rule (README, "Optional files"): a snapshot's own value wins for
//! that snapshot — it is what the ERP said on that date, and customers move
//! between collectors over time. A column the snapshot does not have, and
//! an empty cell in a column it has, say nothing: there the master's value
//! is used, and only when the master has none either is the invoice
//! "(unassigned)". The master is one file for every date, so it cannot
//! restate a history the snapshots record themselves.

use arsite_core::ledger::CustomerInfo;
use arsite_core::Snapshot;
use std::collections::HashMap;

/// Fills the snapshot's empty customer names and unassigned divisions and
/// collectors from `master`. Invoices keep their positions (other tables,
/// such as the converted amounts, refer to them by index).
pub fn apply(snapshot: &mut Snapshot, master: &[CustomerInfo]) {
    if master.is_empty() {
        return;
    }
    let by_id: HashMap<&str, &CustomerInfo> =
        master.iter().map(|c| (c.customer_id.as_str(), c)).collect();
    let info: Vec<Option<&CustomerInfo>> = snapshot
        .customers
        .iter()
        .map(|c| by_id.get(c.id.as_str()).copied())
        .collect();
    for (customer, info) in snapshot.customers.iter_mut().zip(&info) {
        if let Some(info) = info.filter(|_| customer.name.is_empty()) {
            customer.name.clone_from(&info.name);
        }
    }
    let mut divisions = Interner::new(&mut snapshot.divisions);
    let mut collectors = Interner::new(&mut snapshot.collectors);
    for invoice in &mut snapshot.invoices {
        let Some(info) = info[invoice.customer as usize] else {
            continue;
        };
        // Index 0 is the empty name: the snapshot left it unassigned.
        if invoice.division == 0 {
            if let Some(d) = info.division.as_deref() {
                invoice.division = divisions.index(d);
            }
        }
        if invoice.collector == 0 {
            if let Some(c) = info.collector.as_deref() {
                invoice.collector = collectors.index(c);
            }
        }
    }
}

/// Adds names to a snapshot's division or collector table as the builder
/// does: each name once, new ones at the end.
struct Interner<'a> {
    names: &'a mut Vec<String>,
    index: HashMap<String, u32>,
}

impl<'a> Interner<'a> {
    fn new(names: &'a mut Vec<String>) -> Self {
        let index = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u32))
            .collect();
        Interner { names, index }
    }

    fn index(&mut self, name: &str) -> u32 {
        let name = name.trim();
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), i);
        i
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arsite_core::model::InvoiceRow;
    use arsite_core::{Currency, Day, Money, SnapshotBuilder};

    fn master(
        id: &str,
        name: &str,
        division: Option<&str>,
        collector: Option<&str>,
    ) -> CustomerInfo {
        CustomerInfo {
            customer_id: id.into(),
            name: name.into(),
            division: division.map(Into::into),
            collector: collector.map(Into::into),
            ..CustomerInfo::default()
        }
    }

    #[test]
    fn the_snapshot_wins_and_the_master_fills_what_it_leaves_empty() {
        let mut b = SnapshotBuilder::new(Day(100), Currency::from_code("EUR"));
        let row = |id, cust, name, div, coll| InvoiceRow {
            invoice_id: id,
            customer_id: cust,
            customer_name: name,
            division: div,
            collector: coll,
            amount: Money(100),
            open: Money(100),
            ..InvoiceRow::default()
        };
        b.push(&row("I1", "C1", "", "", ""));
        b.push(&row("I2", "C2", "Own name", "Retail", ""));
        b.push(&row("I3", "C3", "", "", ""));
        let mut s = b.finish();
        apply(
            &mut s,
            &[
                master("C1", "Acme", Some("Services"), Some("Ann")),
                master("C2", "Master name", Some("Services"), Some("Bo")),
            ],
        );
        let label = |names: &[String], i: u32| Snapshot::label(&names[i as usize]).to_string();
        let seen: Vec<(String, String, String)> = s
            .invoices
            .iter()
            .map(|inv| {
                (
                    s.customers[inv.customer as usize].name.clone(),
                    label(&s.divisions, inv.division),
                    label(&s.collectors, inv.collector),
                )
            })
            .collect();
        let t = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
        assert_eq!(
            seen,
            [
                // No values in the snapshot: all three from the master.
                t("Acme", "Services", "Ann"),
                // Its own name and division win; the empty collector is filled.
                t("Own name", "Retail", "Bo"),
                // Not in the master: stays unassigned.
                t("", "(unassigned)", "(unassigned)"),
            ]
        );
        // "Services" is added once, after the snapshot's own "Retail".
        assert_eq!(s.divisions, ["", "Retail", "Services"]);
    }
}

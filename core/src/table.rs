//! A snapshot as columns: what the dashboard holds in the browser.
//!
//! The same facts as [`Snapshot`], laid out for a million rows: one vector
//! per field and every invoice id in one text buffer. Decoding the data
//! file straight into this skips a million small allocations (an `Invoice`
//! owns its id as a `String`), which was most of the dashboard's load
//! time, and halves the memory. `from_snapshot` / `to_snapshot` convert
//! both ways, so tests can state their data as snapshots.

use crate::model::{Customer, Invoice};
use crate::{Currency, Day, Money, Snapshot, Status};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub as_of: Day,
    pub currency: Currency,
    pub customers: Vec<Customer>,
    /// Index 0 is the unassigned division (""), as in [`Snapshot`].
    pub divisions: Vec<String>,
    pub collectors: Vec<String>,
    pub customer: Vec<u32>,
    pub division: Vec<u32>,
    pub collector: Vec<u32>,
    pub status: Vec<Status>,
    pub invoice_date: Vec<Day>,
    pub due_date: Vec<Day>,
    pub amount: Vec<Money>,
    pub open: Vec<Money>,
    /// Every invoice id, one after the other; `id_end[i]` ends id `i`.
    pub ids: String,
    pub id_end: Vec<u32>,
}

impl Table {
    /// A table with its dictionaries and no invoices yet.
    pub fn new(
        as_of: Day,
        currency: Currency,
        customers: Vec<Customer>,
        divisions: Vec<String>,
        collectors: Vec<String>,
    ) -> Table {
        Table {
            as_of,
            currency,
            customers,
            divisions,
            collectors,
            customer: Vec::new(),
            division: Vec::new(),
            collector: Vec::new(),
            status: Vec::new(),
            invoice_date: Vec::new(),
            due_date: Vec::new(),
            amount: Vec::new(),
            open: Vec::new(),
            ids: String::new(),
            id_end: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.open.len()
    }

    pub fn is_empty(&self) -> bool {
        self.open.is_empty()
    }

    pub fn id(&self, i: usize) -> &str {
        let start = if i == 0 {
            0
        } else {
            self.id_end[i - 1] as usize
        };
        &self.ids[start..self.id_end[i] as usize]
    }

    /// Appends an id (the next invoice's).
    pub fn push_id(&mut self, id: &str) {
        self.ids.push_str(id);
        self.id_end.push(self.ids.len() as u32);
    }

    pub fn days_past_due(&self, i: usize) -> i32 {
        self.as_of.days_since(self.due_date[i])
    }

    pub fn from_snapshot(s: &Snapshot) -> Table {
        let mut t = Table::new(
            s.as_of,
            s.currency.clone(),
            s.customers.clone(),
            s.divisions.clone(),
            s.collectors.clone(),
        );
        for inv in &s.invoices {
            t.customer.push(inv.customer);
            t.division.push(inv.division);
            t.collector.push(inv.collector);
            t.status.push(inv.status);
            t.invoice_date.push(inv.invoice_date);
            t.due_date.push(inv.due_date);
            t.amount.push(inv.amount);
            t.open.push(inv.open);
            t.push_id(&inv.invoice_id);
        }
        t
    }

    pub fn to_snapshot(&self) -> Snapshot {
        Snapshot {
            as_of: self.as_of,
            currency: self.currency.clone(),
            customers: self.customers.clone(),
            divisions: self.divisions.clone(),
            collectors: self.collectors.clone(),
            invoices: (0..self.len())
                .map(|i| Invoice {
                    invoice_id: self.id(i).to_string(),
                    customer: self.customer[i],
                    division: self.division[i],
                    collector: self.collector[i],
                    status: self.status[i],
                    invoice_date: self.invoice_date[i],
                    due_date: self.due_date[i],
                    amount: self.amount[i],
                    open: self.open[i],
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::select::fixture::{snapshot, R};

    #[test]
    fn converts_both_ways() {
        let s = snapshot(&[
            R::new("A-1", "C1", "North", "ann", 10, 500),
            R::new("", "C2", "", "", -3, -20),
            R::new("Ü-3", "C1", "South", "bob", 200, 7),
        ]);
        let t = Table::from_snapshot(&s);
        assert_eq!(t.len(), 3);
        assert_eq!((t.id(0), t.id(1), t.id(2)), ("A-1", "", "Ü-3"));
        assert_eq!(t.days_past_due(2), 200);
        assert_eq!(t.to_snapshot(), s);
    }
}

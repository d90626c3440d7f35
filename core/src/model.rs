//! The snapshot model: every invoice open on one date, with its customer,
//! division and collector interned so that grouping is by small integers.

use crate::{Currency, Day, Money};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Collection status of an open item, as exported by the ERP.
#[derive(
    Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Open,
    Disputed,
    Promised,
    Agency,
    Legal,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Open,
        Status::Disputed,
        Status::Promised,
        Status::Agency,
        Status::Legal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Disputed => "disputed",
            Status::Promised => "promised",
            Status::Agency => "agency",
            Status::Legal => "legal",
        }
    }

    /// Case-insensitive; an empty value means `open`.
    pub fn parse(text: &str) -> Option<Status> {
        let t = text.trim();
        if t.is_empty() {
            return Some(Status::Open);
        }
        Status::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(t))
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Customer {
    pub id: String,
    pub name: String,
}

/// One open item. Text fields that repeat (customer, division, collector) are
/// indices into the owning [`Snapshot`]'s tables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invoice {
    pub invoice_id: String,
    pub customer: u32,
    pub division: u32,
    pub collector: u32,
    pub status: Status,
    pub invoice_date: Day,
    pub due_date: Day,
    /// Original document amount (negative for credit memos).
    pub amount: Money,
    /// Balance open on the snapshot date (may be negative: credits, unapplied cash).
    pub open: Money,
}

impl Invoice {
    /// Days past due on `as_of`: positive once overdue, zero or negative while current.
    pub fn days_past_due(&self, as_of: Day) -> i32 {
        as_of.days_since(self.due_date)
    }
}

/// Every invoice open on `as_of`. Index 0 of `divisions` and `collectors` is
/// the empty name, used for rows with no assignment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub as_of: Day,
    pub currency: Currency,
    pub customers: Vec<Customer>,
    pub divisions: Vec<String>,
    pub collectors: Vec<String>,
    pub invoices: Vec<Invoice>,
}

impl Snapshot {
    pub fn total_open(&self) -> Money {
        self.invoices.iter().map(|i| i.open).sum()
    }

    /// Display name for a division or collector entry ("" is unassigned).
    pub fn label(name: &str) -> &str {
        if name.is_empty() {
            "(unassigned)"
        } else {
            name
        }
    }
}

/// Text values of one row before interning.
#[derive(Clone, Debug, Default)]
pub struct InvoiceRow<'a> {
    pub invoice_id: &'a str,
    pub customer_id: &'a str,
    pub customer_name: &'a str,
    pub division: &'a str,
    pub collector: &'a str,
    pub status: Status,
    pub invoice_date: Day,
    pub due_date: Day,
    pub amount: Money,
    pub open: Money,
}

/// Builds a [`Snapshot`] row by row, interning repeated names.
pub struct SnapshotBuilder {
    snapshot: Snapshot,
    customer_ix: HashMap<String, u32>,
    division_ix: HashMap<String, u32>,
    collector_ix: HashMap<String, u32>,
}

impl SnapshotBuilder {
    pub fn new(as_of: Day, currency: Currency) -> Self {
        let mut b = SnapshotBuilder {
            snapshot: Snapshot {
                as_of,
                currency,
                customers: Vec::new(),
                divisions: Vec::new(),
                collectors: Vec::new(),
                invoices: Vec::new(),
            },
            customer_ix: HashMap::new(),
            division_ix: HashMap::new(),
            collector_ix: HashMap::new(),
        };
        intern(&mut b.snapshot.divisions, &mut b.division_ix, "");
        intern(&mut b.snapshot.collectors, &mut b.collector_ix, "");
        b
    }

    /// Adds one invoice. A customer keeps the first name seen for its id.
    pub fn push(&mut self, row: &InvoiceRow<'_>) {
        let customer = match self.customer_ix.get(row.customer_id) {
            Some(&i) => i,
            None => {
                let i = self.snapshot.customers.len() as u32;
                self.snapshot.customers.push(Customer {
                    id: row.customer_id.to_owned(),
                    name: row.customer_name.to_owned(),
                });
                self.customer_ix.insert(row.customer_id.to_owned(), i);
                i
            }
        };
        let division = intern(
            &mut self.snapshot.divisions,
            &mut self.division_ix,
            row.division.trim(),
        );
        let collector = intern(
            &mut self.snapshot.collectors,
            &mut self.collector_ix,
            row.collector.trim(),
        );
        self.snapshot.invoices.push(Invoice {
            invoice_id: row.invoice_id.to_owned(),
            customer,
            division,
            collector,
            status: row.status,
            invoice_date: row.invoice_date,
            due_date: row.due_date,
            amount: row.amount,
            open: row.open,
        });
    }

    pub fn len(&self) -> usize {
        self.snapshot.invoices.len()
    }

    pub fn is_empty(&self) -> bool {
        self.snapshot.invoices.is_empty()
    }

    pub fn finish(self) -> Snapshot {
        self.snapshot
    }
}

fn intern(names: &mut Vec<String>, index: &mut HashMap<String, u32>, name: &str) -> u32 {
    if let Some(&i) = index.get(name) {
        return i;
    }
    let i = names.len() as u32;
    names.push(name.to_owned());
    index.insert(name.to_owned(), i);
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_parses_case_insensitively_and_defaults_to_open() {
        assert_eq!(Status::parse("Disputed"), Some(Status::Disputed));
        assert_eq!(Status::parse(""), Some(Status::Open));
        assert_eq!(Status::parse("paid"), None);
    }

    #[test]
    fn builder_interns_names_and_keeps_unassigned_at_zero() {
        let mut b = SnapshotBuilder::new(Day(100), Currency::from_code("EUR"));
        let row = |id, cust, div| InvoiceRow {
            invoice_id: id,
            customer_id: cust,
            customer_name: "Name",
            division: div,
            ..Default::default()
        };
        b.push(&row("1", "C1", "North"));
        b.push(&row("2", "C1", ""));
        b.push(&row("3", "C2", "North"));
        let s = b.finish();
        assert_eq!(s.customers.len(), 2);
        assert_eq!(s.divisions, vec!["".to_string(), "North".to_string()]);
        assert_eq!(
            s.invoices.iter().map(|i| i.division).collect::<Vec<_>>(),
            vec![1, 0, 1]
        );
        assert_eq!(s.collectors, vec!["".to_string()]);
    }
}

//! Small builders for the metrics tests.

use crate::ledger::{Activity, ActivityKind, CustomerInfo};
use crate::model::InvoiceRow;
use crate::{Currency, Day, Money, Snapshot, SnapshotBuilder, Status};

pub fn day(s: &str) -> Day {
    Day::parse_iso(s).unwrap_or_else(|| panic!("bad test date {s}"))
}

#[derive(Clone, Debug)]
pub struct Row {
    pub id: &'static str,
    pub customer: &'static str,
    pub division: &'static str,
    pub collector: &'static str,
    pub invoice_date: &'static str,
    pub due_date: &'static str,
    pub amount: i64,
    pub open: i64,
    pub status: Status,
}

#[allow(clippy::too_many_arguments)]
pub fn row(
    id: &'static str,
    customer: &'static str,
    division: &'static str,
    collector: &'static str,
    invoice_date: &'static str,
    due_date: &'static str,
    amount: i64,
    open: i64,
) -> Row {
    Row {
        id,
        customer,
        division,
        collector,
        invoice_date,
        due_date,
        amount,
        open,
        status: Status::Open,
    }
}

/// A EUR snapshot (exponent 2: amounts are cents).
pub fn snap(as_of: &str, rows: &[Row]) -> Snapshot {
    let mut b = SnapshotBuilder::new(day(as_of), Currency::from_code("EUR"));
    for r in rows {
        b.push(&InvoiceRow {
            invoice_id: r.id,
            customer_id: r.customer,
            customer_name: r.customer,
            division: r.division,
            collector: r.collector,
            status: r.status,
            invoice_date: day(r.invoice_date),
            due_date: day(r.due_date),
            amount: Money(r.amount),
            open: Money(r.open),
        });
    }
    b.finish()
}

pub fn activity(
    date: &str,
    kind: ActivityKind,
    customer: &str,
    invoice: &str,
    amount: i64,
) -> Activity {
    Activity {
        date: day(date),
        kind,
        customer_id: customer.to_string(),
        invoice_id: invoice.to_string(),
        amount: Money(amount),
        collector: None,
        reference: String::new(),
        note: String::new(),
    }
}

pub fn with_ref(mut a: Activity, reference: &str) -> Activity {
    a.reference = reference.to_string();
    a
}

pub fn by(mut a: Activity, collector: &str) -> Activity {
    a.collector = Some(collector.to_string());
    a
}

pub fn customer(id: &str, limit: Option<i64>) -> CustomerInfo {
    CustomerInfo {
        customer_id: id.to_string(),
        name: format!("{id} Ltd"),
        credit_limit: limit.map(Money),
        ..CustomerInfo::default()
    }
}

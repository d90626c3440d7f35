//! The optional ledger files of a data folder: `sales.csv`, `activity.csv`
//! and `customers.csv` (see the README for their columns). A missing file
//! means "not provided"; a present file with problems fails like a snapshot.

use super::problem::Problems;
use super::table::{Schema, Table};
use arsite_core::ledger::{parse_period, Activity, ActivityKind, CustomerInfo, SalesEntry};
use arsite_core::{Currency, Money};
use std::path::Path;

fn non_empty(t: &str) -> Option<String> {
    (!t.is_empty()).then(|| t.to_string())
}

pub fn read_sales(path: &Path, currency: &Currency) -> Result<Vec<SalesEntry>, Problems> {
    const SCHEMA: Schema = Schema {
        required: &["period", "amount"],
        optional: &["division"],
    };
    let mut table = Table::open(path, &SCHEMA)?;
    let mut out = Vec::new();
    while let Some(mut row) = table.next_row() {
        let c = row.columns;
        let period_text = row.required_text(c.required(0), "period");
        let period = period_text.and_then(|t| {
            let p = parse_period(t);
            if p.is_none() {
                row.problem(
                    c.required(0),
                    "period",
                    format!("expected a month YYYY-MM, found {t:?}"),
                );
            }
            p
        });
        let amount = row.amount(c.required(1), "amount", currency.exponent);
        let division = row.optional_text(c.optional(0), "division");
        if let (Some(period), Some(amount), Some(division)) = (period, amount, division) {
            out.push(SalesEntry {
                period,
                division: non_empty(division),
                amount,
            });
        }
    }
    table.finish()?;
    Ok(out)
}

pub fn read_activity(path: &Path, currency: &Currency) -> Result<Vec<Activity>, Problems> {
    const SCHEMA: Schema = Schema {
        required: &["date", "type", "customer_id", "invoice_id", "amount"],
        optional: &["collector", "reference", "note"],
    };
    const TYPES: &str = "payment, credit_memo, write_off, recovery, placement, promise, dispute_opened, dispute_resolved, contact";
    let mut table = Table::open(path, &SCHEMA)?;
    let mut out = Vec::new();
    while let Some(mut row) = table.next_row() {
        let c = row.columns;
        let date = row.date(c.required(0), "date");
        let kind = row.required_text(c.required(1), "type").and_then(|t| {
            let k = ActivityKind::parse(t);
            if k.is_none() {
                row.problem(
                    c.required(1),
                    "type",
                    format!("expected one of {TYPES}, found {t:?}"),
                );
            }
            k
        });
        let customer_id = row.required_text(c.required(2), "customer_id");
        let invoice_id = row.text(c.required(3), "invoice_id");
        // Contacts and dispute events carry no money; an empty amount is 0 there.
        let amount = match kind {
            Some(
                ActivityKind::Contact | ActivityKind::DisputeOpened | ActivityKind::DisputeResolved,
            ) => row
                .optional_amount(Some(c.required(4)), "amount", currency.exponent)
                .map(|m| m.unwrap_or(Money::ZERO)),
            _ => row.amount(c.required(4), "amount", currency.exponent),
        };
        let collector = row.optional_text(c.optional(0), "collector");
        let reference = row.optional_text(c.optional(1), "reference");
        let note = row.optional_text(c.optional(2), "note");
        if kind == Some(ActivityKind::Promise) {
            if let Some(r) = reference.filter(|r| arsite_core::Day::parse_iso(r).is_none()) {
                row.problem(
                    c.optional(1).unwrap_or(c.required(1)),
                    "reference",
                    format!(
                        "a promise needs the promised date YYYY-MM-DD in reference, found {r:?}"
                    ),
                );
            }
        }
        if row.has_problems() {
            continue;
        }
        if let (Some(date), Some(kind), Some(customer_id), Some(invoice_id), Some(amount)) =
            (date, kind, customer_id, invoice_id, amount)
        {
            out.push(Activity {
                date,
                kind,
                customer_id: customer_id.to_string(),
                invoice_id: invoice_id.to_string(),
                amount,
                collector: collector.and_then(non_empty),
                reference: reference.unwrap_or_default().to_string(),
                note: note.unwrap_or_default().to_string(),
            });
        }
    }
    table.finish()?;
    Ok(out)
}

pub fn read_customers(path: &Path, currency: &Currency) -> Result<Vec<CustomerInfo>, Problems> {
    const SCHEMA: Schema = Schema {
        required: &["customer_id", "name"],
        optional: &[
            "division",
            "collector",
            "credit_limit",
            "payment_terms",
            "risk_class",
        ],
    };
    let mut table = Table::open(path, &SCHEMA)?;
    let mut out = Vec::new();
    while let Some(mut row) = table.next_row() {
        let c = row.columns;
        let id = row.required_text(c.required(0), "customer_id");
        let name = row.text(c.required(1), "name");
        let division = row.optional_text(c.optional(0), "division");
        let collector = row.optional_text(c.optional(1), "collector");
        let limit = row.optional_amount(c.optional(2), "credit_limit", currency.exponent);
        let terms = row.optional_text(c.optional(3), "payment_terms");
        let risk = row.optional_text(c.optional(4), "risk_class");
        if let (
            Some(id),
            Some(name),
            Some(division),
            Some(collector),
            Some(limit),
            Some(terms),
            Some(risk),
        ) = (id, name, division, collector, limit, terms, risk)
        {
            out.push(CustomerInfo {
                customer_id: id.to_string(),
                name: name.to_string(),
                division: non_empty(division),
                collector: non_empty(collector),
                credit_limit: limit,
                payment_terms: non_empty(terms),
                risk_class: non_empty(risk),
            });
        }
    }
    table.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file(text: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        f
    }

    fn eur() -> Currency {
        Currency::from_code("EUR")
    }

    #[test]
    fn sales_rows_and_problems() {
        let f = file("period,division,amount\n2026-03,North,100.50\n2026-04,,7\n");
        let s = read_sales(f.path(), &eur()).unwrap();
        assert_eq!(
            s[0],
            SalesEntry {
                period: (2026, 3),
                division: Some("North".into()),
                amount: Money(10050)
            }
        );
        assert_eq!(s[1].division, None);
        let f = file("period,amount\n2026-13,5\n");
        let e = read_sales(f.path(), &eur()).unwrap_err().0;
        assert!(
            e[0].to_string()
                .ends_with(":2:1: error: period: expected a month YYYY-MM, found \"2026-13\""),
            "{}",
            e[0]
        );
    }

    #[test]
    fn activity_types_amounts_and_promise_dates() {
        let f = file(
            "date,type,customer_id,invoice_id,amount,collector,reference,note\n\
             2026-03-02,payment,C1,I1,50.00,Ann,,\n\
             2026-03-03,contact,C1,,,Ann,call,left message\n\
             2026-03-04,promise,C1,,80,Ann,2026-03-20,\n\
             2026-03-05,refund,C1,I1,5,,,\n\
             2026-03-06,promise,C1,,80,Ann,next week,\n",
        );
        let e = read_activity(f.path(), &eur()).unwrap_err().0;
        let msgs: Vec<String> = e
            .iter()
            .map(|p| p.to_string().split_once(':').unwrap().1.to_string())
            .collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(
            msgs[0].starts_with("5:2: error: type: expected one of payment"),
            "{msgs:?}"
        );
        assert!(
            msgs[1].starts_with("6:7: error: reference: a promise needs the promised date"),
            "{msgs:?}"
        );
        let f = file(
            "date,type,customer_id,invoice_id,amount\n2026-03-03,Contact,C1,,\n2026-03-04,write-off,C1,I9,12.5\n",
        );
        let a = read_activity(f.path(), &eur()).unwrap();
        assert_eq!(a[0].kind, ActivityKind::Contact);
        assert_eq!(a[0].amount, Money::ZERO);
        assert_eq!(a[1].kind, ActivityKind::WriteOff);
        assert_eq!(a[1].amount, Money(1250));
    }

    #[test]
    fn customers_with_optional_limits() {
        let f = file(
            "customer_id,name,credit_limit,risk_class\nC1,\"Smith & Sons\",5000,B\nC2,Other,,\n",
        );
        let c = read_customers(f.path(), &eur()).unwrap();
        assert_eq!(c[0].credit_limit, Some(Money(500000)));
        assert_eq!(c[0].risk_class.as_deref(), Some("B"));
        assert_eq!(c[1].credit_limit, None);
    }
}

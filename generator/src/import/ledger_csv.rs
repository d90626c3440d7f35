//! The optional ledger files of a data folder: `sales.csv`, `activity.csv`
//! and `customers.csv` (see the README for their columns), canonical or
//! through an `[import.<input>]` mapping. A missing file means "not
//! provided"; rows with problems are rejected and reported like snapshot
//! rows.

use super::problem::{Kind, Problem, Problems};
use super::quality::FileQuality;
use super::source::{with_records, Input};
use super::spec::InputSpec;
use super::table::{ColumnDef, Schema, Table};
use arsite_core::activity::{ActivityLog, ActivityLogBuilder, NewActivity};
use arsite_core::ledger::{parse_period, ActivityKind, CustomerInfo, SalesEntry};
use arsite_core::{Currency, Money};
use std::collections::HashMap;
use std::path::Path;

/// The usable rows of a ledger file (a `Vec` of rows, or the activity
/// log) and what became of the others.
#[derive(Clone, Debug)]
pub struct LedgerImport<R> {
    pub rows: R,
    pub quality: FileQuality,
}

impl<R> LedgerImport<R> {
    /// The rows, or every problem when there was any.
    pub fn strict(self) -> Result<R, Problems> {
        if self.quality.is_clean() {
            Ok(self.rows)
        } else {
            let mut problems: Vec<Problem> = self.quality.problems().cloned().collect();
            problems.sort_by_key(|p| (p.line, p.column));
            Err(Problems(problems))
        }
    }
}

fn non_empty(t: &str) -> Option<String> {
    (!t.is_empty()).then(|| t.to_string())
}

pub static SALES: Schema = Schema {
    input: "sales",
    columns: &[
        ColumnDef::required("period"),
        ColumnDef::required("amount"),
        ColumnDef::optional("division"),
    ],
};

pub static ACTIVITY: Schema = Schema {
    input: "activity",
    columns: &[
        ColumnDef::required("date"),
        ColumnDef::required("type"),
        ColumnDef::required("customer_id"),
        ColumnDef::required("invoice_id"),
        ColumnDef::required("amount"),
        ColumnDef::optional("collector"),
        ColumnDef::optional("reference"),
        ColumnDef::optional("note"),
    ],
};

pub static CUSTOMERS: Schema = Schema {
    input: "customers",
    columns: &[
        ColumnDef::required("customer_id"),
        ColumnDef::required("name"),
        ColumnDef::optional("division"),
        ColumnDef::optional("collector"),
        ColumnDef::optional("credit_limit"),
        ColumnDef::optional("payment_terms"),
        ColumnDef::optional("risk_class"),
        ColumnDef::optional("contact_name"),
        ColumnDef::optional("email"),
        ColumnDef::optional("phone"),
    ],
};

/// Reads a canonical `sales.csv`; any problem fails it.
pub fn read_sales(path: &Path, currency: &Currency) -> Result<Vec<SalesEntry>, Problems> {
    read_sales_with(path, Input::Path(path), &InputSpec::canonical(), currency)?.strict()
}

pub fn read_activity(path: &Path, currency: &Currency) -> Result<ActivityLog, Problems> {
    read_activity_with(path, Input::Path(path), &InputSpec::canonical(), currency)?.strict()
}

pub fn read_customers(path: &Path, currency: &Currency) -> Result<Vec<CustomerInfo>, Problems> {
    read_customers_with(path, Input::Path(path), &InputSpec::canonical(), currency)?.strict()
}

/// Opens a ledger table and hands its rows to `each`, which returns the
/// model value of a usable row.
fn read_table<T>(
    path: &Path,
    input: Input<'_>,
    schema: &'static Schema,
    spec: &InputSpec,
    amount_column: &'static str,
    currency: &Currency,
    mut each: impl FnMut(&mut super::table::Row<'_, '_>) -> Option<T>,
) -> Result<LedgerImport<Vec<T>>, Problems> {
    let mut rows = Vec::new();
    let quality = scan_table(path, input, schema, spec, amount_column, currency, |row| {
        let value = each(row);
        if !row.has_problems() {
            rows.extend(value);
        }
    })?;
    Ok(LedgerImport { rows, quality })
}

/// Opens a ledger table and hands every row to `each`; what the rows become
/// is up to `each`, which must keep only rows without problems.
fn scan_table(
    path: &Path,
    input: Input<'_>,
    schema: &'static Schema,
    spec: &InputSpec,
    amount_column: &'static str,
    currency: &Currency,
    mut each: impl FnMut(&mut super::table::Row<'_, '_>),
) -> Result<FileQuality, Problems> {
    let one = |p: Problem| Problems(vec![p]);
    with_records(path, input, &spec.source, |records, info| {
        let mut table =
            Table::open(records, info, path, schema, spec, amount_column, currency).map_err(one)?;
        while let Some(mut row) = table.next_row() {
            each(&mut row);
        }
        let quality = table.finish();
        if !quality.file_problems.is_empty() {
            return Err(Problems(quality.file_problems));
        }
        Ok(quality)
    })
    .map_err(one)?
}

pub fn read_sales_with(
    path: &Path,
    input: Input<'_>,
    spec: &InputSpec,
    currency: &Currency,
) -> Result<LedgerImport<Vec<SalesEntry>>, Problems> {
    read_table(path, input, &SALES, spec, "amount", currency, |row| {
        let period_text = row.required_text(0);
        let period = period_text.and_then(|t| {
            let p = parse_period(t);
            if p.is_none() {
                row.problem(
                    0,
                    Kind::Value,
                    format!("expected a month YYYY-MM, found {t:?}"),
                );
            }
            if let Some(m) = p.and_then(super::date::period_outside_window) {
                row.problem(0, Kind::Date, m);
            }
            p
        });
        let amount = row.amount(1, currency.exponent).map(|a| a.0);
        if let Some(a) = amount {
            row.set_amount(a);
        }
        let division = row.text(2);
        Some(SalesEntry {
            period: period?,
            division: non_empty(division?),
            amount: amount?,
        })
    })
}

pub fn read_activity_with(
    path: &Path,
    input: Input<'_>,
    spec: &InputSpec,
    currency: &Currency,
) -> Result<LedgerImport<ActivityLog>, Problems> {
    const TYPES: &str = "payment, credit_memo, write_off, recovery, placement, promise, dispute_opened, dispute_resolved, contact";
    // Rows go straight into the compact log: millions of owned rows would
    // need several times the memory (see `arsite_core::activity`).
    let mut log = ActivityLogBuilder::new();
    let quality = scan_table(path, input, &ACTIVITY, spec, "amount", currency, |row| {
        let date = row.date(0);
        let kind = row.required_text(1).and_then(|t| {
            let k = ActivityKind::parse(t);
            if k.is_none() {
                row.problem(
                    1,
                    Kind::Value,
                    format!("expected one of {TYPES}, found {t:?}"),
                );
            }
            k
        });
        let customer_id = row.required_text(2);
        let invoice_id = row.text(3);
        // Contacts and dispute events carry no money; an empty amount is 0 there.
        let amount = match kind {
            Some(
                ActivityKind::Contact | ActivityKind::DisputeOpened | ActivityKind::DisputeResolved,
            ) => row
                .optional_amount(4, currency.exponent)
                .map(|m| m.map_or(Money::ZERO, |a| a.0)),
            _ => row.amount(4, currency.exponent).map(|a| a.0),
        };
        if let Some(a) = amount {
            row.set_amount(a);
        }
        let collector = row.text(5);
        let reference = row.text(6);
        let note = row.text(7);
        if kind == Some(ActivityKind::Promise) {
            let promised = reference.and_then(arsite_core::Day::parse_iso);
            if let Some(m) = promised.and_then(super::date::outside_window) {
                let col = if row.is_present(6) { 6 } else { 1 };
                row.problem(col, Kind::Date, format!("promised {m}"));
            } else if let Some(r) = reference.filter(|r| arsite_core::Day::parse_iso(r).is_none()) {
                let col = if row.is_present(6) { 6 } else { 1 };
                row.problem(
                    col,
                    Kind::Date,
                    format!(
                        "a promise needs the promised date YYYY-MM-DD in reference, found {r:?}"
                    ),
                );
            }
        }
        if row.has_problems() {
            return;
        }
        if let (Some(date), Some(kind), Some(customer_id), Some(invoice_id), Some(amount)) =
            (date, kind, customer_id, invoice_id, amount)
        {
            log.push(NewActivity {
                date,
                kind,
                customer_id,
                invoice_id,
                amount,
                collector: collector.unwrap_or_default(),
                reference: reference.unwrap_or_default(),
                note: note.unwrap_or_default(),
            });
        }
    })?;
    Ok(LedgerImport {
        rows: log.finish(),
        quality,
    })
}

pub fn read_customers_with(
    path: &Path,
    input: Input<'_>,
    spec: &InputSpec,
    currency: &Currency,
) -> Result<LedgerImport<Vec<CustomerInfo>>, Problems> {
    // The line each id was first seen on: a second row for a customer
    // would leave which name, division or limit holds to chance.
    let mut first_line: HashMap<String, u64> = HashMap::new();
    read_table(
        path,
        input,
        &CUSTOMERS,
        spec,
        "credit_limit",
        currency,
        |row| {
            let id = row.required_text(0);
            if let Some(id) = id {
                let line = row.line();
                let first = *first_line.entry(id.to_string()).or_insert(line);
                if first != line {
                    row.problem(
                        0,
                        Kind::DuplicateId,
                        format!("duplicate id {id:?} (first on line {first}); expected each customer once"),
                    );
                }
            }
            let name = row.text(1);
            let division = row.text(2);
            let collector = row.text(3);
            let limit = row
                .optional_amount(4, currency.exponent)
                .map(|m| m.map(|a| a.0));
            if let Some(Some(l)) = limit {
                row.set_amount(l);
                if l.is_negative() {
                    row.problem(
                        4,
                        Kind::Amount,
                        format!(
                            "expected a credit limit of zero or more, found {}",
                            currency.to_decimal(l)
                        ),
                    );
                }
            }
            let terms = row.text(5);
            let risk = row.text(6);
            let contact_name = row.text(7);
            let email = row.text(8);
            let phone = row.text(9);
            Some(CustomerInfo {
                customer_id: id?.to_string(),
                name: name?.to_string(),
                division: non_empty(division?),
                collector: non_empty(collector?),
                credit_limit: limit?,
                payment_terms: non_empty(terms?),
                risk_class: non_empty(risk?),
                contact_name: non_empty(contact_name?),
                email: non_empty(email?),
                phone: non_empty(phone?),
            })
        },
    )
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
        assert_eq!(a.get(0).kind(), ActivityKind::Contact);
        assert_eq!(a.get(0).amount(), Money::ZERO);
        assert_eq!(a.get(1).kind(), ActivityKind::WriteOff);
        assert_eq!(a.get(1).amount(), Money(1250));
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

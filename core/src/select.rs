//! Selecting invoices: the filters the dashboard and the filterable static
//! tables offer. Aggregation over a selection is the aging/metrics code's job.

use crate::{Invoice, Snapshot};

/// A filter over one snapshot. `None`/empty means "no restriction".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub division: Option<u32>,
    pub collector: Option<u32>,
    /// Case-insensitive substring of the customer's name or id.
    pub customer_search: String,
    pub bucket: Option<usize>,
    pub customer: Option<u32>,
}

/// A filter prepared against one snapshot: the customer search is resolved
/// once into a per-customer flag, so testing an invoice is a few integer
/// comparisons (the dashboard runs this over a million rows per keystroke).
pub struct PreparedFilter<'a> {
    filter: &'a Filter,
    scheme: &'a crate::AgingScheme,
    as_of: crate::Day,
    customer_ok: Option<Vec<bool>>,
}

impl Filter {
    pub fn prepare<'a>(
        &'a self,
        snapshot: &Snapshot,
        scheme: &'a crate::AgingScheme,
    ) -> PreparedFilter<'a> {
        let needle = self.customer_search.trim().to_lowercase();
        let customer_ok = (!needle.is_empty()).then(|| {
            snapshot
                .customers
                .iter()
                .map(|c| {
                    c.name.to_lowercase().contains(&needle) || c.id.to_lowercase().contains(&needle)
                })
                .collect()
        });
        PreparedFilter {
            filter: self,
            scheme,
            as_of: snapshot.as_of,
            customer_ok,
        }
    }
}

impl PreparedFilter<'_> {
    #[inline]
    pub fn matches(&self, inv: &Invoice) -> bool {
        let f = self.filter;
        f.division.is_none_or(|d| d == inv.division)
            && f.collector.is_none_or(|c| c == inv.collector)
            && f.customer.is_none_or(|c| c == inv.customer)
            && self
                .customer_ok
                .as_ref()
                .is_none_or(|ok| ok[inv.customer as usize])
            && f.bucket
                .is_none_or(|b| self.scheme.bucket_of(inv.days_past_due(self.as_of)) == b)
    }
}

/// The invoices of `snapshot` that pass `filter`.
pub fn select<'a>(
    snapshot: &'a Snapshot,
    scheme: &'a crate::AgingScheme,
    filter: &'a Filter,
) -> impl Iterator<Item = &'a Invoice> + 'a {
    let prepared = filter.prepare(snapshot, scheme);
    snapshot
        .invoices
        .iter()
        .filter(move |i| prepared.matches(i))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aging::totals;
    use crate::model::InvoiceRow;
    use crate::{AgingScheme, Currency, Day, Money, SnapshotBuilder, Status};
    use proptest::prelude::*;

    fn snapshot(rows: &[(u8, u8, u8, i32, i64)]) -> Snapshot {
        let customers = [
            ("C-1", "Müller GmbH"),
            ("C-2", "Smith & Sons"),
            ("X-3", "ACME"),
        ];
        let mut b = SnapshotBuilder::new(Day(500), Currency::from_code("EUR"));
        for (n, &(c, d, k, dpd, open)) in rows.iter().enumerate() {
            let id = n.to_string();
            let (cid, name) = customers[c as usize % 3];
            b.push(&InvoiceRow {
                invoice_id: &id,
                customer_id: cid,
                customer_name: name,
                division: ["", "North", "South"][d as usize % 3],
                collector: ["", "Ann", "Bob", "Cy"][k as usize % 4],
                status: Status::Open,
                invoice_date: Day(500 - dpd - 30),
                due_date: Day(500 - dpd),
                amount: Money(open),
                open: Money(open),
            });
        }
        b.finish()
    }

    #[test]
    fn search_is_case_insensitive_on_name_and_id() {
        let s = snapshot(&[(0, 1, 1, 10, 100), (1, 1, 1, 10, 200), (2, 2, 2, 10, 400)]);
        let scheme = AgingScheme::default();
        let count = |q: &str| {
            let f = Filter {
                customer_search: q.into(),
                ..Default::default()
            };
            select(&s, &scheme, &f).count()
        };
        assert_eq!(count("müller"), 1);
        assert_eq!(count("c-"), 2);
        assert_eq!(count("SMITH"), 1);
        assert_eq!(count(""), 3);
        assert_eq!(count("nobody"), 0);
    }

    proptest! {
        /// Splitting by collector (or division, or bucket) and adding the
        /// parts back gives the unfiltered totals, to the cent.
        #[test]
        fn filtered_totals_add_up_to_unfiltered(
            rows in prop::collection::vec((0u8..3, 0u8..3, 0u8..4, -40i32..300, -50_000i64..900_000), 0..150)
        ) {
            let s = snapshot(&rows);
            let scheme = AgingScheme::default();
            let all = totals(&scheme, s.as_of, s.invoices.iter());
            let mut by_collector = crate::BucketTotals::default();
            for k in 0..s.collectors.len() as u32 {
                let f = Filter { collector: Some(k), ..Default::default() };
                by_collector.merge(&totals(&scheme, s.as_of, select(&s, &scheme, &f)));
            }
            prop_assert_eq!(by_collector, all);
            let mut by_division_bucket = crate::BucketTotals::default();
            for d in 0..s.divisions.len() as u32 {
                for b in 0..scheme.bucket_count() {
                    let f = Filter { division: Some(d), bucket: Some(b), ..Default::default() };
                    by_division_bucket.merge(&totals(&scheme, s.as_of, select(&s, &scheme, &f)));
                }
            }
            prop_assert_eq!(by_division_bucket, all);
        }
    }
}

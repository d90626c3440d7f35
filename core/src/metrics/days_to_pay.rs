//! Payment timing of the period, weighted by amount paid.
//!
//! For each payment row dated in the period with amount > 0 whose invoice is
//! found (current snapshot first, then previous, by invoice id):
//! days to pay = payment date − invoice date; days late = max(0, payment
//! date − due date). Weighted days to pay = Σ paid × days to pay / Σ paid;
//! weighted days late = Σ paid × days late / Σ paid (payments on time count
//! with 0 days and their full weight). Payments whose invoice is in neither
//! snapshot are reported as unmatched and left out.

use super::amount::{weighted_days, Amount};
use super::context::Context;
use crate::ledger::ActivityKind;
use crate::Money;
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DaysToPay {
    pub payments_matched: u32,
    pub amount_matched: Amount,
    pub payments_unmatched: u32,
    pub amount_unmatched: Amount,
    pub weighted_days_to_pay: Option<Decimal>,
    pub weighted_days_late: Option<Decimal>,
}

/// One matched payment.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct PaymentTiming {
    pub amount: Money,
    /// Payment date − invoice date.
    pub days_to_pay: i32,
    /// max(0, payment date − due date).
    pub days_late: i32,
}

/// Matched payments of the period, and the unmatched ones.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PaymentRows {
    pub matched: Vec<PaymentTiming>,
    pub unmatched_count: u32,
    pub unmatched_amount: Money,
}

pub fn payment_rows(ctx: &Context<'_>) -> PaymentRows {
    let mut out = PaymentRows::default();
    for a in ctx.period_activity() {
        if a.kind() != ActivityKind::Payment || a.amount().0 <= 0 {
            continue;
        }
        match ctx.find_invoice(a.invoice_id()) {
            Some((_, inv)) => out.matched.push(PaymentTiming {
                amount: a.amount(),
                days_to_pay: a.date().days_since(inv.invoice_date),
                days_late: a.date().days_since(inv.due_date).max(0),
            }),
            None => {
                out.unmatched_count += 1;
                out.unmatched_amount += a.amount();
            }
        }
    }
    out
}

pub fn compute(ctx: &Context<'_>) -> DaysToPay {
    let rows = payment_rows(ctx);
    let m = &rows.matched;
    DaysToPay {
        payments_matched: m.len() as u32,
        amount_matched: ctx.amount(m.iter().map(|r| r.amount).sum()),
        payments_unmatched: rows.unmatched_count,
        amount_unmatched: ctx.amount(rows.unmatched_amount),
        weighted_days_to_pay: weighted_days(m.iter().map(|r| (r.amount, r.days_to_pay))),
        weighted_days_late: weighted_days(m.iter().map(|r| (r.amount, r.days_late))),
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
    fn weighted_days_late_worked_example() {
        // 10,000 paid 10 days late, 100 paid 40 days late:
        // (10,000 × 10 + 100 × 40) / 10,100 = 104,000 / 10,100 = 10.297… → 10.30
        assert_eq!(
            weighted_days([(Money(10_000), 10), (Money(100), 40)]),
            Some(d("10.30"))
        );
    }

    #[test]
    fn days_to_pay_from_activity_and_snapshots() {
        // A: dated Feb 1, due Mar 3, paid 10,000 on Mar 13 → 40 days to pay, 10 late.
        // B: dated Jan 1, due Jan 31, paid 100 on Mar 12 → 70 days to pay, 40 late.
        // Both paid in full: found in the previous snapshot only.
        // C: due Apr 30, paid 1,000 early on Mar 20 → 19 days to pay, 0 late.
        let prev = snap(
            "2026-02-28",
            &[
                row(
                    "A",
                    "C1",
                    "",
                    "",
                    "2026-02-01",
                    "2026-03-03",
                    10_000,
                    10_000,
                ),
                row("B", "C1", "", "", "2026-01-01", "2026-01-31", 100, 100),
            ],
        );
        let cur = snap(
            "2026-03-31",
            &[row(
                "C",
                "C1",
                "",
                "",
                "2026-03-01",
                "2026-04-30",
                2_000,
                1_000,
            )],
        );
        let mut act = vec![
            activity("2026-03-13", ActivityKind::Payment, "C1", "A", 10_000),
            activity("2026-03-12", ActivityKind::Payment, "C1", "B", 100),
            activity("2026-03-14", ActivityKind::Payment, "C1", "Z", 50), // unknown invoice
            activity("2026-03-15", ActivityKind::Payment, "C1", "A", -20), // reversal: left out
        ];
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let log = ActivityLog::from_rows(&act);
        let r = compute(&Context::new(&cur, Some(&prev), &l, &log, &[], &cfg));
        // Days late: the worked example, 10.30. Days to pay:
        // (10,000 × 40 + 100 × 70) / 10,100 = 407,000 / 10,100 = 40.297… → 40.30
        assert_eq!(r.weighted_days_late, Some(d("10.30")));
        assert_eq!(r.weighted_days_to_pay, Some(d("40.30")));
        assert_eq!((r.payments_matched, r.payments_unmatched), (2, 1));
        assert_eq!(r.amount_unmatched.money, Money(50));

        act.push(activity(
            "2026-03-20",
            ActivityKind::Payment,
            "C1",
            "C",
            1_000,
        ));
        let log = ActivityLog::from_rows(&act);
        let r = compute(&Context::new(&cur, Some(&prev), &l, &log, &[], &cfg));
        // Late: (100,000 + 4,000 + 0) / 11,100 = 9.369… → 9.37
        // To pay: (400,000 + 7,000 + 19,000) / 11,100 = 38.378… → 38.38
        assert_eq!(r.weighted_days_late, Some(d("9.37")));
        assert_eq!(r.weighted_days_to_pay, Some(d("38.38")));
    }

    #[test]
    fn no_payments_no_figures() {
        let cur = snap("2026-03-31", &[]);
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let r = compute(&Context::new(
            &cur,
            None,
            &l,
            ActivityLog::empty(),
            &[],
            &cfg,
        ));
        assert_eq!(r.weighted_days_late, None);
        assert_eq!(r.weighted_days_to_pay, None);
    }
}

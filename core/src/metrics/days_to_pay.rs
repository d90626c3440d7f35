//! Payment timing of the period, weighted by amount paid, with the share of
//! the period's cash it rests on.
//!
//! The period's cash is every payment row dated in the period with amount
//! > 0. Each is one of:
//! - *unapplied*: unapplied cash ([`is_unapplied_cash`]), or a payment on a
//!   document a snapshot shows with a negative amount (a credit, not an
//!   invoice): it pays no invoice, so it has no days to pay;
//! - *known*: its invoice is found by invoice id in the current snapshot,
//!   else in the previous one, which gives its invoice and due dates;
//! - *unknown*: its invoice is in neither snapshot. These are mostly
//!   invoices issued and paid inside the period: no snapshot ever shows
//!   them, and neither the activity row (no invoice date) nor the sales
//!   ledger (monthly totals) gives their date. They pay quickly, so leaving
//!   them out biases the average upward; the coverage says by how much cash.
//!
//! Known payments: days to pay = payment date − invoice date; days late =
//! max(0, payment date − due date). Weighted days to pay = Σ paid × days to
//! pay / Σ paid; weighted days late likewise. Coverage = known cash / the
//! period's cash × 100. Below [`MIN_COVERAGE_PERCENT`] the figures are not
//! given (status `insufficient_data`).

use super::amount::{percent, weighted_days, Amount};
use super::context::Context;
use super::sales::is_unapplied_cash;
use crate::ledger::ActivityKind;
use crate::Money;
use rust_decimal::Decimal;
use serde::Serialize;

/// The least share of the period's cash (in %) whose invoice dates must be
/// known for the weighted figures to be shown. Chosen so that at most a
/// fifth of the cash — the quickly paid invoices the snapshots never show —
/// is left out; with less known, the average says more about which
/// invoices happened to be seen than about how customers pay.
pub const MIN_COVERAGE_PERCENT: u32 = 80;

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimingStatus {
    /// Coverage reached the minimum: the weighted figures are given.
    Computed,
    /// Too little of the period's cash has a known invoice date.
    InsufficientData,
    /// No payment in the period.
    NoPayments,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DaysToPay {
    /// Payments whose invoice date is known.
    pub payments_matched: u32,
    pub amount_matched: Amount,
    /// Payments on an invoice no snapshot shows (invoice date unknown).
    pub payments_unmatched: u32,
    pub amount_unmatched: Amount,
    /// Unapplied cash: pays no invoice.
    pub payments_unapplied: u32,
    pub amount_unapplied: Amount,
    /// Every payment of the period (matched + unmatched + unapplied).
    pub period_cash: Amount,
    /// amount_matched / period_cash × 100; `None` without payments.
    pub coverage_percent: Option<Decimal>,
    pub min_coverage_percent: u32,
    pub status: TimingStatus,
    /// `None` unless `status` is `computed`.
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

/// Matched payments of the period, and the others.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PaymentRows {
    pub matched: Vec<PaymentTiming>,
    pub unmatched_count: u32,
    pub unmatched_amount: Money,
    pub unapplied_count: u32,
    pub unapplied_amount: Money,
}

pub fn payment_rows(ctx: &Context<'_>) -> PaymentRows {
    let mut out = PaymentRows::default();
    for a in ctx.period_activity() {
        if a.kind() != ActivityKind::Payment || a.amount().0 <= 0 {
            continue;
        }
        let found = ctx.find_invoice(a.invoice_id());
        if is_unapplied_cash(a) || found.is_some_and(|(_, inv)| inv.amount.0 < 0) {
            out.unapplied_count += 1;
            out.unapplied_amount += a.amount();
            continue;
        }
        match found {
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
    let matched: Money = m.iter().map(|r| r.amount).sum();
    let cash = matched + rows.unmatched_amount + rows.unapplied_amount;
    let (known, all) = (i128::from(matched.0), i128::from(cash.0));
    let status = if all <= 0 {
        TimingStatus::NoPayments
    } else if known * 100 < i128::from(MIN_COVERAGE_PERCENT) * all {
        TimingStatus::InsufficientData
    } else {
        TimingStatus::Computed
    };
    let shown = status == TimingStatus::Computed;
    DaysToPay {
        payments_matched: m.len() as u32,
        amount_matched: ctx.amount(matched),
        payments_unmatched: rows.unmatched_count,
        amount_unmatched: ctx.amount(rows.unmatched_amount),
        payments_unapplied: rows.unapplied_count,
        amount_unapplied: ctx.amount(rows.unapplied_amount),
        period_cash: ctx.amount(cash),
        coverage_percent: percent(known, all),
        min_coverage_percent: MIN_COVERAGE_PERCENT,
        status,
        weighted_days_to_pay: weighted_days(m.iter().map(|r| (r.amount, r.days_to_pay)))
            .filter(|_| shown),
        weighted_days_late: weighted_days(m.iter().map(|r| (r.amount, r.days_late)))
            .filter(|_| shown),
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
    fn coverage_of_the_periods_cash_and_its_threshold() {
        // A (dated Feb 1, due Mar 3) is paid 9,200 on Mar 13: 40 days to pay,
        // 10 late. N, in no snapshot (issued and paid in March), is paid 800:
        // date unknown. Coverage = 9,200 / (9,200 + 800) = 92.00 %.
        let prev = snap(
            "2026-02-28",
            &[row(
                "A",
                "C1",
                "",
                "",
                "2026-02-01",
                "2026-03-03",
                9_200,
                9_200,
            )],
        );
        let cur = snap("2026-03-31", &[]);
        let mut act = vec![
            activity("2026-03-13", ActivityKind::Payment, "C1", "A", 9_200),
            activity("2026-03-20", ActivityKind::Payment, "C1", "N", 800),
        ];
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let run = |act: &[crate::ledger::Activity]| {
            let log = ActivityLog::from_rows(act);
            let ctx = Context::new(&cur, Some(&prev), &l, &log, &[], &cfg);
            compute(&ctx)
        };
        let r = run(&act);
        assert_eq!(r.coverage_percent, Some(d("92.00")));
        assert_eq!(r.status, TimingStatus::Computed);
        assert_eq!(r.weighted_days_to_pay, Some(d("40.00")));
        assert_eq!(r.weighted_days_late, Some(d("10.00")));
        assert_eq!(r.period_cash.money, Money(10_000));

        // 1,500 of unapplied cash (no invoice id) is period cash too:
        // 9,200 / 11,500 = 80.00 %, exactly the minimum: still shown.
        act.push(activity(
            "2026-03-21",
            ActivityKind::Payment,
            "C1",
            "",
            1_500,
        ));
        let r = run(&act);
        assert_eq!(
            (r.payments_unapplied, r.amount_unapplied.money),
            (1, Money(1_500))
        );
        assert_eq!(r.coverage_percent, Some(d("80.00")));
        assert_eq!(r.weighted_days_to_pay, Some(d("40.00")));

        // One more cent of unknown cash: 9,200 / 11,501 = 79.993… % → 79.99,
        // below 80: insufficient data, no figures.
        act.push(activity("2026-03-22", ActivityKind::Payment, "C1", "M", 1));
        let r = run(&act);
        assert_eq!(r.coverage_percent, Some(d("79.99")));
        assert_eq!(r.status, TimingStatus::InsufficientData);
        assert_eq!((r.weighted_days_to_pay, r.weighted_days_late), (None, None));
        assert_eq!(
            (r.payments_unmatched, r.amount_unmatched.money),
            (2, Money(801))
        );
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
        assert_eq!(r.status, TimingStatus::NoPayments);
        assert_eq!(r.coverage_percent, None);
    }
}

/// Unit tests aimed at mutants cargo-mutants found surviving (issue 21).
#[cfg(test)]
mod mutation_tests {
    use super::super::testutil::*;
    use super::*;
    use crate::activity::ActivityLog;
    use crate::ledger::{MetricsConfig, SalesLedger};

    #[test]
    fn a_payment_on_a_credit_line_is_unapplied_one_on_a_zero_invoice_is_matched() {
        // As of 2026-03-31 (month to date). CM is a credit line (−200): cash
        // "paid" on it pays no invoice → unapplied. Z is an invoice of 0
        // (not a credit): its payment is matched, dated Mar 1, paid Mar 11
        // → 10 days to pay.
        let cur = snap(
            "2026-03-31",
            &[
                row("CM", "C1", "", "", "2026-03-01", "2026-03-31", -200, -200),
                row("Z", "C1", "", "", "2026-03-01", "2026-03-31", 0, 0),
            ],
        );
        let act = vec![
            activity("2026-03-10", ActivityKind::Payment, "C1", "CM", 50),
            activity("2026-03-11", ActivityKind::Payment, "C1", "Z", 30),
        ];
        let cfg = MetricsConfig::default();
        let l = SalesLedger::default();
        let log = ActivityLog::from_rows(&act);
        let ctx = Context::new(&cur, None, &l, &log, &[], &cfg);
        let rows = payment_rows(&ctx);
        assert_eq!(
            (rows.unapplied_count, rows.unapplied_amount),
            (1, Money(50))
        );
        assert_eq!(
            rows.matched,
            vec![PaymentTiming {
                amount: Money(30),
                days_to_pay: 10,
                days_late: 0,
            }]
        );
    }
}

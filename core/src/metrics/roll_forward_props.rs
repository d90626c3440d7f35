//! Property: on ledgers that reconcile by construction, the roll-forward's
//! residual is exactly 0 and every line of it (and the period CEI) is the
//! figure the generator knows independently.
//!
//! The generator writes a previous snapshot, the period's activity (every
//! kind: payments, credit memos and write-offs move the open amounts; the
//! other kinds do not), new invoices issued in the period with a sales
//! ledger that holds exactly their amounts, and the current snapshot as
//! previous open + new − payments − credit memos − write-offs per invoice
//! (an invoice cleared to 0 leaves the snapshot). Activity dated before the
//! period (already in the previous snapshot) or after the snapshot date
//! must be ignored. Any figure the metrics add twice, drop or take from the
//! wrong rows shows as a residual or a wrong line.

use super::compute;
use super::testutil::day;
use crate::activity::ActivityLog;
use crate::ledger::{period_of, Activity, ActivityKind, MetricsConfig, SalesEntry, SalesLedger};
use crate::model::InvoiceRow;
use crate::{Currency, Day, Money, Snapshot, SnapshotBuilder, Status};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

const DIVISIONS: [&str; 4] = ["", "North", "South", "East"];
const COLLECTORS: [&str; 5] = ["", "ann", "bob", "cy", "dee"];
const PREVIOUS: [&str; 3] = ["2025-12-31", "2026-01-31", "2026-02-28"];
const CURRENT: &str = "2026-03-31";

/// One document: who holds it, its dates and amount, and what the period
/// does to it (per-mille parts of its open amount paid, credited, written
/// off, each on a day of the period; `settle` pays whatever is left).
#[derive(Clone, Debug)]
struct Doc {
    customer: u8,
    division: u8,
    collector: u8,
    status: u8,
    /// Old documents: days before the previous snapshot; new ones: day of the period.
    day: u16,
    terms: u8,
    amount: i64,
    open_per_mille: u16,
    credit: bool,
    flows: [(u16, u16); 3],
    settle: bool,
}

fn doc(customers: u8) -> impl Strategy<Value = Doc> {
    (
        (0..customers, 0u8..4, 0u8..5, 0u8..5, 0u16..400, 0u8..90),
        (1i64..100_000_000, 0u16..=1000, prop::bool::weighted(0.1)),
        prop::array::uniform3((0u16..=600, 0u16..90)),
        prop::bool::weighted(0.2),
    )
        .prop_map(
            |(
                (customer, division, collector, status, day, terms),
                (amount, open_per_mille, credit),
                flows,
                settle,
            )| Doc {
                customer,
                division,
                collector,
                status,
                day,
                terms,
                amount,
                open_per_mille,
                credit,
                flows,
                settle,
            },
        )
}

/// Rows of the kinds that never move AR, and rows of every kind dated
/// outside the period: (kind, document, amount, day, where: 0 in the
/// period, 1 before it, 2 after the snapshot).
type Noise = (usize, usize, i64, u16, u8);

fn noise() -> impl Strategy<Value = Noise> {
    (
        0usize..9,
        0usize..400,
        -100_000i64..10_000_000,
        0u16..90,
        0u8..3,
    )
}

#[derive(Clone, Debug)]
struct Case {
    previous: usize,
    old: Vec<Doc>,
    new: Vec<Doc>,
    noise: Vec<Noise>,
    /// Sales of months before the period (for DSO history), oldest last.
    history: Vec<i64>,
    /// Split the period's ledger rows across divisions.
    by_division: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (0usize..3, 1u8..60).prop_flat_map(|(previous, customers)| {
        (
            prop::collection::vec(doc(customers), 0..250),
            prop::collection::vec(doc(customers), 0..150),
            prop::collection::vec(noise(), 0..120),
            prop::collection::vec(0i64..5_000_000_000, 0..14),
            any::<bool>(),
        )
            .prop_map(move |(old, new, noise, history, by_division)| Case {
                previous,
                old,
                new,
                noise,
                history,
                by_division,
            })
    })
}

/// What the generator knows about the period, independently of the metrics.
#[derive(Debug, Default)]
struct Known {
    beginning: i64,
    sales: i64,
    payments: i64,
    credit_memos: i64,
    write_offs: i64,
    ending: i64,
    ending_current: i64,
    /// (days, sales) of every ledger month, the snapshot's month first.
    months: Vec<(u32, i64)>,
}

struct Built {
    prev: Snapshot,
    cur: Snapshot,
    ledger: SalesLedger,
    log: ActivityLog,
    known: Known,
}

fn money_kind(k: usize) -> ActivityKind {
    [
        ActivityKind::Payment,
        ActivityKind::CreditMemo,
        ActivityKind::WriteOff,
    ][k]
}

fn reference(kind: ActivityKind, date: Day) -> String {
    match kind {
        ActivityKind::Promise => Day(date.0 + 14).to_string(),
        ActivityKind::DisputeOpened => "pricing".into(),
        ActivityKind::DisputeResolved => "credited".into(),
        ActivityKind::Contact => "call".into(),
        _ => String::new(),
    }
}

fn build(c: &Case) -> Built {
    let prev_day = day(PREVIOUS[c.previous]);
    let cur_day = day(CURRENT);
    let period_days = (cur_day.0 - prev_day.0) as u16;
    let in_period = |d: u16| Day(prev_day.0 + 1 + i32::from(d % period_days));
    let cust = |n: u8| format!("C{n:02}");
    let eur = Currency::from_code("EUR");
    let mut prev = SnapshotBuilder::new(prev_day, eur.clone());
    let mut cur = SnapshotBuilder::new(cur_day, eur);
    let mut acts: Vec<Activity> = Vec::new();
    let mut k = Known::default();
    let mut new_by_month: BTreeMap<(crate::ledger::Period, usize), i64> = BTreeMap::new();
    let mut ids: Vec<(String, String)> = Vec::new();
    for (old, docs) in [(true, &c.old), (false, &c.new)] {
        for (n, d) in docs.iter().enumerate() {
            let id = format!("{}{n}", if old { "P" } else { "N" });
            let sign = if d.credit { -1 } else { 1 };
            let amount = sign * d.amount;
            let (invoice_date, open) = if old {
                let open = amount * i64::from(d.open_per_mille) / 1000;
                (Day(prev_day.0 - i32::from(d.day)), open)
            } else {
                (in_period(d.day), amount)
            };
            let due = Day(invoice_date.0 + i32::from(d.terms));
            let customer = cust(d.customer);
            let row = |open: Money| InvoiceRow {
                invoice_id: &id,
                customer_id: &customer,
                customer_name: "Name",
                division: DIVISIONS[usize::from(d.division)],
                collector: COLLECTORS[usize::from(d.collector)],
                status: Status::ALL[usize::from(d.status)],
                invoice_date,
                due_date: due,
                amount: Money(amount),
                open,
            };
            if old {
                // A document with nothing open is not in the previous snapshot.
                if open == 0 {
                    continue;
                }
                prev.push(&row(Money(open)));
                k.beginning += open;
            } else {
                k.sales += amount;
                *new_by_month
                    .entry((period_of(invoice_date), usize::from(d.division)))
                    .or_default() += amount;
            }
            let mut left = open;
            for (kind, &(per_mille, when)) in d.flows.iter().enumerate() {
                let mut part = open * i64::from(per_mille) / 1000;
                if kind == 0 && d.settle {
                    part = left
                        - open * i64::from(d.flows[1].0) / 1000
                        - open * i64::from(d.flows[2].0) / 1000;
                }
                if part == 0 {
                    continue;
                }
                // A new document's flows fall on or after its invoice date.
                let date = if old {
                    in_period(when)
                } else {
                    Day(invoice_date.0 + i32::from(when)).min(cur_day)
                };
                left -= part;
                match kind {
                    0 => k.payments += part,
                    1 => k.credit_memos += part,
                    _ => k.write_offs += part,
                }
                acts.push(activity(
                    date,
                    money_kind(kind),
                    &cust(d.customer),
                    &id,
                    part,
                ));
            }
            if left != 0 {
                cur.push(&row(Money(left)));
                k.ending += left;
                if due >= cur_day {
                    k.ending_current += left;
                }
            }
            ids.push((id, cust(d.customer)));
        }
    }
    for &(kind, which, amount, when, place) in &c.noise {
        let (id, customer) = ids
            .get(which % ids.len().max(1))
            .cloned()
            .unwrap_or_else(|| ("X1".into(), cust(0)));
        let kind = ActivityKind::ALL[kind];
        let date = match place {
            0 => in_period(when),
            1 => Day(prev_day.0 - i32::from(when)),
            _ => Day(cur_day.0 + 1 + i32::from(when)),
        };
        // In the period only the kinds that move no AR.
        if place == 0 && kind_moves_ar(kind) {
            continue;
        }
        let mut a = activity(date, kind, &customer, &id, amount);
        a.reference = reference(kind, date);
        acts.push(a);
    }
    let mut entries = Vec::new();
    let mut month = period_of(Day(prev_day.0 + 1));
    let last = period_of(cur_day);
    loop {
        // Every month of the period has rows (0 when nothing was issued).
        let divisions: Vec<usize> = if c.by_division {
            (0..4).collect()
        } else {
            vec![0]
        };
        for &dv in &divisions {
            let amount: i64 = new_by_month
                .iter()
                .filter(|((p, d), _)| *p == month && (!c.by_division || *d == dv))
                .map(|(_, a)| a)
                .sum();
            entries.push(SalesEntry {
                period: month,
                division: (c.by_division && dv > 0).then(|| DIVISIONS[dv].to_string()),
                amount: Money(amount),
            });
        }
        if month == last {
            break;
        }
        month = crate::ledger::next_period(month);
    }
    // The period's months newest first, then the history before them.
    let mut m = last;
    loop {
        let sales = new_by_month
            .iter()
            .filter(|((p, _), _)| *p == m)
            .map(|(_, a)| a)
            .sum();
        k.months.push((crate::ledger::period_days(m), sales));
        if m == period_of(Day(prev_day.0 + 1)) {
            break;
        }
        m = crate::ledger::previous_period(m);
    }
    let mut back = period_of(prev_day);
    for &s in &c.history {
        k.months.push((crate::ledger::period_days(back), s));
        entries.push(SalesEntry {
            period: back,
            division: None,
            amount: Money(s),
        });
        back = crate::ledger::previous_period(back);
    }
    Built {
        prev: prev.finish(),
        cur: cur.finish(),
        ledger: SalesLedger::new(entries),
        log: ActivityLog::from_rows(&acts),
        known: k,
    }
}

fn kind_moves_ar(kind: ActivityKind) -> bool {
    matches!(
        kind,
        ActivityKind::Payment | ActivityKind::CreditMemo | ActivityKind::WriteOff
    )
}

fn activity(date: Day, kind: ActivityKind, customer: &str, invoice: &str, amount: i64) -> Activity {
    Activity {
        date,
        kind,
        customer_id: customer.to_string(),
        invoice_id: invoice.to_string(),
        amount: Money(amount),
        collector: None,
        reference: String::new(),
        note: String::new(),
    }
}

/// Countback by its definition (months newest first): with P the months
/// before the first negative one, a figure iff AR ≤ 0 or AR ≤ Σ P; then
/// D(k−1) + (AR − S(k−1)) × d(k) / s(k) for the first month k whose
/// cumulative sales reach AR.
fn countback_oracle(ar: i64, months: &[(u32, i64)]) -> Option<Decimal> {
    if ar <= 0 {
        return Some(Decimal::new(0, 2));
    }
    let ar = i128::from(ar);
    let (mut s, mut d) = (0i128, 0i128);
    for &(days, sales) in months.iter().take_while(|m| m.1 >= 0) {
        let (sk, dk) = (i128::from(sales), i128::from(days));
        if s + sk >= ar {
            let (num, den) = (d * sk + (ar - s) * dk, sk);
            let hundredths = (2 * num * 100 + den) / (2 * den);
            return Some(Decimal::from_i128_with_scale(hundredths, 2));
        }
        s += sk;
        d += dk;
    }
    None
}

/// `100 × num / den` (den > 0), 2 decimals half away from zero, by hand.
fn oracle_percent(num: i128, den: i128) -> Decimal {
    let hundredths = (2 * num.abs() * 100 * 100 + den) / (2 * den);
    Decimal::from_i128_with_scale(num.signum() * hundredths, 2)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn consistent_ledgers_roll_forward_with_zero_residual(c in case()) {
        let b = build(&c);
        let cfg = MetricsConfig::default();
        let m = compute(&b.cur, Some(&b.prev), &b.ledger, &b.log, &[], &cfg);
        let k = &b.known;
        prop_assert!(!m.sales_derived);
        prop_assert_eq!(m.period_sales.map(|a| a.money), Some(Money(k.sales)));
        let r = m.roll_forward.as_ref();
        prop_assert!(r.is_some(), "no roll-forward on a reconciling ledger");
        let r = r.unwrap();
        prop_assert_eq!(r.residual.money, Money::ZERO, "{:?}\n{:?}", r, k);
        prop_assert_eq!(r.beginning.money, Money(k.beginning));
        prop_assert_eq!(r.sales.money, Money(k.sales));
        prop_assert_eq!(r.collected.money, Money(k.payments));
        prop_assert_eq!(r.credit_memos.money, Money(k.credit_memos));
        prop_assert_eq!(r.write_offs.money, Money(k.write_offs));
        prop_assert_eq!(r.ending.money, Money(k.ending));
        prop_assert_eq!(r.expected_ending.money, Money(k.ending));
        prop_assert_eq!(m.collections.collected.money, Money(k.payments));
        // The period CEI exists (previous snapshot, covered sales) and is
        // the oracle's; no figure exactly when its denominator is ≤ 0.
        let line = m.cei.period.as_ref();
        prop_assert!(line.is_some(), "no period CEI on a reconciling ledger");
        let line = line.unwrap();
        let num = i128::from(k.beginning) + i128::from(k.sales) - i128::from(k.ending);
        let den = i128::from(k.beginning) + i128::from(k.sales) - i128::from(k.ending_current);
        prop_assert_eq!(line.ending_current.money, Money(k.ending_current));
        prop_assert_eq!(line.cei, (den > 0).then(|| oracle_percent(num, den)));
        // Countback DSO on the ledger's months: a figure exactly where the
        // definition gives one, and the same figure.
        prop_assert_eq!(m.dso.countback.days(), countback_oracle(k.ending, &k.months), "{:?}", m.dso.countback);
    }
}

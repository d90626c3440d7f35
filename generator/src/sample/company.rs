//! The simulated company: divisions, collectors and a customer roster with
//! terms, risk classes and payment habits.

use super::calendar::{Calendar, Day};
use super::ledger::whole;
use super::names;
use super::rng::Draw;
use super::SampleOptions;
use anyhow::{bail, Result};

/// How a customer pays; drives every behaviour in the simulation.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Habit {
    /// Pays a few days before or at the due date.
    Prompt,
    /// 10–30 days late.
    Slow,
    /// 45–120 days late, often in instalments.
    Chronic,
    /// Disputes about a fifth of the invoices.
    Disputing,
    /// Stops paying at some point and ends with the agency.
    GoingBad,
}

impl Habit {
    pub const ALL: [Habit; 5] = [
        Habit::Prompt,
        Habit::Slow,
        Habit::Chronic,
        Habit::Disputing,
        Habit::GoingBad,
    ];

    /// Share of the roster in permille; the rest are prompt payers.
    fn share(self) -> usize {
        match self {
            Habit::Prompt => 0,
            Habit::Slow => 250,
            Habit::Chronic => 100,
            Habit::Disputing => 120,
            Habit::GoingBad => 80,
        }
    }

    /// Typical days between due date and payment, used only to calibrate
    /// invoicing rates to the requested number of open items.
    fn typical_delay(self) -> u64 {
        match self {
            Habit::Prompt => 0,
            Habit::Slow => 20,
            Habit::Chronic => 85,
            Habit::Disputing => 12,
            Habit::GoingBad => 20,
        }
    }

    /// Risk class weights (A, B, C, D): credit scoring sees some of the
    /// habit, not all of it — a customer going bad often still rates B.
    fn risk_weights(self) -> [u32; 4] {
        match self {
            Habit::Prompt => [60, 30, 8, 2],
            Habit::Slow => [15, 50, 30, 5],
            Habit::Chronic => [2, 18, 50, 30],
            Habit::Disputing => [15, 45, 30, 10],
            Habit::GoingBad => [10, 35, 35, 20],
        }
    }
}

pub(crate) struct Customer {
    pub id: String,
    pub name: String,
    pub division: usize,
    /// Current assignment; changes when portfolios are rebalanced.
    pub collector: usize,
    pub credit_limit: i64,
    pub terms: u32,
    pub risk: &'static str,
    pub habit: Habit,
    /// Centre of this customer's invoice amounts, in cents.
    pub typical_invoice: i64,
    /// Mean time between invoices in thousandths of a day.
    pub gap_milli: u64,
    /// The day a going-bad customer stops paying (`Day::MAX` otherwise).
    pub default_day: Day,
}

pub(crate) struct Company {
    pub divisions: Vec<String>,
    pub collectors: Vec<String>,
    pub customers: Vec<Customer>,
}

impl Company {
    pub fn build(opts: &SampleOptions, cal: &Calendar) -> Result<Company> {
        if opts.customers == 0 || opts.divisions == 0 || opts.collectors == 0 {
            bail!("sample: customers, divisions and collectors must each be at least 1");
        }
        let mut draw = Draw::new(opts.seed, 1);
        let divisions = names::division_names(opts.divisions);
        let collectors = names::collector_names(&mut draw, opts.collectors);
        let company_names = names::company_names(&mut draw, opts.customers);
        let habits = habit_roster(&mut draw, opts.customers);
        let id_width = (opts.customers.ilog10() as usize + 1).max(5);

        let mut company = Company {
            divisions,
            collectors,
            customers: Vec::with_capacity(opts.customers),
        };
        let mut targets = Vec::with_capacity(opts.customers);
        for (i, (name, habit)) in company_names.into_iter().zip(habits).enumerate() {
            let id = format!("C{:0width$}", i + 1, width = id_width);
            let (customer, target) = company.new_customer(&mut draw, cal, id, name, habit);
            company.customers.push(customer);
            targets.push(target);
        }
        company.calibrate(&targets, opts.invoices_per_snapshot);
        Ok(company)
    }

    /// Collectors serving a division: portfolios are split by division when
    /// there are enough collectors, as credit departments usually do.
    pub fn collectors_for(&self, division: usize) -> Vec<usize> {
        let (d, c) = (self.divisions.len(), self.collectors.len());
        if c >= d {
            (division..c).step_by(d).collect()
        } else {
            vec![division % c]
        }
    }

    /// A customer and its natural number of open items in thousandths.
    fn new_customer(
        &self,
        draw: &mut Draw,
        cal: &Calendar,
        id: String,
        name: String,
        habit: Habit,
    ) -> (Customer, u64) {
        let division = division_for(draw, self.divisions.len());
        let collector = *draw.pick(&self.collectors_for(division));
        let terms = [30, 15, 45, 60][draw.weighted(&[70, 10, 12, 8])];
        let risk = ["A", "B", "C", "D"][draw.weighted(&habit.risk_weights())];
        let typical_invoice = typical_invoice(draw);
        // "Natural" volume: 3–6 open items per customer; customers going bad
        // pile up more, so the roster averages about five. (More would push
        // the default sample past its size budget.)
        let target = u64::from(draw.between(3_000, 6_000));
        let default_day = match habit {
            Habit::GoingBad => default_day(draw, cal),
            _ => Day::MAX,
        };
        let customer = Customer {
            id,
            name,
            division,
            collector,
            credit_limit: 0,
            terms,
            risk,
            habit,
            typical_invoice,
            gap_milli: 0,
            default_day,
        };
        (customer, target)
    }

    /// Sets invoicing rates so that the expected open items add up to the
    /// requested total: open items ≈ invoices per day × days an invoice stays
    /// open (Little's law).
    fn calibrate(&mut self, targets: &[u64], wanted: Option<usize>) {
        let natural: u64 = targets.iter().sum();
        for (customer, &target) in self.customers.iter_mut().zip(targets) {
            let target = match wanted {
                Some(total) => (target * total as u64 * 1000 / natural.max(1)).max(1),
                None => target,
            };
            let open_days = u64::from(customer.terms) + customer.habit.typical_delay();
            customer.gap_milli = (open_days * 1_000_000 / target).max(1);
            let exposure = customer.typical_invoice * (target as i64 / 1000 + 1) * 3 / 2;
            customer.credit_limit = round_up(exposure, whole(1_000));
        }
    }

    /// Expected invoices per year, for sizing document ids.
    pub fn yearly_invoices(&self) -> u64 {
        self.customers
            .iter()
            .map(|c| 366_000 / c.gap_milli.max(1) + 1)
            .sum()
    }
}

/// Habits by quota rather than independent draws, so that even a small
/// roster has every habit.
fn habit_roster(draw: &mut Draw, customers: usize) -> Vec<Habit> {
    let mut roster = Vec::with_capacity(customers);
    for habit in Habit::ALL.into_iter().skip(1) {
        let minimum = usize::from(customers >= Habit::ALL.len() * 2);
        let count = (customers * habit.share()).div_ceil(1000).max(minimum);
        roster.extend(std::iter::repeat_n(habit, count));
    }
    roster.truncate(customers);
    roster.resize(customers, Habit::Prompt);
    draw.shuffle(&mut roster);
    roster
}

/// The first divisions are the larger ones (weights n+1, n, …, 2).
fn division_for(draw: &mut Draw, divisions: usize) -> usize {
    let weights: Vec<u32> = (0..divisions as u32)
        .map(|i| divisions as u32 + 1 - i)
        .collect();
    draw.weighted(&weights)
}

/// A skewed size distribution: many small accounts, a few key accounts.
fn typical_invoice(draw: &mut Draw) -> i64 {
    let (lo, hi) = match draw.weighted(&[55, 30, 12, 3]) {
        0 => (whole(150), whole(2_500)),
        1 => (whole(2_500), whole(15_000)),
        2 => (whole(15_000), whole(60_000)),
        _ => (whole(60_000), whole(250_000)),
    };
    draw.cents(lo, hi)
}

/// Defaults are spread so that the snapshots show every stage of the
/// decline: still paying, stopped, placed, written off.
fn default_day(draw: &mut Draw, cal: &Calendar) -> Day {
    let first_snapshot = cal.snapshot_days[0];
    let hi = cal.last_day.saturating_sub(15).max(1);
    let lo = first_snapshot.saturating_sub(200).max(30).min(hi);
    draw.between(lo, hi)
}

fn round_up(value: i64, step: i64) -> i64 {
    (value + step - 1) / step * step
}

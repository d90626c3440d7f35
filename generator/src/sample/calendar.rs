//! Day numbering for the simulation.
//!
//! The simulation counts whole days from its first day so that events can be
//! bucketed in a plain `Vec` and dates are small integers. Everything that is
//! written as text (ISO dates, `YYYY-MM` periods) is formatted once here and
//! reused for every row.

use anyhow::{bail, Context, Result};
use chrono::{Datelike, Months, NaiveDate};

/// Days since the first simulated day.
pub(crate) type Day = u32;

/// Months simulated before the first snapshot, so that the first snapshot
/// already shows aged items, broken promises and agency placements.
pub(crate) const PREHISTORY_MONTHS: u32 = 8;

/// How far past the last snapshot dates may still need a label: due dates
/// (at most NET60 plus slack) and promised dates.
const LABEL_HORIZON_DAYS: u32 = 400;

pub(crate) struct Calendar {
    start: NaiveDate,
    /// Day index of the final snapshot; the simulation stops after it.
    pub last_day: Day,
    /// Snapshot days in increasing order.
    pub snapshot_days: Vec<Day>,
    /// First day written to `activity.csv`: the first snapshot's month start.
    /// Earlier activity cannot be reconciled against any snapshot.
    pub activity_from: Day,
    labels: Vec<String>,
    years: Vec<u16>,
    month_of_day: Vec<u16>,
    /// `YYYY-MM` of every simulated month, oldest first.
    pub periods: Vec<String>,
}

impl Calendar {
    /// Snapshots are the month-ends of the `months` months ending with the
    /// month of `last`; the final snapshot is `last` itself (normally also a
    /// month-end).
    pub fn new(last: NaiveDate, months: u32) -> Result<Calendar> {
        if months == 0 {
            bail!("sample: at least one month of snapshots is needed");
        }
        if !(1000..=9000).contains(&last.year()) {
            bail!("sample: last snapshot {last} is outside the supported years");
        }
        let last_month = first_of_month(last);
        let first_month = sub_months(last_month, months - 1)?;
        let start = sub_months(first_month, PREHISTORY_MONTHS)?;
        let index = |date: NaiveDate| (date - start).num_days() as Day;

        let mut snapshot_days: Vec<Day> = (1..months)
            .rev()
            .map(|k| sub_months(last_month, k).map(|m| index(month_end(m))))
            .collect::<Result<_>>()?;
        snapshot_days.push(index(last));

        let last_day = index(last);
        let mut cal = Calendar {
            start,
            last_day,
            snapshot_days,
            activity_from: index(first_month),
            labels: Vec::new(),
            years: Vec::new(),
            month_of_day: Vec::new(),
            periods: Vec::new(),
        };
        cal.fill_tables();
        Ok(cal)
    }

    fn fill_tables(&mut self) {
        let days = self.last_day + LABEL_HORIZON_DAYS;
        let mut month_key = (self.start.year(), self.start.month());
        let mut month_index = 0u16;
        self.periods.push(period_label(self.start));
        for offset in 0..=days {
            let date = self.start + chrono::Duration::days(i64::from(offset));
            if (date.year(), date.month()) != month_key && offset <= self.last_day {
                month_key = (date.year(), date.month());
                month_index += 1;
                self.periods.push(period_label(date));
            }
            self.labels.push(date.format("%Y-%m-%d").to_string());
            self.years.push(date.year() as u16);
            self.month_of_day.push(month_index);
        }
    }

    /// ISO text of a day.
    pub fn label(&self, day: Day) -> &str {
        &self.labels[day as usize]
    }

    pub fn year(&self, day: Day) -> u16 {
        self.years[day as usize]
    }

    /// Index into `periods` of the month containing `day`.
    pub fn month_index(&self, day: Day) -> usize {
        usize::from(self.month_of_day[day as usize])
    }

    /// Whether `day` is the first of a month (collector reassignments happen
    /// then, like real portfolio reviews).
    pub fn is_month_start(&self, day: Day) -> bool {
        day > 0 && self.month_of_day[day as usize] != self.month_of_day[day as usize - 1]
    }

    /// The latest day that can be given a label (due dates, promise dates).
    pub fn horizon(&self) -> Day {
        self.labels.len() as Day - 1
    }
}

fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).expect("day 1 exists in every month")
}

fn sub_months(date: NaiveDate, months: u32) -> Result<NaiveDate> {
    date.checked_sub_months(Months::new(months))
        .with_context(|| format!("sample: cannot go back {months} months from {date}"))
}

fn month_end(first: NaiveDate) -> NaiveDate {
    let next = first
        .checked_add_months(Months::new(1))
        .expect("year range checked in Calendar::new");
    next.pred_opt()
        .expect("a day before the first of a month exists")
}

fn period_label(date: NaiveDate) -> String {
    format!("{:04}-{:02}", date.year(), date.month())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_snapshots_are_month_ends() {
        let last = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
        let cal = Calendar::new(last, 12).unwrap();
        let labels: Vec<&str> = cal.snapshot_days.iter().map(|&d| cal.label(d)).collect();
        assert_eq!(labels.len(), 12);
        assert_eq!(labels[0], "2025-11-30");
        assert_eq!(labels[3], "2026-02-28");
        assert_eq!(labels[11], "2026-10-31");
        assert_eq!(cal.label(0), "2025-03-01");
        assert_eq!(cal.periods.first().unwrap(), "2025-03");
        assert_eq!(cal.periods.last().unwrap(), "2026-10");
        assert_eq!(cal.periods.len(), 20);
        assert_eq!(cal.label(cal.activity_from), "2025-11-01");
        assert_eq!(cal.month_index(cal.last_day), 19);
        assert!(cal.is_month_start(cal.activity_from));
    }
}

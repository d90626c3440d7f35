//! Optional inputs of the metrics engine, as the generator hands them over
//! after parsing: the credit-sales ledger, the collection activity log, the
//! customer master, and the metrics settings.
//!
//! Nothing here reads files: the generator parses, this module only models.
//! Calendar months are `(year, month)` pairs ([`Period`]); the helpers below
//! turn them into [`Day`] ranges.

use crate::{AgingScheme, Day, Money};
use chrono::Datelike;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A calendar month as `(year, month 1–12)`.
pub type Period = (i32, u32);

/// The month a day falls in.
pub fn period_of(day: Day) -> Period {
    let d = day.date();
    (d.year(), d.month())
}

/// First day of the month. Panics only for months outside chrono's range or
/// a month number outside 1–12.
pub fn period_first_day(p: Period) -> Day {
    Day::from_ymd(p.0, p.1, 1).expect("a valid (year, month 1-12) period")
}

/// Last day of the month.
pub fn period_last_day(p: Period) -> Day {
    Day(period_first_day(next_period(p)).0 - 1)
}

/// Calendar days in the month (28–31).
pub fn period_days(p: Period) -> u32 {
    (period_last_day(p).0 - period_first_day(p).0 + 1) as u32
}

pub fn previous_period(p: Period) -> Period {
    if p.1 <= 1 {
        (p.0 - 1, 12)
    } else {
        (p.0, p.1 - 1)
    }
}

pub fn next_period(p: Period) -> Period {
    if p.1 >= 12 {
        (p.0 + 1, 1)
    } else {
        (p.0, p.1 + 1)
    }
}

/// `"2026-03"` → `(2026, 3)`; exactly `YYYY-MM`.
pub fn parse_period(text: &str) -> Option<Period> {
    let t = text.trim();
    let b = t.as_bytes();
    if b.len() != 7 || b[4] != b'-' || !t[..4].bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if !t[5..].bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let year: i32 = t[..4].parse().ok()?;
    let month: u32 = t[5..].parse().ok()?;
    (1..=12).contains(&month).then_some((year, month))
}

/// `(2026, 3)` → `"2026-03"`.
pub fn format_period(p: Period) -> String {
    format!("{:04}-{:02}", p.0, p.1)
}

/// Credit sales of one month, for one division or (division `None`) for the
/// business as a whole.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SalesEntry {
    pub period: Period,
    pub division: Option<String>,
    pub amount: Money,
}

/// The credit-sales ledger. A month is *covered* when the ledger has at least
/// one row for it (a row of 0 says "no sales"); a month without any row is
/// missing, never silently zero.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SalesLedger {
    entries: Vec<SalesEntry>,
    totals: BTreeMap<Period, Money>,
}

impl SalesLedger {
    pub fn new(entries: Vec<SalesEntry>) -> SalesLedger {
        let mut totals = BTreeMap::new();
        for e in &entries {
            *totals.entry(e.period).or_insert(Money::ZERO) += e.amount;
        }
        SalesLedger { entries, totals }
    }

    pub fn entries(&self) -> &[SalesEntry] {
        &self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether the ledger has any row for the month.
    pub fn covers(&self, period: Period) -> bool {
        self.totals.contains_key(&period)
    }

    /// Credit sales of a month: the sum over every row of the month
    /// (`division` `None`), or over the rows of one division (rows without a
    /// division count only in the total). `None` when the month is missing.
    pub fn month_sales(&self, period: Period, division: Option<&str>) -> Option<Money> {
        let total = *self.totals.get(&period)?;
        Some(match division {
            None => total,
            Some(d) => self
                .entries
                .iter()
                .filter(|e| e.period == period && e.division.as_deref() == Some(d))
                .map(|e| e.amount)
                .sum(),
        })
    }
}

/// What an activity row records. Amounts are positive as recorded: a payment,
/// credit memo or write-off of 100 reduces AR by 100; a recovery is cash
/// received on written-off debt; a placement is the amount handed to an
/// agency; a promise is the promised amount.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    Payment,
    CreditMemo,
    WriteOff,
    Recovery,
    Placement,
    /// `reference` holds the promised date as `YYYY-MM-DD`.
    Promise,
    /// `reference` holds the reason code.
    DisputeOpened,
    /// `reference` holds the resolution.
    DisputeResolved,
    /// `reference` holds the channel: call, email or letter.
    Contact,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 9] = [
        ActivityKind::Payment,
        ActivityKind::CreditMemo,
        ActivityKind::WriteOff,
        ActivityKind::Recovery,
        ActivityKind::Placement,
        ActivityKind::Promise,
        ActivityKind::DisputeOpened,
        ActivityKind::DisputeResolved,
        ActivityKind::Contact,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::Payment => "payment",
            ActivityKind::CreditMemo => "credit_memo",
            ActivityKind::WriteOff => "write_off",
            ActivityKind::Recovery => "recovery",
            ActivityKind::Placement => "placement",
            ActivityKind::Promise => "promise",
            ActivityKind::DisputeOpened => "dispute_opened",
            ActivityKind::DisputeResolved => "dispute_resolved",
            ActivityKind::Contact => "contact",
        }
    }

    /// Case-insensitive; `-` and spaces are read as `_` ("Credit memo").
    pub fn parse(text: &str) -> Option<ActivityKind> {
        let t: String = text
            .trim()
            .chars()
            .map(|c| if c == '-' || c == ' ' { '_' } else { c })
            .collect();
        ActivityKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(&t))
    }

    /// Kinds that reduce the open balance of the invoice they name.
    pub fn settles(self) -> bool {
        matches!(
            self,
            ActivityKind::Payment | ActivityKind::CreditMemo | ActivityKind::WriteOff
        )
    }
}

impl fmt::Display for ActivityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Channel of a `contact` row.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContactChannel {
    Call,
    Email,
    Letter,
}

impl ContactChannel {
    pub fn parse(text: &str) -> Option<ContactChannel> {
        match text.trim().to_ascii_lowercase().as_str() {
            "call" | "phone" => Some(ContactChannel::Call),
            "email" | "e-mail" => Some(ContactChannel::Email),
            "letter" | "mail" => Some(ContactChannel::Letter),
            _ => None,
        }
    }
}

/// One row of the collection activity log, owned: how tests and small
/// inputs spell rows. Metrics read rows from an
/// [`ActivityLog`](crate::activity::ActivityLog) through
/// [`ActivityRef`](crate::activity::ActivityRef), which has the typed
/// accessors (promised date, dispute reason, channel…).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Activity {
    pub date: Day,
    pub kind: ActivityKind,
    pub customer_id: String,
    /// May be empty for customer-level rows (contacts, promises).
    pub invoice_id: String,
    pub amount: Money,
    pub collector: Option<String>,
    pub reference: String,
    pub note: String,
}

/// One row of the customer master.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct CustomerInfo {
    pub customer_id: String,
    pub name: String,
    pub division: Option<String>,
    pub collector: Option<String>,
    pub credit_limit: Option<Money>,
    pub payment_terms: Option<String>,
    pub risk_class: Option<String>,
    /// Optional contact details (`contact_name`, `email`, `phone`):
    /// untrusted text, carried to the worklist.
    pub contact_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// How the headline DSO is computed (all three are always reported).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DsoMethod {
    #[default]
    Countback,
    Standard,
    True,
}

impl DsoMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            DsoMethod::Countback => "countback",
            DsoMethod::Standard => "standard",
            DsoMethod::True => "true",
        }
    }

    pub fn parse(text: &str) -> Option<DsoMethod> {
        [DsoMethod::Countback, DsoMethod::Standard, DsoMethod::True]
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

/// Settings of the metrics engine. See `docs/metrics.md` for every default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetricsConfig {
    /// Aging buckets (shared with the aging pages).
    pub aging: AgingScheme,
    /// Days after the promised date a payment still keeps a promise
    /// (`metrics::promises`); broken only after them.
    pub promise_grace_days: u32,
    /// Days a dispute may stay open before `metrics::lists` lists it as over
    /// its SLA (`[disputes] sla_days`): listed when open more than this.
    pub dispute_sla_days: u32,
    /// Which accounts are write-off candidates or on the watch list.
    pub write_off: crate::metrics::write_off_candidates::WriteOffRule,
    /// Reserve percentage per aging bucket, Current first (`1` means 1 %).
    /// A bucket past the end of the list uses the last percentage given.
    pub reserve_percent: Vec<Decimal>,
    pub dso_method: DsoMethod,
    /// Months in the standard-DSO window (the snapshot's month included).
    pub dso_window_months: u32,
    pub dso_target: Option<Decimal>,
    /// Monthly collection target per collector name.
    pub collector_targets: BTreeMap<String, Money>,
    /// Months of credit sales averaged by the rolling CEI.
    pub cei_window_months: u32,
    /// The worklist's next-action policy (`[policy]`).
    pub worklist_policy: crate::metrics::worklist::ActionPolicy,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        MetricsConfig {
            aging: AgingScheme::default(),
            promise_grace_days: 0,
            dispute_sla_days: 30,
            write_off: Default::default(),
            reserve_percent: [1, 2, 5, 10, 25, 50]
                .into_iter()
                .map(Decimal::from)
                .collect(),
            dso_method: DsoMethod::Countback,
            dso_window_months: 3,
            dso_target: None,
            collector_targets: BTreeMap::new(),
            cei_window_months: 3,
            worklist_policy: Default::default(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    ReservePercentCount { buckets: usize, given: usize },
    ReservePercentRange,
    ZeroWindow,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::ReservePercentCount { buckets, given } => write!(
                f,
                "expected one reserve percentage per aging bucket ({buckets}), found {given}"
            ),
            ConfigError::ReservePercentRange => {
                write!(f, "expected reserve percentages between 0 and 100")
            }
            ConfigError::ZeroWindow => {
                write!(f, "expected DSO and CEI windows of at least 1 month")
            }
        }
    }
}

impl MetricsConfig {
    /// Reserve percentage of a bucket; the last one repeats for buckets past
    /// the end of the list, 0 when the list is empty.
    pub fn reserve_percent_for(&self, bucket: usize) -> Decimal {
        self.reserve_percent
            .get(bucket)
            .or(self.reserve_percent.last())
            .copied()
            .unwrap_or(Decimal::ZERO)
    }

    /// Strict check for the generator's settings file (the engine itself
    /// tolerates a short list and zero windows, see the docs).
    pub fn validate(&self) -> Result<(), ConfigError> {
        let buckets = self.aging.bucket_count();
        if self.reserve_percent.len() != buckets {
            return Err(ConfigError::ReservePercentCount {
                buckets,
                given: self.reserve_percent.len(),
            });
        }
        if self
            .reserve_percent
            .iter()
            .any(|p| *p < Decimal::ZERO || *p > Decimal::ONE_HUNDRED)
        {
            return Err(ConfigError::ReservePercentRange);
        }
        if self.dso_window_months == 0 || self.cei_window_months == 0 {
            return Err(ConfigError::ZeroWindow);
        }
        Ok(())
    }

    pub(crate) fn dso_window(&self) -> u32 {
        self.dso_window_months.max(1)
    }

    pub(crate) fn cei_window(&self) -> u32 {
        self.cei_window_months.max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        Day::parse_iso(s).unwrap()
    }

    #[test]
    fn period_helpers_follow_the_calendar() {
        assert_eq!(period_of(day("2024-02-29")), (2024, 2));
        assert_eq!(period_days((2024, 2)), 29);
        assert_eq!(period_days((2026, 2)), 28);
        assert_eq!(period_days((2026, 12)), 31);
        assert_eq!(period_last_day((2026, 12)), day("2026-12-31"));
        assert_eq!(previous_period((2026, 1)), (2025, 12));
        assert_eq!(next_period((2025, 12)), (2026, 1));
        assert_eq!(parse_period("2026-03"), Some((2026, 3)));
        assert_eq!(parse_period("2026-13"), None);
        assert_eq!(parse_period("2026-3"), None);
        assert_eq!(format_period((2026, 3)), "2026-03");
    }

    #[test]
    fn ledger_sums_divisions_and_tells_missing_from_zero() {
        let e = |p, d: Option<&str>, a| SalesEntry {
            period: p,
            division: d.map(str::to_string),
            amount: Money(a),
        };
        let l = SalesLedger::new(vec![
            e((2026, 1), Some("N"), 100),
            e((2026, 1), Some("S"), 50),
            e((2026, 1), None, 7),
            e((2026, 3), None, 0),
        ]);
        assert_eq!(l.month_sales((2026, 1), None), Some(Money(157)));
        assert_eq!(l.month_sales((2026, 1), Some("N")), Some(Money(100)));
        assert_eq!(l.month_sales((2026, 1), Some("X")), Some(Money(0)));
        assert_eq!(l.month_sales((2026, 2), None), None);
        assert_eq!(l.month_sales((2026, 3), None), Some(Money(0)));
        assert!(SalesLedger::default().is_empty());
    }

    #[test]
    fn typed_accessors_read_the_reference() {
        let read = |a: &Activity| crate::activity::ActivityLog::from_rows([a]);
        let mut a = Activity {
            date: day("2026-03-01"),
            kind: ActivityKind::Promise,
            customer_id: "C1".into(),
            invoice_id: String::new(),
            amount: Money(100),
            collector: Some(" ".into()),
            reference: "2026-03-15".into(),
            note: String::new(),
        };
        assert_eq!(read(&a).get(0).promised_date(), Some(day("2026-03-15")));
        assert_eq!(read(&a).get(0).collector_name(), None);
        a.reference = "15/03/2026".into();
        assert_eq!(read(&a).get(0).promised_date(), None);
        a.kind = ActivityKind::Contact;
        a.reference = "Email".into();
        assert_eq!(
            read(&a).get(0).contact_channel(),
            Some(ContactChannel::Email)
        );
        assert_eq!(read(&a).get(0).promised_date(), None);
        a.kind = ActivityKind::DisputeOpened;
        a.reference = "".into();
        assert_eq!(read(&a).get(0).dispute_reason(), Some("(none)"));
        assert_eq!(
            ActivityKind::parse("Credit memo"),
            Some(ActivityKind::CreditMemo)
        );
        assert_eq!(
            ActivityKind::parse("dispute-opened"),
            Some(ActivityKind::DisputeOpened)
        );
        assert_eq!(ActivityKind::parse("refund"), None);
    }

    #[test]
    fn config_defaults_and_validation() {
        let c = MetricsConfig::default();
        assert_eq!(c.validate(), Ok(()));
        assert_eq!(c.reserve_percent_for(0), Decimal::ONE);
        assert_eq!(c.reserve_percent_for(5), Decimal::from(50));
        assert_eq!(c.reserve_percent_for(7), Decimal::from(50));
        let short = MetricsConfig {
            reserve_percent: vec![Decimal::ONE],
            ..MetricsConfig::default()
        };
        assert_eq!(
            short.validate(),
            Err(ConfigError::ReservePercentCount {
                buckets: 6,
                given: 1
            })
        );
        assert_eq!(DsoMethod::parse("TRUE"), Some(DsoMethod::True));
    }
}

//! The KPI engine: one pure computation over the work items and the first-adjudication
//! counts, feeding both the KPI pane and `denialdesk report`, so they cannot disagree.
//!
//! Definitions (for a period, both ends included; "cohort" = denials whose remittance
//! date falls in the period):
//! - **Initial denial rate** = claims whose first adjudication carried a denial ÷ claims
//!   first adjudicated in the period (paid claims count in the denominator); by count and
//!   by dollars (denied $ ÷ billed $).
//! - **Appeal rate** = cohort soft denials with at least one appeal ÷ cohort soft denials.
//! - **Overturn rate** = appeals decided in the period as overturned or partially
//!   overturned ÷ appeals decided in the period.
//! - **Recovered $** = payments received in the period on claims after their denial
//!   (reversals subtract); **recovery rate** = the cohort's recovered $ to date ÷ the
//!   cohort's denied $.
//! - **Write-off %** = cohort denied $ written off (outstanding at write-off) ÷ cohort
//!   denied $. A payment after a write-off reopens the claim, so it no longer counts.
//! - **Average days to resolution** = mean days from denial to paid, upheld or written off,
//!   over items resolved in the period.
//! - **Aging** of open denied $ (outstanding) today, by days since denial: 0–30, 31–60,
//!   61–90, 91–120, 120+.
//! - **At risk**: open denials whose appeal deadline is within 7 / 14 days of today;
//!   **missed**: open denials whose deadline has passed.
//! - **Workload** per owner: follow-ups due today, overdue, and items touched in the period.
//! - **Root cause**: cohort denied $ and count by payer, category, CARC, stage, provider,
//!   facility and CPT, each with its share and the previous period's figures.
//! - **Trend**: denials and denied $ per week for the 12 weeks ending with the period.
//!
//! A rate with a zero denominator is "n/a" (`None`), never 0 or NaN. Patient-responsibility
//! items (PR-group non-covered care) are not payer denials and count nowhere here; a
//! secondary or tertiary payer's adjudication is not a first adjudication.

mod period;
mod root_cause;
#[cfg(test)]
mod tests;

pub use period::{Period, PeriodChoice};
pub use root_cause::{Breakdown, Dimension, RootCauseRow};

use super::appeal::AppealResult;
use super::status::Status;
use super::taxonomy::Hardness;
use super::work_item::{Clock, ItemKind, WorkItem};
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Age buckets of open denied dollars, in days since the denial.
pub const AGING_BUCKETS: [(&str, i64, i64); 5] = [
    ("0-30", 0, 30),
    ("31-60", 31, 60),
    ("61-90", 61, 90),
    ("91-120", 91, 120),
    ("120+", 121, i64::MAX),
];

/// Weeks in the trend.
pub const TREND_WEEKS: usize = 12;

/// Claims adjudicated for the first time on one remittance day by one payer: the
/// denominator of the initial denial rate (paid claims count too).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdjudicationDay {
    /// The remittance date.
    pub date: NaiveDate,
    /// The payer's name.
    pub payer: String,
    /// Claims first adjudicated that day by that payer.
    pub claims: u64,
    /// Their billed dollars.
    pub billed_cents: i64,
    /// Of those, how many carried a denial on that first adjudication, and its amount.
    pub denied: u64,
    /// Their denied dollars.
    pub denied_cents: i64,
}

/// Count and dollars.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// How many.
    pub count: u64,
    /// How many dollars, in cents.
    pub cents: i64,
}

impl Tally {
    fn add(&mut self, cents: i64) {
        self.count += 1;
        self.cents += cents;
    }
}

/// A ratio that may be undefined. Serialises as `{numerator, denominator, percent}` with
/// `percent` null when the denominator is zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rate {
    /// The part counted.
    pub numerator: i64,
    /// What it is counted out of (zero: undefined).
    pub denominator: i64,
}

impl Rate {
    /// `numerator` out of `denominator`.
    pub fn new(numerator: i64, denominator: i64) -> Rate {
        Rate {
            numerator,
            denominator,
        }
    }

    /// Percent, or `None` ("n/a") when nothing is in the denominator.
    pub fn percent(&self) -> Option<f64> {
        (self.denominator != 0).then(|| self.numerator as f64 * 100.0 / self.denominator as f64)
    }

    /// "12.5%" or "n/a".
    pub fn display(&self) -> String {
        self.percent()
            .map_or_else(|| "n/a".to_string(), |p| format!("{p:.1}%"))
    }
}

impl Serialize for Rate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Rate", 3)?;
        s.serialize_field("numerator", &self.numerator)?;
        s.serialize_field("denominator", &self.denominator)?;
        s.serialize_field(
            "percent",
            &self.percent().map(|p| (p * 10.0).round() / 10.0),
        )?;
        s.end()
    }
}

/// One owner's workload.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OwnerLoad {
    /// The owner's user name (`-` for unassigned).
    pub owner: String,
    /// Open items with a follow-up due today.
    pub follow_ups_due_today: u64,
    /// Open items with a follow-up before today.
    pub follow_ups_overdue: u64,
    /// Items the owner changed in the period.
    pub touched_in_period: u64,
}

/// Everything the KPI pane and the report show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kpis {
    /// The period reported (both ends included).
    pub period: Period,
    /// The day open items, aging and risk are counted on.
    pub today: NaiveDate,
    /// Claims first adjudicated in the period (paid ones too).
    pub first_adjudicated: Tally,
    /// Claims whose first adjudication carried a denial ÷ claims first adjudicated.
    pub initial_denial_rate: Rate,
    /// Denied dollars ÷ billed dollars of the first adjudications.
    pub initial_denial_rate_dollars: Rate,
    /// Denials in the cohort (count, denied $).
    pub denied: Tally,
    /// Cohort soft denials appealed ÷ cohort soft denials.
    pub appeal_rate: Rate,
    /// Appeals decided overturned (fully or partly) ÷ appeals decided in the period.
    pub overturn_rate: Rate,
    /// What overturned appeals won, decided in the period.
    pub overturned_amount_cents: i64,
    /// Payments received in the period on claims after their denial (reversals subtract).
    pub recovered_in_period_cents: i64,
    /// The cohort's recovered dollars to date ÷ its denied dollars.
    pub recovery_rate: Rate,
    /// Cohort denials written off and their outstanding dollars at write-off.
    pub written_off: Tally,
    /// Cohort dollars written off ÷ cohort denied dollars.
    pub write_off_rate: Rate,
    /// Items resolved (paid, upheld, written off) in the period.
    pub resolved: u64,
    /// Mean days from denial to resolution over those, if any.
    pub average_days_to_resolution: Option<f64>,
    /// Open denials today and their outstanding dollars.
    pub open: Tally,
    /// Parallel to `AGING_BUCKETS`.
    pub aging: [Tally; 5],
    /// Open denials with an appeal deadline within 7 days.
    pub at_risk_7: Tally,
    /// Open denials with an appeal deadline within 14 days.
    pub at_risk_14: Tally,
    /// Open denials whose appeal deadline has passed.
    pub missed: Tally,
    /// Open items with a follow-up due today.
    pub follow_ups_due_today: u64,
    /// Open items with a follow-up before today.
    pub follow_ups_overdue: u64,
    /// Per owner, busiest first.
    pub workload: Vec<OwnerLoad>,
    /// Every dimension in `Dimension::ALL` order, rows largest first.
    pub root_causes: Vec<(Dimension, Vec<RootCauseRow>)>,
    /// Oldest first; the last week ends with the period.
    pub weekly: [Tally; TREND_WEEKS],
}

impl Kpis {
    /// One dimension's rows.
    pub fn root_cause(&self, dimension: Dimension) -> &[RootCauseRow] {
        self.root_causes
            .iter()
            .find(|(d, _)| *d == dimension)
            .map_or(&[], |(_, rows)| rows.as_slice())
    }
}

/// Computes every KPI for `period`, as of `today`.
pub fn compute(
    items: &[WorkItem],
    days: &[AdjudicationDay],
    period: Period,
    today: NaiveDate,
) -> Kpis {
    let previous = period.previous();
    let mut first = Tally::default();
    let (mut first_denied, mut first_denied_cents, mut billed) = (0i64, 0i64, 0i64);
    for d in days.iter().filter(|d| period.contains(d.date)) {
        first.count += d.claims;
        billed += d.billed_cents;
        first_denied += d.denied as i64;
        first_denied_cents += d.denied_cents;
    }
    first.cents = billed;

    let mut k = Kpis {
        period,
        today,
        first_adjudicated: first,
        initial_denial_rate: Rate::new(first_denied, first.count as i64),
        initial_denial_rate_dollars: Rate::new(first_denied_cents, billed),
        denied: Tally::default(),
        appeal_rate: Rate::default(),
        overturn_rate: Rate::default(),
        overturned_amount_cents: 0,
        recovered_in_period_cents: 0,
        recovery_rate: Rate::default(),
        written_off: Tally::default(),
        write_off_rate: Rate::default(),
        resolved: 0,
        average_days_to_resolution: None,
        open: Tally::default(),
        aging: [Tally::default(); 5],
        at_risk_7: Tally::default(),
        at_risk_14: Tally::default(),
        missed: Tally::default(),
        follow_ups_due_today: 0,
        follow_ups_overdue: 0,
        workload: Vec::new(),
        root_causes: Vec::new(),
        weekly: [Tally::default(); TREND_WEEKS],
    };
    let (mut soft, mut appealed) = (0i64, 0i64);
    let (mut decided, mut overturned) = (0i64, 0i64);
    let (mut cohort_recovered, mut resolution_days) = (0i64, 0i64);
    let mut owners: BTreeMap<&str, OwnerLoad> = BTreeMap::new();
    let mut breakdowns: Vec<Breakdown> = Dimension::ALL.into_iter().map(Breakdown::new).collect();
    let trend_start = period.to - Duration::days(7 * TREND_WEEKS as i64 - 1);

    // Patient-responsibility items (PR non-covered) are not payer denials: no KPI counts
    // them, as HFMA's denial measures count what the payer denied.
    for item in items.iter().filter(|i| i.kind == ItemKind::Denial) {
        let in_cohort = period.contains(item.denied_on);
        if in_cohort {
            k.denied.add(item.denied_cents);
            cohort_recovered += item.recovered_cents;
            if item.hardness == Hardness::Soft {
                soft += 1;
                appealed += i64::from(!item.appeals.is_empty());
            }
            if item.status == Status::WrittenOff {
                k.written_off.add(item.outstanding_cents());
            }
        }
        if in_cohort || previous.contains(item.denied_on) {
            for b in &mut breakdowns {
                b.add(item, !in_cohort);
            }
        }
        if item.denied_on >= trend_start && item.denied_on <= period.to {
            let week = ((item.denied_on - trend_start).num_days() / 7) as usize;
            k.weekly[week].add(item.denied_cents);
        }
        for decision in item.appeals.iter().filter_map(|a| a.decision.as_ref()) {
            if period.contains(decision.decided) {
                decided += 1;
                if decision.result != AppealResult::Upheld {
                    overturned += 1;
                    k.overturned_amount_cents += decision.amount_cents;
                }
            }
        }
        k.recovered_in_period_cents += item
            .payments
            .iter()
            .filter(|p| period.contains(p.date))
            .map(|p| p.cents)
            .sum::<i64>();
        if let Some(done) = item.resolved_on.filter(|d| period.contains(*d)) {
            k.resolved += 1;
            resolution_days += (done - item.denied_on).num_days();
        }
        if let Some(owner) = item.owner.as_deref() {
            let load = owners.entry(owner).or_insert_with(|| OwnerLoad {
                owner: owner.to_string(),
                ..OwnerLoad::default()
            });
            if period.contains(item.updated_at.date_naive()) {
                load.touched_in_period += 1;
            }
            if item.status.is_open() {
                match item.follow_up {
                    Some(d) if d == today => load.follow_ups_due_today += 1,
                    Some(d) if d < today => load.follow_ups_overdue += 1,
                    _ => {}
                }
            }
        }
        if !item.status.is_open() {
            continue;
        }
        let outstanding = item.outstanding_cents();
        k.open.add(outstanding);
        let age = (today - item.denied_on).num_days().max(0);
        if let Some(b) = AGING_BUCKETS
            .iter()
            .position(|(_, lo, hi)| (*lo..=*hi).contains(&age))
        {
            k.aging[b].add(outstanding);
        }
        match item.follow_up {
            Some(d) if d == today => k.follow_ups_due_today += 1,
            Some(d) if d < today => k.follow_ups_overdue += 1,
            _ => {}
        }
        // Appealed in time: the window was met, whatever the date says now.
        match item.clock(today) {
            Clock::Deadline { days } if days < 0 => k.missed.add(outstanding),
            Clock::Deadline { days } => {
                if days <= 7 {
                    k.at_risk_7.add(outstanding);
                }
                if days <= 14 {
                    k.at_risk_14.add(outstanding);
                }
            }
            Clock::WithPayer | Clock::Resolved => {}
        }
    }
    k.appeal_rate = Rate::new(appealed, soft);
    k.overturn_rate = Rate::new(overturned, decided);
    k.recovery_rate = Rate::new(cohort_recovered, k.denied.cents);
    k.write_off_rate = Rate::new(k.written_off.cents, k.denied.cents);
    k.average_days_to_resolution =
        (k.resolved > 0).then(|| resolution_days as f64 / k.resolved as f64);
    k.workload = owners.into_values().collect();
    k.root_causes = breakdowns
        .into_iter()
        .map(|b| b.rows(k.denied.cents))
        .collect();
    k
}

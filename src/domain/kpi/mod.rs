//! The KPI engine: one pure computation over the work items, the remittance counts and
//! the audit log's activity, feeding the KPI pane, `denialdesk report` and `export`, so
//! they cannot disagree. Every figure's definition, source (HFMA, MAP Keys) and where we
//! differ is in `definitions`, the one text README and `report --help` are checked
//! against.
//!
//! A rate with a zero denominator is "n/a" (`None`), never 0 or NaN. Patient-responsibility
//! items (PR-group non-covered care) are not payer denials and count nowhere here; a
//! secondary or tertiary payer's adjudication is not a first adjudication.

mod adjudication;
pub mod definitions;
mod figures;
#[cfg(test)]
mod hfma_tests;
mod period;
mod productivity;
mod root_cause;
mod segments;
#[cfg(test)]
mod status_tests;
#[cfg(test)]
mod tests;
mod underpaid;

pub use adjudication::{counts_as_first, AdjudicationDay, NO_PROVIDER};
pub use figures::{
    acknowledgments, initial_denials, overturn_rate, primary_denial_rate, recovery_rate,
    Acknowledgments, InitialDenials, Rate, Spread, Tally,
};
pub use period::{Period, PeriodChoice};
pub use productivity::{productivity, Activity, OwnerLoad};
pub use root_cause::{Breakdown, Dimension, RootCauseRow, CLAIM_LEVEL_CPT};
pub use segments::{denied_lines_by_procedure, denied_procedures, segment_rates, SegmentRate};
pub use underpaid::{underpayments, UnderpaidPayer, Underpayments};

use super::appeal::AppealResult;
use super::status::Status;
use super::taxonomy::Hardness;
use super::work_item::{Clock, ItemKind, WorkItem};
use crate::domain::work_item::RowFields;
use chrono::{Duration, NaiveDate};
use serde::Serialize;

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

/// Everything the KPI pane and the report show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kpis {
    /// The period reported (both ends included).
    pub period: Period,
    /// The day open items, aging and risk are counted on.
    pub today: NaiveDate,
    /// Claims first adjudicated in the period (paid ones too) and their gross charges.
    pub first_adjudicated: Tally,
    /// HFMA's initial denial rates: claims and gross charges, full, partial and together.
    pub initial_denials: InitialDenials,
    /// Zero-pay primary remits with a denial ÷ primary remits, duplicates (CARC 18) out.
    pub primary_denial_rate: Rate,
    /// 277CA claim acknowledgments: rejection rate and the clean-claim proxy.
    pub acknowledgments: Acknowledgments,
    /// Open rejections today (claims rejected before adjudication) and their billed $.
    pub open_rejections: Tally,
    /// Lines paid below contract: found, recovered, open, by payer. Never denials.
    pub underpayments: Underpayments,
    /// Denials in the cohort (count, denied $).
    pub denied: Tally,
    /// Cohort soft denials appealed ÷ cohort soft denials.
    pub appeal_rate: Rate,
    /// HFMA: cohort denials since paid in full or in part ÷ cohort denials.
    pub overturn_rate: Rate,
    /// Appeals decided overturned (fully or partly) ÷ appeals decided in the period.
    pub appeal_win_rate: Rate,
    /// What won appeals were agreed at, decided in the period.
    pub overturned_amount_cents: i64,
    /// Payments received in the period on claims after their denial (reversals subtract).
    pub recovered_in_period_cents: i64,
    /// The cohort's denied dollars since paid ÷ its denied dollars.
    pub recovery_rate: Rate,
    /// Cohort denials written off and their outstanding dollars at write-off.
    pub written_off: Tally,
    /// Cohort dollars written off ÷ cohort denied dollars.
    pub write_off_rate: Rate,
    /// Denials written off in the period (any cohort) and their dollars.
    pub written_off_in_period: Tally,
    /// Payments posted in the period: every claim remitted (reversals subtract).
    pub payments_posted_cents: i64,
    /// MAP AR-6 proxy: dollars written off in the period ÷ payments posted in it.
    pub write_offs_to_payments: Rate,
    /// Days from denial to first appeal, over first appeals sent in the period.
    pub days_to_appeal: Spread,
    /// Days from denial to final disposition, over items resolved in the period.
    pub days_to_resolution: Spread,
    /// Open denials today and their outstanding dollars.
    pub open: Tally,
    /// Denial age: open denied $ by days since the denial, parallel to `AGING_BUCKETS`.
    pub aging: [Tally; 5],
    /// A/R age: the same open dollars by days since the date of service.
    pub ar_aging: [Tally; 5],
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
    /// Per person: follow-ups, claims touched, calls, resolved, recovered.
    pub workload: Vec<OwnerLoad>,
    /// Every dimension in `Dimension::ALL` order, rows largest first.
    pub root_causes: Vec<(Dimension, Vec<RootCauseRow>)>,
    /// Denial rate per segment, every dimension in `Dimension::ALL` order.
    pub segments: Vec<(Dimension, Vec<SegmentRate>)>,
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

    /// One dimension's denial rates.
    pub fn segment(&self, dimension: Dimension) -> &[SegmentRate] {
        self.segments
            .iter()
            .find(|(d, _)| *d == dimension)
            .map_or(&[], |(_, rows)| rows.as_slice())
    }
}

/// The bucket of `AGING_BUCKETS` an age in days falls in.
fn bucket(age: i64) -> Option<usize> {
    AGING_BUCKETS
        .iter()
        .position(|(_, lo, hi)| (*lo..=*hi).contains(&age.max(0)))
}

/// Computes every KPI for `period`, as of `today`.
pub fn compute(
    items: &[WorkItem],
    days: &[AdjudicationDay],
    activity: &[Activity],
    period: Period,
    today: NaiveDate,
) -> Kpis {
    let previous = period.previous();
    let in_period: Vec<&AdjudicationDay> =
        days.iter().filter(|d| period.contains(d.date)).collect();
    let first = Tally {
        count: in_period.iter().map(|d| d.claims).sum(),
        cents: in_period.iter().map(|d| d.billed_cents).sum(),
    };
    let payments_posted_cents = in_period.iter().map(|d| d.paid_cents).sum();
    // Patient-responsibility items (PR non-covered) and rejections (never adjudicated)
    // are not payer denials: no denial KPI counts them, as HFMA's denial measures count
    // what the payer denied. Open rejections are reported on their own.
    let denials: Vec<&WorkItem> = items
        .iter()
        .filter(|i| i.kind == ItemKind::Denial)
        .collect();
    let cohort: Vec<&WorkItem> = denials
        .iter()
        .copied()
        .filter(|i| period.contains(i.denied_on))
        .collect();
    let mut k = Kpis {
        period,
        today,
        first_adjudicated: first,
        initial_denials: initial_denials(in_period.iter().copied()),
        primary_denial_rate: primary_denial_rate(in_period.iter().copied()),
        acknowledgments: acknowledgments(in_period.iter().copied()),
        open_rejections: Tally::default(),
        underpayments: underpayments(items, period),
        denied: Tally::default(),
        appeal_rate: Rate::default(),
        overturn_rate: overturn_rate(&cohort),
        appeal_win_rate: Rate::default(),
        overturned_amount_cents: 0,
        recovered_in_period_cents: 0,
        recovery_rate: recovery_rate(&cohort),
        written_off: Tally::default(),
        write_off_rate: Rate::default(),
        written_off_in_period: Tally::default(),
        payments_posted_cents,
        write_offs_to_payments: Rate::default(),
        days_to_appeal: Spread::default(),
        days_to_resolution: Spread::default(),
        open: Tally::default(),
        aging: [Tally::default(); 5],
        ar_aging: [Tally::default(); 5],
        at_risk_7: Tally::default(),
        at_risk_14: Tally::default(),
        missed: Tally::default(),
        follow_ups_due_today: 0,
        follow_ups_overdue: 0,
        workload: productivity(items, activity, period, today),
        root_causes: Vec::new(),
        segments: Vec::new(),
        weekly: [Tally::default(); TREND_WEEKS],
    };
    for rejection in items
        .iter()
        .filter(|i| i.kind == ItemKind::Rejection && i.status.is_open())
    {
        k.open_rejections.add(rejection.billed_cents);
    }
    let (mut soft, mut appealed) = (0i64, 0i64);
    let (mut decided, mut won) = (0i64, 0i64);
    let (mut to_appeal, mut to_resolution) = (Vec::new(), Vec::new());
    let mut breakdowns: Vec<Breakdown> = Dimension::ALL.into_iter().map(Breakdown::new).collect();
    let trend_start = period.to - Duration::days(7 * TREND_WEEKS as i64 - 1);

    for item in denials {
        let in_cohort = period.contains(item.denied_on);
        if in_cohort {
            k.denied.add(item.denied_cents);
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
        if let Some(first) = item.appeals.iter().map(|a| a.submitted).min() {
            if period.contains(first) {
                to_appeal.push((first - item.denied_on).num_days());
            }
        }
        for decision in item.appeals.iter().filter_map(|a| a.decision.as_ref()) {
            if period.contains(decision.decided) {
                decided += 1;
                if decision.result != AppealResult::Upheld {
                    won += 1;
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
            to_resolution.push((done - item.denied_on).num_days());
            if item.status == Status::WrittenOff {
                k.written_off_in_period.add(item.outstanding_cents());
            }
        }
        if !item.status.is_open() {
            continue;
        }
        let outstanding = item.outstanding_cents();
        k.open.add(outstanding);
        if let Some(b) = bucket((today - item.denied_on).num_days()) {
            k.aging[b].add(outstanding);
        }
        let served = item.date_of_service.unwrap_or(item.denied_on);
        if let Some(b) = bucket((today - served).num_days()) {
            k.ar_aging[b].add(outstanding);
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
    k.appeal_win_rate = Rate::new(won, decided);
    k.write_off_rate = Rate::new(k.written_off.cents, k.denied.cents);
    k.write_offs_to_payments = Rate::new(k.written_off_in_period.cents, payments_posted_cents);
    k.days_to_appeal = Spread::of(to_appeal);
    k.days_to_resolution = Spread::of(to_resolution);
    // The rates' numerators are the breakdowns' counts (by CPT: denied lines).
    k.segments = breakdowns
        .iter()
        .map(|b| {
            let d = b.dimension();
            let rows = match d {
                Dimension::Cpt => segment_rates(d, denied_lines_by_procedure(&cohort), &in_period),
                _ => segment_rates(d, b.counts(), &in_period),
            };
            (d, rows)
        })
        .collect();
    k.root_causes = breakdowns
        .into_iter()
        .map(|b| b.rows(k.denied.cents))
        .collect();
    k
}

//! Worklist KPIs for the KPI pane: open denials, aging of open denied dollars, follow-up
//! workload, deadlines at risk, top payers and categories, and a weekly denial trend. One
//! pure computation so the pane (and later the reports) cannot disagree.

use super::work_item::WorkItem;
use chrono::{Duration, NaiveDate};
use std::collections::HashMap;

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

/// Count and dollars.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub count: usize,
    pub cents: i64,
}

impl Tally {
    fn add(&mut self, cents: i64) {
        self.count += 1;
        self.cents += cents;
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Open denials, outstanding dollars.
    pub open: Tally,
    /// Parallel to `AGING_BUCKETS`.
    pub aging: [Tally; 5],
    pub follow_ups_due_today: usize,
    pub follow_ups_overdue: usize,
    /// Open denials whose appeal deadline is within 7 days (today included).
    pub deadlines_7d: Tally,
    /// Open denials whose appeal deadline has passed.
    pub deadlines_missed: Tally,
    /// Payers by open outstanding dollars, largest first.
    pub top_payers: Vec<(String, Tally)>,
    /// Categories by open outstanding dollars, largest first.
    pub top_categories: Vec<(String, Tally)>,
    /// Denials (all statuses) by week of denial, oldest first; the last is this week.
    pub weekly: [Tally; TREND_WEEKS],
    pub recovered_cents: i64,
}

fn ranked(map: HashMap<String, Tally>) -> Vec<(String, Tally)> {
    let mut v: Vec<_> = map.into_iter().collect();
    v.sort_by(|a, b| b.1.cents.cmp(&a.1.cents).then_with(|| a.0.cmp(&b.0)));
    v
}

/// Computes the summary as of `today`.
pub fn summarize(items: &[WorkItem], today: NaiveDate) -> Summary {
    let mut s = Summary::default();
    let mut payers: HashMap<String, Tally> = HashMap::new();
    let mut categories: HashMap<String, Tally> = HashMap::new();
    let week_start = today - Duration::days(6);
    for item in items {
        s.recovered_cents += item.recovered_cents;
        let weeks_ago = (week_start - item.denied_on).num_days().max(-1);
        let slot = if item.denied_on > week_start {
            0
        } else {
            weeks_ago / 7 + 1
        };
        if (slot as usize) < TREND_WEEKS {
            s.weekly[TREND_WEEKS - 1 - slot as usize].add(item.denied_cents);
        }
        if !item.status.is_open() {
            continue;
        }
        let cents = item.outstanding_cents();
        s.open.add(cents);
        let age = (today - item.denied_on).num_days();
        if let Some(b) = AGING_BUCKETS
            .iter()
            .position(|(_, lo, hi)| (*lo..=*hi).contains(&age))
        {
            s.aging[b].add(cents);
        }
        match item.follow_up {
            Some(d) if d == today => s.follow_ups_due_today += 1,
            Some(d) if d < today => s.follow_ups_overdue += 1,
            _ => {}
        }
        let days = item.days_to_deadline(today);
        if (0..=7).contains(&days) {
            s.deadlines_7d.add(cents);
        } else if days < 0 {
            s.deadlines_missed.add(cents);
        }
        payers.entry(item.payer.clone()).or_default().add(cents);
        categories
            .entry(item.category.label().to_string())
            .or_default()
            .add(cents);
    }
    s.top_payers = ranked(payers);
    s.top_categories = ranked(categories);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::status::Status;
    use crate::domain::taxonomy::Category;
    use crate::domain::test_support::work_item;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    #[test]
    fn hand_computed_summary() {
        let mut a = work_item("A");
        a.denied_on = today() - Duration::days(10);
        a.denied_cents = 10_000;
        a.appeal_deadline.date = today() + Duration::days(3);
        a.follow_up = Some(today());
        let mut b = work_item("B");
        b.denied_on = today() - Duration::days(95);
        b.denied_cents = 50_000;
        b.recovered_cents = 20_000;
        b.status = Status::PartiallyPaid;
        b.payer = "OTHER".into();
        b.category = Category::Authorization;
        b.appeal_deadline.date = today() - Duration::days(1);
        b.follow_up = Some(today() - Duration::days(2));
        let mut c = work_item("C");
        c.denied_on = today() - Duration::days(3);
        c.status = Status::Paid;
        c.recovered_cents = 40_000;
        let s = summarize(&[a, b, c], today());
        assert_eq!(
            s.open,
            Tally {
                count: 2,
                cents: 40_000
            }
        );
        assert_eq!(
            s.aging[0],
            Tally {
                count: 1,
                cents: 10_000
            }
        );
        assert_eq!(
            s.aging[3],
            Tally {
                count: 1,
                cents: 30_000
            }
        );
        assert_eq!((s.follow_ups_due_today, s.follow_ups_overdue), (1, 1));
        assert_eq!(
            s.deadlines_7d,
            Tally {
                count: 1,
                cents: 10_000
            }
        );
        assert_eq!(
            s.deadlines_missed,
            Tally {
                count: 1,
                cents: 30_000
            }
        );
        assert_eq!(s.top_payers[0].0, "OTHER");
        assert_eq!(
            s.top_categories[0],
            (
                "authorization".to_string(),
                Tally {
                    count: 1,
                    cents: 30_000
                }
            )
        );
        // A (10 days ago) and C (3 days ago): this week holds C, the week before A.
        assert_eq!(s.weekly[TREND_WEEKS - 1].count, 1);
        assert_eq!(s.weekly[TREND_WEEKS - 2].count, 1);
        assert_eq!(s.recovered_cents, 60_000);
    }
}

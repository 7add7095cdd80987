//! The worklist's queues (tabs) and search. A follow-up date in the future takes an item
//! out of the working queues until that day (a tickler); search still finds it.

use super::status::Status;
use super::work_item::WorkItem;
use chrono::{Duration, NaiveDate};

/// A named slice of the worklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Queue {
    /// Every open item not parked by a future follow-up.
    #[default]
    Open,
    /// Open items owned by the current user.
    Mine,
    /// Untouched denials.
    New,
    /// Follow-ups due today or overdue.
    FollowUpsDue,
    /// Appeal deadlines within the next 7 days (still open).
    DeadlinesThisWeek,
    /// Appealed, resubmitted or awaiting the payer.
    WithPayer,
    /// Paid, partially paid, upheld or written off.
    Resolved,
    /// Everything, parked and resolved included.
    All,
}

impl Queue {
    pub const ALL: [Queue; 8] = [
        Queue::Open,
        Queue::Mine,
        Queue::New,
        Queue::FollowUpsDue,
        Queue::DeadlinesThisWeek,
        Queue::WithPayer,
        Queue::Resolved,
        Queue::All,
    ];

    /// Short tab label.
    pub fn label(self) -> &'static str {
        match self {
            Queue::Open => "Open",
            Queue::Mine => "Mine",
            Queue::New => "New",
            Queue::FollowUpsDue => "Follow-ups due",
            Queue::DeadlinesThisWeek => "Deadline ≤7d",
            Queue::WithPayer => "With payer",
            Queue::Resolved => "Resolved",
            Queue::All => "All",
        }
    }

    /// Whether an item belongs in this queue today for `user`.
    pub fn contains(self, item: &WorkItem, user: &str, today: NaiveDate) -> bool {
        let parked = item.follow_up.is_some_and(|d| d > today);
        let working = item.status.is_open() && !parked;
        match self {
            Queue::Open => working,
            Queue::Mine => working && item.owner.as_deref() == Some(user),
            Queue::New => working && item.status == Status::New,
            Queue::FollowUpsDue => item.follow_up_due(today),
            Queue::DeadlinesThisWeek => {
                item.status.is_open()
                    && (today..=today + Duration::days(7)).contains(&item.appeal_deadline.date)
            }
            Queue::WithPayer => matches!(
                item.status,
                Status::Appealed | Status::Resubmitted | Status::AwaitingPayer
            ),
            Queue::Resolved => matches!(
                item.status,
                Status::Paid | Status::PartiallyPaid | Status::Upheld | Status::WrittenOff
            ),
            Queue::All => true,
        }
    }
}

/// Case-insensitive search over claim id, payer claim number, patient, member id, payer
/// and CARC codes ("197" finds CO-197).
pub fn matches_search(item: &WorkItem, query: &str) -> bool {
    let q = query.trim().as_bytes();
    if q.is_empty() {
        return true;
    }
    // No allocation per field: this runs over every row on every keystroke of a filter.
    let has = |s: &str| contains_ignore_ascii_case(s.as_bytes(), q);
    has(&item.claim_id)
        || has(&item.payer_claim_number)
        || has(&item.patient_name)
        || has(&item.member_id)
        || has(&item.payer)
        || item.carcs.iter().any(|c| has(c))
        || has(item.category.key())
}

/// Case-insensitive (ASCII) substring test.
fn contains_ignore_ascii_case(hay: &[u8], needle: &[u8]) -> bool {
    needle.len() <= hay.len()
        && hay
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_support::work_item;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    #[test]
    fn future_follow_up_parks_an_item_until_that_day() {
        let mut item = work_item("C1");
        item.follow_up = Some(today() + Duration::days(3));
        assert!(!Queue::Open.contains(&item, "u", today()));
        assert!(Queue::All.contains(&item, "u", today()));
        assert!(Queue::Open.contains(&item, "u", today() + Duration::days(3)));
        assert!(Queue::FollowUpsDue.contains(&item, "u", today() + Duration::days(3)));
    }

    #[test]
    fn queues_select_by_owner_status_and_deadline() {
        let mut item = work_item("C1");
        assert!(Queue::New.contains(&item, "u", today()));
        assert!(!Queue::Mine.contains(&item, "maria", today()));
        item.owner = Some("maria".into());
        assert!(Queue::Mine.contains(&item, "maria", today()));
        item.appeal_deadline.date = today() + Duration::days(7);
        assert!(Queue::DeadlinesThisWeek.contains(&item, "u", today()));
        item.appeal_deadline.date = today() + Duration::days(8);
        assert!(!Queue::DeadlinesThisWeek.contains(&item, "u", today()));
        item.status = Status::Appealed;
        assert!(Queue::WithPayer.contains(&item, "u", today()));
        item.status = Status::WrittenOff;
        assert!(Queue::Resolved.contains(&item, "u", today()));
        assert!(!Queue::Open.contains(&item, "u", today()));
    }

    #[test]
    fn search_finds_claim_patient_payer_and_carc() {
        let item = work_item("PCN123");
        assert!(matches_search(&item, "pcn12"));
        assert!(matches_search(&item, "doe"));
        assert!(matches_search(&item, "ACME"));
        assert!(matches_search(&item, "16"));
        assert!(matches_search(&item, ""));
        assert!(!matches_search(&item, "zzz"));
    }
}

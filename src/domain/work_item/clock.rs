//! The clocks a work item runs: its appeal or resubmission deadline, and once the claim
//! is with the payer, the payer's answer (the no-response clock). The one rule the
//! worklist, `list`, the queues, the KPIs and the rank read them by.

use super::ItemKind;
use super::WorkItem;
use crate::domain::appeal::Appeal;
use crate::domain::payer_rules::AppealDeadline;
use crate::domain::status::Status;
use chrono::NaiveDate;

/// Which clock runs for a work item (see `WorkItem::clock`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// Paid or written off: nothing runs.
    Resolved,
    /// Appealed in time: the payer's answer is awaited, the window was met.
    WithPayer,
    /// The appeal (or resubmission) deadline, in days from today (negative once passed).
    Deadline {
        /// Days left.
        days: i64,
    },
}

impl WorkItem {
    /// The appeal deadline, if any clock of the item is one.
    pub fn appeal_by(&self) -> Option<&AppealDeadline> {
        std::iter::once(&self.appeal_deadline)
            .chain(self.second_deadline.as_ref())
            .find(|d| !d.source.is_resubmission())
    }

    /// The resubmission deadline (timely filing), if any clock of the item is one.
    pub fn resubmit_by(&self) -> Option<&AppealDeadline> {
        std::iter::once(&self.appeal_deadline)
            .chain(self.second_deadline.as_ref())
            .find(|d| d.source.is_resubmission())
    }

    /// The claim is with the payer and its deadline was met, so the clock that matters
    /// now is the payer's: an appeal sent in time awaiting its decision (one sent after
    /// the deadline keeps the claim counted as missed), a won appeal awaiting its money,
    /// or a corrected claim resubmitted. List rows carry no appeals: until whole items
    /// load, an appealed row counts as in time and a won one as still on its deadline.
    pub fn deadline_met_with_payer(&self) -> bool {
        let in_time = |a: &Appeal| a.submitted <= self.appeal_deadline.date;
        match self.status {
            Status::Appealed => self
                .appeals
                .iter()
                .filter(|a| a.decision.is_none())
                .all(in_time),
            Status::AwaitingPayer => self.appeals.last().is_some_and(|a| {
                in_time(a)
                    && a.decision
                        .as_ref()
                        .is_some_and(|d| d.result != crate::domain::appeal::AppealResult::Upheld)
            }),
            Status::Resubmitted => true,
            _ => false,
        }
    }

    /// Which clock runs for the item today: none once resolved, the payer's answer once
    /// appealed in time, else its deadline (appeal, or resubmission without appeal
    /// rights). The one rule the worklist, `list`, the queues, the KPIs and the rank use.
    pub fn clock(&self, today: NaiveDate) -> Clock {
        if !self.status.is_open() {
            Clock::Resolved
        } else if self.deadline_met_with_payer() {
            Clock::WithPayer
        } else {
            Clock::Deadline {
                days: self.days_to_deadline(today),
            }
        }
    }

    /// Days until the appeal deadline (negative once it has passed).
    pub fn days_to_deadline(&self, today: NaiveDate) -> i64 {
        (self.appeal_deadline.date - today).num_days()
    }

    /// Whether the claim is with the payer, awaiting its answer: resubmitted, appealed,
    /// awaiting the payer, or a rejection accepted and not yet remitted.
    pub fn with_payer(&self) -> bool {
        matches!(
            self.status,
            Status::Resubmitted | Status::Appealed | Status::AwaitingPayer
        ) || (self.kind == ItemKind::Rejection
            && self.status == Status::Accepted
            && self.awaiting_payer_since.is_some())
    }

    /// Days the payer has been silent on a claim that is with it (no 835, no 277 since it
    /// was sent or last answered), `None` when it is not with the payer.
    pub fn days_without_response(&self, today: NaiveDate) -> Option<i64> {
        self.awaiting_payer_since
            .filter(|_| self.with_payer())
            .map(|since| (today - since).num_days())
    }

    /// Moves the no-response clock after a change on `on`: the payer was contacted or
    /// answered, so it restarts while the claim is with the payer (`with_payer`), and
    /// stops when not. An accepted rejection's wait for its remittance is started by
    /// `await_remittance`, never restarted once the remittance came.
    pub fn restart_payer_clock(&mut self, on: NaiveDate) {
        self.awaiting_payer_since = self.with_payer().then_some(on);
    }

    /// A rejection the payer took in: from `on` its remittance is awaited.
    pub fn await_remittance(&mut self, on: NaiveDate) {
        self.awaiting_payer_since = Some(on);
    }

    /// A follow-up set for today or earlier that is still open.
    pub fn follow_up_due(&self, today: NaiveDate) -> bool {
        self.status.is_open() && self.follow_up.is_some_and(|d| d <= today)
    }
}

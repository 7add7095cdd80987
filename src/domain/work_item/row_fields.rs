//! What the worklist ranks, counts, filters, sorts and shows of a claim, read the same way
//! from a whole work item and from its list row (`ListRow`). The worklist holds list rows
//! (~300 bytes against a work item's 720, so a million-claim store's first frame decodes
//! and touches less); `list` and the claim screens hold whole items. Both rank and queue
//! by these methods, so there is one rule for each.

use super::ItemKind;
use crate::domain::appeal::Appeal;
use crate::domain::payer_rules::DeadlineSource;
use crate::domain::rarc::AppealRights;
use crate::domain::status::Status;
use crate::domain::taxonomy::{Category, Hardness};
use chrono::NaiveDate;
use compact_str::CompactString;

/// Which clock runs for a work item (see `RowFields::clock`).
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

/// The fields of a work item the worklist works with.
pub trait RowFields {
    /// The work item's unique key.
    fn key(&self) -> &str;
    /// CLP01.
    fn claim_id(&self) -> &str;
    /// Denial, patient responsibility, rejection or underpayment.
    fn kind(&self) -> ItemKind;
    /// Where the work stands.
    fn status(&self) -> Status;
    /// Who works it.
    fn owner(&self) -> Option<&str>;
    /// When to look at it again.
    fn follow_up(&self) -> Option<NaiveDate>;
    /// The date of the clock that runs out first (appeal or resubmission).
    fn deadline(&self) -> NaiveDate;
    /// Where that clock's window came from.
    fn deadline_source(&self) -> &DeadlineSource;
    /// Whether the payer allows an appeal.
    fn appeal_rights(&self) -> AppealRights;
    /// What kind of denial.
    fn category(&self) -> Category;
    /// Soft or hard.
    fn hardness(&self) -> Hardness;
    /// The remittance date of the denial.
    fn denied_on(&self) -> NaiveDate;
    /// The payer's name.
    fn payer(&self) -> &str;
    /// The payer's id (empty on a list row read from the store: rows do not carry it).
    fn payer_id(&self) -> &str;
    /// The payer's claim number.
    fn payer_claim_number(&self) -> &str;
    /// "LAST, FIRST".
    fn patient_name(&self) -> &str;
    /// The payer's member id.
    fn member_id(&self) -> &str;
    /// The denial codes.
    fn carcs(&self) -> &[CompactString];
    /// Denied money still owed (`WorkItem::outstanding_cents`).
    fn owed_cents(&self) -> i64;
    /// The no-response clock's start, while the claim is with the payer.
    fn awaiting_payer_since(&self) -> Option<NaiveDate>;
    /// Points a routing rule added to the priority score.
    fn priority_boost(&self) -> u8;
    /// The claim is with the payer and its deadline was met (`WorkItem`'s rule needs the
    /// appeals; a list row read from the store has none, and `impl RowFields for ListRow`
    /// says how it reads).
    fn deadline_met_with_payer(&self) -> bool;
    /// The undecided appeal (`None` on a list row: rows carry no appeals).
    fn open_appeal(&self) -> Option<&Appeal>;
    /// The newest appeal (`None` on a list row).
    fn last_appeal(&self) -> Option<&Appeal>;

    /// Which clock runs for the item today: none once resolved, the payer's answer once
    /// appealed in time, else its deadline (appeal, or resubmission without appeal
    /// rights). The one rule the worklist, `list`, the queues, the KPIs and the rank use.
    fn clock(&self, today: NaiveDate) -> Clock {
        if !self.status().is_open() {
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
    fn days_to_deadline(&self, today: NaiveDate) -> i64 {
        (self.deadline() - today).num_days()
    }

    /// Whether the claim is with the payer, awaiting its answer: resubmitted, appealed,
    /// awaiting the payer, or a rejection accepted and not yet remitted.
    fn with_payer(&self) -> bool {
        matches!(
            self.status(),
            Status::Resubmitted | Status::Appealed | Status::AwaitingPayer
        ) || (self.kind() == ItemKind::Rejection
            && self.status() == Status::Accepted
            && self.awaiting_payer_since().is_some())
    }

    /// Days the payer has been silent on a claim that is with it (no 835, no 277 since it
    /// was sent or last answered), `None` when it is not with the payer.
    fn days_without_response(&self, today: NaiveDate) -> Option<i64> {
        self.awaiting_payer_since()
            .filter(|_| self.with_payer())
            .map(|since| (today - since).num_days())
    }

    /// A follow-up set for today or earlier that is still open.
    fn follow_up_due(&self, today: NaiveDate) -> bool {
        self.status().is_open() && self.follow_up().is_some_and(|d| d <= today)
    }

    /// Whether the payer allows an appeal (else: correct and resubmit by the deadline,
    /// which then holds the timely-filing date).
    fn appealable(&self) -> bool {
        self.appeal_rights() == AppealRights::Appealable
    }

    /// Whether a person may move the item to `to`: the workflow's moves, and for a
    /// rejection (never adjudicated) only working it, resubmitting it or writing it off.
    fn may_move_to(&self, to: Status) -> bool {
        self.status().can_move_to(to)
            && (self.kind() != ItemKind::Rejection
                || matches!(
                    to,
                    Status::InProgress | Status::Resubmitted | Status::WrittenOff
                ))
    }

    /// The status as screens and `list` show it: an upheld claim says which level was
    /// upheld while a higher one is still open (`upheld-l1`).
    fn status_label(&self) -> std::borrow::Cow<'static, str> {
        match (self.status(), self.deadline_source().appeal_level()) {
            (Status::Upheld, Some(open)) if open > 1 => format!("upheld-l{}", open - 1).into(),
            (status, _) => status.key().into(),
        }
    }
}

/// The accessors a work item and a list row both answer from a field of the same name
/// and meaning (`impl RowFields` of each then adds what differs).
macro_rules! same_named_fields {
    () => {
        fn key(&self) -> &str {
            &self.key
        }
        fn claim_id(&self) -> &str {
            &self.claim_id
        }
        fn kind(&self) -> ItemKind {
            self.kind
        }
        fn status(&self) -> Status {
            self.status
        }
        fn owner(&self) -> Option<&str> {
            self.owner.as_deref()
        }
        fn follow_up(&self) -> Option<NaiveDate> {
            self.follow_up
        }
        fn appeal_rights(&self) -> AppealRights {
            self.appeal_rights
        }
        fn category(&self) -> Category {
            self.category
        }
        fn hardness(&self) -> Hardness {
            self.hardness
        }
        fn denied_on(&self) -> NaiveDate {
            self.denied_on
        }
        fn payer(&self) -> &str {
            &self.payer
        }
        fn payer_id(&self) -> &str {
            &self.payer_id
        }
        fn payer_claim_number(&self) -> &str {
            &self.payer_claim_number
        }
        fn patient_name(&self) -> &str {
            &self.patient_name
        }
        fn member_id(&self) -> &str {
            &self.member_id
        }
        fn carcs(&self) -> &[CompactString] {
            &self.carcs
        }
        fn awaiting_payer_since(&self) -> Option<NaiveDate> {
            self.awaiting_payer_since
        }
        fn priority_boost(&self) -> u8 {
            self.priority_boost
        }
    };
}
pub(crate) use same_named_fields;

impl RowFields for super::WorkItem {
    same_named_fields!();
    fn deadline(&self) -> NaiveDate {
        self.appeal_deadline.date
    }
    fn deadline_source(&self) -> &DeadlineSource {
        &self.appeal_deadline.source
    }
    fn owed_cents(&self) -> i64 {
        self.outstanding_cents()
    }
    /// An appeal sent in time awaiting its decision (one sent after the deadline keeps the
    /// claim counted as missed), a won appeal awaiting its money, or a corrected claim
    /// resubmitted.
    fn deadline_met_with_payer(&self) -> bool {
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
    fn open_appeal(&self) -> Option<&Appeal> {
        self.appeals.iter().rev().find(|a| a.decision.is_none())
    }
    fn last_appeal(&self) -> Option<&Appeal> {
        self.appeals.last()
    }
}

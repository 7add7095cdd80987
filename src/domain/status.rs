//! The life of a denial work item and which moves a person may make.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a denial stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Untouched since the denial arrived.
    New,
    /// Someone is working it.
    InProgress,
    /// Corrected and resubmitted to the payer.
    Resubmitted,
    /// An appeal is with the payer.
    Appealed,
    /// Waiting on the payer (reprocessing promised, an appeal won).
    AwaitingPayer,
    /// The denied amount was paid.
    Paid,
    /// Part of it was paid; the rest is still open.
    PartiallyPaid,
    /// The payer kept its denial on resubmission or appeal, and a higher appeal level is
    /// still open (shown `upheld-l1` … with the level).
    Upheld,
    /// Given up, with a reason.
    WrittenOff,
    /// Upheld at the last level, or closed by a person after an upheld decision: final.
    FinalUpheld,
    /// A rejection closed because the payer took the claim in: an accepted 277CA or a
    /// remittance for it. Only an import sets it.
    Accepted,
}

impl Status {
    /// Every status, in workflow order.
    pub const ALL: [Status; 11] = [
        Status::New,
        Status::InProgress,
        Status::Resubmitted,
        Status::Appealed,
        Status::AwaitingPayer,
        Status::Paid,
        Status::PartiallyPaid,
        Status::Upheld,
        Status::FinalUpheld,
        Status::WrittenOff,
        Status::Accepted,
    ];

    /// The name used on the command line and in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::InProgress => "in-progress",
            Status::Resubmitted => "resubmitted",
            Status::Appealed => "appealed",
            Status::AwaitingPayer => "awaiting-payer",
            Status::Paid => "paid",
            Status::PartiallyPaid => "partially-paid",
            Status::Upheld => "upheld",
            Status::WrittenOff => "written-off",
            Status::FinalUpheld => "final-upheld",
            Status::Accepted => "accepted",
        }
    }

    /// Parses a status name; `corrected` is accepted for `resubmitted`, and `upheld-l1` …
    /// (as screens show an upheld claim) for `upheld`.
    pub fn parse(text: &str) -> Option<Status> {
        let key = text.trim().to_ascii_lowercase().replace([' ', '_'], "-");
        if key == "corrected" {
            return Some(Status::Resubmitted);
        }
        if key
            .strip_prefix("upheld-l")
            .is_some_and(|n| n.len() == 1 && n.as_bytes()[0].is_ascii_digit())
        {
            return Some(Status::Upheld);
        }
        Status::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Still needs work: money not yet in, not written off, not finally upheld (an upheld
    /// claim with a higher level left is open; so is a partly paid one, for the rest).
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            Status::Paid | Status::WrittenOff | Status::FinalUpheld | Status::Accepted
        )
    }

    /// The statuses a person may move an item to from this one.
    pub fn allowed_next(self) -> &'static [Status] {
        use Status::*;
        match self {
            New => &[InProgress, Resubmitted, Appealed, AwaitingPayer, WrittenOff],
            InProgress => &[Resubmitted, Appealed, AwaitingPayer, WrittenOff],
            Resubmitted | Appealed => &[
                AwaitingPayer,
                InProgress,
                Paid,
                PartiallyPaid,
                Upheld,
                WrittenOff,
            ],
            AwaitingPayer => &[InProgress, Paid, PartiallyPaid, Upheld, WrittenOff],
            PartiallyPaid => &[InProgress, Appealed, Paid, WrittenOff],
            Upheld => &[InProgress, Appealed, FinalUpheld, WrittenOff],
            // A final denial's balance is written off (the accounting act closing it).
            FinalUpheld => &[InProgress, WrittenOff],
            // Reopening covers a recoupment after payment or a write-off taken in error.
            Paid | WrittenOff | Accepted => &[InProgress],
        }
    }

    /// Whether a person may move an item from this status to `next`.
    pub fn can_move_to(self, next: Status) -> bool {
        self.allowed_next().contains(&next)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_corrected_means_resubmitted() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.key()), Some(s));
        }
        assert_eq!(Status::parse("Corrected"), Some(Status::Resubmitted));
        assert_eq!(Status::parse("written off"), Some(Status::WrittenOff));
        assert_eq!(Status::parse("closed"), None);
    }

    #[test]
    fn legal_and_illegal_transitions() {
        assert!(Status::New.can_move_to(Status::InProgress));
        assert!(Status::Appealed.can_move_to(Status::Upheld));
        assert!(Status::Upheld.can_move_to(Status::Appealed));
        assert!(!Status::New.can_move_to(Status::Paid));
        assert!(!Status::New.can_move_to(Status::New));
        assert!(!Status::InProgress.can_move_to(Status::Upheld));
        assert!(!Status::Paid.can_move_to(Status::WrittenOff));
        assert!(Status::WrittenOff.can_move_to(Status::InProgress));
        for s in Status::ALL {
            assert!(!s.can_move_to(s), "{s} to itself");
        }
    }

    #[test]
    fn open_means_money_still_to_work() {
        assert!(Status::Upheld.is_open());
        assert!(Status::PartiallyPaid.is_open());
        assert!(!Status::Paid.is_open());
        assert!(!Status::WrittenOff.is_open());
        assert!(!Status::FinalUpheld.is_open());
        assert_eq!(Status::parse("upheld-l1"), Some(Status::Upheld));
        assert_eq!(Status::parse("upheld-lx"), None);
    }
}

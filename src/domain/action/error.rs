//! Why an action was refused (a leaf: the appeal steps and `apply` both report with it).

use crate::domain::status::Status;
use chrono::NaiveDate;

/// Why an action was refused; nothing is changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    #[error("{field} is required")]
    Missing { field: &'static str },
    #[error("follow-up date {date} is in the past (today is {today})")]
    FollowUpInPast { date: NaiveDate, today: NaiveDate },
    #[error("cannot move claim {claim} from {from} to {to}; allowed from {from}: {allowed}")]
    IllegalTransition {
        claim: String,
        from: Status,
        to: Status,
        allowed: String,
    },
    #[error("writing off needs a reason (for example --reason \"timely filing, no proof\")")]
    WriteOffNeedsReason,
    #[error("{0:?} is not a valid user name (letters, digits, '.', '_' and '-' only)")]
    BadUserName(String),
    #[error("appeal: {0}")]
    Appeal(String),
    #[error("{field} contains a control character ({found}): type plain text on one line")]
    ControlCharacter { field: &'static str, found: String },
    #[error("{field} is {len} bytes long; the most a field can hold is {max} bytes (attach long documents instead)")]
    TooLong {
        field: &'static str,
        len: usize,
        max: usize,
    },
    #[error("claim {claim} cannot be appealed: the payer gave no appeal rights (remark {remarks}); correct the claim and resubmit it by {resubmit_by}, then set its status to resubmitted")]
    NoAppealRights {
        claim: String,
        remarks: String,
        resubmit_by: NaiveDate,
    },
}

//! Why an action was refused (a leaf: the appeal steps and `apply` both report with it).

use crate::domain::status::Status;
use chrono::NaiveDate;

/// Why an action was refused; nothing is changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    #[error("{field} is required")]
    /// A required field was empty.
    Missing {
        /// Which field.
        field: &'static str,
    },
    #[error("follow-up date {date} is in the past (today is {today})")]
    /// A follow-up before today.
    FollowUpInPast {
        /// The date given.
        date: NaiveDate,
        /// Today.
        today: NaiveDate,
    },
    #[error("cannot move claim {claim} from {from} to {to}; allowed from {from}: {allowed}")]
    /// A status move the workflow does not allow.
    IllegalTransition {
        /// The claim.
        claim: String,
        /// Its status.
        from: Status,
        /// The status asked for.
        to: Status,
        /// The moves allowed from `from`, listed.
        allowed: String,
    },
    #[error("writing off needs a reason (for example --reason \"timely filing, no proof\")")]
    /// A write-off without a reason.
    WriteOffNeedsReason,
    #[error("{0:?} is not a valid user name (letters, digits, '.', '_' and '-' only)")]
    /// An owner name that cannot be a user.
    BadUserName(String),
    #[error("appeal: the level {level} packet is missing required documents: {missing}. Check each off with where it is, or say why it goes without them (\"Why missing\", --sent-without)")]
    /// Required checklist documents missing and no reason given for sending without them.
    DocumentsMissing {
        /// The appeal level.
        level: u8,
        /// The missing documents' wording, `; `-separated.
        missing: String,
    },
    #[error("appeal: {0}")]
    /// An appeal or its outcome refused (the text says why).
    Appeal(String),
    #[error("{field} contains a control character ({found}): type plain text on one line")]
    /// Typed text holding a control character.
    ControlCharacter {
        /// Which field.
        field: &'static str,
        /// The character, escaped.
        found: String,
    },
    #[error("{field} is {len} bytes long; the most a field can hold is {max} bytes (attach long documents instead)")]
    /// Typed text longer than a field may hold.
    TooLong {
        /// Which field.
        field: &'static str,
        /// Its length in bytes.
        len: usize,
        /// The most allowed.
        max: usize,
    },
    #[error("claim {claim} cannot be appealed: the payer gave no appeal rights (remark {remarks}); correct the claim and resubmit it by {resubmit_by}, then set its status to resubmitted")]
    /// An appeal on a claim the payer gave no appeal rights.
    NoAppealRights {
        /// The claim.
        claim: String,
        /// The remark codes that took the rights away.
        remarks: String,
        /// The timely-filing date for a corrected claim.
        resubmit_by: NaiveDate,
    },
    #[error("claim {claim} was rejected before adjudication: there is no payer decision to appeal or record. Correct the claim and submit it again by {resubmit_by}, then set its status to resubmitted; an accepted 277CA or its remittance closes the rejection")]
    /// An appeal, or a status only an import may set, on a rejection.
    Rejected {
        /// The claim.
        claim: String,
        /// The filing limit for the corrected claim.
        resubmit_by: NaiveDate,
    },
}

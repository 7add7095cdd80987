//! What a specialist can ask for: one `WorkAction` per change, built by the CLI, the
//! forms and the demo alike (with the payer rules' deadlines filled in where a change
//! needs them), applied by `apply`.

use crate::domain::appeal::{AppealResult, Channel};
use crate::domain::packet::{DocumentEntry, LetterRecord, PacketCheck};
use crate::domain::payer_rules::{self, AppealDeadline, PayerRules};
use crate::domain::status::Status;
use crate::domain::timeline::PayerCall;
use crate::domain::work_item::{RowFields, WorkItem};
use chrono::NaiveDate;

/// A change a person asks for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WorkAction {
    /// Log a payer call.
    LogCall(PayerCall),
    /// `None` clears the follow-up.
    SetFollowUp(Option<NaiveDate>),
    /// Move the status.
    ChangeStatus {
        /// The new status.
        to: Status,
        /// Why (required to write off).
        reason: Option<String>,
    },
    /// `None` unassigns.
    Assign(Option<String>),
    /// Add a note.
    AddNote(String),
    /// Record an appeal sent to the payer.
    FileAppeal {
        /// 1 = first level, 2, 3 …
        level: u8,
        /// How it was sent.
        channel: Channel,
        /// When it was sent.
        submitted: NaiveDate,
        /// When the payer's answer is due.
        response_due: NaiveDate,
        /// What was sent with it (empty: what the packet lists).
        documents: String,
        /// The level's checklist, references typed with the appeal, and why it goes
        /// without required documents (if it does).
        #[serde(default)]
        packet: PacketCheck,
    },
    /// Check off (or uncheck) documents of the packet for an appeal level not yet sent.
    CheckDocuments {
        /// The appeal level.
        level: u8,
        /// References typed (empty unchecks).
        entries: Vec<DocumentEntry>,
    },
    /// Link a letter written for an appeal level to its packet (and the timeline).
    RecordLetter {
        /// The appeal level.
        level: u8,
        /// The letter.
        letter: LetterRecord,
    },
    /// The payer's answer to the open appeal.
    DecideAppeal {
        /// What the payer decided.
        result: AppealResult,
        /// When.
        decided: NaiveDate,
        /// What the payer agreed to pay.
        amount_cents: i64,
        /// For an upheld decision: the next level's deadline from the payer rules
        /// (`payer_rules::next_level_deadline`), `None` when it was the last level. Built
        /// by `WorkAction::decide`, which reads it off the item and the rules.
        next_level: Option<AppealDeadline>,
    },
    /// Corrects what was recorded about the most recent appeal's filing; supersedes it
    /// (the timeline and the audit log keep both).
    CorrectAppeal {
        /// 1 = first level, 2, 3 …
        level: u8,
        /// How it was sent.
        channel: Channel,
        /// When it was sent.
        submitted: NaiveDate,
        /// When the payer's answer is due.
        response_due: NaiveDate,
        /// What was sent with it.
        documents: String,
        /// Why the record was wrong (required).
        reason: String,
    },
    /// Takes back the open appeal: recorded in error, or withdrawn from the payer.
    WithdrawAppeal {
        /// Why (required).
        reason: String,
    },
    /// Corrects the decision recorded on the most recent appeal; supersedes it.
    CorrectDecision {
        /// What the payer really decided.
        result: AppealResult,
        /// When.
        decided: NaiveDate,
        /// What the payer agreed to pay.
        amount_cents: i64,
        /// Why the record was wrong (required).
        reason: String,
        /// Now upheld: the next level's deadline (`None`: that was the last level).
        next_level: Option<AppealDeadline>,
        /// The decided level's own deadline, restored when an upheld decision that had
        /// opened the next level is corrected to a won one.
        level_deadline: Option<AppealDeadline>,
    },
}

impl WorkAction {
    /// The payer's answer to the item's open appeal, with the next level's deadline the
    /// payer rules give should it be upheld.
    pub fn decide(
        item: &WorkItem,
        rules: &PayerRules,
        result: AppealResult,
        decided: NaiveDate,
        amount_cents: i64,
    ) -> WorkAction {
        let next_level = item.open_appeal().and_then(|a| {
            payer_rules::next_level_deadline(
                rules,
                &item.payer_party(),
                &item.filing_indicator,
                a.level,
                decided,
            )
        });
        WorkAction::DecideAppeal {
            result,
            decided,
            amount_cents,
            next_level,
        }
    }

    /// A correction of the decision recorded on the item's most recent appeal, with the
    /// deadlines its status may need from the payer rules: the next level's (now upheld)
    /// and the level's own (no longer upheld).
    pub fn correct_decision(
        item: &WorkItem,
        rules: &PayerRules,
        result: AppealResult,
        decided: NaiveDate,
        amount_cents: i64,
        reason: &str,
    ) -> WorkAction {
        let payer = item.payer_party();
        let fi = item.filing_indicator.as_str();
        let level = item.appeals.last().map_or(1, |a| a.level);
        let next_level = payer_rules::next_level_deadline(rules, &payer, fi, level, decided);
        // Level 1 runs from the denial; a higher level from the decision below it.
        let level_deadline = match level {
            1 => Some(payer_rules::appeal_deadline(
                rules,
                &payer,
                fi,
                item.denied_on,
            )),
            n => item
                .appeals
                .iter()
                .rev()
                .filter(|a| a.level == n - 1)
                .find_map(|a| a.decision.as_ref())
                .and_then(|d| {
                    payer_rules::next_level_deadline(rules, &payer, fi, n - 1, d.decided)
                }),
        };
        WorkAction::CorrectDecision {
            result,
            decided,
            amount_cents,
            reason: reason.to_string(),
            next_level,
            level_deadline,
        }
    }

    /// The audit log's name for the action.
    pub fn name(&self) -> &'static str {
        match self {
            WorkAction::LogCall(_) => "call",
            WorkAction::SetFollowUp(_) => "follow-up",
            WorkAction::ChangeStatus { .. } => "status",
            WorkAction::Assign(_) => "assign",
            WorkAction::AddNote(_) => "note",
            WorkAction::FileAppeal { .. } => "appeal",
            WorkAction::DecideAppeal { .. } => "appeal-outcome",
            WorkAction::CorrectAppeal { .. } => "appeal-correct",
            WorkAction::WithdrawAppeal { .. } => "appeal-withdraw",
            WorkAction::CorrectDecision { .. } => "appeal-outcome-correct",
            WorkAction::CheckDocuments { .. } => "checklist",
            WorkAction::RecordLetter { .. } => "letter",
        }
    }
}

impl WorkAction {
    /// A note or a payer call adds to the timeline whatever anyone else saved meanwhile:
    /// it never conflicts (refusing it would lose what the specialist just heard on the
    /// phone), and its follow-up date, if any, is the newest word.
    pub fn appends_only(&self) -> bool {
        matches!(self, WorkAction::AddNote(_) | WorkAction::LogCall(_))
    }
}

//! Appeals: what was sent (level, channel, documents), when the payer must answer, and
//! what it decided. Payments still arrive through remittances; the appeal records the
//! decision and the amount the payer agreed to.

use super::action::ActionError;
use super::status::Status;
use super::timeline::EventKind;
use super::work_item::WorkItem;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How the appeal was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    Portal,
    Fax,
    Mail,
    Phone,
    Electronic,
}

impl Channel {
    pub const ALL: [Channel; 5] = [
        Channel::Portal,
        Channel::Fax,
        Channel::Mail,
        Channel::Phone,
        Channel::Electronic,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Channel::Portal => "portal",
            Channel::Fax => "fax",
            Channel::Mail => "mail",
            Channel::Phone => "phone",
            Channel::Electronic => "electronic",
        }
    }

    pub fn parse(text: &str) -> Option<Channel> {
        let t = text.trim().to_ascii_lowercase();
        Channel::ALL.into_iter().find(|c| c.key() == t)
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// What the payer decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AppealResult {
    Overturned,
    PartiallyOverturned,
    Upheld,
}

impl AppealResult {
    pub const ALL: [AppealResult; 3] = [
        AppealResult::Overturned,
        AppealResult::PartiallyOverturned,
        AppealResult::Upheld,
    ];

    pub fn key(self) -> &'static str {
        match self {
            AppealResult::Overturned => "overturned",
            AppealResult::PartiallyOverturned => "partial",
            AppealResult::Upheld => "upheld",
        }
    }

    pub fn parse(text: &str) -> Option<AppealResult> {
        match text.trim().to_ascii_lowercase().as_str() {
            "overturned" | "won" => Some(AppealResult::Overturned),
            "partial" | "partially-overturned" => Some(AppealResult::PartiallyOverturned),
            "upheld" | "lost" => Some(AppealResult::Upheld),
            _ => None,
        }
    }
}

impl fmt::Display for AppealResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The payer's decision on an appeal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealDecision {
    pub result: AppealResult,
    pub decided: NaiveDate,
    /// What the payer agreed to pay on appeal (the money itself arrives on a remittance).
    pub amount_cents: i64,
}

/// One appeal filed on a denial.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appeal {
    /// 1 = first level (reconsideration / redetermination), 2, 3 …
    pub level: u8,
    pub channel: Channel,
    pub submitted: NaiveDate,
    pub response_due: NaiveDate,
    #[serde(default)]
    pub documents: String,
    #[serde(default)]
    pub decision: Option<AppealDecision>,
}

impl Appeal {
    /// Days the payer has had it (until decided or today).
    pub fn days_waiting(&self, today: NaiveDate) -> i64 {
        let end = self.decision.as_ref().map_or(today, |d| d.decided);
        (end - self.submitted).num_days()
    }

    /// Undecided past its response date.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.decision.is_none() && self.response_due < today
    }
}

fn appeal_error(text: impl Into<String>) -> ActionError {
    ActionError::Appeal(text.into())
}

/// Adds a new appeal (one open at a time) and moves the item to appealed.
pub(crate) fn file_appeal(
    item: &mut WorkItem,
    appeal: Appeal,
    today: NaiveDate,
    events: &mut Vec<EventKind>,
) -> Result<(), ActionError> {
    if !(1..=5).contains(&appeal.level) {
        return Err(appeal_error("level must be 1 to 5"));
    }
    if appeal.submitted > today {
        return Err(appeal_error(format!(
            "submitted date {} is in the future",
            appeal.submitted
        )));
    }
    if appeal.response_due < appeal.submitted {
        return Err(appeal_error(
            "the response due date is before the submitted date",
        ));
    }
    if let Some(open) = item.appeals.iter().find(|a| a.decision.is_none()) {
        return Err(appeal_error(format!(
            "the level {} appeal is still open: record its outcome first",
            open.level
        )));
    }
    if item.status != Status::Appealed {
        if !item.status.can_move_to(Status::Appealed) {
            return Err(appeal_error(format!(
                "a claim that is {} cannot be appealed",
                item.status
            )));
        }
        events.push(EventKind::StatusChanged {
            from: item.status,
            to: Status::Appealed,
            reason: None,
        });
        item.transition(Status::Appealed, today);
    }
    events.insert(0, EventKind::AppealFiled(appeal.clone()));
    item.appeals.push(appeal);
    Ok(())
}

/// Records the payer's decision on the open appeal.
pub(crate) fn decide_appeal(
    item: &mut WorkItem,
    decision: AppealDecision,
    today: NaiveDate,
    events: &mut Vec<EventKind>,
) -> Result<(), ActionError> {
    let from = item.status;
    let Some(appeal) = item.appeals.iter_mut().rev().find(|a| a.decision.is_none()) else {
        return Err(appeal_error(format!(
            "claim {} has no open appeal",
            item.claim_id
        )));
    };
    if decision.decided > today || decision.decided < appeal.submitted {
        return Err(appeal_error(format!(
            "decision date {} must fall between the submission ({}) and today",
            decision.decided, appeal.submitted
        )));
    }
    if decision.amount_cents < 0
        || (decision.result == AppealResult::Upheld && decision.amount_cents != 0)
    {
        return Err(appeal_error(
            "the amount must be zero for an upheld appeal and never negative",
        ));
    }
    let level = appeal.level;
    let decision_day = decision.decided;
    appeal.decision = Some(decision.clone());
    // A won appeal still waits for the money, which arrives on a remittance.
    let to = if decision.result == AppealResult::Upheld {
        Status::Upheld
    } else {
        Status::AwaitingPayer
    };
    events.push(EventKind::AppealDecided { level, decision });
    if from != to {
        events.push(EventKind::StatusChanged {
            from,
            to,
            reason: Some("appeal decided".into()),
        });
        item.transition(to, decision_day);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::action::{apply, WorkAction};
    use crate::domain::test_support::work_item;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    #[test]
    fn appeals_are_filed_once_at_a_time_and_decided() {
        let filed = WorkAction::FileAppeal {
            level: 1,
            channel: Channel::Fax,
            submitted: today(),
            response_due: today() + chrono::Duration::days(30),
            documents: "notes, auth letter".into(),
        };
        let (item, events) = apply(&work_item("C1"), &filed, today()).unwrap();
        assert_eq!(item.status, Status::Appealed);
        assert_eq!(item.appeals.len(), 1);
        assert!(matches!(events[0], EventKind::AppealFiled(_)));
        let again = apply(&item, &filed, today()).unwrap_err();
        assert!(again.to_string().contains("still open"), "{again}");
        let won = WorkAction::DecideAppeal {
            result: AppealResult::Overturned,
            decided: today(),
            amount_cents: 30000,
        };
        let (item, _) = apply(&item, &won, today()).unwrap();
        assert_eq!(item.status, Status::AwaitingPayer);
        assert_eq!(
            item.appeals[0].decision.as_ref().unwrap().amount_cents,
            30000
        );
        assert!(apply(&item, &won, today())
            .unwrap_err()
            .to_string()
            .contains("no open appeal"));
        let future = WorkAction::FileAppeal {
            level: 2,
            channel: Channel::Portal,
            submitted: today() + chrono::Duration::days(1),
            response_due: today() + chrono::Duration::days(30),
            documents: String::new(),
        };
        assert!(apply(&work_item("C2"), &future, today())
            .unwrap_err()
            .to_string()
            .contains("in the future"));
    }

    #[test]
    fn waiting_and_overdue() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let mut a = Appeal {
            level: 1,
            channel: Channel::Portal,
            submitted: d("2026-10-01"),
            response_due: d("2026-10-31"),
            documents: "records".into(),
            decision: None,
        };
        assert_eq!(a.days_waiting(d("2026-11-24")), 54);
        assert!(a.overdue(d("2026-11-24")));
        a.decision = Some(AppealDecision {
            result: AppealResult::Upheld,
            decided: d("2026-10-20"),
            amount_cents: 0,
        });
        assert_eq!(a.days_waiting(d("2026-11-24")), 19);
        assert!(!a.overdue(d("2026-11-24")));
        assert_eq!(Channel::parse("Fax"), Some(Channel::Fax));
        assert_eq!(AppealResult::parse("won"), Some(AppealResult::Overturned));
    }
}

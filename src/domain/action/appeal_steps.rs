//! The appeal transitions `apply` runs: filing an appeal (one open at a time, moving the
//! item to appealed) and recording the payer's decision. The appeal types themselves are
//! a leaf (`domain::appeal`).

use super::error::ActionError;
use crate::domain::appeal::{Appeal, AppealDecision, AppealResult};
use crate::domain::status::Status;
use crate::domain::timeline::EventKind;
use crate::domain::work_item::WorkItem;
use chrono::NaiveDate;

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
    use crate::domain::appeal::{Appeal, AppealDecision, AppealResult, Channel};
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

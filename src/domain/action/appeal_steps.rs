//! The appeal transitions `apply` runs: filing an appeal (one open at a time, levels in
//! turn, moving the item to appealed), recording the payer's decision, and `uphold`, which
//! opens the next level's clock (or closes the denial as final) for a decision or a
//! remittance that denies again. Corrections are in `appeal_fixes`; the appeal types
//! themselves are a leaf (`domain::appeal`).

use super::error::ActionError;
use crate::domain::appeal::{Appeal, AppealDecision, AppealResult, Channel};
use crate::domain::payer_rules::AppealDeadline;
use crate::domain::status::Status;
use crate::domain::timeline::EventKind;
use crate::domain::work_item::WorkItem;
use chrono::NaiveDate;

fn appeal_error(text: impl Into<String>) -> ActionError {
    ActionError::Appeal(text.into())
}

/// Whether `appeal` could have been filed on the item as it stands (its earlier appeals):
/// a level 1 to 5 not already upheld, sent between the denial and today, answered after.
pub(crate) fn check_filing(
    item: &WorkItem,
    appeal: &Appeal,
    today: NaiveDate,
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
    if appeal.submitted < item.denied_on {
        return Err(appeal_error(format!(
            "submitted date {} is before the denial's remittance ({}): an appeal answers a denial already received",
            appeal.submitted, item.denied_on
        )));
    }
    if let Some(done) = item.appeals.iter().find(|a| {
        a.level >= appeal.level
            && a.decision
                .as_ref()
                .is_some_and(|d| d.result == AppealResult::Upheld)
    }) {
        let decided = done.decision.as_ref().map(|d| d.decided);
        return Err(appeal_error(format!(
            "level {} was already upheld{}: the next appeal is level {}",
            done.level,
            decided.map_or(String::new(), |d| format!(" on {d}")),
            done.level + 1
        )));
    }
    if appeal.response_due < appeal.submitted {
        return Err(appeal_error(
            "the response due date is before the submitted date",
        ));
    }
    Ok(())
}

/// Adds a new appeal (one open at a time) and moves the item to appealed.
pub(crate) fn file_appeal(
    item: &mut WorkItem,
    appeal: Appeal,
    today: NaiveDate,
    events: &mut Vec<EventKind>,
) -> Result<(), ActionError> {
    check_filing(item, &appeal, today)?;
    // Levels are climbed in turn: a payer only hears level 3 after level 2's decision.
    if let Some(open) = item.appeals.iter().find(|a| a.decision.is_none()) {
        return Err(appeal_error(format!(
            "the level {} appeal is still open: record its outcome first",
            open.level
        )));
    }
    let next = item.next_appeal_level();
    if appeal.level != next {
        return Err(appeal_error(format!(
            "the next appeal on this claim is level {next}; levels are appealed in turn"
        )));
    }
    // Waiting on the payer (a promised reprocessing that did not come): the appeal reopens
    // the claim first, in the same change, so both moves are on the timeline.
    if item.status == Status::AwaitingPayer {
        events.push(EventKind::StatusChanged {
            from: item.status,
            to: Status::InProgress,
            reason: Some("reopened to appeal".into()),
        });
        item.transition(Status::InProgress, today);
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

/// Records the payer's decision on the open appeal. Upheld with a higher level left
/// (`next_level`), the item stays open with that level's deadline; upheld at the last
/// level, it is final.
pub(crate) fn decide_appeal(
    item: &mut WorkItem,
    decision: AppealDecision,
    next_level: Option<AppealDeadline>,
    today: NaiveDate,
    events: &mut Vec<EventKind>,
) -> Result<(), ActionError> {
    let from = item.status;
    let Some(at) = item.appeals.iter().rposition(|a| a.decision.is_none()) else {
        return Err(appeal_error(format!(
            "claim {} has no open appeal",
            item.claim_id
        )));
    };
    check_decision(item, item.appeals[at].submitted, &decision, today)?;
    let level = item.appeals[at].level;
    let decision_day = decision.decided;
    check_next_level(next_level.as_ref(), level, decision_day)?;
    item.appeals[at].decision = Some(decision.clone());
    let upheld = decision.result == AppealResult::Upheld;
    events.push(EventKind::AppealDecided { level, decision });
    if upheld {
        uphold(
            item,
            level,
            decision_day,
            next_level,
            "appeal decided",
            events,
        );
        return Ok(());
    }
    // A won appeal still waits for the money, which arrives on a remittance.
    if from != Status::AwaitingPayer {
        events.push(EventKind::StatusChanged {
            from,
            to: Status::AwaitingPayer,
            reason: Some("appeal decided".into()),
        });
        item.transition(Status::AwaitingPayer, decision_day);
    }
    Ok(())
}

/// A next level's deadline must be for the level above, counted on or after the decision.
pub(crate) fn check_next_level(
    next: Option<&AppealDeadline>,
    level: u8,
    decided: NaiveDate,
) -> Result<(), ActionError> {
    match next {
        Some(next) if next.source.appeal_level() != Some(level + 1) || next.date < decided => {
            Err(appeal_error(format!(
                "the next level's deadline ({}, {}) does not follow a level {level} decision on {decided}",
                next.date,
                next.source.describe(next.window_days)
            )))
        }
        _ => Ok(()),
    }
}

/// Whether the payer could have decided so on an appeal sent on `submitted`: between the
/// submission and today, an amount that is zero when upheld, never negative, and never
/// more than is still denied (what it paid since has already come off).
pub(crate) fn check_decision(
    item: &WorkItem,
    submitted: NaiveDate,
    decision: &AppealDecision,
    today: NaiveDate,
) -> Result<(), ActionError> {
    if decision.decided > today || decision.decided < submitted {
        return Err(appeal_error(format!(
            "decision date {} must fall between the submission ({submitted}) and today",
            decision.decided
        )));
    }
    if decision.amount_cents < 0
        || (decision.result == AppealResult::Upheld && decision.amount_cents != 0)
    {
        return Err(appeal_error(
            "the amount must be zero for an upheld appeal and never negative",
        ));
    }
    if decision.result != AppealResult::Upheld && decision.amount_cents == 0 {
        return Err(appeal_error(format!(
            "a {} appeal agrees to pay something: type the amount (nothing agreed is upheld)",
            decision.result
        )));
    }
    let outstanding = item.outstanding_cents();
    if decision.amount_cents > outstanding {
        return Err(appeal_error(format!(
            "the amount {} is more than the {} still denied on this claim",
            crate::domain::money::format_cents(decision.amount_cents),
            crate::domain::money::format_cents(outstanding)
        )));
    }
    Ok(())
}

/// The payer kept its denial at `level` on `on`: with a higher level left the item stays
/// open (`upheld-l1` …) and its appeal deadline becomes that level's, counted from the
/// decision, so the worklist ranks it again; at the last level it is final.
pub(crate) fn uphold(
    item: &mut WorkItem,
    level: u8,
    on: NaiveDate,
    next_level: Option<AppealDeadline>,
    why: &str,
    events: &mut Vec<EventKind>,
) {
    let from = item.status;
    // Forwarded by the payer itself (a Medicare Advantage plan to the IRE): the next level
    // is open at once, with nothing to file, and the clock is the reviewer's.
    if let Some((next, days)) = next_level
        .as_ref()
        .and_then(|n| n.source.forwarded_by_payer().map(|d| (n.clone(), d)))
    {
        events.push(EventKind::DeadlineMoved {
            from: item.appeal_deadline.date,
            to: next.clone(),
        });
        item.appeal_deadline = next;
        let forwarded = Appeal {
            level: level + 1,
            channel: Channel::Electronic,
            submitted: on,
            response_due: on + chrono::Duration::days(i64::from(days)),
            documents: "forwarded by the plan to the independent review entity (42 CFR 422.592)"
                .into(),
            decision: None,
        };
        events.push(EventKind::AppealFiled(forwarded.clone()));
        item.appeals.push(forwarded);
        if from != Status::Appealed {
            events.push(EventKind::StatusChanged {
                from,
                to: Status::Appealed,
                reason: Some(format!(
                    "{why}: level {level} upheld; the plan forwards it to level {}",
                    level + 1
                )),
            });
            item.transition(Status::Appealed, on);
        }
        return;
    }
    let (to, reason) = match &next_level {
        Some(next) => (
            Status::Upheld,
            format!(
                "{why}: level {level} upheld; level {} due {}",
                level + 1,
                next.date
            ),
        ),
        None => (
            Status::FinalUpheld,
            format!("{why}: level {level} upheld and no higher level remains"),
        ),
    };
    if let Some(next) = next_level {
        events.push(EventKind::DeadlineMoved {
            from: item.appeal_deadline.date,
            to: next.clone(),
        });
        item.appeal_deadline = next;
    }
    if from != to {
        events.push(EventKind::StatusChanged {
            from,
            to,
            reason: Some(reason),
        });
        item.transition(to, on);
    }
}

/// An appeal as recorded: sent, not yet decided.
pub(crate) fn sent(
    level: u8,
    channel: crate::domain::appeal::Channel,
    submitted: NaiveDate,
    response_due: NaiveDate,
    documents: &str,
) -> Appeal {
    Appeal {
        level,
        channel,
        submitted,
        response_due,
        documents: documents.trim().to_string(),
        decision: None,
    }
}

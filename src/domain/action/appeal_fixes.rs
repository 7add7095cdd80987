//! Correcting a mistaken appeal record: a new, audited entry that supersedes the old one.
//! Nothing is deleted: the timeline keeps the entry as first recorded and the correction
//! (before → after, with the reason), and so does the audit log. The item itself holds
//! what is true now, so its status and clock follow the corrected record.

use super::appeal_steps::{check_decision, check_filing, check_next_level, uphold};
use super::error::ActionError;
use crate::domain::appeal::{Appeal, AppealDecision, AppealResult};
use crate::domain::payer_rules::{AppealDeadline, DeadlineSource};
use crate::domain::status::Status;
use crate::domain::timeline::EventKind;
use crate::domain::work_item::WorkItem;
use chrono::NaiveDate;

fn refuse(text: impl Into<String>) -> ActionError {
    ActionError::Appeal(text.into())
}

fn reason_given(reason: &str) -> Result<String, ActionError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ActionError::Missing {
            field: "reason for the correction",
        });
    }
    Ok(reason.to_string())
}

/// Replaces what was recorded about the most recent appeal's filing (level, channel,
/// dates, documents); its decision, if any, stays.
pub(crate) fn correct_appeal(
    item: &mut WorkItem,
    corrected: Appeal,
    reason: &str,
    today: NaiveDate,
    events: &mut Vec<EventKind>,
) -> Result<(), ActionError> {
    let reason = reason_given(reason)?;
    let Some(last) = item.appeals.len().checked_sub(1) else {
        return Err(refuse(format!(
            "claim {} has no appeal to correct",
            item.claim_id
        )));
    };
    let before = item.appeals[last].clone();
    let after = Appeal {
        decision: before.decision.clone(),
        ..corrected
    };
    let earlier = WorkItem {
        appeals: item.appeals[..last].to_vec(),
        ..item.clone()
    };
    check_filing(&earlier, &after, today)?;
    if let Some(d) = &after.decision {
        if d.decided < after.submitted {
            return Err(refuse(format!(
                "submitted date {} is after the payer's decision ({}) on this appeal",
                after.submitted, d.decided
            )));
        }
    }
    if after == before {
        return Err(refuse("the correction changes nothing"));
    }
    item.appeals[last] = after.clone();
    events.push(EventKind::AppealCorrected {
        before,
        after: Some(after),
        reason,
    });
    Ok(())
}

/// Takes back the open appeal, recorded in error (the wrong claim) or withdrawn from the
/// payer: the claim goes back to where it stood before it was filed.
pub(crate) fn withdraw_appeal(
    item: &mut WorkItem,
    reason: &str,
    today: NaiveDate,
    events: &mut Vec<EventKind>,
) -> Result<(), ActionError> {
    let reason = reason_given(reason)?;
    let Some(at) = item.appeals.iter().rposition(|a| a.decision.is_none()) else {
        return Err(refuse(format!(
            "claim {} has no open appeal to withdraw",
            item.claim_id
        )));
    };
    let before = item.appeals.remove(at);
    events.push(EventKind::AppealCorrected {
        before,
        after: None,
        reason: reason.clone(),
    });
    // An earlier level upheld, whose next level this was: upheld again, that level's
    // clock still running; else work in progress.
    let upheld_before = item
        .appeals
        .last()
        .and_then(|a| a.decision.as_ref())
        .is_some_and(|d| d.result == AppealResult::Upheld);
    let to = if upheld_before {
        Status::Upheld
    } else {
        Status::InProgress
    };
    if item.status == Status::Appealed {
        events.push(EventKind::StatusChanged {
            from: item.status,
            to,
            reason: Some(format!("appeal withdrawn: {reason}")),
        });
        item.transition(to, today);
    }
    Ok(())
}

/// Replaces the payer's decision recorded on the most recent appeal. The claim's status
/// and clock follow the corrected decision: `next_level` opens the next level when it is
/// now upheld; `level_deadline` is the decided level's own deadline, restored when an
/// upheld decision (which had moved the clock on) is corrected to a won one.
pub(crate) fn correct_decision(
    item: &mut WorkItem,
    corrected: AppealDecision,
    next_level: Option<AppealDeadline>,
    level_deadline: Option<AppealDeadline>,
    reason: &str,
    today: NaiveDate,
    events: &mut Vec<EventKind>,
) -> Result<(), ActionError> {
    let reason = reason_given(reason)?;
    let Some(appeal) = item.appeals.last() else {
        return Err(refuse(format!(
            "claim {} has no appeal to correct",
            item.claim_id
        )));
    };
    let Some(before) = appeal.decision.clone() else {
        return Err(refuse(format!(
            "the level {} appeal has no decision yet: record it (appeal-outcome) instead",
            appeal.level
        )));
    };
    // Money or a person moved the claim on since: correcting the decision under it would
    // contradict what happened after.
    if !matches!(
        item.status,
        Status::Upheld | Status::FinalUpheld | Status::AwaitingPayer
    ) {
        return Err(refuse(format!(
            "the claim moved on since the decision (it is {} now): reopen it first",
            item.status
        )));
    }
    let level = appeal.level;
    let submitted = appeal.submitted;
    check_decision(item, submitted, &corrected, today)?;
    check_next_level(next_level.as_ref(), level, corrected.decided)?;
    if corrected == before {
        return Err(refuse("the correction changes nothing"));
    }
    if let Some(appeal) = item.appeals.last_mut() {
        appeal.decision = Some(corrected.clone());
    }
    events.push(EventKind::AppealDecisionCorrected {
        level,
        before: before.clone(),
        after: corrected.clone(),
        reason: reason.clone(),
    });
    let why = format!("appeal decision corrected ({reason})");
    if corrected.result == AppealResult::Upheld {
        uphold(item, level, corrected.decided, next_level, &why, events);
        return Ok(());
    }
    // The payer's own rules set the clock the upheld decision moved on: rules that do not
    // know the payer would put a default in its place, so the correction waits for them.
    let moved_by_rule = matches!(
        item.appeal_deadline.source,
        DeadlineSource::NextLevelRule { .. }
    );
    if corrected.result != AppealResult::Upheld
        && moved_by_rule
        && level_deadline
            .as_ref()
            .is_some_and(|d| d.source.is_default())
    {
        return Err(refuse(
            "this claim's deadline came from the payer's entry in the payer rules, which this session has not loaded: correct it with them (--payers, or payer_rules in the config file)",
        ));
    }
    // The upheld decision had moved the clock to the next level: back to this level's.
    if item.appeal_deadline.source.appeal_level() == Some(level + 1) {
        if let Some(own) = level_deadline {
            if own.date != item.appeal_deadline.date {
                events.push(EventKind::DeadlineMoved {
                    from: item.appeal_deadline.date,
                    to: own.clone(),
                });
            }
            item.appeal_deadline = own;
        }
    }
    if item.status != Status::AwaitingPayer {
        events.push(EventKind::StatusChanged {
            from: item.status,
            to: Status::AwaitingPayer,
            reason: Some(why),
        });
        item.transition(Status::AwaitingPayer, corrected.decided);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::domain::action::{apply, WorkAction};
    use crate::domain::appeal::{AppealResult, Channel};
    use crate::domain::payer_rules::PayerRules;
    use crate::domain::status::Status;
    use crate::domain::test_support::work_item;
    use crate::domain::timeline::EventKind;
    use crate::domain::work_item::RowFields;
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn today() -> NaiveDate {
        d("2026-11-24")
    }

    fn filed(submitted: &str) -> WorkAction {
        WorkAction::FileAppeal {
            packet: Default::default(),
            level: 1,
            channel: Channel::Fax,
            submitted: d(submitted),
            response_due: d(submitted) + chrono::Duration::days(30),
            documents: "records".into(),
        }
    }

    #[test]
    fn a_decision_recorded_upheld_by_mistake_is_superseded_and_the_clock_goes_back() {
        let rules = PayerRules::default();
        let (item, _) = apply(&work_item("C1"), &filed("2026-11-05"), today()).unwrap();
        let original = item.appeal_deadline.clone();
        let upheld = WorkAction::decide(&item, &rules, AppealResult::Upheld, d("2026-11-20"), 0);
        let (item, _) = apply(&item, &upheld, today()).unwrap();
        assert_eq!(item.status_label(), "upheld-l1");
        // The payer had in fact overturned it, for $300.00: the claim waits for the money
        // and its clock is level 1's again (the denial remitted 2026-11-01 + 90 days).
        let fix = WorkAction::correct_decision(
            &item,
            &rules,
            AppealResult::Overturned,
            d("2026-11-20"),
            30_000,
            "misread the letter",
        );
        let (fixed, events) = apply(&item, &fix, today()).unwrap();
        assert_eq!(fixed.status, Status::AwaitingPayer);
        assert_eq!(fixed.appeal_deadline.date, d("2027-01-30"));
        assert_eq!(fixed.appeal_deadline.source.appeal_level(), Some(1));
        assert_eq!(original.window_days, 90);
        let decision = fixed.appeals[0].decision.as_ref().unwrap();
        assert_eq!(
            (decision.result, decision.amount_cents),
            (AppealResult::Overturned, 30_000)
        );
        // The timeline keeps the decision as first recorded, and says what replaced it.
        let said: Vec<String> = events.iter().map(EventKind::summary).collect();
        assert!(
            said[0].contains("decision corrected (misread the letter): upheld on 2026-11-20 $0.00 → overturned on 2026-11-20 $300.00"),
            "{said:?}"
        );
        // A correction needs a reason, and must change something.
        let bare =
            WorkAction::correct_decision(&fixed, &rules, AppealResult::Upheld, today(), 0, " ");
        assert!(apply(&fixed, &bare, today()).is_err());
        let same = WorkAction::correct_decision(
            &fixed,
            &rules,
            AppealResult::Overturned,
            d("2026-11-20"),
            30_000,
            "again",
        );
        let err = apply(&fixed, &same, today()).unwrap_err().to_string();
        assert!(err.contains("changes nothing"), "{err}");
        // Once the money came, the decision is history: reopen first.
        let mut paid = fixed.clone();
        paid.status = Status::Paid;
        let late =
            WorkAction::correct_decision(&paid, &rules, AppealResult::Upheld, today(), 0, "x");
        let err = apply(&paid, &late, today()).unwrap_err().to_string();
        assert!(err.contains("moved on since the decision"), "{err}");
    }

    #[test]
    fn a_deadline_from_the_payers_rules_is_not_replaced_by_a_default_on_correction() {
        let rules = PayerRules::parse(
            "payers.toml",
            "[[payer]]\nname = \"ACME HEALTH\"\nappeal_window_days = 180\n\
             [[payer.next_level]]\nwindow_days = 60\n",
        )
        .unwrap();
        let (item, _) = apply(&work_item("C1"), &filed("2026-11-05"), today()).unwrap();
        let upheld = WorkAction::decide(&item, &rules, AppealResult::Upheld, d("2026-11-20"), 0);
        let (item, _) = apply(&item, &upheld, today()).unwrap();
        // Corrected in a session without those rules: refused, nothing replaced.
        let fix = WorkAction::correct_decision(
            &item,
            &PayerRules::default(),
            AppealResult::Overturned,
            d("2026-11-20"),
            10_000,
            "misread",
        );
        let err = apply(&item, &fix, today()).unwrap_err().to_string();
        assert!(err.contains("has not loaded"), "{err}");
        // With them: level 1's own deadline, 180 days from the 2026-11-01 remittance.
        let fix = WorkAction::correct_decision(
            &item,
            &rules,
            AppealResult::Overturned,
            d("2026-11-20"),
            10_000,
            "misread",
        );
        let (fixed, _) = apply(&item, &fix, today()).unwrap();
        assert_eq!(fixed.appeal_deadline.date, d("2027-04-30"));
    }

    #[test]
    fn an_appeal_record_is_corrected_or_withdrawn_never_deleted_from_history() {
        let (item, _) = apply(&work_item("C1"), &filed("2026-11-05"), today()).unwrap();
        let fix = WorkAction::CorrectAppeal {
            level: 1,
            channel: Channel::Portal,
            submitted: d("2026-11-04"),
            response_due: d("2026-12-04"),
            documents: "records, letter".into(),
            reason: "sent through the portal a day earlier".into(),
        };
        let (fixed, events) = apply(&item, &fix, today()).unwrap();
        assert_eq!(fixed.appeals.len(), 1);
        assert_eq!(fixed.appeals[0].channel, Channel::Portal);
        assert!(matches!(
            &events[0],
            EventKind::AppealCorrected { after: Some(_), .. }
        ));
        // The same checks as filing: not before the denial (remitted 2026-11-01).
        let early = WorkAction::CorrectAppeal {
            level: 1,
            channel: Channel::Portal,
            submitted: d("2026-10-30"),
            response_due: d("2026-12-04"),
            documents: String::new(),
            reason: "typo".into(),
        };
        assert!(apply(&fixed, &early, today())
            .unwrap_err()
            .to_string()
            .contains("before the denial"));
        // Recorded on the wrong claim: withdrawn, the claim back in progress.
        let withdraw = WorkAction::WithdrawAppeal {
            reason: "recorded on the wrong claim".into(),
        };
        let (back, events) = apply(&fixed, &withdraw, today()).unwrap();
        assert!(back.appeals.is_empty());
        assert_eq!(back.status, Status::InProgress);
        assert!(events[0]
            .summary()
            .contains("withdrawn (recorded on the wrong claim)"));
        assert!(
            apply(&back, &withdraw, today()).is_err(),
            "nothing left to withdraw"
        );
    }
}

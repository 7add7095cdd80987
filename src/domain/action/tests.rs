use super::*;
use crate::domain::appeal::{AppealResult, Channel};
use crate::domain::payer_rules::{AppealDeadline, PayerRules};
use crate::domain::test_support::work_item;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

#[test]
fn logging_a_call_starts_work_and_sets_follow_up() {
    let item = work_item("C1");
    let call = PayerCall {
        rep_name: " Dana ".into(),
        reference: "REF-1".into(),
        outcome: "needs auth number".into(),
        next_action: Some("".into()),
        follow_up: Some(today() + chrono::Duration::days(7)),
    };
    let (next, events) = apply(&item, &WorkAction::LogCall(call), today()).unwrap();
    assert_eq!(next.status, Status::InProgress);
    assert_eq!(next.follow_up, Some(today() + chrono::Duration::days(7)));
    assert_eq!(events.len(), 3);
    match &events[0] {
        EventKind::PayerCall(c) => {
            assert_eq!(c.rep_name, "Dana");
            assert_eq!(c.next_action, None);
        }
        other => panic!("expected call first, got {other:?}"),
    }
}

#[test]
fn a_denial_without_appeal_rights_cannot_be_appealed_only_resubmitted() {
    let mut item = work_item("C1");
    item.appeal_rights = crate::domain::rarc::AppealRights::ResubmitOnly;
    item.remarks = vec!["MA130".into()];
    let appeal = WorkAction::FileAppeal {
        level: 1,
        channel: crate::domain::appeal::Channel::ALL[0],
        submitted: today(),
        response_due: today() + chrono::Duration::days(30),
        documents: String::new(),
    };
    let err = apply(&item, &appeal, today()).unwrap_err();
    assert!(
        err.to_string().contains("no appeal rights (remark MA130)"),
        "{err}"
    );
    let to_appealed = WorkAction::ChangeStatus {
        to: Status::Appealed,
        reason: None,
    };
    assert!(matches!(
        apply(&item, &to_appealed, today()),
        Err(ActionError::NoAppealRights { .. })
    ));
    let resubmit = WorkAction::ChangeStatus {
        to: Status::Resubmitted,
        reason: Some("corrected modifier".into()),
    };
    assert_eq!(
        apply(&item, &resubmit, today()).unwrap().0.status,
        Status::Resubmitted
    );
}

#[test]
fn control_characters_in_typed_text_are_refused() {
    let item = work_item("C1");
    for text in [
        "\u{1b}]52;c;cm0gLXJmIH4=\u{7}",
        "line one\n2026-11-24 maria note forged",
    ] {
        let err = apply(&item, &WorkAction::AddNote(text.into()), today()).unwrap_err();
        assert!(matches!(err, ActionError::ControlCharacter { .. }), "{err}");
        assert!(!err.to_string().chars().any(char::is_control), "{err:?}");
    }
}

#[test]
fn call_without_reference_is_refused() {
    let call = PayerCall {
        rep_name: "Dana".into(),
        reference: "  ".into(),
        outcome: "x".into(),
        next_action: None,
        follow_up: None,
    };
    let err = apply(&work_item("C1"), &WorkAction::LogCall(call), today()).unwrap_err();
    assert_eq!(
        err,
        ActionError::Missing {
            field: "call reference number"
        }
    );
}

#[test]
fn follow_up_in_the_past_is_refused() {
    let past = today() - chrono::Duration::days(1);
    let err = apply(
        &work_item("C1"),
        &WorkAction::SetFollowUp(Some(past)),
        today(),
    );
    assert!(matches!(err, Err(ActionError::FollowUpInPast { .. })));
    let (next, _) = apply(
        &work_item("C1"),
        &WorkAction::SetFollowUp(Some(today())),
        today(),
    )
    .unwrap();
    assert_eq!(next.follow_up, Some(today()));
}

#[test]
fn illegal_status_change_names_what_is_allowed() {
    let to_paid = WorkAction::ChangeStatus {
        to: Status::Paid,
        reason: None,
    };
    let err = apply(&work_item("C1"), &to_paid, today()).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("from new to paid"), "{text}");
    assert!(text.contains("in-progress"), "{text}");
}

#[test]
fn write_off_needs_a_reason_and_keeps_it() {
    let bare = WorkAction::ChangeStatus {
        to: Status::WrittenOff,
        reason: None,
    };
    assert_eq!(
        apply(&work_item("C1"), &bare, today()).unwrap_err(),
        ActionError::WriteOffNeedsReason
    );
    let with = WorkAction::ChangeStatus {
        to: Status::WrittenOff,
        reason: Some("timely filing".into()),
    };
    let (next, events) = apply(&work_item("C1"), &with, today()).unwrap();
    assert_eq!(next.status, Status::WrittenOff);
    assert_eq!(next.write_off_reason.as_deref(), Some("timely filing"));
    assert_eq!(events.len(), 1);
}

#[test]
fn assign_checks_the_user_name() {
    let (next, _) = apply(
        &work_item("C1"),
        &WorkAction::Assign(Some("maria".into())),
        today(),
    )
    .unwrap();
    assert_eq!(next.owner.as_deref(), Some("maria"));
    let err = apply(
        &work_item("C1"),
        &WorkAction::Assign(Some("bad name".into())),
        today(),
    );
    assert!(matches!(err, Err(ActionError::BadUserName(_))));
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Files an appeal at `level` on `sent` and records the payer's `result` on `decided`,
/// the next level's deadline read off the rules as the CLI and the form do.
fn appeal_and_decide(
    item: &WorkItem,
    rules: &PayerRules,
    level: u8,
    sent: &str,
    result: AppealResult,
    decided: &str,
) -> WorkItem {
    let filed = WorkAction::FileAppeal {
        level,
        channel: Channel::Mail,
        submitted: d(sent),
        response_due: d(sent) + chrono::Duration::days(60),
        documents: "letter".into(),
    };
    let (item, _) = apply(item, &filed, d(decided)).unwrap();
    let amount = if result == AppealResult::Upheld {
        0
    } else {
        100
    };
    let decide = WorkAction::decide(&item, rules, result, d(decided), amount);
    apply(&item, &decide, d(decided)).unwrap().0
}

#[test]
fn an_upheld_level_one_opens_level_two_with_its_own_clock_from_the_decision() {
    let mut item = work_item("C1");
    item.filing_indicator = "MB".into();
    let rules = PayerRules::default();
    // Medicare: redetermination upheld on 2026-11-20; the QIC reconsideration may be asked
    // within 180 days of that decision (42 CFR 405.962): 2026-11-20 + 180 = 2027-05-19.
    let l1 = appeal_and_decide(
        &item,
        &rules,
        1,
        "2026-11-02",
        AppealResult::Upheld,
        "2026-11-20",
    );
    assert_eq!(l1.status, Status::Upheld);
    assert_eq!(l1.status_label(), "upheld-l1");
    assert!(l1.status.is_open() && l1.resolved_on.is_none());
    assert_eq!(l1.appeal_deadline.date, d("2027-05-19"), "2026-11-20 + 180");
    assert_eq!(l1.appeal_deadline.source.appeal_level(), Some(2));
    assert_eq!(l1.next_appeal_level(), 2);
    // Ranked again on the new clock, and said so.
    let p = crate::domain::priority::priority(&l1, d("2026-11-24"));
    assert!(
        p.explanation.contains("level-2 appeal due in 176 days"),
        "{}",
        p.explanation
    );
    assert!(
        l1.appeal_deadline
            .source
            .describe(180)
            .contains("reconsideration (QIC)"),
        "{}",
        l1.appeal_deadline.source.describe(180)
    );
    // Level 2 upheld: the ALJ hearing is 60 days from that decision (42 CFR 405.1014).
    let l2 = appeal_and_decide(
        &l1,
        &rules,
        2,
        "2026-11-21",
        AppealResult::Upheld,
        "2026-11-23",
    );
    assert_eq!(l2.status_label(), "upheld-l2");
    assert_eq!(l2.appeal_deadline.date, d("2027-01-22"), "2026-11-23 + 60");
}

#[test]
fn an_upheld_last_level_is_final_and_closed() {
    // Aetna has one further level of its own: level 2 upheld leaves nothing to appeal.
    let rules = PayerRules::parse(
        "payers.toml",
        "[[payer]]\nname = \"Aetna\"\nappeal_window_days = 180\n\
         [[payer.next_level]]\nwindow_days = 60\nresponse_days = 30\n",
    )
    .unwrap();
    let mut item = work_item("C1");
    item.payer = "AETNA".into();
    let l1 = appeal_and_decide(
        &item,
        &rules,
        1,
        "2026-11-02",
        AppealResult::Upheld,
        "2026-11-10",
    );
    assert_eq!(l1.appeal_deadline.date, d("2027-01-09"), "2026-11-10 + 60");
    assert!(!l1.appeal_deadline.source.is_default());
    let l2 = appeal_and_decide(
        &l1,
        &rules,
        2,
        "2026-11-12",
        AppealResult::Upheld,
        "2026-11-20",
    );
    assert_eq!(l2.status, Status::FinalUpheld);
    assert!(!l2.status.is_open());
    assert_eq!(l2.resolved_on, Some(d("2026-11-20")));
    assert_eq!(
        l2.clock(d("2026-11-24")),
        crate::domain::work_item::Clock::Resolved
    );
    // A level 3 is refused: level 2 was the last, upheld.
    let filed = WorkAction::FileAppeal {
        level: 3,
        channel: Channel::Mail,
        submitted: d("2026-11-21"),
        response_due: d("2026-12-21"),
        documents: String::new(),
    };
    assert!(apply(&l2, &filed, today()).is_err());
    // Closing an upheld-l1 by hand is final too; only a reopening undoes it.
    let close = WorkAction::ChangeStatus {
        to: Status::FinalUpheld,
        reason: Some("not worth a second level".into()),
    };
    let (closed, _) = apply(&l1, &close, today()).unwrap();
    assert_eq!(closed.resolved_on, Some(today()));
    assert!(Status::FinalUpheld.can_move_to(Status::WrittenOff));
}

#[test]
fn a_next_level_deadline_that_does_not_follow_the_decision_is_refused() {
    let item = work_item("C1");
    let filed = WorkAction::FileAppeal {
        level: 1,
        channel: Channel::Mail,
        submitted: d("2026-11-02"),
        response_due: d("2026-12-02"),
        documents: String::new(),
    };
    let (item, _) = apply(&item, &filed, today()).unwrap();
    let wrong = WorkAction::DecideAppeal {
        result: AppealResult::Upheld,
        decided: d("2026-11-20"),
        amount_cents: 0,
        next_level: Some(AppealDeadline {
            date: d("2027-01-01"),
            window_days: 60,
            source: crate::domain::payer_rules::DeadlineSource::NextLevelDefault {
                level: 3,
                program: crate::domain::payer_rules::Program::Commercial,
            },
        }),
    };
    let err = apply(&item, &wrong, today()).unwrap_err().to_string();
    assert!(err.contains("does not follow a level 1 decision"), "{err}");
}

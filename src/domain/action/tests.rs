use super::*;
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
        packet: Default::default(),
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

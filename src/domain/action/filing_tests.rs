//! Filing and deciding appeals through `apply`: one open at a time, impossible records
//! refused, how long the payer has had it.

use super::*;
use crate::domain::action::{apply, WorkAction};
use crate::domain::appeal::{Appeal, AppealDecision, AppealResult, Channel};
use crate::domain::test_support::work_item;
use chrono::NaiveDate;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

#[test]
fn appeals_are_filed_once_at_a_time_and_decided() {
    let filed = WorkAction::FileAppeal {
        packet: Default::default(),
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
        next_level: None,
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
        packet: Default::default(),
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
fn impossible_appeal_records_are_refused_with_the_reason() {
    let filed = |level: u8, submitted: NaiveDate| WorkAction::FileAppeal {
        packet: Default::default(),
        level,
        channel: Channel::Fax,
        submitted,
        response_due: today() + chrono::Duration::days(30),
        documents: String::new(),
    };
    let item = work_item("C1");
    // Denied on 2026-11-01: an appeal cannot predate the denial it answers.
    let early = apply(
        &item,
        &filed(1, item.denied_on.pred_opt().unwrap()),
        today(),
    );
    assert!(early.unwrap_err().to_string().contains("before the denial"));
    let (item, _) = apply(&item, &filed(1, today()), today()).unwrap();
    // $500.00 denied: the payer cannot agree to pay $500.01 on appeal.
    let decide = |result, amount_cents| WorkAction::DecideAppeal {
        result,
        decided: today(),
        amount_cents,
        next_level: None,
    };
    let too_much = apply(&item, &decide(AppealResult::Overturned, 50_001), today());
    assert!(too_much
        .unwrap_err()
        .to_string()
        .contains("more than the $500.00"));
    let upheld = WorkAction::decide(
        &item,
        &crate::domain::payer_rules::PayerRules::default(),
        AppealResult::Upheld,
        today(),
        0,
    );
    let (item, _) = apply(&item, &upheld, today()).unwrap();
    // Level 1 upheld: another level-1 appeal is refused, level 2 is the way on.
    let again = apply(&item, &filed(1, today()), today()).unwrap_err();
    assert!(
        again.to_string().contains("the next appeal is level 2"),
        "{again}"
    );
    assert!(apply(&item, &filed(2, today()), today()).is_ok());
    // Awaiting the payer: the appeal reopens the claim in the same change.
    let mut waiting = work_item("C2");
    waiting.status = Status::AwaitingPayer;
    let (appealed, events) = apply(&waiting, &filed(1, today()), today()).unwrap();
    assert_eq!(appealed.status, Status::Appealed);
    let moves = events
        .iter()
        .filter(|e| matches!(e, EventKind::StatusChanged { .. }))
        .count();
    assert_eq!(moves, 2, "awaiting-payer → in-progress → appealed");
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

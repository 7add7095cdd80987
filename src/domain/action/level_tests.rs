//! Appeal levels through `apply`: an upheld level opens the next with its own clock, the
//! last is final, levels are climbed in turn, and only the appeal's records move the
//! clocks (a won appeal awaiting its money has met its deadline).

use super::*;
use crate::domain::appeal::{AppealResult, Channel};
use crate::domain::payer_rules::{AppealDeadline, PayerRules};
use crate::domain::test_support::work_item;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
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
        packet: Default::default(),
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
        packet: Default::default(),
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
        packet: Default::default(),
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

#[test]
fn the_clocks_move_only_through_the_appeal_records_and_levels_are_climbed_in_turn() {
    let rules = PayerRules::default();
    let item = work_item("C1");
    // A bare status cannot say an appeal was sent, nor that the payer upheld one.
    let bare = WorkAction::ChangeStatus {
        to: Status::Appealed,
        reason: None,
    };
    let err = apply(&item, &bare, today()).unwrap_err().to_string();
    assert!(err.contains("record the appeal itself"), "{err}");
    let l1 = appeal_and_decide(
        &item,
        &rules,
        1,
        "2026-11-02",
        AppealResult::Upheld,
        "2026-11-10",
    );
    // Level 2 is next: level 3 is refused until level 2 is decided.
    let skip = WorkAction::FileAppeal {
        packet: Default::default(),
        level: 3,
        channel: Channel::Mail,
        submitted: d("2026-11-12"),
        response_due: d("2026-12-12"),
        documents: String::new(),
    };
    let err = apply(&l1, &skip, today()).unwrap_err().to_string();
    assert!(
        err.contains("the next appeal on this claim is level 2"),
        "{err}"
    );
    // Closing as final needs a reason, like a write-off.
    let close = WorkAction::ChangeStatus {
        to: Status::FinalUpheld,
        reason: None,
    };
    assert!(apply(&l1, &close, today()).is_err());
    // With level 2 open, upheld is the decision's to say.
    let filed = WorkAction::FileAppeal {
        packet: Default::default(),
        level: 2,
        channel: Channel::Mail,
        submitted: d("2026-11-12"),
        response_due: d("2026-12-12"),
        documents: String::new(),
    };
    let (l2, _) = apply(&l1, &filed, today()).unwrap();
    let bare_upheld = WorkAction::ChangeStatus {
        to: Status::Upheld,
        reason: None,
    };
    let err = apply(&l2, &bare_upheld, today()).unwrap_err().to_string();
    assert!(err.contains("record the payer's decision"), "{err}");
    // A won appeal agrees to pay something.
    let nothing = WorkAction::decide(&l2, &rules, AppealResult::PartiallyOverturned, today(), 0);
    let err = apply(&l2, &nothing, today()).unwrap_err().to_string();
    assert!(err.contains("type the amount"), "{err}");
}

#[test]
fn a_won_appeal_awaiting_its_money_and_a_resubmitted_claim_met_their_deadline() {
    use crate::domain::work_item::Clock;
    let rules = PayerRules::default();
    let mut item = work_item("C1");
    // Its deadline long passed by the day we look.
    item.appeal_deadline.date = d("2026-11-20");
    let won = appeal_and_decide(
        &item,
        &rules,
        1,
        "2026-11-02",
        AppealResult::Overturned,
        "2026-11-18",
    );
    assert_eq!(won.status, Status::AwaitingPayer);
    assert_eq!(won.clock(d("2027-01-10")), Clock::WithPayer);
    let p = crate::domain::priority::priority(&won, d("2027-01-10"));
    assert!(
        p.explanation
            .contains("appeal won on 2026-11-18: awaiting the payment"),
        "{}",
        p.explanation
    );
    let mut resubmitted = item.clone();
    resubmitted.status = Status::Resubmitted;
    assert_eq!(resubmitted.clock(d("2027-01-10")), Clock::WithPayer);
    // Waiting on a promised reprocessing with no appeal: the deadline still runs.
    let mut waiting = item;
    waiting.status = Status::AwaitingPayer;
    assert!(matches!(
        waiting.clock(d("2027-01-10")),
        Clock::Deadline { days } if days < 0
    ));
}

#[test]
fn a_medicare_advantage_plan_forwards_an_upheld_reconsideration_to_the_ire_itself() {
    use crate::domain::work_item::Clock;
    let mut item = work_item("C1");
    item.filing_indicator = "16".into();
    let rules = PayerRules::default();
    let upheld = appeal_and_decide(
        &item,
        &rules,
        1,
        "2026-11-02",
        AppealResult::Upheld,
        "2026-11-20",
    );
    // Nothing to file: level 2 is open the day level 1 was upheld, the IRE's 60 days to
    // decide running (42 CFR 422.590(b)(2), 422.592).
    assert_eq!(upheld.status, Status::Appealed);
    let ire = upheld.open_appeal().expect("the forwarded level");
    assert_eq!((ire.level, ire.submitted), (2, d("2026-11-20")));
    assert_eq!(ire.response_due, d("2027-01-19"));
    assert!(ire.documents.contains("independent review entity"));
    assert_eq!(upheld.clock(d("2026-11-24")), Clock::WithPayer);
    // Its decision upheld too: the ALJ hearing is the provider's to ask, within 60 days.
    let decide = WorkAction::decide(&upheld, &rules, AppealResult::Upheld, d("2026-11-23"), 0);
    let (l2, _) = apply(&upheld, &decide, d("2026-11-24")).unwrap();
    assert_eq!(l2.status_label(), "upheld-l2");
    assert_eq!(l2.appeal_deadline.date, d("2027-01-22"));
}

//! Appeal flows: filing (and the claim it reopens), outcomes that are never accidental,
//! the next level an upheld outcome opens, and corrections that supersede a record.

use super::*;
use crate::domain::work_item::RowFields;

/// Files a level-1 appeal on the claim today, as maria.
fn file_level_one(store: &MemoryStore, claim: &str) {
    let appeal = WorkAction::FileAppeal {
        packet: Default::default(),
        level: 1,
        channel: crate::domain::appeal::Channel::Portal,
        submitted: today(),
        response_due: today() + chrono::Duration::days(60),
        documents: String::new(),
    };
    store.apply(claim, &appeal, today(), "maria").unwrap();
}

#[test]
fn an_appeal_on_a_claim_awaiting_the_payer_says_it_reopens_it_and_saves_both() {
    let mut waiting = work_item("WAIT");
    waiting.status = Status::AwaitingPayer;
    let mut paid = work_item("PAID");
    paid.status = Status::Paid;
    let store = MemoryStore::with_items(vec![waiting, paid]);
    let mut state = opened(&store);
    act(
        &mut state,
        &store,
        Intent::SetQueue(crate::domain::queue::Queue::All),
    );
    select(&mut state, "PAID");
    act(&mut state, &store, Intent::FileAppeal);
    assert_eq!(state.mode, Mode::Normal);
    assert!(said(&state).contains("reopen it first"));

    select(&mut state, "WAIT");
    act(&mut state, &store, Intent::FileAppeal);
    let Mode::Form(form) = &state.mode else {
        panic!("the appeal form opens")
    };
    assert!(form.note.as_ref().unwrap().contains("in-progress"));
    // The packet's required documents are not checked off: refused, naming them…
    act(&mut state, &store, Intent::Submit);
    let Mode::Form(form) = &state.mode else {
        panic!("the form stays open")
    };
    let error = form.error.clone().unwrap();
    assert!(
        error.contains("missing required documents: Appeal letter;")
            && error.contains("Why missing"),
        "{error}"
    );
    // …until the last field says why it goes without them.
    act(&mut state, &store, Intent::PrevField);
    typed(&mut state, &store, "records sent by the physician's office");
    act(&mut state, &store, Intent::Submit);
    assert_eq!(state.mode, Mode::Normal, "{:?}", state.message);
    let item = store.work_item("WAIT").unwrap().unwrap();
    assert_eq!((item.status, item.appeals.len()), (Status::Appealed, 1));
    let moves: Vec<String> = store
        .timeline("WAIT")
        .unwrap()
        .iter()
        .map(|e| e.kind.summary())
        .filter(|s| s.contains("status"))
        .collect();
    assert_eq!(moves.len(), 2, "{moves:?}");
}

#[test]
fn an_appeal_outcome_is_never_saved_by_an_untouched_enter() {
    let store = store();
    file_level_one(&store, "BIG");
    let mut state = opened(&store);
    act(
        &mut state,
        &store,
        Intent::SetQueue(crate::domain::queue::Queue::All),
    );
    select(&mut state, "BIG");
    act(&mut state, &store, Intent::AppealOutcome);
    let error = |state: &State| match &state.mode {
        Mode::Form(form) => form.error.clone().unwrap_or_default(),
        _ => panic!("the form stays open: {:?}", state.message),
    };
    act(&mut state, &store, Intent::Submit);
    assert!(
        error(&state).contains("Result: choose one"),
        "{}",
        error(&state)
    );
    // → picks the first result (overturned); its amount must be typed, never assumed $0.
    act(&mut state, &store, Edit::Right);
    act(&mut state, &store, Intent::Submit);
    assert!(error(&state).contains("Amount: type what the payer agreed to pay"));
    act(&mut state, &store, Intent::NextField);
    typed(&mut state, &store, "9,000.01");
    act(&mut state, &store, Intent::Submit);
    assert!(error(&state).contains("more than the $9,000.00 still denied"));
    for _ in 0..8 {
        act(&mut state, &store, Edit::DeleteBack);
    }
    typed(&mut state, &store, "8,500");
    act(&mut state, &store, Intent::Submit);
    assert_eq!(state.mode, Mode::Normal, "{:?}", state.message);
    let item = store.work_item("BIG").unwrap().unwrap();
    let decision = item.appeals[0].decision.as_ref().unwrap();
    assert_eq!(decision.amount_cents, 850_000);
}

#[test]
fn a_refused_appeal_does_not_leave_the_claim_reopened_and_nobody_unassigns() {
    let mut waiting = work_item("WAIT");
    waiting.status = Status::AwaitingPayer;
    waiting.owner = Some("devon".into());
    let store = MemoryStore::with_items(vec![waiting]);
    let mut state = opened(&store);
    act(
        &mut state,
        &store,
        Intent::SetQueue(crate::domain::queue::Queue::All),
    );
    act(&mut state, &store, Intent::FileAppeal);
    // Submitted a week from now: the appeal is refused, so nothing may be saved.
    for _ in 0..2 {
        act(&mut state, &store, Intent::NextField);
    }
    typed(&mut state, &store, "+7");
    act(&mut state, &store, Intent::Submit);
    let Mode::Form(form) = &state.mode else {
        panic!("the form stays open")
    };
    let error = form.error.clone().unwrap();
    assert!(
        error.contains("in the future") && error.ends_with("nothing saved"),
        "{error}"
    );
    let item = store.work_item("WAIT").unwrap().unwrap();
    assert_eq!((item.status, item.version), (Status::AwaitingPayer, 0));
    act(&mut state, &store, Intent::Back);
    assert!(said(&state).contains("nothing saved"));

    // `nobody` unassigns and `me` is the user, as on the command line.
    act(&mut state, &store, Intent::Assign);
    typed(&mut state, &store, "nobody");
    act(&mut state, &store, Intent::Submit);
    assert_eq!(store.work_item("WAIT").unwrap().unwrap().owner, None);
    act(&mut state, &store, Intent::Assign);
    typed(&mut state, &store, "me");
    act(&mut state, &store, Intent::Submit);
    assert_eq!(
        store.work_item("WAIT").unwrap().unwrap().owner.as_deref(),
        Some("maria")
    );
}

#[test]
fn the_appeal_form_expects_the_payers_answer_after_its_response_time() {
    let mut medicare = work_item("MCR");
    medicare.filing_indicator = "MB".into();
    let store = MemoryStore::with_items(vec![medicare, work_item("COM")]);
    let mut state = opened(&store);
    let suggested = |state: &State| match &state.mode {
        Mode::Form(form) => form.value(super::form::FieldId::ResponseDue).to_string(),
        _ => panic!("the appeal form opens: {:?}", state.message),
    };
    select(&mut state, "MCR");
    act(&mut state, &store, Intent::FileAppeal);
    assert_eq!(
        suggested(&state),
        "+60",
        "a Medicare contractor decides in 60 days"
    );
    act(&mut state, &store, Intent::Back);
    select(&mut state, "COM");
    act(&mut state, &store, Intent::FileAppeal);
    assert_eq!(suggested(&state), "+30");
}

#[test]
fn an_upheld_outcome_in_the_form_opens_the_next_level_and_the_appeal_form_offers_it() {
    let store = store();
    file_level_one(&store, "MID");
    let mut state = opened(&store);
    act(
        &mut state,
        &store,
        Intent::SetQueue(crate::domain::queue::Queue::All),
    );
    select(&mut state, "MID");
    act(&mut state, &store, Intent::AppealOutcome);
    // Overturned, partial, upheld: the third choice; no amount for an upheld appeal.
    for _ in 0..3 {
        act(&mut state, &store, Edit::Right);
    }
    act(&mut state, &store, Intent::Submit);
    assert_eq!(state.mode, Mode::Normal, "{:?}", state.message);
    let item = store.work_item("MID").unwrap().unwrap();
    // A commercial payer not in the rules: a second level within 60 days of the decision.
    assert_eq!(item.status_label(), "upheld-l1");
    assert_eq!(
        item.appeal_deadline.date,
        today() + chrono::Duration::days(60)
    );
    let row = state.worklist.whole_item(&item.key).unwrap();
    assert_eq!(row.status_label(), "upheld-l1");
    // Still open, so still in the open queue, and the next appeal is level 2.
    act(
        &mut state,
        &store,
        Intent::SetQueue(crate::domain::queue::Queue::Open),
    );
    select(&mut state, "MID");
    act(&mut state, &store, Intent::FileAppeal);
    match &state.mode {
        Mode::Form(form) => {
            let level = form
                .fields
                .iter()
                .find(|f| f.id == super::field::FieldId::Level)
                .unwrap();
            assert_eq!(level.value(), "2");
        }
        other => panic!("the appeal form opens: {other:?} {:?}", state.message),
    }
}

#[test]
fn o_on_a_decided_appeal_corrects_its_outcome_with_a_reason_and_the_timeline_keeps_both() {
    let store = store();
    file_level_one(&store, "MID");
    let item = store.work_item("MID").unwrap().unwrap();
    let upheld = WorkAction::decide(
        &item,
        &Default::default(),
        crate::domain::appeal::AppealResult::Upheld,
        today(),
        0,
    );
    store.apply("MID", &upheld, today(), "maria").unwrap();
    let mut state = opened(&store);
    select(&mut state, "MID");
    act(&mut state, &store, Intent::AppealOutcome);
    match &state.mode {
        Mode::Form(form) => {
            assert!(form.title().starts_with("Correct appeal outcome · MID"));
            assert!(form
                .note
                .as_deref()
                .unwrap_or("")
                .contains("recorded: upheld"));
        }
        other => panic!("the correction form opens: {other:?}"),
    }
    // Untouched, it would change nothing (and has no reason): refused, nothing saved.
    act(&mut state, &store, Intent::Submit);
    assert!(
        matches!(&state.mode, Mode::Form(f) if f.error.as_deref().unwrap_or("").contains("Reason is required"))
    );
    // Overturned (← from upheld, twice), $300.00, with a reason.
    act(&mut state, &store, Edit::Left);
    act(&mut state, &store, Edit::Left);
    act(&mut state, &store, Intent::NextField);
    typed(&mut state, &store, "300");
    act(&mut state, &store, Intent::NextField);
    act(&mut state, &store, Intent::NextField);
    typed(&mut state, &store, "misread the letter");
    act(&mut state, &store, Intent::Submit);
    assert_eq!(state.mode, Mode::Normal, "{:?}", state.message);
    let item = store.work_item("MID").unwrap().unwrap();
    assert_eq!(item.status, Status::AwaitingPayer);
    assert_eq!(
        item.appeals[0].decision.as_ref().unwrap().amount_cents,
        30_000
    );
    let said: Vec<String> = store
        .timeline("MID")
        .unwrap()
        .iter()
        .map(|e| e.kind.summary())
        .collect();
    assert!(
        said.iter().any(|s| s.contains("level 1 upheld on")),
        "{said:?}"
    );
    assert!(
        said.iter()
            .any(|s| s.contains("decision corrected (misread the letter)")),
        "{said:?}"
    );
}

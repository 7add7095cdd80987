//! The app's flows against the in-memory store: keys in, the worker's real effect code
//! run, state and store checked — no terminal, no sled, milliseconds each.

use super::worker::run_effect;
use super::worklist::LoadPhase;
use super::*;
use crate::domain::action::WorkAction;
use crate::domain::status::Status;
use crate::domain::test_support::{set_denied, work_item};
use crate::store::memory::MemoryStore;
use crate::store::WorkStore;
use chrono::NaiveDate;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

/// Three denials, the biggest first in priority.
fn store() -> MemoryStore {
    let items = [("BIG", 900_000), ("MID", 50_000), ("LOW", 1_000)]
        .into_iter()
        .map(|(id, cents)| {
            let mut item = work_item(id);
            set_denied(&mut item, cents);
            item
        })
        .collect();
    MemoryStore::with_items(items)
}

/// Feeds a message and runs the effects it asks for, as the worker would.
fn act(state: &mut State, store: &MemoryStore, msg: impl Into<Msg>) {
    for effect in update(state, msg) {
        for outcome in run_effect(store, "maria", effect) {
            act(state, store, outcome);
        }
    }
}

fn typed(state: &mut State, store: &MemoryStore, text: &str) {
    for c in text.chars() {
        act(state, store, Edit::Insert(c));
    }
}

fn opened(store: &MemoryStore) -> State {
    let mut state = State::new("maria", today(), false);
    act(&mut state, store, Intent::Refresh);
    state
}

/// The status line's text.
fn said(state: &State) -> String {
    state
        .message
        .as_ref()
        .map_or(String::new(), |m| m.text.clone())
}

/// Selects the claim with this CLP01 in the view.
fn select(state: &mut State, id: &str) {
    let at = state
        .worklist
        .view()
        .iter()
        .position(|&i| state.worklist.rows()[i].claim_id == id)
        .unwrap();
    state.worklist.select(at);
}

fn key(store: &MemoryStore, id: &str) -> String {
    store.work_item(id).unwrap().unwrap().key
}

#[test]
fn opening_shows_rows_first_then_whole_items() {
    let store = store();
    let mut state = State::new("maria", today(), false);
    let rows = run_effect(&store, "maria", Effect::OpenWorklist);
    assert!(matches!(rows[0], Outcome::ListLoaded(_)));
    let effects = update(&mut state, rows[0].clone());
    assert_eq!(state.worklist.phase(), LoadPhase::Rows);
    assert!(effects.contains(&Effect::LoadWorklist));
    // An appeal needs the claim's earlier appeals, which rows do not carry.
    update(&mut state, Intent::FileAppeal);
    assert!(said(&state).contains("still loading"));
    for outcome in run_effect(&store, "maria", Effect::LoadWorklist) {
        update(&mut state, outcome);
    }
    assert_eq!(state.worklist.phase(), LoadPhase::Whole);
    assert_eq!(state.selected_item().unwrap().claim_id, "BIG");
}

#[test]
fn a_call_logged_from_the_claim_pane_is_saved_audited_and_the_next_claim_opens() {
    let store = store();
    let mut state = opened(&store);
    act(&mut state, &store, Intent::Open);
    assert_eq!(state.claim.detail.as_ref().unwrap().key, key(&store, "BIG"));
    act(&mut state, &store, Intent::LogCall);
    typed(&mut state, &store, "Dana");
    act(&mut state, &store, Intent::NextField);
    typed(&mut state, &store, "R-9");
    act(&mut state, &store, Intent::Submit);
    assert_eq!(state.mode, Mode::Normal);
    assert!(said(&state).contains("payer call logged"));
    let timeline = store.timeline("BIG").unwrap();
    assert!(timeline[0].kind.summary().contains("rep Dana, ref R-9"));
    let audit = store.audit_log();
    assert_eq!((audit.len(), audit[0].user.as_str()), (1, "maria"));
    // The follow-up (+7) parked BIG: J opens the claim now next in the queue.
    act(&mut state, &store, Intent::NextClaim);
    assert_eq!(state.claim.detail.as_ref().unwrap().key, key(&store, "MID"));
}

#[test]
fn a_teammates_save_since_the_form_opened_is_not_overwritten() {
    let store = store();
    let mut state = opened(&store);
    act(&mut state, &store, Intent::ChangeStatus);
    // Devon changes the claim meanwhile.
    store
        .apply(
            "BIG",
            &WorkAction::Assign(Some("devon".into())),
            today(),
            "devon",
        )
        .unwrap();
    act(&mut state, &store, Intent::Submit);
    let Mode::Form(form) = &state.mode else {
        panic!("the form stays open")
    };
    assert!(form.error.as_ref().unwrap().contains("changed by devon"));
    let big = state.worklist.row(&key(&store, "BIG")).unwrap();
    assert_eq!(big.owner.as_deref(), Some("devon"), "reloaded at once");
    // Enter again applies the change on top of what devon saved.
    act(&mut state, &store, Intent::Submit);
    assert_eq!(state.mode, Mode::Normal);
    let saved = store.work_item("BIG").unwrap().unwrap();
    assert_eq!(
        (saved.status, saved.owner.as_deref()),
        (Status::InProgress, Some("devon"))
    );
}

#[test]
fn on_the_idle_screen_a_key_only_unlocks_but_results_still_arrive() {
    let store = store();
    let mut state = opened(&store);
    act(&mut state, &store, Msg::Idle);
    assert!(state.idle_locked);
    // A teammate's save lands behind the lock.
    let changed = store
        .apply("LOW", &WorkAction::AddNote("seen".into()), today(), "devon")
        .unwrap();
    act(
        &mut state,
        &store,
        Outcome::TeamChanged(vec![changed.clone()]),
    );
    assert_eq!(
        state.worklist.row(&changed.key).unwrap().version,
        changed.version
    );
    // The key that wakes the screen does nothing else (q would have quit).
    act(&mut state, &store, Intent::Quit);
    assert!(!state.idle_locked && !state.quit);
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
    let appeal = WorkAction::FileAppeal {
        level: 1,
        channel: crate::domain::appeal::Channel::Portal,
        submitted: today(),
        response_due: today() + chrono::Duration::days(60),
        documents: String::new(),
    };
    store.apply("BIG", &appeal, today(), "maria").unwrap();
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
    let appeal = WorkAction::FileAppeal {
        level: 1,
        channel: crate::domain::appeal::Channel::Portal,
        submitted: today(),
        response_due: today() + chrono::Duration::days(60),
        documents: String::new(),
    };
    store.apply("MID", &appeal, today(), "maria").unwrap();
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

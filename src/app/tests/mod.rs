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
    store.work_item(id).unwrap().unwrap().key.into()
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
    assert_eq!(state.selected_row().unwrap().claim_id, "BIG");
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

mod appeals;

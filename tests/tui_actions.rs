//! What a person does: forms, search and filter, bulk changes and appeals, fed as actions
//! through `update` with the real worker against a temporary store.

mod common;

use chrono::NaiveDate;
use common::app::*;
use common::*;
use denialdesk::app::{update, Edit, Effect, Intent, Mode, Outcome, Pane};
use denialdesk::domain::queue::Queue;
use denialdesk::store::WorkStore;

#[test]
fn call_form_validates_inline_then_saves_durably() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::LogCall);
    act(&mut state, &store, Intent::Submit);
    let screen = draw(&state, 80, 24);
    assert!(screen.contains("✗ Rep name is required"), "{screen}");
    assert!(matches!(state.mode, Mode::Form(_)));

    typed(&mut state, &store, "Dana");
    act(&mut state, &store, Intent::NextField);
    typed(&mut state, &store, "R-9");
    for _ in 0..3 {
        act(&mut state, &store, Intent::NextField);
    }
    typed(&mut state, &store, "resubmit with auth");
    act(&mut state, &store, Intent::NextField);
    let screen = draw(&state, 80, 24);
    assert!(
        screen.contains("▏+7  → Tue 2026-12-01"),
        "the suggestion (cursor before it: typing replaces it) and its resolved date show before saving:\n{screen}"
    );
    let effects = act(&mut state, &store, Intent::Submit);
    let big = key_of(&store, "BIG1");
    assert!(matches!(&effects[0], Effect::Apply { changes, .. } if changes[0].0 == big));
    assert_eq!(state.mode, Mode::Normal);
    assert!(draw(&state, 80, 24).contains("saved: payer call logged"));
    let item = store.work_item("BIG1").unwrap().unwrap();
    assert_eq!(item.follow_up, NaiveDate::from_ymd_opt(2026, 12, 1));
    let timeline = store.timeline("BIG1").unwrap();
    assert!(timeline
        .iter()
        .any(|e| e.user == "maria" && e.kind.summary().contains("rep Dana, ref R-9")));
    // The follow-up parks the claim out of the Open queue until that day.
    assert!(state
        .worklist
        .view()
        .iter()
        .all(|&i| state.worklist.rows()[i].claim_id != "BIG1"));
}

#[test]
fn a_failed_save_keeps_the_form_and_says_why() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::AddNote);
    typed(&mut state, &store, "called twice");
    // The claim disappears from the store behind the UI's back: the save must fail.
    update(
        &mut state,
        Outcome::Failed("not saved: BIG1: database error: disk full".into()),
    );
    let Mode::Form(form) = &state.mode else {
        panic!("form must stay open")
    };
    assert_eq!(form.fields[0].value(), "called twice");
    assert!(draw(&state, 80, 24).contains("disk full"));
}

#[test]
fn follow_up_accepts_relative_dates_and_refuses_past_ones() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::SetFollowUp);
    for _ in 0..2 {
        act(&mut state, &store, Edit::DeleteBack);
    }
    typed(&mut state, &store, "2026-01-01");
    act(&mut state, &store, Intent::Submit);
    assert!(draw(&state, 80, 24).contains("is in the past"));
    for _ in 0..10 {
        act(&mut state, &store, Edit::DeleteBack);
    }
    typed(&mut state, &store, "mon");
    act(&mut state, &store, Intent::Submit);
    assert_eq!(
        store.work_item("BIG1").unwrap().unwrap().follow_up,
        NaiveDate::from_ymd_opt(2026, 11, 30)
    );
}

#[test]
fn search_filter_queues_and_sort() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::StartSearch);
    typed(&mut state, &store, "small");
    act(&mut state, &store, Intent::Submit);
    assert_eq!(state.selected_row().unwrap().claim_id, "SMALL2");
    act(&mut state, &store, Intent::NextMatch);
    assert_eq!(
        state.selected_row().unwrap().claim_id,
        "SMALL2",
        "only one match"
    );
    act(&mut state, &store, Intent::StartFilter);
    typed(&mut state, &store, "197");
    assert_eq!(
        state.worklist.view().len(),
        1,
        "the filter narrows as you type"
    );
    act(&mut state, &store, Intent::Submit);
    assert!(draw(&state, 80, 24).contains("filter \"197\""));
    act(&mut state, &store, Intent::Back);
    assert_eq!(state.worklist.view().len(), 2);
    act(&mut state, &store, Intent::SetQueue(Queue::Resolved));
    assert!(state.worklist.view().is_empty());
    assert!(draw(&state, 80, 24).contains("no claims in this queue"));
    act(&mut state, &store, Intent::SetQueue(Queue::Open));
    act(&mut state, &store, Intent::CycleSort);
    assert_eq!(state.worklist.sort().0.key(), "deadline");
}

#[test]
fn bulk_status_change_applies_to_every_marked_claim() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::ToggleMark);
    act(&mut state, &store, Intent::ToggleMark);
    assert_eq!(state.worklist.marked.len(), 2);
    act(&mut state, &store, Intent::ChangeStatus);
    let Mode::Form(form) = &state.mode else {
        panic!("status form")
    };
    assert_eq!(
        form.fields[0].value(),
        "in-progress",
        "only legal moves are offered"
    );
    act(&mut state, &store, Intent::Submit);
    for id in ["BIG1", "SMALL2"] {
        assert_eq!(
            store.work_item(id).unwrap().unwrap().status.key(),
            "in-progress"
        );
    }
    assert!(state.worklist.marked.is_empty());
    assert!(draw(&state, 80, 24).contains("status changed on 2 claims"));
}

#[test]
fn actions_in_the_claim_pane_stay_on_the_open_claim_after_it_leaves_the_queue() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::Open);
    act(&mut state, &store, Intent::SetFollowUp);
    act(&mut state, &store, Intent::Submit); // +7: BIG1 is parked and leaves the Open queue
    assert_eq!(state.selected_row().unwrap().claim_id, "SMALL2");
    act(&mut state, &store, Intent::AddNote);
    typed(&mut state, &store, "still on BIG1");
    act(&mut state, &store, Intent::Submit);
    assert!(store
        .timeline("BIG1")
        .unwrap()
        .iter()
        .any(|e| e.kind.summary().contains("still on BIG1")));
    assert!(store
        .timeline("SMALL2")
        .unwrap()
        .iter()
        .all(|e| !e.kind.summary().contains("note")));
}

#[test]
fn appeals_are_recorded_by_form_and_listed_with_overdue_responses_standing_out() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::Open);
    act(&mut state, &store, Intent::FileAppeal);
    let Mode::Form(form) = &state.mode else {
        panic!("appeal form")
    };
    assert_eq!(form.fields[0].value(), "1");
    act(&mut state, &store, Intent::NextField);
    act(&mut state, &store, Edit::Right); // portal → fax
    act(&mut state, &store, Intent::NextField);
    for _ in 0..5 {
        act(&mut state, &store, Edit::DeleteBack);
    }
    typed(&mut state, &store, "2026-11-02");
    act(&mut state, &store, Intent::NextField);
    for _ in 0..3 {
        act(&mut state, &store, Edit::DeleteBack);
    }
    typed(&mut state, &store, "today");
    act(&mut state, &store, Intent::NextField);
    typed(&mut state, &store, "op notes");
    // The authorization denial's packet: its required documents, each checked off by
    // typing where it is; the form fits 80x24 with the checklist in it.
    for reference in ["faxed with cover", "835 page 2", "", "auth 55-1203"] {
        act(&mut state, &store, Intent::NextField);
        typed(&mut state, &store, reference);
    }
    let form = draw(&state, 80, 24);
    assert!(form.contains("Level 1 packet (authorization)"), "{form}");
    assert!(form.contains("[x] Appeal letter*"), "{form}");
    assert!(
        form.contains("[x] Authorization on file (or why none was needed)*"),
        "{form}"
    );
    assert!(
        form.contains("[ ] Records showing why the care could not wait "),
        "{form}"
    );
    assert!(form.contains("Why missing"), "{form}");
    act(&mut state, &store, Intent::Submit);
    assert_eq!(state.mode, Mode::Normal, "{:?}", state.message);
    let item = store.work_item("BIG1").unwrap().unwrap();
    assert_eq!(item.status.key(), "appealed");
    assert_eq!(item.appeals[0].channel.key(), "fax");
    assert_eq!(
        item.appeals[0].documents,
        "Appeal letter (faxed with cover); Remittance (835/EOB) showing the denial (835 page 2); Authorization on file (or why none was needed) (auth 55-1203); op notes"
    );

    act(&mut state, &store, Intent::ShowPane(Pane::Appeals));
    let screen = draw(&state, 80, 24);
    let row = screen
        .lines()
        .find(|l| l.contains("BIG1"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(
        row.contains("L1") && row.contains("fax") && row.contains("pending"),
        "{row}"
    );
    assert!(row.contains("22d"), "waiting since 2026-11-02: {row}");
    assert!(
        screen.contains("0 overdue"),
        "due today is not yet overdue:\n{screen}"
    );

    act(&mut state, &store, Intent::ShowPane(Pane::Claim));
    act(&mut state, &store, Intent::AppealOutcome);
    typed(&mut state, &store, "o"); // Result: overturned
    act(&mut state, &store, Intent::NextField);
    typed(&mut state, &store, "812.40");
    act(&mut state, &store, Intent::Submit);
    let item = store.work_item("BIG1").unwrap().unwrap();
    assert_eq!(item.status.key(), "awaiting-payer");
    assert_eq!(
        item.appeals[0].decision.as_ref().unwrap().amount_cents,
        81240
    );
    act(&mut state, &store, Intent::ShowPane(Pane::Appeals));
    assert!(draw(&state, 80, 24).contains("overturned"));
}

#[test]
fn a_conflicting_save_is_refused_reloaded_and_can_be_reapplied() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::SetFollowUp);
    for _ in 0..12 {
        act(&mut state, &store, Edit::DeleteBack);
    }
    typed(&mut state, &store, "+7");
    // A teammate saves the same claim while the form is open.
    store
        .apply(
            "BIG1",
            &denialdesk::domain::action::WorkAction::Assign(Some("devon".into())),
            today(),
            "devon",
        )
        .unwrap();
    act(&mut state, &store, Intent::Submit);
    let Mode::Form(form) = &state.mode else {
        panic!("the form must stay open")
    };
    assert_eq!(form.fields[0].value(), "+7", "what was typed is kept");
    let error = form.error.clone().unwrap();
    assert!(error.contains("changed by devon"), "{error}");
    assert_eq!(
        state
            .worklist
            .rows()
            .iter()
            .find(|i| i.claim_id == "BIG1")
            .unwrap()
            .owner
            .as_deref(),
        Some("devon"),
        "reloaded"
    );
    act(&mut state, &store, Intent::Submit);
    assert_eq!(state.mode, Mode::Normal);
    let item = store.work_item("BIG1").unwrap().unwrap();
    assert_eq!(
        item.owner.as_deref(),
        Some("devon"),
        "the teammate's change is kept"
    );
    assert_eq!(item.follow_up, Some(today() + chrono::Duration::days(7)));
}

#[test]
fn a_note_is_saved_even_when_a_teammate_changed_the_claim_meanwhile() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::AddNote);
    typed(&mut state, &store, "my note");
    store
        .apply(
            "BIG1",
            &denialdesk::domain::action::WorkAction::Assign(Some("devon".into())),
            today(),
            "devon",
        )
        .unwrap();
    act(&mut state, &store, Intent::Submit);
    assert_eq!(state.mode, Mode::Normal, "append-only: no conflict");
    let item = store.work_item("BIG1").unwrap().unwrap();
    assert_eq!(item.owner.as_deref(), Some("devon"));
    assert!(store
        .timeline("BIG1")
        .unwrap()
        .iter()
        .any(|e| e.kind.summary() == "note: my note"));
}

/// Files a level-1 appeal on `claim`, answer due in `days`.
fn appeal(store: &denialdesk::store::SledStore, claim: &str, days: i64) {
    use denialdesk::domain::action::WorkAction;
    use denialdesk::domain::appeal::Channel;
    store
        .apply(
            claim,
            &WorkAction::FileAppeal {
                packet: Default::default(),
                level: 1,
                channel: Channel::Portal,
                submitted: today(),
                response_due: today() + chrono::Duration::days(days),
                documents: "records".into(),
            },
            today(),
            "maria",
        )
        .unwrap();
}

#[test]
fn the_appeals_pane_has_its_own_cursor_and_acts_on_the_highlighted_appeal() {
    let (_dir, store) = small_store();
    appeal(&store, "BIG1", 10);
    appeal(&store, "SMALL2", 30);
    let mut state = loaded(&store);
    assert_eq!(
        state.selected_row().unwrap().claim_id,
        "BIG1",
        "the worklist's pick"
    );
    act(&mut state, &store, Intent::ShowPane(Pane::Appeals));
    act(&mut state, &store, Intent::Down);
    let screen = draw(&state, 80, 24);
    let highlighted = screen.lines().find(|l| l.starts_with('▶')).unwrap();
    assert!(highlighted.contains("SMALL2"), "{screen}");
    // A note from here goes to the highlighted appeal's claim, not the worklist's pick.
    act(&mut state, &store, Intent::AddNote);
    typed(&mut state, &store, "payer has the records");
    act(&mut state, &store, Intent::Submit);
    let notes = |claim: &str| {
        store
            .timeline(claim)
            .unwrap()
            .iter()
            .filter(|e| e.kind.summary() == "note: payer has the records")
            .count()
    };
    assert_eq!((notes("SMALL2"), notes("BIG1")), (1, 0));
    // Enter opens the second appeal's claim.
    let effects = act(&mut state, &store, Intent::Open);
    assert_eq!(effects, vec![Effect::LoadDetail(key_of(&store, "SMALL2"))]);
    assert_eq!(state.pane, Pane::Claim);
    assert!(draw(&state, 80, 24).contains("SMALL2  payer claim"));
}

#[test]
fn the_appeals_pane_scrolls_to_every_appeal() {
    let (dir, store) = temp_store();
    let mut body = header("AETNA", "60054", "20261101", "T1");
    for n in 0..40 {
        body.extend(claim(&format!("AP{n:02}"), 1, "100", "0", &["CO*50*100"]));
    }
    import(&store, "many.835", &interchange(&STAR, 1, &[body])).unwrap();
    for n in 0..40 {
        appeal(&store, &format!("AP{n:02}"), 10 + n);
    }
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::ShowPane(Pane::Appeals));
    for _ in 0..39 {
        act(&mut state, &store, Intent::Down);
    }
    let screen = draw(&state, 80, 24);
    let highlighted = screen.lines().find(|l| l.starts_with('▶')).unwrap();
    assert!(
        highlighted.contains("AP39"),
        "the last appeal is reachable:\n{screen}"
    );
    act(&mut state, &store, Intent::Top);
    let screen = draw(&state, 80, 24);
    assert!(screen
        .lines()
        .find(|l| l.starts_with('▶'))
        .unwrap()
        .contains("AP00"));
    drop(dir);
}

#[test]
fn j_and_k_walk_the_queue_without_leaving_the_claim_pane() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::Open);
    assert!(draw(&state, 80, 24).contains("BIG1  payer claim"));
    let effects = act(&mut state, &store, Intent::NextClaim);
    assert_eq!(effects, vec![Effect::LoadDetail(key_of(&store, "SMALL2"))]);
    assert_eq!(state.pane, Pane::Claim);
    assert!(draw(&state, 80, 24).contains("SMALL2  payer claim"));
    // A call logged now goes to the claim on screen.
    act(&mut state, &store, Intent::PrevClaim);
    assert!(draw(&state, 80, 24).contains("BIG1  payer claim"));
    act(&mut state, &store, Intent::PrevClaim);
    assert!(
        draw(&state, 80, 24).contains("BIG1  payer claim"),
        "stays at the first"
    );
}

fn search(state: &mut denialdesk::app::State, store: &denialdesk::store::SledStore, text: &str) {
    act(state, store, Intent::StartSearch);
    typed(state, store, text);
    act(state, store, Intent::Submit);
}

#[test]
fn search_ignores_punctuation_counts_matches_looks_in_every_queue_and_respects_privacy() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    // Both claims are Jane Doe's and Aetna's: punctuation and case do not matter.
    search(&mut state, &store, "doe jane");
    assert!(
        draw(&state, 80, 24).contains("match 1 of 2"),
        "{}",
        draw(&state, 80, 24)
    );
    // No match anywhere: the cursor stays where it was.
    act(&mut state, &store, Intent::Down);
    let before = state.selected_row().unwrap().claim_id.clone();
    search(&mut state, &store, "zzz");
    assert_eq!(state.selected_row().unwrap().claim_id, before);
    assert!(draw(&state, 80, 24).contains("no match for \"zzz\""));
    // A claim parked out of the Open queue is found in All, saying so.
    store
        .apply(
            "BIG1",
            &denialdesk::domain::action::WorkAction::SetFollowUp(Some(
                today() + chrono::Duration::days(10),
            )),
            today(),
            "maria",
        )
        .unwrap();
    let mut state = loaded(&store);
    assert!(state
        .worklist
        .view()
        .iter()
        .all(|&i| state.worklist.rows()[i].claim_id != "BIG1"));
    search(&mut state, &store, "big1");
    assert_eq!(state.worklist.queue(), Queue::All);
    assert_eq!(state.selected_row().unwrap().claim_id, "BIG1");
    assert!(draw(&state, 80, 24).contains("now showing All"));
    // Privacy on: a hidden name is not searchable.
    act(&mut state, &store, Intent::TogglePrivacy);
    search(&mut state, &store, "doe");
    let screen = draw(&state, 80, 24);
    assert!(
        screen.contains("no match") && screen.contains("privacy"),
        "{screen}"
    );
}

#[test]
fn a_follow_up_on_a_weekend_or_after_the_deadline_asks_once_with_the_reason() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::SetFollowUp);
    for _ in 0..12 {
        act(&mut state, &store, Edit::DeleteBack);
    }
    // 2026-11-28 is a Saturday; US form.
    typed(&mut state, &store, "11/28");
    act(&mut state, &store, Intent::Submit);
    let screen = draw(&state, 80, 24);
    assert!(screen.contains("Sat 2026-11-28 is a weekend"), "{screen}");
    assert!(matches!(state.mode, Mode::Form(_)), "not saved yet");
    act(&mut state, &store, Intent::Submit);
    assert_eq!(state.mode, Mode::Normal);
    assert_eq!(
        store.work_item("BIG1").unwrap().unwrap().follow_up,
        NaiveDate::from_ymd_opt(2026, 11, 28)
    );
    // After the appeal deadline (90 days from 2026-11-01): said, with the deadline.
    act(&mut state, &store, Intent::SetFollowUp);
    for _ in 0..12 {
        act(&mut state, &store, Edit::DeleteBack);
    }
    typed(&mut state, &store, "feb 3");
    act(&mut state, &store, Intent::Submit);
    let screen = draw(&state, 80, 24);
    assert!(screen.contains("after the appeal deadline"), "{screen}");
}

#[test]
fn mark_all_marks_every_claim_shown_and_says_how_many_changed() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::MarkAll);
    assert_eq!(state.worklist.marked.len(), 2);
    assert!(draw(&state, 80, 24).contains("2 claims marked"));
    act(&mut state, &store, Intent::AssignToMe);
    assert!(
        draw(&state, 80, 24).contains("on 2 claims"),
        "{}",
        draw(&state, 80, 24)
    );
    for id in ["BIG1", "SMALL2"] {
        assert_eq!(
            store.work_item(id).unwrap().unwrap().owner.as_deref(),
            Some("maria")
        );
    }
    act(&mut state, &store, Intent::MarkAll);
    act(&mut state, &store, Intent::MarkAll);
    assert!(state.worklist.marked.is_empty(), "a second * clears");
}

#[test]
fn an_empty_database_says_which_it_is_and_what_to_do() {
    let (_dir, store) = temp_store();
    let mut state = denialdesk::app::State::new("maria", today(), false);
    state.database = "/home/maria/.local/share/denialdesk/db".into();
    act(&mut state, &store, Intent::Refresh);
    let screen = draw(&state, 80, 24);
    assert!(
        screen.contains("/home/maria/.local/share/denialdesk/db"),
        "{screen}"
    );
    assert!(screen.contains("denialdesk import FILE.835") && screen.contains("denialdesk demo"));
}

#[test]
fn the_filter_takes_fields_amounts_and_words_and_says_when_nothing_matches() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    let filter = |state: &mut denialdesk::app::State, text: &str| {
        act(state, &store, Intent::StartFilter);
        typed(state, &store, text);
        act(state, &store, Intent::Submit);
        state
            .worklist
            .view()
            .iter()
            .map(|&i| state.worklist.rows()[i].claim_id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(filter(&mut state, "payer:aetna >1000"), vec!["BIG1"]);
    act(&mut state, &store, Intent::Back);
    assert_eq!(filter(&mut state, "carc:16 status:new"), vec!["SMALL2"]);
    act(&mut state, &store, Intent::Back);
    assert!(filter(&mut state, "colour:red").len() == 2);
    assert!(draw(&state, 80, 24).contains("colour: no such field"));
    act(&mut state, &store, Intent::Back);
    assert!(filter(&mut state, "owner:devon").is_empty());
    assert!(draw(&state, 80, 24).contains("no match for \"owner:devon\""));
    // Sorts shared with `list`: by payer, and reversed.
    act(&mut state, &store, Intent::Back);
    act(&mut state, &store, Intent::ReverseSort);
    let order: Vec<_> = state
        .worklist
        .view()
        .iter()
        .map(|&i| state.worklist.rows()[i].claim_id.clone())
        .collect();
    assert_eq!(order, vec!["SMALL2", "BIG1"], "priority reversed");
}

#[test]
fn the_payers_phone_and_portal_show_on_the_claim_and_in_the_call_form() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    state.payer_rules = denialdesk::domain::payer_rules::PayerRules::parse(
        "payers.toml",
        "[[payer]]\nname = \"AETNA\"\nids = [\"60054\"]\nappeal_window_days = 180\nphone = \"1-800-555-0100\"\nportal = \"https://availity.example\"\n",
    )
    .unwrap();
    act(&mut state, &store, Intent::Open);
    let claim = draw(&state, 100, 30);
    assert!(
        claim.contains("phone 1-800-555-0100 · portal https://availity.example"),
        "{claim}"
    );
    act(&mut state, &store, Intent::LogCall);
    let form = draw(&state, 100, 30);
    assert!(form.contains("AETNA: 1-800-555-0100"), "{form}");
}

#[test]
fn assigning_completes_known_users_and_asks_before_an_unknown_name() {
    let (_dir, store) = small_store();
    store
        .apply(
            "SMALL2",
            &denialdesk::domain::action::WorkAction::Assign(Some("devon".into())),
            today(),
            "devon",
        )
        .unwrap();
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::Assign);
    for _ in 0..5 {
        act(&mut state, &store, Edit::DeleteBack);
    }
    typed(&mut state, &store, "de");
    assert!(
        draw(&state, 80, 24).contains("→ devon"),
        "{}",
        draw(&state, 80, 24)
    );
    act(&mut state, &store, Edit::Right);
    act(&mut state, &store, Intent::Submit);
    assert_eq!(
        store.work_item("BIG1").unwrap().unwrap().owner.as_deref(),
        Some("devon")
    );
    // A typo is not silently a new owner.
    act(&mut state, &store, Intent::Assign);
    for _ in 0..5 {
        act(&mut state, &store, Edit::DeleteBack);
    }
    typed(&mut state, &store, "dvon");
    act(&mut state, &store, Intent::Submit);
    assert!(draw(&state, 100, 24).contains("dvon owns nothing here"));
    assert_eq!(
        store.work_item("BIG1").unwrap().unwrap().owner.as_deref(),
        Some("devon")
    );
    act(&mut state, &store, Intent::Submit);
    assert_eq!(
        store.work_item("BIG1").unwrap().unwrap().owner.as_deref(),
        Some("dvon"),
        "confirmed"
    );
}

#[test]
fn appeal_forms_open_only_when_the_claim_allows_them_and_say_why_not() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    // No appeal yet: an outcome has nothing to decide.
    act(&mut state, &store, Intent::AppealOutcome);
    assert_eq!(state.mode, Mode::Normal);
    assert!(draw(&state, 80, 24).contains("no open appeal on this claim"));
    // One open: a second is refused before anything is typed.
    appeal(&store, "BIG1", 30);
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::FileAppeal);
    assert_eq!(state.mode, Mode::Normal);
    assert!(
        draw(&state, 100, 24).contains("an appeal is still open"),
        "{}",
        draw(&state, 100, 24)
    );
    act(&mut state, &store, Intent::AppealOutcome);
    assert!(
        matches!(state.mode, Mode::Form(_)),
        "the outcome form opens"
    );
}

#[test]
fn typing_replaces_a_suggested_value_and_the_shell_keys_edit_a_field() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    // The follow-up form suggests +7: typing replaces it, no Backspace needed.
    act(&mut state, &store, Intent::SetFollowUp);
    typed(&mut state, &store, "+14");
    let Mode::Form(form) = &state.mode else {
        panic!("follow-up form")
    };
    assert_eq!(form.fields[0].value(), "+14");
    assert!(draw(&state, 80, 24).contains("+14▏  → Tue 2026-12-08"));
    act(&mut state, &store, Intent::Back);

    // A note: fix a word in the middle without retyping the rest.
    act(&mut state, &store, Intent::AddNote);
    typed(&mut state, &store, "payer says resubmit with auth");
    act(&mut state, &store, Edit::WordLeft);
    act(&mut state, &store, Edit::WordLeft);
    act(&mut state, &store, Edit::Left);
    act(&mut state, &store, Edit::DeleteWordBack);
    typed(&mut state, &store, "rebill");
    act(&mut state, &store, Edit::End);
    typed(&mut state, &store, " #4411");
    let Mode::Form(form) = &state.mode else {
        panic!("note form")
    };
    assert_eq!(form.fields[0].value(), "payer says rebill with auth #4411");
    act(&mut state, &store, Edit::Home);
    act(&mut state, &store, Edit::DeleteToEnd);
    let Mode::Form(form) = &state.mode else {
        panic!("note form")
    };
    assert_eq!(form.fields[0].value(), "");
    act(&mut state, &store, Intent::Back);

    // Assigning: the own name is suggested; → at the end completes a known user.
    act(&mut state, &store, Intent::Assign);
    typed(&mut state, &store, "ma");
    act(&mut state, &store, Edit::Right);
    let Mode::Form(form) = &state.mode else {
        panic!("assign form")
    };
    assert_eq!(
        form.fields[0].value(),
        "maria",
        "completed from the known users"
    );
}

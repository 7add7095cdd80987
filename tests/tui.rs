//! The TUI without a terminal: actions fed to `update` (with the real worker code against
//! a temporary store), and frames drawn to ratatui's TestBackend, asserting what a person
//! would see at 80x24 and 120x40.

mod common;

use chrono::NaiveDate;
use common::*;
use denialdesk::app::worker::run_effect;
use denialdesk::app::{update, Action, Effect, Mode, Pane, State};
use denialdesk::domain::queue::Queue;
use denialdesk::keymap::Keymap;
use denialdesk::store::{SledStore, Store};
use denialdesk::ui::{self, theme::Theme};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

/// A small store: two denials and a paid claim, remitted 2026-11-01 (default 90-day window).
fn small_store() -> (tempfile::TempDir, SledStore) {
    let (dir, store) = temp_store();
    let body = set(&[
        header("AETNA", "60054", "20261101", "T1"),
        claim("BIG1", 1, "1240", "0", &["CO*197*1240"]),
        claim("SMALL2", 1, "90", "0", &["CO*16*90"]),
        claim("PAID3", 1, "100", "80", &["CO*45*20"]),
    ]);
    import(&store, "small.835", &interchange(&STAR, 1, &[body])).unwrap();
    (dir, store)
}

/// Feeds an action and runs the effects it asks for against the store, like the worker.
fn act(state: &mut State, store: &SledStore, action: Action) -> Vec<Effect> {
    let effects = update(state, action);
    for e in effects.clone() {
        for result in run_effect(store, "maria", e) {
            act(state, store, result);
        }
    }
    effects
}

fn loaded(store: &SledStore) -> State {
    let mut state = State::new("maria", today(), false);
    act(&mut state, store, Action::Refresh);
    state
}

fn draw(state: &State, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let keymap = Keymap::new(state.readonly);
    terminal
        .draw(|f| ui::render(f, state, &keymap, &Theme::new(true)))
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn typed(state: &mut State, store: &SledStore, text: &str) {
    for c in text.chars() {
        act(state, store, Action::Input(c));
    }
}

#[test]
fn worklist_ranks_bigger_denials_first_and_fits_80x24() {
    let (_dir, store) = small_store();
    let state = loaded(&store);
    assert_eq!(state.view.len(), 2);
    let screen = draw(&state, 80, 24);
    let lines: Vec<&str> = screen.lines().collect();
    assert_eq!(lines.len(), 24);
    assert!(
        lines[0].contains("1 Worklist") && lines[0].contains("maria"),
        "{screen}"
    );
    assert!(
        lines[2].contains("2 claims · $1,330 outstanding · sort priority"),
        "{screen}"
    );
    let big = lines.iter().position(|l| l.contains("BIG1")).unwrap();
    let small = lines.iter().position(|l| l.contains("SMALL2")).unwrap();
    assert!(big < small, "higher priority first:\n{screen}");
    assert!(
        lines[big].starts_with('▶'),
        "selection is marked without colour:\n{screen}"
    );
    assert!(lines[big].contains("$1,240.00") && lines[big].contains("CO-197"));
    assert!(!screen.contains("PAID3"), "a paid claim is not a denial");
    assert!(lines[23].contains("c call"), "footer hints:\n{screen}");
}

#[test]
fn opening_a_claim_shows_its_detail_and_why_it_ranks() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    let effects = act(&mut state, &store, Action::Open);
    assert_eq!(effects, vec![Effect::LoadDetail("BIG1".into())]);
    assert_eq!(state.pane, Pane::Claim);
    let screen = draw(&state, 80, 24);
    assert!(screen.contains("BIG1  payer claim PAYERBIG1"), "{screen}");
    assert!(
        screen.contains("Patient DOE, JANE  member W123456789"),
        "{screen}"
    );
    assert!(
        screen.contains("authorization · soft · fix at authorization"),
        "{screen}"
    );
    assert!(
        screen.contains("Appeal by 2027-01-30 (67 days)"),
        "{screen}"
    );
    assert!(
        screen.contains("default (payer not in rules, 90 days)"),
        "{screen}"
    );
    assert!(screen.contains("Priority"), "{screen}");
    // Wide terminal: the worklist and the claim side by side.
    let wide = draw(&state, 120, 40);
    assert!(
        wide.contains("SMALL2") && wide.contains("Precertification"),
        "{wide}"
    );
}

#[test]
fn call_form_validates_inline_then_saves_durably() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Action::LogCall);
    act(&mut state, &store, Action::Submit);
    let screen = draw(&state, 80, 24);
    assert!(screen.contains("✗ Rep name is required"), "{screen}");
    assert!(matches!(state.mode, Mode::Form(_)));

    typed(&mut state, &store, "Dana");
    act(&mut state, &store, Action::NextField);
    typed(&mut state, &store, "R-9");
    for _ in 0..3 {
        act(&mut state, &store, Action::NextField);
    }
    typed(&mut state, &store, "resubmit with auth");
    act(&mut state, &store, Action::NextField);
    let screen = draw(&state, 80, 24);
    assert!(
        screen.contains("+7▏  → Tue 2026-12-01"),
        "the resolved date shows before saving:\n{screen}"
    );
    let effects = act(&mut state, &store, Action::Submit);
    assert!(matches!(&effects[0], Effect::Apply { changes, .. } if changes[0].0 == "BIG1"));
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
        .view
        .iter()
        .all(|&i| state.items[i].claim_id != "BIG1"));
}

#[test]
fn a_failed_save_keeps_the_form_and_says_why() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Action::AddNote);
    typed(&mut state, &store, "called twice");
    // The claim disappears from the store behind the UI's back: the save must fail.
    update(
        &mut state,
        Action::Failed("not saved: BIG1: database error: disk full".into()),
    );
    let Mode::Form(form) = &state.mode else {
        panic!("form must stay open")
    };
    assert_eq!(form.fields[0].value, "called twice");
    assert!(draw(&state, 80, 24).contains("disk full"));
}

#[test]
fn follow_up_accepts_relative_dates_and_refuses_past_ones() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Action::SetFollowUp);
    for _ in 0..2 {
        act(&mut state, &store, Action::Backspace);
    }
    typed(&mut state, &store, "2026-01-01");
    act(&mut state, &store, Action::Submit);
    assert!(draw(&state, 80, 24).contains("is in the past"));
    for _ in 0..10 {
        act(&mut state, &store, Action::Backspace);
    }
    typed(&mut state, &store, "mon");
    act(&mut state, &store, Action::Submit);
    assert_eq!(
        store.work_item("BIG1").unwrap().unwrap().follow_up,
        NaiveDate::from_ymd_opt(2026, 11, 30)
    );
}

#[test]
fn search_filter_queues_and_sort() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Action::StartSearch);
    typed(&mut state, &store, "small");
    act(&mut state, &store, Action::Submit);
    assert_eq!(state.selected_item().unwrap().claim_id, "SMALL2");
    act(&mut state, &store, Action::NextMatch);
    assert_eq!(
        state.selected_item().unwrap().claim_id,
        "SMALL2",
        "only one match"
    );
    act(&mut state, &store, Action::StartFilter);
    typed(&mut state, &store, "197");
    assert_eq!(state.view.len(), 1, "the filter narrows as you type");
    act(&mut state, &store, Action::Submit);
    assert!(draw(&state, 80, 24).contains("filter \"197\""));
    act(&mut state, &store, Action::Back);
    assert_eq!(state.view.len(), 2);
    act(&mut state, &store, Action::SetQueue(Queue::Resolved));
    assert!(state.view.is_empty());
    assert!(draw(&state, 80, 24).contains("no claims in this queue"));
    act(&mut state, &store, Action::SetQueue(Queue::Open));
    act(&mut state, &store, Action::CycleSort);
    assert_eq!(state.sort.key(), "deadline");
}

#[test]
fn bulk_status_change_applies_to_every_marked_claim() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Action::ToggleMark);
    act(&mut state, &store, Action::ToggleMark);
    assert_eq!(state.marked.len(), 2);
    act(&mut state, &store, Action::ChangeStatus);
    let Mode::Form(form) = &state.mode else {
        panic!("status form")
    };
    assert_eq!(
        form.fields[0].value, "in-progress",
        "only legal moves are offered"
    );
    act(&mut state, &store, Action::Submit);
    for id in ["BIG1", "SMALL2"] {
        assert_eq!(
            store.work_item(id).unwrap().unwrap().status.key(),
            "in-progress"
        );
    }
    assert!(state.marked.is_empty());
    assert!(draw(&state, 80, 24).contains("status changed on 2 claims"));
}

#[test]
fn privacy_hides_names_and_readonly_blocks_changes() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Action::TogglePrivacy);
    let screen = draw(&state, 80, 24);
    assert!(!screen.contains("DOE"), "{screen}");
    assert!(screen.contains("PRIVACY"));
    let mut ro = State::new("sup", today(), true);
    act(&mut ro, &store, Action::Refresh);
    act(&mut ro, &store, Action::LogCall);
    assert_eq!(ro.mode, Mode::Normal);
    assert!(Keymap::new(true).bindings.iter().all(|b| !b.mutating));
    // Idle: PHI hidden until a key; the key only unlocks.
    act(&mut state, &store, Action::TogglePrivacy);
    act(&mut state, &store, Action::Idle);
    let idle = draw(&state, 80, 24);
    assert!(!idle.contains("DOE") && idle.contains("idle"), "{idle}");
    act(&mut state, &store, Action::Unlock);
    assert!(draw(&state, 80, 24).contains("BIG1"));
}

#[test]
fn kpi_pane_shows_hand_computed_numbers_and_leads_to_the_claims_behind_them() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Action::ShowPane(Pane::Kpi));
    let screen = draw(&state, 80, 24);
    // 3 claims first adjudicated on 2026-11-01, 2 of them denied: $1,330 of $1,430 billed.
    assert!(
        screen.contains("Initial denial 66.7% (93.0% of $)"),
        "{screen}"
    );
    assert!(
        screen.contains("Appeal 0.0%") && screen.contains("Overturn n/a"),
        "{screen}"
    );
    assert!(screen.contains("Open 2 ($1,330)"), "{screen}");
    // Denied 23 days ago: both in the 0-30 bucket.
    let bucket = screen.lines().find(|l| l.contains("  0-30")).unwrap();
    assert!(
        bucket.contains("$1,330") && bucket.trim_end().ends_with('2'),
        "{bucket}"
    );
    let row = screen.lines().find(|l| l.contains("AETNA")).unwrap();
    assert!(row.starts_with('▶') && row.contains("100.0%"), "{row}");
    act(&mut state, &store, Action::NextDimension);
    assert!(draw(&state, 80, 24).contains("Denied $ by category"));
    act(&mut state, &store, Action::Open);
    assert_eq!(state.pane, Pane::Worklist);
    let behind: Vec<&str> = state
        .view
        .iter()
        .map(|&i| state.items[i].claim_id.as_str())
        .collect();
    assert_eq!(behind, vec!["BIG1"], "the authorization row is BIG1 alone");
    act(&mut state, &store, Action::Back);
    assert_eq!(state.view.len(), 2);
    act(&mut state, &store, Action::ShowPane(Pane::Kpi));
    act(&mut state, &store, Action::NextPeriod);
    assert!(draw(&state, 80, 24).contains("last 90 days"));
}

#[test]
fn help_is_generated_from_the_keymap_and_tiny_terminals_do_not_crash() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Action::Help);
    let screen = draw(&state, 80, 24);
    for b in Keymap::new(false).bindings.iter().take(10) {
        assert!(
            screen.contains(b.description),
            "{} missing:\n{screen}",
            b.description
        );
    }
    act(&mut state, &store, Action::Back);
    assert_eq!(state.mode, Mode::Normal);
    for (w, h) in [(20, 5), (1, 1), (80, 3)] {
        draw(&state, w, h);
    }
}

#[test]
fn readme_key_table_matches_the_keymap() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(
        readme.contains(&denialdesk::keymap::markdown_table()),
        "README's key table is out of date; paste denialdesk::keymap::markdown_table()"
    );
}

#[test]
fn actions_in_the_claim_pane_stay_on_the_open_claim_after_it_leaves_the_queue() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Action::Open);
    act(&mut state, &store, Action::SetFollowUp);
    act(&mut state, &store, Action::Submit); // +7: BIG1 is parked and leaves the Open queue
    assert_eq!(state.selected_item().unwrap().claim_id, "SMALL2");
    act(&mut state, &store, Action::AddNote);
    typed(&mut state, &store, "still on BIG1");
    act(&mut state, &store, Action::Submit);
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
    act(&mut state, &store, Action::Open);
    act(&mut state, &store, Action::FileAppeal);
    let Mode::Form(form) = &state.mode else {
        panic!("appeal form")
    };
    assert_eq!(form.fields[0].value, "1");
    act(&mut state, &store, Action::NextField);
    act(&mut state, &store, Action::ChoiceNext); // portal → fax
    act(&mut state, &store, Action::NextField);
    for _ in 0..5 {
        act(&mut state, &store, Action::Backspace);
    }
    typed(&mut state, &store, "2026-10-01");
    act(&mut state, &store, Action::NextField);
    for _ in 0..3 {
        act(&mut state, &store, Action::Backspace);
    }
    typed(&mut state, &store, "today");
    act(&mut state, &store, Action::NextField);
    typed(&mut state, &store, "op notes");
    act(&mut state, &store, Action::Submit);
    assert_eq!(state.mode, Mode::Normal, "{:?}", state.message);
    let item = store.work_item("BIG1").unwrap().unwrap();
    assert_eq!(item.status.key(), "appealed");
    assert_eq!(item.appeals[0].channel.key(), "fax");

    act(&mut state, &store, Action::ShowPane(Pane::Appeals));
    let screen = draw(&state, 80, 24);
    let row = screen
        .lines()
        .find(|l| l.contains("BIG1"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(
        row.contains("L1") && row.contains("fax") && row.contains("pending"),
        "{row}"
    );
    assert!(row.contains("54d"), "waiting since 2026-10-01: {row}");
    assert!(
        screen.contains("0 overdue"),
        "due today is not yet overdue:\n{screen}"
    );

    act(&mut state, &store, Action::ShowPane(Pane::Claim));
    act(&mut state, &store, Action::AppealOutcome);
    typed(&mut state, &store, "o"); // Result: overturned
    act(&mut state, &store, Action::NextField);
    act(&mut state, &store, Action::Backspace);
    typed(&mut state, &store, "812.40");
    act(&mut state, &store, Action::Submit);
    let item = store.work_item("BIG1").unwrap().unwrap();
    assert_eq!(item.status.key(), "awaiting-payer");
    assert_eq!(
        item.appeals[0].decision.as_ref().unwrap().amount_cents,
        81240
    );
    act(&mut state, &store, Action::ShowPane(Pane::Appeals));
    assert!(draw(&state, 80, 24).contains("overturned"));
}

#[test]
fn demo_worklist_is_ranked_and_readable_at_80x24() {
    let (_dir, store) = temp_store();
    let rules = denialdesk::domain::payer_rules::PayerRules::parse(
        "payers.toml",
        denialdesk::demo::PAYERS_TOML,
    )
    .unwrap();
    for f in denialdesk::demo::generate() {
        let src = denialdesk::import::BytesSource(f.name.clone(), f.contents.as_bytes());
        denialdesk::import::import_source(&store, &src, &rules, "demo", 0).unwrap();
    }
    // The demo files are dated around 2026-11-20; view them a few days later.
    let state = loaded(&store);
    let scores: Vec<u32> = state.view.iter().map(|&i| state.scores[i]).collect();
    assert!(scores.len() > 200);
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "ranked by priority"
    );
    let expected = denialdesk::domain::worklist::select(
        store.work_items().unwrap(),
        &denialdesk::domain::worklist::Filter::default(),
        denialdesk::domain::worklist::SortKey::Priority,
        today(),
    );
    let screen = draw(&state, 80, 24);
    let lines: Vec<&str> = screen.lines().collect();
    assert!(
        lines[4].starts_with('▶') && lines[4].contains(&expected[0].item.claim_id),
        "{screen}"
    );
    assert!(
        lines[4].contains(&format!("{:>3}", expected[0].priority.score)),
        "{screen}"
    );
    // 19 rows fit between the headers and the footer.
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains(" LMN") || l.contains(" LOS"))
            .count(),
        19,
        "{screen}"
    );
    assert!(lines.iter().all(|l| l.chars().count() == 80));
}

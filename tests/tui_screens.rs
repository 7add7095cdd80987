//! What a person sees: panes drawn to ratatui's TestBackend at 80x24 and 120x40.

mod common;

use common::app::*;
use common::*;
use denialdesk::app::worklist::LoadPhase;
use denialdesk::app::{Effect, Intent, Mode, Msg, Outcome, Pane, State};
use denialdesk::keymap::Keymap;
use denialdesk::store::WorkStore;

#[test]
fn worklist_ranks_bigger_denials_first_and_fits_80x24() {
    let (_dir, store) = small_store();
    let state = loaded(&store);
    assert_eq!(state.worklist.view().len(), 2);
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
    // The selected row's reasons, in words, above the footer.
    assert!(
        lines[22].starts_with("why BIG1: $1,240 at stake"),
        "{screen}"
    );
}

#[test]
fn opening_a_claim_shows_its_detail_and_why_it_ranks() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    let effects = act(&mut state, &store, Intent::Open);
    assert_eq!(effects, vec![Effect::LoadDetail(key_of(&store, "BIG1"))]);
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
fn privacy_hides_names_and_readonly_blocks_changes() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::TogglePrivacy);
    let screen = draw(&state, 80, 24);
    assert!(!screen.contains("DOE"), "{screen}");
    assert!(screen.contains("PRIVACY"));
    let mut ro = State::new("sup", today(), true);
    act(&mut ro, &store, Intent::Refresh);
    act(&mut ro, &store, Intent::LogCall);
    assert_eq!(ro.mode, Mode::Normal);
    assert!(
        draw(&ro, 80, 24).contains("read-only mode"),
        "a changing key says why"
    );
    act(&mut ro, &store, Intent::AssignToMe);
    assert!(draw(&ro, 80, 24).contains("read-only mode"));
    assert_eq!(store.work_item("BIG1").unwrap().unwrap().owner, None);
    assert!(Keymap::new(true)
        .hints(Pane::Worklist)
        .iter()
        .all(|(k, _)| *k != "c"));
    // Idle: PHI hidden until a key; the key only unlocks.
    act(&mut state, &store, Intent::TogglePrivacy);
    act(&mut state, &store, Msg::Idle);
    let idle = draw(&state, 80, 24);
    assert!(!idle.contains("DOE") && idle.contains("idle"), "{idle}");
    act(&mut state, &store, Intent::Back);
    assert!(draw(&state, 80, 24).contains("BIG1"));
}

#[test]
fn kpi_pane_shows_hand_computed_numbers_and_leads_to_the_claims_behind_them() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::ShowPane(Pane::Kpi));
    let screen = draw(&state, 80, 24);
    // 3 claims first adjudicated on 2026-11-01, 2 of them denied paying nothing: their
    // gross charges $1,330 of $1,430.
    assert!(
        screen.contains("Initial denial 66.7%  full 66.7%  partial 0.0%  of charges 93.0%"),
        "{screen}"
    );
    // Nothing appealed, nothing paid since: overturn 0 of 2; no appeal decided: n/a.
    assert!(
        screen.contains("Appeal 0.0%")
            && screen.contains("Overturn 0.0%")
            && screen.contains("Appeals won n/a"),
        "{screen}"
    );
    assert!(screen.contains("Open 2 ($1,330)"), "{screen}");
    // Denied 23 days ago: both in the 0-30 bucket.
    let bucket = screen.lines().find(|l| l.contains("  0-30")).unwrap();
    assert!(bucket.contains("$1,330 2"), "{bucket}");
    let row = screen.lines().find(|l| l.contains("AETNA")).unwrap();
    assert!(row.starts_with('▶') && row.contains("100.0%"), "{row}");
    act(&mut state, &store, Intent::NextDimension);
    assert!(draw(&state, 80, 24).contains("Denied $ by category"));
    act(&mut state, &store, Intent::Open);
    assert_eq!(state.pane, Pane::Worklist);
    let behind: Vec<&str> = state
        .worklist
        .view()
        .iter()
        .map(|&i| state.worklist.rows()[i].claim_id.as_str())
        .collect();
    assert_eq!(behind, vec!["BIG1"], "the authorization row is BIG1 alone");
    act(&mut state, &store, Intent::Back);
    assert_eq!(state.worklist.view().len(), 2);
    act(&mut state, &store, Intent::ShowPane(Pane::Kpi));
    act(&mut state, &store, Intent::NextPeriod);
    assert!(draw(&state, 80, 24).contains("last 90 days"));
}

#[test]
fn help_is_generated_from_the_keymap_and_tiny_terminals_do_not_crash() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::Help);
    let screen = draw(&state, 80, 24);
    for b in Keymap::new(false).bindings().iter().take(10) {
        assert!(
            screen.contains(&b.description),
            "{} missing:\n{screen}",
            b.description
        );
    }
    act(&mut state, &store, Intent::Back);
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
    let scores: Vec<u32> = state
        .worklist
        .view()
        .iter()
        .map(|&i| state.worklist.score(i))
        .collect();
    assert!(scores.len() > 200);
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "ranked by priority"
    );
    let expected = denialdesk::domain::worklist::select(
        store.work_items().unwrap(),
        &denialdesk::domain::worklist::Filter::default(),
        denialdesk::domain::row_order::SortKey::Priority,
        false,
        today(),
    );
    let screen = draw(&state, 80, 24);
    let lines: Vec<&str> = screen.lines().collect();
    assert!(
        lines[4].starts_with('▶') && lines[4].contains(expected[0].item.claim_id.as_str()),
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

#[test]
fn teammates_on_a_claim_are_shown_in_the_list_and_the_claim() {
    use denialdesk::team::protocol::Viewer;
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    state.session = Some(1);
    let viewer = |session, user: &str, claim: &str| Viewer {
        session,
        user: user.into(),
        claim: claim.into(),
    };
    act(
        &mut state,
        &store,
        Outcome::Presence(vec![
            viewer(1, "maria", &key_of(&store, "SMALL2")),
            viewer(7, "devon", &key_of(&store, "BIG1")),
        ]),
    );
    let screen = draw(&state, 80, 24);
    let big = screen.lines().find(|l| l.contains("BIG1")).unwrap();
    let small = screen.lines().find(|l| l.contains("SMALL2")).unwrap();
    assert!(big.contains("@"), "{big}");
    assert!(
        !small.contains("@"),
        "my own session is not a teammate: {small}"
    );
    let effects = act(&mut state, &store, Intent::Open);
    assert_eq!(effects, vec![Effect::LoadDetail(key_of(&store, "BIG1"))]);
    assert!(draw(&state, 80, 24).contains("● devon is on this claim"));
    // After a server restart the store reconnects with a new session: the UI learns it
    // (with the reload), and its own old entry never shows as a teammate; the same user
    // in another window is "your other session".
    act(&mut state, &store, Outcome::SessionIs(Some(9)));
    act(
        &mut state,
        &store,
        Outcome::Presence(vec![
            viewer(9, "maria", &key_of(&store, "BIG1")),
            viewer(3, "maria", &key_of(&store, "BIG1")),
        ]),
    );
    let screen = draw(&state, 80, 24);
    assert!(
        screen.contains("● your other session is on this claim"),
        "{screen}"
    );
    assert!(!screen.contains("● maria"), "{screen}");
}

/// At start-up the worklist is drawn from the compact list rows alone; what needs the full
/// work items (KPIs, appeals, the appeal form) says it is loading instead of showing
/// wrong numbers, and fills in once the items arrive.
#[test]
fn the_first_frame_shows_the_list_rows_while_the_rest_loads() {
    let (_dir, store) = small_store();
    let mut state = State::new("maria", today(), false);
    let rows = store.list_rows().unwrap();
    // Only `update`: the full load it asks for is held back, as if still on its way.
    let effects = denialdesk::app::update(&mut state, Outcome::ListLoaded(rows));
    assert!(
        effects.iter().any(|e| matches!(e, Effect::LoadWorklist)),
        "{effects:?}"
    );
    assert_eq!(state.worklist.phase(), LoadPhase::Rows);
    let screen = draw(&state, 80, 24);
    let big = screen.lines().position(|l| l.contains("BIG1")).unwrap();
    let small = screen.lines().position(|l| l.contains("SMALL2")).unwrap();
    assert!(big < small, "ranked from the rows alone:\n{screen}");
    assert!(screen.contains("2 claims · $1,330 outstanding"), "{screen}");

    denialdesk::app::update(&mut state, Intent::ShowPane(Pane::Kpi));
    let kpis = draw(&state, 80, 24);
    assert!(
        kpis.contains("loading…") && !kpis.contains("Open 2"),
        "{kpis}"
    );
    denialdesk::app::update(&mut state, Intent::ShowPane(Pane::Appeals));
    let appeals = draw(&state, 80, 24);
    assert!(
        appeals.contains("loading…") && !appeals.contains("0 overdue"),
        "no appeal counts from list rows:\n{appeals}"
    );
    denialdesk::app::update(&mut state, Intent::ShowPane(Pane::Worklist));
    denialdesk::app::update(&mut state, Intent::FileAppeal);
    assert_eq!(state.mode, Mode::Normal, "no appeal form on a partial item");
    assert!(
        draw(&state, 80, 24).contains("still loading the worklist"),
        "the refusal is said"
    );

    // The full items arrive: same rows, selection kept, KPIs computed.
    act(&mut state, &store, Intent::Refresh);
    assert_eq!(state.worklist.phase(), LoadPhase::Whole);
    assert_eq!(state.worklist.view().len(), 2);
    act(&mut state, &store, Intent::ShowPane(Pane::Kpi));
    assert!(draw(&state, 80, 24).contains("Open 2 ($1,330)"));
}

#[test]
fn help_fits_80x24_scrolls_to_every_key_and_shows_the_data_changing_ones() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::Help);
    let first = draw(&state, 80, 24);
    assert!(first.contains("scroll"), "says it scrolls:\n{first}");
    assert!(first.contains("next claim"), "{first}");
    act(&mut state, &store, Intent::Bottom);
    let last = draw(&state, 80, 24);
    assert!(
        last.contains("quit") && last.contains("In forms and search"),
        "{last}"
    );
    let mut seen = String::new();
    act(&mut state, &store, Intent::Top);
    for _ in 0..60 {
        seen.push_str(&draw(&state, 80, 24));
        act(&mut state, &store, Intent::Down);
    }
    for b in Keymap::new(false)
        .bindings()
        .iter()
        .filter(|b| !b.keys.is_empty())
    {
        assert!(
            seen.contains(&b.description),
            "help shows {:?}",
            b.description
        );
    }
    // Read-only: the changing keys are listed, marked off.
    let mut ro = State::new("sup", today(), true);
    act(&mut ro, &store, Intent::Refresh);
    act(&mut ro, &store, Intent::Help);
    let mut seen = String::new();
    for _ in 0..60 {
        seen.push_str(&draw(&ro, 80, 24));
        act(&mut ro, &store, Intent::Down);
    }
    assert!(seen.contains("log a payer call (off)"), "{seen}");
}

#[test]
fn counts_agree_between_the_worklist_the_kpis_and_list_or_say_why_not() {
    let (_dir, store) = small_store();
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
    let screen = draw(&state, 80, 24);
    assert!(screen.contains("Open 1 "), "{screen}");
    assert!(
        screen.contains("1 workable · 1 parked until their follow-up"),
        "{screen}"
    );
    act(&mut state, &store, Intent::ShowPane(Pane::Kpi));
    let kpis = draw(&state, 80, 24);
    assert!(
        kpis.contains("Open 2 ($1,330)") && kpis.contains("of them parked 1"),
        "{kpis}"
    );
}

#[test]
fn the_kpi_breakdown_scrolls_so_the_cursor_is_never_on_a_hidden_row() {
    let (_dir, store) = temp_store();
    let codes = ["16", "18", "22", "27", "29", "50", "96", "97", "197"];
    let mut body = header("AETNA", "60054", "20261101", "T1");
    for (n, code) in codes.iter().enumerate() {
        body.extend(claim(
            &format!("K{n}"),
            1,
            "100",
            "0",
            &[&format!("CO*{code}*100")],
        ));
    }
    import(&store, "many.835", &interchange(&STAR, 1, &[body])).unwrap();
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::ShowPane(Pane::Kpi));
    state.kpi.dimension = denialdesk::domain::kpi::Dimension::Carc;
    for _ in 0..8 {
        act(&mut state, &store, Intent::Down);
    }
    let screen = draw(&state, 80, 30);
    let selected = screen
        .lines()
        .find(|l| l.starts_with('▶'))
        .expect("the cursor row is shown");
    let last = &state.kpi_rows()[8].value;
    assert!(selected.contains(last.as_str()), "{screen}");
    assert!(screen.contains("rows 5–9 of 9"), "{screen}");
    // Enter shows the claims behind the row the cursor is on.
    act(&mut state, &store, Intent::Open);
    assert_eq!(state.worklist.view().len(), 1);
}

#[test]
fn a_search_underlines_what_it_matched_and_esc_clears_it() {
    use ratatui::style::Modifier;
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::StartSearch);
    typed(&mut state, &store, "Small2");
    act(&mut state, &store, Intent::Submit);
    let underlined = |state: &State| -> String {
        let buffer = rendered(state, 100, 24);
        (0..24)
            .flat_map(|y| (0..100).map(move |x| (x, y)))
            .filter(|&(x, y)| buffer[(x, y)].modifier.contains(Modifier::UNDERLINED))
            .map(|(x, y)| buffer[(x, y)].symbol().to_string())
            .collect()
    };
    // Case ignored: "Small2" found SMALL2, and only that is underlined.
    assert_eq!(underlined(&state), "SMALL2");
    act(&mut state, &store, Intent::Back);
    assert_eq!(underlined(&state), "");
}

#[test]
fn help_entries_never_run_together_at_any_width() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::Help);
    for width in [80, 100, 110, 120, 140, 200] {
        let mut seen = String::new();
        act(&mut state, &store, Intent::Top);
        for _ in 0..40 {
            seen.push_str(&draw(&state, width, 40));
            seen.push('\n');
            act(&mut state, &store, Intent::Down);
        }
        // Every entry reads whole on one line: "K       previous claim, opened…".
        for entry in Keymap::new(false).help_entries() {
            assert!(
                seen.lines().any(|l| l.contains(&entry)),
                "{width} columns: {entry:?} not whole:\n{seen}"
            );
        }
    }
}

#[test]
fn a_form_message_is_shown_whole_with_the_way_forward() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    // BIG1's appeal deadline is 2027-01-30: a follow-up after it asks for a second Enter.
    act(&mut state, &store, Intent::SetFollowUp);
    typed(&mut state, &store, "2027-02-05");
    act(&mut state, &store, Intent::Submit);
    let screen = draw(&state, 80, 24);
    let text: String = screen
        .lines()
        .map(|l| l.trim_matches(|c| c == ' ' || c == '│'))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("the claim would be missed: Enter again to keep it, or change it"),
        "{screen}"
    );
}

#[test]
fn the_summary_and_the_queue_tabs_show_whole_parts_only() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(
        &mut state,
        &store,
        Intent::SetQueue(denialdesk::domain::queue::Queue::All),
    );
    // (From 120 columns the claim pane shares these lines, side by side.)
    for width in 30..120 {
        let screen = draw(&state, width, 24);
        let lines: Vec<&str> = screen.lines().collect();
        // The pane bar, then the queue tabs and the summary.
        let (panes, tabs, summary) = (
            lines[0].trim_end(),
            lines[1].trim_end(),
            lines[2].trim_end(),
        );
        assert!(panes.contains("1 Worklist"), "{width}: {panes:?}");
        assert!(
            !panes.contains("Appeal ") && !panes.ends_with("Appeal"),
            "{width}: {panes:?}"
        );
        // Whatever is shown of the sort is the whole of it.
        assert!(
            !summary.contains("sort") || summary.contains("sort priority"),
            "{width}: {summary:?}"
        );
        // The active queue (All) is always among the tabs, each tab with its count.
        assert!(tabs.contains("All 2"), "{width}: {tabs:?}");
        // A cut could only fall at the end: it ends with a count or the "more" mark.
        assert!(
            tabs.ends_with(|c: char| c.is_ascii_digit()) || tabs.ends_with('›'),
            "{width}: a cut tab in {tabs:?}"
        );
    }
}

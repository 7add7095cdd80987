//! Saved views (`[[view]]` in the config file): `list --view` prints the view's queue,
//! filter, order and columns; the worklist shows it as a tab (TestBackend and, with
//! `--view`, the real binary in tmux); a mistake names the view.

mod common;

use common::cli_env::*;
use common::*;

fn config(env: &Env, text: &str) {
    let folder = env.dir.path().join("config/denialdesk");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("config.toml"), text).unwrap();
}

/// Two payers' denials: AETNA's C1 ($1,240, CO-197) and C2 ($300, CO-16), CIGNA's K1
/// ($700, CO-197).
fn two_payers() -> Env {
    let env = seeded();
    let body = set(&[
        header("CIGNA", "62308", "20261102", "T2"),
        claim("K1", 1, "700", "0", &["CO*197*700"]),
    ]);
    let file = env.write("cigna.edi", &interchange(&STAR, 2, &[body]));
    env.ok(&["import", &file]);
    env
}

const VIEWS: &str = r#"
[[view]]
name = "aetna-small-first"
filter = "payer:aetna"
sort = "amount"
reverse = true
columns = ["owed", "claim", "carc", "due"]

[[view]]
name = "auth"
queue = "all"
filter = "carc:197"
"#;

#[test]
fn list_view_prints_the_views_claims_in_its_order_and_columns() {
    let env = two_payers();
    config(&env, VIEWS);
    let out = env.ok(&["list", "--view", "aetna-small-first"]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("view aetna-small-first · 2 work items"),
        "{out}"
    );
    // Its columns, in its order: owed first, no patient, payer or priority.
    assert_eq!(
        lines[1].split_whitespace().collect::<Vec<_>>(),
        ["OWED", "CLAIM", "CARC", "DEADLINE"],
        "{out}"
    );
    // Amount, reversed: the smaller first; CIGNA's claim is not in the view.
    assert!(lines[2].trim_start().starts_with("$300.00  C2"), "{out}");
    assert!(lines[3].trim_start().starts_with("$1,240.00  C1"), "{out}");
    assert!(!out.contains("K1"), "{out}");
    // --reverse turns the view's order around; options narrow it further.
    let out = env.ok(&["list", "--view", "aetna-small-first", "--reverse"]);
    assert!(out.lines().nth(2).unwrap().contains("C1"), "{out}");
    let out = env.ok(&["list", "--view", "aetna-small-first", "--filter", "carc:16"]);
    assert!(out.contains("C2") && !out.contains("C1"), "{out}");
    // JSON rows are the same rows.
    let rows = json_lines(&env.ok(&["list", "--view", "auth", "--json"]));
    let claims: Vec<&str> = rows
        .iter()
        .map(|r| r["claim_id"].as_str().unwrap())
        .collect();
    assert_eq!(claims, ["C1", "K1"]);
}

#[test]
fn an_unknown_view_lists_the_views_and_a_bad_one_names_itself() {
    let env = two_payers();
    config(&env, VIEWS);
    let err = env.fails(&["list", "--view", "aetna"]);
    assert!(
        err.contains("no view \"aetna\"") && err.contains("aetna-small-first, auth"),
        "{err}"
    );
    let err = env.fails(&["--view", "auth", "list"]);
    assert!(err.contains("list --view NAME"), "{err}");
    config(
        &env,
        "[[view]]\nname = \"v\"\ncolumns = [\"claim\", \"payer\"]\n",
    );
    let err = env.fails(&["list"]);
    assert!(
        err.contains("view 1 (\"v\"): columns must include claim, owed and due"),
        "{err}"
    );
}

#[test]
fn a_saved_view_is_a_tab_with_its_columns_and_the_queue_keys_reach_it() {
    use common::app::*;
    use denialdesk::app::Intent;
    use denialdesk::domain::saved_view::SavedView;
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    let table: toml::Table = toml::from_str(VIEWS).unwrap();
    let views = SavedView::read_all(table["view"].as_array().unwrap()).unwrap();
    state.worklist.set_views(views);
    // `[` from the first queue wraps to the last tab: the last view, then the one before.
    act(&mut state, &store, Intent::PrevQueue);
    assert_eq!(
        state.worklist.selection().active_view().unwrap().name,
        "auth"
    );
    act(&mut state, &store, Intent::PrevQueue);
    let screen = draw(&state, 120, 24);
    assert!(
        screen.contains("aetna-small-first 2"),
        "the tab with its count: {screen}"
    );
    let header = screen
        .lines()
        .find(|l| l.contains("CLAIM"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(
        header.contains("OWED") && !header.contains("PATIENT") && !header.contains("PRI"),
        "{screen}"
    );
    let owed = header.find("OWED").unwrap();
    assert!(owed < header.find("CLAIM").unwrap(), "{header}");
    let wide = draw(&state, 200, 24);
    assert!(wide.contains("view \"payer:aetna\""), "{wide}");
    // A queue key leaves the view.
    act(
        &mut state,
        &store,
        Intent::SetQueue(denialdesk::domain::queue::Queue::All),
    );
    assert!(state.worklist.selection().active_view().is_none());
    assert!(draw(&state, 120, 24).contains("PATIENT"));
}

#[test]
fn the_app_opens_on_a_view_named_on_the_command_line() {
    use common::tmux::*;
    if !have_tmux() {
        return;
    }
    let dir = seeded_dir();
    let folder = dir.path().join("config/denialdesk");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("config.toml"),
        "[[view]]\nname = \"small\"\nfilter = \"<500\"\ncolumns = [\"claim\", \"carc\", \"owed\", \"due\"]\n",
    )
    .unwrap();
    let session = format!("dd-view-{}", std::process::id());
    let _ends = Ends(session.clone());
    start_args(&session, dir.path(), "--view small");
    // The first frame names the view before the rows are read: wait for them.
    let s = wait_for(&session, "1 claim ·");
    assert!(s.contains("view \"<500\""), "{s}");
    assert!(s.contains("SMALL2") && !s.contains("BIG1"), "{s}");
    assert!(s.contains("small 1"), "the view's tab with its count: {s}");
    let header = s.lines().find(|l| l.contains("CLAIM")).unwrap();
    assert!(!header.contains("PATIENT"), "{s}");
    // `]` wraps from the view (the last tab) to the first queue: every claim again.
    keys(&session, &["]"]);
    wait_for(&session, "BIG1");
    keys(&session, &["q"]);
    wait_for(&session, "EXITED 0");
}

#[test]
fn a_filter_too_long_for_the_summary_is_marked_never_left_out() {
    use common::app::*;
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    state
        .worklist
        .set_filter("owner:none carc:co-16 >10 <=100000 category:coding status:new");
    let screen = draw(&state, 80, 24);
    let summary = screen.lines().nth(2).unwrap();
    assert!(
        summary.contains("filter \"owner:none") && summary.contains("…\""),
        "{screen}"
    );
}

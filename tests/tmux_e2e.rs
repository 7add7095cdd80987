//! The real binary in a real terminal (tmux, 80x24): open a claim, log a payer call, set a
//! follow-up with `+7`, quit, reopen and see both in the timeline; then the same through
//! `denialdesk show --json`.

mod common;

use common::tmux::*;
use std::process::Command;

#[test]
fn a_call_logged_in_one_session_appears_in_the_others_timeline_without_a_key() {
    if !have_tmux() {
        return;
    }
    let dir = seeded_dir();
    let (a, b) = (
        format!("dd-live-a-{}", std::process::id()),
        format!("dd-live-b-{}", std::process::id()),
    );
    start(&a, dir.path());
    start_sized(&b, dir.path(), "140", "50");
    wait_for(&a, "2 claims ·");
    wait_for(&b, "2 claims ·");
    keys(&b, &["Enter"]);
    wait_for(&b, "TIMELINE");
    keys(&a, &["Enter"]);
    wait_for(&a, "BIG1  payer claim");
    keys(&a, &["c", "Maria", "Tab", "LIVE-1"]);
    save_form(&a, "saved: payer call logged");
    wait_for(&a, "saved: payer call logged");
    // No key pressed in b: the server pushed the change.
    let s = wait_for(&b, "called payer: rep Maria, ref LIVE-1");
    assert!(s.contains("BIG1"), "{s}");
    for session in [&a, &b] {
        keys(session, &["Escape", "q"]);
        wait_for(session, "EXITED 0");
        tmux(&["kill-session", "-t", session]);
    }
}

#[test]
fn log_a_call_and_a_follow_up_in_the_real_terminal_and_find_them_after_reopening() {
    if !have_tmux() {
        return;
    }
    let dir = seeded_dir();
    let bin = env!("CARGO_BIN_EXE_denialdesk");
    let db = dir.path().join("db");

    let session = format!("dd-e2e-{}", std::process::id());
    start(&session, dir.path());
    wait_for(&session, "2 claims ·");
    keys(&session, &["Enter"]);
    wait_for(&session, "BIG1  payer claim");
    // J and K walk the queue without leaving the claim pane.
    keys(&session, &["J"]);
    wait_for(&session, "SMALL2  payer claim");
    keys(&session, &["K"]);
    wait_for(&session, "BIG1  payer claim");
    keys(
        &session,
        &[
            "c", "Dana", "Tab", "R-9", "Tab", "Tab", "Tab", "Tab", "BSpace", "BSpace", "+3",
        ],
    );
    save_form(&session, "saved: payer call logged");
    keys(&session, &["d"]);
    wait_for(&session, "Set follow-up");
    for _ in 0..12 {
        keys(&session, &["BSpace"]);
    }
    keys(&session, &["+7"]);
    let plus7 = chrono::Local::now().date_naive() + chrono::Duration::days(7);
    wait_for(&session, &plus7.format("→ %a %Y-%m-%d").to_string());
    save_form(&session, "saved: follow-up set");
    keys(&session, &["Escape", "q"]);
    wait_for(&session, "EXITED 0");
    tmux(&["kill-session", "-t", &session]);

    // Reopen: the call and the follow-up are in the timeline. BIG1 is parked until its
    // follow-up: search finds it anyway, switching to the All queue and saying so.
    let session = format!("{session}-reopened");
    start(&session, dir.path());
    wait_for(&session, "1 workable · 1 parked until their follow-up");
    keys(&session, &["/", "big1", "Enter"]);
    wait_for(&session, "not in that queue: now showing All");
    keys(&session, &["Enter"]);
    let s = wait_for(&session, "TIMELINE");
    keys(&session, &["PageDown"]);
    let s = s + &wait_for(&session, "called payer");
    assert!(s.contains("called payer: rep Dana, ref R-9"), "{s}");
    assert!(s.contains(&format!("→ {plus7}")), "{s}");
    keys(&session, &["q"]);
    wait_for(&session, "EXITED 0");
    tmux(&["kill-session", "-t", &session]);

    let out = Command::new(bin)
        .arg("--db")
        .arg(&db)
        .args(["show", "BIG1", "--json"])
        .output()
        .unwrap();
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["calls"][0]["rep_name"], "Dana");
    assert_eq!(shown["calls"][0]["reference"], "R-9");
    assert_eq!(shown["work_item"]["follow_up"], plus7.to_string());
    assert_eq!(shown["work_item"]["status"], "in-progress");
}

//! The real binary in a real terminal (tmux, 80x24): open a claim, log a payer call, set a
//! follow-up with `+7`, quit, reopen and see both in the timeline; then the same through
//! `denialdesk show --json`.

mod common;

use common::*;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux").args(args).output().expect("tmux runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn screen(session: &str) -> String {
    tmux(&["capture-pane", "-p", "-t", session])
}

/// Waits until the screen shows `needle` (the app draws asynchronously).
fn wait_for(session: &str, needle: &str) -> String {
    let start = Instant::now();
    loop {
        let s = screen(session);
        if s.contains(needle) {
            return s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "waited for {needle:?}; screen:\n{s}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn keys(session: &str, keys: &[&str]) {
    for k in keys {
        tmux(&["send-keys", "-t", session, k]);
        std::thread::sleep(Duration::from_millis(60));
    }
}

fn start(session: &str, dir: &Path) {
    start_sized(session, dir, "80", "24");
}

fn start_sized(session: &str, dir: &Path, width: &str, height: &str) {
    let bin = env!("CARGO_BIN_EXE_denialdesk");
    let cmd = format!(
        "XDG_CONFIG_HOME={d}/config NO_COLOR=1 {bin} --db {d}/db; echo EXITED $?; sleep 30",
        d = dir.display()
    );
    tmux(&[
        "new-session",
        "-d",
        "-s",
        session,
        "-x",
        width,
        "-y",
        height,
        &cmd,
    ]);
}

fn have_tmux() -> bool {
    if Command::new("tmux").arg("-V").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "tmux must be installed in CI (.ci/run does it)"
        );
        eprintln!("skipping: tmux is not installed");
        return false;
    }
    true
}

/// A temporary database with BIG1 and SMALL2 denied.
fn seeded_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    quick_servers(dir.path());
    let body = set(&[
        header("AETNA", "60054", "20261101", "T1"),
        claim("BIG1", 1, "1240", "0", &["CO*197*1240"]),
        claim("SMALL2", 1, "90", "0", &["CO*16*90"]),
    ]);
    let file = dir.path().join("remit.835");
    std::fs::write(&file, interchange(&STAR, 1, &[body])).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_denialdesk"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .arg("--db")
        .arg(dir.path().join("db"))
        .arg("import")
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    dir
}

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
    keys(&a, &["c", "Maria", "Tab", "LIVE-1", "Enter"]);
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
    keys(
        &session,
        &[
            "c", "Dana", "Tab", "R-9", "Tab", "Tab", "Tab", "Tab", "BSpace", "BSpace", "+3",
            "Enter",
        ],
    );
    wait_for(&session, "saved: payer call logged");
    keys(&session, &["d"]);
    wait_for(&session, "Set follow-up");
    for _ in 0..12 {
        keys(&session, &["BSpace"]);
    }
    keys(&session, &["+7"]);
    let plus7 = chrono::Local::now().date_naive() + chrono::Duration::days(7);
    wait_for(&session, &plus7.format("→ %a %Y-%m-%d").to_string());
    keys(&session, &["Enter"]);
    wait_for(&session, "saved: follow-up set");
    keys(&session, &["Escape", "q"]);
    wait_for(&session, "EXITED 0");
    tmux(&["kill-session", "-t", &session]);

    // Reopen: the call and the follow-up are in the timeline. BIG1 is parked until its
    // follow-up, so it is found in the All queue.
    start(&session, dir.path());
    wait_for(&session, "1 claims ·");
    keys(&session, &["0", "/", "BIG1", "Enter", "Enter"]);
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

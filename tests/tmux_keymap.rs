//! The user's keymap in the real binary (tmux, 80x24): a remapped key opens the call form
//! and the old one no longer does; a preset's keys move; a file with a conflict is named
//! with its line on screen and the defaults stay.

mod common;

use common::tmux::*;
use std::process::Command;

fn write_keymap(dir: &std::path::Path, text: &str) {
    let folder = dir.join("config/denialdesk");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("keymap.toml"), text).unwrap();
}

#[test]
fn a_remapped_key_opens_the_call_form_and_the_preset_moves_with_emacs_keys() {
    if !have_tmux() {
        return;
    }
    let dir = seeded_dir();
    write_keymap(
        dir.path(),
        "preset = \"emacs\"\n[normal]\nlog-call = \"C\"\n",
    );
    let session = format!("dd-keymap-{}", std::process::id());
    start(&session, dir.path());
    let s = wait_for(&session, "2 claims ·");
    // The footer hints follow the keymap.
    assert!(s.contains("C call"), "{s}");
    // C-n (emacs) moves to the second claim; Enter opens it.
    keys(&session, &["C-n", "Enter"]);
    wait_for(&session, "SMALL2  payer claim");
    // The old key does nothing now.
    keys(&session, &["c"]);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(!screen(&session).contains("Log payer call"));
    keys(&session, &["C"]);
    wait_for(&session, "Log payer call");
    keys(&session, &["Remy", "Tab", "KM-1"]);
    save_form(&session, "saved: payer call logged");
    // Help lists the effective keys.
    keys(&session, &["?"]);
    let s = wait_for(&session, "Keys (");
    assert!(s.contains("j ↓ C-n"), "{s}");
    keys(&session, &["C-v"]);
    let s = wait_for(&session, "log a payer call");
    assert!(
        s.lines()
            .any(|l| l.contains("│C ") && l.contains("log a payer call")),
        "{s}"
    );
    keys(&session, &["C-g", "q"]);
    wait_for(&session, "EXITED 0");
    tmux(&["kill-session", "-t", &session]);
    let shown = run_ok(dir.path(), &["show", "SMALL2", "--json"]);
    let shown: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(shown["calls"][0]["rep_name"], "Remy");
}

#[test]
fn a_conflicting_keymap_is_named_with_file_and_line_and_the_defaults_stay() {
    if !have_tmux() {
        return;
    }
    let dir = seeded_dir();
    write_keymap(dir.path(), "# my keys\n[normal]\nlog-call = \"L\"\n");
    let session = format!("dd-keymap-bad-{}", std::process::id());
    start(&session, dir.path());
    let s = wait_for(&session, "using the default keys");
    assert!(s.contains("keymap.toml:3:"), "{s}");
    assert!(s.contains("write-letter"), "{s}");
    // The notice is on the first frame, before the rows: a call is logged on a claim.
    wait_for(&session, "2 claims ·");
    keys(&session, &["c"]);
    wait_for(&session, "Log payer call");
    keys(&session, &["Escape", "q"]);
    wait_for(&session, "EXITED 0");
    tmux(&["kill-session", "-t", &session]);

    // `keys` says the same, with exit code 1, and prints the defaults in effect.
    let out = Command::new(env!("CARGO_BIN_EXE_denialdesk"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .arg("keys")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("keymap.toml:3: L is bound to both"), "{err}");
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(
        listing
            .lines()
            .any(|l| l.contains("log-call") && l.contains(" c ")),
        "{listing}"
    );
}

#[test]
fn form_and_help_hints_name_the_keys_in_effect() {
    if !have_tmux() {
        return;
    }
    let dir = seeded_dir();
    write_keymap(
        dir.path(),
        "[form]\nsubmit = \"ctrl-s\"\nback = \"ctrl-g\"\n[help]\nback = \"x\"\n",
    );
    let session = format!("dd-keymap-hints-{}", std::process::id());
    start(&session, dir.path());
    wait_for(&session, "2 claims ·");
    keys(&session, &["c"]);
    let s = wait_for(&session, "Log payer call");
    assert!(s.contains("C-s save · C-g cancel · Tab next field"), "{s}");
    keys(&session, &["C-g", "?"]);
    let s = wait_for(&session, "Keys (");
    assert!(s.contains("Keys (? or x to close, q quits"), "{s}");
    keys(&session, &["x", "q"]);
    wait_for(&session, "EXITED 0");
    tmux(&["kill-session", "-t", &session]);
}

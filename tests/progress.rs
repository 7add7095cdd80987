//! Progress on long operations: a bar with claims/s and ETA when stderr is a terminal
//! (tmux), nothing on a pipe, `--quiet` silences the notes, `--verbose` names each set.

mod common;

use common::cli_env::*;
use common::tmux::*;
use common::*;

/// One file of `sets` transaction sets of `per_set` denied claims each.
fn big_file(sets: usize, per_set: usize) -> String {
    let bodies: Vec<Vec<String>> = (0..sets)
        .map(|s| {
            let mut segments = vec![header("AETNA", "60054", "20261101", &format!("T{s}"))];
            for c in 0..per_set {
                segments.push(claim(&format!("B{s}X{c}"), 1, "120", "0", &["CO*16*120"]));
            }
            set(&segments)
        })
        .collect();
    interchange(&STAR, 1, &bodies)
}

#[test]
fn on_a_pipe_there_is_no_bar_quiet_drops_notes_and_verbose_names_each_set() {
    let env = Env::new();
    let file = env.write("two.835", &big_file(2, 3));
    let out = env.run(&["import", "--verbose", &file]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let sets: Vec<&str> = stdout.lines().filter(|l| l.starts_with("  set ")).collect();
    assert_eq!(sets.len(), 2, "{stdout}");
    assert!(
        sets[0].contains("AETNA trace T0") && sets[0].contains("3 claims, 3 new denials"),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("ETA"), "no bar on a pipe: {stderr}");
    let again = env.write("more.835", &big_file(1, 2).replace("B0X", "M0X"));
    let out = env.run(&["import", "--quiet", &again]);
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = env.run(&["import", "--quiet", "--verbose", &again]);
    assert_eq!(out.status.code(), Some(2), "--quiet and --verbose conflict");
}

#[test]
fn a_large_import_shows_claims_per_second_and_eta_in_a_terminal() {
    if !have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    quick_servers(dir.path());
    let file = dir.path().join("big.835");
    // Long enough (a second or more) for the screen to be caught mid-import by a capture
    // every 100 ms, in either build: an optimised one imports some ten times faster.
    let per_set = if cfg!(debug_assertions) { 200 } else { 1_500 };
    std::fs::write(&file, big_file(20, per_set)).unwrap();
    let session = format!("dd-progress-{}", std::process::id());
    let bin = env!("CARGO_BIN_EXE_denialdesk");
    let cmd = format!(
        "XDG_CONFIG_HOME={d}/config {bin} --db {d}/db import {f}; echo EXITED $?; sleep 30",
        d = dir.path().display(),
        f = file.display()
    );
    new_session(&session, ("120", "10"), &cmd);
    let s = wait_for(&session, "claims/s");
    assert!(s.contains("ETA") && s.contains("big.835 ["), "{s}");
    let s = wait_for(&session, "EXITED 0");
    let claims = 20 * per_set;
    assert!(
        s.contains(&format!("{claims} claims read, {claims} new denials")),
        "{s}"
    );
    assert!(!s.contains("claims/s"), "the bar is cleared when done: {s}");
    tmux(&["kill-session", "-t", &session]);
}

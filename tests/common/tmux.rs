//! Driving the real binary in tmux: start it in a sized pane, send keys, read the screen.

use super::*;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

pub fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux").args(args).output().expect("tmux runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Kills the session when dropped, so a test that fails leaves no app running (an app
/// left running keeps the team server it started alive).
pub struct Ends(pub String);

impl Drop for Ends {
    fn drop(&mut self) {
        tmux(&["kill-session", "-t", &self.0]);
    }
}

pub fn screen(session: &str) -> String {
    tmux(&["capture-pane", "-p", "-t", session])
}

/// Waits until the screen shows `needle` (the app draws asynchronously).
pub fn wait_for(session: &str, needle: &str) -> String {
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

/// Presses Enter to save a form and waits for `done`; when the form asks to confirm an
/// unusual date first (a weekend: the tests' dates move with the real calendar), confirms.
pub fn save_form(session: &str, done: &str) -> String {
    keys(session, &["Enter"]);
    let start = Instant::now();
    loop {
        let s = screen(session);
        if s.contains(done) {
            return s;
        }
        if s.contains("Enter again") {
            keys(session, &["Enter"]);
            return wait_for(session, done);
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "waited for {done:?}; screen:\n{s}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

pub fn keys(session: &str, keys: &[&str]) {
    for k in keys {
        tmux(&["send-keys", "-t", session, k]);
        std::thread::sleep(Duration::from_millis(60));
    }
}

pub fn start(session: &str, dir: &Path) {
    start_sized(session, dir, "80", "24");
}

pub fn start_sized(session: &str, dir: &Path, width: &str, height: &str) {
    start_with(session, dir, width, height, "");
}

/// Starts the app with extra environment (`NAME=value ...`); after it exits the pane
/// shows `EXITED <code>` and the terminal's line-discipline flags.
pub fn start_with(session: &str, dir: &Path, width: &str, height: &str, env: &str) {
    start_full(session, dir, (width, height), env, "");
}

/// Starts the app at 80x24 with extra arguments (`--view mine`).
pub fn start_args(session: &str, dir: &Path, args: &str) {
    start_full(session, dir, ("80", "24"), "", args);
}

fn start_full(session: &str, dir: &Path, (width, height): (&str, &str), env: &str, args: &str) {
    let bin = env!("CARGO_BIN_EXE_denialdesk");
    let cmd = format!(
        "XDG_CONFIG_HOME={d}/config NO_COLOR=1 {env} {bin} --db {d}/db {args}; echo EXITED $?; stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo; sleep 30",
        d = dir.display()
    );
    new_session(session, (width, height), &cmd);
}

/// Starts `command` (a shell line) in a new detached session of `width` x `height`.
pub fn new_session(session: &str, (width, height): (&str, &str), command: &str) {
    // When the previous test session was the tmux server's last one, the server is
    // exiting and may refuse or drop a new session: start again until it exists.
    for _ in 0..50 {
        Command::new("tmux")
            .args([
                "new-session",
                "-d",
                "-s",
                session,
                "-x",
                width,
                "-y",
                height,
                command,
            ])
            .output()
            .expect("tmux runs");
        let exists = Command::new("tmux")
            .args(["has-session", "-t", session])
            .status()
            .expect("tmux runs")
            .success();
        if exists {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("tmux could not start session {session}");
}

/// The tmux tests need tmux: without it they fail loudly (never pass untested).
pub fn have_tmux() -> bool {
    assert!(
        Command::new("tmux").arg("-V").output().is_ok(),
        "these tests drive the real binary in tmux: install it (apt-get install -y tmux; .ci/run does)"
    );
    true
}

/// Runs the binary on the database in `dir` (as `seeded_dir` made it) with `args`; its
/// output, after checking it succeeded.
pub fn run_ok(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_denialdesk"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .arg("--db")
        .arg(dir.join("db"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A temporary database with BIG1 and SMALL2 denied.
pub fn seeded_dir() -> tempfile::TempDir {
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

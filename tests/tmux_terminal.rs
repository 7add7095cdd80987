//! Terminal states in a real terminal (tmux): a panic in the UI thread or in a background
//! thread gives the shell back a sane terminal (alternate screen left, line editing and
//! echo on) with the message readable; a 20x5 terminal and resizing do not crash.

mod common;

use common::tmux::*;

/// The panic hook (`DENIALDESK_TEST_PANIC`) is compiled into debug builds only: under
/// `cargo test --release` these tests could not panic the binary, so they are not built.
#[cfg(debug_assertions)]
mod panics {
    use super::*;

    fn alternate_screen_on(session: &str) -> bool {
        tmux(&["display-message", "-p", "-t", session, "#{alternate_on}"]).trim() == "1"
    }

    fn panic_restores_the_terminal(place: &str, message: &str) {
        if !have_tmux() {
            return;
        }
        let dir = seeded_dir();
        let session = format!("dd-panic-{place}-{}", std::process::id());
        start_with(
            &session,
            dir.path(),
            "80",
            "24",
            &format!("RUST_BACKTRACE=0 DENIALDESK_TEST_PANIC={place}:Z"),
        );
        wait_for(&session, "2 claims ·");
        assert!(
            alternate_screen_on(&session),
            "the UI runs on the alternate screen"
        );
        keys(&session, &["Z"]);
        wait_for(&session, "EXITED 101");
        let s = tmux(&["capture-pane", "-p", "-S", "-200", "-t", &session]);
        assert!(s.contains(message), "the panic message is readable:\n{s}");
        assert!(s.contains("every saved change is kept"), "{s}");
        // Raw mode is off (the shell's line editing and echo are back) …
        let flags = wait_for(&session, "icanon");
        assert!(
            flags.contains("icanon echo") || flags.contains("icanon  echo"),
            "{flags}"
        );
        assert!(
            !flags.contains("-icanon") && !flags.contains("-echo"),
            "{flags}"
        );
        // … and the alternate screen was left.
        assert!(
            !alternate_screen_on(&session),
            "still on the alternate screen"
        );
        tmux(&["kill-session", "-t", &session]);
    }

    #[test]
    fn a_panic_in_the_ui_thread_restores_the_terminal() {
        panic_restores_the_terminal("main", "test panic in the UI thread");
    }

    #[test]
    fn a_panic_in_a_background_thread_restores_the_terminal() {
        panic_restores_the_terminal("thread", "test panic in a background thread");
    }
}

#[test]
fn a_20x5_terminal_and_resizing_do_not_crash() {
    if !have_tmux() {
        return;
    }
    let dir = seeded_dir();
    let session = format!("dd-tiny-{}", std::process::id());
    start_sized(&session, dir.path(), "20", "5");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    // Keys on a tiny screen: move, open, back, help.
    keys(&session, &["j", "Enter", "Escape", "?", "Escape"]);
    assert!(!screen(&session).contains("EXITED"), "{}", screen(&session));
    for (w, h) in [
        ("80", "24"),
        ("20", "5"),
        ("3", "2"),
        ("120", "40"),
        ("80", "24"),
    ] {
        tmux(&["resize-window", "-t", &session, "-x", w, "-y", h]);
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert!(!screen(&session).contains("EXITED"), "crashed at {w}x{h}");
    }
    // Back at 80x24 the worklist is drawn whole.
    wait_for(&session, "2 claims ·");
    keys(&session, &["q"]);
    wait_for(&session, "EXITED 0");
    tmux(&["kill-session", "-t", &session]);
}

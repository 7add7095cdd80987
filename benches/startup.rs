//! First frame from process start, for real: the release binary is started on a
//! pseudo-terminal of 80x24, as over SSH, and its output is read until the populated
//! worklist is written (the selected-row marker, which the loading frame lacks). Reading
//! the terminal directly costs the two cores nothing; polling a tmux pane every few
//! milliseconds competed with the app and added up to 100 ms. Three runs each: embedded,
//! and through a running team server. Run with `cargo bench --bench startup`
//! (DENIALDESK_BENCH_DB: a database from `bench-data`, else one with 100,000 denials is
//! generated).

mod support;

use std::fs::File;
use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What only a populated worklist frame writes: the selected row's marker.
const POPULATED: &str = "▶";

/// A new pseudo-terminal of 80x24: (the side the app writes to, the side we read).
fn pseudo_terminal() -> (OwnedFd, File) {
    let (mut ours, mut theirs) = (0, 0);
    let size = libc::winsize {
        ws_row: 24,
        ws_col: 80,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: two out-pointers to ints, no name buffer, no termios, a valid winsize.
    let rc = unsafe {
        libc::openpty(
            &mut ours,
            &mut theirs,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: openpty returned two new descriptors that nothing else owns.
    unsafe { (OwnedFd::from_raw_fd(theirs), File::from_raw_fd(ours)) }
}

/// Starts the app and returns the time until its first populated frame is written.
fn first_frame(db: &Path, extra: &[&str], config: &Path) -> Duration {
    let (terminal, mut screen) = pseudo_terminal();
    let mut app = Command::new(env!("CARGO_BIN_EXE_denialdesk"));
    app.arg("--db")
        .arg(db)
        .args(extra)
        .env("XDG_CONFIG_HOME", config)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .stdin(Stdio::from(terminal.try_clone().unwrap()))
        .stdout(Stdio::from(terminal.try_clone().unwrap()))
        .stderr(Stdio::from(terminal));
    // SAFETY: only async-signal-safe calls between fork and exec. The terminal becomes
    // the app's controlling terminal, which crossterm opens as /dev/tty.
    unsafe {
        app.pre_exec(|| {
            libc::setsid();
            libc::ioctl(0, libc::TIOCSCTTY, 0);
            Ok(())
        });
    }
    let started = Instant::now();
    let mut child = app.spawn().expect("the release binary starts");
    drop(app); // our copies of the terminal side: a read then ends when the app does
    let mut seen = Vec::new();
    let mut chunk = [0u8; 64 * 1024];
    let elapsed = loop {
        let n = screen.read(&mut chunk).unwrap_or(0);
        assert!(
            n > 0,
            "the app ended before drawing a worklist: {}",
            String::from_utf8_lossy(&seen)
        );
        seen.extend_from_slice(&chunk[..n]);
        if String::from_utf8_lossy(&seen).contains(POPULATED) {
            break started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no worklist within a minute"
        );
    };
    // Quit as a person would (`q`), so the next run opens a cleanly closed store, and
    // read on until the app has gone (its writes must not block on a full terminal).
    std::io::Write::write_all(&mut screen, b"q").unwrap();
    while matches!(screen.read(&mut chunk), Ok(n) if n > 0) {}
    let status = child.wait().unwrap();
    assert!(status.success(), "the app quit with {status}");
    elapsed
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let given = std::env::var_os("DENIALDESK_BENCH_DB").map(std::path::PathBuf::from);
    let db = given.clone().unwrap_or_else(|| dir.path().join("db"));
    if given.is_none() {
        support::generated_store(&db, 100_000, 7, 1000);
    }
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("denialdesk")).unwrap();
    std::fs::write(config.join("denialdesk/config.toml"), "idle_minutes = 0\n").unwrap();
    let ms = |d: &Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);

    let embedded: Vec<Duration> = (0..3)
        .map(|_| first_frame(&db, &["--embedded"], &config))
        .collect();
    println!(
        "first frame from process start, embedded store:       {}",
        embedded.iter().map(ms).collect::<Vec<_>>().join(", ")
    );
    let server = support::start_server(&db);
    let team: Vec<Duration> = (0..4).map(|_| first_frame(&db, &[], &config)).collect();
    drop(server);
    println!(
        "first frame from process start, running team server:  {} (the first warms the server's cache)",
        team.iter().map(ms).collect::<Vec<_>>().join(", ")
    );
}

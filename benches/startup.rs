//! First frame from process start, for real: the release binary is started in a tmux pane
//! (80x24) and the pane is read until the populated worklist header appears. Three runs
//! each: through a running team server, and embedded. Needs tmux; run with
//! `cargo bench --bench startup` (DENIALDESK_BENCH_DB: a database from `bench-data`,
//! else one with 100,000 denials is generated).

mod support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux").args(args).output().expect("tmux runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Starts the app and returns the time until its first populated frame.
fn first_frame(db: &Path, extra: &str, config: &Path) -> Duration {
    let session = format!("dd-startup-{}", std::process::id());
    let cmd = format!(
        "XDG_CONFIG_HOME={} NO_COLOR=1 {} --db {} {extra}; sleep 5",
        config.display(),
        env!("CARGO_BIN_EXE_denialdesk"),
        db.display()
    );
    let started = Instant::now();
    tmux(&[
        "new-session",
        "-d",
        "-s",
        &session,
        "-x",
        "80",
        "-y",
        "24",
        &cmd,
    ]);
    loop {
        let screen = tmux(&["capture-pane", "-p", "-t", &session]);
        // The header counts what is listed, and stops saying "loading…" once it is.
        if screen.contains(" claims ·") && !screen.contains("loading") {
            let elapsed = started.elapsed();
            tmux(&["kill-session", "-t", &session]);
            return elapsed;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "{screen}");
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn main() {
    if Command::new("tmux").arg("-V").output().is_err() {
        println!("startup bench skipped: tmux is not installed");
        return;
    }
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
        .map(|_| first_frame(&db, "--embedded", &config))
        .collect();
    println!(
        "first frame from process start, embedded store:       {}",
        embedded.iter().map(ms).collect::<Vec<_>>().join(", ")
    );
    let server = support::start_server(&db);
    let team: Vec<Duration> = (0..4).map(|_| first_frame(&db, "", &config)).collect();
    drop(server);
    println!(
        "first frame from process start, running team server:  {} (the first warms the server's cache)",
        team.iter().map(ms).collect::<Vec<_>>().join(", ")
    );
}

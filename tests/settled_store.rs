//! The writers of much (an import, a restore, a team server stopping) leave the database
//! settled: sled records where its pages lie only when it opens, so without this the next
//! process to open it (a teammate's first frame) would read the writer's log back first.
//! Seen from outside: sled names its snapshot file by the log position it covers, and
//! writes a new one at an open that had log to replay.

mod common;

use common::cli_env::Env;
use common::server::wait_for;
use std::path::Path;

/// Where sled's log stood at its last snapshot: its snapshot file is named by that log
/// sequence number (`snap.{lsn:016X}`), so two names give the bytes of log between them.
fn snapshot_lsn(db: &Path) -> u64 {
    let lsns: Vec<u64> = std::fs::read_dir(db)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            let hex = name.strip_prefix("snap.")?;
            u64::from_str_radix(hex, 16).ok()
        })
        .collect();
    assert!(lsns.len() <= 1, "sled keeps one snapshot file in {db:?}");
    // None yet: no open has found log to replay.
    lsns.first().copied().unwrap_or(0)
}

/// The bytes of log the next process to open the database reads back: it opens it and
/// reads the worklist in a process of its own.
fn next_open_replays(env: &Env) -> u64 {
    let before = snapshot_lsn(&env.db());
    env.ok(&["--embedded", "list", "--json"]);
    snapshot_lsn(&env.db()) - before
}

/// What sled's own upkeep may write while the writer reopens the database (its flusher
/// moves pages out of nearly empty log segments on a timer): up to ~70 KB seen, against
/// the megabytes the writes themselves took.
const UPKEEP: u64 = 256 * 1024;

fn remittance(env: &Env) -> String {
    env.write(
        "remit.835",
        &denialdesk::demo::synthetic_835_in_sets(3_000, 500, 7, 300),
    )
}

#[test]
fn an_embedded_import_leaves_nothing_for_the_next_open_to_replay() {
    let env = Env::new();
    let file = remittance(&env);
    env.ok(&["--embedded", "list"]);
    let before = snapshot_lsn(&env.db());
    let out = env.ok(&["--embedded", "import", &file]);
    assert!(out.contains("3000 claims read"), "{out}");
    let written = snapshot_lsn(&env.db()) - before;
    assert!(
        written > 4 * UPKEEP,
        "the import wrote {written} bytes of log"
    );
    let replayed = next_open_replays(&env);
    assert!(
        replayed < UPKEEP,
        "the next open read back {replayed} bytes"
    );
}

#[test]
fn a_team_server_stopping_idle_leaves_nothing_to_replay() {
    let env = Env::new();
    let file = remittance(&env);
    env.ok(&["--embedded", "list"]);
    let before = snapshot_lsn(&env.db());
    // Through the auto-started server, which stops after a second without clients.
    env.ok(&["import", &file]);
    let log = env.db().join("server.log");
    wait_for("the idle server to stop", || {
        std::fs::read_to_string(&log).is_ok_and(|l| l.contains(" stopped"))
    });
    let said = std::fs::read_to_string(&log).unwrap();
    assert!(said.contains("stopped (database settled)"), "{said}");
    assert!(snapshot_lsn(&env.db()) - before > 4 * UPKEEP);
    let replayed = next_open_replays(&env);
    assert!(
        replayed < UPKEEP,
        "the next open read back {replayed} bytes"
    );
}

#[test]
fn a_restored_database_opens_without_replaying_the_restore() {
    let env = Env::new();
    let file = remittance(&env);
    env.ok(&["--embedded", "import", &file]);
    let backup = env.dir.path().join("nightly.jsonl");
    env.ok(&["--embedded", "backup", backup.to_str().unwrap()]);
    let restored = Env::new();
    restored.ok(&["restore", backup.to_str().unwrap()]);
    assert!(snapshot_lsn(&restored.db()) > 4 * UPKEEP);
    let replayed = next_open_replays(&restored);
    assert!(
        replayed < UPKEEP,
        "the next open read back {replayed} bytes"
    );
    assert_eq!(
        restored.ok(&["--embedded", "list", "--json"]),
        env.ok(&["--embedded", "list", "--json"])
    );
}

#[test]
fn a_team_server_whose_database_was_removed_under_it_exits_without_remaking_it() {
    let env = Env::new();
    let file = remittance(&env);
    env.ok(&["import", &file]);
    let pid = std::fs::read_to_string(env.db().join("server.pid")).unwrap();
    let running = || {
        std::fs::read_to_string(format!("/proc/{}/stat", pid.trim()))
            .is_ok_and(|stat| !stat.contains(") Z "))
    };
    assert!(running(), "the auto-started server is idling");
    // Removed while the server idles (a test's temporary folder, an admin's mistake).
    std::fs::remove_dir_all(env.db()).unwrap();
    wait_for("the server to exit", || !running());
    assert!(!env.db().exists(), "no new database was made in its place");
}

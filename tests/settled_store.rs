//! The writers of much (an import, a restore, a team server stopping) leave the database
//! settled: sled records where its pages lie only when it opens, so without this the next
//! process to open it (a teammate's first frame) would read the writer's log back first.
//! Seen from outside: sled writes a new `snap.*` file at an open that had log to replay,
//! and none at an open that had nothing to replay.

mod common;

use common::cli_env::Env;
use common::server::wait_for;
use std::path::Path;

/// The names of sled's snapshot files in the database folder.
fn sled_snapshots(db: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(db)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("snap."))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "sled keeps a snapshot file in {db:?}");
    names
}

/// Opens the database in a process of its own and reads the worklist; returns whether
/// that open had something to replay (it wrote a new snapshot).
fn next_open_replayed(env: &Env) -> bool {
    let before = sled_snapshots(&env.db());
    env.ok(&["--embedded", "list", "--json"]);
    sled_snapshots(&env.db()) != before
}

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
    let out = env.ok(&["--embedded", "import", &file]);
    assert!(out.contains("3000 claims read"), "{out}");
    assert!(!next_open_replayed(&env));
    // The check sees a replay when there is one: a note is a small write, not settled.
    let first = env.ok(&["--embedded", "list", "--json"]);
    let claim: serde_json::Value = serde_json::from_str(first.lines().next().unwrap()).unwrap();
    env.ok(&[
        "--embedded",
        "note",
        claim["key"].as_str().unwrap(),
        "called the payer",
    ]);
    assert!(next_open_replayed(&env));
    assert!(!next_open_replayed(&env), "and once replayed, it is done");
}

#[test]
fn a_team_server_stopping_idle_leaves_nothing_to_replay() {
    let env = Env::new();
    let file = remittance(&env);
    // Through the auto-started server, which stops after a second without clients.
    env.ok(&["import", &file]);
    let log = env.db().join("server.log");
    wait_for("the idle server to stop", || {
        std::fs::read_to_string(&log).is_ok_and(|l| l.contains(" stopped"))
    });
    assert!(!next_open_replayed(&env));
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
    assert!(!next_open_replayed(&restored));
    assert_eq!(
        restored.ok(&["--embedded", "list", "--json"]),
        env.ok(&["--embedded", "list", "--json"])
    );
}

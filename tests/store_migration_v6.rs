//! A database written by the schema 5 release (`tests/fixtures/schema5`, made with that
//! release's binary from `first.835`, then ACCT9 resubmitted, an appeal on ACCT1@2 and a
//! note on ACCT1@1) opens under schema 6: every work item in the new layout with its
//! no-response clock, nothing else changed.

mod common;

use common::assert_list_rows_match;
use denialdesk::domain::status::Status;
use denialdesk::store::{SledStore, Store, WorkStore};
use std::path::{Path, PathBuf};

fn copy_fixture_db(into: &Path) -> PathBuf {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema5/db");
    let to = into.join("db");
    std::fs::create_dir_all(to.join("blobs")).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&to, std::fs::Permissions::from_mode(0o700)).unwrap();
    for entry in std::fs::read_dir(&to).unwrap() {
        let p = entry.unwrap().path();
        let mode = if p.is_dir() { 0o700 } else { 0o600 };
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    to
}

#[test]
fn a_schema_5_store_gains_the_no_response_clock_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture_db(dir.path());
    let store = SledStore::open(&path).unwrap();
    let items = store.work_items().unwrap();
    assert_eq!(items.len(), 3);
    let by_status = |s: Status| items.iter().find(|i| i.status == s).unwrap();
    let resubmitted = by_status(Status::Resubmitted);
    assert_eq!(resubmitted.claim_id, "ACCT9");
    assert_eq!(
        resubmitted.awaiting_payer_since,
        Some(resubmitted.updated_at.date_naive()),
        "a claim with the payer: its clock from its last save"
    );
    let appealed = by_status(Status::Appealed);
    assert_eq!(appealed.appeals.len(), 1);
    assert_eq!(appealed.appeals[0].submitted.to_string(), "2026-11-05");
    assert!(appealed.awaiting_payer_since.is_some());
    let working = by_status(Status::InProgress);
    assert_eq!(working.awaiting_payer_since, None, "not with the payer");
    assert_eq!(working.denied_cents, 18_000);
    // Timelines and the audit log are untouched.
    assert!(store
        .timeline(&working.key)
        .unwrap()
        .iter()
        .any(|e| e.kind.summary() == "note: called, auth pending"));
    assert!(store.audit_log().unwrap().len() >= 5);
    assert_list_rows_match(&store);
    let before = store.work_items().unwrap();
    drop(store);

    // Opening again changes nothing: the migration ran once.
    let store = SledStore::open(&path).unwrap();
    assert_eq!(store.work_items().unwrap(), before);
    drop(store);
    let db = (0..200)
        .find_map(|_| {
            sled::open(&path)
                .map_err(|_| std::thread::sleep(std::time::Duration::from_millis(10)))
                .ok()
        })
        .unwrap();
    assert_eq!(&db.get(b"m:schema").unwrap().unwrap()[..], b"7");
}

#[test]
fn a_backup_by_the_schema_5_release_restores_with_the_no_response_clock() {
    let dir = tempfile::tempdir().unwrap();
    let backup =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema5/schema5.backup.jsonl");
    let db = dir.path().join("restored");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_denialdesk"))
        .args([
            "--db",
            db.to_str().unwrap(),
            "--embedded",
            "restore",
            backup.to_str().unwrap(),
        ])
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = SledStore::open(&db).unwrap();
    let items = store.work_items().unwrap();
    assert_eq!(items.len(), 3);
    let resubmitted = items
        .iter()
        .find(|i| i.status == Status::Resubmitted)
        .unwrap();
    assert_eq!(
        resubmitted.awaiting_payer_since,
        Some(resubmitted.updated_at.date_naive())
    );
    let working = items
        .iter()
        .find(|i| i.status == Status::InProgress)
        .unwrap();
    assert_eq!(working.awaiting_payer_since, None);
    assert_list_rows_match(&store);
}

//! A database written by the schema 5 release (`tests/fixtures/schema5`, made with that
//! release's binary from `first.835`, then ACCT9 resubmitted, an appeal on ACCT1@2 and a
//! note on ACCT1@1) opens under schema 6: every work item in the new layout with its
//! no-response clock, nothing else changed.

mod common;

use common::assert_list_rows_match;
use common::fixture_db::{copy_fixture_db, stored_schema};
use denialdesk::domain::status::Status;
use denialdesk::store::{SledStore, Store, WorkStore};
use std::path::Path;

#[test]
fn a_schema_5_store_gains_the_no_response_clock_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture_db("schema5", dir.path());
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
    assert_eq!(
        stored_schema(&path),
        denialdesk::store::SCHEMA_VERSION.to_string().as_bytes()
    );
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

//! A database written by the schema 7 release (`tests/fixtures/schema7`, made with that
//! release's binary from the schema 6 fixture: a level 1 appeal on ACCT1#8f0d5329 sent by
//! fax and upheld, its level 2 letter written to a file, a level 1 appeal on
//! ACCT1#ba66da68 by portal and a note, then `schema7.backup.jsonl` taken) opens under
//! schema 8: every work item in the new layout exactly as the release's backup has it,
//! with no appeal packet yet; a packet can then be checked off and a letter linked.

mod common;

use common::assert_list_rows_match;
use common::fixture_db::{copy_fixture_db, items_in_release_backup, stored_schema};
use denialdesk::domain::action::WorkAction;
use denialdesk::domain::packet::{ChecklistDoc, DocumentEntry, LetterRecord};
use denialdesk::domain::status::Status;
use denialdesk::store::{SledStore, WorkStore};

#[test]
fn a_schema_7_store_opens_under_schema_8_with_every_item_and_appeal_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture_db("schema7", dir.path());
    let store = SledStore::open(&path).unwrap();
    let mut items = store.work_items().unwrap();
    items.sort_by(|a, b| a.key.cmp(&b.key));
    let expected = items_in_release_backup("schema7");
    assert_eq!(items.len(), 14);
    assert_eq!(items, expected);
    assert!(items.iter().all(|i| i.packets.is_empty()));
    let upheld = items.iter().find(|i| i.key == "ACCT1#8f0d5329").unwrap();
    assert_eq!(upheld.status, Status::Upheld);
    assert_eq!(upheld.appeals.len(), 1);
    assert_eq!(upheld.next_appeal_level(), 2);
    assert!(store
        .timeline(&upheld.key)
        .unwrap()
        .iter()
        .any(|e| e.kind.summary().contains("level 2 appeal letter")));
    assert_list_rows_match(&store);

    // The migrated item takes the new records: a document checked off for level 2 and
    // a letter linked to that level's packet.
    let doc = ChecklistDoc::new("Decision letter from the level below", true);
    let check = WorkAction::CheckDocuments {
        level: 2,
        entries: vec![DocumentEntry {
            doc: doc.clone(),
            reference: "scanned to S:/appeals/ACCT1-l1-decision.pdf".into(),
        }],
    };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
    store.apply(&upheld.key, &check, today, "maria").unwrap();
    let letter = WorkAction::RecordLetter {
        level: 2,
        letter: LetterRecord {
            what: "level 2 appeal letter".into(),
            template: "medical-necessity".into(),
            path: Some("/home/maria/letters/ACCT1-level-2.pdf".into()),
            written_on: today,
            draft: false,
        },
    };
    store.apply(&upheld.key, &letter, today, "maria").unwrap();
    drop(store);

    let store = SledStore::open(&path).unwrap();
    let item = store.work_item(&upheld.key).unwrap().unwrap();
    assert_eq!(item.packets.len(), 1);
    assert_eq!(item.packets[0].level, 2);
    assert_eq!(
        item.packets[0].reference(&doc.id).as_deref(),
        Some("scanned to S:/appeals/ACCT1-l1-decision.pdf")
    );
    assert_eq!(
        item.packets[0].reference("appeal-letter").as_deref(),
        Some("/home/maria/letters/ACCT1-level-2.pdf")
    );
    let mut others = store.work_items().unwrap();
    others.retain(|i| i.key != upheld.key);
    others.sort_by(|a, b| a.key.cmp(&b.key));
    let mut expected_others = expected.clone();
    expected_others.retain(|i| i.key != upheld.key);
    assert_eq!(others, expected_others);
    drop(store);
    assert_eq!(
        stored_schema(&path),
        denialdesk::store::SCHEMA_VERSION.to_string().as_bytes()
    );
}

/// A schema 7 item is today's layout without the packets after it (their empty list is
/// the last 8 bytes bincode writes): one with an underpayment record and a routing boost
/// keeps both through the migration.
#[test]
fn a_schema_7_underpayment_keeps_its_record_and_boost() {
    use denialdesk::domain::contract::Tolerance;
    use denialdesk::domain::underpaid_line::Underpayment;
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture_db("schema7", dir.path());
    let mut item = items_in_release_backup("schema7")
        .into_iter()
        .find(|i| i.key == "ACCT1#ba66da68")
        .unwrap();
    item.underpayment = Some(Underpayment {
        contract_file: "contracts.csv".into(),
        tolerance: Tolerance::default(),
        lines: Vec::new(),
    });
    item.priority_boost = 7;
    let mut bytes = bincode::serialize(&item).unwrap();
    assert_eq!(bytes.split_off(bytes.len() - 8), vec![0u8; 8]);
    {
        let db = sled::open(&path).unwrap();
        db.insert(format!("w:{}", item.key), bytes).unwrap();
        db.flush().unwrap();
    }
    let store = SledStore::open(&path).unwrap();
    let migrated = store.work_item(&item.key).unwrap().unwrap();
    assert_eq!(migrated, item);
    assert_eq!(migrated.priority_boost, 7);
    assert_eq!(
        migrated.underpayment.unwrap().contract_file,
        "contracts.csv"
    );
}

#[test]
fn a_migration_at_open_says_each_step_with_verbose() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture_db("schema7", dir.path());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_denialdesk"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .arg("--db")
        .arg(&path)
        .args(["--embedded", "--verbose", "list"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("migrating the database from schema 7: rewriting every work item"),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "database migrated to schema {}",
            denialdesk::store::SCHEMA_VERSION
        )),
        "{said}"
    );
    assert_eq!(
        stored_schema(&path),
        denialdesk::store::SCHEMA_VERSION.to_string().as_bytes()
    );
    // Opened again: nothing to migrate, nothing said.
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_denialdesk"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .arg("--db")
        .arg(&path)
        .args(["--embedded", "--verbose", "list"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&again.stderr).contains("migrat"));
}

//! A database written by the schema 6 release (`tests/fixtures/schema6`, made with that
//! release's binary: `first.835` and `acknowledgments.277` imported, ACCT9 resubmitted, a
//! note on LOS100955, LMN102055 assigned to ana, then `schema6.backup.jsonl` taken) opens
//! under today's schema: every work item in the new layout, exactly as the release's own backup
//! has it (its no-response clock kept, not estimated again), with no underpayment record.

mod common;

use common::assert_list_rows_match;
use common::fixture_db::{copy_fixture_db, items_in_release_backup, stored_schema};
use denialdesk::domain::status::Status;
use denialdesk::domain::work_item::ItemKind;
use denialdesk::store::{SledStore, Store, WorkStore};

#[test]
fn a_schema_6_store_opens_under_todays_schema_with_every_item_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture_db("schema6", dir.path());
    let store = SledStore::open(&path).unwrap();
    let mut items = store.work_items().unwrap();
    items.sort_by(|a, b| a.key.cmp(&b.key));
    let expected = items_in_release_backup("schema6");
    assert_eq!(items.len(), 14);
    assert_eq!(items, expected);
    assert!(items
        .iter()
        .all(|i| i.underpayment.is_none() && i.packets.is_empty()));
    let resubmitted = items.iter().find(|i| i.claim_id == "ACCT9").unwrap();
    assert_eq!(resubmitted.status, Status::Resubmitted);
    assert!(resubmitted.awaiting_payer_since.is_some());
    let rejections = items
        .iter()
        .filter(|i| i.kind == ItemKind::Rejection)
        .count();
    assert_eq!(rejections, 11);
    let assigned = items.iter().find(|i| i.claim_id == "LMN102055").unwrap();
    assert_eq!(assigned.owner.as_deref(), Some("ana"));
    assert!(store
        .timeline(
            &items
                .iter()
                .find(|i| i.claim_id == "LOS100955")
                .unwrap()
                .key
        )
        .unwrap()
        .iter()
        .any(|e| e.kind.summary().contains("fixing subscriber id")));
    assert_eq!(store.audit_log().unwrap().len(), 25);
    assert_list_rows_match(&store);
    drop(store);

    // Opening again changes nothing; the schema is today's.
    let store = SledStore::open(&path).unwrap();
    let mut again = store.work_items().unwrap();
    again.sort_by(|a, b| a.key.cmp(&b.key));
    assert_eq!(again, expected);
    drop(store);
    assert_eq!(
        stored_schema(&path),
        denialdesk::store::SCHEMA_VERSION.to_string().as_bytes()
    );
}

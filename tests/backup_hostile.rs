//! Issue 13, item 7: every byte an imported field can hold survives a backup and a restore
//! (and the importer creates no id the rest cannot handle: control characters are refused
//! there, see `importer_strict`).

mod common;

use common::remits::*;
use common::*;
use denialdesk::store::{SledStore, Store, WorkStore};

#[test]
fn hostile_but_legal_text_round_trips_through_backup_and_restore() {
    let (dir, store) = temp_store();
    let odd_ids = ["A\"1\\#@2", "É💥{}%'x", "ACCT@7", "Z#deadbeef"];
    let claims: Vec<Vec<String>> = odd_ids
        .iter()
        .enumerate()
        .map(|(n, id)| {
            let who = (
                "O\"BRIEN\\",
                "ZOË 💥",
                if n % 2 == 0 { "W\"1" } else { "#@!" },
            );
            claim_for(
                id,
                1,
                who,
                "CI",
                "I\"#",
                &[("99214", "100", "0", &["CO*197*100"])],
                &[],
            )
        })
        .collect();
    import(&store, "odd.835", &file(1, ACME, "20261101", &claims)).unwrap();
    let before = store.work_items().unwrap();
    assert_eq!(before.len(), odd_ids.len());
    let mut backup = Vec::new();
    store.backup(&mut backup, "ops").unwrap();
    let restored_path = dir.path().join("restored");
    SledStore::restore(&restored_path, &mut backup.as_slice(), "odd.jsonl", "ops").unwrap();
    let restored = SledStore::open(&restored_path).unwrap();
    assert_eq!(restored.work_items().unwrap(), before);
    for item in &before {
        assert_eq!(
            restored.claim_history(&item.key).unwrap(),
            store.claim_history(&item.key).unwrap()
        );
        assert_eq!(
            restored.timeline(&item.key).unwrap(),
            store.timeline(&item.key).unwrap()
        );
        // Each is still found by its key, its CLP01 and its own oddities.
        assert_eq!(
            restored.work_item(&item.claim_id).unwrap().unwrap().key,
            item.key
        );
    }
    assert_list_rows_match(&restored);
}

use super::*;
use crate::import::{import_observed, BytesSource};
use crate::store::claim_blocks::location;
use crate::store::core::encode;

/// A store holding 2,000 claims imported as a file (in four sets, one batch: a file of up to
/// 2,000 claims is not journaled), and its index entries in key order.
fn imported() -> (tempfile::TempDir, SledStore, Vec<IndexEntry>) {
    let dir = tempfile::tempdir().unwrap();
    let store = SledStore::open(&dir.path().join("db")).unwrap();
    let text = crate::demo::synthetic_835_in_sets(2_000, 500, 1, 300);
    let source = BytesSource("remit.835".into(), text.as_bytes());
    import_observed(
        &store,
        &source,
        &Default::default(),
        "tester",
        0,
        &mut |_| {},
    )
    .unwrap();
    let entries = store.index_in_key_order().unwrap();
    assert_eq!(entries.len(), 2_000);
    assert_eq!(store.db.scan_prefix(keys::CLAIMS).count(), 0);
    // One fragment for each bucket the file touched, written with its commit.
    let fragments = store.db.scan_prefix(keys::CLAIM_INDEX).count();
    assert!(fragments <= 2_000 && fragments > 1_000, "{fragments}");
    (dir, store, entries)
}

/// Puts the entries `back` picks where schema 10 kept them (a `c:` key each, pointing into
/// its block) and leaves the others in the index, as a move cut short leaves a store.
fn as_schema_10(store: &SledStore, entries: &[IndexEntry], back: impl Fn(usize) -> bool) {
    let mut batch = Batch::default();
    for key in store.db.scan_prefix(keys::CLAIM_INDEX).keys() {
        batch.remove(key.unwrap());
    }
    let mut moved = Vec::new();
    for (n, e) in entries.iter().enumerate() {
        if back(n) {
            batch.insert(e.label(), location(e.block, e.position));
        } else {
            moved.push(e.clone());
        }
    }
    store.apply(batch).unwrap();
    let mut batch = Batch::default();
    store.stage_index(&mut batch, moved).unwrap();
    batch.insert(keys::SCHEMA, encode(&10u32));
    store.apply(batch).unwrap();
    store.flush().unwrap();
}

fn reopened(dir: &tempfile::TempDir, store: SledStore) -> Result<SledStore, StoreError> {
    drop(store);
    SledStore::open(&dir.path().join("db"))
}

fn schema(store: &SledStore) -> u32 {
    store.get(keys::SCHEMA).unwrap().unwrap()
}

#[test]
fn a_schema_10_store_moves_every_claim_into_the_index_and_reads_the_same() {
    let (dir, store, entries) = imported();
    let key = &entries[1_000].key;
    let history = store.claim_history_at(key).unwrap();
    as_schema_10(&store, &entries, |_| true);
    assert_eq!(store.db.scan_prefix(keys::CLAIMS).count(), 2_000);
    assert!(store.index_entries_at(key).unwrap().is_empty());
    let store = reopened(&dir, store).unwrap();
    assert_eq!(store.index_in_key_order().unwrap(), entries);
    assert_eq!(store.db.scan_prefix(keys::CLAIMS).count(), 0);
    assert_eq!(store.claim_history_at(key).unwrap(), history);
    assert_eq!(schema(&store), crate::store::SCHEMA_VERSION);
}

#[test]
fn a_move_cut_short_resumes_with_the_entries_it_had_not_moved() {
    let (dir, store, entries) = imported();
    as_schema_10(&store, &entries, |n| n % 3 == 0);
    assert_eq!(store.db.scan_prefix(keys::CLAIMS).count(), 667);
    let store = reopened(&dir, store).unwrap();
    assert_eq!(store.index_in_key_order().unwrap(), entries);
    assert_eq!(store.db.scan_prefix(keys::CLAIMS).count(), 0);
    assert_eq!(schema(&store), crate::store::SCHEMA_VERSION);
}

#[test]
fn a_damaged_entry_stops_the_move_naming_it_and_a_build_before_11_cannot_open_it() {
    let (dir, store, entries) = imported();
    as_schema_10(&store, &entries, |_| true);
    let damaged = entries[7].label();
    store.db.insert(&damaged, vec![0xB1, 1, 2]).unwrap();
    store.flush().unwrap();
    let err = reopened(&dir, store)
        .err()
        .expect("a damaged entry is refused");
    let said = err.to_string();
    assert!(said.contains(&entries[7].key), "{said}");
    assert!(said.contains("wrong length"), "{said}");
    // Read with sled itself (an open would try the move again), once the store let go.
    let db = (0..200)
        .find_map(|_| {
            sled::open(dir.path().join("db"))
                .map_err(|_| std::thread::sleep(std::time::Duration::from_millis(10)))
                .ok()
        })
        .unwrap();
    // The store says this build's schema (an older build refuses it) and where the move
    // started.
    assert_eq!(
        &db.get(keys::SCHEMA).unwrap().unwrap()[..],
        crate::store::SCHEMA_VERSION.to_string().as_bytes()
    );
    assert_eq!(&db.get(keys::MOVING_CLAIMS).unwrap().unwrap()[..], b"10");
    assert!(
        db.get(&damaged).unwrap().is_some(),
        "nothing of its chunk was moved"
    );
    // Mended, the next open resumes the move and finishes it.
    db.insert(&damaged, location(entries[7].block, entries[7].position))
        .unwrap();
    db.flush().unwrap();
    drop(db);
    let store = (0..200)
        .find_map(|_| {
            SledStore::open(&dir.path().join("db"))
                .map_err(|_| std::thread::sleep(std::time::Duration::from_millis(10)))
                .ok()
        })
        .unwrap();
    assert_eq!(store.index_in_key_order().unwrap(), entries);
    assert!(store.db.get(keys::MOVING_CLAIMS).unwrap().is_none());
    assert_eq!(schema(&store), crate::store::SCHEMA_VERSION);
}

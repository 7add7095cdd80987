use super::*;

fn entry(key: &str, seq: u64) -> IndexEntry {
    IndexEntry {
        key: key.to_string(),
        seq,
        block: seq * 7,
        position: (seq % 128) as u32,
    }
}

fn store() -> (tempfile::TempDir, SledStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SledStore::open(&dir.path().join("db")).unwrap();
    (dir, store)
}

/// The fragments of `bucket`, as stored.
fn fragments(store: &SledStore, bucket: u32) -> usize {
    store
        .db
        .scan_prefix(keys::claim_index_bucket(bucket))
        .count()
}

#[test]
fn a_fragment_reads_back_sorted_and_filtered_by_key() {
    let mut entries = vec![
        entry("B#00000001", 9),
        entry("A#00000001", 5),
        entry("A#00000001", 2),
    ];
    let value = encode_fragment(&mut entries);
    let all = decode_fragment(&value, |_| true).unwrap();
    assert_eq!(
        all,
        vec![
            entry("A#00000001", 2),
            entry("A#00000001", 5),
            entry("B#00000001", 9)
        ]
    );
    let only_b = decode_fragment(&value, |k| k.starts_with('B')).unwrap();
    assert_eq!(only_b, vec![entry("B#00000001", 9)]);
}

#[test]
fn a_damaged_fragment_is_an_error_never_a_panic() {
    let value = encode_fragment(&mut [entry("A#00000001", 1), entry("Z", 2)]);
    assert!(decode_fragment(&[], |_| true).is_err());
    assert!(decode_fragment(&[9, 1, 2], |_| true).is_err());
    for cut in 0..value.len() {
        assert!(
            decode_fragment(&value[..cut], |_| true).is_err(),
            "cut at {cut}"
        );
    }
    // A count larger than the entries, and bytes after them.
    let mut payload = 3u32.to_le_bytes().to_vec();
    payload.extend_from_slice(&1u16.to_le_bytes());
    payload.push(b'A');
    payload.extend_from_slice(&[0; 20]);
    let pack = |p: &[u8]| [&[LZ4_ENTRIES][..], &lz4_flex::compress_prepend_size(p)].concat();
    assert!(decode_fragment(&pack(&payload), |_| true).is_err());
    payload[0] = 1;
    payload.push(0);
    assert!(decode_fragment(&pack(&payload), |_| true).is_err());
    // A key that is not UTF-8.
    let mut bad = 1u32.to_le_bytes().to_vec();
    bad.extend_from_slice(&1u16.to_le_bytes());
    bad.push(0xff);
    bad.extend_from_slice(&[0; 20]);
    assert!(decode_fragment(&pack(&bad), |_| true).is_err());
}

#[test]
fn every_claim_of_a_clp01_is_in_one_bucket_and_found_by_it_alone() {
    let (_dir, store) = store();
    // Two keys of one CLP01, one of a CLP01 that itself looks like a key, one other.
    let mut batch = Batch::default();
    let written = vec![
        entry("A1#0000000a", 1),
        entry("A1#0000000b", 2),
        entry("A1#0000000a", 3),
        entry("A1#0000000a#0000000c", 4),
        entry("B7#0000000a", 5),
    ];
    store.stage_index(&mut batch, written).unwrap();
    store.apply(batch).unwrap();
    assert_eq!(
        store.index_entries_of("A1").unwrap(),
        vec![
            entry("A1#0000000a", 1),
            entry("A1#0000000a", 3),
            entry("A1#0000000b", 2)
        ]
    );
    assert_eq!(
        store.index_entries_at("A1#0000000a").unwrap(),
        vec![entry("A1#0000000a", 1), entry("A1#0000000a", 3)]
    );
    assert_eq!(
        store.index_entries_of("A1#0000000a").unwrap(),
        vec![entry("A1#0000000a#0000000c", 4)]
    );
    assert!(store.index_entries_of("A").unwrap().is_empty());
    let mut seen = Vec::new();
    store
        .for_each_index_entry(|e| {
            seen.push(e.seq);
            Ok(())
        })
        .unwrap();
    seen.sort();
    assert_eq!(seen, vec![1, 2, 3, 4, 5]);
}

#[test]
fn a_bucket_written_again_and_again_is_merged_and_keeps_every_entry() {
    let (_dir, store) = store();
    let bucket = bucket_of("A1");
    for seq in 1..=30u64 {
        let mut batch = Batch::default();
        store
            .stage_index(&mut batch, vec![entry("A1#0000000a", seq)])
            .unwrap();
        store.apply(batch).unwrap();
        assert!(
            fragments(&store, bucket) < MERGE_AT,
            "{} fragments after {seq} writes",
            fragments(&store, bucket)
        );
    }
    let seqs: Vec<u64> = store
        .index_entries_of("A1")
        .unwrap()
        .iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(seqs, (1..=30).collect::<Vec<_>>());
}

#[test]
fn a_journaled_imports_entries_are_read_before_its_commit_and_forgotten_with_it() {
    let (_dir, store) = store();
    store.keep_pending_index(7, vec![entry("P1#00000001", 1)], false);
    store.keep_pending_index(7, vec![entry("P1#00000001", 2)], false);
    assert_eq!(store.index_entries_at("P1#00000001").unwrap().len(), 2);
    assert_eq!(store.pending_index_of(7).len(), 2);
    assert!(store.pending_index_of(8).is_empty(), "another import's");
    assert_eq!(fragments(&store, bucket_of("P1")), 0, "nothing written yet");
    store.drop_pending_index(8);
    assert_eq!(store.pending_index_of(7).len(), 2, "another import's drop");
    store.drop_pending_index(7);
    assert!(store.index_entries_of("P1").unwrap().is_empty());
}

#[test]
fn past_the_limit_a_journaled_imports_entries_are_written_with_the_set() {
    let (_dir, store) = store();
    let kept: Vec<IndexEntry> = (0..PENDING_LIMIT as u64 - 10)
        .map(|n| entry(&format!("K{n}#00000001"), n))
        .collect();
    store.keep_pending_index(3, kept, false);
    let small = vec![entry("S#00000001", 1 << 40)];
    let mut batch = Batch::default();
    assert!(!store.spill_pending_index(3, &mut batch, &small).unwrap());
    let staged: Vec<IndexEntry> = (0..10)
        .map(|n| entry(&format!("L{n}#00000001"), (1 << 41) + n))
        .collect();
    assert!(store.spill_pending_index(3, &mut batch, &staged).unwrap());
    store.apply(batch).unwrap();
    store.keep_pending_index(3, staged, true);
    assert!(store.pending_index_of(3).is_empty());
    // Every entry kept and staged is stored (the small set's batch was never applied).
    assert_eq!(
        store.index_entries_of("K42").unwrap(),
        vec![entry("K42#00000001", 42)]
    );
    assert_eq!(store.index_entries_of("L9").unwrap().len(), 1);
    assert!(store.index_entries_of("S").unwrap().is_empty());
    let mut count = 0;
    store
        .for_each_index_entry(|_| {
            count += 1;
            Ok(())
        })
        .unwrap();
    assert_eq!(count, PENDING_LIMIT);
}

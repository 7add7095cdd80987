use super::*;

fn entry(key: &str, seq: u64) -> IndexEntry {
    IndexEntry::example(key, seq)
}

fn store() -> (tempfile::TempDir, SledStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SledStore::open(&dir.path().join("db")).unwrap();
    (dir, store)
}

/// The runs as (id, entries), and every key of the index but the list of runs.
fn layout(store: &SledStore) -> (Vec<(u64, u64)>, usize) {
    let keys = store.db.scan_prefix(keys::CLAIM_INDEX).count();
    let runs: Vec<(u64, u64)> = store
        .claim_runs()
        .unwrap()
        .iter()
        .map(|r| (r.id, r.entries))
        .collect();
    let listed = usize::from(store.db.get(keys::CLAIM_RUNS).unwrap().is_some());
    (runs, keys - listed)
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
fn runs_written_again_and_again_are_merged_by_size_class_and_keep_every_entry() {
    let (_dir, store) = store();
    let mut most = 0;
    for seq in 1..=100u64 {
        let mut batch = Batch::default();
        let written = vec![entry("A1#0000000a", seq), entry(&format!("Z{seq}"), seq)];
        store.stage_index(&mut batch, written).unwrap();
        store.apply(batch).unwrap();
        let (runs, keys) = layout(&store);
        let sizes: Vec<u64> = runs.iter().map(|r| r.1).collect();
        assert_eq!(sizes.iter().sum::<u64>(), seq * 2, "{sizes:?}");
        // Never TIER runs of one class: they would have been merged.
        for class in 0..8 {
            let of_class = sizes.iter().filter(|&&n| size_class(n) == class).count();
            assert!(of_class < TIER, "after {seq} writes: {sizes:?}");
        }
        // Oldest first, so largest first.
        assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
        // No key of a merged run is left behind.
        let fragments: usize = runs
            .iter()
            .map(|r| store.db.scan_prefix(keys::claim_run(r.0)).count())
            .sum();
        assert_eq!(keys, fragments);
        most = most.max(runs.len());
    }
    assert!(most <= 9, "{most} runs for 200 entries");
    let seqs: Vec<u64> = store
        .index_entries_of("A1")
        .unwrap()
        .iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(seqs, (1..=100).collect::<Vec<_>>());
    assert_eq!(store.index_in_key_order().unwrap().len(), 200);
}

#[test]
fn writes_of_falling_sizes_keep_no_more_than_max_runs() {
    let (_dir, store) = store();
    // Three runs of each size class from 4^5 down to 1: none merged by class, 18 in all.
    let mut most = 0;
    let mut total = 0;
    for class in (0..6u32).rev() {
        for copy in 0..3 {
            let n = 4usize.pow(class);
            let written: Vec<IndexEntry> = (0..n)
                .map(|i| entry(&format!("R{class}-{copy}-{i}"), (total + i) as u64))
                .collect();
            total += n;
            let mut batch = Batch::default();
            store.stage_index(&mut batch, written).unwrap();
            store.apply(batch).unwrap();
            most = most.max(layout(&store).0.len());
        }
    }
    assert_eq!(most, MAX_RUNS);
    assert_eq!(store.index_in_key_order().unwrap().len(), total);
}

#[test]
fn a_journaled_imports_entries_are_read_before_its_commit_and_forgotten_with_it() {
    let (_dir, store) = store();
    store.keep_pending_index(7, vec![entry("P1#00000001", 1)], false);
    store.keep_pending_index(7, vec![entry("P1#00000001", 2)], false);
    assert_eq!(store.index_entries_at("P1#00000001").unwrap().len(), 2);
    assert_eq!(store.pending_index_of(7).len(), 2);
    assert!(store.pending_index_of(8).is_empty(), "another import's");
    assert_eq!(layout(&store), (Vec::new(), 0), "nothing written yet");
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

#[test]
fn a_run_filter_holds_every_clp01_added_and_few_others() {
    let mut filter = RunFilter::for_entries(10_000);
    for n in 0..10_000 {
        filter.add(&format!("LMN{n:09}"));
    }
    assert!((0..10_000).all(|n| filter.may_hold(&format!("LMN{n:09}"))));
    let others = (10_000..110_000)
        .filter(|n| filter.may_hold(&format!("LMN{n:09}")))
        .count();
    assert!(
        others < 2_000,
        "{others} of 100,000 others pass (about 1 % expected)"
    );
    let stored = filter.to_bytes();
    assert_eq!(RunFilter::from_bytes(&stored), Some(filter));
    assert_eq!(RunFilter::from_bytes(&stored[..stored.len() - 1]), None);
    assert_eq!(RunFilter::from_bytes(&[9, 0, 0, 0, 0, 0, 0, 0, 0]), None);
    assert_eq!(RunFilter::from_bytes(&[]), None);
}

#[test]
fn a_reader_never_sees_a_claim_lose_an_adjudication_while_runs_are_merged() {
    let (_dir, store) = store();
    let mut batch = Batch::default();
    let first: Vec<IndexEntry> = (1..=3).map(|seq| entry("A1#0000000a", seq)).collect();
    store.stage_index(&mut batch, first.clone()).unwrap();
    store.apply(batch).unwrap();
    std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            let mut reads = 0;
            while reads < 3_000 {
                let seen = store.index_entries_at("A1#0000000a").unwrap();
                assert_eq!(seen, first, "read {reads}");
                reads += 1;
            }
        });
        // Writes that merge the run holding A1's entries again and again.
        for n in 0..200u64 {
            let written: Vec<IndexEntry> = (0..64)
                .map(|i| entry(&format!("W{n}-{i}"), 1_000 + n * 64 + i))
                .collect();
            let mut batch = Batch::default();
            store.stage_index(&mut batch, written).unwrap();
            store.apply(batch).unwrap();
            if reader.is_finished() {
                break;
            }
        }
        reader.join().unwrap();
    });
}

/// Import `import` spills a full run (`PENDING_LIMIT` entries, claims `S0`…) in one of
/// its sets' batches, as a journaled set does past the limit.
fn spill_a_run(store: &SledStore, import: u64) {
    let mut spilled = Batch::default();
    let staged: Vec<IndexEntry> = (0..PENDING_LIMIT as u64)
        .map(|n| entry(&format!("S{n}#00000001"), n))
        .collect();
    assert!(store
        .spill_pending_index(import, &mut spilled, &staged)
        .unwrap());
    store.apply(spilled).unwrap();
}

#[test]
fn an_uncommitted_imports_runs_are_never_merged_and_its_rollback_keeps_everyone_elses() {
    let (_dir, store) = store();
    // Import 5 spilled a run in a set's batch (as a journaled set does past the limit).
    spill_a_run(&store, 5);
    store.keep_pending_index(5, Vec::new(), true);
    // Teammates write meanwhile, enough to merge every run they could.
    for n in 0..40u64 {
        let mut batch = Batch::default();
        let written = vec![entry(&format!("T{n}#00000001"), (1 << 40) + n)];
        store.stage_index(&mut batch, written).unwrap();
        store.apply(batch).unwrap();
        let runs = store.claim_runs().unwrap();
        assert_eq!(runs.iter().filter(|r| r.import == 5).count(), 1, "{runs:?}");
        assert_eq!(
            runs.iter().find(|r| r.import == 5).unwrap().entries,
            PENDING_LIMIT as u64
        );
    }
    // Rolled back: its run's keys go (as the journal's undo removes what a set created)
    // and the list loses that run only.
    let run = store
        .claim_runs()
        .unwrap()
        .into_iter()
        .find(|r| r.import == 5)
        .unwrap();
    let mut undo = Batch::default();
    for key in store.db.scan_prefix(keys::claim_run(run.id)).keys() {
        undo.remove(key.unwrap());
    }
    store.unlist_runs_of(&mut undo, 5).unwrap();
    store.apply(undo).unwrap();
    assert!(store.index_entries_of("S7").unwrap().is_empty());
    assert_eq!(store.index_in_key_order().unwrap().len(), 40);
    assert!(store.claim_runs().unwrap().iter().all(|r| r.import == 0));
}

#[test]
fn a_commit_makes_the_imports_runs_mergeable_and_writes_what_it_kept() {
    let (_dir, store) = store();
    spill_a_run(&store, 9);
    let mut commit = Batch::default();
    let kept = vec![entry("K#00000001", 1 << 41)];
    store.commit_index(&mut commit, 9, kept).unwrap();
    store.apply(commit).unwrap();
    let runs = store.claim_runs().unwrap();
    assert!(runs.iter().all(|r| r.import == 0), "{runs:?}");
    assert_eq!(store.index_in_key_order().unwrap().len(), PENDING_LIMIT + 1);
    // With nothing kept, a commit still marks its runs committed.
    spill_a_run(&store, 10);
    let mut commit = Batch::default();
    store.commit_index(&mut commit, 10, Vec::new()).unwrap();
    store.apply(commit).unwrap();
    assert!(store.claim_runs().unwrap().iter().all(|r| r.import == 0));
}

#[test]
fn a_damaged_list_of_runs_is_an_error_never_a_panic_or_a_huge_allocation() {
    let (_dir, store) = store();
    for value in [
        vec![1u8; 23],
        [[7u8; 8], u64::MAX.to_le_bytes(), [0; 8]].concat(),
    ] {
        store.db.insert(keys::CLAIM_RUNS, value).unwrap();
        assert!(store.index_entries_of("A").is_err());
        let mut batch = Batch::default();
        assert!(store
            .stage_index(&mut batch, vec![entry("A#00000001", 1)])
            .is_err());
    }
}

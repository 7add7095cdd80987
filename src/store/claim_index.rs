//! The claim index: where each stored adjudication lies (its block and position, see
//! `claim_blocks`), found by the claim's key or its CLP01.
//!
//! Not one sled key per adjudication, as schemas 9 and 10 kept it (`c:`): sled 0.34 splits
//! a leaf past 16 keys and loads a page-table entry per node at every open, so a million
//! claim keys made 60,000 nodes or more for every open to load, and cost an import about
//! 11 µs per claim to insert (BENCHMARKS.md). Instead the index is a few sorted runs, as
//! in a log-structured merge tree: a write adds a run (`x:{run:016x}{bucket:03x}`), its
//! entries split into `BUCKETS` buckets by a CRC-32 of their CLP01, one fragment per bucket
//! (every claim a CLP01 names is in one bucket, so "which claims does this CLP01 name" reads
//! one fragment per run), with a Bloom filter of its CLP01s (`x:{run:016x}bloom`, see
//! `RunFilter`) so that a lookup reads only the runs that may hold it. Runs are merged by
//! size class, in the same batch as the write (see `stage_index`): about log4(claims /
//! file) rewrites per entry, at most `MAX_RUNS` runs. `x:runs` lists them, oldest first,
//! with their sizes.
//!
//! Runs, not buckets, come first in the key: a write only ever adds keys past the last run
//! or removes a whole run. The first version put the bucket first, so every import wrote
//! into every leaf of the index, and sled, which rewrites a leaf whole, wrote the index over
//! and over: a 1M-claim store took 1.39 GB instead of 0.93 (BENCHMARKS.md).
//!
//! A journaled import (one batch per set, see `journal`) keeps its sets' entries in memory
//! (`PendingIndex`, read with the stored ones) and writes them, merged, in the batch that
//! commits it: an import that is rolled back never wrote them. Past `PENDING_LIMIT`
//! entries they are written as a run in the next set's batch instead, never merging (the
//! journal's undo removes the keys a set created and puts back the list of runs), so memory
//! stays bounded whatever the file's size.
//!
//! A fragment's bytes are in `index_fragment`.

use super::codec::Put;
use super::core::{db_error, SledStore};
use super::index_entry::by_bucket;
pub(super) use super::index_entry::{bucket_of, IndexEntry, PendingIndex, RunFilter, BUCKETS};
use super::index_fragment::{decode_fragment, encode_fragment};
use super::kv::Batch;
use super::{keys, StoreError};
use crate::domain::claim::Claim;
use crate::domain::claim_identity::claim_id_of_key;
use std::sync::Arc;

/// Runs of one size class merged into one (see `stage_index`).
const TIER: usize = 4;

/// A write merges runs until there are fewer than this many (tiny imports one after
/// another would otherwise make a run each).
const MAX_RUNS: usize = 16;

/// A run's size class: entries in [4^k, 4^(k+1)) are class k.
fn size_class(entries: u64) -> u32 {
    (64 - entries.leading_zeros()) / 2
}

/// A journaled import keeps this many entries in memory before it writes them.
const PENDING_LIMIT: usize = 65_536;

fn corrupt(key: &[u8], message: String) -> StoreError {
    StoreError::Corrupt {
        key: String::from_utf8_lossy(key).into(),
        message,
    }
}

impl SledStore {
    /// The runs of the index, oldest first: (run, entries).
    fn claim_runs(&self) -> Result<Vec<(u64, u64)>, StoreError> {
        let Some(value) = self.db.get(keys::CLAIM_RUNS).map_err(db_error)? else {
            return Ok(Vec::new());
        };
        if value.len() % 16 != 0 {
            return Err(corrupt(
                keys::CLAIM_RUNS,
                "a list of runs of the wrong length".into(),
            ));
        }
        let word = |b: &[u8]| u64::from_le_bytes(b.try_into().expect("8 bytes"));
        Ok(value
            .chunks_exact(16)
            .map(|run| (word(&run[..8]), word(&run[8..])))
            .collect())
    }

    /// Writes the list of runs into `put`.
    fn put_claim_runs(put: &mut impl Put, runs: &[(u64, u64)]) {
        let value: Vec<u8> = runs
            .iter()
            .flat_map(|(run, n)| run.to_le_bytes().into_iter().chain(n.to_le_bytes()))
            .collect();
        put.put(keys::CLAIM_RUNS.to_vec(), value);
    }

    /// A run's filter (`None` if it has none: the run is then always read).
    fn run_filter(&self, run: u64) -> Result<Option<Arc<RunFilter>>, StoreError> {
        let mut cache = self.run_filters.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(filter) = cache.get(&run) {
            return Ok(Some(Arc::clone(filter)));
        }
        let Some(bytes) = self.db.get(keys::claim_filter(run)).map_err(db_error)? else {
            return Ok(None);
        };
        let Some(filter) = RunFilter::from_bytes(&bytes) else {
            return Ok(None);
        };
        let filter = Arc::new(filter);
        cache.insert(run, Arc::clone(&filter));
        Ok(Some(filter))
    }

    /// The entries of one bucket of one run that `keep` accepts.
    fn run_bucket(
        &self,
        run: u64,
        bucket: u32,
        keep: impl FnMut(&str) -> bool,
    ) -> Result<Vec<IndexEntry>, StoreError> {
        let key = keys::claim_index(run, bucket);
        match self.db.get(&key).map_err(db_error)? {
            Some(v) => decode_fragment(&v, keep).map_err(|m| corrupt(&key, m)),
            None => Ok(Vec::new()),
        }
    }

    /// Every adjudication's entry under exactly the CLP01 `claim_id`, stored or pending, in
    /// (key, seq) order.
    pub(super) fn index_entries_of(&self, claim_id: &str) -> Result<Vec<IndexEntry>, StoreError> {
        let bucket = bucket_of(claim_id);
        // Most keys of a bucket are other CLP01s': told apart by their start first.
        let mine = |key: &str| key.starts_with(claim_id) && claim_id_of_key(key) == claim_id;
        let mut found = Vec::new();
        // Readers take no lock: a merge committed between reading the list of runs and a
        // run's fragment removes the fragment. The list is read again after, and the
        // lookup made again if it changed (a merge takes a whole import, so once is rare).
        let mut runs = self.claim_runs()?;
        for attempt in 1.. {
            found.clear();
            for &(run, _) in &runs {
                if self.run_filter(run)?.is_some_and(|f| !f.may_hold(claim_id)) {
                    continue;
                }
                found.extend(self.run_bucket(run, bucket, mine)?);
            }
            let now = self.claim_runs()?;
            if now == runs {
                break;
            }
            if attempt == 8 {
                return Err(StoreError::Database(format!(
                    "the claim index changed under eight lookups of {claim_id} in a row; try again"
                )));
            }
            runs = now;
        }
        let pending = self.pending_index.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(staged) = pending.by_bucket.get(&bucket) {
            found.extend(staged.iter().filter(|e| mine(&e.key)).cloned());
        }
        drop(pending);
        found.sort_unstable();
        // An import's entries are in its new run and, until it forgets them, in memory.
        found.dedup();
        Ok(found)
    }

    /// Every adjudication's entry under exactly `key`, oldest first.
    pub(super) fn index_entries_at(&self, key: &str) -> Result<Vec<IndexEntry>, StoreError> {
        let mut entries = self.index_entries_of(claim_id_of_key(key))?;
        entries.retain(|e| e.key == key);
        Ok(entries)
    }

    /// The adjudication an entry points to.
    pub(super) fn indexed_claim(&self, entry: &IndexEntry) -> Result<Claim, StoreError> {
        self.claim_in_block(&entry.label(), entry.block, entry.position)
    }

    /// Calls `visit` with every stored entry, a bucket at a time, each bucket in (key, seq)
    /// order (so a key's adjudications come together, oldest first).
    pub(super) fn for_each_index_entry(
        &self,
        mut visit: impl FnMut(&IndexEntry) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let runs = self.claim_runs()?;
        for bucket in 0..BUCKETS {
            let mut entries = Vec::new();
            for &(run, _) in &runs {
                entries.extend(self.run_bucket(run, bucket, |_| true)?);
            }
            entries.sort_unstable();
            entries.iter().try_for_each(&mut visit)?;
        }
        Ok(())
    }

    /// Every stored entry in (key, seq) order (a backup's; 1M claims hold ~70 MB here).
    pub(super) fn index_in_key_order(&self) -> Result<Vec<IndexEntry>, StoreError> {
        let mut all = Vec::new();
        self.for_each_index_entry(|e| {
            all.push(e.clone());
            Ok(())
        })?;
        all.sort_unstable();
        Ok(all)
    }

    /// Writes `entries` into `batch` as a new run. When it would make `TIER` runs of one size
    /// class (or pass `MAX_RUNS`), the newest of those are merged into it and removed, and
    /// so on up the classes (size-tiered, as LSM trees compact): each entry is rewritten
    /// about log4(claims / file) times. The merge goes a bucket at a time, so it holds one
    /// bucket of the runs in memory, not the runs.
    pub(super) fn stage_index(
        &self,
        batch: &mut Batch,
        entries: Vec<IndexEntry>,
    ) -> Result<(), StoreError> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut runs = self.claim_runs()?;
        let mut size = entries.len() as u64;
        let mut merged = Vec::new();
        loop {
            let class = size_class(size);
            let same = runs
                .iter()
                .rev()
                .take_while(|r| size_class(r.1) <= class)
                .count();
            let take = if same + 1 >= TIER {
                same
            } else if runs.len() >= MAX_RUNS {
                1
            } else {
                break;
            };
            for (run, n) in runs.drain(runs.len() - take..) {
                merged.push(run);
                size += n;
            }
        }
        if merged.is_empty() {
            let n = entries.len() as u64;
            runs.push((self.put_run(batch, entries)?, n));
            Self::put_claim_runs(batch, &runs);
            return Ok(());
        }
        let run = self.next_seq()?;
        let mut new = by_bucket(entries);
        let mut written = 0u64;
        let mut filter = RunFilter::for_entries(size);
        for bucket in 0..BUCKETS {
            let mut these = new.remove(&bucket).unwrap_or_default();
            for &old in &merged {
                let key = keys::claim_index(old, bucket);
                if let Some(v) = self.db.get(&key).map_err(db_error)? {
                    these.extend(decode_fragment(&v, |_| true).map_err(|m| corrupt(&key, m))?);
                    batch.remove(key);
                }
            }
            if !these.is_empty() {
                written += these.len() as u64;
                these
                    .iter()
                    .for_each(|e| filter.add(claim_id_of_key(&e.key)));
                batch.insert(keys::claim_index(run, bucket), encode_fragment(&mut these));
            }
        }
        for &old in &merged {
            batch.remove(keys::claim_filter(old));
        }
        batch.insert(keys::claim_filter(run), filter.to_bytes());
        runs.push((run, written));
        Self::put_claim_runs(batch, &runs);
        Ok(())
    }

    /// Writes `entries` as a new run, one fragment per bucket; returns its number.
    fn put_run(&self, put: &mut impl Put, entries: Vec<IndexEntry>) -> Result<u64, StoreError> {
        let run = self.next_seq()?;
        let mut filter = RunFilter::for_entries(entries.len() as u64);
        for (bucket, mut new) in by_bucket(entries) {
            new.iter().for_each(|e| filter.add(claim_id_of_key(&e.key)));
            put.put(keys::claim_index(run, bucket), encode_fragment(&mut new));
        }
        put.put(keys::claim_filter(run), filter.to_bytes());
        Ok(run)
    }

    /// Before a journaled set's batch is applied: when the import's entries would pass
    /// `PENDING_LIMIT`, writes them (with this set's) into the batch and returns true.
    pub(super) fn spill_pending_index(
        &self,
        import: u64,
        put: &mut impl Put,
        staged: &[IndexEntry],
    ) -> Result<bool, StoreError> {
        let pending = self.pending_index.lock().unwrap_or_else(|e| e.into_inner());
        let mine = pending.import == Some(import);
        let held = if mine { pending.count } else { 0 };
        if held + staged.len() < PENDING_LIMIT {
            return Ok(false);
        }
        let mut all: Vec<IndexEntry> = Vec::with_capacity(held + staged.len());
        if mine {
            all.extend(pending.by_bucket.values().flatten().cloned());
        }
        drop(pending);
        all.extend_from_slice(staged);
        let n = all.len() as u64;
        let mut runs = self.claim_runs()?;
        runs.push((self.put_run(put, all)?, n));
        Self::put_claim_runs(put, &runs);
        Ok(true)
    }

    /// After a journaled set's batch is applied: keeps its entries for the commit, or, when
    /// `spilled` wrote them, forgets those kept.
    pub(super) fn keep_pending_index(&self, import: u64, staged: Vec<IndexEntry>, spilled: bool) {
        let mut pending = self.pending_index.lock().unwrap_or_else(|e| e.into_inner());
        if pending.import != Some(import) || spilled {
            *pending = PendingIndex {
                import: Some(import),
                ..PendingIndex::default()
            };
        }
        if spilled {
            return;
        }
        pending.count += staged.len();
        for (bucket, mut entries) in by_bucket(staged) {
            pending
                .by_bucket
                .entry(bucket)
                .or_default()
                .append(&mut entries);
        }
    }

    /// The entries the journaled import `import` kept, to be written with its commit.
    pub(super) fn pending_index_of(&self, import: u64) -> Vec<IndexEntry> {
        let pending = self.pending_index.lock().unwrap_or_else(|e| e.into_inner());
        if pending.import != Some(import) {
            return Vec::new();
        }
        pending.by_bucket.values().flatten().cloned().collect()
    }

    /// Forgets the entries the journaled import `import` kept (committed or rolled back).
    pub(super) fn drop_pending_index(&self, import: u64) {
        let mut pending = self.pending_index.lock().unwrap_or_else(|e| e.into_inner());
        if pending.import == Some(import) {
            *pending = PendingIndex::default();
        }
    }
}

#[cfg(test)]
#[path = "claim_index_tests.rs"]
mod tests;

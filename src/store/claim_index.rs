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
//! and writes them with its commit (`index_pending`): an import that is rolled back never
//! wrote them, and a run it had to write before (a file of more than 65,536 claims) is
//! marked with it until it commits, never merged, and taken out of the list by its
//! rollback. Readers take no lock: a lookup that sees the list change while it reads is
//! made again.
//!
//! A fragment's bytes are in `index_fragment`.

use super::codec::{corrupt, Put};
use super::core::{db_error, SledStore};
use super::index_entry::by_bucket;
pub(super) use super::index_entry::{
    bucket_of, IndexEntry, Run, RunFilter, BUCKETS, MAX_RUN_ENTRIES,
};
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

impl SledStore {
    /// The runs of the index, oldest first (24 bytes each: id, entries, import).
    pub(super) fn claim_runs(&self) -> Result<Vec<Run>, StoreError> {
        let Some(value) = self.db.get(keys::CLAIM_RUNS).map_err(db_error)? else {
            return Ok(Vec::new());
        };
        let damaged = |what: &str| corrupt(keys::CLAIM_RUNS, format!("a list of runs {what}"));
        if value.len() % 24 != 0 {
            return Err(damaged("of the wrong length"));
        }
        let word = |b: &[u8]| u64::from_le_bytes(b.try_into().expect("8 bytes"));
        value
            .chunks_exact(24)
            .map(|r| {
                let run = Run {
                    id: word(&r[..8]),
                    entries: word(&r[8..16]),
                    import: word(&r[16..]),
                };
                match run.entries <= MAX_RUN_ENTRIES {
                    true => Ok(run),
                    false => Err(damaged("naming a run larger than any written")),
                }
            })
            .collect()
    }

    /// Writes the list of runs into `put`.
    pub(super) fn put_claim_runs(put: &mut impl Put, runs: &[Run]) {
        let value: Vec<u8> = runs
            .iter()
            .flat_map(|r| [r.id, r.entries, r.import])
            .flat_map(u64::to_le_bytes)
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
        // Readers take no lock: a merge committed between reading the list of runs and a
        // run's fragment removes the fragment. The list is read again after, and the
        // lookup made again if it changed (a merge takes a whole import, so once is rare).
        // An import's entries in memory are read before the list is checked again: they
        // leave memory only after the run holding them is listed.
        let mut runs = self.claim_runs()?;
        for attempt in 1.. {
            let found = self.index_entries_in(&runs, claim_id)?;
            let now = self.claim_runs()?;
            if now == runs {
                return Ok(found);
            }
            if attempt == 8 {
                break;
            }
            runs = now;
        }
        Err(StoreError::Database(format!(
            "the claim index changed under eight lookups of {claim_id:?} in a row; try again"
        )))
    }

    /// As `index_entries_of`, in the list of runs `runs`. Only a writer holding the write
    /// lock, under which the list cannot change, may trust the answer without reading the
    /// list again; an import reads it once per batch instead of twice per claim.
    pub(super) fn index_entries_in(
        &self,
        runs: &[Run],
        claim_id: &str,
    ) -> Result<Vec<IndexEntry>, StoreError> {
        let bucket = bucket_of(claim_id);
        // Most keys of a bucket are other CLP01s': told apart by their start first.
        let mine = |key: &str| key.starts_with(claim_id) && claim_id_of_key(key) == claim_id;
        let mut found = Vec::new();
        for run in runs {
            if self
                .run_filter(run.id)?
                .is_some_and(|f| !f.may_hold(claim_id))
            {
                continue;
            }
            found.extend(self.run_bucket(run.id, bucket, mine)?);
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
            for run in &runs {
                entries.extend(self.run_bucket(run.id, bucket, |_| true)?);
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

    /// Writes `entries` into `batch` as a new run (see `stage_run`).
    pub(super) fn stage_index(
        &self,
        batch: &mut Batch,
        entries: Vec<IndexEntry>,
    ) -> Result<(), StoreError> {
        self.stage_run(batch, entries, None)
    }

    /// The claim index's part of journaled import `import`'s commit: its runs become mergeable
    /// and `entries` (those it kept in memory) are written as a run.
    pub(super) fn commit_index(
        &self,
        batch: &mut Batch,
        import: u64,
        entries: Vec<IndexEntry>,
    ) -> Result<(), StoreError> {
        self.stage_run(batch, entries, Some(import))
    }

    /// Writes `entries` into `batch` as a new run. When it would make `TIER` runs of one size
    /// class (or pass `MAX_RUNS`), the newest of those are merged into it and removed, and
    /// so on up the classes (size-tiered, as LSM trees compact): each entry is rewritten
    /// about log4(claims / file) times. Runs of an import not committed are never merged.
    /// The merge reads a bucket at a time; the batch holds the merged run (~30 bytes a
    /// claim).
    fn stage_run(
        &self,
        batch: &mut Batch,
        entries: Vec<IndexEntry>,
        committing: Option<u64>,
    ) -> Result<(), StoreError> {
        let mut runs = self.claim_runs()?;
        let mut committed = false;
        for run in runs.iter_mut() {
            if committing.is_some_and(|id| run.import == id) {
                run.import = 0;
                committed = true;
            }
        }
        if entries.is_empty() {
            if committed {
                Self::put_claim_runs(batch, &runs);
            }
            return Ok(());
        }
        let mut size = entries.len() as u64;
        let mut merged = Vec::new();
        loop {
            let class = size_class(size);
            let same = runs
                .iter()
                .rev()
                .take_while(|r| r.import == 0 && size_class(r.entries) <= class)
                .count();
            let take = if same + 1 >= TIER {
                same
            } else if runs.len() >= MAX_RUNS && runs.last().is_some_and(|r| r.import == 0) {
                1
            } else {
                break;
            };
            for run in runs.drain(runs.len() - take..) {
                merged.push(run.id);
                size = size.saturating_add(run.entries);
            }
        }
        let (id, written, gone) = self.write_run(batch, entries, &merged, size)?;
        gone.into_iter().for_each(|key| batch.remove(key));
        runs.push(Run {
            id,
            entries: written,
            import: 0,
        });
        Self::put_claim_runs(batch, &runs);
        let mut cache = self.run_filters.lock().unwrap_or_else(|e| e.into_inner());
        merged.iter().for_each(|id| drop(cache.remove(id)));
        Ok(())
    }

    /// Writes into `put` a new run of `entries` and the entries of the runs `merged` (about
    /// `size` in all, which sizes its filter), a bucket at a time; returns its number, how
    /// many entries it holds, and the merged runs' keys, for the caller to remove.
    pub(super) fn write_run(
        &self,
        put: &mut impl Put,
        entries: Vec<IndexEntry>,
        merged: &[u64],
        size: u64,
    ) -> Result<(u64, u64, Vec<Vec<u8>>), StoreError> {
        let run = self.next_seq()?;
        let mut new = by_bucket(entries);
        let mut written = 0u64;
        let mut gone = Vec::new();
        // Sized by what the list says the runs hold, within reason: a damaged count makes a
        // filter that passes more, never an allocation without end.
        let mut filter = RunFilter::for_entries(size.min(1 << 27));
        for bucket in 0..BUCKETS {
            let mut these = new.remove(&bucket).unwrap_or_default();
            for &old in merged {
                let key = keys::claim_index(old, bucket);
                if let Some(v) = self.db.get(&key).map_err(db_error)? {
                    these.extend(decode_fragment(&v, |_| true).map_err(|m| corrupt(&key, m))?);
                    gone.push(key);
                }
            }
            if !these.is_empty() {
                written += these.len() as u64;
                these
                    .iter()
                    .for_each(|e| filter.add(claim_id_of_key(&e.key)));
                put.put(keys::claim_index(run, bucket), encode_fragment(&mut these));
            }
        }
        gone.extend(merged.iter().map(|&old| keys::claim_filter(old)));
        put.put(keys::claim_filter(run), filter.to_bytes());
        Ok((run, written, gone))
    }
}

#[cfg(test)]
use super::index_pending::PENDING_LIMIT;

#[cfg(test)]
#[path = "claim_index_tests.rs"]
mod tests;

//! A journaled import's claim index entries (see `claim_index`): kept in memory while its
//! sets are stored and read with the stored ones, written with its commit; past
//! `PENDING_LIMIT`, written as a run of their own in a set's journaled batch, marked with
//! the import until it commits, so that no merge takes it and a rollback takes exactly its
//! runs out of the list.

use super::codec::Put;
use super::core::SledStore;
use super::index_entry::{bucket_of, IndexEntry, PendingIndex, Run};
use super::kv::Batch;
use super::StoreError;
use crate::domain::claim_identity::claim_id_of_key;

/// A journaled import keeps this many entries in memory before it writes them.
pub(super) const PENDING_LIMIT: usize = 65_536;

impl SledStore {
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
        // Never merging: a set's batch only creates keys (its undo removes them).
        let (id, entries, _) = self.write_run(put, all, &[], n)?;
        runs.push(Run {
            id,
            entries,
            import,
        });
        Self::put_claim_runs(put, &runs);
        Ok(true)
    }

    /// Rolling back journaled import `import`: its runs (their keys removed by the undo)
    /// leave the list, which is otherwise kept as it is now (other writers' runs stay).
    pub(super) fn unlist_runs_of(&self, batch: &mut Batch, import: u64) -> Result<(), StoreError> {
        let mut runs = self.claim_runs()?;
        let before = runs.len();
        runs.retain(|r| r.import != import);
        if runs.len() != before {
            Self::put_claim_runs(batch, &runs);
        }
        Ok(())
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
        // Straight into their buckets: grouping them first cost a vector per bucket.
        for entry in staged {
            let bucket = bucket_of(claim_id_of_key(&entry.key));
            pending.by_bucket.entry(bucket).or_default().push(entry);
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

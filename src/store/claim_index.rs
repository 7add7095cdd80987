//! The claim index: where each stored adjudication lies (its block and position, see
//! `claim_blocks`), found by the claim's key or its CLP01.
//!
//! Not one sled key per adjudication, as schemas 9 and 10 kept it (`c:`): sled 0.34 splits
//! a leaf past 16 keys and loads a page-table entry per node at every open, so a million
//! claim keys made 60,000 nodes or more for every open to load, and cost an import about
//! 11 µs per claim to insert (BENCHMARKS.md). Instead the entries are grouped in `BUCKETS`
//! buckets by a CRC-32 of their CLP01 (every claim a CLP01 names is in one bucket, so the
//! import's question "which claims does this CLP01 name" reads one bucket), and a bucket
//! is a few fragments `x:{bucket:03x}{seq:016x}`. A write adds one fragment to each bucket
//! it touches, and a bucket that would pass `MERGE_AT` fragments is merged into one in the
//! same batch. At a million claims that is 4,096 keys of ~4 KB instead of a million.
//!
//! A journaled import (one batch per set, see `journal`) keeps its sets' entries in memory
//! (`PendingIndex`, read with the stored ones) and writes them, merged, in the batch that
//! commits it: an import that is rolled back never wrote them. Past `PENDING_LIMIT`
//! entries they are written as new fragments in the next set's batch instead (which the
//! journal's undo removes), so memory stays bounded whatever the file's size.
//!
//! A fragment: a format byte (1: LZ4, its size prepended), then the entry count (u32) and
//! each entry — key length (u16), key, seq (u64), block (u64), position (u32), all
//! little-endian — in (key, seq) order.

use super::codec::{unpack_lz4, Put};
use super::core::{db_error, SledStore};
use super::index_entry::by_bucket;
pub(super) use super::index_entry::{bucket_of, IndexEntry, PendingIndex};
use super::kv::Batch;
use super::{keys, StoreError};
use crate::domain::claim::Claim;
use crate::domain::claim_identity::claim_id_of_key;

/// A bucket is merged into one fragment when a write would give it this many.
const MERGE_AT: usize = 8;

/// A journaled import keeps this many entries in memory before it writes them.
const PENDING_LIMIT: usize = 65_536;

/// The first byte of a fragment: LZ4 (size prepended) of the entries.
const LZ4_ENTRIES: u8 = 1;

/// No fragment unpacks to more than this (a million claims of one CLP01 with 200-byte
/// keys); a larger size read back is damage.
const MAX_FRAGMENT_BYTES: usize = 256 << 20;

/// `entries` sorted, as a fragment's stored bytes.
fn encode_fragment(entries: &mut [IndexEntry]) -> Vec<u8> {
    entries.sort_unstable();
    let mut payload = Vec::with_capacity(4 + entries.len() * 48);
    payload.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    for e in entries.iter() {
        // Keys are a CLP01 (at most 50 characters by the TR3, longer ones refused by the
        // reader) and a hash: far below 64 KB.
        payload.extend_from_slice(&(e.key.len() as u16).to_le_bytes());
        payload.extend_from_slice(e.key.as_bytes());
        payload.extend_from_slice(&e.seq.to_le_bytes());
        payload.extend_from_slice(&e.block.to_le_bytes());
        payload.extend_from_slice(&e.position.to_le_bytes());
    }
    let mut value = vec![LZ4_ENTRIES];
    value.extend_from_slice(&lz4_flex::compress_prepend_size(&payload));
    value
}

/// The entries of a stored fragment whose key `keep` accepts, in stored order.
fn decode_fragment(
    value: &[u8],
    mut keep: impl FnMut(&str) -> bool,
) -> Result<Vec<IndexEntry>, String> {
    let (&format, packed) = value.split_first().ok_or("an empty fragment")?;
    if format != LZ4_ENTRIES {
        return Err(format!(
            "an index fragment encoded as {format}, which this build does not know"
        ));
    }
    let payload = unpack_lz4(packed, MAX_FRAGMENT_BYTES)?;
    let mut at = 0usize;
    let mut take = |n: usize| -> Result<&[u8], String> {
        let bytes = payload
            .get(at..at + n)
            .ok_or("an index fragment cut short")?;
        at += n;
        Ok(bytes)
    };
    let le = |b: &[u8]| b.iter().rev().fold(0u64, |v, &x| v << 8 | u64::from(x));
    let count = le(take(4)?) as usize;
    let mut out = Vec::new();
    for _ in 0..count {
        let len = le(take(2)?) as usize;
        let key = std::str::from_utf8(take(len)?).map_err(|_| "a key that is not UTF-8")?;
        let key = keep(key).then(|| key.to_string());
        let (seq, block, position) = (le(take(8)?), le(take(8)?), le(take(4)?) as u32);
        if let Some(key) = key {
            out.push(IndexEntry {
                key,
                seq,
                block,
                position,
            });
        }
    }
    if at != payload.len() {
        return Err("an index fragment with bytes after its entries".into());
    }
    Ok(out)
}

fn corrupt(key: &[u8], message: String) -> StoreError {
    StoreError::Corrupt {
        key: String::from_utf8_lossy(key).into(),
        message,
    }
}

impl SledStore {
    /// Every adjudication's entry under exactly the CLP01 `claim_id`, stored or pending, in
    /// (key, seq) order.
    pub(super) fn index_entries_of(&self, claim_id: &str) -> Result<Vec<IndexEntry>, StoreError> {
        let bucket = bucket_of(claim_id);
        // Most keys of a bucket are other CLP01s': told apart by their start first.
        let mine = |key: &str| key.starts_with(claim_id) && claim_id_of_key(key) == claim_id;
        let mut found = Vec::new();
        for fragment in self.db.scan_prefix(keys::claim_index_bucket(bucket)) {
            let (k, v) = fragment.map_err(db_error)?;
            found.extend(decode_fragment(&v, mine).map_err(|m| corrupt(&k, m))?);
        }
        let pending = self.pending_index.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(staged) = pending.by_bucket.get(&bucket) {
            found.extend(staged.iter().filter(|e| mine(&e.key)).cloned());
        }
        drop(pending);
        found.sort_unstable();
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
        let mut bucket: Option<u32> = None;
        let mut entries: Vec<IndexEntry> = Vec::new();
        let mut flush = |entries: &mut Vec<IndexEntry>| -> Result<(), StoreError> {
            entries.sort_unstable();
            entries.drain(..).try_for_each(|e| visit(&e))
        };
        for fragment in self.db.scan_prefix(keys::CLAIM_INDEX) {
            let (k, v) = fragment.map_err(db_error)?;
            let Some(keys::Key::ClaimIndex(of, _)) = keys::parse(&k) else {
                return Err(corrupt(&k, "not a claim index fragment's key".into()));
            };
            if bucket != Some(of) {
                flush(&mut entries)?;
                bucket = Some(of);
            }
            entries.extend(decode_fragment(&v, |_| true).map_err(|m| corrupt(&k, m))?);
        }
        flush(&mut entries)
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

    /// Writes `entries` into `batch`, one new fragment per bucket; a bucket that would
    /// reach `MERGE_AT` fragments is merged into one, its old fragments removed.
    pub(super) fn stage_index(
        &self,
        batch: &mut Batch,
        entries: Vec<IndexEntry>,
    ) -> Result<(), StoreError> {
        for (bucket, mut new) in by_bucket(entries) {
            let stored: Vec<(sled::IVec, sled::IVec)> = self
                .db
                .scan_prefix(keys::claim_index_bucket(bucket))
                .collect::<Result<_, _>>()
                .map_err(db_error)?;
            if stored.len() + 1 >= MERGE_AT {
                for (k, v) in stored {
                    new.extend(decode_fragment(&v, |_| true).map_err(|m| corrupt(&k, m))?);
                    batch.remove(k);
                }
            }
            batch.insert(
                keys::claim_index(bucket, self.next_seq()?),
                encode_fragment(&mut new),
            );
        }
        Ok(())
    }

    /// Writes `entries` as new fragments only (a journaled set's batch, whose undo removes
    /// what it created; merging would remove keys it cannot give back).
    fn put_fragments(
        &self,
        put: &mut impl Put,
        entries: Vec<IndexEntry>,
    ) -> Result<(), StoreError> {
        for (bucket, mut new) in by_bucket(entries) {
            put.put(
                keys::claim_index(bucket, self.next_seq()?),
                encode_fragment(&mut new),
            );
        }
        Ok(())
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
        self.put_fragments(put, all)?;
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

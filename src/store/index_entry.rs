//! What the claim index holds (see `claim_index`): an entry, the bucket it belongs to, and
//! the entries a journaled import keeps until it commits. Data only, so the store's core
//! can hold the pending entries without knowing how the index is stored.

use super::keys;
use crate::domain::claim_identity::claim_id_of_key;
use std::collections::BTreeMap;

/// Buckets of the index. Fixed by the schema: claims are found by their bucket.
pub(super) const BUCKETS: u32 = 4096;

/// Where one adjudication lies.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct IndexEntry {
    /// The claim's key (its CLP01 and identity hash).
    pub(super) key: String,
    /// The adjudication's sequence number: adjudications of a key are in this order.
    pub(super) seq: u64,
    /// Its block.
    pub(super) block: u64,
    /// Its position in the block.
    pub(super) position: u32,
}

impl IndexEntry {
    /// The key an error about this adjudication names (as schema 10 stored it).
    pub(super) fn label(&self) -> Vec<u8> {
        keys::claim(&self.key, self.seq)
    }
}

/// The bucket of every claim under `claim_id` (a CLP01).
pub(super) fn bucket_of(claim_id: &str) -> u32 {
    crc32fast::hash(claim_id.as_bytes()) % BUCKETS
}

/// The entries a journaled import has staged and not yet written, by bucket.
#[derive(Default)]
pub(super) struct PendingIndex {
    /// The import they belong to.
    pub(super) import: Option<u64>,
    /// The entries, by bucket.
    pub(super) by_bucket: BTreeMap<u32, Vec<IndexEntry>>,
    /// How many.
    pub(super) count: usize,
}

/// `entries` by bucket.
pub(super) fn by_bucket(entries: Vec<IndexEntry>) -> BTreeMap<u32, Vec<IndexEntry>> {
    let mut buckets: BTreeMap<u32, Vec<IndexEntry>> = BTreeMap::new();
    for e in entries {
        buckets
            .entry(bucket_of(claim_id_of_key(&e.key)))
            .or_default()
            .push(e);
    }
    buckets
}

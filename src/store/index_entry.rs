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
    /// An entry for tests: block and position derived from `seq`.
    #[cfg(test)]
    pub(super) fn example(key: &str, seq: u64) -> Self {
        IndexEntry {
            key: key.to_string(),
            seq,
            block: seq * 7,
            position: (seq % 128) as u32,
        }
    }

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

/// A Bloom filter of the CLP01s a run of the index holds, so a lookup reads only the runs
/// that may hold its CLP01 (an import asks for every claim, and most are new): 10 bits per
/// entry and 7 probes, about 1 % of runs read for nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RunFilter {
    bits: Vec<u64>,
}

/// The first byte of a stored filter.
const FILTER_FORMAT: u8 = 1;
const FILTER_PROBES: u64 = 7;

impl RunFilter {
    /// An empty filter for about `entries` CLP01s.
    pub(super) fn for_entries(entries: u64) -> Self {
        let words = (entries.saturating_mul(10) / 64 + 1) as usize;
        RunFilter {
            bits: vec![0; words],
        }
    }

    /// The bits a CLP01 sets: two CRC-32s, combined (Kirsch and Mitzenmacher).
    fn probes(&self, claim_id: &str) -> impl Iterator<Item = (usize, u64)> {
        let h1 = u64::from(crc32fast::hash(claim_id.as_bytes()));
        let mut second = crc32fast::Hasher::new_with_initial(0x9e37_79b9);
        second.update(claim_id.as_bytes());
        let h2 = u64::from(second.finalize()) | 1;
        let n = self.bits.len() as u64 * 64;
        (0..FILTER_PROBES).map(move |i| {
            let bit = h1.wrapping_add(i.wrapping_mul(h2)) % n;
            ((bit / 64) as usize, 1u64 << (bit % 64))
        })
    }

    pub(super) fn add(&mut self, claim_id: &str) {
        for (word, bit) in self.probes(claim_id).collect::<Vec<_>>() {
            self.bits[word] |= bit;
        }
    }

    /// False when the run surely holds no claim under `claim_id`.
    pub(super) fn may_hold(&self, claim_id: &str) -> bool {
        self.probes(claim_id)
            .all(|(word, bit)| self.bits[word] & bit != 0)
    }

    pub(super) fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(1 + self.bits.len() * 8);
        out.push(FILTER_FORMAT);
        for word in &self.bits {
            out.extend_from_slice(&word.to_le_bytes());
        }
        out
    }

    /// A stored filter; `None` when it is not one this build wrote.
    pub(super) fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let (&format, words) = bytes.split_first()?;
        if format != FILTER_FORMAT || words.is_empty() || words.len() % 8 != 0 {
            return None;
        }
        Some(RunFilter {
            bits: words
                .chunks_exact(8)
                .map(|w| u64::from_le_bytes(w.try_into().expect("8 bytes")))
                .collect(),
        })
    }
}

/// The filters of the runs read so far, by run (a run and its filter never change, and a
/// run's number is never used again, so an entry is never stale).
pub(super) type FilterCache =
    std::sync::Mutex<std::collections::HashMap<u64, std::sync::Arc<RunFilter>>>;

/// A run of the index, as the list of runs (`x:runs`) names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Run {
    /// Its number (a sequence number, never used again).
    pub(super) id: u64,
    /// How many entries it holds.
    pub(super) entries: u64,
    /// The journaled import that wrote it and has not committed (0 once committed): such a
    /// run is never merged, so rolling that import back takes exactly its runs away.
    pub(super) import: u64,
}

/// No run holds more entries than this (2^40): a larger count read back is damage.
pub(super) const MAX_RUN_ENTRIES: u64 = 1 << 40;

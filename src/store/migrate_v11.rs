//! Schema 11 keeps where each adjudication lies in the claim index (`claim_index`) instead
//! of one `c:` key per adjudication: every `c:` entry moves into the index. Schemas 9 and
//! 10 held its block and position there; a store from before 9 holds the claim's JSON,
//! which goes into a block on the way (the move to schema 9, compressed blocks, is this
//! same move).
//!
//! The move is chunked: each chunk is one atomic, flushed batch that writes the chunk's
//! index entries and removes its `c:` keys, so memory stays bounded by a chunk, a crash
//! loses at most the chunk in flight, and the next open resumes with the keys still there.
//! The schema version is bumped only when every entry is moved.

use super::claim_blocks::{located, BlockBuilder};
use super::claim_index::IndexEntry;
use super::core::{db_error, SledStore};
use super::kv::Batch;
use super::schema::{step, MigrationStep};
use super::{keys, StoreError};

/// Entries moved per atomic batch.
const ENTRIES_PER_CHUNK: usize = 65_536;

impl SledStore {
    /// Moves every `c:` entry into the claim index; returns how many moved. `from` and
    /// `what`: the schema found and the step, for the progress shown.
    pub(super) fn migrate_claims_to_index(&self, from: u32, what: &str) -> Result<u64, StoreError> {
        let total = self.db.scan_prefix(keys::CLAIMS).count() as u64;
        let mut moved = 0u64;
        loop {
            let mut batch = Batch::default();
            // A claim still stored as JSON (a store from before schema 9) goes into a block
            // on the way; decoded first, so a damaged claim stops the move, named by its
            // key, before anything of its chunk is written.
            let mut blocks = BlockBuilder::default();
            let mut index = Vec::new();
            // Moved keys are removed, so each chunk starts at the first key left.
            for entry in self.db.scan_prefix(keys::CLAIMS).take(ENTRIES_PER_CHUNK) {
                let (k, v) = entry.map_err(db_error)?;
                let corrupt = |message: &str| super::codec::corrupt(&k, message.into());
                let Some(keys::Key::Claim(key, seq)) = keys::parse(&k) else {
                    return Err(corrupt("a claim's key without its sequence number"));
                };
                let (block, position) = match located(&v) {
                    Some(Ok(at)) => at,
                    Some(Err(())) => return Err(corrupt("a claim location of the wrong length")),
                    None => blocks.put(self, &mut batch, &self.claim_value(&k, &v)?)?,
                };
                index.push(IndexEntry {
                    key,
                    seq,
                    block,
                    position,
                });
                batch.remove(k);
            }
            if index.is_empty() {
                return Ok(moved);
            }
            moved += index.len() as u64;
            blocks.seal(&mut batch);
            self.stage_index(&mut batch, index)?;
            self.apply(batch)?;
            self.flush()?;
            step(MigrationStep::Progress {
                from,
                what,
                done: moved,
                total,
            });
        }
    }
}

#[cfg(test)]
#[path = "migrate_v11_tests.rs"]
mod tests;

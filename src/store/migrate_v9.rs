//! Schema 9 stores adjudications in compressed blocks (see `claim_blocks`): every claim a
//! schema 8 store holds as JSON under its `c:` key moves into a block, and the key keeps
//! its location.
//!
//! The move is chunked: each chunk of claims is one atomic, flushed batch (its blocks and
//! the keys that now point into them), so memory stays bounded by a chunk and a crash
//! loses at most the chunk in flight. A claim already moved is recognised by its value, so
//! the next open resumes after the last chunk stored; the schema version is bumped only
//! when every claim is moved.

use super::claim_blocks::BlockBuilder;
use super::core::{db_error, SledStore};
use super::kv::Batch;
use super::schema::{step, MigrationStep};
use super::{keys, StoreError};

/// Claims moved per atomic batch.
const CLAIMS_PER_CHUNK: usize = 20_000;

impl SledStore {
    /// Moves every claim still stored as JSON into blocks; returns how many moved.
    pub(super) fn migrate_claims_to_blocks(&self, from: u32) -> Result<u64, StoreError> {
        let what = "storing the claims in compressed blocks";
        let total = self.db.scan_prefix(keys::CLAIMS).count() as u64;
        let mut done = 0u64;
        let mut moved = 0u64;
        let mut after: Option<sled::IVec> = None;
        loop {
            let mut batch = Batch::default();
            let mut blocks = BlockBuilder::default();
            let mut in_chunk = 0;
            let mut last = None;
            let range = match &after {
                Some(key) => self.db.range::<&[u8], _>((
                    std::ops::Bound::Excluded(key.as_ref()),
                    std::ops::Bound::Unbounded,
                )),
                None => self.db.range::<&[u8], _>(keys::CLAIMS..),
            };
            for entry in range {
                let (key, value) = entry.map_err(db_error)?;
                if !key.starts_with(keys::CLAIMS) {
                    break;
                }
                done += 1;
                if value.first() == Some(&b'{') {
                    // Decoded first: a damaged claim stops the migration, named by its key,
                    // before anything of its chunk is written.
                    let claim = self.claim_value(&key, &value)?;
                    blocks.put(self, &mut batch, key.to_vec(), &claim)?;
                    in_chunk += 1;
                }
                last = Some(key);
                if in_chunk == CLAIMS_PER_CHUNK {
                    break;
                }
            }
            blocks.seal(&mut batch);
            if in_chunk > 0 {
                self.apply(batch)?;
                self.flush()?;
                moved += in_chunk as u64;
            }
            step(MigrationStep::Progress {
                from,
                what,
                done,
                total,
            });
            if in_chunk < CLAIMS_PER_CHUNK {
                return Ok(moved);
            }
            after = last;
        }
    }
}

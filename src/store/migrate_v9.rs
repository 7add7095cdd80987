//! Schema 9 stores adjudications in compressed blocks (see `claim_blocks`): every claim a
//! schema 8 store holds as JSON under its `c:` key moves into a block. Schemas 9 and 10 kept
//! its location in that key; this build writes it to the claim index (`claim_index`) and
//! removes the key.
//!
//! The move is chunked: each chunk of claims is one atomic, flushed batch (its blocks, their
//! index entries and the keys removed), so memory stays bounded by a chunk and a crash
//! loses at most the chunk in flight. A claim already moved is no longer a JSON `c:` value
//! (a schema 9 or 10 build left its location there, which `migrate_v11` moves), so the next
//! open resumes with the claims not moved; the schema version is bumped only when every
//! claim is moved.

use super::claim_blocks::BlockBuilder;
use super::claim_index::IndexEntry;
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
            let mut index = Vec::new();
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
                    let Some(keys::Key::Claim(claim_key, seq)) = keys::parse(&key) else {
                        return Err(StoreError::Corrupt {
                            key: String::from_utf8_lossy(&key).replace('\0', "/"),
                            message: "a claim's key without its sequence number".into(),
                        });
                    };
                    let (block, position) = blocks.put(self, &mut batch, &claim)?;
                    index.push(IndexEntry {
                        key: claim_key,
                        seq,
                        block,
                        position,
                    });
                    batch.remove(key.clone());
                    in_chunk += 1;
                }
                last = Some(key);
                if in_chunk == CLAIMS_PER_CHUNK {
                    break;
                }
            }
            blocks.seal(&mut batch);
            self.stage_index(&mut batch, index)?;
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

//! Adjudications stored a block at a time. A remittance's claims are written together and
//! read one at a time (a claim's history, `show`, a backup), so they are stored as blocks
//! of up to `CLAIMS_PER_BLOCK` claims, compressed together (`b:{block}`): what a set
//! repeats in every claim (its payer, payee, dates and trace, every field name) costs a
//! few bytes per claim instead of a third of it. Where each adjudication lies (its block
//! and position) is kept by the claim index (`claim_index`); schemas 9 and 10 kept it in
//! the adjudication's own key (`c:`, 13 bytes).
//!
//! The first byte of a block says how it is encoded, and a store may hold both encodings:
//! - **binary** (`LZ4_BINARY`, written since schema 12): LZ4 (size prepended) of
//!   - the claim count (u32 LE);
//!   - the length of the remittance the block's claims share (u32);
//!   - each claim's end offset (u32 each, counted from the first claim);
//!   - that remittance, then the claims one after another, in `claim_codec`'s form.
//!
//!   A claim from another remittance than the first of its block carries its own.
//! - **JSON** (`LZ4_JSON`, schemas 9 to 11): LZ4 of the claim count, the end offsets, then
//!   the claims' JSON. Still read; never rewritten (blocks are written once).
//!
//! `show --json` and backups print a claim read from either form the same.
//!
//! Claims written before schema 9 hold their JSON in the `c:` value itself; they are
//! still read (a migration resumed midway holds both) and `migrate_claims_to_index`
//! moves them.

use super::claim_codec::{read_claim, read_remit, write_claim, write_remit};
use super::codec::{corrupt, unpack_lz4, Put};
use super::core::{db_error, decode, Decoded, SledStore};
use super::{keys, StoreError};
use crate::domain::claim::{Claim, RemitRef};
use std::sync::Arc;

/// Claims per block. A random read decompresses one block: 128 claims (about 150 KB as
/// JSON, less as binary) decompress in well under a millisecond.
pub(super) const CLAIMS_PER_BLOCK: usize = 128;

/// A block is sealed once its claims pass this, before it has 128: a file of claims
/// with thousands of lines each still makes blocks a read can afford.
const SEAL_AT_BYTES: usize = 1 << 20;

/// The largest claim stored (its encoded bytes): far beyond any real claim, and what keeps
/// every block under `MAX_BLOCK_BYTES`.
const MAX_CLAIM_BYTES: usize = 32 << 20;

/// No block is written larger than this (`SEAL_AT_BYTES` plus one claim of at most
/// `MAX_CLAIM_BYTES` and the offsets); a larger size read back is damage.
const MAX_BLOCK_BYTES: usize = 64 << 20;

/// The first byte of a block of JSON claims (schemas 9 to 11).
const LZ4_JSON: u8 = 1;

/// The first byte of a block of binary claims (schema 12 on).
const LZ4_BINARY: u8 = 2;

/// The first byte of a `c:` value that points into a block. A JSON claim starts with `{`.
const IN_BLOCK: u8 = 0xB1;

/// Decoded blocks kept for the next read (a claim's history, a backup in key order, an
/// import checking the claims it already knows read neighbours in turn).
const CACHED_BLOCKS: usize = 32;

/// Where a claim lies, as a `c:` value held it: its block and its position in it.
pub(super) fn location(block: u64, position: u32) -> Vec<u8> {
    let mut value = Vec::with_capacity(13);
    value.push(IN_BLOCK);
    value.extend_from_slice(&block.to_be_bytes());
    value.extend_from_slice(&position.to_be_bytes());
    value
}

/// The block and position a `c:` value points to; `None` for a claim stored as JSON.
pub(super) fn located(value: &[u8]) -> Option<Result<(u64, u32), ()>> {
    if value.first() != Some(&IN_BLOCK) {
        return None;
    }
    Some(match (value.get(1..9), value.get(9..13), value.len()) {
        (Some(block), Some(position), 13) => Ok((
            u64::from_be_bytes(block.try_into().expect("8 bytes")),
            u32::from_be_bytes(position.try_into().expect("4 bytes")),
        )),
        _ => Err(()),
    })
}

/// A block being filled, in the batch that will store it.
#[derive(Default)]
pub(super) struct BlockBuilder {
    id: Option<u64>,
    ends: Vec<u32>,
    body: Vec<u8>,
    /// The remittance the block's claims share (its first claim's), and its binary form.
    shared: Option<(RemitRef, Vec<u8>)>,
}

impl BlockBuilder {
    /// Adds `claim` to the block being filled (sealing a full one into `batch` first);
    /// returns where it lies (its block and position) for the claim index.
    pub(super) fn put(
        &mut self,
        store: &SledStore,
        batch: &mut impl Put,
        claim: &Claim,
    ) -> Result<(u64, u32), StoreError> {
        if self.ends.len() >= CLAIMS_PER_BLOCK || self.body.len() >= SEAL_AT_BYTES {
            self.seal(batch);
        }
        let id = match self.id {
            Some(id) => id,
            None => *self.id.insert(store.next_seq()?),
        };
        let start = self.body.len();
        let first = self.ends.is_empty();
        let shared = match self.shared.take() {
            Some(shared) if !first => shared,
            _ => {
                let mut remit = Vec::new();
                write_remit(&mut remit, &claim.remit);
                (claim.remit.clone(), remit)
            }
        };
        write_claim(&mut self.body, claim, &shared.0);
        // The block's remittance is stored once, with its first claim: counted with it.
        let size = self.body.len() - start + if first { shared.1.len() } else { 0 };
        self.shared = Some(shared);
        if size > MAX_CLAIM_BYTES {
            self.body.truncate(start);
            return Err(StoreError::Refused(format!(
                "claim {} would take {size} bytes stored, more than the {MAX_CLAIM_BYTES} a claim may; nothing of its file was stored",
                claim.patient_control_number
            )));
        }
        let end = self.body.len() as u32;
        let position = self.ends.len() as u32;
        self.ends.push(end);
        Ok((id, position))
    }

    /// Writes the block being filled, if any, into `batch`.
    pub(super) fn seal(&mut self, batch: &mut impl Put) {
        let Some(id) = self.id.take() else {
            return;
        };
        // A block whose only claim was refused holds nothing to write.
        let (Some((_, remit)), false) = (self.shared.take(), self.ends.is_empty()) else {
            return;
        };
        let mut payload =
            Vec::with_capacity(8 + 4 * self.ends.len() + remit.len() + self.body.len());
        payload.extend_from_slice(&(self.ends.len() as u32).to_le_bytes());
        payload.extend_from_slice(&(remit.len() as u32).to_le_bytes());
        for end in self.ends.drain(..) {
            payload.extend_from_slice(&end.to_le_bytes());
        }
        payload.extend_from_slice(&remit);
        payload.append(&mut self.body);
        let mut value = vec![LZ4_BINARY];
        value.extend_from_slice(&lz4_flex::compress_prepend_size(&payload));
        batch.put(keys::claim_block(id), value);
    }
}

/// A stored block read back into the form `core::BlockCache` keeps (see `Decoded`).
fn parse_block(value: &[u8]) -> Result<Decoded, String> {
    let (&format, packed) = value.split_first().ok_or("an empty block")?;
    if format != LZ4_JSON && format != LZ4_BINARY {
        return Err(format!(
            "a block encoded as {format}, which this build does not know"
        ));
    }
    let payload = unpack_lz4(packed, MAX_BLOCK_BYTES)?;
    let word = |at: usize| {
        payload
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")) as usize)
    };
    let count = word(0).ok_or("a block too short for its count")?;
    let (remit_len, table_at) = match format {
        LZ4_BINARY => (word(4).ok_or("a block too short for its remittance")?, 8),
        _ => (0, 4),
    };
    let table = count
        .checked_mul(4)
        .and_then(|n| payload.get(table_at..table_at + n))
        .ok_or("a block too short for its offsets")?;
    let ends: Vec<u32> = table
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")))
        .collect();
    let rest = &payload[table_at + 4 * count..];
    let (remit, body) = rest
        .split_at_checked(remit_len)
        .ok_or("a block too short for its remittance")?;
    let shared = match format {
        LZ4_BINARY => Some(read_remit(remit).map_err(|e| format!("its remittance: {e}"))?),
        _ => None,
    };
    let mut start = 0;
    for &end in &ends {
        if end < start || end as usize > body.len() {
            return Err("a block whose offsets do not fit it".into());
        }
        start = end;
    }
    Ok(Decoded {
        ends,
        body: body.to_vec(),
        shared,
    })
}

/// The bytes of the claim at `position` in a decoded block.
fn claim_in(decoded: &Decoded, position: u32) -> Option<&[u8]> {
    let p = position as usize;
    let end = *decoded.ends.get(p)? as usize;
    let start = if p == 0 {
        0
    } else {
        decoded.ends[p - 1] as usize
    };
    decoded.body.get(start..end)
}

/// The claim at `position` in a decoded block, read from its encoding; `None` when the
/// block has no such position.
fn claim_at(decoded: &Decoded, position: u32, key: &[u8]) -> Option<Result<Claim, StoreError>> {
    let bytes = claim_in(decoded, position)?;
    Some(match &decoded.shared {
        None => decode(key, bytes),
        Some(shared) => read_claim(bytes, shared).map_err(|message| corrupt(key, message)),
    })
}

impl SledStore {
    /// The adjudication a `c:` entry holds or points to.
    pub(super) fn claim_value(&self, key: &[u8], value: &[u8]) -> Result<Claim, StoreError> {
        let corrupt = |message: String| corrupt(key, message);
        match located(value) {
            None => decode(key, value),
            Some(Err(())) => Err(corrupt("a claim location of the wrong length".into())),
            Some(Ok((block, position))) => self.claim_in_block(key, block, position),
        }
    }

    /// The adjudication at `position` in `block`; `key` names it in an error.
    pub(super) fn claim_in_block(
        &self,
        key: &[u8],
        block: u64,
        position: u32,
    ) -> Result<Claim, StoreError> {
        let corrupt = |message: String| corrupt(key, message);
        let decoded = self.block(block).map_err(|e| match e {
            StoreError::Corrupt { message, .. } => corrupt(message),
            other => other,
        })?;
        claim_at(&decoded, position, key)
            .ok_or_else(|| corrupt(format!("position {position} is not in block {block:016x}")))?
    }

    /// A block, from the cache of those read last (see `core::BlockCache`) or the store.
    fn block(&self, id: u64) -> Result<Arc<Decoded>, StoreError> {
        let mut cache = self.blocks.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(at) = cache.iter().position(|(cached, _)| *cached == id) {
            let entry = cache.remove(at);
            let decoded = Arc::clone(&entry.1);
            cache.insert(0, entry);
            return Ok(decoded);
        }
        drop(cache);
        let key = keys::claim_block(id);
        let value = self
            .db
            .get(&key)
            .map_err(db_error)?
            .ok_or_else(|| StoreError::Corrupt {
                key: String::from_utf8_lossy(&key).into(),
                message: format!("block {id:016x} is missing"),
            })?;
        let decoded = Arc::new(parse_block(&value).map_err(|message| StoreError::Corrupt {
            key: String::from_utf8_lossy(&key).into(),
            message: format!("block {id:016x}: {message}"),
        })?);
        let mut cache = self.blocks.lock().unwrap_or_else(|e| e.into_inner());
        cache.insert(0, (id, Arc::clone(&decoded)));
        cache.truncate(CACHED_BLOCKS);
        Ok(decoded)
    }
}

#[cfg(test)]
#[path = "claim_blocks_tests.rs"]
mod tests;

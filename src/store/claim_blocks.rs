//! Adjudications stored a block at a time. A remittance's claims are written together and
//! read one at a time (a claim's history, `show`, a backup), so they are stored as blocks
//! of up to `CLAIMS_PER_BLOCK` claims, compressed together (`b:{block}`): what a set
//! repeats in every claim (its payer, payee, dates and trace, every field name) costs a
//! few bytes per claim instead of a third of it. Where each adjudication lies (its block
//! and position) is kept by the claim index (`claim_index`); schemas 9 and 10 kept it in
//! the adjudication's own key (`c:`, 13 bytes).
//!
//! A block's payload, before compression: the claim count (u32), each claim's end offset
//! (u32 each), then the claims' JSON one after another — JSON because it is the one
//! encoding every release has read (`show --json` and backups print the same), and
//! compression takes away what it repeats. The first byte of a block says how it is
//! encoded, so a later encoding can sit beside this one.
//!
//! Claims written before schema 9 hold their JSON in the `c:` value itself; they are
//! still read (a migration resumed midway holds both) and `migrate_claims_to_index`
//! moves them.

use super::codec::{unpack_lz4, Put};
use super::core::{db_error, decode, Decoded, SledStore};
use super::{keys, StoreError};
use crate::domain::claim::Claim;
use std::sync::Arc;

/// Claims per block. A random read decompresses one block: 128 claims (about 150 KB of
/// JSON) decompress in well under a millisecond, and compress to 10–20 KB.
pub(super) const CLAIMS_PER_BLOCK: usize = 128;

/// A block is sealed once its claims pass this, before it has 128: a file of claims
/// with thousands of lines each still makes blocks a read can afford.
const SEAL_AT_BYTES: usize = 1 << 20;

/// The largest claim stored (its JSON): far beyond any real claim, and what keeps every
/// block under `MAX_BLOCK_BYTES`.
const MAX_CLAIM_BYTES: usize = 32 << 20;

/// No block is written larger than this (`SEAL_AT_BYTES` plus one claim of at most
/// `MAX_CLAIM_BYTES` and the offsets); a larger size read back is damage.
const MAX_BLOCK_BYTES: usize = 64 << 20;

/// The first byte of a block: LZ4 (size prepended) of the payload above.
const LZ4_JSON: u8 = 1;

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
        serde_json::to_writer(&mut self.body, claim).expect("claims always serialise");
        if self.body.len() - start > MAX_CLAIM_BYTES {
            let size = self.body.len() - start;
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
        let mut payload = Vec::with_capacity(4 + 4 * self.ends.len() + self.body.len());
        payload.extend_from_slice(&(self.ends.len() as u32).to_le_bytes());
        for end in self.ends.drain(..) {
            payload.extend_from_slice(&end.to_le_bytes());
        }
        payload.append(&mut self.body);
        let mut value = vec![LZ4_JSON];
        value.extend_from_slice(&lz4_flex::compress_prepend_size(&payload));
        batch.put(keys::claim_block(id), value);
    }
}

/// A stored block read back into the form `core::BlockCache` keeps: where each claim's JSON
/// ends, and the claims' JSON.
fn parse_block(value: &[u8]) -> Result<Decoded, String> {
    let (&format, packed) = value.split_first().ok_or("an empty block")?;
    if format != LZ4_JSON {
        return Err(format!(
            "a block encoded as {format}, which this build does not know"
        ));
    }
    let payload = unpack_lz4(packed, MAX_BLOCK_BYTES)?;
    let count = payload
        .get(..4)
        .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")) as usize)
        .ok_or("a block too short for its count")?;
    let table = count
        .checked_mul(4)
        .and_then(|n| payload.get(4..4 + n))
        .ok_or("a block too short for its offsets")?;
    let ends: Vec<u32> = table
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")))
        .collect();
    let body = payload[4 + 4 * count..].to_vec();
    let mut start = 0;
    for &end in &ends {
        if end < start || end as usize > body.len() {
            return Err("a block whose offsets do not fit it".into());
        }
        start = end;
    }
    Ok((ends, body))
}

/// The JSON of the claim at `position` in a decoded block.
fn claim_in((ends, body): &Decoded, position: u32) -> Option<&[u8]> {
    let p = position as usize;
    let end = *ends.get(p)? as usize;
    let start = if p == 0 { 0 } else { ends[p - 1] as usize };
    body.get(start..end)
}

impl SledStore {
    /// The adjudication a `c:` entry holds or points to.
    pub(super) fn claim_value(&self, key: &[u8], value: &[u8]) -> Result<Claim, StoreError> {
        let corrupt = |message: String| StoreError::Corrupt {
            key: String::from_utf8_lossy(key).replace('\0', "/"),
            message,
        };
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
        let corrupt = |message: String| StoreError::Corrupt {
            key: String::from_utf8_lossy(key).replace('\0', "/"),
            message,
        };
        let decoded = self.block(block).map_err(|e| match e {
            StoreError::Corrupt { message, .. } => corrupt(message),
            other => other,
        })?;
        let json = claim_in(&decoded, position)
            .ok_or_else(|| corrupt(format!("position {position} is not in block {block:016x}")))?;
        decode(key, json)
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
mod tests {
    use super::*;

    #[test]
    fn a_location_reads_back_and_a_json_claim_is_not_one() {
        assert_eq!(located(&location(7, 3)), Some(Ok((7, 3))));
        assert_eq!(located(b"{\"patient_control_number\":\"A\"}"), None);
        assert_eq!(located(&[IN_BLOCK, 1, 2]), Some(Err(())));
    }

    /// Collects what a builder writes.
    #[derive(Default)]
    struct Written(Vec<(Vec<u8>, Vec<u8>)>);

    impl Put for Written {
        fn put(&mut self, key: Vec<u8>, value: Vec<u8>) {
            self.0.push((key, value));
        }
    }

    fn claim(pcn: &str, remark: String) -> Claim {
        let mut claim: Claim = serde_json::from_value(serde_json::json!({
            "patient_control_number": pcn, "status_code": "ProcessedPrimary",
            "billed_cents": 100, "paid_cents": 0, "patient_responsibility_cents": 0,
            "filing_indicator": "BL", "payer_claim_number": "1", "facility_code": "11",
            "frequency": "1", "patient": {"last_name": "DOE", "first_name": "JANE", "member_id": "W1"},
            "adjustments": [], "lines": [], "remit": {"remit_date": "2026-11-20", "trace_number": "T1",
            "payer_originator": "", "payer": {"name": "AETNA", "id": "60054"},
            "payee": {"name": "CLINIC", "id": "1"}, "source_file": "a.835"}
        }))
        .unwrap();
        claim.remarks = vec![remark];
        claim
    }

    #[test]
    fn a_block_is_sealed_by_size_and_an_oversized_claim_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = SledStore::open(&dir.path().join("db")).unwrap();
        let mut builder = BlockBuilder::default();
        let mut written = Written::default();
        let big = "x".repeat(600_000);
        for (n, pcn) in ["A1", "A2", "A3"].into_iter().enumerate() {
            let (_, position) = builder
                .put(&store, &mut written, &claim(pcn, big.clone()))
                .unwrap();
            assert_eq!(position, [0, 1, 0][n], "{pcn}");
        }
        builder.seal(&mut written);
        let blocks: Vec<&(Vec<u8>, Vec<u8>)> = written
            .0
            .iter()
            .filter(|(k, _)| k.starts_with(b"b:"))
            .collect();
        assert_eq!(
            blocks.len(),
            2,
            "two claims pass 1 MiB: the third starts a block"
        );
        let first = parse_block(&blocks[0].1).unwrap();
        assert_eq!(first.0.len(), 2);
        let read: Claim = serde_json::from_slice(claim_in(&first, 1).unwrap()).unwrap();
        assert_eq!(read, claim("A2", big));
        let huge = claim("A4", "x".repeat(MAX_CLAIM_BYTES + 1));
        let refused = builder.put(&store, &mut written, &huge);
        assert!(
            matches!(refused, Err(StoreError::Refused(_))),
            "{refused:?}"
        );
        // The refused claim left nothing in the block being filled.
        assert!(builder.body.is_empty() && builder.ends.is_empty());
    }

    #[test]
    fn a_damaged_block_is_an_error_never_a_panic() {
        assert!(parse_block(&[]).is_err());
        assert!(parse_block(&[9, 1, 2, 3]).is_err());
        assert!(parse_block(&[LZ4_JSON, 200, 0, 0, 0, 1]).is_err());
        // A size prefix of 4 GB is refused before anything is allocated.
        assert!(parse_block(&[LZ4_JSON, 255, 255, 255, 255, 1]).is_err());
        // Offsets past the end of the claims.
        let mut payload = 1u32.to_le_bytes().to_vec();
        payload.extend_from_slice(&99u32.to_le_bytes());
        payload.extend_from_slice(b"{}");
        let mut value = vec![LZ4_JSON];
        value.extend_from_slice(&lz4_flex::compress_prepend_size(&payload));
        assert!(parse_block(&value).is_err());
        for cut in 0..value.len() {
            let _ = parse_block(&value[..cut]);
        }
    }
}

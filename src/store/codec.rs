//! How values are stored: JSON for most records, bincode for the work items and list rows
//! the worklist loads in bulk; and a work item always written with what derives from it
//! (its list row, its payer-claim-number index entry).

use super::audit::AuditEntry;
use super::kv::Batch;
use super::{keys, StoreError};
use crate::domain::list_row::ListRow;
use crate::domain::work_item::WorkItem;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Where staged writes go: a plain batch, or one whose keys are kept for the journal.
pub(super) trait Put {
    fn put(&mut self, key: Vec<u8>, value: Vec<u8>);
}

impl Put for Batch {
    fn put(&mut self, key: Vec<u8>, value: Vec<u8>) {
        self.insert(key, value);
    }
}

pub(super) fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("domain types always serialise")
}

/// Work items are the bulk of what the UI loads: stored compactly (bincode, a third of the
/// JSON size) so opening a large worklist stays fast.
pub(super) fn encode_item(item: &WorkItem) -> Vec<u8> {
    bincode::serialize(item).expect("work items always serialise")
}

pub(super) fn decode_item(key: &[u8], bytes: &[u8]) -> Result<WorkItem, StoreError> {
    decode_compact(key, bytes)
}

/// Decodes a compactly stored value (a work item or its list row).
pub(super) fn decode_compact<T: DeserializeOwned>(
    key: &[u8],
    bytes: &[u8],
) -> Result<T, StoreError> {
    bincode::deserialize(bytes).map_err(|e| StoreError::Corrupt {
        key: String::from_utf8_lossy(key).replace('\0', "/"),
        message: e.to_string(),
    })
}

/// Writes a work item and its list row: always together, so the row index the worklist
/// opens from can never disagree with the items.
pub(super) fn put_item(batch: &mut impl Put, item: &WorkItem) {
    batch.put(keys::work_item(&item.key), encode_item(item));
    put_list_row(batch, item);
    if !item.payer_claim_number.is_empty() {
        // Earlier claim numbers of the item keep their entries: they name it still.
        batch.put(
            keys::payer_claim(
                payer_index_name(&item.payer_id, &item.payer),
                &item.payer_claim_number,
            ),
            item.key.as_bytes().to_vec(),
        );
    }
}

/// How the payer-claim-number index names a payer: its id, else its name.
pub(super) fn payer_index_name<'a>(id: &'a str, name: &'a str) -> &'a str {
    if id.trim().is_empty() {
        name.trim()
    } else {
        id.trim()
    }
}

/// Writes a work item's list row (see `put_item`), marked as written since the snapshot of
/// every row (see `list_snapshot`) in the same batch.
pub(super) fn put_list_row(batch: &mut impl Put, item: &WorkItem) {
    let row = bincode::serialize(&ListRow::from(item)).expect("list rows always serialise");
    batch.put(keys::list_row(&item.key), row);
    batch.put(keys::row_mark(&item.key), Vec::new());
}

/// The first byte of an audit entry stored compressed (LZ4 of its JSON, size prepended).
/// A JSON entry starts with `{`.
const LZ4_AUDIT: u8 = 0xA1;

/// Audit entries longer than this are stored compressed: a set's entry lists the keys of
/// the items it opened, and an item routed as it opened lists every field it was opened
/// with (about 2.5 KB of JSON, 1.1 KB compressed).
const COMPRESS_AUDIT_OVER: usize = 512;

/// The largest compressed audit entry read back; a larger size is damage.
const AUDIT_UNPACK_MAX: usize = 16 << 20;

/// An audit entry as stored: its JSON, compressed when long (see `decode_audit`).
pub(super) fn encode_audit(entry: &AuditEntry) -> Vec<u8> {
    let json = encode(entry);
    // Past what `decode_audit` unpacks, an entry stays JSON (read without a bound).
    if json.len() <= COMPRESS_AUDIT_OVER || json.len() > AUDIT_UNPACK_MAX {
        return json;
    }
    let mut packed = vec![LZ4_AUDIT];
    packed.extend_from_slice(&lz4_flex::compress_prepend_size(&json));
    packed
}

/// Reads an audit entry stored as JSON (every release) or compressed (schema 9).
pub(super) fn decode_audit(key: &[u8], bytes: &[u8]) -> Result<AuditEntry, StoreError> {
    match bytes.split_first() {
        Some((&LZ4_AUDIT, packed)) => {
            let json =
                unpack_lz4(packed, AUDIT_UNPACK_MAX).map_err(|message| StoreError::Corrupt {
                    key: String::from_utf8_lossy(key).replace('\0', "/"),
                    message,
                })?;
            decode(key, &json)
        }
        _ => decode(key, bytes),
    }
}

/// LZ4 with its size prepended (little-endian u32), the size checked against `max`
/// before anything is allocated for it: a damaged prefix must not ask for gigabytes.
pub(super) fn unpack_lz4(packed: &[u8], max: usize) -> Result<Vec<u8>, String> {
    let size = packed
        .get(..4)
        .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")) as usize)
        .ok_or("compressed data too short for its size")?;
    if size > max {
        return Err(format!(
            "compressed data of {size} bytes, more than any written"
        ));
    }
    lz4_flex::decompress(&packed[4..], size).map_err(|e| e.to_string())
}

pub(super) fn decode<T: DeserializeOwned>(key: &[u8], bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt {
        key: String::from_utf8_lossy(key).replace('\0', "/"),
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_audit_entry_is_stored_compressed_and_reads_back_whole() {
        let at = chrono::Utc::now();
        let short = AuditEntry::about_database(1, at, "maria", "backup", "taken".into());
        assert_eq!(encode_audit(&short), encode(&short));
        let long = AuditEntry::about_database(2, at, "maria", "import", "opened ".repeat(200));
        let stored = encode_audit(&long);
        assert_eq!(stored[0], LZ4_AUDIT);
        assert!(stored.len() < encode(&long).len() / 4);
        assert_eq!(decode_audit(b"a:2", &stored).unwrap(), long);
        assert_eq!(decode_audit(b"a:1", &encode(&short)).unwrap(), short);
        // Damaged: an error naming the key, never a panic or a huge allocation.
        for cut in 0..stored.len() {
            if let Err(e) = decode_audit(b"a:2", &stored[..cut]) {
                assert!(e.to_string().contains("a:2"), "{e}");
            }
        }
        let huge = [LZ4_AUDIT, 255, 255, 255, 255, 0];
        assert!(decode_audit(b"a:3", &huge).is_err());
    }
}

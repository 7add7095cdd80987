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

/// Marks a work item stored compressed (schema 12 on): LZ4 (size prepended) of its bincode
/// follows. A value stored plainly (bincode, every schema) starts with its key's length as
/// a u64 LE, whose upper four bytes are zero for any value sled can hold: this mark's
/// (`LZ4` and a version) are not, so neither form ever reads as the other.
const PACKED_ITEM: [u8; 8] = *b"\xffDDiLZ4\x01";

/// The largest compressed work item read back; a larger size is damage.
const ITEM_UNPACK_MAX: usize = 64 << 20;

/// The most a thread keeps of its buffer for unpacking items between reads.
const KEPT_UNPACK_BUFFER: usize = 1 << 20;

/// Fewer bytes than any work item or list row takes stored, plain or compressed (bincode
/// gives each of their nine or more strings and lists an 8-byte length, and an item is
/// compressed only when that leaves it at least this long): a packed value this short is
/// damage (see `packed::unpack`). It bounds how many values a reply of N bytes can claim
/// (N / (4 + this)), so the vector they are decoded into (~700 bytes a value) stays a small
/// multiple of what was received. A compressed item may still unpack to more than it took
/// (at most `ITEM_UNPACK_MAX`), as an item from any server of this build may.
pub(super) const SHORTEST_VALUE: usize = 64;

/// Work items are the bulk of what a whole load reads: stored compactly (bincode, a third
/// of the JSON size) and, since schema 12, LZ4-compressed (a 665-byte item to ~420 bytes;
/// with the binary blocks, the folder after the 120,000-claim import went from a median of
/// 2.0x the file to 1.9x: BENCHMARKS.md, "Claims in binary blocks"). Stored plainly where
/// compressing would not make it smaller.
pub(super) fn encode_item(item: &WorkItem) -> Vec<u8> {
    let plain = bincode::serialize(item).expect("work items always serialise");
    let packed = lz4_flex::compress_prepend_size(&plain);
    let len = PACKED_ITEM.len() + packed.len();
    if len >= plain.len() || len < SHORTEST_VALUE || plain.len() > ITEM_UNPACK_MAX {
        return plain;
    }
    let mut value = Vec::with_capacity(len);
    value.extend_from_slice(&PACKED_ITEM);
    value.extend_from_slice(&packed);
    value
}

pub(super) fn decode_item(key: &[u8], bytes: &[u8]) -> Result<WorkItem, StoreError> {
    decode_compact(key, bytes)
}

/// Decodes a compactly stored value (a work item, plain or compressed, or a list row).
pub(super) fn decode_compact<T: DeserializeOwned>(
    key: &[u8],
    bytes: &[u8],
) -> Result<T, StoreError> {
    let corrupt = |message: String| corrupt(key, message);
    let Some(packed) = bytes.strip_prefix(&PACKED_ITEM[..]) else {
        return bincode::deserialize(bytes).map_err(|e| corrupt(e.to_string()));
    };
    // Unpacked into a buffer each thread keeps: a whole load unpacks ~117,000 items at 1M
    // claims, and an allocation for each was a third of the unpacking.
    thread_local! {
        static UNPACKED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    UNPACKED.with_borrow_mut(|buffer| {
        let read = unpack_lz4_into(packed, ITEM_UNPACK_MAX, buffer)
            .map_err(corrupt)
            .and_then(|()| bincode::deserialize(buffer).map_err(|e| corrupt(e.to_string())));
        // A long-lived thread (the UI's, a server connection's) keeps no more than an
        // item's usual size after an outsized one.
        if buffer.capacity() > KEPT_UNPACK_BUFFER {
            *buffer = Vec::new();
        }
        read
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
/// every row (see `list_snapshot`) in the same batch. (A journaled import drops the marks:
/// see `journal::apply_journaled`.)
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
            let json = unpack_lz4(packed, AUDIT_UNPACK_MAX).map_err(|m| corrupt(key, m))?;
            decode(key, &json)
        }
        _ => decode(key, bytes),
    }
}

/// LZ4 with its size prepended (little-endian u32), the size checked against `max`
/// before anything is allocated for it: a damaged prefix must not ask for gigabytes.
pub(super) fn unpack_lz4(packed: &[u8], max: usize) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    unpack_lz4_into(packed, max, &mut out)?;
    Ok(out)
}

/// As `unpack_lz4`, into `out` (cleared first, its allocation kept).
fn unpack_lz4_into(packed: &[u8], max: usize, out: &mut Vec<u8>) -> Result<(), String> {
    let size = packed
        .get(..4)
        .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")) as usize)
        .ok_or("compressed data too short for its size")?;
    if size > max {
        return Err(format!(
            "compressed data of {size} bytes, more than any written"
        ));
    }
    out.clear();
    out.resize(size, 0);
    let written = lz4_flex::block::decompress_into(&packed[4..], out).map_err(|e| e.to_string())?;
    if written != size {
        return Err(format!("{written} bytes unpacked where {size} were stored"));
    }
    Ok(())
}

/// Damage found in the value stored at `key`: the key shown as text, its NULs as `/`.
pub(super) fn corrupt(key: &[u8], message: String) -> StoreError {
    StoreError::Corrupt {
        key: String::from_utf8_lossy(key).replace('\0', "/"),
        message,
    }
}

pub(super) fn decode<T: DeserializeOwned>(key: &[u8], bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| corrupt(key, e.to_string()))
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

    #[test]
    fn a_work_item_is_stored_compressed_and_one_stored_plainly_still_reads() {
        let mut item = crate::domain::test_support::work_item("LMN100001");
        item.remarks =
            vec!["N386 - This decision was based on a National Coverage Determination".into(); 3];
        let plain = bincode::serialize(&item).unwrap();
        // Every plain value's upper length bytes are zero: the mark can never be one.
        assert_eq!(plain[4..8], [0; 4]);
        let stored = encode_item(&item);
        assert!(stored.starts_with(&PACKED_ITEM), "compressed");
        assert!(
            stored.len() < plain.len() * 3 / 4,
            "{} of {}",
            stored.len(),
            plain.len()
        );
        assert_eq!(decode_item(b"w:1", &stored).unwrap(), item);
        // Written before schema 12 (or where compressing would not pay): still read.
        assert_eq!(decode_item(b"w:1", &plain).unwrap(), item);
        // Cut anywhere: an error naming the key, never a panic or a huge allocation.
        for cut in 0..stored.len() {
            let e = decode_item(b"w:1", &stored[..cut]).unwrap_err();
            assert!(e.to_string().contains("w:1"), "{e}");
        }
        let mut huge = PACKED_ITEM.to_vec();
        huge.extend_from_slice(&[255, 255, 255, 255, 0]);
        assert!(decode_item(b"w:2", &huge).is_err());
    }
}

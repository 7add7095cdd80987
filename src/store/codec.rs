//! How values are stored: JSON for most records, bincode for the work items and list rows
//! the worklist loads in bulk; and a work item always written with what derives from it
//! (its list row, its payer-claim-number index entry).

use super::{keys, StoreError};
use crate::domain::list_row::ListRow;
use crate::domain::work_item::WorkItem;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Where staged writes go: a plain batch, or one whose keys are kept for the journal.
pub(super) trait Put {
    fn put(&mut self, key: Vec<u8>, value: Vec<u8>);
}

impl Put for sled::Batch {
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

/// Writes a work item's list row (see `put_item`).
pub(super) fn put_list_row(batch: &mut impl Put, item: &WorkItem) {
    let row = bincode::serialize(&ListRow::from(item)).expect("list rows always serialise");
    batch.put(keys::list_row(&item.key), row);
}

pub(super) fn decode<T: DeserializeOwned>(key: &[u8], bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt {
        key: String::from_utf8_lossy(key).replace('\0', "/"),
        message: e.to_string(),
    })
}

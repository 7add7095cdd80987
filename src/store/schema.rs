//! The schema version key: a newer database is refused, an older one migrated at open.

use super::sled_store::{db_error, decode, decode_item, encode, put_item, put_list_row, SledStore};
use super::{keys, StoreError, SCHEMA_VERSION};
use crate::domain::work_item::WorkItem;

impl SledStore {
    pub(super) fn check_schema(&self) -> Result<(), StoreError> {
        match self.db.get(keys::SCHEMA).map_err(db_error)? {
            Some(bytes) => {
                let found: u32 = decode(keys::SCHEMA, &bytes)?;
                if found > SCHEMA_VERSION {
                    return Err(StoreError::NewerSchema {
                        path: self.path.clone(),
                        found,
                        supported: SCHEMA_VERSION,
                    });
                }
                if found < SCHEMA_VERSION {
                    self.migrate(found)?;
                }
                Ok(())
            }
            None => {
                self.db
                    .insert(keys::SCHEMA, encode(&SCHEMA_VERSION))
                    .map_err(db_error)?;
                self.flush()
            }
        }
    }

    /// Schema 1 stored work items as JSON; schema 2 compactly; schema 3 adds each item's
    /// list row. The version is bumped only after every row is written, so a crash
    /// midway leaves the old schema, and the next open starts the migration again.
    fn migrate(&self, found: u32) -> Result<(), StoreError> {
        if found == 1 {
            // Schema 1 stores predate large backlogs: one batch rewrites every item,
            // because a half-rewritten v1 store would mix JSON and compact items.
            let mut batch = sled::Batch::default();
            for entry in self.db.scan_prefix(keys::WORK_ITEMS) {
                let (key, value) = entry.map_err(db_error)?;
                put_item(&mut batch, &v1_item(&key, &value)?);
            }
            batch.insert(keys::SCHEMA, encode(&SCHEMA_VERSION));
            self.apply(batch)?;
            return self.flush();
        }
        // Schema 2 → 3 only adds list rows derived from the items, so rewriting them is
        // idempotent and can go in bounded batches: one batch for a million items held
        // 1.3 GB; chunks keep the peak near the open store's own.
        let mut batch = sled::Batch::default();
        let mut in_batch = 0;
        for entry in self.db.scan_prefix(keys::WORK_ITEMS) {
            let (key, value) = entry.map_err(db_error)?;
            put_list_row(&mut batch, &decode_item(&key, &value)?);
            in_batch += 1;
            if in_batch == MIGRATION_CHUNK {
                self.apply(std::mem::take(&mut batch))?;
                in_batch = 0;
            }
        }
        batch.insert(keys::SCHEMA, encode(&SCHEMA_VERSION));
        self.apply(batch)?;
        self.flush()
    }
}

/// List rows written per batch when migrating schema 2 → 3.
const MIGRATION_CHUNK: usize = 10_000;

/// A work item as schema 1 wrote it (JSON).
fn v1_item(key: &[u8], value: &[u8]) -> Result<WorkItem, StoreError> {
    let mut json: serde_json::Value = decode(key, value)?;
    // v1 wrote the deadline source tagged inside ({"kind": "payer-rule", …}).
    if let Some(source) = json.pointer_mut("/appeal_deadline/source") {
        if let Some(kind) = source
            .get("kind")
            .and_then(|k| k.as_str())
            .map(String::from)
        {
            *source = match source.get("payer") {
                Some(payer) => serde_json::json!({ kind: { "payer": payer } }),
                None => serde_json::Value::from(kind),
            };
        }
    }
    serde_json::from_value(json).map_err(|e| StoreError::Corrupt {
        key: String::from_utf8_lossy(key).replace('\0', "/"),
        message: e.to_string(),
    })
}

//! The schema version key: a newer database is refused, an older one migrated in one
//! batch at open.

use super::sled_store::{db_error, decode, encode, encode_item, SledStore};
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
                if found == 1 {
                    self.migrate_v1_work_items()?;
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

    /// Schema 1 stored work items as JSON; schema 2 stores them compactly. One batch
    /// rewrites them all and bumps the version, so a crash leaves either schema whole.
    fn migrate_v1_work_items(&self) -> Result<(), StoreError> {
        let mut batch = sled::Batch::default();
        for entry in self.db.scan_prefix(keys::WORK_ITEMS) {
            let (key, value) = entry.map_err(db_error)?;
            let mut json: serde_json::Value = decode(&key, &value)?;
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
            let item: WorkItem = serde_json::from_value(json).map_err(|e| StoreError::Corrupt {
                key: String::from_utf8_lossy(&key).replace('\0', "/"),
                message: e.to_string(),
            })?;
            batch.insert(key, encode_item(&item));
        }
        batch.insert(keys::SCHEMA, encode(&SCHEMA_VERSION));
        self.apply(batch)?;
        self.flush()
    }
}

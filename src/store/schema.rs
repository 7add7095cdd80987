//! The schema version key: a newer database is refused, an older one migrated at open.

use super::core::{db_error, decode, encode, SledStore};
use super::kv::Batch;
use super::migrate_v4::WorkItemV3;
use super::{keys, StoreError, SCHEMA_VERSION};
use std::sync::OnceLock;

/// Who hears of a migration's steps (the command line's progress): set once per process.
type StepHook = Box<dyn Fn(MigrationStep) + Send + Sync>;
static ON_STEP: OnceLock<StepHook> = OnceLock::new();

/// Where a migration at open is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MigrationStep<'a> {
    /// A step started: what it does, from which schema.
    Started {
        /// The schema found.
        from: u32,
        /// What this step rewrites.
        what: &'a str,
    },
    /// How far a step that knows its size has got (claims moved of all there are).
    Progress {
        /// The schema found.
        from: u32,
        /// What this step rewrites.
        what: &'a str,
        /// How many it has been through.
        done: u64,
        /// How many there are.
        total: u64,
    },
    /// Every step is done and the new schema recorded.
    Done,
}

/// Has `hook` told of every migration a store opened later in this process runs (the
/// first hook set stays). Migrations at open can take minutes on a large store: this is
/// how a progress display learns of them without the store knowing about terminals.
pub fn on_migration_step(hook: impl Fn(MigrationStep) + Send + Sync + 'static) {
    let _ = ON_STEP.set(Box::new(hook));
}

pub(super) fn step(s: MigrationStep) {
    if let Some(hook) = ON_STEP.get() {
        hook(s);
    }
}

impl SledStore {
    /// Refuses a database written by a newer denialdesk before anything touches it.
    pub(super) fn refuse_newer_schema(&self) -> Result<(), StoreError> {
        if let Some(bytes) = self.db.get(keys::SCHEMA).map_err(db_error)? {
            let found: u32 = decode(keys::SCHEMA, &bytes)?;
            if found > SCHEMA_VERSION {
                return Err(StoreError::NewerSchema {
                    path: self.path.clone(),
                    found,
                    supported: SCHEMA_VERSION,
                });
            }
        }
        Ok(())
    }

    pub(super) fn check_schema(&self, had_data: bool) -> Result<(), StoreError> {
        match self.db.get(keys::SCHEMA).map_err(db_error)? {
            Some(bytes) => {
                self.refuse_newer_schema()?;
                let found: u32 = decode(keys::SCHEMA, &bytes)?;
                // A move of the claims cut short records the schema it started from.
                let moving: Option<u32> = self.get(keys::MOVING_CLAIMS)?;
                match moving {
                    Some(from) => self.migrate(from)?,
                    None if found < SCHEMA_VERSION => self.migrate(found)?,
                    None => {}
                }
                Ok(())
            }
            None if had_data || self.db.iter().next().is_some() => Err(StoreError::Damaged {
                path: self.path.clone(),
            }),
            None => {
                self.db
                    .insert(keys::SCHEMA, encode(&SCHEMA_VERSION))
                    .map_err(db_error)?;
                self.flush()
            }
        }
    }

    /// Schema 1 stored work items as JSON; schema 2 compactly; schema 3 added each item's
    /// list row; schema 4 keys everything by claim identity (`migrate_v4`); schema 5
    /// rebuilds the adjudication-day counts with the KPI fields (`migrate_v5`); schema 6
    /// adds rejections and the no-response clock; schema 7 underpayments; schema 8 appeal
    /// packets (items of all three are rewritten by `migrate_items_to_v8`); schema 9 stores
    /// the claims in compressed blocks (moved with schema 11's move); schema 10 audits
    /// the work items a set opens in the set's entry (`AuditEntry::opened`; nothing is
    /// rewritten, but an older build would answer `audit --claim` without them) and reads
    /// the worklist from a snapshot of its rows (`list_snapshot`, written by the move to
    /// 10); schema 11 keeps where each claim lies in the claim index's buckets instead of
    /// a key per claim (`migrate_v11`, chunked and resumable); schema 12 writes new blocks'
    /// claims in a binary form, their remittance once per block (`claim_codec`), and work
    /// items LZ4-compressed (`codec::encode_item`). Nothing is rewritten: JSON blocks and
    /// plain items are still read, but an older build cannot read the new ones. Schema 13
    /// compresses a journaled import's undo records (`journal::encode_undo`): nothing is
    /// rewritten, an older build's records are still read, but an older build could not
    /// roll back a new one's interrupted import. Older
    /// schemas are brought to schema 3's item layout first (list rows are rebuilt by the
    /// move to 4).
    /// The version is bumped only after everything is rewritten, so a crash midway leaves
    /// the old schema, and the next open resumes the migration; except for the moves of the
    /// claims (schemas 9 and 11), which take claims out of their `c:` keys: before them the
    /// store is marked with this build's schema (so no older build opens it half moved),
    /// with where the moves resume (`keys::MOVING_CLAIMS`), cleared when the migration is
    /// done.
    fn migrate(&self, found: u32) -> Result<(), StoreError> {
        let started = |what| step(MigrationStep::Started { from: found, what });
        if found == 1 {
            started("rewriting schema 1 work items");
            // Schema 1 stores predate large backlogs: one batch rewrites every item,
            // because a half-rewritten v1 store would mix JSON and compact items.
            let mut batch = Batch::default();
            for entry in self.db.scan_prefix(keys::WORK_ITEMS) {
                let (key, value) = entry.map_err(db_error)?;
                let item = v1_item(&key, &value)?;
                batch.insert(key, bincode::serialize(&item).expect("items serialise"));
            }
            batch.insert(keys::SCHEMA, encode(&2u32));
            self.apply(batch)?;
            self.flush()?;
        }
        if found < 4 {
            started("keying every claim by its identity");
            self.migrate_v3_to_v4()?;
        }
        if (4..8).contains(&found) {
            // Schemas 1–3 were rewritten in the new layout by the move to 4.
            started("rewriting every work item");
            self.migrate_items_to_v8()?;
        }
        if found < 5 {
            started("rebuilding the KPI counts");
            self.rebuild_adjudication_days()?;
        }
        if found < SCHEMA_VERSION {
            // The move below takes claims out of their `c:` keys a chunk at a time: from
            // here on the store says it is this build's schema, so an older build refuses it
            // rather than opening it with claims missing, and notes which steps are left
            // (those from schema 8 on: the ones before are done), so the next open of this
            // build resumes them.
            let mut batch = Batch::default();
            batch.insert(keys::MOVING_CLAIMS, encode(&found.max(8)));
            batch.insert(keys::SCHEMA, encode(&SCHEMA_VERSION));
            self.apply(batch)?;
            self.flush()?;
        }
        if found < 10 {
            started("writing the worklist's snapshot");
            self.refresh_list_snapshot()?;
        }
        if found < 11 {
            // One move for both: a claim held as JSON goes into a block on its way.
            let what = match found < 9 {
                true => "storing the claims in compressed blocks",
                false => "indexing the claims by CLP01",
            };
            started(what);
            self.migrate_claims_to_index(found, what)?;
        }
        // Schema 6 also adds rejection items, the `accepted` status and first-acknowledgment
        // marks, schema 7 underpayment items, schema 8 appeal packets, schema 10 audit
        // entries covering many items, schema 11 the claim index, schema 12 binary blocks,
        // schema 13 compressed undo records: older builds must not open what they cannot
        // read.
        let mut batch = Batch::default();
        batch.insert(keys::SCHEMA, encode(&SCHEMA_VERSION));
        batch.remove(keys::MOVING_CLAIMS);
        self.apply(batch)?;
        let flushed = self.flush();
        if flushed.is_ok() {
            self.write_rows_file();
        }
        step(MigrationStep::Done);
        flushed
    }
}

/// A work item as schema 1 wrote it (JSON).
fn v1_item(key: &[u8], value: &[u8]) -> Result<WorkItemV3, StoreError> {
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
    serde_json::from_value(json).map_err(|e| super::codec::corrupt(key, e.to_string()))
}

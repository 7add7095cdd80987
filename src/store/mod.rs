//! Persistence behind one `Store` trait. `SledStore` is the embedded implementation and the
//! only code that knows sled; the team client (`team::client::RemoteStore`) implements the
//! same trait over the server's socket, and `read_only::ReadOnly` wraps either for
//! `--readonly`.

pub mod audit;
pub mod backup;
mod claim_blocks;
mod claim_codec;
mod claim_index;
mod claim_keys;
mod codec;
mod core;
mod durability;
mod index_entry;
mod index_fragment;
mod index_pending;
pub(crate) use durability::free_bytes;
mod import_ack;
pub mod import_gate;
mod import_plb;
mod import_set;
mod journal;
mod keys;
mod kv;
mod list_snapshot;
pub mod memory;
mod migrate_v11;
mod migrate_v4;
mod migrate_v5;
mod migrate_v6;
mod open;
mod packed;
mod packed_values;
mod parallel_scan;
pub(crate) mod permissions;
mod prevention;
pub mod read_only;
mod restore;
pub mod rows_delta;
mod rows_file;
mod schema;
pub use schema::{on_migration_step, MigrationStep};
mod set_batch;
pub mod sled_store;
mod snapshot_format;
mod unmarked;
mod varint;
/// The simulated disk the power-loss tests run the store on (`SledStore::open_simulated`).
pub use kv::SimDisk;

use crate::domain::acknowledgment::{Acknowledgment, BatchAck};
use crate::domain::action::{ActionError, WorkAction};
use crate::domain::claim::Claim;
use crate::domain::contract::ContractSet;
use crate::domain::kpi::{Activity, AdjudicationDay};
use crate::domain::list_row::ListRow;
use crate::domain::payer_rules::PayerRules;
use crate::domain::prevention::PreventionItem;
use crate::domain::remittance::Remittance;
use crate::domain::timeline::Event;
use crate::domain::work_item::WorkItem;
use audit::AuditEntry;
use backup::BackupSummary;
use chrono::NaiveDate;
use std::path::PathBuf;

pub use sled_store::SledStore;

/// The schema this build reads and writes. Bump it with a migration when the layout changes.
pub const SCHEMA_VERSION: u32 = 13;

/// What went wrong in the store, worded for the person at the keyboard.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database at {path} is in use by another denialdesk process (only one process can open it at a time); close the other denialdesk, or point this one at another database with --db")]
    /// Another process holds the database.
    Locked {
        /// The database folder.
        path: PathBuf,
    },
    #[error("the database at {path} has schema version {found}, newer than this denialdesk understands ({supported}); upgrade denialdesk")]
    /// Written by a newer denialdesk.
    NewerSchema {
        /// The database folder.
        path: PathBuf,
        /// The schema it has.
        found: u32,
        /// The newest schema this build reads.
        supported: u32,
    },
    #[error("the database at {path} is damaged: it has data files but no schema record (a truncated or partly deleted data file?); nothing was changed. Restore it from a backup into a new folder: denialdesk restore BACKUP --db NEW")]
    /// Data files without a schema record.
    Damaged {
        /// The database folder.
        path: PathBuf,
    },
    #[error("no claim {0:?} in the worklist (see `denialdesk list`)")]
    /// No claim by that name.
    UnknownClaim(String),
    #[error("claim id {claim:?} names {} claims (different patients or payers share it); pick one by its key or as CLAIM@N:
  {}", candidates.len(), candidates.join("
  "))]
    /// A CLP01 several claims share.
    Ambiguous {
        /// The name given.
        claim: String,
        /// Each candidate, described so the user can pick one.
        candidates: Vec<String>,
    },
    #[error(transparent)]
    /// The action is not allowed on this claim (the domain says why).
    Action(#[from] ActionError),
    #[error("claim {claim} was changed by {user} at {at} since you opened it; it has been reloaded, re-apply your change")]
    /// Someone saved the claim since the user looked (optimistic concurrency).
    Conflict {
        /// The claim.
        claim: String,
        /// Who saved it.
        user: String,
        /// When.
        at: String,
    },
    #[error("{path}: {message}")]
    /// A file or folder whose owner or mode is unsafe to use.
    Permissions {
        /// The file or folder.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    #[error("stored record {key} cannot be read ({message}): the database may be damaged; restore from a backup")]
    /// A stored record that does not decode.
    Corrupt {
        /// The record's key.
        key: String,
        /// Why it does not decode.
        message: String,
    },
    /// A backup that cannot be written or restored, with the place.
    #[error("{0}")]
    Backup(String),
    /// Any other error of the embedded database.
    #[error("database error: {0}")]
    Database(String),
    /// An error the team server reported, in its words.
    #[error("{0}")]
    Remote(String),
    /// The team server could not be reached or went away.
    #[error("team server: {0}")]
    Connection(String),
    /// The disk failed under the store (full, I/O error): what was being written is not
    /// kept, and the store must be reopened once the cause is gone.
    #[error("{0}: nothing of this change was kept; free space (or fix the disk) and retry")]
    Storage(String),
    /// A change refused by how the store was opened (`--readonly`).
    #[error("{0}")]
    Refused(String),
    /// A write that could not start within its bounded wait: nothing was changed.
    #[error("busy: {0}")]
    Busy(String),
}

impl StoreError {
    /// Someone saved `current` since the user looked: who and when, for the message.
    pub fn conflict(current: &WorkItem) -> StoreError {
        StoreError::Conflict {
            claim: current.claim_id.to_string(),
            user: current.updated_by.clone(),
            at: current.updated_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        }
    }
}

/// What importing one transaction set did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SetOutcome {
    /// Claims in the set.
    pub claims: usize,
    /// Work items it opened.
    pub opened: usize,
    /// Work items it changed.
    pub updated: usize,
    /// The set had been imported before: nothing was written.
    pub duplicate: bool,
    /// Underpayment work items it opened (not in `opened`).
    #[serde(default)]
    pub underpaid: usize,
}

/// What the worklist UI reads and writes: the worker's whole need. Implemented by every
/// store (embedded, team client, read-only) and by `MemoryStore`, so the app's flows are
/// tested fast with no sled. Every mutation is atomic and durable on return.
pub trait WorkStore {
    /// Every work item, in claim-id order.
    fn work_items(&self) -> Result<Vec<WorkItem>, StoreError>;
    /// Every work item's list row (see `ListRow`), in claim-id order: what the worklist
    /// opens on (a fraction of the work items' size), before the whole items follow.
    fn list_rows(&self) -> Result<Vec<ListRow>, StoreError> {
        Ok(self.work_items()?.iter().map(ListRow::from).collect())
    }
    /// The work item a person names: its key, a CLP01 only one claim has, or `CLP01@N`
    /// (see `ClaimRef`); `Ambiguous` when a CLP01 names several claims.
    fn work_item(&self, claim: &str) -> Result<Option<WorkItem>, StoreError>;
    /// Every adjudication of a claim (named as for `work_item`), oldest first.
    fn claim_history(&self, claim: &str) -> Result<Vec<Claim>, StoreError>;
    /// The claim's timeline (named as for `work_item`), oldest first.
    fn timeline(&self, claim: &str) -> Result<Vec<Event>, StoreError>;
    /// Applies a specialist's action to a work item, atomically and audited.
    fn apply(
        &self,
        claim_id: &str,
        action: &WorkAction,
        today: NaiveDate,
        user: &str,
    ) -> Result<WorkItem, StoreError> {
        self.apply_at_version(claim_id, action, today, user, None)
    }
    /// As `apply`, but refused with `Conflict` unless the item is still at `expected`
    /// (optimistic concurrency: someone else saved since the user looked).
    fn apply_at_version(
        &self,
        claim_id: &str,
        action: &WorkAction,
        today: NaiveDate,
        user: &str,
        expected: Option<u64>,
    ) -> Result<WorkItem, StoreError>;
    /// First adjudications per remittance day and payer (the initial denial rate's base).
    fn adjudication_days(&self) -> Result<Vec<AdjudicationDay>, StoreError>;
    /// Who changed which claim, from the audit log, since `since` (productivity KPIs).
    fn activity(&self, since: chrono::NaiveDate) -> Result<Vec<Activity>, StoreError>;
    /// Every prevention item, by id.
    fn prevention_items(&self) -> Result<Vec<PreventionItem>, StoreError>;
    /// Saves a prevention item, durably and audited: a new one (id 0) gets the next id;
    /// an existing one only at the version it was read. Returns it as saved.
    fn save_prevention(
        &self,
        item: &PreventionItem,
        user: &str,
    ) -> Result<PreventionItem, StoreError>;
    /// Tells teammates which claim this session has open (team mode; a no-op alone).
    fn set_viewing(&self, _claim: Option<&str>) -> Result<(), StoreError> {
        Ok(())
    }
    /// This session's id on the team server, to tell its own presence from others'.
    fn session(&self) -> Option<u64> {
        None
    }
}

/// Everything else a store does: imports, the audit log, meta values, backups.
pub trait Store: WorkStore {
    /// The audit log, oldest first.
    fn audit_log(&self) -> Result<Vec<AuditEntry>, StoreError>;
    /// Whether a transaction set with this fingerprint was imported already.
    fn is_imported(&self, fingerprint: u64) -> Result<bool, StoreError>;
    /// Stores one transaction set's claims and reconciles the worklist, atomically.
    fn import_remittance(
        &self,
        remittance: &Remittance,
        rules: &PayerRules,
        user: &str,
    ) -> Result<SetOutcome, StoreError>;
    /// Stores several sets (a whole file) at once: atomic where the store can make it so.
    fn import_remittances(
        &self,
        sets: &[Remittance],
        rules: &PayerRules,
        user: &str,
    ) -> Result<Vec<SetOutcome>, StoreError> {
        sets.iter()
            .map(|s| self.import_remittance(s, rules, user))
            .collect()
    }
    /// Stores a file's acknowledgments (999, 997, 277CA, 277) in one atomic, flushed
    /// batch: rejections opened or closed, statuses on timelines, 999s kept.
    fn import_acknowledgments(
        &self,
        sets: &[Acknowledgment],
        rules: &PayerRules,
        user: &str,
    ) -> Result<Vec<SetOutcome>, StoreError>;
    /// Stores acknowledgments (or parts of a large set, see `ClaimAckSet::into_parts`)
    /// within a file import begun with `begin_file_import`.
    fn import_acknowledgments_in(
        &self,
        import: u64,
        sets: &[Acknowledgment],
        rules: &PayerRules,
        user: &str,
    ) -> Result<Vec<SetOutcome>, StoreError>;
    /// Replaces the contract rows (expected reimbursement) with `set`, durably and
    /// audited; returns how many rows it replaced.
    fn set_contracts(&self, set: &ContractSet, user: &str) -> Result<usize, StoreError>;
    /// The contract rows in force, if a file was imported.
    fn contracts(&self) -> Result<Option<ContractSet>, StoreError>;
    /// Every claim batch a 999 or 997 answered, in the order they were imported.
    fn batch_acks(&self) -> Result<Vec<BatchAck>, StoreError>;
    /// Marks a rejected claim batch fixed and sent again (audited with `reason`).
    fn resolve_batch(
        &self,
        batch: &str,
        reason: &str,
        user: &str,
    ) -> Result<Vec<BatchAck>, StoreError>;
    /// Starts importing a file too large for one batch, set by set but as one unit: until
    /// `commit_file_import`, an interruption (or `roll_back_file_import`) undoes all of
    /// it. Other writers wait meanwhile. Returns the import's id.
    fn begin_file_import(&self, file: &str, user: &str) -> Result<u64, StoreError>;
    /// Stores one transaction set of a file import begun with `begin_file_import`.
    fn import_remittance_in(
        &self,
        import: u64,
        remittance: &Remittance,
        rules: &PayerRules,
        user: &str,
    ) -> Result<SetOutcome, StoreError>;
    /// Makes the file import permanent and durable. One that cannot be committed is rolled
    /// back at once, the error says whether that worked, and the caller never rolls it
    /// back again; not rolled back, it holds other writers off until the store is opened
    /// again (a storage error).
    fn commit_file_import(&self, import: u64) -> Result<(), StoreError>;
    /// Undoes everything the file import stored so far, and audits the roll-back.
    fn roll_back_file_import(&self, import: u64, user: &str) -> Result<(), StoreError>;
    /// Undoes everything the file import stored so far because the file turned out
    /// malformed after storing began (a large file is stored as it is read). Unlike
    /// `roll_back_file_import` it audits nothing: nothing of the file stays, and whoever
    /// imported it gets the error naming the place.
    fn refuse_file_import(&self, import: u64) -> Result<(), StoreError>;
    /// A small meta value (the demo's creation day, …).
    fn meta(&self, key: MetaKey) -> Result<Option<String>, StoreError>;
    /// Sets a small meta value, durably.
    fn set_meta(&self, key: MetaKey, value: &str) -> Result<(), StoreError>;
    /// Writes a backup of everything (see `backup`) to `out` as one moment's state, while
    /// others keep working; audited as taken by `user`.
    fn backup(&self, out: &mut dyn std::io::Write, user: &str)
        -> Result<BackupSummary, StoreError>;
    /// Closes the store after a caller wrote much (an import), leaving it quick for the
    /// next process to open: the embedded store settles (`SledStore::settle`); a store
    /// reached through a team server, or a read-only one, just closes.
    fn settle(self: Box<Self>) {}
}

/// Meta values a caller may keep in the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum MetaKey {
    /// The day the demo database was built (its dates are relative to it).
    DemoDay,
}

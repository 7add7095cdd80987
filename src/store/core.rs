//! What every part of the store builds on: the `SledStore` value itself (its fields are
//! set up by `sled_store::open`), how sled errors are worded, and the few primitives every
//! feature file uses (apply a batch, read a key, number the next record, stage a work item
//! change). A leaf of the store: the feature files (backup, journal, imports, packing,
//! durability, the import gate) import it and each other's leaves, never `sled_store`.

use super::audit::{diff, AuditEntry};
use super::codec::Put;
use super::kv::Batch;
use super::permissions::Access;
use super::{keys, StoreError};
use crate::domain::timeline::{Event, EventKind};
use crate::domain::work_item::WorkItem;
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// sled 0.34 keeps its log and pages in this one file inside the database folder.
pub(super) const DATA_FILE: &str = "db";

/// See `SledStore::contracts_index`.
pub(super) type ContractsCache = Mutex<
    Option<(
        sled::IVec,
        std::sync::Arc<crate::domain::contract::ContractIndex>,
    )>,
>;

/// The sled-backed store.
pub struct SledStore {
    pub(super) db: super::kv::Kv,
    pub(super) path: PathBuf,
    /// Serialises read-modify-write cycles within this process.
    pub(super) write: Mutex<()>,
    /// sled's data file, synced with `fdatasync` after each flush (see `flush`).
    pub(super) data_file: Option<std::fs::File>,
    /// The journaled import running, if any (see `journal`); writers wait for it.
    pub(super) import_gate: Mutex<Option<Gate>>,
    pub(super) gate_free: std::sync::Condvar,
    /// The packed worklist the team server last sent, and the write generation it was
    /// built at (see `packed`): a teammate opening the app needs no scan.
    /// One lock per kind: a client waiting for the list rows must not queue behind
    /// another's full work-item scan (over a second at 1M claims with a cold disk cache).
    pub(super) packed_cache: [Mutex<Option<(u64, Packed)>>; 2],
    /// The contract rows as last indexed for pricing, with the stored bytes they came
    /// from: a file imported set by set indexes them once, and any change to the stored
    /// rows (`contracts import`, a restore) is seen by comparing the bytes.
    pub(super) contracts_index: ContractsCache,
    /// Bumped by every batch applied, so a cache built before a write is never kept.
    pub(super) generation: std::sync::atomic::AtomicU64,
    /// What readers and writers of the worklist's snapshot share (see `list_snapshot`).
    pub(super) snapshot: SnapshotState,
    /// Blob files already synced (see `sync_new_blobs`).
    pub(super) synced_blobs: Mutex<std::collections::HashSet<std::ffi::OsString>>,
    /// How long writers wait at the import gate, and an import's lease.
    pub(super) limits: WriteLimits,
    /// Imports rolled back for an expired lease, so their client hears why.
    pub(super) revoked: Mutex<Vec<u64>>,
    /// Who may open the files: what sled creates (with the umask) is set to it after
    /// every flush.
    pub(super) access: Access,
    /// The private copy this store was opened from (`open_copy`), removed after the
    /// database is closed (fields drop in order).
    pub(super) scratch: Option<tempfile::TempDir>,
    /// The folders' modification times when their modes were last set (see `flush`).
    pub(super) moded_at: Mutex<Option<FolderStamp>>,
    /// The blocks of claims read last (see `claim_blocks`).
    pub(super) blocks: BlockCache,
    /// The claim index entries a journaled import has staged and not written yet (see
    /// `claim_index`).
    pub(super) pending_index: Mutex<super::index_entry::PendingIndex>,
    /// The claim index's run filters read so far (see `claim_index`).
    pub(super) run_filters: super::index_entry::FilterCache,
    /// The list rows the journaled import running here wrote without marks (see
    /// `unmarked`).
    pub(super) unmarked_rows: Mutex<super::unmarked::Unmarked>,
}

/// The blocks of claims read last, most recent first, decoded (see `Decoded`). Blocks are
/// never rewritten and their ids never reused (a rolled-back import's blocks are removed,
/// not replaced), so an entry is never stale.
pub(super) type BlockCache = Mutex<Vec<(u64, std::sync::Arc<Decoded>)>>;

/// A block of claims decoded (see `claim_blocks`): each claim's end offset, the claims'
/// bytes, and the remittance a binary block's claims share.
pub(super) struct Decoded {
    pub(super) ends: Vec<u32>,
    pub(super) body: Vec<u8>,
    /// `None`: the claims are JSON (a block written before schema 12).
    pub(super) shared: Option<crate::domain::claim::RemitRef>,
}

/// The database folder's and its `blobs/` folder's modification times.
pub(super) type FolderStamp = (Option<std::time::SystemTime>, Option<std::time::SystemTime>);

pub(super) fn db_error(e: sled::Error) -> StoreError {
    match e {
        // sled keeps the first I/O error (a full disk, a failing one) and fails every
        // later call with it: the store must be reopened once the cause is gone.
        sled::Error::Io(io) => StoreError::Storage(storage_message(&io)),
        other => StoreError::Database(other.to_string()),
    }
}

/// An I/O failure worded for the person at the keyboard.
pub(super) fn storage_message(e: &std::io::Error) -> String {
    // sled wraps the OS error, so its kind tells, not its number.
    if e.raw_os_error() == Some(libc::ENOSPC) || e.kind() == std::io::ErrorKind::StorageFull {
        "the disk holding the database is full (no space left on device)".to_string()
    } else {
        format!("the database's disk failed ({e})")
    }
}

// How values are stored (JSON, or bincode for the bulk the worklist loads) and how a work
// item is written with what derives from it.
pub(super) use super::codec::{
    decode, decode_audit, decode_compact, decode_item, encode, encode_audit, payer_index_name,
    put_item,
};

/// Values packed for the wire (see `PackedValues`), shared by the clients that ask
/// until the next write.
pub type Packed = std::sync::Arc<super::packed_values::PackedValues>;

/// How long writers wait, and how long a silent import keeps the gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteLimits {
    /// The longest a save, an import or a backup waits for a running import.
    pub wait: Duration,
    /// An import that stores nothing for this long loses the gate (rolled back).
    pub lease: Duration,
}

impl Default for WriteLimits {
    fn default() -> Self {
        WriteLimits {
            wait: Duration::from_secs(10),
            lease: Duration::from_secs(30),
        }
    }
}

/// What readers and writers of the worklist snapshot share (see `list_snapshot`).
#[derive(Debug, Default)]
pub(super) struct SnapshotState {
    /// Rebuilds applied: a read that saw this change, or `rebuilding`, is not used.
    pub(super) rebuilds: AtomicU64,
    pub(super) rebuilding: AtomicBool,
    /// Saves since the last rebuild check: past 4,096, a save checks (see
    /// `SledStore::after_saves`).
    pub(super) saves: AtomicUsize,
    /// The chunks being read from the file beside the database while sled opened (see
    /// `rows_file`), for the first read of the snapshot only.
    pub(super) beside: Mutex<Option<super::snapshot_format::BesideAhead>>,
    /// The last rebuild's identity and chunks, for that file once the rebuild is flushed.
    pub(super) unwritten: Mutex<Option<Unwritten>>,
    /// Snapshot reads that file served (0 or 1 per open), so tests can see it was used.
    pub(super) beside_reads: AtomicUsize,
}

/// A rebuild's identity and stored chunks, not yet written beside the database.
pub(super) type Unwritten = (Vec<u8>, Vec<Vec<u8>>);

/// The journaled import holding the gate.
#[derive(Debug, Clone)]
pub(super) struct Gate {
    pub(super) id: u64,
    pub(super) user: String,
    pub(super) file: String,
    pub(super) renewed: Instant,
    /// Being rolled back because its lease expired: its next request is refused.
    pub(super) revoked: bool,
}

impl SledStore {
    /// The database folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Applies a batch atomically (every write goes through here, so caches know).
    pub(super) fn apply(&self, batch: Batch) -> Result<(), StoreError> {
        let applied = self.db.apply_batch(batch).map_err(db_error);
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        applied
    }

    pub(super) fn next_seq(&self) -> Result<u64, StoreError> {
        self.db.generate_id().map_err(db_error)
    }

    pub(super) fn get<T: DeserializeOwned>(&self, key: &[u8]) -> Result<Option<T>, StoreError> {
        match self.db.get(key).map_err(db_error)? {
            Some(bytes) => decode(key, &bytes).map(Some),
            None => Ok(None),
        }
    }

    pub(super) fn scan<T: DeserializeOwned>(&self, prefix: &[u8]) -> Result<Vec<T>, StoreError> {
        self.db
            .scan_prefix(prefix)
            .map(|entry| {
                let (k, v) = entry.map_err(db_error)?;
                decode(&k, &v)
            })
            .collect()
    }

    /// Adds a work item's events and its audit entry to a batch.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn stage_item_change(
        &self,
        batch: &mut impl Put,
        before: Option<&WorkItem>,
        after: &mut WorkItem,
        events: Vec<EventKind>,
        action: &str,
        detail: String,
        user: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.stage_item(batch, before, after, events, user, now)?;
        let seq = self.next_seq()?;
        let entry = AuditEntry {
            seq,
            at: now,
            user: user.to_string(),
            action: action.to_string(),
            claim_id: Some(after.key.to_string()),
            detail,
            changes: diff(before, &*after),
            opened: Vec::new(),
        };
        batch.put(keys::audit(seq), encode_audit(&entry));
        Ok(())
    }

    /// Adds a work item's new version and its events to a batch, leaving its audit to the
    /// caller (`stage_item_change`, or a set's one entry for the items it opened).
    pub(super) fn stage_item(
        &self,
        batch: &mut impl Put,
        before: Option<&WorkItem>,
        after: &mut WorkItem,
        events: Vec<EventKind>,
        user: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        after.version = before.map_or(0, |b| b.version) + 1;
        after.updated_at = now;
        after.updated_by = user.to_string();
        for kind in events {
            let event = Event {
                key: after.key.to_string(),
                at: now,
                user: user.to_string(),
                kind,
            };
            batch.put(keys::event(&after.key, self.next_seq()?), encode(&event));
        }
        put_item(batch, after);
        Ok(())
    }
}

//! Whole-file atomicity for files too large for one batch. A large file is stored one
//! transaction set per batch (memory stays bounded by a set); each batch also records, for
//! every key it writes, what the key held before (an undo record). Committing the file
//! deletes the undo records in one batch; a file whose import was interrupted — the process
//! killed, the client gone — is rolled back from them, at once or at the next open, so
//! after any crash the file is fully imported or not at all.
//!
//! While a journaled import runs, other writers wait at the import gate, a lease with
//! bounded waits (see `import_gate`): undoing a file must never undo a teammate's save made
//! in between.

use super::audit::AuditEntry;
use super::codec::Put;
use super::core::{db_error, encode, SledStore};
use super::keys;
use super::kv::Batch;
use super::list_snapshot::MOST_MARKS;
use super::unmarked::{Unmarked, MOST_UNMARKED};
use super::StoreError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::sync::atomic::Ordering;

/// The journal's header: which file, who, since when.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct JournalHeader {
    file: String,
    user: String,
    started: DateTime<Utc>,
}

/// What one batch of a journaled import changed: keys it created (undo: remove them) and
/// keys it overwrote with what they held before (`None`: did not exist). One record per
/// batch keeps the journal's cost to one extra write per transaction set.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Undo {
    created: Vec<Vec<u8>>,
    overwritten: Vec<(Vec<u8>, Option<Vec<u8>>)>,
}

/// Marks an undo record stored compressed (schema 13 on): LZ4 (size prepended) of its
/// bincode follows. A record stored plainly (schemas 6 to 12) starts with its count of
/// created keys as a u64 LE, which is never this.
const PACKED_UNDO: [u8; 8] = *b"\xffDDuLZ4\x01";

/// The most LZ4 can expand: a stored size beyond this many times the compressed bytes is
/// damage, and nothing is allocated for it.
const LZ4_MOST_RATIO: usize = 255;

/// The largest undo record stored compressed; a larger one (a set re-adjudicating tens of
/// thousands of stored claims) is stored plain, which is read without allocating ahead of
/// its bytes. So a damaged size in a compressed record can ask the roll-back at the next
/// open for at most this much, whatever the record's length.
const MOST_PACKED_UNDO: usize = 64 << 20;

/// An undo record as stored: compressed, as the keys a set writes repeat one another.
/// Written and removed again, the plain records of the 120,000-claim file took 15 MB of
/// sled's log; compressed, the folder after that import is ~3.6 MB smaller (BENCHMARKS.md,
/// "The import's own writes, replayed").
fn encode_undo(undo: &Undo) -> Vec<u8> {
    encode_undo_packing_up_to(undo, MOST_PACKED_UNDO)
}

/// As `encode_undo`, storing plain a record over `most` bytes.
fn encode_undo_packing_up_to(undo: &Undo, most: usize) -> Vec<u8> {
    let plain = bincode::serialize(undo).expect("undo records always serialise");
    if plain.len() > most {
        return plain;
    }
    let mut stored = PACKED_UNDO.to_vec();
    stored.extend_from_slice(&lz4_flex::compress_prepend_size(&plain));
    stored
}

/// An undo record from what `encode_undo` stored, or an older build's plain one.
fn decode_undo(stored: &[u8]) -> Result<Undo, String> {
    let read = |plain: &[u8]| bincode::deserialize(plain).map_err(|e| e.to_string());
    match stored.strip_prefix(&PACKED_UNDO) {
        Some(packed) => read(&super::codec::unpack_lz4(
            packed,
            packed
                .len()
                .saturating_mul(LZ4_MOST_RATIO)
                .min(MOST_PACKED_UNDO),
        )?),
        None => read(stored),
    }
}

/// Keys written into a batch, so that they can be journaled before it is applied.
#[derive(Default)]
pub(super) struct Writes {
    pub(super) batch: Batch,
    keys: Vec<Vec<u8>>,
}

impl Put for Writes {
    fn put(&mut self, key: Vec<u8>, value: Vec<u8>) {
        self.keys.push(key.clone());
        self.batch.insert(key, value);
    }
}

impl SledStore {
    /// Starts a journaled import of `file`; returns its id. Waits for another to finish.
    pub(super) fn begin_journal(&self, file: &str, user: &str) -> Result<u64, StoreError> {
        let id = self.next_seq()?;
        self.take_gate(id, file, user)?;
        let header = JournalHeader {
            file: file.to_string(),
            user: user.to_string(),
            started: Utc::now(),
        };
        let written = self
            .db
            .insert(keys::journal(id), encode(&header))
            .map_err(db_error);
        if let Err(e) = written {
            self.open_gate();
            return Err(e);
        }
        Ok(id)
    }

    /// Applies `writes` together with their undo record, in one batch. The list rows they
    /// write are not marked (see `commit_journal`).
    pub(super) fn apply_journaled(&self, id: u64, mut writes: Writes) -> Result<(), StoreError> {
        let mut undo = Undo::default();
        writes.batch.retain(|key| !key.starts_with(keys::ROW_MARKS));
        // Before the rows land: a row read as marked a moment early reads as it is.
        self.note_unmarked(&writes.keys);
        for key in std::mem::take(&mut writes.keys) {
            if key.starts_with(keys::ROW_MARKS) {
                continue;
            }
            // The claim index's list of runs is not put back on undo: other writers may
            // have changed it since; the undo takes this import's runs out of it instead
            // (see `claim_index::unlist_runs_of`).
            if key == keys::CLAIM_RUNS {
                continue;
            }
            // Claims' blocks and index fragments, events, audit entries and import markers
            // are new keys by construction (unique sequence numbers and block ids, a set not
            // imported before; a set's batch never merges fragments, see `claim_index`):
            // undoing them is removing them. Every other key may hold a value
            // already (a work item, its list row, its payer-claim-number index entry, a day
            // count, a claim's acknowledgment, a routing turn) and gets it back: a key kind
            // added later is kept safe by default. (Only the `n:` index was missed before:
            // a rolled-back file that re-adjudicated a claim deleted its entry.)
            let new_by_construction = [
                keys::CLAIMS,
                keys::CLAIM_INDEX,
                keys::BLOCKS,
                keys::EVENTS,
                keys::AUDIT,
                keys::IMPORTED,
            ]
            .iter()
            .any(|prefix| key.starts_with(prefix));
            if new_by_construction {
                undo.created.push(key);
            } else {
                let before = self.db.get(&key).map_err(db_error)?.map(|v| v.to_vec());
                undo.overwritten.push((key, before));
            }
        }
        writes
            .batch
            .insert(keys::undo(id, self.next_seq()?), encode_undo(&undo));
        self.apply(writes.batch)
    }

    /// Notes the list rows among `written` as written unmarked (see `Unmarked`).
    fn note_unmarked(&self, written: &[Vec<u8>]) {
        let rows = written
            .iter()
            .filter_map(|k| k.strip_prefix(keys::LIST_ROWS));
        let mut unmarked = self.unmarked_rows.lock().unwrap_or_else(|p| p.into_inner());
        unmarked.note(rows, MOST_UNMARKED);
    }

    /// Forgets the rows written unmarked: the import committed or was rolled back.
    fn forget_unmarked(&self) {
        *self.unmarked_rows.lock().unwrap_or_else(|p| p.into_inner()) = Unmarked::default();
    }

    /// Applies a commit's or a roll-back's `batch` with every row written unmarked (see
    /// `Unmarked`) marked in it, then forgets them; whether there were any. The rows the
    /// sets wrote carry no marks in the database: marking each with its set cost sled a
    /// quarter of its time on the 120,000-claim file, and 6 MB of its log (BENCHMARKS.md,
    /// "The import's own writes, replayed"). A few are marked here, as each set would have
    /// marked them. More than a rebuild allows take the snapshot of the rows away instead:
    /// until it is rebuilt (by the caller, else at the next open) the rows are read whole
    /// (see `list_snapshot`). After a crash before the batch, the roll-back at the next
    /// open marks every row it puts back. One rule however the import ends: the rows are
    /// forgotten only in the batch that marks them (a roll-back's own marks cover the same
    /// rows), so a failed batch leaves them noted and read as marked.
    fn apply_marking_unmarked(&self, mut batch: Batch) -> Result<bool, StoreError> {
        let unmarked = self
            .unmarked_rows
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .keys();
        let any = unmarked.as_ref().is_none_or(|rows| !rows.is_empty());
        match unmarked.filter(|rows| rows.len() <= MOST_MARKS) {
            Some(rows) => rows
                .iter()
                .for_each(|row| batch.insert(keys::row_mark(row), Vec::new())),
            None => batch.remove(keys::LIST_SNAPSHOT),
        }
        // Readers take this for a rebuild: one that read the header before it and the
        // rows noted unmarked after them (none) would miss the rows.
        let shared = &self.snapshot;
        shared.rebuilding.store(true, Ordering::SeqCst);
        let applied = self.apply(batch);
        if applied.is_ok() {
            // Marked in the database now, or no snapshot to mark them against.
            self.forget_unmarked();
        }
        shared.rebuilds.fetch_add(1, Ordering::SeqCst);
        shared.rebuilding.store(false, Ordering::SeqCst);
        applied.map(|()| any)
    }

    /// Makes the journaled import permanent: its undo records go, in one flushed batch.
    pub(super) fn commit_journal(&self, id: u64) -> Result<(), StoreError> {
        let guard = self.import_lock(id)?;
        let committed = (|| {
            let mut batch = Batch::default();
            for entry in self.db.scan_prefix(keys::undo_prefix(id)) {
                batch.remove(entry.map_err(db_error)?.0);
            }
            batch.remove(keys::journal(id));
            // The claims its sets stored are indexed with the commit (see `claim_index`).
            self.commit_index(&mut batch, id, self.pending_index_of(id))?;
            self.apply_marking_unmarked(batch).map(|_| ())
        })();
        if let Err(e) = committed {
            let (error, undone) = self.undo_uncommitted(id, e);
            drop(guard);
            if undone {
                self.open_gate();
            }
            return Err(error);
        }
        let finished = (|| {
            self.drop_pending_index(id);
            self.flush()?;
            // Durable first; still holding the gate, so no row changes while the snapshot
            // is rebuilt.
            self.refresh_list_snapshot_or_leave_it();
            Ok(())
        })();
        drop(guard);
        self.open_gate();
        finished
    }

    /// Rolls back import `id`, whose commit failed with `e`, while the caller still holds
    /// the write lock: left to the next open, the roll-back would undo a teammate's save
    /// made after the gate opened. The error to report, and whether it was undone. Not
    /// undone, the file stays stored with its undo records and the gate must stay shut
    /// until the next open rolls it back, or a writer past the lease retries (see
    /// `import_gate`); the error is then a storage error, so a team server reopens the
    /// store at once.
    fn undo_uncommitted(&self, id: u64, e: StoreError) -> (StoreError, bool) {
        let header: Option<JournalHeader> = self.get(&keys::journal(id)).ok().flatten();
        let user = header.map_or_else(crate::identity::os_user, |h| h.user);
        let undone = self.undo_journal(id, Some((&user, "could not be committed")));
        let (storage, e) = match e {
            StoreError::Storage(why) => (true, why),
            other => (false, other.to_string()),
        };
        match undone {
            Ok(_) => {
                let message = format!("file import {id} could not be committed ({e}); it was rolled back, nothing of the file is kept: import it again");
                let error = match storage {
                    true => StoreError::Storage(message),
                    false => StoreError::Database(message),
                };
                (error, true)
            }
            Err(undo) => (StoreError::Storage(format!("file import {id} could not be committed ({e}) nor rolled back ({undo}); it is rolled back when the database is next opened")), false),
        }
    }

    /// Undoes a journaled import (newest write first) and audits it as `user`'s, or
    /// nobody's for a refused file (see `Store::refuse_file_import`); returns how many keys
    /// were put back.
    pub(super) fn roll_back_journal(
        &self,
        id: u64,
        user: Option<&str>,
    ) -> Result<usize, StoreError> {
        let guard = self.import_lock(id)?;
        let rolled = self.undo_journal(id, user.map(|user| (user, "was interrupted")));
        drop(guard);
        // Not undone, the file stays stored with its undo records: the gate stays shut
        // until the next open rolls it back, or a writer past the lease retries (see
        // `import_gate`), or a later save would be undone with the file.
        if rolled.is_ok() {
            self.open_gate();
        }
        rolled
    }

    /// Undoes journaled import `id` (the caller holds the write lock), auditing who and why
    /// when `audit` names them.
    pub(super) fn undo_journal(
        &self,
        id: u64,
        audit: Option<(&str, &str)>,
    ) -> Result<usize, StoreError> {
        // What its sets kept for the claim index goes with them.
        self.drop_pending_index(id);
        (|| {
            let header: Option<JournalHeader> = self.get(&keys::journal(id))?;
            let mut batch = Batch::default();
            self.unlist_runs_of(&mut batch, id)?;
            let mut undone = 0;
            for entry in self.db.scan_prefix(keys::undo_prefix(id)).rev() {
                let (undo_key, value) = entry.map_err(db_error)?;
                let undo = decode_undo(&value).map_err(|e| super::codec::corrupt(&undo_key, e))?;
                // Newest first within the record too, so a key written twice in one batch
                // ends with its oldest value; then the keys it created, taken away.
                let overwritten = undo.overwritten.into_iter().rev();
                let created = undo.created.into_iter().map(|key| (key, None));
                for (key, before) in overwritten.chain(created) {
                    // Marks are neither put back nor taken away: every list row put back
                    // or taken away is marked as written (see `list_snapshot`). Were the
                    // snapshot rebuilt since (a rollback that failed once, then another
                    // import), an old mark put back would let it show the rolled-back row,
                    // and a row taken away unmarked would go on showing.
                    if key.starts_with(keys::ROW_MARKS) {
                        continue;
                    }
                    if let Some(claim) = key.strip_prefix(keys::LIST_ROWS) {
                        batch.insert(keys::row_mark(claim), Vec::new());
                    }
                    match before {
                        Some(before) => batch.insert(key, before),
                        None => batch.remove(key),
                    }
                    undone += 1;
                }
                batch.remove(undo_key);
            }
            batch.remove(keys::journal(id));
            if let Some((user, why)) = audit {
                let seq = self.next_seq()?;
                let entry = AuditEntry::about_database(seq, Utc::now(), user, "import-rolled-back", match &header {
                    Some(h) => format!(
                        "{}: import by {} started {} {why}; rolled back ({undone} writes undone), nothing of it is kept",
                        h.file,
                        h.user,
                        h.started.format("%Y-%m-%d %H:%M UTC")
                    ),
                    None => format!("an import that {why} was rolled back ({undone} writes undone)"),
                });
                batch.insert(keys::audit(seq), encode(&entry));
            }
            // Every row put back or taken away is marked now.
            let had_unmarked = self.apply_marking_unmarked(batch)?;
            self.flush()?;
            if had_unmarked {
                // The caller holds the store's writes off (see `refresh_list_snapshot`).
                // Never at open: nothing is unmarked there, and the schema is not yet
                // checked.
                self.refresh_list_snapshot_or_leave_it();
            }
            Ok(undone)
        })()
    }

    /// At open: rolls back every import a crash interrupted.
    pub(super) fn roll_back_interrupted_imports(&self) -> Result<(), StoreError> {
        let ids: Vec<u64> = self
            .db
            .scan_prefix(keys::JOURNALS)
            .keys()
            .filter_map(|k| k.ok())
            .filter_map(|k| match keys::parse(&k) {
                Some(keys::Key::Journal(id)) => Some(id),
                _ => None,
            })
            .collect();
        for id in ids {
            let guard = self.write.lock().unwrap_or_else(|p| p.into_inner());
            self.undo_journal(id, Some((&crate::identity::os_user(), "was interrupted")))?;
            drop(guard);
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "journal_tests.rs"]
mod tests;

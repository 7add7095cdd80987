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
use super::StoreError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

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

    /// Applies `writes` together with their undo record, in one batch.
    pub(super) fn apply_journaled(&self, id: u64, mut writes: Writes) -> Result<(), StoreError> {
        let mut undo = Undo::default();
        for key in std::mem::take(&mut writes.keys) {
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
        let bytes = bincode::serialize(&undo).expect("undo records always serialise");
        writes.batch.insert(keys::undo(id, self.next_seq()?), bytes);
        self.apply(writes.batch)
    }

    /// Makes the journaled import permanent: its undo records go, in one flushed batch.
    pub(super) fn commit_journal(&self, id: u64) -> Result<(), StoreError> {
        let guard = self.import_lock(id)?;
        let finished = (|| {
            let mut batch = Batch::default();
            for entry in self.db.scan_prefix(keys::undo_prefix(id)) {
                batch.remove(entry.map_err(db_error)?.0);
            }
            batch.remove(keys::journal(id));
            // The claims its sets stored are indexed with the commit (see `claim_index`).
            self.commit_index(&mut batch, id, self.pending_index_of(id))?;
            self.apply(batch)?;
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
        self.open_gate();
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
                let undo: Undo = bincode::deserialize(&value)
                    .map_err(|e| super::codec::corrupt(&undo_key, e.to_string()))?;
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
            self.apply(batch)?;
            self.flush()?;
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

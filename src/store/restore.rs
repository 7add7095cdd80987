//! `restore`: a new database rebuilt from a backup (format in `backup`), refused whole —
//! nothing left behind — when the backup is damaged, with the line that is.

use super::audit::AuditEntry;
use super::backup::{BackupSummary, Record, BACKUP_FORMAT, BACKUP_VERSION};
use super::claim_index::IndexEntry;
use super::core::{db_error, encode, encode_audit, put_item, SledStore};
use super::keys;
use super::kv::Batch;
use super::StoreError;
use chrono::Utc;
use std::io::BufRead;
use std::path::Path;

/// A work item line of a format 1 backup.
#[derive(serde::Deserialize)]
struct V1WorkItem {
    record: String,
    claim_id: String,
    item: super::migrate_v4::WorkItemV3,
}

/// Records applied to the new database per atomic batch while restoring.
const RESTORE_BATCH: usize = 20_000;

/// Claims restored before their index entries are written (with the batch then applied):
/// fewer, larger fragments than one write per batch, memory bounded whatever the backup.
const INDEX_AT: usize = 65_536;

impl SledStore {
    /// Rebuilds a database at `path` (a new or empty folder) from a backup. Nothing is left
    /// behind if the backup is damaged: the error names its line.
    pub fn restore(
        path: &Path,
        input: &mut dyn BufRead,
        name: &str,
        user: &str,
    ) -> Result<BackupSummary, StoreError> {
        // Through a link, a failed restore's clean-up would remove the link and leave
        // everything written behind it: the target is named as it is, or refused.
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(StoreError::Backup(format!(
                "{} is a symbolic link: restore into a real, new folder (--db NEW)",
                path.display()
            )));
        }
        let existed = path.exists();
        if existed
            && std::fs::read_dir(path)
                .map(|mut d| d.next().is_some())
                .unwrap_or(true)
        {
            return Err(StoreError::Backup(format!(
                "{} is not empty: restore into a new folder (--db NEW), so no database is overwritten",
                path.display()
            )));
        }
        let restored = SledStore::open(path).and_then(|store| {
            let summary = store.load_backup(input, name, user)?;
            // The first open of the restored database should not replay all of it.
            store.settle();
            Ok(summary)
        });
        if restored.is_err() {
            // Leave nothing half-restored behind: a folder we made goes; an empty one that
            // was there is emptied again, keeping its own mode, owner and group.
            if existed {
                if let Ok(entries) = std::fs::read_dir(path) {
                    for entry in entries.flatten() {
                        let inside = entry.path();
                        let _ = match entry.file_type() {
                            Ok(t) if t.is_dir() => std::fs::remove_dir_all(&inside),
                            _ => std::fs::remove_file(&inside),
                        };
                    }
                }
            } else {
                let _ = std::fs::remove_dir_all(path);
            }
        }
        restored
    }

    fn load_backup(
        &self,
        input: &mut dyn BufRead,
        name: &str,
        user: &str,
    ) -> Result<BackupSummary, StoreError> {
        let at = |line: u64, message: String| {
            StoreError::Backup(format!("{name}: line {line}: {message}"))
        };
        let mut crc = crc32fast::Hasher::new();
        let mut summary = BackupSummary::default();
        let mut batch = Batch::default();
        let mut in_batch = 0;
        let mut max_seq = 0u64;
        // Claims go into blocks as an import stores them (see `claim_blocks`); a block
        // is sealed into the batch that holds its claims' entries.
        let mut blocks = super::claim_blocks::BlockBuilder::default();
        // Where they lie, indexed a few batches at a time (see `claim_index`).
        let mut index: Vec<IndexEntry> = Vec::new();
        let mut format_version = BACKUP_VERSION;
        let mut records = 0u64;
        let mut line_no = 0u64;
        let mut line = Vec::new();
        let end = loop {
            line.clear();
            let n = input
                .read_until(b'\n', &mut line)
                .map_err(|e| StoreError::Backup(format!("{name}: {e}")))?;
            line_no += 1;
            if n == 0 {
                return Err(at(
                    line_no,
                    "the backup ends without its end record: it is truncated (an interrupted copy?)".into(),
                ));
            }
            if line.last() != Some(&b'\n') {
                return Err(at(
                    line_no,
                    "the backup stops in the middle of this line: it is truncated (an interrupted copy?)".into(),
                ));
            }
            if format_version == 1 {
                // Format 1 (schema 3) work items lack the identity fields: restore them in
                // schema 3's layout and let the schema 4 migration rekey the lot below.
                if let Ok(v1) = serde_json::from_slice::<V1WorkItem>(&line) {
                    if v1.record == "work_item" {
                        crc.update(&line);
                        records += 1;
                        summary.work_items += 1;
                        batch.insert(
                            keys::work_item(&v1.claim_id),
                            bincode::serialize(&v1.item).expect("items serialise"),
                        );
                        in_batch += 1;
                        continue;
                    }
                }
            }
            let record: Record =
                serde_json::from_slice(&line).map_err(|e| at(line_no, e.to_string()))?;
            if let Record::End { .. } = record {
                break record;
            }
            crc.update(&line);
            records += 1;
            summary.count(&record);
            match record {
                Record::Header {
                    format,
                    version,
                    created_at,
                    created_by,
                    ..
                } => {
                    if line_no != 1 || format != BACKUP_FORMAT {
                        return Err(at(line_no, "not a denialdesk backup header".into()));
                    }
                    if version > BACKUP_VERSION {
                        return Err(at(line_no, format!("backup format version {version} is newer than this denialdesk reads ({BACKUP_VERSION}); upgrade denialdesk")));
                    }
                    format_version = version;
                    summary.created_at = Some(created_at);
                    summary.created_by = created_by;
                    continue;
                }
                _ if line_no == 1 => {
                    return Err(at(
                        1,
                        "not a denialdesk backup: it must start with a header record".into(),
                    ))
                }
                Record::Meta { key, value } => {
                    batch.insert(format!("m:{key}").into_bytes(), encode(&value))
                }
                Record::Claim {
                    claim_id,
                    seq,
                    claim,
                } => {
                    max_seq = max_seq.max(seq);
                    let (block, position) = blocks.put(self, &mut batch, &claim)?;
                    let entry = IndexEntry {
                        key: claim_id,
                        seq,
                        block,
                        position,
                    };
                    if format_version == 1 {
                        // Rekeyed by the schema 4 migration below, which reads them where
                        // schema 3 kept them.
                        batch.insert(
                            entry.label(),
                            super::claim_blocks::location(block, position),
                        );
                    } else {
                        index.push(entry);
                    }
                }
                // The list row is derived, so backups leave it out and restore rebuilds it.
                Record::WorkItem { mut item, .. } => {
                    // Backups before format 3 carry no no-response clock: estimated as
                    // the schema 6 migration does.
                    if format_version < 3 && item.awaiting_payer_since.is_none() {
                        item.awaiting_payer_since = super::migrate_v6::estimated_payer_clock(&item);
                    }
                    put_item(&mut batch, &item)
                }
                Record::Event {
                    claim_id,
                    seq,
                    event,
                } => {
                    max_seq = max_seq.max(seq);
                    batch.insert(keys::event(&claim_id, seq), encode(&event));
                }
                Record::Audit { entry } => {
                    max_seq = max_seq.max(entry.seq);
                    batch.insert(keys::audit(entry.seq), encode_audit(&entry));
                }
                Record::ImportedSet { fingerprint, set } => {
                    batch.insert(keys::imported(fingerprint), encode(&set))
                }
                Record::AdjudicationDay { day } => {
                    batch.insert(keys::adjudication_day(day.date, &day.payer), encode(&day))
                }
                Record::ClaimAcknowledged { claim_id, mark } => {
                    batch.insert(keys::acknowledged(&claim_id), encode(&mark))
                }
                Record::End { .. } => unreachable!("handled above"),
            }
            in_batch += 1;
            if in_batch == RESTORE_BATCH {
                blocks.seal(&mut batch);
                if index.len() >= INDEX_AT {
                    self.stage_index(&mut batch, std::mem::take(&mut index))?;
                }
                self.db
                    .apply_batch(std::mem::take(&mut batch))
                    .map_err(db_error)?;
                in_batch = 0;
            }
        };
        let Record::End {
            records: expected,
            crc32,
        } = end
        else {
            unreachable!("the loop ends on the end record")
        };
        if expected != records {
            return Err(at(
                line_no,
                format!("the backup is damaged: its end record counts {expected} records, but {records} precede it"),
            ));
        }
        if crc32 != crc.finalize() {
            return Err(at(
                line_no,
                "the backup is damaged: its checksum does not match its contents (changed after it was written?)".into(),
            ));
        }
        line.clear();
        let trailing = input
            .read_to_end(&mut line)
            .map_err(|e| StoreError::Backup(format!("{name}: {e}")))?;
        if line[..trailing].iter().any(|b| !b.is_ascii_whitespace()) {
            return Err(at(line_no + 1, "data after the end record".into()));
        }
        blocks.seal(&mut batch);
        self.stage_index(&mut batch, index)?;
        self.apply(batch)?;
        if format_version == 1 {
            self.migrate_v3_to_v4()?;
            // From schema 3's layout (progress is told as from schema 3).
            self.migrate_claims_to_index(3, "indexing the claims by CLP01")?;
        }
        // New sequence numbers must sort after the restored ones (timeline and audit order).
        while self.next_seq()? <= max_seq {}
        let seq = self.next_seq()?;
        let entry = AuditEntry::about_database(
            seq,
            Utc::now(),
            user,
            "restore",
            format!(
                "restored from {name} (backup taken {} by {})",
                summary.created_at.map_or("at an unknown time".into(), |t| t
                    .format("%Y-%m-%d %H:%M UTC")
                    .to_string()),
                summary.created_by
            ),
        );
        self.db
            .insert(keys::audit(seq), encode(&entry))
            .map_err(db_error)?;
        self.flush()?;
        self.refresh_list_snapshot_or_leave_it();
        Ok(summary)
    }
}

//! Backups: a consistent, portable, versioned export of everything in a database — claims,
//! work items, timelines, the audit log, import markers and KPI counts — and the restore
//! that rebuilds a new database from it.
//!
//! The format is JSON lines, independent of sled's on-disk layout: a `header` record
//! (format name and version, when, by whom, from which database), one record per stored
//! item, and an `end` record with the record count and a CRC-32 of every byte before it,
//! so a truncated or edited backup is refused rather than half restored. Writes wait
//! while a backup is taken, so it is one moment's state (no half-applied change).

use super::audit::AuditEntry;
use super::import_set::ImportedSet;
use super::keys::{self, Key};
use super::sled_store::{db_error, decode, decode_item, encode, encode_item, SledStore};
use super::StoreError;
use crate::domain::claim::Claim;
use crate::domain::kpi::AdjudicationDay;
use crate::domain::timeline::Event;
use crate::domain::work_item::WorkItem;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, Write};
use std::path::Path;

/// The `format` field of a backup's header.
pub const BACKUP_FORMAT: &str = "denialdesk-backup";
/// Bumped when a record changes shape; restore refuses versions it does not know.
pub const BACKUP_VERSION: u32 = 1;

/// Records applied to the new database per atomic batch while restoring.
const RESTORE_BATCH: usize = 20_000;

/// One line of a backup.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "record", rename_all = "snake_case")]
enum Record {
    Header {
        format: String,
        version: u32,
        created_at: DateTime<Utc>,
        created_by: String,
        database: String,
    },
    Meta {
        key: String,
        value: serde_json::Value,
    },
    Claim {
        claim_id: String,
        seq: u64,
        claim: Box<Claim>,
    },
    WorkItem {
        claim_id: String,
        item: Box<WorkItem>,
    },
    Event {
        claim_id: String,
        seq: u64,
        event: Box<Event>,
    },
    Audit {
        entry: Box<AuditEntry>,
    },
    ImportedSet {
        fingerprint: u64,
        set: Box<ImportedSet>,
    },
    AdjudicationDay {
        day: AdjudicationDay,
    },
    End {
        records: u64,
        crc32: u32,
    },
}

/// What a backup holds (or a restore rebuilt).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupSummary {
    pub claims: u64,
    pub work_items: u64,
    pub events: u64,
    pub audit_entries: u64,
    pub imported_sets: u64,
    pub adjudication_days: u64,
    pub meta: u64,
    pub created_at: Option<DateTime<Utc>>,
    pub created_by: String,
}

impl BackupSummary {
    fn count(&mut self, record: &Record) {
        match record {
            Record::Claim { .. } => self.claims += 1,
            Record::WorkItem { .. } => self.work_items += 1,
            Record::Event { .. } => self.events += 1,
            Record::Audit { .. } => self.audit_entries += 1,
            Record::ImportedSet { .. } => self.imported_sets += 1,
            Record::AdjudicationDay { .. } => self.adjudication_days += 1,
            Record::Meta { .. } => self.meta += 1,
            Record::Header { .. } | Record::End { .. } => {}
        }
    }

    /// "3,015 claims, 333 work items, …" for the person who ran it.
    pub fn describe(&self) -> String {
        format!(
            "{} claims, {} work items, {} timeline events, {} audit entries, {} imported transaction sets",
            self.claims, self.work_items, self.events, self.audit_entries, self.imported_sets
        )
    }
}

/// Writes records as lines, counting them and summing their CRC.
struct RecordWriter<'a> {
    out: &'a mut dyn Write,
    crc: crc32fast::Hasher,
    records: u64,
    summary: BackupSummary,
}

impl RecordWriter<'_> {
    fn write(&mut self, record: &Record) -> Result<(), StoreError> {
        let mut line = encode(record);
        line.push(b'\n');
        self.crc.update(&line);
        self.records += 1;
        self.summary.count(record);
        self.out
            .write_all(&line)
            .map_err(|e| StoreError::Backup(format!("writing the backup: {e}")))
    }

    fn finish(self) -> Result<BackupSummary, StoreError> {
        let end = Record::End {
            records: self.records,
            crc32: self.crc.finalize(),
        };
        let mut line = encode(&end);
        line.push(b'\n');
        self.out
            .write_all(&line)
            .and_then(|_| self.out.flush())
            .map_err(|e| StoreError::Backup(format!("writing the backup: {e}")))?;
        Ok(self.summary)
    }
}

/// The record for one stored key and value.
fn record(key: &[u8], value: &[u8]) -> Result<Option<Record>, StoreError> {
    let parsed = keys::parse(key).ok_or_else(|| StoreError::Corrupt {
        key: String::from_utf8_lossy(key).replace('\0', "/"),
        message: "a key this version of denialdesk does not know".into(),
    })?;
    Ok(Some(match parsed {
        // The restoring build writes its own schema version; a journaled import is never
        // running during a backup (it holds the import gate), so these are leftovers.
        Key::Meta(name) if name == "schema" => return Ok(None),
        Key::Journal(_) | Key::Undo(..) => return Ok(None),
        Key::Meta(key_name) => Record::Meta {
            key: key_name,
            value: decode(key, value)?,
        },
        Key::Claim(claim_id, seq) => Record::Claim {
            claim_id,
            seq,
            claim: decode(key, value)?,
        },
        Key::WorkItem(claim_id) => Record::WorkItem {
            claim_id,
            item: Box::new(decode_item(key, value)?),
        },
        Key::Event(claim_id, seq) => Record::Event {
            claim_id,
            seq,
            event: decode(key, value)?,
        },
        Key::Audit(_) => Record::Audit {
            entry: decode(key, value)?,
        },
        Key::Imported(fingerprint) => Record::ImportedSet {
            fingerprint,
            set: decode(key, value)?,
        },
        Key::AdjudicationDay(..) => Record::AdjudicationDay {
            day: decode(key, value)?,
        },
    }))
}

impl SledStore {
    /// Writes a backup of everything to `out`, as one moment's state. The export itself is
    /// audited (it carries PHI out of the database) and that entry is in the backup.
    pub(super) fn write_backup(
        &self,
        out: &mut dyn Write,
        user: &str,
    ) -> Result<BackupSummary, StoreError> {
        let _guard = self.write_lock(None);
        let now = Utc::now();
        let seq = self.next_seq()?;
        let entry = AuditEntry {
            seq,
            at: now,
            user: user.to_string(),
            action: "backup".into(),
            claim_id: None,
            detail: format!("backup of {} taken", self.path().display()),
            changes: Vec::new(),
        };
        self.db
            .insert(keys::audit(seq), encode(&entry))
            .map_err(db_error)?;
        self.flush()?;
        let mut writer = RecordWriter {
            out,
            crc: crc32fast::Hasher::new(),
            records: 0,
            summary: BackupSummary {
                created_at: Some(now),
                created_by: user.to_string(),
                ..BackupSummary::default()
            },
        };
        writer.write(&Record::Header {
            format: BACKUP_FORMAT.into(),
            version: BACKUP_VERSION,
            created_at: now,
            created_by: user.to_string(),
            database: self.path().display().to_string(),
        })?;
        for entry in self.db.iter() {
            let (key, value) = entry.map_err(db_error)?;
            if let Some(record) = record(&key, &value)? {
                writer.write(&record)?;
            }
        }
        writer.finish()
    }

    /// Rebuilds a database at `path` (a new or empty folder) from a backup. Nothing is left
    /// behind if the backup is damaged: the error names its line.
    pub fn restore(
        path: &Path,
        input: &mut dyn BufRead,
        name: &str,
        user: &str,
    ) -> Result<BackupSummary, StoreError> {
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
        let restored = SledStore::open(path).and_then(|store| store.load_backup(input, name, user));
        if restored.is_err() {
            // Leave nothing half-restored behind.
            let _ = std::fs::remove_dir_all(path);
            if existed {
                let _ = std::fs::create_dir(path);
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
        let mut batch = sled::Batch::default();
        let mut in_batch = 0;
        let mut max_seq = 0u64;
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
                    batch.insert(keys::claim(&claim_id, seq), encode(&claim));
                }
                Record::WorkItem { claim_id, item } => {
                    batch.insert(keys::work_item(&claim_id), encode_item(&item))
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
                    batch.insert(keys::audit(entry.seq), encode(&entry));
                }
                Record::ImportedSet { fingerprint, set } => {
                    batch.insert(keys::imported(fingerprint), encode(&set))
                }
                Record::AdjudicationDay { day } => {
                    batch.insert(keys::adjudication_day(day.date, &day.payer), encode(&day))
                }
                Record::End { .. } => unreachable!("handled above"),
            }
            in_batch += 1;
            if in_batch == RESTORE_BATCH {
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
        self.db.apply_batch(batch).map_err(db_error)?;
        // New sequence numbers must sort after the restored ones (timeline and audit order).
        while self.next_seq()? <= max_seq {}
        let seq = self.next_seq()?;
        let entry = AuditEntry {
            seq,
            at: Utc::now(),
            user: user.to_string(),
            action: "restore".into(),
            claim_id: None,
            detail: format!(
                "restored from {name} (backup taken {} by {})",
                summary.created_at.map_or("at an unknown time".into(), |t| t
                    .format("%Y-%m-%d %H:%M UTC")
                    .to_string()),
                summary.created_by
            ),
            changes: Vec::new(),
        };
        self.db
            .insert(keys::audit(seq), encode(&entry))
            .map_err(db_error)?;
        self.flush()?;
        Ok(summary)
    }
}

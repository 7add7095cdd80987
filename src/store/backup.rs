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
use super::claim_index::IndexEntry;
use super::core::{db_error, decode, decode_audit, decode_item, encode, SledStore};
use super::import_set::ImportedSet;
use super::keys::{self, Key};
use super::StoreError;
use crate::domain::claim::Claim;
use crate::domain::kpi::AdjudicationDay;
use crate::domain::timeline::Event;
use crate::domain::work_item::WorkItem;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::io::Write;

/// The `format` field of a backup's header.
pub const BACKUP_FORMAT: &str = "denialdesk-backup";
/// Bumped when a record changes shape; restore refuses versions it does not know.
/// Version 2: work items keyed by claim identity (schema 4); version 3 adds the claims'
/// first-acknowledgment marks (schema 6); version 4 audit entries of sets listing the items
/// they opened (schema 10: an older build would restore them without those openings).
/// Versions 1 to 3 are still restored.
pub const BACKUP_VERSION: u32 = 4;

/// One line of a backup.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "record", rename_all = "snake_case")]
pub(super) enum Record {
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
    ClaimAcknowledged {
        claim_id: String,
        mark: super::import_ack::AckMark,
    },
    End {
        records: u64,
        crc32: u32,
    },
}

/// What a backup holds (or a restore rebuilt).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupSummary {
    /// Adjudications.
    pub claims: u64,
    /// Work items.
    pub work_items: u64,
    /// Timeline events.
    pub events: u64,
    /// Audit entries.
    pub audit_entries: u64,
    /// Fingerprints of imported sets.
    pub imported_sets: u64,
    /// First-adjudication and first-acknowledgment counts (the KPIs' denominators).
    pub adjudication_days: u64,
    /// Meta values.
    pub meta: u64,
    /// When the backup was taken.
    pub created_at: Option<DateTime<Utc>>,
    /// Who took it.
    pub created_by: String,
}

impl BackupSummary {
    pub(super) fn count(&mut self, record: &Record) {
        match record {
            Record::Claim { .. } => self.claims += 1,
            Record::WorkItem { .. } => self.work_items += 1,
            Record::Event { .. } => self.events += 1,
            Record::Audit { .. } => self.audit_entries += 1,
            Record::ImportedSet { .. } => self.imported_sets += 1,
            Record::AdjudicationDay { .. } | Record::ClaimAcknowledged { .. } => {
                self.adjudication_days += 1
            }
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
fn record(store: &SledStore, key: &[u8], value: &[u8]) -> Result<Option<Record>, StoreError> {
    let parsed = keys::parse(key).ok_or_else(|| {
        super::codec::corrupt(key, "a key this version of denialdesk does not know".into())
    })?;
    Ok(Some(match parsed {
        // The restoring build writes its own schema version; a journaled import is never
        // running during a backup (it holds the import gate), so these are leftovers.
        Key::Meta(name) if name == "schema" || name == "moving-claims" => return Ok(None),
        // Derived (list rows) or transient (journals): rebuilt, not backed up.
        // Derived or held elsewhere: a block's claims are each written at their own key.
        Key::ListRow(_)
        | Key::ListSnapshot
        | Key::RowMark(_)
        | Key::PayerClaim(..)
        | Key::Journal(_)
        | Key::Undo(..)
        | Key::ClaimBlock(_) => return Ok(None),
        // Each entry is a claim record of its own (see `write_backup`).
        Key::ClaimIndex(..) | Key::ClaimRuns | Key::ClaimFilter(_) => return Ok(None),
        Key::Meta(key_name) => Record::Meta {
            key: key_name,
            value: decode(key, value)?,
        },
        Key::Claim(claim_id, seq) => Record::Claim {
            claim_id,
            seq,
            claim: Box::new(store.claim_value(key, value)?),
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
            entry: Box::new(decode_audit(key, value)?),
        },
        Key::Imported(fingerprint) => Record::ImportedSet {
            fingerprint,
            set: decode(key, value)?,
        },
        Key::AdjudicationDay(..) => Record::AdjudicationDay {
            day: decode(key, value)?,
        },
        Key::Acknowledged(claim_id) => Record::ClaimAcknowledged {
            claim_id,
            mark: decode(key, value)?,
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
        let _guard = self.write_lock()?;
        let now = Utc::now();
        let seq = self.next_seq()?;
        let entry = AuditEntry::about_database(
            seq,
            now,
            user,
            "backup",
            format!("backup of {} taken", self.path().display()),
        );
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
        // The claims come where their `c:` keys sorted before schema 11, in key order, so a
        // backup reads as the releases before wrote it (see `claim_index`).
        let mut claims = Some(self.index_in_key_order()?);
        for entry in self.db.iter() {
            let (key, value) = entry.map_err(db_error)?;
            if key.as_ref() >= keys::CLAIMS {
                self.write_claims(&mut writer, claims.take())?;
            }
            if let Some(record) = record(self, &key, &value)? {
                writer.write(&record)?;
            }
        }
        self.write_claims(&mut writer, claims)?;
        writer.finish()
    }

    /// Every claim the index holds, as records, if not written yet.
    fn write_claims(
        &self,
        writer: &mut RecordWriter<'_>,
        entries: Option<Vec<IndexEntry>>,
    ) -> Result<(), StoreError> {
        for e in entries.into_iter().flatten() {
            writer.write(&Record::Claim {
                claim_id: e.key.clone(),
                seq: e.seq,
                claim: Box::new(self.indexed_claim(&e)?),
            })?;
        }
        Ok(())
    }
}

//! Prevention items, kept together as one meta value (`m:prevention`: a practice has tens
//! of them, not thousands), so a backup carries them like any meta value. Each save is
//! one durable batch with its audit entry, field by field.

use super::audit::{diff, AuditEntry};
use super::core::{encode, SledStore};
use super::keys::PREVENTION;
use super::kv::Batch;
use super::StoreError;
use crate::domain::prevention::{place, PreventionItem};
use chrono::Utc;

/// The audit entry for a save.
pub(super) fn audit_entry(
    seq: u64,
    before: Option<&PreventionItem>,
    after: &PreventionItem,
    user: &str,
) -> AuditEntry {
    let (action, detail) = match before {
        None => (
            "prevent-add",
            format!(
                "prevention item {} for {}: {} (owner {}, due {})",
                after.id, after.cause, after.action, after.owner, after.due
            ),
        ),
        Some(_) => (
            "prevent-update",
            format!(
                "prevention item {} for {} ({})",
                after.id, after.cause, after.status
            ),
        ),
    };
    let mut entry = AuditEntry::about_database(seq, Utc::now(), user, action, detail);
    entry.changes = diff(before, after);
    entry
}

impl SledStore {
    pub(super) fn stored_prevention(&self) -> Result<Vec<PreventionItem>, StoreError> {
        Ok(self.get(PREVENTION)?.unwrap_or_default())
    }

    pub(super) fn save_prevention_item(
        &self,
        item: &PreventionItem,
        user: &str,
    ) -> Result<PreventionItem, StoreError> {
        let _guard = self.write_lock()?;
        let mut items = self.stored_prevention()?;
        let (before, saved) = place(&mut items, item).map_err(StoreError::Refused)?;
        let seq = self.next_seq()?;
        let entry = audit_entry(seq, before.as_ref(), &saved, user);
        let mut batch = Batch::default();
        batch.insert(PREVENTION, encode(&items));
        batch.insert(super::keys::audit(seq), encode(&entry));
        self.apply(batch)?;
        self.flush()?;
        Ok(saved)
    }
}

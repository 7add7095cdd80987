//! The embedded store: one sled tree (see `keys`), JSON values, one atomic batch per
//! mutation, flushed before the call returns. This file implements `Store` over the
//! feature files; `open` opens it, and the value and its primitives are in `core`.

use super::audit::AuditEntry;
pub use super::core::SledStore;
use super::core::{db_error, decode_audit, encode};
use super::kv::Batch;
use super::packed::decode_all;
pub use super::packed::{unpack, PackedKind};
use super::{keys, MetaKey, SetOutcome, Store, StoreError, WorkStore};
use crate::domain::acknowledgment::{Acknowledgment, BatchAck};
use crate::domain::action::{self, WorkAction};
use crate::domain::claim::Claim;
use crate::domain::contract::ContractSet;
use crate::domain::kpi::{Activity, AdjudicationDay};
use crate::domain::list_row::ListRow;
use crate::domain::payer_rules::PayerRules;
use crate::domain::prevention::PreventionItem;
use crate::domain::remittance::Remittance;
use crate::domain::timeline::{Event, EventKind};
use crate::domain::work_item::WorkItem;
use chrono::{NaiveDate, Utc};

impl Store for SledStore {
    fn audit_log(&self) -> Result<Vec<AuditEntry>, StoreError> {
        self.db
            .scan_prefix(keys::AUDIT)
            .map(|entry| {
                let (k, v) = entry.map_err(db_error)?;
                decode_audit(&k, &v)
            })
            .collect()
    }

    fn is_imported(&self, fingerprint: u64) -> Result<bool, StoreError> {
        self.db
            .contains_key(keys::imported(fingerprint))
            .map_err(db_error)
    }

    fn import_remittance(
        &self,
        remittance: &Remittance,
        rules: &PayerRules,
        user: &str,
    ) -> Result<SetOutcome, StoreError> {
        self.import_set(remittance, rules, user)
    }

    fn import_acknowledgments(
        &self,
        sets: &[Acknowledgment],
        rules: &PayerRules,
        user: &str,
    ) -> Result<Vec<SetOutcome>, StoreError> {
        self.import_acks(sets, rules, user)
    }

    fn batch_acks(&self) -> Result<Vec<BatchAck>, StoreError> {
        self.stored_batch_acks()
    }

    fn set_contracts(&self, set: &ContractSet, user: &str) -> Result<usize, StoreError> {
        let _guard = self.write_lock()?;
        let before: Option<ContractSet> = self.get(keys::CONTRACTS)?;
        let replaced = before.as_ref().map_or(0, |b| b.rows.len());
        let seq = self.next_seq()?;
        let entry = AuditEntry::about_database(
            seq,
            Utc::now(),
            user,
            "contracts-import",
            format!(
                "contracts from {}: {} rows{}",
                set.file,
                set.rows.len(),
                before.map_or(String::new(), |b| format!(
                    ", replacing {} rows from {}",
                    b.rows.len(),
                    b.file
                ))
            ),
        );
        let mut batch = Batch::default();
        batch.insert(keys::CONTRACTS, encode(set));
        batch.insert(keys::audit(seq), encode(&entry));
        self.apply(batch)?;
        self.flush()?;
        Ok(replaced)
    }

    fn contracts(&self) -> Result<Option<ContractSet>, StoreError> {
        self.get(keys::CONTRACTS)
    }

    fn import_acknowledgments_in(
        &self,
        import: u64,
        sets: &[Acknowledgment],
        rules: &PayerRules,
        user: &str,
    ) -> Result<Vec<SetOutcome>, StoreError> {
        self.import_acks_journaled(import, sets, rules, user)
    }

    fn resolve_batch(
        &self,
        batch: &str,
        reason: &str,
        user: &str,
    ) -> Result<Vec<BatchAck>, StoreError> {
        self.resolve_batch_ack(batch, reason, user)
    }

    fn import_remittances(
        &self,
        sets: &[Remittance],
        rules: &PayerRules,
        user: &str,
    ) -> Result<Vec<SetOutcome>, StoreError> {
        self.import_sets(sets, rules, user)
    }

    fn begin_file_import(&self, file: &str, user: &str) -> Result<u64, StoreError> {
        self.begin_journal(file, user)
    }

    fn import_remittance_in(
        &self,
        import: u64,
        remittance: &Remittance,
        rules: &PayerRules,
        user: &str,
    ) -> Result<SetOutcome, StoreError> {
        self.import_set_journaled(import, remittance, rules, user)
    }

    fn commit_file_import(&self, import: u64) -> Result<(), StoreError> {
        self.commit_journal(import)
    }

    fn roll_back_file_import(&self, import: u64, user: &str) -> Result<(), StoreError> {
        self.roll_back_journal(import, Some(user)).map(|_| ())
    }

    fn refuse_file_import(&self, import: u64) -> Result<(), StoreError> {
        self.roll_back_journal(import, None).map(|_| ())
    }

    fn meta(&self, key: MetaKey) -> Result<Option<String>, StoreError> {
        match key {
            MetaKey::DemoDay => self.get(keys::DEMO_DAY),
        }
    }

    fn set_meta(&self, key: MetaKey, value: &str) -> Result<(), StoreError> {
        let k = match key {
            MetaKey::DemoDay => keys::DEMO_DAY,
        };
        let _guard = self.write_lock()?;
        self.db.insert(k, encode(&value)).map_err(db_error)?;
        self.flush()
    }

    fn backup(
        &self,
        out: &mut dyn std::io::Write,
        user: &str,
    ) -> Result<super::backup::BackupSummary, StoreError> {
        self.write_backup(out, user)
    }

    fn settle(self: Box<Self>) {
        SledStore::settle(*self);
    }
}

impl WorkStore for SledStore {
    fn prevention_items(&self) -> Result<Vec<PreventionItem>, StoreError> {
        self.stored_prevention()
    }

    fn save_prevention(
        &self,
        item: &PreventionItem,
        user: &str,
    ) -> Result<PreventionItem, StoreError> {
        self.save_prevention_item(item, user)
    }

    fn work_items(&self) -> Result<Vec<WorkItem>, StoreError> {
        let raw: Vec<(sled::IVec, sled::IVec)> = self
            .db
            .scan_prefix(keys::WORK_ITEMS)
            .collect::<Result<_, _>>()
            .map_err(db_error)?;
        decode_all(&raw)
    }

    fn list_rows(&self) -> Result<Vec<ListRow>, StoreError> {
        // On the first frame's path: the snapshot and the rows written since (see
        // `list_snapshot`), else read as key ranges at once (see `parallel_scan`).
        self.read_list_rows()
    }

    fn work_item(&self, claim: &str) -> Result<Option<WorkItem>, StoreError> {
        match self.resolve(claim)? {
            Some(key) => self.item_at(&key),
            None => Ok(None),
        }
    }

    fn claim_history(&self, claim: &str) -> Result<Vec<Claim>, StoreError> {
        match self.resolve(claim)? {
            Some(key) => self.claim_history_at(&key),
            None => Ok(Vec::new()),
        }
    }

    fn timeline(&self, claim: &str) -> Result<Vec<Event>, StoreError> {
        match self.resolve(claim)? {
            Some(key) => self.scan(&keys::event_prefix(&key)),
            None => Ok(Vec::new()),
        }
    }

    fn apply_at_version(
        &self,
        claim_id: &str,
        action: &WorkAction,
        today: NaiveDate,
        user: &str,
        expected: Option<u64>,
    ) -> Result<WorkItem, StoreError> {
        let _guard = self.write_lock()?;
        let before = self
            .work_item(claim_id)?
            .ok_or_else(|| StoreError::UnknownClaim(claim_id.to_string()))?;
        if !action.appends_only() && expected.is_some_and(|v| v != before.version) {
            return Err(StoreError::conflict(&before));
        }
        let (mut after, events) = action::apply(&before, action, today)?;
        let detail = events
            .iter()
            .map(EventKind::summary)
            .collect::<Vec<_>>()
            .join("; ");
        let mut batch = Batch::default();
        self.stage_item_change(
            &mut batch,
            Some(&before),
            &mut after,
            events,
            action.name(),
            detail,
            user,
            Utc::now(),
        )?;
        self.apply(batch)?;
        self.flush()?;
        // After the flush: the save is durable before a rebuild (one save in 4,096) runs.
        self.after_saves(1);
        Ok(after)
    }

    fn adjudication_days(&self) -> Result<Vec<AdjudicationDay>, StoreError> {
        self.scan(keys::ADJUDICATION_DAYS)
    }

    fn activity(&self, since: NaiveDate) -> Result<Vec<Activity>, StoreError> {
        // Newest first from the end of the log, so a recent period reads only its part.
        let mut out = Vec::new();
        for entry in self.db.scan_prefix(keys::AUDIT).rev() {
            let (k, v) = entry.map_err(db_error)?;
            let entry: AuditEntry = decode_audit(&k, &v)?;
            if entry.at.date_naive() < since {
                break;
            }
            out.extend(entry.activity());
        }
        out.reverse();
        Ok(out)
    }
}

//! Importing transaction sets: claims, first-adjudication counts, reconciled work items
//! with their events and audit entries, and each set's header — one atomic, flushed batch
//! per call (a whole file when it fits in memory).

use super::audit::AuditEntry;
use super::journal::{Put, Writes};
use super::sled_store::{encode, SledStore};
use super::{keys, SetOutcome, Store, StoreError};
use crate::domain::claim::{ClaimStatusCode, Party};
use crate::domain::denial::classify;
use crate::domain::kpi::AdjudicationDay;
use crate::domain::payer_rules::PayerRules;
use crate::domain::reconcile::{reconcile, Reconciled};
use crate::domain::remittance::{ProviderAdjustment, Remittance};
use crate::domain::work_item::WorkItem;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// An imported transaction set's header: makes re-imports a no-op and keeps what is not
/// tied to one claim (the payment total and PLB provider-level adjustments).
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct ImportedSet {
    file: String,
    control_number: String,
    payer: Party,
    trace_number: String,
    remit_date: NaiveDate,
    total_paid_cents: i64,
    provider_adjustments: Vec<ProviderAdjustment>,
    claims: usize,
    at: DateTime<Utc>,
    user: String,
}

/// One atomic batch being built from one or more transaction sets.
struct SetBatch {
    batch: Writes,
    /// Items changed earlier in this batch (a reversal followed by its correction).
    pending: HashMap<String, WorkItem>,
    /// Claims already adjudicated earlier in this batch.
    seen: HashSet<String>,
    fingerprints: HashSet<u64>,
    days: HashMap<(NaiveDate, String), AdjudicationDay>,
    now: DateTime<Utc>,
}

impl SledStore {
    /// Stores one transaction set and reconciles the worklist in one atomic, flushed batch.
    pub(super) fn import_set(
        &self,
        remittance: &Remittance,
        rules: &PayerRules,
        user: &str,
    ) -> Result<SetOutcome, StoreError> {
        let mut outcomes = self.import_sets(std::slice::from_ref(remittance), rules, user)?;
        Ok(outcomes.remove(0))
    }

    /// Stores several transaction sets (a whole file) in one atomic, flushed batch: after a
    /// crash the file is either fully imported or not at all.
    pub(super) fn import_sets(
        &self,
        sets: &[Remittance],
        rules: &PayerRules,
        user: &str,
    ) -> Result<Vec<SetOutcome>, StoreError> {
        let _guard = self.write_lock();
        let (writes, outcomes) = self.stage_sets(sets, rules, user)?;
        if let Some(writes) = writes {
            self.apply(writes.batch)?;
            self.flush()?;
        }
        Ok(outcomes)
    }

    /// Stores one set of a journaled file import (see `journal`): atomic with its undo
    /// records; durable when the file is committed.
    pub(super) fn import_set_journaled(
        &self,
        import: u64,
        remittance: &Remittance,
        rules: &PayerRules,
        user: &str,
    ) -> Result<SetOutcome, StoreError> {
        let _guard = self.import_lock(import)?;
        let (writes, mut outcomes) =
            self.stage_sets(std::slice::from_ref(remittance), rules, user)?;
        if let Some(writes) = writes {
            self.apply_journaled(import, writes)?;
        }
        Ok(outcomes.remove(0))
    }

    /// Stages sets into one batch; `None` when every set was imported before.
    fn stage_sets(
        &self,
        sets: &[Remittance],
        rules: &PayerRules,
        user: &str,
    ) -> Result<(Option<Writes>, Vec<SetOutcome>), StoreError> {
        let mut b = SetBatch {
            batch: Writes::default(),
            pending: HashMap::new(),
            seen: HashSet::new(),
            fingerprints: HashSet::new(),
            days: HashMap::new(),
            now: Utc::now(),
        };
        let mut outcomes = Vec::with_capacity(sets.len());
        for set in sets {
            outcomes.push(self.stage_set(&mut b, set, rules, user)?);
        }
        if outcomes.iter().all(|o| o.duplicate) {
            return Ok((None, outcomes));
        }
        for ((date, payer), add) in b.days {
            let key = keys::adjudication_day(date, &payer);
            let mut day: AdjudicationDay = self.get(&key)?.unwrap_or(AdjudicationDay {
                date,
                payer,
                ..AdjudicationDay::default()
            });
            day.claims += add.claims;
            day.billed_cents += add.billed_cents;
            day.denied += add.denied;
            day.denied_cents += add.denied_cents;
            b.batch.put(key, encode(&day));
        }
        Ok((Some(b.batch), outcomes))
    }

    fn stage_set(
        &self,
        b: &mut SetBatch,
        remittance: &Remittance,
        rules: &PayerRules,
        user: &str,
    ) -> Result<SetOutcome, StoreError> {
        let mut outcome = SetOutcome {
            claims: remittance.claims.len(),
            ..SetOutcome::default()
        };
        if !b.fingerprints.insert(remittance.fingerprint)
            || self.is_imported(remittance.fingerprint)?
        {
            outcome.duplicate = true;
            return Ok(outcome);
        }
        let now = b.now;
        let file = &remittance.source_file;
        let detail = format!(
            "{file}: transaction set {}, remittance {}",
            remittance.control_number, remittance.remit_date
        );
        for claim in &remittance.claims {
            let id = &claim.patient_control_number;
            // A claim's first adjudication counts once towards the initial denial rate.
            let first = claim.status_code != ClaimStatusCode::Reversal
                && b.seen.insert(id.clone())
                && self.db.scan_prefix(keys::claim_prefix(id)).next().is_none();
            if first {
                let day = b
                    .days
                    .entry((claim.remit.remit_date, claim.remit.payer.name.clone()))
                    .or_insert_with(|| AdjudicationDay {
                        date: claim.remit.remit_date,
                        payer: claim.remit.payer.name.clone(),
                        ..AdjudicationDay::default()
                    });
                day.claims += 1;
                day.billed_cents += claim.billed_cents;
                if let Some(f) = classify(claim) {
                    day.denied += 1;
                    day.denied_cents += f.denied_cents;
                }
            }
            b.batch
                .put(keys::claim(id, self.next_seq()?), encode(claim));
            let existing = match b.pending.get(id) {
                Some(item) => Some(item.clone()),
                None => self.work_item(id)?,
            };
            let (mut item, events, verb) =
                match reconcile(existing.as_ref(), claim, rules, now, user) {
                    Reconciled::NoWork => continue,
                    Reconciled::Opened(item, events) => {
                        outcome.opened += 1;
                        (item, events, "opened")
                    }
                    Reconciled::Updated(item, events) => {
                        outcome.updated += 1;
                        (item, events, "updated")
                    }
                };
            self.stage_item_change(
                &mut b.batch,
                existing.as_ref(),
                &mut item,
                events,
                "import",
                format!("{verb} by {detail}"),
                user,
                now,
            )?;
            b.pending.insert(id.clone(), item);
        }
        let marker = ImportedSet {
            file: file.clone(),
            control_number: remittance.control_number.clone(),
            payer: remittance.payer.clone(),
            trace_number: remittance.trace_number.clone(),
            remit_date: remittance.remit_date,
            total_paid_cents: remittance.total_paid_cents,
            provider_adjustments: remittance.provider_adjustments.clone(),
            claims: outcome.claims,
            at: now,
            user: user.to_string(),
        };
        b.batch
            .put(keys::imported(remittance.fingerprint), encode(&marker));
        let seq = self.next_seq()?;
        let entry = AuditEntry::about_database(
            seq,
            now,
            user,
            "import-set",
            format!(
                "{file}: transaction set {} from {}, {} claims, {} denials opened, {} updated",
                remittance.control_number,
                remittance.payer.name,
                outcome.claims,
                outcome.opened,
                outcome.updated
            ),
        );
        b.batch.put(keys::audit(seq), encode(&entry));
        Ok(outcome)
    }
}

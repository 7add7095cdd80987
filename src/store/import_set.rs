//! Importing one transaction set: claims, first-adjudication counts, reconciled work items
//! with their events and audit entries, and the set's header — one atomic, flushed batch.

use super::audit::AuditEntry;
use super::sled_store::{db_error, encode, SledStore};
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
struct ImportedSet {
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

impl SledStore {
    /// Stores one transaction set and reconciles the worklist in one atomic, flushed batch.
    pub(super) fn import_set(
        &self,
        remittance: &Remittance,
        rules: &PayerRules,
        user: &str,
    ) -> Result<SetOutcome, StoreError> {
        let _guard = self.write.lock().unwrap_or_else(|p| p.into_inner());
        let mut outcome = SetOutcome {
            claims: remittance.claims.len(),
            ..SetOutcome::default()
        };
        if self.is_imported(remittance.fingerprint)? {
            outcome.duplicate = true;
            return Ok(outcome);
        }
        let now = Utc::now();
        let mut batch = sled::Batch::default();
        // Items changed earlier in this same set (a reversal followed by its correction).
        let mut pending: HashMap<String, WorkItem> = HashMap::new();
        let mut first_seen: HashSet<&str> = HashSet::new();
        let mut days: HashMap<(NaiveDate, String), AdjudicationDay> = HashMap::new();
        let file = &remittance.source_file;
        let detail = format!(
            "{file}: transaction set {}, remittance {}",
            remittance.control_number, remittance.remit_date
        );
        for claim in &remittance.claims {
            let id = &claim.patient_control_number;
            // A claim's first adjudication counts once towards the initial denial rate.
            let first = claim.status_code != ClaimStatusCode::Reversal
                && first_seen.insert(id.as_str())
                && self.db.scan_prefix(keys::claim_prefix(id)).next().is_none();
            if first {
                let day = days
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
            batch.insert(keys::claim(id, self.next_seq()?), encode(claim));
            let existing = match pending.get(id) {
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
                &mut batch,
                existing.as_ref(),
                &mut item,
                events,
                "import",
                format!("{verb} by {detail}"),
                user,
                now,
            )?;
            pending.insert(id.clone(), item);
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
        batch.insert(keys::imported(remittance.fingerprint), encode(&marker));
        for ((date, payer), add) in days {
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
            batch.insert(key, encode(&day));
        }
        let seq = self.next_seq()?;
        let entry = AuditEntry {
            seq,
            at: now,
            user: user.to_string(),
            action: "import-set".into(),
            claim_id: None,
            detail: format!(
                "{file}: transaction set {} from {}, {} claims, {} denials opened, {} updated",
                remittance.control_number,
                remittance.payer.name,
                outcome.claims,
                outcome.opened,
                outcome.updated
            ),
            changes: Vec::new(),
        };
        batch.insert(keys::audit(seq), encode(&entry));
        self.db.apply_batch(batch).map_err(db_error)?;
        self.flush()?;
        Ok(outcome)
    }
}

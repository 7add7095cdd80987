//! Schema 3 → 4: work items keyed by claim identity instead of CLP01 alone.
//!
//! Schema 3 filed every adjudication, work item, list row and timeline event under the
//! CLP01, so different patients (or payers) sharing one were merged. Schema 4 files them
//! under a key naming payer and patient too (`claim_identity`). The migration regroups
//! each CLP01's adjudications by identity, in the order they arrived, and moves the
//! CLP01's work item and timeline to the group whose payer and patient the item names.
//! An item that schema 3 had already merged stays as it was (its money cannot be
//! un-merged without the specialist's history); other patients' claims get their own
//! keys, so their next remittances open their own items.
//!
//! Crash-safe without a journal: each CLP01 is rewritten whole in one batch (old keys
//! deleted, new ones written), and only old-form keys (no `#hash`) are migrated, so a run
//! interrupted midway resumes where it stopped. The schema version is bumped last.

use super::core::{db_error, decode, decode_compact, encode, put_item, SledStore};
use super::kv::Batch;
use super::{keys, StoreError};
use crate::domain::appeal::Appeal;
use crate::domain::claim::{Claim, Party};
use crate::domain::claim_identity::{claim_id_of_key, ClaimIdentity, Relation};
use crate::domain::payer_rules::AppealDeadline;
use crate::domain::rarc::AppealRights;
use crate::domain::status::Status;
use crate::domain::taxonomy::{Category, Hardness, Stage};
use crate::domain::timeline::Event;
use crate::domain::work_item::{DeniedLine, ItemKind, Payment, WorkItem};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A work item as schema 3 stored it (bincode, by position) and backup format 1 wrote it
/// (JSON, by name).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct WorkItemV3 {
    pub claim_id: String,
    pub version: u64,
    pub status: Status,
    pub owner: Option<String>,
    pub follow_up: Option<NaiveDate>,
    pub appeal_deadline: AppealDeadline,
    pub denied_cents: i64,
    pub recovered_cents: i64,
    pub carcs: Vec<String>,
    pub remarks: Vec<String>,
    pub category: Category,
    pub hardness: Hardness,
    pub stage: Stage,
    pub denied_on: NaiveDate,
    pub payer: String,
    pub payer_id: String,
    pub filing_indicator: String,
    pub payer_claim_number: String,
    pub patient_name: String,
    pub member_id: String,
    pub date_of_service: Option<NaiveDate>,
    pub billed_cents: i64,
    pub rendering_provider: Option<String>,
    pub facility: String,
    #[serde(default)]
    pub write_off_reason: Option<String>,
    #[serde(default)]
    pub appeals: Vec<Appeal>,
    #[serde(default)]
    pub payments: Vec<Payment>,
    #[serde(default)]
    pub resolved_on: Option<NaiveDate>,
    #[serde(default)]
    pub procedures: Vec<String>,
    #[serde(default = "one")]
    pub times_denied: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

fn one() -> u32 {
    1
}

impl WorkItemV3 {
    /// The identity the item names (payer and patient as the denial showed them).
    fn identity(&self) -> ClaimIdentity {
        let payer = Party {
            name: self.payer.clone(),
            id: self.payer_id.clone(),
        };
        ClaimIdentity::named(
            &self.claim_id,
            &payer,
            "",
            &self.patient_name,
            &self.member_id,
        )
    }

    /// The schema 4 item. Schema 3 knew no lines: one claim-level line stands for the
    /// denial, still denied by what was not recovered (nothing once paid). Schema 3 put
    /// PR-group non-covered codes among denials; an item with only those moves to the
    /// patient-responsibility queue.
    pub(super) fn upgrade(self, key: String) -> WorkItem {
        let still = match self.status {
            Status::Paid => 0,
            _ => (self.denied_cents - self.recovered_cents).max(0),
        };
        let patient_only =
            !self.carcs.is_empty() && self.carcs.iter().all(|c| c.starts_with("PR-"));
        let mut item = WorkItem {
            key: key.into(),
            claim_id: self.claim_id.into(),
            kind: if patient_only {
                ItemKind::PatientResponsibility
            } else {
                ItemKind::Denial
            },
            appeal_rights: AppealRights::Appealable,
            denied_lines: vec![DeniedLine::whole_claim(self.denied_cents, still)],
            other_payer_cents: 0,
            version: self.version,
            status: self.status,
            owner: self.owner.map(Into::into),
            follow_up: self.follow_up,
            appeal_deadline: self.appeal_deadline,
            denied_cents: self.denied_cents,
            recovered_cents: self.recovered_cents,
            carcs: self.carcs.into_iter().map(Into::into).collect(),
            remarks: self.remarks,
            category: if patient_only {
                Category::PatientResponsibility
            } else {
                self.category
            },
            hardness: self.hardness,
            stage: self.stage,
            denied_on: self.denied_on,
            payer: self.payer.into(),
            payer_id: self.payer_id,
            filing_indicator: self.filing_indicator,
            payer_claim_number: self.payer_claim_number.into(),
            patient_name: self.patient_name.into(),
            member_id: self.member_id.into(),
            date_of_service: self.date_of_service,
            billed_cents: self.billed_cents,
            rendering_provider: self.rendering_provider,
            facility: self.facility,
            write_off_reason: self.write_off_reason,
            appeals: self.appeals,
            payments: self.payments,
            resolved_on: self.resolved_on,
            procedures: self.procedures,
            times_denied: self.times_denied,
            second_deadline: None,
            awaiting_payer_since: None,
            underpayment: None,
            priority_boost: 0,
            packets: Vec::new(),
            created_at: self.created_at,
            updated_at: self.updated_at,
            updated_by: self.updated_by,
        };
        item.awaiting_payer_since = super::migrate_v6::estimated_payer_clock(&item);
        item
    }
}

/// Records rewritten per batch (a CLP01's records always share one batch).
const MIGRATION_BATCH: usize = 10_000;

fn old_form(claim_part: &str) -> bool {
    claim_id_of_key(claim_part).len() == claim_part.len()
}

impl SledStore {
    /// Rekeys every schema 3 claim, work item, list row and event (see the module doc).
    pub(super) fn migrate_v3_to_v4(&self) -> Result<(), StoreError> {
        let mut batch = Batch::default();
        let mut in_batch = 0;
        // Every schema 3 work item was opened from an adjudication filed under its CLP01,
        // so the CLP01s to migrate are those of the adjudications still in the old form.
        let mut pcns: Vec<String> = Vec::new();
        for entry in self.db.scan_prefix(b"c:") {
            let (k, v) = entry.map_err(db_error)?;
            let Some(keys::Key::Claim(pcn, _)) = keys::parse(&k) else {
                continue;
            };
            if pcns.last() == Some(&pcn) {
                continue;
            }
            // A CLP01 may itself end in "#" and eight hex digits: the claim says which.
            let old = old_form(&pcn) || {
                let claim: Claim = self.claim_value(&k, &v)?;
                claim.patient_control_number == pcn
            };
            if old {
                pcns.push(pcn);
            }
        }
        pcns.sort();
        pcns.dedup();
        for pcn in pcns {
            in_batch += self.migrate_claim_id(&pcn, &mut batch)?;
            if in_batch >= MIGRATION_BATCH {
                self.apply(std::mem::take(&mut batch))?;
                in_batch = 0;
            }
        }
        self.apply(batch)
    }

    /// Rewrites one CLP01's records into `batch`; returns how many.
    fn migrate_claim_id(&self, pcn: &str, batch: &mut Batch) -> Result<usize, StoreError> {
        let mut count = 0;
        // Group the adjudications by identity, oldest first.
        let mut groups: Vec<(String, ClaimIdentity)> = Vec::new();
        for entry in self.db.scan_prefix(keys::claim_prefix(pcn)) {
            let (k, v) = entry.map_err(db_error)?;
            let Some(keys::Key::Claim(_, seq)) = keys::parse(&k) else {
                continue;
            };
            let claim: Claim = self.claim_value(&k, &v)?;
            let identity = ClaimIdentity::of(&claim);
            let key = match groups
                .iter()
                .find(|(_, g)| identity.relation_to(g) == Relation::SameClaim)
            {
                Some((key, _)) => key.clone(),
                None => {
                    let mut salt = 0;
                    while groups.iter().any(|(k, _)| *k == identity.key(salt)) {
                        salt += 1;
                    }
                    let key = identity.key(salt);
                    groups.push((key.clone(), identity));
                    key
                }
            };
            batch.remove(k);
            batch.insert(keys::claim(&key, seq), v);
            count += 1;
        }
        let item_key = keys::work_item(pcn);
        let Some(bytes) = self.db.get(&item_key).map_err(db_error)? else {
            return Ok(count);
        };
        let old: WorkItemV3 = decode_compact(&item_key, &bytes)?;
        let named = old.identity();
        let key = groups
            .iter()
            .find(|(_, g)| named.relation_to(g) == Relation::SameClaim)
            .or_else(|| groups.first())
            .map_or_else(|| named.key(0), |(key, _)| key.clone());
        batch.remove(item_key);
        // No mark: a schema 3 store has no snapshot of its rows (the move to 10 writes it).
        batch.remove(keys::list_row(pcn));
        put_item(batch, &old.upgrade(key.clone()));
        for entry in self.db.scan_prefix(keys::event_prefix(pcn)) {
            let (k, v) = entry.map_err(db_error)?;
            let Some(keys::Key::Event(_, seq)) = keys::parse(&k) else {
                continue;
            };
            let mut event: Event = decode(&k, &v)?;
            event.key = key.clone();
            batch.remove(k);
            batch.insert(keys::event(&key, seq), encode(&event));
            count += 1;
        }
        Ok(count + 1)
    }
}

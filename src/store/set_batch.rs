//! The batch an import is building, and what it knows while it builds: which key each
//! claim belongs to (claim identity against the stored claims and those staged before it),
//! the work items it has changed, and the payments other items may need.

use super::core::SledStore;
use super::journal::Writes;
use super::StoreError;
use crate::domain::claim::Claim;
use crate::domain::claim_identity::{claim_id_of_key, ClaimIdentity, Relation};
use crate::domain::kpi::AdjudicationDay;
use crate::domain::work_item::WorkItem;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::{HashMap, HashSet};

/// One atomic batch being built from one or more transaction sets.
pub(super) struct SetBatch<'a> {
    pub(super) batch: Writes,
    /// Items changed earlier in this batch (a reversal followed by its correction), by key.
    pub(super) pending: HashMap<String, WorkItem>,
    /// Claims known per CLP01: stored ones, then those staged in this batch.
    pub(super) known: HashMap<String, Vec<(String, ClaimIdentity)>>,
    /// Payments staged in this batch, by CLP01 (the store cannot see them yet): what an
    /// item opened later in the batch needs from the claim's other payers. Borrowed, and
    /// by CLP01 rather than key, so the common case costs no allocation per claim.
    pub(super) staged_payments: HashMap<&'a str, Vec<&'a Claim>>,
    pub(super) fingerprints: HashSet<u64>,
    pub(super) days: HashMap<(NaiveDate, String), AdjudicationDay>,
    pub(super) now: DateTime<Utc>,
}

impl SledStore {
    /// The key a newly imported claim belongs to, whether that claim was known before, and
    /// the keys of the same patient's claim at other payers (see `claim_identity`).
    pub(super) fn identify(
        &self,
        b: &mut SetBatch<'_>,
        claim: &Claim,
    ) -> Result<(String, bool, Vec<String>), StoreError> {
        let pcn = &claim.patient_control_number;
        if !b.known.contains_key(pcn) {
            let stored = self.known_claims(pcn)?;
            b.known.insert(pcn.clone(), stored);
        }
        let known = b.known.get_mut(pcn).expect("loaded above");
        let identity = ClaimIdentity::of(claim);
        let mut same = None;
        let mut others = Vec::new();
        for (key, k) in known.iter() {
            match identity.relation_to(k) {
                Relation::SameClaim if same.is_none() => same = Some(key.clone()),
                Relation::SameClaim | Relation::Unrelated => {}
                Relation::OtherPayer => others.push(key.clone()),
            }
        }
        let found = same.is_some();
        let key = match same {
            Some(key) => key,
            None => {
                let mut salt = 0;
                while known.iter().any(|(k, _)| *k == identity.key(salt)) {
                    salt += 1;
                }
                let key = identity.key(salt);
                known.push((key.clone(), identity));
                key
            }
        };
        others.sort();
        others.dedup();
        Ok((key, found, others))
    }

    /// The work item at `key` as this batch leaves it.
    pub(super) fn pending_item(
        &self,
        b: &SetBatch<'_>,
        key: &str,
    ) -> Result<Option<WorkItem>, StoreError> {
        match b.pending.get(key) {
            Some(item) => Ok(Some(item.clone())),
            None => self.item_at(key),
        }
    }

    /// Every adjudication under `key`: stored, then staged in this batch.
    pub(super) fn claims_under(
        &self,
        b: &SetBatch<'_>,
        key: &str,
    ) -> Result<Vec<Claim>, StoreError> {
        let mut claims: Vec<Claim> = self.claim_history_at(key)?;
        let pcn = claim_id_of_key(key);
        let identity = b
            .known
            .get(pcn)
            .and_then(|known| known.iter().find(|(k, _)| k == key))
            .map(|(_, identity)| identity);
        if let (Some(staged), Some(identity)) = (b.staged_payments.get(pcn), identity) {
            claims.extend(
                staged
                    .iter()
                    .filter(|c| ClaimIdentity::of(c).relation_to(identity) == Relation::SameClaim)
                    .map(|c| (*c).clone()),
            );
        }
        Ok(claims)
    }
}

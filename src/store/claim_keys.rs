//! Finding a claim by what a person or a remittance gives: a work item key, a CLP01 that
//! one claim alone has, or `CLP01@N`; and the claims already known under a CLP01, with
//! their payer and patient, so an import can tell the same claim from another patient's.

use super::core::{db_error, decode_item, SledStore};
use super::{keys, StoreError};
use crate::domain::claim::Claim;
use crate::domain::claim_identity::{ClaimIdentity, ClaimRef, KEY_SEPARATOR};
use crate::domain::money::format_cents;
use crate::domain::work_item::WorkItem;

impl SledStore {
    /// The work item stored at exactly `key`.
    pub(super) fn item_at(&self, key: &str) -> Result<Option<WorkItem>, StoreError> {
        let k = keys::work_item(key);
        match self.db.get(&k).map_err(db_error)? {
            Some(bytes) => decode_item(&k, &bytes).map(Some),
            None => Ok(None),
        }
    }

    /// The keys under this CLP01 that have a work item, in key order.
    fn items_under(&self, claim_id: &str) -> Result<Vec<String>, StoreError> {
        let prefix = format!("w:{claim_id}{KEY_SEPARATOR}");
        let mut found: Vec<String> = Vec::new();
        for entry in self.db.scan_prefix(prefix.as_bytes()) {
            let (k, _) = entry.map_err(db_error)?;
            let Some(keys::Key::WorkItem(key)) = keys::parse(&k) else {
                continue;
            };
            // A CLP01 may itself contain `#`: only keys of exactly this CLP01 count.
            if crate::domain::claim_identity::claim_id_of_key(&key) == claim_id
                && found.last() != Some(&key)
            {
                found.push(key);
            }
        }
        Ok(found)
    }

    /// The keys under this CLP01 that have adjudications, in key order.
    fn adjudicated_under(&self, claim_id: &str) -> Result<Vec<String>, StoreError> {
        let mut found: Vec<String> = Vec::new();
        for entry in self.index_entries_of(claim_id)? {
            if found.last() != Some(&entry.key) {
                found.push(entry.key);
            }
        }
        Ok(found)
    }

    /// Every adjudication stored under exactly `key`, oldest first.
    pub(super) fn claim_history_at(&self, key: &str) -> Result<Vec<Claim>, StoreError> {
        self.index_entries_at(key)?
            .iter()
            .map(|entry| self.indexed_claim(entry))
            .collect()
    }

    /// The most recent adjudication stored under `key`.
    pub(super) fn latest_claim(&self, key: &str) -> Result<Option<Claim>, StoreError> {
        match self.index_entries_at(key)?.last() {
            Some(entry) => self.indexed_claim(entry).map(Some),
            None => Ok(None),
        }
    }

    /// The claims known under a CLP01 (key and identity of its latest adjudication), in
    /// the claim index's runs `runs`, for a writer holding the write lock (see
    /// `index_entries_in`). On the import path, once per CLP01 a batch meets (see
    /// `load_known`). Work items opened from an adjudication are found here; a rejection
    /// no remittance has adjudicated yet is found by `rejections_without_claims`.
    pub(super) fn known_claims_in(
        &self,
        runs: &[super::claim_index::Run],
        claim_id: &str,
    ) -> Result<Vec<(String, ClaimIdentity)>, StoreError> {
        let entries = self.index_entries_in(runs, claim_id)?;
        // Entries come in key then sequence order: the last of each key is its latest.
        entries
            .iter()
            .enumerate()
            .filter(|(n, e)| entries.get(n + 1).is_none_or(|next| next.key != e.key))
            .map(|(_, e)| Ok((e.key.clone(), ClaimIdentity::of(&self.indexed_claim(e)?))))
            .collect()
    }

    /// The rejection work items under this CLP01 that no remittance has adjudicated yet
    /// (not among `with_claims`), with the identity the 277CA gave them.
    pub(super) fn rejections_without_claims(
        &self,
        claim_id: &str,
        with_claims: &[(String, ClaimIdentity)],
    ) -> Result<Vec<(String, ClaimIdentity)>, StoreError> {
        let mut out = Vec::new();
        for key in self.items_under(claim_id)? {
            if with_claims.iter().any(|(k, _)| *k == key) {
                continue;
            }
            if let Some(item) = self.item_at(&key)? {
                let identity = ClaimIdentity::named(
                    &item.claim_id,
                    &item.payer_party(),
                    "",
                    &item.patient_name,
                    &item.member_id,
                );
                out.push((key, identity));
            }
        }
        Ok(out)
    }

    /// The key a person means, or `None` when no claim matches; `Ambiguous` (listing the
    /// candidates and how to pick one) when a CLP01 names several claims.
    pub(super) fn resolve(&self, reference: &str) -> Result<Option<String>, StoreError> {
        let mut parsed = ClaimRef::parse(reference);
        if let ClaimRef::Key(key) = parsed {
            if self.item_at(key)?.is_some() || self.latest_claim(key)?.is_some() {
                return Ok(Some(key.to_string()));
            }
            // Not a key after all: a CLP01 that itself ends in "#" and eight hex digits.
            parsed = ClaimRef::ClaimId(reference);
        }
        // People name the claims of their worklist: when any claim under the CLP01 has a
        // work item, only those count (an other payer's paid claim for the same patient
        // does not make the denial ambiguous); else every claim filed under it.
        let mut candidates = self.items_under(parsed.claim_id())?;
        if candidates.is_empty() {
            candidates = self.adjudicated_under(parsed.claim_id())?;
        }
        match parsed {
            ClaimRef::Nth(_, n) => match candidates.get(n - 1) {
                Some(key) => Ok(Some(key.clone())),
                // A CLP01 that itself ends in "@digits" (INV@12) is still found as itself.
                None if candidates.is_empty() => {
                    let mut literal = self.items_under(reference)?;
                    if literal.is_empty() {
                        literal = self.adjudicated_under(reference)?;
                    }
                    Ok((literal.len() == 1).then(|| literal.remove(0)))
                }
                None => Ok(None),
            },
            _ if candidates.len() <= 1 => Ok(candidates.into_iter().next()),
            _ => Err(StoreError::Ambiguous {
                claim: reference.to_string(),
                candidates: candidates
                    .iter()
                    .enumerate()
                    .map(|(i, key)| self.describe_candidate(parsed.claim_id(), i + 1, key))
                    .collect::<Result<_, _>>()?,
            }),
        }
    }

    /// "A1@2  A1#1f2e3d4c  DOE, JANE (W123)  AETNA  denied $100.00, new".
    fn describe_candidate(
        &self,
        claim_id: &str,
        n: usize,
        key: &str,
    ) -> Result<String, StoreError> {
        let claim = self.latest_claim(key)?;
        let (patient, payer) = match &claim {
            Some(c) => (
                format!("{} ({})", c.patient.display_name(), c.patient.member_id),
                c.remit.payer.name.clone(),
            ),
            None => (String::new(), String::new()),
        };
        let work = match self.item_at(key)? {
            Some(item) => format!(
                "{} {}, {}",
                item.kind.key(),
                format_cents(item.denied_cents),
                item.status
            ),
            None => "no work item".to_string(),
        };
        Ok(format!("{claim_id}@{n}  {key}  {patient}  {payer}  {work}"))
    }
}

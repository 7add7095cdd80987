//! Importing transaction sets: claims, first-adjudication counts, reconciled work items
//! with their events and audit entries, and each set's header — one atomic, flushed batch
//! per call (a whole file when it fits in memory).

use super::audit::AuditEntry;
use super::journal::{Put, Writes};
use super::sled_store::{db_error, encode, payer_index_name, SledStore};
use super::{keys, SetOutcome, Store, StoreError};
use crate::domain::claim::{Claim, ClaimStatusCode, Party};
use crate::domain::claim_identity::{claim_id_of_key, ClaimIdentity, Relation};
use crate::domain::denial::classify_work;
use crate::domain::kpi::AdjudicationDay;
use crate::domain::other_money::{other_payer_paid, provider_adjustment};
use crate::domain::payer_rules::PayerRules;
use crate::domain::reconcile::{reconcile_found, Reconciled};
use crate::domain::remittance::{ProviderAdjustment, Remittance};
use crate::domain::work_item::{ItemKind, WorkItem};
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
struct SetBatch<'a> {
    batch: Writes,
    /// Items changed earlier in this batch (a reversal followed by its correction), by key.
    pending: HashMap<String, WorkItem>,
    /// Claims known per CLP01: stored ones, then those staged in this batch.
    known: HashMap<String, Vec<(String, ClaimIdentity)>>,
    /// Payments staged in this batch, by CLP01 (the store cannot see them yet): what an
    /// item opened later in the batch needs from the claim's other payers. Borrowed, and
    /// by CLP01 rather than key, so the common case costs no allocation per claim.
    staged_payments: HashMap<&'a str, Vec<&'a Claim>>,
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
            known: HashMap::new(),
            staged_payments: HashMap::new(),
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

    fn stage_set<'a>(
        &self,
        b: &mut SetBatch<'a>,
        remittance: &'a Remittance,
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
            let (key, same, other_payers) = self.identify(b, claim)?;
            // Classified once: for the day counts and for the worklist.
            let finding = classify_work(claim);
            // A claim's first adjudication counts once towards the initial denial rate;
            // a secondary or tertiary payer's is that claim's other coverage, not a new
            // submission, so it counts in neither part of the rate.
            let first = claim.status_code != ClaimStatusCode::Reversal
                && !same
                && !matches!(
                    claim.status_code,
                    ClaimStatusCode::ProcessedSecondary | ClaimStatusCode::ProcessedTertiary
                );
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
                if let Some(f) = finding.as_ref().filter(|f| f.kind == ItemKind::Denial) {
                    day.denied += 1;
                    day.denied_cents += f.denied_cents;
                }
            }
            b.batch
                .put(keys::claim(&key, self.next_seq()?), encode(claim));
            let existing = self.pending_item(b, &key)?;
            match reconcile_found(&key, existing.as_ref(), claim, finding, rules, now, user) {
                Reconciled::NoWork => {}
                Reconciled::Opened(mut item, mut events) => {
                    outcome.opened += 1;
                    // Other coverage already on file for this claim (imported before the
                    // denial, or earlier in this file) counts as if it came after.
                    for other_key in &other_payers {
                        for paid in self.claims_under(b, other_key)? {
                            if let Some((next, more)) = other_payer_paid(&item, &paid, now, user) {
                                item = next;
                                events.extend(more);
                            }
                        }
                    }
                    self.stage_item_change(
                        &mut b.batch,
                        None,
                        &mut item,
                        events,
                        "import",
                        format!("opened by {detail}"),
                        user,
                        now,
                    )?;
                    b.pending.insert(key.clone(), item);
                }
                Reconciled::Updated(mut item, events) => {
                    outcome.updated += 1;
                    self.stage_item_change(
                        &mut b.batch,
                        existing.as_ref(),
                        &mut item,
                        events,
                        "import",
                        format!("updated by {detail}"),
                        user,
                        now,
                    )?;
                    b.pending.insert(key.clone(), item);
                }
            }
            if claim.paid_cents != 0 {
                b.staged_payments
                    .entry(claim.patient_control_number.as_str())
                    .or_default()
                    .push(claim);
            }
            // This payer's payment is other coverage for the same patient's claim at the
            // other payers: it never resolves their denials by itself.
            for other_key in &other_payers {
                let Some(before) = self.pending_item(b, other_key)? else {
                    continue;
                };
                if let Some((mut item, events)) = other_payer_paid(&before, claim, now, user) {
                    outcome.updated += 1;
                    self.stage_item_change(
                        &mut b.batch,
                        Some(&before),
                        &mut item,
                        events,
                        "import",
                        format!(
                            "other payer {} paid on the same claim, {detail}",
                            claim.remit.payer.name
                        ),
                        user,
                        now,
                    )?;
                    b.pending.insert(other_key.clone(), item);
                }
            }
        }
        let unmatched =
            self.stage_provider_adjustments(b, remittance, user, &detail, &mut outcome)?;
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
                "{file}: transaction set {} from {}, {} claims, {} denials opened, {} updated{}",
                remittance.control_number,
                remittance.payer.name,
                outcome.claims,
                outcome.opened,
                outcome.updated,
                unmatched
            ),
        );
        b.batch.put(keys::audit(seq), encode(&entry));
        Ok(outcome)
    }

    /// The key a newly imported claim belongs to, whether that claim was known before, and
    /// the keys of the same patient's claim at other payers (see `claim_identity`).
    fn identify(
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
    fn pending_item(&self, b: &SetBatch<'_>, key: &str) -> Result<Option<WorkItem>, StoreError> {
        match b.pending.get(key) {
            Some(item) => Ok(Some(item.clone())),
            None => self.item_at(key),
        }
    }

    /// Every adjudication under `key`: stored, then staged in this batch.
    fn claims_under(&self, b: &SetBatch<'_>, key: &str) -> Result<Vec<Claim>, StoreError> {
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

    /// PLB adjustments whose reference names a claim of this payer (by CLP01) go on that
    /// claim's timeline and money. Returns a note for the audit entry about those that
    /// name no work item or several (never guessed).
    fn stage_provider_adjustments(
        &self,
        b: &mut SetBatch<'_>,
        remittance: &Remittance,
        user: &str,
        detail: &str,
        outcome: &mut SetOutcome,
    ) -> Result<String, StoreError> {
        let now = b.now;
        let mut unmatched = Vec::new();
        for adjustment in &remittance.provider_adjustments {
            let reference = adjustment.reference.trim();
            if reference.is_empty() {
                continue;
            }
            if !b.known.contains_key(reference) {
                let stored = self.known_claims(reference)?;
                b.known.insert(reference.to_string(), stored);
            }
            let payer = ClaimIdentity::named(reference, &remittance.payer, "", "", "");
            let keys: Vec<String> = b.known[reference]
                .iter()
                .filter(|(_, k)| k.same_payer(&payer))
                .map(|(key, _)| key.clone())
                .collect();
            let mut items = Vec::new();
            for key in &keys {
                if let Some(item) = self.pending_item(b, key)? {
                    items.push(item);
                }
            }
            if keys.is_empty() {
                // Not a CLP01 of this payer's: payers often name their own claim number
                // (CLP07), of an item changed in this batch or of one stored.
                let payer = payer_index_name(&remittance.payer.id, &remittance.payer.name);
                let staged = b.pending.values().find(|i| {
                    i.payer_claim_number == reference
                        && payer_index_name(&i.payer_id, &i.payer) == payer
                });
                match staged {
                    Some(item) => items.push(item.clone()),
                    None => {
                        let indexed = self
                            .db
                            .get(keys::payer_claim(payer, reference))
                            .map_err(db_error)?;
                        if let Some(key) = indexed {
                            let key = String::from_utf8_lossy(&key).into_owned();
                            if let Some(item) = self.pending_item(b, &key)? {
                                items.push(item);
                            }
                        }
                    }
                }
            }
            // A CLP01 must name one claim of this payer: a recoupment of another
            // patient's paid claim (no work item) must not land on this one's denial.
            if items.len() != 1 || keys.len() > 1 {
                let named = if keys.len() > 1 {
                    format!("{} claims", keys.len())
                } else {
                    format!("{} work items", items.len())
                };
                unmatched.push(format!(
                    "PLB {}:{} {} names {named}",
                    adjustment.reason,
                    reference,
                    crate::domain::money::format_cents(adjustment.amount_cents),
                ));
                continue;
            }
            let before = items.remove(0);
            let (mut item, events) =
                provider_adjustment(&before, adjustment, remittance.remit_date, now, user);
            outcome.updated += 1;
            self.stage_item_change(
                &mut b.batch,
                Some(&before),
                &mut item,
                events,
                "import",
                format!("provider-level adjustment by {detail}"),
                user,
                now,
            )?;
            b.pending.insert(item.key.clone(), item);
        }
        Ok(if unmatched.is_empty() {
            String::new()
        } else {
            format!("; not applied to a claim: {}", unmatched.join(", "))
        })
    }
}

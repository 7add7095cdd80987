//! Importing transaction sets: claims, first-adjudication counts, reconciled work items
//! with their events and audit entries, and each set's header — one atomic, flushed batch
//! per call (a whole file when it fits in memory).

use super::claim_index::IndexEntry;
use super::codec::Put;
use super::core::{encode, encode_audit, SledStore};
use super::journal::Writes;
use super::set_batch::{Identified, SetBatch};
use super::{keys, SetOutcome, Store, StoreError};
use crate::domain::claim::Party;
use crate::domain::denial::classify_work;
use crate::domain::kpi::{counts_as_first, AdjudicationDay};
use crate::domain::other_money::other_payer_paid;
use crate::domain::payer_rules::PayerRules;
use crate::domain::reconcile::{reconcile_found, Reconciled};
use crate::domain::rejection::adjudicated_after_rejection;
use crate::domain::remittance::{ProviderAdjustment, Remittance};
use crate::domain::underpaid_line::Underpayment;
use crate::domain::underpayment;
use crate::domain::work_item::ItemKind;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

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
    pub(super) at: DateTime<Utc>,
    user: String,
    /// "999", "997", "277CA" or "277" for an acknowledgment; empty for an 835.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(super) transaction: String,
    /// A 999's findings, kept for `denialdesk batches`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) batch: Option<Box<crate::domain::acknowledgment::BatchAck>>,
}

impl ImportedSet {
    /// The marker of an acknowledgment set (a 999, 997, 277CA or 277).
    pub(super) fn acknowledgment(
        set: &crate::domain::acknowledgment::Acknowledgment,
        claims: usize,
        at: DateTime<Utc>,
        user: &str,
    ) -> ImportedSet {
        use crate::domain::acknowledgment::Acknowledgment;
        let (file, control, date, transaction, batch) = match set {
            Acknowledgment::Batch(b) => (
                &b.source_file,
                &b.control_number,
                b.date,
                b.transaction.clone(),
                Some(Box::new(b.clone())),
            ),
            Acknowledgment::Claims(c) => (
                &c.source_file,
                &c.control_number,
                c.date,
                c.kind.name().to_string(),
                c.group_record().map(Box::new),
            ),
        };
        ImportedSet {
            file: file.clone(),
            control_number: control.clone(),
            payer: Party::default(),
            trace_number: String::new(),
            remit_date: date,
            total_paid_cents: 0,
            provider_adjustments: Vec::new(),
            claims,
            at,
            user: user.to_string(),
            transaction,
            batch,
        }
    }
}

/// A rejection that became an underpayment gets its contract comparison and its entry.
fn with_underpayment(reconciled: Reconciled, underpaid: Option<Underpayment>) -> Reconciled {
    match (reconciled, underpaid) {
        (Reconciled::Updated(mut item, mut events), Some(u))
            if item.kind == ItemKind::Underpayment =>
        {
            events.push(underpayment::found_event(&u));
            item.underpayment = Some(u);
            Reconciled::Updated(item, events)
        }
        (other, _) => other,
    }
}

/// What staging sets made: the batch (`None` when every set was imported before), each
/// set's outcome, and where its adjudications lie (for the claim index, written with the
/// batch or, in a journaled import, with its commit).
type Staged = (Option<Writes>, Vec<SetOutcome>, Vec<IndexEntry>);

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
        let _guard = self.write_lock()?;
        let (writes, outcomes, index) = self.stage_sets(sets, rules, user)?;
        if let Some(mut writes) = writes {
            self.stage_index(&mut writes.batch, index)?;
            self.apply(writes.batch)?;
            self.flush()?;
            // After the flush: the import is durable before anything derived is rebuilt.
            self.refresh_list_snapshot_or_leave_it();
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
        let (writes, mut outcomes, index) =
            self.stage_sets(std::slice::from_ref(remittance), rules, user)?;
        if let Some(mut writes) = writes {
            // The claim index is written when the import commits (see `claim_index`).
            let spilled = self.spill_pending_index(import, &mut writes, &index)?;
            self.apply_journaled(import, writes)?;
            self.keep_pending_index(import, index, spilled);
        }
        Ok(outcomes.remove(0))
    }

    /// Stages sets into one batch; `None` when every set was imported before.
    fn stage_sets(
        &self,
        sets: &[Remittance],
        rules: &PayerRules,
        user: &str,
    ) -> Result<Staged, StoreError> {
        let mut b = SetBatch::new();
        let mut outcomes = Vec::with_capacity(sets.len());
        for set in sets {
            outcomes.push(self.stage_set(&mut b, set, rules, user)?);
        }
        if outcomes.iter().all(|o| o.duplicate) {
            return Ok((None, outcomes, Vec::new()));
        }
        b.blocks.seal(&mut b.batch);
        self.stage_team_turns(&mut b);
        self.stage_days(&mut b)?;
        Ok((Some(b.batch), outcomes, b.index))
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
        // The set's audit entry is numbered before anything it stages: it opens items that
        // later claims and PLBs of the same set may change (their own entries come after).
        let set_seq = self.next_seq()?;
        let now = b.now;
        let file = &remittance.source_file;
        let detail = format!(
            "{file}: transaction set {}, remittance {}",
            remittance.control_number, remittance.remit_date
        );
        for claim in &remittance.claims {
            let Identified {
                key,
                adjudicated: same,
                new,
                others: other_payers,
            } = self.identify(b, claim)?;
            // Classified once: for the day counts and for the worklist.
            let finding = classify_work(claim);
            // A claim's first adjudication counts once towards the initial denial rate;
            // a secondary or tertiary payer's is that claim's other coverage, not a new
            // submission, so it counts in neither part of the rate.
            let first = !same && counts_as_first(claim);
            let day = b
                .days
                .entry((claim.remit.remit_date, claim.remit.payer.name.clone()))
                .or_insert_with(|| {
                    AdjudicationDay::new(claim.remit.remit_date, &claim.remit.payer.name)
                });
            day.count_payment(claim);
            if first {
                day.count_first(claim, finding.as_ref());
            }
            let seq = self.next_seq()?;
            let (block, position) = b.blocks.put(self, &mut b.batch, claim)?;
            b.index.push(IndexEntry {
                key: key.clone(),
                seq,
                block,
                position,
            });
            let existing = if new {
                None
            } else {
                self.pending_item(b, &key)?
            };
            // A paid claim no item tracks yet is compared with the contracts: lines paid
            // below them open an underpayment (never counted as a denial above).
            let underpaid = match (&finding, existing.as_ref().map(|i| i.kind)) {
                (None, None | Some(ItemKind::Rejection)) => self.underpaid(b, claim, rules)?,
                _ => None,
            };
            let reconciled = match existing.as_ref() {
                // A claim rejected before adjudication is taken in after all: the
                // rejection closes (and becomes the denial or underpayment it now is).
                Some(rejected) if rejected.kind == ItemKind::Rejection => {
                    let work = finding
                        .or_else(|| underpaid.as_ref().map(|u| underpayment::finding(claim, u)));
                    with_underpayment(
                        adjudicated_after_rejection(&key, rejected, claim, work, rules, now, user),
                        underpaid,
                    )
                }
                Some(item) if item.kind == ItemKind::Underpayment => {
                    underpayment::reconcile(&key, item, claim, finding, rules, now, user)
                }
                None if underpaid.is_some() => {
                    let u = underpaid.expect("checked");
                    underpayment::open(&key, claim, u, rules, now, user)
                }
                _ => reconcile_found(&key, existing.as_ref(), claim, finding, rules, now, user),
            };
            match reconciled {
                Reconciled::NoWork => {}
                Reconciled::Opened(mut item, mut events) => {
                    if item.kind == ItemKind::Underpayment {
                        outcome.underpaid += 1;
                    } else {
                        outcome.opened += 1;
                    }
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
                    let routed = self.route_new(b, &rules.routing, &mut item, &mut events)?;
                    self.stage_opened(b, &mut item, events, &detail, routed, user)?;
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
            transaction: String::new(),
            batch: None,
        };
        b.batch
            .put(keys::imported(remittance.fingerprint), encode(&marker));
        let entry = b.set_entry(
            set_seq,
            user,
            format!(
                "{file}: transaction set {} from {}, {} claims, {} denials opened, {} underpayments opened, {} updated{}",
                remittance.control_number,
                remittance.payer.name,
                outcome.claims,
                outcome.opened,
                outcome.underpaid,
                outcome.updated,
                unmatched
            ),
        );
        b.batch.put(keys::audit(set_seq), encode_audit(&entry));
        Ok(outcome)
    }
}

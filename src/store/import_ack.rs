//! Importing acknowledgments: a file's 999s, 277CAs and 277s in one atomic, flushed
//! batch. A 999 is kept whole for `denialdesk batches`; each 277CA or 277 claim is
//! matched to its claim (see `set_batch::identify_as`) and its status applied to the
//! worklist by the domain (`rejection::acknowledge`), audited like every import.

use super::audit::AuditEntry;
use super::codec::Put;
use super::core::{encode, encode_audit, SledStore};
use super::import_set::ImportedSet;
use super::kv::Batch;
use super::set_batch::SetBatch;
use super::{keys, SetOutcome, Store, StoreError};
use crate::domain::acknowledgment::{Acknowledgment, BatchAck, ClaimAck, ClaimAckSet};
use crate::domain::claim::Party;
use crate::domain::claim_identity::ClaimIdentity;
use crate::domain::kpi::AdjudicationDay;
use crate::domain::payer_rules::PayerRules;
use crate::domain::reconcile::Reconciled;
use crate::domain::rejection::{acknowledge, decisive};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A claim's first decisive 277CA answer: counted once for the clean-claim proxy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct AckMark {
    /// When it came.
    pub(super) date: NaiveDate,
    /// Accepted (else rejected) on that first answer.
    pub(super) accepted: bool,
}

impl SledStore {
    /// Stores a file's acknowledgments in one atomic, flushed batch.
    pub(super) fn import_acks(
        &self,
        sets: &[Acknowledgment],
        rules: &PayerRules,
        user: &str,
    ) -> Result<Vec<SetOutcome>, StoreError> {
        let _guard = self.write_lock()?;
        let (writes, outcomes) = self.stage_acks(sets, rules, user)?;
        if let Some(writes) = writes {
            self.apply(writes.batch)?;
            self.flush()?;
            // After the flush: the import is durable before anything derived is rebuilt.
            self.refresh_list_snapshot_or_leave_it();
        }
        Ok(outcomes)
    }

    /// Stores acknowledgments (or parts of a large set) within journaled file import
    /// `import`: atomic with their undo records; durable when the file is committed.
    pub(super) fn import_acks_journaled(
        &self,
        import: u64,
        sets: &[Acknowledgment],
        rules: &PayerRules,
        user: &str,
    ) -> Result<Vec<SetOutcome>, StoreError> {
        let _guard = self.import_lock(import)?;
        let (writes, outcomes) = self.stage_acks(sets, rules, user)?;
        if let Some(writes) = writes {
            self.apply_journaled(import, writes)?;
        }
        Ok(outcomes)
    }

    /// Stages acknowledgments into one batch; `None` when every set was imported before.
    fn stage_acks(
        &self,
        sets: &[Acknowledgment],
        rules: &PayerRules,
        user: &str,
    ) -> Result<(Option<super::journal::Writes>, Vec<SetOutcome>), StoreError> {
        let mut b = SetBatch::new();
        let mut outcomes = Vec::with_capacity(sets.len());
        for set in sets {
            let mut outcome = SetOutcome::default();
            // A set in parts: only its first part asks whether it was imported before,
            // only its last writes the marker that says so.
            let part = match set {
                Acknowledgment::Claims(c) => c.part,
                Acknowledgment::Batch(_) => None,
            };
            let first = part.is_none_or(|p| p.index == 0);
            let last = part.is_none_or(|p| p.index + 1 == p.of);
            if first
                && (!b.fingerprints.insert(set.fingerprint())
                    || self.is_imported(set.fingerprint())?)
            {
                outcome.duplicate = true;
                outcome.claims = match set {
                    Acknowledgment::Claims(c) => c.claims.len(),
                    Acknowledgment::Batch(_) => 0,
                };
                outcomes.push(outcome);
                continue;
            }
            // Numbered before what the set stages (see `stage_set`).
            let seq = self.next_seq()?;
            let detail = match set {
                Acknowledgment::Batch(batch) => batch_detail(batch),
                Acknowledgment::Claims(claims) => {
                    self.stage_claim_acks(&mut b, claims, rules, user, &mut outcome)?
                }
            };
            if last {
                let claims = part.map_or(outcome.claims, |p| p.set_claims);
                let marker = ImportedSet::acknowledgment(set, claims, b.now, user);
                b.batch
                    .put(keys::imported(set.fingerprint()), encode(&marker));
            }
            let detail = match part {
                Some(p) => format!("{detail} (part {} of {})", p.index + 1, p.of),
                None => detail,
            };
            let entry = b.set_entry(seq, user, detail);
            b.batch.put(keys::audit(seq), encode_audit(&entry));
            outcomes.push(outcome);
        }
        if outcomes.iter().all(|o| o.duplicate) {
            return Ok((None, outcomes));
        }
        self.stage_team_turns(&mut b);
        self.stage_days(&mut b)?;
        Ok((Some(b.batch), outcomes))
    }

    /// The 999s and 997s kept, in import order.
    pub(super) fn stored_batch_acks(&self) -> Result<Vec<BatchAck>, StoreError> {
        let mut sets: Vec<ImportedSet> = self.scan(keys::IMPORTED)?;
        sets.sort_by_key(|s| s.at);
        Ok(sets
            .into_iter()
            .filter_map(|s| s.batch.map(|b| *b))
            .collect())
    }

    /// Marks the rejected batch `batch` (its control number, or a 277CA group's trace)
    /// fixed and sent again, audited with `reason`: no longer flagged.
    pub(super) fn resolve_batch_ack(
        &self,
        batch: &str,
        reason: &str,
        user: &str,
    ) -> Result<Vec<BatchAck>, StoreError> {
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().any(char::is_control) {
            return Err(StoreError::Refused(
                "say what was done about the batch (--reason \"fixed the NPI, sent as batch 4103\"), on one line".into(),
            ));
        }
        let _guard = self.write_lock()?;
        let now = chrono::Utc::now();
        let mut writes = Batch::default();
        let mut resolved = Vec::new();
        for entry in self.db.scan_prefix(keys::IMPORTED) {
            let (key, value) = entry.map_err(super::core::db_error)?;
            let mut set: ImportedSet = super::core::decode(&key, &value)?;
            let Some(ack) = set.batch.as_mut() else {
                continue;
            };
            if ack.group_control != batch || !ack.rejected() || ack.resolved.is_some() {
                continue;
            }
            ack.resolved = Some(format!(
                "resolved by {user} on {}: {reason}",
                now.format("%Y-%m-%d")
            ));
            resolved.push((**ack).clone());
            writes.insert(key, encode(&set));
        }
        if resolved.is_empty() {
            return Err(StoreError::Refused(format!(
                "no rejected claim batch {batch:?} is open (denialdesk batches lists them)"
            )));
        }
        let seq = self.next_seq()?;
        let entry = AuditEntry::about_database(
            seq,
            now,
            user,
            "batch-resolved",
            format!("claim batch {batch}: {reason}"),
        );
        writes.insert(keys::audit(seq), encode(&entry));
        self.apply(writes)?;
        self.flush()?;
        Ok(resolved)
    }

    /// A 277CA or 277: each claim's status on its work item.
    fn stage_claim_acks(
        &self,
        b: &mut SetBatch<'_>,
        set: &ClaimAckSet,
        rules: &PayerRules,
        user: &str,
        outcome: &mut SetOutcome,
    ) -> Result<String, StoreError> {
        let now = b.now;
        let detail = format!(
            "{}: {} transaction set {} of {}",
            set.source_file,
            set.kind.name(),
            set.control_number,
            set.date
        );
        let (mut accepted_count, mut rejected) = (0, 0);
        outcome.claims = set.claims.len();
        for ack in &set.claims {
            let identity = ClaimIdentity::named(
                &ack.claim_id,
                &ack.payer,
                "",
                &ack.patient_name,
                &ack.member_id,
            );
            let (key, _, _) = self.identify_as(b, identity, true)?;
            if let Some(accepted) = decisive(set, ack) {
                if accepted {
                    accepted_count += 1;
                } else {
                    rejected += 1;
                }
                self.count_acknowledgment(b, ack, accepted)?;
            }
            let existing = self.pending_item(b, &key)?;
            let why = match acknowledge(&key, existing.as_ref(), set, ack, rules, now, user) {
                Reconciled::NoWork => continue,
                Reconciled::Opened(mut item, mut events) => {
                    outcome.opened += 1;
                    let routed = self.route_new(b, &rules.routing, &mut item, &mut events)?;
                    self.stage_opened(b, &mut item, events, &detail, routed, user)?;
                    item
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
                    item
                }
            };
            b.pending.insert(key, why);
        }
        Ok(format!(
            "{detail}: {} claims, {accepted_count} accepted, {rejected} rejected, {} work items opened, {} updated{}",
            outcome.claims,
            outcome.opened,
            outcome.updated,
            set.group_record()
                .map(|r| format!(": REJECTED — {}", r.findings().join("; ")))
                .unwrap_or_default()
        ))
    }

    /// Counts a claim's first decisive 277CA answer (and every rejection) for the KPIs,
    /// once per claim whoever answers for it: the mark is keyed by the claim id and the
    /// patient, not the payer (a clearinghouse answers first, the payer after).
    fn count_acknowledgment(
        &self,
        b: &mut SetBatch<'_>,
        ack: &ClaimAck,
        accepted: bool,
    ) -> Result<(), StoreError> {
        let date = ack.status_date;
        let payer = ack.payer.name.as_str();
        let day = b
            .days
            .entry((date, payer.to_string()))
            .or_insert_with(|| AdjudicationDay::new(date, payer));
        if !accepted {
            day.rejections += 1;
        }
        let claim = ClaimIdentity::named(
            &ack.claim_id,
            &Party::default(),
            "",
            &ack.patient_name,
            &ack.member_id,
        )
        .key(0);
        let mark_key = keys::acknowledged(&claim);
        if b.ack_marks.contains(&claim)
            || self
                .db
                .contains_key(&mark_key)
                .map_err(super::core::db_error)?
        {
            return Ok(());
        }
        day.acknowledged += 1;
        if !accepted {
            day.rejected_first += 1;
        }
        b.ack_marks.insert(claim);
        b.batch.put(mark_key, encode(&AckMark { date, accepted }));
        Ok(())
    }
}

/// A 999's audit words: it changes nothing in the worklist (it names no claim), and is
/// kept whole, with its findings, in its import marker.
fn batch_detail(batch: &BatchAck) -> String {
    let mut detail = format!("{}: {}", batch.source_file, batch.summary());
    if batch.rejected() {
        detail.push_str(": REJECTED — ");
        detail.push_str(&batch.findings().join("; "));
    }
    detail
}

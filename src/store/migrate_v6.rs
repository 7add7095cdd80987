//! Schema 5 → 6 → 7 → 8: every work item gains the no-response clock
//! (`awaiting_payer_since`, schema 6), then the underpayment record and routing boost
//! (schema 7), then the appeal packets (schema 8).
//!
//! Work items are stored compactly by position, so older items (and their list rows) are
//! read in their old layout and written in the new one, 10,000 per batch. The clock of a
//! schema 5 claim with the payer is estimated from its own record: the latest of its
//! appeals' dates, its payments and its last save; the next payer answer or contact
//! resets it. Crash-safe: each batch rewrites whole items, a rewritten item no longer
//! decodes in an old layout (it is skipped), and the schema version is bumped last.

use super::core::{db_error, put_item, SledStore};
use super::kv::Batch;
use super::{keys, StoreError};
use crate::domain::appeal::Appeal;
use crate::domain::payer_rules::AppealDeadline;
use crate::domain::rarc::AppealRights;
use crate::domain::status::Status;
use crate::domain::taxonomy::{Category, Hardness, Stage};
use crate::domain::underpaid_line::Underpayment;
use crate::domain::work_item::{DeniedLine, ItemKind, Payment, WorkItem};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

/// A work item as schemas 4 and 5 stored it (bincode, by position).
#[derive(Debug, Clone, Deserialize)]
struct WorkItemV5 {
    pub key: String,
    pub claim_id: String,
    pub kind: ItemKind,
    pub appeal_rights: AppealRights,
    pub denied_lines: Vec<DeniedLine>,
    pub other_payer_cents: i64,
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
    pub write_off_reason: Option<String>,
    pub appeals: Vec<Appeal>,
    pub payments: Vec<Payment>,
    pub resolved_on: Option<NaiveDate>,
    pub procedures: Vec<String>,
    pub times_denied: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    pub second_deadline: Option<AppealDeadline>,
}

impl WorkItemV5 {
    fn upgrade(self) -> WorkItem {
        let mut item = WorkItem {
            key: self.key.into(),
            claim_id: self.claim_id.into(),
            kind: self.kind,
            appeal_rights: self.appeal_rights,
            denied_lines: self.denied_lines,
            other_payer_cents: self.other_payer_cents,
            version: self.version,
            status: self.status,
            owner: self.owner.map(Into::into),
            follow_up: self.follow_up,
            appeal_deadline: self.appeal_deadline,
            denied_cents: self.denied_cents,
            recovered_cents: self.recovered_cents,
            carcs: self.carcs.into_iter().map(Into::into).collect(),
            remarks: self.remarks,
            category: self.category,
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
            created_at: self.created_at,
            updated_at: self.updated_at,
            updated_by: self.updated_by,
            second_deadline: self.second_deadline,
            awaiting_payer_since: None,
            underpayment: None,
            priority_boost: 0,
            packets: Vec::new(),
        };
        item.awaiting_payer_since = estimated_payer_clock(&item);
        item
    }
}

/// The no-response clock of an item stored before schema 6: for a claim with the payer,
/// the latest day anything about it happened (appeal sent or decided, money received,
/// the last save); none otherwise.
pub(super) fn estimated_payer_clock(item: &WorkItem) -> Option<NaiveDate> {
    if !matches!(
        item.status,
        Status::Resubmitted | Status::Appealed | Status::AwaitingPayer
    ) {
        return None;
    }
    let appeals = item
        .appeals
        .iter()
        .flat_map(|a| std::iter::once(a.submitted).chain(a.decision.as_ref().map(|d| d.decided)));
    let payments = item.payments.iter().map(|p| p.date);
    appeals
        .chain(payments)
        .chain([item.denied_on, item.updated_at.date_naive()])
        .max()
}

/// A work item as schema 6 stored it: schema 5's fields, then the no-response clock
/// (bincode writes a struct's fields one after another, so the two decode in sequence).
#[derive(Debug, Clone, Deserialize)]
struct WorkItemV6(WorkItemV5, Option<NaiveDate>);

impl WorkItemV6 {
    fn upgrade(self) -> WorkItem {
        let WorkItemV6(v5, since) = self;
        let mut item = v5.upgrade();
        item.awaiting_payer_since = since;
        item
    }
}

/// A work item as schema 7 stored it: schema 6's fields, then the underpayment record and
/// the routing boost (schema 8 adds the appeal packets after them).
#[derive(Debug, Clone, Deserialize)]
struct WorkItemV7(WorkItemV6, Option<Underpayment>, u8);

impl WorkItemV7 {
    fn upgrade(self) -> WorkItem {
        let WorkItemV7(v6, underpayment, boost) = self;
        let mut item = v6.upgrade();
        item.underpayment = underpayment;
        item.priority_boost = boost;
        item
    }
}

impl SledStore {
    /// Rewrites every schema 5, 6 or 7 work item (and its list row) in today's layout.
    pub(super) fn migrate_items_to_v8(&self) -> Result<(), StoreError> {
        let mut batch = Batch::default();
        let mut in_batch = 0;
        for entry in self.db.scan_prefix(keys::WORK_ITEMS) {
            let (key, value) = entry.map_err(db_error)?;
            // Already rewritten (an interrupted migration resumed): the new layout is
            // longer and does not decode as the old one exactly.
            if super::codec::decode_item(&key, &value).is_ok() {
                continue;
            }
            // Newest first: each layout is the one before with more after it, and an
            // older item is too short to decode as a newer one.
            let item = match bincode::deserialize::<WorkItemV7>(&value) {
                Ok(v7) => v7.upgrade(),
                Err(_) => match bincode::deserialize::<WorkItemV6>(&value) {
                    Ok(v6) => v6.upgrade(),
                    Err(_) => bincode::deserialize::<WorkItemV5>(&value)
                        .map_err(|e| StoreError::Corrupt {
                            key: String::from_utf8_lossy(&key).into_owned(),
                            message: e.to_string(),
                        })?
                        .upgrade(),
                },
            };
            put_item(&mut batch, &item);
            in_batch += 1;
            if in_batch == 10_000 {
                self.apply(std::mem::take(&mut batch))?;
                in_batch = 0;
            }
        }
        self.apply(batch)
    }
}

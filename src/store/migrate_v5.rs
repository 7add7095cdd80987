//! Schema 4 → 5: the adjudication-day counts gain what HFMA's and MAP's definitions need
//! (gross charges of denied claims, full and partial denials, primary remits and
//! duplicates, payments posted, and the denominators by provider, facility and procedure).
//! They are rebuilt from the adjudications themselves, which the store keeps whole: a
//! claim's first adjudication is the first one filed under its key (keys sort by arrival
//! within a claim), counted unless it is a reversal or another payer's coverage, exactly
//! as the importer counts it.
//!
//! Schema 4 also counted an upheld claim as resolved; schema 5 keeps it open while a
//! higher appeal level remains (`upheld-l1`), which needs the payer rules the store does
//! not have. So a claim upheld under schema 4 keeps its meaning: it becomes
//! `final-upheld` (closed, resolved on the same day), audited; reopening it (status
//! in-progress) is how a specialist takes it to the next level.
//!
//! One batch replaces every day record and those items; the schema version is bumped
//! after it, so an interrupted rebuild is simply done again at the next open.

use super::audit::{diff, AuditEntry};
use super::codec::{decode_item, put_item};
use super::core::{db_error, encode, SledStore};
use super::kv::Batch;
use super::{keys, StoreError};
use crate::domain::claim::Claim;
use crate::domain::denial::classify_work;
use crate::domain::kpi::{counts_as_first, AdjudicationDay};
use crate::domain::status::Status;
use chrono::NaiveDate;
use std::collections::BTreeMap;

impl SledStore {
    pub(super) fn rebuild_adjudication_days(&self) -> Result<(), StoreError> {
        let mut days: BTreeMap<(NaiveDate, String), AdjudicationDay> = BTreeMap::new();
        let mut last_key: Option<String> = None;
        // Each key's adjudications oldest first, wherever they are: in their `c:` keys (a
        // store from before schema 5 holds them there), and in the claim index (a store
        // this build wrote; a key is only ever in one of the two, as the move to the index
        // runs after this rebuild and a move cut short resumes after it).
        let mut count = |key: &str, claim: Claim| {
            let first = last_key.as_deref() != Some(key);
            if first {
                last_key = Some(key.to_string());
            }
            let day = days
                .entry((claim.remit.remit_date, claim.remit.payer.name.clone()))
                .or_insert_with(|| {
                    AdjudicationDay::new(claim.remit.remit_date, &claim.remit.payer.name)
                });
            day.count_payment(&claim);
            if first && counts_as_first(&claim) {
                day.count_first(&claim, classify_work(&claim).as_ref());
            }
        };
        for entry in self.db.scan_prefix(b"c:") {
            let (k, v) = entry.map_err(db_error)?;
            let Some(keys::Key::Claim(key, _)) = keys::parse(&k) else {
                continue;
            };
            count(&key, self.claim_value(&k, &v)?);
        }
        self.for_each_index_entry(|e| {
            count(&e.key, self.indexed_claim(e)?);
            Ok(())
        })?;
        let mut batch = Batch::default();
        for entry in self.db.scan_prefix(keys::ADJUDICATION_DAYS) {
            let (k, _) = entry.map_err(db_error)?;
            batch.remove(k);
        }
        for ((date, payer), day) in days {
            batch.insert(keys::adjudication_day(date, &payer), encode(&day));
        }
        self.close_schema_4_upheld(&mut batch)?;
        self.apply(batch)?;
        self.flush()
    }

    /// Schema 4's upheld claims, closed as final-upheld with an audit entry each.
    fn close_schema_4_upheld(&self, batch: &mut Batch) -> Result<(), StoreError> {
        let user = crate::identity::os_user();
        let now = chrono::Utc::now();
        for entry in self.db.scan_prefix(keys::WORK_ITEMS) {
            let (k, v) = entry.map_err(db_error)?;
            let before = decode_item(&k, &v)?;
            if before.status != Status::Upheld {
                continue;
            }
            let mut item = before.clone();
            item.status = Status::FinalUpheld;
            item.resolved_on = before.resolved_on.or(Some(now.date_naive()));
            item.version += 1;
            put_item(batch, &item);
            let audit = AuditEntry {
                seq: self.next_seq()?,
                at: now,
                user: user.clone(),
                action: "migrate".into(),
                claim_id: Some(item.key.to_string()),
                detail: "schema 5: upheld under the previous release was counted resolved; \
                         it stays closed as final-upheld (reopen it to appeal a higher level)"
                    .into(),
                changes: diff(Some(&before), &item),
                opened: Vec::new(),
            };
            batch.insert(keys::audit(audit.seq), encode(&audit));
        }
        Ok(())
    }
}

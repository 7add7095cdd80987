//! Schema 4 → 5: the adjudication-day counts gain what HFMA's and MAP's definitions need
//! (gross charges of denied claims, full and partial denials, primary remits and
//! duplicates, payments posted, and the denominators by provider, facility and procedure).
//! They are rebuilt from the adjudications themselves, which the store keeps whole: a
//! claim's first adjudication is the first one filed under its key (keys sort by arrival
//! within a claim), counted unless it is a reversal or another payer's coverage, exactly
//! as the importer counts it.
//!
//! One batch replaces every day record; the schema version is bumped after it, so an
//! interrupted rebuild is simply done again at the next open.

use super::core::{db_error, decode, encode, SledStore};
use super::{keys, StoreError};
use crate::domain::claim::{Claim, ClaimStatusCode};
use crate::domain::denial::classify_work;
use crate::domain::kpi::AdjudicationDay;
use chrono::NaiveDate;
use std::collections::BTreeMap;

impl SledStore {
    pub(super) fn rebuild_adjudication_days(&self) -> Result<(), StoreError> {
        let mut days: BTreeMap<(NaiveDate, String), AdjudicationDay> = BTreeMap::new();
        let mut last_key: Option<String> = None;
        for entry in self.db.scan_prefix(b"c:") {
            let (k, v) = entry.map_err(db_error)?;
            let Some(keys::Key::Claim(key, _)) = keys::parse(&k) else {
                continue;
            };
            let claim: Claim = decode(&k, &v)?;
            let first = last_key.as_deref() != Some(key.as_str());
            last_key = Some(key);
            let day = days
                .entry((claim.remit.remit_date, claim.remit.payer.name.clone()))
                .or_insert_with(|| {
                    AdjudicationDay::new(claim.remit.remit_date, &claim.remit.payer.name)
                });
            day.count_payment(&claim);
            let counts = first
                && !matches!(
                    claim.status_code,
                    ClaimStatusCode::Reversal
                        | ClaimStatusCode::ProcessedSecondary
                        | ClaimStatusCode::ProcessedTertiary
                );
            if counts {
                day.count_first(&claim, classify_work(&claim).as_ref());
            }
        }
        let mut batch = sled::Batch::default();
        for entry in self.db.scan_prefix(keys::ADJUDICATION_DAYS) {
            let (k, _) = entry.map_err(db_error)?;
            batch.remove(k);
        }
        for ((date, payer), day) in days {
            batch.insert(keys::adjudication_day(date, &payer), encode(&day));
        }
        self.apply(batch)?;
        self.flush()
    }
}

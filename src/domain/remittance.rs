//! A remittance: one payer payment (an 835 transaction set) and the claims it adjudicated.

use super::claim::{Claim, Party};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A provider-level adjustment (PLB): kept for the record, not tied to one claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderAdjustment {
    pub provider_id: String,
    pub reason: String,
    pub reference: String,
    pub amount_cents: i64,
}

/// One 835 transaction set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Remittance {
    /// The file it came from, as named on the command line.
    pub source_file: String,
    /// ST02.
    pub control_number: String,
    /// GS08, e.g. 005010X221A1 or 004010X091A1.
    pub version: String,
    /// BPR02.
    pub total_paid_cents: i64,
    pub remit_date: NaiveDate,
    pub trace_number: String,
    pub payer: Party,
    pub payee: Party,
    pub claims: Vec<Claim>,
    pub provider_adjustments: Vec<ProviderAdjustment>,
    /// File position of the ST segment.
    pub first_segment: usize,
    /// Hash of the set's segments: the same set imported twice has the same value.
    pub fingerprint: u64,
}

impl Remittance {
    /// Moves every date by `days` (keeps the demo queue current).
    pub fn shift_dates(&mut self, days: i64) {
        if days == 0 {
            return;
        }
        self.remit_date += chrono::Duration::days(days);
        for c in &mut self.claims {
            c.shift_dates(days);
        }
    }
}

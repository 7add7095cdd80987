//! A remittance: one payer payment (an 835 transaction set) and the claims it adjudicated.

use super::claim::{Claim, Party};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A provider-level adjustment (PLB): kept for the record, not tied to one claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderAdjustment {
    /// PLB01: the provider the adjustment is for.
    pub provider_id: String,
    /// PLB03-1: WO recoupment, L6 interest, FB forwarding balance …
    pub reason: String,
    /// PLB03-2: what it refers to (often a claim).
    pub reference: String,
    /// PLB04: withheld from the provider when positive, paid when negative.
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
    /// BPR16: the payment's date.
    pub remit_date: NaiveDate,
    /// TRN02: check or EFT trace number.
    pub trace_number: String,
    /// N1*PR: the payer.
    pub payer: Party,
    /// N1*PE: the payee.
    pub payee: Party,
    /// Its claims (CLP loops), in file order.
    pub claims: Vec<Claim>,
    /// Its PLB adjustments.
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

//! What clearinghouses and payers send back before (and besides) a remittance: the 999
//! implementation acknowledgment of a claim batch (was the 837 file well formed?), the
//! 277CA claim acknowledgment (did each claim get into adjudication, or was it rejected?)
//! and the 277 claim status response (where does a claim stand?). Parsed by `ingest`,
//! stored by the store, turned into work by `rejection`.

pub use super::batch_ack::{BatchAck, ElementError, SegmentError, SetAck};
use super::claim::Party;
use super::claim_status::{ClaimStatus, Disposition};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One transaction set other than a remittance, as a file holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Acknowledgment {
    /// A 999 (or 997): the syntax check of a claim batch.
    Batch(BatchAck),
    /// A 277CA or a 277: one status per claim.
    Claims(ClaimAckSet),
}

impl Acknowledgment {
    /// Hash of the set's segments: the same set imported twice has the same value.
    pub fn fingerprint(&self) -> u64 {
        match self {
            Acknowledgment::Batch(b) => b.fingerprint,
            Acknowledgment::Claims(c) => c.fingerprint,
        }
    }

    /// Moves every date by `days` (keeps the demo current).
    pub fn shift_dates(&mut self, days: i64) {
        let shift = |d: &mut NaiveDate| *d += chrono::Duration::days(days);
        match self {
            Acknowledgment::Batch(b) => shift(&mut b.date),
            Acknowledgment::Claims(set) => {
                shift(&mut set.date);
                for c in &mut set.claims {
                    shift(&mut c.status_date);
                    if let Some(d) = c.date_of_service.as_mut() {
                        shift(d);
                    }
                }
            }
        }
    }
}

/// Which claim status transaction a set is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClaimAckKind {
    /// 277CA (005010X214): accepted into adjudication, or rejected before it.
    Acknowledgment,
    /// 277 (005010X212): the answer to a claim status request (276).
    StatusResponse,
}

impl ClaimAckKind {
    /// "277CA" or "277".
    pub fn name(self) -> &'static str {
        match self {
            ClaimAckKind::Acknowledgment => "277CA",
            ClaimAckKind::StatusResponse => "277",
        }
    }
}

/// A 277CA or 277 transaction set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimAckSet {
    /// 277CA or 277.
    pub kind: ClaimAckKind,
    /// The file it came from.
    pub source_file: String,
    /// ST02.
    pub control_number: String,
    /// BHT04: when the payer or clearinghouse made it.
    pub date: NaiveDate,
    /// File position of the ST segment.
    pub first_segment: usize,
    /// Hash of the set's segments.
    pub fingerprint: u64,
    /// Its claims, in file order.
    pub claims: Vec<ClaimAck>,
    /// Rejections of a whole claim batch (2200B) or of one billing provider's claims
    /// (2200C), which list no claim of their own.
    #[serde(default)]
    pub group_rejections: Vec<GroupRejection>,
    /// A large set stored in parts: (this part, of how many), counting from 0. The set's
    /// import marker is written with its last part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<SetPart>,
}

/// Which part of a large set this is (see `ClaimAckSet::into_parts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetPart {
    /// This part, counting from 0.
    pub index: u32,
    /// How many parts the set has.
    pub of: u32,
    /// Claims in the whole set (what its import marker records).
    pub set_claims: usize,
}

/// A 277CA status rejecting a whole batch or a billing provider's claims at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupRejection {
    /// "claim batch" (the receiver level) or "billing provider".
    pub level: String,
    /// Who: the submitter's or the billing provider's name (NM103).
    pub name: String,
    /// TRN02 of the level: the batch's or the provider's trace number.
    pub trace: String,
    /// The rejecting statuses.
    pub statuses: Vec<ClaimStatus>,
    /// STC04: the charges rejected.
    pub billed_cents: i64,
}

impl ClaimAckSet {
    /// The set cut into parts of at most `size` claims (itself when it fits): each part
    /// is stored as its own batch of a journaled file import, so memory stays bounded.
    pub fn into_parts(self, size: usize) -> Vec<ClaimAckSet> {
        if self.claims.len() <= size {
            return vec![self];
        }
        let count = self.claims.len().div_ceil(size) as u32;
        let set_claims = self.claims.len();
        let mut claims = self.claims.into_iter();
        let template = ClaimAckSet {
            claims: Vec::new(),
            ..self
        };
        (0..count)
            .map(|n| ClaimAckSet {
                claims: claims.by_ref().take(size).collect(),
                group_rejections: if n == 0 {
                    template.group_rejections.clone()
                } else {
                    Vec::new()
                },
                part: Some(SetPart {
                    index: n,
                    of: count,
                    set_claims,
                }),
                ..template.clone()
            })
            .collect()
    }

    /// The set's whole-group rejections as a batch record (for `denialdesk batches`),
    /// `None` when it has none.
    pub fn group_record(&self) -> Option<BatchAck> {
        if self.group_rejections.is_empty() {
            return None;
        }
        Some(BatchAck {
            source_file: self.source_file.clone(),
            control_number: self.control_number.clone(),
            transaction: self.kind.name().to_string(),
            date: self.date,
            group_kind: String::new(),
            group_control: self.group_rejections[0].trace.clone(),
            group_version: String::new(),
            sets: Vec::new(),
            result: "R".into(),
            counts: (0, 0, 0),
            group_errors: Vec::new(),
            first_segment: self.first_segment,
            fingerprint: self.fingerprint,
            group_rejections: self
                .group_rejections
                .iter()
                .map(GroupRejection::summary)
                .collect(),
            resolved: None,
        })
    }
}

impl GroupRejection {
    /// One line: "277CA rejected billing provider NORTH CLINIC (trace P1) as a whole,
    /// $2,400.00: A3 returned as unprocessable: 24 entity not approved …".
    pub fn summary(&self) -> String {
        let said: Vec<String> = self.statuses.iter().map(ClaimStatus::describe).collect();
        format!(
            "277CA rejected {} {} (trace {}) as a whole, {}: {}",
            self.level,
            self.name,
            self.trace,
            super::money::format_cents(self.billed_cents),
            said.join("; ")
        )
    }
}

/// One claim's status in a 277CA or 277 (loop 2200D or 2200E).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimAck {
    /// The patient control number (CLM01 of the 837, CLP01 of its 835): TRN02 in a
    /// 277CA, REF*EJ (else TRN02) in a 277.
    pub claim_id: String,
    /// The payer (or clearinghouse) answering: NM1*PR (or the first information source).
    pub payer: Party,
    /// The billing provider (NM1*85 or NM1*1P).
    pub provider: String,
    /// Answered by a clearinghouse (NM1*AY), not the payer: its acceptance only means
    /// the claim passed the clearinghouse's edits.
    #[serde(default)]
    pub from_clearinghouse: bool,
    /// "LAST, FIRST".
    pub patient_name: String,
    /// The patient's member id (NM1*QC09, or NM1*IL09 when the subscriber is the patient).
    pub member_id: String,
    /// REF*1K: the payer's claim number, when it gave one.
    pub payer_claim_number: String,
    /// STC04: the claim's total charge.
    pub billed_cents: i64,
    /// STC05 of a 277: what the payer paid, when finalized.
    pub paid_cents: Option<i64>,
    /// DTP*472: the first day of service.
    pub date_of_service: Option<NaiveDate>,
    /// STC02: the status's effective date (else the set's date).
    pub status_date: NaiveDate,
    /// The claim-level statuses (STC01, STC10, STC11 of every claim STC).
    pub statuses: Vec<ClaimStatus>,
    /// Service-line statuses: the line's procedure ("HC:99214") and its status.
    pub line_statuses: Vec<(String, ClaimStatus)>,
    /// STC12: the payer's free-form message, when any.
    pub message: String,
    /// File position of the claim's TRN segment (for messages).
    pub segment: usize,
}

impl ClaimAck {
    /// What the claim's statuses decide, the strongest first: a rejection anywhere (a
    /// rejected service line rejects the claim: it must be corrected), then acceptance,
    /// then the rest in the payer's order. `None` without a known status.
    pub fn disposition(&self) -> Option<Disposition> {
        let all: Vec<Disposition> = self
            .statuses
            .iter()
            .chain(self.line_statuses.iter().map(|(_, s)| s))
            .filter_map(|s| s.disposition())
            .collect();
        [Disposition::Rejected, Disposition::Accepted]
            .into_iter()
            .find(|d| all.contains(d))
            .or_else(|| all.first().copied())
    }

    /// The statuses as work items keep them ("A7:21:85").
    /// A rejected service line's status follows the claim's own.
    pub fn status_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.statuses.iter().map(ClaimStatus::key).collect();
        for (_, s) in &self.line_statuses {
            if s.disposition() == Some(Disposition::Rejected) && !keys.contains(&s.key()) {
                keys.push(s.key());
            }
        }
        keys
    }
}

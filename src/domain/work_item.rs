//! The denial work item: one per denied claim, carrying everything the worklist ranks,
//! filters and shows without reopening the claim. Which clock runs for it (deadline or
//! the payer's answer) is `RowFields::clock` (`row_fields`), shared with the list rows;
//! its deadlines and the payer clock's moves are in `clock`.

use super::appeal::Appeal;
use super::claim::Claim;
use super::denial::DenialFinding;
pub use super::denied_line::{DeniedLine, ItemKind};
use super::packet::AppealPacket;
use super::payer_rules::AppealDeadline;
use super::rarc::AppealRights;
use super::status::Status;
use super::taxonomy::{Category, Hardness, Stage};
use super::underpaid_line::Underpayment;
use chrono::{DateTime, NaiveDate, Utc};
use compact_str::CompactString;
pub(crate) use row_fields::same_named_fields;
pub use row_fields::{Clock, RowFields};
use serde::{Deserialize, Serialize};

/// Its deadlines (`appeal_by`, `resubmit_by`) and the moves of the payer's no-response
/// clock (`restart_payer_clock`, `await_remittance`).
mod clock;
/// The fields the worklist ranks, queues, filters and shows, of a work item or a list row.
mod row_fields;

/// Money received on the claim after its denial (negative: a reversal took it back).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    /// When.
    pub date: NaiveDate,
    /// How much, in cents.
    pub cents: i64,
}

/// One denied claim being worked. Stored in a compact binary form (no skipped fields, no
/// internally tagged enums anywhere inside it), shown as JSON.
///
/// The strings its list row carries (key, CLP01, owner, CARCs, payer, payer claim number,
/// patient, member id) are `CompactString`s: up to 24 bytes are kept inline, so decoding
/// the 117,554 rows of a 1M-claim worklist for the first frame allocates nothing for the
/// short ones (about a million small allocations before, where every string of the
/// synthetic rows fits; a longer key or payer name still takes one, and each row's CARC and
/// denied-line lists one each: BENCHMARKS.md, "Compact strings on the first frame's
/// path"). They are stored and shown exactly as `String`s were.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkItem {
    /// Names this work item uniquely and for good: CLP01, `#`, and a hash of payer and
    /// patient (see `claim_identity`). The store, the team protocol and the app address
    /// items by it; people may also use the CLP01 when only one claim has it.
    pub key: CompactString,
    /// The patient control number (CLP01): the claim id specialists know.
    pub claim_id: CompactString,
    /// A payer denial, or non-covered care the patient owes.
    pub kind: ItemKind,
    /// Whether the payer allows an appeal (else: correct and resubmit).
    pub appeal_rights: AppealRights,
    /// The denied money line by line; the item is paid when none is still denied.
    pub denied_lines: Vec<DeniedLine>,
    /// Paid by other payers (secondary, tertiary, crossover) on the denied lines.
    pub other_payer_cents: i64,
    /// Bumped by every saved change; lets a later team mode refuse stale writes.
    pub version: u64,
    /// Where the work stands.
    pub status: Status,
    /// Who works it (`None`: nobody yet).
    pub owner: Option<CompactString>,
    /// When to look at it again; a future date parks it out of the working queues.
    pub follow_up: Option<NaiveDate>,
    /// The clock that runs out first: appeal deadline, or resubmission by the filing limit.
    pub appeal_deadline: AppealDeadline,
    /// Money denied by the first denial that opened this item.
    pub denied_cents: i64,
    /// Net payments received after the denial (reversals subtract).
    pub recovered_cents: i64,
    /// The denial codes ("CO-197").
    pub carcs: Vec<CompactString>,
    /// The remark codes (RARC) that came with them.
    pub remarks: Vec<String>,
    /// What kind of denial (eligibility, authorization, coding …).
    pub category: Category,
    /// Soft (fixable and worth working) or hard.
    pub hardness: Hardness,
    /// The workflow stage that caused it, for prevention.
    pub stage: Stage,
    /// Remittance date of the denial.
    pub denied_on: NaiveDate,
    /// The payer's name (N1*PR).
    pub payer: CompactString,
    /// The payer's id (N1*PR04, else TRN03).
    pub payer_id: String,
    /// CLP06: Medicare, Medicaid, commercial …
    pub filing_indicator: String,
    /// CLP07 of the newest remittance: what to quote on a call.
    pub payer_claim_number: CompactString,
    /// "LAST, FIRST".
    pub patient_name: CompactString,
    /// The payer's member id for the patient.
    pub member_id: CompactString,
    /// The first day of service.
    pub date_of_service: Option<NaiveDate>,
    /// CLP03: the claim's total charge.
    pub billed_cents: i64,
    /// The rendering provider's name (NPI).
    pub rendering_provider: Option<String>,
    /// CLP08: facility type / place of service.
    pub facility: String,
    #[serde(default)]
    /// Why it was written off, once it is.
    pub write_off_reason: Option<String>,
    /// Appeals filed, oldest first.
    #[serde(default)]
    pub appeals: Vec<Appeal>,
    /// Payments after the denial, in remittance order (they sum to `recovered_cents`).
    #[serde(default)]
    pub payments: Vec<Payment>,
    /// When it reached a final disposition: paid, final-upheld or written off (cleared if
    /// reopened).
    #[serde(default)]
    pub resolved_on: Option<NaiveDate>,
    /// Procedure codes (CPT/HCPCS) of the denied lines; every line for a claim-level denial.
    #[serde(default)]
    pub procedures: Vec<String>,
    /// How many remittances denied it (a claim denied again after appeal counts twice).
    #[serde(default = "one")]
    pub times_denied: u32,
    /// When the work item was opened.
    pub created_at: DateTime<Utc>,
    /// When it was last saved.
    pub updated_at: DateTime<Utc>,
    /// Who last saved it.
    pub updated_by: String,
    /// The other clock when some denied lines can be appealed and some only corrected:
    /// `appeal_deadline` holds whichever runs out first, this one the other.
    pub second_deadline: Option<AppealDeadline>,
    /// While the claim is with the payer (resubmitted, appealed, awaiting the payer, or a
    /// rejection the payer accepted and has not yet remitted), the day it last went to
    /// the payer or the payer last answered (an 835, a 277): the no-response clock.
    /// `None` when the claim is not with the payer. (Schema 6.)
    #[serde(default)]
    pub awaiting_payer_since: Option<NaiveDate>,
    /// For an underpayment: the contract comparison line by line (schema 7).
    #[serde(default)]
    pub underpayment: Option<Underpayment>,
    /// Points a routing rule added to the priority score (`boost`; schema 7).
    #[serde(default)]
    pub priority_boost: u8,
    /// Appeal packets, one per level worked on: documents checked off and letters
    /// written (schema 8).
    #[serde(default)]
    pub packets: Vec<AppealPacket>,
}

fn one() -> u32 {
    1
}

impl WorkItem {
    /// Opens a work item for a claim the classifier found denied.
    pub fn open(
        key: &str,
        claim: &Claim,
        finding: &DenialFinding,
        deadline: AppealDeadline,
        now: DateTime<Utc>,
        user: &str,
    ) -> WorkItem {
        WorkItem {
            key: key.into(),
            claim_id: claim.patient_control_number.as_str().into(),
            kind: finding.kind,
            appeal_rights: finding.appeal_rights,
            denied_lines: finding.lines.clone(),
            other_payer_cents: 0,
            version: 0,
            status: Status::New,
            owner: None,
            follow_up: None,
            appeal_deadline: deadline,
            denied_cents: finding.denied_cents,
            recovered_cents: 0,
            carcs: finding.carcs.iter().map(|c| c.as_str().into()).collect(),
            remarks: claim.all_remarks(),
            category: finding.category,
            hardness: finding.hardness,
            stage: finding.stage,
            denied_on: claim.remit.remit_date,
            payer: claim.remit.payer.name.as_str().into(),
            payer_id: claim.remit.payer.id.clone(),
            filing_indicator: claim.filing_indicator.clone(),
            payer_claim_number: claim.payer_claim_number.as_str().into(),
            patient_name: claim.patient.display_name().into(),
            member_id: claim.patient.member_id.as_str().into(),
            date_of_service: claim.date_of_service(),
            billed_cents: claim.billed_cents,
            rendering_provider: claim.rendering_provider.as_ref().map(|p| p.name.clone()),
            facility: claim.remit.payee.name.clone(),
            write_off_reason: None,
            appeals: Vec::new(),
            payments: Vec::new(),
            resolved_on: None,
            procedures: finding.procedures.clone(),
            times_denied: 1,
            second_deadline: None,
            awaiting_payer_since: None,
            underpayment: None,
            priority_boost: 0,
            packets: Vec::new(),
            created_at: now,
            updated_at: now,
            updated_by: user.to_string(),
        }
    }

    /// Moves to `to` on `on`, keeping `resolved_on` in step: set on a final disposition
    /// (paid, final-upheld, written off), cleared when the item is reopened or a higher
    /// appeal level keeps it open.
    pub fn transition(&mut self, to: Status, on: NaiveDate) {
        self.status = to;
        self.resolved_on = match to {
            Status::Paid | Status::FinalUpheld | Status::WrittenOff | Status::Accepted => Some(on),
            _ => None,
        };
    }

    /// Denied money still owed: what the payer still denies line by line, less what other
    /// payers paid on those lines, and never more than denied less recovered.
    pub fn outstanding_cents(&self) -> i64 {
        if self.kind == ItemKind::Rejection && self.status == Status::Accepted {
            // The payer took the claim in: nothing is owed on the rejection any more.
            return 0;
        }
        if self.kind == ItemKind::Underpayment {
            // The variance the payer's latest adjudication still leaves below contract,
            // line by line: money moved between the payer and the patient's share is no
            // recovery of it.
            return self
                .denied_lines
                .iter()
                .map(|l| l.still_denied_cents.max(0))
                .sum();
        }
        let by_lines: i64 = if self.denied_lines.is_empty() {
            self.denied_cents - self.other_payer_cents
        } else {
            self.denied_lines
                .iter()
                .map(DeniedLine::outstanding_cents)
                .sum()
        };
        (self.denied_cents - self.recovered_cents)
            .min(by_lines)
            .max(0)
    }

    /// Lines still denied (for "partially paid: 2 lines, $140.00 left").
    pub fn open_lines(&self) -> impl Iterator<Item = &DeniedLine> {
        self.denied_lines
            .iter()
            .filter(|l| l.outstanding_cents() > 0)
    }

    /// The payer as the payer rules look it up.
    pub fn payer_party(&self) -> super::claim::Party {
        super::claim::Party {
            name: self.payer.to_string(),
            id: self.payer_id.clone(),
        }
    }

    /// The level the next appeal would be: one above the highest filed, or the level an
    /// upheld decision opened, else 1.
    pub fn next_appeal_level(&self) -> u8 {
        let filed = self.appeals.iter().map(|a| a.level).max().unwrap_or(0);
        let opened = self.appeal_deadline.source.appeal_level().unwrap_or(1);
        (filed + 1).max(opened)
    }
}

//! Timeline events: everything that happened to a work item, with who and when. Each is
//! stored once and also summarised into the audit log.

use super::appeal::{Appeal, AppealDecision};
use super::payer_rules::AppealDeadline;
use super::status::Status;
pub use super::timeline_text::plb_reason;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A logged phone call with the payer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayerCall {
    /// The payer representative's name.
    pub rep_name: String,
    /// The call's reference number.
    pub reference: String,
    /// What the call settled.
    pub outcome: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// What to do next.
    pub next_action: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// When to check back.
    pub follow_up: Option<NaiveDate>,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum EventKind {
    /// A remittance adjudicated the claim (the first denial or any later remittance).
    Adjudicated {
        /// The file it came from.
        source_file: String,
        /// TRN02: check or EFT trace number.
        trace_number: String,
        /// BPR16: the remittance's date.
        remit_date: NaiveDate,
        /// CLP02 as words ("denied").
        claim_status: String,
        /// CLP03: billed.
        billed_cents: i64,
        /// CLP04: paid.
        paid_cents: i64,
        /// What the payer denied on it.
        denied_cents: i64,
        /// The denial codes ("CO-197").
        carcs: Vec<String>,
    },
    /// A person moved the item's status.
    StatusChanged {
        /// The status before.
        from: Status,
        /// The status after.
        to: Status,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        /// Why, when given (required to write off).
        reason: Option<String>,
    },
    /// A payer call was logged.
    PayerCall(PayerCall),
    /// The follow-up date was set or cleared.
    FollowUpSet {
        /// The date before.
        from: Option<NaiveDate>,
        /// The date after.
        to: Option<NaiveDate>,
    },
    /// A note was added.
    Note {
        /// What it says.
        text: String,
    },
    /// The owner changed.
    Assigned {
        /// The owner before.
        from: Option<String>,
        /// The owner after.
        to: Option<String>,
    },
    /// An appeal was recorded.
    AppealFiled(Appeal),
    /// The payer decided an appeal.
    AppealDecided {
        /// The appeal's level.
        level: u8,
        /// What the payer decided.
        decision: AppealDecision,
    },
    /// Another payer (secondary, tertiary, crossover) paid on this claim.
    OtherPayerPaid {
        /// The other payer's name.
        payer: String,
        /// "Secondary payer", from its CLP02.
        role: String,
        /// Its remittance's date.
        remit_date: NaiveDate,
        /// What it paid on the claim.
        paid_cents: i64,
        /// What it took off the denied lines' outstanding amount.
        applied_cents: i64,
        /// The file it came from.
        source_file: String,
        /// It settled a coordination-of-benefits denial: the right payer adjudicated it.
        #[serde(default)]
        settles_cob: bool,
    },
    /// A provider-level adjustment (PLB) naming this claim: recoupment, interest …
    ProviderAdjustment {
        /// PLB03-1: WO overpayment recovery, L6 interest, FB forwarding balance …
        reason: String,
        /// PLB03-2: the reference (the claim it names).
        reference: String,
        /// As the payer wrote it: positive withheld from the provider, negative paid.
        amount_cents: i64,
        /// The remittance's date.
        remit_date: NaiveDate,
    },
    /// A mistaken appeal record superseded: corrected (`after`) or withdrawn (`None`).
    AppealCorrected {
        /// The appeal as it was recorded.
        before: Appeal,
        /// As corrected; `None`: withdrawn (recorded in error or taken back).
        after: Option<Appeal>,
        /// Why.
        reason: String,
    },
    /// A mistaken appeal decision superseded by the corrected one.
    AppealDecisionCorrected {
        /// The appeal's level.
        level: u8,
        /// The decision as it was recorded.
        before: AppealDecision,
        /// As corrected.
        after: AppealDecision,
        /// Why.
        reason: String,
    },
    /// A routing rule gave the new item its owner and follow-up at import.
    Routed {
        /// The rule's name.
        rule: String,
        /// Who it was assigned to.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<String>,
        /// The follow-up it set.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        follow_up: Option<NaiveDate>,
        /// The points it added to the priority score.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        boost: Option<u8>,
    },
    /// A 277CA or 277 reported the claim's status (accepted, rejected, pending …).
    ClaimStatusReported {
        /// "277CA" or "277".
        transaction: String,
        /// The file it came from.
        source_file: String,
        /// STC02: the status's date.
        date: NaiveDate,
        /// The statuses as X12 writes them ("A7:21:85").
        statuses: Vec<String>,
        /// STC05 of a 277: paid, when finalized.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        paid_cents: Option<i64>,
        /// STC12: the payer's message, when any.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        message: String,
    },
    /// A remittance paid lines below the contract (the underpayment work item opened).
    Underpaid {
        /// The contract file.
        contract_file: String,
        /// The contract rows used (their lines in the file).
        rows: Vec<usize>,
        /// What the contract expected on those lines.
        expected_cents: i64,
        /// What the payer allowed on them.
        allowed_cents: i64,
        /// What it paid on them.
        paid_cents: i64,
        /// Expected less allowed.
        variance_cents: i64,
    },
    /// A checklist document checked off for an appeal packet (or unchecked: empty
    /// reference).
    DocumentChecked {
        /// The appeal level.
        level: u8,
        /// The document's wording.
        document: String,
        /// Where it is; empty when unchecked.
        reference: String,
        /// The reference it had before.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        before: Option<String>,
    },
    /// A letter was written for an appeal level (linked to its packet).
    LetterWritten {
        /// The appeal level.
        level: u8,
        /// The letter.
        letter: crate::domain::packet::LetterRecord,
    },
    /// An appeal was sent without required documents, confirmed with a reason.
    SentWithoutDocuments {
        /// The appeal level.
        level: u8,
        /// The documents missing.
        documents: Vec<String>,
        /// Why it went without them.
        reason: String,
    },
    /// An upheld decision opened a higher appeal level: its deadline replaces the old one.
    DeadlineMoved {
        /// The deadline before.
        from: NaiveDate,
        /// The new one, with its window and source.
        to: AppealDeadline,
    },
}

/// One timeline entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The work item's key (schema 3 and earlier wrote the CLP01 as `claim_id`).
    #[serde(alias = "claim_id")]
    pub key: String,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Who did it (the OS user; `importer` for imports).
    pub user: String,
    #[serde(flatten)]
    /// What happened.
    pub kind: EventKind,
}

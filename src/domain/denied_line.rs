//! The parts of a work item the denial classifier produces: which queue it belongs to,
//! and the denied money line by line. A leaf, so the classifier and the work item both
//! build on it without depending on each other.

use super::claim::ServiceLine;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The `line` (and `procedure`, `code`) of a claim-level denial: empty (a claim-level
/// denial names no line or procedure; the KPIs' CPT breakdown shows it as
/// `CLAIM_LEVEL_CPT`).
pub const CLAIM_LEVEL: &str = "";

/// Which queue a work item belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemKind {
    /// The payer denied money: appeal or correct it.
    Denial,
    /// Non-covered care the payer assigned to the patient (PR-96, PR-204 …): check the
    /// ABN or waiver, then bill the patient or appeal. Never counted as denial dollars.
    PatientResponsibility,
    /// A claim rejected before adjudication (a 277CA rejection): never adjudicated, so
    /// never a denial; correct it and submit it again before the filing limit.
    Rejection,
    /// A line paid below the contract's allowed amount (beyond the tolerance): dispute the
    /// payment with the payer until the variance is paid. Never a denial.
    Underpayment,
}

impl ItemKind {
    /// The kind as written in lists and JSON.
    pub fn key(self) -> &'static str {
        match self {
            ItemKind::Denial => "denial",
            ItemKind::PatientResponsibility => "patient-responsibility",
            ItemKind::Rejection => "rejection",
            ItemKind::Underpayment => "underpayment",
        }
    }
}

/// The denied money on one service line (or the claim-level denial), and what has become
/// of it since: later remittances from the same payer are compared line by line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeniedLine {
    /// `ServiceLine::line_ref` (REF*6R, else procedure, modifiers and date), or
    /// `CLAIM_LEVEL`.
    pub line: String,
    /// "99214-25", or `CLAIM_LEVEL` (see `label`).
    pub procedure: String,
    /// The procedure code without modifiers ("99214"; `CLAIM_LEVEL`), and the line's date of
    /// service: how a corrected line (a modifier added, a new REF*6R) is still recognised.
    pub code: String,
    /// The line's date of service.
    pub service_date: Option<NaiveDate>,
    /// The line's charge (0 for claim level): tells two identical codes apart.
    pub charge_cents: i64,
    /// Settled by the payer that should have been billed (a coordination-of-benefits
    /// denial it adjudicated): nothing is owed on it, whatever it paid.
    pub settled_by_other_payer: bool,
    /// Denied when the item opened.
    pub denied_cents: i64,
    /// Still denied by the payer's latest adjudication (0 once paid).
    pub still_denied_cents: i64,
    /// Paid on this line by other payers (secondary, tertiary coverage).
    pub other_payer_cents: i64,
}

impl DeniedLine {
    /// The claim-level denial (no one line): all `denied_cents` still denied.
    pub fn new(line: &str, procedure: &str, denied_cents: i64) -> DeniedLine {
        DeniedLine {
            line: line.to_string(),
            procedure: procedure.to_string(),
            code: procedure.to_string(),
            service_date: None,
            charge_cents: 0,
            settled_by_other_payer: false,
            denied_cents,
            still_denied_cents: denied_cents,
            other_payer_cents: 0,
        }
    }

    /// A denied service line, named by `line_ref` (see `Claim::line_refs`).
    pub fn service(line_ref: &str, line: &ServiceLine, denied_cents: i64) -> DeniedLine {
        DeniedLine {
            code: line.procedure.code.clone(),
            service_date: line.service_date,
            charge_cents: line.charge_cents,
            ..DeniedLine::new(line_ref, &line.procedure.to_string(), denied_cents)
        }
    }

    /// Whether it stands for the whole claim (a claim-level denial).
    pub fn is_claim_level(&self) -> bool {
        self.line == CLAIM_LEVEL
    }

    /// "99214-25", or "whole claim" for a claim-level denial: for people.
    pub fn label(&self) -> &str {
        if self.is_claim_level() {
            "whole claim"
        } else {
            &self.procedure
        }
    }

    /// One claim-level line standing for a whole denial of which `still_denied_cents`
    /// is still owed (items from before lines were tracked: `migrate_v4`).
    pub fn whole_claim(denied_cents: i64, still_denied_cents: i64) -> DeniedLine {
        DeniedLine {
            still_denied_cents,
            ..DeniedLine::new(CLAIM_LEVEL, CLAIM_LEVEL, denied_cents)
        }
    }

    /// What is still owed on the line.
    pub fn outstanding_cents(&self) -> i64 {
        if self.settled_by_other_payer {
            return 0;
        }
        (self.still_denied_cents - self.other_payer_cents).max(0)
    }
}

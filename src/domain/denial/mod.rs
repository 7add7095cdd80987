//! What is and is not a denial. The one place that decides, driven by the CARC table's
//! `DenialRule`, the group code and the remark-code rules, so the importer, the worklist
//! and the KPIs can never disagree.
//!
//! - The group code decides who owes: a PR (patient responsibility) adjustment is never the
//!   payer's denial, whatever its CARC. PR-1/2/3 are the patient's normal share; PR-96,
//!   PR-204, PR-50 and the like are non-covered care billed to the patient (ABN questions):
//!   they go to the separate patient-responsibility queue, never into denial dollars.
//! - CO, OA and PI adjustments follow the CARC table; an unknown CARC that takes money from
//!   the provider is surfaced as an unknown denial, never hidden.
//! - Remark codes can override category, hard/soft and stage when the CARC says "see the
//!   remarks", and take away appeal rights (MA130, N211) whatever the CARC.

use super::carc::{self, DenialRule};
use super::claim::{Adjustment, Claim, ClaimStatusCode, GroupCode};
pub use super::denied_line::CLAIM_LEVEL;
use super::denied_line::{DeniedLine, ItemKind};
use super::rarc::{self, AppealRights};
use super::taxonomy::{Category, Hardness, Stage};
use serde::{Deserialize, Serialize};

/// What a claim with CLP02 = 4 and no denial adjustment shows as its reason.
pub const NO_REASON_CODE: &str = "denied, no reason code";

/// Why a claim is in the worklist: the money denied, the codes, and what they point to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DenialFinding {
    /// A payer denial, or non-covered care the payer assigned to the patient.
    pub kind: ItemKind,
    /// What the payer denied, in cents.
    pub denied_cents: i64,
    /// "CO-197" style codes of the denial adjustments, largest amount first, no repeats.
    pub carcs: Vec<String>,
    /// What kind of denial.
    pub category: Category,
    /// Soft or hard.
    pub hardness: Hardness,
    /// The workflow stage that caused it.
    pub stage: Stage,
    /// Procedure codes of the denied lines (every line when the denial is claim level).
    pub procedures: Vec<String>,
    /// The denied money line by line (one `CLAIM_LEVEL` entry for claim-level denials).
    pub lines: Vec<DeniedLine>,
    /// Whether the payer allows an appeal (from the remark codes).
    pub appeal_rights: AppealRights,
    /// Some denied lines can be appealed and some cannot (MA130/N211 on their line): those
    /// must be corrected and resubmitted by the filing limit, whatever the appeal date.
    #[serde(default)]
    pub mixed_appeal_rights: bool,
}

/// What one adjustment means for the worklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    /// Normal adjudication: contractual write-down, the patient's normal share, a
    /// reversal's negative amount, an appeal outcome.
    NoWork,
    /// The payer denied this money: the denial worklist.
    PayerDenial,
    /// Non-covered care the payer assigned to the patient (PR group, not deductible,
    /// coinsurance or copay): the patient-responsibility queue.
    PatientNonCovered,
}

/// What one adjustment means on this claim.
pub fn meaning(adjustment: &Adjustment, institutional: bool) -> Meaning {
    if adjustment.amount_cents <= 0 {
        return Meaning::NoWork;
    }
    let info = carc::lookup(&adjustment.carc);
    if adjustment.group == GroupCode::PR {
        return match info.map(|i| i.rule) {
            Some(DenialRule::NotDenial | DenialRule::AppealOutcome) => Meaning::NoWork,
            _ => Meaning::PatientNonCovered,
        };
    }
    match info.map(|i| i.rule) {
        // An unknown code that takes money from the provider is surfaced, not hidden:
        // a missed denial costs more than one extra row to look at.
        None => Meaning::PayerDenial,
        Some(DenialRule::NotDenial | DenialRule::AppealOutcome) => Meaning::NoWork,
        Some(DenialRule::Denial) => Meaning::PayerDenial,
        Some(DenialRule::PackagedOnInstitutional) if institutional => Meaning::NoWork,
        Some(DenialRule::PackagedOnInstitutional) => Meaning::PayerDenial,
    }
}

/// Whether one adjustment is the payer's denial on this claim.
pub fn is_denial_adjustment(adjustment: &Adjustment, institutional: bool) -> bool {
    meaning(adjustment, institutional) == Meaning::PayerDenial
}

/// Whether the claim carries CARC 193 (the payer kept its decision on review).
pub fn decision_maintained(claim: &Claim) -> bool {
    claim.all_adjustments().any(|a| a.carc == "193")
}

/// Classifies one adjudicated claim for the denial worklist. `None` means no payer denial
/// (see `classify_work` for the patient-responsibility queue).
pub fn classify(claim: &Claim) -> Option<DenialFinding> {
    classify_as(claim, Meaning::PayerDenial)
}

/// The work a claim makes: a payer denial, else patient-responsibility non-covered care,
/// else nothing.
pub fn classify_work(claim: &Claim) -> Option<DenialFinding> {
    classify(claim).or_else(|| classify_as(claim, Meaning::PatientNonCovered))
}

/// The appeal rights remark codes leave: the most restrictive of them.
fn rights_of<'a>(remarks: impl Iterator<Item = &'a String>) -> AppealRights {
    remarks
        .filter_map(|r| rarc::rule_for(r).and_then(|rule| rule.appeal))
        .fold(AppealRights::Appealable, |worst, rights| {
            match (worst, rights) {
                (AppealRights::NotAppealable, _) | (_, AppealRights::NotAppealable) => {
                    AppealRights::NotAppealable
                }
                (AppealRights::ResubmitOnly, _) | (_, AppealRights::ResubmitOnly) => {
                    AppealRights::ResubmitOnly
                }
                _ => AppealRights::Appealable,
            }
        })
}

fn classify_as(claim: &Claim, wanted: Meaning) -> Option<DenialFinding> {
    if claim.status_code == ClaimStatusCode::Reversal {
        return None;
    }
    let institutional = claim.is_institutional();
    let counts = |a: &&Adjustment| meaning(a, institutional) == wanted;
    let mut denials: Vec<&Adjustment> = claim.all_adjustments().filter(counts).collect();
    let mut denied_cents: i64 = denials.iter().map(|a| a.amount_cents).sum();
    let mut lines: Vec<DeniedLine> = Vec::new();
    let claim_level: i64 = claim
        .adjustments
        .iter()
        .filter(counts)
        .map(|a| a.amount_cents)
        .sum();
    let mut no_reason = false;
    // Non-covered care the payer put on the patient explains a CLP02 = 4 balance: that is
    // the patient-responsibility queue's, not a payer denial with no reason.
    let patient_non_covered: i64 = claim
        .all_adjustments()
        .filter(|a| meaning(a, institutional) == Meaning::PatientNonCovered)
        .map(|a| a.amount_cents)
        .sum();
    let unexplained = claim.billed_cents - claim.paid_cents - patient_non_covered;
    if wanted == Meaning::PayerDenial
        && claim.status_code == ClaimStatusCode::Denied
        && denied_cents == 0
        && unexplained > 0
    {
        // CLP02 = 4 with no denial CAS (none, or only non-denial codes): the payer still
        // denied it; the unpaid balance not explained by non-covered care the patient
        // owes is denied, with no reason code to show.
        denied_cents = unexplained;
        no_reason = true;
        lines.push(DeniedLine::new(CLAIM_LEVEL, CLAIM_LEVEL, denied_cents));
    } else if denied_cents == 0 {
        return None;
    } else {
        if claim_level > 0 {
            lines.push(DeniedLine::new(CLAIM_LEVEL, CLAIM_LEVEL, claim_level));
        }
        for (line, line_ref) in claim.lines.iter().zip(claim.line_refs()) {
            let cents: i64 = line
                .adjustments
                .iter()
                .filter(counts)
                .map(|a| a.amount_cents)
                .sum();
            if cents > 0 {
                lines.push(DeniedLine::service(&line_ref, line, cents));
            }
        }
    }
    denials.sort_by_key(|a| std::cmp::Reverse(a.amount_cents));
    let mut carcs: Vec<String> = Vec::new();
    for a in &denials {
        let code = a.code();
        if !carcs.contains(&code) {
            carcs.push(code);
        }
    }
    if no_reason {
        carcs.push(NO_REASON_CODE.to_string());
    }
    let claim_level_denied = claim_level > 0 || no_reason;
    let mut procedures: Vec<String> = Vec::new();
    for line in &claim.lines {
        let denied = claim_level_denied || line.adjustments.iter().any(|a| counts(&a));
        if denied && !procedures.contains(&line.procedure.code) {
            procedures.push(line.procedure.code.clone());
        }
    }
    let primary = denials.first().and_then(|a| carc::lookup(&a.carc));
    let (mut category, mut hardness, mut stage) = match primary {
        Some(info) => (info.category, info.hardness, info.stage),
        None => (Category::Unknown, Hardness::Soft, Stage::Payer),
    };
    // A generic CARC ("see the remark codes") takes its meaning from the remarks.
    let generic = primary.is_none_or(|i| matches!(i.code, "16" | "A1" | "125" | "252"));
    for rule in claim.all_remarks().iter().filter_map(|r| rarc::rule_for(r)) {
        if generic {
            category = rule.category.unwrap_or(category);
            stage = rule.stage.unwrap_or(stage);
            hardness = rule.hardness.unwrap_or(hardness);
        }
    }
    // Appeal rights are per denied line: MOA remarks speak for the whole claim, LQ
    // remarks for their line. The item can be appealed while any denied line can (its
    // appeal clock is the one that runs out first).
    let line_rights = claim.lines.iter().filter_map(|line| {
        let denied = line.adjustments.iter().any(|a| counts(&a));
        denied.then(|| rights_of(claim.remarks.iter().chain(line.remarks.iter())))
    });
    let claim_rights = claim_level_denied.then(|| rights_of(claim.all_remarks().iter()));
    let all_rights: Vec<AppealRights> = claim_rights.into_iter().chain(line_rights).collect();
    let appeal_rights = if all_rights.is_empty() || all_rights.contains(&AppealRights::Appealable) {
        AppealRights::Appealable
    } else if all_rights.contains(&AppealRights::NotAppealable) {
        AppealRights::NotAppealable
    } else {
        AppealRights::ResubmitOnly
    };
    let mixed_appeal_rights = appeal_rights == AppealRights::Appealable
        && all_rights.iter().any(|r| *r != AppealRights::Appealable);
    match appeal_rights {
        // "Cannot be appealed" is hard whichever remark came first; "submit a new claim"
        // is worked back by correcting it.
        AppealRights::NotAppealable => hardness = Hardness::Hard,
        AppealRights::ResubmitOnly => hardness = Hardness::Soft,
        AppealRights::Appealable => {}
    }
    let kind = if wanted == Meaning::PatientNonCovered {
        category = Category::PatientResponsibility;
        stage = match primary {
            Some(info) => info.stage,
            None => Stage::Eligibility,
        };
        ItemKind::PatientResponsibility
    } else {
        ItemKind::Denial
    };
    Some(DenialFinding {
        kind,
        denied_cents,
        carcs,
        category,
        hardness,
        stage,
        procedures,
        lines,
        appeal_rights,
        mixed_appeal_rights,
    })
}

#[cfg(test)]
mod tests;

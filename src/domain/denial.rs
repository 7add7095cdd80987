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
    pub denied_cents: i64,
    /// "CO-197" style codes of the denial adjustments, largest amount first, no repeats.
    pub carcs: Vec<String>,
    pub category: Category,
    pub hardness: Hardness,
    pub stage: Stage,
    /// Procedure codes of the denied lines (every line when the denial is claim level).
    pub procedures: Vec<String>,
    /// The denied money line by line (one `CLAIM_LEVEL` entry for claim-level denials).
    pub lines: Vec<DeniedLine>,
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
mod tests {
    use super::*;
    use crate::domain::test_support::{adj, claim, line};

    #[test]
    fn paid_claim_with_contractual_and_patient_share_is_not_a_denial() {
        let mut c = claim("P1", 1, 20000, 12000);
        c.adjustments = vec![adj("CO", "45", 5000), adj("PR", "2", 3000)];
        assert_eq!(classify(&c), None);
        c.adjustments = vec![adj("PR", "1", 5000), adj("PR", "3", 2500)];
        assert_eq!(classify(&c), None);
    }

    #[test]
    fn zero_paid_claim_with_status_1_and_denial_carc_is_a_denial() {
        let mut c = claim("P2", 1, 45000, 0);
        c.adjustments = vec![adj("CO", "197", 45000)];
        let f = classify(&c).expect("denial");
        assert_eq!(f.denied_cents, 45000);
        assert_eq!(f.carcs, vec!["CO-197"]);
        assert_eq!(f.category, Category::Authorization);
        assert_eq!(f.stage, Stage::Authorization);
        assert_eq!(f.hardness, Hardness::Soft);
    }

    #[test]
    fn status_4_without_denial_cas_denies_the_unpaid_balance() {
        let c = claim("P3", 4, 30000, 0);
        let f = classify(&c).expect("denial");
        assert_eq!(f.denied_cents, 30000);
        assert_eq!(f.category, Category::Unknown);
        assert_eq!(f.carcs, vec![NO_REASON_CODE]);
        // Only a non-denial adjustment: still denied, its reason the claim status.
        let mut c = claim("P3", 4, 30000, 0);
        c.adjustments = vec![adj("CO", "45", 30000)];
        let f = classify(&c).expect("CLP02 = 4 is a denial");
        assert_eq!(f.denied_cents, 30000);
        assert_eq!(f.carcs, vec![NO_REASON_CODE]);
        assert_eq!(f.lines[0].denied_cents, 30000);
    }

    #[test]
    fn patient_responsibility_non_covered_is_not_a_payer_denial() {
        for code in ["96", "204", "50"] {
            let mut c = claim("P9", 1, 20000, 0);
            c.adjustments = vec![adj("PR", code, 20000)];
            assert_eq!(classify(&c), None, "PR-{code}");
            let f = classify_work(&c).expect("patient queue");
            assert_eq!(f.kind, ItemKind::PatientResponsibility);
            assert_eq!(f.category, Category::PatientResponsibility);
            assert_eq!(f.denied_cents, 20000);
            assert_eq!(f.carcs, vec![format!("PR-{code}")]);
        }
        // The same CARCs under CO are the payer's denials.
        let mut c = claim("P9", 1, 20000, 0);
        c.adjustments = vec![adj("CO", "96", 20000)];
        assert_eq!(classify(&c).unwrap().kind, ItemKind::Denial);
    }

    #[test]
    fn non_denial_adjustments_open_no_work() {
        for (group, code) in [
            ("OA", "100"),
            ("CO", "237"),
            ("CO", "246"),
            ("CO", "89"),
            ("CO", "24"),
            ("CO", "193"),
        ] {
            let mut c = claim("P10", 1, 10000, 5000);
            c.adjustments = vec![adj(group, code, 5000)];
            assert_eq!(classify_work(&c), None, "{group}-{code}");
        }
    }

    #[test]
    fn remark_codes_override_generic_carcs_and_take_appeal_rights() {
        let mut c = claim("P11", 1, 10000, 0);
        c.adjustments = vec![adj("CO", "16", 10000)];
        c.remarks = vec!["M51".into()];
        let f = classify(&c).unwrap();
        assert_eq!((f.category, f.stage), (Category::Coding, Stage::Coding));
        assert_eq!(f.appeal_rights, AppealRights::Appealable);
        c.remarks = vec!["MA130".into()];
        assert_eq!(
            classify(&c).unwrap().appeal_rights,
            AppealRights::ResubmitOnly
        );
        // A specific CARC keeps its category; appeal rights still go.
        c.adjustments = vec![adj("CO", "50", 10000)];
        c.remarks = vec!["N30".into(), "N211".into()];
        let f = classify(&c).unwrap();
        assert_eq!(f.category, Category::MedicalNecessity);
        assert_eq!(f.appeal_rights, AppealRights::NotAppealable);
        assert_eq!(f.hardness, Hardness::Hard);
    }

    #[test]
    fn a_stray_revenue_code_on_a_professional_line_does_not_hide_bundling() {
        let mut c = claim("P12", 1, 30000, 20000);
        let mut visit = line("99214", 20000, 20000);
        visit.revenue_code = Some("0510".into());
        let mut bundled = line("36415", 10000, 0);
        bundled.adjustments = vec![adj("CO", "97", 10000)];
        c.lines = vec![visit, bundled];
        assert!(!c.is_institutional());
        assert_eq!(classify(&c).unwrap().carcs, vec!["CO-97"]);
        // A DRG makes it institutional: packaging, not a denial.
        c.drg = Some("470".into());
        assert_eq!(classify(&c), None);
    }

    #[test]
    fn line_level_bundling_on_professional_claim_denies_that_line_only() {
        let mut c = claim("P4", 1, 30000, 15000);
        let mut paid = line("99214", 20000, 15000);
        paid.adjustments = vec![adj("CO", "45", 5000)];
        let mut bundled = line("36415", 10000, 0);
        bundled.adjustments = vec![adj("CO", "97", 10000)];
        c.lines = vec![paid, bundled];
        let f = classify(&c).expect("bundling denial");
        assert_eq!(f.denied_cents, 10000);
        assert_eq!(f.carcs, vec!["CO-97"]);
        assert_eq!(f.category, Category::Bundling);
        assert_eq!(f.procedures, vec!["36415"], "only the bundled line");
    }

    #[test]
    fn packaged_zero_lines_on_institutional_outpatient_claim_are_not_denials() {
        let mut c = claim("H1", 1, 250000, 180000);
        let mut main = line("0450", 200000, 180000);
        main.revenue_code = Some("0450".into());
        main.adjustments = vec![adj("CO", "45", 20000)];
        let mut packaged = line("0300", 50000, 0);
        packaged.revenue_code = Some("0300".into());
        packaged.adjustments = vec![adj("CO", "97", 50000)];
        c.lines = vec![main, packaged];
        assert_eq!(classify(&c), None);
        // …but a real denial on the same institutional claim still counts.
        c.lines[1].adjustments.push(adj("CO", "50", 1000));
        assert_eq!(classify(&c).unwrap().denied_cents, 1000);
    }

    #[test]
    fn denied_amount_sums_claim_and_line_denials_and_ranks_codes_by_amount() {
        let mut c = claim("P5", 1, 60000, 0);
        c.adjustments = vec![adj("CO", "16", 5000)];
        let mut l1 = line("97110", 30000, 0);
        l1.adjustments = vec![adj("CO", "151", 30000)];
        let mut l2 = line("97140", 25000, 0);
        l2.adjustments = vec![adj("CO", "151", 20000), adj("PR", "2", 5000)];
        c.lines = vec![l1, l2];
        let f = classify(&c).unwrap();
        assert_eq!(f.denied_cents, 55000);
        assert_eq!(f.carcs, vec!["CO-151", "CO-16"]);
        assert_eq!(f.category, Category::MedicalNecessity);
    }

    #[test]
    fn unknown_codes_are_denials_unless_patient_responsibility() {
        let mut c = claim("P6", 1, 10000, 0);
        c.adjustments = vec![adj("CO", "Z99", 10000)];
        let f = classify(&c).unwrap();
        assert_eq!(f.category, Category::Unknown);
        assert_eq!(f.carcs, vec!["CO-Z99"]);
        c.adjustments = vec![adj("PR", "Z99", 10000)];
        assert_eq!(classify(&c), None);
        assert_eq!(
            classify_work(&c).unwrap().kind,
            ItemKind::PatientResponsibility
        );
    }

    #[test]
    fn reversals_and_negative_adjustments_are_not_denials() {
        let mut c = claim("P7", 22, -10000, -8000);
        c.adjustments = vec![adj("CO", "45", -2000)];
        assert_eq!(classify(&c), None);
        let mut c = claim("P8", 1, 10000, 10000);
        c.adjustments = vec![adj("CO", "16", -500)];
        assert_eq!(classify(&c), None);
    }
}

//! What is and is not a denial. The one place that decides, driven by the CARC table's
//! `DenialRule`, so the importer, the worklist and the KPIs can never disagree.

use super::carc::{self, DenialRule};
use super::claim::{Adjustment, Claim, ClaimStatusCode, GroupCode};
use super::taxonomy::{Category, Hardness, Stage};
use serde::{Deserialize, Serialize};

/// Why a claim is in the worklist: the money denied, the codes, and what they point to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DenialFinding {
    pub denied_cents: i64,
    /// "CO-197" style codes of the denial adjustments, largest amount first, no repeats.
    pub carcs: Vec<String>,
    pub category: Category,
    pub hardness: Hardness,
    pub stage: Stage,
    /// Procedure codes of the denied lines (every line when the denial is claim level).
    pub procedures: Vec<String>,
}

/// Whether one adjustment is a denial on this claim.
pub fn is_denial_adjustment(adjustment: &Adjustment, institutional: bool) -> bool {
    if adjustment.amount_cents <= 0 {
        return false;
    }
    match carc::lookup(&adjustment.carc) {
        // An unknown code that takes money from the provider is surfaced, not hidden:
        // a missed denial costs more than one extra row to look at.
        None => adjustment.group != GroupCode::PR,
        Some(info) => match info.rule {
            DenialRule::NotDenial => false,
            DenialRule::Denial => true,
            DenialRule::PackagedOnInstitutional => !institutional,
        },
    }
}

/// Classifies one adjudicated claim. `None` means normal adjudication: no work item.
pub fn classify(claim: &Claim) -> Option<DenialFinding> {
    if claim.status_code == ClaimStatusCode::Reversal {
        return None;
    }
    let institutional = claim.is_institutional();
    let mut denials: Vec<&Adjustment> = claim
        .all_adjustments()
        .filter(|a| is_denial_adjustment(a, institutional))
        .collect();
    let mut denied_cents: i64 = denials.iter().map(|a| a.amount_cents).sum();
    if claim.status_code == ClaimStatusCode::Denied && denied_cents == 0 {
        // CLP02 = 4 with no denial CAS: the whole unpaid balance is denied.
        denied_cents = (claim.billed_cents - claim.paid_cents).max(0);
    } else if denied_cents == 0 {
        return None;
    }
    denials.sort_by_key(|a| std::cmp::Reverse(a.amount_cents));
    let mut carcs: Vec<String> = Vec::new();
    for a in &denials {
        let code = a.code();
        if !carcs.contains(&code) {
            carcs.push(code);
        }
    }
    let claim_level = claim
        .adjustments
        .iter()
        .any(|a| is_denial_adjustment(a, institutional));
    let mut procedures: Vec<String> = Vec::new();
    for line in &claim.lines {
        let denied = claim_level
            || line
                .adjustments
                .iter()
                .any(|a| is_denial_adjustment(a, institutional));
        if denied && !procedures.contains(&line.procedure.code) {
            procedures.push(line.procedure.code.clone());
        }
    }
    let primary = denials.first().and_then(|a| carc::lookup(&a.carc));
    let (category, hardness, stage) = match primary {
        Some(info) => (info.category, info.hardness, info.stage),
        None => (Category::Unknown, Hardness::Soft, Stage::Payer),
    };
    Some(DenialFinding {
        denied_cents,
        carcs,
        category,
        hardness,
        stage,
        procedures,
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

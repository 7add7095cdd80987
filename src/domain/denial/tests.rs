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

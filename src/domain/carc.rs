//! Claim Adjustment Reason Codes: the one table that says what each code means for the
//! worklist — description (our own short wording), category, hard/soft, the workflow stage
//! it points back to, and whether it is a denial at all.

use super::taxonomy::{Category, Hardness, Stage};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Whether an adjustment with this CARC takes money away that a specialist should work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DenialRule {
    /// Normal adjudication (contractual write-down, patient share): never a denial.
    NotDenial,
    /// A denial wherever it appears.
    Denial,
    /// Packaging on institutional claims (a $0 line folded into another line's payment, as
    /// APC/EAPG pricing does) is expected; on a professional claim it is a bundling denial.
    PackagedOnInstitutional,
    /// Reports an appeal's result (193: decision maintained), not a new denial: it never
    /// opens a work item, and upholds the one under appeal.
    AppealOutcome,
}

/// What the table knows about one CARC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CarcInfo {
    /// The code ("197").
    pub code: &'static str,
    /// Our short wording of its meaning.
    pub description: &'static str,
    /// What kind of denial it is.
    pub category: Category,
    /// Soft or hard.
    pub hardness: Hardness,
    /// The workflow stage that causes it.
    pub stage: Stage,
    /// Whether it is a denial at all.
    pub rule: DenialRule,
}

use Category as C;
use DenialRule::{AppealOutcome, Denial, NotDenial, PackagedOnInstitutional as Packaged};
use Hardness::{Hard, Soft};
use Stage as S;

const fn carc(
    code: &'static str,
    description: &'static str,
    category: Category,
    hardness: Hardness,
    stage: Stage,
    rule: DenialRule,
) -> CarcInfo {
    CarcInfo {
        code,
        description,
        category,
        hardness,
        stage,
        rule,
    }
}

/// The CARC knowledge table. Wording is ours; meanings follow the X12 Claim Adjustment
/// Reason Code list (External Code Source 139) as published in its 2024 updates, checked
/// code by code. The group code (CO, PR, OA, PI) decides who owes what: see `denial`.
#[rustfmt::skip]
pub const CARCS: &[CarcInfo] = &[
    carc("1", "Deductible amount", C::PatientResponsibility, Hard, S::Payer, NotDenial),
    carc("2", "Coinsurance amount", C::PatientResponsibility, Hard, S::Payer, NotDenial),
    carc("3", "Co-payment amount", C::PatientResponsibility, Hard, S::Payer, NotDenial),
    carc("4", "Procedure code inconsistent with modifier, or modifier missing", C::Coding, Soft, S::Coding, Denial),
    carc("5", "Procedure code or bill type inconsistent with place of service", C::Coding, Soft, S::ChargeEntry, Denial),
    carc("6", "Procedure or revenue code inconsistent with patient's age", C::Coding, Soft, S::Coding, Denial),
    carc("7", "Procedure or revenue code inconsistent with patient's sex", C::Coding, Soft, S::Registration, Denial),
    carc("8", "Procedure code inconsistent with provider type or specialty", C::Credentialing, Soft, S::Credentialing, Denial),
    carc("9", "Diagnosis inconsistent with patient's age", C::Coding, Soft, S::Coding, Denial),
    carc("10", "Diagnosis inconsistent with patient's sex", C::Coding, Soft, S::Coding, Denial),
    carc("11", "Diagnosis inconsistent with the procedure", C::Coding, Soft, S::Coding, Denial),
    carc("12", "Diagnosis inconsistent with provider type", C::Coding, Soft, S::Coding, Denial),
    carc("13", "Date of death precedes date of service", C::Eligibility, Hard, S::Registration, Denial),
    carc("14", "Date of birth follows date of service", C::Eligibility, Soft, S::Registration, Denial),
    carc("15", "Authorization number missing or invalid for the service billed", C::Authorization, Soft, S::Authorization, Denial),
    carc("16", "Claim lacks information or has billing errors (see remark codes)", C::MissingInformation, Soft, S::Billing, Denial),
    carc("18", "Exact duplicate of a claim or service already processed", C::Duplicate, Hard, S::Billing, Denial),
    carc("19", "Work-related injury: bill the workers' compensation carrier", C::CoordinationOfBenefits, Soft, S::Registration, Denial),
    carc("20", "Injury covered by the liability carrier", C::CoordinationOfBenefits, Soft, S::Registration, Denial),
    carc("21", "Injury is the liability of the no-fault carrier", C::CoordinationOfBenefits, Soft, S::Registration, Denial),
    carc("22", "Another payer may cover this care (coordination of benefits)", C::CoordinationOfBenefits, Soft, S::Registration, Denial),
    carc("23", "Impact of prior payer's adjudication", C::Contractual, Hard, S::Payer, NotDenial),
    carc("24", "Covered under a capitation or managed-care agreement", C::Contractual, Hard, S::Payer, NotDenial),
    carc("26", "Service before coverage started", C::Eligibility, Soft, S::Eligibility, Denial),
    carc("27", "Service after coverage ended", C::Eligibility, Soft, S::Eligibility, Denial),
    carc("29", "Time limit for filing has expired", C::TimelyFiling, Hard, S::Billing, Denial),
    carc("31", "Patient cannot be identified as the payer's insured", C::Eligibility, Soft, S::Registration, Denial),
    carc("32", "Patient is not an eligible dependent", C::Eligibility, Soft, S::Registration, Denial),
    carc("33", "Insured has no dependent coverage", C::Eligibility, Soft, S::Eligibility, Denial),
    carc("34", "Insured has no newborn coverage", C::Eligibility, Soft, S::Eligibility, Denial),
    carc("35", "Lifetime benefit maximum reached", C::NonCovered, Hard, S::Payer, Denial),
    carc("39", "Authorization was refused when requested", C::Authorization, Hard, S::Authorization, Denial),
    carc("40", "Does not meet criteria for emergency or urgent care", C::MedicalNecessity, Soft, S::Documentation, Denial),
    carc("42", "Charges exceed the fee schedule maximum", C::Contractual, Hard, S::Payer, NotDenial),
    carc("45", "Charge exceeds fee schedule or contracted rate", C::Contractual, Hard, S::Payer, NotDenial),
    carc("49", "Routine or preventive service not covered", C::NonCovered, Hard, S::Eligibility, Denial),
    carc("50", "Not medically necessary in the payer's view", C::MedicalNecessity, Soft, S::Documentation, Denial),
    carc("51", "Pre-existing condition not covered", C::NonCovered, Hard, S::Eligibility, Denial),
    carc("54", "Multiple physicians or assistants not covered", C::NonCovered, Soft, S::Coding, Denial),
    carc("55", "Procedure considered experimental or investigational", C::NonCovered, Hard, S::Documentation, Denial),
    carc("56", "Treatment not proven effective in the payer's view", C::MedicalNecessity, Soft, S::Documentation, Denial),
    carc("58", "Rendered in an inappropriate place of service", C::Coding, Soft, S::ChargeEntry, Denial),
    carc("59", "Reduced under multiple or concurrent procedure rules", C::Bundling, Hard, S::Payer, NotDenial),
    carc("66", "Blood deductible", C::PatientResponsibility, Hard, S::Payer, NotDenial),
    carc("89", "Professional fees removed from charges", C::Contractual, Hard, S::Payer, NotDenial),
    carc("90", "Ingredient cost adjustment", C::Contractual, Hard, S::Payer, NotDenial),
    carc("94", "Processed in excess of charges", C::Contractual, Hard, S::Payer, NotDenial),
    carc("95", "Plan procedures were not followed", C::Authorization, Soft, S::Authorization, Denial),
    carc("96", "Non-covered charge", C::NonCovered, Hard, S::Eligibility, Denial),
    carc("97", "Included in the payment for another service (bundled or packaged)", C::Bundling, Soft, S::Coding, Packaged),
    carc("100", "Payment made to the patient, insured or responsible party", C::Contractual, Hard, S::Payer, NotDenial),
    carc("104", "Managed care withholding", C::Contractual, Hard, S::Payer, NotDenial),
    carc("107", "Related or qualifying claim or service not identified", C::MissingInformation, Soft, S::Billing, Denial),
    carc("109", "Not covered by this payer: send to the correct payer", C::CoordinationOfBenefits, Soft, S::Registration, Denial),
    carc("110", "Billing date precedes service date", C::MissingInformation, Soft, S::ChargeEntry, Denial),
    carc("111", "Not covered unless the provider accepts assignment", C::Credentialing, Soft, S::Billing, Denial),
    carc("112", "Service not furnished directly to the patient or not documented", C::MissingInformation, Soft, S::Documentation, Denial),
    carc("114", "Product not approved by the FDA", C::NonCovered, Hard, S::Coding, Denial),
    carc("115", "Procedure postponed, cancelled or delayed", C::NonCovered, Hard, S::Documentation, Denial),
    carc("116", "Advance beneficiary notice did not meet requirements", C::MissingInformation, Soft, S::Registration, Denial),
    carc("117", "Transport covered only to the closest facility", C::MedicalNecessity, Hard, S::Documentation, Denial),
    carc("118", "ESRD network support adjustment", C::Contractual, Hard, S::Payer, NotDenial),
    carc("119", "Benefit maximum for this period reached", C::NonCovered, Hard, S::Eligibility, Denial),
    carc("125", "Submission or billing error", C::MissingInformation, Soft, S::Billing, Denial),
    carc("129", "Prior processing information appears incorrect", C::CoordinationOfBenefits, Soft, S::Billing, Denial),
    carc("130", "Claim submission fee", C::Contractual, Hard, S::Payer, NotDenial),
    carc("131", "Claim-specific negotiated discount", C::Contractual, Hard, S::Payer, NotDenial),
    carc("132", "Prearranged demonstration project adjustment", C::Contractual, Hard, S::Payer, NotDenial),
    carc("136", "Prior payer's coverage rules were not followed", C::CoordinationOfBenefits, Soft, S::Billing, Denial),
    carc("138", "Appeal procedures or time limits not met", C::TimelyFiling, Hard, S::Billing, Denial),
    carc("140", "Patient's health plan ID and name do not match", C::Eligibility, Soft, S::Registration, Denial),
    carc("142", "Monthly Medicaid patient liability amount", C::PatientResponsibility, Hard, S::Payer, NotDenial),
    carc("144", "Incentive adjustment", C::Contractual, Hard, S::Payer, NotDenial),
    carc("146", "Diagnosis invalid for the date of service", C::Coding, Soft, S::Coding, Denial),
    carc("150", "Documentation does not support this level of service", C::MedicalNecessity, Soft, S::Documentation, Denial),
    carc("151", "Documentation does not support this many services or this frequency", C::MedicalNecessity, Soft, S::Documentation, Denial),
    carc("160", "Injury or illness from an excluded activity", C::NonCovered, Hard, S::Eligibility, Denial),
    carc("161", "Provider performance bonus", C::Contractual, Hard, S::Payer, NotDenial),
    carc("163", "Referenced attachment or documentation not received", C::MissingInformation, Soft, S::Documentation, Denial),
    carc("164", "Attachment not received in time", C::MissingInformation, Soft, S::Documentation, Denial),
    carc("167", "Diagnosis not covered", C::MedicalNecessity, Soft, S::Coding, Denial),
    carc("170", "Not payable when performed by this provider type", C::Credentialing, Soft, S::Credentialing, Denial),
    carc("171", "Not payable for this provider type in this facility type", C::Credentialing, Soft, S::Credentialing, Denial),
    carc("172", "Not payable when performed by this provider specialty", C::Credentialing, Soft, S::Credentialing, Denial),
    carc("173", "Not prescribed by a physician", C::MissingInformation, Soft, S::Documentation, Denial),
    carc("174", "Not prescribed before delivery", C::MissingInformation, Hard, S::Documentation, Denial),
    carc("176", "Prescription is not current", C::MissingInformation, Soft, S::Documentation, Denial),
    carc("177", "Patient has not met eligibility requirements", C::Eligibility, Soft, S::Eligibility, Denial),
    carc("181", "Procedure code invalid on the date of service", C::Coding, Soft, S::Coding, Denial),
    carc("182", "Modifier invalid on the date of service", C::Coding, Soft, S::Coding, Denial),
    carc("183", "Referring provider not eligible to refer this service", C::Credentialing, Soft, S::Credentialing, Denial),
    carc("185", "Rendering provider not eligible to perform this service", C::Credentialing, Soft, S::Credentialing, Denial),
    carc("189", "Unlisted code billed where a specific code exists", C::Coding, Soft, S::Coding, Denial),
    carc("193", "Original payment decision maintained on review", C::Contractual, Hard, S::Payer, AppealOutcome),
    carc("197", "Precertification, authorization or notification absent", C::Authorization, Soft, S::Authorization, Denial),
    carc("198", "Authorized number of services exceeded", C::Authorization, Soft, S::Authorization, Denial),
    carc("199", "Revenue code and procedure code do not match", C::Coding, Soft, S::Coding, Denial),
    carc("200", "Service during a lapse in coverage", C::Eligibility, Soft, S::Eligibility, Denial),
    carc("204", "Not covered under the patient's current benefit plan", C::NonCovered, Hard, S::Eligibility, Denial),
    carc("206", "Provider NPI missing", C::MissingInformation, Soft, S::Billing, Denial),
    carc("208", "Provider NPI does not match the payer's records", C::Credentialing, Soft, S::Credentialing, Denial),
    carc("209", "Not collectable from the patient; may be billed to a later payer", C::Contractual, Hard, S::Payer, NotDenial),
    carc("210", "Authorization or pre-certification not received in time", C::Authorization, Soft, S::Authorization, Denial),
    carc("222", "Exceeds the contracted maximum hours, days or units for the period", C::NonCovered, Hard, S::Payer, Denial),
    carc("226", "Information requested from the provider not sent or insufficient", C::MissingInformation, Soft, S::Documentation, Denial),
    carc("227", "Information requested from the patient not sent", C::MissingInformation, Soft, S::Registration, Denial),
    carc("231", "Mutually exclusive procedures cannot be done the same day or setting", C::Bundling, Soft, S::Coding, Denial),
    carc("234", "Procedure not paid separately", C::Bundling, Soft, S::Coding, Packaged),
    carc("235", "Sales tax", C::Contractual, Hard, S::Payer, NotDenial),
    carc("236", "Procedure or modifier combination not allowed with another service that day", C::Bundling, Soft, S::Coding, Denial),
    carc("237", "Legislated or regulatory penalty", C::Contractual, Hard, S::Payer, NotDenial),
    carc("242", "Service not provided by an in-network or primary care provider", C::Credentialing, Soft, S::Registration, Denial),
    carc("243", "Service not authorized by the network or primary care provider", C::Authorization, Soft, S::Authorization, Denial),
    carc("245", "Provider performance program withhold", C::Contractual, Hard, S::Payer, NotDenial),
    carc("246", "Non-payable code for required reporting only", C::Contractual, Hard, S::Payer, NotDenial),
    carc("250", "The attachment or documentation received was the wrong one", C::MissingInformation, Soft, S::Documentation, Denial),
    carc("251", "The attachment or documentation received was incomplete or deficient", C::MissingInformation, Soft, S::Documentation, Denial),
    carc("252", "Attachment or other documentation required to adjudicate", C::MissingInformation, Soft, S::Documentation, Denial),
    carc("253", "Sequestration: reduction of federal payment", C::Contractual, Hard, S::Payer, NotDenial),
    carc("256", "Service not payable under the managed-care contract", C::NonCovered, Hard, S::Payer, Denial),
    carc("258", "Not covered while the patient is in custody", C::Eligibility, Hard, S::Eligibility, Denial),
    carc("275", "Prior payer's patient responsibility not covered by this payer", C::Contractual, Hard, S::Payer, NotDenial),
    carc("276", "Services the prior payer denied are not covered by this payer", C::CoordinationOfBenefits, Soft, S::Billing, Denial),
    carc("288", "Referral absent", C::Authorization, Soft, S::Authorization, Denial),
    carc("A1", "Claim or service denied (see remark codes)", C::MissingInformation, Soft, S::Payer, Denial),
    carc("A2", "Contractual adjustment", C::Contractual, Hard, S::Payer, NotDenial),
    carc("A6", "Prior hospitalization or 30-day transfer requirement not met", C::MedicalNecessity, Hard, S::Documentation, Denial),
    carc("A7", "Presumptive payment adjustment", C::Contractual, Hard, S::Payer, NotDenial),
    carc("A8", "Ungroupable DRG", C::Coding, Soft, S::Coding, Denial),
    carc("B4", "Late filing penalty", C::TimelyFiling, Hard, S::Billing, Denial),
    carc("B5", "Coverage or program guidelines not met or exceeded", C::MedicalNecessity, Soft, S::Documentation, Denial),
    carc("B7", "Provider not certified for this procedure on this date", C::Credentialing, Soft, S::Credentialing, Denial),
    carc("B9", "Patient is enrolled in hospice", C::Eligibility, Hard, S::Eligibility, Denial),
    carc("B10", "Reduced because a component of the basic procedure was paid", C::Contractual, Hard, S::Payer, NotDenial),
    carc("B11", "Claim transferred to the proper payer", C::CoordinationOfBenefits, Soft, S::Registration, Denial),
    carc("B12", "Service not documented in the medical record", C::MissingInformation, Soft, S::Documentation, Denial),
    carc("B13", "Previously paid in an earlier remittance", C::Duplicate, Hard, S::Billing, Denial),
    carc("B14", "Only one visit or consultation per physician per day", C::Bundling, Soft, S::Coding, Denial),
    carc("B15", "Requires a qualifying service that was not received", C::MissingInformation, Soft, S::Coding, Denial),
    carc("B16", "New-patient requirements not met", C::Coding, Soft, S::Coding, Denial),
    carc("B20", "Service partly or fully furnished by another provider", C::Duplicate, Hard, S::Billing, Denial),
    carc("B22", "Payment adjusted because of the diagnosis", C::Coding, Soft, S::Coding, Denial),
    carc("W1", "Workers' compensation fee schedule adjustment", C::Contractual, Hard, S::Payer, NotDenial),
];

fn index() -> &'static HashMap<&'static str, &'static CarcInfo> {
    static INDEX: OnceLock<HashMap<&'static str, &'static CarcInfo>> = OnceLock::new();
    INDEX.get_or_init(|| CARCS.iter().map(|c| (c.code, c)).collect())
}

/// Looks a CARC up; `None` means the code is unknown to the table (still imported).
pub fn lookup(code: &str) -> Option<&'static CarcInfo> {
    index().get(code).copied()
}

/// The description to show, with an honest "unknown" for codes the table lacks.
pub fn describe(code: &str) -> &'static str {
    lookup(code).map_or("Unknown reason code (not in the built-in table)", |c| {
        c.description
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn table_is_large_and_codes_are_unique() {
        let codes: HashSet<_> = CARCS.iter().map(|c| c.code).collect();
        assert_eq!(codes.len(), CARCS.len(), "duplicate CARC in table");
        assert!(CARCS.len() >= 60);
    }

    #[test]
    fn normal_adjudication_codes_are_not_denials() {
        for code in [
            "45", "1", "2", "3", "253", "23", "100", "237", "246", "89", "24", "A7", "142", "B10",
            "245", "209", "235", "161", "118", "132", "130", "90", "275",
        ] {
            assert_eq!(lookup(code).unwrap().rule, DenialRule::NotDenial, "{code}");
        }
        assert_eq!(lookup("197").unwrap().rule, DenialRule::Denial);
        assert_eq!(
            lookup("97").unwrap().rule,
            DenialRule::PackagedOnInstitutional
        );
    }

    #[test]
    fn codes_that_fell_to_unknown_are_known() {
        for code in [
            "210", "222", "231", "250", "251", "256", "288", "A7", "B4", "142",
        ] {
            assert!(lookup(code).is_some(), "{code}");
        }
        // Coverage problems another payer or corrected eligibility can fix are soft.
        for code in ["26", "27", "33", "34", "177", "200"] {
            assert_eq!(lookup(code).unwrap().hardness, Hardness::Soft, "{code}");
        }
        assert_eq!(lookup("193").unwrap().rule, DenialRule::AppealOutcome);
    }

    #[test]
    fn unknown_code_is_described_as_unknown() {
        assert!(lookup("9999").is_none());
        assert!(describe("9999").contains("Unknown"));
        assert_eq!(lookup("197").unwrap().category, Category::Authorization);
    }
}

//! Remittance Advice Remark Codes (from MOA and LQ segments): our own short wording of the
//! remarks specialists meet most, so a claim screen can say what the payer meant.

use super::taxonomy::{Category, Hardness, Stage};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;

/// (code, description) pairs; wording is ours.
#[rustfmt::skip]
pub const RARCS: &[(&str, &str)] = &[
    ("M15", "Separately billed services were bundled as parts of one procedure"),
    ("M20", "HCPCS code missing, incomplete or invalid"),
    ("M25", "Documentation does not support the level of service"),
    ("M51", "Procedure code missing, incomplete or invalid"),
    ("M62", "Treatment authorization code missing, incomplete or invalid"),
    ("M76", "Diagnosis missing, incomplete or invalid"),
    ("M77", "Place of service missing, incomplete or invalid"),
    ("M79", "Charge missing, incomplete or invalid"),
    ("M80", "Not covered on the same date as a service already processed"),
    ("M86", "Already paid for the same or a similar procedure in this period"),
    ("M119", "NDC missing, incomplete, invalid or withdrawn"),
    ("M127", "Medical record for this service missing"),
    ("MA01", "You may appeal this decision if you disagree"),
    ("MA04", "Secondary payment needs the primary payer's payment information"),
    ("MA07", "Claim forwarded to the supplemental insurer"),
    ("MA18", "Claim also forwarded to the patient's supplemental insurer"),
    ("MA27", "Entitlement number or name missing or invalid"),
    ("MA61", "Social security number or member ID missing or invalid"),
    ("MA63", "Principal diagnosis missing, incomplete or invalid"),
    ("MA66", "Principal procedure code missing, incomplete or invalid"),
    ("MA130", "Incomplete or invalid claim: no appeal rights, submit a new claim"),
    ("N1", "You may appeal in writing within the required time limits"),
    ("N4", "Prior insurer's EOB missing, incomplete or invalid"),
    ("N5", "Prior payer's EOB received but the claim is not on file"),
    ("N10", "Adjusted after review by a medical advisor or review organisation"),
    ("N19", "Procedure is incidental to the primary procedure"),
    ("N20", "Not payable with another service on the same date"),
    ("N29", "Missing documentation, orders, notes, summary, report or chart"),
    ("N30", "Patient not eligible for this service"),
    ("N54", "Claim does not match the authorized services"),
    ("N56", "Procedure code not valid for the service or date billed"),
    ("N58", "Patient liability amount missing, incomplete or invalid"),
    ("N59", "See the provider manual for program information"),
    ("N95", "This provider type or specialty may not bill this service"),
    ("N115", "Decision based on a Local Coverage Determination"),
    ("N130", "See the plan's benefit documents for restrictions"),
    ("N179", "Additional information has been requested from the member"),
    ("N211", "This decision cannot be appealed"),
    ("N265", "Ordering provider identifier missing, incomplete or invalid"),
    ("N286", "Referring provider identifier missing, incomplete or invalid"),
    ("N290", "Rendering provider identifier missing, incomplete or invalid"),
    ("N362", "Days or units exceed the allowed maximum"),
    ("N381", "See the contract for billing and payment restrictions"),
    ("N386", "Decision based on a National Coverage Determination"),
    ("N425", "Service excluded by statute"),
    ("N432", "Adjusted after a recovery audit"),
    ("N517", "Submit a new claim with the requested information"),
    ("N522", "Duplicate of a claim processed as a crossover"),
    ("N640", "Exceeds the number or frequency allowed in the period"),
    ("N657", "Bill with the appropriate code for these services"),
    ("N702", "Decision based on review of earlier claims for similar services"),
    ("N706", "Missing documentation"),
];

/// Whether the payer lets this denial be appealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AppealRights {
    /// The normal path: appeal within the payer's window.
    Appealable,
    /// No appeal rights: correct the claim and submit a new one (MA130) before the
    /// payer's timely-filing limit.
    ResubmitOnly,
    /// The decision cannot be appealed (N211); a corrected new claim is the only path.
    NotAppealable,
}

/// What a remark code changes about a denial. `None` leaves the CARC's meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RarcRule {
    /// The remark code ("MA130").
    pub code: &'static str,
    /// The category it gives a generic CARC, if any.
    pub category: Option<Category>,
    /// The hardness it implies, if any.
    pub hardness: Option<Hardness>,
    /// The workflow stage it points to, if any.
    pub stage: Option<Stage>,
    /// Whether it takes appeal rights away.
    pub appeal: Option<AppealRights>,
}

const fn rule(
    code: &'static str,
    category: Option<Category>,
    hardness: Option<Hardness>,
    stage: Option<Stage>,
    appeal: Option<AppealRights>,
) -> RarcRule {
    RarcRule {
        code,
        category,
        hardness,
        stage,
        appeal,
    }
}

use AppealRights::{NotAppealable, ResubmitOnly};
use Category as C;
use Hardness::{Hard, Soft};
use Stage as S;

/// Remark codes that change the path. A category or stage override applies when the
/// claim's CARC is a generic one that says "see the remark codes" (16, A1, 125, 252 or an
/// unknown code); a specific CARC keeps its own meaning. Appeal rights always apply: a
/// payer that says "no appeal rights" means it whatever the CARC.
#[rustfmt::skip]
pub const RARC_RULES: &[RarcRule] = &[
    rule("MA130", Some(C::MissingInformation), Some(Soft), Some(S::Billing), Some(ResubmitOnly)),
    rule("N211", None, Some(Hard), None, Some(NotAppealable)),
    rule("M20", Some(C::Coding), Some(Soft), Some(S::Coding), None),
    rule("M51", Some(C::Coding), Some(Soft), Some(S::Coding), None),
    rule("M76", Some(C::Coding), Some(Soft), Some(S::Coding), None),
    rule("MA63", Some(C::Coding), Some(Soft), Some(S::Coding), None),
    rule("MA66", Some(C::Coding), Some(Soft), Some(S::Coding), None),
    rule("N56", Some(C::Coding), Some(Soft), Some(S::Coding), None),
    rule("N657", Some(C::Coding), Some(Soft), Some(S::Coding), None),
    rule("M77", Some(C::Coding), Some(Soft), Some(S::ChargeEntry), None),
    rule("M79", Some(C::MissingInformation), Some(Soft), Some(S::ChargeEntry), None),
    rule("N30", Some(C::Eligibility), Some(Soft), Some(S::Eligibility), None),
    rule("MA27", Some(C::Eligibility), Some(Soft), Some(S::Registration), None),
    rule("MA61", Some(C::Eligibility), Some(Soft), Some(S::Registration), None),
    rule("N4", Some(C::CoordinationOfBenefits), Some(Soft), Some(S::Billing), None),
    rule("N5", Some(C::CoordinationOfBenefits), Some(Soft), Some(S::Billing), None),
    rule("MA04", Some(C::CoordinationOfBenefits), Some(Soft), Some(S::Billing), None),
    rule("M127", Some(C::MissingInformation), Some(Soft), Some(S::Documentation), None),
    rule("N29", Some(C::MissingInformation), Some(Soft), Some(S::Documentation), None),
    rule("N706", Some(C::MissingInformation), Some(Soft), Some(S::Documentation), None),
    rule("M62", Some(C::Authorization), Some(Soft), Some(S::Authorization), None),
    rule("N54", Some(C::Authorization), Some(Soft), Some(S::Authorization), None),
    rule("N265", Some(C::MissingInformation), Some(Soft), Some(S::Billing), None),
    rule("N286", Some(C::MissingInformation), Some(Soft), Some(S::Billing), None),
    rule("N290", Some(C::Credentialing), Some(Soft), Some(S::Credentialing), None),
    rule("M86", Some(C::Duplicate), Some(Hard), Some(S::Billing), None),
    rule("N522", Some(C::Duplicate), Some(Hard), Some(S::Billing), None),
];

/// The rule a remark code carries, if any.
pub fn rule_for(code: &str) -> Option<&'static RarcRule> {
    RARC_RULES.iter().find(|r| r.code == code)
}

fn index() -> &'static HashMap<&'static str, &'static str> {
    static INDEX: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    INDEX.get_or_init(|| RARCS.iter().copied().collect())
}

/// The description of a remark code, or an honest "unknown" for codes the table lacks.
pub fn describe(code: &str) -> &'static str {
    index()
        .get(code)
        .copied()
        .unwrap_or("Unknown remark code (not in the built-in table)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_large_and_unique() {
        assert!(RARCS.len() >= 40);
        assert_eq!(index().len(), RARCS.len(), "duplicate RARC in table");
        assert!(describe("N211").contains("cannot be appealed"));
        assert!(describe("ZZ9").starts_with("Unknown"));
    }

    #[test]
    fn every_rule_has_a_description() {
        for r in RARC_RULES {
            assert!(!describe(r.code).starts_with("Unknown"), "{}", r.code);
        }
        assert_eq!(
            rule_for("MA130").unwrap().appeal,
            Some(AppealRights::ResubmitOnly)
        );
        assert_eq!(
            rule_for("N211").unwrap().appeal,
            Some(AppealRights::NotAppealable)
        );
    }
}

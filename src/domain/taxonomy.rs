//! The closed sets a denial is described with: category, hard/soft, and the workflow stage
//! that caused it. Used by the CARC/RARC tables, the work item and the KPI engine.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What kind of problem a denial reason points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// The patient was not covered on the date of service.
    Eligibility,
    /// No prior authorization or referral on file.
    Authorization,
    /// Procedure, diagnosis or modifier coding.
    Coding,
    /// Not medically necessary as billed.
    MedicalNecessity,
    /// Filed after the payer's limit.
    TimelyFiling,
    /// Already billed.
    Duplicate,
    /// Another payer is primary (coordination of benefits).
    CoordinationOfBenefits,
    /// Bundled into another service.
    Bundling,
    /// Information or documents missing from the claim.
    MissingInformation,
    /// The provider is not credentialed or enrolled.
    Credentialing,
    /// A service the plan does not cover.
    NonCovered,
    /// A contractual adjustment that still takes money the specialist should check.
    Contractual,
    /// The patient's share (kept out of denial work).
    PatientResponsibility,
    /// A code the built-in table does not know: imported and shown, never rejected.
    Unknown,
}

impl Category {
    /// Every category, in display order.
    pub const ALL: [Category; 14] = [
        Category::Eligibility,
        Category::Authorization,
        Category::Coding,
        Category::MedicalNecessity,
        Category::TimelyFiling,
        Category::Duplicate,
        Category::CoordinationOfBenefits,
        Category::Bundling,
        Category::MissingInformation,
        Category::Credentialing,
        Category::NonCovered,
        Category::Contractual,
        Category::PatientResponsibility,
        Category::Unknown,
    ];

    /// The kebab-case name used on the command line and in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Category::Eligibility => "eligibility",
            Category::Authorization => "authorization",
            Category::Coding => "coding",
            Category::MedicalNecessity => "medical-necessity",
            Category::TimelyFiling => "timely-filing",
            Category::Duplicate => "duplicate",
            Category::CoordinationOfBenefits => "coordination-of-benefits",
            Category::Bundling => "bundling",
            Category::MissingInformation => "missing-information",
            Category::Credentialing => "credentialing",
            Category::NonCovered => "non-covered",
            Category::Contractual => "contractual",
            Category::PatientResponsibility => "patient-responsibility",
            Category::Unknown => "unknown",
        }
    }

    /// Human wording for explanations ("authorization denials overturn often").
    pub fn label(self) -> &'static str {
        match self {
            Category::Eligibility => "eligibility",
            Category::Authorization => "authorization",
            Category::Coding => "coding",
            Category::MedicalNecessity => "medical necessity",
            Category::TimelyFiling => "timely filing",
            Category::Duplicate => "duplicate",
            Category::CoordinationOfBenefits => "coordination of benefits",
            Category::Bundling => "bundling",
            Category::MissingInformation => "missing information",
            Category::Credentialing => "credentialing",
            Category::NonCovered => "non-covered",
            Category::Contractual => "contractual",
            Category::PatientResponsibility => "patient responsibility",
            Category::Unknown => "unknown reason",
        }
    }

    /// Parses the key form (as printed by `key`), case-insensitively.
    pub fn parse(text: &str) -> Option<Category> {
        let wanted = text.trim().to_ascii_lowercase().replace([' ', '_'], "-");
        Category::ALL.into_iter().find(|c| c.key() == wanted)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Hard denials cannot be fixed by correcting and resubmitting (appeal or write off);
/// soft denials can be worked back into payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Hardness {
    /// Final unless appealed successfully: rarely worth working.
    Hard,
    /// Fixable: correct, resubmit or appeal.
    Soft,
}

impl Hardness {
    /// The hardness as written in lists and JSON.
    pub fn key(self) -> &'static str {
        match self {
            Hardness::Hard => "hard",
            Hardness::Soft => "soft",
        }
    }
}

impl fmt::Display for Hardness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The step of the revenue cycle a denial points back to, so managers can fix the front end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// Front desk: demographics and registration.
    Registration,
    /// Eligibility and benefits checks.
    Eligibility,
    /// Authorization and referrals.
    Authorization,
    /// Coding.
    Coding,
    /// Clinical documentation.
    Documentation,
    /// Charge entry.
    ChargeEntry,
    /// Provider credentialing and enrolment.
    Credentialing,
    /// Claim billing and submission.
    Billing,
    /// The payer's own processing.
    Payer,
}

impl Stage {
    /// The stage as written in lists and JSON.
    pub fn key(self) -> &'static str {
        match self {
            Stage::Registration => "registration",
            Stage::Eligibility => "eligibility",
            Stage::Authorization => "authorization",
            Stage::Coding => "coding",
            Stage::Documentation => "documentation",
            Stage::ChargeEntry => "charge-entry",
            Stage::Credentialing => "credentialing",
            Stage::Billing => "billing",
            Stage::Payer => "payer",
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_keys_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.key()), Some(c));
        }
        assert_eq!(
            Category::parse("Medical Necessity"),
            Some(Category::MedicalNecessity)
        );
        assert_eq!(Category::parse("nonsense"), None);
    }
}

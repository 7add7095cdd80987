//! The appeal ladder: the levels a payer's appeals climb, how long after the previous
//! decision each may be filed, and how long the reviewer has to answer. These are the
//! built-in defaults, each with its source; a payer's entry in `payers.toml` overrides
//! them (`appeal_window_days`, `response_days`, `[[payer.next_level]]`).

use serde::{Deserialize, Serialize};

/// Whose appeal rules a payer follows: decides the default windows and how many levels
/// there are. From the payer's `program` in the rules file, else from CLP06.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Program {
    /// Medicare Parts A and B (CLP06 MA, MB): 42 CFR 405 subpart I.
    Medicare,
    /// Medicare Advantage, Part C (CLP06 16, HM, or a payer configured so): 42 CFR 422
    /// subpart M.
    MedicareAdvantage,
    /// Medicaid (CLP06 MC): the state's rules and 42 CFR 438 for its managed-care plans.
    Medicaid,
    /// Everyone else: the contract, ERISA for employer plans, external review after.
    Commercial,
}

/// One level of a program's ladder, as the built-in defaults know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Level {
    /// What the level is called ("reconsideration (QIC)").
    pub name: &'static str,
    /// Days to file it: from the denial's remittance for level 1, else from the previous
    /// level's decision.
    pub window_days: u32,
    /// Where that window comes from.
    pub window_source: &'static str,
    /// Days the reviewer has to decide.
    pub response_days: u32,
    /// Where that comes from.
    pub response_source: &'static str,
}

const fn level(
    name: &'static str,
    window_days: u32,
    window_source: &'static str,
    response_days: u32,
    response_source: &'static str,
) -> Level {
    Level {
        name,
        window_days,
        window_source,
        response_days,
        response_source,
    }
}

/// No rule sets how long a federal court takes: follow up twice a year.
const COURT_FOLLOW_UP: (u32, &str) = (180, "no time limit set by rule: a follow-up every 180 days");

const MEDICARE: [Level; 5] = [
    level(
        "redetermination (MAC)",
        120,
        "42 CFR 405.942(a)",
        60,
        "42 CFR 405.950(a)",
    ),
    level(
        "reconsideration (QIC)",
        180,
        "42 CFR 405.962(a)",
        60,
        "42 CFR 405.970(a)",
    ),
    level(
        "ALJ hearing (OMHA)",
        60,
        "42 CFR 405.1014(b)",
        90,
        "42 CFR 405.1016(a)",
    ),
    level(
        "Medicare Appeals Council review",
        60,
        "42 CFR 405.1102(a)",
        90,
        "42 CFR 405.1100(c)",
    ),
    level(
        "federal district court",
        60,
        "42 CFR 405.1130",
        COURT_FOLLOW_UP.0,
        COURT_FOLLOW_UP.1,
    ),
];

const MEDICARE_ADVANTAGE: [Level; 5] = [
    level(
        "plan reconsideration",
        65,
        "42 CFR 422.582(b)",
        60,
        "42 CFR 422.590(b) (payment requests)",
    ),
    // The plan itself must send an upheld reconsideration to the IRE: nothing to file, but
    // someone must check within its own 60 days that it did.
    level(
        "independent review entity (IRE), forwarded by the plan",
        60,
        "42 CFR 422.590(b)(2), 422.592",
        60,
        "the IRE's CMS contract (42 CFR 422.592(b))",
    ),
    level(
        "ALJ hearing (OMHA)",
        60,
        "42 CFR 422.602(b)",
        90,
        "42 CFR 405.1016(a), by 422.562(d)",
    ),
    level(
        "Medicare Appeals Council review",
        60,
        "42 CFR 422.608",
        90,
        "42 CFR 405.1100(c), by 422.562(d)",
    ),
    level(
        "federal district court",
        60,
        "42 CFR 422.612",
        COURT_FOLLOW_UP.0,
        COURT_FOLLOW_UP.1,
    ),
];

const MEDICAID: [Level; 2] = [
    level(
        "first-level appeal",
        60,
        "42 CFR 438.402(c)(2)(ii) (managed-care plans); states set their own: set appeal_window_days",
        30,
        "42 CFR 438.408(b)(2) (managed-care plan appeals)",
    ),
    level(
        "state fair hearing",
        120,
        "42 CFR 438.408(f)(2)",
        90,
        "42 CFR 431.244(f)(1)",
    ),
];

const COMMERCIAL: [Level; 3] = [
    level(
        "first-level appeal",
        90,
        "a common contract term: set appeal_window_days for each payer",
        30,
        "29 CFR 2560.503-1(i)(2)(iii)(B) (ERISA, two-level plans)",
    ),
    level(
        "second-level appeal",
        60,
        "a common contract term: set [[payer.next_level]] for each payer",
        30,
        "29 CFR 2560.503-1(i)(2)(iii)(B) (ERISA, two-level plans)",
    ),
    level(
        "external review",
        120,
        "45 CFR 147.136(d)(2)(i): four months after the final internal decision",
        45,
        "45 CFR 147.136(d)(2)(iv)",
    ),
];

impl Program {
    /// The program CLP06 (claim filing indicator) names: MA/MB Medicare, 16 (HMO Medicare
    /// risk) Medicare Advantage, MC Medicaid, anything else commercial. HM is any HMO:
    /// it gets Medicare Advantage's ladder, whose first window (65 days) is the shorter,
    /// and its deadline says it was assumed (`DefaultHmo`) until payers.toml names the
    /// payer's `program`.
    pub fn from_filing_indicator(filing_indicator: &str) -> Program {
        match filing_indicator.trim() {
            "MA" | "MB" => Program::Medicare,
            "16" | "HM" => Program::MedicareAdvantage,
            "MC" => Program::Medicaid,
            _ => Program::Commercial,
        }
    }

    /// The name on screens.
    pub fn name(self) -> &'static str {
        match self {
            Program::Medicare => "Medicare",
            Program::MedicareAdvantage => "Medicare Advantage",
            Program::Medicaid => "Medicaid",
            Program::Commercial => "commercial",
        }
    }

    /// The program's levels, first to last.
    pub fn levels(self) -> &'static [Level] {
        match self {
            Program::Medicare => &MEDICARE,
            Program::MedicareAdvantage => &MEDICARE_ADVANTAGE,
            Program::Medicaid => &MEDICAID,
            Program::Commercial => &COMMERCIAL,
        }
    }

    /// Whether the payer itself sends an upheld decision on to level `n`: a Medicare
    /// Advantage plan forwards an upheld reconsideration to the independent review
    /// entity (42 CFR 422.590(b)(2), 422.592), so there is nothing to file.
    pub fn forwards_itself(self, n: u8) -> bool {
        self == Program::MedicareAdvantage && n == 2
    }

    /// Level `n` (1-based), if the program has it.
    pub fn level(self, n: u8) -> Option<&'static Level> {
        usize::from(n)
            .checked_sub(1)
            .and_then(|i| self.levels().get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_program_has_a_first_level_and_each_level_its_sources() {
        for p in [
            Program::Medicare,
            Program::MedicareAdvantage,
            Program::Medicaid,
            Program::Commercial,
        ] {
            assert!(p.level(1).is_some(), "{}", p.name());
            assert!(p.level(0).is_none());
            for l in p.levels() {
                assert!(l.window_days > 0 && l.response_days > 0, "{}", l.name);
                assert!(!l.window_source.is_empty() && !l.response_source.is_empty());
            }
        }
        // Medicare's five levels: 120 days to redetermination, 180 to the QIC after it.
        assert_eq!(Program::Medicare.levels().len(), 5);
        assert_eq!(Program::Medicare.level(2).unwrap().window_days, 180);
        assert_eq!(Program::MedicareAdvantage.level(1).unwrap().window_days, 65);
        assert_eq!(
            Program::from_filing_indicator("16"),
            Program::MedicareAdvantage
        );
        assert_eq!(Program::from_filing_indicator("MB"), Program::Medicare);
        assert_eq!(Program::from_filing_indicator("CI"), Program::Commercial);
    }
}

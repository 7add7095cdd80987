//! A deadline and where its window came from (the user's rules, or which built-in
//! default), as screens, `list` and the timeline describe it.

use super::ladder::Program;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where an appeal window came from: the user's rules or a built-in default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeadlineSource {
    /// The payer's entry in the rules file.
    PayerRule {
        /// The entry's name.
        payer: String,
    },
    /// The default Medicare redetermination window (120 days).
    DefaultMedicare,
    /// The default Medicaid window (60 days).
    DefaultMedicaid,
    /// The default window for other payers (90 days).
    DefaultOther,
    /// No appeal rights: resubmit by the payer's timely-filing limit (from the rules file).
    TimelyFilingRule {
        /// The entry's name.
        payer: String,
    },
    /// No appeal rights: resubmit by the default Medicare filing limit.
    DefaultTimelyFilingMedicare,
    /// No appeal rights: resubmit by the default filing limit for other payers.
    DefaultTimelyFilingOther,
    /// The default Medicare Advantage reconsideration window (65 days, 42 CFR 422.582(b)).
    DefaultMedicareAdvantage,
    /// A higher level after an upheld decision, by the payer's `[[payer.next_level]]`.
    NextLevelRule {
        /// The entry's name.
        payer: String,
        /// The level now open (2 …).
        level: u8,
    },
    /// A higher level after an upheld decision, by the program's default (see `ladder`).
    NextLevelDefault {
        /// The level now open (2 …).
        level: u8,
        /// The program whose ladder gave the window.
        program: Program,
    },
    /// CLP06 HM (any HMO) with no payer rule: Medicare Advantage's 65 days, the shorter
    /// window, until payers.toml says which program the payer is.
    DefaultHmo,
}

impl DeadlineSource {
    /// A built-in default rather than the user's rules (shown with a `*`).
    pub fn is_default(&self) -> bool {
        !matches!(
            self,
            DeadlineSource::PayerRule { .. }
                | DeadlineSource::TimelyFilingRule { .. }
                | DeadlineSource::NextLevelRule { .. }
        )
    }

    /// When the payer itself sends the case on to this level (see
    /// `Program::forwards_itself`): the days the reviewer has to decide it.
    pub fn forwarded_by_payer(&self) -> Option<u32> {
        match self {
            DeadlineSource::NextLevelDefault { level, program }
                if program.forwards_itself(*level) =>
            {
                program.level(*level).map(|l| l.response_days)
            }
            _ => None,
        }
    }

    /// The appeal level the deadline is for (1 unless an upheld decision opened a higher
    /// one); `None` for a resubmission deadline.
    pub fn appeal_level(&self) -> Option<u8> {
        match self {
            _ if self.is_resubmission() => None,
            DeadlineSource::NextLevelRule { level, .. }
            | DeadlineSource::NextLevelDefault { level, .. } => Some(*level),
            _ => Some(1),
        }
    }

    /// The deadline is for a corrected new claim (no appeal rights), counted from the
    /// date of service, not for an appeal.
    pub fn is_resubmission(&self) -> bool {
        matches!(
            self,
            DeadlineSource::TimelyFilingRule { .. }
                | DeadlineSource::DefaultTimelyFilingMedicare
                | DeadlineSource::DefaultTimelyFilingOther
        )
    }

    /// A short phrase for screens: "payer rule: Aetna" or "default (Medicare, 120 days)".
    pub fn describe(&self, window_days: u32) -> String {
        match self {
            DeadlineSource::PayerRule { payer } => format!("payer rule: {payer}"),
            DeadlineSource::DefaultMedicare => format!("default (Medicare, {window_days} days)"),
            DeadlineSource::DefaultMedicaid => format!("default (Medicaid, {window_days} days)"),
            DeadlineSource::DefaultOther => {
                format!("default (payer not in rules, {window_days} days)")
            }
            DeadlineSource::TimelyFilingRule { payer } => {
                format!("timely filing: {payer}, {window_days} days from service")
            }
            DeadlineSource::DefaultTimelyFilingMedicare => {
                format!("default timely filing (Medicare, {window_days} days from service)")
            }
            DeadlineSource::DefaultTimelyFilingOther => format!(
                "default timely filing (payer not in rules, {window_days} days from service)"
            ),
            DeadlineSource::DefaultMedicareAdvantage => {
                format!("default (Medicare Advantage, {window_days} days)")
            }
            DeadlineSource::DefaultHmo => format!(
                "default (CLP06 HM, an HMO: Medicare Advantage's {window_days} days, the shorter; name its program in payers.toml)"
            ),
            DeadlineSource::NextLevelRule { payer, level } => format!(
                "level {level}: payer rule {payer}, {window_days} days from the level-{} decision",
                level - 1
            ),
            DeadlineSource::NextLevelDefault { level, program } => {
                let name = program.level(*level).map_or("appeal", |l| l.name);
                format!(
                    "default level {level}: {} {name}, {window_days} days from the level-{} decision",
                    program.name(),
                    level - 1
                )
            }
        }
    }
}

/// The last day an appeal can be filed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealDeadline {
    /// The last day.
    pub date: NaiveDate,
    /// The window it was counted with.
    pub window_days: u32,
    /// Where the window came from.
    pub source: DeadlineSource,
}

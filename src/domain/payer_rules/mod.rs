//! Payer rules (appeal windows per level, response times, timely filing, contacts) from a
//! TOML file, and the deadlines they give. When a payer is not in the file a documented
//! default applies (see `ladder` for every level's default and its source), and the
//! deadline says so.

use super::claim::Party;
use chrono::NaiveDate;
pub use ladder::Program;
use serde::{Deserialize, Serialize};

mod deadline;
pub mod ladder;
pub use deadline::{AppealDeadline, DeadlineSource};

/// Appeal window when a Medicare payer (CLP06 MA/MB) is not in the rules file
/// (42 CFR 405.942(a)).
pub const DEFAULT_MEDICARE_DAYS: u32 = 120;
/// Appeal window when a Medicare Advantage payer (CLP06 16/HM) is not in the rules file
/// (42 CFR 422.582(b)).
pub const DEFAULT_MEDICARE_ADVANTAGE_DAYS: u32 = 65;
/// Appeal window when a Medicaid payer (CLP06 MC) is not in the rules file: the 60 days
/// 42 CFR 438.402(c)(2)(ii) gives managed-care appeals (states may allow more).
pub const DEFAULT_MEDICAID_DAYS: u32 = 60;
/// Appeal window for any other payer not in the rules file.
pub const DEFAULT_OTHER_DAYS: u32 = 90;
/// Timely-filing limit from the date of service for a Medicare payer not in the rules
/// file (42 CFR 424.44: one calendar year).
pub const DEFAULT_MEDICARE_FILING_DAYS: u32 = 365;
/// Days a Medicare contractor has to decide a redetermination (42 CFR 405.950: 60 days
/// from receiving the request): when its answer is due unless the rules file says.
pub const DEFAULT_MEDICARE_RESPONSE_DAYS: u32 = 60;
/// Days any other payer has to decide an appeal unless the rules file says: 30, the
/// shortest window an ERISA group health plan has for a post-service appeal (29 CFR
/// 2560.503-1(i)(2)(iii)(B), two-level plans), so the follow-up is never late.
pub const DEFAULT_OTHER_RESPONSE_DAYS: u32 = 30;
/// Timely-filing limit for any other payer not in the rules file (a common commercial
/// contract term; set `timely_filing_days` for each payer).
pub const DEFAULT_OTHER_FILING_DAYS: u32 = 90;

/// One payer's rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayerRule {
    /// The payer's name as remittances spell it (matched case-insensitively).
    pub name: String,
    /// Payer identifiers as they appear in N1*PR04 or REF*2U.
    #[serde(default)]
    pub ids: Vec<String>,
    /// Whose appeal rules the payer follows (its levels and their default windows); else
    /// from CLP06. Names a Medicare Advantage plan by its ids, or a commercial HMO.
    #[serde(default)]
    pub program: Option<Program>,
    /// Days from the remittance date to file a first-level appeal; else the program's
    /// default (required when `program` is not given).
    #[serde(default)]
    pub appeal_window_days: Option<u32>,
    /// Days from the date of service to file (or resubmit) a claim.
    #[serde(default)]
    pub timely_filing_days: Option<u32>,
    /// Days the payer takes to decide a first-level appeal (when its answer is due).
    #[serde(default)]
    pub response_days: Option<u32>,
    /// The levels after the first (`[[payer.next_level]]`, level 2 first): when given they
    /// are all the levels there are, else the program's.
    #[serde(default, rename = "next_level")]
    pub next_levels: Vec<LevelRule>,
    /// The provider line to call about claims.
    #[serde(default)]
    pub phone: Option<String>,
    /// The provider portal's address.
    #[serde(default)]
    pub portal: Option<String>,
    /// Where appeals go, one line each (appeal letters print it).
    #[serde(default)]
    pub appeals_address: Vec<String>,
    /// Where a higher level goes when not to `appeals_address` (Medicare's level 2 goes to
    /// the QIC): `[payer.level_address]` with `"2" = ["…", "…"]`.
    #[serde(default)]
    pub level_address: std::collections::BTreeMap<String, Vec<String>>,
}

impl PayerRule {
    /// Where an appeal at `level` goes: its own address if the rule has one, else the
    /// payer's appeals address.
    pub fn address_for(&self, level: u8) -> &[String] {
        self.level_address
            .get(&level.to_string())
            .filter(|a| !a.is_empty())
            .unwrap_or(&self.appeals_address)
    }
}

/// One appeal level after the first, for one payer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelRule {
    /// Days from the previous level's decision to file this one.
    pub window_days: u32,
    /// Days the reviewer takes to decide it; else the program's default for the level.
    #[serde(default)]
    pub response_days: Option<u32>,
}

/// All payer rules, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayerRules {
    /// One `[[payer]]` table each.
    #[serde(default, rename = "payer")]
    pub payers: Vec<PayerRule>,
    /// The routing rules from the config file (never from a payers file), carried with
    /// the payer rules to every import, the team server's included.
    #[serde(
        default,
        skip_serializing_if = "crate::domain::routing::rules::Routing::is_empty"
    )]
    pub routing: crate::domain::routing::rules::Routing,
    /// The underpayment tolerance from the config file (never from a payers file),
    /// carried with the rules to every import like the routing rules.
    #[serde(
        default,
        skip_serializing_if = "crate::domain::contract::Tolerance::is_default"
    )]
    pub underpayment: crate::domain::contract::Tolerance,
    /// The appeal checklists from the config file (never from a payers file), carried
    /// with the rules to every appeal form.
    #[serde(
        default,
        skip_serializing_if = "crate::domain::packet::Checklists::is_empty"
    )]
    pub checklists: crate::domain::packet::Checklists,
}

/// Why a payer-rules file was refused.
#[derive(Debug, thiserror::Error)]
pub enum PayerRulesError {
    #[error("{file}: {message}")]
    /// Not valid TOML, or an unknown key.
    Syntax {
        /// The file.
        file: String,
        /// What the parser said.
        message: String,
    },
    #[error("{file}: payer {name:?}: {message}")]
    /// A payer entry that makes no sense (a zero window …).
    Invalid {
        /// The file.
        file: String,
        /// The payer entry.
        name: String,
        /// What is wrong.
        message: String,
    },
}

impl PayerRules {
    /// Parses a rules file's text; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<PayerRules, PayerRulesError> {
        let rules: PayerRules = toml::from_str(text).map_err(|e| PayerRulesError::Syntax {
            file: file.to_string(),
            message: e.to_string().trim_end().to_string(),
        })?;
        if !rules.underpayment.is_default() {
            return Err(PayerRulesError::Syntax {
                file: file.to_string(),
                message: "the underpayment tolerance belongs in config.toml ([underpayment]), not in a payers file".into(),
            });
        }
        if !rules.routing.is_empty() {
            return Err(PayerRulesError::Syntax {
                file: file.to_string(),
                message: "routing rules belong in config.toml ([[route]] and [teams]), not in a payers file".into(),
            });
        }
        if !rules.checklists.is_empty() {
            return Err(PayerRulesError::Syntax {
                file: file.to_string(),
                message:
                    "appeal checklists belong in config.toml ([[checklist]]), not in a payers file"
                        .into(),
            });
        }
        for p in &rules.payers {
            let invalid = |message: &str| PayerRulesError::Invalid {
                file: file.to_string(),
                name: p.name.clone(),
                message: message.to_string(),
            };
            if p.name.trim().is_empty() {
                return Err(invalid("name is empty"));
            }
            if p.level_address
                .keys()
                .any(|k| !matches!(k.as_str(), "2" | "3" | "4" | "5"))
            {
                return Err(invalid(
                    "level_address keys are the levels 2 to 5 (level 1 is appeals_address)",
                ));
            }
            let out_of_range = |d: Option<u32>| d.is_some_and(|d| d == 0 || d > 3650);
            match p.appeal_window_days {
                None if p.program.is_none() => return Err(invalid(
                    "appeal_window_days is missing (or name the payer's program for its default)",
                )),
                d if out_of_range(d) => {
                    return Err(invalid("appeal_window_days must be between 1 and 3650"))
                }
                _ => {}
            }
            if out_of_range(p.response_days) {
                return Err(invalid("response_days must be between 1 and 3650"));
            }
            if p.next_levels.len() > 4 {
                return Err(invalid("at most 4 next_level entries (levels 2 to 5)"));
            }
            for (i, l) in p.next_levels.iter().enumerate() {
                if out_of_range(Some(l.window_days)) || out_of_range(l.response_days) {
                    return Err(invalid(&format!(
                        "next_level {} (level {}): window_days and response_days must be between 1 and 3650",
                        i + 1,
                        i + 2
                    )));
                }
            }
        }
        Ok(rules)
    }

    /// The rule for a payer: by identifier first, then by name (case-insensitive).
    pub fn find(&self, payer: &Party) -> Option<&PayerRule> {
        let id = payer.id.trim();
        self.payers
            .iter()
            .find(|r| !id.is_empty() && r.ids.iter().any(|i| i == id))
            .or_else(|| {
                self.payers
                    .iter()
                    .find(|r| r.name.trim().eq_ignore_ascii_case(payer.name.trim()))
            })
    }
}

/// Whose appeal rules the payer follows: its `program` in the rules file, else CLP06's.
pub fn program(rules: &PayerRules, payer: &Party, filing_indicator: &str) -> Program {
    rules
        .find(payer)
        .and_then(|r| r.program)
        .unwrap_or_else(|| Program::from_filing_indicator(filing_indicator))
}

/// How many appeal levels the payer has: 1 + its `next_level` entries when it has any,
/// else its program's.
pub fn levels(rules: &PayerRules, payer: &Party, filing_indicator: &str) -> u8 {
    let own = rules.find(payer).map_or(0, |r| r.next_levels.len());
    let count = if own > 0 {
        own + 1
    } else {
        program(rules, payer, filing_indicator).levels().len()
    };
    u8::try_from(count).unwrap_or(u8::MAX)
}

/// Days the payer takes to decide an appeal at `level`: the rules file's, else the
/// program's default for that level (see `ladder`); with whether a default was used.
pub fn response_days(
    rules: &PayerRules,
    payer: &Party,
    filing_indicator: &str,
    level: u8,
) -> (u32, bool) {
    let rule = rules.find(payer);
    let own = match level {
        1 => rule.and_then(|r| r.response_days),
        n => rule
            .and_then(|r| r.next_levels.get(usize::from(n).saturating_sub(2)))
            .and_then(|l| l.response_days),
    };
    if let Some(days) = own {
        return (days, false);
    }
    let program = program(rules, payer, filing_indicator);
    let days = program
        .level(level)
        .or_else(|| program.levels().last())
        .map_or(DEFAULT_OTHER_RESPONSE_DAYS, |l| l.response_days);
    (days, true)
}

/// After level `upheld` was upheld on `decided`: the deadline to file the next level,
/// counted from the decision, or `None` when that was the payer's last level.
pub fn next_level_deadline(
    rules: &PayerRules,
    payer: &Party,
    filing_indicator: &str,
    upheld: u8,
    decided: NaiveDate,
) -> Option<AppealDeadline> {
    let level = upheld.checked_add(1)?;
    if level > levels(rules, payer, filing_indicator) {
        return None;
    }
    let rule = rules.find(payer);
    let (window_days, source) = match rule.and_then(|r| r.next_levels.get(usize::from(upheld - 1)))
    {
        Some(own) => (
            own.window_days,
            DeadlineSource::NextLevelRule {
                payer: rule.map(|r| r.name.clone()).unwrap_or_default(),
                level,
            },
        ),
        None => {
            let program = program(rules, payer, filing_indicator);
            (
                program.level(level)?.window_days,
                DeadlineSource::NextLevelDefault { level, program },
            )
        }
    };
    Some(AppealDeadline {
        date: decided + chrono::Duration::days(i64::from(window_days)),
        window_days,
        source,
    })
}

/// Appeal deadline = remittance date + the payer's appeal window (or the default by CLP06).
pub fn appeal_deadline(
    rules: &PayerRules,
    payer: &Party,
    filing_indicator: &str,
    remit_date: NaiveDate,
) -> AppealDeadline {
    let rule = rules.find(payer);
    let (window_days, source) = match rule.and_then(|r| r.appeal_window_days.map(|d| (r, d))) {
        Some((rule, days)) => (
            days,
            DeadlineSource::PayerRule {
                payer: rule.name.clone(),
            },
        ),
        None => match program(rules, payer, filing_indicator) {
            Program::Medicare => (DEFAULT_MEDICARE_DAYS, DeadlineSource::DefaultMedicare),
            // HM is any HMO: Medicare Advantage's window, the shorter, said to be assumed.
            Program::MedicareAdvantage if filing_indicator.trim() == "HM" => {
                (DEFAULT_MEDICARE_ADVANTAGE_DAYS, DeadlineSource::DefaultHmo)
            }
            Program::MedicareAdvantage => (
                DEFAULT_MEDICARE_ADVANTAGE_DAYS,
                DeadlineSource::DefaultMedicareAdvantage,
            ),
            Program::Medicaid => (DEFAULT_MEDICAID_DAYS, DeadlineSource::DefaultMedicaid),
            Program::Commercial => (DEFAULT_OTHER_DAYS, DeadlineSource::DefaultOther),
        },
    };
    AppealDeadline {
        date: remit_date + chrono::Duration::days(i64::from(window_days)),
        window_days,
        source,
    }
}

/// Resubmission deadline for a denial with no appeal rights: the date of service plus the
/// payer's timely-filing limit (`timely_filing_days`), or the documented default.
pub fn resubmit_deadline(
    rules: &PayerRules,
    payer: &Party,
    filing_indicator: &str,
    date_of_service: NaiveDate,
) -> AppealDeadline {
    let rule = rules.find(payer);
    let (window_days, source) = match rule.and_then(|r| r.timely_filing_days.map(|d| (r, d))) {
        Some((rule, days)) => (
            days,
            DeadlineSource::TimelyFilingRule {
                payer: rule.name.clone(),
            },
        ),
        None => match program(rules, payer, filing_indicator) {
            Program::Medicare => (
                DEFAULT_MEDICARE_FILING_DAYS,
                DeadlineSource::DefaultTimelyFilingMedicare,
            ),
            _ => (
                DEFAULT_OTHER_FILING_DAYS,
                DeadlineSource::DefaultTimelyFilingOther,
            ),
        },
    };
    AppealDeadline {
        date: date_of_service + chrono::Duration::days(i64::from(window_days)),
        window_days,
        source,
    }
}

#[cfg(test)]
mod tests;

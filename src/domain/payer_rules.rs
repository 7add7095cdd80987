//! Payer rules (appeal window, timely filing, contacts) from a TOML file, and the appeal
//! deadline they give. When a payer is not in the file a documented default applies, and
//! the deadline says so.

use super::claim::Party;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Appeal window when a Medicare payer (CLP06 MA/MB) is not in the rules file.
pub const DEFAULT_MEDICARE_DAYS: u32 = 120;
/// Appeal window when a Medicaid payer (CLP06 MC) is not in the rules file.
pub const DEFAULT_MEDICAID_DAYS: u32 = 90;
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
    /// Days from the remittance date to appeal a denial.
    pub appeal_window_days: u32,
    /// Days from the date of service to file (or resubmit) a claim.
    #[serde(default)]
    pub timely_filing_days: Option<u32>,
    /// Days the payer takes to decide an appeal (when its answer is due).
    #[serde(default)]
    pub response_days: Option<u32>,
    /// The provider line to call about claims.
    #[serde(default)]
    pub phone: Option<String>,
    /// The provider portal's address.
    #[serde(default)]
    pub portal: Option<String>,
}

/// All payer rules, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayerRules {
    /// One `[[payer]]` table each.
    #[serde(default, rename = "payer")]
    pub payers: Vec<PayerRule>,
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
        for p in &rules.payers {
            let invalid = |message: &str| PayerRulesError::Invalid {
                file: file.to_string(),
                name: p.name.clone(),
                message: message.to_string(),
            };
            if p.name.trim().is_empty() {
                return Err(invalid("name is empty"));
            }
            if p.appeal_window_days == 0 || p.appeal_window_days > 3650 {
                return Err(invalid("appeal_window_days must be between 1 and 3650"));
            }
            if p.response_days.is_some_and(|d| d == 0 || d > 3650) {
                return Err(invalid("response_days must be between 1 and 3650"));
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

/// Days the payer takes to decide an appeal: its `response_days`, else the default for
/// Medicare (CLP06 MA/MB) or anyone else; with whether a default was used.
pub fn response_days(rules: &PayerRules, payer: &Party, filing_indicator: &str) -> (u32, bool) {
    match rules.find(payer).and_then(|r| r.response_days) {
        Some(days) => (days, false),
        None if matches!(filing_indicator, "MA" | "MB") => (DEFAULT_MEDICARE_RESPONSE_DAYS, true),
        None => (DEFAULT_OTHER_RESPONSE_DAYS, true),
    }
}

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
    /// The default Medicaid window (90 days).
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
}

impl DeadlineSource {
    /// A built-in default rather than the user's rules (shown with a `*`).
    pub fn is_default(&self) -> bool {
        !matches!(
            self,
            DeadlineSource::PayerRule { .. } | DeadlineSource::TimelyFilingRule { .. }
        )
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

/// Appeal deadline = remittance date + the payer's appeal window (or the default by CLP06).
pub fn appeal_deadline(
    rules: &PayerRules,
    payer: &Party,
    filing_indicator: &str,
    remit_date: NaiveDate,
) -> AppealDeadline {
    let (window_days, source) = match rules.find(payer) {
        Some(rule) => (
            rule.appeal_window_days,
            DeadlineSource::PayerRule {
                payer: rule.name.clone(),
            },
        ),
        None => match filing_indicator {
            "MA" | "MB" => (DEFAULT_MEDICARE_DAYS, DeadlineSource::DefaultMedicare),
            "MC" => (DEFAULT_MEDICAID_DAYS, DeadlineSource::DefaultMedicaid),
            _ => (DEFAULT_OTHER_DAYS, DeadlineSource::DefaultOther),
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
        None => match filing_indicator {
            "MA" | "MB" => (
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
mod tests {
    use super::*;

    #[test]
    fn the_payers_answer_is_due_after_its_own_response_time_else_the_default() {
        let rules = PayerRules::parse(
            "payers.toml",
            "[[payer]]\nname = \"AETNA\"\nappeal_window_days = 180\nresponse_days = 45\n",
        )
        .unwrap();
        let party = |name: &str| Party {
            name: name.into(),
            id: String::new(),
        };
        assert_eq!(response_days(&rules, &party("Aetna"), "CI"), (45, false));
        // 42 CFR 405.950: a Medicare contractor decides a redetermination in 60 days.
        assert_eq!(response_days(&rules, &party("MEDICARE"), "MB"), (60, true));
        assert_eq!(response_days(&rules, &party("CIGNA"), "CI"), (30, true));
        let zero = "[[payer]]\nname = \"X\"\nappeal_window_days = 90\nresponse_days = 0\n";
        assert!(PayerRules::parse("payers.toml", zero).is_err());
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn party(name: &str, id: &str) -> Party {
        Party {
            name: name.into(),
            id: id.into(),
        }
    }

    const RULES: &str = r#"
[[payer]]
name = "Aetna"
ids = ["60054"]
appeal_window_days = 180
timely_filing_days = 90
phone = "1-800-555-0100"
"#;

    #[test]
    fn deadline_uses_payer_rule_by_id_then_name() {
        let rules = PayerRules::parse("payers.toml", RULES).unwrap();
        let by_id = appeal_deadline(&rules, &party("AETNA INC", "60054"), "CI", d("2026-01-10"));
        assert_eq!(by_id.date, d("2026-07-09"));
        assert_eq!(by_id.window_days, 180);
        assert!(!by_id.source.is_default());
        let by_name = appeal_deadline(&rules, &party("aetna", ""), "CI", d("2026-01-10"));
        assert_eq!(by_name.window_days, 180);
    }

    #[test]
    fn unknown_payers_get_defaults_by_filing_indicator_and_say_so() {
        let rules = PayerRules::default();
        let remit = d("2026-03-01");
        let medicare = appeal_deadline(&rules, &party("NOVITAS", "12502"), "MB", remit);
        assert_eq!(medicare.date, d("2026-06-29"));
        assert_eq!(medicare.source, DeadlineSource::DefaultMedicare);
        assert!(medicare.source.is_default());
        assert!(medicare.source.describe(120).contains("default"));
        let medicaid = appeal_deadline(&rules, &party("STATE MEDICAID", ""), "MC", remit);
        assert_eq!(medicaid.date, d("2026-05-30"));
        let other = appeal_deadline(&rules, &party("SMALL PLAN", ""), "CI", remit);
        assert_eq!(other.window_days, 90);
        assert_eq!(other.source, DeadlineSource::DefaultOther);
    }

    #[test]
    fn resubmission_deadlines_count_timely_filing_from_the_date_of_service() {
        let rules = PayerRules::parse("payers.toml", RULES).unwrap();
        let dos = d("2026-01-10");
        let aetna = resubmit_deadline(&rules, &party("AETNA", "60054"), "CI", dos);
        assert_eq!((aetna.date, aetna.window_days), (d("2026-04-10"), 90));
        assert!(aetna.source.is_resubmission() && !aetna.source.is_default());
        let medicare = resubmit_deadline(&rules, &party("NOVITAS", "12502"), "MB", dos);
        assert_eq!(medicare.date, d("2027-01-10"));
        assert!(medicare.source.is_default());
        assert!(medicare.source.describe(365).contains("timely filing"));
        let other = resubmit_deadline(&rules, &party("SMALL", ""), "CI", dos);
        assert_eq!(other.window_days, DEFAULT_OTHER_FILING_DAYS);
    }

    #[test]
    fn bad_rules_files_are_refused_with_the_place() {
        let err = PayerRules::parse("p.toml", "[[payer]]\nname = \"X\"\n").unwrap_err();
        assert!(err.to_string().contains("p.toml"), "{err}");
        assert!(err.to_string().contains("appeal_window_days"), "{err}");
        let err = PayerRules::parse(
            "p.toml",
            "[[payer]]\nname = \"X\"\nappeal_window_days = 0\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("between 1 and 3650"), "{err}");
        let err = PayerRules::parse("p.toml", "[[payer]\n").unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
    }
}

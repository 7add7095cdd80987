//! Appeals: what was sent (level, channel, documents), when the payer must answer, and
//! what it decided. Payments still arrive through remittances; the appeal records the
//! decision and the amount the payer agreed to.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How the appeal was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    /// The payer's provider portal.
    Portal,
    /// By fax.
    Fax,
    /// By post.
    Mail,
    /// By phone (reopenings some payers take by phone).
    Phone,
    /// Sent electronically (EDI, e.g. with a 275 attachment).
    Electronic,
}

impl Channel {
    /// Every channel, in form order.
    pub const ALL: [Channel; 5] = [
        Channel::Portal,
        Channel::Fax,
        Channel::Mail,
        Channel::Phone,
        Channel::Electronic,
    ];

    /// The name as typed and stored.
    pub fn key(self) -> &'static str {
        match self {
            Channel::Portal => "portal",
            Channel::Fax => "fax",
            Channel::Mail => "mail",
            Channel::Phone => "phone",
            Channel::Electronic => "electronic",
        }
    }

    /// The channel a typed name means.
    pub fn parse(text: &str) -> Option<Channel> {
        let t = text.trim().to_ascii_lowercase();
        Channel::ALL.into_iter().find(|c| c.key() == t)
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// What the payer decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AppealResult {
    /// The payer reversed the denial in full.
    Overturned,
    /// The payer reversed part of it.
    PartiallyOverturned,
    /// The payer kept the denial.
    Upheld,
}

impl AppealResult {
    /// Every result, in form order.
    pub const ALL: [AppealResult; 3] = [
        AppealResult::Overturned,
        AppealResult::PartiallyOverturned,
        AppealResult::Upheld,
    ];

    /// The name as typed and stored.
    pub fn key(self) -> &'static str {
        match self {
            AppealResult::Overturned => "overturned",
            AppealResult::PartiallyOverturned => "partial",
            AppealResult::Upheld => "upheld",
        }
    }

    /// The result a typed name means.
    pub fn parse(text: &str) -> Option<AppealResult> {
        match text.trim().to_ascii_lowercase().as_str() {
            "overturned" | "won" => Some(AppealResult::Overturned),
            "partial" | "partially-overturned" => Some(AppealResult::PartiallyOverturned),
            "upheld" | "lost" => Some(AppealResult::Upheld),
            _ => None,
        }
    }
}

impl fmt::Display for AppealResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The payer's decision on an appeal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealDecision {
    /// What the payer decided.
    pub result: AppealResult,
    /// When.
    pub decided: NaiveDate,
    /// What the payer agreed to pay on appeal (the money itself arrives on a remittance).
    pub amount_cents: i64,
}

/// One appeal filed on a denial.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appeal {
    /// 1 = first level (reconsideration / redetermination), 2, 3 …
    pub level: u8,
    /// How it was sent.
    pub channel: Channel,
    /// When it was sent.
    pub submitted: NaiveDate,
    /// When the payer's answer is due.
    pub response_due: NaiveDate,
    #[serde(default)]
    /// What was sent with it.
    pub documents: String,
    #[serde(default)]
    /// The payer's answer, once recorded.
    pub decision: Option<AppealDecision>,
}

impl Appeal {
    /// Days the payer has had it (until decided or today).
    pub fn days_waiting(&self, today: NaiveDate) -> i64 {
        let end = self.decision.as_ref().map_or(today, |d| d.decided);
        (end - self.submitted).num_days()
    }

    /// Undecided past its response date.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.decision.is_none() && self.response_due < today
    }
}

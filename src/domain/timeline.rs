//! Timeline events: everything that happened to a work item, with who and when. Each is
//! stored once and also summarised into the audit log.

use super::appeal::{Appeal, AppealDecision};
use super::money::format_cents;
use super::status::Status;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A logged phone call with the payer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayerCall {
    pub rep_name: String,
    pub reference: String,
    pub outcome: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_action: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<NaiveDate>,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum EventKind {
    /// A remittance adjudicated the claim (the first denial or any later remittance).
    Adjudicated {
        source_file: String,
        trace_number: String,
        remit_date: NaiveDate,
        claim_status: String,
        billed_cents: i64,
        paid_cents: i64,
        denied_cents: i64,
        carcs: Vec<String>,
    },
    StatusChanged {
        from: Status,
        to: Status,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    PayerCall(PayerCall),
    FollowUpSet {
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    },
    Note {
        text: String,
    },
    Assigned {
        from: Option<String>,
        to: Option<String>,
    },
    AppealFiled(Appeal),
    AppealDecided {
        level: u8,
        decision: AppealDecision,
    },
}

impl EventKind {
    /// The audit log's short name for this kind of change.
    pub fn action_name(&self) -> &'static str {
        match self {
            EventKind::Adjudicated { .. } => "adjudicated",
            EventKind::StatusChanged { .. } => "status",
            EventKind::PayerCall(_) => "call",
            EventKind::FollowUpSet { .. } => "follow-up",
            EventKind::Note { .. } => "note",
            EventKind::Assigned { .. } => "assign",
            EventKind::AppealFiled(_) => "appeal",
            EventKind::AppealDecided { .. } => "appeal-outcome",
        }
    }

    /// One line for timelines and the audit log.
    pub fn summary(&self) -> String {
        let date = |d: &Option<NaiveDate>| d.map_or("none".to_string(), |d| d.to_string());
        let user = |u: &Option<String>| u.clone().unwrap_or_else(|| "nobody".to_string());
        match self {
            EventKind::Adjudicated {
                source_file,
                remit_date,
                claim_status,
                paid_cents,
                denied_cents,
                carcs,
                ..
            } => {
                let mut s = format!(
                    "remittance {remit_date} ({claim_status}): paid {}",
                    format_cents(*paid_cents)
                );
                if *denied_cents > 0 {
                    s.push_str(&format!(
                        ", denied {} {}",
                        format_cents(*denied_cents),
                        carcs.join(" ")
                    ));
                }
                s.push_str(&format!(" [{source_file}]"));
                s
            }
            EventKind::StatusChanged { from, to, reason } => match reason {
                Some(r) => format!("status {from} → {to}: {r}"),
                None => format!("status {from} → {to}"),
            },
            EventKind::PayerCall(c) => {
                let mut s = format!(
                    "called payer: rep {}, ref {}, outcome: {}",
                    c.rep_name, c.reference, c.outcome
                );
                if let Some(n) = &c.next_action {
                    s.push_str(&format!(", next: {n}"));
                }
                s
            }
            EventKind::FollowUpSet { from, to } => {
                format!("follow-up {} → {}", date(from), date(to))
            }
            EventKind::Note { text } => format!("note: {text}"),
            EventKind::Assigned { from, to } => format!("owner {} → {}", user(from), user(to)),
            EventKind::AppealFiled(a) => format!(
                "appeal level {} filed by {} on {}, response due {}{}",
                a.level,
                a.channel,
                a.submitted,
                a.response_due,
                if a.documents.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", a.documents)
                }
            ),
            EventKind::AppealDecided { level, decision } => format!(
                "appeal level {level} {} on {}: {}",
                decision.result,
                decision.decided,
                format_cents(decision.amount_cents)
            ),
        }
    }
}

/// One timeline entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub claim_id: String,
    pub at: DateTime<Utc>,
    pub user: String,
    #[serde(flatten)]
    pub kind: EventKind,
}

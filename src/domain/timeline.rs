//! Timeline events: everything that happened to a work item, with who and when. Each is
//! stored once and also summarised into the audit log.

use super::appeal::{Appeal, AppealDecision};
use super::money::format_cents;
use super::payer_rules::AppealDeadline;
use super::status::Status;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A logged phone call with the payer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayerCall {
    /// The payer representative's name.
    pub rep_name: String,
    /// The call's reference number.
    pub reference: String,
    /// What the call settled.
    pub outcome: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// What to do next.
    pub next_action: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// When to check back.
    pub follow_up: Option<NaiveDate>,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum EventKind {
    /// A remittance adjudicated the claim (the first denial or any later remittance).
    Adjudicated {
        /// The file it came from.
        source_file: String,
        /// TRN02: check or EFT trace number.
        trace_number: String,
        /// BPR16: the remittance's date.
        remit_date: NaiveDate,
        /// CLP02 as words ("denied").
        claim_status: String,
        /// CLP03: billed.
        billed_cents: i64,
        /// CLP04: paid.
        paid_cents: i64,
        /// What the payer denied on it.
        denied_cents: i64,
        /// The denial codes ("CO-197").
        carcs: Vec<String>,
    },
    /// A person moved the item's status.
    StatusChanged {
        /// The status before.
        from: Status,
        /// The status after.
        to: Status,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        /// Why, when given (required to write off).
        reason: Option<String>,
    },
    /// A payer call was logged.
    PayerCall(PayerCall),
    /// The follow-up date was set or cleared.
    FollowUpSet {
        /// The date before.
        from: Option<NaiveDate>,
        /// The date after.
        to: Option<NaiveDate>,
    },
    /// A note was added.
    Note {
        /// What it says.
        text: String,
    },
    /// The owner changed.
    Assigned {
        /// The owner before.
        from: Option<String>,
        /// The owner after.
        to: Option<String>,
    },
    /// An appeal was recorded.
    AppealFiled(Appeal),
    /// The payer decided an appeal.
    AppealDecided {
        /// The appeal's level.
        level: u8,
        /// What the payer decided.
        decision: AppealDecision,
    },
    /// Another payer (secondary, tertiary, crossover) paid on this claim.
    OtherPayerPaid {
        /// The other payer's name.
        payer: String,
        /// "Secondary payer", from its CLP02.
        role: String,
        /// Its remittance's date.
        remit_date: NaiveDate,
        /// What it paid on the claim.
        paid_cents: i64,
        /// What it took off the denied lines' outstanding amount.
        applied_cents: i64,
        /// The file it came from.
        source_file: String,
        /// It settled a coordination-of-benefits denial: the right payer adjudicated it.
        #[serde(default)]
        settles_cob: bool,
    },
    /// A provider-level adjustment (PLB) naming this claim: recoupment, interest …
    ProviderAdjustment {
        /// PLB03-1: WO overpayment recovery, L6 interest, FB forwarding balance …
        reason: String,
        /// PLB03-2: the reference (the claim it names).
        reference: String,
        /// As the payer wrote it: positive withheld from the provider, negative paid.
        amount_cents: i64,
        /// The remittance's date.
        remit_date: NaiveDate,
    },
    /// A mistaken appeal record superseded: corrected (`after`) or withdrawn (`None`).
    AppealCorrected {
        /// The appeal as it was recorded.
        before: Appeal,
        /// As corrected; `None`: withdrawn (recorded in error or taken back).
        after: Option<Appeal>,
        /// Why.
        reason: String,
    },
    /// A mistaken appeal decision superseded by the corrected one.
    AppealDecisionCorrected {
        /// The appeal's level.
        level: u8,
        /// The decision as it was recorded.
        before: AppealDecision,
        /// As corrected.
        after: AppealDecision,
        /// Why.
        reason: String,
    },
    /// A 277CA or 277 reported the claim's status (accepted, rejected, pending …).
    ClaimStatusReported {
        /// "277CA" or "277".
        transaction: String,
        /// The file it came from.
        source_file: String,
        /// STC02: the status's date.
        date: NaiveDate,
        /// The statuses as X12 writes them ("A7:21:85").
        statuses: Vec<String>,
        /// STC05 of a 277: paid, when finalized.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        paid_cents: Option<i64>,
        /// STC12: the payer's message, when any.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        message: String,
    },
    /// An upheld decision opened a higher appeal level: its deadline replaces the old one.
    DeadlineMoved {
        /// The deadline before.
        from: NaiveDate,
        /// The new one, with its window and source.
        to: AppealDeadline,
    },
}

/// What a PLB reason code means, for timelines.
pub fn plb_reason(code: &str) -> &'static str {
    match code {
        "WO" => "overpayment recovery",
        "L6" => "interest owed",
        "FB" => "forwarding balance",
        "72" => "authorized return",
        "CS" => "adjustment",
        "J1" => "nonreimbursable",
        "IR" => "internal revenue service withholding",
        "50" => "late charge",
        "90" => "early payment allowance",
        "C5" => "temporary allowance",
        _ => "provider-level adjustment",
    }
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
            EventKind::OtherPayerPaid { .. } => "other-payer",
            EventKind::ProviderAdjustment { .. } => "provider-adjustment",
            EventKind::DeadlineMoved { .. } => "deadline",
            EventKind::ClaimStatusReported { .. } => "claim-status",
            EventKind::AppealCorrected { after: Some(_), .. } => "appeal-correct",
            EventKind::AppealCorrected { after: None, .. } => "appeal-withdraw",
            EventKind::AppealDecisionCorrected { .. } => "appeal-outcome-correct",
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
            EventKind::AppealFiled(a) => format!("appeal {}", describe_filing(a)),
            EventKind::AppealDecided { level, decision } => format!(
                "appeal level {level} {} on {}: {}",
                decision.result,
                decision.decided,
                format_cents(decision.amount_cents)
            ),
            EventKind::OtherPayerPaid {
                payer,
                role,
                remit_date,
                paid_cents,
                applied_cents,
                source_file,
                settles_cob,
            } => {
                let effect = if *settles_cob {
                    "it adjudicated the denied lines: the coordination-of-benefits denial is settled".to_string()
                } else {
                    format!("{} of it on denied lines", format_cents(*applied_cents))
                };
                format!(
                    "{role} {payer} paid {} on {remit_date} ({effect}) [{source_file}]",
                    format_cents(*paid_cents)
                )
            }
            EventKind::ClaimStatusReported {
                transaction,
                source_file,
                date,
                statuses,
                paid_cents,
                message,
            } => {
                let said: Vec<String> = statuses
                    .iter()
                    .map(|s| super::claim_status::ClaimStatus::parse_key(s).describe())
                    .collect();
                let mut s = format!("{transaction} {date}: {}", said.join("; "));
                if let Some(paid) = paid_cents {
                    s.push_str(&format!(", paid {}", format_cents(*paid)));
                }
                if !message.is_empty() {
                    s.push_str(&format!(" — {message}"));
                }
                s.push_str(&format!(" [{source_file}]"));
                s
            }
            EventKind::ProviderAdjustment {
                reason,
                reference,
                amount_cents,
                remit_date,
            } => {
                let what = plb_reason(reason);
                let verb = if *amount_cents >= 0 {
                    "took back"
                } else {
                    "paid"
                };
                format!(
                    "payer {verb} {} on {remit_date}: {reason} {what} (PLB ref {reference})",
                    format_cents(amount_cents.abs())
                )
            }
            EventKind::AppealCorrected {
                before,
                after: Some(after),
                reason,
            } => format!(
                "appeal level {} corrected ({reason}): {} → {}",
                before.level,
                describe_filing(before),
                describe_filing(after)
            ),
            EventKind::AppealCorrected {
                before,
                after: None,
                reason,
            } => format!(
                "appeal level {} withdrawn ({reason}): was {}",
                before.level,
                describe_filing(before)
            ),
            EventKind::AppealDecisionCorrected {
                level,
                before,
                after,
                reason,
            } => format!(
                "appeal level {level} decision corrected ({reason}): {} on {} {} → {} on {} {}",
                before.result,
                before.decided,
                format_cents(before.amount_cents),
                after.result,
                after.decided,
                format_cents(after.amount_cents)
            ),
            EventKind::DeadlineMoved { from, to } => format!(
                "appeal deadline {from} → {} ({})",
                to.date,
                to.source.describe(to.window_days)
            ),
        }
    }
}

/// "level 1 filed by fax on 2026-11-02, response due 2026-12-02 (records)".
fn describe_filing(a: &Appeal) -> String {
    format!(
        "level {} filed by {} on {}, response due {}{}",
        a.level,
        a.channel,
        a.submitted,
        a.response_due,
        if a.documents.is_empty() {
            String::new()
        } else {
            format!(" ({})", a.documents)
        }
    )
}

/// One timeline entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The work item's key (schema 3 and earlier wrote the CLP01 as `claim_id`).
    #[serde(alias = "claim_id")]
    pub key: String,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Who did it (the OS user; `importer` for imports).
    pub user: String,
    #[serde(flatten)]
    /// What happened.
    pub kind: EventKind,
}

//! Timeline events in words: the one-line summary every timeline, `show` and the audit
//! log print, and the action name the audit log files each event under.

use super::appeal::Appeal;
use super::money::format_cents;
use super::timeline::EventKind;
use chrono::NaiveDate;

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
            EventKind::Routed { .. } => "route",
            EventKind::Underpaid { .. } => "underpaid",
            EventKind::AppealCorrected { after: Some(_), .. } => "appeal-correct",
            EventKind::AppealCorrected { after: None, .. } => "appeal-withdraw",
            EventKind::AppealDecisionCorrected { .. } => "appeal-outcome-correct",
            EventKind::DocumentChecked { .. } => "checklist",
            EventKind::LetterWritten { .. } => "letter",
            EventKind::SentWithoutDocuments { .. } => "appeal-without-documents",
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
            EventKind::Underpaid {
                contract_file,
                rows,
                expected_cents,
                allowed_cents,
                paid_cents,
                variance_cents,
            } => {
                let rows: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
                format!(
                    "paid below contract: expected {}, allowed {}, paid {}, variance {} ({contract_file} line {})",
                    format_cents(*expected_cents),
                    format_cents(*allowed_cents),
                    format_cents(*paid_cents),
                    format_cents(*variance_cents),
                    rows.join(", ")
                )
            }
            EventKind::Routed {
                rule,
                owner,
                follow_up,
                boost,
            } => {
                let mut s = format!("routed by rule {rule}");
                if let Some(o) = owner {
                    s.push_str(&format!(": owner {o}"));
                }
                if let Some(d) = follow_up {
                    s.push_str(&format!(", follow-up {d}"));
                }
                if let Some(b) = boost {
                    s.push_str(&format!(", priority +{b}"));
                }
                s
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
            EventKind::DocumentChecked {
                level,
                document,
                reference,
                before,
            } => match (reference.is_empty(), before) {
                (true, _) => format!("level {level} packet: {document} unchecked"),
                (false, Some(b)) => {
                    format!("level {level} packet: {document}: {b} → {reference}")
                }
                (false, None) => {
                    format!("level {level} packet: {document} checked off ({reference})")
                }
            },
            EventKind::LetterWritten { level, letter } => format!(
                "{} (template {}) {} for the level {level} packet",
                letter.what,
                letter.template,
                match &letter.path {
                    Some(p) => format!("written to {p}"),
                    None => "printed".to_string(),
                }
            ),
            EventKind::SentWithoutDocuments {
                level,
                documents,
                reason,
            } => format!(
                "level {level} appeal sent without {} (confirmed: {reason})",
                documents.join("; ")
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

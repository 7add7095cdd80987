//! What a specialist can do to a work item, checked and applied without I/O: the store
//! saves the result; the CLI and the TUI only choose the action.

use super::appeal::AppealDecision;
use super::status::Status;
use super::timeline::{EventKind, PayerCall};
use super::work_item::WorkItem;
use crate::domain::work_item::RowFields;
use appeal_fixes::{correct_appeal, correct_decision, withdraw_appeal};
pub(crate) use appeal_steps::uphold;
use appeal_steps::{decide_appeal, file_appeal, sent};
use chrono::NaiveDate;
use packet_steps::{check_documents, ready_to_send, record_letter};
pub use packet_steps::{checklist_for, packet};

mod appeal_fixes;
mod appeal_steps;
mod error;
mod packet_steps;
mod work_action;
pub use super::user::valid_user_name;
pub use error::ActionError;
pub use work_action::WorkAction;

/// Refuses an appeal the payer does not allow (MA130, N211).
fn check_appeal_rights(item: &WorkItem) -> Result<(), ActionError> {
    if item.appealable() {
        return Ok(());
    }
    let remarks: Vec<&str> = item
        .remarks
        .iter()
        .map(String::as_str)
        .filter(|r| crate::domain::rarc::rule_for(r).is_some_and(|rule| rule.appeal.is_some()))
        .collect();
    Err(ActionError::NoAppealRights {
        claim: item.claim_id.to_string(),
        remarks: if remarks.is_empty() {
            "none kept".to_string()
        } else {
            remarks.join(", ")
        },
        resubmit_by: item.appeal_deadline.date,
    })
}

/// A rejection was never adjudicated: there is no decision to appeal, and only an import
/// (an accepted 277CA, or the claim's remittance) can say the payer took it in.
fn check_rejection_move(item: &WorkItem, action: &WorkAction) -> Result<(), ActionError> {
    if item.kind != super::work_item::ItemKind::Rejection {
        return Ok(());
    }
    let refused = match action {
        // A rejection moves only to in-progress, resubmitted or written-off (and back to
        // in-progress once closed): anything else is answered with what to do instead.
        WorkAction::ChangeStatus { to, .. } => !item.may_move_to(*to),
        WorkAction::FileAppeal { .. }
        | WorkAction::DecideAppeal { .. }
        | WorkAction::CorrectAppeal { .. }
        | WorkAction::WithdrawAppeal { .. }
        | WorkAction::CorrectDecision { .. } => true,
        _ => false,
    };
    if refused {
        return Err(ActionError::Rejected {
            claim: item.claim_id.to_string(),
            resubmit_by: item.appeal_deadline.date,
        });
    }
    Ok(())
}

fn required(value: &str, field: &'static str) -> Result<String, ActionError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        Err(ActionError::Missing { field })
    } else {
        Ok(trimmed.to_string())
    }
}

/// The most a typed field (a note, a rep name, a reference) may hold: far beyond any real
/// note, and a bound on what one save can make every teammate's client load.
pub const TEXT_MAX: usize = 64 * 1024;

/// Text a person types is plain and on one line: a control character (an escape sequence
/// that would rewrite a teammate's terminal, a newline that would forge lines in the audit
/// log's text) is refused where it enters, not only escaped where it is shown.
fn check_plain_text(action: &WorkAction) -> Result<(), ActionError> {
    let fields: Vec<(&'static str, &str)> = match action {
        WorkAction::LogCall(call) => vec![
            ("rep name", call.rep_name.as_str()),
            ("call reference number", call.reference.as_str()),
            ("outcome", call.outcome.as_str()),
            ("next action", call.next_action.as_deref().unwrap_or("")),
        ],
        WorkAction::ChangeStatus { reason, .. } => {
            vec![("reason", reason.as_deref().unwrap_or(""))]
        }
        WorkAction::Assign(user) => vec![("owner", user.as_deref().unwrap_or(""))],
        WorkAction::AddNote(text) => vec![("note text", text.as_str())],
        WorkAction::FileAppeal {
            documents, packet, ..
        } => std::iter::once(("documents", documents.as_str()))
            .chain(
                packet
                    .checks
                    .iter()
                    .map(|e| ("document reference", e.reference.as_str())),
            )
            .chain(
                packet
                    .sent_without
                    .as_deref()
                    .map(|r| ("reason sent without documents", r)),
            )
            .collect(),
        WorkAction::CheckDocuments { entries, .. } => entries
            .iter()
            .map(|e| ("document reference", e.reference.as_str()))
            .collect(),
        WorkAction::RecordLetter { letter, .. } => vec![
            ("letter", letter.what.as_str()),
            ("template", letter.template.as_str()),
            ("letter file", letter.path.as_deref().unwrap_or("")),
        ],
        WorkAction::CorrectAppeal {
            documents, reason, ..
        } => vec![
            ("documents", documents.as_str()),
            ("reason", reason.as_str()),
        ],
        WorkAction::WithdrawAppeal { reason } | WorkAction::CorrectDecision { reason, .. } => {
            vec![("reason", reason.as_str())]
        }
        WorkAction::SetFollowUp(_) | WorkAction::DecideAppeal { .. } => Vec::new(),
    };
    for (field, value) in fields {
        if value.len() > TEXT_MAX {
            return Err(ActionError::TooLong {
                field,
                len: value.len(),
                max: TEXT_MAX,
            });
        }
        if let Some(c) = value.chars().find(|c| c.is_control()) {
            return Err(ActionError::ControlCharacter {
                field,
                found: c.escape_default().to_string(),
            });
        }
    }
    Ok(())
}

fn check_follow_up(date: NaiveDate, today: NaiveDate) -> Result<(), ActionError> {
    if date < today {
        return Err(ActionError::FollowUpInPast { date, today });
    }
    Ok(())
}

/// Applies an action to a copy of the item: the new item and the timeline events it makes.
pub fn apply(
    item: &WorkItem,
    action: &WorkAction,
    today: NaiveDate,
) -> Result<(WorkItem, Vec<EventKind>), ActionError> {
    check_plain_text(action)?;
    check_rejection_move(item, action)?;
    let mut next = item.clone();
    let mut events = Vec::new();
    match action {
        WorkAction::LogCall(call) => {
            let call = PayerCall {
                rep_name: required(&call.rep_name, "rep name")?,
                reference: required(&call.reference, "call reference number")?,
                outcome: required(&call.outcome, "outcome")?,
                next_action: call
                    .next_action
                    .as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from),
                follow_up: call.follow_up,
            };
            if let Some(date) = call.follow_up {
                check_follow_up(date, today)?;
            }
            start_work(&mut next, &mut events, today);
            if call.follow_up.is_some() && call.follow_up != next.follow_up {
                events.push(EventKind::FollowUpSet {
                    from: next.follow_up,
                    to: call.follow_up,
                });
                next.follow_up = call.follow_up;
            }
            events.insert(0, EventKind::PayerCall(call));
        }
        WorkAction::SetFollowUp(date) => {
            if let Some(d) = date {
                check_follow_up(*d, today)?;
            }
            events.push(EventKind::FollowUpSet {
                from: next.follow_up,
                to: *date,
            });
            next.follow_up = *date;
        }
        WorkAction::ChangeStatus { to, reason } => {
            let reason = reason
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from);
            if !item.status.can_move_to(*to) {
                let allowed: Vec<&str> =
                    item.status.allowed_next().iter().map(|s| s.key()).collect();
                return Err(ActionError::IllegalTransition {
                    claim: item.claim_id.to_string(),
                    from: item.status,
                    to: *to,
                    allowed: allowed.join(", "),
                });
            }
            // The appeal's record (level, channel, dates) and the payer's decision are what
            // stop and move the clocks: those moves go through them, never a bare status.
            if *to == Status::Appealed {
                check_appeal_rights(item)?;
                return Err(ActionError::Appeal(
                    "record the appeal itself (A, or `denialdesk appeal`): its level, channel and date are what meet the deadline; that moves the claim to appealed".into(),
                ));
            }
            if *to == Status::Upheld && item.open_appeal().is_some() {
                return Err(ActionError::Appeal(
                    "record the payer's decision on the open appeal (O, or `denialdesk appeal-outcome`): an upheld decision opens the next level's clock".into(),
                ));
            }
            if *to == Status::FinalUpheld && reason.is_none() {
                return Err(ActionError::Missing {
                    field: "reason for closing the denial as final",
                });
            }
            if *to == Status::WrittenOff {
                next.write_off_reason =
                    Some(reason.clone().ok_or(ActionError::WriteOffNeedsReason)?);
            }
            next.transition(*to, today);
            events.push(EventKind::StatusChanged {
                from: item.status,
                to: *to,
                reason,
            });
        }
        WorkAction::Assign(user) => {
            if let Some(u) = user {
                if !valid_user_name(u) {
                    return Err(ActionError::BadUserName(u.clone()));
                }
            }
            events.push(EventKind::Assigned {
                from: next.owner.as_ref().map(|o| o.to_string()),
                to: user.clone(),
            });
            next.owner = user.as_deref().map(Into::into);
        }
        WorkAction::AddNote(text) => {
            let text = required(text, "note text")?;
            start_work(&mut next, &mut events, today);
            events.insert(0, EventKind::Note { text });
        }
        WorkAction::FileAppeal {
            level,
            channel,
            submitted,
            response_due,
            documents,
            packet,
        } => {
            check_appeal_rights(item)?;
            // The filing itself first (one open at a time, levels in turn, its dates):
            // those refusals come before the packet's.
            let typed = sent(*level, *channel, *submitted, *response_due, documents);
            file_appeal(&mut item.clone(), typed, today, &mut Vec::new())?;
            let listed = ready_to_send(&mut next, *level, packet, today, &mut events)?;
            // The packet's documents, then anything else typed as sent.
            let documents = [listed.as_str(), documents.trim()]
                .into_iter()
                .filter(|d| !d.is_empty())
                .collect::<Vec<_>>()
                .join("; ");
            let appeal = sent(*level, *channel, *submitted, *response_due, &documents);
            file_appeal(&mut next, appeal, today, &mut events)?;
        }
        WorkAction::CheckDocuments { level, entries } => {
            check_documents(&mut next, *level, entries, today, &mut events)?;
        }
        WorkAction::RecordLetter { level, letter } => {
            record_letter(&mut next, *level, letter, &mut events)?;
        }
        WorkAction::DecideAppeal {
            result,
            decided,
            amount_cents,
            next_level,
        } => {
            let decision = AppealDecision {
                result: *result,
                decided: *decided,
                amount_cents: *amount_cents,
            };
            decide_appeal(&mut next, decision, next_level.clone(), today, &mut events)?;
        }
        WorkAction::CorrectAppeal {
            level,
            channel,
            submitted,
            response_due,
            documents,
            reason,
        } => {
            let appeal = sent(*level, *channel, *submitted, *response_due, documents);
            correct_appeal(&mut next, appeal, reason, today, &mut events)?;
        }
        WorkAction::WithdrawAppeal { reason } => {
            withdraw_appeal(&mut next, reason, today, &mut events)?;
        }
        WorkAction::CorrectDecision {
            result,
            decided,
            amount_cents,
            reason,
            next_level,
            level_deadline,
        } => {
            let decision = AppealDecision {
                result: *result,
                decided: *decided,
                amount_cents: *amount_cents,
            };
            correct_decision(
                &mut next,
                decision,
                next_level.clone(),
                level_deadline.clone(),
                reason,
                today,
                &mut events,
            )?;
        }
    }
    // Sent to the payer (resubmitted, appealed) or moved by an appeal's record: the
    // no-response clock starts from that day; leaving the payer stops it.
    let sent = match action {
        WorkAction::FileAppeal { submitted, .. } | WorkAction::CorrectAppeal { submitted, .. } => {
            Some(*submitted)
        }
        WorkAction::DecideAppeal { .. }
        | WorkAction::WithdrawAppeal { .. }
        | WorkAction::CorrectDecision { .. } => Some(today),
        _ if next.status != item.status => Some(today),
        _ => None,
    };
    if let Some(on) = sent {
        next.restart_payer_clock(on);
    }
    Ok((next, events))
}

/// Touching a new item (a call, a note) means someone is working it.
fn start_work(item: &mut WorkItem, events: &mut Vec<EventKind>, today: NaiveDate) {
    if item.status == Status::New {
        events.push(EventKind::StatusChanged {
            from: Status::New,
            to: Status::InProgress,
            reason: None,
        });
        item.transition(Status::InProgress, today);
    }
}

#[cfg(test)]
mod filing_tests;
#[cfg(test)]
mod level_tests;
#[cfg(test)]
mod tests;

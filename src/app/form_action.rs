//! Reading a filled form: what its date fields resolve to, whether it is complete and
//! valid (the error names the field), and the action it saves.

use super::form::{Field, FieldId, FieldKind, Form, FormKind};
use crate::domain::action::{valid_user_name, WorkAction};
use crate::domain::appeal::{AppealResult, Channel};
use crate::domain::dates::{parse_date, parse_past_date};
use crate::domain::money::parse_typed_cents;
use crate::domain::packet::PacketCheck;
use crate::domain::status::Status;
use crate::domain::timeline::PayerCall;
use chrono::NaiveDate;

/// A date field for something that already happened reads `12/1` as the last one.
fn parse_for(
    field: &Field,
    text: &str,
    today: NaiveDate,
) -> Result<NaiveDate, crate::domain::dates::DateError> {
    match field.kind {
        FieldKind::Date { past_ok: true, .. } => parse_past_date(text, today),
        _ => parse_date(text, today),
    }
}

impl Form {
    /// What a date field resolves to, for display next to it ("→ Tue 2026-12-01").
    pub fn preview(&self, field: &Field, today: NaiveDate) -> Option<Result<String, String>> {
        let text = field.value().trim();
        if !matches!(field.kind, FieldKind::Date { .. })
            || text.is_empty()
            || text.eq_ignore_ascii_case("none")
        {
            return None;
        }
        Some(
            parse_for(field, field.value(), today)
                .map(|d| d.format("%a %Y-%m-%d").to_string())
                .map_err(|e| e.reason),
        )
    }

    /// Validates and turns the form into the action to save; the error names the field.
    pub fn to_action(&self, today: NaiveDate) -> Result<WorkAction, String> {
        for f in &self.fields {
            let required = f.required();
            if required && f.value().trim().is_empty() {
                return Err(format!("{} is required", f.label));
            }
        }
        let date = |id: FieldId| -> Result<Option<NaiveDate>, String> {
            let text = self.value(id);
            let Some(field) = self.field(id) else {
                return Ok(None);
            };
            let label = &field.label;
            if text.is_empty() || text.eq_ignore_ascii_case("none") {
                return Ok(None);
            }
            let d = parse_for(field, text, today).map_err(|e| format!("{label}: {e}"))?;
            let past_ok = matches!(field.kind, FieldKind::Date { past_ok: true, .. });
            if d < today && !past_ok {
                return Err(format!("{label}: {d} is in the past"));
            }
            Ok(Some(d))
        };
        let optional = |id: FieldId| Some(self.value(id).to_string()).filter(|s| !s.is_empty());
        Ok(match self.kind {
            FormKind::Call => {
                let detail = self.value(FieldId::Detail);
                let outcome = if detail.is_empty() {
                    self.value(FieldId::CallOutcome).to_string()
                } else {
                    format!("{}: {detail}", self.value(FieldId::CallOutcome))
                };
                WorkAction::LogCall(PayerCall {
                    rep_name: self.value(FieldId::RepName).to_string(),
                    reference: self.value(FieldId::Reference).to_string(),
                    outcome,
                    next_action: optional(FieldId::NextAction),
                    follow_up: date(FieldId::FollowUp)?,
                })
            }
            FormKind::FollowUp => WorkAction::SetFollowUp(date(FieldId::FollowUp)?),
            FormKind::Status => {
                let to = Status::parse(self.value(FieldId::NewStatus))
                    .ok_or_else(|| "New status: no status can be chosen".to_string())?;
                let reason = optional(FieldId::Reason);
                if to == Status::WrittenOff && reason.is_none() {
                    return Err("Reason is required to write off".into());
                }
                WorkAction::ChangeStatus { to, reason }
            }
            FormKind::Note => WorkAction::AddNote(self.value(FieldId::Note).to_string()),
            FormKind::Appeal => {
                let submitted = date(FieldId::Submitted)?.ok_or("Submitted is required")?;
                // "+45" is the payer's time to answer: counted from the day it was sent.
                let due = self.value(FieldId::ResponseDue);
                let response_due = if due.trim_start().starts_with('+') {
                    crate::domain::dates::parse_date(due, submitted)
                        .map_err(|e| format!("Response due: {e}"))?
                } else {
                    date(FieldId::ResponseDue)?.ok_or("Response due is required")?
                };
                WorkAction::FileAppeal {
                    level: self
                        .value(FieldId::Level)
                        .parse()
                        .map_err(|_| "Level: pick 1 to 5".to_string())?,
                    channel: Channel::parse(self.value(FieldId::Channel))
                        .ok_or("Channel: pick one")?,
                    submitted,
                    response_due,
                    documents: self.value(FieldId::Documents).to_string(),
                    packet: PacketCheck {
                        checklist: self
                            .packet
                            .iter()
                            .flat_map(|p| p.items.iter().map(|i| i.doc.clone()))
                            .collect(),
                        checks: self.document_entries(),
                        sent_without: optional(FieldId::WhyMissing),
                    },
                }
            }
            FormKind::NewPrevention | FormKind::PreventionStatus => {
                return Err("a prevention form saves a prevention item, not a claim".into())
            }
            FormKind::Documents => {
                let entries = self.document_entries();
                if entries.is_empty() {
                    return Err("nothing changed: type where a document is next to it to check it off (clear it to uncheck)".into());
                }
                WorkAction::CheckDocuments {
                    level: self.packet.as_ref().map_or(1, |p| p.level),
                    entries,
                }
            }
            FormKind::AppealOutcome | FormKind::CorrectOutcome => {
                let result = AppealResult::parse(self.value(FieldId::Result))
                    .ok_or("Result: choose one with ← →")?;
                let amount = self.value(FieldId::Amount);
                let amount_cents = match (result, amount.is_empty()) {
                    (AppealResult::Upheld, true) => 0,
                    (_, true) => {
                        return Err(format!(
                            "Amount: type what the payer agreed to pay on the {} appeal",
                            result.key()
                        ))
                    }
                    _ => parse_typed_cents(amount).map_err(|e| format!("Amount: {e}"))?,
                };
                // The next level's deadline is the claim's own: filled in by the flow,
                // which has the claim and the payer rules.
                let decided = date(FieldId::Decided)?.ok_or("Decided is required")?;
                if self.kind == FormKind::CorrectOutcome {
                    WorkAction::CorrectDecision {
                        result,
                        decided,
                        amount_cents,
                        reason: optional(FieldId::Reason).ok_or("Reason is required")?,
                        next_level: None,
                        level_deadline: None,
                    }
                } else {
                    WorkAction::DecideAppeal {
                        result,
                        amount_cents,
                        decided,
                        next_level: None,
                    }
                }
            }
            FormKind::Assign => {
                // The words the CLI takes too: `nobody` unassigns, `me` is the user.
                let user = self.value(FieldId::AssignTo);
                if user.is_empty() || user.eq_ignore_ascii_case("nobody") {
                    WorkAction::Assign(None)
                } else if user.eq_ignore_ascii_case("me") {
                    WorkAction::Assign(Some(self.me.clone()))
                } else if !valid_user_name(user) {
                    return Err(format!("Assign to: {user:?} is not a valid user name"));
                } else {
                    WorkAction::Assign(Some(user.to_string()))
                }
            }
        })
    }
}

/// The change each of the form's claims gets, with the version it was read at. An appeal's
/// outcome is the one that differs by claim: upheld, it opens the claim's next level by
/// the payer rules, so it needs the whole item (its appeals).
pub(super) fn per_claim(
    worklist: &super::worklist::Worklist,
    rules: &crate::domain::payer_rules::PayerRules,
    form: &Form,
    work: &WorkAction,
) -> Result<Vec<(String, WorkAction, Option<u64>)>, String> {
    form.claims
        .iter()
        .zip(&form.versions)
        .map(|(key, version)| {
            let action = match work {
                WorkAction::DecideAppeal {
                    result,
                    decided,
                    amount_cents,
                    ..
                } => {
                    let item = worklist
                        .whole_item(key)
                        .ok_or("the claim's appeals are still loading: Enter again in a moment")?;
                    WorkAction::decide(item, rules, *result, *decided, *amount_cents)
                }
                WorkAction::CorrectDecision {
                    result,
                    decided,
                    amount_cents,
                    reason,
                    ..
                } => {
                    let item = worklist
                        .whole_item(key)
                        .ok_or("the claim's appeals are still loading: Enter again in a moment")?;
                    WorkAction::correct_decision(
                        item,
                        rules,
                        *result,
                        *decided,
                        *amount_cents,
                        reason,
                    )
                }
                other => other.clone(),
            };
            Ok((key.clone(), action, *version))
        })
        .collect()
}

/// Applies each claim's change to a copy of its whole work item, as the store will: the
/// first refusal, if any (list rows alone are not checked; the store still is).
pub(super) fn check_before_saving(
    worklist: &super::worklist::Worklist,
    changes: &[(String, WorkAction, Option<u64>)],
    today: chrono::NaiveDate,
) -> Result<(), String> {
    for (item, work) in changes
        .iter()
        .filter_map(|(key, work, _)| worklist.whole_item(key).map(|i| (i, work)))
    {
        crate::domain::action::apply(item, work, today).map_err(|e| e.to_string())?;
    }
    Ok(())
}

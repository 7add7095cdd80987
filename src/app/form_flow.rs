//! Opening forms for the selected (or marked) claims, typing into them, and turning a valid
//! form into an `Apply` effect; the form stays open until the worker reports the save.

use super::appeal_forms::{appeal_form, appeal_refused, packet_form};
use super::effect::Effect;
use super::form::{FieldId, Form, FormKind};
use super::form_action::{check_before_saving, per_claim};
use super::msg::{Edit, Intent};
use super::state::{Mode, State};
use crate::domain::action::WorkAction;
use crate::domain::status::Status;
use crate::domain::work_item::RowFields;

pub(super) fn open_form(state: &mut State, intent: Intent) {
    if state.readonly {
        state.error("read-only mode: changes are disabled");
        return;
    }
    let targets = state.targets();
    let Some(first) = targets.first().cloned() else {
        state.error("no claim selected");
        return;
    };
    let single = |state: &mut State| -> Option<String> {
        if state.worklist.marked.len() > 1 {
            state.error("calls, notes and appeals are one claim at a time: clear marks with Esc");
            None
        } else {
            Some(first.clone())
        }
    };
    let form = match intent {
        Intent::LogCall => single(state).map(Form::call),
        // Appeals (their levels, an open one) are not in list rows.
        Intent::FileAppeal | Intent::AppealOutcome if state.worklist.whole_items().is_none() => {
            state.error("still loading the worklist: try again in a moment");
            None
        }
        Intent::CheckDocuments => single(state).and_then(|id| {
            let item = state.worklist.whole_item(&id);
            let refused = match item {
                None => Some("still loading the worklist: try again in a moment".to_string()),
                Some(i) => appeal_refused(i),
            };
            if let Some(why) = refused {
                state.error(why);
                return None;
            }
            let item = item.expect("checked above");
            let packet = packet_form(state, item, item.next_appeal_level());
            Some(Form::documents(id, packet))
        }),
        Intent::FileAppeal => single(state).and_then(|id| match appeal_form(state, id) {
            Ok(form) => Some(form),
            Err(why) => {
                state.error(why);
                None
            }
        }),
        // With no open appeal, the last decision may be corrected instead.
        Intent::AppealOutcome => single(state).and_then(|id| {
            let item = state.worklist.whole_item(&id);
            let recorded = item
                .filter(|i| i.open_appeal().is_none())
                .and_then(|i| i.appeals.last())
                .and_then(|a| a.decision.clone());
            match (item, recorded) {
                (Some(i), None) if i.open_appeal().is_none() => {
                    state.error("no open appeal on this claim: record the appeal first (A)");
                    None
                }
                (_, Some(decision)) => Some(Form::correct_outcome(id, &decision)),
                _ => Some(Form::appeal_outcome(id)),
            }
        }),
        Intent::AddNote => single(state).map(Form::note),
        Intent::SetFollowUp => {
            let current = state.worklist.row(&first).and_then(|i| i.follow_up);
            Some(Form::follow_up(targets, current))
        }
        Intent::Assign => Some(Form::assign(targets, &state.user)),
        Intent::ChangeStatus => {
            // Offer only moves every target may make.
            let rows: Vec<&crate::domain::list_row::ListRow> = targets
                .iter()
                .filter_map(|id| state.worklist.row(id))
                .collect();
            // Appealed comes from recording the appeal (A), never a bare status.
            let allowed: Vec<Status> = Status::ALL
                .into_iter()
                .filter(|s| *s != Status::Appealed)
                .filter(|s| rows.iter().all(|item| item.may_move_to(*s)))
                .collect();
            if allowed.is_empty() {
                state.error("the marked claims have no status change in common");
                None
            } else {
                Some(Form::status(targets, &allowed))
            }
        }
        _ => None,
    };
    if let Some(mut form) = form {
        form.versions = form.claims.iter().map(|c| state.version_of(c)).collect();
        state.mode = Mode::Form(Box::new(form));
        // The form speaks for itself now: an older message would read as its result.
        state.message = None;
    }
}

/// Typing in the focused field. Assigning, → at the end of the name completes it to the
/// first known user it begins (the users this UI knows, gathered only for that form).
pub(super) fn form_edit(state: &mut State, edit: Edit) -> Vec<Effect> {
    let completing = match &state.mode {
        Mode::Form(form) if form.kind == FormKind::Assign && edit == Edit::Right => {
            let field = &form.fields[form.focus];
            field.text.cursor() == field.value().chars().count()
        }
        _ => false,
    };
    let known = if completing {
        state.known_users()
    } else {
        Vec::new()
    };
    let Mode::Form(form) = &mut state.mode else {
        return vec![];
    };
    if form.saving {
        return vec![];
    }
    if completing {
        let typed = form.value(FieldId::AssignTo).to_ascii_lowercase();
        if let Some(user) = known
            .iter()
            .find(|u| u.to_ascii_lowercase().starts_with(&typed))
        {
            form.fields[form.focus].text.set(user);
            form.dirty = true;
        }
        return vec![];
    }
    form.edit(edit);
    vec![]
}

/// Moving between fields, cancelling, quitting and saving a form.
pub(super) fn form_intent(state: &mut State, intent: Intent) -> Vec<Effect> {
    let today = state.today;
    // The earliest appeal deadline among the form's claims, for the follow-up warning.
    let deadline = match &state.mode {
        Mode::Form(form) => form
            .claims
            .iter()
            .filter_map(|k| state.worklist.row(k))
            .map(|i| i.deadline)
            .min(),
        _ => None,
    };
    // Assigning: the users this UI knows (a confirmation for others).
    let known = match &state.mode {
        Mode::Form(form) if form.kind == FormKind::Assign && intent == Intent::Submit => {
            state.known_users()
        }
        _ => Vec::new(),
    };
    let Mode::Form(form) = &mut state.mode else {
        return vec![];
    };
    if form.saving {
        return vec![];
    }
    match intent {
        Intent::NextField | Intent::Down => form.next_field(),
        Intent::PrevField | Intent::Up => form.prev_field(),
        Intent::Back => {
            let kept = form.partly_saved;
            state.mode = Mode::Normal;
            if kept {
                state.info("closed: what was saved before the error stays saved (see the claim's timeline)");
            } else {
                state.info("cancelled: nothing saved");
            }
        }
        Intent::Quit if form.dirty => {
            form.error = Some("unsaved form: save it, or cancel to discard it".into());
        }
        Intent::Quit => state.quit = true,
        Intent::Submit
            if matches!(
                form.kind,
                FormKind::NewPrevention | FormKind::PreventionStatus
            ) =>
        {
            return super::prevention_view::submit(state);
        }
        Intent::Submit => match form.to_action(today) {
            Err(e) => form.error = Some(e),
            // A follow-up on a weekend or after the appeal deadline is allowed, once the
            // specialist has seen why it is unusual (Enter again keeps it).
            // Someone nobody has seen here: likely a typo, which would hide the claim.
            Ok(WorkAction::Assign(Some(user)))
                if !known.contains(&user) && form.confirmed.as_deref() != Some(user.as_str()) =>
            {
                form.error = Some(format!(
                    "{user} owns nothing here and has not been seen on the team server (known: {}): Enter again to assign anyway",
                    known.join(", ")
                ));
                form.confirmed = Some(user);
            }
            Ok(work) => {
                if let Some((why, value)) = needs_confirming(form, &work, deadline) {
                    form.error = Some(format!("{why}: Enter again to keep it, or change it"));
                    form.confirmed = Some(value);
                    return vec![];
                }
                let changes = match per_claim(&state.worklist, &state.payer_rules, form, &work) {
                    Ok(changes) => changes,
                    Err(why) => {
                        form.error = Some(why);
                        return vec![];
                    }
                };
                // The domain's rules, on the whole items at hand: a refusal is said in the
                // form at once, before a round trip to the store (which checks again).
                if let Err(why) = check_before_saving(&state.worklist, &changes, today) {
                    form.error = Some(format!("{why}: nothing saved"));
                    return vec![];
                }
                form.saving = true;
                form.error = None;
                let done = describe(form.kind, &work, &form.claims);
                return vec![Effect::Apply {
                    changes,
                    today,
                    done,
                }];
            }
        },
        _ => {}
    }
    vec![]
}

/// Why a follow-up date deserves a second look (a weekend, past the appeal deadline),
/// unless this very value was already confirmed; with the value to confirm.
fn needs_confirming(
    form: &Form,
    work: &WorkAction,
    deadline: Option<chrono::NaiveDate>,
) -> Option<(String, String)> {
    use chrono::Datelike;
    let date = match work {
        WorkAction::SetFollowUp(Some(d)) => *d,
        WorkAction::LogCall(call) => call.follow_up?,
        _ => return None,
    };
    let value = date.to_string();
    if form.confirmed.as_deref() == Some(value.as_str()) {
        return None;
    }
    let shown = date.format("%a %Y-%m-%d");
    if matches!(date.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun) {
        return Some((format!("{shown} is a weekend"), value));
    }
    match deadline {
        Some(due) if date > due => Some((
            format!("{shown} is after the appeal deadline ({due}): the claim would be missed"),
            value,
        )),
        _ => None,
    }
}

/// What a save did, naming the claim ("follow-up set on C1#1f2e3d4c") or how many.
fn describe(kind: FormKind, work: &WorkAction, claims: &[String]) -> String {
    let what = match kind {
        FormKind::Call => "payer call logged",
        FormKind::FollowUp if matches!(work, WorkAction::SetFollowUp(None)) => "follow-up cleared",
        FormKind::FollowUp => "follow-up set",
        FormKind::Status => "status changed",
        FormKind::Note => "note added",
        FormKind::Assign => "owner changed",
        FormKind::Appeal => "appeal recorded",
        FormKind::AppealOutcome => "appeal outcome recorded",
        FormKind::CorrectOutcome => "appeal outcome corrected (the timeline keeps both)",
        FormKind::Documents => "appeal packet saved",
        FormKind::NewPrevention | FormKind::PreventionStatus => "prevention item saved",
    };
    match claims {
        [one] => format!(
            "{what} on {}",
            crate::domain::claim_identity::claim_id_of_key(one)
        ),
        many => format!("{what} on {} claims", many.len()),
    }
}

pub(super) fn save(
    state: &mut State,
    targets: Vec<String>,
    work: crate::domain::action::WorkAction,
    done: String,
) -> Vec<Effect> {
    let today = state.today;
    state.info("saving…");
    let changes = targets
        .into_iter()
        .map(|c| {
            let version = state.version_of(&c);
            (c, work.clone(), version)
        })
        .collect();
    vec![Effect::Apply {
        changes,
        today,
        done,
    }]
}

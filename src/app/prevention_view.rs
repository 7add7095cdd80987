//! The prevention loop in the app: a prevention item opened from a root-cause row of the
//! KPI pane (`F`: the cause prefilled), the prevention pane's cursor and its status form
//! (`t`), and each item's before and after, computed once per change of the data.

use super::effect::Effect;
use super::form::{Field, FieldId, Form, FormKind};
use super::msg::Intent;
use super::state::{Mode, State};
use crate::domain::dates::parse_date;
use crate::domain::prevention::{effects, Cause, PreventionItem, PreventionStatus};

impl State {
    /// Computes the prevention items' effects if stale (cheap to call on every message).
    pub fn ensure_prevention(&mut self) {
        if self.prevention.effects.is_some() {
            return;
        }
        let Some(items) = self.worklist.whole_items() else {
            return;
        };
        let effects = effects(&self.prevention.items, items, &self.kpi.days, self.today);
        self.prevention.effects = Some(effects);
    }

    /// The highlighted prevention item's row (clamped to the items there are).
    pub fn prevention_cursor(&self) -> usize {
        self.prevention
            .selected
            .min(self.prevention.items.len().saturating_sub(1))
    }
}

/// The form for a new prevention item, its cause given.
fn new_form(cause: &str, me: &str) -> Form {
    let mut form = Form::new(
        FormKind::NewPrevention,
        Vec::new(),
        vec![
            Field::text(FieldId::Cause, "Cause", true).holding(cause),
            Field::text(FieldId::Owner, "Owner", true).suggesting(me),
            Field::date(FieldId::Due, "Due", "+30", true, false),
            Field::text(FieldId::FixAction, "Action", true),
        ],
    );
    form.note =
        Some("the cause's denial rate is measured from today, against the days before".into());
    form.me = me.to_string();
    form
}

/// Opens the new-item form from the KPI pane's highlighted root cause.
pub(super) fn open_from_kpi(state: &mut State) {
    if state.readonly {
        state.error("read-only mode: changes are disabled");
        return;
    }
    if state.kpi.people {
        state.error("prevention items are for root causes: b to a breakdown, then F on a row");
        return;
    }
    let Some(row) = state.kpi_rows().get(state.kpi.selected) else {
        state.error("no root cause highlighted: pick a row of the breakdown first");
        return;
    };
    let cause = format!("{}={}", state.kpi.dimension.key(), row.value);
    state.mode = Mode::Form(Box::new(new_form(&cause, &state.user)));
    state.message = None;
}

/// The prevention pane's keys: the cursor, and `t` or Enter for the status form; `None`
/// for keys it leaves to the rest of the app.
pub(super) fn prevention_key(state: &mut State, intent: &Intent) -> Option<Vec<Effect>> {
    let last = state.prevention.items.len().saturating_sub(1);
    let at = state.prevention_cursor();
    match intent {
        Intent::Up => state.prevention.selected = at.saturating_sub(1),
        Intent::Down => state.prevention.selected = (at + 1).min(last),
        Intent::Top => state.prevention.selected = 0,
        Intent::Bottom => state.prevention.selected = last,
        Intent::ChangeStatus | Intent::Open => {
            if state.readonly {
                state.error("read-only mode: changes are disabled");
                return Some(vec![]);
            }
            let Some(item) = state.prevention.items.get(at).cloned() else {
                state.error(
                    "no prevention items yet: open one from a root cause in the KPI pane (F)",
                );
                return Some(vec![]);
            };
            let mut form = Form::new(
                FormKind::PreventionStatus,
                Vec::new(),
                vec![
                    Field::choice(
                        FieldId::NewStatus,
                        "Status",
                        PreventionStatus::ALL
                            .iter()
                            .map(|s| s.key().to_string())
                            .collect(),
                    )
                    .choosing(item.status.key()),
                    Field::text(FieldId::Note, "Note", false).holding(&item.note),
                ],
            );
            form.note = Some(format!("{} · {}", item.cause, item.action));
            form.prevention = Some(Box::new(item));
            state.mode = Mode::Form(Box::new(form));
            state.message = None;
        }
        // Letters and claim keys mean nothing here.
        Intent::LogCall
        | Intent::SetFollowUp
        | Intent::Assign
        | Intent::AssignToMe
        | Intent::AddNote
        | Intent::FileAppeal
        | Intent::CheckDocuments
        | Intent::WriteLetter
        | Intent::AppealOutcome => {
            state.error("the prevention pane has no claims: 1 for the worklist");
        }
        _ => return None,
    }
    Some(vec![])
}

/// The item a filled prevention form saves, or why not (naming the field).
fn item_of(form: &Form, state: &State) -> Result<(PreventionItem, String), String> {
    let value = |id: FieldId| form.field(id).map_or("", |f| f.value().trim());
    match form.kind {
        FormKind::NewPrevention => {
            let mut cause =
                Cause::parse(value(FieldId::Cause)).map_err(|e| format!("Cause: {e}"))?;
            let items = state
                .worklist
                .whole_items()
                .ok_or("still loading the worklist: try again in a moment")?;
            cause.resolve(items).map_err(|e| format!("Cause: {e}"))?;
            let due =
                parse_date(value(FieldId::Due), state.today).map_err(|e| format!("Due: {e}"))?;
            let owner = match value(FieldId::Owner) {
                "" | "me" => state.user.as_str(),
                other => other,
            };
            let item = PreventionItem::new(
                cause,
                value(FieldId::FixAction),
                owner,
                due,
                state.today,
                &state.user,
            )?;
            let done = format!("prevention item opened for {}", item.cause);
            Ok((item, done))
        }
        _ => {
            let mut item = *form.prevention.clone().ok_or("no prevention item")?;
            item.status = PreventionStatus::parse(value(FieldId::NewStatus))
                .ok_or("Status: choose one with ← →")?;
            item.note = value(FieldId::Note).to_string();
            // Said in the form at once; the store checks again.
            item.check()?;
            let done = format!("prevention item #{} is {}", item.id, item.status);
            Ok((item, done))
        }
    }
}

/// Saves a filled prevention form (the form stays open until the worker says).
pub(super) fn submit(state: &mut State) -> Vec<Effect> {
    let Mode::Form(form) = &state.mode else {
        return vec![];
    };
    let result = item_of(form, state);
    let Mode::Form(form) = &mut state.mode else {
        return vec![];
    };
    match result {
        Err(e) => {
            form.error = Some(e);
            vec![]
        }
        Ok((item, done)) => {
            form.saving = true;
            form.error = None;
            vec![Effect::SavePrevention {
                item: Box::new(item),
                done,
            }]
        }
    }
}

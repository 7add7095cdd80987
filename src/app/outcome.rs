//! What comes back to the app from outside a key press: the worker's results and the team
//! server's live notices. Never bound to a key.

use super::effect::Effect;
use super::state::{ClaimDetail, Mode, State};
use crate::domain::kpi::{Activity, AdjudicationDay};
use crate::domain::list_row::ListRow;
use crate::domain::presence::Viewer;
use crate::domain::work_item::WorkItem;

/// One result.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The worklist as list rows only: enough to show, rank, filter and act on; the whole
    /// items follow as `Loaded`.
    ListLoaded(Vec<ListRow>),
    /// Every whole work item.
    Loaded(Vec<WorkItem>),
    /// First-adjudication counts, for the initial denial rate.
    DaysLoaded(Vec<AdjudicationDay>),
    /// The audit log's recent changes (the KPI pane's productivity).
    ActivityLoaded(Vec<Activity>),
    /// This UI's session on the team server now (it changes when the store reconnects
    /// to a restarted server): presence must never show the UI itself as a teammate.
    SessionIs(Option<u64>),
    /// The claim pane's content.
    DetailLoaded(Box<ClaimDetail>),
    /// Every prevention item.
    PreventionLoaded(Vec<crate::domain::prevention::PreventionItem>),
    /// A prevention item saved durably.
    PreventionSaved {
        /// As saved.
        item: Box<crate::domain::prevention::PreventionItem>,
        /// What to say.
        message: String,
    },
    /// Every change of a form or bulk action saved durably.
    Saved {
        /// The saved work items.
        items: Vec<WorkItem>,
        /// What to say ("payer call logged").
        message: String,
    },
    /// Items saved by a bulk change that then stopped on an error.
    ItemsChanged {
        /// The items as they are now (saved ones, and any a teammate changed).
        items: Vec<WorkItem>,
        /// Some of this UI's own changes were saved.
        kept: bool,
    },
    /// Items a teammate just saved (team mode).
    TeamChanged(Vec<WorkItem>),
    /// Who has which claim open (team mode).
    Presence(Vec<Viewer>),
    /// Something could not be loaded or saved: the message says what and why.
    Failed(String),
    /// What is loaded may be out of date (a teammate's change too big to send, the team
    /// server back after a gap): load everything again.
    Stale,
}

/// Takes a result in, whatever has the keys: a load refreshes the rows under an open
/// form, a failed save keeps the form with everything typed.
pub(super) fn receive(state: &mut State, outcome: Outcome) -> Vec<Effect> {
    match outcome {
        Outcome::ListLoaded(rows) => {
            state.loading = false;
            state.set_list_rows(rows);
            let mut effects = state.select(state.worklist.selected());
            effects.push(Effect::LoadWorklist);
            return effects;
        }
        Outcome::Loaded(items) => {
            state.loading = false;
            state.prevention.effects = None;
            state.set_items(items);
            return state.select(state.worklist.selected());
        }
        Outcome::DaysLoaded(days) => {
            state.kpi.days = days;
            state.kpi.figures = None;
            state.prevention.effects = None;
        }
        Outcome::ActivityLoaded(activity) => {
            state.kpi.activity = activity;
            state.kpi.figures = None;
        }
        Outcome::SessionIs(session) => state.session = session,
        Outcome::PreventionLoaded(items) => {
            state.prevention.items = items;
            state.prevention.effects = None;
        }
        Outcome::PreventionSaved { item, message } => {
            let items = &mut state.prevention.items;
            match items.iter_mut().find(|p| p.id == item.id) {
                Some(p) => *p = *item,
                None => items.push(*item),
            }
            state.prevention.effects = None;
            if matches!(state.mode, Mode::Form(_)) {
                state.mode = Mode::Normal;
            }
            state.info(format!("saved: {message}"));
        }
        Outcome::DetailLoaded(detail) => {
            match &state.claim.opening {
                Some(key) if *key == detail.key => state.claim.opening = None,
                // A claim opened since: this detail is stale.
                Some(_) => return vec![],
                None => {}
            }
            if state
                .claim
                .detail
                .as_ref()
                .is_none_or(|d| d.key != detail.key)
            {
                state.claim.scroll = 0;
            }
            state.claim.detail = Some(*detail);
        }
        Outcome::Saved { items, message } => {
            state.update_items(items);
            if matches!(state.mode, Mode::Form(_)) {
                state.mode = Mode::Normal;
            }
            state.worklist.marked.clear();
            state.info(format!("saved: {message}"));
            if let Some(id) = state.claim.detail.as_ref().map(|d| d.key.clone()) {
                return vec![state.load_detail(id)];
            }
        }
        Outcome::Presence(viewers) => state.viewers = viewers,
        Outcome::Stale => {
            state.loading = true;
            return vec![Effect::LoadWorklist];
        }
        Outcome::TeamChanged(items) => {
            let open = state.claim.detail.as_ref().map(|d| d.key.clone());
            let reload = open.filter(|id| items.iter().any(|i| i.key == *id));
            state.update_items(items);
            if let Some(id) = reload {
                return vec![state.load_detail(id)];
            }
        }
        Outcome::ItemsChanged { items, kept } => {
            // The form stays open: it now re-applies on top of what was just loaded.
            if let Mode::Form(form) = &mut state.mode {
                form.partly_saved |= kept;
                for item in &items {
                    if let Some(at) = form.claims.iter().position(|c| *c == item.key) {
                        form.versions[at] = Some(item.version);
                    }
                }
            }
            state.update_items(items);
        }
        Outcome::Failed(error) => {
            // The form stays open with everything typed, so the user can fix and retry.
            if let Mode::Form(form) = &mut state.mode {
                form.saving = false;
                form.error = Some(error.clone());
            }
            state.error(error);
        }
    }
    vec![]
}

//! `update`: an action in, the state changed and the effects to run out. No terminal, no
//! store: every interaction is testable by feeding actions.

use super::action::Action;
use super::effect::Effect;
use super::form_flow::{form_key, open_form, save};
use super::search::{jump_to_match, search_key};
use super::state::{Mode, Pane, State};
use crate::domain::queue::Queue;

/// Rows moved by PgUp/PgDn.
pub const PAGE: usize = 10;

pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    let viewing_before = state.viewing().map(String::from);
    let mut effects = dispatch(state, action);
    if state.pane == Pane::Kpi {
        state.ensure_kpis();
    }
    let viewing = state.viewing().map(String::from);
    if viewing != viewing_before {
        effects.push(Effect::Viewing(viewing));
    }
    effects
}

fn dispatch(state: &mut State, action: Action) -> Vec<Effect> {
    if state.idle_locked {
        // The idle screen hides PHI; the key that wakes it does nothing else.
        if matches!(action, Action::Unlock) {
            state.idle_locked = false;
        } else if !is_result(&action) {
            return vec![];
        }
    }
    match &state.mode {
        Mode::Search { .. } if !is_result(&action) => return search_key(state, action),
        Mode::Form(_) if !is_result(&action) => return form_key(state, action),
        Mode::Help if !is_result(&action) => {
            // The overlay scrolls (the renderer clamps at the end).
            let s = &mut state.help_scroll;
            match action {
                Action::Back | Action::Help | Action::Quit => state.mode = Mode::Normal,
                Action::Down => *s = s.saturating_add(1),
                Action::Up => *s = s.saturating_sub(1),
                Action::PageDown => *s = s.saturating_add(10),
                Action::PageUp => *s = s.saturating_sub(10),
                Action::Top => *s = 0,
                Action::Bottom => *s = u16::MAX,
                _ => {}
            }
            return vec![];
        }
        _ => {}
    }
    normal(state, action)
}

fn is_result(action: &Action) -> bool {
    matches!(
        action,
        Action::Loaded(_)
            | Action::ListLoaded(_)
            | Action::DaysLoaded(_)
            | Action::SessionIs(_)
            | Action::DetailLoaded(_)
            | Action::Saved { .. }
            | Action::ItemsChanged(_)
            | Action::TeamChanged(_)
            | Action::Presence(_)
            | Action::Failed(_)
            | Action::Idle
    )
}

/// In the claim pane the movement keys scroll the claim, not the list.
fn scroll_detail(state: &mut State, action: &Action) -> bool {
    let s = &mut state.detail_scroll;
    match action {
        Action::Up => *s = s.saturating_sub(1),
        Action::Down => *s = s.saturating_add(1),
        Action::PageUp => *s = s.saturating_sub(PAGE as u16),
        Action::PageDown => *s = s.saturating_add(PAGE as u16),
        Action::Top => *s = 0,
        _ => return false,
    }
    true
}

fn normal(state: &mut State, action: Action) -> Vec<Effect> {
    let last = state.view.len().saturating_sub(1);
    if state.pane == Pane::Claim && scroll_detail(state, &action) {
        return vec![];
    }
    if state.pane == Pane::Kpi && super::kpi_view::kpi_key(state, &action) {
        return vec![];
    }
    if state.pane == Pane::Appeals {
        if let Some(effects) = super::appeals::appeals_key(state, &action) {
            return effects;
        }
    }
    match action {
        Action::Up => return state.select(state.selected.saturating_sub(1)),
        Action::Down => return state.select((state.selected + 1).min(last)),
        Action::PageUp => return state.select(state.selected.saturating_sub(PAGE)),
        Action::PageDown => return state.select((state.selected + PAGE).min(last)),
        Action::Top => return state.select(0),
        Action::Bottom => return state.select(last),
        Action::NextClaim | Action::PrevClaim => {
            return step_claim(state, action == Action::NextClaim);
        }
        Action::Open => {
            if let Some(item) = state.selected_item() {
                let id = item.key.clone();
                state.pane = Pane::Claim;
                // Until it loads, actions fall back to the selection (the same claim).
                if state.detail.as_ref().is_some_and(|d| d.key != id) {
                    state.detail = None;
                }
                return vec![state.load_detail(id)];
            }
        }
        Action::Back => {
            if state.pane != Pane::Worklist {
                state.pane = Pane::Worklist;
            } else if state.drill.is_some() {
                state.drill = None;
                state.refresh_view();
            } else if !state.filter.is_empty() {
                state.filter.clear();
                state.refresh_view();
            } else if !state.marked.is_empty() {
                state.marked.clear();
            }
            state.message = None;
        }
        Action::NextPane => {
            let at = Pane::ALL.iter().position(|p| *p == state.pane).unwrap_or(0);
            return show_pane(state, Pane::ALL[(at + 1) % Pane::ALL.len()]);
        }
        Action::ShowPane(p) => return show_pane(state, p),
        Action::NextQueue | Action::PrevQueue => {
            let at = Queue::ALL
                .iter()
                .position(|q| *q == state.queue)
                .unwrap_or(0);
            let n = Queue::ALL.len();
            let next = if action == Action::NextQueue {
                at + 1
            } else {
                at + n - 1
            };
            set_queue(state, Queue::ALL[next % n]);
        }
        Action::SetQueue(q) => set_queue(state, q),
        Action::CycleSort if state.pane == Pane::Appeals => {
            state.appeal_sort = state.appeal_sort.next();
            state.info(format!("appeals sorted by {}", state.appeal_sort.key()));
        }
        Action::ReverseSort => {
            state.reverse = !state.reverse;
            state.refresh_view();
            state.info(format!(
                "sorted by {}{}",
                state.sort.key(),
                if state.reverse { ", reversed" } else { "" }
            ));
        }
        Action::CycleSort => {
            state.sort = state.sort.next();
            state.refresh_view();
            state.info(format!(
                "sorted by {}{}",
                state.sort.key(),
                if state.reverse { ", reversed" } else { "" }
            ));
        }
        Action::StartSearch | Action::StartFilter => {
            let filter = action == Action::StartFilter;
            let input = if filter {
                state.filter.clone()
            } else {
                String::new()
            };
            state.mode = Mode::Search { input, filter };
        }
        Action::NextMatch => return jump_to_match(state, true),
        Action::PrevMatch => return jump_to_match(state, false),
        Action::ToggleMark => {
            if let Some(id) = state.selected_item().map(|i| i.key.clone()) {
                if !state.marked.remove(&id) {
                    state.marked.insert(id);
                }
                return state.select((state.selected + 1).min(last));
            }
        }
        Action::ClearMarks => state.marked.clear(),
        Action::MarkAll => {
            let shown: Vec<String> = state
                .view
                .iter()
                .map(|&i| state.items[i].key.clone())
                .collect();
            if !shown.is_empty() && shown.iter().all(|k| state.marked.contains(k)) {
                state.marked.clear();
                state.info("marks cleared");
            } else {
                state.marked.extend(shown);
                state.info(format!(
                    "{} claims marked: d t a m act on all of them (Esc clears)",
                    state.marked.len()
                ));
            }
        }
        Action::LogCall
        | Action::AddNote
        | Action::SetFollowUp
        | Action::ChangeStatus
        | Action::Assign
        | Action::FileAppeal
        | Action::AppealOutcome => open_form(state, action),
        Action::AssignToMe if state.readonly => {
            state.error("read-only mode: changes are disabled");
        }
        Action::AssignToMe => {
            let targets = state.targets();
            if !targets.is_empty() {
                let me = state.user.clone();
                let done = match targets.len() {
                    1 => format!("assigned to {me}"),
                    n => format!("assigned to {me} on {n} claims"),
                };
                return save(
                    state,
                    targets,
                    crate::domain::action::WorkAction::Assign(Some(me.clone())),
                    done,
                );
            }
        }
        Action::TogglePrivacy => {
            state.privacy = !state.privacy;
            // What search can find changes with what is shown.
            state.search_texts.clear();
            state.refresh_view();
            state.info(if state.privacy {
                "privacy on: patient names and member IDs hidden"
            } else {
                "privacy off"
            });
        }
        Action::Help => {
            state.help_scroll = 0;
            state.mode = Mode::Help;
        }
        Action::Quit => state.quit = true,
        Action::Refresh => {
            state.loading = true;
            return vec![Effect::LoadWorklist];
        }
        Action::Idle => state.idle_locked = true,
        Action::ListLoaded(items) => {
            state.loading = false;
            state.set_list_items(items);
            let mut effects = state.select(state.selected);
            effects.push(Effect::LoadWorklist);
            return effects;
        }
        Action::Loaded(items) => {
            state.loading = false;
            state.set_items(items);
            return state.select(state.selected);
        }
        Action::DaysLoaded(days) => {
            state.days = days;
            state.kpis = None;
        }
        Action::SessionIs(session) => state.session = session,
        Action::NextPeriod | Action::NextDimension => {}
        Action::DetailLoaded(detail) => {
            match &state.opening {
                Some(key) if *key == detail.key => state.opening = None,
                // A claim opened since: this detail is stale.
                Some(_) => return vec![],
                None => {}
            }
            if state.detail.as_ref().is_none_or(|d| d.key != detail.key) {
                state.detail_scroll = 0;
            }
            state.detail = Some(*detail);
        }
        Action::Saved { items, message } => {
            state.update_items(items);
            if matches!(state.mode, Mode::Form(_)) {
                state.mode = Mode::Normal;
            }
            state.marked.clear();
            state.info(format!("saved: {message}"));
            if let Some(id) = state.detail.as_ref().map(|d| d.key.clone()) {
                return vec![state.load_detail(id)];
            }
        }
        Action::Presence(viewers) => state.viewers = viewers,
        Action::TeamChanged(items) => {
            let open = state.detail.as_ref().map(|d| d.key.clone());
            let reload = open.filter(|id| items.iter().any(|i| &i.key == id));
            state.update_items(items);
            if let Some(id) = reload {
                return vec![state.load_detail(id)];
            }
        }
        Action::ItemsChanged(items) => {
            // The form stays open: it now re-applies on top of what was just loaded.
            if let Mode::Form(form) = &mut state.mode {
                for item in &items {
                    if let Some(at) = form.claims.iter().position(|c| *c == item.key) {
                        form.versions[at] = Some(item.version);
                    }
                }
            }
            state.update_items(items);
        }
        Action::Failed(error) => {
            // The form stays open with everything typed, so the user can fix and retry.
            if let Mode::Form(form) = &mut state.mode {
                form.saving = false;
                form.error = Some(error.clone());
            }
            state.error(error);
        }
        Action::Input(_)
        | Action::Backspace
        | Action::NextField
        | Action::PrevField
        | Action::ChoicePrev
        | Action::ChoiceNext
        | Action::Submit
        | Action::Unlock => {}
    }
    vec![]
}

/// `J`/`K`: the next or previous claim of the view. In the claim pane it opens there at
/// once, counted from the claim on screen (which may have left the queue when saved:
/// then the row now in its place is the next one).
fn step_claim(state: &mut State, next: bool) -> Vec<Effect> {
    let last = state.view.len().saturating_sub(1);
    let shown = match (state.pane, &state.detail) {
        (Pane::Claim, Some(d)) => state.view.iter().position(|&i| state.items[i].key == d.key),
        _ => Some(state.selected),
    };
    let at = match (shown, next) {
        (Some(p), true) => (p + 1).min(last),
        (Some(p), false) => p.saturating_sub(1),
        (None, true) => state.selected.min(last),
        (None, false) => state.selected.saturating_sub(1),
    };
    let mut effects = state.select(at);
    if state.pane == Pane::Claim {
        if let Some(key) = state.selected_item().map(|i| i.key.clone()) {
            if state.detail.as_ref().is_none_or(|d| d.key != key) && effects.is_empty() {
                effects.push(state.load_detail(key));
            }
        }
        state.detail_scroll = 0;
    }
    effects
}

fn show_pane(state: &mut State, pane: Pane) -> Vec<Effect> {
    state.pane = pane;
    match (pane, state.selected_item()) {
        (Pane::Claim, Some(item)) if state.detail.as_ref().is_none_or(|d| d.key != item.key) => {
            let key = item.key.clone();
            vec![state.load_detail(key)]
        }
        _ => vec![],
    }
}

fn set_queue(state: &mut State, queue: Queue) {
    state.queue = queue;
    state.selected = 0;
    state.refresh_view();
}

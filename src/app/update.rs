//! `update`: a message in, the state changed and the effects to run out. No terminal, no
//! store: every interaction is testable by feeding messages. Routing is by the message's
//! type: outcomes always reach the state, intents and edits go to whatever has the keys
//! (the idle screen, a form, the search box, the help, else the panes).

use super::effect::Effect;
use super::form_flow::{form_edit, form_intent, open_form, save};
use super::msg::{Intent, Msg};
use super::search::{jump_to_match, search_edit, search_intent};
use super::state::{Mode, Pane, State};

/// Rows moved by PgUp/PgDn.
pub const PAGE: usize = 10;

/// Applies one message; returns the effects for the worker.
pub fn update(state: &mut State, msg: impl Into<Msg>) -> Vec<Effect> {
    let viewing_before = state.viewing().map(String::from);
    let mut effects = dispatch(state, msg.into());
    if state.pane == Pane::Kpi {
        state.ensure_kpis();
    }
    if state.pane == Pane::Prevention {
        state.ensure_prevention();
    }
    let viewing = state.viewing().map(String::from);
    if viewing != viewing_before {
        effects.push(Effect::Viewing(viewing));
    }
    effects
}

fn dispatch(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Outcome(outcome) => super::outcome::receive(state, outcome),
        Msg::Idle => {
            state.idle_locked = true;
            vec![]
        }
        // The idle screen hides PHI; the key that wakes it does nothing else.
        Msg::Intent(_) | Msg::Edit(_) if state.idle_locked => {
            state.idle_locked = false;
            vec![]
        }
        Msg::Edit(edit) => match state.mode {
            Mode::Search { .. } => search_edit(state, edit),
            Mode::Form(_) => form_edit(state, edit),
            Mode::Normal | Mode::Help => vec![],
        },
        Msg::Intent(intent) => match state.mode {
            Mode::Search { .. } => search_intent(state, intent),
            Mode::Form(_) => form_intent(state, intent),
            Mode::Help => {
                help_intent(state, intent);
                vec![]
            }
            Mode::Normal => normal(state, intent),
        },
    }
}

/// The help overlay scrolls (the renderer clamps at the end) and closes.
fn help_intent(state: &mut State, intent: Intent) {
    let s = &mut state.help_scroll;
    match intent {
        Intent::Back | Intent::Help => state.mode = Mode::Normal,
        // Quit (q, Ctrl-C) leaves the app from help as from anywhere else.
        Intent::Quit => state.quit = true,
        Intent::Down => *s = s.saturating_add(1),
        Intent::Up => *s = s.saturating_sub(1),
        Intent::PageDown => *s = s.saturating_add(10),
        Intent::PageUp => *s = s.saturating_sub(10),
        Intent::Top => *s = 0,
        Intent::Bottom => *s = u16::MAX,
        _ => {}
    }
}

/// In the claim pane the movement keys scroll the claim, not the list.
fn scroll_claim(state: &mut State, intent: Intent) -> bool {
    let s = &mut state.claim.scroll;
    match intent {
        Intent::Up => *s = s.saturating_sub(1),
        Intent::Down => *s = s.saturating_add(1),
        Intent::PageUp => *s = s.saturating_sub(PAGE as u16),
        Intent::PageDown => *s = s.saturating_add(PAGE as u16),
        Intent::Top => *s = 0,
        _ => return false,
    }
    true
}

fn normal(state: &mut State, intent: Intent) -> Vec<Effect> {
    let last = state.worklist.view().len().saturating_sub(1);
    let selected = state.worklist.selected();
    if state.pane == Pane::Claim && scroll_claim(state, intent) {
        return vec![];
    }
    if state.pane == Pane::Kpi && super::kpi_view::kpi_key(state, &intent) {
        return vec![];
    }
    if state.pane == Pane::Appeals {
        if let Some(effects) = super::appeals::appeals_key(state, &intent) {
            return effects;
        }
    }
    if state.pane == Pane::Prevention {
        if let Some(effects) = super::prevention_view::prevention_key(state, &intent) {
            return effects;
        }
    }
    match intent {
        Intent::Up => return state.select(selected.saturating_sub(1)),
        Intent::Down => return state.select((selected + 1).min(last)),
        Intent::PageUp => return state.select(selected.saturating_sub(PAGE)),
        Intent::PageDown => return state.select((selected + PAGE).min(last)),
        Intent::Top => return state.select(0),
        Intent::Bottom => return state.select(last),
        Intent::NextClaim | Intent::PrevClaim => {
            return step_claim(state, intent == Intent::NextClaim);
        }
        Intent::Open => {
            if let Some(item) = state.selected_row() {
                let id = item.key.to_string();
                state.pane = Pane::Claim;
                // Until it loads, actions fall back to the selection (the same claim).
                if state.claim.detail.as_ref().is_some_and(|d| d.key != id) {
                    state.claim.detail = None;
                }
                return vec![state.load_detail(id)];
            }
        }
        Intent::Back => {
            if state.pane != Pane::Worklist {
                state.pane = Pane::Worklist;
            } else if state.worklist.drill().is_some() {
                // Back to the tab (queue or saved view) the drill replaced.
                state.worklist.set_drill(None);
            } else if !state.worklist.filter().is_empty() {
                state.worklist.set_filter("");
            } else if !state.worklist.marked.is_empty() {
                state.worklist.marked.clear();
            } else {
                // Last: the search's highlight (n/N find nothing after this).
                state.search.clear();
            }
            state.message = None;
        }
        Intent::NextPane => {
            let at = Pane::ALL.iter().position(|p| *p == state.pane).unwrap_or(0);
            return show_pane(state, Pane::ALL[(at + 1) % Pane::ALL.len()]);
        }
        Intent::ShowPane(p) => return show_pane(state, p),
        Intent::NextQueue | Intent::PrevQueue => {
            // The queues, then the saved views, as the tabs show them.
            let tabs = state.worklist.selection();
            let (at, n) = (tabs.tab(), tabs.tab_count());
            let next = if intent == Intent::NextQueue {
                at + 1
            } else {
                at + n - 1
            };
            state.worklist.show_tab(next);
        }
        Intent::SetQueue(q) => state.worklist.set_queue(q),
        Intent::CycleSort if state.pane == Pane::Appeals => {
            state.appeals.sort = state.appeals.sort.next();
            state.info(format!("appeals sorted by {}", state.appeals.sort.key()));
        }
        Intent::ReverseSort | Intent::CycleSort => {
            let (sort, reverse) = state.worklist.sort();
            let (sort, reverse) = match intent {
                Intent::ReverseSort => (sort, !reverse),
                _ => (sort.next(), reverse),
            };
            state.worklist.set_sort(sort, reverse);
            state.info(format!(
                "sorted by {}{}",
                sort.key(),
                if reverse { ", reversed" } else { "" }
            ));
        }
        Intent::StartSearch | Intent::StartFilter => {
            let filter = intent == Intent::StartFilter;
            // The filter opens on its current text, to refine it; a search starts empty.
            let mut input = super::edit::TextField::new();
            if filter {
                input.set(state.worklist.filter());
            }
            state.mode = Mode::Search { input, filter };
        }
        Intent::NextMatch => return jump_to_match(state, true),
        Intent::PrevMatch => return jump_to_match(state, false),
        Intent::ToggleMark => {
            if let Some(id) = state.selected_row().map(|i| i.key.to_string()) {
                let marked = &mut state.worklist.marked;
                if !marked.remove(&id) {
                    marked.insert(id);
                }
                return state.select((selected + 1).min(last));
            }
        }
        Intent::ClearMarks => state.worklist.marked.clear(),
        Intent::MarkAll => {
            let shown: Vec<String> = state.worklist.shown_keys().map(String::from).collect();
            let marked = &mut state.worklist.marked;
            if !shown.is_empty() && shown.iter().all(|k| marked.contains(k)) {
                marked.clear();
                state.info("marks cleared");
            } else {
                marked.extend(shown);
                let n = marked.len();
                state.info(format!(
                    "{n} claims marked: follow-up, status and assign act on all of them (back clears the marks)"
                ));
            }
        }
        Intent::LogCall
        | Intent::AddNote
        | Intent::SetFollowUp
        | Intent::ChangeStatus
        | Intent::Assign
        | Intent::FileAppeal
        | Intent::CheckDocuments
        | Intent::AppealOutcome => open_form(state, intent),
        Intent::NewPrevention if state.pane == Pane::Kpi => {
            super::prevention_view::open_from_kpi(state);
        }
        Intent::NewPrevention => {
            state.info("F opens a prevention item from a root-cause row of the KPI pane (4)");
        }
        Intent::WriteLetter if state.readonly => {
            state.error("read-only mode: changes are disabled");
        }
        Intent::WriteLetter => {
            // One claim's letter: the one open, else the selected row.
            let key = match state.pane {
                Pane::Claim => state.claim.detail.as_ref().map(|d| d.key.clone()),
                _ => state.worklist.selected_row().map(|i| i.key.to_string()),
            };
            if let Some(key) = key {
                state.info("writing the letter…");
                return vec![Effect::WriteLetter {
                    key,
                    settings: Box::new(state.letters.clone()),
                    today: state.today,
                }];
            }
        }
        Intent::AssignToMe if state.readonly => {
            state.error("read-only mode: changes are disabled");
        }
        Intent::AssignToMe => {
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
        Intent::TogglePrivacy => {
            state.privacy = !state.privacy;
            // What search can find changes with what is shown.
            state.worklist.set_phi_searchable(!state.privacy);
            state.info(if state.privacy {
                "privacy on: patient names and member IDs hidden"
            } else {
                "privacy off"
            });
        }
        Intent::Help => {
            state.help_scroll = 0;
            state.mode = Mode::Help;
        }
        Intent::Quit => state.quit = true,
        Intent::Refresh => {
            state.loading = true;
            return vec![Effect::LoadWorklist];
        }
        Intent::NextPeriod | Intent::NextDimension => {}
        Intent::NextField | Intent::PrevField | Intent::Submit => {}
    }
    vec![]
}

/// `J`/`K`: the next or previous claim of the view. In the claim pane it opens there at
/// once, counted from the claim on screen (which may have left the queue when saved:
/// then the row now in its place is the next one).
fn step_claim(state: &mut State, next: bool) -> Vec<Effect> {
    let last = state.worklist.view().len().saturating_sub(1);
    let selected = state.worklist.selected();
    let shown = match (state.pane, &state.claim.detail) {
        (Pane::Claim, Some(d)) => state.worklist.position_of(&d.key),
        _ => Some(selected),
    };
    let at = match (shown, next) {
        (Some(p), true) => (p + 1).min(last),
        (Some(p), false) => p.saturating_sub(1),
        (None, true) => selected.min(last),
        (None, false) => selected.saturating_sub(1),
    };
    let mut effects = state.select(at);
    if state.pane == Pane::Claim {
        if let Some(key) = state.selected_row().map(|i| i.key.to_string()) {
            if state.claim.detail.as_ref().is_none_or(|d| d.key != key) && effects.is_empty() {
                effects.push(state.load_detail(key));
            }
        }
        state.claim.scroll = 0;
    }
    effects
}

fn show_pane(state: &mut State, pane: Pane) -> Vec<Effect> {
    state.pane = pane;
    match (pane, state.selected_row()) {
        // Items others opened or closed since (from the command line, a teammate).
        (Pane::Prevention, _) => vec![Effect::LoadPrevention],
        (Pane::Claim, Some(item))
            if state
                .claim
                .detail
                .as_ref()
                .is_none_or(|d| d.key != item.key) =>
        {
            let key = item.key.to_string();
            vec![state.load_detail(key)]
        }
        _ => vec![],
    }
}

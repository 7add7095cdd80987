//! Search (`/`, n, N: jump to matching rows) and filter (`f`: narrow the list as you type).

use super::effect::Effect;
use super::msg::{Edit, Intent};
use super::state::{Mode, State};
use crate::domain::filter_expr::FilterExpr;
use crate::domain::queue::{normalized, text_matches, Queue};

/// Moves the selection to the next (or previous) row matching the last search, saying
/// which match of how many it is. With no match in this queue but one elsewhere, it
/// switches to All and goes there (saying so); with none anywhere, nothing moves.
pub(super) fn jump_to_match(state: &mut State, forward: bool) -> Vec<Effect> {
    if state.search.is_empty() || state.view.is_empty() && state.items.is_empty() {
        return vec![];
    }
    let query = normalized(&state.search);
    state.ensure_search_texts();
    let mut switched = false;
    if !state
        .view
        .iter()
        .any(|&i| text_matches(&state.search_texts[i], &query))
    {
        let elsewhere = state.search_texts.iter().any(|t| text_matches(t, &query));
        if !elsewhere || state.queue == Queue::All && state.drill.is_none() {
            let hidden = if state.privacy {
                " (names and member IDs are hidden: privacy is on)"
            } else {
                ""
            };
            state.error(format!("no match for {:?}{hidden}", state.search));
            return vec![];
        }
        state.queue = Queue::All;
        state.drill = None;
        state.refresh_view();
        switched = true;
    }
    let n = state.view.len();
    let found = (1..=n)
        .map(|k| {
            if forward {
                (state.selected + k) % n
            } else {
                (state.selected + n * 2 - k) % n
            }
        })
        .find(|&at| text_matches(&state.search_texts[state.view[at]], &query));
    let Some(at) = found else {
        return vec![];
    };
    let matching: Vec<usize> = (0..n)
        .filter(|&k| text_matches(&state.search_texts[state.view[k]], &query))
        .collect();
    let number = matching.iter().position(|&k| k == at).map_or(0, |p| p + 1);
    let effects = state.select(at);
    state.info(format!(
        "match {number} of {} for {:?}{}",
        matching.len(),
        state.search,
        if switched {
            " (not in that queue: now showing All)"
        } else {
            ""
        }
    ));
    effects
}

/// Typing in the search or filter box; a filter narrows the list as the user types.
pub(super) fn search_edit(state: &mut State, edit: Edit) -> Vec<Effect> {
    let Mode::Search { input, filter } = &mut state.mode else {
        return vec![];
    };
    if input.apply(edit) && *filter {
        state.filter = input.value().trim().to_string();
        state.selected = 0;
        state.refresh_view();
    }
    vec![]
}

/// Enter searches (or applies the filter); Esc closes the box.
pub(super) fn search_intent(state: &mut State, intent: Intent) -> Vec<Effect> {
    let Mode::Search { input, filter } = &state.mode else {
        return vec![];
    };
    let filter = *filter;
    match intent {
        Intent::Back => {
            state.mode = Mode::Normal;
            vec![]
        }
        Intent::Quit => {
            state.quit = true;
            vec![]
        }
        Intent::Submit => {
            let text = input.value().trim().to_string();
            state.mode = Mode::Normal;
            if filter {
                apply_filter(state, text);
                return vec![];
            }
            state.search = text;
            // Start from the row above so a match on the current row is found first; with
            // no match at all, the cursor stays where it was.
            let before = state.selected;
            state.selected = state
                .selected
                .checked_sub(1)
                .unwrap_or(state.view.len().saturating_sub(1));
            let effects = jump_to_match(state, true);
            if state.message.as_ref().is_some_and(|m| m.error) {
                state.selected = before;
            }
            effects
        }
        _ => vec![],
    }
}

/// Narrows the list to `text`, saying how many claims match or why none can.
fn apply_filter(state: &mut State, text: String) {
    if let Err(e) = FilterExpr::parse(&text, &state.user) {
        state.filter = text;
        state.refresh_view();
        state.error(format!("filter: {e}"));
        return;
    }
    state.filter = text;
    state.selected = 0;
    state.refresh_view();
    let (n, _) = state.view_totals();
    if n == 0 && !state.filter.is_empty() {
        state.error(format!(
            "no match for {:?} in this queue (Esc clears the filter)",
            state.filter
        ));
    } else {
        state.info(format!("filter {:?}: {n} claims", state.filter));
    }
}

//! Search (`/`, n, N: jump to matching rows) and filter (`f`: narrow the list as you type).

use super::effect::Effect;
use super::msg::{Edit, Intent};
use super::state::{Mode, State};
use crate::domain::filter_expr::FilterExpr;
use crate::domain::queue::{next_match, normalized, text_matches, Queue};

/// Moves the selection to the next (or previous) row matching the last search, saying
/// which match of how many it is. With no match in this queue but one elsewhere, it
/// switches to All and goes there (saying so); with none anywhere, nothing moves.
pub(super) fn jump_to_match(state: &mut State, forward: bool) -> Vec<Effect> {
    if state.search.is_empty() {
        state.info("no search yet: / searches");
        return vec![];
    }
    let query = normalized(&state.search);
    let wl = &mut state.worklist;
    let everything_shown = wl.queue() == Queue::All
        && wl.drill().is_none()
        && wl
            .selection()
            .active_view()
            .is_none_or(|v| v.filter.is_empty());
    let (view, texts) = wl.searchable();
    let elsewhere = texts.iter().any(|t| text_matches(t, &query));
    let here = view.iter().any(|&i| text_matches(&texts[i], &query));
    let switched = !here && elsewhere && !everything_shown;
    if switched {
        wl.show_all();
    }
    let selected = wl.selected();
    let (view, texts) = wl.searchable();
    let found = next_match(view, texts, &query, selected, forward);
    let Some((at, number, of)) = found.filter(|_| here || switched) else {
        let hidden = if state.privacy {
            " (names and member IDs are hidden: privacy is on)"
        } else {
            ""
        };
        state.error(format!("no match for {:?}{hidden}", state.search));
        return vec![];
    };
    let effects = state.select(at);
    state.info(format!(
        "match {number} of {of} for {:?}{}",
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
        let text = input.value().trim().to_string();
        state.worklist.set_filter(&text);
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
            let before = state.worklist.selected();
            let shown = state.worklist.view().len();
            state
                .worklist
                .select(before.checked_sub(1).unwrap_or(shown.saturating_sub(1)));
            let effects = jump_to_match(state, true);
            if state.message.as_ref().is_some_and(|m| m.error) {
                state.worklist.select(before);
            }
            effects
        }
        _ => vec![],
    }
}

/// Narrows the list to `text`, saying how many claims match or why none can.
fn apply_filter(state: &mut State, text: String) {
    state.worklist.set_filter(&text);
    if let Err(e) = FilterExpr::parse(&text, &state.user) {
        state.error(format!("filter: {e}"));
        return;
    }
    let (n, _) = state.worklist.view_totals();
    if n == 0 && !text.is_empty() {
        state.error(format!(
            "no match for {text:?} in this queue (clearing the filter shows them all)"
        ));
    } else {
        let noun = if n == 1 { "claim" } else { "claims" };
        state.info(format!("filter {text:?}: {n} {noun}"));
    }
}

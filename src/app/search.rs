//! Search (`/`, n, N: jump to matching rows) and filter (`f`: narrow the list as you type).

use super::action::Action;
use super::effect::Effect;
use super::state::{Mode, State};
use crate::domain::queue::text_matches;

/// Moves the selection to the next (or previous) row matching the last search.
pub(super) fn jump_to_match(state: &mut State, forward: bool) -> Vec<Effect> {
    let n = state.view.len();
    if state.search.is_empty() || n == 0 {
        return vec![];
    }
    let query = state.search.trim().to_ascii_lowercase();
    state.ensure_search_texts();
    let found = (1..=n)
        .map(|k| {
            if forward {
                (state.selected + k) % n
            } else {
                (state.selected + n * 2 - k) % n
            }
        })
        .find(|&at| text_matches(&state.search_texts[state.view[at]], &query));
    match found {
        Some(at) => state.select(at),
        None => {
            let elsewhere = state.search_texts.iter().any(|t| text_matches(t, &query));
            let hint = if elsewhere {
                " (it is in another queue: try 0 for All)"
            } else {
                ""
            };
            state.error(format!(
                "no match for {:?} in this queue{hint}",
                state.search
            ));
            vec![]
        }
    }
}

pub(super) fn search_key(state: &mut State, action: Action) -> Vec<Effect> {
    let Mode::Search { input, filter } = &mut state.mode else {
        return vec![];
    };
    let filter = *filter;
    match action {
        Action::Input(c) => input.push(c),
        Action::Backspace => {
            input.pop();
        }
        Action::Back => {
            state.mode = Mode::Normal;
            return vec![];
        }
        Action::Submit => {
            let text = input.trim().to_string();
            state.mode = Mode::Normal;
            if filter {
                state.filter = text;
                state.selected = 0;
                state.refresh_view();
                let (n, _) = state.view_totals();
                state.info(format!("filter {:?}: {n} claims", state.filter));
                return vec![];
            }
            state.search = text;
            // Start from the row above so a match on the current row is found first.
            state.selected = state
                .selected
                .checked_sub(1)
                .unwrap_or(state.view.len().saturating_sub(1));
            return jump_to_match(state, true);
        }
        _ => return vec![],
    }
    if filter {
        // Narrow as the user types.
        if let Mode::Search { input, .. } = &state.mode {
            state.filter = input.trim().to_string();
        }
        state.selected = 0;
        state.refresh_view();
    }
    vec![]
}

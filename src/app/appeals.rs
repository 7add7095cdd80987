//! The appeals pane's own state: its rows (every appeal with its claim, in the chosen
//! order), its cursor and what the cursor acts on. Enter, `c`, `O` and the other claim
//! keys act on the highlighted appeal's claim — never on a worklist row the user cannot
//! see from here.

use super::effect::Effect;
use super::msg::Intent;
use super::pane::{AppealSort, Pane};
use super::state::State;
use crate::domain::appeal::Appeal;
use crate::domain::work_item::WorkItem;

/// Rows moved by PageUp/PageDown.
const PAGE: usize = 10;

/// Every appeal with its work item, in the pane's order.
pub fn rows(state: &State) -> Vec<(&WorkItem, &Appeal)> {
    // Appeals are not in list rows: none until the whole items have loaded.
    let items = state.worklist.whole_items().unwrap_or_default();
    let mut rows: Vec<(&WorkItem, &Appeal)> = items
        .iter()
        .flat_map(|i| i.appeals.iter().map(move |a| (i, a)))
        .collect();
    let today = state.today;
    match state.appeals.sort {
        // Undecided first, soonest due first; decided ones after.
        AppealSort::ResponseDue => {
            rows.sort_by_key(|(_, a)| (a.decision.is_some(), a.response_due))
        }
        AppealSort::Waiting => rows.sort_by_key(|(_, a)| std::cmp::Reverse(a.days_waiting(today))),
        AppealSort::Amount => rows.sort_by_key(|(i, _)| std::cmp::Reverse(i.outstanding_cents())),
    }
    rows
}

impl State {
    /// The highlighted appeal's row number (clamped to the rows there are).
    pub fn appeal_cursor(&self) -> usize {
        let items = self.worklist.whole_items().unwrap_or_default();
        let n = items.iter().map(|i| i.appeals.len()).sum::<usize>();
        self.appeals.selected.min(n.saturating_sub(1))
    }

    /// The work item key of the highlighted appeal's claim.
    pub fn highlighted_appeal_claim(&self) -> Option<String> {
        rows(self)
            .get(self.appeal_cursor())
            .map(|(item, _)| item.key.to_string())
    }
}

/// Moves the cursor or opens the highlighted appeal's claim; `None`: not a key of this
/// pane (the caller handles it, acting on `State::targets`, which follows the cursor).
pub(super) fn appeals_key(state: &mut State, intent: &Intent) -> Option<Vec<Effect>> {
    let n = rows(state).len();
    let last = n.saturating_sub(1);
    let at = state.appeal_cursor();
    state.appeals.selected = match intent {
        Intent::Up => at.saturating_sub(1),
        Intent::Down => (at + 1).min(last),
        Intent::PageUp => at.saturating_sub(PAGE),
        Intent::PageDown => (at + PAGE).min(last),
        Intent::Top => 0,
        Intent::Bottom => last,
        Intent::Open => {
            let key = state.highlighted_appeal_claim()?;
            state.pane = Pane::Claim;
            if state.claim.detail.as_ref().is_some_and(|d| d.key != key) {
                state.claim.detail = None;
            }
            return Some(vec![state.load_detail(key)]);
        }
        _ => return None,
    };
    Some(vec![])
}

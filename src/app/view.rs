//! The worklist's view: which rows the current queue (or KPI drill), filter and sort
//! show, in order, with their total — kept with the rows so no frame recomputes it.

use super::state::State;
use crate::domain::filter_expr::FilterExpr;
use crate::domain::queue::search_text;

impl State {
    /// Builds the per-row search texts if they are not yet.
    pub fn ensure_search_texts(&mut self) {
        if self.search_texts.len() != self.items.len() {
            let with_phi = !self.privacy;
            self.search_texts = self
                .items
                .iter()
                .map(|i| search_text(i, with_phi))
                .collect();
        }
    }

    /// Recomputes the rows from queue, filter and sort, keeping the selected claim selected.
    pub fn refresh_view(&mut self) {
        let keep = self.selected_item().map(|i| i.key.clone());
        self.refresh_view_keeping(keep);
    }

    pub(super) fn refresh_view_keeping(&mut self, keep: Option<String>) {
        // One filter language for the UI and `list --filter` (see `filter_expr`); a term
        // still being typed is skipped until it parses.
        let filter = FilterExpr::parse_lenient(&self.filter, &self.user);
        if !filter.is_empty() {
            self.ensure_search_texts();
        }
        let mut view: Vec<usize> = (0..self.items.len())
            .filter(|&i| {
                let item = &self.items[i];
                let in_view = match &self.drill {
                    Some(d) => {
                        d.period.contains(item.denied_on) && d.dimension.matches(item, &d.value)
                    }
                    None => self.queue.contains(item, &self.user, self.today),
                };
                in_view
                    && (filter.is_empty()
                        || filter.matches(item, &self.search_texts[i], self.owed[i]))
            })
            .collect();
        let items = &self.items;
        let scores = &self.scores;
        let owed = &self.owed;
        // The same ordering as `denialdesk list` (SortKey::compare), ties by claim id.
        let (sort, reverse) = (self.sort, self.reverse);
        view.sort_by(|&a, &b| {
            let order = sort.compare(
                (&items[a], scores[a], owed[a]),
                (&items[b], scores[b], owed[b]),
            );
            let order = if reverse { order.reverse() } else { order };
            order.then_with(|| items[a].claim_id.cmp(&items[b].claim_id))
        });
        // The summary line's total, kept with the view: drawing it from the items on every
        // frame walked 100,000 items' denied lines per key press.
        self.view_cents = view.iter().map(|&i| self.owed[i]).sum();
        self.view = view;
        self.selected = keep
            .and_then(|id| self.view.iter().position(|&i| self.items[i].key == id))
            .unwrap_or(self.selected)
            .min(self.view.len().saturating_sub(1));
    }

    /// Count and outstanding dollars of the rows shown.
    pub fn view_totals(&self) -> (usize, i64) {
        (self.view.len(), self.view_cents)
    }
}

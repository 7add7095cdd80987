//! The worklist model: the loaded list rows (and, once loaded, the whole work items) with
//! everything derived from them (priority scores, amounts owed, search texts, queue
//! counts) and the view of them (queue or KPI drill, filter, sort, selection, marks). Every derived index is rebuilt here whenever
//! what it derives from changes, so the rest of the app can read them and never has to
//! remember to refresh them.

use crate::domain::filter_expr::FilterExpr;
use crate::domain::list_row::ListRow;
use crate::domain::queue::{queue_counts, Queue};
use crate::domain::row_order::SortKey;
use crate::domain::saved_view::SavedView;
use crate::domain::work_item::WorkItem;
use chrono::NaiveDate;
use std::collections::BTreeSet;

mod items;
mod phase;
mod selection;
use items::Items;
pub use phase::LoadPhase;
use selection::view_counts;
pub use selection::Drill;
pub use selection::Selection;

/// The loaded worklist and the view of it.
#[derive(Debug, Clone)]
pub struct Worklist {
    user: String,
    today: NaiveDate,
    /// Every list row (and whole item, once loaded) with what is derived from each.
    data: Items,
    phase: LoadPhase,
    /// Whether search texts may hold patient names and member ids (privacy off).
    with_phi: bool,
    /// Indices into `items`: the rows shown, in order.
    view: Vec<usize>,
    /// Outstanding cents of `view`, computed with it.
    view_cents: i64,
    /// How many items each queue holds (same order as `Queue::ALL`).
    queue_counts: [usize; Queue::ALL.len()],
    /// Open denials parked until a future follow-up (in no working queue until then).
    parked: usize,
    /// Days without an 835 or 277 that put a claim with the payer in the no-response queue.
    no_response_days: i64,
    /// The tab (queue or saved view) or drill, filter and sort.
    sel: Selection,
    /// How many claims each saved view holds (`None`: not counted yet).
    view_counts: Vec<Option<usize>>,
    /// Position in `view`.
    selected: usize,
    /// Claims marked for a bulk change, by key.
    pub marked: BTreeSet<String>,
}

impl Worklist {
    /// An empty worklist for `user` on `today`, waiting for its load.
    pub fn new(user: &str, today: NaiveDate) -> Worklist {
        Worklist {
            user: user.to_string(),
            today,
            data: Items::default(),
            phase: LoadPhase::Waiting,
            with_phi: true,
            view: Vec::new(),
            view_cents: 0,
            queue_counts: [0; Queue::ALL.len()],
            parked: 0,
            no_response_days: crate::domain::queue::DEFAULT_NO_RESPONSE_DAYS,
            sel: Selection::default(),
            view_counts: Vec::new(),
            selected: 0,
            marked: BTreeSet::new(),
        }
    }

    /// Sets the no-response wait (`no_response_days` in the config file).
    pub fn set_no_response_days(&mut self, days: i64) {
        self.no_response_days = days;
        self.refresh_counts();
        self.refresh_view_keeping_selection();
    }

    /// How much has loaded.
    pub fn phase(&self) -> LoadPhase {
        self.phase
    }

    /// Every work item's list row: what the worklist ranks, filters and shows, in every
    /// phase.
    pub fn rows(&self) -> &[ListRow] {
        &self.data.items
    }

    /// Every whole work item (parallel to `rows`), once they have loaded.
    pub fn whole_items(&self) -> Option<&[WorkItem]> {
        self.data.whole.as_deref()
    }

    /// The whole work item with `key`, once the whole items have loaded.
    pub fn whole_item(&self, key: &str) -> Option<&WorkItem> {
        let at = self.index_of(key)?;
        self.whole_items().map(|whole| &whole[at])
    }

    /// The list row of the work item with `key` (kept in key order: no scan).
    pub fn row(&self, key: &str) -> Option<&ListRow> {
        self.index_of(key).map(|at| &self.data.items[at])
    }

    /// Where the work item with `key` is in `rows`.
    pub fn index_of(&self, key: &str) -> Option<usize> {
        self.data
            .items
            .binary_search_by(|i| i.key.as_str().cmp(key))
            .ok()
    }

    /// The priority score of item `i` (an index into `rows`).
    pub fn score(&self, i: usize) -> u32 {
        self.data.scores[i]
    }

    /// The rows shown, in order, as indices into `rows`.
    pub fn view(&self) -> &[usize] {
        &self.view
    }

    /// Count and outstanding cents of the rows shown.
    pub fn view_totals(&self) -> (usize, i64) {
        (self.view.len(), self.view_cents)
    }

    /// How many items each queue holds (in `Queue::ALL` order).
    pub fn queue_counts(&self) -> &[usize; Queue::ALL.len()] {
        &self.queue_counts
    }

    /// Open denials parked until a future follow-up.
    pub fn parked(&self) -> usize {
        self.parked
    }

    /// The queue shown (a saved view's own queue while one is shown; unless a KPI drill
    /// replaces it).
    pub fn queue(&self) -> Queue {
        self.sel.queue
    }

    /// The sort and whether it runs backwards.
    pub fn sort(&self) -> (SortKey, bool) {
        (self.sel.sort, self.sel.reverse)
    }

    /// The filter text (`f`).
    pub fn filter(&self) -> &str {
        &self.sel.filter
    }

    /// The KPI drill shown instead of a queue, if any.
    pub fn drill(&self) -> Option<&Drill> {
        self.sel.drill.as_ref()
    }

    /// The tab or drill, filter and sort shown (saved views, their columns, the tab).
    pub fn selection(&self) -> &Selection {
        &self.sel
    }

    /// How many claims each saved view holds (`None`: not counted yet).
    pub fn view_counts(&self) -> &[Option<usize>] {
        &self.view_counts
    }

    /// Shows tab `n` (wrapping): a queue, or a saved view with its order, from the first row.
    pub fn show_tab(&mut self, n: usize) {
        self.sel.show_tab(n);
        self.selected = 0;
        self.refresh_view(None);
    }

    /// Sets the saved views (from the config file) and counts them.
    pub fn set_views(&mut self, views: Vec<SavedView>) {
        self.sel.views = views;
        self.sel.view = None;
        self.refresh_counts();
        self.refresh_view_keeping_selection();
    }

    /// The selected row's position in the view.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The selected work item's row, if any row is shown.
    pub fn selected_row(&self) -> Option<&ListRow> {
        self.view.get(self.selected).map(|&i| &self.data.items[i])
    }

    /// Selects row `at` of the view (clamped to the rows there are).
    pub fn select(&mut self, at: usize) {
        self.selected = at.min(self.view.len().saturating_sub(1));
    }

    /// Shows `queue` (leaving any KPI drill), from its first row.
    pub fn set_queue(&mut self, queue: Queue) {
        self.sel.queue = queue;
        self.sel.view = None;
        self.sel.drill = None;
        self.selected = 0;
        self.refresh_view(None);
    }

    /// Shows the claims behind a KPI row instead of a queue, from the first row.
    pub fn set_drill(&mut self, drill: Option<Drill>) {
        self.sel.drill = drill;
        self.selected = 0;
        self.refresh_view(None);
    }

    /// Orders the view by `sort`, keeping the selected claim selected.
    pub fn set_sort(&mut self, sort: SortKey, reverse: bool) {
        (self.sel.sort, self.sel.reverse) = (sort, reverse);
        self.refresh_view_keeping_selection();
    }

    /// Narrows the view to `filter` (a term still being typed is skipped until it
    /// parses), from the first row.
    pub fn set_filter(&mut self, filter: &str) {
        self.sel.filter = filter.to_string();
        self.selected = 0;
        self.refresh_view(None);
    }

    /// Whether search may look at patient names and member ids (off in privacy mode:
    /// search must never find what the screen hides).
    pub fn set_phi_searchable(&mut self, with_phi: bool) {
        if self.with_phi != with_phi {
            self.with_phi = with_phi;
            self.data.search_texts.clear();
            self.refresh_view_keeping_selection();
        }
    }

    /// Builds the per-row search texts if they are not yet (the UI calls this when idle).
    pub fn ensure_search_texts(&mut self) {
        if self.data.ensure_search_texts(self.with_phi) {
            // Views whose filter has words could not be counted without the texts.
            if !self.sel.views.is_empty() {
                self.refresh_counts();
            }
        }
    }

    /// Replaces every item with list rows (at start-up, before the whole items).
    pub fn set_rows(&mut self, rows: Vec<ListRow>) {
        self.replace(rows, None, false);
        self.phase = LoadPhase::Rows;
    }

    /// Replaces every item with whole ones (after a load), and the rows with theirs.
    pub fn set_whole(&mut self, items: Vec<WorkItem>) {
        // Whole items after list rows of the very same versions search the same: keep the
        // texts already built (rebuilding them is measurable at scale: BENCHMARKS.md,
        // "Figures behind choices in the code").
        let same = self.phase == LoadPhase::Rows
            && items.len() == self.data.items.len()
            && items
                .iter()
                .zip(&self.data.items)
                .all(|(a, b)| a.key == b.key && a.version == b.version);
        let rows = items.iter().map(ListRow::from).collect();
        self.replace(rows, Some(items), same);
        self.phase = LoadPhase::Whole;
    }

    fn replace(&mut self, rows: Vec<ListRow>, whole: Option<Vec<WorkItem>>, keep_texts: bool) {
        let keep = self.selected_row().map(|i| i.key.to_string());
        self.data.replace(rows, whole, self.today, keep_texts);
        self.refresh_counts();
        self.refresh_view(keep);
    }

    /// Replaces changed items in place (after a save or a teammate's), keeping the
    /// selection on its claim.
    pub fn update(&mut self, changed: Vec<WorkItem>) {
        for item in changed {
            self.data.upsert(item, self.today, self.with_phi);
        }
        self.refresh_counts();
        self.refresh_view_keeping_selection();
    }

    fn refresh_counts(&mut self) {
        (self.queue_counts, self.parked) = queue_counts(
            &self.data.items,
            &self.user,
            self.today,
            self.no_response_days,
        );
        self.view_counts = view_counts(
            &self.sel.views,
            &self.data.items,
            &self.data.search_texts,
            &self.data.owed,
            (&self.user, self.today, self.no_response_days),
        );
    }

    fn refresh_view_keeping_selection(&mut self) {
        let keep = self.selected_row().map(|i| i.key.to_string());
        self.refresh_view(keep);
    }

    /// Recomputes the rows from queue (or drill), filter and sort; the claim `keep`
    /// stays selected if it is still shown.
    fn refresh_view(&mut self, keep: Option<String>) {
        // One filter language for the UI and `list --filter` (see `filter_expr`).
        let filter = FilterExpr::parse_lenient(&self.sel.filter_text(), &self.user);
        if !filter.is_empty() {
            self.ensure_search_texts();
        }
        let (user, today, wait) = (&self.user, self.today, self.no_response_days);
        // In the same order as `denialdesk list`, kept between calls: filtered, not sorted
        // again.
        self.data.sort(self.sel.sort, self.sel.reverse);
        let data = &self.data;
        // Which items are shown, read in memory order (the sorted order jumps about the
        // items: reading them in it cost a queue switch twice the time), then taken in the
        // sorted order.
        let shown: Vec<bool> = (0..data.items.len())
            .map(|i| {
                let whole = data.whole.as_ref().map(|w| &w[i]);
                self.sel.admits(&data.items[i], whole, user, today, wait)
                    && (filter.is_empty()
                        || filter.matches(&data.items[i], &data.search_texts[i], data.owed[i]))
            })
            .collect();
        let view: Vec<usize> = data
            .sorted()
            .iter()
            .copied()
            .filter(|&i| shown[i])
            .collect();
        // The summary line's total, kept with the view: drawing it from the items on every
        // frame walked 100,000 items' denied lines per key press.
        self.view_cents = view.iter().map(|&i| self.data.owed[i]).sum();
        self.view = view;
        self.selected = keep
            .and_then(|key| {
                self.view
                    .iter()
                    .position(|&i| self.data.items[i].key == key)
            })
            .unwrap_or(self.selected)
            .min(self.view.len().saturating_sub(1));
    }

    /// The view and the search texts (parallel to `rows`), built if they are not yet.
    pub fn searchable(&mut self) -> (&[usize], &[Box<str>]) {
        self.ensure_search_texts();
        (&self.view, &self.data.search_texts)
    }

    /// Shows every claim (the All queue, leaving any drill), keeping the selected claim
    /// selected: a search found its match outside the queue.
    pub fn show_all(&mut self) {
        self.sel.queue = Queue::All;
        self.sel.view = None;
        self.sel.drill = None;
        self.refresh_view_keeping_selection();
    }

    /// The keys of the rows shown.
    pub fn shown_keys(&self) -> impl Iterator<Item = &str> {
        self.view.iter().map(|&i| self.data.items[i].key.as_str())
    }

    /// The position in the view of the claim with `key`, if shown.
    pub fn position_of(&self, key: &str) -> Option<usize> {
        self.view
            .iter()
            .position(|&i| self.data.items[i].key == key)
    }
}

#[cfg(test)]
mod tests;

//! The worklist model: the loaded work items with everything derived from them (priority
//! scores, amounts owed, search texts, queue counts) and the view of them (queue or KPI
//! drill, filter, sort, selection, marks). Every derived index is rebuilt here whenever
//! what it derives from changes, so the rest of the app can read them and never has to
//! remember to refresh them.

use crate::domain::filter_expr::FilterExpr;
use crate::domain::kpi::{Dimension, Period};
use crate::domain::priority::priority_score;
use crate::domain::queue::{queue_counts, search_text, Queue};
use crate::domain::work_item::WorkItem;
use crate::domain::worklist::{sort_rows, SortKey};
use chrono::NaiveDate;
use std::collections::BTreeSet;

mod phase;
pub use phase::LoadPhase;

/// A worklist narrowed to the claims behind one KPI root-cause row.
#[derive(Debug, Clone, PartialEq)]
pub struct Drill {
    /// The breakdown the row belongs to (payer, CARC, category…).
    pub dimension: Dimension,
    /// The row's value ("AETNA", "CO-197").
    pub value: String,
    /// The KPI period the row counted.
    pub period: Period,
}

/// The loaded worklist and the view of it.
#[derive(Debug, Clone)]
pub struct Worklist {
    user: String,
    today: NaiveDate,
    /// Every work item, in key order (looked up by binary search).
    items: Vec<WorkItem>,
    phase: LoadPhase,
    /// Priority score of each item, parallel to `items`.
    scores: Vec<u32>,
    /// Outstanding cents of each item, parallel to `items` (it walks the denied lines:
    /// computed once per change, not per sort compare or frame).
    owed: Vec<i64>,
    /// What search and filter look in, per item, parallel to `items` once built (on the
    /// first search or filter, or when the UI is idle, so it never delays the first
    /// frame); empty before.
    search_texts: Vec<Box<str>>,
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
    queue: Queue,
    sort: SortKey,
    reverse: bool,
    filter: String,
    drill: Option<Drill>,
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
            items: Vec::new(),
            phase: LoadPhase::Waiting,
            scores: Vec::new(),
            owed: Vec::new(),
            search_texts: Vec::new(),
            with_phi: true,
            view: Vec::new(),
            view_cents: 0,
            queue_counts: [0; Queue::ALL.len()],
            parked: 0,
            no_response_days: crate::domain::queue::DEFAULT_NO_RESPONSE_DAYS,
            queue: Queue::Open,
            sort: SortKey::Priority,
            reverse: false,
            filter: String::new(),
            drill: None,
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

    /// Every item as a list row: the fields the worklist ranks, filters and shows are
    /// right in every phase; anything else may be an empty stand-in until `Whole`.
    pub fn rows(&self) -> &[WorkItem] {
        &self.items
    }

    /// Every whole work item, once they have loaded.
    pub fn whole_items(&self) -> Option<&[WorkItem]> {
        (self.phase == LoadPhase::Whole).then_some(self.items.as_slice())
    }

    /// The whole work item with `key`, once the whole items have loaded.
    pub fn whole_item(&self, key: &str) -> Option<&WorkItem> {
        self.whole_items()?;
        self.row(key)
    }

    /// The list row of the work item with `key` (kept in key order: no scan).
    pub fn row(&self, key: &str) -> Option<&WorkItem> {
        self.index_of(key).map(|at| &self.items[at])
    }

    /// Where the work item with `key` is in `rows`.
    pub fn index_of(&self, key: &str) -> Option<usize> {
        self.items
            .binary_search_by(|i| i.key.as_str().cmp(key))
            .ok()
    }

    /// The priority score of item `i` (an index into `rows`).
    pub fn score(&self, i: usize) -> u32 {
        self.scores[i]
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

    /// The queue shown (unless a KPI drill replaces it).
    pub fn queue(&self) -> Queue {
        self.queue
    }

    /// The sort and whether it runs backwards.
    pub fn sort(&self) -> (SortKey, bool) {
        (self.sort, self.reverse)
    }

    /// The filter text (`f`).
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// The KPI drill shown instead of a queue, if any.
    pub fn drill(&self) -> Option<&Drill> {
        self.drill.as_ref()
    }

    /// The selected row's position in the view.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The selected work item's row, if any row is shown.
    pub fn selected_item(&self) -> Option<&WorkItem> {
        self.view.get(self.selected).map(|&i| &self.items[i])
    }

    /// Selects row `at` of the view (clamped to the rows there are).
    pub fn select(&mut self, at: usize) {
        self.selected = at.min(self.view.len().saturating_sub(1));
    }

    /// Shows `queue` (leaving any KPI drill), from its first row.
    pub fn set_queue(&mut self, queue: Queue) {
        self.queue = queue;
        self.drill = None;
        self.selected = 0;
        self.refresh_view(None);
    }

    /// Shows the claims behind a KPI row instead of a queue, from the first row.
    pub fn set_drill(&mut self, drill: Option<Drill>) {
        self.drill = drill;
        self.selected = 0;
        self.refresh_view(None);
    }

    /// Orders the view by `sort`, keeping the selected claim selected.
    pub fn set_sort(&mut self, sort: SortKey, reverse: bool) {
        (self.sort, self.reverse) = (sort, reverse);
        self.refresh_view_keeping_selection();
    }

    /// Narrows the view to `filter` (a term still being typed is skipped until it
    /// parses), from the first row.
    pub fn set_filter(&mut self, filter: &str) {
        self.filter = filter.to_string();
        self.selected = 0;
        self.refresh_view(None);
    }

    /// Whether search may look at patient names and member ids (off in privacy mode:
    /// search must never find what the screen hides).
    pub fn set_phi_searchable(&mut self, with_phi: bool) {
        if self.with_phi != with_phi {
            self.with_phi = with_phi;
            self.search_texts.clear();
            self.refresh_view_keeping_selection();
        }
    }

    /// Builds the per-row search texts if they are not yet (the UI calls this when idle).
    pub fn ensure_search_texts(&mut self) {
        if self.search_texts.len() != self.items.len() {
            let with_phi = self.with_phi;
            self.search_texts = self
                .items
                .iter()
                .map(|i| search_text(i, with_phi))
                .collect();
        }
    }

    /// Replaces every item with list rows (at start-up, before the whole items).
    pub fn set_rows(&mut self, rows: Vec<WorkItem>) {
        self.replace(rows, false);
        self.phase = LoadPhase::Rows;
    }

    /// Replaces every item with whole ones (after a load).
    pub fn set_whole(&mut self, items: Vec<WorkItem>) {
        // Whole items after list rows of the very same versions search the same: keep the
        // texts already built (rebuilding them is measurable at scale: BENCHMARKS.md,
        // "Figures behind choices in the code").
        let same = self.phase == LoadPhase::Rows
            && items.len() == self.items.len()
            && items
                .iter()
                .zip(&self.items)
                .all(|(a, b)| a.key == b.key && a.version == b.version);
        self.replace(items, same);
        self.phase = LoadPhase::Whole;
    }

    fn replace(&mut self, items: Vec<WorkItem>, keep_search_texts: bool) {
        let keep = self.selected_item().map(|i| i.key.clone());
        self.items = items;
        self.scores = self
            .items
            .iter()
            .map(|i| priority_score(i, self.today))
            .collect();
        self.owed = self.items.iter().map(WorkItem::outstanding_cents).collect();
        if !keep_search_texts {
            self.search_texts.clear();
        }
        self.refresh_counts();
        self.refresh_view(keep);
    }

    /// Replaces changed items in place (after a save or a teammate's), keeping the
    /// selection on its claim.
    pub fn update(&mut self, changed: Vec<WorkItem>) {
        for item in changed {
            let score = priority_score(&item, self.today);
            let owed = item.outstanding_cents();
            let text = (!self.search_texts.is_empty()).then(|| search_text(&item, self.with_phi));
            match self
                .items
                .binary_search_by(|i| i.key.as_str().cmp(&item.key))
            {
                Ok(at) => {
                    if let Some(text) = text {
                        self.search_texts[at] = text;
                    }
                    self.items[at] = item;
                    self.scores[at] = score;
                    self.owed[at] = owed;
                }
                Err(at) => {
                    if let Some(text) = text {
                        self.search_texts.insert(at, text);
                    }
                    self.items.insert(at, item);
                    self.scores.insert(at, score);
                    self.owed.insert(at, owed);
                }
            }
        }
        self.refresh_counts();
        self.refresh_view_keeping_selection();
    }

    fn refresh_counts(&mut self) {
        (self.queue_counts, self.parked) =
            queue_counts(&self.items, &self.user, self.today, self.no_response_days);
    }

    fn refresh_view_keeping_selection(&mut self) {
        let keep = self.selected_item().map(|i| i.key.clone());
        self.refresh_view(keep);
    }

    /// Recomputes the rows from queue (or drill), filter and sort; the claim `keep`
    /// stays selected if it is still shown.
    fn refresh_view(&mut self, keep: Option<String>) {
        // One filter language for the UI and `list --filter` (see `filter_expr`).
        let filter = FilterExpr::parse_lenient(&self.filter, &self.user);
        if !filter.is_empty() {
            self.ensure_search_texts();
        }
        let mut view: Vec<usize> = (0..self.items.len())
            .filter(|&i| {
                let item = &self.items[i];
                let in_view = match &self.drill {
                    Some(d) => {
                        // The KPIs count payer denials only: so does the drill.
                        item.kind == crate::domain::work_item::ItemKind::Denial
                            && d.period.contains(item.denied_on)
                            && d.dimension.matches(item, &d.value)
                    }
                    None => self.queue.contains_after(
                        item,
                        &self.user,
                        self.today,
                        self.no_response_days,
                    ),
                };
                in_view
                    && (filter.is_empty()
                        || filter.matches(item, &self.search_texts[i], self.owed[i]))
            })
            .collect();
        // The same ordering as `denialdesk list`.
        let (items, scores, owed) = (&self.items, &self.scores, &self.owed);
        sort_rows(&mut view, items, scores, owed, self.sort, self.reverse);
        // The summary line's total, kept with the view: drawing it from the items on every
        // frame walked 100,000 items' denied lines per key press.
        self.view_cents = view.iter().map(|&i| self.owed[i]).sum();
        self.view = view;
        self.selected = keep
            .and_then(|key| self.view.iter().position(|&i| self.items[i].key == key))
            .unwrap_or(self.selected)
            .min(self.view.len().saturating_sub(1));
    }

    /// The view and the search texts (parallel to `rows`), built if they are not yet.
    pub fn searchable(&mut self) -> (&[usize], &[Box<str>]) {
        self.ensure_search_texts();
        (&self.view, &self.search_texts)
    }

    /// Shows every claim (the All queue, leaving any drill), keeping the selected claim
    /// selected: a search found its match outside the queue.
    pub fn show_all(&mut self) {
        self.queue = Queue::All;
        self.drill = None;
        self.refresh_view_keeping_selection();
    }

    /// The keys of the rows shown.
    pub fn shown_keys(&self) -> impl Iterator<Item = &str> {
        self.view.iter().map(|&i| self.items[i].key.as_str())
    }

    /// The position in the view of the claim with `key`, if shown.
    pub fn position_of(&self, key: &str) -> Option<usize> {
        self.view.iter().position(|&i| self.items[i].key == key)
    }
}

#[cfg(test)]
mod tests;

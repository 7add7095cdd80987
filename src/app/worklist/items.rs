//! The loaded list rows with what is derived from each, kept parallel and in key order:
//! the whole work items once they have loaded, the priority score, the amount owed, and
//! (once built) the text search looks in.

use crate::domain::list_row::ListRow;
use crate::domain::priority::priority_score;
use crate::domain::queue::search_text;
use crate::domain::row_order::{compare_rows, sort_rows, SortKey};
use crate::domain::work_item::WorkItem;
use chrono::NaiveDate;

/// Every list row and its derived values.
#[derive(Debug, Clone, Default)]
pub struct Items {
    /// Every work item's list row, in key order (looked up by binary search): what the
    /// worklist ranks, counts, filters and shows. Rows, not whole items, so the first
    /// frame decodes and touches ~300 bytes a claim instead of 720 (BENCHMARKS.md, "A
    /// worklist of list rows").
    pub items: Vec<ListRow>,
    /// The whole work items, parallel to `items`, once they have loaded (`None` before):
    /// what the claim screens, the KPIs and a KPI drill read.
    pub whole: Option<Vec<WorkItem>>,
    /// Priority score of each item, parallel to `items`.
    pub scores: Vec<u32>,
    /// Outstanding cents of each item, parallel to `items`: the slice the shared sort and
    /// filter take (`list` computes it from whole items, walking their denied lines; a
    /// row carries it).
    pub owed: Vec<i64>,
    /// What search and filter look in, per item, parallel to `items` once built (on the
    /// first search or filter, or when the UI is idle, so it never delays the first
    /// frame); empty before.
    pub search_texts: Vec<Box<str>>,
    /// Every item's index in the order of a sort (the sort, reversed or not): filtering
    /// keeps that order, so a key typed into a filter narrows it without sorting again
    /// (a sort of 100,000 rows is ~100 ms; BENCHMARKS.md, "type a filter"). Kept through
    /// a save (the changed item moved), dropped when every item is replaced.
    order: Option<(SortKey, bool, Vec<usize>)>,
}

impl Items {
    /// Replaces every row (and the whole items, parallel to them, if loaded), scored on
    /// `today`; the search texts are dropped unless the caller knows they still hold.
    pub fn replace(
        &mut self,
        items: Vec<ListRow>,
        whole: Option<Vec<WorkItem>>,
        today: NaiveDate,
        keep_search_texts: bool,
    ) {
        debug_assert!(whole.as_ref().is_none_or(|w| w.len() == items.len()));
        self.items = items;
        self.whole = whole;
        self.scores = self
            .items
            .iter()
            .map(|i| priority_score(i, today))
            .collect();
        self.owed = self.items.iter().map(|r| r.outstanding_cents).collect();
        if !keep_search_texts {
            self.search_texts.clear();
        }
        self.order = None;
    }

    /// Sorts the items' indices by `sort` (reversed when `reverse`), the same order as
    /// `denialdesk list`'s, unless they are kept in that order already.
    pub fn sort(&mut self, sort: SortKey, reverse: bool) {
        if !matches!(&self.order, Some((s, r, _)) if *s == sort && *r == reverse) {
            let mut all: Vec<usize> = (0..self.items.len()).collect();
            sort_rows(
                &mut all,
                &self.items,
                &self.scores,
                &self.owed,
                sort,
                reverse,
            );
            self.order = Some((sort, reverse, all));
        }
    }

    /// Every item's index in the order of the last `sort` (none before one).
    pub fn sorted(&self) -> &[usize] {
        self.order.as_ref().map_or(&[], |(_, _, order)| order)
    }

    /// Moves item `at` to its place in the kept order (after it changed), or makes room
    /// for it first (`inserted`: the indices after it moved up by one).
    fn reorder(&mut self, at: usize, inserted: bool) {
        let Some((sort, reverse, mut order)) = self.order.take() else {
            return;
        };
        if inserted {
            for i in order.iter_mut().filter(|i| **i >= at) {
                *i += 1;
            }
        } else {
            order.retain(|&i| i != at);
        }
        let (items, scores, owed) = (&self.items, &self.scores, &self.owed);
        // Rows equal in the sort and in claim id (one CLP01, two claims) keep their items'
        // order, as `sort_rows` gives them.
        let place = order
            .binary_search_by(|&i| {
                compare_rows(i, at, items, scores, owed, sort, reverse).then(i.cmp(&at))
            })
            .unwrap_or_else(|p| p);
        order.insert(place, at);
        self.order = Some((sort, reverse, order));
    }

    /// Puts `item` (and its row) in place of the one with its key, or inserts it in key
    /// order. Before the whole items have loaded only its row is kept.
    pub fn upsert(&mut self, item: WorkItem, today: NaiveDate, with_phi: bool) {
        let row = ListRow::from(&item);
        let score = priority_score(&row, today);
        let owed = row.outstanding_cents;
        let text = (!self.search_texts.is_empty()).then(|| search_text(&row, with_phi));
        match self
            .items
            .binary_search_by(|i| i.key.as_str().cmp(&row.key))
        {
            Ok(at) => {
                if let Some(text) = text {
                    self.search_texts[at] = text;
                }
                self.items[at] = row;
                if let Some(whole) = &mut self.whole {
                    whole[at] = item;
                }
                self.scores[at] = score;
                self.owed[at] = owed;
                self.reorder(at, false);
            }
            Err(at) => {
                if let Some(text) = text {
                    self.search_texts.insert(at, text);
                }
                self.items.insert(at, row);
                if let Some(whole) = &mut self.whole {
                    whole.insert(at, item);
                }
                self.scores.insert(at, score);
                self.owed.insert(at, owed);
                self.reorder(at, true);
            }
        }
    }

    /// Builds the search texts if they are not yet; whether it did.
    pub fn ensure_search_texts(&mut self, with_phi: bool) -> bool {
        if self.search_texts.len() == self.items.len() {
            return false;
        }
        self.search_texts = self
            .items
            .iter()
            .map(|i| search_text(i, with_phi))
            .collect();
        true
    }
}

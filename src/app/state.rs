//! The app's state: the loaded worklist and the view of it (queue, filter, sort,
//! selection), the open claim, the current mode (search, form, help) and messages.

use super::effect::Effect;
use super::form::Form;
use crate::domain::claim::Claim;
use crate::domain::kpi::{AdjudicationDay, Dimension, Kpis, Period, PeriodChoice};
use crate::domain::presence::Viewer;
use crate::domain::priority::priority_score;
use crate::domain::queue::{is_parked, search_text, Queue};
use crate::domain::timeline::Event;
use crate::domain::work_item::WorkItem;
use crate::domain::worklist::SortKey;
use chrono::NaiveDate;
use std::collections::BTreeSet;

pub use super::pane::{AppealSort, Pane};

/// A worklist narrowed to the claims behind one KPI root-cause row.
#[derive(Debug, Clone, PartialEq)]
pub struct Drill {
    pub dimension: Dimension,
    pub value: String,
    pub period: Period,
}

/// Everything about the open claim.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimDetail {
    pub key: String,
    pub history: Vec<Claim>,
    pub item: Option<WorkItem>,
    pub timeline: Vec<Event>,
}

/// What keys currently do.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Normal,
    /// Typing a search (`filter` narrows the list; otherwise it jumps to matches).
    Search {
        input: super::edit::TextField,
        filter: bool,
    },
    Form(Box<Form>),
    Help,
}

/// A line for the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

/// The whole app state. `view` is derived from `items` by `refresh_view`.
#[derive(Debug, Clone)]
pub struct State {
    pub user: String,
    pub today: NaiveDate,
    pub readonly: bool,
    /// Every work item, in claim-id order.
    pub items: Vec<WorkItem>,
    /// Whether `items` are whole. At start-up they are list rows first (see
    /// `ListRow::into_list_item`): the worklist works, but the appeals and KPI panes, which
    /// need appeals and payments, wait for the whole items.
    pub complete: bool,
    /// Priority score of each item, parallel to `items`.
    pub scores: Vec<u32>,
    /// Outstanding cents of each item, parallel to `items` (it walks the denied lines:
    /// computed once per change, not per sort compare or frame).
    pub owed: Vec<i64>,
    /// What search and filter look in, per item, parallel to `items` once built (on the
    /// first search or filter, so it never delays the first frame); empty before.
    pub search_texts: Vec<Box<str>>,
    /// Indices into `items`: the rows shown, in order.
    pub view: Vec<usize>,
    /// Outstanding dollars of `view`, computed with it.
    pub view_cents: i64,
    /// How many items each queue holds (same order as `Queue::ALL`).
    pub queue_counts: [usize; Queue::ALL.len()],
    pub queue: Queue,
    pub sort: SortKey,
    pub appeal_sort: AppealSort,
    /// Open denials parked until a future follow-up (in no working queue until then).
    pub parked: usize,
    /// The sort runs backwards (`S`).
    pub reverse: bool,
    /// Payer rules, for each payer's phone and portal on the claim.
    pub payer_rules: crate::domain::payer_rules::PayerRules,
    /// Which database is open (for the empty worklist's advice).
    pub database: String,
    /// How far the help overlay is scrolled.
    pub help_scroll: u16,
    /// The appeals pane's cursor (a row of `appeals::rows`).
    pub appeal_selected: usize,
    /// The claim being opened in the claim pane, until its detail arrives: keys pressed
    /// meanwhile act on it, not on whatever the worklist has selected.
    pub opening: Option<String>,
    /// Narrowing filter text (`f`).
    pub filter: String,
    /// Last search (`/`), for n/N.
    pub search: String,
    /// Position in `view`.
    pub selected: usize,
    pub marked: BTreeSet<String>,
    pub pane: Pane,
    pub detail: Option<ClaimDetail>,
    /// First-adjudication counts, for the initial denial rate.
    pub days: Vec<AdjudicationDay>,
    pub kpi_period: PeriodChoice,
    pub kpi_dimension: Dimension,
    /// Selected root-cause row in the KPI pane.
    pub kpi_selected: usize,
    /// Computed KPIs; `None` when the data or the period changed since.
    pub kpis: Option<Kpis>,
    pub drill: Option<Drill>,
    /// This session on the team server, and who has which claim open there.
    pub session: Option<u64>,
    pub viewers: Vec<Viewer>,
    /// First line shown of the claim pane.
    pub detail_scroll: u16,
    pub mode: Mode,
    pub privacy: bool,
    pub idle_locked: bool,
    pub loading: bool,
    pub message: Option<Message>,
    pub quit: bool,
}

impl State {
    pub fn new(user: &str, today: NaiveDate, readonly: bool) -> State {
        State {
            user: user.to_string(),
            today,
            readonly,
            items: Vec::new(),
            complete: false,
            scores: Vec::new(),
            owed: Vec::new(),
            search_texts: Vec::new(),
            view: Vec::new(),
            view_cents: 0,
            queue_counts: [0; Queue::ALL.len()],
            queue: Queue::Open,
            sort: SortKey::Priority,
            appeal_sort: AppealSort::ResponseDue,
            appeal_selected: 0,
            help_scroll: 0,
            database: String::new(),
            payer_rules: Default::default(),
            reverse: false,
            parked: 0,
            opening: None,
            filter: String::new(),
            search: String::new(),
            selected: 0,
            marked: BTreeSet::new(),
            pane: Pane::Worklist,
            detail: None,
            days: Vec::new(),
            kpi_period: PeriodChoice::Last30,
            kpi_dimension: Dimension::Payer,
            kpi_selected: 0,
            kpis: None,
            drill: None,
            session: None,
            viewers: Vec::new(),
            detail_scroll: 0,
            mode: Mode::Normal,
            privacy: false,
            idle_locked: false,
            loading: true,
            message: None,
            quit: false,
        }
    }

    /// Selects row `at` of the view (clamped); the claim pane follows when both show.
    pub(super) fn select(&mut self, at: usize) -> Vec<Effect> {
        self.selected = at.min(self.view.len().saturating_sub(1));
        // The claim pane follows the selection when both are on screen.
        match self.selected_item() {
            Some(item) if self.detail.as_ref().is_some_and(|d| d.key != item.key) => {
                let key = item.key.clone();
                vec![self.load_detail(key)]
            }
            _ => vec![],
        }
    }

    /// Starts loading `key`'s detail for the claim pane; until it arrives, keys act on it.
    pub(super) fn load_detail(&mut self, key: String) -> Effect {
        self.opening = Some(key.clone());
        Effect::LoadDetail(key)
    }

    /// The selected work item, if any row is shown.
    pub fn selected_item(&self) -> Option<&WorkItem> {
        self.view.get(self.selected).map(|&i| &self.items[i])
    }

    /// The version of a claim's work item as this UI last saw it.
    pub fn version_of(&self, key: &str) -> Option<u64> {
        self.item_at(key).map(|at| self.items[at].version)
    }

    /// Where the work item with `key` is in `items` (kept in key order): no scan.
    pub fn item_at(&self, key: &str) -> Option<usize> {
        self.items
            .binary_search_by(|i| i.key.as_str().cmp(key))
            .ok()
    }

    /// The work item with `key`.
    pub fn item(&self, key: &str) -> Option<&WorkItem> {
        self.item_at(key).map(|at| &self.items[at])
    }

    /// Replaces all items with whole ones (after a load).
    pub fn set_items(&mut self, items: Vec<WorkItem>) {
        // Whole items after list rows of the very same versions search the same: keep the
        // texts already built (rebuilding costs ~50 ms at 100,000 denials).
        let same = !self.complete
            && items.len() == self.items.len()
            && items
                .iter()
                .zip(&self.items)
                .all(|(a, b)| a.key == b.key && a.version == b.version);
        self.replace_items(items, same);
        self.complete = true;
    }

    /// Replaces all items with list rows only (at start-up, before the whole items).
    pub fn set_list_items(&mut self, items: Vec<WorkItem>) {
        self.replace_items(items, false);
        self.complete = false;
    }

    fn replace_items(&mut self, items: Vec<WorkItem>, keep_search_texts: bool) {
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
        self.refresh_view_keeping(keep);
    }

    /// Replaces changed items in place (after a save), keeping the selection on its claim.
    pub fn update_items(&mut self, changed: Vec<WorkItem>) {
        for item in changed {
            let score = priority_score(&item, self.today);
            let owed = item.outstanding_cents();
            match self
                .items
                .binary_search_by(|i| i.key.as_str().cmp(&item.key))
            {
                Ok(at) if self.search_texts.is_empty() => {
                    self.items[at] = item;
                    self.scores[at] = score;
                    self.owed[at] = owed;
                }
                Ok(at) => {
                    self.search_texts[at] = search_text(&item, !self.privacy);
                    self.items[at] = item;
                    self.scores[at] = score;
                    self.owed[at] = owed;
                }
                Err(at) => {
                    if !self.search_texts.is_empty() {
                        self.search_texts
                            .insert(at, search_text(&item, !self.privacy));
                    }
                    self.items.insert(at, item);
                    self.scores.insert(at, score);
                    self.owed.insert(at, owed);
                }
            }
        }
        self.refresh_counts();
        self.refresh_view();
    }

    fn refresh_counts(&mut self) {
        self.kpis = None;
        let mut counts = [0; Queue::ALL.len()];
        for item in &self.items {
            for (n, q) in Queue::ALL.iter().enumerate() {
                if q.contains(item, &self.user, self.today) {
                    counts[n] += 1;
                }
            }
        }
        self.queue_counts = counts;
        self.parked = self
            .items
            .iter()
            .filter(|i| is_parked(i, self.today))
            .count();
    }

    /// The claims an action applies to: the open claim in the claim pane, the highlighted
    /// appeal's claim in the appeals pane, else the marked ones, else the selected one. (Saving can move the selection: a parked claim leaves
    /// the queue, so the claim pane must keep acting on the claim it shows.)
    pub fn targets(&self) -> Vec<String> {
        if self.pane == Pane::Claim {
            if let Some(key) = &self.opening {
                return vec![key.clone()];
            }
            if let Some(detail) = &self.detail {
                return vec![detail.key.clone()];
            }
        }
        // In the appeals pane: the highlighted appeal's claim, whatever is marked.
        if self.pane == Pane::Appeals {
            return self.highlighted_appeal_claim().into_iter().collect();
        }
        if self.marked.is_empty() {
            self.selected_item()
                .map(|i| vec![i.key.clone()])
                .unwrap_or_default()
        } else {
            self.marked.iter().cloned().collect()
        }
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
        });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
        });
    }
}

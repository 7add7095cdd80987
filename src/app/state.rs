//! The app's state: the worklist model, the open claim, the appeals and KPI panes' own
//! state, the current mode (search, form, help) and messages.

use super::effect::Effect;
use super::form::Form;
use super::worklist::Worklist;
use crate::domain::claim::Claim;
use crate::domain::kpi::{AdjudicationDay, Dimension, Kpis, PeriodChoice};
use crate::domain::presence::Viewer;
use crate::domain::timeline::Event;
use crate::domain::work_item::WorkItem;
use chrono::NaiveDate;

pub use super::pane::{AppealSort, Pane};
pub use super::worklist::Drill;

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

/// The whole app state.
#[derive(Debug, Clone)]
pub struct State {
    pub user: String,
    pub today: NaiveDate,
    pub readonly: bool,
    /// The loaded work items and the view of them (queue, filter, sort, selection, marks).
    pub worklist: Worklist,
    pub appeal_sort: AppealSort,
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
    /// Last search (`/`), for n/N.
    pub search: String,
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
            worklist: Worklist::new(user, today),
            appeal_sort: AppealSort::ResponseDue,
            appeal_selected: 0,
            help_scroll: 0,
            database: String::new(),
            payer_rules: Default::default(),
            opening: None,
            search: String::new(),
            pane: Pane::Worklist,
            detail: None,
            days: Vec::new(),
            kpi_period: PeriodChoice::Last30,
            kpi_dimension: Dimension::Payer,
            kpi_selected: 0,
            kpis: None,
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
        self.worklist.select(at);
        // The claim pane follows the selection when both are on screen.
        match self.worklist.selected_item() {
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

    /// The selected work item's list row, if any row is shown.
    pub fn selected_item(&self) -> Option<&WorkItem> {
        self.worklist.selected_item()
    }

    /// The version of a claim's work item as this UI last saw it.
    pub fn version_of(&self, key: &str) -> Option<u64> {
        self.worklist.row(key).map(|i| i.version)
    }

    /// Replaces all items with whole ones (after a load).
    pub fn set_items(&mut self, items: Vec<WorkItem>) {
        self.worklist.set_whole(items);
        self.kpis = None;
    }

    /// Replaces all items with list rows only (at start-up, before the whole items).
    pub fn set_list_items(&mut self, items: Vec<WorkItem>) {
        self.worklist.set_rows(items);
        self.kpis = None;
    }

    /// Replaces changed items in place (after a save), keeping the selection on its claim.
    pub fn update_items(&mut self, changed: Vec<WorkItem>) {
        self.worklist.update(changed);
        self.kpis = None;
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
        if self.worklist.marked.is_empty() {
            self.selected_item()
                .map(|i| vec![i.key.clone()])
                .unwrap_or_default()
        } else {
            self.worklist.marked.iter().cloned().collect()
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

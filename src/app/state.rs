//! The app's state: the worklist model, the open claim, the appeals and KPI panes' own
//! state, the current mode (search, form, help) and messages.

use super::effect::Effect;
use super::form::Form;
use super::worklist::Worklist;
use crate::domain::list_row::ListRow;
use crate::domain::presence::Viewer;
use crate::domain::work_item::WorkItem;
use chrono::NaiveDate;

pub use super::pane::{
    AppealSort, AppealsPane, ClaimDetail, ClaimPane, KpiPane, Pane, PreventionPane,
};
pub use super::worklist::Drill;

/// What keys currently do.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    /// Keys move and act on claims.
    Normal,
    /// Typing a search (`filter` narrows the list; otherwise it jumps to matches).
    Search {
        /// The text typed so far.
        input: super::edit::TextField,
        /// Narrows the list as it is typed, instead of jumping to matches.
        filter: bool,
    },
    /// A data-entry form is open.
    Form(Box<Form>),
    /// The key help is shown.
    Help,
}

/// A line for the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// What to say.
    pub text: String,
    /// An error (shown as one) rather than news.
    pub error: bool,
}

/// The whole app state.
#[derive(Debug, Clone)]
pub struct State {
    /// The OS user working here (recorded on every change).
    pub user: String,
    /// The day deadlines and follow-ups are counted from.
    pub today: NaiveDate,
    /// Data-changing keys only say "read-only".
    pub readonly: bool,
    /// The loaded work items and the view of them (queue, filter, sort, selection, marks).
    pub worklist: Worklist,
    /// Payer rules, for each payer's phone and portal on the claim.
    pub payer_rules: crate::domain::payer_rules::PayerRules,
    /// What letters are made with (`L` on a claim).
    pub letters: crate::letter::LetterSettings,
    /// Which database is open (for the empty worklist's advice).
    pub database: String,
    /// How far the help overlay is scrolled.
    pub help_scroll: u16,
    /// The claim pane: the open claim and how far it is scrolled.
    pub claim: ClaimPane,
    /// The appeals pane: its order and cursor.
    pub appeals: AppealsPane,
    /// The KPI pane: period, breakdown, cursor and the figures computed for them.
    pub kpi: KpiPane,
    /// The prevention pane: items, their effects, the cursor.
    pub prevention: PreventionPane,
    /// Last search (`/`), for n/N.
    pub search: String,
    /// The pane shown (side by side with the worklist when wide enough).
    pub pane: Pane,
    /// This session on the team server, and who has which claim open there.
    pub session: Option<u64>,
    /// Who has which claim open on the team server.
    pub viewers: Vec<Viewer>,
    /// What keys do now.
    pub mode: Mode,
    /// Patient names and member ids hidden.
    pub privacy: bool,
    /// The idle screen hides PHI until a key is pressed.
    pub idle_locked: bool,
    /// Waiting for the worklist to load.
    pub loading: bool,
    /// The status line.
    pub message: Option<Message>,
    /// The user asked to leave.
    pub quit: bool,
}

impl State {
    /// An empty state for `user` on `today`, waiting for the worklist.
    pub fn new(user: &str, today: NaiveDate, readonly: bool) -> State {
        State {
            user: user.to_string(),
            today,
            readonly,
            worklist: Worklist::new(user, today),
            claim: ClaimPane::default(),
            appeals: AppealsPane::default(),
            kpi: KpiPane::default(),
            prevention: PreventionPane::default(),
            help_scroll: 0,
            database: String::new(),
            payer_rules: Default::default(),
            letters: Default::default(),
            search: String::new(),
            pane: Pane::Worklist,
            session: None,
            viewers: Vec::new(),
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
        match self.worklist.selected_row() {
            Some(item)
                if self
                    .claim
                    .detail
                    .as_ref()
                    .is_some_and(|d| d.key != item.key) =>
            {
                let key = item.key.to_string();
                vec![self.load_detail(key)]
            }
            _ => vec![],
        }
    }

    /// Starts loading `key`'s detail for the claim pane; until it arrives, keys act on it.
    pub(super) fn load_detail(&mut self, key: String) -> Effect {
        self.claim.opening = Some(key.clone());
        Effect::LoadDetail(key)
    }

    /// The selected work item's list row, if any row is shown.
    pub fn selected_row(&self) -> Option<&ListRow> {
        self.worklist.selected_row()
    }

    /// The version of a claim's work item as this UI last saw it.
    pub fn version_of(&self, key: &str) -> Option<u64> {
        self.worklist.row(key).map(|i| i.version)
    }

    /// Replaces all items with whole ones (after a load).
    pub fn set_items(&mut self, items: Vec<WorkItem>) {
        self.worklist.set_whole(items);
        self.kpi.figures = None;
    }

    /// Replaces all items with list rows only (at start-up, before the whole items).
    pub fn set_list_rows(&mut self, rows: Vec<ListRow>) {
        self.worklist.set_rows(rows);
        self.kpi.figures = None;
    }

    /// Replaces changed items in place (after a save), keeping the selection on its claim.
    pub fn update_items(&mut self, changed: Vec<WorkItem>) {
        self.worklist.update(changed);
        self.kpi.figures = None;
    }

    /// The claims an action applies to: the open claim in the claim pane, the highlighted
    /// appeal's claim in the appeals pane, else the marked ones, else the selected one. (Saving can move the selection: a parked claim leaves
    /// the queue, so the claim pane must keep acting on the claim it shows.)
    pub fn targets(&self) -> Vec<String> {
        if self.pane == Pane::Claim {
            if let Some(key) = &self.claim.opening {
                return vec![key.clone()];
            }
            if let Some(detail) = &self.claim.detail {
                return vec![detail.key.clone()];
            }
        }
        // In the appeals pane: the highlighted appeal's claim, whatever is marked.
        if self.pane == Pane::Appeals {
            return self.highlighted_appeal_claim().into_iter().collect();
        }
        if self.worklist.marked.is_empty() {
            self.selected_row()
                .map(|i| vec![i.key.to_string()])
                .unwrap_or_default()
        } else {
            self.worklist.marked.iter().cloned().collect()
        }
    }

    /// Says something on the status line.
    pub fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
        });
    }

    /// Says what went wrong on the status line.
    pub fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
        });
    }
}

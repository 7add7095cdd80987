//! The panes the app switches between and each pane's own state: the claim shown in the
//! claim pane, the appeals pane's order and cursor, the KPI pane's period, breakdown,
//! cursor and figures. (What their keys do lives beside each pane's logic.)

use crate::domain::claim::Claim;
use crate::domain::kpi::{Activity, AdjudicationDay, Dimension, Kpis, PeriodChoice};
use crate::domain::timeline::Event;
use crate::domain::work_item::WorkItem;

/// The five panes (kebab-case where a keymap names one: `show-pane = "appeals"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pane {
    #[default]
    /// The list of claims.
    Worklist,
    /// One claim in full.
    Claim,
    /// Every appeal with its due date.
    Appeals,
    /// Figures for managers.
    Kpi,
    /// Prevention items and whether they worked.
    Prevention,
}

impl Pane {
    /// Every pane, in Tab order.
    pub const ALL: [Pane; 5] = [
        Pane::Worklist,
        Pane::Claim,
        Pane::Appeals,
        Pane::Kpi,
        Pane::Prevention,
    ];

    /// The pane's name, for its title.
    pub fn title(self) -> &'static str {
        match self {
            Pane::Worklist => "Worklist",
            Pane::Claim => "Claim",
            Pane::Appeals => "Appeals",
            Pane::Kpi => "KPIs",
            Pane::Prevention => "Prevention",
        }
    }
}

/// How the appeals pane is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AppealSort {
    /// Soonest (or most overdue) response first.
    #[default]
    ResponseDue,
    /// Longest with the payer first.
    Waiting,
    /// Largest outstanding amount first.
    Amount,
}

impl AppealSort {
    /// The order's name ("response due").
    pub fn key(self) -> &'static str {
        match self {
            AppealSort::ResponseDue => "response due",
            AppealSort::Waiting => "days waiting",
            AppealSort::Amount => "amount",
        }
    }

    /// The next order, for the sort key.
    pub fn next(self) -> AppealSort {
        match self {
            AppealSort::ResponseDue => AppealSort::Waiting,
            AppealSort::Waiting => AppealSort::Amount,
            AppealSort::Amount => AppealSort::ResponseDue,
        }
    }
}

/// The claim pane's own state.
#[derive(Debug, Clone, Default)]
pub struct ClaimPane {
    /// The claim shown, once loaded.
    pub detail: Option<ClaimDetail>,
    /// First line shown.
    pub scroll: u16,
    /// The claim being opened, until its detail arrives: keys pressed meanwhile act on
    /// it, not on whatever the worklist has selected.
    pub opening: Option<String>,
}

/// Everything about the open claim.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimDetail {
    /// The work item's key.
    pub key: String,
    /// Every adjudication of the claim, oldest first.
    pub history: Vec<Claim>,
    /// Its work item (none for a claim that was never denied).
    pub item: Option<WorkItem>,
    /// Its timeline, oldest first.
    pub timeline: Vec<Event>,
}

/// The appeals pane's own state.
#[derive(Debug, Clone, Copy, Default)]
pub struct AppealsPane {
    /// How the rows are ordered.
    pub sort: AppealSort,
    /// The cursor: a row of `rows` (clamped by `State::appeal_cursor`).
    pub selected: usize,
}

/// The KPI pane's own state.
#[derive(Debug, Clone, Default)]
pub struct KpiPane {
    /// The period the figures cover.
    pub period: PeriodChoice,
    /// The root-cause breakdown shown.
    pub dimension: Dimension,
    /// Showing productivity per person instead of a breakdown (`b` after the last one).
    pub people: bool,
    /// The cursor: a root-cause row.
    pub selected: usize,
    /// The figures for `period`; `None` when the data or the period changed since.
    pub figures: Option<Kpis>,
    /// First-adjudication counts, for the initial denial rate.
    pub days: Vec<AdjudicationDay>,
    /// Who changed which claim lately (the audit log), for productivity.
    pub activity: Vec<Activity>,
}

/// The prevention pane's own state.
#[derive(Debug, Clone, Default)]
pub struct PreventionPane {
    /// Every prevention item, by id.
    pub items: Vec<crate::domain::prevention::PreventionItem>,
    /// Each item's before and after (parallel to `items`); `None` when the data changed
    /// since they were computed.
    pub effects: Option<Vec<crate::domain::prevention::Effect>>,
    /// The cursor: an item.
    pub selected: usize,
}

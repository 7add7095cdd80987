//! The panes the app switches between, and how the appeals pane is ordered.

/// The four panes (kebab-case where a keymap names one: `show-pane = "appeals"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pane {
    #[default]
    Worklist,
    Claim,
    Appeals,
    Kpi,
}

impl Pane {
    pub const ALL: [Pane; 4] = [Pane::Worklist, Pane::Claim, Pane::Appeals, Pane::Kpi];

    pub fn title(self) -> &'static str {
        match self {
            Pane::Worklist => "Worklist",
            Pane::Claim => "Claim",
            Pane::Appeals => "Appeals",
            Pane::Kpi => "KPIs",
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
    pub fn key(self) -> &'static str {
        match self {
            AppealSort::ResponseDue => "response due",
            AppealSort::Waiting => "days waiting",
            AppealSort::Amount => "amount",
        }
    }

    pub fn next(self) -> AppealSort {
        match self {
            AppealSort::ResponseDue => AppealSort::Waiting,
            AppealSort::Waiting => AppealSort::Amount,
            AppealSort::Amount => AppealSort::ResponseDue,
        }
    }
}

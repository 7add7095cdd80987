//! The KPI pane's figures: computed from the loaded items when first shown (and after
//! any change), for the chosen period, with the root-cause rows the cursor walks.

use super::msg::Intent;
use super::pane::Pane;
use super::state::{Drill, State};
use crate::domain::kpi::{compute, Dimension, PeriodChoice, RootCauseRow};

impl State {
    /// Computes the KPIs if they are stale (cheap to call on every message).
    pub fn ensure_kpis(&mut self) {
        // KPIs count appeals and payments, which list rows do not carry.
        if let (None, Some(items)) = (&self.kpi.figures, self.worklist.whole_items()) {
            let period = self.kpi.period.period(self.today);
            self.kpi.figures = Some(compute(
                items,
                &self.kpi.days,
                &self.kpi.activity,
                period,
                self.today,
            ));
        }
    }

    /// "last 30 days", "last 90 days" or "this month".
    pub fn kpi_period_label(&self) -> &'static str {
        match self.kpi.period {
            PeriodChoice::Last30 => "last 30 days",
            PeriodChoice::Last90 => "last 90 days",
            PeriodChoice::ThisMonth => "this month",
        }
    }

    /// The rows of the KPI pane's root-cause table (none while people are shown).
    pub fn kpi_rows(&self) -> &[RootCauseRow] {
        match &self.kpi.figures {
            Some(k) if !self.kpi.people => k.root_cause(self.kpi.dimension),
            _ => &[],
        }
    }

    /// How many rows the KPI pane's table has: root causes, or people.
    fn kpi_row_count(&self) -> usize {
        match &self.kpi.figures {
            Some(k) if self.kpi.people => k.workload.len(),
            _ => self.kpi_rows().len(),
        }
    }
}

/// Keys of the KPI pane: choose a root-cause row, switch period or breakdown, and Enter to
/// see the claims behind the row in the worklist.
pub(super) fn kpi_key(state: &mut State, intent: &Intent) -> bool {
    let rows = state.kpi_row_count();
    match intent {
        Intent::Up => state.kpi.selected = state.kpi.selected.saturating_sub(1),
        Intent::Down => state.kpi.selected = (state.kpi.selected + 1).min(rows.saturating_sub(1)),
        Intent::NextPeriod => {
            state.kpi.period = state.kpi.period.next();
            state.kpi.figures = None;
            state.kpi.selected = 0;
        }
        // Every breakdown in turn, then productivity per person, then round again.
        Intent::NextDimension => {
            let at = Dimension::ALL
                .iter()
                .position(|d| *d == state.kpi.dimension)
                .unwrap_or(0);
            if state.kpi.people {
                state.kpi.people = false;
                state.kpi.dimension = Dimension::ALL[0];
            } else if at + 1 == Dimension::ALL.len() {
                state.kpi.people = true;
            } else {
                state.kpi.dimension = Dimension::ALL[at + 1];
            }
            state.kpi.selected = 0;
        }
        Intent::Open if state.kpi.people => {
            state.info("a person's claims: / then owner:NAME in the worklist");
        }
        Intent::Open => {
            let Some(row) = state.kpi_rows().get(state.kpi.selected) else {
                return true;
            };
            let value = row.value.clone();
            let period = state.kpi.period.period(state.today);
            state.worklist.set_drill(Some(Drill {
                dimension: state.kpi.dimension,
                value: value.clone(),
                period,
            }));
            state.pane = Pane::Worklist;
            state.info(format!(
                "{} claims behind {} {value} (denied {period}); Esc returns to the queue",
                state.worklist.view().len(),
                state.kpi.dimension.key()
            ));
        }
        _ => return false,
    }
    true
}

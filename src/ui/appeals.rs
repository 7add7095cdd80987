//! The appeals pane: every appeal with its claim, payer, level, channel, dates, days
//! waiting, outcome and amount; sortable (`s`); undecided appeals past their response date
//! stand out with a marker.

use super::mask::cut;
use super::theme::Theme;
use crate::app::state::AppealSort;
use crate::app::State;
use crate::domain::appeal::Appeal;
use crate::domain::money::format_cents;
use crate::domain::work_item::WorkItem;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};
use ratatui::Frame;

/// Every appeal with its work item, in the pane's order.
pub fn rows(state: &State) -> Vec<(&WorkItem, &Appeal)> {
    let mut rows: Vec<(&WorkItem, &Appeal)> = state
        .items
        .iter()
        .flat_map(|i| i.appeals.iter().map(move |a| (i, a)))
        .collect();
    let today = state.today;
    match state.appeal_sort {
        // Undecided first, soonest due first; decided ones after.
        AppealSort::ResponseDue => {
            rows.sort_by_key(|(_, a)| (a.decision.is_some(), a.response_due))
        }
        AppealSort::Waiting => rows.sort_by_key(|(_, a)| std::cmp::Reverse(a.days_waiting(today))),
        AppealSort::Amount => rows.sort_by_key(|(i, _)| std::cmp::Reverse(i.outstanding_cents())),
    }
    rows
}

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    // List rows carry no appeals: counting them would say "0 appeals".
    if !state.complete {
        let block = Block::default().borders(Borders::TOP).title(" Appeals ");
        frame.render_widget(
            Paragraph::new("loading…").block(block).style(theme.muted),
            area,
        );
        return;
    }
    let rows = rows(state);
    let overdue = rows.iter().filter(|(_, a)| a.overdue(state.today)).count();
    let block = Block::default().borders(Borders::TOP).title(format!(
        " Appeals · {} · {overdue} overdue · sort {} ",
        rows.len(),
        state.appeal_sort.key()
    ));
    if rows.is_empty() {
        frame.render_widget(
            Paragraph::new("No appeals yet. Open a claim and press A to record one.")
                .block(block)
                .style(theme.muted),
            area,
        );
        return;
    }
    let today = state.today;
    let table_rows = rows.iter().take(area.height as usize).map(|(i, a)| {
        let (due_text, due_style) = if a.overdue(today) {
            (format!("{}!", a.response_due.format("%m-%d")), theme.danger)
        } else {
            (a.response_due.format("%m-%d").to_string(), theme.text)
        };
        let (outcome, amount) = match &a.decision {
            Some(d) => (d.result.key().to_string(), format_cents(d.amount_cents)),
            None => ("pending".to_string(), format_cents(i.outstanding_cents())),
        };
        Row::new(vec![
            Cell::from(i.claim_id.clone()),
            Cell::from(cut(&i.payer, 10)),
            Cell::from(format!("L{}", a.level)),
            Cell::from(a.submitted.format("%m-%d").to_string()),
            Cell::from(cut(a.channel.key(), 6)),
            Cell::from(due_text).style(due_style),
            Cell::from(format!("{:>4}d", a.days_waiting(today))),
            Cell::from(outcome),
            Cell::from(format!("{amount:>11}")),
        ])
    });
    let table = Table::new(
        table_rows,
        [
            Constraint::Length(10),
            Constraint::Length(10),
            Constraint::Length(2),
            Constraint::Length(5),
            Constraint::Length(6),
            Constraint::Length(6),
            Constraint::Length(5),
            Constraint::Length(10),
            Constraint::Length(11),
        ],
    )
    .header(
        Row::new([
            "CLAIM", "PAYER", "LV", "SENT", "VIA", "DUE", "WAIT", "OUTCOME", "AMOUNT",
        ])
        .style(theme.muted),
    )
    .block(block);
    frame.render_widget(table, area);
}

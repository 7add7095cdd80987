//! The appeals pane: claims corrected, appealed or waiting on the payer, longest waiting
//! first; waits past 30 days stand out.

use super::theme::Theme;
use crate::app::State;
use crate::domain::money::format_cents;
use crate::domain::status::Status;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};
use ratatui::Frame;

/// Days after which a payer response counts as overdue.
pub const RESPONSE_DAYS: i64 = 30;

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let mut waiting: Vec<_> = state
        .items
        .iter()
        .filter(|i| {
            matches!(
                i.status,
                Status::Appealed | Status::Resubmitted | Status::AwaitingPayer | Status::Upheld
            )
        })
        .map(|i| (i, (state.today - i.updated_at.date_naive()).num_days()))
        .collect();
    waiting.sort_by_key(|(_, days)| std::cmp::Reverse(*days));
    let block = Block::default()
        .borders(Borders::TOP)
        .title(format!(" Appeals and resubmissions · {} ", waiting.len()));
    if waiting.is_empty() {
        frame.render_widget(
            Paragraph::new(
                "Nothing is with the payer. Mark a claim appealed or resubmitted with t.",
            )
            .block(block)
            .style(theme.muted),
            area,
        );
        return;
    }
    let rows = waiting.iter().take(area.height as usize).map(|(i, days)| {
        let style = if *days > RESPONSE_DAYS {
            theme.danger
        } else {
            theme.text
        };
        Row::new(vec![
            Cell::from(i.claim_id.clone()),
            Cell::from(i.payer.clone()),
            Cell::from(i.status.key()),
            Cell::from(i.updated_at.date_naive().to_string()),
            Cell::from(format!(
                "{days}d{}",
                if *days > RESPONSE_DAYS { "!" } else { "" }
            ))
            .style(style),
            Cell::from(format_cents(i.outstanding_cents())),
            Cell::from(format_cents(i.recovered_cents)),
        ])
    });
    let table = Table::new(
        rows,
        [
            Constraint::Length(10),
            Constraint::Length(16),
            Constraint::Length(14),
            Constraint::Length(10),
            Constraint::Length(6),
            Constraint::Length(11),
            Constraint::Length(11),
        ],
    )
    .header(
        Row::new([
            "CLAIM",
            "PAYER",
            "STATUS",
            "SINCE",
            "WAIT",
            "OPEN $",
            "RECOVERED",
        ])
        .style(theme.muted),
    )
    .block(block);
    frame.render_widget(table, area);
}

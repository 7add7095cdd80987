//! The appeals pane: every appeal with its claim, payer, level, channel, dates, days
//! waiting, outcome and amount; sortable (`s`); undecided appeals past their response date
//! stand out with a marker.

use super::columns::{fit, money_cell, Column};
use super::mask::cut;
use super::theme::Theme;
use crate::app::appeals::rows;
use crate::app::State;
use crate::domain::claim_identity::shared_position;
use crate::domain::money::format_cents;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState};
use ratatui::Frame;

/// Draws the appeals pane.
pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    // List rows carry no appeals: counting them would say "0 appeals".
    if state.worklist.whole_items().is_none() {
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
        state.appeals.sort.key()
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
    // The cursor's row is always on screen: the table scrolls under it.
    let visible = area.height.saturating_sub(2) as usize;
    let cursor = state.appeal_cursor();
    let offset = cursor.saturating_sub(visible.saturating_sub(1));
    let rows: Vec<_> = rows.into_iter().skip(offset).take(visible).collect();
    let texts: Vec<[String; 9]> = rows
        .iter()
        .map(|(i, a)| {
            let due = if a.overdue(today) {
                format!("{}!", a.response_due.format("%m-%d"))
            } else {
                a.response_due.format("%m-%d").to_string()
            };
            let (outcome, amount) = match &a.decision {
                Some(d) => (d.result.key().to_string(), format_cents(d.amount_cents)),
                None => ("pending".to_string(), format_cents(i.outstanding_cents())),
            };
            // Two claims sharing a CLP01 are told apart as CLP01@N, as in the worklist.
            let claim = match state.worklist.index_of(&i.key) {
                Some(n) => match shared_position(state.worklist.rows(), n, |x| x.claim_id.as_str())
                {
                    Some(k) => format!("{}@{k}", i.claim_id),
                    None => i.claim_id.to_string(),
                },
                None => i.claim_id.to_string(),
            };
            [
                claim,
                i.payer.to_string(),
                format!("L{}", a.level),
                a.submitted.format("%m-%d").to_string(),
                a.channel.key().to_string(),
                due,
                format!("{}d", a.days_waiting(today)),
                outcome,
                amount,
            ]
        })
        .collect();
    let widest = |k: usize| {
        texts
            .iter()
            .map(|t| t[k].chars().count())
            .max()
            .unwrap_or(0)
    };
    // What goes first when the pane is narrow: channel, sent date, level, days waiting,
    // outcome; the payer is abbreviated first. Claim, due date and amount never go.
    let columns = [
        Column::whole("CLAIM", widest(0), None),
        Column::text("PAYER", widest(1).min(16), 6, Some(6)),
        Column::whole("LV", widest(2), Some(3)),
        Column::whole("SENT", widest(3), Some(2)),
        Column::text("VIA", widest(4), 4, Some(1)),
        Column::whole("DUE", widest(5), None),
        Column::whole("WAIT", widest(6), Some(4)),
        Column::whole("OUTCOME", widest(7), Some(5)),
        Column::whole("AMOUNT", widest(8), None),
    ];
    // The highlight symbol takes one cell before every row.
    let fitted = fit(&columns, area.width.saturating_sub(1), 1);
    let shown: Vec<(usize, u16)> = fitted
        .widths
        .iter()
        .enumerate()
        .filter_map(|(k, w)| w.map(|w| (k, w)))
        .collect();
    let table_rows = texts.iter().zip(&rows).map(|(t, (_, a))| {
        let cells = shown.iter().map(|&(k, w)| {
            let width = usize::from(w);
            match k {
                8 => Cell::from(money_cell(&t[8], w)),
                6 => Cell::from(format!("{:>width$}", cut(&t[6], width))),
                5 if a.overdue(today) => Cell::from(cut(&t[5], width)).style(theme.danger),
                _ => Cell::from(cut(&t[k], width)),
            }
        });
        Row::new(cells.collect::<Vec<_>>())
    });
    let widths: Vec<Constraint> = shown.iter().map(|(_, w)| Constraint::Length(*w)).collect();
    let header: Vec<&str> = shown.iter().map(|(k, _)| columns[*k].header).collect();
    let table = Table::new(table_rows, widths)
        .column_spacing(1)
        .header(Row::new(header).style(theme.muted))
        .row_highlight_style(theme.selected)
        .highlight_symbol("▶")
        .block(block);
    let mut table_state = TableState::default();
    table_state.select(Some(cursor - offset));
    frame.render_stateful_widget(table, area, &mut table_state);
}

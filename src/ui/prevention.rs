//! The prevention pane: every prevention item with its cause, owner, due date and status,
//! and its cause's denial rate and denied dollars before and after it started; overdue
//! items stand out. Three lines an item, wrapped whole (nothing is cut).

use super::theme::Theme;
use crate::app::State;
use crate::domain::money::format_dollars;
use crate::domain::prevention::{PreventionStatus, Window};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

/// "1.2% (12/1015) $6,302": the rate, the counts behind it and the dollars.
fn figures(w: &Window) -> String {
    format!(
        "{} ({}/{}) {}",
        w.rate.display(),
        w.rate.numerator,
        w.rate.denominator,
        format_dollars(w.denied_cents)
    )
}

/// Draws the prevention pane.
pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let items = &state.prevention.items;
    let overdue = items.iter().filter(|p| p.overdue(state.today)).count();
    let block = Block::default().borders(Borders::TOP).title(format!(
        " Prevention · {} item{} · {overdue} overdue ",
        items.len(),
        if items.len() == 1 { "" } else { "s" }
    ));
    let mut lines: Vec<Line> = Vec::new();
    if items.is_empty() {
        lines.push(Line::styled(
            "No prevention items yet. In the KPI pane (4) pick a root cause and press F.",
            theme.muted,
        ));
    }
    let Some(effects) = &state.prevention.effects else {
        if !items.is_empty() {
            lines.push(Line::styled("computing…", theme.muted));
        }
        frame.render_widget(Paragraph::new(lines).block(block), area);
        return;
    };
    lines.push(Line::styled(
        "before: as many days before its start · rate: denials ÷ claims adjudicated",
        theme.muted,
    ));
    // Three lines an item (four should one wrap): a window that keeps the cursor in view.
    let fits = (usize::from(area.height.saturating_sub(2)) / 4).max(1);
    let cursor = state.prevention_cursor();
    let offset = cursor.saturating_sub(fits - 1);
    for (n, (p, e)) in items
        .iter()
        .zip(effects)
        .enumerate()
        .skip(offset)
        .take(fits)
    {
        let selected = n == cursor;
        let status_style = match p.status {
            _ if p.overdue(state.today) => theme.danger,
            PreventionStatus::Done => theme.good,
            PreventionStatus::Dropped => theme.muted,
            PreventionStatus::Open => theme.text,
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!("{}#{} ", if selected { "▶ " } else { "  " }, p.id),
                if selected {
                    theme.selected
                } else {
                    theme.title
                },
            ),
            Span::styled(p.status.key().to_string(), status_style),
            Span::raw(format!(" · {} · due {}", p.owner, p.due)),
            Span::styled(
                if p.overdue(state.today) {
                    " OVERDUE"
                } else {
                    ""
                }
                .to_string(),
                theme.danger,
            ),
            Span::raw(format!(
                " · day {} · {}",
                (e.after.to - e.after.from).num_days() + 1,
                p.cause
            )),
        ]));
        lines.push(Line::from(format!("    {}", p.action)));
        let verdict = e.verdict();
        lines.push(Line::from(vec![
            Span::styled(
                format!(
                    "    before {} → after {}",
                    figures(&e.before),
                    figures(&e.after)
                ),
                theme.text,
            ),
            Span::styled(
                if verdict.is_empty() {
                    String::new()
                } else {
                    format!("  {verdict}")
                },
                match e.trend().filter(|_| e.settled()) {
                    Some(std::cmp::Ordering::Less) => theme.good,
                    Some(std::cmp::Ordering::Greater) => theme.warn,
                    _ => theme.muted,
                },
            ),
        ]));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

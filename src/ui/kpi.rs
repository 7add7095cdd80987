//! The KPI pane: headline figures, aging bars of open denied dollars, top payers and
//! categories, and a 12-week denial trend. Built to grow into the full KPI engine.

use super::mask::cut;
use super::theme::Theme;
use crate::app::State;
use crate::domain::kpi::{summarize, Summary, Tally, AGING_BUCKETS};
use crate::domain::money::format_dollars;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

const BAR: usize = 24;

fn bar(value: i64, max: i64) -> String {
    let n = if max > 0 {
        (value as f64 / max as f64 * BAR as f64).round() as usize
    } else {
        0
    };
    "█".repeat(n) + &" ".repeat(BAR - n.min(BAR))
}

fn top(title: &str, rows: &[(String, Tally)], theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let mut out = vec![Line::styled(title.to_string(), theme.title)];
    for (name, t) in rows.iter().take(5) {
        out.push(Line::from(format!(
            "{:<w$} {:>9} {:>4}",
            cut(name, width.saturating_sub(16)),
            format_dollars(t.cents),
            t.count,
            w = width.saturating_sub(16)
        )));
    }
    out
}

/// Lines of the headline and aging sections.
fn headline(s: &Summary, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = vec![
        Line::from(vec![
            Span::styled("Open ", theme.title),
            Span::raw(format!(
                "{} denials, {}",
                s.open.count,
                format_dollars(s.open.cents)
            )),
            Span::styled("  Follow-ups ", theme.title),
            Span::raw(format!("{} today, ", s.follow_ups_due_today)),
            Span::styled(
                format!("{} overdue", s.follow_ups_overdue),
                if s.follow_ups_overdue > 0 {
                    theme.danger
                } else {
                    theme.text
                },
            ),
        ]),
        Line::from(vec![
            Span::styled("Deadlines ≤7d ", theme.title),
            Span::styled(
                format!(
                    "{} ({})",
                    s.deadlines_7d.count,
                    format_dollars(s.deadlines_7d.cents)
                ),
                if s.deadlines_7d.count > 0 {
                    theme.warn
                } else {
                    theme.text
                },
            ),
            Span::styled("  missed ", theme.title),
            Span::raw(format!(
                "{} ({})",
                s.deadlines_missed.count,
                format_dollars(s.deadlines_missed.cents)
            )),
            Span::styled("  recovered ", theme.title),
            Span::styled(format_dollars(s.recovered_cents), theme.good),
        ]),
        Line::styled("Aging of open denied $ (days since denial)", theme.title),
    ];
    let max = s.aging.iter().map(|t| t.cents).max().unwrap_or(0);
    for (n, (label, _, _)) in AGING_BUCKETS.iter().enumerate() {
        let t = s.aging[n];
        out.push(Line::from(format!(
            "{label:>7} {} {:>9} {:>4}",
            bar(t.cents, max),
            format_dollars(t.cents),
            t.count
        )));
    }
    out
}

fn trend(s: &Summary, theme: &Theme) -> Vec<Line<'static>> {
    const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = s.weekly.iter().map(|t| t.count).max().unwrap_or(0).max(1);
    let spark: String = s
        .weekly
        .iter()
        .map(|t| {
            if t.count == 0 {
                ' '
            } else {
                LEVELS[(t.count * 7 / max).min(7)]
            }
        })
        .collect();
    let counts: Vec<String> = s.weekly.iter().map(|t| t.count.to_string()).collect();
    vec![
        Line::styled("Denials per week, last 12 (oldest left)", theme.title),
        Line::from(format!("{spark}   {}", counts.join(" "))),
    ]
}

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let s = summarize(&state.items, state.today);
    let block = Block::default().borders(Borders::TOP).title(" KPIs ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let head = headline(&s, theme);
    let [top_area, tables, trend_area] = Layout::vertical([
        Constraint::Length(head.len() as u16),
        Constraint::Length(7),
        Constraint::Length(2),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(head), top_area);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(tables);
    frame.render_widget(
        Paragraph::new(top(
            "Top payers (open $)",
            &s.top_payers,
            theme,
            left.width as usize,
        )),
        left,
    );
    frame.render_widget(
        Paragraph::new(top(
            "Top categories (open $)",
            &s.top_categories,
            theme,
            right.width as usize,
        )),
        right,
    );
    frame.render_widget(Paragraph::new(trend(&s, theme)), trend_area);
}

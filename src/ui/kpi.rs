//! The KPI pane: headline rates, aging bars, a root-cause breakdown whose rows lead to the
//! claims behind them (Enter), and the 12-week trend. Reads the KPIs the app computed with
//! the same engine as `denialdesk report`.

use super::mask::cut;
use super::theme::Theme;
use crate::app::State;
use crate::domain::kpi::{Kpis, Tally, AGING_BUCKETS};
use crate::domain::money::format_dollars;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

const BAR: usize = 20;
/// Root-cause rows shown.
pub const TOP_ROWS: usize = 5;

fn bar(value: i64, max: i64) -> String {
    let n = if max > 0 {
        (value as f64 / max as f64 * BAR as f64).round() as usize
    } else {
        0
    };
    "█".repeat(n.min(BAR)) + &" ".repeat(BAR - n.min(BAR))
}

fn tally(t: Tally) -> String {
    format!("{} ({})", t.count, format_dollars(t.cents))
}

fn pair(label: &str, value: String, theme: &Theme) -> [Span<'static>; 2] {
    [
        Span::styled(format!("{label} "), theme.title),
        Span::raw(format!("{value}  ")),
    ]
}

/// The pane's lines (also used by tests).
pub fn lines(k: &Kpis, state: &State, theme: &Theme) -> Vec<Line<'static>> {
    let days = k
        .average_days_to_resolution
        .map_or("n/a".to_string(), |d| format!("{d:.1}"));
    let mut out = vec![
        Line::from(
            [
                pair(
                    "Initial denial",
                    format!(
                        "{} ({} of $)",
                        k.initial_denial_rate.display(),
                        k.initial_denial_rate_dollars.display()
                    ),
                    theme,
                ),
                pair("Appeal", k.appeal_rate.display(), theme),
                pair("Overturn", k.overturn_rate.display(), theme),
            ]
            .concat(),
        ),
        Line::from(
            [
                pair(
                    "Recovered",
                    format_dollars(k.recovered_in_period_cents),
                    theme,
                ),
                pair("Recovery", k.recovery_rate.display(), theme),
                pair("Write-off", k.write_off_rate.display(), theme),
                pair("Days to resolve", days, theme),
            ]
            .concat(),
        ),
        Line::from(vec![
            Span::styled("Open ", theme.title),
            Span::raw(format!("{}  ", tally(k.open))),
            Span::styled("Follow-ups ", theme.title),
            Span::raw(format!("{} today, ", k.follow_ups_due_today)),
            Span::styled(
                format!("{} overdue", k.follow_ups_overdue),
                if k.follow_ups_overdue > 0 {
                    theme.danger
                } else {
                    theme.text
                },
            ),
        ]),
        Line::from(vec![
            Span::styled("Deadline ≤7d ", theme.title),
            Span::styled(
                tally(k.at_risk_7),
                if k.at_risk_7.count > 0 {
                    theme.warn
                } else {
                    theme.text
                },
            ),
            Span::styled("  ≤14d ", theme.title),
            Span::raw(tally(k.at_risk_14)),
            Span::styled("  missed ", theme.title),
            Span::raw(tally(k.missed)),
        ]),
        Line::styled("Aging of open denied $ (days since denial)", theme.title),
    ];
    let max = k.aging.iter().map(|t| t.cents).max().unwrap_or(0);
    for (n, (label, _, _)) in AGING_BUCKETS.iter().enumerate() {
        let t = k.aging[n];
        out.push(Line::from(format!(
            "{label:>7} {} {:>9} {:>5}",
            bar(t.cents, max),
            format_dollars(t.cents),
            t.count
        )));
    }
    out.push(Line::styled(
        format!(
            "Denied $ by {} (b: next, Enter: the claims)   share   vs prev",
            state.kpi_dimension.key()
        ),
        theme.title,
    ));
    let rows = k.root_cause(state.kpi_dimension);
    if rows.is_empty() {
        out.push(Line::styled("  no denials in this period", theme.muted));
    }
    for (n, r) in rows.iter().enumerate().take(TOP_ROWS) {
        let change = r.change_cents();
        let text = format!(
            "{} {:<30} {:>9} {:>5} {:>5.1}% {:>+10}",
            if n == state.kpi_selected { "▶" } else { " " },
            cut(&r.value, 30),
            format_dollars(r.denied_cents),
            r.count,
            r.share * 100.0,
            format_dollars(change)
        );
        out.push(if n == state.kpi_selected {
            Line::styled(text, theme.selected)
        } else {
            Line::from(text)
        });
    }
    const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let top = k.weekly.iter().map(|t| t.count).max().unwrap_or(0).max(1);
    let spark: String = k
        .weekly
        .iter()
        .map(|t| {
            if t.count == 0 {
                ' '
            } else {
                LEVELS[((t.count * 7) / top).min(7) as usize]
            }
        })
        .collect();
    let counts: Vec<String> = k.weekly.iter().map(|t| t.count.to_string()).collect();
    out.push(Line::from(vec![
        Span::styled("Denials/week (12) ", theme.title),
        Span::raw(format!("{spark}  {}", counts.join(" "))),
    ]));
    out
}

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let title = format!(
        " KPIs · {} · {} ",
        state.kpi_period_label(),
        state.kpi_period.period(state.today)
    );
    let block = Block::default().borders(Borders::TOP).title(title);
    let text = match &state.kpis {
        Some(k) => lines(k, state, theme),
        None if !state.complete => vec![Line::styled("loading…", theme.muted)],
        None => vec![Line::styled("computing…", theme.muted)],
    };
    frame.render_widget(Paragraph::new(text).block(block), area);
}

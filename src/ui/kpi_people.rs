//! The KPI pane's productivity table (after the last breakdown, `b`): per person, claims
//! changed and calls logged in the period, claims resolved and dollars recovered on the
//! claims they own, follow-ups due and late. Whole values only: columns give way.

use super::columns::{fit, row_line, window_start, Column};
use super::mask::cut;
use super::theme::Theme;
use crate::app::State;
use crate::domain::kpi::Kpis;
use crate::domain::money::format_dollars;
use ratatui::text::Line;

/// Productivity per person for the period: claims changed, calls, claims resolved and
/// dollars recovered on the claims they own, follow-ups waiting.
pub fn lines(
    k: &Kpis,
    state: &State,
    theme: &Theme,
    width: usize,
    top_rows: usize,
) -> Vec<Line<'static>> {
    let mut out = vec![Line::styled(
        "Productivity per person (b: next)",
        theme.title,
    )];
    if k.workload.is_empty() {
        out.push(Line::styled(
            "  nobody owns or changed a claim",
            theme.muted,
        ));
        return out;
    }
    let offset = window_start(state.kpi.selected, k.workload.len(), top_rows);
    let texts: Vec<[String; 6]> = k
        .workload
        .iter()
        .skip(offset)
        .take(top_rows)
        .map(|w| {
            [
                w.owner.clone(),
                w.touched_in_period.to_string(),
                w.calls_in_period.to_string(),
                w.resolved_in_period.to_string(),
                format_dollars(w.recovered_in_period_cents),
                format!("{}/{}", w.follow_ups_due_today, w.follow_ups_overdue),
            ]
        })
        .collect();
    let widest = |c: usize, header: &str| {
        texts
            .iter()
            .map(|t| t[c].chars().count())
            .chain([header.chars().count()])
            .max()
            .unwrap_or(0)
    };
    // Narrow: follow-ups go first, then calls, then claims changed; the name is
    // abbreviated before anything goes; resolved and recovered never go.
    let headers = ["TOUCHED", "CALLS", "RESOLVED", "RECOVERED", "DUE/LATE"];
    let columns = [
        Column::whole("", 1, None),
        Column::text("", widest(0, "").min(20), 6, Some(4)),
        Column::whole(headers[0], widest(1, headers[0]), Some(3)),
        Column::whole(headers[1], widest(2, headers[1]), Some(2)),
        Column::whole(headers[2], widest(3, headers[2]), None),
        Column::whole(headers[3], widest(4, headers[3]), None),
        Column::whole(headers[4], widest(5, headers[4]), Some(1)),
    ];
    let fitted = fit(&columns, width as u16, 1);
    let shown = fitted.shown();
    let cells = |texts: [&str; 7]| -> String {
        shown
            .iter()
            .map(|&(c, w)| match c {
                0 => texts[0].to_string(),
                1 => format!("{:<w$}", cut(texts[1], w)),
                _ => format!("{:>w$}", texts[c]),
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    out.push(Line::styled(
        cells([
            "", "", headers[0], headers[1], headers[2], headers[3], headers[4],
        ]),
        theme.muted,
    ));
    for (n, t) in texts.iter().enumerate() {
        let selected = offset + n == state.kpi.selected;
        let text = cells([
            if selected { "▶" } else { " " },
            &t[0],
            &t[1],
            &t[2],
            &t[3],
            &t[4],
            &t[5],
        ]);
        out.push(row_line(text, selected, theme));
    }
    out
}

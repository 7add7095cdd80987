//! The KPI pane: headline rates, aging bars, a root-cause breakdown whose rows lead to the
//! claims behind them (Enter), and the 12-week trend. Reads the KPIs the app computed with
//! the same engine as `denialdesk report`.

use super::columns::{fit, money_cell, row_line, window_start, Column};
use super::mask::cut;
use super::theme::Theme;
use crate::app::State;
use crate::domain::kpi::{Kpis, Spread, Tally, AGING_BUCKETS};
use crate::domain::money::format_dollars;
use crate::domain::prevention::{rank_causes, Fix};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

const BAR: usize = 20;
/// Root-cause rows shown.
pub const TOP_ROWS: usize = 5;

fn bar(value: i64, max: i64, width: usize) -> String {
    let n = if max > 0 {
        (value as f64 / max as f64 * width as f64).round() as usize
    } else {
        0
    };
    "█".repeat(n.min(width)) + &" ".repeat(width - n.min(width))
}

fn tally(t: Tally) -> String {
    format!("{} ({})", t.count, format_dollars(t.cents))
}

/// One headline figure: its label, its value, and the value's style.
type Figure = (&'static str, String, Style);

/// Lays figures out in lines no wider than `width`, breaking only between figures, so a
/// value is never cut at the pane's edge.
fn flow(figures: Vec<Figure>, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for (label, value, style) in figures {
        let len = label.chars().count() + 1 + value.chars().count();
        if used > 0 && used + 2 + len > width {
            lines.push(Line::from(std::mem::take(&mut spans)));
            used = 0;
        }
        if used > 0 {
            spans.push(Span::raw("  "));
            used += 2;
        }
        spans.push(Span::styled(format!("{label} "), theme.title));
        spans.push(Span::styled(value, style));
        used += len;
    }
    if !spans.is_empty() {
        lines.push(Line::from(spans));
    }
    lines
}

/// The pane's lines for a pane `width` cells wide.
pub fn lines(k: &Kpis, state: &State, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width);
    let spread = |s: Spread| match (s.mean, s.median) {
        (Some(mean), Some(median)) => format!("{mean:.1}d (median {median:.1}d)"),
        _ => "n/a".to_string(),
    };
    let warn_if = |t: Tally, style: Style| if t.count > 0 { style } else { theme.text };
    let i = &k.initial_denials;
    let figures: Vec<Figure> = vec![
        // Short figures, so a narrow pane breaks between them, never inside one.
        ("Initial denial", i.all.display(), theme.text),
        ("full", i.full.display(), theme.text),
        ("partial", i.partial.display(), theme.text),
        ("of charges", i.all_dollars.display(), theme.text),
        ("Primary", k.primary_denial_rate.display(), theme.text),
        (
            "Rejected",
            k.acknowledgments.rejection_rate.display(),
            theme.text,
        ),
        (
            "Clean claims",
            k.acknowledgments.clean_claim_rate.display(),
            theme.text,
        ),
        ("Underpaid found", tally(k.underpayments.found), theme.text),
        ("open", tally(k.underpayments.open), theme.text),
        (
            "variance recovered",
            k.underpayments.variance_recovery_rate.display(),
            theme.text,
        ),
        ("Appeal", k.appeal_rate.display(), theme.text),
        ("Overturn", k.overturn_rate.display(), theme.text),
        ("Appeals won", k.appeal_win_rate.display(), theme.text),
        (
            "Recovered",
            format_dollars(k.recovered_in_period_cents),
            theme.text,
        ),
        ("Recovery", k.recovery_rate.display(), theme.text),
        (
            "Write-offs",
            match k.write_offs_to_payments.percent() {
                Some(_) => format!("{} of payments", k.write_offs_to_payments.display()),
                None => "n/a (no payments posted)".to_string(),
            },
            theme.text,
        ),
        ("To appeal", spread(k.days_to_appeal), theme.text),
        ("To resolve", spread(k.days_to_resolution), theme.text),
        ("Open", tally(k.open), theme.text),
        (
            "of them parked",
            state.worklist.parked().to_string(),
            theme.text,
        ),
        (
            "Follow-ups",
            format!(
                "{} today, {} overdue",
                k.follow_ups_due_today, k.follow_ups_overdue
            ),
            if k.follow_ups_overdue > 0 {
                theme.danger
            } else {
                theme.text
            },
        ),
        (
            "Deadline ≤7d",
            tally(k.at_risk_7),
            warn_if(k.at_risk_7, theme.warn),
        ),
        ("≤14d", tally(k.at_risk_14), theme.text),
        ("missed", tally(k.missed), warn_if(k.missed, theme.danger)),
    ];
    let mut out = flow(figures, width, theme);
    // The A/R age (from the date of service) beside each bucket, when it fits whole.
    let ar_amounts: Vec<String> = k.ar_aging.iter().map(|t| format_dollars(t.cents)).collect();
    let ar_amount_width = ar_amounts
        .iter()
        .map(|a| a.chars().count())
        .max()
        .unwrap_or(0);
    let ar: Vec<String> = ar_amounts
        .iter()
        .map(|a| format!("A/R {a:>ar_amount_width$}"))
        .collect();
    let ar_width = 4 + ar_amount_width;
    let max = k.aging.iter().map(|t| t.cents).max().unwrap_or(0);
    let amounts: Vec<String> = k.aging.iter().map(|t| format_dollars(t.cents)).collect();
    let amount_width = amounts.iter().map(|a| a.chars().count()).max().unwrap_or(0);
    let count_width = k
        .aging
        .iter()
        .map(|t| t.count.to_string().len())
        .max()
        .unwrap_or(0);
    // The bar gives way to the figures, which are never cut; the A/R column goes first.
    let figures_width = 7 + 1 + 1 + amount_width + 1 + count_width;
    let with_ar = width >= figures_width + 2 + ar_width + 8;
    let bar_width = width
        .saturating_sub(figures_width + if with_ar { 2 + ar_width } else { 0 })
        .min(BAR);
    out.push(Line::styled(
        if with_ar {
            "Open denied $ by days since denial · A/R: since service"
        } else {
            "Open denied $ by days since denial"
        },
        theme.title,
    ));
    for (n, (label, _, _)) in AGING_BUCKETS.iter().enumerate() {
        let t = k.aging[n];
        let mut line = format!(
            "{label:>7} {} {:>amount_width$} {:>count_width$}",
            bar(t.cents, max, bar_width),
            amounts[n],
            t.count
        );
        if with_ar {
            line.push_str(&format!("  {}", ar[n]));
        }
        out.push(Line::from(line));
    }
    out.extend(if state.kpi.people {
        super::kpi_people::lines(k, state, theme, width, TOP_ROWS)
    } else {
        causes(k, state, theme, width)
    });
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
    let label = "Denials/week (12) ";
    let full = format!("{spark}  {}", counts.join(" "));
    // The weekly numbers only when they all fit: a cut list would misstate the last week.
    let trend = if label.chars().count() + full.chars().count() <= width {
        full
    } else {
        spark
    };
    out.push(Line::from(vec![
        Span::styled(label, theme.title),
        Span::raw(trend),
    ]));
    out
}

/// The root-cause table: the breakdown's rows with their denial rates; a window of rows
/// that follows the cursor.
fn causes(k: &Kpis, state: &State, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let rows = k.root_cause(state.kpi.dimension);
    // A window of TOP_ROWS rows that scrolls with the cursor: it never sits on a hidden row.
    let offset = window_start(state.kpi.selected, rows.len(), TOP_ROWS);
    let mut title = format!("Denied $ by {}", state.kpi.dimension.key());
    if rows.len() > TOP_ROWS {
        title.push_str(&format!(
            " · rows {}–{} of {} ↑↓",
            offset + 1,
            (offset + TOP_ROWS).min(rows.len()),
            rows.len()
        ));
    }
    out.push(Line::styled(title, theme.title));
    if rows.is_empty() {
        out.push(Line::styled("  no denials in this period", theme.muted));
    }
    let segments = k.segment(state.kpi.dimension);
    // P3: prevention item 3 covers it; #1: the cause that most needs one.
    let fixes = rank_causes(rows, state.kpi.dimension, &state.prevention.items);
    let texts: Vec<[String; 7]> = rows
        .iter()
        .zip(&fixes)
        .skip(offset)
        .take(TOP_ROWS)
        .map(|(r, fix)| {
            // How often this segment's claims are denied (denials ÷ adjudicated).
            let rate = segments
                .iter()
                .find(|s| s.value == r.value)
                .map_or("n/a".to_string(), |s| s.rate.display());
            [
                r.value.clone(),
                format_dollars(r.denied_cents),
                r.count.to_string(),
                format!("{:.1}%", r.share * 100.0),
                format_dollars(r.change_cents()),
                rate,
                match fix {
                    Fix::Covered(id) => format!("P{id}"),
                    Fix::Partly(id, n) => format!("#{n} (P{id})"),
                    Fix::Rank(n) => format!("#{n}"),
                    Fix::None => "-".to_string(),
                },
            ]
        })
        .collect();
    let widest = |c: usize| {
        texts
            .iter()
            .map(|t| t[c].chars().count())
            .max()
            .unwrap_or(0)
    };
    // Narrow: the fix marker goes first, then the share, the count, the denial rate,
    // then the change;
    // the name is abbreviated before anything goes; the denied dollars never go.
    let columns = [
        Column::whole("", 1, None),
        Column::text("", widest(0).min(30), 8, Some(5)),
        Column::whole("DENIED", widest(1), None),
        Column::whole("N", widest(2), Some(2)),
        Column::whole("SHARE", widest(3), Some(1)),
        Column::whole("VS PREV", widest(4), Some(4)),
        Column::whole("RATE", widest(5).max(4), Some(3)),
        Column::whole("FIX", widest(6).max(3), Some(0)),
    ];
    let fitted = fit(&columns, width as u16, 1);
    let shown = fitted.shown();
    let cells = |texts: [&str; 8], money: bool| -> String {
        shown
            .iter()
            .map(|&(c, w)| match c {
                0 => texts[0].to_string(),
                1 => format!("{:<w$}", cut(texts[1], w)),
                2 | 5 if money => money_cell(texts[c], w as u16),
                _ => format!("{:>w$}", texts[c]),
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    if !texts.is_empty() {
        out.push(Line::styled(
            cells(
                ["", "", "DENIED", "N", "SHARE", "VS PREV", "RATE", "FIX"],
                false,
            ),
            theme.muted,
        ));
    }
    for (n, t) in texts.iter().enumerate() {
        let selected = offset + n == state.kpi.selected;
        let text = cells(
            [
                if selected { "▶" } else { " " },
                &t[0],
                &t[1],
                &t[2],
                &t[3],
                &t[4],
                &t[5],
                &t[6],
            ],
            true,
        );
        out.push(row_line(text, selected, theme));
    }
    out
}

/// Draws the KPI pane.
pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let title = format!(
        " KPIs · {} · {} ",
        state.kpi_period_label(),
        state.kpi.period.period(state.today)
    );
    let block = Block::default().borders(Borders::TOP).title(title);
    let text = match &state.kpi.figures {
        Some(k) => lines(k, state, theme, area.width),
        None if state.worklist.whole_items().is_none() => {
            vec![Line::styled("loading…", theme.muted)]
        }
        None => vec![Line::styled("computing…", theme.muted)],
    };
    frame.render_widget(Paragraph::new(text).block(block), area);
}

//! The worklist pane: queue tabs with counts, a summary line, and the ranked table with
//! markers for overdue follow-ups and near deadlines (a character, not colour alone).

use super::mask::{cut, phi};
use super::theme::Theme;
use crate::app::State;
use crate::domain::claim_identity::shared_position;
use crate::domain::money::{format_cents, format_dollars};
use crate::domain::queue::Queue;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};
use ratatui::Frame;

fn short_label(q: Queue) -> &'static str {
    match q {
        Queue::Open => "Open",
        Queue::Mine => "Mine",
        Queue::New => "New",
        Queue::FollowUpsDue => "Due",
        Queue::DeadlinesThisWeek => "≤7d",
        Queue::WithPayer => "Payer",
        Queue::Resolved => "Done",
        Queue::PatientResponsibility => "Pt",
        Queue::All => "All",
    }
}

fn queue_tabs(state: &State, theme: &Theme, width: u16) -> Line<'static> {
    let mut spans = Vec::new();
    for (n, q) in Queue::ALL.iter().enumerate() {
        let label = if width >= 110 {
            q.label()
        } else {
            short_label(*q)
        };
        let style = if *q == state.queue {
            theme.active_tab
        } else {
            theme.text
        };
        spans.push(Span::styled(
            format!("{label} {}", state.queue_counts[n]),
            style,
        ));
        spans.push(Span::raw(" "));
    }
    Line::from(spans)
}

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let [tabs, summary, table] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(queue_tabs(state, theme, area.width)), tabs);

    let (count, cents) = state.view_totals();
    let mut line = format!(
        "{count} claims · {} outstanding · sort {}",
        format_dollars(cents),
        state.sort.key()
    );
    if !state.filter.is_empty() {
        line.push_str(&format!(" · filter \"{}\"", state.filter));
    }
    if !state.marked.is_empty() {
        line.push_str(&format!(" · {} marked", state.marked.len()));
    }
    if state.loading {
        line.push_str(" · loading…");
    }
    frame.render_widget(Paragraph::new(line).style(theme.title), summary);
    render_table(frame, table, state, theme);
}

fn render_table(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let wide = area.width >= 110;
    let mut header = vec![
        "", "PRI", "CLAIM", "PATIENT", "PAYER", "OWED", "CARC", "STATUS",
    ];
    let mut widths = vec![
        Constraint::Length(1),
        Constraint::Length(3),
        Constraint::Length(10),
        Constraint::Length(12),
        Constraint::Length(9),
        Constraint::Length(10),
        Constraint::Length(6),
        Constraint::Length(9),
    ];
    if wide {
        header.extend(["CATEGORY", "OWNER", "DOS"]);
        widths.extend([
            Constraint::Length(14),
            Constraint::Length(8),
            Constraint::Length(10),
        ]);
    }
    header.extend(["F/U", "DUE"]);
    widths.extend([Constraint::Length(6), Constraint::Length(6)]);

    let today = state.today;
    let visible = area.height.saturating_sub(1) as usize;
    // Only the rows on screen are built: the list may hold 100,000 claims.
    let offset = state.selected.saturating_sub(visible.saturating_sub(1));
    let rows = state
        .view
        .iter()
        .enumerate()
        .skip(offset)
        .take(visible)
        .map(|(_, &i)| {
            let item = &state.items[i];
            let days = item.days_to_deadline(today);
            let (mut due_text, due_style) = match days {
                d if d < 0 => (format!("{d}x"), theme.danger),
                d if d <= 7 => (format!("{d}!"), theme.warn),
                d => (format!("{d}"), theme.text),
            };
            // No appeal rights: the date is for a corrected claim, not an appeal.
            if item.appeal_deadline.source.is_resubmission() {
                due_text.push('R');
            }
            // Two claims sharing a CLP01 are told apart as CLP01@N (what the CLI takes).
            let claim = match shared_position(&state.items, i, |x| x.claim_id.as_str()) {
                Some(n) => format!("{}@{n}", item.claim_id),
                None => item.claim_id.clone(),
            };
            let (fu_text, fu_style) = match item.follow_up {
                Some(d) if d < today => (format!("{}!", d.format("%m-%d")), theme.danger),
                Some(d) if d == today => (format!("{}!", d.format("%m-%d")), theme.warn),
                Some(d) => (d.format("%m-%d").to_string(), theme.muted),
                None => ("-".to_string(), theme.muted),
            };
            // "*" marked for a bulk change; "@" a teammate has it open.
            let mark = if state.marked.contains(&item.key) {
                "*"
            } else if !state.others_on(&item.key).is_empty() {
                "@"
            } else {
                " "
            };
            let mut cells = vec![
                Cell::from(mark).style(theme.marked),
                Cell::from(format!("{:>3}", state.scores[i])),
                Cell::from(claim),
                Cell::from(cut(&phi(&item.patient_name, state.privacy), 12)),
                Cell::from(cut(&item.payer, 9)),
                Cell::from(format!("{:>10}", format_cents(item.outstanding_cents()))),
                Cell::from(cut(&item.carcs.join(","), 6)),
                Cell::from(cut(item.status.key(), 9)),
            ];
            if wide {
                cells.push(Cell::from(cut(item.category.label(), 14)));
                cells.push(Cell::from(cut(item.owner.as_deref().unwrap_or("-"), 8)));
                cells.push(Cell::from(
                    item.date_of_service.map_or("-".into(), |d| d.to_string()),
                ));
            }
            cells.push(Cell::from(fu_text).style(fu_style));
            cells.push(Cell::from(format!("{due_text:>6}")).style(due_style));
            Row::new(cells)
        });
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.muted))
        .column_spacing(1)
        .row_highlight_style(theme.selected)
        .highlight_symbol("▶");
    let mut table_state = TableState::default();
    if !state.view.is_empty() {
        table_state.select(Some(state.selected - offset));
    }
    if state.view.is_empty() {
        let text = if state.loading {
            "loading…"
        } else {
            "no claims in this queue"
        };
        frame.render_widget(Paragraph::new(text).style(theme.muted), area);
    } else {
        frame.render_stateful_widget(table, area, &mut table_state);
    }
}

//! Overlays: the help generated from the keymap, the data-entry form, and the idle screen.

use super::theme::Theme;
use crate::app::form::{FieldId, FieldKind, Form};
use crate::app::State;
use crate::keymap::Keymap;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [h] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    h
}

/// Draws the key help over `area`.
pub fn help(frame: &mut Frame, area: Rect, keymap: &Keymap, theme: &Theme, state: &State) {
    let readonly = state.readonly;
    let mut lines: Vec<Line> = Vec::new();
    let entries = keymap.help_entries();
    // Two columns only when the longest entry fits in each: entries never run together.
    let column = entries.iter().map(|e| e.chars().count()).max().unwrap_or(0) + 2;
    let two_columns = usize::from(area.width) >= 2 * column + 2;
    if two_columns {
        let half = entries.len().div_ceil(2);
        for i in 0..half {
            let right = entries.get(i + half).cloned().unwrap_or_default();
            lines.push(Line::from(format!("{:<column$}{right}", entries[i])));
        }
    } else {
        lines.extend(entries.into_iter().map(Line::from));
    }
    lines.push(Line::styled("Markers:", theme.title));
    lines.push(Line::from(
        "▶ selected · * marked · @ a teammate has it open · DUE 5! within 7 days, 3x missed, R resubmission (no appeal rights), * a default window (payer not in the rules), P met: appealed or resubmitted in time (the payer has it), - resolved · F/U 12-01! due · # an amount too wide for its column",
    ));
    lines.push(Line::styled("In forms and search:", theme.title));
    lines.push(Line::from(keymap.form_entries().join(" · ")));
    if readonly {
        lines.push(Line::styled(
            "Read-only: data-changing keys are off.",
            theme.warn,
        ));
    }
    // As tall as the pane allows; what does not fit scrolls (↑ ↓ PgUp PgDn).
    let width = if two_columns {
        (2 * column + 2) as u16
    } else {
        area.width
    };
    let inner = usize::from(width.saturating_sub(2).max(1));
    let wrapped: usize = lines.iter().map(|l| l.width().max(1).div_ceil(inner)).sum();
    let height = (wrapped as u16 + 2).min(area.height);
    let rect = centered(area, width, height);
    let visible = height.saturating_sub(2);
    let scroll = state
        .help_scroll
        // A little slack: word wrap can take a line or two more than the estimate.
        .min((wrapped as u16 + 2).saturating_sub(visible));
    // How to scroll and leave, in the keymap's keys (help and back close it, quit leaves).
    use crate::app::Intent;
    let scrolling: Vec<String> = [Intent::Down, Intent::Up]
        .into_iter()
        .filter_map(|i| keymap.help_key(i))
        .collect();
    let more = if (wrapped as u16) > visible && !scrolling.is_empty() {
        format!(" · {} scroll", scrolling.join(" "))
    } else {
        String::new()
    };
    let closers: Vec<String> = [Intent::Help, Intent::Back]
        .into_iter()
        .filter_map(|i| keymap.help_key(i))
        .collect();
    let mut close = format!("{} to close", closers.join(" or "));
    if let Some(q) = keymap.help_key(Intent::Quit) {
        close.push_str(&format!(", {q} quits"));
    }
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" Keys ({close}{more}) "));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        rect,
    );
}

/// Draws a form over `area`.
pub fn form(
    frame: &mut Frame,
    area: Rect,
    form: &Form,
    state: &State,
    (keymap, theme): (&Keymap, &Theme),
) {
    let mut lines: Vec<Line> = Vec::new();
    // Logging a call: the payer's number and portal from payers.toml, right where it is typed.
    if form.kind == crate::app::form::FormKind::Call {
        let payer = form
            .claims
            .first()
            .and_then(|k| state.worklist.whole_item(k))
            .map(|i| crate::domain::claim::Party {
                name: i.payer.to_string(),
                id: i.payer_id.clone(),
            });
        if let Some(rule) = payer.as_ref().and_then(|p| state.payer_rules.find(p)) {
            let contact: Vec<String> = [rule.phone.clone(), rule.portal.clone()]
                .into_iter()
                .flatten()
                .collect();
            if !contact.is_empty() {
                lines.push(Line::styled(
                    format!("{}: {}", rule.name, contact.join(" · ")),
                    theme.muted,
                ));
            }
        }
    }
    if let Some(what) = &form.note {
        // A claim form's note says what saving does to the status; a prevention form's
        // is about the item.
        let prevention = matches!(
            form.kind,
            crate::app::form::FormKind::NewPrevention
                | crate::app::form::FormKind::PreventionStatus
        );
        let text = if prevention {
            what.clone()
        } else {
            format!("Status: {what}")
        };
        lines.push(Line::styled(text, theme.warn));
    }
    // A checklist item's wording is its label: the references line up after the longest.
    let doc_width = form.packet.as_ref().map_or(0, |p| {
        p.items
            .iter()
            .map(|i| i.doc.label.chars().count() + 5)
            .max()
            .unwrap_or(0)
            .min(48)
    });
    for (n, field) in form.fields.iter().enumerate() {
        let focused = n == form.focus;
        if let (FieldId::Document(0), Some(p)) = (field.id, &form.packet) {
            lines.push(Line::styled(
                format!(
                    "Level {} packet ({}) · type where each is · * required",
                    p.level, p.what
                ),
                theme.muted,
            ));
            if let Some(draft) = &p.draft {
                lines.push(Line::styled(
                    format!("draft letter to fill in: {draft}"),
                    theme.warn,
                ));
            }
        }
        let marker = if focused { "▶ " } else { "  " };
        let value = match &field.kind {
            FieldKind::Choice(_) if field.value().is_empty() => "‹ choose with ← → ›".to_string(),
            FieldKind::Choice(_) => format!("‹ {} ›", field.value()),
            // A suggestion the first key replaces is shown as one (dim, cursor first).
            _ if focused && field.text.is_prefilled() => format!("▏{}", field.value()),
            _ if focused => {
                let (before, after) = field.text.split_at_cursor();
                format!("{before}▏{after}")
            }
            _ => field.value().to_string(),
        };
        let required = field.required();
        let label = match (field.id, &form.packet) {
            (FieldId::Document(d), Some(p)) => {
                let needed = p.items.get(d).is_some_and(|i| i.doc.required);
                let mark = if field.value().trim().is_empty() {
                    " "
                } else {
                    "x"
                };
                let text = format!("[{mark}] {}{}", field.label, if needed { "*" } else { "" });
                format!("{text:<doc_width$} ")
            }
            _ => format!(
                "{:<14}",
                format!("{}{}", field.label, if required { "*" } else { "" })
            ),
        };
        let mut spans = vec![
            Span::raw(marker),
            Span::styled(label, theme.title),
            Span::styled(
                value,
                match (focused, field.text.is_prefilled()) {
                    (true, true) => theme.muted,
                    (true, false) => theme.focus,
                    _ => theme.text,
                },
            ),
        ];
        // Assigning: the known users the name typed so far could be (→ completes).
        if form.kind == crate::app::form::FormKind::Assign && focused {
            let matches = state.users_starting(field.value());
            let only_itself = matches.len() == 1 && matches[0] == field.value().trim();
            if !matches.is_empty() && !only_itself {
                spans.push(Span::styled(
                    format!("  → {}", matches.join(", ")),
                    theme.muted,
                ));
            }
        }
        match form.preview(field, state.today) {
            Some(Ok(date)) => spans.push(Span::styled(format!("  → {date}"), theme.good)),
            Some(Err(reason)) => spans.push(Span::styled(format!("  ✗ {reason}"), theme.error)),
            None => {}
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(""));
    // Wider on a wide screen; every line wraps whole, and the box is as tall as the
    // wrapped text, so a message (and the way forward it names) is never cut.
    let width = if area.width >= 110 { 96 } else { 72 }.min(area.width);
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let (message, style) = match (&form.error, form.saving) {
        (_, true) => ("saving…".to_string(), theme.muted),
        (Some(e), _) => (format!("✗ {e}"), theme.error),
        (None, _) => {
            let choose = form
                .fields
                .iter()
                .any(|f| matches!(f.kind, FieldKind::Choice(_)));
            use crate::app::Intent;
            let mut hint = format!(
                "{} save · {} cancel · {} next field",
                keymap.form_key(Intent::Submit),
                keymap.form_key(Intent::Back),
                keymap.form_key(Intent::NextField)
            );
            if choose {
                hint.push_str(" · ←→ choose");
            }
            (hint, theme.muted)
        }
    };
    lines.extend(
        super::wrap::plain(&message, inner)
            .into_iter()
            .map(|l| Line::styled(l, style)),
    );
    let lines: Vec<Line> = lines
        .into_iter()
        .flat_map(|l| super::wrap::indented(l, inner))
        .collect();
    let rect = centered(area, width, lines.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", form.title()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
}

/// Hides everything behind the idle screen.
pub fn idle(frame: &mut Frame, area: Rect, theme: &Theme) {
    frame.render_widget(Clear, area);
    let rect = centered(area, 44, 3);
    let block = Block::default().borders(Borders::ALL);
    frame.render_widget(
        Paragraph::new("denialdesk is idle: press any key")
            .style(theme.title)
            .block(block),
        rect,
    );
}

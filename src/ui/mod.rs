//! Drawing: `render` reads `&State` and draws; no mutation, no I/O. Works at 80x24 (one
//! pane at a time) and uses a wide terminal (worklist beside the claim).

pub mod appeals;
pub mod claim;
mod claim_header;
pub mod columns;
pub mod kpi;
mod kpi_people;
pub mod mask;
pub mod popup;
pub mod prevention;
pub mod theme;
pub mod worklist;
mod worklist_header;
pub mod wrap;

use crate::app::{Mode, Pane, State};
use crate::keymap::Keymap;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use theme::Theme;

/// Width from which the worklist and the claim are shown side by side.
pub const SIDE_BY_SIDE: u16 = 120;

/// Draws the whole screen from the state.
pub fn render(frame: &mut Frame, state: &State, keymap: &Keymap, theme: &Theme) {
    draw(frame, state, keymap, theme);
    // Whatever text a pane drew (patient names, notes, teammates' entries), no control
    // character reaches the terminal: an escape sequence in a name could rewrite the
    // screen or the clipboard (OSC 52). One pass over what was drawn covers every pane.
    for cell in frame.buffer_mut().content.iter_mut() {
        if cell.symbol().chars().any(crate::text::is_unsafe) {
            cell.set_symbol("\u{fffd}");
        }
    }
}

fn draw(frame: &mut Frame, state: &State, keymap: &Keymap, theme: &Theme) {
    let area = frame.area();
    if state.idle_locked {
        popup::idle(frame, area, theme);
        return;
    }
    // A message is never cut: the bottom bar grows to show all of it (up to a third of
    // the screen, far more than any message needs).
    let bottom_lines = bottom_bar(state, keymap, theme, area.width);
    let bottom_height = (bottom_lines.len() as u16).clamp(1, (area.height / 3).max(1));
    let [top, body, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(bottom_height),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(top_bar(state, keymap, theme, top.width)),
        top,
    );
    match state.pane {
        Pane::Worklist | Pane::Claim if area.width >= SIDE_BY_SIDE => {
            // A one-cell gap: the list's last column never runs into the claim's text.
            let [left, right] =
                Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                    .spacing(1)
                    .areas(body);
            worklist::render(frame, left, state, keymap, theme);
            claim::render(frame, right, state, theme);
        }
        Pane::Worklist => worklist::render(frame, body, state, keymap, theme),
        Pane::Claim => claim::render(frame, body, state, theme),
        Pane::Appeals => appeals::render(frame, body, state, theme),
        Pane::Kpi => kpi::render(frame, body, state, theme),
        Pane::Prevention => prevention::render(frame, body, state, theme),
    }
    frame.render_widget(Paragraph::new(bottom_lines), bottom);
    match &state.mode {
        Mode::Help => popup::help(frame, body, keymap, theme, state),
        Mode::Form(form) => popup::form(frame, body, form, state, (keymap, theme)),
        Mode::Search { .. } | Mode::Normal => {}
    }
}

fn top_bar(state: &State, keymap: &Keymap, theme: &Theme, width: u16) -> Line<'static> {
    // Narrow: only the active pane keeps its title (the others are their number keys).
    let titled = |pane: Pane| width >= 50 || pane == state.pane;
    let mut spans = Vec::new();
    for pane in Pane::ALL.iter() {
        let style = if *pane == state.pane {
            theme.active_tab
        } else {
            theme.text
        };
        // Each pane with the key that shows it (the keymap's; none if unbound).
        let key = keymap
            .label(state.pane, &crate::app::Intent::ShowPane(*pane))
            .map_or(String::new(), |k| format!("{k} "));
        let text = if titled(*pane) {
            format!(" {key}{} ", pane.title())
        } else if key.is_empty() {
            format!(" {} ", pane.title().chars().next().unwrap_or(' '))
        } else {
            format!(" {}", key)
        };
        spans.push(Span::styled(text, style));
    }
    // Then as many whole notes as fit (PRIVACY and READ-ONLY first: they change what
    // the screen means).
    let mut notes = Vec::new();
    if state.privacy {
        notes.push(Span::styled(" · PRIVACY", theme.warn));
    }
    if state.readonly {
        notes.push(Span::styled(" · READ-ONLY", theme.warn));
    }
    notes.push(Span::styled(
        format!("  {} · {}", state.user, state.today),
        theme.muted,
    ));
    let mut used: usize = spans.iter().map(|s| s.width()).sum();
    for note in notes {
        if used + note.width() <= usize::from(width) {
            used += note.width();
            spans.push(note);
        }
    }
    Line::from(spans)
}

fn bottom_bar(state: &State, keymap: &Keymap, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width.max(1));
    if let Mode::Search { input, filter } = &state.mode {
        let prompt = if *filter { "filter: " } else { "/" };
        return vec![Line::from(vec![
            Span::styled(prompt.to_string(), theme.title),
            Span::raw({
                let (before, after) = input.split_at_cursor();
                format!("{before}▏{after}")
            }),
            Span::styled(
                format!(
                    "  {} done · {} cancel",
                    keymap.form_key(crate::app::Intent::Submit),
                    keymap.form_key(crate::app::Intent::Back)
                ),
                theme.muted,
            ),
        ])];
    }
    if let Some(m) = &state.message {
        let style = if m.error { theme.error } else { theme.good };
        return wrap::plain(&m.text, width)
            .into_iter()
            .map(|l| Line::styled(l, style))
            .collect();
    }
    // Whole hints only, as many as fit: "? help" is never cut to "? ".
    let mut spans = Vec::new();
    let mut used = 0;
    for (key, what) in keymap.hints(state.pane) {
        let len = key.chars().count() + 1 + what.chars().count();
        if used + len > width {
            break;
        }
        spans.push(Span::styled(key.to_string(), theme.title));
        spans.push(Span::styled(format!(" {what}  "), theme.muted));
        used += len + 2;
    }
    vec![Line::from(spans)]
}

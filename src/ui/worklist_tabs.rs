//! The worklist's tab bar: the queues, then the saved views, each with its count; whole
//! tabs only, the active one always among them.

use super::theme::Theme;
use crate::app::State;
use crate::domain::queue::Queue;
use ratatui::text::{Line, Span};

/// The tab bar for a pane `width` wide.
pub fn queue_tabs(state: &State, theme: &Theme, width: u16) -> Line<'static> {
    let wl = &state.worklist;
    // The queues, then the saved views (config file), each with its count.
    let mut tabs: Vec<String> = Queue::ALL
        .iter()
        .enumerate()
        .map(|(n, q)| {
            let label = if width >= 110 {
                q.label()
            } else {
                q.short_label()
            };
            format!("{label} {}", wl.queue_counts()[n])
        })
        .collect();
    for (view, count) in wl.selection().views.iter().zip(wl.view_counts()) {
        let count = count.map_or("…".to_string(), |c| c.to_string());
        tabs.push(format!("{} {count}", view.name));
    }
    let active = wl.selection().tab();
    // Whole tabs only, the active one always among them; ‹ › say that more lie beyond.
    let width = usize::from(width);
    let fits = |from: usize, to: usize| {
        let marks = usize::from(from > 0) * 2 + usize::from(to < tabs.len()) * 2;
        tabs[from..to]
            .iter()
            .map(|t| t.chars().count() + 1)
            .sum::<usize>()
            + marks
            <= width
    };
    let (mut from, mut to) = (0, 0);
    while to < tabs.len() && fits(from, to + 1) {
        to += 1;
    }
    while to <= active && from < active {
        from += 1;
        while to < tabs.len() && fits(from, to + 1) {
            to += 1;
        }
    }
    let total = tabs.len();
    let mut spans = Vec::new();
    if from > 0 {
        spans.push(Span::styled("‹ ", theme.muted));
    }
    for (n, tab) in tabs.into_iter().enumerate().take(to).skip(from) {
        let style = if n == active {
            theme.active_tab
        } else {
            theme.text
        };
        spans.push(Span::styled(tab, style));
        spans.push(Span::raw(" "));
    }
    if to < total {
        spans.push(Span::styled("›", theme.muted));
    }
    Line::from(spans)
}

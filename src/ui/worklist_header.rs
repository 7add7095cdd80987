//! The worklist's header: the tab bar (the queues, then the saved views, each with its
//! count; whole tabs only, the active one always among them) and the summary line under
//! it (how many, what narrows them, how much, in which order).

use super::mask::cut;
use super::theme::Theme;
use crate::app::State;
use crate::domain::money::format_dollars;
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

/// The summary line for a pane `width` wide.
pub fn summary_line(state: &State, width: usize) -> String {
    let (count, cents) = state.worklist.view_totals();
    // The Open queue leaves parked claims out; `list` and the KPIs count them among the
    // open denials. Say so, so the numbers never seem to disagree.
    let wl = &state.worklist;
    // (Parked claims are counted over the whole queue: said only when no filter narrows it.)
    let view_filter = wl
        .selection()
        .active_view()
        .map_or("", |v| v.filter.as_str());
    let unfiltered = wl.filter().is_empty() && wl.drill().is_none() && view_filter.is_empty();
    let counted = if wl.queue() == Queue::Open && wl.parked() > 0 && unfiltered {
        format!(
            "{count} workable · {} parked until their follow-up",
            wl.parked()
        )
    } else {
        format!("{count} {}", if count == 1 { "claim" } else { "claims" })
    };
    // The count gives way to its short form before anything is cut.
    let counted = if counted.chars().count() <= width {
        counted
    } else {
        format!("{count} {}", if count == 1 { "claim" } else { "claims" })
    };
    // What narrows the list comes right after the count: an empty list must say why.
    let mut parts = vec![counted];
    if !view_filter.is_empty() && wl.drill().is_none() {
        parts.push(format!("view \"{view_filter}\""));
    }
    if !wl.filter().is_empty() {
        parts.push(format!("filter \"{}\"", wl.filter()));
    }
    // Parts 1.. up to here narrow the list.
    let narrowing = 1..parts.len();
    parts.push(format!("{} outstanding", format_dollars(cents)));
    parts.push(format!(
        "sort {}{}",
        wl.sort().0.key(),
        if wl.sort().1 { " (reversed)" } else { "" }
    ));
    if !wl.marked.is_empty() {
        parts.push(format!("{} marked", wl.marked.len()));
    }
    if state.loading {
        parts.push("loading…".into());
    }
    // Whole parts only, as many as fit: "sort pri" would misstate the sort. A view or a
    // filter that narrows the list is never left out silently: too long, it is shown
    // abbreviated and marked ("filter \"owner:none carc…\"").
    let mut line = String::new();
    for (n, part) in parts.into_iter().enumerate() {
        let sep = if line.is_empty() { "" } else { " · " };
        let room = width.saturating_sub(line.chars().count() + sep.len());
        if part.chars().count() > room {
            if narrowing.contains(&n) && room >= 10 {
                line.push_str(sep);
                line.push_str(&cut(part.trim_end_matches('"'), room - 1));
                line.push('"');
            }
            break;
        }
        line.push_str(sep);
        line.push_str(&part);
    }
    line
}

//! Named styles over the terminal's 16 colours with default backgrounds, readable on dark
//! and light terminals. `NO_COLOR` gives modifiers only (bold, reverse, underline).

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
/// The styles every pane draws with.
pub struct Theme {
    /// Ordinary text.
    pub text: Style,
    /// Text in the background (hints, headers).
    pub muted: Style,
    /// Titles and labels.
    pub title: Style,
    /// The queue tab shown.
    pub active_tab: Style,
    /// The selected row: reverse video, visible without colour.
    pub selected: Style,
    /// The bulk-change mark.
    pub marked: Style,
    /// Due soon (deadline within 7 days, follow-up due today).
    pub warn: Style,
    /// Overdue or passed.
    pub danger: Style,
    /// Good news (saved).
    pub good: Style,
    /// Errors.
    pub error: Style,
    /// The focused form field.
    pub focus: Style,
    /// Text a search matched (underlined, so it shows without colour too).
    pub matched: Style,
}

impl Theme {
    /// Colour unless `no_color`.
    pub fn new(no_color: bool) -> Theme {
        let plain = Style::default();
        if no_color {
            return Theme {
                text: plain,
                muted: plain,
                title: plain.add_modifier(Modifier::BOLD),
                active_tab: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
                selected: plain.add_modifier(Modifier::REVERSED),
                marked: plain.add_modifier(Modifier::BOLD),
                warn: plain.add_modifier(Modifier::BOLD),
                danger: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                good: plain,
                error: plain.add_modifier(Modifier::BOLD),
                focus: plain.add_modifier(Modifier::UNDERLINED),
                matched: plain.add_modifier(Modifier::UNDERLINED | Modifier::BOLD),
            };
        }
        Theme {
            text: plain,
            muted: plain.fg(Color::DarkGray),
            title: plain.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            active_tab: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            selected: plain.add_modifier(Modifier::REVERSED),
            marked: plain.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            warn: plain.fg(Color::Magenta).add_modifier(Modifier::BOLD),
            danger: plain.fg(Color::Red).add_modifier(Modifier::BOLD),
            good: plain.fg(Color::Green),
            error: plain.fg(Color::Red).add_modifier(Modifier::BOLD),
            focus: plain.fg(Color::Cyan).add_modifier(Modifier::UNDERLINED),
            matched: plain
                .fg(Color::Yellow)
                .add_modifier(Modifier::UNDERLINED | Modifier::BOLD),
        }
    }

    /// Reads `NO_COLOR` (any non-empty value disables colour).
    pub fn from_env() -> Theme {
        Theme::new(std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()))
    }
}

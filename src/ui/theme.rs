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

    /// Whether `NO_COLOR` is set (any non-empty value disables colour).
    pub fn no_color() -> bool {
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
    }

    /// The theme with the config file's `[theme]` overrides (style name = "fg [on bg]
    /// [bold] [underline] [reversed] [italic] [dim]"); `NO_COLOR` wins over them all: the
    /// colourless theme is kept as it is, so what marks a row never depends on colour.
    pub fn themed(no_color: bool, overrides: &[(String, String)]) -> Result<Theme, String> {
        let mut theme = Theme::new(no_color);
        for (name, value) in overrides {
            let style = parse_style(value).map_err(|e| format!("[theme] {name}: {e}"))?;
            let Some(slot) = theme.slot(name) else {
                return Err(format!(
                    "[theme] {name:?} is not a style; the styles are {}",
                    STYLES.join(", ")
                ));
            };
            if !no_color {
                *slot = style;
            }
        }
        Ok(theme)
    }

    fn slot(&mut self, name: &str) -> Option<&mut Style> {
        Some(match name {
            "text" => &mut self.text,
            "muted" => &mut self.muted,
            "title" => &mut self.title,
            "active-tab" => &mut self.active_tab,
            "selected" => &mut self.selected,
            "marked" => &mut self.marked,
            "warn" => &mut self.warn,
            "danger" => &mut self.danger,
            "good" => &mut self.good,
            "error" => &mut self.error,
            "focus" => &mut self.focus,
            "matched" => &mut self.matched,
            _ => return None,
        })
    }
}

/// The named styles a `[theme]` table may set.
pub const STYLES: [&str; 12] = [
    "text",
    "muted",
    "title",
    "active-tab",
    "selected",
    "marked",
    "warn",
    "danger",
    "good",
    "error",
    "focus",
    "matched",
];

/// The 16 colours by name (and `default`, the terminal's own).
const COLOURS: [(&str, Color); 17] = [
    ("default", Color::Reset),
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("gray", Color::Gray),
    ("dark-gray", Color::DarkGray),
    ("light-red", Color::LightRed),
    ("light-green", Color::LightGreen),
    ("light-yellow", Color::LightYellow),
    ("light-blue", Color::LightBlue),
    ("light-magenta", Color::LightMagenta),
    ("light-cyan", Color::LightCyan),
    ("white", Color::White),
];

/// Reads "yellow bold", "black on cyan", "underline": a foreground colour, `on` and a
/// background, and modifiers, in any order.
pub fn parse_style(text: &str) -> Result<Style, String> {
    let colour = |w: &str| {
        COLOURS
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(w))
            .map(|(_, c)| *c)
    };
    let mut style = Style::default();
    if text.trim().is_empty() {
        return Err("empty: give a colour, a modifier, or both (\"yellow bold\")".into());
    }
    let (mut fg_set, mut bg_set) = (false, false);
    let mut words = text.split_whitespace();
    while let Some(w) = words.next() {
        let modifier = match w.to_ascii_lowercase().as_str() {
            "bold" => Some(Modifier::BOLD),
            "underline" | "underlined" => Some(Modifier::UNDERLINED),
            "reversed" | "reverse" => Some(Modifier::REVERSED),
            "italic" => Some(Modifier::ITALIC),
            "dim" => Some(Modifier::DIM),
            _ => None,
        };
        if let Some(m) = modifier {
            style = style.add_modifier(m);
        } else if w.eq_ignore_ascii_case("on") {
            if std::mem::replace(&mut bg_set, true) {
                return Err(format!("{text:?}: one background only"));
            }
            let bg = words
                .next()
                .and_then(colour)
                .ok_or_else(|| format!("{text:?}: a colour name must follow \"on\""))?;
            style = style.bg(bg);
        } else if let Some(fg) = colour(w) {
            if std::mem::replace(&mut fg_set, true) {
                return Err(format!(
                    "{text:?}: one colour only (and \"on COLOUR\" for the background)"
                ));
            }
            style = style.fg(fg);
        } else {
            let names: Vec<&str> = COLOURS.iter().map(|(n, _)| *n).collect();
            return Err(format!(
                "{w:?} is not a colour ({}) or a modifier (bold, underline, reversed, italic, dim)",
                names.join(", ")
            ));
        }
    }
    Ok(style)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_style_reads_colour_background_and_modifiers() {
        assert_eq!(
            parse_style("yellow bold").unwrap(),
            Style::default()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD)
        );
        assert_eq!(
            parse_style("black on light-cyan").unwrap(),
            Style::default().fg(Color::Black).bg(Color::LightCyan)
        );
        assert!(parse_style("orange").unwrap_err().contains("not a colour"));
        assert!(parse_style("red on").unwrap_err().contains("must follow"));
        assert!(parse_style("red on blue on green")
            .unwrap_err()
            .contains("one background"));
        assert!(parse_style("red blue").unwrap_err().contains("one colour"));
        assert!(parse_style("").unwrap_err().contains("empty"));
    }

    #[test]
    fn overrides_apply_but_no_color_wins() {
        let o = vec![("danger".to_string(), "light-red underline".to_string())];
        let t = Theme::themed(false, &o).unwrap();
        assert_eq!(
            t.danger,
            Style::default()
                .fg(Color::LightRed)
                .add_modifier(Modifier::UNDERLINED)
        );
        let plain = Theme::themed(true, &o).unwrap();
        assert_eq!(plain.danger, Theme::new(true).danger);
        assert!(plain.danger.fg.is_none());
        let bad = vec![("dangerous".to_string(), "red".to_string())];
        assert!(Theme::themed(false, &bad)
            .unwrap_err()
            .contains("\"dangerous\" is not a style"));
    }
}

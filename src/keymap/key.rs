//! One key as a keymap names it (`"j"`, `"down"`, `"ctrl-n"`, `"alt-<"`, `"shift-tab"`) and
//! as help shows it (`j`, `↓`, `C-n`, `M-<`, `S-Tab`).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::fmt;

/// A key with the modifiers that matter: Ctrl and Alt. Shift is part of a character
/// (`J` is not `shift-j`), so it is dropped from characters and kept only as Shift-Tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    /// The key itself.
    pub code: KeyCode,
    /// Ctrl held.
    pub ctrl: bool,
    /// Alt (Meta) held.
    pub alt: bool,
}

impl Key {
    /// Ctrl-C: always quits, so no keymap may take it.
    pub const CTRL_C: Key = Key {
        code: KeyCode::Char('c'),
        ctrl: true,
        alt: false,
    };

    /// A key without modifiers.
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
        }
    }

    /// The key a terminal event stands for.
    pub fn from_event(event: KeyEvent) -> Key {
        Key {
            code: event.code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
            alt: event.modifiers.contains(KeyModifiers::ALT),
        }
    }

    /// Reads a key name: an optional `ctrl-`, `alt-` or `shift-` (Tab only) prefix, then one
    /// character (case matters) or a named key (`enter`, `esc`, `tab`, `space`, `up`, `down`,
    /// `left`, `right`, `home`, `end`, `pageup`, `pagedown`, `backspace`, `delete`,
    /// `insert`, `f1`…`f12`).
    pub fn parse(name: &str) -> Result<Key, String> {
        let mut rest = name;
        let mut key = Key::plain(KeyCode::Null);
        let mut shift = false;
        // A lone "-" is the minus key, and "ctrl--" Ctrl with it.
        while rest.chars().count() > 1 {
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = lower.strip_prefix("ctrl-") {
                key.ctrl = true;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower.strip_prefix("alt-") {
                key.alt = true;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower.strip_prefix("shift-") {
                shift = true;
                rest = &rest[rest.len() - r.len()..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        key.code = match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_control() => KeyCode::Char(c),
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" if shift => {
                    shift = false;
                    KeyCode::BackTab
                }
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "space" => KeyCode::Char(' '),
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" => KeyCode::PageDown,
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "insert" | "ins" => KeyCode::Insert,
                f if f.starts_with('f') => match f[1..].parse::<u8>() {
                    Ok(n @ 1..=12) => KeyCode::F(n),
                    _ => return Err(unknown(name)),
                },
                _ => return Err(unknown(name)),
            },
        };
        if shift {
            return Err(format!(
                "{name:?}: shift- goes only with tab; write the character itself (\"J\", not \"shift-j\")"
            ));
        }
        // What a terminal cannot send as its own key: it would be accepted and never fire.
        if key.alt && key.code == KeyCode::Char('[') {
            return Err(format!(
                "{name:?}: a terminal sends Alt-[ as the start of another key's code; choose another key"
            ));
        }
        if let (true, KeyCode::Char(c)) = (key.ctrl, key.code) {
            let sent_as = match c {
                'i' => Some("tab"),
                'm' => Some("enter"),
                '[' => Some("esc"),
                _ => None,
            };
            if let Some(other) = sent_as {
                return Err(format!(
                    "{name:?}: a terminal sends it as {other}; bind {other} or another key"
                ));
            }
            if c.is_ascii_uppercase() {
                return Err(format!(
                    "{name:?}: a terminal sends Ctrl with a capital as the small letter; write \"ctrl-{}\"",
                    c.to_ascii_lowercase()
                ));
            }
            if !(c.is_ascii_lowercase() || c == ' ') {
                return Err(format!(
                    "{name:?}: terminals send Ctrl only with a letter or space; choose ctrl-a … ctrl-z, or an F key"
                ));
            }
        }
        Ok(key)
    }

    /// The terminal event this key is.
    pub fn event(&self) -> KeyEvent {
        let mut modifiers = KeyModifiers::NONE;
        if self.ctrl {
            modifiers |= KeyModifiers::CONTROL;
        }
        if self.alt {
            modifiers |= KeyModifiers::ALT;
        }
        KeyEvent::new(self.code, modifiers)
    }

    /// Types text rather than acting in a form: a printable character without Ctrl or Alt.
    pub fn types_text(&self) -> bool {
        matches!(self.code, KeyCode::Char(_)) && !self.ctrl && !self.alt
    }
}

fn unknown(name: &str) -> String {
    format!(
        "{name:?} is not a key name (a character, or enter, esc, tab, shift-tab, space, up, down, left, right, home, end, pageup, pagedown, backspace, delete, insert, f1-f12, with ctrl- or alt-)"
    )
}

impl fmt::Display for Key {
    /// Short, as help and footers show keys: `j`, `↓`, `PgDn`, `C-n`, `M-<`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("C-")?;
        }
        if self.alt {
            f.write_str("M-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("S-Tab"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Backspace => f.write_str("Bksp"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Insert => f.write_str("Ins"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_as_keys_and_show_short() {
        let show = |n: &str| Key::parse(n).unwrap().to_string();
        assert_eq!(show("j"), "j");
        assert_eq!(show("J"), "J");
        assert_eq!(show("down"), "↓");
        assert_eq!(show("PageDown"), "PgDn");
        assert_eq!(show("ctrl-n"), "C-n");
        assert_eq!(show("alt-<"), "M-<");
        assert_eq!(show("shift-tab"), "S-Tab");
        assert_eq!(show("space"), "Space");
        assert_eq!(show("-"), "-");
        assert_eq!(show("f5"), "F5");
        for bad in [
            "", "shift-j", "ctrl-", "dwon", "f13", "ab", "ctrl-i", "ctrl-m", "ctrl-[", "ctrl-N",
            "ctrl-1", "ctrl--", "alt-[",
        ] {
            assert!(Key::parse(bad).is_err(), "{bad:?} read as a key");
        }
    }

    #[test]
    fn an_event_matches_its_name_and_shift_is_part_of_the_character() {
        let ev = |code, m| Key::from_event(KeyEvent::new(code, m));
        assert_eq!(
            ev(KeyCode::Char('J'), KeyModifiers::SHIFT),
            Key::parse("J").unwrap()
        );
        assert_eq!(
            ev(KeyCode::Char('n'), KeyModifiers::CONTROL),
            Key::parse("ctrl-n").unwrap()
        );
        assert_eq!(
            ev(KeyCode::Char('<'), KeyModifiers::ALT | KeyModifiers::SHIFT),
            Key::parse("alt-<").unwrap()
        );
        assert!(Key::parse("q").unwrap().types_text());
        assert!(!Key::parse("ctrl-q").unwrap().types_text());
        assert!(!Key::parse("enter").unwrap().types_text());
    }
}

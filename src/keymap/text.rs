//! Keys that edit the text being typed in a search box or a form field. They are fixed
//! (readline's), so a keymap may not take them for a form intent.

use crate::app::Edit;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The editing keys, for help.
pub const TEXT_KEYS: [(&str, &str); 5] = [
    ("← →", "move, or choose in a pick list (→ completes a name)"),
    ("Home End C-a C-e", "start / end"),
    ("C-← C-→ M-b M-f", "word back / forward"),
    ("Bksp Del C-w", "delete char / word"),
    ("C-u C-k", "delete to start / end"),
];

/// What a key does to the text being typed (search box, form field), if anything.
pub fn text_edit(key: KeyEvent) -> Option<Edit> {
    use KeyCode::{Char, End, Home};
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    Some(match key.code {
        KeyCode::Backspace if ctrl || alt => Edit::DeleteWordBack,
        KeyCode::Backspace => Edit::DeleteBack,
        KeyCode::Delete => Edit::DeleteForward,
        KeyCode::Left if ctrl || alt => Edit::WordLeft,
        KeyCode::Right if ctrl || alt => Edit::WordRight,
        KeyCode::Left => Edit::Left,
        KeyCode::Right => Edit::Right,
        Home => Edit::Home,
        End => Edit::End,
        Char('a') if ctrl => Edit::Home,
        Char('e') if ctrl => Edit::End,
        Char('b') if ctrl => Edit::Left,
        Char('f') if ctrl => Edit::Right,
        Char('w') if ctrl => Edit::DeleteWordBack,
        Char('u') if ctrl => Edit::DeleteToStart,
        Char('k') if ctrl => Edit::DeleteToEnd,
        Char('h') if ctrl => Edit::DeleteBack,
        Char('d') if ctrl => Edit::DeleteForward,
        Char('b') if alt => Edit::WordLeft,
        Char('f') if alt => Edit::WordRight,
        Char(c) if !ctrl && !alt => Edit::Insert(c),
        _ => return None,
    })
}

//! Text editing in search boxes and form fields: the edits keys name (`Edit`) and the
//! field they change (`TextField`, on the `tui-input` crate's cursor-aware buffer). Keys
//! follow the shell's habits: ← → Home End, Ctrl-A/E, Ctrl-U/K/W, Ctrl-← → or Alt-b/f.

use serde::Deserialize;
use tui_input::{Input, InputRequest};

/// One change to a text field. Deserialisable for a keymap's `[form]` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Edit {
    /// Types a character at the cursor.
    Insert(char),
    /// Backspace.
    DeleteBack,
    /// Delete.
    DeleteForward,
    /// ← (in a pick list: the previous option).
    Left,
    /// → (in a pick list: the next option; assigning: completes a known user's name).
    Right,
    /// The previous word's start.
    WordLeft,
    /// The next word's start.
    WordRight,
    /// The start of the text.
    Home,
    /// The end of the text.
    End,
    /// Deletes the word before the cursor (Ctrl-W).
    DeleteWordBack,
    /// Deletes everything before the cursor (Ctrl-U).
    DeleteToStart,
    /// Deletes everything from the cursor on (Ctrl-K).
    DeleteToEnd,
}

/// A line of text being typed, with its cursor.
#[derive(Debug, Clone, Default)]
pub struct TextField {
    input: Input,
    /// Offered by the app (`+7`, the user's own name) and not touched yet. It behaves as
    /// text selected whole: typing replaces it, a deletion clears it, ← / Home put the
    /// cursor before it and → / End after it, to edit it.
    prefilled: bool,
}

/// Two fields are equal when they hold the same text with the cursor in the same place.
impl PartialEq for TextField {
    fn eq(&self, other: &TextField) -> bool {
        (self.value(), self.cursor(), self.prefilled)
            == (other.value(), other.cursor(), other.prefilled)
    }
}

impl Eq for TextField {}

impl TextField {
    /// An empty field.
    pub fn new() -> TextField {
        TextField::default()
    }

    /// A field holding a suggestion that the first typed character replaces.
    pub fn prefilled(value: &str) -> TextField {
        TextField {
            input: Input::new(value.to_string()),
            prefilled: !value.is_empty(),
        }
    }

    /// The text.
    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// The cursor, in characters from the start.
    pub fn cursor(&self) -> usize {
        self.input.cursor()
    }

    /// Whether the text is still the app's untouched suggestion.
    pub fn is_prefilled(&self) -> bool {
        self.prefilled
    }

    /// Replaces the text (completion, a choice), cursor at the end; no longer a suggestion.
    pub fn set(&mut self, value: &str) {
        self.input = Input::new(value.to_string());
        self.prefilled = false;
    }

    /// Applies one edit; whether the text changed.
    pub fn apply(&mut self, edit: Edit) -> bool {
        if std::mem::take(&mut self.prefilled) {
            match edit {
                Edit::Insert(_) => self.input.reset(),
                Edit::Left | Edit::Home | Edit::WordLeft => {
                    self.input = Input::new(self.value().to_string()).with_cursor(0);
                    return false;
                }
                Edit::Right | Edit::End | Edit::WordRight => return false,
                Edit::DeleteBack
                | Edit::DeleteForward
                | Edit::DeleteWordBack
                | Edit::DeleteToStart
                | Edit::DeleteToEnd => {
                    self.input.reset();
                    return true;
                }
            }
        }
        let request = match edit {
            Edit::Insert(c) => InputRequest::InsertChar(c),
            Edit::DeleteBack => InputRequest::DeletePrevChar,
            Edit::DeleteForward => InputRequest::DeleteNextChar,
            Edit::Left => InputRequest::GoToPrevChar,
            Edit::Right => InputRequest::GoToNextChar,
            Edit::WordLeft => InputRequest::GoToPrevWord,
            Edit::WordRight => InputRequest::GoToNextWord,
            Edit::Home => InputRequest::GoToStart,
            Edit::End => InputRequest::GoToEnd,
            Edit::DeleteWordBack => InputRequest::DeletePrevWord,
            Edit::DeleteToStart => {
                // tui-input's DeleteLine empties the whole line; the shell's Ctrl-U keeps
                // what follows the cursor.
                let rest: String = self.value().chars().skip(self.cursor()).collect();
                let changed = self.cursor() > 0;
                self.input = Input::new(rest).with_cursor(0);
                return changed;
            }
            Edit::DeleteToEnd => InputRequest::DeleteTillEnd,
        };
        self.input
            .handle(request)
            .is_some_and(|changed| changed.value)
    }

    /// The text split at the cursor, for drawing it.
    pub fn split_at_cursor(&self) -> (String, String) {
        let before: String = self.value().chars().take(self.cursor()).collect();
        let after: String = self.value().chars().skip(self.cursor()).collect();
        (before, after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(field: &mut TextField, text: &str) {
        for c in text.chars() {
            field.apply(Edit::Insert(c));
        }
    }

    #[test]
    fn typing_replaces_a_suggestion_but_editing_keeps_it() {
        let mut f = TextField::prefilled("+7");
        typed(&mut f, "+14");
        assert_eq!(f.value(), "+14");
        let mut f = TextField::prefilled("+7");
        f.apply(Edit::End);
        typed(&mut f, "d");
        assert_eq!(f.value(), "+7d");
        // Like text selected whole: a deletion clears it, ← puts the cursor before it.
        let mut f = TextField::prefilled("maria");
        f.apply(Edit::DeleteBack);
        assert_eq!(f.value(), "");
        let mut f = TextField::prefilled("+7");
        f.apply(Edit::Left);
        f.apply(Edit::DeleteForward);
        assert_eq!((f.value(), f.cursor()), ("7", 0));
    }

    #[test]
    fn the_cursor_moves_and_the_shell_keys_delete_what_they_say() {
        let mut f = TextField::new();
        typed(&mut f, "called payer twice");
        f.apply(Edit::WordLeft);
        assert_eq!(
            f.split_at_cursor(),
            ("called payer ".into(), "twice".into())
        );
        f.apply(Edit::DeleteWordBack);
        assert_eq!(f.value(), "called twice");
        f.apply(Edit::Home);
        typed(&mut f, "I ");
        assert_eq!(f.value(), "I called twice");
        f.apply(Edit::Right);
        f.apply(Edit::DeleteToEnd);
        assert_eq!(f.value(), "I c");
        f.apply(Edit::Left);
        f.apply(Edit::DeleteToStart);
        assert_eq!((f.value(), f.cursor()), ("c", 0));
        f.apply(Edit::DeleteForward);
        assert_eq!(f.value(), "");
    }

    #[test]
    fn the_cursor_counts_characters_not_bytes() {
        let mut f = TextField::new();
        typed(&mut f, "Müller");
        f.apply(Edit::Left);
        f.apply(Edit::Left);
        f.apply(Edit::Left);
        f.apply(Edit::Left);
        f.apply(Edit::DeleteBack);
        assert_eq!(f.value(), "Mller");
    }
}

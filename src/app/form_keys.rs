//! Keyboard editing of a form: typing in the focused field, choosing in a pick list,
//! moving between fields.

use super::edit::Edit;
use super::form::{FieldKind, Form};

impl Form {
    /// Applies an edit to the focused field. In a pick list ←/→ choose and a letter jumps
    /// to the next option starting with it; elsewhere it edits the text.
    pub fn edit(&mut self, edit: Edit) {
        let field = &mut self.fields[self.focus];
        let FieldKind::Choice(options) = &field.kind else {
            if field.text.apply(edit) {
                self.dirty = true;
                self.error = None;
            }
            return;
        };
        let at = options.iter().position(|o| o == field.value());
        let n = options.len();
        let next = match (edit, at) {
            _ if n == 0 => return,
            // Nothing chosen yet: ← takes the last option, → the first.
            (Edit::Left, None) => options[n - 1].clone(),
            (Edit::Right, None) => options[0].clone(),
            (Edit::Left, Some(at)) => options[(at + n - 1) % n].clone(),
            (Edit::Right, Some(at)) => options[(at + 1) % n].clone(),
            (Edit::Insert(c), at) => {
                let lower = c.to_ascii_lowercase();
                let at = at.unwrap_or(n - 1);
                match (1..=n)
                    .map(|k| &options[(at + k) % n])
                    .find(|o| o.to_ascii_lowercase().starts_with(lower))
                {
                    Some(o) => o.clone(),
                    None => return,
                }
            }
            _ => return,
        };
        field.text.set(&next);
        self.dirty = true;
        self.error = None;
    }

    /// Focuses the next field (wrapping).
    pub fn next_field(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len();
    }

    /// Focuses the previous field (wrapping).
    pub fn prev_field(&mut self) {
        self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
    }
}

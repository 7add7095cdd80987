//! One input to `update`, by kind: a person's intent, an edit to the text being typed, a
//! result from the worker or the team server, or the idle clock. `update` routes by this
//! type, so a result can never be mistaken for a key or swallowed by a form.

pub use super::edit::Edit;
pub use super::intent::Intent;
pub use super::outcome::Outcome;

/// Everything that can happen to the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// What a key means (see `keymap`).
    Intent(Intent),
    /// A change to the search box or the focused form field.
    Edit(Edit),
    /// A result from outside: loads, saves, teammates.
    Outcome(Outcome),
    /// No key for a while: hide PHI until the next key (which then only unlocks).
    Idle,
}

impl From<Intent> for Msg {
    fn from(intent: Intent) -> Msg {
        Msg::Intent(intent)
    }
}

impl From<Edit> for Msg {
    fn from(edit: Edit) -> Msg {
        Msg::Edit(edit)
    }
}

impl From<Outcome> for Msg {
    fn from(outcome: Outcome) -> Msg {
        Msg::Outcome(outcome)
    }
}

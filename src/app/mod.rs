//! The Elm-like core of the TUI: `update(&mut State, Msg) -> Vec<Effect>`, with a worker
//! thread that runs effects against the store and sends results back as `Outcome`s.
//! Messages come by kind (`Msg`): intents from the keymap, edits to typed text, outcomes
//! from the worker and the team server, and the idle clock.

mod appeal_forms;
pub mod appeals;
pub mod edit;
pub mod effect;
pub mod field;
pub mod form;
mod form_action;
mod form_flow;
mod form_keys;
pub mod intent;
mod kpi_view;
pub mod msg;
pub mod outcome;
pub mod pane;
mod presence_view;
mod prevention_view;
mod search;
pub mod state;
pub mod update;
pub mod worker;
pub mod worklist;

pub use edit::Edit;
pub use effect::Effect;
pub use intent::Intent;
pub use msg::Msg;
pub use outcome::Outcome;
pub use state::{Mode, Pane, State};
pub use update::update;

#[cfg(test)]
mod tests;

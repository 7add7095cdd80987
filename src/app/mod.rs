//! The Elm-like core of the TUI: `update(&mut State, Action) -> Vec<Effect>`, with a
//! worker thread that runs effects against the store and sends results back as actions.

pub mod action;
pub mod appeals;
pub mod effect;
pub mod form;
mod form_action;
mod form_flow;
mod kpi_view;
pub mod pane;
mod presence_view;
mod search;
pub mod state;
pub mod update;
mod view;
pub mod worker;

pub use action::Action;
pub use effect::Effect;
pub use state::{Mode, Pane, State};
pub use update::update;

//! Driving the app without a terminal: a small store, actions fed through `update` with
//! the real worker code, and frames drawn to ratatui's TestBackend.

use super::*;
use chrono::NaiveDate;
use denialdesk::app::worker::run_effect;
use denialdesk::app::{update, Edit, Effect, Intent, Msg, State};
use denialdesk::keymap::Keymap;
use denialdesk::store::SledStore;
use denialdesk::ui::{self, theme::Theme};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

/// A small store: two denials and a paid claim, remitted 2026-11-01 (default 90-day window).
pub fn small_store() -> (tempfile::TempDir, SledStore) {
    let (dir, store) = temp_store();
    let body = set(&[
        header("AETNA", "60054", "20261101", "T1"),
        claim("BIG1", 1, "1240", "0", &["CO*197*1240"]),
        claim("SMALL2", 1, "90", "0", &["CO*16*90"]),
        claim("PAID3", 1, "100", "80", &["CO*45*20"]),
    ]);
    import(&store, "small.835", &interchange(&STAR, 1, &[body])).unwrap();
    (dir, store)
}

/// Feeds a message and runs the effects it asks for against the store, like the worker.
pub fn act(state: &mut State, store: &SledStore, msg: impl Into<Msg>) -> Vec<Effect> {
    let effects = update(state, msg);
    for e in effects.clone() {
        for result in run_effect(store, "maria", e) {
            act(state, store, result);
        }
    }
    effects
}

pub fn loaded(store: &SledStore) -> State {
    let mut state = State::new("maria", today(), false);
    act(&mut state, store, Intent::Refresh);
    state
}

/// The frame as cells (symbols and styles), drawn without colour.
pub fn rendered(state: &State, width: u16, height: u16) -> ratatui::buffer::Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let keymap = Keymap::new(state.readonly);
    terminal
        .draw(|f| ui::render(f, state, &keymap, &Theme::new(true)))
        .unwrap();
    terminal.backend().buffer().clone()
}

/// The frame as text, one line per row.
pub fn draw(state: &State, width: u16, height: u16) -> String {
    let buffer = rendered(state, width, height);
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn typed(state: &mut State, store: &SledStore, text: &str) {
    for c in text.chars() {
        act(state, store, Edit::Insert(c));
    }
}

/// The work item key of the one claim with this CLP01.
pub fn key_of(store: &SledStore, claim_id: &str) -> String {
    use denialdesk::store::WorkStore;
    store.work_item(claim_id).unwrap().unwrap().key.into()
}

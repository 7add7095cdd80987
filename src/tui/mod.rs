//! The event loop: one channel carries keys (input thread), results (worker thread) and
//! ticks (for the idle screen); each becomes an action, `update` changes the state, and
//! the screen is redrawn only when something changed.

pub mod terminal;

use crate::app::{update, worker, Action, Effect, State};
use crate::keymap::Keymap;
use crate::store::Store;
use crate::ui::{self, theme::Theme};
use anyhow::Result;
use chrono::NaiveDate;
use crossterm::event::{self, Event, KeyEventKind};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use terminal::TerminalGuard;

/// Runs in its own thread for the whole session, handing each teammate's save or
/// presence change to the UI as an action (the callback returns false once the UI has
/// quit). The UI does not know where they come from (the CLI wires the team server in).
pub type LiveFeed = Box<dyn FnOnce(Box<dyn Fn(Action) -> bool + Send>) + Send>;

/// How the UI is started.
pub struct Options {
    pub user: String,
    /// Which database is open, as the user should read it (shown when it is empty).
    pub database: String,
    /// Payer rules: each payer's phone and portal on the claim.
    pub payer_rules: crate::domain::payer_rules::PayerRules,
    pub today: NaiveDate,
    pub readonly: bool,
    /// Minutes without a key before PHI is hidden; 0 never.
    pub idle_minutes: u64,
    /// Teammates' saves and presence, pushed as actions (see `LiveFeed`).
    pub live: Option<LiveFeed>,
}

enum Msg {
    Key(crossterm::event::KeyEvent),
    Redraw,
    Action(Action),
    Tick,
}

/// Runs the UI until the user quits.
pub fn run(store: Box<dyn Store + Send>, mut options: Options) -> Result<()> {
    let mut guard = TerminalGuard::new()?;
    let (tx, rx) = mpsc::channel::<Msg>();

    let input = tx.clone();
    std::thread::spawn(move || loop {
        let msg = match event::read() {
            Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => Msg::Key(k),
            Ok(Event::Resize(..)) => Msg::Redraw,
            Ok(_) => continue,
            Err(_) => break,
        };
        if input.send(msg).is_err() {
            break;
        }
    });
    let ticks = tx.clone();
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_secs(5));
        if ticks.send(Msg::Tick).is_err() {
            break;
        }
    });
    if let Some(feed) = options.live.take() {
        let live = tx.clone();
        std::thread::spawn(move || feed(Box::new(move |a| live.send(Msg::Action(a)).is_ok())));
    }
    let session = store.session();
    let (effects, effect_rx) = mpsc::channel::<Effect>();
    let results = tx;
    worker::spawn(store, options.user.clone(), effect_rx, move |a| {
        results.send(Msg::Action(a)).is_ok()
    });

    let keymap = Keymap::new(options.readonly);
    let theme = Theme::from_env();
    let mut state = State::new(&options.user, options.today, options.readonly);
    state.database = options.database.clone();
    state.payer_rules = options.payer_rules.clone();
    state.session = session;
    effects.send(Effect::OpenWorklist)?;
    let idle_after = Duration::from_secs(options.idle_minutes * 60);
    let mut last_key = Instant::now();
    let mut dirty = true;
    // Effects an action asked for go to the worker after the frame showing the action is
    // drawn: on 2 cores, the full worklist load that follows the first rows would
    // otherwise compete with drawing them.
    let mut pending: Vec<Effect> = Vec::new();
    loop {
        if dirty {
            guard
                .terminal
                .draw(|f| ui::render(f, &state, &keymap, &theme))?;
            dirty = false;
        }
        for effect in pending.drain(..) {
            effects.send(effect)?;
        }
        if state.quit {
            break;
        }
        // Idle right after a load: build the search texts now (~50 ms at 100,000 denials)
        // rather than on the first search keystroke.
        let message = match rx.try_recv() {
            Ok(message) => message,
            Err(_) => {
                state.ensure_search_texts();
                rx.recv()?
            }
        };
        let action = match message {
            Msg::Key(key) => {
                #[cfg(debug_assertions)]
                terminal::panic_for_tests(&key);
                last_key = Instant::now();
                if state.idle_locked {
                    Some(Action::Unlock)
                } else {
                    keymap.action(&state.mode, key)
                }
            }
            Msg::Redraw => {
                dirty = true;
                None
            }
            Msg::Action(a) => Some(a),
            // Ticks redraw nothing unless they change something: every byte crosses SSH.
            Msg::Tick => {
                (options.idle_minutes > 0 && !state.idle_locked && last_key.elapsed() >= idle_after)
                    .then_some(Action::Idle)
            }
        };
        if let Some(action) = action {
            pending = update(&mut state, action);
            dirty = true;
        }
    }
    drop(guard);
    Ok(())
}
